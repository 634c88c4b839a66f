/* SPDX-License-Identifier: Apache-2.0 */
/* Bonding links: the options of `ip link add/set ... type bond` into
 * IFLA_INFO_DATA as iproute2 6.1's iplink_bond.c parses them (its words
 * in its order of matching, its checks and messages), and the `ip -d
 * link` details of a bond and of a bond's port (bond_slave). */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <linux/if_bonding.h>
#include <linux/if_link.h>

#include "cmd/ip/link_priv.h"

static const char *const mode_tbl[] = {"balance-rr", "active-backup", "balance-xor", "broadcast",
				       "802.3ad",    "balance-tlb",   "balance-alb", NULL};
static const char *const arp_validate_tbl[] = {"none",	 "active",	  "backup",	   "all",
					       "filter", "filter_active", "filter_backup", NULL};
static const char *const arp_all_targets_tbl[] = {"any", "all", NULL};
static const char *const primary_reselect_tbl[] = {"always", "better", "failure", NULL};
static const char *const fail_over_mac_tbl[] = {"none", "active", "follow", NULL};
static const char *const xmit_hash_policy_tbl[] = {
	"layer2", "layer3+4", "layer2+3", "encap2+3", "encap3+4", "vlan+srcmac", NULL};
static const char *const lacp_active_tbl[] = {"off", "on", NULL};
static const char *const lacp_rate_tbl[] = {"slow", "fast", NULL};
static const char *const ad_select_tbl[] = {"stable", "bandwidth", "count", NULL};

enum bt { BT_U8, BT_U16, BT_U32, BT_TBL8, BT_TBL32, BT_IF, BT_CLEAR, BT_IP4S, BT_IP6S, BT_MAC };

struct bond_opt {
	const char *word;
	uint16_t attr;
	enum bt how;
	const char *const *tbl;
	const char *err; /* "invalid X" */
};

/* iproute2's order of matching: an abbreviation takes the first word it
 * begins ("p" is peer_notify_delay, "a" active_slave). */
