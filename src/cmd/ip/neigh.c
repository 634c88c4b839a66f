/* SPDX-License-Identifier: Apache-2.0 */
/* ip neigh: show (streamed), add/del/change/replace, flush. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "cmd/ip/ip.h"
#include "lib/nl/msglist.h"
#include "lib/util/fmt.h"

struct neigh_filter {
	struct ip_ctx *c;
	int family;
	uint32_t ifindex;
	unsigned state;
	bool proxy, unused;
	int master; /* -1 any */
	struct ip_prefix pfx;
	bool has_pfx;
	/* flush */
	bool flush;
	struct nl_sock *fs;
	struct nl_msg_list del; /* flush: the entries to delete, after the dump */
};

static const struct nl_policy neigh_pol[NDA_MAX + 1] = {
	[NDA_CACHEINFO] = {MNL_TYPE_BINARY, sizeof(struct nda_cacheinfo)},
	[NDA_PROBES] = {MNL_TYPE_U32, 0},
	[NDA_PROTOCOL] = {MNL_TYPE_U8, 0},
	[NDA_MASTER] = {MNL_TYPE_U32, 0},
};

static const struct {
	const char *name;
	unsigned bit;
} nud_states[] = {
	{"INCOMPLETE", NUD_INCOMPLETE}, {"REACHABLE", NUD_REACHABLE}, {"STALE", NUD_STALE},
	{"DELAY", NUD_DELAY},		{"PROBE", NUD_PROBE},	      {"FAILED", NUD_FAILED},
	{"NOARP", NUD_NOARP},		{"PERMANENT", NUD_PERMANENT},
};

static int nud_parse(const char *s, unsigned *state)
{
	if (!strcmp(s, "all")) {
		*state = ~0u;
		return 0;
	}
	if (!strcmp(s, "none")) {
		*state = NUD_NONE;
		return 0;
	}
	for (size_t i = 0; i < sizeof(nud_states) / sizeof(nud_states[0]); i++) {
		if (!strcasecmp(s, nud_states[i].name)) {
			*state = nud_states[i].bit;
			return 0;
		}
	}
	uint32_t v;
	if (ip_get_u32(&v, s, 0) < 0 || v > 255)
		return -1;
	*state = v;
	return 0;
}

static void print_state(struct ip_ctx *c, unsigned nud)
{
	emit_arr_open(c->out, "state");
	for (size_t i = 0; i < sizeof(nud_states) / sizeof(nud_states[0]); i++) {
		if (nud & nud_states[i].bit) {
			nud &= ~nud_states[i].bit;
			emit_str(c->out, NULL, "%s ", nud_states[i].name);
		}
	}
	emit_arr_close(c->out);
}

static int neigh_parse(const struct nlmsghdr *nlh, const struct ndmsg **ndm,
		       const struct nlattr **tb)
{
	if ((nlh->nlmsg_type != RTM_NEWNEIGH && nlh->nlmsg_type != RTM_DELNEIGH &&
	     nlh->nlmsg_type != RTM_GETNEIGH) ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(struct ndmsg))
		return -1;
	*ndm = mnl_nlmsg_get_payload(nlh);
	return nl_parse(nlh, sizeof(**ndm), neigh_pol, NDA_MAX, tb) < 0 ? -1 : 0;
}

static bool neigh_ok(const struct neigh_filter *f, const struct ndmsg *r, const struct nlattr **tb)
{
	if (f->family && f->family != r->ndm_family)
		return false;
	if (f->ifindex && f->ifindex != (uint32_t)r->ndm_ifindex)
		return false;
	if (!(f->state & r->ndm_state) && !(r->ndm_flags & NTF_PROXY) &&
	    !(r->ndm_flags & NTF_EXT_LEARNED) && (r->ndm_state || !(f->state & 0x100)))
		return false;
	if (f->master >= 0) {
		uint32_t m = tb[NDA_MASTER] ? mnl_attr_get_u32(tb[NDA_MASTER]) : 0;
		if ((int)m != f->master)
			return false;
	}
	if (f->has_pfx && !f->pfx.any) {
		const struct nlattr *d = tb[NDA_DST];
		if (!d || f->pfx.family != r->ndm_family ||
		    !ip_prefix_covers(&f->pfx, mnl_attr_get_payload(d),
				      mnl_attr_get_payload_len(d)))
			return false;
	}
	if (f->unused && tb[NDA_CACHEINFO]) {
		const struct nda_cacheinfo *ci = mnl_attr_get_payload(tb[NDA_CACHEINFO]);
		if (ci->ndm_refcnt)
			return false;
	}
	return true;
}

