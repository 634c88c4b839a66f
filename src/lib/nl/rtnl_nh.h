/* SPDX-License-Identifier: Apache-2.0 */
/* Nexthop objects (RTM_NEWNEXTHOP / RTM_DELNEXTHOP) as plain records,
 * every attribute checked for its size, and the same record builds an
 * add, replace, delete or get request. Pure functions on buffers: `ip
 * nexthop` and the nh_info lines of `ip -d route` go through them. */
#ifndef NETKIT_NL_RTNL_NH_H
#define NETKIT_NL_RTNL_NH_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/nexthop.h>
#include <linux/rtnetlink.h>

#include "lib/nl/nl.h"

struct rtnl_nh {
	uint16_t msg_type;
	uint8_t family, scope, protocol;
	uint32_t flags; /* RTNH_F_* */
	uint32_t id, oif;
	bool has_id, has_oif, blackhole, fdb, has_gw, has_group_type, has_res;
	uint8_t gw_len;
	uint8_t gw[16];
	const struct nexthop_grp *group; /* into the message; ngroup entries */
	unsigned ngroup;
	uint16_t group_type;
	/* resilient group: buckets, and the timers in clock ticks (USER_HZ) */
	uint16_t buckets;
	uint32_t idle_timer, unbalanced_timer;
	uint64_t unbalanced_time;
	bool has_encap;
	uint16_t encap_type;
};

/* Fill n from a nexthop message: 0, or -EINVAL if it is not one or is cut. */
int rtnl_nh_parse(const struct nlmsghdr *nlh, struct rtnl_nh *n);

/* What a request carries beyond the header: group entries to send (and
 * their count), and the resilient group's arguments when set. */
struct rtnl_nhobj_req {
	struct rtnl_nh nh;
	const struct nexthop_grp *group;
	unsigned ngroup;
	bool buckets_set, idle_set, unbalanced_set;
};

/* A request from r into buf (RTNL_REQ_BUFSZ bytes); NULL if the group
 * does not fit. */
struct nlmsghdr *rtnl_nhobj_build(void *buf, uint16_t type, uint16_t nlflags,
				  const struct rtnl_nhobj_req *r);

#endif
