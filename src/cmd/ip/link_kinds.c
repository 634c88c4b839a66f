/* SPDX-License-Identifier: Apache-2.0 */
/* Link kinds with small option sets: the words of `ip link add/set ...
 * type KIND` into IFLA_INFO_DATA as iproute2 6.1 parses them (its words,
 * checks and messages), and their `ip -d link` details: vlan, vrf (and
 * vrf ports), ipvlan/ipvtap, xfrm, bareudp. And which kinds take no
 * options at all, or have no parser in iproute2. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <linux/if_link.h>
#include <linux/if_vlan.h>

#include "cmd/ip/link_priv.h"

/* ---- link-layer protocol names (iproute2's ll_proto table) ---- */

static const struct {
	uint16_t id;
	const char *name;
} ll_protos[] = {
	{0x0060, "loop"},      {0x0200, "pup"},	     {0x0201, "pupat"},	    {0x0800, "ip"},
	{0x0805, "x25"},       {0x0806, "arp"},	     {0x08ff, "bpq"},	    {0x0a00, "ieeepup"},
	{0x0a01, "ieeepupat"}, {0x6000, "dec"},	     {0x6001, "dna_dl"},    {0x6002, "dna_rc"},
	{0x6003, "dna_rt"},    {0x6004, "lat"},	     {0x6005, "diag"},	    {0x6006, "cust"},
	{0x6007, "sca"},       {0x8035, "rarp"},     {0x809b, "atalk"},	    {0x80f3, "aarp"},
	{0x8137, "ipx"},       {0x86dd, "ipv6"},     {0x8863, "ppp_disc"},  {0x8864, "ppp_ses"},
	{0x884c, "atmmpoa"},   {0x8884, "atmfate"},  {0x0001, "802_3"},	    {0x0002, "ax25"},
	{0x0003, "all"},       {0x0004, "802_2"},    {0x0005, "snap"},	    {0x0006, "ddcmp"},
	{0x0007, "wan_ppp"},   {0x0008, "ppp_mp"},   {0x0009, "localtalk"}, {0x000c, "can"},
	{0x0010, "ppptalk"},   {0x0011, "tr_802_2"}, {0x0015, "mobitex"},   {0x0016, "control"},
	{0x0017, "irda"},      {0x0018, "econet"},   {0x88ca, "tipc"},	    {0x88a2, "aoe"},
	{0x8100, "802.1Q"},    {0x88a8, "802.1ad"},  {0x8847, "mpls_uc"},   {0x8848, "mpls_mc"},
	{0x6558, "teb"},       {0x8100, "802.1Q"},   {0x88cc, "LLDP"},	    {0x0800, "ipv4"},
};

int ip_ll_proto_a2n(uint16_t *be, const char *name)
{
	for (size_t i = 0; i < sizeof(ll_protos) / sizeof(ll_protos[0]); i++)
		if (!strcasecmp(ll_protos[i].name, name)) {
			*be = htons(ll_protos[i].id);
			return 0;
		}
	uint32_t v;
	if (ip_get_u32(&v, name, 0) < 0 || v > 0xffff)
		return -1;
	*be = htons((uint16_t)v);
	return 0;
}

const char *ip_ll_proto_n2a(struct ip_ctx *c, uint16_t be, char *buf, size_t len)
{
	uint16_t id = ntohs(be);
	for (size_t i = 0; !c->numeric && i < sizeof(ll_protos) / sizeof(ll_protos[0]); i++)
		if (ll_protos[i].id == id)
			return ll_protos[i].name;
	snprintf(buf, len, "[%d]", id);
	return buf;
}

/* ---- shared pieces ---- */

static int usage_of(const char *text)
{
	fputs(text, stderr);
	return 1;
}

static int unknown(const char *kind, const char *what, const char *arg, const char *usage)
{
	fprintf(stderr, "%s: unknown %s \"%s\"?\n", kind, what, arg);
	return usage_of(usage);
}

static int get_u16(uint16_t *v, const char *arg)
{
	uint32_t x;
	if (ip_get_u32(&x, arg, 0) < 0 || x > 0xffff)
		return -1;
	*v = (uint16_t)x;
	return 0;
}

static bool attr_len_ok(const struct nlattr *a, size_t n)
{
	return a && mnl_attr_get_payload_len(a) >= n;
}

/* ---- vlan ---- */

