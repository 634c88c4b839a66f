/* SPDX-License-Identifier: Apache-2.0 */
/* ip ntable: the neighbour tables (ARP, NDISC) and their per-device
 * parameters, dumped and printed as iproute2 6.1's `ip ntable show`
 * prints them, and changed as its `ip ntable change` changes them. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "cmd/ip/ip.h"

#define NONE_DEV (~0u) /* dev none: the tables themselves, no device's */

struct nt_filter {
	struct ip_ctx *c;
	uint32_t index;
	const char *name;
};

static int nt_usage(void)
{
	fprintf(stderr, "Usage: ip ntable change name NAME [ dev DEV ]\n"
			"        [ thresh1 VAL ] [ thresh2 VAL ] [ thresh3 VAL ] [ gc_int MSEC ]\n"
			"        [ PARMS ]\n"
			"Usage: ip ntable show [ dev DEV ] [ name NAME ]\n"
			"PARMS := [ base_reachable MSEC ] [ retrans MSEC ] [ gc_stale MSEC ]\n"
			"         [ delay_probe MSEC ] [ queue LEN ]\n"
			"         [ app_probes VAL ] [ ucast_probes VAL ] [ mcast_probes VAL ]\n"
			"         [ anycast_delay MSEC ] [ proxy_delay MSEC ] [ proxy_queue LEN ]\n"
			"         [ locktime MSEC ]\n");
	return 255;
}

/* The parameters, four lines in iproute2's order; 64-bit ones are msecs. */
static const struct {
	uint16_t type;
	bool wide;
	const char *key;
	int line;
} parms[] = {
	{NDTPA_REFCNT, false, "refcnt", 0},
	{NDTPA_REACHABLE_TIME, true, "reachable", 0},
	{NDTPA_BASE_REACHABLE_TIME, true, "base_reachable", 0},
	{NDTPA_RETRANS_TIME, true, "retrans", 0},
	{NDTPA_GC_STALETIME, true, "gc_stale", 1},
	{NDTPA_DELAY_PROBE_TIME, true, "delay_probe", 1},
	{NDTPA_QUEUE_LEN, false, "queue", 1},
	{NDTPA_APP_PROBES, false, "app_probes", 2},
	{NDTPA_UCAST_PROBES, false, "ucast_probes", 2},
	{NDTPA_MCAST_PROBES, false, "mcast_probes", 2},
	{NDTPA_ANYCAST_DELAY, true, "anycast_delay", 3},
	{NDTPA_PROXY_DELAY, true, "proxy_delay", 3},
	{NDTPA_PROXY_QLEN, false, "proxy_queue", 3},
	{NDTPA_LOCKTIME, true, "locktime", 3},
};

static void print_value(struct ip_ctx *c, const char *key, const struct nlattr *a, bool wide)
{
	char fmt[48];
	/* the one word whose text and JSON names differ */
	snprintf(fmt, sizeof(fmt), "%s %%llu ", strcmp(key, "gc_interval") ? key : "gc_int");
	size_t len = mnl_attr_get_payload_len(a);
	if (wide && len >= 8)
		emit_u64(c->out, key, fmt, mnl_attr_get_u64(a));
	else if (!wide && len >= 4)
		emit_u64(c->out, key, fmt, mnl_attr_get_u32(a));
}

static void print_parms(struct ip_ctx *c, const struct nlattr **tp)
{
	char b[IP_NAMESZ];
	if (tp[NDTPA_IFINDEX]) {
		emit_text(c->out, "    dev ");
		emit_str(c->out, "dev", "%s ",
			 ip_ifname(c, mnl_attr_get_u32(tp[NDTPA_IFINDEX]), b));
		ip_nl_sep(c);
	}
	for (int line = 0; line < 4; line++) {
		emit_text(c->out, "    ");
		for (size_t i = 0; i < sizeof(parms) / sizeof(parms[0]); i++)
			if (parms[i].line == line && tp[parms[i].type])
				print_value(c, parms[i].key, tp[parms[i].type], parms[i].wide);
		ip_nl_sep(c);
	}
}

/* "%Y-%m-%d %T" of now less msec, as iproute2 prints a table's flush and
 * rehash times; "(error)" for 0. */
static const char *time_back(uint32_t msec, char *buf, size_t len)
{
	struct timeval now;
	time_t t;
	struct tm tm;
	if (!msec || gettimeofday(&now, NULL) < 0)
		return "(error)";
	t = now.tv_sec - (time_t)(msec / 1000);
	if (!localtime_r(&t, &tm) || !strftime(buf, len, "%Y-%m-%d %T", &tm))
		return "(error)";
	return buf;
}