/* The neighbour's address, in fmt (a bridge entry's family follows its length). */
static void print_neigh_dst(struct ip_ctx *c, const struct ndmsg *r, const struct nlattr **tb,
			    const char *fmt)
{
	char b[1100];
	if (!tb[NDA_DST])
		return;
	int family = r->ndm_family;
	unsigned len = mnl_attr_get_payload_len(tb[NDA_DST]);
	if (family == AF_BRIDGE)
		family = len == 16 ? AF_INET6 : AF_INET;
	if ((family == AF_INET && len >= 4) || (family == AF_INET6 && len >= 16))
		ip_cstr(c, ip_family_color(family), "dst", fmt,
			ip_fmt_host(c, family, mnl_attr_get_payload(tb[NDA_DST]), b, sizeof(b)));
}

/* -br: address, device, link-layer address in columns. */
static int print_neigh_brief(struct ip_ctx *c, const struct ndmsg *r, const struct nlattr **tb,
			     uint32_t filter_ifindex)
{
	char b[1100];
	print_neigh_dst(c, r, tb, "%-39s ");
	if (!filter_ifindex && r->ndm_ifindex) {
		char nb[IP_NAMESZ];
		ip_cstr(c, COL_IFNAME, "dev", "%-16s ", ip_ifname(c, (uint32_t)r->ndm_ifindex, nb));
	}
	if (tb[NDA_LLADDR])
		ip_cstr(c, COL_MAC, "lladdr", "%s",
			ip_ll_addr(mnl_attr_get_payload(tb[NDA_LLADDR]),
				   mnl_attr_get_payload_len(tb[NDA_LLADDR]), 1, b, sizeof(b)));
	emit_text(c->out, "\n");
	return 0;
}

int ip_print_neigh(struct ip_ctx *c, const struct nlmsghdr *nlh, uint32_t filter_ifindex)
{
	const struct ndmsg *r;
	const struct nlattr *tb[NDA_MAX + 1];
	char b[1100];
	if (neigh_parse(nlh, &r, tb) < 0)
		return -1;
	if (nlh->nlmsg_type == RTM_DELNEIGH)
		emit_bool(c->out, "deleted", "Deleted ", true);
	else if (nlh->nlmsg_type == RTM_GETNEIGH)
		emit_null(c->out, "miss", "miss ");
	if (c->brief)
		return print_neigh_brief(c, r, tb, filter_ifindex);
	print_neigh_dst(c, r, tb, "%s ");
	if (!filter_ifindex && r->ndm_ifindex) {
		char nb[IP_NAMESZ];
		emit_text(c->out, "dev ");
		ip_cstr(c, COL_IFNAME, "dev", "%s ", ip_ifname(c, (uint32_t)r->ndm_ifindex, nb));
	}
	if (tb[NDA_LLADDR]) {
		emit_text(c->out, "lladdr ");
		ip_cstr(c, COL_MAC, "lladdr", "%s ",
			ip_ll_addr(mnl_attr_get_payload(tb[NDA_LLADDR]),
				   mnl_attr_get_payload_len(tb[NDA_LLADDR]), 1, b, sizeof(b)));
	}
	if (r->ndm_flags & NTF_ROUTER)
		emit_null(c->out, "router", "router ");
	if (r->ndm_flags & NTF_PROXY)
		emit_null(c->out, "proxy", "proxy ");
	if (r->ndm_flags & NTF_EXT_LEARNED)
		emit_null(c->out, "extern_learn", "extern_learn ");
	if (r->ndm_flags & NTF_OFFLOADED)
		emit_null(c->out, "offload", "offload ");
	if (c->stats) {
		if (tb[NDA_CACHEINFO]) {
			const struct nda_cacheinfo *ci = mnl_attr_get_payload(tb[NDA_CACHEINFO]);
			if (ci->ndm_refcnt)
				emit_uint(c->out, "refcnt", " ref %u", ci->ndm_refcnt);
			emit_uint(c->out, "used", " used %u", ci->ndm_used / 100);
			emit_uint(c->out, "confirmed", "/%u", ci->ndm_confirmed / 100);
			emit_uint(c->out, "updated", "/%u", ci->ndm_updated / 100);
		}
		if (tb[NDA_PROBES])
			emit_uint(c->out, "probes", "probes %u ", mnl_attr_get_u32(tb[NDA_PROBES]));
	}
	if (r->ndm_state)
		print_state(c, r->ndm_state);
	if (tb[NDA_PROTOCOL]) {
		uint8_t p = mnl_attr_get_u8(tb[NDA_PROTOCOL]);
		if (p || c->details)
			emit_str(c->out, "protocol", " proto %s ",
				 ip_name(c, IPT_PROTO, p, b, sizeof(b)));
	}
	emit_text(c->out, "\n");
	return 0;
}

