/* SPDX-License-Identifier: Apache-2.0 */
/* ip address add / change / replace / del: the words into one struct
 * rtnl_addr_req, built by rtnl_addr_build(); and flush (dump, then delete
 * what matches). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "cmd/ip/ip.h"
#include "lib/nl/msglist.h"

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
	struct rtnl_addr_req q = {
		.ifindex = idx,
		.wildcard = cmd == RTM_DELADDR && a.local.bitlen < 0,
		.broadcast = a.brd_plus || a.brd_minus,
		.broadcast_zeros = a.brd_minus && !a.brd_plus,
		.scope = a.has_scope ? (uint8_t)a.scope : default_scope(&a.local),
		.flags = a.flags,
		.label = a.label,
		.metric_set = a.has_metric,
		.metric = a.metric,
		.lifetimes_set = a.has_valid || a.has_preferred,
		.valid_lft = a.has_valid ? a.valid : 0xffffffffu,
		.preferred_lft = a.has_preferred ? a.preferred : 0xffffffffu,
	};
	if (q.lifetimes_set && q.preferred_lft > q.valid_lft) {
		fprintf(stderr, "preferred_lft is greater than valid_lft\n");
		return 255;
	}
	ip_prefix_to_rtnl(&a.local, &q.local);
	if (a.has_peer) {
		ip_prefix_to_rtnl(&a.peer, &q.peer);
		if (a.peer.bitlen >= 0)
			q.local.len = (uint8_t)a.peer.bitlen;
	}
	if (a.has_brd && !a.brd_plus && !a.brd_minus)
		ip_prefix_to_rtnl(&a.brd, &q.brd);
	if (a.has_any)
		ip_prefix_to_rtnl(&a.any, &q.anycast);
	struct nl_sock *s;
	if (ip_nl(c, &s) < 0)
		return 1;
	char buf[RTNL_REQ_BUFSZ];
	struct nl_err err;
	if (nl_talk(s, rtnl_addr_build(buf, (uint16_t)cmd, (uint16_t)flags, &q), NULL, NULL, &err) <
	    0) {
		ip_err_nl(c, &err, NULL);
		return 2;
	}
	return 0;
}

/* ---- flush ---- */

struct flush_ctx {
	struct ip_ctx *c;
	struct ip_link_sel sel;
	struct nl_msg_list del; /* the addresses to delete, after the dump */
};

static int on_flush(const struct nlmsghdr *nlh, void *data)
{
	struct flush_ctx *f = data;
	if (nlh->nlmsg_type != RTM_NEWADDR || !ip_addr_sel_ok(f->c, &f->sel, nlh))
		return MNL_CB_OK;
	if (f->c->stats > 1) {
		/* -s -s: each address as ip monitor prints one ("N: dev" first) */
		bool mon = f->c->monitor;
		f->c->monitor = true;
		emit_obj_open(f->c->out, NULL);
		ip_print_addr(f->c, nlh);
		emit_obj_close(f->c->out);
		f->c->monitor = mon;
	}
	return nl_msg_list_add(&f->del, nlh);
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
	if (f.sel.has_to && !c->family)
		c->family = f.sel.to.family;
	if (c->stats > 1)
		emit_arr_open(c->out, NULL); /* the addresses printed, as valid JSON */
	r = ip_addr_dump(c, c->family == AF_PACKET ? AF_UNSPEC : c->family, f.sel.ifindex, on_flush,
			 &f);
	if (c->stats > 1)
		emit_arr_close(c->out);
	/* secondaries first: deleting a primary takes its secondaries along */
	struct nl_err err;
	if (!r && nl_msg_list_send(&c->nl, &f.del, RTM_DELADDR, true, -EADDRNOTAVAIL, &err) < 0) {
		ip_err_nl(c, &err, NULL);
		r = 2;
	}
	if (!r && c->stats && !f.del.n)
		emit_text(c->out, "Nothing to flush.\n");
	else if (!r && c->stats)
		emit_text(c->out,
			  "\n*** Round 1, deleting %zu addresses ***\n"
			  "*** Flush is complete after 1 round ***\n",
			  f.del.n);
	nl_msg_list_free(&f.del);
	return r;
}
