/* SPDX-License-Identifier: Apache-2.0 */
/* One route, printed as iproute2's print_route() does. This is the hot
 * path of a 500k-route dump: addresses go through the fast formatters
 * and every field through a one-conversion emitter call. */
#include <string.h>
#include <sys/socket.h>

#include <linux/in_route.h>
#include <linux/rtnetlink.h>

#include "cmd/ip/route_priv.h"
#include "lib/util/fmt.h"

void ip_print_rt_flags(struct ip_ctx *c, unsigned flags)
{
	struct emit *e = c->out;
	emit_arr_open(e, "flags");
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{RTNH_F_DEAD, "dead"},
		{RTNH_F_ONLINK, "onlink"},
		{RTNH_F_PERVASIVE, "pervasive"},
		{RTNH_F_OFFLOAD, "offload"},
		{RTM_F_OFFLOAD, "rt_offload"},
		{RTM_F_TRAP, "rt_trap"},
		{RTM_F_OFFLOAD_FAILED, "rt_offload_failed"},
		{RTM_F_NOTIFY, "notify"},
		{RTNH_F_LINKDOWN, "linkdown"},
		{RTNH_F_UNRESOLVED, "unresolved"},
		{RTNH_F_TRAP, "trap"},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (flags & names[i].bit)
			emit_str(e, NULL, "%s ", names[i].name);
	emit_arr_close(e);
}

static void print_gateway(struct ip_ctx *c, int family, const uint8_t *gw, bool via_attr)
{
	char b[1100];
	const char *s = ip_fmt_host(c, family, gw, b, sizeof(b));
	if (via_attr) {
		/* RTA_VIA: "via inet6 ADDR", JSON {"via":{"family":..,"host":..}} */
		emit_obj_open(c->out, "via");
		emit_text(c->out, "via ");
		emit_str(c->out, "family", "%s ", family == AF_INET6 ? "inet6" : "inet");
		ip_cstr(c, ip_family_color(family), "host", "%s ", s);
		emit_obj_close(c->out);
		return;
	}
	if (!emit_is_text(c->out)) {
		emit_str(c->out, "gateway", NULL, s);
		return;
	}
	emit_text(c->out, "via ");
	ip_cstr(c, ip_family_color(family), NULL, "%s ", s);
}

static void print_ifidx(struct ip_ctx *c, uint32_t ifindex, const char *key)
{
	char nb[IP_NAMESZ];
	const char *name = ip_ifname(c, ifindex, nb);
	if (!emit_is_text(c->out)) {
		emit_str(c->out, key, NULL, name);
		return;
	}
	emit_text(c->out, "%s ", key);
	ip_cstr(c, COL_IFNAME, NULL, "%s ", name);
}

static void print_cache_flags(struct ip_ctx *c, uint32_t flags)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} fl[] = {
		{RTCF_LOCAL, "local"},
		{RTCF_REJECT, "reject"},
		{RTCF_MULTICAST, "mc"},
		{RTCF_BROADCAST, "brd"},
		{RTCF_DNAT, "dst-nat"},
		{RTCF_SNAT, "src-nat"},
		{RTCF_MASQ, "masq"},
		{RTCF_DIRECTDST, "dst-direct"},
		{RTCF_DIRECTSRC, "src-direct"},
		{RTCF_REDIRECTED, "redirected"},
		{RTCF_DOREDIRECT, "redirect"},
		{RTCF_FAST, "fastroute"},
		{RTCF_NOTIFY, "notify"},
		{RTCF_TPROXY, "proxy"},
	};
	flags &= ~0xFFFFu;
	emit_arr_open(c->out, "cache");
	emit_text(c->out, c->oneline ? "\\    cache " : "\n    cache ");
	if (flags)
		emit_text(c->out, "<");
	for (size_t i = 0; i < sizeof(fl) / sizeof(fl[0]); i++) {
		if (flags & fl[i].bit) {
			flags &= ~fl[i].bit;
			emit_str(c->out, NULL, flags ? "%s," : "%s> ", fl[i].name);
		}
	}
	if (flags) {
		char b[16];
		snprintf(b, sizeof(b), "%#x", flags);
		emit_str(c->out, NULL, "%s> ", b);
	}
	emit_arr_close(c->out);
}

