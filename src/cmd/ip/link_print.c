/* SPDX-License-Identifier: Apache-2.0 */
/* Printing one RTM_NEWLINK message the way iproute2's print_linkinfo()
 * and print_linkinfo_brief() do, for `ip link` and `ip address`. */
#include <inttypes.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "cmd/ip/ip.h"
#include "cmd/ip/link_priv.h"
#include "lib/util/fmt.h"

static const char *const oper_states[] = {"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN",
					  "TESTING", "DORMANT",	   "UP"};

static const struct nl_policy link_pol[IFLA_MAX + 1] = {
	[IFLA_IFNAME] = {MNL_TYPE_NUL_STRING, 0},
	[IFLA_MTU] = {MNL_TYPE_U32, 0},
	[IFLA_LINK] = {MNL_TYPE_U32, 0},
	[IFLA_QDISC] = {MNL_TYPE_NUL_STRING, 0},
	[IFLA_MASTER] = {MNL_TYPE_U32, 0},
	[IFLA_OPERSTATE] = {MNL_TYPE_U8, 0},
	[IFLA_LINKMODE] = {MNL_TYPE_U8, 0},
	[IFLA_GROUP] = {MNL_TYPE_U32, 0},
	[IFLA_TXQLEN] = {MNL_TYPE_U32, 0},
	[IFLA_LINK_NETNSID] = {MNL_TYPE_U32, 0},
	[IFLA_PROMISCUITY] = {MNL_TYPE_U32, 0},
	[IFLA_ALLMULTI] = {MNL_TYPE_U32, 0},
	[IFLA_MIN_MTU] = {MNL_TYPE_U32, 0},
	[IFLA_MAX_MTU] = {MNL_TYPE_U32, 0},
	[IFLA_NUM_TX_QUEUES] = {MNL_TYPE_U32, 0},
	[IFLA_NUM_RX_QUEUES] = {MNL_TYPE_U32, 0},
	[IFLA_GSO_MAX_SIZE] = {MNL_TYPE_U32, 0},
	[IFLA_GSO_MAX_SEGS] = {MNL_TYPE_U32, 0},
	[IFLA_TSO_MAX_SIZE] = {MNL_TYPE_U32, 0},
	[IFLA_TSO_MAX_SEGS] = {MNL_TYPE_U32, 0},
	[IFLA_GRO_MAX_SIZE] = {MNL_TYPE_U32, 0},
	[IFLA_PROTO_DOWN] = {MNL_TYPE_U8, 0},
	[IFLA_IFALIAS] = {MNL_TYPE_NUL_STRING, 0},
	[IFLA_CARRIER_CHANGES] = {MNL_TYPE_U32, 0},
	[IFLA_STATS64] = {MNL_TYPE_BINARY, sizeof(struct rtnl_link_stats64)},
	[IFLA_STATS] = {MNL_TYPE_BINARY, sizeof(struct rtnl_link_stats)},
	[IFLA_LINKINFO] = {MNL_TYPE_NESTED, 0},
	[IFLA_AF_SPEC] = {MNL_TYPE_NESTED, 0},
	[IFLA_PROP_LIST] = {MNL_TYPE_NESTED, 0},
	[IFLA_NUM_VF] = {MNL_TYPE_U32, 0},
	[IFLA_VFINFO_LIST] = {MNL_TYPE_NESTED, 0},
	[IFLA_EVENT] = {MNL_TYPE_U32, 0},
	[IFLA_PARENT_DEV_NAME] = {MNL_TYPE_NUL_STRING, 0},
	[IFLA_PARENT_DEV_BUS_NAME] = {MNL_TYPE_NUL_STRING, 0},
	[IFLA_PHYS_PORT_NAME] = {MNL_TYPE_NUL_STRING, 0},
};

int ip_link_parse(const struct nlmsghdr *nlh, const struct ifinfomsg **ifi,
		  const struct nlattr **tb)
{
	if ((nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK) ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(struct ifinfomsg))
		return -1;
	*ifi = mnl_nlmsg_get_payload(nlh);
	if (nl_parse(nlh, sizeof(**ifi), link_pol, IFLA_MAX, tb) < 0 || !tb[IFLA_IFNAME])
		return -1;
	return 0;
}

