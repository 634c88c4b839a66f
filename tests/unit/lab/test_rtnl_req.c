/* SPDX-License-Identifier: Apache-2.0 */
/* rtnetlink request builders: what they put on the wire, parsed back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <string.h>

#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include "lib/nl/nl.h"
#include "lib/nl/rtnl_req.h"

static void test_prefix_parse(void **state)
{
	(void)state;
	struct rtnl_prefix p;
	assert_int_equal(rtnl_prefix_parse("198.18.1.2/24", 0, &p), 0);
	assert_int_equal(p.family, AF_INET);
	assert_int_equal(p.len, 24);
	assert_memory_equal(p.addr, "\xc6\x12\x01\x02", 4);
	assert_int_equal(rtnl_prefix_parse("2001:db8::1", 0, &p), 0);
	assert_int_equal(p.family, AF_INET6);
	assert_int_equal(p.len, 128);
	assert_int_equal(rtnl_prefix_parse("default", AF_INET6, &p), 0);
	assert_int_equal(p.family, AF_INET6);
	assert_int_equal(p.len, 0);
	assert_int_equal(rtnl_prefix_parse("default", 0, &p), 0);
	assert_int_equal(p.family, AF_INET);
	const char *bad[] = {"198.18.1.2/33", "2001:db8::/129", "1.2.3/8",    "x", "1.2.3.4/",
			     "1.2.3.4/-1",    "1.2.3.4/+8",	"1.2.3.4/8x", ""};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(rtnl_prefix_parse(bad[i], 0, &p), -EINVAL);
	assert_int_equal(rtnl_prefix_parse("1.2.3.4", AF_INET6, &p), -EINVAL);
	char buf[64];
	rtnl_prefix_parse("2001:db8:3::10/64", 0, &p);
	assert_string_equal(rtnl_prefix_str(&p, true, buf, sizeof(buf)), "2001:db8:3::10/64");
	assert_string_equal(rtnl_prefix_str(&p, false, buf, sizeof(buf)), "2001:db8:3::10");
}

static void test_prefix_contains(void **state)
{
	(void)state;
	struct rtnl_prefix net, a;
	rtnl_prefix_parse("198.19.0.0/16", 0, &net);
	rtnl_prefix_parse("198.19.200.1", 0, &a);
	assert_true(rtnl_prefix_contains(&net, &a));
	rtnl_prefix_parse("198.18.200.1", 0, &a);
	assert_false(rtnl_prefix_contains(&net, &a));
	rtnl_prefix_parse("198.18.0.0/15", 0, &net);
	assert_true(rtnl_prefix_contains(&net, &a));
	rtnl_prefix_parse("2001:db8:3::/64", 0, &net);
	assert_false(rtnl_prefix_contains(&net, &a)); /* other family */
	rtnl_prefix_parse("2001:db8:3::10", 0, &a);
	assert_true(rtnl_prefix_contains(&net, &a));
	rtnl_prefix_parse("0.0.0.0/0", 0, &net);
	rtnl_prefix_parse("1.2.3.4", 0, &a);
	assert_true(rtnl_prefix_contains(&net, &a));
}

static void test_veth_into_namespaces(void **state)
{
	(void)state;
	char buf[RTNL_REQ_BUFSZ];
	struct rtnl_link_req l = {.name = "eth0",
				  .kind = "veth",
				  .peer = "eth1",
				  .has_netns = true,
				  .netns_fd = 7,
				  .has_peer_netns = true,
				  .peer_netns_fd = 9,
				  .flags = IFF_UP,
				  .change = IFF_UP};
	struct nlmsghdr *nlh = rtnl_link_build(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &l);
	assert_int_equal(nlh->nlmsg_type, RTM_NEWLINK);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL);
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifm->ifi_flags, IFF_UP);
	assert_int_equal(ifm->ifi_change, IFF_UP);
	const struct nlattr *tb[IFLA_MAX + 1];
	assert_int_equal(nl_parse(nlh, sizeof(*ifm), NULL, IFLA_MAX, tb), 0);
	assert_string_equal(mnl_attr_get_str(tb[IFLA_IFNAME]), "eth0");
	assert_int_equal(mnl_attr_get_u32(tb[IFLA_NET_NS_FD]), 7);
	assert_null(tb[IFLA_MASTER]);
	const struct nlattr *info[IFLA_INFO_MAX + 1];
	assert_int_equal(nl_parse_nested(tb[IFLA_LINKINFO], NULL, IFLA_INFO_MAX, info), 0);
	assert_string_equal(mnl_attr_get_str(info[IFLA_INFO_KIND]), "veth");
	const struct nlattr *data[VETH_INFO_MAX + 1];
	assert_int_equal(nl_parse_nested(info[IFLA_INFO_DATA], NULL, VETH_INFO_MAX, data), 0);
	const struct nlattr *peer = data[VETH_INFO_PEER];
	assert_non_null(peer);
	/* the peer nest starts with its own ifinfomsg, then attributes */
	const char *p = mnl_attr_get_payload(peer);
	size_t plen = mnl_attr_get_payload_len(peer);
	assert_true(plen > sizeof(struct ifinfomsg));
	const struct nlattr *ptb[IFLA_MAX + 1];
	assert_int_equal(nl_parse_buf(p + sizeof(struct ifinfomsg), plen - sizeof(struct ifinfomsg),
				      NULL, IFLA_MAX, ptb),
			 0);
	assert_string_equal(mnl_attr_get_str(ptb[IFLA_IFNAME]), "eth1");
	assert_int_equal(mnl_attr_get_u32(ptb[IFLA_NET_NS_FD]), 9);
}

