/* SPDX-License-Identifier: Apache-2.0 */
/* ip route: show (streamed: each route is printed straight out of the
 * receive buffer, nothing is held), get, and dispatch to the change
 * commands in route_change.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/rtnetlink.h>

#include "cmd/ip/route_priv.h"
#include "lib/nl/msglist.h"

/* iproute2's root/match/exact selectors on one side (dst or src). */
static bool prefix_ok(const struct rtnl_route *r, bool has_root, const struct ip_prefix *root,
		      bool has_match, const struct ip_prefix *match, bool has, const uint8_t *a,
		      unsigned len)
{
	uint8_t zero[16] = {0};
	const uint8_t *addr = has ? a : zero;
	if (has_root) {
		if (root->family && r->family != root->family)
			return false;
		if (root->bitlen > (int)len)
			return false;
		if (root->family && !ip_bits_eq(addr, root->data, root->bitlen))
			return false;
	}
	if (has_match) {
		if (match->family && r->family != match->family)
			return false;
		if (match->bitlen >= 0 && match->bitlen < (int)len)
			return false;
		if (match->family && match->bitlen >= 0 && !ip_bits_eq(addr, match->data, (int)len))
			return false;
	}
	return true;
}

static bool route_ok(const struct rtnl_route *r, const struct route_filter *f)
{
	if (f->family && r->family != f->family)
		return false;
	if (f->cloned != !!(r->flags & RTM_F_CLONED))
		return false;
	if (f->table && r->table != f->table)
		return false;
	if (f->tos_set && r->tos != f->tos)
		return false;
	if (!prefix_ok(r, f->has_rdst, &f->rdst, f->has_mdst, &f->mdst, r->has_dst, r->dst,
		       r->dst_len))
		return false;
	if (!prefix_ok(r, f->has_rsrc, &f->rsrc, f->has_msrc, &f->msrc, r->has_src, r->src,
		       r->src_len))
		return false;
	if (f->proto_set && r->protocol != f->proto)
		return false;
	if (f->scope_set && r->scope != f->scope)
		return false;
	if (f->type_set && !(f->typemask & (1u << r->type)))
		return false;
	if (f->oif && (!r->has_oif || r->oif != f->oif))
		return false;
	if (f->iif && (!r->has_iif || r->iif != f->iif))
		return false;
	if (f->metric_set && (!r->has_prio ? 0 : r->priority) != f->metric)
		return false;
	if (f->has_via) {
		if (!r->has_gw || r->gw_family != f->via.family ||
		    !ip_bits_eq(r->gw, f->via.data,
				f->via.bitlen < 0 ? (int)f->via.bytelen * 8 : f->via.bitlen))
			return false;
	}
	if (f->has_prefsrc) {
		if (!r->has_prefsrc || r->family != f->prefsrc.family ||
		    !ip_bits_eq(r->prefsrc, f->prefsrc.data,
				f->prefsrc.bitlen < 0 ? (int)f->prefsrc.bytelen * 8
						      : f->prefsrc.bitlen))
			return false;
	}
	return true;
}

struct show_ctx {
	struct ip_ctx *c;
	const struct route_filter *f;
	bool flush;
	struct nl_msg_list del; /* flush: the routes to delete */
};

static int on_route(const struct rtnl_route *r, const struct nlmsghdr *nlh, void *data)
{
	struct show_ctx *s = data;
	if (!route_ok(r, s->f))
		return MNL_CB_OK;
	if (s->flush)
		return nl_msg_list_add(&s->del, nlh);
	emit_obj_open(s->c->out, NULL);
	ip_print_route(s->c, r, s->f);
	emit_obj_close(s->c->out);
	return MNL_CB_OK;
}

static const char *family_verbose(int family)
{
	return family == AF_INET ? "inet" : family == AF_INET6 ? "inet6" : "any valid";
}

