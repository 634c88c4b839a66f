/* SPDX-License-Identifier: Apache-2.0 */
/* Where packets to a target leave from: the kernel's own route lookup
 * (RTM_GETROUTE, as `ip route get` does) gives the source address, the
 * interface, whether a gateway is involved and whether the address is
 * one of ours; the interface's MAC comes from SIOCGIFHWADDR. */
#include "engine/nmap/internal.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <sys/ioctl.h>
#include <linux/rtnetlink.h>

#include "lib/nl/nl.h"

struct route_reply {
	struct route_info *ri;
	int family;
	bool got;
	bool gateway;
};

static const struct nl_policy route_pol[RTA_MAX + 1] = {
	[RTA_OIF] = {MNL_TYPE_U32, 0},
};

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct route_reply *rr = data;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[RTA_MAX + 1] = {0};
	if (nlh->nlmsg_type != RTM_NEWROUTE || nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*rtm)))
		return MNL_CB_OK;
	nl_parse(nlh, sizeof(*rtm), route_pol, RTA_MAX, tb);
	size_t alen = rr->family == AF_INET6 ? 16 : 4;
	rr->got = true;
	/* a router's subnet-router anycast address (2001:db8:9:: on a
	 * forwarding host) is its own too: nmap says localhost-response */
	rr->ri->local = rtm->rtm_type == RTN_LOCAL || rtm->rtm_type == RTN_ANYCAST;
	if (tb[RTA_OIF])
		rr->ri->ifindex = (int)mnl_attr_get_u32(tb[RTA_OIF]);
	if (tb[RTA_PREFSRC] && mnl_attr_get_payload_len(tb[RTA_PREFSRC]) == alen) {
		rr->ri->src.family = (uint8_t)rr->family;
		memcpy(rr->ri->src.b, mnl_attr_get_payload(tb[RTA_PREFSRC]), alen);
	}
	rr->gateway = tb[RTA_GATEWAY] != NULL || tb[RTA_VIA] != NULL;
	if (tb[RTA_GATEWAY] && mnl_attr_get_payload_len(tb[RTA_GATEWAY]) == alen) {
		rr->ri->gw.family = (uint8_t)rr->family;
		memcpy(rr->ri->gw.b, mnl_attr_get_payload(tb[RTA_GATEWAY]), alen);
	}
	return MNL_CB_OK;
}

static void link_info(struct route_info *ri)
{
	char name[IF_NAMESIZE];
	struct ifreq ifr = {0};
	if (!ri->ifindex || !if_indextoname((unsigned)ri->ifindex, name))
		return;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	memcpy(ifr.ifr_name, name, sizeof(ifr.ifr_name));
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 && (ifr.ifr_flags & IFF_LOOPBACK))
		ri->loopback = true;
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) == 0 && ifr.ifr_hwaddr.sa_family == ARPHRD_ETHER) {
		memcpy(ri->mac, ifr.ifr_hwaddr.sa_data, 6);
		ri->has_mac = true;
	}
	close(fd);
}

int route_lookup(struct nl_sock *nl, const struct pkt_addr *dst, int oif, struct route_info *ri)
{
	uint8_t buf[256];
	struct route_reply rr = {.ri = ri, .family = dst->family};
	memset(ri, 0, sizeof(*ri));
	struct nlmsghdr *nlh = nl_msg_start(nl, buf, RTM_GETROUTE, NLM_F_REQUEST);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	size_t alen = dst->family == AF_INET6 ? 16 : 4;
	rtm->rtm_family = dst->family;
	rtm->rtm_dst_len = (uint8_t)(alen * 8);
	mnl_attr_put(nlh, RTA_DST, alen, dst->b);
	if (oif > 0)
		mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)oif);
	struct nl_err err;
	int r = nl_talk(nl, nlh, route_cb, &rr, &err);
	if (r < 0)
		return r;
	if (!rr.got)
		return -ENETUNREACH;
	link_info(ri);
	if (ri->local) {
		/* a packet to ourselves comes from the same address */
		ri->src = *dst;
	}
	ri->direct = !rr.gateway && !ri->local && !ri->loopback && ri->has_mac;
	if (!ri->src.family)
		return -EADDRNOTAVAIL;
	return 0;
}

/* IFLA_LINKINFO's IFLA_INFO_SLAVE_KIND: a port of a bridge or a bond
 * (not of a VRF, whose ports' packets are captured on the port only) */
static int port_cb(const struct nlmsghdr *nlh, void *data)
{
	struct io_rx *rx = data;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	if (nlh->nlmsg_type != RTM_NEWLINK || nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
		return MNL_CB_OK;
	const struct nlattr *a, *b;
	mnl_attr_for_each(a, nlh, sizeof(*ifi))
	{
		if (mnl_attr_get_type(a) != IFLA_LINKINFO)
			continue;
		mnl_attr_for_each_nested(b, a)
		{
			if (mnl_attr_get_type(b) != IFLA_INFO_SLAVE_KIND)
				continue;
			const char *k = mnl_attr_get_payload(b);
			size_t n = mnl_attr_get_payload_len(b);
			if ((n >= 7 && !strncmp(k, "bridge", n)) ||
			    (n >= 5 && !strncmp(k, "bond", n)) ||
			    (n >= 5 && !strncmp(k, "team", n)))
				(void)io_rx_skip_ifindex(rx, ifi->ifi_index);
		}
	}
	return MNL_CB_OK;
}

int route_skip_ports(struct nl_sock *nl, struct io_rx *rx)
{
	uint8_t buf[64];
	struct nlmsghdr *nlh = nl_msg_start(nl, buf, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	struct nl_err err;
	return nl_talk(nl, nlh, port_cb, rx, &err);
}