static void test_link_set_master(void **state)
{
	(void)state;
	char buf[RTNL_REQ_BUFSZ];
	struct rtnl_link_req l = {.ifindex = 4, .master = 3, .mtu = 1400};
	struct nlmsghdr *nlh = rtnl_link_build(buf, RTM_NEWLINK, 0, &l);
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifm->ifi_index, 4);
	const struct nlattr *tb[IFLA_MAX + 1];
	nl_parse(nlh, sizeof(*ifm), NULL, IFLA_MAX, tb);
	assert_null(tb[IFLA_IFNAME]);
	assert_null(tb[IFLA_LINKINFO]);
	assert_null(tb[IFLA_NET_NS_FD]);
	assert_int_equal(mnl_attr_get_u32(tb[IFLA_MASTER]), 3);
	assert_int_equal(mnl_attr_get_u32(tb[IFLA_MTU]), 1400);
	l.master = RTNL_NOMASTER;
	nlh = rtnl_link_build(buf, RTM_NEWLINK, 0, &l);
	nl_parse(nlh, sizeof(*ifm), NULL, IFLA_MAX, tb);
	assert_int_equal(mnl_attr_get_u32(tb[IFLA_MASTER]), 0);
}

static void test_addr(void **state)
{
	(void)state;
	char buf[RTNL_REQ_BUFSZ];
	struct rtnl_addr_req a = {.ifindex = 5, .broadcast = true};
	rtnl_prefix_parse("198.18.3.1/24", 0, &a.local);
	struct nlmsghdr *nlh = rtnl_addr_build(buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &a);
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifa->ifa_family, AF_INET);
	assert_int_equal(ifa->ifa_prefixlen, 24);
	assert_int_equal(ifa->ifa_index, 5);
	const struct nlattr *tb[IFA_MAX + 1];
	nl_parse(nlh, sizeof(*ifa), NULL, IFA_MAX, tb);
	assert_memory_equal(mnl_attr_get_payload(tb[IFA_LOCAL]), a.local.addr, 4);
	assert_memory_equal(mnl_attr_get_payload(tb[IFA_ADDRESS]), a.local.addr, 4);
	assert_memory_equal(mnl_attr_get_payload(tb[IFA_BROADCAST]), "\xc6\x12\x03\xff", 4);
	assert_null(tb[IFA_FLAGS]);

	struct rtnl_addr_req b = {.ifindex = 6, .flags = IFA_F_NODAD, .broadcast = true};
	rtnl_prefix_parse("2001:db8:3::1/64", 0, &b.local);
	nlh = rtnl_addr_build(buf, RTM_NEWADDR, 0, &b);
	ifa = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifa->ifa_family, AF_INET6);
	assert_int_equal(ifa->ifa_flags, IFA_F_NODAD);
	nl_parse(nlh, sizeof(*ifa), NULL, IFA_MAX, tb);
	assert_int_equal(mnl_attr_get_payload_len(tb[IFA_LOCAL]), 16);
	assert_null(tb[IFA_BROADCAST]);		     /* IPv6 has none */
	b.flags = IFA_F_NODAD | IFA_F_NOPREFIXROUTE; /* past 8 bits: IFA_FLAGS */
	nlh = rtnl_addr_build(buf, RTM_NEWADDR, 0, &b);
	nl_parse(nlh, sizeof(*ifa), NULL, IFA_MAX, tb);
	assert_int_equal(mnl_attr_get_u32(tb[IFA_FLAGS]), IFA_F_NODAD | IFA_F_NOPREFIXROUTE);
}

