/* SPDX-License-Identifier: Apache-2.0 */
/* --iflist: the interfaces, addresses and routes as nmap prints them,
 * read over rtnetlink (lib/nl). Routes are those nmap reads: IPv4's main
 * table and every IPv6 table, ordered as nmap orders them (longest prefix
 * first, then lowest metric, then address). */
#include "cmd/nmap/nmap.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if_arp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <stdio.h>

#include "lib/nl/nl.h"
#include "lib/nl/rtnl_route.h"

struct ifl_link {
	int index;
	char name[IF_NAMESIZE];
	unsigned type, mtu;
	bool up;
	uint8_t mac[6];
	bool has_mac;
};

struct ifl_addr {
	int index, family, plen;
	uint8_t a[16];
	size_t rank; /* IPv6: line in /proc/net/if_inet6; else dump order */
};

struct ifl_route {
	int family, plen;
	uint8_t dst[16], gw[16];
	bool has_gw;
	unsigned oif, metric;
	size_t seq;
};

struct iflist {
	struct ifl_link *links;
	size_t nlinks;
	struct ifl_addr *addrs;
	size_t naddrs;
	struct ifl_route *routes;
	size_t nroutes;
};

static void *grow(void *v, size_t n, size_t sz)
{
	/* capacity doubles at powers of two */
	if (n && (n & (n - 1)))
		return v;
	return realloc(v, (n ? n * 2 : 8) * sz);
}

static int on_link(const struct nlmsghdr *nlh, void *data)
{
	struct iflist *l = data;
	static const struct nl_policy pol[IFLA_MAX + 1] = {
		[IFLA_IFNAME] = {MNL_TYPE_NUL_STRING, 0},
		[IFLA_MTU] = {MNL_TYPE_U32, 0},
	};
	const struct nlattr *tb[IFLA_MAX + 1] = {0};
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	if (nlh->nlmsg_type != RTM_NEWLINK || nl_parse(nlh, sizeof(*ifi), pol, IFLA_MAX, tb) < 0 ||
	    !tb[IFLA_IFNAME])
		return MNL_CB_OK;
	struct ifl_link *v = grow(l->links, l->nlinks, sizeof(*v));
	if (!v)
		return MNL_CB_ERROR;
	l->links = v;
	struct ifl_link *k = &v[l->nlinks++];
	memset(k, 0, sizeof(*k));
	k->index = ifi->ifi_index;
	k->type = ifi->ifi_type;
	k->up = ifi->ifi_flags & IFF_UP;
	snprintf(k->name, sizeof(k->name), "%s", mnl_attr_get_str(tb[IFLA_IFNAME]));
	if (tb[IFLA_MTU])
		k->mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_ADDRESS] && mnl_attr_get_payload_len(tb[IFLA_ADDRESS]) == 6) {
		memcpy(k->mac, mnl_attr_get_payload(tb[IFLA_ADDRESS]), 6);
		k->has_mac = true;
	}
	return MNL_CB_OK;
}

static int on_addr(const struct nlmsghdr *nlh, void *data)
{
	struct iflist *l = data;
	const struct nlattr *tb[IFA_MAX + 1] = {0};
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	if (nlh->nlmsg_type != RTM_NEWADDR || nl_parse(nlh, sizeof(*ifa), NULL, IFA_MAX, tb) < 0)
		return MNL_CB_OK;
	const struct nlattr *a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	size_t alen = ifa->ifa_family == AF_INET ? 4 : 16;
	if (!a || mnl_attr_get_payload_len(a) != alen)
		return MNL_CB_OK;
	struct ifl_addr *v = grow(l->addrs, l->naddrs, sizeof(*v));
	if (!v)
		return MNL_CB_ERROR;
	l->addrs = v;
	struct ifl_addr *x = &v[l->naddrs++];
	memset(x, 0, sizeof(*x));
	x->index = (int)ifa->ifa_index;
	x->family = ifa->ifa_family;
	x->plen = ifa->ifa_prefixlen;
	memcpy(x->a, mnl_attr_get_payload(a), alen);
	x->rank = l->naddrs + 1000000;
	return MNL_CB_OK;
}

static int addr_cmp(const void *pa, const void *pb)
{
	const struct ifl_addr *a = pa, *b = pb;
	return a->rank < b->rank ? -1 : a->rank > b->rank;
}

/* nmap lists IPv6 addresses in the order of /proc/net/if_inet6 (the
 * kernel's hash order); the addresses themselves come from rtnetlink,
 * only their order from there. Without the file, dump order stays. */
