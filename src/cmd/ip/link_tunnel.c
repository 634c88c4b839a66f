/* SPDX-License-Identifier: Apache-2.0 */
/* IPv4-in-IP tunnels: the options of `ip link add ... type ipip|sit`
 * into IFLA_INFO_DATA as iproute2 6.1's link_iptnl.c parses them (its
 * words, checks and messages), and their `ip -d link` details, with the
 * endpoint and encapsulation printers iproute2's tunnel.c shares. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include <linux/if_tunnel.h>
#include <linux/ip.h>
#include <linux/ip6_tunnel.h>

#include "cmd/ip/link_priv.h"

/* ---- shared with the other tunnel kinds ---- */

/* An IPv4 address, or any/default/all for 0; exit status 1 if neither. */
static int tnl_addr4(const char *v, uint32_t *a)
{
	if (!strcmp(v, "any") || !strcmp(v, "default") || !strcmp(v, "all")) {
		*a = 0;
		return 0;
	}
	if (inet_pton(AF_INET, v, a) == 1)
		return 0;
	fprintf(stderr, "Error: inet address is expected rather than \"%s\".\n", v);
	return 1;
}

void ip_tnl_print_endpoint(struct ip_ctx *c, const char *name, const struct nlattr *a, int family)
{
	char b[64];
	const char *v = "any";
	size_t want = family == AF_INET6 ? 16 : 4;
	if (a && mnl_attr_get_payload_len(a) != want) {
		v = "unknown";
	} else if (a) {
		static const uint8_t zero[16];
		if (memcmp(mnl_attr_get_payload(a), zero, want))
			v = ip_fmt_host(c, family, mnl_attr_get_payload(a), b, sizeof(b));
	}
	char fmt[32];
	snprintf(fmt, sizeof(fmt), "%s %%s ", name);
	emit_str(c->out, name, fmt, v);
}

static void encap_word(struct ip_ctx *c, const char *name, bool on, int port)
{
	char val[16] = "";
	if (!port)
		snprintf(val, sizeof(val), "auto ");
	else if (port > 0)
		snprintf(val, sizeof(val), "%d ", port - 1);
	emit_text(c->out, "%sencap-%s %s", on ? "" : "no", name, val);
}

void ip_tnl_print_encap(struct ip_ctx *c, const struct nlattr **tb, unsigned type_a,
			unsigned flags_a, unsigned sport_a, unsigned dport_a)
{
	if (!tb[type_a])
		return;
	uint16_t type = mnl_attr_get_u16(tb[type_a]);
	if (type == TUNNEL_ENCAP_NONE)
		return;
	uint16_t flags = tb[flags_a] ? mnl_attr_get_u16(tb[flags_a]) : 0;
	uint16_t sport = tb[sport_a] ? ntohs(mnl_attr_get_u16(tb[sport_a])) : 0;
	uint16_t dport = tb[dport_a] ? ntohs(mnl_attr_get_u16(tb[dport_a])) : 0;
	emit_obj_open(c->out, "encap");
	emit_text(c->out, "encap ");
	if (type == TUNNEL_ENCAP_FOU || type == TUNNEL_ENCAP_GUE)
		emit_str(c->out, "type", "%s ", type == TUNNEL_ENCAP_FOU ? "fou" : "gue");
	else if (emit_is_text(c->out))
		emit_text(c->out, "unknown ");
	else
		emit_null(c->out, "type", NULL);
	if (!emit_is_text(c->out)) {
		emit_uint(c->out, "sport", NULL, sport);
		emit_uint(c->out, "dport", NULL, dport);
		emit_bool(c->out, "csum", NULL, flags & TUNNEL_ENCAP_FLAG_CSUM);
		emit_bool(c->out, "csum6", NULL, flags & TUNNEL_ENCAP_FLAG_CSUM6);
		emit_bool(c->out, "remcsum", NULL, flags & TUNNEL_ENCAP_FLAG_REMCSUM);
	} else {
		encap_word(c, "sport", true, sport ? sport + 1 : 0);
		encap_word(c, "dport", true, dport + 1);
		encap_word(c, "csum", flags & TUNNEL_ENCAP_FLAG_CSUM, -1);
		encap_word(c, "csum6", flags & TUNNEL_ENCAP_FLAG_CSUM6, -1);
		encap_word(c, "remcsum", flags & TUNNEL_ENCAP_FLAG_REMCSUM, -1);
	}
	emit_obj_close(c->out);
}

/* The lines of usage the tunnel kinds share, in iproute2's words. */
#define TNL_USAGE_TAIL                                                                             \
	"\t\t\t[ dev PHYS_DEV ]\n"                                                                 \
	"\t\t\t[ fwmark MARK ]\n"                                                                  \
	"\t\t\t[ external ]\n"                                                                     \
	"\t\t\t[ noencap ]\n"                                                                      \
	"\t\t\t[ encap { fou | gue | none } ]\n"                                                   \
	"\t\t\t[ encap-sport PORT ]\n"                                                             \
	"\t\t\t[ encap-dport PORT ]\n"                                                             \
	"\t\t\t[ [no]encap-csum ]\n"                                                               \
	"\t\t\t[ [no]encap-csum6 ]\n"                                                              \
	"\t\t\t[ [no]encap-remcsum ]\n"

/* ---- ipip, sit ---- */

struct iptnl {
	const char *kind;
	bool sit;
	uint32_t link, local, remote, fwmark, relay;
	uint8_t ttl, tos, pmtudisc, proto, metadata;
	uint16_t iflags, encap_type, encap_flags, sport, dport, plen, relay_len;
	uint8_t prefix[16];
};

static void iptnl_usage(const struct iptnl *t)
{
	fprintf(stderr,
		"Usage: ... %-6s\t[ remote ADDR ]\n"
		"\t\t\t[ local ADDR ]\n"
		"\t\t\t[ ttl TTL ]\n"
		"\t\t\t[ tos TOS ]\n"
		"\t\t\t[ [no]pmtudisc ]\n"
		"\t\t\t[ 6rd-prefix ADDR ]\n"
		"\t\t\t[ 6rd-relay_prefix ADDR ]\n"
		"\t\t\t[ 6rd-reset ]\n" TNL_USAGE_TAIL "\t\t\t[ mode %s ]\n"
		"\n"
		"Where:\tADDR := { IP_ADDRESS | any }\n"
		"\tTOS  := { NUMBER | inherit }\n"
		"\tTTL  := { 1..255 | inherit }\n"
		"\tMARK := { 0x0..0xffffffff }\n",
		t->kind,
		t->sit ? "{ ip6ip | ipip | mplsip | any } ]\n\t\t\t[ isatap"
		       : "{ ipip | mplsip | any }");
}

/* The words that stand alone; true if k was one. */
static bool iptnl_flag(struct iptnl *t, const char *k)
{
	static const struct {
		const char *word;
		uint16_t set, clear;
	} encap[] = {
		{"encap-csum", TUNNEL_ENCAP_FLAG_CSUM, 0},
		{"noencap-csum", 0, TUNNEL_ENCAP_FLAG_CSUM},
		{"encap-udp6-csum", TUNNEL_ENCAP_FLAG_CSUM6, 0},
		{"noencap-udp6-csum", 0, TUNNEL_ENCAP_FLAG_CSUM6},
		{"encap-remcsum", TUNNEL_ENCAP_FLAG_REMCSUM, 0},
		{"noencap-remcsum", 0, TUNNEL_ENCAP_FLAG_REMCSUM},
	};
	for (size_t i = 0; i < sizeof(encap) / sizeof(encap[0]); i++)
		if (!strcmp(k, encap[i].word)) {
			t->encap_flags =
				(uint16_t)((t->encap_flags | encap[i].set) & ~encap[i].clear);
			return true;
		}
	if (!strcmp(k, "nopmtudisc") || !strcmp(k, "pmtudisc"))
		t->pmtudisc = k[0] == 'p';
	else if (t->sit && !strcmp(k, "isatap"))
		t->iflags |= SIT_ISATAP;
	else if (!strcmp(k, "noencap"))
		t->encap_type = TUNNEL_ENCAP_NONE;
	else if (!strcmp(k, "external"))
		t->metadata = 1;
	else if (!strcmp(k, "6rd-reset")) {
		static const uint8_t p2002[16] = {0x20, 0x02};
		memcpy(t->prefix, p2002, 16);
		t->plen = 16;
		t->relay = 0;
		t->relay_len = 0;
	} else
		return false;
	return true;
}

static int iptnl_mode(struct iptnl *t, const char *v)
{
	if (t->sit && (!strcmp(v, "ipv6/ipv4") || !strcmp(v, "ip6ip")))
		t->proto = IPPROTO_IPV6;
	else if (!strcmp(v, "ipv4/ipv4") || !strcmp(v, "ipip") || !strcmp(v, "ip4ip4"))
		t->proto = IPPROTO_IPIP;
	else if (!strcmp(v, "mpls/ipv4") || !strcmp(v, "mplsip"))
		t->proto = IPPROTO_MPLS;
	else if (!strcmp(v, "any/ipv4") || !strcmp(v, "any"))
		t->proto = 0;
	else
		return ip_invarg("Cannot guess tunnel mode.", v);
	return 0;
}

static int iptnl_port(const char *v, uint16_t *p, const char *err)
{
	uint32_t n;
	if (ip_get_u32(&n, v, 0) < 0 || n > 0xffff)
		return ip_invarg(err, v);
	*p = (uint16_t)n;
	return 0;
}

