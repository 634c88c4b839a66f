/* SPDX-License-Identifier: Apache-2.0 */
/* Internal to ip route: the selectors of `ip route show` and the
 * printer they share with `ip route get` and `ip monitor`. */
#ifndef NETKIT_CMD_IP_ROUTE_PRIV_H
#define NETKIT_CMD_IP_ROUTE_PRIV_H

#include "cmd/ip/ip.h"
#include "lib/nl/rtnl_route.h"

struct route_filter {
	uint32_t table; /* 0: all */
	bool cloned;
	int family;
	struct ip_prefix rdst, mdst, rsrc, msrc;
	bool has_rdst, has_mdst, has_rsrc, has_msrc;
	uint32_t oif, iif;
	bool proto_set, scope_set, type_set, metric_set, realm_set;
	uint8_t proto, scope;
	uint32_t typemask;
	uint32_t metric;
	bool via_exact, src_exact;
	struct ip_prefix via, prefsrc;
	bool has_via, has_prefsrc;
	uint8_t tos;
	bool tos_set;
};

void ip_print_route(struct ip_ctx *c, const struct rtnl_route *r, const struct route_filter *f);
void ip_print_flow(struct ip_ctx *c, uint32_t flow);
/* The flags array of a route or nexthop ("onlink ", "linkdown ", ...). */
void ip_print_rt_flags(struct ip_ctx *c, unsigned flags);
int ip_route_usage(void);
int ip_route_change(struct ip_ctx *c, int cmd, int flags, int argc, char **argv);

#endif
