/* SPDX-License-Identifier: Apache-2.0 */
/* ip monitor: live link, address, route, neighbour, netconf, rule and nexthop events,
 * printed as `ip monitor` prints them; with -j one JSON object a line. dev DEVICE
 * and all-nsid as iproute2 6.1 (headers of dropped events included); mroute and
 * stats events are listened to but their printers are not written. */
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <sys/socket.h>

#include <linux/netconf.h>
#include <linux/rtnetlink.h>

#include "cmd/ip/ip.h"
#include "cmd/ip/link_priv.h"
#include "cmd/ip/route_priv.h"
#include "lib/nl/rtnl_nh.h"
#include "lib/nl/rtnl_rule.h"

enum {
	M_LINK = 1,
	M_ADDR = 2,
	M_ROUTE = 4,
	M_NEIGH = 8,
	M_NETCONF = 16,
	M_RULE = 32,
	M_NEXTHOP = 64,
	M_NSID = 128,
	M_PREFIX = 256,
	M_MROUTE = 512,
	M_STATS = 1024
};
#define M_ALL                                                                                      \
	(M_LINK | M_ADDR | M_ROUTE | M_NEIGH | M_NETCONF | M_RULE | M_NEXTHOP | M_NSID |           \
	 M_PREFIX | M_MROUTE | M_STATS)

struct mon {
	struct ip_ctx *c;
	unsigned mask;
	bool banner;
	const char *file;	   /* file FILE: saved messages instead of the kernel's */
	struct ip_ns_names *names; /* nsid events: the names known at the start */
	bool all_nsid;		   /* all-nsid: "[nsid N]" before each event */
	int nsid;		   /* the namespace the event came from, -1 if this */
	int ifindex;		   /* dev DEVICE: only its events (links, addresses, ...) */
	bool explicit_stats;	   /* "stats" said: not joining its group is an error */
};

/* -t / -ts: when the event came, as iproute2's print_timestamp(). */
static void print_timestamp(struct ip_ctx *c)
{
	struct timeval tv;
	struct tm tm;
	char b[64];
	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	if (c->tshort) {
		strftime(b, sizeof(b), "%Y-%m-%dT%H:%M:%S", &tm);
		emit_text(c->out, "[%s.%06ld] ", b, (long)tv.tv_usec);
	} else {
		asctime_r(&tm, b);
		b[strcspn(b, "\n")] = '\0';
		emit_text(c->out, "Timestamp: %s %ld usec\n", b, (long)tv.tv_usec);
	}
	snprintf(b, sizeof(b), "%lld.%06ld", (long long)tv.tv_sec, (long)tv.tv_usec);
	emit_str(c->out, "timestamp", NULL, b);
}

/* NLMSG_TSTAMP, which rtmon writes before each batch: seconds and
 * microseconds, printed in asctime's words and local time. */
#define NLMSG_TSTAMP 15 /* iproute2 (rtmon) only, not the kernel's */

static void print_saved_time(struct ip_ctx *c, const struct nlmsghdr *nlh)
{
	uint32_t t[2] = {0, 0};
	size_t n = mnl_nlmsg_get_payload_len(nlh);
	memcpy(t, mnl_nlmsg_get_payload(nlh), n < sizeof(t) ? n : sizeof(t));
	time_t secs = (time_t)t[0];
	struct tm tm;
	char b[64] = "";
	if (localtime_r(&secs, &tm) && asctime_r(&tm, b))
		b[strcspn(b, "\n")] = '\0';
	emit_text(c->out, "Timestamp: %s %u us\n", b, t[1]);
	emit_finish(c->out);
}

static void print_rule(struct ip_ctx *c, const struct nlmsghdr *nlh)
{
	struct rtnl_rule r;
	if (rtnl_rule_parse(nlh, &r) == 0)
		ip_print_rule(c, &r);
}

static void print_nexthop(struct ip_ctx *c, const struct nlmsghdr *nlh)
{
	struct rtnl_nh n;
	if (rtnl_nh_parse(nlh, &n) == 0) {
		ip_print_nexthop(c, &n);
		emit_text(c->out, "\n");
	}
}

/* prefix flags (the kernel's addrconf.h, not in its uapi) */
#define IF_PREFIX_ONLINK 0x01
#define IF_PREFIX_AUTOCONF 0x02

