/* SPDX-License-Identifier: Apache-2.0 */
/* ip tcp_metrics: show, flush, delete the kernel's per-destination TCP
 * metrics cache, over the "tcp_metrics" generic netlink family. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/tcp_metrics.h>

#include "cmd/ip/ip.h"
#include "lib/nl/genl.h"

enum tm_cmd { TM_SHOW, TM_FLUSH, TM_DEL };

struct tm_ctx {
	struct ip_ctx *c;
	enum tm_cmd cmd;
	struct ip_prefix daddr, saddr;
	bool has_daddr, has_saddr;
	struct nl_sock s;
	uint16_t family_id;
	/* flush: the entries to delete, as (dst attr, src attr) copies */
	struct tm_entry {
		uint16_t dtype, stype;
		uint8_t dlen, slen;
		uint8_t d[16], s[16];
	} * del;
	size_t ndel, cap;
};

/* A bare family (from -4/-6) matches its family; an address without
 * /N matches only itself. */
static bool prefix_match(const struct ip_prefix *p, int family, const uint8_t *a)
{
	if (!p->family)
		return true;
	if (p->family != family)
		return false;
	return ip_prefix_covers(p, a, 16);
}

static void print_vals(struct ip_ctx *c, const struct nlattr *vals)
{
	static const char *const names[] = {[TCP_METRIC_RTT] = "rtt",
					    [TCP_METRIC_RTTVAR] = "rttvar",
					    [TCP_METRIC_SSTHRESH] = "ssthresh",
					    [TCP_METRIC_CWND] = "cwnd",
					    [TCP_METRIC_REORDERING] = "reordering"};
	const struct nlattr *m[TCP_METRIC_MAX + 2];
	unsigned long rtt = 0, rttvar = 0;
	if (nl_parse_nested(vals, NULL, TCP_METRIC_MAX + 1, m) < 0)
		return;
	for (int i = 0; i < TCP_METRIC_MAX + 1; i++) {
		const struct nlattr *a = m[i + 1];
		if (!a || mnl_attr_get_payload_len(a) < 4)
			continue;
		uint32_t val = mnl_attr_get_u32(a);
		char b[32];
		const char *name;
		switch (i) {
		case TCP_METRIC_RTT:
			if (!rtt)
				rtt = (val * 1000UL) >> 3;
			continue;
		case TCP_METRIC_RTTVAR:
			if (!rttvar)
				rttvar = (val * 1000UL) >> 2;
			continue;
		case TCP_METRIC_RTT_US: rtt = val >> 3; continue;
		case TCP_METRIC_RTTVAR_US: rttvar = val >> 2; continue;
		case TCP_METRIC_SSTHRESH:
		case TCP_METRIC_CWND:
		case TCP_METRIC_REORDERING: name = names[i]; break;
		default: snprintf(b, sizeof(b), " metric_%d ", i); name = b;
		}
		emit_uint(c->out, name, NULL, val);
		emit_text(c->out, " %s ", name);
		emit_text(c->out, "%u", val);
	}
	if (rtt) {
		emit_double(c->out, "rtt", NULL, "%g", (double)rtt / 1000000.0);
		emit_text(c->out, " rtt %luus", rtt);
	}
	if (rttvar) {
		emit_double(c->out, "rttvar", NULL, "%g", (double)rttvar / 1000000.0);
		emit_text(c->out, " rttvar %luus", rttvar);
	}
}

