/* SPDX-License-Identifier: Apache-2.0 */
/* rtnetlink request builders (see rtnl_req.h). */
#include "lib/nl/rtnl_req.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

size_t rtnl_family_len(int family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

int rtnl_prefix_parse(const char *s, int family_hint, struct rtnl_prefix *p)
{
	memset(p, 0, sizeof(*p));
	if (!strcmp(s, "default") || !strcmp(s, "any") || !strcmp(s, "all")) {
		p->family = family_hint ? (uint8_t)family_hint : AF_INET;
		return 0;
	}
	char tmp[INET6_ADDRSTRLEN + 8];
	if (strlen(s) >= sizeof(tmp))
		return -EINVAL;
	strcpy(tmp, s);
	char *slash = strchr(tmp, '/');
	if (slash)
		*slash = '\0';
	if (inet_pton(AF_INET, tmp, p->addr) == 1)
		p->family = AF_INET;
	else if (inet_pton(AF_INET6, tmp, p->addr) == 1)
		p->family = AF_INET6;
	else
		return -EINVAL;
	if (family_hint && family_hint != p->family)
		return -EINVAL;
	unsigned max = (unsigned)rtnl_family_len(p->family) * 8;
	p->len = (uint8_t)max;
	if (slash) {
		char *end;
		if (!slash[1] || slash[1] == '-' || slash[1] == '+')
			return -EINVAL;
		unsigned long n = strtoul(slash + 1, &end, 10);
		if (*end || n > max)
			return -EINVAL;
		p->len = (uint8_t)n;
	}
	return 0;
}

char *rtnl_prefix_str(const struct rtnl_prefix *p, bool with_len, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN];
	if (!inet_ntop(p->family, p->addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	if (with_len)
		snprintf(buf, size, "%s/%u", a, p->len);
	else
		snprintf(buf, size, "%s", a);
	return buf;
}

bool rtnl_prefix_contains(const struct rtnl_prefix *net, const struct rtnl_prefix *a)
{
	if (net->family != a->family)
		return false;
	unsigned bits = net->len;
	for (unsigned i = 0; bits; i++) {
		unsigned n = bits >= 8 ? 8 : bits;
		uint8_t mask = (uint8_t)(0xff00u >> n);
		if ((net->addr[i] ^ a->addr[i]) & mask)
			return false;
		bits -= n;
	}
	return true;
}

static struct nlmsghdr *msg_start(void *buf, uint16_t type, uint16_t nlflags)
{
	memset(buf, 0, sizeof(struct nlmsghdr));
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | nlflags;
	return nlh;
}

/* The attributes a link and a veth peer share. */
static void link_attrs(struct nlmsghdr *nlh, const char *name, bool has_ns, int ns_fd)
{
	if (name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (has_ns)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)ns_fd);
}

static void link_kind(struct nlmsghdr *nlh, const struct rtnl_link_req *l)
{
	struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, l->kind);
	if (l->peer && !strcmp(l->kind, "veth")) {
		struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
		struct nlattr *peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
		/* the peer's own ifinfomsg comes first in the nest */
		struct ifinfomsg *pifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*pifm));
		pifm->ifi_family = AF_UNSPEC;
		link_attrs(nlh, l->peer, l->has_peer_netns, l->peer_netns_fd);
		mnl_attr_nest_end(nlh, peer);
		mnl_attr_nest_end(nlh, data);
	} else if (l->info_data) {
		struct nlattr *data = mnl_attr_nest_start(nlh, l->slave_data ? IFLA_INFO_SLAVE_DATA
									     : IFLA_INFO_DATA);
		memcpy(mnl_nlmsg_get_payload_tail(nlh), l->info_data, l->info_data_len);
		nlh->nlmsg_len += MNL_ALIGN((uint32_t)l->info_data_len);
		mnl_attr_nest_end(nlh, data);
	} else if (l->macvlan_mode_set) {
		struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
		mnl_attr_put_u32(nlh, IFLA_MACVLAN_MODE, l->macvlan_mode);
		mnl_attr_nest_end(nlh, data);
	}
	mnl_attr_nest_end(nlh, info);
}