static int bad_prefix(int family, const char *arg)
{
	fprintf(stderr, "Error: %s prefix is expected rather than \"%s\".\n",
		family_verbose(family), arg);
	return 1;
}

static int get_pfx(struct ip_prefix *p, const char *arg, int family)
{
	if (ip_get_prefix(p, arg, family) < 0)
		return bad_prefix(family, arg);
	if (p->bitlen < 0)
		p->bitlen = (int)p->bytelen * 8;
	return 0;
}

/* ---- the selectors of `ip route show` / `flush`, from a table ---- */

typedef int (*sel_fn)(struct ip_ctx *c, struct route_filter *f, const char *k, const char *v);

static int sel_table(struct ip_ctx *c, struct route_filter *f, const char *k, const char *v)
{
	uint32_t id;
	if (!strcmp(v, "all"))
		f->table = 0;
	else if (!strcmp(v, "cache"))
		f->cloned = true;
	else if (ip_name_id(c, IPT_TABLE, v, &id) < 0)
		return ip_invarg("table id value is invalid\n", v);
	else
		f->table = id;
	return 0;
}

static int sel_tos(struct ip_ctx *c, struct route_filter *f, const char *k, const char *v)
{
	uint32_t id;
	if (ip_get_u32(&id, v, 16) < 0 || id > 255)
		return ip_invarg("TOS value is invalid\n", v);
	f->tos = (uint8_t)id;
	f->tos_set = true;
	return 0;
}

/* protocol and scope: a name or number, or "all" for no selector */
static int sel_name(struct ip_ctx *c, struct route_filter *f, const char *k, const char *v)
{
	bool proto = k[0] == 'p';
	uint32_t id;
	if (!strcmp(v, "all"))
		return 0;
	if (ip_name_id(c, proto ? IPT_PROTO : IPT_SCOPE, v, &id) < 0 || id > 255)
		return ip_invarg(proto ? "invalid \"protocol\"\n" : "invalid \"scope\"\n", v);
	*(proto ? &f->proto : &f->scope) = (uint8_t)id;
	*(proto ? &f->proto_set : &f->scope_set) = true;
	return 0;
}

static int sel_type(struct ip_ctx *c, struct route_filter *f, const char *k, const char *v)
{
	unsigned t;
	if (ip_rtntype_id(v, &t) < 0 || t > 31)
		return ip_invarg("node type value is invalid\n", v);
	f->typemask |= 1u << t;
	f->type_set = true;
	return 0;
}

static int sel_dev(struct ip_ctx *c, struct route_filter *f, const char *k, const char *v)
{
	int idx = ip_ifindex(c, v);
	if (!idx)
		return ip_nodev(v);
	*(!strcmp(k, "iif") ? &f->iif : &f->oif) = (uint32_t)idx;
	return 0;
}

/* via and src: an address or prefix; a full one hides the field. */
static int sel_addr(struct ip_ctx *c, struct route_filter *f, const char *k, const char *v)
{
	bool via = !strcmp(k, "via");
	struct ip_prefix *p = via ? &f->via : &f->prefsrc;
	if (ip_get_prefix(p, v, f->family) < 0)
		return bad_prefix(f->family, v);
	*(via ? &f->has_via : &f->has_prefsrc) = true;
	*(via ? &f->via_exact : &f->src_exact) = p->bitlen < 0 || p->bitlen == (int)p->bytelen * 8;
	return 0;
}

static int sel_metric(struct ip_ctx *c, struct route_filter *f, const char *k, const char *v)
{
	if (ip_get_u32(&f->metric, v, 0) < 0)
		return ip_invarg("\"metric\" value is invalid\n", v);
	f->metric_set = true;
	return 0;
}

