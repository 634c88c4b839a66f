/* SPDX-License-Identifier: Apache-2.0 */
/* Policy routing rules (FIB rules) as plain records: one RTM_NEWRULE /
 * RTM_DELRULE message becomes a struct rtnl_rule with every attribute
 * checked for its size, and the same record builds a request. Pure
 * functions on buffers: `ip rule` prints, filters and sends through them. */
#ifndef NETKIT_NL_RTNL_RULE_H
#define NETKIT_NL_RTNL_RULE_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/fib_rules.h>

#include "lib/nl/nl.h"

/* RTA_GATEWAY in a rule: the deprecated "nat" target (not an FRA_*). */
#define RTNL_RULE_NAT_GW 5

struct rtnl_rule {
	uint16_t msg_type; /* RTM_NEWRULE or RTM_DELRULE */
	uint8_t family, src_len, dst_len, tos, action;
	uint32_t flags; /* FIB_RULE_* */
	uint32_t table; /* FRA_TABLE, else the header's */
	bool has_priority, has_src, has_dst, has_fwmark, has_fwmask, has_l3mdev, has_uid,
		has_ipproto, has_sport, has_dport, has_suppress_pl, has_suppress_group, has_flow,
		has_goto, has_protocol, has_tun_id, has_nat_gw;
	uint32_t priority, fwmark, fwmask, flow, goto_target, nat_gw;
	uint8_t src[16], dst[16];
	uint8_t src_alen, dst_alen; /* bytes of src/dst in the message */
	const char *iif, *oif;	    /* FRA_IIFNAME / FRA_OIFNAME, NULL if none */
	uint8_t l3mdev, ipproto, protocol;
	uint32_t uid_start, uid_end;
	uint16_t sport[2], dport[2];
	int32_t suppress_pl, suppress_group;
	uint64_t tun_id; /* host order */
};

/* Fill r from a rule message: 0, or -EINVAL if it is not one or is cut. */
int rtnl_rule_parse(const struct nlmsghdr *nlh, struct rtnl_rule *r);

/* A request from r into buf (RTNL_REQ_BUFSZ bytes): the header's fields
 * as they are, each has_* attribute, table above 255 as FRA_TABLE. */
struct nlmsghdr *rtnl_rule_build(void *buf, uint16_t type, uint16_t nlflags,
				 const struct rtnl_rule *r);

#endif
