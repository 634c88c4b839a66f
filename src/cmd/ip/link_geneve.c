/* SPDX-License-Identifier: Apache-2.0 */
/* GENEVE links: the options of `ip link add/set ... type geneve` into
 * IFLA_INFO_DATA as iproute2 6.1's iplink_geneve.c parses them (its
 * words, checks and messages), and their `ip -d link` details. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include <linux/if_link.h>

#include "cmd/ip/link_priv.h"

static int geneve_usage(void)
{
	fputs("Usage: ... geneve id VNI\n"
	      "		remote ADDR\n"
	      "		[ ttl TTL ]\n"
	      "		[ tos TOS ]\n"
	      "		[ df DF ]\n"
	      "		[ flowlabel LABEL ]\n"
	      "		[ dstport PORT ]\n"
	      "		[ [no]external ]\n"
	      "		[ [no]udpcsum ]\n"
	      "		[ [no]udp6zerocsumtx ]\n"
	      "		[ [no]udp6zerocsumrx ]\n"
	      "		[ innerprotoinherit ]\n"
	      "\n"
	      "Where:	VNI   := 0-16777215\n"
	      "	ADDR  := IP_ADDRESS\n"
	      "	TOS   := { NUMBER | inherit }\n"
	      "	TTL   := { 1..255 | auto | inherit }\n"
	      "	DF    := { unset | set | inherit }\n"
	      "	LABEL := 0-1048575\n",
	      stderr);
	return 1;
}

struct gnv {
	uint32_t seen; /* IFLA_GENEVE_* given, for duplicates */
	uint32_t vni, label;
	uint8_t ttl, tos;
	uint16_t port;
	int family; /* of remote, 0 if none */
	uint8_t remote[16];
	uint8_t csum[3]; /* udpcsum, udp6zerocsumtx, udp6zerocsumrx */
	bool metadata, inner;
};

static int gnv_dup(struct gnv *g, unsigned type, const char *key, const char *arg)
{
	if (g->seen & (1u << type))
		return ip_duparg2(key, arg);
	g->seen |= 1u << type;
	return 0;
}

/* Words that stand alone; 0, an exit status, or -1 if k is none. */
static int gnv_flag(struct gnv *g, const char *k)
{
	static const struct {
		const char *word;
		unsigned type;
		int idx; /* into csum, or -1 external, -2 innerprotoinherit */
		bool on;
	} f[] = {
		{"external", IFLA_GENEVE_COLLECT_METADATA, -1, 1},
		{"noexternal", IFLA_GENEVE_COLLECT_METADATA, -1, 0},
		{"udpcsum", IFLA_GENEVE_UDP_CSUM, 0, 1},
		{"noudpcsum", IFLA_GENEVE_UDP_CSUM, 0, 0},
		{"udp6zerocsumtx", IFLA_GENEVE_UDP_ZERO_CSUM6_TX, 1, 1},
		{"noudp6zerocsumtx", IFLA_GENEVE_UDP_ZERO_CSUM6_TX, 1, 0},
		{"udp6zerocsumrx", IFLA_GENEVE_UDP_ZERO_CSUM6_RX, 2, 1},
		{"noudp6zerocsumrx", IFLA_GENEVE_UDP_ZERO_CSUM6_RX, 2, 0},
		{"innerprotoinherit", IFLA_GENEVE_INNER_PROTO_INHERIT, -2, 1},
	};
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (!ip_matches(k, f[i].word))
			continue;
		int r = gnv_dup(g, f[i].type, k, k);
		if (r)
			return r;
		if (f[i].idx == -1)
			g->metadata = f[i].on;
		else if (f[i].idx == -2)
			g->inner = true;
		else
			g->csum[f[i].idx] = f[i].on;
		return 0;
	}
	return -1;
}

