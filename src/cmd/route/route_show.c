/* SPDX-License-Identifier: Apache-2.0 */
/* The routing tables as net-tools 2.10 prints them.
 *
 * IPv4 comes from an rtnetlink dump of the main table (what
 * /proc/net/route lists), converted to the values that file would show:
 * it is about twice as fast as reading the text file. IPv6 is read from
 * /proc/net/ipv6_route because its Ref column (the fib6 reference count)
 * exists nowhere else. Rows stream out; nothing is kept per route. */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cmd/route/route.h"

/* Interface names by index, asked of the kernel one index at a time
 * (SIOCGIFNAME) when a route first names it: a table names few devices,
 * and a list of every link (if_nameindex: a full link dump with its
 * counters) costs ~10 ms on a host with a few thousand links. */
struct ifnames {
	char (*by_index)[IF_NAMESIZE]; /* "" not asked yet */
	unsigned cap;
};

static void ifnames_free(struct ifnames *t)
{
	free(t->by_index);
}

static void ifname(struct ifnames *t, int idx, char *out)
{
	if (idx > 0 && (unsigned)idx < t->cap && t->by_index[idx][0]) {
		memcpy(out, t->by_index[idx], IF_NAMESIZE);
		return;
	}
	if (idx <= 0 || !if_indextoname((unsigned)idx, out))
		snprintf(out, IF_NAMESIZE, "*");
	if (idx <= 0 || idx >= 1 << 20)
		return; /* not worth a slot */
	if ((unsigned)idx >= t->cap) {
		unsigned ncap = (unsigned)idx + 64;
		char(*n)[IF_NAMESIZE] = realloc(t->by_index, ncap * sizeof(*n));
		if (!n)
			return;
		memset(n + t->cap, 0, (ncap - t->cap) * sizeof(*n));
		t->by_index = n;
		t->cap = ncap;
	}
	memcpy(t->by_index[idx], out, IF_NAMESIZE);
}

/* The first nexthop, as /proc/net/route shows only that one; returns
 * whether it has a gateway of any family. */
static bool first_hop(const struct rtnl_route *r, int *oif, uint32_t *gw)
{
	*oif = r->has_oif ? (int)r->oif : 0;
	*gw = 0;
	bool has_gw = r->has_gw;
	uint8_t fam = r->gw_family;
	if (r->has_gw && r->gw_family == AF_INET)
		memcpy(gw, r->gw, 4);
	struct rtnl_nexthop nh;
	const void *it = NULL;
	if (!r->has_oif && !r->has_gw && rtnl_route_nexthop(r, &it, &nh)) {
		*oif = (int)nh.ifindex;
		has_gw = nh.has_gw;
		fam = nh.gw_family;
		if (nh.has_gw && nh.gw_family == AF_INET)
			memcpy(gw, nh.gw, 4);
	}
	return has_gw && (fam != AF_INET || *gw);
}

static void metrics(const struct rtnl_route *r, struct route4_row *row)
{
	const struct nlattr *a;
	if (!r->metrics)
		return;
	mnl_attr_for_each_nested(a, r->metrics)
	{
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			continue;
		uint32_t v = mnl_attr_get_u32(a);
		switch (mnl_attr_get_type(a)) {
		case RTAX_ADVMSS: row->mss = v ? (int)(v + 40) : 0; break;
		case RTAX_WINDOW: row->window = (int)v; break;
		case RTAX_RTT: row->irtt = (int)(v >> 3); break;
		}
	}
}

bool route4_row_from(const struct rtnl_route *r, struct route4_row *row, int *oif)
{
	if (r->family != AF_INET || r->type == RTN_BROADCAST || r->type == RTN_MULTICAST)
		return false;
	memset(row, 0, sizeof(*row));
	if (r->has_dst)
		memcpy(&row->dst, r->dst, 4);
	row->mask = route_mask(r->dst_len);
	row->flags = RT_F_UP;
	if (r->type == RTN_UNREACHABLE || r->type == RTN_PROHIBIT)
		row->flags |= RT_F_REJECT;
	/* G for any gateway; only an IPv4 one has an address to show */
	if (first_hop(r, oif, &row->gw))
		row->flags |= RT_F_GATEWAY;
	if (r->dst_len == 32)
		row->flags |= RT_F_HOST;
	row->metric = (int)r->priority;
	metrics(r, row);
	return true;
}

