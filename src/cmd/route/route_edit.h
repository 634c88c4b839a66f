/* SPDX-License-Identifier: Apache-2.0 */
/* `route add|del` argument parsing, as net-tools 2.10 reads its words,
 * into requests that do through rtnetlink what its SIOCADDRT/SIOCDELRT
 * ioctls make the kernel do. Separate from the sending so that the
 * parsers can be unit-tested. */
#ifndef NETKIT_CMD_ROUTE_EDIT_H
#define NETKIT_CMD_ROUTE_EDIT_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/rtnetlink.h>

#include "lib/nl/rtnl_req.h"

#define RTE_F_MSS 0x0020u /* RTF_MSS: mss/mtu given */
#define RTE_F_WINDOW 0x0080u
#define RTE_F_IRTT 0x0100u

/* A route change ready for rtnl_route_build(). */
struct route_req {
	uint16_t cmd;	  /* RTM_NEWROUTE / RTM_DELROUTE */
	uint16_t nlflags; /* NLM_F_CREATE for an add, as the ioctl path */
	struct rtnl_route_req r;
	uint32_t metrics[RTAX_MAX + 1];
};

/* The rtentry net-tools would hand to the kernel. */
struct route4_edit {
	uint32_t dst, gw, mask; /* network order; mask 0: none */
	unsigned flags;		/* RT_F_* plus RTE_F_* */
	bool has_gw;
	unsigned metric; /* rt_metric: given metric + 1, 0: none */
	unsigned long mss, window, irtt;
	const char *dev;
};

/* Parse the words after add/del. Prints net-tools' message (and usage)
 * on stderr and returns its exit code on error, 0 on success. */
int route4_parse(char **args, bool add, struct route4_edit *ed);

/* Turn it into the request the kernel's ioctl path builds: returns 0, or
 * -errno as the ioctl would fail before touching the table. ifindex of
 * ed->dev and whether the gateway is a local/broadcast address (not
 * unicast) are given by the caller. */
int route4_to_req(const struct route4_edit *ed, bool add, int ifindex, bool gw_unicast,
		  struct route_req *q);

struct route6_edit {
	uint8_t dst[16], gw[16];
	unsigned plen;
	unsigned flags; /* RT_F_UP, RT_F_HOST, RT_F_GATEWAY, ... */
	unsigned metric;
	const char *dev;
};

int route6_parse(char **args, struct route6_edit *ed);
void route6_to_req(const struct route6_edit *ed, bool add, int ifindex, struct route_req *q);

#endif
