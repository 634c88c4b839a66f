/* SPDX-License-Identifier: Apache-2.0 */
/* VXLAN links: the options of `ip link add ... type vxlan` parsed into
 * IFLA_INFO_DATA as iproute2 6.1's iplink_vxlan.c parses them (its words,
 * checks and messages), and the `ip -d link` details of a vxlan link. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_link.h>

#include "cmd/ip/link_priv.h"

struct vx {
	struct ip_ctx *c;
	struct nlmsghdr *nlh; /* scratch message the attributes go into */
	uint64_t attrs;	      /* IFLA_VXLAN_* seen, for duplicates */
	uint32_t vni;
	uint16_t dstport;
	uint8_t learning, metadata;
	struct ip_prefix saddr, daddr;
};

static int vx_explain(void)
{
	fprintf(stderr, "Usage: ... vxlan id VNI\n"
			"		[ { group | remote } IP_ADDRESS ]\n"
			"		[ local ADDR ]\n"
			"		[ ttl TTL ]\n"
			"		[ tos TOS ]\n"
			"		[ df DF ]\n"
			"		[ flowlabel LABEL ]\n"
			"		[ dev PHYS_DEV ]\n"
			"		[ dstport PORT ]\n"
			"		[ srcport MIN MAX ]\n"
			"		[ [no]learning ]\n"
			"		[ [no]proxy ]\n"
			"		[ [no]rsc ]\n"
			"		[ [no]l2miss ]\n"
			"		[ [no]l3miss ]\n"
			"		[ ageing SECONDS ]\n"
			"		[ maxaddress NUMBER ]\n"
			"		[ [no]udpcsum ]\n"
			"		[ [no]udp6zerocsumtx ]\n"
			"		[ [no]udp6zerocsumrx ]\n"
			"		[ [no]remcsumtx ] [ [no]remcsumrx ]\n"
			"		[ [no]external ] [ gbp ] [ gpe ]\n"
			"		[ [no]vnifilter ]\n"
			"\n"
			"Where:	VNI	:= 0-16777215\n"
			"	ADDR	:= { IP_ADDRESS | any }\n"
			"	TOS	:= { NUMBER | inherit }\n"
			"	TTL	:= { 1..255 | auto | inherit }\n"
			"	DF	:= { unset | set | inherit }\n"
			"	LABEL := 0-1048575\n");
	return 255;
}

static int vx_dup(struct vx *v, unsigned type, const char *key, const char *arg)
{
	if (v->attrs & (1ull << type))
		return ip_duparg2(key, arg);
	v->attrs |= 1ull << type;
	return 0;
}

/* on/off words: [no]WORD sets a u8 attribute */
static const struct {
	const char *word;
	unsigned type;
} flags8[] = {
	{"proxy", IFLA_VXLAN_PROXY},
	{"rsc", IFLA_VXLAN_RSC},
	{"l2miss", IFLA_VXLAN_L2MISS},
	{"l3miss", IFLA_VXLAN_L3MISS},
	{"udpcsum", IFLA_VXLAN_UDP_CSUM},
	{"udp6zerocsumtx", IFLA_VXLAN_UDP_ZERO_CSUM6_TX},
	{"udp6zerocsumrx", IFLA_VXLAN_UDP_ZERO_CSUM6_RX},
	{"remcsumtx", IFLA_VXLAN_REMCSUM_TX},
	{"remcsumrx", IFLA_VXLAN_REMCSUM_RX},
	{"vnifilter", IFLA_VXLAN_VNIFILTER},
};