/* Parse, and remember the link's name for later lookups. */
static int parse_remember(struct ip_ctx *c, const struct nlmsghdr *nlh,
			  const struct ifinfomsg **ifi, const struct nlattr **tb)
{
	if (ip_link_parse(nlh, ifi, tb) < 0)
		return -1;
	if (nlh->nlmsg_type != RTM_NEWLINK)
		return 0;
	/* events keep the first name learned for an index and take its new
	 * flags, as iproute2's ll_remember_index does */
	uint32_t idx = (uint32_t)(*ifi)->ifi_index;
	char b[IP_NAMESZ];
	const char *name = mnl_attr_get_str(tb[IFLA_IFNAME]);
	char old[IP_NAMESZ];
	if (c->monitor && ip_link_known(c, (int)idx)) {
		snprintf(old, sizeof(old), "%s", ip_ifname(c, idx, b));
		name = old;
	}
	ip_link_remember(c, idx, (*ifi)->ifi_flags, name);
	return 0;
}

static void flag(struct ip_ctx *c, unsigned *flags, unsigned bit, const char *name)
{
	if (!(*flags & bit))
		return;
	*flags &= ~bit;
	emit_str(c->out, NULL, *flags ? "%s," : "%s", name);
}

void ip_print_link_flags(struct ip_ctx *c, unsigned flags, bool mdown)
{
	struct emit *e = c->out;
	emit_arr_open(e, "flags");
	emit_text(e, "<");
	if ((flags & IFF_UP) && !(flags & IFF_RUNNING))
		emit_str(e, NULL, flags ? "%s," : "%s", "NO-CARRIER");
	flags &= ~IFF_RUNNING;
	flag(c, &flags, IFF_LOOPBACK, "LOOPBACK");
	flag(c, &flags, IFF_BROADCAST, "BROADCAST");
	flag(c, &flags, IFF_POINTOPOINT, "POINTOPOINT");
	flag(c, &flags, IFF_MULTICAST, "MULTICAST");
	flag(c, &flags, IFF_NOARP, "NOARP");
	flag(c, &flags, IFF_ALLMULTI, "ALLMULTI");
	flag(c, &flags, IFF_PROMISC, "PROMISC");
	flag(c, &flags, IFF_MASTER, "MASTER");
	flag(c, &flags, IFF_SLAVE, "SLAVE");
	flag(c, &flags, IFF_DEBUG, "DEBUG");
	flag(c, &flags, IFF_DYNAMIC, "DYNAMIC");
	flag(c, &flags, IFF_AUTOMEDIA, "AUTOMEDIA");
	flag(c, &flags, IFF_PORTSEL, "PORTSEL");
	flag(c, &flags, IFF_NOTRAILERS, "NOTRAILERS");
	flag(c, &flags, IFF_UP, "UP");
	flag(c, &flags, IFF_LOWER_UP, "LOWER_UP");
	flag(c, &flags, IFF_DORMANT, "DORMANT");
	flag(c, &flags, IFF_ECHO, "ECHO");
	if (flags) {
		char b[16];
		snprintf(b, sizeof(b), "%x", flags);
		emit_str(e, NULL, "%s", b);
	}
	if (mdown)
		emit_str(e, NULL, ",%s", "M-DOWN");
	emit_arr_close(e);
	emit_text(e, "> ");
}

static void print_operstate(struct ip_ctx *c, uint8_t state)
{
	if (state >= sizeof(oper_states) / sizeof(oper_states[0])) {
		emit_uint(c->out, "operstate_index", "state %#x ", state);
		return;
	}
	enum ip_color col = state == IF_OPER_UP	    ? COL_UP
			    : state == IF_OPER_DOWN ? COL_DOWN
						    : COL_NONE;
	if (c->brief) {
		ip_cstr(c, col, "operstate", "%-14s ", oper_states[state]);
		return;
	}
	emit_text(c->out, "state ");
	ip_cstr(c, col, "operstate", "%s ", oper_states[state]);
}

