/* SPDX-License-Identifier: Apache-2.0 */
/* `ip -d link` for bridges and bridge ports: the options iproute2 6.1
 * prints for kind "bridge" and slave kind "bridge", in its order. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <linux/if_bridge.h>
#include <linux/if_link.h>

#include "cmd/ip/link_priv.h"

enum bv { BV_U8, BV_U16, BV_U32, BV_U64, BV_ONOFF, BV_TIMER, BV_HEX, BV_ID, BV_MAC, BV_TEXTONOFF };

/* One printed option: attribute, JSON key, text label, how to print. */
struct bopt {
	uint16_t attr;
	const char *key;
	const char *label;
	enum bv how;
};

static const struct bopt bridge_opts[] = {
	{IFLA_BR_FORWARD_DELAY, "forward_delay", "forward_delay", BV_U32},
	{IFLA_BR_HELLO_TIME, "hello_time", "hello_time", BV_U32},
	{IFLA_BR_MAX_AGE, "max_age", "max_age", BV_U32},
	{IFLA_BR_AGEING_TIME, "ageing_time", "ageing_time", BV_U32},
	{IFLA_BR_STP_STATE, "stp_state", "stp_state", BV_U32},
	{IFLA_BR_PRIORITY, "priority", "priority", BV_U16},
	{IFLA_BR_VLAN_FILTERING, "vlan_filtering", "vlan_filtering", BV_U8},
	{IFLA_BR_VLAN_PROTOCOL, "vlan_protocol", "vlan_protocol", BV_U16},
	{IFLA_BR_BRIDGE_ID, "bridge_id", "bridge_id", BV_ID},
	{IFLA_BR_ROOT_ID, "root_id", "designated_root", BV_ID},
	{IFLA_BR_ROOT_PORT, "root_port", "root_port", BV_U16},
	{IFLA_BR_ROOT_PATH_COST, "root_path_cost", "root_path_cost", BV_U32},
	{IFLA_BR_TOPOLOGY_CHANGE, "topology_change", "topology_change", BV_U8},
	{IFLA_BR_TOPOLOGY_CHANGE_DETECTED, "topology_change_detected", "topology_change_detected",
	 BV_U8},
	{IFLA_BR_HELLO_TIMER, "hello_timer", "hello_timer", BV_TIMER},
	{IFLA_BR_TCN_TIMER, "tcn_timer", "tcn_timer", BV_TIMER},
	{IFLA_BR_TOPOLOGY_CHANGE_TIMER, "topology_change_timer", "topology_change_timer", BV_TIMER},
	{IFLA_BR_GC_TIMER, "gc_timer", "gc_timer", BV_TIMER},
	{IFLA_BR_VLAN_DEFAULT_PVID, "vlan_default_pvid", "vlan_default_pvid", BV_U16},
	{IFLA_BR_VLAN_STATS_ENABLED, "vlan_stats_enabled", "vlan_stats_enabled", BV_U8},
	{IFLA_BR_VLAN_STATS_PER_PORT, "vlan_stats_per_port", "vlan_stats_per_port", BV_U8},
	{IFLA_BR_GROUP_FWD_MASK, "group_fwd_mask", "group_fwd_mask", BV_HEX},
	{IFLA_BR_GROUP_ADDR, "group_addr", "group_address", BV_MAC},
	{IFLA_BR_MCAST_SNOOPING, "mcast_snooping", "mcast_snooping", BV_U8},
};