/* A word without a value; 1 if it was one, 0 if not, -status. */
static int vx_flag(struct vx *v, const char *k)
{
	bool nolearn = ip_matches(k, "nolearning");
	if (nolearn || ip_matches(k, "learning")) {
		int r = vx_dup(v, IFLA_VXLAN_LEARNING, k, k);
		if (r)
			return -r;
		v->learning = !nolearn;
		return 1;
	}
	for (size_t i = 0; i < sizeof(flags8) / sizeof(flags8[0]); i++) {
		bool no = !strncmp(k, "no", 2) && ip_matches(k + 2, flags8[i].word) && k[2];
		if (!no && !ip_matches(k, flags8[i].word))
			continue;
		int r = vx_dup(v, flags8[i].type, k, k);
		if (r)
			return -r;
		mnl_attr_put_u8(v->nlh, (uint16_t)flags8[i].type, !no);
		return 1;
	}
	bool noext = ip_matches(k, "noexternal");
	if (noext || ip_matches(k, "external")) {
		int r = vx_dup(v, IFLA_VXLAN_COLLECT_METADATA, k, k);
		if (r)
			return -r;
		v->metadata = !noext;
		if (!noext)
			v->learning = 0;
		mnl_attr_put_u8(v->nlh, IFLA_VXLAN_COLLECT_METADATA, v->metadata);
		return 1;
	}
	if (ip_matches(k, "gbp") || ip_matches(k, "gpe")) {
		unsigned t = k[2] == 'p' ? IFLA_VXLAN_GBP : IFLA_VXLAN_GPE;
		int r = vx_dup(v, t, k, k);
		if (r)
			return -r;
		mnl_attr_put(v->nlh, (uint16_t)t, 0, NULL);
		return 1;
	}
	return 0;
}

static int vx_addr(struct vx *v, const char *k, const char *val)
{
	bool local = !strcmp(k, "local");
	bool group = !strcmp(k, "group");
	struct ip_prefix *p = local ? &v->saddr : &v->daddr;
	if (!local && v->daddr.family) {
		fprintf(stderr, "vxlan: both group and remote cannot be specified\n");
		return 1;
	}
	if (local) {
		int r = vx_dup(v, IFLA_VXLAN_LOCAL, "local", val);
		if (r)
			return r;
	}
	if (ip_get_addr(p, val, local ? v->daddr.family : AF_UNSPEC) < 0) {
		fprintf(stderr, "Error: %s address is expected rather than \"%s\".\n",
			local && v->daddr.family == AF_INET    ? "inet"
			: local && v->daddr.family == AF_INET6 ? "inet6"
							       : "any valid",
			val);
		return 1;
	}
	bool multi = (p->family == AF_INET && (p->data[0] & 0xf0) == 0xe0) ||
		     (p->family == AF_INET6 && p->data[0] == 0xff);
	bool inet = p->family == AF_INET || p->family == AF_INET6;
	if (group && !(inet && multi))
		return ip_invarg("invalid group address", val);
	if (!group && !(inet && !multi) && !p->any)
		return ip_invarg(local ? "invalid local address" : "invalid remote address", val);
	return 0;
}

static int vx_u8(struct vx *v, const char *k, const char *val)
{
	unsigned u;
	uint32_t x;
	if (!strcmp(k, "ttl") || !strcmp(k, "hoplimit")) {
		int r = vx_dup(v, IFLA_VXLAN_TTL, "ttl", val);
		if (r)
			return r;
		if (!strcmp(val, "inherit")) {
			mnl_attr_put(v->nlh, IFLA_VXLAN_TTL_INHERIT, 0, NULL);
			return 0;
		}
		if (!strcmp(val, "auto"))
			u = 0;
		else if (ip_get_u32(&x, val, 0) < 0)
			return ip_invarg("invalid TTL", val);
		else if (x > 255)
			return ip_invarg("TTL must be <= 255", val);
		else
			u = x;
		mnl_attr_put_u8(v->nlh, IFLA_VXLAN_TTL, (uint8_t)u);
		return 0;
	}
	if (!strcmp(k, "tos") || !strcmp(k, "dsfield")) {
		int r = vx_dup(v, IFLA_VXLAN_TOS, "tos", val);
		if (r)
			return r;
		if (!strcmp(val, "inherit"))
			x = 1;
		else if ((ip_name_lookup(v->c, IPT_DSFIELD, val, &x) < 0 &&
			  ip_get_u32(&x, val, 16) < 0) ||
			 x > 255)
			return ip_invarg("bad TOS value", val);
		mnl_attr_put_u8(v->nlh, IFLA_VXLAN_TOS, (uint8_t)x);
		return 0;
	}
	int r = vx_dup(v, IFLA_VXLAN_DF, "df", val);
	if (r)
		return r;
	if (!strcmp(val, "unset"))
		u = VXLAN_DF_UNSET;
	else if (!strcmp(val, "set"))
		u = VXLAN_DF_SET;
	else if (!strcmp(val, "inherit"))
		u = VXLAN_DF_INHERIT;
	else
		return ip_invarg("DF must be 'unset', 'set' or 'inherit'", val);
	mnl_attr_put_u8(v->nlh, IFLA_VXLAN_DF, (uint8_t)u);
	return 0;
}

