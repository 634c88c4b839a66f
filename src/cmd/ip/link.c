/* SPDX-License-Identifier: Apache-2.0 */
/* ip link: show (streamed straight from the dump), set, add, delete. */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "cmd/ip/ip.h"
#include "cmd/ip/link_priv.h"

struct link_show {
	struct ip_ctx *c;
	int ifindex;
	bool up;
	int64_t group; /* -1: any */
	int master;    /* -1: any; 0: nomaster */
	const char *kind;
};

static bool kind_is(const struct nlattr *linkinfo, const char *kind)
{
	const struct nlattr *li[IFLA_INFO_MAX + 1];
	if (!linkinfo || nl_parse_nested(linkinfo, NULL, IFLA_INFO_MAX, li) < 0 ||
	    !li[IFLA_INFO_KIND] || mnl_attr_validate(li[IFLA_INFO_KIND], MNL_TYPE_NUL_STRING) < 0)
		return false;
	return !strcmp(mnl_attr_get_str(li[IFLA_INFO_KIND]), kind);
}

bool ip_link_filter_ok(const struct nlmsghdr *nlh, int ifindex, bool up, int64_t group, int master,
		       const char *kind)
{
	const struct ifinfomsg *ifi;
	const struct nlattr *tb[IFLA_MAX + 1];
	if (ip_link_parse(nlh, &ifi, tb) < 0)
		return false;
	if (ifindex && ifi->ifi_index != ifindex)
		return false;
	if (up && !(ifi->ifi_flags & IFF_UP))
		return false;
	if (group >= 0 && (!tb[IFLA_GROUP] || mnl_attr_get_u32(tb[IFLA_GROUP]) != group))
		return false;
	if (master >= 0) {
		uint32_t m = tb[IFLA_MASTER] ? mnl_attr_get_u32(tb[IFLA_MASTER]) : 0;
		if ((int)m != master)
			return false;
	}
	if (kind && !kind_is(tb[IFLA_LINKINFO], kind))
		return false;
	return true;
}

static int on_link(const struct nlmsghdr *nlh, void *data)
{
	struct link_show *ls = data;
	struct ip_ctx *c = ls->c;
	if (!ip_link_filter_ok(nlh, ls->ifindex, ls->up, ls->group, ls->master, ls->kind))
		return MNL_CB_OK;
	emit_obj_open(c->out, NULL);
	if (c->brief)
		ip_print_link_brief(c, nlh, true);
	else
		ip_print_link(c, nlh, false);
	emit_obj_close(c->out);
	return MNL_CB_OK;
}

/* The selectors `ip link show` and `ip address show` share. Returns
 * 0, or an exit status. */
int ip_parse_link_filter(struct ip_ctx *c, int argc, char **argv, struct ip_link_sel *sel)
{
	memset(sel, 0, sizeof(*sel));
	sel->group = -1;
	sel->master = -1;
	for (; argc > 0; argc--, argv++) {
		const char *a = argv[0];
		if (!strcmp(a, "up")) {
			sel->up = true;
		} else if (!strcmp(a, "group") || !strcmp(a, "master") || !strcmp(a, "type") ||
			   !strcmp(a, "dev") || !strcmp(a, "label") || !strcmp(a, "scope") ||
			   !strcmp(a, "to") || !strcmp(a, "vrf")) {
			if (argc < 2)
				return ip_incomplete(a);
			const char *v = argv[1];
			argc--;
			argv++;
			if (!strcmp(a, "group")) {
				uint32_t g;
				if (ip_name_id(c, IPT_GROUP, v, &g) < 0)
					return ip_invarg("Invalid \"group\" value\n", v);
				sel->group = g;
			} else if (!strcmp(a, "master") || !strcmp(a, "vrf")) {
				int idx = ip_ifindex(c, v);
				if (!idx) {
					fprintf(stderr, "Device \"%s\" does not exist.\n", v);
					return 1;
				}
				sel->master = idx;
			} else if (!strcmp(a, "type")) {
				sel->kind = v;
			} else if (!strcmp(a, "dev")) {
				if (sel->dev)
					return ip_duparg2("dev", v);
				sel->dev = v;
			} else if (!strcmp(a, "label")) {
				sel->label = v;
			} else if (!strcmp(a, "scope")) {
				uint32_t s;
				if (ip_name_id(c, IPT_SCOPE, v, &s) < 0 && strcmp(v, "all"))
					return ip_invarg("invalid \"scope\"\n", v);
				sel->scope = strcmp(v, "all") ? (int)s : -1;
				sel->has_scope = strcmp(v, "all") != 0;
			} else {
				if (ip_get_prefix(&sel->to, v, c->family) < 0) {
					fprintf(stderr,
						"Error: %s prefix is expected rather than "
						"\"%s\".\n",
						c->family == AF_INET6  ? "inet6"
						: c->family == AF_INET ? "inet"
								       : "any valid",
						v);
					return 1;
				}
				sel->has_to = true;
			}
		} else if (!strcmp(a, "nomaster")) {
			sel->master = 0;
		} else if (ip_addr_flag_filter(a, sel) == 0) {
			/* address flags; ip link show takes and ignores them */
		} else {
			if (!strcmp(a, "help"))
				return ip_link_usage();
			if (sel->dev)
				return ip_duparg2("dev", a);
			sel->dev = a;
		}
	}
	if (sel->dev) {
		sel->ifindex = ip_ifindex(c, sel->dev);
		if (!sel->ifindex) {
			fprintf(stderr, "Device \"%s\" does not exist.\n", sel->dev);
			return 1;
		}
	}
	return 0;
}