static int iptnl_prefix(struct ip_ctx *c, struct iptnl *t, const char *k, const char *v)
{
	struct ip_prefix p;
	bool six = !strcmp(k, "6rd-prefix");
	if (ip_get_prefix(&p, v, six ? AF_INET6 : AF_INET) < 0) {
		fprintf(stderr, "Error: %s prefix is expected rather than \"%s\".\n",
			six ? "inet6" : "inet", v);
		return 1;
	}
	int bits = p.bitlen < 0 ? (int)p.bytelen * 8 : p.bitlen;
	(void)c;
	if (six) {
		memcpy(t->prefix, p.data, 16);
		t->plen = (uint16_t)bits;
	} else {
		memcpy(&t->relay, p.data, 4);
		t->relay_len = (uint16_t)bits;
	}
	return 0;
}

static int iptnl_value(struct ip_ctx *c, struct iptnl *t, const char *k, const char *v)
{
	uint32_t n;
	if (!strcmp(k, "remote") || !strcmp(k, "local"))
		return tnl_addr4(v, k[0] == 'r' ? &t->remote : &t->local);
	if (ip_matches(k, "dev")) {
		if (!(t->link = (uint32_t)ip_ifindex(c, v))) {
			ip_nodev(v);
			return 255;
		}
	} else if (!strcmp(k, "ttl") || !strcmp(k, "hoplimit") || !strcmp(k, "hlim")) {
		if (!strcmp(v, "inherit"))
			t->ttl = 0;
		else if (ip_get_u32(&n, v, 0) < 0 || n > 255)
			return ip_invarg("invalid TTL\n", v);
		else
			t->ttl = (uint8_t)n;
	} else if (!strcmp(k, "tos") || !strcmp(k, "tclass") || ip_matches(k, "dsfield")) {
		if (!strcmp(v, "inherit"))
			t->tos = 1;
		else if (ip_name_id(c, IPT_DSFIELD, v, &n) < 0 || n > 255)
			return ip_invarg("bad TOS value", v);
		else
			t->tos = (uint8_t)n;
	} else if (!strcmp(k, "mode")) {
		return iptnl_mode(t, v);
	} else if (!strcmp(k, "encap")) {
		if (!strcmp(v, "fou") || !strcmp(v, "gue") || !strcmp(v, "none"))
			t->encap_type = v[0] == 'f'   ? TUNNEL_ENCAP_FOU
					: v[0] == 'g' ? TUNNEL_ENCAP_GUE
						      : TUNNEL_ENCAP_NONE;
		else
			return ip_invarg("Invalid encap type.", v);
	} else if (!strcmp(k, "encap-sport")) {
		if (strcmp(v, "auto"))
			return iptnl_port(v, &t->sport, "Invalid source port.");
		t->sport = 0;
	} else if (!strcmp(k, "encap-dport")) {
		return iptnl_port(v, &t->dport, "Invalid destination port.");
	} else if (!strcmp(k, "6rd-prefix") || !strcmp(k, "6rd-relay_prefix")) {
		return iptnl_prefix(c, t, k, v);
	} else if (ip_get_u32(&t->fwmark, v, 0) < 0) { /* fwmark */
		return ip_invarg("invalid fwmark\n", v);
	}
	return 0;
}

static bool iptnl_takes_value(const char *k)
{
	static const char *const keys[] = {
		"remote", "local",	 "ttl",	       "hoplimit",	  "hlim",
		"tos",	  "tclass",	 "mode",       "encap",		  "encap-sport",
		"fwmark", "encap-dport", "6rd-prefix", "6rd-relay_prefix"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(k, keys[i]))
			return true;
	return ip_matches(k, "dev") || ip_matches(k, "dsfield");
}

static void iptnl_put(const struct iptnl *t, struct nlmsghdr *nlh)
{
	mnl_attr_put_u8(nlh, IFLA_IPTUN_PROTO, t->proto);
	if (t->metadata) {
		mnl_attr_put(nlh, IFLA_IPTUN_COLLECT_METADATA, 0, NULL);
		return;
	}
	mnl_attr_put_u32(nlh, IFLA_IPTUN_LINK, t->link);
	if (t->local)
		mnl_attr_put_u32(nlh, IFLA_IPTUN_LOCAL, t->local);
	if (t->remote)
		mnl_attr_put_u32(nlh, IFLA_IPTUN_REMOTE, t->remote);
	mnl_attr_put_u8(nlh, IFLA_IPTUN_TTL, t->ttl);
	mnl_attr_put_u8(nlh, IFLA_IPTUN_TOS, t->tos);
	mnl_attr_put_u8(nlh, IFLA_IPTUN_PMTUDISC, t->pmtudisc);
	mnl_attr_put_u32(nlh, IFLA_IPTUN_FWMARK, t->fwmark);
	mnl_attr_put_u16(nlh, IFLA_IPTUN_ENCAP_TYPE, t->encap_type);
	mnl_attr_put_u16(nlh, IFLA_IPTUN_ENCAP_FLAGS, t->encap_flags);
	mnl_attr_put_u16(nlh, IFLA_IPTUN_ENCAP_SPORT, htons(t->sport));
	mnl_attr_put_u16(nlh, IFLA_IPTUN_ENCAP_DPORT, htons(t->dport));
	if (!t->sit)
		return;
	mnl_attr_put_u16(nlh, IFLA_IPTUN_FLAGS, t->iflags);
	if (t->plen) {
		mnl_attr_put(nlh, IFLA_IPTUN_6RD_PREFIX, 16, t->prefix);
		mnl_attr_put_u16(nlh, IFLA_IPTUN_6RD_PREFIXLEN, t->plen);
		if (t->relay_len) {
			mnl_attr_put_u32(nlh, IFLA_IPTUN_6RD_RELAY_PREFIX, t->relay);
			mnl_attr_put_u16(nlh, IFLA_IPTUN_6RD_RELAY_PREFIXLEN, t->relay_len);
		}
	}
}

/* ip link set: an attribute of the link's present data as iproute2 reads
 * it (rta_getattr_u8/16/32, whatever its length), or dflt if absent. */
static uint32_t old_u(const struct nlattr *a, unsigned bytes, uint32_t dflt)
{
	if (!a)
		return dflt;
	return bytes == 1   ? mnl_attr_get_u8(a)
	       : bytes == 2 ? mnl_attr_get_u16(a)
			    : mnl_attr_get_u32(a);
}

/* A link's present local and remote addresses, alen bytes each as
 * iproute2's get_addr_rta wants them; false (and its message) if one is
 * not. */
static bool old_addrs(const struct nlattr *l, const struct nlattr *r, size_t alen, void *local,
		      void *remote)
{
	if ((l && mnl_attr_get_payload_len(l) != alen) ||
	    (r && mnl_attr_get_payload_len(r) != alen)) {
		fprintf(stderr, "Failed to get existing tunnel info.\n");
		return false;
	}
	if (l)
		memcpy(local, mnl_attr_get_payload(l), alen);
	if (r)
		memcpy(remote, mnl_attr_get_payload(r), alen);
	return true;
}

/* ip link set: the link's present settings first, as iproute2 6.1's
 * link_iptnl.c reads its IFLA_INFO_DATA (addresses of the wrong length:
 * "Failed to get existing tunnel info."). The 6rd prefix counts as set
 * by its length, as netkit's own words do. */
static int iptnl_old(const struct nlattr *data, struct iptnl *t)
{
	const struct nlattr *tb[IFLA_IPTUN_MAX + 1] = {0};
	static const struct {
		unsigned attr, len;
	} addrs[] = {{IFLA_IPTUN_LOCAL, 4},
		     {IFLA_IPTUN_REMOTE, 4},
		     {IFLA_IPTUN_6RD_PREFIX, 16},
		     {IFLA_IPTUN_6RD_RELAY_PREFIX, 4}};
	bool ok = nl_parse_nested(data, NULL, IFLA_IPTUN_MAX, tb) >= 0;
	for (size_t i = 0; ok && i < sizeof(addrs) / sizeof(addrs[0]); i++)
		ok = !tb[addrs[i].attr] ||
		     mnl_attr_get_payload_len(tb[addrs[i].attr]) == addrs[i].len;
	if (!ok) {
		fprintf(stderr, "Failed to get existing tunnel info.\n");
		return 1;
	}
	t->local = old_u(tb[IFLA_IPTUN_LOCAL], 4, 0);
	t->remote = old_u(tb[IFLA_IPTUN_REMOTE], 4, 0);
	if (tb[IFLA_IPTUN_6RD_PREFIX])
		memcpy(t->prefix, mnl_attr_get_payload(tb[IFLA_IPTUN_6RD_PREFIX]), 16);
	t->relay = old_u(tb[IFLA_IPTUN_6RD_RELAY_PREFIX], 4, 0);
	t->plen = (uint16_t)old_u(tb[IFLA_IPTUN_6RD_PREFIXLEN], 2, 0);
	t->relay_len = (uint16_t)old_u(tb[IFLA_IPTUN_6RD_RELAY_PREFIXLEN], 2, 0);
	t->ttl = (uint8_t)old_u(tb[IFLA_IPTUN_TTL], 1, 0);
	t->pmtudisc = (uint8_t)old_u(tb[IFLA_IPTUN_PMTUDISC], 1, 1);
	t->tos = (uint8_t)old_u(tb[IFLA_IPTUN_TOS], 1, 0);
	t->iflags = (uint16_t)old_u(tb[IFLA_IPTUN_FLAGS], 2, 0);
	t->link = old_u(tb[IFLA_IPTUN_LINK], 4, 0);
	t->proto = (uint8_t)old_u(tb[IFLA_IPTUN_PROTO], 1, 0);
	t->encap_type = (uint16_t)old_u(tb[IFLA_IPTUN_ENCAP_TYPE], 2, 0);
	t->encap_flags = (uint16_t)old_u(tb[IFLA_IPTUN_ENCAP_FLAGS], 2, 0);
	t->sport = (uint16_t)old_u(tb[IFLA_IPTUN_ENCAP_SPORT], 2, 0);
	t->dport = (uint16_t)old_u(tb[IFLA_IPTUN_ENCAP_DPORT], 2, 0);
	t->metadata = tb[IFLA_IPTUN_COLLECT_METADATA] ? 1 : 0;
	t->fwmark = old_u(tb[IFLA_IPTUN_FWMARK], 4, 0);
	return 0;
}

