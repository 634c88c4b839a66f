/* SPDX-License-Identifier: Apache-2.0 */
/* ip ntable: the neighbour tables (ARP, NDISC) and their per-device
 * parameters, dumped and printed as iproute2 6.1's `ip ntable show`
 * prints them, and changed as its `ip ntable change` changes them. */
#include <string.h>
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
	if (tb[NDTA_PARMS])
		print_parms(c, tp);
	emit_text(c->out, "\n");
	emit_obj_close(c->out);
	return MNL_CB_OK;
}

static int nt_show(struct ip_ctx *c, int argc, char **argv)
{
	struct nt_filter f = {.c = c};
	if (c->stats) {
		fprintf(stderr,
			"netkit ip: ntable -s (config and statistics) is not implemented yet\n");
		return 2;
	}
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

int ip_ntable(struct ip_ctx *c, int argc, char **argv)
{
	if (argc < 1)
		return nt_show(c, 0, NULL);
	const char *k = argv[0];
	if (ip_matches(k, "change") || ip_matches(k, "chg")) {
		fprintf(stderr, "netkit ip: ntable change is not implemented yet\n");
		return 2;
	}
	if (ip_matches(k, "show") || ip_matches(k, "lst") || ip_matches(k, "list"))
		return nt_show(c, argc - 1, argv + 1);
	if (ip_matches(k, "help"))
		return nt_usage();
	fprintf(stderr, "Command \"%s\" is unknown, try \"ip ntable help\".\n", k);
	return 255;
}