static int vx_u32(struct vx *v, const char *k, const char *val)
{
	uint32_t x = 0;
	if (!strcmp(k, "flowlabel")) {
		int r = vx_dup(v, IFLA_VXLAN_LABEL, "flowlabel", val);
		if (r)
			return r;
		if (ip_get_u32(&x, val, 0) < 0 || (x & ~0xfffffu))
			return ip_invarg("invalid flowlabel", val);
		mnl_attr_put_u32(v->nlh, IFLA_VXLAN_LABEL, htonl(x));
		return 0;
	}
	bool age = !strcmp(k, "ageing");
	int r = vx_dup(v, age ? IFLA_VXLAN_AGEING : IFLA_VXLAN_LIMIT, k, val);
	if (r)
		return r;
	if (strcmp(val, age ? "none" : "unlimited") && ip_get_u32(&x, val, 0) < 0)
		return ip_invarg(age ? "ageing timer" : "max addresses", val);
	mnl_attr_put_u32(v->nlh, age ? IFLA_VXLAN_AGEING : IFLA_VXLAN_LIMIT, x);
	return 0;
}

/* The full words of the value options, for iproute2's matches(). */
static const char *vx_word(const char *k)
{
	static const char *const words[] = {"id",   "vni",     "group",	    "remote", "local",
					    "dev",  "ttl",     "hoplimit",  "tos",    "dsfield",
					    "df",   "label",   "flowlabel", "ageing", "maxaddress",
					    "port", "srcport", "dstport"};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (ip_matches(k, words[i]))
			return words[i];
	return NULL;
}

/* One value option (k is its full word); words used or -status. */
static int vx_value(struct vx *v, const char *k, int argc, char **argv)
{
	const char *val = argv[1];
	uint32_t x;
	int r = 0;
	if (!strcmp(k, "id") || !strcmp(k, "vni")) {
		r = vx_dup(v, IFLA_VXLAN_ID, "id", val);
		if (!r && (ip_get_u32(&v->vni, val, 0) < 0 || v->vni >= 1u << 24))
			r = ip_invarg("invalid id", val);
	} else if (!strcmp(k, "group") || !strcmp(k, "remote") || !strcmp(k, "local")) {
		r = vx_addr(v, k, val);
	} else if (!strcmp(k, "dev")) {
		r = vx_dup(v, IFLA_VXLAN_LINK, "dev", val);
		int idx = r ? 0 : ip_ifindex(v->c, val);
		if (!r && !idx) {
			fprintf(stderr, "Cannot find device \"%s\"\n", val);
			r = 255;
		}
		if (!r)
			mnl_attr_put_u32(v->nlh, IFLA_VXLAN_LINK, (uint32_t)idx);
	} else if (!strcmp(k, "ttl") || !strcmp(k, "hoplimit") || !strcmp(k, "tos") ||
		   !strcmp(k, "dsfield") || !strcmp(k, "df")) {
		r = vx_u8(v, !strcmp(k, "dsfield") ? "tos" : k, val);
	} else if (!strcmp(k, "label") || !strcmp(k, "flowlabel") || !strcmp(k, "ageing") ||
		   !strcmp(k, "maxaddress")) {
		r = vx_u32(v, !strcmp(k, "label") ? "flowlabel" : k, val);
	} else if (!strcmp(k, "dstport")) {
		r = vx_dup(v, IFLA_VXLAN_PORT, "dstport", val);
		if (!r && (ip_get_u32(&x, val, 0) < 0 || x > 0xffff))
			r = ip_invarg("dst port", val);
		if (!r)
			v->dstport = (uint16_t)x;
	} else { /* port / srcport MIN MAX */
		r = vx_dup(v, IFLA_VXLAN_PORT_RANGE, "srcport", val);
		uint32_t lo, hi;
		if (!r && (ip_get_u32(&lo, val, 0) < 0 || lo > 0xffff))
			r = ip_invarg("min port", val);
		if (!r && argc < 3)
			r = ip_incomplete(NULL);
		if (!r && (ip_get_u32(&hi, argv[2], 0) < 0 || hi > 0xffff))
			r = ip_invarg("max port", argv[2]);
		if (r)
			return -r;
		struct ifla_vxlan_port_range pr = {htons((uint16_t)lo), htons((uint16_t)hi)};
		if (lo || hi)
			mnl_attr_put(v->nlh, IFLA_VXLAN_PORT_RANGE, sizeof(pr), &pr);
		return 3;
	}
	return r ? -r : 2;
}

