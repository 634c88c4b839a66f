/* SPDX-License-Identifier: Apache-2.0 */
/* Internal to the link printers (link_print.c, link_detail.c) and their
 * users in link.c and addr.c. */
#ifndef NETKIT_CMD_IP_LINK_PRIV_H
#define NETKIT_CMD_IP_LINK_PRIV_H

#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "cmd/ip/ip.h"

int ip_link_parse(const struct nlmsghdr *nlh, const struct ifinfomsg **ifi,
		  const struct nlattr **tb);
void ip_print_link_flags(struct ip_ctx *c, unsigned flags, bool mdown);
const char *ip_ll_type(unsigned type, char *buf, size_t len);
void ip_print_linkinfo(struct ip_ctx *c, const struct nlattr *linkinfo);
void ip_print_af_spec(struct ip_ctx *c, const struct nlattr *af_spec);
void ip_print_link_event(struct ip_ctx *c, uint32_t event);
void ip_print_link_stats(struct ip_ctx *c, uint32_t ifindex, const struct nlattr **tb);
int ip_stats_load(struct ip_ctx *c);
void ip_stats_free(struct ip_ctx *c);
/* Name of the namespace (under /run/netns) that has this nsid here. */
void ip_print_bridge(struct ip_ctx *c, const struct nlattr *data);
void ip_print_bridge_slave(struct ip_ctx *c, const struct nlattr *data);
int ip_txqlen(const char *name);
/* vxlan: options into IFLA_INFO_DATA's attributes (out, room for 1024
 * bytes, *len set); 0 or an exit status. And its -d details. */
int ip_vxlan_parse(struct ip_ctx *c, int argc, char **argv, bool set_op, void *out, size_t *len);
void ip_print_vxlan(struct ip_ctx *c, const struct nlattr *data);
/* bridge: options into IFLA_INFO_DATA's attributes, as ip_vxlan_parse. */
int ip_bridge_parse(struct ip_ctx *c, int argc, char **argv, void *out, size_t *len);
/* IFLA_VFINFO_LIST: one "vf N" line per virtual function. */
void ip_print_vfinfo_list(struct ip_ctx *c, const struct ifinfomsg *ifi, const struct nlattr *list);
int ip_netns_name_of_id(struct ip_ctx *c, int nsid, char *name, size_t len);

#endif
