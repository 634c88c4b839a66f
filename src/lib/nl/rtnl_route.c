/* SPDX-License-Identifier: Apache-2.0 */
/* Route messages to records, and the streaming dump (see rtnl_route.h). */
#include "lib/nl/rtnl_route.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/lwtunnel.h>

unsigned rtnl_addr_len(int family)
{
	switch (family) {
	case AF_INET: return 4;
	case AF_INET6: return 16;
	case AF_MPLS: return 4;
	default: return 0;
	}
}

static const struct nl_policy route_pol[RTA_MAX + 1] = {
	[RTA_OIF] = {MNL_TYPE_U32, 0},
	[RTA_IIF] = {MNL_TYPE_U32, 0},
	[RTA_PRIORITY] = {MNL_TYPE_U32, 0},
	[RTA_TABLE] = {MNL_TYPE_U32, 0},
	[RTA_MARK] = {MNL_TYPE_U32, 0},
	[RTA_UID] = {MNL_TYPE_U32, 0},
	[RTA_FLOW] = {MNL_TYPE_U32, 0},
	[RTA_PREF] = {MNL_TYPE_U8, 0},
	[RTA_NH_ID] = {MNL_TYPE_U32, 0},
	[RTA_METRICS] = {MNL_TYPE_NESTED, 0},
	[RTA_ENCAP_TYPE] = {MNL_TYPE_U16, 0},
	[RTA_CACHEINFO] = {MNL_TYPE_BINARY, sizeof(struct rta_cacheinfo)},
	[RTA_MULTIPATH] = {MNL_TYPE_BINARY, 0},
};

/* Copy an address attribute if it has the family's exact length. */
static bool get_addr(const struct nlattr *a, unsigned alen, uint8_t *out)
{
	if (!a || !alen || mnl_attr_get_payload_len(a) != alen)
		return false;
	memcpy(out, mnl_attr_get_payload(a), alen);
	return true;
}

/* RTA_VIA: a family then an address of that family. */
static bool get_via(const struct nlattr *a, uint8_t *family, uint8_t *out)
{
	if (!a || mnl_attr_get_payload_len(a) < sizeof(struct rtvia))
		return false;
	const struct rtvia *v = mnl_attr_get_payload(a);
	unsigned alen = rtnl_addr_len(v->rtvia_family);
	if (!alen || mnl_attr_get_payload_len(a) < sizeof(*v) + alen)
		return false;
	*family = (uint8_t)v->rtvia_family;
	memcpy(out, v->rtvia_addr, alen);
	return true;
}

int rtnl_route_parse(const struct nlmsghdr *nlh, struct rtnl_route *r)
{
	if ((nlh->nlmsg_type != RTM_NEWROUTE && nlh->nlmsg_type != RTM_DELROUTE) ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(struct rtmsg))
		return -EINVAL;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[RTA_MAX + 1];
	if (nl_parse(nlh, sizeof(*rtm), route_pol, RTA_MAX, tb) < 0)
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	r->msg_type = nlh->nlmsg_type;
	r->family = rtm->rtm_family;
	r->dst_len = rtm->rtm_dst_len;
	r->src_len = rtm->rtm_src_len;
	r->tos = rtm->rtm_tos;
	r->protocol = rtm->rtm_protocol;
	r->scope = rtm->rtm_scope;
	r->type = rtm->rtm_type;
	r->flags = rtm->rtm_flags;
	r->table = tb[RTA_TABLE] ? mnl_attr_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
	unsigned alen = rtnl_addr_len(r->family);
	r->has_dst = get_addr(tb[RTA_DST], alen, r->dst);
	r->has_src = get_addr(tb[RTA_SRC], alen, r->src);
	r->has_prefsrc = get_addr(tb[RTA_PREFSRC], alen, r->prefsrc);
	r->gw_family = r->family;
	r->has_gw = get_addr(tb[RTA_GATEWAY], alen, r->gw);
	if (!r->has_gw)
		r->has_gw = get_via(tb[RTA_VIA], &r->gw_family, r->gw);
	nl_get_u32(tb[RTA_OIF], &r->has_oif, &r->oif);
	nl_get_u32(tb[RTA_IIF], &r->has_iif, &r->iif);
	nl_get_u32(tb[RTA_PRIORITY], &r->has_prio, &r->priority);
	nl_get_u32(tb[RTA_MARK], &r->has_mark, &r->mark);
	nl_get_u32(tb[RTA_UID], &r->has_uid, &r->uid);
	nl_get_u32(tb[RTA_FLOW], &r->has_flow, &r->flow);
	nl_get_u32(tb[RTA_NH_ID], &r->has_nhid, &r->nhid);
	nl_get_u8(tb[RTA_PREF], &r->has_pref, &r->pref);
	if (tb[RTA_CACHEINFO])
		r->cacheinfo = mnl_attr_get_payload(tb[RTA_CACHEINFO]);
	r->metrics = tb[RTA_METRICS];
	r->multipath = tb[RTA_MULTIPATH];
	r->newdst = tb[RTA_NEWDST];
	if (tb[RTA_ENCAP] && tb[RTA_ENCAP_TYPE]) {
		r->encap = tb[RTA_ENCAP];
		r->encap_type = mnl_attr_get_u16(tb[RTA_ENCAP_TYPE]);
	}
	return 0;
}