static void print_cacheinfo(struct ip_ctx *c, const struct rta_cacheinfo *ci)
{
	const int hz = 100; /* USER_HZ: the kernel reports clock_t ticks */
	if (ci->rta_expires)
		emit_int(c->out, "expires", "expires %dsec ", ci->rta_expires / hz);
	if (ci->rta_error)
		emit_uint(c->out, "error", "error %u ", ci->rta_error);
	if (c->stats) {
		if (ci->rta_clntref)
			emit_uint(c->out, "users", "users %u ", ci->rta_clntref);
		if (ci->rta_used)
			emit_uint(c->out, "used", "used %u ", ci->rta_used);
		if (ci->rta_lastuse)
			emit_uint(c->out, "age", "age %dsec ", ci->rta_lastuse / hz);
	}
	if (ci->rta_id) {
		char b[16];
		snprintf(b, sizeof(b), "0x%04x", ci->rta_id);
		emit_str(c->out, "ipid", "ipid %s ", b);
	}
	if (ci->rta_ts || ci->rta_tsage) {
		char b[16];
		snprintf(b, sizeof(b), "0x%x", ci->rta_ts);
		emit_str(c->out, "ts", "ts %s", b);
		emit_uint(c->out, "tsage", "tsage %usec ", ci->rta_tsage);
	}
}

static const char *const mx_names[RTAX_MAX + 1] = {
	[RTAX_MTU] = "mtu",	      [RTAX_WINDOW] = "window",
	[RTAX_RTT] = "rtt",	      [RTAX_RTTVAR] = "rttvar",
	[RTAX_SSTHRESH] = "ssthresh", [RTAX_CWND] = "cwnd",
	[RTAX_ADVMSS] = "advmss",     [RTAX_REORDERING] = "reordering",
	[RTAX_HOPLIMIT] = "hoplimit", [RTAX_INITCWND] = "initcwnd",
	[RTAX_FEATURES] = "features", [RTAX_RTO_MIN] = "rto_min",
	[RTAX_INITRWND] = "initrwnd", [RTAX_QUICKACK] = "quickack",
	[RTAX_CC_ALGO] = "congctl",   [RTAX_FASTOPEN_NO_COOKIE] = "fastopen_no_cookie",
};

static void print_metric(struct ip_ctx *c, int i, uint32_t val, const struct nlattr *a)
{
	struct emit *e = c->out;
	switch (i) {
	case RTAX_FEATURES:
		if (val & RTAX_FEATURE_ECN) {
			emit_text(e, "ecn ");
			val &= ~RTAX_FEATURE_ECN;
		}
		if (val)
			emit_text(e, "0x%x ", val);
		emit_uint(e, "features", NULL, val);
		break;
	case RTAX_RTT:
	case RTAX_RTTVAR:
	case RTAX_RTO_MIN:
		if (i == RTAX_RTT)
			val /= 8;
		else if (i == RTAX_RTTVAR)
			val /= 4;
		emit_uint(e, mx_names[i], NULL, val);
		if (val >= 1000)
			emit_text(e, "%gs ", val / 1e3);
		else
			emit_text(e, "%ums ", val);
		break;
	case RTAX_CC_ALGO:
		emit_str(e, "congestion", "%s ",
			 a && mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0 ? mnl_attr_get_str(a)
									     : "");
		break;
	default: emit_uint(e, mx_names[i] ? mx_names[i] : "metric", "%u ", val); break;
	}
}

static void print_metrics(struct ip_ctx *c, const struct nlattr *nest)
{
	const struct nlattr *mx[RTAX_MAX + 1];
	if (nl_parse_nested(nest, NULL, RTAX_MAX, mx) < 0)
		return;
	uint32_t lock = 0;
	if (mx[RTAX_LOCK] && mnl_attr_get_payload_len(mx[RTAX_LOCK]) >= 4)
		lock = mnl_attr_get_u32(mx[RTAX_LOCK]);
	emit_arr_open(c->out, "metrics");
	emit_obj_open(c->out, NULL);
	for (int i = 2; i <= RTAX_MAX; i++) {
		if (!mx[i] && !(lock & (1u << i)))
			continue;
		uint32_t val = 0;
		if (mx[i] && i != RTAX_CC_ALGO && mnl_attr_get_payload_len(mx[i]) >= 4)
			val = mnl_attr_get_u32(mx[i]);
		if (i == RTAX_HOPLIMIT && (int)val == -1)
			continue;
		if (mx_names[i])
			emit_text(c->out, "%s ", mx_names[i]);
		else
			emit_text(c->out, "metric %d ", i);
		if (lock & (1u << i))
			emit_text(c->out, "lock ");
		print_metric(c, i, val, mx[i]);
	}
	emit_obj_close(c->out);
	emit_arr_close(c->out);
}