static int gnv_ttl(struct gnv *g, struct nlmsghdr *nlh, const char *v)
{
	uint32_t n;
	if (!strcmp(v, "inherit")) {
		mnl_attr_put_u8(nlh, IFLA_GENEVE_TTL_INHERIT, 1);
	} else if (strcmp(v, "auto")) {
		if (ip_get_u32(&n, v, 0) < 0)
			return ip_invarg("invalid TTL", v);
		if (n > 255)
			return ip_invarg("TTL must be <= 255", v);
		g->ttl = (uint8_t)n;
	}
	return 0;
}

static int gnv_remote(struct gnv *g, const char *v)
{
	int fam = strchr(v, ':') ? AF_INET6 : AF_INET;
	uint8_t a[16];
	if (inet_pton(fam, v, a) != 1) {
		fprintf(stderr, "Error: any valid address is expected rather than \"%s\".\n", v);
		return 1;
	}
	bool multi = fam == AF_INET ? a[0] >= 224 && a[0] < 240 : a[0] == 0xff;
	if (multi)
		return ip_invarg("invalid remote address", v);
	g->family = fam;
	memcpy(g->remote, a, 16);
	return 0;
}

static int gnv_value(struct ip_ctx *c, struct gnv *g, struct nlmsghdr *nlh, const char *k,
		     const char *v)
{
	uint32_t n;
	if (ip_matches(k, "id") || ip_matches(k, "vni")) {
		int r = gnv_dup(g, IFLA_GENEVE_ID, "id", v);
		if (r)
			return r;
		if (ip_get_u32(&g->vni, v, 0) < 0 || g->vni >= 1u << 24)
			return ip_invarg("invalid id", v);
	} else if (ip_matches(k, "remote")) {
		int r = gnv_dup(g, IFLA_GENEVE_REMOTE, "remote", v);
		return r ? r : gnv_remote(g, v);
	} else if (ip_matches(k, "ttl") || ip_matches(k, "hoplimit")) {
		int r = gnv_dup(g, IFLA_GENEVE_TTL, "ttl", v);
		return r ? r : gnv_ttl(g, nlh, v);
	} else if (ip_matches(k, "tos") || ip_matches(k, "dsfield")) {
		int r = gnv_dup(g, IFLA_GENEVE_TOS, "tos", v);
		if (r)
			return r;
		if (!strcmp(v, "inherit"))
			n = 1;
		else if (ip_name_id(c, IPT_DSFIELD, v, &n) < 0 || n > 255)
			return ip_invarg("bad TOS value", v);
		g->tos = (uint8_t)n;
	} else if (ip_matches(k, "df")) {
		int r = gnv_dup(g, IFLA_GENEVE_DF, "df", v);
		if (r)
			return r;
		uint8_t df = !strcmp(v, "unset")     ? GENEVE_DF_UNSET
			     : !strcmp(v, "set")     ? GENEVE_DF_SET
			     : !strcmp(v, "inherit") ? GENEVE_DF_INHERIT
						     : 0xff;
		if (df == 0xff)
			return ip_invarg("DF must be 'unset', 'set' or 'inherit'", v);
		mnl_attr_put_u8(nlh, IFLA_GENEVE_DF, df);
	} else if (ip_matches(k, "label") || ip_matches(k, "flowlabel")) {
		int r = gnv_dup(g, IFLA_GENEVE_LABEL, "flowlabel", v);
		if (r)
			return r;
		if (ip_get_u32(&n, v, 0) < 0 || n > 0xfffff)
			return ip_invarg("invalid flowlabel", v);
		g->label = htonl(n);
	} else {
		int r = gnv_dup(g, IFLA_GENEVE_PORT, "dstport", v);
		if (r)
			return r;
		if (ip_get_u32(&n, v, 0) < 0 || n > 0xffff)
			return ip_invarg("dstport", v);
		g->port = (uint16_t)n;
	}
	return 0;
}

static bool gnv_takes_value(const char *k)
{
	static const char *const w[] = {"id",	   "vni", "remote", "ttl",	 "hoplimit", "tos",
					"dsfield", "df",  "label",  "flowlabel", "dstport"};
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (ip_matches(k, w[i]))
			return true;
	return false;
}