static const char vlan_usage[] = "Usage: ... vlan id VLANID\n"
				 "		[ protocol VLANPROTO ]\n"
				 "		[ reorder_hdr { on | off } ]\n"
				 "		[ gvrp { on | off } ]\n"
				 "		[ mvrp { on | off } ]\n"
				 "		[ loose_binding { on | off } ]\n"
				 "		[ bridge_binding { on | off } ]\n"
				 "		[ ingress-qos-map QOS-MAP ]\n"
				 "		[ egress-qos-map QOS-MAP ]\n"
				 "\n"
				 "VLANID := 0-4095\n"
				 "VLANPROTO: [ 802.1Q | 802.1ad ]\n"
				 "QOS-MAP := [ QOS-MAP ] QOS-MAPPING\n"
				 "QOS-MAPPING := FROM:TO\n";

static const struct {
	const char *word;
	uint32_t flag;
} vlan_flags[] = {
	{"reorder_hdr", VLAN_FLAG_REORDER_HDR},
	{"gvrp", VLAN_FLAG_GVRP},
	{"mvrp", VLAN_FLAG_MVRP},
	{"loose_binding", VLAN_FLAG_LOOSE_BINDING},
	{"bridge_binding", VLAN_FLAG_BRIDGE_BINDING},
};

/* FROM:TO pairs after ingress-/egress-qos-map, as many as there are;
 * the words used, or -1 - i for a malformed one at i. */
static int vlan_qos_map(struct nlmsghdr *nlh, uint16_t type, int argc, char **argv)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	nest->nla_type = type; /* iproute2 does not mark the nest */
	int i = 0;
	for (; i < argc; i++) {
		char *colon = strchr(argv[i], ':');
		if (!colon)
			break;
		/* cut at the colon, as iproute2 does: an error names what is before it */
		*colon = '\0';
		struct ifla_vlan_qos_mapping m;
		if (ip_get_u32(&m.from, argv[i], 0) < 0 || ip_get_u32(&m.to, colon + 1, 0) < 0)
			return -1 - i;
		*colon = ':';
		mnl_attr_put(nlh, IFLA_VLAN_QOS_MAPPING, sizeof(m), &m);
	}
	mnl_attr_nest_end(nlh, nest);
	return i;
}

static int vlan_flag(const char *k, const char *v, struct ifla_vlan_flags *f, bool *found)
{
	*found = false;
	for (size_t i = 0; i < sizeof(vlan_flags) / sizeof(vlan_flags[0]); i++) {
		if (!ip_matches(k, vlan_flags[i].word))
			continue;
		*found = true;
		if (!v)
			return ip_incomplete(NULL);
		f->mask |= vlan_flags[i].flag;
		if (!strcmp(v, "on"))
			f->flags |= vlan_flags[i].flag;
		else if (!strcmp(v, "off"))
			f->flags &= ~vlan_flags[i].flag;
		else {
			fprintf(stderr,
				"Error: argument of \"%s\" must be \"on\" or \"off\", not \"%s\"\n",
				vlan_flags[i].word, v);
			return 1;
		}
		return 0;
	}
	return 0;
}

static int vlan_parse(struct ip_ctx *c, const char *kind, struct nlmsghdr *nlh, int argc,
		      char **argv)
{
	struct ifla_vlan_flags f = {0};
	(void)c;
	while (argc > 0) {
		const char *k = argv[0], *v = argc > 1 ? argv[1] : NULL;
		bool found;
		int r = vlan_flag(k, v, &f, &found);
		if (r)
			return r;
		if (found) {
		} else if (ip_matches(k, "protocol") || ip_matches(k, "id")) {
			bool proto = ip_matches(k, "protocol");
			uint16_t val;
			if (!v)
				return ip_incomplete(NULL);
			if (proto ? ip_ll_proto_a2n(&val, v) < 0 : get_u16(&val, v) < 0)
				return ip_invarg(proto ? "protocol is invalid" : "id is invalid",
						 v);
			mnl_attr_put_u16(nlh, proto ? IFLA_VLAN_PROTOCOL : IFLA_VLAN_ID, val);
		} else if (ip_matches(k, "ingress-qos-map") || ip_matches(k, "egress-qos-map")) {
			bool in = ip_matches(k, "ingress-qos-map");
			if (!v)
				return ip_incomplete(NULL);
			int n = vlan_qos_map(nlh, in ? IFLA_VLAN_INGRESS_QOS : IFLA_VLAN_EGRESS_QOS,
					     argc - 1, argv + 1);
			if (n < 0)
				return ip_invarg(in ? "invalid ingress-qos-map"
						    : "invalid egress-qos-map",
						 argv[-n]);
			argc -= 1 + n;
			argv += 1 + n;
			continue;
		} else if (ip_matches(k, "help")) {
			return usage_of(vlan_usage);
		} else {
			return unknown("vlan", "command", k, vlan_usage);
		}
		argc -= 2;
		argv += 2;
	}
	if (f.mask)
		mnl_attr_put(nlh, IFLA_VLAN_FLAGS, sizeof(f), &f);
	return 0;
}

