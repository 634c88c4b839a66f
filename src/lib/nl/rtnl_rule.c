/* SPDX-License-Identifier: Apache-2.0 */
/* Rule messages to records and back; see rtnl_rule.h. */
#include <errno.h>
#include <string.h>
#include <endian.h>

#include "lib/nl/rtnl_req.h"
#include "lib/nl/rtnl_rule.h"

static const struct nl_policy rule_pol[FRA_MAX + 1] = {
	[FRA_DST] = {MNL_TYPE_BINARY, 0},
	[FRA_SRC] = {MNL_TYPE_BINARY, 0},
	[FRA_IIFNAME] = {MNL_TYPE_NUL_STRING, 0},
	[FRA_OIFNAME] = {MNL_TYPE_NUL_STRING, 0},
	[FRA_GOTO] = {MNL_TYPE_U32, 0},
	[RTNL_RULE_NAT_GW] = {MNL_TYPE_U32, 0},
	[FRA_PRIORITY] = {MNL_TYPE_U32, 0},
	[FRA_FWMARK] = {MNL_TYPE_U32, 0},
	[FRA_FWMASK] = {MNL_TYPE_U32, 0},
	[FRA_FLOW] = {MNL_TYPE_U32, 0},
	[FRA_TUN_ID] = {MNL_TYPE_U64, 0},
	[FRA_SUPPRESS_IFGROUP] = {MNL_TYPE_U32, 0},
	[FRA_SUPPRESS_PREFIXLEN] = {MNL_TYPE_U32, 0},
	[FRA_TABLE] = {MNL_TYPE_U32, 0},
	[FRA_L3MDEV] = {MNL_TYPE_U8, 0},
	[FRA_UID_RANGE] = {MNL_TYPE_BINARY, sizeof(struct fib_rule_uid_range)},
	[FRA_PROTOCOL] = {MNL_TYPE_U8, 0},
	[FRA_IP_PROTO] = {MNL_TYPE_U8, 0},
	[FRA_SPORT_RANGE] = {MNL_TYPE_BINARY, sizeof(struct fib_rule_port_range)},
	[FRA_DPORT_RANGE] = {MNL_TYPE_BINARY, sizeof(struct fib_rule_port_range)},
};

static uint8_t copy_addr(const struct nlattr *a, uint8_t *out)
{
	size_t n = mnl_attr_get_payload_len(a);
	if (n > 16)
		n = 16;
	memcpy(out, mnl_attr_get_payload(a), n);
	return (uint8_t)n;
}

static void parse_ports(const struct nlattr *a, bool *has, uint16_t *p)
{
	if (!a)
		return;
	const struct fib_rule_port_range *r = mnl_attr_get_payload(a);
	*has = true;
	p[0] = r->start;
	p[1] = r->end;
}

/* The attributes of one number each. */
static void parse_numbers(struct rtnl_rule *r, const struct nlattr **tb)
{
	nl_get_u32(tb[FRA_PRIORITY], &r->has_priority, &r->priority);
	nl_get_u32(tb[FRA_FWMARK], &r->has_fwmark, &r->fwmark);
	nl_get_u32(tb[FRA_FWMASK], &r->has_fwmask, &r->fwmask);
	nl_get_u32(tb[FRA_FLOW], &r->has_flow, &r->flow);
	nl_get_u32(tb[FRA_GOTO], &r->has_goto, &r->goto_target);
	nl_get_u32(tb[RTNL_RULE_NAT_GW], &r->has_nat_gw, &r->nat_gw);
	nl_get_u32(tb[FRA_SUPPRESS_PREFIXLEN], &r->has_suppress_pl, (uint32_t *)&r->suppress_pl);
	nl_get_u32(tb[FRA_SUPPRESS_IFGROUP], &r->has_suppress_group,
		   (uint32_t *)&r->suppress_group);
	nl_get_u8(tb[FRA_L3MDEV], &r->has_l3mdev, &r->l3mdev);
	nl_get_u8(tb[FRA_IP_PROTO], &r->has_ipproto, &r->ipproto);
	nl_get_u8(tb[FRA_PROTOCOL], &r->has_protocol, &r->protocol);
}

