/* SPDX-License-Identifier: Apache-2.0 */
/* Nexthop messages to records and back; see rtnl_nh.h. */
#include <errno.h>
#include <string.h>

#include "lib/nl/rtnl_nh.h"
#include "lib/nl/rtnl_req.h"

static const struct nl_policy nh_pol[NHA_MAX + 1] = {
	[NHA_ID] = {MNL_TYPE_U32, 0},	      [NHA_GROUP] = {MNL_TYPE_BINARY, 0},
	[NHA_GROUP_TYPE] = {MNL_TYPE_U16, 0}, [NHA_BLACKHOLE] = {MNL_TYPE_FLAG, 0},
	[NHA_OIF] = {MNL_TYPE_U32, 0},	      [NHA_GATEWAY] = {MNL_TYPE_BINARY, 0},
	[NHA_ENCAP_TYPE] = {MNL_TYPE_U16, 0}, [NHA_ENCAP] = {MNL_TYPE_NESTED, 0},
	[NHA_FDB] = {MNL_TYPE_FLAG, 0},	      [NHA_RES_GROUP] = {MNL_TYPE_NESTED, 0},
};

static const struct nl_policy res_pol[NHA_RES_GROUP_MAX + 1] = {
	[NHA_RES_GROUP_BUCKETS] = {MNL_TYPE_U16, 0},
	[NHA_RES_GROUP_IDLE_TIMER] = {MNL_TYPE_U32, 0},
	[NHA_RES_GROUP_UNBALANCED_TIMER] = {MNL_TYPE_U32, 0},
	[NHA_RES_GROUP_UNBALANCED_TIME] = {MNL_TYPE_U64, 0},
};

static void parse_res(const struct nlattr *a, struct rtnl_nh *n)
{
	const struct nlattr *tb[NHA_RES_GROUP_MAX + 1];
	if (nl_parse_nested(a, res_pol, NHA_RES_GROUP_MAX, tb) < 0)
		return;
	n->has_res = true;
	if (tb[NHA_RES_GROUP_BUCKETS])
		n->buckets = mnl_attr_get_u16(tb[NHA_RES_GROUP_BUCKETS]);
	if (tb[NHA_RES_GROUP_IDLE_TIMER])
		n->idle_timer = mnl_attr_get_u32(tb[NHA_RES_GROUP_IDLE_TIMER]);
	if (tb[NHA_RES_GROUP_UNBALANCED_TIMER])
		n->unbalanced_timer = mnl_attr_get_u32(tb[NHA_RES_GROUP_UNBALANCED_TIMER]);
	if (tb[NHA_RES_GROUP_UNBALANCED_TIME])
		n->unbalanced_time = mnl_attr_get_u64(tb[NHA_RES_GROUP_UNBALANCED_TIME]);
}

int rtnl_nh_parse(const struct nlmsghdr *nlh, struct rtnl_nh *n)
{
	memset(n, 0, sizeof(*n));
	if ((nlh->nlmsg_type != RTM_NEWNEXTHOP && nlh->nlmsg_type != RTM_DELNEXTHOP) ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(struct nhmsg))
		return -EINVAL;
	const struct nhmsg *h = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[NHA_MAX + 1];
	if (nl_parse(nlh, sizeof(*h), nh_pol, NHA_MAX, tb) < 0)
		return -EINVAL;
	n->msg_type = nlh->nlmsg_type;
	n->family = h->nh_family;
	n->scope = h->nh_scope;
	n->protocol = h->nh_protocol;
	n->flags = h->nh_flags;
	nl_get_u32(tb[NHA_ID], &n->has_id, &n->id);
	nl_get_u32(tb[NHA_OIF], &n->has_oif, &n->oif);
	n->blackhole = tb[NHA_BLACKHOLE] != NULL;
	n->fdb = tb[NHA_FDB] != NULL;
	if (tb[NHA_GATEWAY]) {
		size_t l = mnl_attr_get_payload_len(tb[NHA_GATEWAY]);
		if (l == 4 || l == 16) {
			n->has_gw = true;
			n->gw_len = (uint8_t)l;
			memcpy(n->gw, mnl_attr_get_payload(tb[NHA_GATEWAY]), l);
		}
	}
	if (tb[NHA_GROUP]) {
		n->group = mnl_attr_get_payload(tb[NHA_GROUP]);
		n->ngroup = mnl_attr_get_payload_len(tb[NHA_GROUP]) / sizeof(struct nexthop_grp);
	}
	nl_get_u16(tb[NHA_GROUP_TYPE], &n->has_group_type, &n->group_type);
	if (tb[NHA_RES_GROUP])
		parse_res(tb[NHA_RES_GROUP], n);
	nl_get_u16(tb[NHA_ENCAP_TYPE], &n->has_encap, &n->encap_type);
	return 0;
}

struct nlmsghdr *rtnl_nhobj_build(void *buf, uint16_t type, uint16_t nlflags,
				  const struct rtnl_nhobj_req *r)
{
	const struct rtnl_nh *n = &r->nh;
	if (r->ngroup * sizeof(struct nexthop_grp) > RTNL_REQ_BUFSZ / 2)
		return NULL;
	memset(buf, 0, RTNL_REQ_BUFSZ);
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | nlflags;
	struct nhmsg *h = mnl_nlmsg_put_extra_header(nlh, sizeof(*h));
	h->nh_family = n->family;
	h->nh_scope = n->scope;
	h->nh_protocol = n->protocol;
	h->nh_flags = n->flags;
	if (n->has_id)
		mnl_attr_put_u32(nlh, NHA_ID, n->id);
	if (n->has_oif)
		mnl_attr_put_u32(nlh, NHA_OIF, n->oif);
	if (n->has_gw)
		mnl_attr_put(nlh, NHA_GATEWAY, n->gw_len, n->gw);
	if (n->blackhole)
		mnl_attr_put(nlh, NHA_BLACKHOLE, 0, NULL);
	if (n->fdb)
		mnl_attr_put(nlh, NHA_FDB, 0, NULL);
	if (r->ngroup)
		mnl_attr_put(nlh, NHA_GROUP, r->ngroup * sizeof(struct nexthop_grp), r->group);
	if (n->has_group_type)
		mnl_attr_put_u16(nlh, NHA_GROUP_TYPE, n->group_type);
	if (n->has_group_type && n->group_type == NEXTHOP_GRP_TYPE_RES) {
		struct nlattr *nest = mnl_attr_nest_start(nlh, NHA_RES_GROUP);
		if (r->buckets_set)
			mnl_attr_put_u16(nlh, NHA_RES_GROUP_BUCKETS, n->buckets);
		if (r->idle_set)
			mnl_attr_put_u32(nlh, NHA_RES_GROUP_IDLE_TIMER, n->idle_timer);
		if (r->unbalanced_set)
			mnl_attr_put_u32(nlh, NHA_RES_GROUP_UNBALANCED_TIMER, n->unbalanced_timer);
		mnl_attr_nest_end(nlh, nest);
	}
	return nlh;
}