bool rtnl_route_nexthop(const struct rtnl_route *r, const void **it, struct rtnl_nexthop *nh)
{
	if (!r->multipath)
		return false;
	const char *base = mnl_attr_get_payload(r->multipath);
	const char *end = base + mnl_attr_get_payload_len(r->multipath);
	const char *p = *it ? *it : base;
	if (p + sizeof(struct rtnexthop) > end)
		return false;
	const struct rtnexthop *rtnh = (const void *)p;
	if (rtnh->rtnh_len < sizeof(*rtnh) || p + rtnh->rtnh_len > end)
		return false;
	memset(nh, 0, sizeof(*nh));
	nh->ifindex = (uint32_t)rtnh->rtnh_ifindex;
	nh->flags = rtnh->rtnh_flags;
	nh->hops = rtnh->rtnh_hops;
	nh->gw_family = r->family;
	const struct nlattr *tb[RTA_MAX + 1];
	size_t alen = rtnh->rtnh_len - RTNH_ALIGN(sizeof(*rtnh));
	if (rtnh->rtnh_len > RTNH_ALIGN(sizeof(*rtnh)) &&
	    nl_parse_buf(p + RTNH_ALIGN(sizeof(*rtnh)), alen, route_pol, RTA_MAX, tb) >= 0) {
		nh->has_gw = get_addr(tb[RTA_GATEWAY], rtnl_addr_len(r->family), nh->gw);
		if (!nh->has_gw)
			nh->has_gw = get_via(tb[RTA_VIA], &nh->gw_family, nh->gw);
		nl_get_u32(tb[RTA_FLOW], &nh->has_flow, &nh->flow);
	}
	*it = p + RTNH_ALIGN(rtnh->rtnh_len);
	return true;
}

struct dump_ctx {
	rtnl_route_cb cb;
	void *data;
};

static int on_route(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *d = data;
	struct rtnl_route r;
	if (rtnl_route_parse(nlh, &r) < 0)
		return MNL_CB_OK; /* not ours or broken: skip, as iproute2 does */
	return d->cb(&r, nlh, d->data);
}

int rtnl_route_dump_sel(struct nl_sock *s, const struct rtnl_route_sel *q, rtnl_route_cb cb,
			void *data, struct nl_err *err)
{
	char buf[256];
	struct nlmsghdr *nlh = nl_msg_start(s, buf, RTM_GETROUTE, NLM_F_DUMP);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)q->family;
	rtm->rtm_protocol = q->protocol;
	if (q->cloned)
		rtm->rtm_flags |= RTM_F_CLONED;
	if (q->table) {
		rtm->rtm_table = q->table < 256 ? (uint8_t)q->table : RT_TABLE_UNSPEC;
		mnl_attr_put_u32(nlh, RTA_TABLE, q->table);
	}
	if (q->oif)
		mnl_attr_put_u32(nlh, RTA_OIF, q->oif);
	struct dump_ctx d = {cb, data};
	return nl_dump_pipelined(s, nlh, on_route, &d, err);
}

int rtnl_route_dump(struct nl_sock *s, int family, uint32_t table, rtnl_route_cb cb, void *data,
		    struct nl_err *err)
{
	struct rtnl_route_sel q = {.family = family, .table = table};
	return rtnl_route_dump_sel(s, &q, cb, data, err);
}