static void vlan_print_map(struct ip_ctx *c, const char *key, const char *label,
			   const struct nlattr *map)
{
	if (!emit_is_text(c->out))
		emit_arr_open(c->out, key);
	ip_nl_sep(c);
	emit_text(c->out, "      %s { ", label);
	const struct nlattr *a;
	mnl_attr_for_each_nested(a, map)
	{
		if (mnl_attr_get_payload_len(a) < sizeof(struct ifla_vlan_qos_mapping))
			continue;
		const struct ifla_vlan_qos_mapping *m = mnl_attr_get_payload(a);
		if (emit_is_text(c->out)) {
			emit_text(c->out, "%u:%u ", m->from, m->to);
			continue;
		}
		emit_obj_open(c->out, NULL);
		emit_uint(c->out, "from", NULL, m->from);
		emit_uint(c->out, "to", NULL, m->to);
		emit_obj_close(c->out);
	}
	if (!emit_is_text(c->out))
		emit_arr_close(c->out);
	emit_text(c->out, "} ");
}

static void vlan_print_flags(struct ip_ctx *c, uint32_t flags)
{
	static const char *const names[] = {"REORDER_HDR", "GVRP", "LOOSE_BINDING", "MVRP",
					    "BRIDGE_BINDING"};
	static const uint32_t order[] = {0, 1, 3, 2, 4}; /* iproute2 prints MVRP before LOOSE */
	if (emit_is_text(c->out))
		emit_text(c->out, "<");
	else
		emit_arr_open(c->out, "flags");
	for (size_t i = 0; i < 5; i++) {
		uint32_t bit = 1u << order[i];
		if (!(flags & bit))
			continue;
		flags &= ~bit;
		emit_str(c->out, NULL, flags ? "%s," : "%s", names[order[i]]);
	}
	if (flags) {
		char b[16];
		snprintf(b, sizeof(b), "%x", flags);
		emit_str(c->out, NULL, "%s", b);
	}
	if (emit_is_text(c->out))
		emit_text(c->out, "> ");
	else
		emit_arr_close(c->out);
}

static void vlan_print(struct ip_ctx *c, const struct nlattr *data)
{
	const struct nlattr *tb[IFLA_VLAN_MAX + 1];
	if (!data || nl_parse_nested(data, NULL, IFLA_VLAN_MAX, tb) < 0)
		return;
	if (tb[IFLA_VLAN_PROTOCOL] && !attr_len_ok(tb[IFLA_VLAN_PROTOCOL], 2))
		return;
	if (!attr_len_ok(tb[IFLA_VLAN_ID], 2))
		return;
	char b[16];
	emit_str(
		c->out, "protocol", "protocol %s ",
		tb[IFLA_VLAN_PROTOCOL]
			? ip_ll_proto_n2a(c, mnl_attr_get_u16(tb[IFLA_VLAN_PROTOCOL]), b, sizeof(b))
			: "802.1q");
	emit_uint(c->out, "id", "id %u ", mnl_attr_get_u16(tb[IFLA_VLAN_ID]));
	if (tb[IFLA_VLAN_FLAGS]) {
		if (!attr_len_ok(tb[IFLA_VLAN_FLAGS], sizeof(struct ifla_vlan_flags)))
			return;
		const struct ifla_vlan_flags *f = mnl_attr_get_payload(tb[IFLA_VLAN_FLAGS]);
		vlan_print_flags(c, f->flags);
	}
	if (tb[IFLA_VLAN_INGRESS_QOS])
		vlan_print_map(c, "ingress_qos", "ingress-qos-map", tb[IFLA_VLAN_INGRESS_QOS]);
	if (tb[IFLA_VLAN_EGRESS_QOS])
		vlan_print_map(c, "egress_qos", "egress-qos-map", tb[IFLA_VLAN_EGRESS_QOS]);
}

/* ---- vrf ---- */

static const char vrf_usage[] = "Usage: ... vrf table TABLEID\n";

static int vrf_parse(struct ip_ctx *c, const char *kind, struct nlmsghdr *nlh, int argc,
		     char **argv)
{
	for (; argc > 0; argc--, argv++) {
		if (ip_matches(argv[0], "table")) {
			if (argc < 2)
				return ip_incomplete(NULL);
			uint32_t t;
			if (ip_name_id(c, IPT_TABLE, argv[1], &t) < 0)
				return ip_invarg("invalid table ID\n", argv[1]);
			mnl_attr_put_u32(nlh, IFLA_VRF_TABLE, t);
			argc--;
			argv++;
		} else if (ip_matches(argv[0], "help")) {
			return usage_of(vrf_usage);
		} else {
			return unknown("vrf", "option", argv[0], vrf_usage);
		}
	}
	return 0;
}

