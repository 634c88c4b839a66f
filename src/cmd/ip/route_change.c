/* SPDX-License-Identifier: Apache-2.0 */
/* ip route add / change / replace / append / prepend / del: the words
 * into one struct rtnl_route_req with iproute2's defaults (main table,
 * proto boot, the scope it derives), including multipath "nexthop"
 * lists and the metrics (mtu, advmss, ...); rtnl_route_build() writes
 * the request. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/rtnetlink.h>

#include "cmd/ip/route_priv.h"

struct route_args {
	struct rtmsg rtm;
	bool dst_ok, table_ok, scope_ok, gw_ok, nhs_ok, proto_ok, has_nhid;
	uint32_t nhid; /* RTA_NH_ID: a nexthop object */
	uint32_t table;
	struct ip_prefix dst, gw, src, prefsrc;
	bool has_src, has_prefsrc;
	const char *dev;
	int oif;
	uint32_t metric;
	bool has_metric;
	uint32_t mx[32]; /* RTAX_n values, for bit n of mxmask */
	uint32_t mxmask;
	uint32_t mxlock;
	struct rtnl_nh_req nh[RTNL_MAX_NEXTHOPS];
	size_t n_nh;
	int nh_argc; /* words from the first "nexthop" on */
	char **nh_argv;
};

static const struct {
	const char *name;
	int rtax;
} metrics[] = {
	{"mtu", RTAX_MTU},
	{"advmss", RTAX_ADVMSS},
	{"hoplimit", RTAX_HOPLIMIT},
	{"window", RTAX_WINDOW},
	{"rtt", RTAX_RTT},
	{"rttvar", RTAX_RTTVAR},
	{"ssthresh", RTAX_SSTHRESH},
	{"cwnd", RTAX_CWND},
	{"initcwnd", RTAX_INITCWND},
	{"initrwnd", RTAX_INITRWND},
	{"reordering", RTAX_REORDERING},
	{"quickack", RTAX_QUICKACK},
	{"rto_min", RTAX_RTO_MIN},
};

static void mx_put(struct route_args *a, int type, uint32_t v)
{
	a->mx[type] = v;
	a->mxmask |= 1u << type;
}

static int bad(const char *what, int family, const char *arg)
{
	fprintf(stderr, "Error: %s %s is expected rather than \"%s\".\n",
		family == AF_INET6  ? "inet6"
		: family == AF_INET ? "inet"
				    : "any valid",
		what, arg);
	return 1;
}

/* "via [inet|inet6] ADDR" into p; the family decides RTA_GATEWAY/VIA. */
static int parse_via(struct route_args *a, int *argc, char ***argv, struct ip_prefix *p)
{
	int family = a->rtm.rtm_family;
	const char *v = (*argv)[1];
	if ((!strcmp(v, "inet") || !strcmp(v, "inet6")) && *argc > 2) {
		family = !strcmp(v, "inet") ? AF_INET : AF_INET6;
		(*argc)--;
		(*argv)++;
		v = (*argv)[1];
	}
	if (ip_get_addr(p, v, family) < 0 || p->any)
		return bad("address", family, v);
	if (!a->rtm.rtm_family)
		a->rtm.rtm_family = (uint8_t)p->family;
	return 0;
}

static int parse_metric_word(struct route_args *a, int *argc, char ***argv, bool *done)
{
	const char *k = (*argv)[0];
	*done = false;
	for (size_t i = 0; i < sizeof(metrics) / sizeof(metrics[0]); i++) {
		if (strcmp(k, metrics[i].name))
			continue;
		*done = true;
		if (*argc < 2)
			return ip_incomplete(k);
		const char *v = (*argv)[1];
		if (!strcmp(v, "lock")) {
			a->mxlock |= 1u << metrics[i].rtax;
			if (*argc < 3)
				return ip_incomplete(k);
			(*argc)--;
			(*argv)++;
			v = (*argv)[1];
		}
		uint32_t val;
		if (ip_get_u32(&val, v, 0) < 0) {
			char msg[64];
			snprintf(msg, sizeof(msg), "\"%s\" value is invalid\n", k);
			return ip_invarg(msg, v);
		}
		if (metrics[i].rtax == RTAX_RTT)
			val *= 8;
		else if (metrics[i].rtax == RTAX_RTTVAR)
			val *= 4;
		mx_put(a, metrics[i].rtax, val);
		(*argc)--;
		(*argv)++;
		return 0;
	}
	return 0;
}