static int gnv_finish(struct gnv *g, struct nlmsghdr *nlh, bool set_op)
{
	bool has_id = g->seen & (1u << IFLA_GENEVE_ID);
	if (g->metadata && has_id) {
		fprintf(stderr, "geneve: both 'external' and vni cannot be specified\n");
		return 1;
	}
	if (!g->metadata && !has_id) {
		fprintf(stderr, "geneve: missing virtual network identifier\n");
		return 1;
	}
	if (!g->metadata && !set_op && !g->family) {
		fprintf(stderr, "geneve: remote link partner not specified\n");
		return 1;
	}
	mnl_attr_put_u32(nlh, IFLA_GENEVE_ID, g->vni);
	if (g->family)
		mnl_attr_put(nlh, g->family == AF_INET ? IFLA_GENEVE_REMOTE : IFLA_GENEVE_REMOTE6,
			     g->family == AF_INET ? 4 : 16, g->remote);
	if (!set_op || (g->seen & (1u << IFLA_GENEVE_LABEL)))
		mnl_attr_put_u32(nlh, IFLA_GENEVE_LABEL, g->label);
	if (!set_op || (g->seen & (1u << IFLA_GENEVE_TTL)))
		mnl_attr_put_u8(nlh, IFLA_GENEVE_TTL, g->ttl);
	if (!set_op || (g->seen & (1u << IFLA_GENEVE_TOS)))
		mnl_attr_put_u8(nlh, IFLA_GENEVE_TOS, g->tos);
	if (g->port)
		mnl_attr_put_u16(nlh, IFLA_GENEVE_PORT, htons(g->port));
	if (g->metadata)
		mnl_attr_put(nlh, IFLA_GENEVE_COLLECT_METADATA, 0, NULL);
	static const unsigned cs[] = {IFLA_GENEVE_UDP_CSUM, IFLA_GENEVE_UDP_ZERO_CSUM6_TX,
				      IFLA_GENEVE_UDP_ZERO_CSUM6_RX};
	for (int i = 0; i < 3; i++)
		if (g->seen & (1u << cs[i]))
			mnl_attr_put_u8(nlh, (uint16_t)cs[i], g->csum[i]);
	if (g->inner)
		mnl_attr_put(nlh, IFLA_GENEVE_INNER_PROTO_INHERIT, 0, NULL);
	return 0;
}

int ip_geneve_parse(struct ip_ctx *c, const char *kind, struct nlmsghdr *nlh, int argc, char **argv)
{
	struct gnv g = {0};
	for (; argc > 0; argc--, argv++) {
		const char *k = argv[0];
		int r;
		if (gnv_takes_value(k)) {
			if (argc < 2)
				return ip_incomplete(NULL);
			r = gnv_value(c, &g, nlh, k, argv[1]);
			argc--;
			argv++;
		} else if ((r = gnv_flag(&g, k)) >= 0) {
		} else if (ip_matches(k, "help")) {
			return geneve_usage();
		} else {
			fprintf(stderr, "%s: unknown command \"%s\"?\n", kind, k);
			return geneve_usage();
		}
		if (r)
			return r;
	}
	return gnv_finish(&g, nlh, c->link_set_op);
}

static void gnv_print_csum(struct ip_ctx *c, const struct nlattr *a, const char *key,
			   const char *word)
{
	if (!a)
		return;
	bool on = mnl_attr_get_u8(a);
	if (!emit_is_text(c->out))
		emit_bool(c->out, key, NULL, on);
	else
		emit_text(c->out, "%s%s ", on ? "" : "no", word);
}