/* Look-ahead over each received buffer: the links about to be printed
 * often name one further on (a veth's peer comes right after it). */
static int remember_link(const struct nlmsghdr *nlh, void *data)
{
	struct ip_ctx *c = data;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	if (nlh->nlmsg_type != RTM_NEWLINK || mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi))
		return MNL_CB_OK;
	const struct nlattr *a;
	/* only the name is wanted: no full parse here */
	mnl_attr_for_each(a, nlh, sizeof(*ifi))
	{
		if (mnl_attr_get_type(a) == IFLA_IFNAME) {
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
				ip_link_remember(c, (uint32_t)ifi->ifi_index, ifi->ifi_flags,
						 mnl_attr_get_str(a));
			break;
		}
	}
	return MNL_CB_OK;
}

int ip_link_dump(struct ip_ctx *c, int family, int ifindex, nl_cb cb, void *data, bool want_stats)
{
	struct nl_sock *s;
	if (ip_nl(c, &s) < 0)
		return 1;
	char buf[128];
	struct nlmsghdr *nlh = nl_msg_start(s, buf, RTM_GETLINK, ifindex ? 0 : NLM_F_DUMP);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	/* one link comes whole whatever the family (no per-family reply) */
	ifi->ifi_family = (uint8_t)(ifindex ? AF_UNSPEC : family);
	ifi->ifi_index = ifindex;
	/* counters cost the kernel time; leave them out unless shown (the
	 * per-family dumps take no attributes under strict checking) */
	if (ifindex || family == AF_UNSPEC || family == AF_PACKET)
		mnl_attr_put_u32(nlh, IFLA_EXT_MASK,
				 RTEXT_FILTER_VF | (want_stats ? 0 : RTEXT_FILTER_SKIP_STATS));
	struct nl_err err;
	if (nl_dump_lookahead(s, nlh, ifindex ? NULL : remember_link, c, cb, data, &err) < 0) {
		emit_flush(c->out);
		ip_err_nl(c, &err, NULL);
		fprintf(stderr, "Dump terminated\n");
		return 1;
	}
	return 0;
}

static int link_show(struct ip_ctx *c, int argc, char **argv)
{
	struct ip_link_sel sel;
	int r = ip_parse_link_filter(c, argc, argv, &sel);
	if (r)
		return r;
	struct link_show ls = {c, sel.ifindex, sel.up, sel.group, sel.master, sel.kind};
	/* as iproute2: link/ether lines whatever -4/-6 said (iproute2 also
	 * keeps this family for the rest of a -batch; netkit does not) */
	int family = c->family;
	c->family = AF_PACKET;
	/* one link's counters come with it; many links' apart (link_detail.c) */
	bool stats_apart = c->stats && !sel.ifindex && ip_stats_load(c) == 0;
	emit_arr_open(c->out, NULL);
	r = ip_link_dump(c, AF_UNSPEC, sel.ifindex, on_link, &ls, c->stats > 0 && !stats_apart);
	emit_arr_close(c->out);
	ip_stats_free(c);
	c->family = family;
	return r;
}