static const struct bopt bridge_opts2[] = {
	{IFLA_BR_MCAST_ROUTER, "mcast_router", "mcast_router", BV_U8},
	{IFLA_BR_MCAST_QUERY_USE_IFADDR, "mcast_query_use_ifaddr", "mcast_query_use_ifaddr", BV_U8},
	{IFLA_BR_MCAST_QUERIER, "mcast_querier", "mcast_querier", BV_U8},
	{IFLA_BR_MCAST_HASH_ELASTICITY, "mcast_hash_elasticity", "mcast_hash_elasticity", BV_U32},
	{IFLA_BR_MCAST_HASH_MAX, "mcast_hash_max", "mcast_hash_max", BV_U32},
	{IFLA_BR_MCAST_LAST_MEMBER_CNT, "mcast_last_member_cnt", "mcast_last_member_count", BV_U32},
	{IFLA_BR_MCAST_STARTUP_QUERY_CNT, "mcast_startup_query_cnt", "mcast_startup_query_count",
	 BV_U32},
	{IFLA_BR_MCAST_LAST_MEMBER_INTVL, "mcast_last_member_intvl", "mcast_last_member_interval",
	 BV_U64},
	{IFLA_BR_MCAST_MEMBERSHIP_INTVL, "mcast_membership_intvl", "mcast_membership_interval",
	 BV_U64},
	{IFLA_BR_MCAST_QUERIER_INTVL, "mcast_querier_intvl", "mcast_querier_interval", BV_U64},
	{IFLA_BR_MCAST_QUERY_INTVL, "mcast_query_intvl", "mcast_query_interval", BV_U64},
	{IFLA_BR_MCAST_QUERY_RESPONSE_INTVL, "mcast_query_response_intvl",
	 "mcast_query_response_interval", BV_U64},
	{IFLA_BR_MCAST_STARTUP_QUERY_INTVL, "mcast_startup_query_intvl",
	 "mcast_startup_query_interval", BV_U64},
	{IFLA_BR_MCAST_STATS_ENABLED, "mcast_stats_enabled", "mcast_stats_enabled", BV_U8},
	{IFLA_BR_MCAST_IGMP_VERSION, "mcast_igmp_version", "mcast_igmp_version", BV_U8},
	{IFLA_BR_MCAST_MLD_VERSION, "mcast_mld_version", "mcast_mld_version", BV_U8},
	{IFLA_BR_NF_CALL_IPTABLES, "nf_call_iptables", "nf_call_iptables", BV_U8},
	{IFLA_BR_NF_CALL_IP6TABLES, "nf_call_ip6tables", "nf_call_ip6tables", BV_U8},
	{IFLA_BR_NF_CALL_ARPTABLES, "nf_call_arptables", "nf_call_arptables", BV_U8},
};

static const struct bopt port_opts[] = {
	{IFLA_BRPORT_PRIORITY, "priority", "priority", BV_U16},
	{IFLA_BRPORT_COST, "cost", "cost", BV_U32},
	{IFLA_BRPORT_MODE, "hairpin", "hairpin", BV_ONOFF},
	{IFLA_BRPORT_GUARD, "guard", "guard", BV_ONOFF},
	{IFLA_BRPORT_PROTECT, "root_block", "root_block", BV_ONOFF},
	{IFLA_BRPORT_FAST_LEAVE, "fastleave", "fastleave", BV_ONOFF},
	{IFLA_BRPORT_LEARNING, "learning", "learning", BV_ONOFF},
	{IFLA_BRPORT_UNICAST_FLOOD, "flood", "flood", BV_ONOFF},
	{IFLA_BRPORT_ID, "id", "port_id", BV_HEX},
	{IFLA_BRPORT_NO, "no", "port_no", BV_HEX},
	{IFLA_BRPORT_DESIGNATED_PORT, "designated_port", "designated_port", BV_U16},
	{IFLA_BRPORT_DESIGNATED_COST, "designated_cost", "designated_cost", BV_U16},
	{IFLA_BRPORT_BRIDGE_ID, "bridge_id", "designated_bridge", BV_ID},
	{IFLA_BRPORT_ROOT_ID, "root_id", "designated_root", BV_ID},
	{IFLA_BRPORT_HOLD_TIMER, "hold_timer", "hold_timer", BV_TIMER},
	{IFLA_BRPORT_MESSAGE_AGE_TIMER, "message_age_timer", "message_age_timer", BV_TIMER},
	{IFLA_BRPORT_FORWARD_DELAY_TIMER, "forward_delay_timer", "forward_delay_timer", BV_TIMER},
	{IFLA_BRPORT_TOPOLOGY_CHANGE_ACK, "topology_change_ack", "topology_change_ack", BV_U8},
	{IFLA_BRPORT_CONFIG_PENDING, "config_pending", "config_pending", BV_U8},
	{IFLA_BRPORT_PROXYARP, "proxy_arp", "proxy_arp", BV_ONOFF},
	{IFLA_BRPORT_PROXYARP_WIFI, "proxy_arp_wifi", "proxy_arp_wifi", BV_ONOFF},
	{IFLA_BRPORT_MULTICAST_ROUTER, "multicast_router", "mcast_router", BV_U8},
	{IFLA_BRPORT_FAST_LEAVE, NULL, "mcast_fast_leave", BV_TEXTONOFF},
	{IFLA_BRPORT_MCAST_FLOOD, "mcast_flood", "mcast_flood", BV_ONOFF},
	{IFLA_BRPORT_BCAST_FLOOD, "bcast_flood", "bcast_flood", BV_ONOFF},
	{IFLA_BRPORT_MCAST_TO_UCAST, "mcast_to_unicast", "mcast_to_unicast", BV_ONOFF},
	{IFLA_BRPORT_NEIGH_SUPPRESS, "neigh_suppress", "neigh_suppress", BV_ONOFF},
};