static int on_neigh(const struct nlmsghdr *nlh, void *data)
{
	struct neigh_filter *f = data;
	const struct ndmsg *r;
	const struct nlattr *tb[NDA_MAX + 1];
	if (neigh_parse(nlh, &r, tb) < 0 || !neigh_ok(f, r, tb))
		return MNL_CB_OK;
	if (f->flush)
		return nl_msg_list_add(&f->del, nlh);
	emit_obj_open(f->c->out, NULL);
	ip_print_neigh(f->c, nlh, f->ifindex);
	emit_obj_close(f->c->out);
	return MNL_CB_OK;
}

static int parse_filter(struct ip_ctx *c, struct neigh_filter *f, int argc, char **argv)
{
	for (; argc > 0; argc--, argv++) {
		const char *k = argv[0];
		if (!strcmp(k, "proxy")) {
			f->proxy = true;
		} else if (!strcmp(k, "unused")) {
			f->unused = true;
		} else if (!strcmp(k, "nomaster")) {
			f->master = 0;
		} else if (!strcmp(k, "dev") || !strcmp(k, "nud") || !strcmp(k, "master") ||
			   !strcmp(k, "vrf") || !strcmp(k, "to")) {
			if (argc < 2)
				return ip_incomplete(k);
			const char *v = argv[1];
			argc--;
			argv++;
			if (!strcmp(k, "nud")) {
				unsigned st;
				if (nud_parse(v, &st) < 0)
					return ip_invarg("nud state is bad", v);
				if (f->state == (0xFFu & ~NUD_NOARP) ||
				    f->state == (0xFFu & ~(NUD_PERMANENT | NUD_NOARP)))
					f->state = 0;
				f->state |= st;
				if (st == NUD_NONE)
					f->state |= 0x100;
			} else if (!strcmp(k, "to")) {
				if (ip_get_prefix(&f->pfx, v, f->family) < 0)
					return ip_invarg("to value is invalid\n", v);
				f->has_pfx = true;
			} else {
				int idx = ip_ifindex(c, v);
				if (!idx)
					return ip_nodev(v);
				if (!strcmp(k, "dev"))
					f->ifindex = (uint32_t)idx;
				else
					f->master = idx;
			}
		} else {
			if (ip_get_prefix(&f->pfx, k, f->family) < 0)
				return ip_invarg("to value is invalid\n", k);
			f->has_pfx = true;
		}
	}
	return 0;
}