/* After the words: iproute2's checks, then the attributes it adds last. */
static int vx_finish(struct vx *v, bool set_op)
{
	bool has_id = v->attrs & (1ull << IFLA_VXLAN_ID);
	if (v->metadata && has_id) {
		fprintf(stderr, "vxlan: both 'external' and vni cannot be specified\n");
		return 1;
	}
	if (!v->metadata && !has_id && !set_op) {
		fprintf(stderr, "vxlan: missing virtual network identifier\n");
		return 1;
	}
	bool dmulti = (v->daddr.family == AF_INET && (v->daddr.data[0] & 0xf0) == 0xe0) ||
		      (v->daddr.family == AF_INET6 && v->daddr.data[0] == 0xff);
	if (dmulti && !(v->attrs & (1ull << IFLA_VXLAN_LINK))) {
		fprintf(stderr, "vxlan: 'group' requires 'dev' to be specified\n");
		return 1;
	}
	bool has_port = v->attrs & (1ull << IFLA_VXLAN_PORT);
	if (!has_port && (v->attrs & (1ull << IFLA_VXLAN_GPE))) {
		v->dstport = 4790;
		has_port = true;
	} else if (!has_port && !set_op) {
		fprintf(stderr, "vxlan: destination port not specified\n"
				"Will use Linux kernel default (non-standard value)\n"
				"Use 'dstport 4789' to get the IANA assigned value\n"
				"Use 'dstport 0' to get default and quiet this message\n");
	}
	if (has_id)
		mnl_attr_put_u32(v->nlh, IFLA_VXLAN_ID, v->vni);
	bool fam = false;
	if (v->saddr.family == AF_INET || v->saddr.family == AF_INET6) {
		mnl_attr_put(v->nlh,
			     v->saddr.family == AF_INET ? IFLA_VXLAN_LOCAL : IFLA_VXLAN_LOCAL6,
			     v->saddr.bytelen, v->saddr.data);
		fam = true;
	}
	if (v->daddr.family == AF_INET || v->daddr.family == AF_INET6) {
		mnl_attr_put(v->nlh,
			     v->daddr.family == AF_INET ? IFLA_VXLAN_GROUP : IFLA_VXLAN_GROUP6,
			     v->daddr.bytelen, v->daddr.data);
		fam = true;
	}
	static const uint8_t zero[16];
	if (!fam && v->c->family == AF_INET)
		mnl_attr_put(v->nlh, IFLA_VXLAN_GROUP, 4, zero);
	else if (!fam && v->c->family == AF_INET6)
		mnl_attr_put(v->nlh, IFLA_VXLAN_GROUP6, 16, zero);
	if (!set_op || (v->attrs & (1ull << IFLA_VXLAN_LEARNING)))
		mnl_attr_put_u8(v->nlh, IFLA_VXLAN_LEARNING, v->learning);
	if (has_port)
		mnl_attr_put_u16(v->nlh, IFLA_VXLAN_PORT, htons(v->dstport));
	return 0;
}