struct show_ctx {
	const struct route_opts *o;
	struct emit *e;
	struct ifnames ifn;
	struct route_names *names;
	char line[ROUTE_LINE_MAX];
};

static void json4(struct show_ctx *c, const struct route4_row *row, const char *dst, const char *gw,
		  const char *mask)
{
	struct emit *e = c->e;
	char flags[32];
	bool rej = row->flags & RT_F_REJECT;
	route4_flags_str(row->flags, flags);
	emit_obj_open(e, NULL);
	emit_str(e, "destination", NULL, dst);
	rej ? emit_null(e, "gateway", NULL) : emit_str(e, "gateway", NULL, gw);
	emit_str(e, "genmask", NULL, mask);
	emit_str(e, "flags", NULL, flags);
	emit_int(e, "metric", NULL, row->metric);
	rej ? emit_null(e, "ref", NULL) : emit_int(e, "ref", NULL, row->ref);
	emit_int(e, "use", NULL, row->use);
	rej ? emit_null(e, "iface", NULL) : emit_str(e, "iface", NULL, row->iface);
	if (rej) {
		emit_null(e, "mss", NULL);
		emit_null(e, "window", NULL);
		emit_null(e, "irtt", NULL);
	} else {
		emit_int(e, "mss", NULL, row->mss);
		emit_int(e, "window", NULL, row->window);
		emit_int(e, "irtt", NULL, row->irtt);
	}
	emit_obj_close(e);
}

static int show4_one(const struct rtnl_route *r, const struct nlmsghdr *nlh, void *data)
{
	struct show_ctx *c = data;
	struct route4_row row;
	int oif;
	(void)nlh;
	/* the main table only, as /proc/net/route */
	if (r->table != RT_TABLE_MAIN || !route4_row_from(r, &row, &oif))
		return MNL_CB_OK;
	if (c->o->ext == 0 && !c->o->json)
		return MNL_CB_OK;
	ifname(&c->ifn, oif, row.iface);
	char b1[16], b2[16], b3[16];
	bool num = c->o->numeric;
	const char *dst =
		route_name4(c->names, row.dst, row.flags & RT_F_HOST, num, row.mask == 0, b1);
	const char *gw = route_name4(c->names, row.gw, true, num, false, b2);
	route_ntoa(row.mask, b3);
	if (c->o->json) {
		json4(c, &row, dst, gw, b3);
		return MNL_CB_OK;
	}
	size_t n = route4_line(&row, dst, gw, b3, c->o->ext, c->line);
	emit_raw(c->e, c->line, n);
	return MNL_CB_OK;
}

static int show4_fib(struct show_ctx *c)
{
	struct nl_sock s;
	struct nl_err err;
	int r = nl_open(&s, NETLINK_ROUTE, NULL);
	if (r < 0) {
		fprintf(stderr, "netkit route: cannot open rtnetlink: %s\n", strerror(-r));
		return 1;
	}
	/* the kernel then walks the main table only (what /proc/net/route
	 * shows), however big the others are; without it (kernels before
	 * 4.20) the callback's own table test still holds */
	nl_set_strict(&s);
	emit_text(c->e, "Kernel IP routing table\n");
	if (route4_header(c->o->ext, 0, c->line))
		emit_text(c->e, "%s", c->line);
	r = rtnl_route_dump(&s, AF_INET, RT_TABLE_MAIN, show4_one, c, &err);
	nl_close(&s);
	if (r == -ENOENT)
		return 1; /* no main table yet (a namespace whose lo never came up):
			   * /proc/net/route is empty then, and net-tools prints
			   * the header alone and fails the same way */
	if (r < 0) {
		emit_flush(c->e);
		fprintf(stderr, "netkit route: route dump failed: %s%s%s\n", strerror(-r),
			err.msg[0] ? ": " : "", err.msg);
		return 1;
	}
	return 0;
}

/* Kernels since 3.6 have no IPv4 routing cache: the file holds only its
 * header line, and net-tools prints the table's header and no rows. */