static const struct bopt port_opts2[] = {
	{IFLA_BRPORT_VLAN_TUNNEL, "vlan_tunnel", "vlan_tunnel", BV_ONOFF},
	{IFLA_BRPORT_ISOLATED, "isolated", "isolated", BV_ONOFF},
	{IFLA_BRPORT_LOCKED, "locked", "locked", BV_ONOFF},
};

static uint64_t attr_uint(const struct nlattr *a, unsigned want)
{
	unsigned len = mnl_attr_get_payload_len(a);
	if (want == 8 && len >= 8)
		return mnl_attr_get_u64(a);
	if (want >= 4 && len >= 4)
		return mnl_attr_get_u32(a);
	if (want >= 2 && len >= 2)
		return mnl_attr_get_u16(a);
	return len >= 1 ? mnl_attr_get_u8(a) : 0;
}

static void print_one(struct ip_ctx *c, const struct bopt *o, const struct nlattr *a)
{
	struct emit *e = c->out;
	char b[64];
	emit_text(e, "%s ", o->label);
	switch (o->how) {
	case BV_U8: emit_u64(e, o->key, "%lu ", attr_uint(a, 1)); break;
	case BV_U16: emit_u64(e, o->key, "%lu ", attr_uint(a, 2)); break;
	case BV_U32: emit_u64(e, o->key, "%lu ", attr_uint(a, 4)); break;
	case BV_U64: emit_u64(e, o->key, "%lu ", attr_uint(a, 8)); break;
	case BV_ONOFF:
		emit_bool(e, o->key, NULL, attr_uint(a, 1) != 0);
		emit_text(e, "%s ", attr_uint(a, 1) ? "on" : "off");
		break;
	case BV_TEXTONOFF: emit_text(e, "%s ", attr_uint(a, 1) ? "on" : "off"); break;
	case BV_TIMER:
		emit_double(e, o->key, "%7.2f ", "%.2f", (double)attr_uint(a, 8) / 100.0);
		break;
	case BV_HEX:
		snprintf(b, sizeof(b), "%#x", (unsigned)attr_uint(a, 2));
		emit_str(e, o->key, "%s ", b);
		break;
	case BV_ID:
		if (mnl_attr_get_payload_len(a) >= sizeof(struct ifla_bridge_id)) {
			const struct ifla_bridge_id *id = mnl_attr_get_payload(a);
			snprintf(b, sizeof(b), "%.2x%.2x.%x:%x:%x:%x:%x:%x", id->prio[0],
				 id->prio[1], id->addr[0], id->addr[1], id->addr[2], id->addr[3],
				 id->addr[4], id->addr[5]);
			emit_str(e, o->key, "%s ", b);
		}
		break;
	case BV_MAC:
		emit_str(e, o->key, "%s ",
			 ip_ll_addr(mnl_attr_get_payload(a), mnl_attr_get_payload_len(a), 1, b,
				    sizeof(b)));
		break;
	}
}

static void print_opts(struct ip_ctx *c, const struct bopt *o, size_t n, const struct nlattr **tb)
{
	for (size_t i = 0; i < n; i++)
		if (tb[o[i].attr])
			print_one(c, &o[i], tb[o[i].attr]);
}