/* -s: the table's configuration (NDTA_CONFIG) */
static void print_config(struct ip_ctx *c, const struct nlattr *a)
{
	if (mnl_attr_get_payload_len(a) < sizeof(struct ndt_config))
		return;
	struct ndt_config cf;
	memcpy(&cf, mnl_attr_get_payload(a), sizeof(cf));
	const struct ndt_config *n = &cf;
	char b[32], h[16];
	emit_text(c->out, "    config ");
	emit_uint(c->out, "key_length", "key_len %u ", n->ndtc_key_len);
	emit_uint(c->out, "entry_size", "entry_size %u ", n->ndtc_entry_size);
	emit_uint(c->out, "entries", "entries %u ", n->ndtc_entries);
	ip_nl_sep(c);
	emit_text(c->out, "        ");
	emit_str(c->out, "last_flush", "last_flush %s ",
		 time_back(n->ndtc_last_flush, b, sizeof(b)));
	emit_str(c->out, "last_rand", "last_rand %s ", time_back(n->ndtc_last_rand, b, sizeof(b)));
	ip_nl_sep(c);
	emit_text(c->out, "        ");
	emit_uint(c->out, "hash_rnd", "hash_rnd %u ", n->ndtc_hash_rnd);
	snprintf(h, sizeof(h), emit_is_text(c->out) ? "%08x" : "%#x", n->ndtc_hash_mask);
	emit_str(c->out, "hash_mask", "hash_mask %s ", h);
	emit_uint(c->out, "hash_chain_gc", "hash_chain_gc %u ", n->ndtc_hash_chain_gc);
	emit_uint(c->out, "proxy_qlen", "proxy_qlen %u ", n->ndtc_proxy_qlen);
	ip_nl_sep(c);
}

/* -s: the table's counters (NDTA_STATS), five lines as iproute2's */
static void print_stats(struct ip_ctx *c, const struct nlattr *a)
{
	if (mnl_attr_get_payload_len(a) < sizeof(struct ndt_stats))
		return;
	struct ndt_stats st; /* u64 counters at a 4-byte offset: copied, not pointed at */
	memcpy(&st, mnl_attr_get_payload(a), sizeof(st));
	const struct ndt_stats *s = &st;
	const struct {
		const char *key;
		uint64_t v;
		int line;
	} f[] = {
		{"allocs", s->ndts_allocs, 0},
		{"destroys", s->ndts_destroys, 0},
		{"hash_grows", s->ndts_hash_grows, 0},
		{"res_failed", s->ndts_res_failed, 1},
		{"lookups", s->ndts_lookups, 1},
		{"hits", s->ndts_hits, 1},
		{"rcv_probes_mcast", s->ndts_rcv_probes_mcast, 2},
		{"rcv_probes_ucast", s->ndts_rcv_probes_ucast, 2},
		{"periodic_gc_runs", s->ndts_periodic_gc_runs, 3},
		{"forced_gc_runs", s->ndts_forced_gc_runs, 3},
		{"table_fulls", s->ndts_table_fulls, 4},
	};
	emit_text(c->out, "    stats ");
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (i && f[i].line != f[i - 1].line) {
			ip_nl_sep(c);
			emit_text(c->out, "    ");
		}
		char fmt[40];
		snprintf(fmt, sizeof(fmt), "%s %%llu ", f[i].key);
		emit_u64(c->out, f[i].key, fmt, f[i].v);
	}
	ip_nl_sep(c);
}