int ip_link_usage(void)
{
	/* iproute2 6.1's words */
	fputs("Usage: ip link add [link DEV | parentdev NAME] [ name ] NAME\n"
	      "\t\t    [ txqueuelen PACKETS ]\n"
	      "\t\t    [ address LLADDR ]\n"
	      "\t\t    [ broadcast LLADDR ]\n"
	      "\t\t    [ mtu MTU ] [index IDX ]\n"
	      "\t\t    [ numtxqueues QUEUE_COUNT ]\n"
	      "\t\t    [ numrxqueues QUEUE_COUNT ]\n"
	      "\t\t    [ netns { PID | NAME } ]\n"
	      "\t\t    type TYPE [ ARGS ]\n"
	      "\n"
	      "\tip link delete { DEVICE | dev DEVICE | group DEVGROUP } type TYPE [ ARGS ]\n"
	      "\n"
	      "\tip link set { DEVICE | dev DEVICE | group DEVGROUP }\n"
	      "\t\t\t[ { up | down } ]\n"
	      "\t\t\t[ type TYPE ARGS ]\n"
	      "\t\t[ arp { on | off } ]\n"
	      "\t\t[ dynamic { on | off } ]\n"
	      "\t\t[ multicast { on | off } ]\n"
	      "\t\t[ allmulticast { on | off } ]\n"
	      "\t\t[ promisc { on | off } ]\n"
	      "\t\t[ trailers { on | off } ]\n"
	      "\t\t[ carrier { on | off } ]\n"
	      "\t\t[ txqueuelen PACKETS ]\n"
	      "\t\t[ name NEWNAME ]\n"
	      "\t\t[ address LLADDR ]\n"
	      "\t\t[ broadcast LLADDR ]\n"
	      "\t\t[ mtu MTU ]\n"
	      "\t\t[ netns { PID | NAME } ]\n"
	      "\t\t[ link-netns NAME | link-netnsid ID ]\n"
	      "\t\t[ alias NAME ]\n"
	      "\t\t[ vf NUM [ mac LLADDR ]\n"
	      "\t\t\t [ vlan VLANID [ qos VLAN-QOS ] [ proto VLAN-PROTO ] ]\n"
	      "\t\t\t [ rate TXRATE ]\n"
	      "\t\t\t [ max_tx_rate TXRATE ]\n"
	      "\t\t\t [ min_tx_rate TXRATE ]\n"
	      "\t\t\t [ spoofchk { on | off} ]\n"
	      "\t\t\t [ query_rss { on | off} ]\n"
	      "\t\t\t [ state { auto | enable | disable} ]\n"
	      "\t\t\t [ trust { on | off} ]\n"
	      "\t\t\t [ node_guid EUI64 ]\n"
	      "\t\t\t [ port_guid EUI64 ] ]\n"
	      "\t\t[ { xdp | xdpgeneric | xdpdrv | xdpoffload } { off |\n"
	      "\t\t\t  object FILE [ { section | program } NAME ] [ verbose ] |\n"
	      "\t\t\t  pinned FILE } ]\n"
	      "\t\t[ master DEVICE ][ vrf NAME ]\n"
	      "\t\t[ nomaster ]\n"
	      "\t\t[ addrgenmode { eui64 | none | stable_secret | random } ]\n"
	      "\t\t[ protodown { on | off } ]\n"
	      "\t\t[ protodown_reason PREASON { on | off } ]\n"
	      "\t\t[ gso_max_size BYTES ] | [ gso_max_segs PACKETS ]\n"
	      "\t\t[ gro_max_size BYTES ]\n"
	      "\n"
	      "\tip link show [ DEVICE | group GROUP ] [up] [master DEV] [vrf NAME] [type TYPE]\n"
	      "\t\t[nomaster]\n"
	      "\n"
	      "\tip link xstats type TYPE [ ARGS ]\n"
	      "\n"
	      "\tip link afstats [ dev DEVICE ]\n"
	      "\tip link property add dev DEVICE [ altname NAME .. ]\n"
	      "\tip link property del dev DEVICE [ altname NAME .. ]\n"
	      "\n"
	      "\tip link help [ TYPE ]\n"
	      "\n"
	      "TYPE := { amt | bareudp | bond | bond_slave | bridge | bridge_slave |\n"
	      "          dsa | dummy | erspan | geneve | gre | gretap | gtp | ifb |\n"
	      "          ip6erspan | ip6gre | ip6gretap | ip6tnl |\n"
	      "          ipip | ipoib | ipvlan | ipvtap |\n"
	      "          macsec | macvlan | macvtap |\n"
	      "          netdevsim | nlmon | rmnet | sit | team | team_slave |\n"
	      "          vcan | veth | vlan | vrf | vti | vxcan | vxlan | wwan |\n"
	      "          xfrm | virt_wifi }\n",
	      stderr);
	return 255;
}

int ip_link(struct ip_ctx *c, int argc, char **argv)
{
	if (argc < 1)
		return link_show(c, 0, NULL);
	const char *cmd = argv[0];
	if (ip_matches(cmd, "add"))
		return ip_link_change(c, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, argc - 1,
				      argv + 1);
	if (ip_matches(cmd, "set") || ip_matches(cmd, "change"))
		return ip_link_change(c, RTM_NEWLINK, 0, argc - 1, argv + 1);
	if (ip_matches(cmd, "replace"))
		return ip_link_change(c, RTM_NEWLINK, NLM_F_CREATE | NLM_F_REPLACE, argc - 1,
				      argv + 1);
	if (ip_matches(cmd, "delete"))
		return ip_link_change(c, RTM_DELLINK, 0, argc - 1, argv + 1);
	if (ip_matches(cmd, "show") || ip_matches(cmd, "lst") || ip_matches(cmd, "list"))
		return link_show(c, argc - 1, argv + 1);
	if (ip_matches(cmd, "help"))
		return ip_link_usage();
	fprintf(stderr, "Command \"%s\" is unknown, try \"ip link help\".\n", cmd);
	return 255;
}