int ip_iptnl_parse(struct ip_ctx *c, const char *kind, struct nlmsghdr *nlh, int argc, char **argv)
{
	struct iptnl t = {.kind = kind, .sit = !strcmp(kind, "sit"), .pmtudisc = 1};
	if (c->link_old_data && iptnl_old(c->link_old_data, &t))
		return 1;
	while (argc > 0) {
		const char *k = argv[0];
		int used = 1;
		if (iptnl_takes_value(k)) {
			if (argc < 2)
				return ip_incomplete(NULL);
			int r = iptnl_value(c, &t, k, argv[1]);
			if (r)
				return r;
			used = 2;
		} else if (!iptnl_flag(&t, k)) {
			iptnl_usage(&t);
			return 1;
		}
		argc -= used;
		argv += used;
	}
	if (t.ttl && !t.pmtudisc) {
		fprintf(stderr, "ttl != 0 and nopmtudisc are incompatible\n");
		return 255;
	}
	iptnl_put(&t, nlh);
	return 0;
}

static void iptnl_print_6rd(struct ip_ctx *c, const struct nlattr **tb)
{
	const struct nlattr *pl = tb[IFLA_IPTUN_6RD_PREFIXLEN];
	uint16_t plen = pl ? mnl_attr_get_u16(pl) : 0;
	if (!plen || !tb[IFLA_IPTUN_6RD_PREFIX] ||
	    mnl_attr_get_payload_len(tb[IFLA_IPTUN_6RD_PREFIX]) < 16)
		return;
	uint16_t rlen = tb[IFLA_IPTUN_6RD_RELAY_PREFIXLEN]
				? mnl_attr_get_u16(tb[IFLA_IPTUN_6RD_RELAY_PREFIXLEN])
				: 0;
	uint32_t relay = tb[IFLA_IPTUN_6RD_RELAY_PREFIX]
				 ? mnl_attr_get_u32(tb[IFLA_IPTUN_6RD_RELAY_PREFIX])
				 : 0;
	char p[64], r[64];
	inet_ntop(AF_INET6, mnl_attr_get_payload(tb[IFLA_IPTUN_6RD_PREFIX]), p, sizeof(p));
	ip_fmt_host(c, AF_INET, &relay, r, sizeof(r));
	if (emit_is_text(c->out)) {
		emit_text(c->out, "6rd-prefix %s/%u ", p, plen);
		if (relay)
			emit_text(c->out, "6rd-relay_prefix %s/%u ", r, rlen);
		return;
	}
	emit_str(c->out, "prefix", NULL, p);
	emit_int(c->out, "prefixlen", NULL, plen);
	if (relay) {
		emit_str(c->out, "relay_prefix", NULL, r);
		emit_int(c->out, "relay_prefixlen", NULL, rlen);
	}
}

void ip_iptnl_print(struct ip_ctx *c, const struct nlattr *data)
{
	const struct nlattr *tb[IFLA_IPTUN_MAX + 1];
	if (!data || nl_parse_nested(data, NULL, IFLA_IPTUN_MAX, tb) < 0)
		return;
	if (tb[IFLA_IPTUN_COLLECT_METADATA])
		emit_bool(c->out, "external", "external ", true);
	if (tb[IFLA_IPTUN_PROTO]) {
		uint8_t p = mnl_attr_get_u8(tb[IFLA_IPTUN_PROTO]);
		const char *n = p == IPPROTO_IPIP   ? "ipip"
				: p == IPPROTO_IPV6 ? "ip6ip"
				: p == IPPROTO_MPLS ? "mplsip"
				: p == 0	    ? "any"
						    : NULL;
		if (n)
			emit_str(c->out, "proto", "%s ", n);
	}
	ip_tnl_print_endpoint(c, "remote", tb[IFLA_IPTUN_REMOTE], AF_INET);
	ip_tnl_print_endpoint(c, "local", tb[IFLA_IPTUN_LOCAL], AF_INET);
	char b[IP_NAMESZ];
	uint32_t link = tb[IFLA_IPTUN_LINK] ? mnl_attr_get_u32(tb[IFLA_IPTUN_LINK]) : 0;
	if (link)
		emit_str(c->out, "link", "dev %s ", ip_ifname(c, link, b));
	uint8_t ttl = tb[IFLA_IPTUN_TTL] ? mnl_attr_get_u8(tb[IFLA_IPTUN_TTL]) : 0;
	if (!emit_is_text(c->out) || ttl)
		emit_uint(c->out, "ttl", "ttl %u ", ttl);
	else
		emit_text(c->out, "ttl inherit ");
	uint8_t tos = tb[IFLA_IPTUN_TOS] ? mnl_attr_get_u8(tb[IFLA_IPTUN_TOS]) : 0;
	char h[16];
	snprintf(h, sizeof(h), "0x%x", tos);
	if (tos && (!emit_is_text(c->out) || tos != 1))
		emit_str(c->out, "tos", "tos %s ", h);
	else if (tos)
		emit_text(c->out, "tos inherit ");
	if (tb[IFLA_IPTUN_PMTUDISC] && mnl_attr_get_u8(tb[IFLA_IPTUN_PMTUDISC]))
		emit_bool(c->out, "pmtudisc", "pmtudisc ", true);
	else
		emit_bool(c->out, "pmtudisc", "nopmtudisc ", false);
	if (tb[IFLA_IPTUN_FLAGS] && (mnl_attr_get_u16(tb[IFLA_IPTUN_FLAGS]) & SIT_ISATAP))
		emit_bool(c->out, "isatap", "isatap ", true);
	iptnl_print_6rd(c, tb);
	uint32_t mark = tb[IFLA_IPTUN_FWMARK] ? mnl_attr_get_u32(tb[IFLA_IPTUN_FWMARK]) : 0;
	snprintf(h, sizeof(h), "0x%x", mark);
	if (mark)
		emit_str(c->out, "fwmark", "fwmark %s ", h);
	ip_tnl_print_encap(c, tb, IFLA_IPTUN_ENCAP_TYPE, IFLA_IPTUN_ENCAP_FLAGS,
			   IFLA_IPTUN_ENCAP_SPORT, IFLA_IPTUN_ENCAP_DPORT);
}

/* ---- gre, gretap ---- */

struct gre {
	uint16_t iflags, oflags; /* GRE_* in network order */
	uint32_t ikey, okey, local, remote, link, fwmark;
	uint8_t ttl, tos, pmtudisc, ignore_df, metadata;
	struct iptnl encap; /* encap_* words, shared with ipip */
	uint32_t erspan_idx;
	uint8_t erspan_ver, erspan_dir; /* version 1 unless said */
	uint16_t erspan_hwid;
};

#define ERSPAN_USAGE                                                                               \
	"\t\t\t[ erspan_ver version ]\n"                                                           \
	"\t\t\t[ erspan IDX ]\n"                                                                   \
	"\t\t\t[ erspan_dir { ingress | egress } ]\n"                                              \
	"\t\t\t[ erspan_hwid hwid ]\n"

static bool erspan_word(const char *k)
{
	return !strcmp(k, "erspan") || !strcmp(k, "erspan_ver") || !strcmp(k, "erspan_dir") ||
	       !strcmp(k, "erspan_hwid");
}

/* One erspan word with its value, as link_gre.c/link_gre6.c; 0 or an exit status. */
static int erspan_value(struct gre *g, const char *k, const char *v)
{
	uint32_t n;
	if (!strcmp(k, "erspan")) {
		if (ip_get_u32(&n, v, 0) < 0)
			return ip_invarg("invalid erspan index\n", v);
		if ((n & ~((1u << 20) - 1)) || !n)
			return ip_invarg("erspan index must be > 0 and <= 20-bit\n", v);
		g->erspan_idx = n;
	} else if (!strcmp(k, "erspan_ver")) {
		if (ip_get_u32(&n, v, 0) < 0 || n > 255)
			return ip_invarg("invalid erspan version\n", v);
		if (n > 2)
			return ip_invarg("erspan version must be 0/1/2\n", v);
		g->erspan_ver = (uint8_t)n;
	} else if (!strcmp(k, "erspan_dir")) {
		if (ip_matches(v, "ingress"))
			g->erspan_dir = 0;
		else if (ip_matches(v, "egress"))
			g->erspan_dir = 1;
		else
			return ip_invarg("Invalid erspan direction.", v);
	} else {
		if (ip_get_u32(&n, v, 0) < 0 || n > 0xffff)
			return ip_invarg("invalid erspan hwid\n", v);
		g->erspan_hwid = (uint16_t)n;
	}
	return 0;
}