/* "name@link" (or @ifN, @NONE) and the M-DOWN bit of the lower link. */
static bool print_name_and_link(struct ip_ctx *c, const char *fmt, const char *name,
				const struct nlattr **tb)
{
	char b[64], nb[IP_NAMESZ];
	bool mdown = false;
	if (tb[IFLA_LINK]) {
		uint32_t iflink = mnl_attr_get_u32(tb[IFLA_LINK]);
		const char *link = NULL;
		if (iflink) {
			if (tb[IFLA_LINK_NETNSID]) {
				if (!emit_is_text(c->out))
					emit_int(c->out, "link_index", NULL, (int)iflink);
				snprintf(nb, sizeof(nb), "if%u", iflink);
				link = nb;
			} else {
				link = ip_ifname(c, iflink, nb);
				if (!emit_is_text(c->out))
					emit_str(c->out, "link", NULL, link);
				mdown = !(ip_ifflags(c, iflink) & IFF_UP);
			}
		} else {
			emit_null(c->out, "link", NULL);
			link = "NONE";
		}
		if (emit_is_text(c->out)) {
			snprintf(b, sizeof(b), "%s@%s", name, link);
			name = b;
		}
	}
	ip_cstr(c, COL_IFNAME, "ifname", fmt, name);
	return mdown;
}

int ip_print_link_brief(struct ip_ctx *c, const struct nlmsghdr *nlh, bool with_ll)
{
	const struct ifinfomsg *ifi;
	const struct nlattr *tb[IFLA_MAX + 1];
	if (parse_remember(c, nlh, &ifi, tb) < 0)
		return -1;
	if (nlh->nlmsg_type == RTM_DELLINK)
		emit_bool(c->out, "deleted", "Deleted ", true);
	bool mdown = print_name_and_link(c, "%-16s ", mnl_attr_get_str(tb[IFLA_IFNAME]), tb);
	if (tb[IFLA_OPERSTATE])
		print_operstate(c, mnl_attr_get_u8(tb[IFLA_OPERSTATE]));
	if (with_ll) {
		if (tb[IFLA_ADDRESS]) {
			char b[128];
			ip_cstr(c, COL_MAC, "address", "%s ",
				ip_ll_addr(mnl_attr_get_payload(tb[IFLA_ADDRESS]),
					   mnl_attr_get_payload_len(tb[IFLA_ADDRESS]),
					   ifi->ifi_type, b, sizeof(b)));
		}
		ip_print_link_flags(c, ifi->ifi_flags, mdown);
		emit_text(c->out, "\n");
	}
	return 0;
}

static void print_ll(struct ip_ctx *c, const struct ifinfomsg *ifi, const struct nlattr **tb)
{
	char b[128];
	ip_nl_sep(c);
	char tn[32];
	if (c->numeric)
		snprintf(tn, sizeof(tn), "[%u]", ifi->ifi_type);
	emit_str(c->out, "link_type", "    link/%s ",
		 c->numeric ? tn : ip_ll_type(ifi->ifi_type, tn, sizeof(tn)));
	if (tb[IFLA_ADDRESS])
		ip_cstr(c, COL_MAC, "address", "%s",
			ip_ll_addr(mnl_attr_get_payload(tb[IFLA_ADDRESS]),
				   mnl_attr_get_payload_len(tb[IFLA_ADDRESS]), ifi->ifi_type, b,
				   sizeof(b)));
	if (tb[IFLA_BROADCAST]) {
		if (ifi->ifi_flags & IFF_POINTOPOINT) {
			emit_text(c->out, " peer ");
			emit_bool(c->out, "link_pointtopoint", NULL, true);
		} else {
			emit_text(c->out, " brd ");
		}
		ip_cstr(c, COL_MAC, "broadcast", "%s",
			ip_ll_addr(mnl_attr_get_payload(tb[IFLA_BROADCAST]),
				   mnl_attr_get_payload_len(tb[IFLA_BROADCAST]), ifi->ifi_type, b,
				   sizeof(b)));
	}
}