/* Words that take one value, in iproute2's order of matching. */
static const struct route_sel {
	const char *word;
	bool prefix; /* any abbreviation matches, as iproute2's matches() */
	sel_fn fn;
} route_sels[] = {
	{"table", true, sel_table},	{"tos", false, sel_tos},
	{"dsfield", true, sel_tos},	{"protocol", true, sel_name},
	{"scope", true, sel_name},	{"type", true, sel_type},
	{"dev", false, sel_dev},	{"oif", false, sel_dev},
	{"iif", false, sel_dev},	{"via", false, sel_addr},
	{"src", false, sel_addr},	{"metric", true, sel_metric},
	{"priority", true, sel_metric}, {"preference", false, sel_metric},
};

/* root: prefixes inside p; match: prefixes p is inside; exact: both. */
static void set_side(struct route_filter *f, bool dst, const char *how, const struct ip_prefix *p)
{
	if (!ip_matches(how, "match")) {
		*(dst ? &f->rdst : &f->rsrc) = *p;
		*(dst ? &f->has_rdst : &f->has_rsrc) = true;
	}
	if (!ip_matches(how, "root")) {
		*(dst ? &f->mdst : &f->msrc) = *p;
		*(dst ? &f->has_mdst : &f->has_msrc) = true;
	}
}

/* [to|from] [root|match|exact] PREFIX; returns words used or -status. */
static int sel_prefix(struct route_filter *f, int argc, char **argv)
{
	int i = 0;
	bool dst = !ip_matches(argv[0], "from");
	if (!dst || !strcmp(argv[0], "to"))
		i++;
	const char *how = "exact";
	if (i < argc && (ip_matches(argv[i], "root") || ip_matches(argv[i], "match") ||
			 ip_matches(argv[i], "exact")))
		how = argv[i++];
	if (i >= argc)
		return -ip_incomplete(argv[0]);
	struct ip_prefix p;
	if (get_pfx(&p, argv[i], f->family))
		return -1;
	set_side(f, dst, how, &p);
	return i + 1;
}

/* One selector; returns 0 or an exit status, *used the words it took. */
static int parse_sel(struct ip_ctx *c, struct route_filter *f, int argc, char **argv, int *used)
{
	const char *k = argv[0];
	*used = 1;
	/* iproute2's words, abbreviated at will ("cache", "c", "clo") */
	if (ip_matches(k, "cached") || ip_matches(k, "cloned")) {
		f->cloned = true;
		return 0;
	}
	if (!strcmp(k, "all")) {
		f->table = 0;
		return 0;
	}
	for (size_t i = 0; i < sizeof(route_sels) / sizeof(route_sels[0]); i++) {
		const struct route_sel *s = &route_sels[i];
		if (s->prefix ? !ip_matches(k, s->word) : strcmp(k, s->word))
			continue;
		if (argc < 2)
			return ip_incomplete(k);
		*used = 2;
		return s->fn(c, f, s->word, argv[1]);
	}
	int n = sel_prefix(f, argc, argv);
	if (n < 0)
		return -n;
	*used = n;
	return 0;
}

/* Delete what the dump kept, each route message sent back as a delete. */
static int flush_routes(struct ip_ctx *c, struct nl_sock *s, struct show_ctx *sc)
{
	int r = 0;
	struct nl_err err;
	if (nl_msg_list_send(s, &sc->del, RTM_DELROUTE, false, -ESRCH, &err) < 0) {
		ip_err_nl(c, &err, NULL);
		r = 2;
	}
	if (!r && c->stats && !sc->del.n)
		emit_text(c->out, "Nothing to flush.\n");
	else if (!r && c->stats)
		emit_text(c->out,
			  "\n*** Round 1, deleting %zu entries ***\n"
			  "*** Flush is complete after 1 round ***\n",
			  sc->del.n);
	nl_msg_list_free(&sc->del);
	return r;
}

/* The routing cache is gone since Linux 3.6; iproute2 still pokes it. */
static int flush_cache(struct ip_ctx *c)
{
	FILE *f = fopen("/proc/sys/net/ipv4/route/flush", "w");
	if (!f) {
		perror("Cannot open \"/proc/sys/net/ipv4/route/flush\"");
		return 1;
	}
	fputs("-1", f);
	fclose(f);
	if (c->stats)
		emit_text(c->out, "*** IPv4 routing cache is flushed.\n");
	return 0;
}