static void erspan_put(const struct gre *g, struct nlmsghdr *nlh)
{
	mnl_attr_put_u8(nlh, IFLA_GRE_ERSPAN_VER, g->erspan_ver);
	if (g->erspan_ver == 1 && g->erspan_idx) {
		mnl_attr_put_u32(nlh, IFLA_GRE_ERSPAN_INDEX, g->erspan_idx);
	} else if (g->erspan_ver == 2) {
		mnl_attr_put_u8(nlh, IFLA_GRE_ERSPAN_DIR, g->erspan_dir);
		mnl_attr_put_u16(nlh, IFLA_GRE_ERSPAN_HWID, g->erspan_hwid);
	}
}

static void erspan_print(struct ip_ctx *c, const struct nlattr **tb)
{
	if (tb[IFLA_GRE_ERSPAN_INDEX])
		emit_uint(c->out, "erspan_index", "erspan_index %u ",
			  mnl_attr_get_u32(tb[IFLA_GRE_ERSPAN_INDEX]));
	if (tb[IFLA_GRE_ERSPAN_VER])
		emit_uint(c->out, "erspan_ver", "erspan_ver %u ",
			  mnl_attr_get_u8(tb[IFLA_GRE_ERSPAN_VER]));
	if (tb[IFLA_GRE_ERSPAN_DIR])
		emit_str(c->out, "erspan_dir", "erspan_dir %s ",
			 mnl_attr_get_u8(tb[IFLA_GRE_ERSPAN_DIR]) ? "egress" : "ingress");
	if (tb[IFLA_GRE_ERSPAN_HWID]) {
		char h[16];
		snprintf(h, sizeof(h), "%#x", mnl_attr_get_u16(tb[IFLA_GRE_ERSPAN_HWID]));
		emit_str(c->out, "erspan_hwid", "erspan_hwid %s ", h);
	}
}

static void gre_usage(const char *kind)
{
	fprintf(stderr,
		"Usage: ... %-9s\t[ remote ADDR ]\n"
		"\t\t\t[ local ADDR ]\n"
		"\t\t\t[ [no][i|o]seq ]\n"
		"\t\t\t[ [i|o]key KEY | no[i|o]key ]\n"
		"\t\t\t[ [no][i|o]csum ]\n"
		"\t\t\t[ ttl TTL ]\n"
		"\t\t\t[ tos TOS ]\n"
		"\t\t\t[ [no]pmtudisc ]\n"
		"\t\t\t[ [no]ignore-df ]\n" TNL_USAGE_TAIL "%s\n"
		"Where:\tADDR := { IP_ADDRESS | any }\n"
		"\tTOS  := { NUMBER | inherit }\n"
		"\tTTL  := { 1..255 | inherit }\n"
		"\tKEY  := { DOTTED_QUAD | NUMBER }\n"
		"\tMARK := { 0x0..0xffffffff }\n",
		kind, strcmp(kind, "erspan") ? "" : ERSPAN_USAGE);
}

/* [no][i|o]seq, [no][i|o]csum, no[i|o]key: true if k was one of them. */
static bool gre_bits(struct gre *g, const char *k)
{
	static const struct {
		const char *word;
		uint16_t bit;
		bool in, out, on;
	} w[] = {
		{"nokey", GRE_KEY, 1, 1, 0},	{"noikey", GRE_KEY, 1, 0, 0},
		{"nookey", GRE_KEY, 0, 1, 0},	{"seq", GRE_SEQ, 1, 1, 1},
		{"noseq", GRE_SEQ, 1, 1, 0},	{"iseq", GRE_SEQ, 1, 0, 1},
		{"noiseq", GRE_SEQ, 1, 0, 0},	{"oseq", GRE_SEQ, 0, 1, 1},
		{"nooseq", GRE_SEQ, 0, 1, 0},	{"csum", GRE_CSUM, 1, 1, 1},
		{"nocsum", GRE_CSUM, 1, 1, 0},	{"icsum", GRE_CSUM, 1, 0, 1},
		{"noicsum", GRE_CSUM, 1, 0, 0}, {"ocsum", GRE_CSUM, 0, 1, 1},
		{"noocsum", GRE_CSUM, 0, 1, 0},
	};
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		if (!ip_matches(k, w[i].word))
			continue;
		uint16_t *f[2] = {w[i].in ? &g->iflags : NULL, w[i].out ? &g->oflags : NULL};
		for (int j = 0; j < 2; j++)
			if (f[j])
				*f[j] = w[i].on ? (uint16_t)(*f[j] | w[i].bit)
						: (uint16_t)(*f[j] & ~w[i].bit);
		if (w[i].bit == GRE_KEY) {
			if (w[i].in)
				g->ikey = 0;
			if (w[i].out)
				g->okey = 0;
		}
		return true;
	}
	return false;
}

/* KEY: a dotted quad or a number (network order); an exit status if neither. */
int ip_tnl_parse_key(const char *name, const char *v, uint32_t *key)
{
	if (strchr(v, '.')) {
		if (inet_pton(AF_INET, v, key) == 1)
			return 0;
		fprintf(stderr, "Error: an IP address is expected rather than \"%s\"\n", v);
		return 1;
	}
	uint32_t n;
	if (ip_get_u32(&n, v, 0) < 0) {
		fprintf(stderr,
			"invalid value for \"%s\": \"%s\"; it should be an unsigned integer\n",
			name, v);
		return 255;
	}
	*key = htonl(n);
	return 0;
}

static int gre_value(struct ip_ctx *c, struct gre *g, const char *k, const char *v)
{
	if (ip_matches(k, "key") || ip_matches(k, "ikey") || ip_matches(k, "okey")) {
		bool in = k[0] != 'o', out = k[0] != 'i';
		uint32_t key;
		int r = ip_tnl_parse_key(ip_matches(k, "key") ? "key"
					 : in		      ? "ikey"
							      : "okey",
					 v, &key);
		if (r)
			return r;
		if (in) {
			g->iflags |= GRE_KEY;
			g->ikey = key;
		}
		if (out) {
			g->oflags |= GRE_KEY;
			g->okey = key;
		}
		return 0;
	}
	if (ip_matches(k, "remote") || ip_matches(k, "local"))
		return tnl_addr4(v, ip_matches(k, "remote") ? &g->remote : &g->local);
	/* dev, ttl, tos, fwmark and the encap words are as ipip's, the first
	 * three by any abbreviation ("t" is ttl) */
	if (ip_matches(k, "dev"))
		k = "dev";
	else if (ip_matches(k, "ttl") || ip_matches(k, "hoplimit") || ip_matches(k, "hlim"))
		k = "ttl";
	else if (ip_matches(k, "tos") || ip_matches(k, "tclass") || ip_matches(k, "dsfield"))
		k = "tos";
	struct iptnl t = g->encap;
	int r = iptnl_value(c, &t, k, v);
	g->encap = t;
	g->link = t.link;
	g->ttl = t.ttl;
	g->tos = t.tos;
	g->fwmark = t.fwmark;
	return r;
}

static bool gre_takes_value(const char *k)
{
	return ip_matches(k, "key") || ip_matches(k, "ikey") || ip_matches(k, "okey") ||
	       ip_matches(k, "remote") || ip_matches(k, "local") || ip_matches(k, "dev") ||
	       ip_matches(k, "ttl") || ip_matches(k, "hoplimit") || ip_matches(k, "hlim") ||
	       ip_matches(k, "tos") || ip_matches(k, "tclass") || ip_matches(k, "dsfield") ||
	       !strcmp(k, "encap") || !strcmp(k, "encap-sport") || !strcmp(k, "encap-dport") ||
	       !strcmp(k, "fwmark");
}

static void gre_put(const struct gre *g, struct nlmsghdr *nlh)
{
	if (g->metadata) {
		mnl_attr_put(nlh, IFLA_GRE_COLLECT_METADATA, 0, NULL);
		return;
	}
	mnl_attr_put_u32(nlh, IFLA_GRE_IKEY, g->ikey);
	mnl_attr_put_u32(nlh, IFLA_GRE_OKEY, g->okey);
	mnl_attr_put_u16(nlh, IFLA_GRE_IFLAGS, g->iflags);
	mnl_attr_put_u16(nlh, IFLA_GRE_OFLAGS, g->oflags);
	if (g->local)
		mnl_attr_put_u32(nlh, IFLA_GRE_LOCAL, g->local);
	if (g->remote)
		mnl_attr_put_u32(nlh, IFLA_GRE_REMOTE, g->remote);
	mnl_attr_put_u8(nlh, IFLA_GRE_PMTUDISC, g->pmtudisc);
	if (g->ignore_df)
		mnl_attr_put_u8(nlh, IFLA_GRE_IGNORE_DF, g->ignore_df & 1);
	mnl_attr_put_u8(nlh, IFLA_GRE_TOS, g->tos);
	if (g->link)
		mnl_attr_put_u32(nlh, IFLA_GRE_LINK, g->link);
	mnl_attr_put_u8(nlh, IFLA_GRE_TTL, g->ttl);
	mnl_attr_put_u32(nlh, IFLA_GRE_FWMARK, g->fwmark);
	if (!strcmp(g->encap.kind, "erspan"))
		erspan_put(g, nlh);
	mnl_attr_put_u16(nlh, IFLA_GRE_ENCAP_TYPE, g->encap.encap_type);
	mnl_attr_put_u16(nlh, IFLA_GRE_ENCAP_FLAGS, g->encap.encap_flags);
	mnl_attr_put_u16(nlh, IFLA_GRE_ENCAP_SPORT, htons(g->encap.sport));
	mnl_attr_put_u16(nlh, IFLA_GRE_ENCAP_DPORT, htons(g->encap.dport));
}

