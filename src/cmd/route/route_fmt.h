/* SPDX-License-Identifier: Apache-2.0 */
/* net-tools `route` output, as pure functions: flag letters, the fixed
 * column lines of the IPv4 and IPv6 tables, /proc/net/ipv6_route lines.
 * Everything writes into caller buffers so that it can be unit-tested and
 * is fast enough for tables of half a million routes. */
#ifndef NETKIT_CMD_ROUTE_FMT_H
#define NETKIT_CMD_ROUTE_FMT_H

#include <stddef.h>
#include <stdint.h>

/* RTF_* as the kernel reports them in /proc/net/route and ipv6_route. */
#define RT_F_UP 0x0001u
#define RT_F_GATEWAY 0x0002u
#define RT_F_HOST 0x0004u
#define RT_F_REINSTATE 0x0008u
#define RT_F_DYNAMIC 0x0010u
#define RT_F_MODIFIED 0x0020u
#define RT_F_REJECT 0x0200u
#define RT_F_DEFAULT 0x00010000u
#define RT_F_ALLONLINK 0x00020000u
#define RT_F_ADDRCONF 0x00040000u
#define RT_F_NONEXTHOP 0x00200000u
#define RT_F_EXPIRES 0x00400000u
#define RT_F_CACHE 0x01000000u
#define RT_F_FLOW 0x02000000u

#define ROUTE_NAME_MAX 256

/* One row of the IPv4 table, values as /proc/net/route has them. */
struct route4_row {
	uint32_t dst, gw, mask; /* network byte order */
	unsigned flags;		/* RT_F_* */
	int metric, ref, use;
	int mss, window, irtt;
	char iface[16];
};

/* One row of the IPv6 table (a /proc/net/ipv6_route line). */
struct route6_row {
	uint8_t dst[16], gw[16];
	unsigned plen;
	int metric, ref, use;
	unsigned flags;
	char iface[16];
};

/* Flag letters as net-tools prints them; out needs 32 bytes. */
void route4_flags_str(unsigned flags, char *out);
void route6_flags_str(unsigned flags, char *out);

/* Dotted quad of a network-order address; out needs 16 bytes. Returns
 * the length. */
size_t route_ntoa(uint32_t addr, char *out);
/* Contiguous netmask (network order) of a prefix length. */
uint32_t route_mask(unsigned plen);

/* ext is net-tools' -e level: 1 plain, 2 (-e), 3 (-ee); 0 prints no rows.
 * dst/gw/mask are the already resolved names (at most 15 characters are
 * used, as net-tools cuts them). Returns the line length (with '\n');
 * out needs ROUTE_LINE_MAX bytes. */
#define ROUTE_LINE_MAX 1024
size_t route4_line(const struct route4_row *r, const char *dst, const char *gw, const char *mask,
		   int ext, char *out);
size_t route4_header(int ext, int cache, char *out);

size_t route6_line(const struct route6_row *r, const char *dst, const char *gw, char *out);

/* Parse one /proc/net/ipv6_route line. Returns 0, or -EINVAL. */
int route6_parse_line(const char *line, struct route6_row *r);

#endif
