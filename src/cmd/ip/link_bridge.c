/* SPDX-License-Identifier: Apache-2.0 */
/* `ip -d link` for bridges and bridge ports: the options iproute2 6.1
 * prints for kind "bridge" and slave kind "bridge", in its order. */
#include <string.h>

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
		char b[32];
		unsigned m = (unsigned)attr_uint(tb[IFLA_BRPORT_GROUP_FWD_MASK], 2);
		snprintf(b, sizeof(b), "%#x", m);
		emit_str(c->out, "group_fwd_mask", "group_fwd_mask %s ", b);
		snprintf(b, sizeof(b), "0x%x", m);
		emit_str(c->out, "group_fwd_mask_str", "group_fwd_mask_str %s ", b);
	}
	print_opts(c, port_opts2, sizeof(port_opts2) / sizeof(port_opts2[0]), tb);
}