/* An IPv6 prefix announced in a router advertisement, as iproute2's
 * print_prefix() (its missing space after the length included). */
static void print_prefix(struct ip_ctx *c, const struct nlmsghdr *nlh)
{
	const struct prefixmsg *p = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[PREFIX_MAX + 1];
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*p)) {
		fprintf(stderr, "BUG: wrong nlmsg len %d\n",
			(int)mnl_nlmsg_get_payload_len(nlh) - (int)sizeof(*p));
		return;
	}
	if (p->prefix_family != AF_INET6) {
		fprintf(stderr, "incorrect protocol family: %d\n", p->prefix_family);
		return;
	}
	if (p->prefix_type != 3) { /* ND_OPT_PREFIX_INFORMATION */
		fprintf(stderr, "wrong ND type %d\n", p->prefix_type);
		return;
	}
	if (nl_parse(nlh, sizeof(*p), NULL, PREFIX_MAX, tb) < 0)
		return;
	char b[64];
	const struct nlattr *a = tb[PREFIX_ADDRESS];
	if (a && mnl_attr_get_payload_len(a) >= 16)
		emit_text(c->out, "prefix %s/%u",
			  ip_fmt_host(c, AF_INET6, mnl_attr_get_payload(a), b, sizeof(b)),
			  p->prefix_len);
	emit_text(c->out, "dev %s ", ip_ifname(c, (uint32_t)p->prefix_ifindex, b));
	if (p->prefix_flags & IF_PREFIX_ONLINK)
		emit_text(c->out, "onlink ");
	if (p->prefix_flags & IF_PREFIX_AUTOCONF)
		emit_text(c->out, "autoconf ");
	const struct nlattr *ci = tb[PREFIX_CACHEINFO];
	if (ci && mnl_attr_get_payload_len(ci) >= sizeof(struct prefix_cacheinfo)) {
		struct prefix_cacheinfo pc;
		memcpy(&pc, mnl_attr_get_payload(ci), sizeof(pc));
		emit_text(c->out, "valid %u preferred %u ", pc.valid_time, pc.preferred_time);
	}
	emit_text(c->out, "\n");
}

static unsigned kind_of(uint16_t type, const char **banner)
{
	switch (type) {
	case RTM_NEWLINK:
	case RTM_DELLINK: *banner = "[LINK]"; return M_LINK;
	case RTM_NEWADDR:
	case RTM_DELADDR: *banner = "[ADDR]"; return M_ADDR;
	case RTM_NEWROUTE:
	case RTM_DELROUTE: *banner = "[ROUTE]"; return M_ROUTE;
	case RTM_NEWNEIGH:
	case RTM_DELNEIGH:
	case RTM_GETNEIGH: *banner = "[NEIGH]"; return M_NEIGH;
	case RTM_NEWNETCONF:
	case RTM_DELNETCONF: *banner = "[NETCONF]"; return M_NETCONF;
	case RTM_NEWRULE:
	case RTM_DELRULE: *banner = "[RULE]"; return M_RULE;
	case RTM_NEWNEXTHOP:
	case RTM_DELNEXTHOP: *banner = "[NEXTHOP]"; return M_NEXTHOP;
	case RTM_NEWNSID:
	case RTM_DELNSID: *banner = "[NSID]"; return M_NSID;
	case RTM_NEWPREFIX: *banner = "[PREFIX]"; return M_PREFIX;
	case RTM_NEWSTATS: *banner = "[STATS]"; return M_STATS;
	default: return 0;
	}
}

static int on_link(const struct nlmsghdr *nlh, void *data);

/* dev DEVICE: the event's link as iproute2's printers filter it (links,
 * addresses, neighbours and netconf by index, routes by their output
 * device); true to print it. */