static int route_show(struct ip_ctx *c, int argc, char **argv, bool flush)
{
	if (flush && argc < 1) {
		fprintf(stderr, "\"ip route flush\" requires arguments.\n");
		return 1;
	}
	struct route_filter f = {.table = RT_TABLE_MAIN, .family = c->family};
	if (f.family == AF_PACKET)
		f.family = AF_UNSPEC;
	while (argc > 0) {
		int used;
		int r = parse_sel(c, &f, argc, argv, &used);
		if (r)
			return r;
		argc -= used;
		argv += used;
	}
	if (flush && f.cloned && f.family != AF_INET6) {
		int r = flush_cache(c);
		if (r || f.family == AF_INET || f.family == AF_UNSPEC)
			return r;
	}
	if (f.family == AF_UNSPEC && f.table)
		f.family = AF_INET;
	struct nl_sock *s;
	if (ip_nl(c, &s) < 0)
		return 1;
	struct show_ctx sc = {.c = c, .f = &f, .flush = flush};
	struct nl_err err;
	if (!flush)
		emit_arr_open(c->out, NULL);
	/* what the kernel can filter, as iproute2 asks: it then builds only
	 * those routes (on_route still applies every selector) */
	struct rtnl_route_sel q = {.family = f.family,
				   .table = f.table,
				   .protocol = f.proto_set ? f.proto : 0,
				   .oif = f.oif,
				   .cloned = f.cloned};
	int r = rtnl_route_dump_sel(s, &q, on_route, &sc, &err);
	if (!flush)
		emit_arr_close(c->out);
	if (r < 0) {
		emit_flush(c->out);
		ip_err_nl(c, &err, NULL);
		fprintf(stderr, flush ? "Flush terminated\n" : "Dump terminated\n");
		nl_msg_list_free(&sc.del);
		return 2;
	}
	return flush ? flush_routes(c, s, &sc) : 0;
}

struct get_ctx {
	struct ip_ctx *c;
	bool got;
	bool has_prefsrc;
	uint8_t prefsrc[16];
};

static int on_get(const struct nlmsghdr *nlh, void *data)
{
	struct get_ctx *g = data;
	struct rtnl_route r;
	if (rtnl_route_parse(nlh, &r) < 0)
		return MNL_CB_OK;
	emit_obj_open(g->c->out, NULL);
	ip_print_route(g->c, &r, NULL);
	emit_obj_close(g->c->out);
	g->got = true;
	g->has_prefsrc = r.has_prefsrc;
	memcpy(g->prefsrc, r.prefsrc, sizeof(g->prefsrc));
	return MNL_CB_OK;
}

struct get_args {
	int family;
	struct ip_prefix dst, src;
	bool have_dst, have_src, fibmatch, connected, have_mark, have_uid;
	uint32_t oif, iif, mark, uid, tos;
	uint8_t dst_len;
};

static int get_kv(struct ip_ctx *c, struct get_args *a, const char *k, const char *v)
{
	if (!strcmp(k, "from")) {
		if (ip_get_prefix(&a->src, v, a->family) < 0)
			return bad_prefix(a->family, v);
		a->have_src = true;
		a->family = a->src.family;
	} else if (!strcmp(k, "iif") || !strcmp(k, "oif") || !strcmp(k, "dev") ||
		   !strcmp(k, "vrf")) {
		int idx = ip_ifindex(c, v);
		if (!idx)
			return ip_nodev(v);
		*(!strcmp(k, "iif") ? &a->iif : &a->oif) = (uint32_t)idx;
	} else if (!strcmp(k, "mark")) {
		if (ip_get_u32(&a->mark, v, 0) < 0)
			return ip_invarg("invalid mark value", v);
		a->have_mark = true;
	} else if (!strcmp(k, "uid")) {
		if (ip_get_u32(&a->uid, v, 0) < 0)
			return ip_invarg("invalid UID\n", v);
		a->have_uid = true;
	} else if (ip_get_u32(&a->tos, v, 16) < 0 || a->tos > 255) {
		return ip_invarg("TOS value is invalid\n", v);
	}
	return 0;
}