static void vrf_print(struct ip_ctx *c, const struct nlattr *data)
{
	const struct nlattr *tb[IFLA_VRF_MAX + 1];
	if (data && nl_parse_nested(data, NULL, IFLA_VRF_MAX, tb) >= 0 &&
	    attr_len_ok(tb[IFLA_VRF_TABLE], 4))
		emit_uint(c->out, "table", "table %u ", mnl_attr_get_u32(tb[IFLA_VRF_TABLE]));
}

static void vrf_slave_print(struct ip_ctx *c, const struct nlattr *data)
{
	const struct nlattr *tb[IFLA_VRF_PORT_MAX + 1];
	if (data && nl_parse_nested(data, NULL, IFLA_VRF_PORT_MAX, tb) >= 0 &&
	    attr_len_ok(tb[IFLA_VRF_PORT_TABLE], 4))
		emit_uint(c->out, "table", "table %u ", mnl_attr_get_u32(tb[IFLA_VRF_PORT_TABLE]));
}

/* ---- ipvlan, ipvtap ---- */

static void ipvlan_usage(const char *kind)
{
	fprintf(stderr,
		"Usage: ... %s [ mode MODE ] [ FLAGS ]\n"
		"\n"
		"MODE: l3 | l3s | l2\n"
		"FLAGS: bridge | private | vepa\n"
		"(first values are the defaults if nothing is specified).\n",
		kind);
}

static int ipvlan_parse(struct ip_ctx *c, const char *kind, struct nlmsghdr *nlh, int argc,
			char **argv)
{
	uint16_t flags = 0;
	bool flag_given = false;
	for (; argc > 0; argc--, argv++) {
		const char *k = argv[0];
		if (ip_matches(k, "mode")) {
			if (argc < 2)
				return ip_incomplete(NULL);
			const char *v = argv[1];
			uint16_t mode = !strcmp(v, "l2")    ? IPVLAN_MODE_L2
					: !strcmp(v, "l3")  ? IPVLAN_MODE_L3
					: !strcmp(v, "l3s") ? IPVLAN_MODE_L3S
							    : IPVLAN_MODE_MAX;
			if (mode == IPVLAN_MODE_MAX) {
				fprintf(stderr,
					"Error: argument of \"mode\" must be either \"l2\", "
					"\"l3\" or \"l3s\"\n");
				return 1;
			}
			mnl_attr_put_u16(nlh, IFLA_IPVLAN_MODE, mode);
			argc--;
			argv++;
		} else if (ip_matches(k, "private") && !flag_given) {
			flags |= IPVLAN_F_PRIVATE;
			flag_given = true;
		} else if (ip_matches(k, "vepa") && !flag_given) {
			flags |= IPVLAN_F_VEPA;
			flag_given = true;
		} else if (ip_matches(k, "bridge") && !flag_given) {
			flag_given = true;
		} else if (ip_matches(k, "help")) {
			ipvlan_usage(kind);
			return 1;
		} else {
			fprintf(stderr, "%s: unknown option \"%s\"?\n", kind, k);
			ipvlan_usage(kind);
			return 1;
		}
	}
	mnl_attr_put_u16(nlh, IFLA_IPVLAN_FLAGS, flags);
	return 0;
}

static void ipvlan_print(struct ip_ctx *c, const struct nlattr *data)
{
	const struct nlattr *tb[IFLA_IPVLAN_MAX + 1];
	if (!data || nl_parse_nested(data, NULL, IFLA_IPVLAN_MAX, tb) < 0)
		return;
	const struct nlattr *m = tb[IFLA_IPVLAN_MODE], *f = tb[IFLA_IPVLAN_FLAGS];
	if (m && mnl_attr_get_payload_len(m) == 2) {
		uint16_t v = mnl_attr_get_u16(m);
		emit_str(c->out, "mode", " mode %s ",
			 v == IPVLAN_MODE_L2	? "l2"
			 : v == IPVLAN_MODE_L3	? "l3"
			 : v == IPVLAN_MODE_L3S ? "l3s"
						: "unknown");
	}
	if (f && mnl_attr_get_payload_len(f) == 2) {
		uint16_t v = mnl_attr_get_u16(f);
		emit_str(c->out, "flags", "%s ",
			 v & IPVLAN_F_PRIVATE ? "private"
			 : v & IPVLAN_F_VEPA  ? "vepa"
					      : "bridge");
	}
}

/* ---- xfrm ---- */