static bool dev_ok(const struct mon *m, unsigned kind, const struct nlmsghdr *nlh)
{
	const void *p = mnl_nlmsg_get_payload(nlh);
	size_t len = mnl_nlmsg_get_payload_len(nlh);
	uint32_t idx;
	if (!m->ifindex)
		return true;
	if (kind == M_LINK && len >= sizeof(struct ifinfomsg))
		idx = (uint32_t)((const struct ifinfomsg *)p)->ifi_index;
	else if (kind == M_ADDR && len >= sizeof(struct ifaddrmsg))
		idx = ((const struct ifaddrmsg *)p)->ifa_index;
	else if (kind == M_NEIGH && len >= sizeof(struct ndmsg))
		idx = (uint32_t)((const struct ndmsg *)p)->ndm_ifindex;
	else if (kind == M_NETCONF) {
		const struct nlattr *tb[NETCONFA_MAX + 1] = {0};
		if (nl_parse(nlh, sizeof(struct netconfmsg), NULL, NETCONFA_MAX, tb) < 0)
			return false;
		idx = tb[NETCONFA_IFINDEX] && mnl_attr_get_payload_len(tb[NETCONFA_IFINDEX]) >= 4
			      ? mnl_attr_get_u32(tb[NETCONFA_IFINDEX])
			      : 0;
	} else {
		return true;
	}
	return idx == (uint32_t)m->ifindex;
}

static void print_headers(struct mon *m, const char *banner)
{
	struct ip_ctx *c = m->c;
	if (c->timestamp)
		print_timestamp(c);
	if (m->all_nsid && m->nsid < 0)
		emit_text(c->out, "[nsid current]");
	else if (m->all_nsid)
		emit_text(c->out, "[nsid %d]", m->nsid);
	if (m->banner)
		emit_text(c->out, "%s", banner);
}

/* An event iproute2 6.1's printer then drops (dev DEVICE): its headers
 * are already out, so they stay, in front of the next event's. A link's
 * flags still count (M-DOWN), as in iproute2's cache. */
static int stray(struct mon *m, unsigned kind, const char *banner, const struct nlmsghdr *nlh)
{
	if (kind == M_LINK)
		on_link(nlh, m->c);
	print_headers(m, banner);
	return MNL_CB_OK;
}

static int unprinted(struct mon *m, const char *banner, const char *what)
{
	print_headers(m, banner);
	emit_flush(m->c->out);
	fprintf(stderr, "netkit ip: printing %s events is not implemented\n", what);
	return MNL_CB_OK;
}

static int on_event(const struct nlmsghdr *nlh, void *data)
{
	struct mon *m = data;
	struct ip_ctx *c = m->c;
	const char *banner = "";
	unsigned kind = kind_of(nlh->nlmsg_type, &banner);
	if (m->file && !kind) {
		if (nlh->nlmsg_type == NLMSG_TSTAMP)
			print_saved_time(c, nlh);
		else if (nlh->nlmsg_type != NLMSG_ERROR && nlh->nlmsg_type != NLMSG_NOOP &&
			 nlh->nlmsg_type != NLMSG_DONE)
			fprintf(stderr,
				"Unknown message: type=0x%08x(%d) flags=0x%08x(%d) "
				"len=0x%08x(%d)\n",
				nlh->nlmsg_type, nlh->nlmsg_type, nlh->nlmsg_flags,
				nlh->nlmsg_flags, nlh->nlmsg_len, nlh->nlmsg_len);
		return MNL_CB_OK;
	}
	/* saved nsid events print whatever was asked for, as iproute2's */
	if (!(kind & m->mask) && !(m->file && kind == M_NSID))
		return MNL_CB_OK;
	if (kind == M_STATS)
		return unprinted(m, banner, "stats");
	if (kind != M_ROUTE && !dev_ok(m, kind, nlh))
		return stray(m, kind, banner, nlh);
	/* from a file, as iproute2's printers filter: routes and neighbours
	 * by -4/-6, links and addresses not */
	if (m->file && c->family && (kind == M_ROUTE || kind == M_NEIGH || kind == M_RULE) &&
	    (mnl_nlmsg_get_payload_len(nlh) < 1 ||
	     *(const uint8_t *)mnl_nlmsg_get_payload(nlh) != c->family))
		return MNL_CB_OK;
	if (kind == M_ROUTE) {
		struct rtnl_route r;
		if (rtnl_route_parse(nlh, &r) < 0 || (r.flags & RTM_F_CLONED))
			return MNL_CB_OK;
		if (r.family == RTNL_FAMILY_IPMR || r.family == RTNL_FAMILY_IP6MR)
			return unprinted(m, "[MROUTE]", "mroute");
		if (m->ifindex && (r.has_oif ? r.oif : 0) != (uint32_t)m->ifindex)
			return stray(m, kind, banner, nlh);
		/* with dev, iproute2's filter leaves "dev X" out, as route show dev X */
		struct route_filter f = {.oif = (uint32_t)m->ifindex};
		emit_obj_open(c->out, NULL);
		print_headers(m, banner);
		ip_print_route(c, &r, m->ifindex ? &f : NULL);
	} else {
		emit_obj_open(c->out, NULL);
		print_headers(m, banner);
		if (kind == M_LINK)
			ip_print_link(c, nlh, true);
		else if (kind == M_ADDR)
			ip_print_addr(c, nlh);
		else if (kind == M_NEIGH)
			ip_print_neigh(c, nlh, (uint32_t)m->ifindex);
		else if (kind == M_RULE)
			print_rule(c, nlh);
		else if (kind == M_NEXTHOP)
			print_nexthop(c, nlh);
		else if (kind == M_NSID)
			ip_print_nsid(c, nlh, m->names);
		else if (kind == M_PREFIX)
			print_prefix(c, nlh);
		else
			ip_print_netconf(c, nlh);
	}
	emit_obj_close(c->out);
	/* one line (one JSON document) per event, out at once */
	emit_finish(c->out);
	return MNL_CB_OK;
}