static const struct bond_opt opts[] = {
	{"mode", IFLA_BOND_MODE, BT_TBL8, mode_tbl, "invalid mode"},
	{"active_slave", IFLA_BOND_ACTIVE_SLAVE, BT_IF, NULL, NULL},
	{"clear_active_slave", IFLA_BOND_ACTIVE_SLAVE, BT_CLEAR, NULL, NULL},
	{"miimon", IFLA_BOND_MIIMON, BT_U32, NULL, "invalid miimon"},
	{"updelay", IFLA_BOND_UPDELAY, BT_U32, NULL, "invalid updelay"},
	{"downdelay", IFLA_BOND_DOWNDELAY, BT_U32, NULL, "invalid downdelay"},
	{"peer_notify_delay", IFLA_BOND_PEER_NOTIF_DELAY, BT_U32, NULL,
	 "invalid peer_notify_delay"},
	{"use_carrier", IFLA_BOND_USE_CARRIER, BT_U8, NULL, "invalid use_carrier"},
	{"arp_interval", IFLA_BOND_ARP_INTERVAL, BT_U32, NULL, "invalid arp_interval"},
	{"arp_ip_target", IFLA_BOND_ARP_IP_TARGET, BT_IP4S, NULL, NULL},
	{"ns_ip6_target", IFLA_BOND_NS_IP6_TARGET, BT_IP6S, NULL, NULL},
	{"arp_validate", IFLA_BOND_ARP_VALIDATE, BT_TBL32, arp_validate_tbl,
	 "invalid arp_validate"},
	{"arp_all_targets", IFLA_BOND_ARP_ALL_TARGETS, BT_TBL32, arp_all_targets_tbl,
	 "invalid arp_all_targets"},
	{"primary", IFLA_BOND_PRIMARY, BT_IF, NULL, NULL},
	{"primary_reselect", IFLA_BOND_PRIMARY_RESELECT, BT_TBL8, primary_reselect_tbl,
	 "invalid primary_reselect"},
	{"fail_over_mac", IFLA_BOND_FAIL_OVER_MAC, BT_TBL8, fail_over_mac_tbl,
	 "invalid fail_over_mac"},
	{"xmit_hash_policy", IFLA_BOND_XMIT_HASH_POLICY, BT_TBL8, xmit_hash_policy_tbl,
	 "invalid xmit_hash_policy"},
	{"resend_igmp", IFLA_BOND_RESEND_IGMP, BT_U32, NULL, "invalid resend_igmp"},
	{"num_grat_arp", IFLA_BOND_NUM_PEER_NOTIF, BT_U8, NULL,
	 "invalid num_grat_arp|num_unsol_na"},
	{"num_unsol_na", IFLA_BOND_NUM_PEER_NOTIF, BT_U8, NULL,
	 "invalid num_grat_arp|num_unsol_na"},
	{"all_slaves_active", IFLA_BOND_ALL_SLAVES_ACTIVE, BT_U8, NULL,
	 "invalid all_slaves_active"},
	{"min_links", IFLA_BOND_MIN_LINKS, BT_U32, NULL, "invalid min_links"},
	{"lp_interval", IFLA_BOND_LP_INTERVAL, BT_U32, NULL, "invalid lp_interval"},
	{"packets_per_slave", IFLA_BOND_PACKETS_PER_SLAVE, BT_U32, NULL,
	 "invalid packets_per_slave"},
	{"lacp_rate", IFLA_BOND_AD_LACP_RATE, BT_TBL8, lacp_rate_tbl, "invalid lacp_rate"},
	{"lacp_active", IFLA_BOND_AD_LACP_ACTIVE, BT_TBL8, lacp_active_tbl, "invalid lacp_active"},
	{"ad_select", IFLA_BOND_AD_SELECT, BT_TBL8, ad_select_tbl, "invalid ad_select"},
	{"ad_user_port_key", IFLA_BOND_AD_USER_PORT_KEY, BT_U16, NULL, "invalid ad_user_port_key"},
	{"ad_actor_sys_prio", IFLA_BOND_AD_ACTOR_SYS_PRIO, BT_U16, NULL,
	 "invalid ad_actor_sys_prio"},
	{"ad_actor_system", IFLA_BOND_AD_ACTOR_SYSTEM, BT_MAC, NULL, NULL},
	{"tlb_dynamic_lb", IFLA_BOND_TLB_DYNAMIC_LB, BT_U8, NULL, "invalid tlb_dynamic_lb"},
	{"arp_missed_max", IFLA_BOND_MISSED_MAX, BT_U8, NULL, "invalid arp_missed_max"},
};