static void order_v6(struct iflist *l)
{
	char *text, *p, *save = NULL;
	size_t line = 0;
	if (svc_read_file("/proc/net/if_inet6", &text) < 0)
		return;
	for (p = strtok_r(text, "\n", &save); p; p = strtok_r(NULL, "\n", &save), line++) {
		uint8_t a[16];
		unsigned idx;
		if (sscanf(p, "%*32s %x", &idx) != 1 || strlen(p) < 32)
			continue;
		for (int i = 0; i < 16; i++)
			sscanf(p + 2 * i, "%2hhx", &a[i]);
		for (size_t j = 0; j < l->naddrs; j++)
			if (l->addrs[j].family == AF_INET6 && (unsigned)l->addrs[j].index == idx &&
			    !memcmp(l->addrs[j].a, a, 16))
				l->addrs[j].rank = line;
	}
	free(text);
	if (l->naddrs > 1)
		qsort(l->addrs, l->naddrs, sizeof(*l->addrs), addr_cmp);
}

static int on_route(const struct rtnl_route *r, const struct nlmsghdr *nlh, void *data)
{
	struct iflist *l = data;
	(void)nlh;
	if (r->msg_type != RTM_NEWROUTE || (r->family == AF_INET && r->table != RT_TABLE_MAIN))
		return MNL_CB_OK;
	if (r->family == AF_INET && r->type != RTN_UNICAST)
		return MNL_CB_OK;
	if (r->family == AF_INET6 && r->type == RTN_UNREACHABLE && !r->has_oif)
		return MNL_CB_OK;
	struct ifl_route *v = grow(l->routes, l->nroutes, sizeof(*v));
	if (!v)
		return MNL_CB_ERROR;
	l->routes = v;
	struct ifl_route *x = &v[l->nroutes];
	memset(x, 0, sizeof(*x));
	x->seq = l->nroutes++;
	x->family = r->family;
	x->plen = r->dst_len;
	memcpy(x->dst, r->dst, sizeof(x->dst));
	x->has_gw = r->has_gw && r->gw_family == r->family;
	memcpy(x->gw, r->gw, sizeof(x->gw));
	x->oif = r->oif;
	x->metric = r->has_prio ? r->priority : 0;
	return MNL_CB_OK;
}

static int route_cmp(const void *pa, const void *pb)
{
	const struct ifl_route *a = pa, *b = pb;
	if (a->family != b->family)
		return a->family == AF_INET ? -1 : 1;
	if (a->plen != b->plen)
		return b->plen - a->plen;
	if (a->metric != b->metric)
		return a->metric < b->metric ? -1 : 1;
	int c = memcmp(a->dst, b->dst, a->family == AF_INET ? 4 : 16);
	if (c)
		return c;
	return a->seq < b->seq ? -1 : 1;
}

static int iflist_load(struct iflist *l)
{
	struct nl_sock s;
	struct nl_err err;
	char buf[256];
	int rc = nl_open(&s, NETLINK_ROUTE, NULL);
	if (rc < 0)
		return rc;
	struct nlmsghdr *nlh = nl_msg_start(&s, buf, RTM_GETLINK, NLM_F_DUMP);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	rc = nl_talk(&s, nlh, on_link, l, &err);
	if (rc == 0) {
		nlh = nl_msg_start(&s, buf, RTM_GETADDR, NLM_F_DUMP);
		struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
		ifa->ifa_family = AF_UNSPEC;
		rc = nl_talk(&s, nlh, on_addr, l, &err);
	}
	if (rc == 0)
		rc = rtnl_route_dump(&s, AF_INET, RT_TABLE_MAIN, on_route, l, &err);
	if (rc == 0)
		rc = rtnl_route_dump(&s, AF_INET6, 0, on_route, l, &err);
	nl_close(&s);
	if (rc == 0)
		order_v6(l);
	if (rc == 0 && l->nroutes > 1)
		qsort(l->routes, l->nroutes, sizeof(*l->routes), route_cmp);
	return rc;
}

struct row {
	char c[7][64];
};

static const char *link_type(unsigned t)
{
	switch (t) {
	case ARPHRD_LOOPBACK: return "loopback";
	case ARPHRD_ETHER: return "ethernet";
	case ARPHRD_PPP: return "point2point";
	default: return "other";
	}
}

static void addr_row(const struct ifl_link *k, const struct ifl_addr *a, struct row *r)
{
	char ab[INET6_ADDRSTRLEN] = "(none)";
	if (a)
		inet_ntop(a->family, a->a, ab, sizeof(ab));
	snprintf(r->c[0], sizeof(r->c[0]), "%s", k->name);
	snprintf(r->c[1], sizeof(r->c[1]), "(%s)", k->name);
	snprintf(r->c[2], sizeof(r->c[2]), "%s/%d", ab, a ? a->plen : 0);
	snprintf(r->c[3], sizeof(r->c[3]), "%s", link_type(k->type));
	snprintf(r->c[4], sizeof(r->c[4]), "%s", k->up ? "up" : "down");
	snprintf(r->c[5], sizeof(r->c[5]), "%u", k->mtu);
	r->c[6][0] = '\0';
	if (k->type == ARPHRD_ETHER && k->has_mac)
		snprintf(r->c[6], sizeof(r->c[6]), "%02X:%02X:%02X:%02X:%02X:%02X", k->mac[0],
			 k->mac[1], k->mac[2], k->mac[3], k->mac[4], k->mac[5]);
}