void ip_print_bridge(struct ip_ctx *c, const struct nlattr *data)
{
	const struct nlattr *tb[IFLA_BR_MAX + 1];
	if (!data || nl_parse_nested(data, NULL, IFLA_BR_MAX, tb) < 0)
		return;
	print_opts(c, bridge_opts, sizeof(bridge_opts) / sizeof(bridge_opts[0]), tb);
	const struct nlattr *mb = tb[IFLA_BR_MULTI_BOOLOPT];
	if (mb && mnl_attr_get_payload_len(mb) >= sizeof(struct br_boolopt_multi)) {
		const struct br_boolopt_multi *bm = mnl_attr_get_payload(mb);
		uint32_t ll = 1u << BR_BOOLOPT_NO_LL_LEARN,
			 vs = 1u << BR_BOOLOPT_MCAST_VLAN_SNOOPING;
		if (bm->optmask & ll)
			emit_uint(c->out, "no_linklocal_learn", "no_linklocal_learn %u ",
				  !!(bm->optval & ll));
		if (bm->optmask & vs)
			emit_uint(c->out, "mcast_vlan_snooping", "mcast_vlan_snooping %u ",
				  !!(bm->optval & vs));
	}
	print_opts(c, bridge_opts2, sizeof(bridge_opts2) / sizeof(bridge_opts2[0]), tb);
}

/* The mask's bits by name (stp, lacp, lldp) or value, comma-separated;
 * "0x0" for none, as iproute2's _bitmask2str. */
static void fwd_mask_str(unsigned m, char *b, size_t len)
{
	static const char *const names[16] = {[0] = "stp", [2] = "lacp", [14] = "lldp"};
	size_t n = 0;
	b[0] = '\0';
	for (unsigned i = 0; i < 16 && n < len; i++) {
		if (!(m & (1u << i)))
			continue;
		int w = names[i] ? snprintf(b + n, len - n, "%s,", names[i])
				 : snprintf(b + n, len - n, "0x%x,", 1u << i);
		n += w > 0 ? (size_t)w : 0;
	}
	if (!n)
		snprintf(b, len, "0x0");
	else
		b[(n < len ? n : len) - 1] = '\0';
}

void ip_print_bridge_slave(struct ip_ctx *c, const struct nlattr *data)
{
	static const char *const states[] = {"disabled", "listening", "learning", "forwarding",
					     "blocking"};
	const struct nlattr *tb[IFLA_BRPORT_MAX + 1];
	if (!data || nl_parse_nested(data, NULL, IFLA_BRPORT_MAX, tb) < 0)
		return;
	if (tb[IFLA_BRPORT_STATE]) {
		unsigned st = (unsigned)attr_uint(tb[IFLA_BRPORT_STATE], 1);
		if (st < 5)
			emit_str(c->out, "state", "state %s ", states[st]);
		else
			emit_uint(c->out, "state_index", "state (%d) ", st);
	}
	print_opts(c, port_opts, sizeof(port_opts) / sizeof(port_opts[0]), tb);
	if (tb[IFLA_BRPORT_GROUP_FWD_MASK]) {
		char b[160];
		unsigned m = (unsigned)attr_uint(tb[IFLA_BRPORT_GROUP_FWD_MASK], 2);
		snprintf(b, sizeof(b), "%#x", m);
		emit_str(c->out, "group_fwd_mask", "group_fwd_mask %s ", b);
		fwd_mask_str(m, b, sizeof(b));
		emit_str(c->out, "group_fwd_mask_str", "group_fwd_mask_str %s ", b);
	}
	print_opts(c, port_opts2, sizeof(port_opts2) / sizeof(port_opts2[0]), tb);
}

/* ---- ip link add/set ... type bridge OPTIONS ---- */