/* ip link set: the link's present settings first, as iproute2 6.1 reads
 * its IFLA_INFO_DATA (as gre attributes, whatever kind the link is; an
 * address that is not 4 bytes: "Failed to get existing tunnel info."). */
static int gre_old(const struct nlattr *data, struct gre *g)
{
	const struct nlattr *tb[IFLA_GRE_MAX + 1] = {0};
	if (nl_parse_nested(data, NULL, IFLA_GRE_MAX, tb) < 0 ||
	    !old_addrs(tb[IFLA_GRE_LOCAL], tb[IFLA_GRE_REMOTE], 4, &g->local, &g->remote))
		return 1;
	g->ikey = old_u(tb[IFLA_GRE_IKEY], 4, 0);
	g->okey = old_u(tb[IFLA_GRE_OKEY], 4, 0);
	g->iflags = (uint16_t)old_u(tb[IFLA_GRE_IFLAGS], 2, 0);
	g->oflags = (uint16_t)old_u(tb[IFLA_GRE_OFLAGS], 2, 0);
	g->pmtudisc = (uint8_t)old_u(tb[IFLA_GRE_PMTUDISC], 1, 1);
	g->ignore_df = old_u(tb[IFLA_GRE_IGNORE_DF], 1, 0) ? 1 : 0;
	g->tos = g->encap.tos = (uint8_t)old_u(tb[IFLA_GRE_TOS], 1, 0);
	g->ttl = g->encap.ttl = (uint8_t)old_u(tb[IFLA_GRE_TTL], 1, 0);
	g->link = g->encap.link = old_u(tb[IFLA_GRE_LINK], 4, 0);
	g->encap.encap_type = (uint16_t)old_u(tb[IFLA_GRE_ENCAP_TYPE], 2, 0);
	g->encap.encap_flags = (uint16_t)old_u(tb[IFLA_GRE_ENCAP_FLAGS], 2, 0);
	g->encap.sport = (uint16_t)old_u(tb[IFLA_GRE_ENCAP_SPORT], 2, 0); /* as read: */
	g->encap.dport = (uint16_t)old_u(tb[IFLA_GRE_ENCAP_DPORT], 2, 0); /* swapped once more */
	g->metadata = tb[IFLA_GRE_COLLECT_METADATA] ? 1 : 0;
	g->fwmark = g->encap.fwmark = old_u(tb[IFLA_GRE_FWMARK], 4, 0);
	g->erspan_idx = old_u(tb[IFLA_GRE_ERSPAN_INDEX], 4, 0);
	g->erspan_ver = (uint8_t)old_u(tb[IFLA_GRE_ERSPAN_VER], 1, 1);
	g->erspan_dir = (uint8_t)old_u(tb[IFLA_GRE_ERSPAN_DIR], 1, 0);
	g->erspan_hwid = (uint16_t)old_u(tb[IFLA_GRE_ERSPAN_HWID], 2, 0);
	return 0;
}

int ip_gre_parse(struct ip_ctx *c, const char *kind, struct nlmsghdr *nlh, int argc, char **argv)
{
	struct gre g = {.pmtudisc = 1, .encap = {.kind = kind}, .erspan_ver = 1};
	bool is_erspan = !strcmp(kind, "erspan");
	if (c->link_old_data && gre_old(c->link_old_data, &g))
		return 1;
	for (; argc > 0; argc--, argv++) {
		const char *k = argv[0];
		if (is_erspan && erspan_word(k) && !gre_takes_value(k)) {
			if (argc < 2)
				return ip_incomplete(NULL);
			int r = erspan_value(&g, k, argv[1]);
			if (r)
				return r;
			argc--;
			argv++;
		} else if (gre_takes_value(k)) {
			if (argc < 2)
				return ip_incomplete(NULL);
			int r = gre_value(c, &g, k, argv[1]);
			if (r)
				return r;
			argc--;
			argv++;
		} else if (gre_bits(&g, k)) {
		} else if (ip_matches(k, "nopmtudisc") || ip_matches(k, "pmtudisc")) {
			g.pmtudisc = ip_matches(k, "pmtudisc");
		} else if (!strcmp(k, "external")) {
			g.metadata = 1;
		} else if (!strcmp(k, "ignore-df") || !strcmp(k, "noignore-df")) {
			g.ignore_df = k[0] == 'i' ? 1 : 2; /* 2: said, and off */
		} else if (strcmp(k, "noencap") && strncmp(k, "encap-", 6) &&
			   strncmp(k, "noencap-", 8)) {
			gre_usage(kind);
			return 1;
		} else if (!iptnl_flag(&g.encap, k)) {
			gre_usage(kind);
			return 1;
		}
	}
	if (IN_MULTICAST(ntohl(g.remote))) {
		if (!g.ikey) {
			g.ikey = g.remote;
			g.iflags |= GRE_KEY;
		}
		if (!g.okey) {
			g.okey = g.remote;
			g.oflags |= GRE_KEY;
		}
		if (!g.local) {
			fprintf(stderr, "A broadcast tunnel requires a source address.\n");
			return 1;
		}
	}
	gre_put(&g, nlh);
	return 0;
}

static void gre_print_flags(struct ip_ctx *c, const struct nlattr **tb)
{
	uint16_t in = tb[IFLA_GRE_IFLAGS] ? mnl_attr_get_u16(tb[IFLA_GRE_IFLAGS]) : 0;
	uint16_t out = tb[IFLA_GRE_OFLAGS] ? mnl_attr_get_u16(tb[IFLA_GRE_OFLAGS]) : 0;
	char s[32];
	if ((in & GRE_KEY) && tb[IFLA_GRE_IKEY]) {
		inet_ntop(AF_INET, mnl_attr_get_payload(tb[IFLA_GRE_IKEY]), s, sizeof(s));
		emit_str(c->out, "ikey", "ikey %s ", s);
	}
	if ((out & GRE_KEY) && tb[IFLA_GRE_OKEY]) {
		inet_ntop(AF_INET, mnl_attr_get_payload(tb[IFLA_GRE_OKEY]), s, sizeof(s));
		emit_str(c->out, "okey", "okey %s ", s);
	}
	if (in & GRE_SEQ)
		emit_bool(c->out, "iseq", "iseq ", true);
	if (out & GRE_SEQ)
		emit_bool(c->out, "oseq", "oseq ", true);
	if (in & GRE_CSUM)
		emit_bool(c->out, "icsum", "icsum ", true);
	if (out & GRE_CSUM)
		emit_bool(c->out, "ocsum", "ocsum ", true);
}

void ip_gre_print(struct ip_ctx *c, const struct nlattr *data)
{
	const struct nlattr *tb[IFLA_GRE_MAX + 1];
	if (!data || nl_parse_nested(data, NULL, IFLA_GRE_MAX, tb) < 0)
		return;
	if (tb[IFLA_GRE_COLLECT_METADATA])
		emit_bool(c->out, "external", "external ", true);
	ip_tnl_print_endpoint(c, "remote", tb[IFLA_GRE_REMOTE], AF_INET);
	ip_tnl_print_endpoint(c, "local", tb[IFLA_GRE_LOCAL], AF_INET);
	char b[IP_NAMESZ], h[16];
	uint32_t link = tb[IFLA_GRE_LINK] ? mnl_attr_get_u32(tb[IFLA_GRE_LINK]) : 0;
	if (link)
		emit_str(c->out, "link", "dev %s ", ip_ifname(c, link, b));
	uint8_t ttl = tb[IFLA_GRE_TTL] ? mnl_attr_get_u8(tb[IFLA_GRE_TTL]) : 0;
	if (!emit_is_text(c->out) || ttl)
		emit_uint(c->out, "ttl", "ttl %u ", ttl);
	else
		emit_text(c->out, "ttl inherit ");
	uint8_t tos = tb[IFLA_GRE_TOS] ? mnl_attr_get_u8(tb[IFLA_GRE_TOS]) : 0;
	snprintf(h, sizeof(h), "0x%x", tos);
	if (tos && (!emit_is_text(c->out) || tos != 1))
		emit_str(c->out, "tos", "tos %s ", h);
	else if (tos)
		emit_text(c->out, "tos inherit ");
	if (tb[IFLA_GRE_PMTUDISC] && !mnl_attr_get_u8(tb[IFLA_GRE_PMTUDISC]))
		emit_bool(c->out, "pmtudisc", "nopmtudisc ", false);
	else if (tb[IFLA_GRE_PMTUDISC] && !emit_is_text(c->out))
		emit_bool(c->out, "pmtudisc", NULL, true);
	if (tb[IFLA_GRE_IGNORE_DF] && mnl_attr_get_u8(tb[IFLA_GRE_IGNORE_DF]))
		emit_bool(c->out, "ignore_df", "ignore-df ", true);
	gre_print_flags(c, tb);
	uint32_t mark = tb[IFLA_GRE_FWMARK] ? mnl_attr_get_u32(tb[IFLA_GRE_FWMARK]) : 0;
	snprintf(h, sizeof(h), "0x%x", mark);
	if (mark)
		emit_str(c->out, "fwmark", "fwmark %s ", h);
	erspan_print(c, tb);
	ip_tnl_print_encap(c, tb, IFLA_GRE_ENCAP_TYPE, IFLA_GRE_ENCAP_FLAGS, IFLA_GRE_ENCAP_SPORT,
			   IFLA_GRE_ENCAP_DPORT);
}