struct nlmsghdr *rtnl_link_build(void *buf, uint16_t type, uint16_t nlflags,
				 const struct rtnl_link_req *l)
{
	struct nlmsghdr *nlh = msg_start(buf, type, nlflags);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = l->ifindex;
	ifm->ifi_flags = l->flags;
	ifm->ifi_change = l->change;
	link_attrs(nlh, l->name, l->has_netns, l->netns_fd);
	if (l->master > 0)
		mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)l->master);
	else if (l->master == RTNL_NOMASTER)
		mnl_attr_put_u32(nlh, IFLA_MASTER, 0);
	if (l->has_netns_pid)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_PID, l->netns_pid);
	if (l->mtu || l->mtu_set)
		mnl_attr_put_u32(nlh, IFLA_MTU, l->mtu);
	if (l->txqlen_set)
		mnl_attr_put_u32(nlh, IFLA_TXQLEN, l->txqlen);
	if (l->num_txq_set)
		mnl_attr_put_u32(nlh, IFLA_NUM_TX_QUEUES, l->num_txq);
	if (l->group_set)
		mnl_attr_put_u32(nlh, IFLA_GROUP, l->group);
	if (l->lladdr && l->lladdr_len)
		mnl_attr_put(nlh, IFLA_ADDRESS, l->lladdr_len, l->lladdr);
	if (l->llbrd && l->llbrd_len)
		mnl_attr_put(nlh, IFLA_BROADCAST, l->llbrd_len, l->llbrd);
	if (l->alias)
		mnl_attr_put_str(nlh, IFLA_IFALIAS, l->alias);
	if (l->link)
		mnl_attr_put_u32(nlh, IFLA_LINK, (uint32_t)l->link);
	if (l->kind)
		link_kind(nlh, l);
	return nlh;
}

/* IPv4 IFA_BROADCAST from the prefix: host part all ones (or zeros). */
static void put_broadcast(struct nlmsghdr *nlh, const struct rtnl_addr_req *a)
{
	if (a->local.family != AF_INET)
		return;
	if (a->brd.family == AF_INET) {
		mnl_attr_put(nlh, IFA_BROADCAST, 4, a->brd.addr);
		return;
	}
	if (!a->broadcast || a->local.len >= 31)
		return;
	uint32_t host, mask = a->local.len ? ~0u << (32 - a->local.len) : 0;
	memcpy(&host, a->local.addr, 4);
	uint32_t brd = htonl(a->broadcast_zeros ? ntohl(host) & mask : ntohl(host) | ~mask);
	mnl_attr_put(nlh, IFA_BROADCAST, 4, &brd);
}

struct nlmsghdr *rtnl_addr_build(void *buf, uint16_t type, uint16_t nlflags,
				 const struct rtnl_addr_req *a)
{
	struct nlmsghdr *nlh = msg_start(buf, type, nlflags);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	size_t alen = rtnl_family_len(a->local.family);
	ifa->ifa_family = a->local.family;
	ifa->ifa_prefixlen = a->local.len;
	ifa->ifa_scope = a->scope;
	ifa->ifa_index = (uint32_t)a->ifindex;
	ifa->ifa_flags = (uint8_t)(a->flags & 0xff);
	mnl_attr_put(nlh, IFA_LOCAL, alen, a->local.addr);
	if (a->peer.family)
		mnl_attr_put(nlh, IFA_ADDRESS, rtnl_family_len(a->peer.family), a->peer.addr);
	else if (!a->wildcard)
		mnl_attr_put(nlh, IFA_ADDRESS, alen, a->local.addr);
	put_broadcast(nlh, a);
	if (a->anycast.family)
		mnl_attr_put(nlh, IFA_ANYCAST, rtnl_family_len(a->anycast.family), a->anycast.addr);
	if (a->flags > 0xff)
		mnl_attr_put_u32(nlh, IFA_FLAGS, a->flags);
	if (a->label)
		mnl_attr_put_strz(nlh, IFA_LABEL, a->label);
	if (a->metric_set)
		mnl_attr_put_u32(nlh, IFA_RT_PRIORITY, a->metric);
	if (a->lifetimes_set) {
		struct ifa_cacheinfo ci = {.ifa_valid = a->valid_lft,
					   .ifa_prefered = a->preferred_lft};
		mnl_attr_put(nlh, IFA_CACHEINFO, sizeof(ci), &ci);
	}
	return nlh;
}

static uint8_t route_scope(const struct rtnl_route_req *r, uint8_t type)
{
	if (r->scope_set)
		return r->scope;
	if (type == RTN_LOCAL || type == RTN_NAT)
		return RT_SCOPE_HOST;
	if (type == RTN_BROADCAST || type == RTN_MULTICAST || type == RTN_ANYCAST)
		return RT_SCOPE_LINK;
	if (type == RTN_UNICAST && !r->gw.family && !r->nnh && r->dst.family == AF_INET)
		return RT_SCOPE_LINK;
	return RT_SCOPE_UNIVERSE;
}

/* A gateway: RTA_GATEWAY in the route's family, RTA_VIA in another. */
static void put_gateway(struct nlmsghdr *nlh, int family, const struct rtnl_prefix *gw)
{
	size_t len = rtnl_family_len(gw->family);
	if (gw->family == family) {
		mnl_attr_put(nlh, RTA_GATEWAY, len, gw->addr);
		return;
	}
	struct {
		uint16_t family;
		uint8_t addr[16];
	} __attribute__((packed)) via = {gw->family, {0}};
	memcpy(via.addr, gw->addr, len);
	mnl_attr_put(nlh, RTA_VIA, 2 + len, &via);
}