static int br_explain(void)
{
	fprintf(stderr,
		"Usage: ... bridge [ fdb_flush ]\n"
		"		  [ forward_delay FORWARD_DELAY ]\n"
		"		  [ hello_time HELLO_TIME ]\n"
		"		  [ max_age MAX_AGE ]\n"
		"		  [ ageing_time AGEING_TIME ]\n"
		"		  [ stp_state STP_STATE ]\n"
		"		  [ priority PRIORITY ]\n"
		"		  [ group_fwd_mask MASK ]\n"
		"		  [ group_address ADDRESS ]\n"
		"		  [ no_linklocal_learn NO_LINKLOCAL_LEARN ]\n"
		"		  [ vlan_filtering VLAN_FILTERING ]\n"
		"		  [ vlan_protocol VLAN_PROTOCOL ]\n"
		"		  [ vlan_default_pvid VLAN_DEFAULT_PVID ]\n"
		"		  [ vlan_stats_enabled VLAN_STATS_ENABLED ]\n"
		"		  [ vlan_stats_per_port VLAN_STATS_PER_PORT ]\n"
		"		  [ mcast_snooping MULTICAST_SNOOPING ]\n"
		"		  [ mcast_vlan_snooping MULTICAST_VLAN_SNOOPING ]\n"
		"		  [ mcast_router MULTICAST_ROUTER ]\n"
		"		  [ mcast_query_use_ifaddr MCAST_QUERY_USE_IFADDR ]\n"
		"		  [ mcast_querier MULTICAST_QUERIER ]\n"
		"		  [ mcast_hash_elasticity HASH_ELASTICITY ]\n"
		"		  [ mcast_hash_max HASH_MAX ]\n"
		"		  [ mcast_last_member_count LAST_MEMBER_COUNT ]\n"
		"		  [ mcast_startup_query_count STARTUP_QUERY_COUNT ]\n"
		"		  [ mcast_last_member_interval LAST_MEMBER_INTERVAL ]\n"
		"		  [ mcast_membership_interval MEMBERSHIP_INTERVAL ]\n"
		"		  [ mcast_querier_interval QUERIER_INTERVAL ]\n"
		"		  [ mcast_query_interval QUERY_INTERVAL ]\n"
		"		  [ mcast_query_response_interval QUERY_RESPONSE_INTERVAL ]\n"
		"		  [ mcast_startup_query_interval STARTUP_QUERY_INTERVAL ]\n"
		"		  [ mcast_stats_enabled MCAST_STATS_ENABLED ]\n"
		"		  [ mcast_igmp_version IGMP_VERSION ]\n"
		"		  [ mcast_mld_version MLD_VERSION ]\n"
		"		  [ nf_call_iptables NF_CALL_IPTABLES ]\n"
		"		  [ nf_call_ip6tables NF_CALL_IP6TABLES ]\n"
		"		  [ nf_call_arptables NF_CALL_ARPTABLES ]\n"
		"\n"
		"Where: VLAN_PROTOCOL := { 802.1Q | 802.1ad }\n");
	return 1;
}

/* The numeric options: word, attribute, its width in bytes. A negative
 * attribute is a bit of IFLA_BR_MULTI_BOOLOPT. In iproute2's order of
 * matching (any abbreviation picks the first). */