static int show4_cache(struct show_ctx *c)
{
	FILE *f = fopen("/proc/net/rt_cache", "r");
	if (!f) {
		emit_flush(c->e);
		perror("/proc/net/rt_cache");
		emit_text(c->e, "INET (IPv4) not configured in this system.\n");
		return 1;
	}
	char buf[1024];
	unsigned rows = 0;
	while (fgets(buf, sizeof(buf), f))
		rows++;
	fclose(f);
	emit_text(c->e, "Kernel IP routing cache\n");
	if (route4_header(c->o->ext, 1, c->line))
		emit_text(c->e, "%s", c->line);
	if (rows > 1) {
		emit_flush(c->e);
		fprintf(stderr, "netkit route: routing cache entries (kernels before 3.6) are "
				"not supported\n");
		return 1;
	}
	return 0;
}

static void show6_row(struct show_ctx *c, const struct route6_row *row)
{
	char dst[ROUTE_NAME_MAX + 8], gw[ROUTE_NAME_MAX];
	route_name6(row->dst, c->o->numeric, dst, ROUTE_NAME_MAX);
	size_t l = strlen(dst);
	snprintf(dst + l, sizeof(dst) - l, "/%u", row->plen);
	route_name6(row->gw, c->o->numeric, gw, sizeof(gw));
	if (!c->o->json) {
		size_t n = route6_line(row, dst, gw, c->line);
		emit_raw(c->e, c->line, n);
		return;
	}
	char flags[32];
	route6_flags_str(row->flags, flags);
	struct emit *e = c->e;
	emit_obj_open(e, NULL);
	emit_str(e, "destination", NULL, dst);
	emit_str(e, "next_hop", NULL, gw);
	emit_str(e, "flags", NULL, flags);
	emit_int(e, "metric", NULL, row->metric);
	emit_int(e, "ref", NULL, row->ref);
	emit_int(e, "use", NULL, row->use);
	emit_str(e, "iface", NULL, row->iface);
	emit_obj_close(e);
}

static int show6(struct show_ctx *c, bool cache)
{
	FILE *f = fopen("/proc/net/ipv6_route", "r");
	if (!f) {
		emit_flush(c->e);
		perror("/proc/net/ipv6_route");
		emit_text(c->e, "INET6 (IPv6) not configured in this system.\n");
		return 1;
	}
	emit_text(c->e, cache ? "Kernel IPv6 routing cache\n" : "Kernel IPv6 routing table\n");
	emit_text(c->e, "Destination                    Next Hop                   Flag Met Ref  "
			"Use If\n");
	char buf[512];
	struct route6_row row;
	while (fgets(buf, sizeof(buf), f)) {
		/* unlike its IPv4 table, net-tools 2.10 lists routes that are
		 * not up here (the reject routes) */
		if (route6_parse_line(buf, &row) < 0)
			continue;
		if (cache && !(row.flags & RT_F_CACHE))
			continue;
		show6_row(c, &row);
	}
	fclose(f);
	return 0;
}

static int show_af(struct show_ctx *c, int af)
{
	int rc = 0;
	if (af != AF_INET && af != AF_INET6) {
		emit_flush(c->e);
		return route_show_other(af);
	}
	if (c->o->fib)
		rc = af == AF_INET ? show4_fib(c) : show6(c, false);
	if (!rc && c->o->cache)
		rc = af == AF_INET ? show4_cache(c) : show6(c, true);
	return rc;
}

int route_show(const struct route_opts *o)
{
	struct show_ctx *c = calloc(1, sizeof(*c));
	struct emit *e = malloc(sizeof(*e));
	if (!c || !e) {
		free(c);
		free(e);
		fprintf(stderr, "netkit route: out of memory\n");
		return 1;
	}
	c->o = o;
	c->e = e;
	emit_init(e, 1, o->json ? EMIT_JSON : EMIT_TEXT, o->pretty ? EMIT_PRETTY : 0);
	if (!o->numeric)
		c->names = route_names_new();
	emit_arr_open(e, NULL);
	int rc = 0;
	for (unsigned i = 0; i < o->naf && !rc; i++)
		rc = show_af(c, o->af[i]);
	emit_arr_close(e);
	int w = emit_finish(e);
	ifnames_free(&c->ifn);
	route_names_free(c->names);
	free(c);
	free(e);
	if (!rc && w < 0) {
		fprintf(stderr, "netkit route: write error: %s\n", strerror(-w));
		rc = 1;
	}
	return rc;
}