static void print_multipath(struct ip_ctx *c, const struct rtnl_route *r)
{
	const void *it = NULL;
	struct rtnl_nexthop nh;
	bool mcast_cache = (r->flags & RTM_F_CLONED) && r->type == RTN_MULTICAST;
	bool first = true;
	char nb[IP_NAMESZ];
	emit_arr_open(c->out, "nexthops");
	while (rtnl_route_nexthop(r, &it, &nh)) {
		emit_obj_open(c->out, NULL);
		if (mcast_cache) {
			emit_text(c->out, first ? "Oifs: " : " ");
			first = false;
		} else {
			emit_text(c->out, c->oneline ? "\\\tnexthop " : "\n\tnexthop ");
		}
		if (nh.has_gw)
			print_gateway(c, nh.gw_family, nh.gw, nh.gw_family != r->family);
		if (nh.has_flow)
			ip_print_flow(c, nh.flow);
		if (mcast_cache) {
			emit_str(c->out, "dev", "%s", ip_ifname(c, nh.ifindex, nb));
			if (nh.hops != 1)
				emit_int(c->out, "ttl", "(ttl>%d)", nh.hops);
			emit_text(c->out, " ");
		} else {
			emit_str(c->out, "dev", "dev %s ", ip_ifname(c, nh.ifindex, nb));
			if (r->family != AF_MPLS)
				emit_int(c->out, "weight", "weight %d ", nh.hops + 1);
		}
		ip_print_rt_flags(c, nh.flags);
		emit_obj_close(c->out);
	}
	emit_arr_close(c->out);
}

void ip_print_flow(struct ip_ctx *c, uint32_t flow)
{
	char b1[64], b2[64];
	uint32_t to = flow & 0xffff, from = flow >> 16;
	emit_text(c->out, "realm%s ", from ? "s" : "");
	if (from)
		emit_str(c->out, "flow_from", "%s/", ip_name(c, IPT_REALM, from, b1, sizeof(b1)));
	emit_str(c->out, "flow_to", "%s ", ip_name(c, IPT_REALM, to, b2, sizeof(b2)));
}

/* "dst" or "src" of the route: prefix, host, or default. */
static const char *route_prefix(struct ip_ctx *c, int family, bool has, const uint8_t *a,
				unsigned len, unsigned host_len, char *b, size_t blen)
{
	if (has) {
		if (len != host_len) {
			size_t n = fmt_addr(b, family, a);
			b[n++] = '/';
			fmt_u64(b + n, len);
			return b;
		}
		return ip_fmt_host(c, family, a, b, blen);
	}
	return NULL;
}

static void print_dst_src(struct ip_ctx *c, const struct rtnl_route *r, unsigned host_len)
{
	char b[1100];
	const char *dst =
		route_prefix(c, r->family, r->has_dst, r->dst, r->dst_len, host_len, b, sizeof(b));
	if (!dst) {
		if (r->dst_len) {
			snprintf(b, sizeof(b), "0/%d ", r->dst_len);
			dst = b;
		} else {
			dst = "default";
		}
	}
	ip_cstr(c, r->has_dst ? ip_family_color(r->family) : COL_NONE, "dst", "%s ", dst);
	const char *src =
		route_prefix(c, r->family, r->has_src, r->src, r->src_len, host_len, b, sizeof(b));
	if (src) {
		ip_cstr(c, ip_family_color(r->family), "src", "from %s ", src);
	} else if (r->src_len) {
		snprintf(b, sizeof(b), "0/%u", r->src_len);
		emit_str(c->out, "src", "from %s ", b);
	}
}