static const struct rtmsg *route(char *buf, const char *dst, const char *gw, uint8_t type, int oif,
				 const struct nlattr **tb)
{
	struct rtnl_route_req r = {.type = type, .oif = oif};
	rtnl_prefix_parse(dst, gw && strchr(gw, ':') ? AF_INET6 : 0, &r.dst);
	if (gw)
		rtnl_prefix_parse(gw, 0, &r.gw);
	struct nlmsghdr *nlh = rtnl_route_build(buf, RTM_NEWROUTE, NLM_F_CREATE, &r);
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	nl_parse(nlh, sizeof(*rtm), NULL, RTA_MAX, tb);
	return rtm;
}

static void test_routes(void **state)
{
	(void)state;
	char buf[RTNL_REQ_BUFSZ];
	const struct nlattr *tb[RTA_MAX + 1];
	const struct rtmsg *rtm = route(buf, "default", "198.18.1.1", 0, 0, tb);
	assert_int_equal(rtm->rtm_family, AF_INET);
	assert_int_equal(rtm->rtm_dst_len, 0);
	assert_int_equal(rtm->rtm_table, RT_TABLE_MAIN);
	assert_int_equal(rtm->rtm_type, RTN_UNICAST);
	assert_int_equal(rtm->rtm_protocol, RTPROT_BOOT);
	assert_int_equal(rtm->rtm_scope, RT_SCOPE_UNIVERSE);
	assert_null(tb[RTA_DST]);
	assert_memory_equal(mnl_attr_get_payload(tb[RTA_GATEWAY]), "\xc6\x12\x01\x01", 4);

	rtm = route(buf, "198.19.0.0/16", NULL, RTN_LOCAL, 1, tb);
	assert_int_equal(rtm->rtm_table, RT_TABLE_LOCAL);
	assert_int_equal(rtm->rtm_scope, RT_SCOPE_HOST);
	assert_int_equal(rtm->rtm_dst_len, 16);
	assert_int_equal(mnl_attr_get_u32(tb[RTA_OIF]), 1);
	assert_memory_equal(mnl_attr_get_payload(tb[RTA_DST]), "\xc6\x13\x00\x00", 4);

	rtm = route(buf, "10.0.0.0/8", NULL, 0, 2, tb); /* on-link */
	assert_int_equal(rtm->rtm_scope, RT_SCOPE_LINK);

	rtm = route(buf, "default", "2001:db8:1::1", 0, 0, tb);
	assert_int_equal(rtm->rtm_family, AF_INET6);
	assert_int_equal(mnl_attr_get_payload_len(tb[RTA_GATEWAY]), 16);

	struct rtnl_route_req r = {.table = 1000};
	rtnl_prefix_parse("10.0.0.0/8", 0, &r.dst);
	rtnl_prefix_parse("fe80::1", 0, &r.gw); /* IPv4 route, IPv6 next hop */
	struct nlmsghdr *nlh = rtnl_route_build(buf, RTM_NEWROUTE, 0, &r);
	rtm = mnl_nlmsg_get_payload(nlh);
	nl_parse(nlh, sizeof(*rtm), NULL, RTA_MAX, tb);
	assert_int_equal(rtm->rtm_table, RT_TABLE_UNSPEC);
	assert_int_equal(mnl_attr_get_u32(tb[RTA_TABLE]), 1000);
	assert_null(tb[RTA_GATEWAY]);
	assert_int_equal(mnl_attr_get_payload_len(tb[RTA_VIA]), 18);
}