static const char bond_usage[] =
	"Usage: ... bond [ mode BONDMODE ] [ active_slave SLAVE_DEV ]\n"
	"                [ clear_active_slave ] [ miimon MIIMON ]\n"
	"                [ updelay UPDELAY ] [ downdelay DOWNDELAY ]\n"
	"                [ peer_notify_delay DELAY ]\n"
	"                [ use_carrier USE_CARRIER ]\n"
	"                [ arp_interval ARP_INTERVAL ]\n"
	"                [ arp_validate ARP_VALIDATE ]\n"
	"                [ arp_all_targets ARP_ALL_TARGETS ]\n"
	"                [ arp_ip_target [ ARP_IP_TARGET, ... ] ]\n"
	"                [ ns_ip6_target [ NS_IP6_TARGET, ... ] ]\n"
	"                [ primary SLAVE_DEV ]\n"
	"                [ primary_reselect PRIMARY_RESELECT ]\n"
	"                [ fail_over_mac FAIL_OVER_MAC ]\n"
	"                [ xmit_hash_policy XMIT_HASH_POLICY ]\n"
	"                [ resend_igmp RESEND_IGMP ]\n"
	"                [ num_grat_arp|num_unsol_na NUM_GRAT_ARP|NUM_UNSOL_NA ]\n"
	"                [ all_slaves_active ALL_SLAVES_ACTIVE ]\n"
	"                [ min_links MIN_LINKS ]\n"
	"                [ lp_interval LP_INTERVAL ]\n"
	"                [ packets_per_slave PACKETS_PER_SLAVE ]\n"
	"                [ tlb_dynamic_lb TLB_DYNAMIC_LB ]\n"
	"                [ lacp_rate LACP_RATE ]\n"
	"                [ lacp_active LACP_ACTIVE]\n"
	"                [ ad_select AD_SELECT ]\n"
	"                [ ad_user_port_key PORTKEY ]\n"
	"                [ ad_actor_sys_prio SYSPRIO ]\n"
	"                [ ad_actor_system LLADDR ]\n"
	"                [ arp_missed_max MISSED_MAX ]\n"
	"\n"
	"BONDMODE := "
	"balance-rr|active-backup|balance-xor|broadcast|802.3ad|balance-tlb|balance-alb\n"
	"ARP_VALIDATE := none|active|backup|all|filter|filter_active|filter_backup\n"
	"ARP_ALL_TARGETS := any|all\n"
	"PRIMARY_RESELECT := always|better|failure\n"
	"FAIL_OVER_MAC := none|active|follow\n"
	"XMIT_HASH_POLICY := layer2|layer2+3|layer3+4|encap2+3|encap3+4|vlan+srcmac\n"
	"LACP_ACTIVE := off|on\n"
	"LACP_RATE := slow|fast\n"
	"AD_SELECT := stable|bandwidth|count\n";

/* A table's entry by number (its index) or by name; -1 if neither. */
static int tbl_index(const char *const *tbl, const char *v)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (*v && !*end)
		for (int i = 0; tbl[i]; i++)
			if (i == n)
				return i;
	for (int i = 0; tbl[i]; i++)
		if (!strcmp(tbl[i], v))
			return i;
	return -1;
}

static const char *tbl_name(const char *const *tbl, unsigned i)
{
	for (unsigned k = 0; tbl[k]; k++)
		if (k == i)
			return tbl[k];
	return "UNKNOWN";
}

/* "a,b,c" after arp_ip_target / ns_ip6_target: a nest of addresses
 * numbered from 0, at most 16; 0 or an exit status. */
static int bond_targets(struct nlmsghdr *nlh, const struct bond_opt *o, int argc, char **argv,
			int *used)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, o->attr);
	nest->nla_type = o->attr; /* iproute2 does not mark the nest */
	*used = 1;
	if (argc > 1) {
		*used = 2;
		char *save = NULL, *list = strdup(argv[1]);
		char *t = list ? strtok_r(list, ",", &save) : NULL;
		bool v6 = o->how == BT_IP6S;
		for (uint16_t i = 0; t && i < 16; i++) {
			uint8_t a[16];
			if (inet_pton(v6 ? AF_INET6 : AF_INET, t, a) != 1) {
				if (v6)
					fprintf(stderr,
						"Error: inet6 address is expected rather than "
						"\"%s\".\n",
						t);
				else
					fprintf(stderr,
						"Error: an IP address is expected rather than "
						"\"%s\"\n",
						t);
				free(list);
				return 1;
			}
			mnl_attr_put(nlh, i, v6 ? 16 : 4, a);
			t = strtok_r(NULL, ",", &save);
		}
		free(list);
	}
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

