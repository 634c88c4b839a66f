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
/* bridge_slave: options into IFLA_INFO_SLAVE_DATA (IFLA_BRPORT_*). */
int ip_bridge_slave_parse(struct ip_ctx *c, const char *kind, struct nlmsghdr *nlh, int argc,
			  char **argv);
int ip_txqlen(const char *name);
/* vxlan: options into IFLA_INFO_DATA's attributes (out, room for 1024
 * bytes, *len set); 0 or an exit status. And its -d details. */
int ip_vxlan_parse(struct ip_ctx *c, int argc, char **argv, bool set_op, void *out, size_t *len);
void ip_print_vxlan(struct ip_ctx *c, const struct nlattr *data);
/* bridge: options into IFLA_INFO_DATA's attributes, as ip_vxlan_parse. */
int ip_bridge_parse(struct ip_ctx *c, int argc, char **argv, void *out, size_t *len);
/* IFLA_VFINFO_LIST: one "vf N" line per virtual function. */
void ip_print_vfinfo_list(struct ip_ctx *c, const struct ifinfomsg *ifi, const struct nlattr *list);
/* Kinds with a parser and a printer (link_kinds.c): parse puts
 * IFLA_INFO_DATA's attributes into nlh (0 or an exit status); print
 * prints them (data may be NULL). */
struct ip_kind {
	const char *name;
	int (*parse)(struct ip_ctx *c, const char *kind, struct nlmsghdr *nlh, int argc,
		     char **argv);
	void (*print)(struct ip_ctx *c, const struct nlattr *data);
};
const struct ip_kind *ip_kind_find(const char *kind, bool slave);
/* k's words into out (room for 1024 bytes), *len set; 0 or an exit status. */
int ip_kind_parse(struct ip_ctx *c, const struct ip_kind *k, int argc, char **argv, void *out,
		  size_t *len);
enum ip_kind_words { IP_KIND_PARSED, IP_KIND_IGNORED, IP_KIND_NONE };
enum ip_kind_words ip_kind_words(const char *kind);
int ip_ll_proto_a2n(uint16_t *be, const char *name);
const char *ip_ll_proto_n2a(struct ip_ctx *c, uint16_t be, char *buf, size_t len);
/* tunnels (link_tunnel.c) */
void ip_iptnl_print(struct ip_ctx *c, const struct nlattr *data);
int ip_gre_parse(struct ip_ctx *c, const char *kind, struct nlmsghdr *nlh, int argc, char **argv);
int ip_iptnl_parse(struct ip_ctx *c, const char *kind, struct nlmsghdr *nlh, int argc, char **argv);
void ip_gre_print(struct ip_ctx *c, const struct nlattr *data);
int ip_ip6tnl_parse(struct ip_ctx *c, const char *kind, struct nlmsghdr *nlh, int argc,
		    char **argv);
void ip_ip6tnl_print(struct ip_ctx *c, const struct nlattr *data);
int ip_ip6gre_parse(struct ip_ctx *c, const char *kind, struct nlmsghdr *nlh, int argc,
		    char **argv);
void ip_ip6gre_print(struct ip_ctx *c, const struct nlattr *data);
int ip_geneve_parse(struct ip_ctx *c, const char *kind, struct nlmsghdr *nlh, int argc,
		    char **argv);
void ip_geneve_print(struct ip_ctx *c, const struct nlattr *data);
int ip_tnl_parse_key(const char *name, const char *v, uint32_t *key);
/* vti, vti6 (link_vti.c) */
int ip_vti_parse(struct ip_ctx *c, const char *kind, struct nlmsghdr *nlh, int argc, char **argv);
void ip_vti_print(struct ip_ctx *c, const struct nlattr *data);
void ip_vti6_print(struct ip_ctx *c, const struct nlattr *data);
/* An IPv6 address (any/default/all: zeros) into a; 0 or exit status 1. */
int ip_tnl_addr6(const char *v, uint8_t *a);
/* tclass/tc/tos/dsfield or flowlabel/fl VALUE into an ip6 tunnel's
 * flowinfo (network order) and IP6_TNL_F_* flags; 0 or an exit status. */
int ip_tnl_flow6(const char *k, const char *v, uint32_t *flowinfo, uint32_t *flags);
void ip_tnl_print_endpoint(struct ip_ctx *c, const char *name, const struct nlattr *a, int family);
void ip_tnl_print_encap(struct ip_ctx *c, const struct nlattr **tb, unsigned type_a,
			unsigned flags_a, unsigned sport_a, unsigned dport_a);
void ip_print_macvlan(struct ip_ctx *c, const struct nlattr *data);
int ip_bond_parse(struct ip_ctx *c, const char *kind, struct nlmsghdr *nlh, int argc, char **argv);
void ip_bond_print(struct ip_ctx *c, const struct nlattr *data);
void ip_bond_slave_print(struct ip_ctx *c, const struct nlattr *data);
int ip_bond_slave_parse(struct ip_ctx *c, const char *kind, struct nlmsghdr *nlh, int argc,
			char **argv);
const struct ip_kind *ip_kind_slave_parser(const char *type);
int ip_netns_name_of_id(struct ip_ctx *c, int nsid, char *name, size_t len);

#endif