static void put_nexthops(struct nlmsghdr *nlh, const struct rtnl_route_req *r)
{
	struct nlattr *mp = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	for (unsigned i = 0; i < r->nnh; i++) {
		const struct rtnl_nh_req *nh = &r->nh[i];
		struct rtnexthop *rtnh = (struct rtnexthop *)((char *)nlh + nlh->nlmsg_len);
		nlh->nlmsg_len += RTNH_ALIGN(sizeof(*rtnh));
		memset(rtnh, 0, sizeof(*rtnh));
		rtnh->rtnh_flags = nh->flags;
		rtnh->rtnh_hops = (uint8_t)(nh->weight ? nh->weight - 1 : 0);
		rtnh->rtnh_ifindex = nh->oif;
		if (nh->gw.family)
			put_gateway(nlh, r->dst.family, &nh->gw);
		rtnh->rtnh_len = (uint16_t)((char *)nlh + nlh->nlmsg_len - (char *)rtnh);
	}
	mnl_attr_nest_end(nlh, mp);
}

static bool is_zero(const struct rtnl_prefix *p)
{
	static const uint8_t zero[16];
	return !memcmp(p->addr, zero, sizeof(zero));
}

/* ip route's default: local routes go to the local table. */
static uint32_t route_table(const struct rtnl_route_req *r, uint8_t rtype)
{
	if (r->table || r->table_set)
		return r->table;
	return (rtype == RTN_LOCAL || rtype == RTN_BROADCAST || rtype == RTN_ANYCAST ||
		rtype == RTN_NAT)
		       ? RT_TABLE_LOCAL
		       : RT_TABLE_MAIN;
}

struct nlmsghdr *rtnl_route_build(void *buf, uint16_t type, uint16_t nlflags,
				  const struct rtnl_route_req *r)
{
	if (r->nnh > RTNL_MAX_NEXTHOPS)
		return NULL;
	struct nlmsghdr *nlh = msg_start(buf, type, nlflags);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	uint8_t rtype = r->type || r->type_set ? r->type : RTN_UNICAST;
	uint32_t table = route_table(r, rtype);
	rtm->rtm_family = r->dst.family;
	rtm->rtm_dst_len = r->dst.len;
	rtm->rtm_src_len = r->src.family ? r->src.len : 0;
	rtm->rtm_tos = r->tos;
	rtm->rtm_type = rtype;
	rtm->rtm_protocol = r->protocol || r->protocol_set ? r->protocol : RTPROT_BOOT;
	rtm->rtm_flags = r->flags;
	rtm->rtm_scope = route_scope(r, rtype);
	rtm->rtm_table = table < 256 ? (uint8_t)table : RT_TABLE_UNSPEC;
	if (table >= 256)
		mnl_attr_put_u32(nlh, RTA_TABLE, table);
	if (r->dst.len || !is_zero(&r->dst))
		mnl_attr_put(nlh, RTA_DST, rtnl_family_len(r->dst.family), r->dst.addr);
	if (r->src.family && (r->src.len || !is_zero(&r->src)))
		mnl_attr_put(nlh, RTA_SRC, rtnl_family_len(r->src.family), r->src.addr);
	if (r->gw.family)
		put_gateway(nlh, r->dst.family, &r->gw);
	if (r->prefsrc.family)
		mnl_attr_put(nlh, RTA_PREFSRC, rtnl_family_len(r->prefsrc.family), r->prefsrc.addr);
	if (r->oif)
		mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)r->oif);
	if (r->priority || r->priority_set)
		mnl_attr_put_u32(nlh, RTA_PRIORITY, r->priority);
	if (r->nhid_set)
		mnl_attr_put_u32(nlh, RTA_NH_ID, r->nhid);
	if (r->metrics && r->metrics_mask) {
		struct nlattr *nest = mnl_attr_nest_start(nlh, RTA_METRICS);
		for (uint16_t n = 1; n < 32; n++)
			if (r->metrics_mask & (1u << n))
				mnl_attr_put_u32(nlh, n, r->metrics[n]);
		mnl_attr_nest_end(nlh, nest);
	}
	if (r->nnh)
		put_nexthops(nlh, r);
	return nlh;
}

static int on_link(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	if (nlh->nlmsg_type != RTM_NEWLINK || mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifm))
		return MNL_CB_OK;
	*(int *)data = ifm->ifi_index;
	return MNL_CB_OK;
}

int rtnl_ifindex(struct nl_sock *s, const char *name)
{
	char buf[RTNL_REQ_BUFSZ];
	if (!name || strlen(name) >= IFNAMSIZ)
		return -EINVAL;
	struct rtnl_link_req l = {.name = name};
	struct nlmsghdr *nlh = rtnl_link_build(buf, RTM_GETLINK, 0, &l);
	/* a GET without DUMP answers with the link, then nl_talk's ACK */
	int idx = 0;
	int r = nl_talk(s, nlh, on_link, &idx, NULL);
	if (r < 0)
		return r;
	return idx > 0 ? idx : -ENODEV;
}