static void print_fastopen(struct ip_ctx *c, const struct nlattr **tb)
{
	const struct nlattr *a = tb[TCP_METRICS_ATTR_FOPEN_MSS];
	if (a && mnl_attr_get_payload_len(a) >= 2)
		emit_uint(c->out, "fopen_miss", " fo_mss %u", mnl_attr_get_u16(a));
	a = tb[TCP_METRICS_ATTR_FOPEN_SYN_DROPS];
	if (a && mnl_attr_get_payload_len(a) >= 2) {
		const struct nlattr *t = tb[TCP_METRICS_ATTR_FOPEN_SYN_DROP_TS];
		double ts = t && mnl_attr_get_payload_len(t) >= 8 ? (double)mnl_attr_get_u64(t) : 0;
		emit_uint(c->out, "fopen_syn_drops", " fo_syn_drops %u", mnl_attr_get_u16(a));
		emit_double(c->out, "fopen_syn_drop_ts", "/%.03fusec ago", "%g", ts / 1000000.);
	}
	a = tb[TCP_METRICS_ATTR_FOPEN_COOKIE];
	if (a) {
		char cookie[33] = "";
		const uint8_t *p = mnl_attr_get_payload(a);
		unsigned n = mnl_attr_get_payload_len(a);
		for (unsigned i = 0; i < n && i < 16; i++)
			snprintf(cookie + 2 * i, 3, "%02x", p[i]);
		emit_str(c->out, "fo_cookie", " fo_cookie %s", cookie);
	}
}

/* Pull the destination or source address out: family and bytes. */
static int get_addr(const struct nlattr **tb, int a4, int a6, uint16_t *type, uint8_t *out,
		    uint8_t *len)
{
	const struct nlattr *a = tb[a4];
	int family = AF_INET;
	*type = (uint16_t)a4;
	if (!a) {
		a = tb[a6];
		family = AF_INET6;
		*type = (uint16_t)a6;
	}
	if (!a)
		return 0;
	unsigned n = mnl_attr_get_payload_len(a);
	if (n != (family == AF_INET ? 4u : 16u))
		return 0;
	memcpy(out, mnl_attr_get_payload(a), n);
	*len = (uint8_t)n;
	return family;
}

static int queue_del(struct tm_ctx *t, const struct tm_entry *e)
{
	if (t->ndel == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 32;
		struct tm_entry *n = realloc(t->del, ncap * sizeof(*n));
		if (!n)
			return MNL_CB_ERROR;
		t->del = n;
		t->cap = ncap;
	}
	t->del[t->ndel++] = *e;
	return MNL_CB_OK;
}

static int on_metrics(const struct nlmsghdr *nlh, void *data)
{
	struct tm_ctx *t = data;
	struct ip_ctx *c = t->c;
	const struct nlattr *tb[TCP_METRICS_ATTR_MAX + 1];
	if (nl_parse(nlh, GENL_HDRLEN, NULL, TCP_METRICS_ATTR_MAX, tb) < 0)
		return MNL_CB_OK;
	struct tm_entry e = {0};
	int df = get_addr(tb, TCP_METRICS_ATTR_ADDR_IPV4, TCP_METRICS_ATTR_ADDR_IPV6, &e.dtype, e.d,
			  &e.dlen);
	if (!df)
		return MNL_CB_OK;
	int sf = get_addr(tb, TCP_METRICS_ATTR_SADDR_IPV4, TCP_METRICS_ATTR_SADDR_IPV6, &e.stype,
			  e.s, &e.slen);
	if (t->daddr.family && !prefix_match(&t->daddr, df, e.d))
		return MNL_CB_OK;
	if (sf && t->saddr.family && !prefix_match(&t->saddr, sf, e.s))
		return MNL_CB_OK;
	if (t->cmd == TM_FLUSH)
		return queue_del(t, &e);
	char b[1100];
	emit_obj_open(c->out, NULL);
	emit_str(c->out, "dst", "%s", ip_fmt_host(c, df, e.d, b, sizeof(b)));
	const struct nlattr *a = tb[TCP_METRICS_ATTR_AGE];
	if (a && mnl_attr_get_payload_len(a) >= 8)
		emit_double(c->out, "age", " age %.03fsec", "%g", mnl_attr_get_u64(a) / 1000.);
	a = tb[TCP_METRICS_ATTR_TW_TS_STAMP];
	if (a && mnl_attr_get_payload_len(a) >= 4) {
		int32_t stamp = (int32_t)mnl_attr_get_u32(a);
		const struct nlattr *v = tb[TCP_METRICS_ATTR_TW_TSVAL];
		uint32_t tsval = v && mnl_attr_get_payload_len(v) >= 4 ? mnl_attr_get_u32(v) : 0;
		char tw[64];
		snprintf(tw, sizeof(tw), "%u/%d", tsval, stamp);
		emit_str(c->out, "tw_ts_stamp", " tw_ts %s ago", tw);
	}
	if (tb[TCP_METRICS_ATTR_VALS])
		print_vals(c, tb[TCP_METRICS_ATTR_VALS]);
	print_fastopen(c, tb);
	if (sf)
		emit_str(c->out, "source", " source %s", ip_fmt_host(c, sf, e.s, b, sizeof(b)));
	emit_text(c->out, "\n");
	emit_obj_close(c->out);
	return MNL_CB_OK;
}

