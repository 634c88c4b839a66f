/* SPDX-License-Identifier: Apache-2.0 */
/* netkit route: the pieces shared by the option parser (route.c), the
 * table display (route_show.c), name lookups (route_names.c) and the
 * add/del commands (route_edit.c). */
#ifndef NETKIT_CMD_ROUTE_H
#define NETKIT_CMD_ROUTE_H

#include <stdbool.h>
#include <stdint.h>

#include "cmd/route/route_fmt.h"
#include "lib/emit/emit.h"
#include "lib/nl/rtnl_route.h"

/* net-tools' exit codes */
#define ROUTE_E_NOSUPP 1
#define ROUTE_E_INTERN 2
#define ROUTE_E_OPTERR 3
#define ROUTE_E_USAGE 4
#define ROUTE_E_LOOKUP 6
#define ROUTE_E_SOCK 7

#define ROUTE_MAX_AF 8

struct route_opts {
	int ext;      /* -e level: 1 default, 2 -e, 3 -ee, 0 -eee (cycles) */
	bool numeric; /* -n / -N */
	bool fib, cache;
	bool verbose;
	bool json, pretty;
	int af[ROUTE_MAX_AF]; /* AF_INET / AF_INET6, in the order given */
	unsigned naf;
};

/* Address-to-name cache, as net-tools keeps one (per address and kind). */
struct route_names;
struct route_names *route_names_new(void);
void route_names_free(struct route_names *n);
/* Destination (host: RTF_HOST route) or gateway name of an IPv4 address,
 * at most 15 characters as net-tools shows them; dest: the destination of
 * a /0 route, which is "default". Returns out (16 bytes)
 * or a cached name. */
const char *route_name4(struct route_names *n, uint32_t addr, bool host, bool numeric, bool dest,
			char *out);
/* IPv6 address as net-tools shows it: "[::]" for the unspecified address
 * unless numeric, else the reverse name or the numeric form. */
void route_name6(const uint8_t *addr, bool numeric, char *out, size_t size);

/* Show every table of o->af; returns the exit code. */
int route_show(const struct route_opts *o);

/* IPv4 row of an rtnetlink route as /proc/net/route would show it, and
 * the first nexthop's interface; returns false for route types
 * /proc/net/route leaves out. row->iface is not set. */
bool route4_row_from(const struct rtnl_route *r, struct route4_row *row, int *oif);

/* net-tools' other routing families (AF_AX25, AF_NETROM, AF_ROSE,
 * AF_IPX, AF_APPLETALK, AF_X25): their display and add/del/flush/help. */
int route_show_other(int af);
int route_edit_other(int af, const char *verb, char **args);

/* `route add|del ...` for the first family; args after the verb. */
int route_edit(const struct route_opts *o, bool add, char **args);
void route_usage_inet(bool to_stderr);
void route_usage_inet6(bool to_stderr);

#endif