static int parse_dst(struct route_args *a, int *argc, char ***argv)
{
	const char *k = (*argv)[0];
	if (!strcmp(k, "to")) {
		if (*argc < 2)
			return ip_incomplete(k);
		(*argc)--;
		(*argv)++;
		k = (*argv)[0];
	}
	unsigned type;
	if ((k[0] < '0' || k[0] > '9') && ip_rtntype_id(k, &type) == 0 && strcmp(k, "default")) {
		if (*argc < 2)
			return ip_incomplete(k);
		a->rtm.rtm_type = (uint8_t)type;
		(*argc)--;
		(*argv)++;
		k = (*argv)[0];
	}
	if (a->dst_ok)
		return ip_duparg2("to", k);
	if (ip_get_prefix(&a->dst, k, a->rtm.rtm_family) < 0) {
		fprintf(stderr, "Error: %s prefix is expected rather than \"%s\".\n",
			a->rtm.rtm_family == AF_INET6  ? "inet6"
			: a->rtm.rtm_family == AF_INET ? "inet"
						       : "any valid",
			k);
		return 1;
	}
	if (!a->rtm.rtm_family)
		a->rtm.rtm_family = (uint8_t)a->dst.family;
	a->dst_ok = true;
	return 0;
}

/* One KEY VALUE pair; argc and argv stay on VALUE. */
static int parse_kv(struct ip_ctx *c, struct route_args *a, int *argc, char ***argv)
{
	const char *k = (*argv)[0];
	const char *v = (*argv)[1];
	uint32_t id;
	if (!strcmp(k, "via")) {
		if (a->gw_ok)
			return ip_duparg("via", v);
		int r = parse_via(a, argc, argv, &a->gw);
		a->gw_ok = true;
		return r;
	} else if (!strcmp(k, "src")) {
		if (ip_get_addr(&a->prefsrc, v, a->rtm.rtm_family) < 0 || a->prefsrc.any)
			return bad("address", a->rtm.rtm_family, v);
		a->has_prefsrc = true;
	} else if (!strcmp(k, "from")) {
		if (ip_get_prefix(&a->src, v, a->rtm.rtm_family) < 0)
			return bad("prefix", a->rtm.rtm_family, v);
		a->has_src = true;
	} else if (ip_matches(k, "table")) {
		if (ip_name_id(c, IPT_TABLE, v, &a->table) < 0)
			return ip_invarg("\"table\" value is invalid\n", v);
		a->table_ok = true;
	} else if (ip_matches(k, "protocol")) {
		if (ip_name_id(c, IPT_PROTO, v, &id) < 0 || id > 255)
			return ip_invarg("\"protocol\" value is invalid\n", v);
		a->rtm.rtm_protocol = (uint8_t)id;
		a->proto_ok = true;
	} else if (ip_matches(k, "scope")) {
		if (ip_name_id(c, IPT_SCOPE, v, &id) < 0 || id > 255)
			return ip_invarg("invalid \"scope\" value\n", v);
		a->rtm.rtm_scope = (uint8_t)id;
		a->scope_ok = true;
	} else if (ip_matches(k, "metric") || ip_matches(k, "priority") ||
		   !strcmp(k, "preference")) {
		if (ip_get_u32(&a->metric, v, 0) < 0)
			return ip_invarg("\"metric\" value is invalid\n", v);
		a->has_metric = true;
	} else if (!strcmp(k, "dev") || !strcmp(k, "oif")) {
		a->dev = v;
	} else if (!strcmp(k, "tos") || ip_matches(k, "dsfield")) {
		if (ip_get_u32(&id, v, 16) < 0 || id > 255)
			return ip_invarg("\"tos\" value is invalid\n", v);
		a->rtm.rtm_tos = (uint8_t)id;
	} else if (!strcmp(k, "nhid")) {
		if (ip_get_u32(&a->nhid, v, 0) < 0)
			return ip_invarg("\"id\" value is invalid\n", v);
		a->has_nhid = true;
	} else {
		(void)c;
		return -1;
	}
	return 0;
}