static int parse_word(struct mon *m, unsigned *sel, const char *k)
{
	/* in iproute2's order of matching: any abbreviation picks the first */
	static const struct {
		const char *word;
		unsigned mask;
	} objs[] = {{"link", M_LINK},	    {"address", M_ADDR},  {"route", M_ROUTE},
		    {"mroute", M_MROUTE},   {"prefix", M_PREFIX}, {"neigh", M_NEIGH},
		    {"netconf", M_NETCONF}, {"rule", M_RULE},	  {"nsid", M_NSID},
		    {"nexthop", M_NEXTHOP}};
	if (ip_matches(k, "label")) {
		m->banner = true;
		return 0;
	}
	for (size_t i = 0; i < sizeof(objs) / sizeof(objs[0]); i++)
		if (ip_matches(k, objs[i].word)) {
			*sel |= objs[i].mask;
			return 0;
		}
	if (!strcmp(k, "stats"))
		*sel |= M_STATS;
	else if (!strcmp(k, "all"))
		m->banner = true;
	else if (ip_matches(k, "all-nsid"))
		m->all_nsid = true;
	else if (ip_matches(k, "help")) {
		fprintf(stderr,
			"Usage: ip monitor [ all | OBJECTS ] [ FILE ] [ label ] [ all-nsid ]\n"
			"                  [ dev DEVICE ]\n"
			"OBJECTS :=  address | link | mroute | neigh | netconf |\n"
			"            nexthop | nsid | prefix | route | rule | stats\n"
			"FILE := file FILENAME\n");
		return 255;
	} else {
		fprintf(stderr, "Argument \"%s\" is unknown, try \"ip monitor help\".\n", k);
		return 255;
	}
	return 0;
}

static int parse(struct mon *m, int argc, char **argv)
{
	unsigned sel = 0;
	for (; argc > 0; argc--, argv++) {
		bool file = ip_matches(argv[0], "file"), dev = !strcmp(argv[0], "dev");
		if (file || dev) {
			if (argc < 2)
				return ip_incomplete(NULL);
			argc--;
			argv++;
			if (file)
				m->file = argv[0];
			else if (!(m->ifindex = ip_ifindex(m->c, argv[0])))
				return ip_invarg("Device does not exist\n", argv[0]);
			continue;
		}
		int r = parse_word(m, &sel, argv[0]);
		if (r)
			return r;
	}
	m->mask = sel ? sel : M_ALL;
	m->explicit_stats = sel & M_STATS;
	return 0;
}