/* ---- ip6tnl ---- */

#define IP6_FLOWINFO_TCLASS htonl(0x0ff00000)
#define IP6_FLOWINFO_FLOWLABEL htonl(0x000fffff)

struct ip6tnl {
	uint8_t local[16], remote[16];
	uint8_t hoplimit, encap_limit, proto;
	uint32_t flowinfo, flags, link, fwmark;
	struct iptnl encap; /* encap words and external, as ipip's */
};

static int ip6tnl_usage(void)
{
	fputs("Usage: ... ip6tnl\t[ remote ADDR ]\n"
	      "\t\t\t[ local ADDR ]\n"
	      "\t\t\t[ encaplimit ELIM ]\n"
	      "\t\t\t[ hoplimit HLIM ]\n"
	      "\t\t\t[ tclass TCLASS ]\n"
	      "\t\t\t[ flowlabel FLOWLABEL ]\n"
	      "\t\t\t[ dscp inherit ]\n"
	      "\t\t\t[ [no]allow-localremote ]\n" TNL_USAGE_TAIL
	      "\t\t\t[ mode { ip6ip6 | ipip6 | any } ]\n"
	      "\n"
	      "Where:\tADDR\t  := IPV6_ADDRESS\n"
	      "\tELIM\t  := { none | 0..255 }(default=4)\n"
	      "\tHLIM\t  := 0..255 (default=64)\n"
	      "\tTCLASS    := { 0x0..0xff | inherit }\n"
	      "\tFLOWLABEL := { 0x0..0xfffff | inherit }\n"
	      "\tMARK\t  := { 0x0..0xffffffff | inherit }\n",
	      stderr);
	return 1;
}

int ip_tnl_addr6(const char *v, uint8_t *a)
{
	if (!strcmp(v, "any") || !strcmp(v, "default") || !strcmp(v, "all")) {
		memset(a, 0, 16);
		return 0;
	}
	if (inet_pton(AF_INET6, v, a) == 1)
		return 0;
	fprintf(stderr, "Error: inet6 address is expected rather than \"%s\".\n", v);
	return 1;
}

int ip_tnl_flow6(const char *k, const char *v, uint32_t *flowinfo, uint32_t *flags)
{
	uint32_t n;
	bool tclass = strcmp(k, "flowlabel") && strcmp(k, "fl");
	uint32_t mask = tclass ? IP6_FLOWINFO_TCLASS : IP6_FLOWINFO_FLOWLABEL;
	uint32_t orig = tclass ? IP6_TNL_F_USE_ORIG_TCLASS : IP6_TNL_F_USE_ORIG_FLOWLABEL;
	*flowinfo &= ~mask;
	if (!strcmp(v, "inherit")) {
		*flags |= orig;
		return 0;
	}
	char *end;
	n = (uint32_t)strtoul(v, &end, 16);
	if (!*v || *end || n > (tclass ? 0xffu : 0xfffffu))
		return ip_invarg(tclass ? "invalid TClass" : "invalid Flowlabel", v);
	*flowinfo |= (tclass ? htonl(n << 20) : htonl(n)) & mask;
	*flags &= ~orig;
	return 0;
}

static int ip6tnl_value(struct ip_ctx *c, struct ip6tnl *t, const char *k, const char *v)
{
	uint32_t n;
	if (!strcmp(k, "mode")) {
		if (!strcmp(v, "ipv6/ipv6") || !strcmp(v, "ip6ip6"))
			t->proto = IPPROTO_IPV6;
		else if (!strcmp(v, "ip/ipv6") || !strcmp(v, "ipv4/ipv6") || !strcmp(v, "ipip6") ||
			 !strcmp(v, "ip4ip6"))
			t->proto = IPPROTO_IPIP;
		else if (!strcmp(v, "any/ipv6") || !strcmp(v, "any"))
			t->proto = 0;
		else
			return ip_invarg("Cannot guess tunnel mode.", v);
	} else if (!strcmp(k, "remote") || !strcmp(k, "local")) {
		return ip_tnl_addr6(v, k[0] == 'r' ? t->remote : t->local);
	} else if (!strcmp(k, "ttl") || !strcmp(k, "hoplimit") || !strcmp(k, "hlim")) {
		if (!strcmp(v, "inherit"))
			t->hoplimit = 0;
		else if (ip_get_u32(&n, v, 0) < 0 || n > 255)
			return ip_invarg("invalid HLIM\n", v);
		else
			t->hoplimit = (uint8_t)n;
	} else if (!strcmp(k, "encaplimit")) {
		if (!strcmp(v, "none")) {
			t->flags |= IP6_TNL_F_IGN_ENCAP_LIMIT;
		} else {
			if (ip_get_u32(&n, v, 0) < 0 || n > 255)
				return ip_invarg("invalid ELIM", v);
			t->encap_limit = (uint8_t)n;
			t->flags &= ~IP6_TNL_F_IGN_ENCAP_LIMIT;
		}
	} else if (!strcmp(k, "tclass") || !strcmp(k, "tc") || !strcmp(k, "tos") ||
		   ip_matches(k, "dsfield") || !strcmp(k, "flowlabel") || !strcmp(k, "fl")) {
		return ip_tnl_flow6(k, v, &t->flowinfo, &t->flags);
	} else if (!strcmp(k, "dscp")) {
		if (strcmp(v, "inherit"))
			return ip_invarg("not inherit", v);
		t->flags |= IP6_TNL_F_RCV_DSCP_COPY;
	} else if (!strcmp(k, "fwmark") && !strcmp(v, "inherit")) {
		t->flags |= IP6_TNL_F_USE_ORIG_FWMARK;
		t->fwmark = 0;
	} else if (!strcmp(k, "fwmark")) {
		if (ip_get_u32(&t->fwmark, v, 0) < 0)
			return ip_invarg("invalid fwmark\n", v);
		t->flags &= ~IP6_TNL_F_USE_ORIG_FWMARK;
	} else { /* dev and the encap words, as ipip's */
		int r = iptnl_value(c, &t->encap, ip_matches(k, "dev") ? "dev" : k, v);
		t->link = t->encap.link;
		return r;
	}
	return 0;
}

static bool ip6tnl_takes_value(const char *k)
{
	static const char *const w[] = {"remote", "local",	"ttl",	       "hoplimit",
					"hlim",	  "encaplimit", "tclass",      "tc",
					"tos",	  "flowlabel",	"fl",	       "dscp",
					"fwmark", "encap",	"encap-sport", "encap-dport"};
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (!strcmp(k, w[i]))
			return true;
	return !strcmp(k, "mode") || ip_matches(k, "dev") || ip_matches(k, "dsfield");
}

static void ip6tnl_put(const struct ip6tnl *t, struct nlmsghdr *nlh)
{
	mnl_attr_put_u8(nlh, IFLA_IPTUN_PROTO, t->proto);
	if (t->encap.metadata) {
		mnl_attr_put(nlh, IFLA_IPTUN_COLLECT_METADATA, 0, NULL);
		return;
	}
	static const uint8_t any[16];
	if (memcmp(t->local, any, 16))
		mnl_attr_put(nlh, IFLA_IPTUN_LOCAL, 16, t->local);
	if (memcmp(t->remote, any, 16))
		mnl_attr_put(nlh, IFLA_IPTUN_REMOTE, 16, t->remote);
	mnl_attr_put_u8(nlh, IFLA_IPTUN_TTL, t->hoplimit);
	mnl_attr_put_u8(nlh, IFLA_IPTUN_ENCAP_LIMIT, t->encap_limit);
	mnl_attr_put_u32(nlh, IFLA_IPTUN_FLOWINFO, t->flowinfo);
	mnl_attr_put_u32(nlh, IFLA_IPTUN_FLAGS, t->flags);
	mnl_attr_put_u32(nlh, IFLA_IPTUN_LINK, t->link);
	mnl_attr_put_u32(nlh, IFLA_IPTUN_FWMARK, t->fwmark);
	mnl_attr_put_u16(nlh, IFLA_IPTUN_ENCAP_TYPE, t->encap.encap_type);
	mnl_attr_put_u16(nlh, IFLA_IPTUN_ENCAP_FLAGS, t->encap.encap_flags);
	mnl_attr_put_u16(nlh, IFLA_IPTUN_ENCAP_SPORT, htons(t->encap.sport));
	mnl_attr_put_u16(nlh, IFLA_IPTUN_ENCAP_DPORT, htons(t->encap.dport));
}

/* ip link set: the link's present settings first, as iproute2 6.1's
 * link_ip6tnl.c reads its IFLA_INFO_DATA (addresses must be 16 bytes;
 * the encap words are not read back). */