static int bond_value(struct ip_ctx *c, struct nlmsghdr *nlh, const struct bond_opt *o,
		      const char *v)
{
	uint32_t n;
	int i;
	uint8_t mac[32];
	switch (o->how) {
	case BT_TBL8:
	case BT_TBL32:
		if ((i = tbl_index(o->tbl, v)) < 0)
			return ip_invarg(o->err, v);
		if (o->how == BT_TBL8)
			mnl_attr_put_u8(nlh, o->attr, (uint8_t)i);
		else
			mnl_attr_put_u32(nlh, o->attr, (uint32_t)i);
		return 0;
	case BT_IF:
		if (!(i = ip_ifindex(c, v))) {
			ip_nodev(v);
			return 1;
		}
		mnl_attr_put_u32(nlh, o->attr, (uint32_t)i);
		return 0;
	case BT_MAC:
		if ((i = ip_get_lladdr(mac, sizeof(mac), v)) < 0) {
			fprintf(stderr, "\"%s\" is invalid lladdr.\n", v);
			return 1;
		}
		mnl_attr_put(nlh, o->attr, (size_t)i, mac);
		return 0;
	default: break;
	}
	uint32_t max = o->how == BT_U8 ? 0xff : o->how == BT_U16 ? 0xffff : 0xffffffff;
	if (ip_get_u32(&n, v, 0) < 0 || n > max)
		return ip_invarg(o->err, v);
	if (o->how == BT_U8)
		mnl_attr_put_u8(nlh, o->attr, (uint8_t)n);
	else if (o->how == BT_U16)
		mnl_attr_put_u16(nlh, o->attr, (uint16_t)n);
	else
		mnl_attr_put_u32(nlh, o->attr, n);
	return 0;
}

int ip_bond_parse(struct ip_ctx *c, const char *kind, struct nlmsghdr *nlh, int argc, char **argv)
{
	while (argc > 0) {
		const struct bond_opt *o = NULL;
		for (size_t i = 0; !o && i < sizeof(opts) / sizeof(opts[0]); i++)
			if (opts[i].how == BT_IP6S ? !strcmp(argv[0], opts[i].word)
						   : ip_matches(argv[0], opts[i].word))
				o = &opts[i];
		int used = 2, r = 0;
		if (!o && ip_matches(argv[0], "help")) {
			fputs(bond_usage, stderr);
			return 1;
		} else if (!o) {
			fprintf(stderr, "bond: unknown command \"%s\"?\n", argv[0]);
			fputs(bond_usage, stderr);
			return 1;
		} else if (o->how == BT_CLEAR) {
			mnl_attr_put_u32(nlh, o->attr, 0);
			used = 1;
		} else if (o->how == BT_IP4S || o->how == BT_IP6S) {
			r = bond_targets(nlh, o, argc, argv, &used);
		} else if (argc < 2) {
			return ip_incomplete(NULL);
		} else {
			r = bond_value(c, nlh, o, argv[1]);
		}
		if (r)
			return r;
		argc -= used;
		argv += used;
	}
	return 0;
}

/* ---- ip -d link ---- */

enum pv { PV_U8, PV_U16, PV_U32, PV_TBL8, PV_TBL32, PV_IF, PV_TARGETS, PV_MAC };

struct bond_show {
	uint16_t attr;
	const char *key, *label; /* label: the text before the value */
	enum pv how;
	const char *const *tbl;
};