int ip_vxlan_parse(struct ip_ctx *c, int argc, char **argv, bool set_op, void *out, size_t *len)
{
	static _Alignas(struct nlmsghdr) char scratch[2048];
	struct vx v = {.c = c, .nlh = mnl_nlmsg_put_header(scratch), .learning = 1};
	while (argc > 0) {
		const char *k = argv[0];
		/* the value words come first in iproute2's order of matching */
		const char *w = vx_word(k);
		int used = w ? 0 : vx_flag(&v, k);
		if (w) {
			if (argc < 2)
				return ip_incomplete(NULL);
			used = vx_value(&v, w, argc, argv);
		} else if (!used && ip_matches(k, "help")) {
			vx_explain();
			return 1;
		} else if (!used) {
			fprintf(stderr, "vxlan: unknown command \"%s\"?\n", k);
			vx_explain();
			return 1;
		}
		if (used < 0)
			return -used;
		argc -= used;
		argv += used;
	}
	int r = vx_finish(&v, set_op);
	if (r)
		return r;
	*len = v.nlh->nlmsg_len - MNL_NLMSG_HDRLEN;
	memcpy(out, mnl_nlmsg_get_payload(v.nlh), *len);
	return 0;
}

/* ---- ip -d link: the details of a vxlan link ---- */

static bool u8_on(const struct nlattr **tb, unsigned t)
{
	return tb[t] && mnl_attr_get_payload_len(tb[t]) >= 1 && mnl_attr_get_u8(tb[t]);
}

static void print_addrs(struct ip_ctx *c, const struct nlattr **tb)
{
	char b[1100];
	static const uint8_t zero[16];
	if (tb[IFLA_VXLAN_GROUP] && mnl_attr_get_payload_len(tb[IFLA_VXLAN_GROUP]) >= 4) {
		const uint8_t *a = mnl_attr_get_payload(tb[IFLA_VXLAN_GROUP]);
		bool multi = (a[0] & 0xf0) == 0xe0;
		if (memcmp(a, zero, 4))
			emit_str(c->out, multi ? "group" : "remote",
				 multi ? "group %s " : "remote %s ",
				 ip_fmt_host(c, AF_INET, a, b, sizeof(b)));
	} else if (tb[IFLA_VXLAN_GROUP6] && mnl_attr_get_payload_len(tb[IFLA_VXLAN_GROUP6]) >= 16) {
		const uint8_t *a = mnl_attr_get_payload(tb[IFLA_VXLAN_GROUP6]);
		bool multi = a[0] == 0xff;
		if (memcmp(a, zero, 16))
			emit_str(c->out, multi ? "group6" : "remote6",
				 multi ? "group %s " : "remote %s ",
				 ip_fmt_host(c, AF_INET6, a, b, sizeof(b)));
	}
	if (tb[IFLA_VXLAN_LOCAL] && mnl_attr_get_payload_len(tb[IFLA_VXLAN_LOCAL]) >= 4) {
		const uint8_t *a = mnl_attr_get_payload(tb[IFLA_VXLAN_LOCAL]);
		if (memcmp(a, zero, 4))
			emit_str(c->out, "local", "local %s ",
				 ip_fmt_host(c, AF_INET, a, b, sizeof(b)));
	} else if (tb[IFLA_VXLAN_LOCAL6] && mnl_attr_get_payload_len(tb[IFLA_VXLAN_LOCAL6]) >= 16) {
		const uint8_t *a = mnl_attr_get_payload(tb[IFLA_VXLAN_LOCAL6]);
		if (memcmp(a, zero, 16))
			emit_str(c->out, "local6", "local %s ",
				 ip_fmt_host(c, AF_INET6, a, b, sizeof(b)));
	}
	if (tb[IFLA_VXLAN_LINK] && mnl_attr_get_payload_len(tb[IFLA_VXLAN_LINK]) >= 4) {
		uint32_t l = mnl_attr_get_u32(tb[IFLA_VXLAN_LINK]);
		if (l)
			emit_str(c->out, "link", "dev %s ", ip_ifname(c, l, b));
	}
}