static int on_table(const struct nlmsghdr *nlh, void *data)
{
	struct nt_filter *f = data;
	struct ip_ctx *c = f->c;
	const struct ndtmsg *m = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[NDTA_MAX + 1], *tp[NDTPA_MAX + 1] = {0};
	if (nlh->nlmsg_type != RTM_NEWNEIGHTBL || mnl_nlmsg_get_payload_len(nlh) < sizeof(*m) ||
	    nl_parse(nlh, sizeof(*m), NULL, NDTA_MAX, tb) < 0)
		return MNL_CB_OK;
	if (c->family && c->family != m->ndtm_family)
		return MNL_CB_OK;
	const char *name = tb[NDTA_NAME] ? mnl_attr_get_str(tb[NDTA_NAME]) : NULL;
	if (name && f->name && strcmp(f->name, name))
		return MNL_CB_OK;
	if (tb[NDTA_PARMS]) {
		if (nl_parse_nested(tb[NDTA_PARMS], NULL, NDTPA_MAX, tp) < 0)
			return MNL_CB_OK;
		uint32_t idx = tp[NDTPA_IFINDEX] ? mnl_attr_get_u32(tp[NDTPA_IFINDEX]) : NONE_DEV;
		if (f->index && f->index != idx)
			return MNL_CB_OK;
	}
	emit_obj_open(c->out, NULL);
	emit_str(c->out, "family", "%s ",
		 m->ndtm_family == AF_INET    ? "inet"
		 : m->ndtm_family == AF_INET6 ? "inet6"
					      : "???");
	if (name)
		emit_str(c->out, "name", "%s ", name);
	ip_nl_sep(c);
	static const struct {
		uint16_t type;
		const char *key;
		bool wide;
	} th[] = {{NDTA_THRESH1, "thresh1", false},
		  {NDTA_THRESH2, "thresh2", false},
		  {NDTA_THRESH3, "thresh3", false},
		  {NDTA_GC_INTERVAL, "gc_interval", true}};
	bool any = tb[NDTA_THRESH1] || tb[NDTA_THRESH2] || tb[NDTA_THRESH3] || tb[NDTA_GC_INTERVAL];
	if (any)
		emit_text(c->out, "    ");
	for (size_t i = 0; i < sizeof(th) / sizeof(th[0]); i++)
		if (tb[th[i].type])
			print_value(c, th[i].key, tb[th[i].type], th[i].wide);
	if (any)
		ip_nl_sep(c);
	if (c->stats && tb[NDTA_CONFIG])
		print_config(c, tb[NDTA_CONFIG]);
	if (tb[NDTA_PARMS])
		print_parms(c, tp);
	if (c->stats && tb[NDTA_STATS])
		print_stats(c, tb[NDTA_STATS]);
	emit_text(c->out, "\n");
	emit_obj_close(c->out);
	return MNL_CB_OK;
}

static int nt_show(struct ip_ctx *c, int argc, char **argv)
{
	struct nt_filter f = {.c = c};
	for (; argc > 0; argc--, argv++) {
		bool dev = !strcmp(argv[0], "dev");
		if (!dev && strcmp(argv[0], "name"))
			return ip_invarg("unknown", argv[0]);
		if (argc < 2)
			return ip_incomplete(NULL);
		const char *v = *++argv;
		argc--;
		if (!dev)
			f.name = v;
		else if (!strcmp(v, "none"))
			f.index = NONE_DEV;
		else if (!(f.index = (uint32_t)ip_ifindex(c, v)))
			return ip_invarg("\"DEV\" is invalid", v);
	}
	struct nl_sock *s;
	if (ip_nl(c, &s) < 0)
		return 1;
	char buf[128];
	struct nlmsghdr *nlh = nl_msg_start(s, buf, RTM_GETNEIGHTBL, NLM_F_DUMP);
	struct ndtmsg *m = mnl_nlmsg_put_extra_header(nlh, sizeof(*m));
	m->ndtm_family = (uint8_t)c->family;
	struct nl_err err;
	emit_arr_open(c->out, NULL);
	int r = nl_talk(s, nlh, on_table, &f, &err);
	emit_arr_close(c->out);
	if (r < 0) {
		emit_flush(c->out);
		fprintf(stderr, "Dump terminated\n");
		return 1;
	}
	return 0;
}

/* ---- change ---- */

/* The words of a change, in iproute2's order: where the value goes
 * (NDTA_* of the table, or NDTPA_* of its parameters), its width. */
static const struct {
	const char *word;
	bool parm;
	uint16_t type;
	bool wide;
} nt_words[] = {
	{"thresh1", false, NDTA_THRESH1, false},
	{"thresh2", false, NDTA_THRESH2, false},
	{"thresh3", false, NDTA_THRESH3, false},
	{"gc_int", false, NDTA_GC_INTERVAL, true},
	{"base_reachable", true, NDTPA_BASE_REACHABLE_TIME, true},
	{"retrans", true, NDTPA_RETRANS_TIME, true},
	{"gc_stale", true, NDTPA_GC_STALETIME, true},
	{"delay_probe", true, NDTPA_DELAY_PROBE_TIME, true},
	{"queue", true, NDTPA_QUEUE_LEN, false},
	{"app_probes", true, NDTPA_APP_PROBES, false},
	{"ucast_probes", true, NDTPA_UCAST_PROBES, false},
	{"mcast_probes", true, NDTPA_MCAST_PROBES, false},
	{"anycast_delay", true, NDTPA_ANYCAST_DELAY, true},
	{"proxy_delay", true, NDTPA_PROXY_DELAY, true},
	{"proxy_queue", true, NDTPA_PROXY_QLEN, false},
	{"locktime", true, NDTPA_LOCKTIME, true},
};