/* iproute2 6.1's order of printing */
static const struct bond_show shows[] = {
	{IFLA_BOND_MODE, "mode", "mode", PV_TBL8, mode_tbl},
	{IFLA_BOND_ACTIVE_SLAVE, "active_slave", "active_slave", PV_IF, NULL},
	{IFLA_BOND_MIIMON, "miimon", "miimon", PV_U32, NULL},
	{IFLA_BOND_UPDELAY, "updelay", "updelay", PV_U32, NULL},
	{IFLA_BOND_DOWNDELAY, "downdelay", "downdelay", PV_U32, NULL},
	{IFLA_BOND_PEER_NOTIF_DELAY, "peer_notify_delay", "peer_notify_delay", PV_U32, NULL},
	{IFLA_BOND_USE_CARRIER, "use_carrier", "use_carrier", PV_U8, NULL},
	{IFLA_BOND_ARP_INTERVAL, "arp_interval", "arp_interval", PV_U32, NULL},
	{IFLA_BOND_MISSED_MAX, "arp_missed_max", "arp_missed_max", PV_U8, NULL},
	{IFLA_BOND_ARP_IP_TARGET, "arp_ip_target", "arp_ip_target", PV_TARGETS, NULL},
	{IFLA_BOND_NS_IP6_TARGET, "ns_ip6_target", "ns_ip6_target", PV_TARGETS, NULL},
	{IFLA_BOND_ARP_VALIDATE, "arp_validate", "arp_validate", PV_TBL32, arp_validate_tbl},
	{IFLA_BOND_ARP_ALL_TARGETS, "arp_all_targets", "arp_all_targets", PV_TBL32,
	 arp_all_targets_tbl},
	{IFLA_BOND_PRIMARY, "primary", "primary", PV_IF, NULL},
	{IFLA_BOND_PRIMARY_RESELECT, "primary_reselect", "primary_reselect", PV_TBL8,
	 primary_reselect_tbl},
	{IFLA_BOND_FAIL_OVER_MAC, "fail_over_mac", "fail_over_mac", PV_TBL8, fail_over_mac_tbl},
	{IFLA_BOND_XMIT_HASH_POLICY, "xmit_hash_policy", "xmit_hash_policy", PV_TBL8,
	 xmit_hash_policy_tbl},
	{IFLA_BOND_RESEND_IGMP, "resend_igmp", "resend_igmp", PV_U32, NULL},
	{IFLA_BOND_NUM_PEER_NOTIF, "num_peer_notif", "num_grat_arp", PV_U8, NULL},
	{IFLA_BOND_ALL_SLAVES_ACTIVE, "all_slaves_active", "all_slaves_active", PV_U8, NULL},
	{IFLA_BOND_MIN_LINKS, "min_links", "min_links", PV_U32, NULL},
	{IFLA_BOND_LP_INTERVAL, "lp_interval", "lp_interval", PV_U32, NULL},
	{IFLA_BOND_PACKETS_PER_SLAVE, "packets_per_slave", "packets_per_slave", PV_U32, NULL},
	{IFLA_BOND_AD_LACP_ACTIVE, "ad_lacp_active", "lacp_active", PV_TBL8, lacp_active_tbl},
	{IFLA_BOND_AD_LACP_RATE, "ad_lacp_rate", "lacp_rate", PV_TBL8, lacp_rate_tbl},
	{IFLA_BOND_AD_SELECT, "ad_select", "ad_select", PV_TBL8, ad_select_tbl},
	{IFLA_BOND_AD_ACTOR_SYS_PRIO, "ad_actor_sys_prio", "ad_actor_sys_prio", PV_U16, NULL},
	{IFLA_BOND_AD_USER_PORT_KEY, "ad_user_port_key", "ad_user_port_key", PV_U16, NULL},
	{IFLA_BOND_AD_ACTOR_SYSTEM, "ad_actor_system", "ad_actor_system", PV_MAC, NULL},
	{IFLA_BOND_TLB_DYNAMIC_LB, "tlb_dynamic_lb", "tlb_dynamic_lb", PV_U8, NULL},
};

static uint32_t attr_num(const struct nlattr *a)
{
	size_t n = mnl_attr_get_payload_len(a);
	return n >= 4	? mnl_attr_get_u32(a)
	       : n >= 2 ? mnl_attr_get_u16(a)
	       : n	? mnl_attr_get_u8(a)
			: 0;
}

static void print_targets(struct ip_ctx *c, const struct bond_show *s, const struct nlattr *nest)
{
	const struct nlattr *t[17] = {0};
	nl_parse_nested(nest, NULL, 16, t);
	if (!t[0])
		return;
	if (emit_is_text(c->out))
		emit_text(c->out, "%s ", s->label);
	else
		emit_arr_open(c->out, s->key);
	for (int i = 0; i < 16; i++) {
		if (t[i]) {
			char b[64];
			size_t n = mnl_attr_get_payload_len(t[i]);
			int fam = n == 16 ? AF_INET6 : AF_INET;
			if (n == 4 || n == 16)
				inet_ntop(fam, mnl_attr_get_payload(t[i]), b, sizeof(b));
			else
				snprintf(b, sizeof(b), "???");
			emit_str(c->out, NULL, "%s", b);
		}
		if (i < 15 && t[i + 1])
			emit_text(c->out, ",");
	}
	if (emit_is_text(c->out))
		emit_text(c->out, " ");
	else
		emit_arr_close(c->out);
}