/* Columns padded to their widest cell, one space apart, no trailing
 * blanks (nmap's table layout). */
static void print_rows(struct emit *e, const struct row *rows, size_t n, int ncol)
{
	int w[7] = {0};
	for (size_t i = 0; i < n; i++)
		for (int j = 0; j < ncol; j++) {
			int l = (int)strlen(rows[i].c[j]);
			w[j] = l > w[j] ? l : w[j];
		}
	for (size_t i = 0; i < n; i++) {
		int last = ncol - 1;
		while (last > 0 && !rows[i].c[last][0])
			last--;
		for (int j = 0; j <= last; j++) {
			if (j < last)
				emit_text(e, "%-*s ", w[j], rows[i].c[j]);
			else
				emit_text(e, "%s", rows[i].c[j]);
		}
		emit_text(e, "\n");
	}
}

static bool has_v4(const struct iflist *l, int index)
{
	for (size_t j = 0; j < l->naddrs; j++)
		if (l->addrs[j].index == index && l->addrs[j].family == AF_INET)
			return true;
	return false;
}

/* Per interface: its IPv4 addresses (or "(none)/0"), then IPv6 ones. */
static size_t link_rows(const struct iflist *l, struct row *rows)
{
	size_t n = 0;
	for (size_t i = 0; i < l->nlinks; i++) {
		const struct ifl_link *k = &l->links[i];
		if (!has_v4(l, k->index))
			addr_row(k, NULL, &rows[n++]);
		for (int fam = AF_INET; fam; fam = fam == AF_INET ? AF_INET6 : 0)
			for (size_t j = 0; j < l->naddrs; j++) {
				const struct ifl_addr *a = &l->addrs[j];
				if (a->index == k->index && a->family == fam)
					addr_row(k, a, &rows[n++]);
			}
	}
	return n;
}

static void route_row(const struct iflist *l, const struct ifl_route *r, struct row *row)
{
	char d[INET6_ADDRSTRLEN], g[INET6_ADDRSTRLEN] = "";
	inet_ntop(r->family, r->dst, d, sizeof(d));
	if (r->has_gw)
		inet_ntop(r->family, r->gw, g, sizeof(g));
	snprintf(row->c[0], sizeof(row->c[0]), "%s/%d", d, r->plen);
	row->c[1][0] = '\0';
	for (size_t i = 0; i < l->nlinks; i++)
		if ((unsigned)l->links[i].index == r->oif)
			snprintf(row->c[1], sizeof(row->c[1]), "%s", l->links[i].name);
	snprintf(row->c[2], sizeof(row->c[2]), "%u", r->metric);
	snprintf(row->c[3], sizeof(row->c[3]), "%s", g);
}

int nmap_iflist(struct emit *e)
{
	struct iflist l = {0};
	int rc = iflist_load(&l);
	size_t cap = l.naddrs + l.nlinks + l.nroutes + 2;
	struct row *rows = rc == 0 ? calloc(cap, sizeof(*rows)) : NULL;
	if (rc == 0 && !rows)
		rc = -ENOMEM;
	if (rc == 0) {
		emit_text(e, "************************INTERFACES************************\n");
		struct row h = {{"DEV", "(SHORT)", "IP/MASK", "TYPE", "UP", "MTU", "MAC"}};
		rows[0] = h;
		size_t n = link_rows(&l, rows + 1) + 1;
		print_rows(e, rows, n, 7);
		emit_text(e, "\n**************************ROUTES**************************\n");
		struct row rh = {{"DST/MASK", "DEV", "METRIC", "GATEWAY"}};
		rows[0] = rh;
		for (size_t i = 0; i < l.nroutes; i++)
			route_row(&l, &l.routes[i], &rows[i + 1]);
		print_rows(e, rows, l.nroutes + 1, 4);
		emit_text(e, "\n");
	}
	emit_flush(e);
	free(rows);
	free(l.links);
	free(l.addrs);
	free(l.routes);
	return rc;
}

int nmap_local_addr(const struct sockaddr_storage *a, bool *local)
{
	struct iflist l = {0};
	int rc = iflist_load(&l);
	const void *want = a->ss_family == AF_INET6
				   ? (const void *)&((const struct sockaddr_in6 *)a)->sin6_addr
				   : (const void *)&((const struct sockaddr_in *)a)->sin_addr;
	size_t len = a->ss_family == AF_INET6 ? 16 : 4;
	*local = false;
	for (size_t i = 0; rc == 0 && i < l.naddrs; i++)
		if (l.addrs[i].family == a->ss_family && !memcmp(l.addrs[i].a, want, len))
			*local = true;
	free(l.links);
	free(l.addrs);
	free(l.routes);
	return rc;
}