static int ip6tnl_old(const struct nlattr *data, struct ip6tnl *t)
{
	const struct nlattr *tb[IFLA_IPTUN_MAX + 1] = {0};
	if (nl_parse_nested(data, NULL, IFLA_IPTUN_MAX, tb) < 0 ||
	    !old_addrs(tb[IFLA_IPTUN_LOCAL], tb[IFLA_IPTUN_REMOTE], 16, t->local, t->remote))
		return 1;
	t->hoplimit = (uint8_t)old_u(tb[IFLA_IPTUN_TTL], 1, 64);
	t->encap_limit = (uint8_t)old_u(tb[IFLA_IPTUN_ENCAP_LIMIT], 1, 4);
	t->flowinfo = old_u(tb[IFLA_IPTUN_FLOWINFO], 4, 0);
	t->flags = old_u(tb[IFLA_IPTUN_FLAGS], 4, 0);
	t->link = t->encap.link = old_u(tb[IFLA_IPTUN_LINK], 4, 0);
	t->proto = (uint8_t)old_u(tb[IFLA_IPTUN_PROTO], 1, 0);
	t->encap.metadata = tb[IFLA_IPTUN_COLLECT_METADATA] ? 1 : 0;
	t->fwmark = old_u(tb[IFLA_IPTUN_FWMARK], 4, 0);
	return 0;
}

int ip_ip6tnl_parse(struct ip_ctx *c, const char *kind, struct nlmsghdr *nlh, int argc, char **argv)
{
	struct ip6tnl t = {.hoplimit = 64,
			   .encap_limit = 4,
			   .encap = {.kind = kind, .encap_flags = TUNNEL_ENCAP_FLAG_CSUM6}};
	if (c->link_old_data && ip6tnl_old(c->link_old_data, &t))
		return 1;
	for (; argc > 0; argc--, argv++) {
		const char *k = argv[0];
		if (ip6tnl_takes_value(k)) {
			if (argc < 2)
				return ip_incomplete(NULL);
			int r = ip6tnl_value(c, &t, k, argv[1]);
			if (r)
				return r;
			argc--;
			argv++;
		} else if (!strcmp(k, "allow-localremote")) {
			t.flags |= IP6_TNL_F_ALLOW_LOCAL_REMOTE;
		} else if (!strcmp(k, "noallow-localremote")) {
			t.flags &= ~IP6_TNL_F_ALLOW_LOCAL_REMOTE;
		} else if ((strcmp(k, "noencap") && strcmp(k, "external") &&
			    strncmp(k, "encap-", 6) && strncmp(k, "noencap-", 8)) ||
			   !iptnl_flag(&t.encap, k)) {
			return ip6tnl_usage();
		}
	}
	ip6tnl_put(&t, nlh);
	return 0;
}

static void ip6tnl_print_flow(struct ip_ctx *c, uint32_t flags, const struct nlattr *fi)
{
	uint32_t flowinfo = fi ? mnl_attr_get_u32(fi) : 0;
	char s[16];
	if (flags & IP6_TNL_F_USE_ORIG_TCLASS) {
		emit_bool(c->out, "ip6_tnl_f_use_orig_tclass", "tclass inherit ", true);
	} else if (fi) {
		snprintf(s, sizeof(s), "0x%02x", ntohl(flowinfo & IP6_FLOWINFO_TCLASS) >> 20);
		emit_str(c->out, "tclass", "tclass %s ", s);
	}
	if (flags & IP6_TNL_F_USE_ORIG_FLOWLABEL) {
		emit_bool(c->out, "ip6_tnl_f_use_orig_flowlabel", "flowlabel inherit ", true);
	} else if (fi) {
		snprintf(s, sizeof(s), "0x%05x", ntohl(flowinfo & IP6_FLOWINFO_FLOWLABEL));
		emit_str(c->out, "flowlabel", "flowlabel %s ", s);
	}
	if (flags & IP6_TNL_F_RCV_DSCP_COPY)
		emit_bool(c->out, "ip6_tnl_f_rcv_dscp_copy", "dscp inherit ", true);
}

static void ip6tnl_print_local(struct ip_ctx *c, uint32_t flags)
{
	if (flags & IP6_TNL_F_MIP6_DEV)
		emit_bool(c->out, "ip6_tnl_f_mip6_dev", "mip6 ", true);
	if (flags & IP6_TNL_F_ALLOW_LOCAL_REMOTE)
		emit_bool(c->out, "ip6_tnl_f_allow_local_remote", "allow-localremote ", true);
}

/* The link, hop limit, encapsulation limit and flow label of an IPv6
 * tunnel, as ip6tnl and ip6gre print them (each from its own attributes). */
static void ip6tnl_print_hops(struct ip_ctx *c, uint32_t flags, const struct nlattr *link_a,
			      const struct nlattr *ttl_a, const struct nlattr *limit_a,
			      const struct nlattr *flow_a)
{
	char b[IP_NAMESZ];
	uint32_t link = link_a ? mnl_attr_get_u32(link_a) : 0;
	if (link)
		emit_str(c->out, "link", "dev %s ", ip_ifname(c, link, b));
	uint8_t ttl = ttl_a ? mnl_attr_get_u8(ttl_a) : 0;
	if (!emit_is_text(c->out) || ttl)
		emit_uint(c->out, "ttl", "hoplimit %u ", ttl);
	else
		emit_text(c->out, "hoplimit inherit ");
	if (flags & IP6_TNL_F_IGN_ENCAP_LIMIT)
		emit_bool(c->out, "ip6_tnl_f_ign_encap_limit", "encaplimit none ", true);
	else if (limit_a)
		emit_uint(c->out, "encap_limit", "encaplimit %u ", mnl_attr_get_u8(limit_a));
	ip6tnl_print_flow(c, flags, flow_a);
}

static void ip6tnl_print_fwmark(struct ip_ctx *c, uint32_t flags, const struct nlattr *mark_a)
{
	char h[16];
	uint32_t mark = mark_a ? mnl_attr_get_u32(mark_a) : 0;
	snprintf(h, sizeof(h), "0x%x", mark);
	if (flags & IP6_TNL_F_USE_ORIG_FWMARK)
		emit_bool(c->out, "ip6_tnl_f_use_orig_fwmark", "fwmark inherit ", true);
	else if (mark)
		emit_str(c->out, "fwmark", "fwmark %s ", h);
}

void ip_ip6tnl_print(struct ip_ctx *c, const struct nlattr *data)
{
	const struct nlattr *tb[IFLA_IPTUN_MAX + 1];
	if (!data || nl_parse_nested(data, NULL, IFLA_IPTUN_MAX, tb) < 0)
		return;
	if (tb[IFLA_IPTUN_COLLECT_METADATA])
		emit_bool(c->out, "external", "external ", true);
	uint32_t flags = tb[IFLA_IPTUN_FLAGS] ? mnl_attr_get_u32(tb[IFLA_IPTUN_FLAGS]) : 0;
	if (tb[IFLA_IPTUN_PROTO]) {
		uint8_t p = mnl_attr_get_u8(tb[IFLA_IPTUN_PROTO]);
		const char *n = p == IPPROTO_IPIP   ? "ipip6"
				: p == IPPROTO_IPV6 ? "ip6ip6"
				: p		    ? NULL
						    : "any";
		if (n)
			emit_str(c->out, "proto", "%s ", n);
	}
	ip_tnl_print_endpoint(c, "remote", tb[IFLA_IPTUN_REMOTE], AF_INET6);
	ip_tnl_print_endpoint(c, "local", tb[IFLA_IPTUN_LOCAL], AF_INET6);
	ip6tnl_print_hops(c, flags, tb[IFLA_IPTUN_LINK], tb[IFLA_IPTUN_TTL],
			  tb[IFLA_IPTUN_ENCAP_LIMIT], tb[IFLA_IPTUN_FLOWINFO]);
	ip6tnl_print_local(c, flags);
	ip6tnl_print_fwmark(c, flags, tb[IFLA_IPTUN_FWMARK]);
	ip_tnl_print_encap(c, tb, IFLA_IPTUN_ENCAP_TYPE, IFLA_IPTUN_ENCAP_FLAGS,
			   IFLA_IPTUN_ENCAP_SPORT, IFLA_IPTUN_ENCAP_DPORT);
}

/* ---- ip6gre, ip6gretap: gre's keys and flags over ip6tnl's fields ---- */