static const char xfrm_usage[] = "Usage: ... xfrm dev [ PHYS_DEV ] [ if_id IF-ID ]\n"
				 "		[ external ]\n"
				 "\n"
				 "Where: IF-ID := { 0x1..0xffffffff }\n";

static int xfrm_parse(struct ip_ctx *c, const char *kind, struct nlmsghdr *nlh, int argc,
		      char **argv)
{
	int link = 0;
	bool external = false, has_id = false;
	for (; argc > 0; argc--, argv++) {
		const char *k = argv[0];
		if (ip_matches(k, "dev") || ip_matches(k, "if_id")) {
			if (argc < 2)
				return ip_incomplete(NULL);
			if (ip_matches(k, "dev")) {
				link = ip_ifindex(c, argv[1]);
				if (!link) {
					ip_nodev(argv[1]);
					return 255;
				}
			} else {
				uint32_t id;
				if (ip_get_u32(&id, argv[1], 0) < 0 || !id)
					return ip_invarg("if_id value is invalid", argv[1]);
				mnl_attr_put_u32(nlh, IFLA_XFRM_IF_ID, id);
				has_id = true;
			}
			argc--;
			argv++;
		} else if (ip_matches(k, "external")) {
			external = true;
		} else {
			return usage_of(xfrm_usage);
		}
	}
	if (external && (has_id || link)) {
		fprintf(stderr, "xfrmi: both 'external' and if_id/link cannot be specified\n");
		return 1;
	}
	if (external)
		mnl_attr_put(nlh, IFLA_XFRM_COLLECT_METADATA, 0, NULL);
	else if (link)
		mnl_attr_put_u32(nlh, IFLA_XFRM_LINK, (uint32_t)link);
	return 0;
}

static void xfrm_print(struct ip_ctx *c, const struct nlattr *data)
{
	const struct nlattr *tb[IFLA_XFRM_MAX + 1];
	if (!data || nl_parse_nested(data, NULL, IFLA_XFRM_MAX, tb) < 0)
		return;
	if (attr_len_ok(tb[IFLA_XFRM_IF_ID], 4)) {
		char b[16];
		snprintf(b, sizeof(b), "%#x", mnl_attr_get_u32(tb[IFLA_XFRM_IF_ID]));
		emit_str(c->out, "if_id", "if_id %s ", b);
	}
	if (tb[IFLA_XFRM_COLLECT_METADATA])
		emit_bool(c->out, "external", "external ", true);
}

/* ---- bareudp ---- */

static const char bareudp_usage[] =
	"Usage: ... bareudp dstport PORT\n"
	"		ethertype PROTO\n"
	"		[ srcportmin PORT ]\n"
	"		[ [no]multiproto ]\n"
	"\n"
	"Where:	PORT  := UDP_PORT\n"
	"	PROTO := ETHERTYPE\n"
	"\n"
	"Note: ETHERTYPE can be given as number or as protocol name (\"ipv4\", \"ipv6\",\n"
	"      \"mpls_uc\", etc.).\n";

static int bareudp_value(const char *k, const char *v, uint16_t *port, uint16_t *type,
			 uint16_t *min)
{
	if (ip_matches(k, "dstport")) {
		if (get_u16(port, v) < 0)
			return ip_invarg("dstport", v);
		*port = htons(*port);
	} else if (ip_matches(k, "ethertype")) {
		if (ip_ll_proto_a2n(type, v) < 0)
			return ip_invarg("ethertype", v);
	} else if (get_u16(min, v) < 0) {
		return ip_invarg("srcportmin", v);
	}
	return 0;
}

static int bareudp_parse(struct ip_ctx *c, const char *kind, struct nlmsghdr *nlh, int argc,
			 char **argv)
{
	static const char *const keys[] = {"dstport", "ethertype", "srcportmin"};
	static const uint16_t attrs[] = {IFLA_BAREUDP_PORT, IFLA_BAREUDP_ETHERTYPE,
					 IFLA_BAREUDP_SRCPORT_MIN};
	uint16_t port = 0, type = 0, min = 0;
	unsigned seen = 0;
	bool multi = false;
	(void)c;
	for (; argc > 0; argc--, argv++) {
		const char *k = argv[0];
		size_t i = 0;
		while (i < 3 && !ip_matches(k, keys[i]))
			i++;
		if (i < 3) {
			if (argc < 2)
				return ip_incomplete(NULL);
			if (seen & (1u << attrs[i]))
				return ip_duparg2(keys[i], argv[1]);
			seen |= 1u << attrs[i];
			int r = bareudp_value(k, argv[1], &port, &type, &min);
			if (r)
				return r;
			argc--;
			argv++;
		} else if (ip_matches(k, "multiproto") || ip_matches(k, "nomultiproto")) {
			if (seen & (1u << IFLA_BAREUDP_MULTIPROTO_MODE))
				return ip_duparg2(k, k);
			seen |= 1u << IFLA_BAREUDP_MULTIPROTO_MODE;
			multi = ip_matches(k, "multiproto");
		} else if (ip_matches(k, "help")) {
			return usage_of(bareudp_usage);
		} else {
			return unknown("bareudp", "command", k, bareudp_usage);
		}
	}
	for (size_t i = 0; i < 2; i++)
		if (!(seen & (1u << attrs[i]))) {
			fprintf(stderr, "Error: argument \"%s\" is required\n", keys[i]);
			return 255;
		}
	mnl_attr_put_u16(nlh, IFLA_BAREUDP_PORT, port);
	mnl_attr_put_u16(nlh, IFLA_BAREUDP_ETHERTYPE, type);
	if (seen & (1u << IFLA_BAREUDP_SRCPORT_MIN))
		mnl_attr_put_u16(nlh, IFLA_BAREUDP_SRCPORT_MIN, min);
	if (multi)
		mnl_attr_put(nlh, IFLA_BAREUDP_MULTIPROTO_MODE, 0, NULL);
	return 0;
}