static void print_one(struct ip_ctx *c, const struct bond_show *s, const struct nlattr *a)
{
	char fmt[64], b[IP_NAMESZ > 64 ? IP_NAMESZ : 64];
	uint32_t v = attr_num(a);
	switch (s->how) {
	case PV_TARGETS: print_targets(c, s, a); return;
	case PV_IF:
		if (!v)
			return;
		snprintf(fmt, sizeof(fmt), "%s %%s ", s->label);
		emit_str(c->out, s->key, fmt, ip_ifname(c, v, b));
		return;
	case PV_MAC:
		snprintf(fmt, sizeof(fmt), "%s %%s ", s->label);
		emit_str(c->out, s->key, fmt,
			 ip_ll_addr(mnl_attr_get_payload(a), mnl_attr_get_payload_len(a), 1, b,
				    sizeof(b)));
		return;
	case PV_TBL8:
	case PV_TBL32:
		if (s->attr == IFLA_BOND_ARP_VALIDATE && !v && !emit_is_text(c->out)) {
			emit_null(c->out, s->key, NULL);
			return;
		}
		snprintf(fmt, sizeof(fmt), "%s %%s ", s->label);
		emit_str(c->out, s->key, fmt, tbl_name(s->tbl, v));
		return;
	default: snprintf(fmt, sizeof(fmt), "%s %%u ", s->label); emit_uint(c->out, s->key, fmt, v);
	}
}

void ip_bond_print(struct ip_ctx *c, const struct nlattr *data)
{
	const struct nlattr *tb[IFLA_BOND_MAX + 1];
	if (!data || nl_parse_nested(data, NULL, IFLA_BOND_MAX, tb) < 0)
		return;
	for (size_t i = 0; i < sizeof(shows) / sizeof(shows[0]); i++)
		if (tb[shows[i].attr])
			print_one(c, &shows[i], tb[shows[i].attr]);
}

/* ---- bond_slave ---- */

static const char bond_slave_usage[] = "Usage: ... bond_slave [ queue_id ID ] [ prio PRIORITY ]\n";

int ip_bond_slave_parse(struct ip_ctx *c, const char *kind, struct nlmsghdr *nlh, int argc,
			char **argv)
{
	(void)c;
	for (; argc > 0; argc -= 2, argv += 2) {
		bool q = ip_matches(argv[0], "queue_id");
		if (!q && !ip_matches(argv[0], "prio")) {
			if (!ip_matches(argv[0], "help"))
				fprintf(stderr, "bond_slave: unknown option \"%s\"?\n", argv[0]);
			fputs(bond_slave_usage, stderr);
			return 1;
		}
		if (argc < 2)
			return ip_incomplete(NULL);
		uint32_t v;
		if (q) {
			if (ip_get_u32(&v, argv[1], 0) < 0 || v > 0xffff)
				return ip_invarg("queue_id is invalid", argv[1]);
			mnl_attr_put_u16(nlh, IFLA_BOND_SLAVE_QUEUE_ID, (uint16_t)v);
		} else {
			char *end;
			long p = strtol(argv[1], &end, 0);
			if (!*argv[1] || *end || p < INT32_MIN || p > INT32_MAX)
				return ip_invarg("prio is invalid", argv[1]);
			mnl_attr_put_u32(nlh, IFLA_BOND_SLAVE_PRIO, (uint32_t)(int32_t)p);
		}
	}
	return 0;
}