static void test_multipath(void **state)
{
	(void)state;
	char buf[RTNL_REQ_BUFSZ];
	const struct nlattr *tb[RTA_MAX + 1];
	struct rtnl_nh_req nh[2] = {{.oif = 3}, {.oif = 0, .weight = 5}};
	rtnl_prefix_parse("2001:db8:12::2", 0, &nh[0].gw);
	rtnl_prefix_parse("2001:db8:13::2", 0, &nh[1].gw);
	struct rtnl_route_req r = {.nh = nh, .nnh = 2};
	rtnl_prefix_parse("2001:db8:3::/64", 0, &r.dst);
	struct nlmsghdr *nlh = rtnl_route_build(buf, RTM_NEWROUTE, 0, &r);
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	nl_parse(nlh, sizeof(*rtm), NULL, RTA_MAX, tb);
	assert_int_equal(rtm->rtm_scope, RT_SCOPE_UNIVERSE);
	assert_null(tb[RTA_GATEWAY]);
	assert_null(tb[RTA_OIF]);
	assert_non_null(tb[RTA_MULTIPATH]);
	/* walk the next hops as the kernel does */
	const struct rtnexthop *rtnh = mnl_attr_get_payload(tb[RTA_MULTIPATH]);
	int left = (int)mnl_attr_get_payload_len(tb[RTA_MULTIPATH]);
	for (int i = 0; i < 2; i++) {
		assert_true(RTNH_OK(rtnh, left));
		assert_int_equal(rtnh->rtnh_ifindex, i ? 0 : 3);
		assert_int_equal(rtnh->rtnh_hops, i ? 4 : 0);
		const struct nlattr *gtb[RTA_MAX + 1];
		assert_int_equal(nl_parse_buf(RTNH_DATA(rtnh), rtnh->rtnh_len - RTNH_LENGTH(0),
					      NULL, RTA_MAX, gtb),
				 0);
		assert_int_equal(mnl_attr_get_payload_len(gtb[RTA_GATEWAY]), 16);
		assert_memory_equal(mnl_attr_get_payload(gtb[RTA_GATEWAY]), nh[i].gw.addr, 16);
		left -= RTNH_ALIGN(rtnh->rtnh_len);
		rtnh = RTNH_NEXT(rtnh);
	}
	assert_int_equal(left, 0);
}

/* What ip route needs beyond the lab: a delete with type, protocol and
 * table 0, a source prefix, tos, locked metrics and multipath. */
static void test_route_ip_extras(void **state)
{
	(void)state;
	char buf[RTNL_REQ_BUFSZ];
	const struct nlattr *tb[RTA_MAX + 1];
	uint32_t mx[32] = {[RTAX_LOCK] = 1u << RTAX_MTU, [RTAX_MTU] = 1400};
	struct rtnl_nh_req nh[2] = {{.oif = 3, .weight = 2, .flags = RTNH_F_ONLINK}, {.oif = 4}};
	struct rtnl_route_req r = {.type_set = true,
				   .protocol_set = true,
				   .table_set = true,
				   .scope_set = true,
				   .scope = RT_SCOPE_NOWHERE,
				   .tos = 0x10,
				   .metrics = mx,
				   .metrics_mask = (1u << RTAX_LOCK) | (1u << RTAX_MTU),
				   .nh = nh,
				   .nnh = 2};
	rtnl_prefix_parse("10.1.0.0/16", 0, &r.dst);
	rtnl_prefix_parse("10.2.0.0/24", 0, &r.src);
	rtnl_prefix_parse("10.0.0.1", 0, &nh[0].gw);
	rtnl_prefix_parse("2001:db8::1", 0, &nh[1].gw);
	struct nlmsghdr *nlh = rtnl_route_build(buf, RTM_DELROUTE, 0, &r);
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(nl_parse(nlh, sizeof(*rtm), NULL, RTA_MAX, tb), 0);
	assert_int_equal(rtm->rtm_type, 0);
	assert_int_equal(rtm->rtm_protocol, 0);
	assert_int_equal(rtm->rtm_table, 0);
	assert_int_equal(rtm->rtm_scope, RT_SCOPE_NOWHERE);
	assert_int_equal(rtm->rtm_tos, 0x10);
	assert_int_equal(rtm->rtm_src_len, 24);
	assert_memory_equal(mnl_attr_get_payload(tb[RTA_SRC]), "\x0a\x02\x00\x00", 4);
	const struct nlattr *mxa[RTAX_MAX + 1] = {0};
	const struct nlattr *at;
	mnl_attr_for_each_nested(at, tb[RTA_METRICS]) mxa[mnl_attr_get_type(at)] = at;
	assert_int_equal(mnl_attr_get_u32(mxa[RTAX_LOCK]), 1u << RTAX_MTU);
	assert_int_equal(mnl_attr_get_u32(mxa[RTAX_MTU]), 1400);
	/* two next hops: the first with a gateway, the second through RTA_VIA */
	const struct rtnexthop *rtnh = mnl_attr_get_payload(tb[RTA_MULTIPATH]);
	assert_int_equal(rtnh->rtnh_ifindex, 3);
	assert_int_equal(rtnh->rtnh_hops, 1);
	assert_int_equal(rtnh->rtnh_flags, RTNH_F_ONLINK);
	const struct nlattr *g = (const void *)((const char *)rtnh + RTNH_ALIGN(sizeof(*rtnh)));
	assert_int_equal(mnl_attr_get_type(g), RTA_GATEWAY);
	assert_int_equal(rtnh->rtnh_len, RTNH_ALIGN(sizeof(*rtnh)) + MNL_ATTR_HDRLEN + 4);
	rtnh = (const void *)((const char *)rtnh + RTNH_ALIGN(rtnh->rtnh_len));
	assert_int_equal(rtnh->rtnh_ifindex, 4);
	g = (const void *)((const char *)rtnh + RTNH_ALIGN(sizeof(*rtnh)));
	assert_int_equal(mnl_attr_get_type(g), RTA_VIA);
	assert_int_equal(mnl_attr_get_payload_len(g), 18);
	assert_int_equal(mnl_attr_get_payload_len(tb[RTA_MULTIPATH]),
			 (const char *)rtnh + rtnh->rtnh_len -
				 (const char *)mnl_attr_get_payload(tb[RTA_MULTIPATH]));

	/* a non-zero address with /0 still goes out (the kernel refuses it) */
	r = (struct rtnl_route_req){0};
	rtnl_prefix_parse("10.0.0.1/0", 0, &r.dst);
	nlh = rtnl_route_build(buf, RTM_NEWROUTE, 0, &r);
	nl_parse(nlh, sizeof(*rtm), NULL, RTA_MAX, tb);
	assert_non_null(tb[RTA_DST]);
	r.nnh = RTNL_MAX_NEXTHOPS + 1;
	assert_null(rtnl_route_build(buf, RTM_NEWROUTE, 0, &r));
}