int rtnl_rule_parse(const struct nlmsghdr *nlh, struct rtnl_rule *r)
{
	memset(r, 0, sizeof(*r));
	if ((nlh->nlmsg_type != RTM_NEWRULE && nlh->nlmsg_type != RTM_DELRULE) ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(struct fib_rule_hdr))
		return -EINVAL;
	const struct fib_rule_hdr *h = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[FRA_MAX + 1];
	if (nl_parse(nlh, sizeof(*h), rule_pol, FRA_MAX, tb) < 0)
		return -EINVAL;
	r->msg_type = nlh->nlmsg_type;
	r->family = h->family;
	r->src_len = h->src_len;
	r->dst_len = h->dst_len;
	r->tos = h->tos;
	r->action = h->action;
	r->flags = h->flags;
	r->table = tb[FRA_TABLE] ? mnl_attr_get_u32(tb[FRA_TABLE]) : h->table;
	parse_numbers(r, tb);
	if (tb[FRA_SRC]) {
		r->has_src = true;
		r->src_alen = copy_addr(tb[FRA_SRC], r->src);
	}
	if (tb[FRA_DST]) {
		r->has_dst = true;
		r->dst_alen = copy_addr(tb[FRA_DST], r->dst);
	}
	r->iif = tb[FRA_IIFNAME] ? mnl_attr_get_str(tb[FRA_IIFNAME]) : NULL;
	r->oif = tb[FRA_OIFNAME] ? mnl_attr_get_str(tb[FRA_OIFNAME]) : NULL;
	if ((r->has_tun_id = tb[FRA_TUN_ID] != NULL))
		r->tun_id = be64toh(mnl_attr_get_u64(tb[FRA_TUN_ID]));
	if (tb[FRA_UID_RANGE]) {
		const struct fib_rule_uid_range *u = mnl_attr_get_payload(tb[FRA_UID_RANGE]);
		r->has_uid = true;
		r->uid_start = u->start;
		r->uid_end = u->end;
	}
	parse_ports(tb[FRA_SPORT_RANGE], &r->has_sport, r->sport);
	parse_ports(tb[FRA_DPORT_RANGE], &r->has_dport, r->dport);
	return 0;
}

static void put_u32_if(struct nlmsghdr *nlh, bool has, uint16_t type, uint32_t v)
{
	if (has)
		mnl_attr_put_u32(nlh, type, v);
}

static void put_ports(struct nlmsghdr *nlh, bool has, uint16_t type, const uint16_t *p)
{
	if (!has)
		return;
	struct fib_rule_port_range r = {.start = p[0], .end = p[1]};
	mnl_attr_put(nlh, type, sizeof(r), &r);
}

struct nlmsghdr *rtnl_rule_build(void *buf, uint16_t type, uint16_t nlflags,
				 const struct rtnl_rule *r)
{
	memset(buf, 0, RTNL_REQ_BUFSZ);
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | nlflags;
	struct fib_rule_hdr *h = mnl_nlmsg_put_extra_header(nlh, sizeof(*h));
	h->family = r->family;
	h->src_len = r->src_len;
	h->dst_len = r->dst_len;
	h->tos = r->tos;
	h->action = r->action;
	h->flags = r->flags;
	h->table = r->table < 256 ? (uint8_t)r->table : RT_TABLE_UNSPEC;
	if (r->has_src)
		mnl_attr_put(nlh, FRA_SRC, r->src_alen, r->src);
	if (r->has_dst)
		mnl_attr_put(nlh, FRA_DST, r->dst_alen, r->dst);
	put_u32_if(nlh, r->has_priority, FRA_PRIORITY, r->priority);
	put_u32_if(nlh, r->has_fwmark, FRA_FWMARK, r->fwmark);
	put_u32_if(nlh, r->has_fwmask, FRA_FWMASK, r->fwmask);
	put_u32_if(nlh, r->has_flow, FRA_FLOW, r->flow);
	if (r->has_protocol)
		mnl_attr_put_u8(nlh, FRA_PROTOCOL, r->protocol);
	if (r->has_tun_id)
		mnl_attr_put_u64(nlh, FRA_TUN_ID, htobe64(r->tun_id));
	put_u32_if(nlh, r->table >= 256, FRA_TABLE, r->table);
	put_u32_if(nlh, r->has_suppress_pl, FRA_SUPPRESS_PREFIXLEN, (uint32_t)r->suppress_pl);
	put_u32_if(nlh, r->has_suppress_group, FRA_SUPPRESS_IFGROUP, (uint32_t)r->suppress_group);
	if (r->iif)
		mnl_attr_put_strz(nlh, FRA_IIFNAME, r->iif);
	if (r->oif)
		mnl_attr_put_strz(nlh, FRA_OIFNAME, r->oif);
	if (r->has_l3mdev)
		mnl_attr_put_u8(nlh, FRA_L3MDEV, r->l3mdev);
	if (r->has_uid) {
		struct fib_rule_uid_range u = {.start = r->uid_start, .end = r->uid_end};
		mnl_attr_put(nlh, FRA_UID_RANGE, sizeof(u), &u);
	}
	put_u32_if(nlh, r->has_nat_gw, RTNL_RULE_NAT_GW, r->nat_gw);
	if (r->has_ipproto)
		mnl_attr_put_u8(nlh, FRA_IP_PROTO, r->ipproto);
	put_ports(nlh, r->has_sport, FRA_SPORT_RANGE, r->sport);
	put_ports(nlh, r->has_dport, FRA_DPORT_RANGE, r->dport);
	put_u32_if(nlh, r->has_goto, FRA_GOTO, r->goto_target);
	return nlh;
}