static void gnv_print_remote(struct ip_ctx *c, const struct nlattr **tb)
{
	char b[64];
	if (tb[IFLA_GENEVE_REMOTE] && mnl_attr_get_payload_len(tb[IFLA_GENEVE_REMOTE]) >= 4) {
		uint32_t a = mnl_attr_get_u32(tb[IFLA_GENEVE_REMOTE]);
		if (a)
			emit_str(c->out, "remote", "remote %s ",
				 ip_fmt_host(c, AF_INET, &a, b, sizeof(b)));
	} else if (tb[IFLA_GENEVE_REMOTE6] &&
		   mnl_attr_get_payload_len(tb[IFLA_GENEVE_REMOTE6]) >= 16) {
		const uint8_t *a = mnl_attr_get_payload(tb[IFLA_GENEVE_REMOTE6]);
		static const uint8_t zero[16];
		if (memcmp(a, zero, 16) && a[0] != 0xff)
			emit_str(c->out, "remote6", "remote %s ",
				 ip_fmt_host(c, AF_INET6, a, b, sizeof(b)));
	}
}

void ip_geneve_print(struct ip_ctx *c, const struct nlattr *data)
{
	const struct nlattr *tb[IFLA_GENEVE_MAX + 1];
	if (!data || nl_parse_nested(data, NULL, IFLA_GENEVE_MAX, tb) < 0)
		return;
	if (tb[IFLA_GENEVE_COLLECT_METADATA])
		emit_bool(c->out, "external", "external ", true);
	if (tb[IFLA_GENEVE_ID] && mnl_attr_get_payload_len(tb[IFLA_GENEVE_ID]) >= 4)
		emit_uint(c->out, "id", "id %u ", mnl_attr_get_u32(tb[IFLA_GENEVE_ID]));
	gnv_print_remote(c, tb);
	if (tb[IFLA_GENEVE_TTL_INHERIT] && mnl_attr_get_u8(tb[IFLA_GENEVE_TTL_INHERIT])) {
		emit_text(c->out, "ttl inherit ");
	} else if (tb[IFLA_GENEVE_TTL]) {
		uint8_t ttl = mnl_attr_get_u8(tb[IFLA_GENEVE_TTL]);
		if (!emit_is_text(c->out) || ttl)
			emit_uint(c->out, "ttl", "ttl %u ", ttl);
		else
			emit_text(c->out, "ttl auto ");
	}
	char h[16];
	uint8_t tos = tb[IFLA_GENEVE_TOS] ? mnl_attr_get_u8(tb[IFLA_GENEVE_TOS]) : 0;
	snprintf(h, sizeof(h), "0x%x", tos);
	if (tos && (!emit_is_text(c->out) || tos != 1))
		emit_str(c->out, "tos", "tos %s ", h);
	else if (tos)
		emit_text(c->out, "tos inherit ");
	if (tb[IFLA_GENEVE_DF]) {
		uint8_t df = mnl_attr_get_u8(tb[IFLA_GENEVE_DF]);
		if (df == GENEVE_DF_UNSET && !emit_is_text(c->out))
			emit_str(c->out, "df", NULL, "unset");
		else if (df == GENEVE_DF_SET || df == GENEVE_DF_INHERIT)
			emit_str(c->out, "df", "df %s ", df == GENEVE_DF_SET ? "set" : "inherit");
	}
	uint32_t label = tb[IFLA_GENEVE_LABEL] ? ntohl(mnl_attr_get_u32(tb[IFLA_GENEVE_LABEL])) : 0;
	snprintf(h, sizeof(h), "%#x", label);
	if (label)
		emit_str(c->out, "label", "flowlabel %s ", h);
	if (tb[IFLA_GENEVE_PORT])
		emit_uint(c->out, "port", "dstport %u ",
			  ntohs(mnl_attr_get_u16(tb[IFLA_GENEVE_PORT])));
	gnv_print_csum(c, tb[IFLA_GENEVE_UDP_CSUM], "udp_csum", "udpcsum");
	gnv_print_csum(c, tb[IFLA_GENEVE_UDP_ZERO_CSUM6_TX], "udp_zero_csum6_tx", "udp6zerocsumtx");
	gnv_print_csum(c, tb[IFLA_GENEVE_UDP_ZERO_CSUM6_RX], "udp_zero_csum6_rx", "udp6zerocsumrx");
	if (tb[IFLA_GENEVE_INNER_PROTO_INHERIT])
		emit_bool(c->out, "inner_proto_inherit", "innerprotoinherit ", true);
}