static const struct br_opt {
	const char *word;
	int attr;
	int width;
} br_opts[] = {
	{"forward_delay", IFLA_BR_FORWARD_DELAY, 4},
	{"hello_time", IFLA_BR_HELLO_TIME, 4},
	{"max_age", IFLA_BR_MAX_AGE, 4},
	{"ageing_time", IFLA_BR_AGEING_TIME, 4},
	{"stp_state", IFLA_BR_STP_STATE, 4},
	{"priority", IFLA_BR_PRIORITY, 2},
	{"vlan_filtering", IFLA_BR_VLAN_FILTERING, 1},
	{"vlan_protocol", IFLA_BR_VLAN_PROTOCOL, 0},
	{"group_fwd_mask", IFLA_BR_GROUP_FWD_MASK, 2},
	{"group_address", IFLA_BR_GROUP_ADDR, 0},
	{"fdb_flush", IFLA_BR_FDB_FLUSH, 0},
	{"no_linklocal_learn", -BR_BOOLOPT_NO_LL_LEARN - 1, 1},
	{"vlan_default_pvid", IFLA_BR_VLAN_DEFAULT_PVID, 2},
	{"vlan_stats_enabled", IFLA_BR_VLAN_STATS_ENABLED, 1},
	{"vlan_stats_per_port", IFLA_BR_VLAN_STATS_PER_PORT, 1},
	{"mcast_router", IFLA_BR_MCAST_ROUTER, 1},
	{"mcast_snooping", IFLA_BR_MCAST_SNOOPING, 1},
	{"mcast_vlan_snooping", -BR_BOOLOPT_MCAST_VLAN_SNOOPING - 1, 1},
	{"mcast_query_use_ifaddr", IFLA_BR_MCAST_QUERY_USE_IFADDR, 1},
	{"mcast_querier", IFLA_BR_MCAST_QUERIER, 1},
	{"mcast_hash_elasticity", IFLA_BR_MCAST_HASH_ELASTICITY, 4},
	{"mcast_hash_max", IFLA_BR_MCAST_HASH_MAX, 4},
	{"mcast_last_member_count", IFLA_BR_MCAST_LAST_MEMBER_CNT, 4},
	{"mcast_startup_query_count", IFLA_BR_MCAST_STARTUP_QUERY_CNT, 4},
	{"mcast_last_member_interval", IFLA_BR_MCAST_LAST_MEMBER_INTVL, 8},
	{"mcast_membership_interval", IFLA_BR_MCAST_MEMBERSHIP_INTVL, 8},
	{"mcast_querier_interval", IFLA_BR_MCAST_QUERIER_INTVL, 8},
	{"mcast_query_interval", IFLA_BR_MCAST_QUERY_INTVL, 8},
	{"mcast_query_response_interval", IFLA_BR_MCAST_QUERY_RESPONSE_INTVL, 8},
	{"mcast_startup_query_interval", IFLA_BR_MCAST_STARTUP_QUERY_INTVL, 8},
	{"mcast_stats_enabled", IFLA_BR_MCAST_STATS_ENABLED, 1},
	{"mcast_igmp_version", IFLA_BR_MCAST_IGMP_VERSION, 1},
	{"mcast_mld_version", IFLA_BR_MCAST_MLD_VERSION, 1},
	{"nf_call_iptables", IFLA_BR_NF_CALL_IPTABLES, 1},
	{"nf_call_ip6tables", IFLA_BR_NF_CALL_IP6TABLES, 1},
	{"nf_call_arptables", IFLA_BR_NF_CALL_ARPTABLES, 1},
};

static int br_number(const char *v, int width, uint64_t *out)
{
	if (!*v || *v == '-')
		return -1;
	char *end;
	errno = 0;
	unsigned long long x = strtoull(v, &end, 0);
	if (*end || errno)
		return -1;
	if (width < 8 && x >> (width * 8))
		return -1;
	*out = x;
	return 0;
}

/* One option with its value; 0 or an exit status. */
static int br_value(struct nlmsghdr *nlh, struct br_boolopt_multi *bm, const struct br_opt *o,
		    const char *v)
{
	char msg[64];
	snprintf(msg, sizeof(msg), "invalid %s", o->word);
	uint64_t x;
	if (o->attr == IFLA_BR_VLAN_PROTOCOL) {
		if (!strcasecmp(v, "802.1Q"))
			x = 0x8100;
		else if (!strcasecmp(v, "802.1ad"))
			x = 0x88a8;
		else if (br_number(v, 2, &x) < 0)
			return ip_invarg(msg, v);
		mnl_attr_put_u16(nlh, IFLA_BR_VLAN_PROTOCOL, htons((uint16_t)x));
		return 0;
	}
	if (o->attr == IFLA_BR_GROUP_ADDR) {
		uint8_t a[32];
		int n = ip_get_lladdr(a, sizeof(a), v);
		if (n < 0) {
			fprintf(stderr, "\"%s\" is invalid lladdr.\n", v);
			return 1;
		}
		mnl_attr_put(nlh, IFLA_BR_GROUP_ADDR, (size_t)n, a);
		return 0;
	}
	if (br_number(v, o->width, &x) < 0)
		return ip_invarg(msg, v);
	if (o->attr < 0) {
		uint32_t bit = 1u << (-o->attr - 1);
		bm->optmask |= bit;
		bm->optval = x ? bm->optval | bit : bm->optval & ~bit;
	} else if (o->width == 1) {
		mnl_attr_put_u8(nlh, (uint16_t)o->attr, (uint8_t)x);
	} else if (o->width == 2) {
		mnl_attr_put_u16(nlh, (uint16_t)o->attr, (uint16_t)x);
	} else if (o->width == 4) {
		mnl_attr_put_u32(nlh, (uint16_t)o->attr, (uint32_t)x);
	} else {
		mnl_attr_put_u64(nlh, (uint16_t)o->attr, x);
	}
	return 0;
}