static int tm_open(struct tm_ctx *t)
{
	struct nl_err err;
	int r = nl_open(&t->s, NETLINK_GENERIC, NULL);
	if (r < 0) {
		fprintf(stderr, "Cannot open generic netlink socket: %s\n", strerror(-r));
		return -1;
	}
	r = nl_genl_family(&t->s, TCP_METRICS_GENL_NAME, &err);
	if (r < 0) {
		fprintf(stderr, "Cannot find the tcp_metrics generic netlink family: %s\n",
			strerror(-r));
		nl_close(&t->s);
		return -1;
	}
	t->family_id = (uint16_t)r;
	return 0;
}

static void put_addr(struct nlmsghdr *nlh, int a4, int a6, const struct ip_prefix *p)
{
	mnl_attr_put(nlh, p->family == AF_INET ? a4 : a6, p->bytelen, p->data);
}

/* One request: GET of one host, DEL of one host or of everything. */
static int tm_single(struct tm_ctx *t, uint8_t cmd)
{
	char buf[256];
	struct nlmsghdr *nlh =
		nl_genl_start(&t->s, buf, t->family_id, 0, cmd, TCP_METRICS_GENL_VERSION);
	if (t->has_daddr)
		put_addr(nlh, TCP_METRICS_ATTR_ADDR_IPV4, TCP_METRICS_ATTR_ADDR_IPV6, &t->daddr);
	if (t->has_saddr)
		put_addr(nlh, TCP_METRICS_ATTR_SADDR_IPV4, TCP_METRICS_ATTR_SADDR_IPV6, &t->saddr);
	struct nl_err err;
	emit_arr_open(t->c->out, NULL);
	int r = nl_talk(&t->s, nlh, cmd == TCP_METRICS_CMD_GET ? on_metrics : NULL, t, &err);
	emit_arr_close(t->c->out);
	if (r < 0) {
		emit_flush(t->c->out);
		ip_err_nl(t->c, &err, NULL);
		return 2;
	}
	return 0;
}

static int tm_flush_list(struct tm_ctx *t)
{
	if (!t->ndel) {
		fprintf(stderr, "Nothing to flush.\n");
		return 0;
	}
	for (size_t i = 0; i < t->ndel; i++) {
		char buf[256];
		const struct tm_entry *e = &t->del[i];
		struct nlmsghdr *nlh = nl_genl_start(&t->s, buf, t->family_id, 0,
						     TCP_METRICS_CMD_DEL, TCP_METRICS_GENL_VERSION);
		mnl_attr_put(nlh, e->dtype, e->dlen, e->d);
		if (e->slen)
			mnl_attr_put(nlh, e->stype, e->slen, e->s);
		struct nl_err err;
		if (nl_talk(&t->s, nlh, NULL, NULL, &err) < 0 && err.code != -ESRCH) {
			ip_err_nl(t->c, &err, NULL);
			return 2;
		}
	}
	return 0;
}

static int tm_dump(struct tm_ctx *t)
{
	char buf[256];
	struct nlmsghdr *nlh = nl_genl_start(&t->s, buf, t->family_id, NLM_F_DUMP,
					     TCP_METRICS_CMD_GET, TCP_METRICS_GENL_VERSION);
	struct nl_err err;
	if (t->cmd == TM_SHOW)
		emit_arr_open(t->c->out, NULL);
	int r = nl_talk(&t->s, nlh, on_metrics, t, &err);
	if (t->cmd == TM_SHOW)
		emit_arr_close(t->c->out);
	if (r < 0) {
		emit_flush(t->c->out);
		ip_err_nl(t->c, &err, NULL);
		fprintf(stderr, "Dump terminated\n");
		return 1;
	}
	return t->cmd == TM_FLUSH ? tm_flush_list(t) : 0;
}