static int ip6gre_usage(const char *kind)
{
	fprintf(stderr,
		"Usage: ... %-9s\t[ remote ADDR ]\n"
		"\t\t\t[ local ADDR ]\n"
		"\t\t\t[ [no][i|o]seq ]\n"
		"\t\t\t[ [i|o]key KEY | no[i|o]key ]\n"
		"\t\t\t[ [no][i|o]csum ]\n"
		"\t\t\t[ hoplimit TTL ]\n"
		"\t\t\t[ encaplimit ELIM ]\n"
		"\t\t\t[ tclass TCLASS ]\n"
		"\t\t\t[ flowlabel FLOWLABEL ]\n"
		"\t\t\t[ dscp inherit ]\n"
		"\t\t\t[ dev PHYS_DEV ]\n"
		"\t\t\t[ fwmark MARK ]\n"
		"\t\t\t[ [no]allow-localremote ]\n"
		"\t\t\t[ external ]\n"
		"\t\t\t[ noencap ]\n"
		"\t\t\t[ encap { fou | gue | none } ]\n"
		"\t\t\t[ encap-sport PORT ]\n"
		"\t\t\t[ encap-dport PORT ]\n"
		"\t\t\t[ [no]encap-csum ]\n"
		"\t\t\t[ [no]encap-csum6 ]\n"
		"\t\t\t[ [no]encap-remcsum ]\n" ERSPAN_USAGE "\n"
		"Where:\tADDR\t  := IPV6_ADDRESS\n"
		"\tTTL\t  := { 0..255 } (default=64)\n"
		"\tKEY\t  := { DOTTED_QUAD | NUMBER }\n"
		"\tELIM\t  := { none | 0..255 }(default=4)\n"
		"\tTCLASS\t  := { 0x0..0xff | inherit }\n"
		"\tFLOWLABEL := { 0x0..0xfffff | inherit }\n"
		"\tMARK\t  := { 0x0..0xffffffff | inherit }\n",
		kind);
	return 1;
}

static void ip6gre_put(const struct gre *g, const struct ip6tnl *t, struct nlmsghdr *nlh)
{
	if (t->encap.metadata) {
		mnl_attr_put(nlh, IFLA_GRE_COLLECT_METADATA, 0, NULL);
		return;
	}
	static const uint8_t any[16];
	mnl_attr_put_u32(nlh, IFLA_GRE_IKEY, g->ikey);
	mnl_attr_put_u32(nlh, IFLA_GRE_OKEY, g->okey);
	mnl_attr_put_u16(nlh, IFLA_GRE_IFLAGS, g->iflags);
	mnl_attr_put_u16(nlh, IFLA_GRE_OFLAGS, g->oflags);
	if (memcmp(t->local, any, 16))
		mnl_attr_put(nlh, IFLA_GRE_LOCAL, 16, t->local);
	if (memcmp(t->remote, any, 16))
		mnl_attr_put(nlh, IFLA_GRE_REMOTE, 16, t->remote);
	if (t->link)
		mnl_attr_put_u32(nlh, IFLA_GRE_LINK, t->link);
	mnl_attr_put_u8(nlh, IFLA_GRE_TTL, t->hoplimit);
	mnl_attr_put_u8(nlh, IFLA_GRE_ENCAP_LIMIT, t->encap_limit);
	mnl_attr_put_u32(nlh, IFLA_GRE_FLOWINFO, t->flowinfo);
	mnl_attr_put_u32(nlh, IFLA_GRE_FLAGS, t->flags);
	mnl_attr_put_u32(nlh, IFLA_GRE_FWMARK, t->fwmark);
	erspan_put(g, nlh); /* for every ip6 gre kind in iproute2 6.1 */
	mnl_attr_put_u16(nlh, IFLA_GRE_ENCAP_TYPE, t->encap.encap_type);
	mnl_attr_put_u16(nlh, IFLA_GRE_ENCAP_FLAGS, t->encap.encap_flags);
	mnl_attr_put_u16(nlh, IFLA_GRE_ENCAP_SPORT, htons(t->encap.sport));
	mnl_attr_put_u16(nlh, IFLA_GRE_ENCAP_DPORT, htons(t->encap.dport));
}

/* ip link set: the link's present settings first, as iproute2 6.1's
 * link_gre6.c reads its IFLA_INFO_DATA (addresses must be 16 bytes). */
static int ip6gre_old(const struct nlattr *data, struct gre *g, struct ip6tnl *t)
{
	const struct nlattr *tb[IFLA_GRE_MAX + 1] = {0};
	if (nl_parse_nested(data, NULL, IFLA_GRE_MAX, tb) < 0 ||
	    !old_addrs(tb[IFLA_GRE_LOCAL], tb[IFLA_GRE_REMOTE], 16, t->local, t->remote))
		return 1;
	g->ikey = old_u(tb[IFLA_GRE_IKEY], 4, 0);
	g->okey = old_u(tb[IFLA_GRE_OKEY], 4, 0);
	g->iflags = (uint16_t)old_u(tb[IFLA_GRE_IFLAGS], 2, 0);
	g->oflags = (uint16_t)old_u(tb[IFLA_GRE_OFLAGS], 2, 0);
	t->hoplimit = (uint8_t)old_u(tb[IFLA_GRE_TTL], 1, 64);
	t->link = t->encap.link = old_u(tb[IFLA_GRE_LINK], 4, 0);
	t->encap_limit = (uint8_t)old_u(tb[IFLA_GRE_ENCAP_LIMIT], 1, 4);
	t->flowinfo = old_u(tb[IFLA_GRE_FLOWINFO], 4, 0);
	t->flags = old_u(tb[IFLA_GRE_FLAGS], 4, 0);
	t->encap.encap_type = (uint16_t)old_u(tb[IFLA_GRE_ENCAP_TYPE], 2, 0);
	t->encap.encap_flags =
		(uint16_t)old_u(tb[IFLA_GRE_ENCAP_FLAGS], 2, TUNNEL_ENCAP_FLAG_CSUM6);
	t->encap.sport = (uint16_t)old_u(tb[IFLA_GRE_ENCAP_SPORT], 2, 0);
	t->encap.dport = (uint16_t)old_u(tb[IFLA_GRE_ENCAP_DPORT], 2, 0);
	t->encap.metadata = tb[IFLA_GRE_COLLECT_METADATA] ? 1 : 0;
	t->fwmark = old_u(tb[IFLA_GRE_FWMARK], 4, 0);
	g->erspan_idx = old_u(tb[IFLA_GRE_ERSPAN_INDEX], 4, 0);
	g->erspan_ver = (uint8_t)old_u(tb[IFLA_GRE_ERSPAN_VER], 1, 1);
	g->erspan_dir = (uint8_t)old_u(tb[IFLA_GRE_ERSPAN_DIR], 1, 0);
	g->erspan_hwid = (uint16_t)old_u(tb[IFLA_GRE_ERSPAN_HWID], 2, 0);
	return 0;
}

int ip_ip6gre_parse(struct ip_ctx *c, const char *kind, struct nlmsghdr *nlh, int argc, char **argv)
{
	struct gre g = {.erspan_ver = 1};
	struct ip6tnl t = {.hoplimit = 64,
			   .encap_limit = 4,
			   .encap = {.kind = kind, .encap_flags = TUNNEL_ENCAP_FLAG_CSUM6}};
	if (c->link_old_data && ip6gre_old(c->link_old_data, &g, &t))
		return 1;
	for (; argc > 0; argc--, argv++) {
		const char *k = argv[0];
		bool key = ip_matches(k, "key") || ip_matches(k, "ikey") || ip_matches(k, "okey");
		bool erspan = !key && !ip6tnl_takes_value(k) && erspan_word(k);
		if (key || erspan || ip6tnl_takes_value(k)) {
			if (argc < 2)
				return ip_incomplete(NULL);
			int r = key	 ? gre_value(c, &g, k, argv[1])
				: erspan ? erspan_value(&g, k, argv[1])
					 : ip6tnl_value(c, &t, k, argv[1]);
			if (r)
				return r;
			argc--;
			argv++;
		} else if (gre_bits(&g, k)) {
		} else if (!strcmp(k, "allow-localremote")) {
			t.flags |= IP6_TNL_F_ALLOW_LOCAL_REMOTE;
		} else if (!strcmp(k, "noallow-localremote")) {
			t.flags &= ~IP6_TNL_F_ALLOW_LOCAL_REMOTE;
		} else if ((strcmp(k, "noencap") && strcmp(k, "external") &&
			    strncmp(k, "encap-", 6) && strncmp(k, "noencap-", 8)) ||
			   !iptnl_flag(&t.encap, k)) {
			return ip6gre_usage(kind);
		}
	}
	ip6gre_put(&g, &t, nlh);
	return 0;
}

void ip_ip6gre_print(struct ip_ctx *c, const struct nlattr *data)
{
	const struct nlattr *tb[IFLA_GRE_MAX + 1];
	if (!data || nl_parse_nested(data, NULL, IFLA_GRE_MAX, tb) < 0)
		return;
	if (tb[IFLA_GRE_COLLECT_METADATA])
		emit_bool(c->out, "external", "external ", true);
	uint32_t flags = tb[IFLA_GRE_FLAGS] ? mnl_attr_get_u32(tb[IFLA_GRE_FLAGS]) : 0;
	ip_tnl_print_endpoint(c, "remote", tb[IFLA_GRE_REMOTE], AF_INET6);
	ip_tnl_print_endpoint(c, "local", tb[IFLA_GRE_LOCAL], AF_INET6);
	ip6tnl_print_hops(c, flags, tb[IFLA_GRE_LINK], tb[IFLA_GRE_TTL], tb[IFLA_GRE_ENCAP_LIMIT],
			  tb[IFLA_GRE_FLOWINFO]);
	gre_print_flags(c, tb);
	ip6tnl_print_local(c, flags);
	ip6tnl_print_fwmark(c, flags, tb[IFLA_GRE_FWMARK]);
	erspan_print(c, tb);
	ip_tnl_print_encap(c, tb, IFLA_GRE_ENCAP_TYPE, IFLA_GRE_ENCAP_FLAGS, IFLA_GRE_ENCAP_SPORT,
			   IFLA_GRE_ENCAP_DPORT);
}