struct nt_change {
	struct nlmsghdr *nlh, *parms; /* the request; the NDTA_PARMS attributes apart */
	const char *name;
	bool changes; /* a threshold, gc_int or parameter given */
};

/* One word and its value; 0 or an exit status. */
static int nt_word(struct ip_ctx *c, struct nt_change *ch, const char *k, const char *v)
{
	if (!strcmp(k, "name")) {
		if (ch->name)
			return ip_duparg("NAME", v);
		ch->name = v;
		mnl_attr_put_strz(ch->nlh, NDTA_NAME, v);
		return 0;
	}
	if (!strcmp(k, "dev")) {
		int idx = ip_ifindex(c, v);
		if (!idx) {
			fprintf(stderr, "Cannot find device \"%s\"\n", v);
			return 1;
		}
		mnl_attr_put_u32(ch->parms, NDTPA_IFINDEX, (uint32_t)idx);
		return 0;
	}
	for (size_t i = 0; i < sizeof(nt_words) / sizeof(nt_words[0]); i++) {
		if (strcmp(k, nt_words[i].word))
			continue;
		char msg[48];
		snprintf(msg, sizeof(msg), "\"%s\" value is invalid", k);
		char *end;
		errno = 0;
		unsigned long long x = strtoull(v, &end, 0);
		if (!*v || *end || errno || *v == '-' || (!nt_words[i].wide && x > UINT32_MAX))
			return ip_invarg(msg, v);
		struct nlmsghdr *m = nt_words[i].parm ? ch->parms : ch->nlh;
		if (nt_words[i].wide)
			mnl_attr_put_u64(m, nt_words[i].type, x);
		else
			mnl_attr_put_u32(m, nt_words[i].type, (uint32_t)x);
		ch->changes = true;
		return 0;
	}
	return ip_invarg("unknown", k);
}

static int nt_change(struct ip_ctx *c, int argc, char **argv)
{
	static _Alignas(struct nlmsghdr) char pbuf[1024];
	struct nl_sock *s;
	if (ip_nl(c, &s) < 0)
		return 1;
	char buf[2048];
	struct nt_change ch = {.nlh = nl_msg_start(s, buf, RTM_SETNEIGHTBL, NLM_F_REPLACE),
			       .parms = mnl_nlmsg_put_header(pbuf)};
	struct ndtmsg *m = mnl_nlmsg_put_extra_header(ch.nlh, sizeof(*m));
	m->ndtm_family = (uint8_t)c->family;
	for (; argc > 0; argc--, argv++) {
		bool known = !strcmp(argv[0], "name") || !strcmp(argv[0], "dev");
		for (size_t i = 0; i < sizeof(nt_words) / sizeof(nt_words[0]) && !known; i++)
			known = !strcmp(argv[0], nt_words[i].word);
		if (!known)
			return ip_invarg("unknown", argv[0]);
		if (argc < 2)
			return ip_incomplete(NULL);
		int r = nt_word(c, &ch, argv[0], argv[1]);
		if (r)
			return r;
		argc--;
		argv++;
	}
	if (!ch.name) {
		fprintf(stderr, "Error: argument \"NAME\" is required\n");
		return 255;
	}
	if (!ch.changes) {
		fprintf(stderr, "Not enough information: changeable attributes required.\n");
		return 255;
	}
	size_t plen = ch.parms->nlmsg_len - MNL_NLMSG_HDRLEN;
	if (plen)
		mnl_attr_put(ch.nlh, NDTA_PARMS, plen, mnl_nlmsg_get_payload(ch.parms));
	struct nl_err err;
	if (nl_talk(s, ch.nlh, NULL, NULL, &err) < 0) {
		ip_err_nl(c, &err, NULL);
		return 2;
	}
	return 0;
}

int ip_ntable(struct ip_ctx *c, int argc, char **argv)
{
	if (argc < 1)
		return nt_show(c, 0, NULL);
	const char *k = argv[0];
	if (ip_matches(k, "change") || ip_matches(k, "chg"))
		return nt_change(c, argc - 1, argv + 1);
	if (ip_matches(k, "show") || ip_matches(k, "lst") || ip_matches(k, "list"))
		return nt_show(c, argc - 1, argv + 1);
	if (ip_matches(k, "help"))
		return nt_usage();
	fprintf(stderr, "Command \"%s\" is unknown, try \"ip ntable help\".\n", k);
	return 255;
}