static int neigh_dump(struct ip_ctx *c, struct neigh_filter *f)
{
	struct nl_sock *s;
	if (ip_nl(c, &s) < 0)
		return 1;
	char buf[128];
	struct nlmsghdr *nlh = nl_msg_start(s, buf, RTM_GETNEIGH, NLM_F_DUMP);
	struct ndmsg *ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = (uint8_t)f->family;
	if (f->proxy)
		ndm->ndm_flags = NTF_PROXY;
	/* the kernel filters by device and master (strict checking), as
	 * iproute2 asks; on_neigh still checks */
	if (f->ifindex)
		mnl_attr_put_u32(nlh, NDA_IFINDEX, f->ifindex);
	if (f->master > 0)
		mnl_attr_put_u32(nlh, NDA_MASTER, (uint32_t)f->master);
	struct nl_err err;
	if (nl_talk(s, nlh, on_neigh, f, &err) < 0) {
		emit_flush(c->out);
		ip_err_nl(c, &err, NULL);
		fprintf(stderr, "Dump terminated\n");
		return 1;
	}
	return 0;
}

static int neigh_show(struct ip_ctx *c, int argc, char **argv, bool flush)
{
	struct neigh_filter f = {.c = c, .master = -1, .flush = flush};
	f.family = c->family == AF_PACKET ? AF_UNSPEC : c->family;
	f.state = flush ? 0xFFu & ~(NUD_PERMANENT | NUD_NOARP) : 0xFFu & ~NUD_NOARP;
	int r = parse_filter(c, &f, argc, argv);
	if (r)
		return r;
	if (flush && argc == 0) {
		fprintf(stderr, "Flush requires arguments.\n");
		return 1;
	}
	if (!flush) {
		emit_arr_open(c->out, NULL);
		r = neigh_dump(c, &f);
		emit_arr_close(c->out);
		return r;
	}
	r = neigh_dump(c, &f);
	struct nl_err err;
	if (!r && nl_msg_list_send(&c->nl, &f.del, RTM_DELNEIGH, false, -ENOENT, &err) < 0) {
		ip_err_nl(c, &err, NULL);
		r = 1;
	}
	if (!r && c->stats && !f.del.n)
		emit_text(c->out, "Nothing to flush.\n");
	else if (!r && c->stats)
		emit_text(c->out,
			  "\n*** Round 1, deleting %zu entries ***\n"
			  "*** Flush is complete after 1 round ***\n",
			  f.del.n);
	nl_msg_list_free(&f.del);
	return r;
}

struct neigh_args {
	struct ip_prefix dst;
	uint8_t lladdr[32];
	int lllen; /* -1: none given */
	const char *dev;
	unsigned state;
	uint8_t nflags, proto;
	bool have_dst, have_proto;
	int family;
};

static int neigh_dst(struct neigh_args *a, const char *v)
{
	if (a->have_dst)
		return ip_duparg2("to", v);
	if (ip_get_addr(&a->dst, v, a->family) < 0 || a->dst.any) {
		fprintf(stderr, "Error: %s address is expected rather than \"%s\".\n",
			a->family == AF_INET6  ? "inet6"
			: a->family == AF_INET ? "inet"
					       : "any valid",
			v);
		return 1;
	}
	a->have_dst = true;
	return 0;
}

/* KEY VALUE of a neighbour change. */
static int neigh_kv(struct ip_ctx *c, struct neigh_args *a, const char *k, const char *v)
{
	if (!strcmp(k, "lladdr")) {
		if (a->lllen >= 0)
			return ip_duparg("lladdr", v);
		if (!strcmp(v, "null"))
			a->lllen = 0;
		else if ((a->lllen = ip_get_lladdr(a->lladdr, sizeof(a->lladdr), v)) < 0)
			return ip_invarg("invalid lladdr", v);
	} else if (!strcmp(k, "nud")) {
		if (nud_parse(v, &a->state) < 0 || a->state == ~0u)
			return ip_invarg("nud state is bad", v);
	} else if (!strcmp(k, "proxy")) {
		a->nflags |= NTF_PROXY;
		if (a->have_dst)
			return ip_duparg("address", v);
		if (ip_get_addr(&a->dst, v, a->family) < 0 || a->dst.any)
			return ip_invarg("invalid address", v);
		a->have_dst = true;
	} else if (!strcmp(k, "dev")) {
		a->dev = v;
	} else if (ip_matches(k, "protocol")) {
		uint32_t p;
		if (ip_name_id(c, IPT_PROTO, v, &p) < 0 || p > 255)
			return ip_invarg("\"protocol\" value is invalid\n", v);
		a->proto = (uint8_t)p;
		a->have_proto = true;
	} else {
		return neigh_dst(a, v); /* "to ADDR" */
	}
	return 0;
}