static int parse_args(struct tm_ctx *t, int argc, char **argv)
{
	int family = t->c->family == AF_PACKET ? AF_UNSPEC : t->c->family;
	for (; argc > 0; argc--, argv++) {
		const char *k = argv[0];
		struct ip_prefix *p = &t->daddr;
		bool *has = &t->has_daddr;
		if (!strcmp(k, "src")) {
			p = &t->saddr;
			has = &t->has_saddr;
		}
		if (!strcmp(k, "src") || !strcmp(k, "address") || !strcmp(k, "addr")) {
			if (argc < 2)
				return ip_incomplete(k);
			argc--;
			argv++;
		} else if (t->cmd == TM_FLUSH && !strcmp(k, "all")) {
			continue;
		}
		if (*has)
			return ip_duparg2(p == &t->saddr ? "src" : "address", argv[0]);
		if (p == &t->saddr &&
		    (ip_get_addr(p, argv[0], family) < 0 || p->any || strchr(argv[0], '/'))) {
			fprintf(stderr,
				"Error: a specific IP address is expected rather than \"%s\"\n",
				argv[0]);
			return 1;
		}
		if (ip_get_prefix(p, argv[0], family) < 0 || p->any) {
			fprintf(stderr, "Error: %s prefix is expected rather than \"%s\".\n",
				family == AF_INET    ? "inet"
				: family == AF_INET6 ? "inet6"
						     : "any valid",
				argv[0]);
			return 1;
		}
		*has = true;
	}
	if (!t->has_daddr && t->c->family != AF_UNSPEC && t->c->family != AF_PACKET) {
		t->daddr.family = t->c->family;
		t->daddr.bitlen = -1;
	}
	return 0;
}

static int tm_run(struct ip_ctx *c, enum tm_cmd cmd, int argc, char **argv)
{
	struct tm_ctx t = {.c = c, .cmd = cmd};
	int r = parse_args(&t, argc, argv);
	if (r)
		return r;
	if (cmd == TM_DEL && !t.has_daddr) {
		fprintf(stderr, "Error: argument \"address\" is required\n");
		return 255;
	}
	if (tm_open(&t) < 0)
		return 1;
	bool host = t.has_daddr && t.daddr.bitlen < 0;
	if (cmd == TM_DEL)
		r = tm_single(&t, TCP_METRICS_CMD_DEL);
	else if (cmd == TM_SHOW && host)
		r = tm_single(&t, TCP_METRICS_CMD_GET);
	else if (cmd == TM_FLUSH && !t.has_daddr && !t.has_saddr && !t.daddr.family)
		r = tm_single(&t, TCP_METRICS_CMD_DEL); /* everything */
	else
		r = tm_dump(&t);
	free(t.del);
	nl_close(&t.s);
	return r;
}

int ip_tcp_metrics(struct ip_ctx *c, int argc, char **argv)
{
	if (argc < 1)
		return tm_run(c, TM_SHOW, 0, NULL);
	const char *cmd = argv[0];
	if (ip_matches(cmd, "show") || ip_matches(cmd, "list") || ip_matches(cmd, "lst"))
		return tm_run(c, TM_SHOW, argc - 1, argv + 1);
	if (ip_matches(cmd, "flush"))
		return tm_run(c, TM_FLUSH, argc - 1, argv + 1);
	if (ip_matches(cmd, "delete"))
		return tm_run(c, TM_DEL, argc - 1, argv + 1);
	if (ip_matches(cmd, "help")) {
		fprintf(stderr, "Usage: ip tcp_metrics/tcpmetrics { COMMAND | help }\n"
				"       ip tcp_metrics { show | flush } SELECTOR\n"
				"       ip tcp_metrics delete [ address ] ADDRESS\n"
				"SELECTOR := [ [ address ] PREFIX ] [ src PREFIX ]\n");
		return 255;
	}
	fprintf(stderr, "Command \"%s\" is unknown, try \"ip tcp_metrics help\".\n", cmd);
	return 255;
}