int ip_bridge_parse(struct ip_ctx *c, int argc, char **argv, void *out, size_t *len)
{
	static _Alignas(struct nlmsghdr) char scratch[2048];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(scratch);
	struct br_boolopt_multi bm = {0};
	(void)c;
	for (; argc > 0; argc--, argv++) {
		const struct br_opt *o = NULL;
		for (size_t i = 0; i < sizeof(br_opts) / sizeof(br_opts[0]) && !o; i++)
			if (ip_matches(argv[0], br_opts[i].word))
				o = &br_opts[i];
		if (o && o->attr == IFLA_BR_FDB_FLUSH) {
			mnl_attr_put(nlh, IFLA_BR_FDB_FLUSH, 0, NULL);
			continue;
		}
		if (!o) {
			if (!ip_matches(argv[0], "help"))
				fprintf(stderr, "bridge: unknown command \"%s\"?\n", argv[0]);
			return br_explain();
		}
		if (argc < 2)
			return ip_incomplete(NULL);
		int r = br_value(nlh, &bm, o, *++argv);
		argc--;
		if (r)
			return r;
	}
	if (bm.optmask)
		mnl_attr_put(nlh, IFLA_BR_MULTI_BOOLOPT, sizeof(bm), &bm);
	*len = nlh->nlmsg_len - MNL_NLMSG_HDRLEN;
	memcpy(out, mnl_nlmsg_get_payload(nlh), *len);
	return 0;
}

/* ---- ip link set PORT type bridge_slave OPTIONS ---- */

static const char bridge_slave_usage[] =
	"Usage: ... bridge_slave [ fdb_flush ]\n"
	"			[ state STATE ]\n"
	"			[ priority PRIO ]\n"
	"			[ cost COST ]\n"
	"			[ guard {on | off} ]\n"
	"			[ hairpin {on | off} ]\n"
	"			[ fastleave {on | off} ]\n"
	"			[ root_block {on | off} ]\n"
	"			[ learning {on | off} ]\n"
	"			[ flood {on | off} ]\n"
	"			[ proxy_arp {on | off} ]\n"
	"			[ proxy_arp_wifi {on | off} ]\n"
	"			[ mcast_router MULTICAST_ROUTER ]\n"
	"			[ mcast_fast_leave {on | off} ]\n"
	"			[ mcast_flood {on | off} ]\n"
	"			[ bcast_flood {on | off} ]\n"
	"			[ mcast_to_unicast {on | off} ]\n"
	"			[ group_fwd_mask MASK ]\n"
	"			[ neigh_suppress {on | off} ]\n"
	"			[ vlan_tunnel {on | off} ]\n"
	"			[ isolated {on | off} ]\n"
	"			[ locked {on | off} ]\n"
	"			[ backup_port DEVICE ] [ nobackup_port ]\n";

/* The words with a value, in iproute2 6.1's order of matching (any
 * abbreviation picks the first): attribute, width (0: on/off), message. */
