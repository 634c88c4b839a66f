/* SPDX-License-Identifier: Apache-2.0 */
/* Routes out of rtnetlink as plain records: one RTM_NEWROUTE/DELROUTE
 * message becomes a struct rtnl_route (validated attributes, addresses
 * copied out), and a dump streams records to a callback one at a time so
 * that a 500k-route table never sits in memory. Shared by `ip route` and
 * net-tools `route`. */
#ifndef NETKIT_NL_RTNL_ROUTE_H
#define NETKIT_NL_RTNL_ROUTE_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/rtnetlink.h>

#include "lib/nl/nl.h"

struct rtnl_nexthop {
	uint32_t ifindex;
	uint8_t flags;
	uint8_t hops; /* weight - 1 */
	bool has_gw;
	uint8_t gw_family; /* RTA_VIA gives another family than the route's */
	uint8_t gw[16];
	uint32_t flow;
	bool has_flow;
};

/* What a route message says. Pointers (metrics, multipath, cacheinfo,
 * encap) point into the message and live as long as it does. */
struct rtnl_route {
	uint16_t msg_type; /* RTM_NEWROUTE or RTM_DELROUTE */
	uint8_t family, dst_len, src_len, tos, protocol, scope, type;
	uint32_t flags;
	uint32_t table; /* RTA_TABLE, else rtm_table */
	bool has_dst, has_src, has_gw, has_prefsrc, has_oif, has_iif, has_prio, has_mark, has_uid,
		has_flow, has_pref, has_nhid, has_expires;
	uint8_t gw_family; /* family of gw: the route's, or RTA_VIA's */
	uint8_t dst[16], src[16], gw[16], prefsrc[16];
	uint32_t oif, iif, priority, mark, uid, flow, nhid;
	uint8_t pref;
	const struct rta_cacheinfo *cacheinfo;
	const struct nlattr *metrics;	/* nested RTAX_* */
	const struct nlattr *multipath; /* struct rtnexthop list */
	const struct nlattr *encap;
	uint16_t encap_type;
	const struct nlattr *newdst;
};

/* Bytes in an address of family (4, 16, 2 for AF_MPLS labels...), 0 if
 * unknown. */
unsigned rtnl_addr_len(int family);

/* Fill r from one route message. -EINVAL if it is not a route or is
 * malformed; 0 otherwise. */
int rtnl_route_parse(const struct nlmsghdr *nlh, struct rtnl_route *r);

/* Walk the multipath list: start with *it = NULL; returns false at the
 * end or at the first malformed entry. */
bool rtnl_route_nexthop(const struct rtnl_route *r, const void **it, struct rtnl_nexthop *nh);

typedef int (*rtnl_route_cb)(const struct rtnl_route *r, const struct nlmsghdr *nlh, void *data);

/* Dump routes of family (AF_UNSPEC: all) and hand each to cb (cb returns
 * MNL_CB_OK/STOP/ERROR like an nl_cb). table is only a hint to the kernel
 * (0: all tables); callers still filter. */
int rtnl_route_dump(struct nl_sock *s, int family, uint32_t table, rtnl_route_cb cb, void *data,
		    struct nl_err *err);

/* What a dump asks the kernel to filter on. On a socket with strict
 * checking (nl_set_strict) the kernel then builds only the routes that
 * pass, which is most of a dump's cost; without it the fields are hints
 * and callers still filter. cloned: the route exceptions (PMTU, redirects)
 * instead of the routes. 0 / false: no filter. */
struct rtnl_route_sel {
	int family;
	uint32_t table;
	uint8_t protocol;
	uint32_t oif;
	bool cloned;
};
int rtnl_route_dump_sel(struct nl_sock *s, const struct rtnl_route_sel *q, rtnl_route_cb cb,
			void *data, struct nl_err *err);

#endif