static int neigh_parse_args(struct ip_ctx *c, struct neigh_args *a, int argc, char **argv)
{
	for (; argc > 0; argc--, argv++) {
		const char *k = argv[0];
		if (!strcmp(k, "router") || !strcmp(k, "extern_learn")) {
			a->nflags |= k[0] == 'r' ? NTF_ROUTER : NTF_EXT_LEARNED;
			continue;
		}
		bool kv = !strcmp(k, "lladdr") || !strcmp(k, "nud") || !strcmp(k, "proxy") ||
			  !strcmp(k, "dev") || ip_matches(k, "protocol") || !strcmp(k, "to");
		if (!kv) {
			int r = neigh_dst(a, k);
			if (r)
				return r;
			continue;
		}
		if (argc < 2)
			return ip_incomplete(k);
		int r = neigh_kv(c, a, k, argv[1]);
		if (r)
			return r;
		argc--;
		argv++;
	}
	if (!a->dev || !a->have_dst) {
		fprintf(stderr, "Device and destination are required arguments.\n");
		return 255;
	}
	return 0;
}

static int neigh_modify(struct ip_ctx *c, int cmd, int flags, int argc, char **argv)
{
	struct neigh_args a = {
		.lllen = -1,
		.state = cmd == RTM_DELNEIGH ? 0 : NUD_PERMANENT,
		.family = c->family == AF_PACKET ? AF_UNSPEC : c->family,
	};
	int r = neigh_parse_args(c, &a, argc, argv);
	if (r)
		return r;
	int idx = ip_ifindex(c, a.dev);
	if (!idx)
		return ip_nodev(a.dev);
	struct nl_sock *s;
	if (ip_nl(c, &s) < 0)
		return 1;
	char buf[512];
	struct nlmsghdr *nlh = nl_msg_start(s, buf, (uint16_t)cmd, (uint16_t)flags);
	struct ndmsg *ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = (uint8_t)a.dst.family;
	ndm->ndm_state = (uint16_t)a.state;
	ndm->ndm_flags = a.nflags;
	ndm->ndm_ifindex = idx;
	mnl_attr_put(nlh, NDA_DST, a.dst.bytelen, a.dst.data);
	if (a.lllen >= 0)
		mnl_attr_put(nlh, NDA_LLADDR, (size_t)a.lllen, a.lladdr);
	if (a.have_proto)
		mnl_attr_put_u8(nlh, NDA_PROTOCOL, a.proto);
	struct nl_err err;
	if (nl_talk(s, nlh, NULL, NULL, &err) < 0) {
		ip_err_nl(c, &err, NULL);
		return 2;
	}
	return 0;
}

static int on_got(const struct nlmsghdr *nlh, void *data)
{
	ip_print_neigh(data, nlh, 0);
	return MNL_CB_OK;
}

/* get ADDR dev DEV / get proxy ADDR: the kernel's one entry, printed as
 * text even with -j (iproute2 6.1 opens no JSON document here). */