static const struct {
	const char *word;
	uint16_t attr;
	uint8_t width;
	const char *bad;
} port_words[] = {
	{"state", IFLA_BRPORT_STATE, 1, "state is invalid"},
	{"priority", IFLA_BRPORT_PRIORITY, 2, "priority is invalid"},
	{"cost", IFLA_BRPORT_COST, 4, "cost is invalid"},
	{"hairpin", IFLA_BRPORT_MODE, 0, NULL},
	{"guard", IFLA_BRPORT_GUARD, 0, NULL},
	{"root_block", IFLA_BRPORT_PROTECT, 0, NULL},
	{"fastleave", IFLA_BRPORT_FAST_LEAVE, 0, NULL},
	{"learning", IFLA_BRPORT_LEARNING, 0, NULL},
	{"flood", IFLA_BRPORT_UNICAST_FLOOD, 0, NULL},
	{"mcast_flood", IFLA_BRPORT_MCAST_FLOOD, 0, NULL},
	{"bcast_flood", IFLA_BRPORT_BCAST_FLOOD, 0, NULL},
	{"mcast_to_unicast", IFLA_BRPORT_MCAST_TO_UCAST, 0, NULL},
	{"proxy_arp", IFLA_BRPORT_PROXYARP, 0, NULL},
	{"proxy_arp_wifi", IFLA_BRPORT_PROXYARP_WIFI, 0, NULL},
	{"mcast_router", IFLA_BRPORT_MULTICAST_ROUTER, 1, "invalid mcast_router"},
	{"mcast_fast_leave", IFLA_BRPORT_FAST_LEAVE, 0, NULL},
	{"neigh_suppress", IFLA_BRPORT_NEIGH_SUPPRESS, 0, NULL},
	{"group_fwd_mask", IFLA_BRPORT_GROUP_FWD_MASK, 2, "invalid group_fwd_mask"},
	{"vlan_tunnel", IFLA_BRPORT_VLAN_TUNNEL, 0, NULL},
	{"isolated", IFLA_BRPORT_ISOLATED, 0, NULL},
	{"locked", IFLA_BRPORT_LOCKED, 0, NULL},
	{"backup_port", IFLA_BRPORT_BACKUP_PORT, 4, "Device does not exist\n"},
};

static int port_value(struct ip_ctx *c, struct nlmsghdr *nlh, size_t i, const char *v)
{
	uint32_t n;
	uint8_t w = port_words[i].width;
	if (!w) {
		if (strcmp(v, "on") && strcmp(v, "off")) {
			fprintf(stderr,
				"Error: argument of \"%s\" must be one of \"off\", \"on\", not "
				"\"%s\"\n",
				port_words[i].word, v);
			return 1;
		}
		mnl_attr_put_u8(nlh, port_words[i].attr, !strcmp(v, "on"));
		return 0;
	}
	if (port_words[i].attr == IFLA_BRPORT_BACKUP_PORT) {
		int idx = ip_ifindex(c, v);
		if (!idx)
			return ip_invarg(port_words[i].bad, v);
		mnl_attr_put_u32(nlh, IFLA_BRPORT_BACKUP_PORT, (uint32_t)idx);
		return 0;
	}
	uint32_t max = w == 1 ? 0xff : w == 2 ? 0xffff : UINT32_MAX;
	if (ip_get_u32(&n, v, 0) < 0 || n > max)
		return ip_invarg(port_words[i].bad, v);
	if (w == 1)
		mnl_attr_put_u8(nlh, port_words[i].attr, (uint8_t)n);
	else if (w == 2)
		mnl_attr_put_u16(nlh, port_words[i].attr, (uint16_t)n);
	else
		mnl_attr_put_u32(nlh, port_words[i].attr, n);
	return 0;
}

int ip_bridge_slave_parse(struct ip_ctx *c, const char *kind, struct nlmsghdr *nlh, int argc,
			  char **argv)
{
	(void)kind;
	for (; argc > 0; argc--, argv++) {
		const char *k = argv[0];
		if (ip_matches(k, "fdb_flush")) {
			mnl_attr_put(nlh, IFLA_BRPORT_FLUSH, 0, NULL);
			continue;
		}
		size_t i = 0, n = sizeof(port_words) / sizeof(port_words[0]);
		while (i < n && !ip_matches(k, port_words[i].word))
			i++;
		if (i < n) {
			if (argc < 2)
				return ip_incomplete(NULL);
			int r = port_value(c, nlh, i, argv[1]);
			if (r)
				return r;
			argc--;
			argv++;
		} else if (ip_matches(k, "nobackup_port")) {
			mnl_attr_put_u32(nlh, IFLA_BRPORT_BACKUP_PORT, 0);
		} else {
			if (!ip_matches(k, "help"))
				fprintf(stderr, "bridge_slave: unknown option \"%s\"?\n", k);
			fputs(bridge_slave_usage, stderr);
			return 1;
		}
	}
	return 0;
}