/* What ip address needs beyond the lab: "brd -", an explicit broadcast,
 * anycast, metric, lifetimes and the wildcard delete. */
static void test_addr_ip_extras(void **state)
{
	(void)state;
	char buf[RTNL_REQ_BUFSZ];
	const struct nlattr *tb[IFA_MAX + 1];
	struct rtnl_addr_req a = {.ifindex = 2,
				  .broadcast = true,
				  .broadcast_zeros = true,
				  .metric_set = true,
				  .metric = 0,
				  .lifetimes_set = true,
				  .valid_lft = 100,
				  .preferred_lft = 50};
	rtnl_prefix_parse("198.18.3.77/24", 0, &a.local);
	struct nlmsghdr *nlh = rtnl_addr_build(buf, RTM_NEWADDR, 0, &a);
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(nl_parse(nlh, sizeof(*ifa), NULL, IFA_MAX, tb), 0);
	assert_memory_equal(mnl_attr_get_payload(tb[IFA_BROADCAST]), "\xc6\x12\x03\x00", 4);
	assert_int_equal(mnl_attr_get_u32(tb[IFA_RT_PRIORITY]), 0);
	const struct ifa_cacheinfo *ci = mnl_attr_get_payload(tb[IFA_CACHEINFO]);
	assert_int_equal(ci->ifa_valid, 100);
	assert_int_equal(ci->ifa_prefered, 50);
	assert_null(tb[IFA_ANYCAST]);

	/* an explicit broadcast wins; /31 computes none */
	rtnl_prefix_parse("198.18.9.9", 0, &a.brd);
	nlh = rtnl_addr_build(buf, RTM_NEWADDR, 0, &a);
	nl_parse(nlh, sizeof(*ifa), NULL, IFA_MAX, tb);
	assert_memory_equal(mnl_attr_get_payload(tb[IFA_BROADCAST]), "\xc6\x12\x09\x09", 4);
	a.brd.family = 0;
	a.local.len = 31;
	nlh = rtnl_addr_build(buf, RTM_NEWADDR, 0, &a);
	nl_parse(nlh, sizeof(*ifa), NULL, IFA_MAX, tb);
	assert_null(tb[IFA_BROADCAST]);

	struct rtnl_addr_req b = {.ifindex = 2, .wildcard = true};
	rtnl_prefix_parse("2001:db8::5", 0, &b.local);
	rtnl_prefix_parse("2001:db8::99", 0, &b.anycast);
	nlh = rtnl_addr_build(buf, RTM_DELADDR, 0, &b);
	nl_parse(nlh, sizeof(*ifa), NULL, IFA_MAX, tb);
	assert_null(tb[IFA_ADDRESS]);
	assert_null(tb[IFA_RT_PRIORITY]);
	assert_null(tb[IFA_CACHEINFO]);
	assert_memory_equal(mnl_attr_get_payload(tb[IFA_ANYCAST]), b.anycast.addr, 16);
}