/* The destination's length as iproute2 6.1's iproute_get sends it: a host
 * length whatever the prefix said, with its warning when it said another. */
static uint8_t get_dst_len(int family, const struct ip_prefix *p)
{
	int bits = p->bitlen < 0 ? (int)p->bytelen * 8 : p->bitlen;
	int host = family == AF_INET ? 32 : family == AF_INET6 ? 128 : bits;
	if (bits != host)
		fprintf(stderr,
			"Warning: /%d as prefix is invalid, only /%d (or none) is supported.\n",
			bits, host);
	return (uint8_t)host;
}

static int parse_get(struct ip_ctx *c, struct get_args *a, int argc, char **argv)
{
	for (; argc > 0; argc--, argv++) {
		const char *k = argv[0];
		if (!strcmp(k, "fibmatch") || !strcmp(k, "connected")) {
			*(k[0] == 'f' ? &a->fibmatch : &a->connected) = true;
			continue;
		}
		if (!strcmp(k, "from") || !strcmp(k, "iif") || !strcmp(k, "oif") ||
		    !strcmp(k, "dev") || !strcmp(k, "mark") || !strcmp(k, "uid") ||
		    !strcmp(k, "tos") || !strcmp(k, "dsfield") || !strcmp(k, "vrf")) {
			if (argc < 2)
				return ip_incomplete(k);
			int r = get_kv(c, a, k, argv[1]);
			if (r)
				return r;
			argc--;
			argv++;
			continue;
		}
		if (!strcmp(k, "to")) {
			if (argc < 2)
				return ip_incomplete(k);
			argc--;
			argv++;
			k = argv[0];
		}
		if (ip_get_prefix(&a->dst, k, a->family) < 0)
			return bad_prefix(a->family, k);
		a->have_dst = true;
		if (a->family == AF_UNSPEC) /* "default"/"any" leave it AF_UNSPEC, as iproute2 */
			a->family = a->dst.family;
		a->dst_len = get_dst_len(a->family, &a->dst);
	}
	if (!a->have_dst) {
		fprintf(stderr, "need at least a destination address\n");
		return 1;
	}
	if (a->family == AF_UNSPEC) /* only "default"/"any": iproute2 asks IPv4 */
		a->family = AF_INET;
	return 0;
}

static int send_get(struct ip_ctx *c, const struct get_args *a, struct get_ctx *g)
{
	struct nl_sock *s;
	char buf[1024];
	if (ip_nl(c, &s) < 0)
		return 1;
	struct nlmsghdr *nlh = nl_msg_start(s, buf, RTM_GETROUTE, 0);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)a->family;
	rtm->rtm_tos = (uint8_t)a->tos;
	if (a->fibmatch)
		rtm->rtm_flags |= RTM_F_FIB_MATCH;
	if (a->dst.bytelen)
		mnl_attr_put(nlh, RTA_DST, a->dst.bytelen, a->dst.data);
	rtm->rtm_dst_len = a->dst_len;
	if (a->have_src) {
		mnl_attr_put(nlh, RTA_SRC, a->src.bytelen, a->src.data);
		rtm->rtm_src_len =
			(uint8_t)(a->src.bitlen < 0 ? a->src.bytelen * 8 : (unsigned)a->src.bitlen);
	}
	if (a->iif)
		mnl_attr_put_u32(nlh, RTA_IIF, a->iif);
	if (a->oif)
		mnl_attr_put_u32(nlh, RTA_OIF, a->oif);
	if (a->have_mark)
		mnl_attr_put_u32(nlh, RTA_MARK, a->mark);
	if (a->have_uid)
		mnl_attr_put_u32(nlh, RTA_UID, a->uid);
	struct nl_err err;
	if (nl_talk(s, nlh, on_get, g, &err) < 0) {
		emit_flush(c->out);
		ip_err_nl(c, &err, NULL);
		return 2;
	}
	return 0;
}