static int neigh_get(struct ip_ctx *c, int argc, char **argv)
{
	struct ip_prefix dst = {0};
	const char *dev = NULL;
	bool dst_ok = false, dev_ok = false, proxy = false;
	int fam = c->family == AF_PACKET ? AF_UNSPEC : c->family;
	for (; argc > 0; argc--, argv++) {
		const char *k = argv[0];
		bool is_dev = !strcmp(k, "dev"), is_proxy = ip_matches(k, "proxy");
		if (is_dev || is_proxy || !strcmp(k, "to")) {
			if (argc < 2)
				return ip_incomplete(NULL);
			argc--;
			argv++;
		}
		if (is_dev) {
			dev = argv[0];
			dev_ok = true;
			continue;
		}
		if (ip_matches(argv[0], "help"))
			return 255;
		if (dst_ok)
			return is_proxy ? ip_duparg("address", argv[0]) : ip_duparg2("to", argv[0]);
		if (ip_get_addr(&dst, argv[0], fam) < 0) {
			fprintf(stderr, "Error: %s address is expected rather than \"%s\".\n",
				fam == AF_INET	  ? "inet"
				: fam == AF_INET6 ? "inet6"
						  : "any valid",
				argv[0]);
			return 1;
		}
		dst_ok = true;
		dev_ok |= is_proxy;
		proxy |= is_proxy;
	}
	if (!dev_ok || !dst_ok || dst.family == AF_UNSPEC) {
		fprintf(stderr, "Device and address are required arguments.\n");
		return 1;
	}
	int ifindex = 0;
	if (dev && !(ifindex = ip_ifindex(c, dev))) {
		fprintf(stderr, "Cannot find device \"%s\"\n", dev);
		return 1;
	}
	struct nl_sock *s;
	if (ip_nl(c, &s) < 0)
		return 1;
	char buf[256];
	struct nlmsghdr *nlh = nl_msg_start(s, buf, RTM_GETNEIGH, 0);
	struct ndmsg *ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = (uint8_t)dst.family;
	ndm->ndm_ifindex = ifindex;
	ndm->ndm_flags = proxy ? NTF_PROXY : 0;
	mnl_attr_put(nlh, NDA_DST, dst.bytelen, dst.data);
	emit_finish(c->out);
	emit_init(c->out, STDOUT_FILENO, EMIT_TEXT, 0);
	struct nl_err err;
	if (nl_talk(s, nlh, on_got, c, &err) < 0) {
		ip_err_nl(c, &err, NULL);
		return 2;
	}
	return 0;
}

int ip_neigh(struct ip_ctx *c, int argc, char **argv)
{
	if (argc < 1)
		return neigh_show(c, 0, NULL, false);
	const char *cmd = argv[0];
	if (ip_matches(cmd, "add"))
		return neigh_modify(c, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_EXCL, argc - 1, argv + 1);
	if (ip_matches(cmd, "change") || !strcmp(cmd, "chg"))
		return neigh_modify(c, RTM_NEWNEIGH, NLM_F_REPLACE, argc - 1, argv + 1);
	if (ip_matches(cmd, "replace"))
		return neigh_modify(c, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, argc - 1,
				    argv + 1);
	if (ip_matches(cmd, "delete"))
		return neigh_modify(c, RTM_DELNEIGH, 0, argc - 1, argv + 1);
	if (ip_matches(cmd, "get"))
		return neigh_get(c, argc - 1, argv + 1);
	if (ip_matches(cmd, "list") || ip_matches(cmd, "show") || ip_matches(cmd, "lst"))
		return neigh_show(c, argc - 1, argv + 1, false);
	if (ip_matches(cmd, "flush"))
		return neigh_show(c, argc - 1, argv + 1, true);
	if (ip_matches(cmd, "help")) {
		fprintf(stderr,
			"Usage: ip neigh { add | del | change | replace }\n"
			"		{ ADDR [ lladdr LLADDR ] [ nud STATE ] proxy ADDR }\n"
			"		[ dev DEV ] [ router ] [ extern_learn ] [ protocol PROTO "
			"]\n"
			"\n"
			"	ip neigh { show | flush } [ proxy ] [ to PREFIX ] [ dev DEV ] [ "
			"nud STATE ]\n"
			"				  [ vrf NAME ]\n");
		return 255;
	}
	fprintf(stderr, "Command \"%s\" is unknown, try \"ip neigh help\".\n", cmd);
	return 255;
}
