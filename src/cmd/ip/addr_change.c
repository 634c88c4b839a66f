/* ip address add / change / replace / del, and flush (dump, then delete
 * what matches). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "cmd/ip/ip.h"

struct addr_args {
	struct ip_prefix local, peer, brd, any;
	bool has_local, has_peer, has_any, brd_plus, brd_minus, has_brd;
	const char *dev, *label;
	uint32_t scope, metric, valid, preferred;
	bool has_scope, has_metric, has_valid, has_preferred;
	uint32_t flags;
};

static const struct {
	const char *name;
	uint32_t flag;
} addr_flags[] = {
	{"home", IFA_F_HOMEADDRESS},
	{"nodad", IFA_F_NODAD},
	{"optimistic", IFA_F_OPTIMISTIC},
	{"mngtmpaddr", IFA_F_MANAGETEMPADDR},
	{"noprefixroute", IFA_F_NOPREFIXROUTE},
	{"autojoin", IFA_F_MCAUTOJOIN},
};

static int lifetime(const char *v, uint32_t *out)
{
	if (!strcmp(v, "forever")) {
		*out = 0xffffffffu;
		return 0;
	}
	return ip_get_u32(out, v, 0);
}

static int bad_addr(int family, const char *a)
{
	fprintf(stderr, "Error: %s prefix is expected rather than \"%s\".\n",
		family == AF_INET6  ? "inet6"
		: family == AF_INET ? "inet"
				    : "any valid",
		a);
	return 1;
}

static int parse_kv(struct ip_ctx *c, struct addr_args *a, int family, const char *k, const char *v)
{
	if (!strcmp(k, "peer") || !strcmp(k, "remote")) {
		if (ip_get_prefix(&a->peer, v, family) < 0)
			return bad_addr(family, v);
		a->has_peer = true;
	} else if (ip_matches(k, "broadcast") || !strcmp(k, "brd")) {
		if (!strcmp(v, "+"))
			a->brd_plus = true;
		else if (!strcmp(v, "-"))
			a->brd_minus = true;
		else if (ip_get_addr(&a->brd, v, family) < 0)
			return bad_addr(family, v);
		a->has_brd = true;
	} else if (ip_matches(k, "anycast")) {
		if (ip_get_addr(&a->any, v, family) < 0)
			return bad_addr(family, v);
		a->has_any = true;
	} else if (ip_matches(k, "scope")) {
		if (ip_name_id(c, IPT_SCOPE, v, &a->scope) < 0 || a->scope > 255)
			return ip_invarg("invalid scope value.", v);
		a->has_scope = true;
	} else if (!strcmp(k, "dev")) {
		a->dev = v;
	} else if (!strcmp(k, "label")) {
		a->label = v;
	} else if (ip_matches(k, "metric") || ip_matches(k, "priority") ||
		   !strcmp(k, "preference")) {
		if (ip_get_u32(&a->metric, v, 0) < 0)
			return ip_invarg("\"metric\" value is invalid\n", v);
		a->has_metric = true;
	} else if (ip_matches(k, "valid_lft")) {
		if (lifetime(v, &a->valid) < 0)
			return ip_invarg("valid_lft value", v);
		a->has_valid = true;
	} else if (ip_matches(k, "preferred_lft")) {
		if (lifetime(v, &a->preferred) < 0)
			return ip_invarg("preferred_lft value", v);
		a->has_preferred = true;
	} else {
		return -1;
	}
	return 0;
}

static bool is_kv(const char *k)
{
	return !strcmp(k, "peer") || !strcmp(k, "remote") || ip_matches(k, "broadcast") ||
	       !strcmp(k, "brd") || ip_matches(k, "anycast") || ip_matches(k, "scope") ||
	       !strcmp(k, "dev") || !strcmp(k, "label") || ip_matches(k, "metric") ||
	       ip_matches(k, "priority") || !strcmp(k, "preference") ||
	       ip_matches(k, "valid_lft") || ip_matches(k, "preferred_lft");
}

static int parse_args(struct ip_ctx *c, struct addr_args *a, int argc, char **argv)
{
	int family = c->family == AF_PACKET ? AF_UNSPEC : c->family;
	for (; argc > 0; argc--, argv++) {
		const char *k = argv[0];
		bool flag = false;
		for (size_t i = 0; i < sizeof(addr_flags) / sizeof(addr_flags[0]); i++)
			if (!strcmp(k, addr_flags[i].name)) {
				a->flags |= addr_flags[i].flag;
				flag = true;
			}
		if (flag)
			continue;
		if (is_kv(k) && !(a->has_local == false && !strcmp(k, "local"))) {
			if (argc < 2)
				return ip_incomplete(k);
			int r = parse_kv(c, a, a->has_local ? a->local.family : family, k, argv[1]);
			if (r)
				return r;
			argc--;
			argv++;
			continue;
		}
		if (!strcmp(k, "local")) {
			if (argc < 2)
				return ip_incomplete(k);
			argc--;
			argv++;
			k = argv[0];
		}
		if (a->has_local)
			return ip_duparg2("local", k);
		if (ip_get_prefix(&a->local, k, family) < 0 || a->local.any)
			return bad_addr(family, k);
		a->has_local = true;
	}
	return 0;
}

static void put_broadcast(struct nlmsghdr *nlh, const struct addr_args *a, int plen)
{
	if (!a->has_brd || a->local.family != AF_INET)
		return;
	if (!a->brd_plus && !a->brd_minus) {
		mnl_attr_put(nlh, IFA_BROADCAST, 4, a->brd.data);
		return;
	}
	uint8_t b[4];
	memcpy(b, a->local.data, 4);
	for (int i = plen; i < 32; i++) {
		if (a->brd_plus)
			b[i / 8] |= (uint8_t)(0x80u >> (i % 8));
		else
			b[i / 8] &= (uint8_t) ~(0x80u >> (i % 8));
	}
	if (plen < 31)
		mnl_attr_put(nlh, IFA_BROADCAST, 4, b);
}

/* iproute2's default_scope(): loopback is host, IPv6 link-local is link. */
static uint8_t default_scope(const struct ip_prefix *p)
{
	if (p->family == AF_INET && p->data[0] == 127)
		return RT_SCOPE_HOST;
	if (p->family == AF_INET6) {
		static const uint8_t lo[16] = {[15] = 1};
		if (!memcmp(p->data, lo, 16))
			return RT_SCOPE_HOST;
		if (p->data[0] == 0xfe && (p->data[1] & 0xc0) == 0x80)
			return RT_SCOPE_LINK;
	}
	return RT_SCOPE_UNIVERSE;
}