static bool is_kv(const char *k)
{
	return !strcmp(k, "via") || !strcmp(k, "src") || !strcmp(k, "from") ||
	       ip_matches(k, "table") || ip_matches(k, "protocol") || ip_matches(k, "scope") ||
	       ip_matches(k, "metric") || ip_matches(k, "priority") || !strcmp(k, "preference") ||
	       !strcmp(k, "dev") || !strcmp(k, "oif") || !strcmp(k, "tos") ||
	       ip_matches(k, "dsfield") || !strcmp(k, "nhid");
}

static int parse_args(struct ip_ctx *c, struct route_args *a, int argc, char **argv)
{
	while (argc > 0) {
		const char *k = argv[0];
		bool done;
		int r = parse_metric_word(a, &argc, &argv, &done);
		if (r)
			return r;
		if (done) {
		} else if (!strcmp(k, "onlink")) {
			a->rtm.rtm_flags |= RTNH_F_ONLINK;
		} else if (!strcmp(k, "nexthop")) {
			a->nh_argc = argc;
			a->nh_argv = argv;
			a->nhs_ok = true;
			return 0;
		} else if (is_kv(k)) {
			if (argc < 2)
				return ip_incomplete(k);
			r = parse_kv(c, a, &argc, &argv);
			if (r)
				return r;
			argc--;
			argv++;
		} else if (!strcmp(k, "help")) {
			return ip_route_usage();
		} else {
			r = parse_dst(a, &argc, &argv);
			if (r)
				return r;
		}
		argc--;
		argv++;
	}
	return 0;
}

/* The words of one "nexthop": via A, dev D, weight W, onlink. */
static int parse_nexthop(struct ip_ctx *c, struct route_args *a, int *argc, char ***argv,
			 struct rtnl_nh_req *nh)
{
	while (*argc > 0 && strcmp((*argv)[0], "nexthop")) {
		const char *k = (*argv)[0];
		if (!strcmp(k, "onlink")) {
			nh->flags |= RTNH_F_ONLINK;
			(*argc)--;
			(*argv)++;
			continue;
		}
		if (*argc < 2)
			return ip_incomplete(k);
		const char *v = (*argv)[1];
		if (!strcmp(k, "via")) {
			struct ip_prefix gw;
			int r = parse_via(a, argc, argv, &gw);
			if (r)
				return r;
			ip_prefix_to_rtnl(&gw, &nh->gw);
		} else if (!strcmp(k, "dev")) {
			nh->oif = ip_ifindex(c, v);
			if (!nh->oif) {
				ip_nodev(v);
				fprintf(stderr, "Error: cannot parse nexthop\n");
				return 255;
			}
		} else if (!strcmp(k, "weight")) {
			uint32_t w;
			if (ip_get_u32(&w, v, 0) < 0 || w == 0 || w > 256)
				return ip_invarg("\"weight\" is invalid\n", v);
			nh->weight = w;
		} else {
			fprintf(stderr,
				"Error: argument \"%s\" is wrong: unknown nexthop "
				"parameter\n",
				k);
			return 255;
		}
		*argc -= 2;
		*argv += 2;
	}
	return 0;
}

/* "nexthop ..." "nexthop ..." into a->nh. */
static int parse_nexthops(struct ip_ctx *c, struct route_args *a)
{
	int argc = a->nh_argc;
	char **argv = a->nh_argv;
	while (argc > 0 && !strcmp(argv[0], "nexthop")) {
		if (a->n_nh == RTNL_MAX_NEXTHOPS) {
			fprintf(stderr, "Error: more than %d nexthops.\n", RTNL_MAX_NEXTHOPS);
			return 1;
		}
		argc--;
		argv++;
		int r = parse_nexthop(c, a, &argc, &argv, &a->nh[a->n_nh++]);
		if (r)
			return r;
	}
	if (argc > 0)
		return ip_duparg2("nexthop", argv[0]);
	return 0;
}