/* What ip link needs beyond the lab: mtu 0, txqlen, group, broadcast,
 * alias, parent link, a namespace by pid and the macvlan mode. */
static void test_link_ip_extras(void **state)
{
	(void)state;
	char buf[RTNL_REQ_BUFSZ];
	static const uint8_t brd[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	struct rtnl_link_req l = {.name = "mv0",
				  .kind = "macvlan",
				  .mtu_set = true,
				  .txqlen_set = true,
				  .txqlen = 0,
				  .group_set = true,
				  .group = 7,
				  .llbrd = brd,
				  .llbrd_len = 6,
				  .alias = "uplink",
				  .link = 2,
				  .has_netns_pid = true,
				  .netns_pid = 1,
				  .macvlan_mode_set = true,
				  .macvlan_mode = MACVLAN_MODE_BRIDGE};
	struct nlmsghdr *nlh = rtnl_link_build(buf, RTM_NEWLINK, NLM_F_CREATE, &l);
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFLA_MAX + 1];
	assert_int_equal(nl_parse(nlh, sizeof(*ifm), NULL, IFLA_MAX, tb), 0);
	assert_int_equal(mnl_attr_get_u32(tb[IFLA_MTU]), 0);
	assert_int_equal(mnl_attr_get_u32(tb[IFLA_TXQLEN]), 0);
	assert_int_equal(mnl_attr_get_u32(tb[IFLA_GROUP]), 7);
	assert_memory_equal(mnl_attr_get_payload(tb[IFLA_BROADCAST]), brd, 6);
	assert_int_equal(mnl_attr_get_payload_len(tb[IFLA_IFALIAS]), 6); /* no NUL */
	assert_memory_equal(mnl_attr_get_payload(tb[IFLA_IFALIAS]), "uplink", 6);
	assert_int_equal(mnl_attr_get_u32(tb[IFLA_LINK]), 2);
	assert_int_equal(mnl_attr_get_u32(tb[IFLA_NET_NS_PID]), 1);
	assert_null(tb[IFLA_NET_NS_FD]);
	const struct nlattr *info[IFLA_INFO_MAX + 1], *data[IFLA_MACVLAN_MAX + 1];
	assert_int_equal(nl_parse_buf(mnl_attr_get_payload(tb[IFLA_LINKINFO]),
				      mnl_attr_get_payload_len(tb[IFLA_LINKINFO]), NULL,
				      IFLA_INFO_MAX, info),
			 0);
	assert_string_equal(mnl_attr_get_str(info[IFLA_INFO_KIND]), "macvlan");
	assert_int_equal(nl_parse_buf(mnl_attr_get_payload(info[IFLA_INFO_DATA]),
				      mnl_attr_get_payload_len(info[IFLA_INFO_DATA]), NULL,
				      IFLA_MACVLAN_MAX, data),
			 0);
	assert_int_equal(mnl_attr_get_u32(data[IFLA_MACVLAN_MODE]), MACVLAN_MODE_BRIDGE);

	/* left unset, none of them goes out */
	l = (struct rtnl_link_req){.ifindex = 3};
	nlh = rtnl_link_build(buf, RTM_NEWLINK, 0, &l);
	nl_parse(nlh, sizeof(*ifm), NULL, IFLA_MAX, tb);
	assert_null(tb[IFLA_MTU]);
	assert_null(tb[IFLA_TXQLEN]);
	assert_null(tb[IFLA_GROUP]);
	assert_null(tb[IFLA_IFALIAS]);
	assert_null(tb[IFLA_LINK]);
	assert_null(tb[IFLA_NET_NS_PID]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix_parse),
		cmocka_unit_test(test_prefix_contains),
		cmocka_unit_test(test_veth_into_namespaces),
		cmocka_unit_test(test_link_set_master),
		cmocka_unit_test(test_link_ip_extras),
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_addr_ip_extras),
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_multipath),
		cmocka_unit_test(test_route_ip_extras),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