static int subscribe(struct nl_sock *s, unsigned mask, int family)
{
	static const struct {
		unsigned mask;
		int family;
		unsigned group;
	} groups[] = {
		{M_LINK, 0, RTNLGRP_LINK},
		{M_ADDR, AF_INET, RTNLGRP_IPV4_IFADDR},
		{M_ADDR, AF_INET6, RTNLGRP_IPV6_IFADDR},
		{M_ROUTE, AF_INET, RTNLGRP_IPV4_ROUTE},
		{M_ROUTE, AF_INET6, RTNLGRP_IPV6_ROUTE},
		{M_NEIGH, 0, RTNLGRP_NEIGH},
		{M_NETCONF, AF_INET, RTNLGRP_IPV4_NETCONF},
		{M_NETCONF, AF_INET6, RTNLGRP_IPV6_NETCONF},
		{M_RULE, AF_INET, RTNLGRP_IPV4_RULE},
		{M_RULE, AF_INET6, RTNLGRP_IPV6_RULE},
		{M_NEXTHOP, 0, RTNLGRP_NEXTHOP},
		{M_NSID, 0, RTNLGRP_NSID},
		{M_PREFIX, AF_INET6, RTNLGRP_IPV6_PREFIX},
		{M_MROUTE, AF_INET, RTNLGRP_IPV4_MROUTE},
		{M_MROUTE, AF_INET6, RTNLGRP_IPV6_MROUTE},
	};
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		if (!(groups[i].mask & mask))
			continue;
		if (family && groups[i].family && groups[i].family != family)
			continue;
		int r = nl_subscribe(s, groups[i].group);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Names of links that disappear must still print: learn them all now. */
static int on_link(const struct nlmsghdr *nlh, void *data)
{
	struct ip_ctx *c = data;
	const struct ifinfomsg *ifi;
	const struct nlattr *tb[IFLA_MAX + 1];
	if (ip_link_parse(nlh, &ifi, tb) < 0)
		return MNL_CB_OK;
	uint32_t idx = (uint32_t)ifi->ifi_index;
	char b[IP_NAMESZ], old[IP_NAMESZ];
	const char *name = mnl_attr_get_str(tb[IFLA_IFNAME]);
	/* during events, as iproute2's cache: a known index keeps its name */
	if (c->monitor && ip_link_known(c, (int)idx)) {
		snprintf(old, sizeof(old), "%s", ip_ifname(c, idx, b));
		name = old;
	}
	ip_link_remember(c, idx, ifi->ifi_flags, name);
	return MNL_CB_OK;
}

/* file FILE: messages saved one after another (an nlmsghdr, then its
 * aligned payload), read as iproute2's rtnl_from_file reads them, with
 * its messages; every kind is printed, and as text even with -j. */
static int from_file(struct mon *m)
{
	FILE *f = fopen(m->file, "r");
	if (!f) {
		perror("Cannot fopen");
		return 255;
	}
	m->c->json = false;
	emit_finish(m->c->out);
	emit_init(m->c->out, STDOUT_FILENO, EMIT_TEXT, 0);
	m->c->monitor = true;
	m->mask = M_ALL;
	int r = ip_from_file(f, on_event, m) ? 1 : 0;
	fclose(f);
	return r;
}

int ip_monitor(struct ip_ctx *c, int argc, char **argv)
{
	struct mon m = {.c = c, .nsid = -1};
	int r = parse(&m, argc, argv);
	if (r)
		return r;
	if (m.file)
		return from_file(&m);
	if (ip_link_dump(c, AF_UNSPEC, 0, on_link, c, false))
		return 1;
	struct nl_sock s;
	r = nl_open(&s, NETLINK_ROUTE, NULL);
	int family = c->family == AF_PACKET ? AF_UNSPEC : c->family;
	if (r == 0)
		r = subscribe(&s, m.mask, family);
	if (r < 0) {
		fprintf(stderr, "Cannot listen to rtnetlink: %s\n", strerror(-r));
		nl_close(&s);
		return 1;
	}
	/* stats: as iproute2, an error only when asked for by name */
	if ((m.mask & M_STATS) && nl_subscribe(&s, RTNLGRP_STATS) < 0 && m.explicit_stats) {
		fprintf(stderr, "Failed to add stats group to list\n");
		nl_close(&s);
		return 1;
	}
	if (m.all_nsid && (r = nl_listen_all_nsid(&s)) < 0) {
		fprintf(stderr, "setsockopt NETLINK_LISTEN_ALL_NSID: %s\n", strerror(-r));
		nl_close(&s);
		return 1;
	}
	c->monitor = true;
	if (m.mask & M_NSID)
		m.names = ip_ns_names_load(c);
	r = nl_listen_nsid(&s, on_event, &m, &m.nsid);
	ip_ns_names_free(m.names);
	nl_close(&s);
	if (r < 0) {
		fprintf(stderr, "Failed to listen: %s\n", strerror(-r));
		return 1;
	}
	return 0;
}