int ip_addr_modify(struct ip_ctx *c, int cmd, int flags, int argc, char **argv)
{
	struct addr_args a = {0};
	int r = parse_args(c, &a, argc, argv);
	if (r)
		return r;
	if (!a.dev) {
		fprintf(stderr, "Not enough information: \"dev\" argument is required.\n");
		return 1;
	}
	if (!a.has_local) {
		fprintf(stderr, "Not enough information: address is required.\n");
		return 1;
	}
	if (a.label && strncmp(a.label, a.dev, strlen(a.dev))) {
		fprintf(stderr,
			"\"label\" (%s) must match \"dev\" (%s) or be prefixed by \"dev\" "
			"with a colon.\n",
			a.label, a.dev);
		return 1;
	}
	int idx = ip_ifindex(c, a.dev);
	if (!idx)
		return ip_nodev(a.dev);
	if (cmd == RTM_DELADDR && a.local.bitlen < 0 && a.local.family == AF_INET) {
		fprintf(stderr,
			"Warning: Executing wildcard deletion to stay compatible with old "
			"scripts.\n"
			"         Explicitly specify the prefix length (%s/%d) to avoid this "
			"warning.\n"
			"         This special behaviour is likely to disappear in further "
			"releases,\n"
			"         fix your scripts!\n",
			argv[0], 32);
	}
	int plen = a.local.bitlen < 0 ? (int)a.local.bytelen * 8 : a.local.bitlen;
	if (a.has_peer && a.peer.bitlen >= 0)
		plen = a.peer.bitlen;
	struct nl_sock *s;
	if (ip_nl(c, &s) < 0)
		return 1;
	char buf[1024];
	struct nlmsghdr *nlh = nl_msg_start(s, buf, (uint16_t)cmd, (uint16_t)flags);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)a.local.family;
	ifa->ifa_prefixlen = (uint8_t)plen;
	ifa->ifa_index = (uint32_t)idx;
	ifa->ifa_flags = (uint8_t)(a.flags & 0xff);
	ifa->ifa_scope = a.has_scope ? (uint8_t)a.scope : default_scope(&a.local);
	mnl_attr_put(nlh, IFA_LOCAL, a.local.bytelen, a.local.data);
	if (a.has_peer)
		mnl_attr_put(nlh, IFA_ADDRESS, a.peer.bytelen, a.peer.data);
	else if (!(cmd == RTM_DELADDR && a.local.bitlen < 0))
		mnl_attr_put(nlh, IFA_ADDRESS, a.local.bytelen, a.local.data);
	put_broadcast(nlh, &a, plen);
	if (a.has_any)
		mnl_attr_put(nlh, IFA_ANYCAST, a.any.bytelen, a.any.data);
	if (a.label)
		mnl_attr_put_strz(nlh, IFA_LABEL, a.label);
	if (a.flags > 0xff)
		mnl_attr_put_u32(nlh, IFA_FLAGS, a.flags);
	if (a.has_metric)
		mnl_attr_put_u32(nlh, IFA_RT_PRIORITY, a.metric);
	if (a.has_valid || a.has_preferred) {
		struct ifa_cacheinfo ci = {
			.ifa_valid = a.has_valid ? a.valid : 0xffffffffu,
			.ifa_prefered = a.has_preferred ? a.preferred : 0xffffffffu,
		};
		if (ci.ifa_prefered > ci.ifa_valid) {
			fprintf(stderr, "preferred_lft is greater than valid_lft\n");
			return 255;
		}
		mnl_attr_put(nlh, IFA_CACHEINFO, sizeof(ci), &ci);
	}
	struct nl_err err;
	if (nl_talk(s, nlh, NULL, NULL, &err) < 0) {
		ip_err_nl(c, &err, NULL);
		return 2;
	}
	return 0;
}