static void bareudp_print(struct ip_ctx *c, const struct nlattr *data)
{
	const struct nlattr *tb[IFLA_BAREUDP_MAX + 1];
	if (!data || nl_parse_nested(data, NULL, IFLA_BAREUDP_MAX, tb) < 0)
		return;
	char b[16];
	if (attr_len_ok(tb[IFLA_BAREUDP_PORT], 2))
		emit_uint(c->out, "dstport", "dstport %u ",
			  ntohs(mnl_attr_get_u16(tb[IFLA_BAREUDP_PORT])));
	if (attr_len_ok(tb[IFLA_BAREUDP_ETHERTYPE], 2))
		emit_str(c->out, "ethertype", "ethertype %s ",
			 ip_ll_proto_n2a(c, mnl_attr_get_u16(tb[IFLA_BAREUDP_ETHERTYPE]), b,
					 sizeof(b)));
	if (attr_len_ok(tb[IFLA_BAREUDP_SRCPORT_MIN], 2))
		emit_uint(c->out, "srcportmin", "srcportmin %u ",
			  mnl_attr_get_u16(tb[IFLA_BAREUDP_SRCPORT_MIN]));
	if (tb[IFLA_BAREUDP_MULTIPROTO_MODE])
		emit_bool(c->out, "multiproto", "multiproto ", true);
	else
		emit_bool(c->out, "multiproto", "nomultiproto ", false);
}

/* ---- macvlan, macvtap ---- */

static void macvlan_usage(const char *kind)
{
	fprintf(stderr,
		"Usage: ... %s mode MODE [flag MODE_FLAG] MODE_OPTS [bcqueuelen BC_QUEUE_LEN]\n"
		"\n"
		"MODE: private | vepa | bridge | passthru | source\n"
		"MODE_FLAG: null | nopromisc | nodst\n"
		"MODE_OPTS: for mode \"source\":\n"
		"\tmacaddr { { add | del } <macaddr> | set [ <macaddr> [ <macaddr>  ... ] ] | "
		"flush }\n"
		"BC_QUEUE_LEN: Length of the rx queue for broadcast/multicast: [0-4294967295]\n",
		kind);
}

struct macv {
	const char *kind;
	uint32_t mode;
	uint16_t flags;
	bool has_flags;
};

/* A MAC address of 6 bytes, or -1 (iproute2 names only the malformed). */
static int macv_mac(const char *v, uint8_t *mac)
{
	uint8_t b[32];
	int n = ip_get_lladdr(b, sizeof(b), v);
	if (n < 0)
		fprintf(stderr, "\"%s\" is invalid lladdr.\n", v);
	if (n != 6)
		return -1;
	memcpy(mac, b, 6);
	return 0;
}

/* macaddr { add | del } MAC | set [MAC...] | flush: the words used after
 * "macaddr", or -1 for an exit status of 1. */