static void print_ports(struct ip_ctx *c, const struct nlattr **tb)
{
	if (tb[IFLA_VXLAN_PORT_RANGE] && mnl_attr_get_payload_len(tb[IFLA_VXLAN_PORT_RANGE]) >=
						 sizeof(struct ifla_vxlan_port_range)) {
		const struct ifla_vxlan_port_range *r =
			mnl_attr_get_payload(tb[IFLA_VXLAN_PORT_RANGE]);
		emit_obj_open(c->out, "port_range");
		emit_uint(c->out, "low", "srcport %u ", ntohs(r->low));
		emit_uint(c->out, "high", "%u ", ntohs(r->high));
		emit_obj_close(c->out);
	}
	if (tb[IFLA_VXLAN_PORT] && mnl_attr_get_payload_len(tb[IFLA_VXLAN_PORT]) >= 2)
		emit_uint(c->out, "port", "dstport %u ",
			  ntohs(mnl_attr_get_u16(tb[IFLA_VXLAN_PORT])));
	if (tb[IFLA_VXLAN_LEARNING] && mnl_attr_get_payload_len(tb[IFLA_VXLAN_LEARNING]) >= 1) {
		bool l = mnl_attr_get_u8(tb[IFLA_VXLAN_LEARNING]);
		emit_bool(c->out, "learning", l ? NULL : "nolearning ", l);
	}
	static const struct {
		unsigned t;
		const char *key, *word;
	} on[] = {{IFLA_VXLAN_PROXY, "proxy", "proxy "},
		  {IFLA_VXLAN_RSC, "rsc", "rsc "},
		  {IFLA_VXLAN_L2MISS, "l2miss", "l2miss "},
		  {IFLA_VXLAN_L3MISS, "l3miss", "l3miss "}};
	for (size_t i = 0; i < sizeof(on) / sizeof(on[0]); i++)
		if (u8_on(tb, on[i].t))
			emit_bool(c->out, on[i].key, on[i].word, true);
}

static void print_ip(struct ip_ctx *c, const struct nlattr **tb)
{
	char b[32];
	if (tb[IFLA_VXLAN_TOS] && mnl_attr_get_payload_len(tb[IFLA_VXLAN_TOS]) >= 1) {
		uint8_t tos = mnl_attr_get_u8(tb[IFLA_VXLAN_TOS]);
		snprintf(b, sizeof(b), tos == 1 && emit_is_text(c->out) ? "inherit" : "%#x", tos);
		if (tos)
			emit_str(c->out, "tos", "tos %s ", b);
	}
	if (u8_on(tb, IFLA_VXLAN_TTL_INHERIT)) {
		emit_text(c->out, "ttl inherit ");
	} else if (tb[IFLA_VXLAN_TTL] && mnl_attr_get_payload_len(tb[IFLA_VXLAN_TTL]) >= 1) {
		uint8_t ttl = mnl_attr_get_u8(tb[IFLA_VXLAN_TTL]);
		if (!emit_is_text(c->out) || ttl)
			emit_uint(c->out, "ttl", "ttl %u ", ttl);
		else
			emit_text(c->out, "ttl auto ");
	}
	if (tb[IFLA_VXLAN_DF] && mnl_attr_get_payload_len(tb[IFLA_VXLAN_DF]) >= 1) {
		uint8_t df = mnl_attr_get_u8(tb[IFLA_VXLAN_DF]);
		if (df == VXLAN_DF_UNSET)
			emit_str(c->out, "df", NULL, "unset");
		else if (df == VXLAN_DF_SET || df == VXLAN_DF_INHERIT)
			emit_str(c->out, "df", "df %s ", df == VXLAN_DF_SET ? "set" : "inherit");
	}
	if (tb[IFLA_VXLAN_LABEL] && mnl_attr_get_payload_len(tb[IFLA_VXLAN_LABEL]) >= 4) {
		uint32_t l = ntohl(mnl_attr_get_u32(tb[IFLA_VXLAN_LABEL]));
		snprintf(b, sizeof(b), "%#x", l);
		if (l)
			emit_str(c->out, "label", "flowlabel %s ", b);
	}
	if (tb[IFLA_VXLAN_AGEING] && mnl_attr_get_payload_len(tb[IFLA_VXLAN_AGEING]) >= 4) {
		uint32_t age = mnl_attr_get_u32(tb[IFLA_VXLAN_AGEING]);
		emit_uint(c->out, "ageing", age ? "ageing %u " : "ageing none ", age);
	}
	if (tb[IFLA_VXLAN_LIMIT] && mnl_attr_get_payload_len(tb[IFLA_VXLAN_LIMIT]) >= 4 &&
	    mnl_attr_get_u32(tb[IFLA_VXLAN_LIMIT]))
		emit_uint(c->out, "limit", "maxaddr %u ", mnl_attr_get_u32(tb[IFLA_VXLAN_LIMIT]));
}