/* ---- flush ---- */

struct flush_ctx {
	struct ip_ctx *c;
	struct ip_link_sel sel;
	struct nlmsghdr **del;
	size_t n, cap;
};

static int on_flush(const struct nlmsghdr *nlh, void *data)
{
	struct flush_ctx *f = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	if (nlh->nlmsg_type != RTM_NEWADDR || mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifa))
		return MNL_CB_OK;
	if (f->sel.ifindex && (int)ifa->ifa_index != f->sel.ifindex)
		return MNL_CB_OK;
	if (f->c->family && f->c->family != AF_PACKET && ifa->ifa_family != f->c->family)
		return MNL_CB_OK;
	if (f->sel.has_scope && ifa->ifa_scope != f->sel.scope)
		return MNL_CB_OK;
	if (f->n == f->cap) {
		size_t ncap = f->cap ? 2 * f->cap : 16;
		struct nlmsghdr **d = realloc(f->del, ncap * sizeof(*d));
		if (!d)
			return MNL_CB_ERROR;
		f->del = d;
		f->cap = ncap;
	}
	struct nlmsghdr *copy = malloc(nlh->nlmsg_len);
	if (!copy)
		return MNL_CB_ERROR;
	memcpy(copy, nlh, nlh->nlmsg_len);
	f->del[f->n++] = copy;
	return MNL_CB_OK;
}

int ip_addr_flush(struct ip_ctx *c, int argc, char **argv)
{
	if (argc < 1) {
		fprintf(stderr, "Flush requires arguments.\n");
		return 1;
	}
	struct flush_ctx f = {.c = c};
	int r = ip_parse_link_filter(c, argc, argv, &f.sel);
	if (r)
		return r;
	if (f.sel.label || f.sel.has_to) {
		fprintf(stderr, "netkit ip: address flush by label or prefix is not implemented\n");
		return 2;
	}
	r = ip_addr_dump(c, c->family == AF_PACKET ? AF_UNSPEC : c->family, on_flush, &f);
	struct nl_sock *s = &c->nl;
	/* secondaries first: deleting a primary takes its secondaries along */
	for (size_t i = f.n; i-- > 0 && !r;) {
		struct nlmsghdr *m = f.del[i];
		m->nlmsg_type = RTM_DELADDR;
		m->nlmsg_flags = NLM_F_REQUEST;
		m->nlmsg_seq = ++s->seq;
		m->nlmsg_pid = 0;
		struct nl_err err;
		if (nl_talk(s, m, NULL, NULL, &err) < 0 && err.code != -EADDRNOTAVAIL) {
			ip_err_nl(c, &err, NULL);
			r = 2;
		}
	}
	if (!r && c->stats && !f.n)
		emit_text(c->out, "Nothing to flush.\n");
	else if (!r && c->stats)
		emit_text(c->out,
			  "\n*** Round 1, deleting %zu addresses ***\n"
			  "*** Flush is complete after 1 round ***\n",
			  f.n);
	for (size_t i = 0; i < f.n; i++)
		free(f.del[i]);
	free(f.del);
	return r;
}