static int macv_macaddr(struct macv *m, struct nlmsghdr *nlh, int argc, char **argv)
{
	static const char *const ops[] = {"add", "del", "flush", "set"};
	uint32_t op = 0;
	while (op < 4 && strcmp(argv[0], ops[op]))
		op++;
	if (op == 4) {
		macvlan_usage(m->kind);
		return -1;
	}
	mnl_attr_put_u32(nlh, IFLA_MACVLAN_MACADDR_MODE, op);
	uint8_t mac[6];
	if (op == MACVLAN_MACADDR_ADD || op == MACVLAN_MACADDR_DEL) {
		if (argc < 2) {
			ip_incomplete(NULL);
			return -2;
		}
		if (macv_mac(argv[1], mac) < 0)
			return -1;
		mnl_attr_put(nlh, IFLA_MACVLAN_MACADDR, 6, mac);
		return 2;
	}
	int used = 1;
	if (op == MACVLAN_MACADDR_SET) {
		struct nlattr *nest = mnl_attr_nest_start(nlh, IFLA_MACVLAN_MACADDR_DATA);
		nest->nla_type = IFLA_MACVLAN_MACADDR_DATA;
		while (used < argc && macv_mac(argv[used], mac) == 0) {
			mnl_attr_put(nlh, IFLA_MACVLAN_MACADDR, 6, mac);
			used++;
		}
		mnl_attr_nest_end(nlh, nest);
	}
	return used;
}

static int macv_value(struct macv *m, const char *k, const char *v, struct nlmsghdr *nlh)
{
	static const char *const modes[] = {"private", "vepa", "bridge", "passthru", "source"};
	static const uint32_t vals[] = {MACVLAN_MODE_PRIVATE, MACVLAN_MODE_VEPA,
					MACVLAN_MODE_BRIDGE, MACVLAN_MODE_PASSTHRU,
					MACVLAN_MODE_SOURCE};
	if (ip_matches(k, "mode")) {
		for (size_t i = 0; i < 5; i++)
			if (!strcmp(v, modes[i])) {
				m->mode = vals[i];
				return 0;
			}
		fprintf(stderr,
			"Error: argument of \"mode\" must be \"private\", \"vepa\", \"bridge\", "
			"\"passthru\" or \"source\", not \"%s\"\n",
			v);
		return 1;
	}
	if (ip_matches(k, "flag")) {
		if (!strcmp(v, "nopromisc"))
			m->flags |= MACVLAN_FLAG_NOPROMISC;
		else if (!strcmp(v, "nodst"))
			m->flags |= MACVLAN_FLAG_NODST;
		else if (strcmp(v, "null")) {
			fprintf(stderr,
				"Error: argument of \"flag\" must be \"nopromisc\", \"nodst\" or "
				"\"null\", not \"%s\"\n",
				v);
			return 1;
		}
		m->has_flags = true;
		return 0;
	}
	uint32_t n;
	if (ip_get_u32(&n, v, 0) < 0) {
		fprintf(stderr,
			"Error: argument of \"bcqueuelen\" must be a positive integer "
			"[0-4294967295], not \"%s\"\n",
			v);
		return 1;
	}
	mnl_attr_put_u32(nlh, IFLA_MACVLAN_BC_QUEUE_LEN, n);
	return 0;
}

static int macv_parse(struct ip_ctx *c, const char *kind, struct nlmsghdr *nlh, int argc,
		      char **argv)
{
	struct macv m = {.kind = kind};
	while (argc > 0) {
		const char *k = argv[0];
		int used = 2;
		if (ip_matches(k, "mode") || ip_matches(k, "flag") || ip_matches(k, "bcqueuelen")) {
			if (argc < 2)
				return ip_incomplete(NULL);
			int r = macv_value(&m, k, argv[1], nlh);
			if (r)
				return r;
		} else if (ip_matches(k, "macaddr")) {
			if (argc < 2)
				return ip_incomplete(NULL);
			used = macv_macaddr(&m, nlh, argc - 1, argv + 1);
			if (used < 0)
				return used == -2 ? 255 : 1;
			used++;
		} else if (ip_matches(k, "nopromisc") || ip_matches(k, "nodst")) {
			m.flags |= ip_matches(k, "nopromisc") ? MACVLAN_FLAG_NOPROMISC
							      : MACVLAN_FLAG_NODST;
			m.has_flags = true;
			used = 1;
		} else if (ip_matches(k, "help")) {
			macvlan_usage(kind);
			return 1;
		} else {
			fprintf(stderr, "%s: unknown option \"%s\"?\n", kind, k);
			macvlan_usage(kind);
			return 1;
		}
		argc -= used;
		argv += used;
	}
	if (m.mode)
		mnl_attr_put_u32(nlh, IFLA_MACVLAN_MODE, m.mode);
	if (m.has_flags) {
		if ((m.flags & MACVLAN_FLAG_NOPROMISC) && m.mode != MACVLAN_MODE_PASSTHRU) {
			fprintf(stderr, "%s: nopromisc flag only valid in passthru mode\n", kind);
			macvlan_usage(kind);
			return 1;
		}
		mnl_attr_put_u16(nlh, IFLA_MACVLAN_FLAGS, m.flags);
	}
	return 0;
}

/* ---- the table ---- */