static void print_csums(struct ip_ctx *c, const struct nlattr **tb)
{
	static const struct {
		unsigned t;
		const char *key, *on, *off;
	} cs[] = {{IFLA_VXLAN_UDP_CSUM, "udp_csum", "udpcsum ", "noudpcsum "},
		  {IFLA_VXLAN_UDP_ZERO_CSUM6_TX, "udp_zero_csum6_tx", "udp6zerocsumtx ",
		   "noudp6zerocsumtx "},
		  {IFLA_VXLAN_UDP_ZERO_CSUM6_RX, "udp_zero_csum6_rx", "udp6zerocsumrx ",
		   "noudp6zerocsumrx "}};
	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		if (!tb[cs[i].t] || mnl_attr_get_payload_len(tb[cs[i].t]) < 1)
			continue;
		bool on = mnl_attr_get_u8(tb[cs[i].t]);
		emit_bool(c->out, cs[i].key, on ? cs[i].on : cs[i].off, on);
	}
	if (u8_on(tb, IFLA_VXLAN_REMCSUM_TX))
		emit_bool(c->out, "remcsum_tx", "remcsumtx ", true);
	if (u8_on(tb, IFLA_VXLAN_REMCSUM_RX))
		emit_bool(c->out, "remcsum_rx", "remcsumrx ", true);
	if (tb[IFLA_VXLAN_GBP])
		emit_bool(c->out, "gbp", "gbp ", true);
	if (tb[IFLA_VXLAN_GPE])
		emit_bool(c->out, "gpe", "gpe ", true);
}

void ip_print_vxlan(struct ip_ctx *c, const struct nlattr *data)
{
	const struct nlattr *tb[IFLA_VXLAN_MAX + 1];
	if (nl_parse_nested(data, NULL, IFLA_VXLAN_MAX, tb) < 0)
		return;
	if (u8_on(tb, IFLA_VXLAN_COLLECT_METADATA))
		emit_bool(c->out, "external", "external ", true);
	if (u8_on(tb, IFLA_VXLAN_VNIFILTER))
		emit_bool(c->out, "vnifilter", "vnifilter", true);
	if (tb[IFLA_VXLAN_ID] && mnl_attr_get_payload_len(tb[IFLA_VXLAN_ID]) >= 4)
		emit_uint(c->out, "id", "id %u ", mnl_attr_get_u32(tb[IFLA_VXLAN_ID]));
	print_addrs(c, tb);
	print_ports(c, tb);
	print_ip(c, tb);
	print_csums(c, tb);
}