static void print_tail(struct ip_ctx *c, const struct rtnl_route *r, const struct route_filter *f)
{
	if (r->has_mark && r->mark) {
		if (!emit_is_text(c->out))
			emit_uint(c->out, "mark", NULL, r->mark);
		else if (r->mark >= 16)
			emit_text(c->out, "mark 0x%x ", r->mark);
		else
			emit_text(c->out, "mark %u ", r->mark);
	}
	if (r->has_flow && !(f && f->realm_set))
		ip_print_flow(c, r->flow);
	if (r->has_uid)
		emit_uint(c->out, "uid", "uid %u ", r->uid);
	if (r->family == AF_INET) {
		if (r->flags & RTM_F_CLONED)
			print_cache_flags(c, r->flags);
		if (r->cacheinfo)
			print_cacheinfo(c, r->cacheinfo);
	} else if (r->family == AF_INET6 && r->cacheinfo) {
		print_cacheinfo(c, r->cacheinfo);
	}
	if (r->metrics)
		print_metrics(c, r->metrics);
	if (r->has_iif && !(f && f->iif))
		print_ifidx(c, r->iif, "iif");
	if (r->has_pref) {
		static const char *const prefs[] = {"medium", "high", NULL, "low"};
		if (r->pref < 4 && prefs[r->pref])
			emit_str(c->out, "pref", "pref %s", prefs[r->pref]);
		else
			emit_uint(c->out, "pref", "%u", r->pref);
	}
	if (r->has_nhid && c->details)
		ip_print_nh_info(c, r->nhid);
	if (r->multipath)
		print_multipath(c, r);
}

void ip_print_route(struct ip_ctx *c, const struct rtnl_route *r, const struct route_filter *f)
{
	char b[64];
	unsigned host_len = rtnl_addr_len(r->family) * 8;
	if (r->msg_type == RTM_DELROUTE)
		emit_bool(c->out, "deleted", "Deleted ", true);
	if (r->type != RTN_UNICAST || c->details) {
		if (c->numeric)
			snprintf(b, sizeof(b), "%u", r->type);
		emit_str(c->out, "type", "%s ", c->numeric ? b : ip_rtntype(r->type, b, sizeof(b)));
	}
	print_dst_src(c, r, host_len);
	if (r->has_nhid)
		emit_uint(c->out, "nhid", "nhid %u ", r->nhid);
	if (r->tos) {
		snprintf(b, sizeof(b), "0x%02x", r->tos);
		emit_str(c->out, "tos", "tos %s ", b);
	}
	if (r->has_gw && !(f && f->via_exact))
		print_gateway(c, r->gw_family, r->gw, r->gw_family != r->family);
	if (r->has_oif && !(f && f->oif))
		print_ifidx(c, r->oif, "dev");
	if (r->table && (r->table != RT_TABLE_MAIN || c->details) && !(f && f->table))
		emit_str(c->out, "table", "table %s ",
			 ip_name(c, IPT_TABLE, r->table, b, sizeof(b)));
	if (!(r->flags & RTM_F_CLONED)) {
		if ((r->protocol != RTPROT_BOOT || c->details) && !(f && f->proto_set))
			emit_str(c->out, "protocol", "proto %s ",
				 ip_name(c, IPT_PROTO, r->protocol, b, sizeof(b)));
		if ((r->scope != RT_SCOPE_UNIVERSE || c->details) && !(f && f->scope_set))
			emit_str(c->out, "scope", "scope %s ",
				 ip_name(c, IPT_SCOPE, r->scope, b, sizeof(b)));
	}
	if (r->has_prefsrc && !(f && f->src_exact)) {
		char a[FMT_ADDR_LEN];
		fmt_addr(a, r->family, r->prefsrc);
		emit_text(c->out, "src ");
		ip_cstr(c, ip_family_color(r->family), "prefsrc", "%s ", a);
	}
	if (r->has_prio && !(f && f->metric_set))
		emit_uint(c->out, "metric", "metric %u ", r->priority);
	ip_print_rt_flags(c, r->flags);
	print_tail(c, r, f);
	emit_text(c->out, "\n");
}