static const struct ip_kind kinds[] = {
	{"vlan", vlan_parse, vlan_print},
	{"vrf", vrf_parse, vrf_print},
	{"ipvlan", ipvlan_parse, ipvlan_print},
	{"ipvtap", ipvlan_parse, ipvlan_print},
	{"xfrm", xfrm_parse, xfrm_print},
	{"bareudp", bareudp_parse, bareudp_print},
	{"bond", ip_bond_parse, ip_bond_print},
	{"macvlan", macv_parse, ip_print_macvlan},
	{"macvtap", macv_parse, ip_print_macvlan},
	{"ipip", ip_iptnl_parse, ip_iptnl_print},
	{"sit", ip_iptnl_parse, ip_iptnl_print},
	{"gre", ip_gre_parse, ip_gre_print},
	{"gretap", ip_gre_parse, ip_gre_print},
	{"erspan", ip_gre_parse, ip_gre_print},
	{"geneve", ip_geneve_parse, ip_geneve_print},
	{"ip6tnl", ip_ip6tnl_parse, ip_ip6tnl_print},
	{"ip6gre", ip_ip6gre_parse, ip_ip6gre_print},
	{"ip6gretap", ip_ip6gre_parse, ip_ip6gre_print},
	{"ip6erspan", ip_ip6gre_parse, ip_ip6gre_print},
	{"vti", ip_vti_parse, ip_vti_print},
	{"vti6", ip_vti_parse, ip_vti6_print},
};

static const struct ip_kind slave_kinds[] = {
	{"vrf", NULL, vrf_slave_print},
	{"bond", ip_bond_slave_parse, ip_bond_slave_print},
	{"bridge", ip_bridge_slave_parse, ip_print_bridge_slave},
};

/* The parser of `type KIND_slave` (set on a port): NULL if none. */
const struct ip_kind *ip_kind_slave_parser(const char *type)
{
	char kind[32];
	size_t n = strlen(type) - 6;
	if (n >= sizeof(kind))
		return NULL;
	memcpy(kind, type, n);
	kind[n] = '\0';
	const struct ip_kind *k = ip_kind_find(kind, true);
	return k && k->parse ? k : NULL;
}

const struct ip_kind *ip_kind_find(const char *kind, bool slave)
{
	const struct ip_kind *t = slave ? slave_kinds : kinds;
	size_t n = slave ? sizeof(slave_kinds) / sizeof(slave_kinds[0])
			 : sizeof(kinds) / sizeof(kinds[0]);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].name, kind))
			return &t[i];
	return NULL;
}

int ip_kind_parse(struct ip_ctx *c, const struct ip_kind *k, int argc, char **argv, void *out,
		  size_t *len)
{
	static _Alignas(struct nlmsghdr) char scratch[2048];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(scratch);
	int r = k->parse(c, k->name, nlh, argc, argv);
	if (r)
		return r;
	*len = nlh->nlmsg_len - MNL_NLMSG_HDRLEN;
	memcpy(out, mnl_nlmsg_get_payload(nlh), *len);
	return 0;
}

/* Kinds iproute2 has a helper for that parses nothing: their words are
 * dropped; kinds it has no helper for at all refuse any word. */
enum ip_kind_words ip_kind_words(const char *kind)
{
	static const char *const ignore[] = {"dummy",	  "ifb",	"netdevsim", "nlmon",
					     "vrf_slave", "team_slave", "team",	     "vcan",
					     "virt_wifi", "tun"};
	static const char *const helped[] = {
		"amt",	   "bareudp",	 "batadv",	 "bond",       "can",	    "dsa",
		"dummy",   "erspan",	 "geneve",	 "gre",	       "gretap",    "gtp",
		"hsr",	   "ifb",	 "ip6erspan",	 "ip6gre",     "ip6gretap", "ip6tnl",
		"ipip",	   "ipoib",	 "ipvlan",	 "ipvtap",     "macsec",    "macvlan",
		"macvtap", "netdevsim",	 "nlmon",	 "rmnet",      "sit",	    "team",
		"tun",	   "bond_slave", "bridge_slave", "team_slave", "vrf_slave", "vcan",
		"veth",	   "virt_wifi",	 "vlan",	 "vrf",	       "vti",	    "vti6",
		"vxcan",   "vxlan",	 "wwan",	 "xfrm",       "bridge"};
	for (size_t i = 0; i < sizeof(ignore) / sizeof(ignore[0]); i++)
		if (!strcmp(kind, ignore[i]))
			return IP_KIND_IGNORED;
	for (size_t i = 0; i < sizeof(helped) / sizeof(helped[0]); i++)
		if (!strcmp(kind, helped[i]))
			return IP_KIND_PARSED;
	return IP_KIND_NONE;
}