static void print_state(struct ip_ctx *c, const char *key, const char *label,
			const char *const *names, unsigned n, unsigned v)
{
	char k[32], f[32];
	if (v < n) {
		snprintf(f, sizeof(f), "%s %%s ", label);
		emit_str(c->out, key, f, names[v]);
	} else {
		snprintf(k, sizeof(k), "%s_index", key);
		snprintf(f, sizeof(f), "%s %%d ", label);
		emit_int(c->out, k, f, (int)v);
	}
}

/* An LACP port state: its number, then its bits by name. */
static void print_port_state(struct ip_ctx *c, const char *key, unsigned v)
{
	static const char *const bits[] = {"active",	 "short_timeout", "aggregating", "in_sync",
					   "collecting", "distributing",  "defaulted",	 "expired"};
	char k[64], f[64];
	snprintf(f, sizeof(f), "%s %%d ", key);
	emit_int(c->out, key, f, (int)v);
	snprintf(k, sizeof(k), "%s_str", key);
	if (emit_is_text(c->out))
		emit_text(c->out, "%s <", k);
	else
		emit_arr_open(c->out, k);
	bool first = true;
	for (unsigned i = 0; i < 8; i++) {
		if (!(v & (1u << i)))
			continue;
		if (!first)
			emit_text(c->out, ",");
		emit_str(c->out, NULL, "%s", bits[i]);
		first = false;
	}
	if (emit_is_text(c->out))
		emit_text(c->out, "> ");
	else
		emit_arr_close(c->out);
}

void ip_bond_slave_print(struct ip_ctx *c, const struct nlattr *data)
{
	static const char *const states[] = {"ACTIVE", "BACKUP"};
	static const char *const mii[] = {"UP", "GOING_DOWN", "DOWN", "GOING_BACK"};
	const struct nlattr *tb[IFLA_BOND_SLAVE_MAX + 1];
	if (!data || nl_parse_nested(data, NULL, IFLA_BOND_SLAVE_MAX, tb) < 0)
		return;
	char b[64];
	if (tb[IFLA_BOND_SLAVE_STATE])
		print_state(c, "state", "state", states, 2, attr_num(tb[IFLA_BOND_SLAVE_STATE]));
	if (tb[IFLA_BOND_SLAVE_MII_STATUS])
		print_state(c, "mii_status", "mii_status", mii, 4,
			    attr_num(tb[IFLA_BOND_SLAVE_MII_STATUS]));
	if (tb[IFLA_BOND_SLAVE_LINK_FAILURE_COUNT])
		emit_int(c->out, "link_failure_count", "link_failure_count %d ",
			 (int)attr_num(tb[IFLA_BOND_SLAVE_LINK_FAILURE_COUNT]));
	if (tb[IFLA_BOND_SLAVE_PERM_HWADDR])
		emit_str(c->out, "perm_hwaddr", "perm_hwaddr %s ",
			 ip_ll_addr(mnl_attr_get_payload(tb[IFLA_BOND_SLAVE_PERM_HWADDR]),
				    mnl_attr_get_payload_len(tb[IFLA_BOND_SLAVE_PERM_HWADDR]), 0, b,
				    sizeof(b)));
	if (tb[IFLA_BOND_SLAVE_QUEUE_ID])
		emit_int(c->out, "queue_id", "queue_id %d ",
			 (int)attr_num(tb[IFLA_BOND_SLAVE_QUEUE_ID]));
	if (tb[IFLA_BOND_SLAVE_PRIO])
		emit_int(c->out, "prio", "prio %d ", (int)attr_num(tb[IFLA_BOND_SLAVE_PRIO]));
	if (tb[IFLA_BOND_SLAVE_AD_AGGREGATOR_ID])
		emit_int(c->out, "ad_aggregator_id", "ad_aggregator_id %d ",
			 (int)attr_num(tb[IFLA_BOND_SLAVE_AD_AGGREGATOR_ID]));
	if (tb[IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE])
		print_port_state(c, "ad_actor_oper_port_state",
				 attr_num(tb[IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE]));
	if (tb[IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE])
		print_port_state(c, "ad_partner_oper_port_state",
				 attr_num(tb[IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE]));
}