static void print_netnsid(struct ip_ctx *c, const struct nlattr *a)
{
	int id = (int)mnl_attr_get_u32(a);
	if (!emit_is_text(c->out)) {
		emit_int(c->out, "link_netnsid", NULL, id);
		return;
	}
	if (id < 0) {
		emit_text(c->out, " link-netnsid unknown");
		return;
	}
	char name[256];
	if (ip_netns_name_of_id(c, id, name, sizeof(name)) == 0)
		emit_str(c->out, NULL, " link-netns %s", name);
	else
		emit_int(c->out, NULL, " link-netnsid %d", id);
}

static void u32_attr(struct ip_ctx *c, const struct nlattr *a, const char *key, const char *fmt)
{
	if (a)
		emit_uint(c->out, key, fmt, mnl_attr_get_u32(a));
}

static void print_details(struct ip_ctx *c, const struct nlattr **tb, bool addr_show)
{
	u32_attr(c, tb[IFLA_PROMISCUITY], "promiscuity", " promiscuity %u ");
	u32_attr(c, tb[IFLA_ALLMULTI], "allmulti", " allmulti %u ");
	u32_attr(c, tb[IFLA_MIN_MTU], "min_mtu", "minmtu %u ");
	u32_attr(c, tb[IFLA_MAX_MTU], "max_mtu", "maxmtu %u ");
	if (tb[IFLA_LINKINFO])
		ip_print_linkinfo(c, tb[IFLA_LINKINFO]);
	if (!addr_show && tb[IFLA_AF_SPEC])
		ip_print_af_spec(c, tb[IFLA_AF_SPEC]);
	u32_attr(c, tb[IFLA_NUM_TX_QUEUES], "num_tx_queues", "numtxqueues %u ");
	u32_attr(c, tb[IFLA_NUM_RX_QUEUES], "num_rx_queues", "numrxqueues %u ");
	u32_attr(c, tb[IFLA_GSO_MAX_SIZE], "gso_max_size", "gso_max_size %u ");
	u32_attr(c, tb[IFLA_GSO_MAX_SEGS], "gso_max_segs", "gso_max_segs %u ");
	u32_attr(c, tb[IFLA_TSO_MAX_SIZE], "tso_max_size", "tso_max_size %u ");
	u32_attr(c, tb[IFLA_TSO_MAX_SEGS], "tso_max_segs", "tso_max_segs %u ");
	u32_attr(c, tb[IFLA_GRO_MAX_SIZE], "gro_max_size", "gro_max_size %u ");
	if (tb[IFLA_PHYS_PORT_NAME])
		emit_str(c->out, "phys_port_name", "portname %s ",
			 mnl_attr_get_str(tb[IFLA_PHYS_PORT_NAME]));
	if (tb[IFLA_PARENT_DEV_BUS_NAME])
		emit_str(c->out, "parentbus", "parentbus %s ",
			 mnl_attr_get_str(tb[IFLA_PARENT_DEV_BUS_NAME]));
	if (tb[IFLA_PARENT_DEV_NAME])
		emit_str(c->out, "parentdev", "parentdev %s ",
			 mnl_attr_get_str(tb[IFLA_PARENT_DEV_NAME]));
}