static void derive_defaults(struct route_args *a, int cmd)
{
	struct rtmsg *r = &a->rtm;
	if (r->rtm_family == AF_UNSPEC)
		r->rtm_family = AF_INET;
	if (!a->table_ok && (r->rtm_type == RTN_LOCAL || r->rtm_type == RTN_BROADCAST ||
			     r->rtm_type == RTN_NAT || r->rtm_type == RTN_ANYCAST))
		a->table = RT_TABLE_LOCAL;
	if (a->scope_ok)
		return;
	if (r->rtm_family == AF_INET6 || r->rtm_family == AF_MPLS)
		r->rtm_scope = RT_SCOPE_UNIVERSE;
	else if (r->rtm_type == RTN_LOCAL || r->rtm_type == RTN_NAT)
		r->rtm_scope = RT_SCOPE_HOST;
	else if (r->rtm_type == RTN_BROADCAST || r->rtm_type == RTN_MULTICAST ||
		 r->rtm_type == RTN_ANYCAST)
		r->rtm_scope = RT_SCOPE_LINK;
	else if (r->rtm_type == RTN_UNICAST || r->rtm_type == RTN_UNSPEC) {
		if (cmd == RTM_DELROUTE)
			r->rtm_scope = RT_SCOPE_NOWHERE;
		else if (!a->gw_ok && !a->nhs_ok && !a->has_nhid)
			r->rtm_scope = RT_SCOPE_LINK;
	}
}

/* The parsed words as the builder's request; 0 or an exit status. */
static int to_req(struct ip_ctx *c, struct route_args *a, struct rtnl_route_req *q)
{
	if (a->mxlock)
		mx_put(a, RTAX_LOCK, a->mxlock);
	*q = (struct rtnl_route_req){
		.type = a->rtm.rtm_type,
		.type_set = true,
		.protocol = a->rtm.rtm_protocol,
		.protocol_set = true,
		.scope = a->rtm.rtm_scope,
		.scope_set = true,
		.table = a->table,
		.table_set = true,
		.tos = a->rtm.rtm_tos,
		.flags = a->rtm.rtm_flags,
		.priority = a->metric,
		.priority_set = a->has_metric,
		.metrics = a->mx,
		.metrics_mask = a->mxmask,
		.nhid = a->nhid,
		.nhid_set = a->has_nhid,
	};
	ip_prefix_to_rtnl(&a->dst, &q->dst);
	q->dst.family = a->rtm.rtm_family;
	if (a->has_src)
		ip_prefix_to_rtnl(&a->src, &q->src);
	if (a->gw_ok)
		ip_prefix_to_rtnl(&a->gw, &q->gw);
	if (a->has_prefsrc)
		ip_prefix_to_rtnl(&a->prefsrc, &q->prefsrc);
	q->oif = a->oif;
	if (a->nhs_ok) {
		q->nh = a->nh;
		q->nnh = (unsigned)a->n_nh;
	}
	return 0;
}

/* The device, then the "nexthop" words, in iproute2's order: before the
 * family defaults to IPv4, so that "default nexthop via 2001:db8::1"
 * makes an IPv6 route. 0 or an exit status. */
static int parse_late(struct ip_ctx *c, struct route_args *a)
{
	if (a->dev) {
		a->oif = ip_ifindex(c, a->dev);
		if (!a->oif)
			return ip_nodev(a->dev);
	}
	return a->nhs_ok ? parse_nexthops(c, a) : 0;
}

int ip_route_change(struct ip_ctx *c, int cmd, int flags, int argc, char **argv)
{
	struct route_args a = {.table = RT_TABLE_MAIN};
	a.rtm.rtm_family = (uint8_t)(c->family == AF_PACKET ? AF_UNSPEC : c->family);
	a.rtm.rtm_scope = RT_SCOPE_NOWHERE;
	if (cmd != RTM_DELROUTE) {
		a.rtm.rtm_protocol = RTPROT_BOOT;
		a.rtm.rtm_scope = RT_SCOPE_UNIVERSE;
		a.rtm.rtm_type = RTN_UNICAST;
	}
	int r = parse_args(c, &a, argc, argv);
	if (r)
		return r;
	if (!a.dst_ok)
		return ip_incomplete(NULL);
	r = parse_late(c, &a);
	if (r)
		return r;
	derive_defaults(&a, cmd);
	struct rtnl_route_req q;
	r = to_req(c, &a, &q);
	if (r)
		return r;
	struct nl_sock *s;
	if (ip_nl(c, &s) < 0)
		return 1;
	char buf[RTNL_REQ_BUFSZ];
	struct nlmsghdr *nlh = rtnl_route_build(buf, (uint16_t)cmd, (uint16_t)flags, &q);
	struct nl_err err;
	if (nl_talk(s, nlh, NULL, NULL, &err) < 0) {
		ip_err_nl(c, &err, NULL);
		return 2;
	}
	return 0;
}