/* "connected": iproute2 6.1 means to look the route up again from the
 * source the first answer chose, but re-sends its first request (it edits
 * the answer, not the request), so both answers are the same. Same here,
 * for the same output. */
static int route_get(struct ip_ctx *c, int argc, char **argv)
{
	struct get_args a = {.family = c->family == AF_PACKET ? AF_UNSPEC : c->family};
	int r = parse_get(c, &a, argc, argv);
	if (r)
		return r;
	struct get_ctx g = {.c = c};
	emit_arr_open(c->out, NULL);
	r = send_get(c, &a, &g);
	if (!r && a.connected && !a.have_src) {
		if (!g.has_prefsrc) {
			fprintf(stderr, "Failed to connect the route\n");
			r = 255;
		} else {
			r = send_get(c, &a, &g);
		}
	}
	emit_arr_close(c->out);
	return r;
}

int ip_route_usage(void)
{
	fprintf(stderr, "Usage: ip route { list | flush } SELECTOR\n"
			"       ip route save SELECTOR\n"
			"       ip route restore\n"
			"       ip route showdump\n"
			"       ip route get [ ROUTE_GET_FLAGS ] ADDRESS\n"
			"                            [ from ADDRESS iif STRING ]\n"
			"                            [ oif STRING ] [ tos TOS ]\n"
			"                            [ mark NUMBER ] [ vrf NAME ]\n"
			"                            [ uid NUMBER ] [ ipproto PROTOCOL ]\n"
			"                            [ sport NUMBER ] [ dport NUMBER ]\n"
			"       ip route { add | del | change | append | replace } ROUTE\n");
	return 255;
}

int ip_route(struct ip_ctx *c, int argc, char **argv)
{
	if (argc < 1)
		return route_show(c, 0, NULL, false);
	const char *cmd = argv[0];
	if (ip_matches(cmd, "add"))
		return ip_route_change(c, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, argc - 1,
				       argv + 1);
	if (ip_matches(cmd, "change") || !strcmp(cmd, "chg"))
		return ip_route_change(c, RTM_NEWROUTE, NLM_F_REPLACE, argc - 1, argv + 1);
	if (ip_matches(cmd, "replace"))
		return ip_route_change(c, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, argc - 1,
				       argv + 1);
	if (ip_matches(cmd, "prepend"))
		return ip_route_change(c, RTM_NEWROUTE, NLM_F_CREATE, argc - 1, argv + 1);
	if (ip_matches(cmd, "append"))
		return ip_route_change(c, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_APPEND, argc - 1,
				       argv + 1);
	if (ip_matches(cmd, "test"))
		return ip_route_change(c, RTM_NEWROUTE, NLM_F_EXCL, argc - 1, argv + 1);
	if (ip_matches(cmd, "delete"))
		return ip_route_change(c, RTM_DELROUTE, 0, argc - 1, argv + 1);
	if (ip_matches(cmd, "list") || ip_matches(cmd, "show") || ip_matches(cmd, "lst"))
		return route_show(c, argc - 1, argv + 1, false);
	if (ip_matches(cmd, "flush"))
		return route_show(c, argc - 1, argv + 1, true);
	if (ip_matches(cmd, "get"))
		return route_get(c, argc - 1, argv + 1);
	if (ip_matches(cmd, "help"))
		return ip_route_usage();
	fprintf(stderr, "Command \"%s\" is unknown, try \"ip route help\".\n", cmd);
	return 255;
}