static void print_altnames(struct ip_ctx *c, const struct nlattr *list)
{
	const struct nlattr *a;
	bool open = false;
	mnl_attr_for_each_nested(a, list)
	{
		if (mnl_attr_get_type(a) != IFLA_ALT_IFNAME ||
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
			continue;
		if (!open) {
			emit_arr_open(c->out, "altnames");
			open = true;
		}
		ip_nl_sep(c);
		emit_str(c->out, NULL, "    altname %s", mnl_attr_get_str(a));
	}
	if (open)
		emit_arr_close(c->out);
}

/* The first line: index, name, flags, mtu, qdisc, master, state, ... */
static bool print_head(struct ip_ctx *c, const struct ifinfomsg *ifi, const struct nlattr **tb,
		       bool addr_show)
{
	char b[64];
	emit_int(c->out, "ifindex", "%d: ", ifi->ifi_index);
	bool mdown = print_name_and_link(c, "%s: ", mnl_attr_get_str(tb[IFLA_IFNAME]), tb);
	ip_print_link_flags(c, ifi->ifi_flags, mdown);
	u32_attr(c, tb[IFLA_MTU], "mtu", "mtu %u ");
	if (tb[IFLA_QDISC])
		emit_str(c->out, "qdisc", "qdisc %s ", mnl_attr_get_str(tb[IFLA_QDISC]));
	if (tb[IFLA_MASTER]) {
		char nb[IP_NAMESZ];
		emit_str(c->out, "master", "master %s ",
			 ip_ifname(c, mnl_attr_get_u32(tb[IFLA_MASTER]), nb));
	}
	if (tb[IFLA_OPERSTATE])
		print_operstate(c, mnl_attr_get_u8(tb[IFLA_OPERSTATE]));
	if (!addr_show && tb[IFLA_LINKMODE]) {
		unsigned mode = mnl_attr_get_u8(tb[IFLA_LINKMODE]);
		static const char *const modes[] = {"DEFAULT", "DORMANT", "TESTING"};
		if (mode < 3)
			emit_str(c->out, "linkmode", "mode %s ", modes[mode]);
		else
			emit_int(c->out, "linkmode_index", "mode %d ", (int)mode);
	}
	if (tb[IFLA_GROUP])
		emit_str(c->out, "group", "group %s ",
			 ip_name(c, IPT_GROUP, mnl_attr_get_u32(tb[IFLA_GROUP]), b, sizeof(b)));
	int qlen = tb[IFLA_TXQLEN] ? (int)mnl_attr_get_u32(tb[IFLA_TXQLEN])
				   : ip_txqlen(mnl_attr_get_str(tb[IFLA_IFNAME]));
	if (qlen && !c->monitor)
		emit_int(c->out, "txqlen", "qlen %d", qlen);
	if (tb[IFLA_EVENT])
		ip_print_link_event(c, mnl_attr_get_u32(tb[IFLA_EVENT]));
	return mdown;
}

int ip_print_link(struct ip_ctx *c, const struct nlmsghdr *nlh, bool addr_show)
{
	const struct ifinfomsg *ifi;
	const struct nlattr *tb[IFLA_MAX + 1];
	if (parse_remember(c, nlh, &ifi, tb) < 0)
		return -1;
	if (nlh->nlmsg_type == RTM_DELLINK)
		emit_bool(c->out, "deleted", "Deleted ", true);
	print_head(c, ifi, tb, addr_show);
	if (!c->family || c->family == AF_PACKET || c->details || c->monitor)
		print_ll(c, ifi, tb);
	if (tb[IFLA_LINK_NETNSID])
		print_netnsid(c, tb[IFLA_LINK_NETNSID]);
	if (tb[IFLA_PROTO_DOWN] && mnl_attr_get_u8(tb[IFLA_PROTO_DOWN]))
		emit_bool(c->out, "proto_down", " protodown on ", true);
	if (c->details)
		print_details(c, tb, addr_show);
	if ((!addr_show || c->details) && tb[IFLA_IFALIAS]) {
		ip_nl_sep(c);
		emit_str(c->out, "ifalias", "    alias %s", mnl_attr_get_str(tb[IFLA_IFALIAS]));
	}
	if (!addr_show && c->stats) {
		ip_nl_sep(c);
		ip_print_link_stats(c, (uint32_t)ifi->ifi_index, tb);
	}
	if ((!addr_show || c->details) && tb[IFLA_VFINFO_LIST] && tb[IFLA_NUM_VF])
		ip_print_vfinfo_list(c, ifi, tb[IFLA_VFINFO_LIST]);
	if (tb[IFLA_PROP_LIST])
		print_altnames(c, tb[IFLA_PROP_LIST]);
	emit_text(c->out, "\n");
	return 0;
}
