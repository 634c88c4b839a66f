/* SPDX-License-Identifier: Apache-2.0 */
/* ip nexthop: nexthop objects and groups, as iproute2 6.1's `ip nexthop`
 * adds, replaces, deletes, gets, lists (text and -j) and flushes them.
 * The messages go through lib/nl/rtnl_nh; the buckets of resilient
 * groups are listed and got as its `ip nexthop bucket` does. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rtnetlink.h>

#include "cmd/ip/ip.h"
#include "cmd/ip/route_priv.h"
#include "lib/nl/rtnl_nh.h"
#include "lib/util/fmt.h"

#define USER_HZ 100 /* the kernel's clock_t: the timers' unit */

struct nh_filter {
	int family;
	uint32_t ifindex, master, proto;
	bool groups, fdb;
};

static int nh_usage(void)
{
	fprintf(stderr, "Usage: ip nexthop { list | flush } [ protocol ID ] SELECTOR\n"
			"       ip nexthop { add | replace } id ID NH [ protocol ID ]\n"
			"       ip nexthop { get | del } id ID\n"
			"       ip nexthop bucket list BUCKET_SELECTOR\n"
			"       ip nexthop bucket get id ID index INDEX\n"
			"SELECTOR := [ id ID ] [ dev DEV ] [ vrf NAME ] [ master DEV ]\n"
			"            [ groups ] [ fdb ]\n"
			"BUCKET_SELECTOR := SELECTOR | [ nhid ID ]\n"
			"NH := { blackhole | [ via ADDRESS ] [ dev DEV ] [ onlink ]\n"
			"        [ encap ENCAPTYPE ENCAPHDR ] |\n"
			"        group GROUP [ fdb ] [ type TYPE [ TYPE_ARGS ] ] }\n"
			"GROUP := [ <id[,weight]>/<id[,weight]>/... ]\n"
			"TYPE := { mpath | resilient }\n"
			"TYPE_ARGS := [ RESILIENT_ARGS ]\n"
			"RESILIENT_ARGS := [ buckets BUCKETS ] [ idle_timer IDLE ]\n"
			"                  [ unbalanced_timer UNBALANCED ]\n"
			"ENCAPTYPE := [ mpls ]\n"
			"ENCAPHDR := [ MPLSLABEL ]\n");
	return 255;
}

/* ---- printing ---- */

static void print_group(struct ip_ctx *c, const struct rtnl_nh *n)
{
	emit_arr_open(c->out, "group");
	emit_text(c->out, "group ");
	for (unsigned i = 0; i < n->ngroup; i++) {
		emit_obj_open(c->out, NULL);
		if (i)
			emit_text(c->out, "/");
		emit_uint(c->out, "id", "%u", n->group[i].id);
		if (n->group[i].weight)
			emit_uint(c->out, "weight", ",%u", n->group[i].weight + 1u);
		emit_obj_close(c->out);
	}
	emit_text(c->out, " ");
	emit_arr_close(c->out);
}

static void print_res(struct ip_ctx *c, const struct rtnl_nh *n)
{
	emit_str(c->out, "type", "type %s ", "resilient");
	emit_obj_open(c->out, "resilient_args");
	emit_uint(c->out, "buckets", "buckets %u ", n->buckets);
	emit_uint(c->out, "idle_timer", "idle_timer %u ", n->idle_timer / USER_HZ);
	emit_uint(c->out, "unbalanced_timer", "unbalanced_timer %u ",
		  n->unbalanced_timer / USER_HZ);
	emit_uint(c->out, "unbalanced_time", "unbalanced_time %u ",
		  (unsigned)(n->unbalanced_time / USER_HZ));
	emit_obj_close(c->out);
}

/* One nexthop's words, inside an object the caller opened. */
void ip_print_nexthop(struct ip_ctx *c, const struct rtnl_nh *n)
{
	char b[1100];
	if (n->msg_type == RTM_DELNEXTHOP)
		emit_bool(c->out, "deleted", "Deleted ", true);
	emit_uint(c->out, "id", "id %u ", n->id);
	if (n->group)
		print_group(c, n);
	if (n->has_group_type && n->group_type == NEXTHOP_GRP_TYPE_RES && n->has_res)
		print_res(c, n);
	if (n->has_gw) {
		int fam = n->gw_len == 16 ? AF_INET6 : AF_INET;
		const char *s = ip_fmt_host(c, fam, n->gw, b, sizeof(b));
		if (emit_is_text(c->out)) {
			emit_text(c->out, "via ");
			ip_cstr(c, ip_family_color(fam), NULL, "%s ", s);
		} else {
			emit_str(c->out, "gateway", NULL, s);
		}
	}
	if (n->has_oif)
		ip_cstr(c, COL_IFNAME, "dev", "dev %s ", ip_ifname(c, n->oif, b));
	if (n->scope != RT_SCOPE_UNIVERSE || c->details)
		emit_str(c->out, "scope", "scope %s ",
			 ip_name(c, IPT_SCOPE, n->scope, b, sizeof(b)));
	if (n->blackhole)
		emit_null(c->out, "blackhole", "blackhole ");
	if (n->protocol != RTPROT_UNSPEC || c->details)
		emit_str(c->out, "protocol", "proto %s ",
			 ip_name(c, IPT_PROTO, n->protocol, b, sizeof(b)));
	ip_print_rt_flags(c, n->flags);
	if (n->fdb)
		emit_null(c->out, "fdb", "fdb");
}

/* ---- nh_info of ip -d route ---- */

struct ip_nh_cache {
	struct nl_sock s;
	bool open;
	struct nh_cached {
		uint32_t id;
		struct nlmsghdr *msg; /* NULL: the kernel has none */
	} * e;
	size_t n, cap;
};

static int on_cached(const struct nlmsghdr *nlh, void *data)
{
	struct nlmsghdr **out = data;
	if (nlh->nlmsg_type != RTM_NEWNEXTHOP || *out)
		return MNL_CB_OK;
	*out = malloc(nlh->nlmsg_len);
	if (*out)
		memcpy(*out, nlh, nlh->nlmsg_len);
	return MNL_CB_OK;
}

static const struct nlmsghdr *nh_lookup(struct ip_ctx *c, uint32_t id)
{
	if (!c->nhc && !(c->nhc = calloc(1, sizeof(*c->nhc))))
		return NULL;
	struct ip_nh_cache *h = c->nhc;
	for (size_t i = 0; i < h->n; i++)
		if (h->e[i].id == id)
			return h->e[i].msg;
	if (!h->open && nl_open(&h->s, NETLINK_ROUTE, NULL) < 0)
		return NULL;
	h->open = true;
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 16;
		struct nh_cached *e = realloc(h->e, cap * sizeof(*e));
		if (!e)
			return NULL;
		h->e = e;
		h->cap = cap;
	}
	char buf[128];
	struct nlmsghdr *nlh = nl_msg_start(&h->s, buf, RTM_GETNEXTHOP, 0);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct nhmsg));
	mnl_attr_put_u32(nlh, NHA_ID, id);
	struct nlmsghdr *msg = NULL;
	struct nl_err err;
	if (nl_talk(&h->s, nlh, on_cached, &msg, &err) < 0) {
		free(msg);
		msg = NULL;
	}
	h->e[h->n++] = (struct nh_cached){.id = id, .msg = msg};
	return msg;
}

void ip_print_nh_info(struct ip_ctx *c, uint32_t id)
{
	const struct nlmsghdr *m = nh_lookup(c, id);
	struct rtnl_nh n;
	if (!m || rtnl_nh_parse(m, &n) < 0)
		return;
	emit_text(c->out, "\n\tnh_info ");
	emit_obj_open(c->out, "nh_info");
	ip_print_nexthop(c, &n);
	emit_obj_close(c->out);
}

void ip_nh_cache_free(struct ip_ctx *c)
{
	struct ip_nh_cache *h = c->nhc;
	if (!h)
		return;
	for (size_t i = 0; i < h->n; i++)
		free(h->e[i].msg);
	free(h->e);
	if (h->open)
		nl_close(&h->s);
	free(h);
	c->nhc = NULL;
}

struct list_ctx {
	struct ip_ctx *c;
	const struct nh_filter *f;
	bool flush;
	uint32_t *ids; /* flush: the nexthops to delete after the dump */
	size_t n, cap;
};

static int keep_id(struct list_ctx *l, uint32_t id)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		uint32_t *ids = realloc(l->ids, cap * sizeof(*ids));
		if (!ids)
			return MNL_CB_ERROR;
		l->ids = ids;
		l->cap = cap;
	}
	l->ids[l->n++] = id;
	return MNL_CB_OK;
}

static int on_nh(const struct nlmsghdr *nlh, void *data)
{
	struct list_ctx *l = data;
	struct rtnl_nh n;
	if (rtnl_nh_parse(nlh, &n) < 0 || (l->f->proto && l->f->proto != n.protocol))
		return MNL_CB_OK;
	if (l->flush)
		return n.id ? keep_id(l, n.id) : MNL_CB_OK;
	emit_obj_open(l->c->out, NULL);
	ip_print_nexthop(l->c, &n);
	emit_text(l->c->out, "\n");
	emit_obj_close(l->c->out);
	return MNL_CB_OK;
}

/* ---- list, flush, get ---- */

static struct nlmsghdr *dump_req(struct nl_sock *s, void *buf, const struct nh_filter *f)
{
	struct nlmsghdr *nlh = nl_msg_start(s, buf, RTM_GETNEXTHOP, NLM_F_DUMP);
	struct nhmsg *h = mnl_nlmsg_put_extra_header(nlh, sizeof(*h));
	h->nh_family = (uint8_t)f->family;
	if (f->ifindex)
		mnl_attr_put_u32(nlh, NHA_OIF, f->ifindex);
	if (f->groups)
		mnl_attr_put(nlh, NHA_GROUPS, 0, NULL);
	if (f->master)
		mnl_attr_put_u32(nlh, NHA_MASTER, f->master);
	if (f->fdb)
		mnl_attr_put(nlh, NHA_FDB, 0, NULL);
	return nlh;
}

static int delete_id(struct ip_ctx *c, struct nl_sock *s, uint32_t id)
{
	char buf[128];
	struct nlmsghdr *nlh = nl_msg_start(s, buf, RTM_DELNEXTHOP, 0);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct nhmsg));
	mnl_attr_put_u32(nlh, NHA_ID, id);
	struct nl_err err;
	if (nl_talk(s, nlh, NULL, NULL, &err) < 0) {
		fprintf(stderr, "Failed to delete nexthop with id %u: %s\n", id,
			strerror(-err.code));
		return -1;
	}
	return 0;
}

/* One dump; with flush, then the deletes. Returns 0, or 2 when the dump failed. */
static int list_once(struct ip_ctx *c, const struct nh_filter *f, bool flush, unsigned *flushed)
{
	struct nl_sock *s;
	if (ip_nl(c, &s) < 0)
		return 1;
	char buf[256];
	struct nlmsghdr *nlh = dump_req(s, buf, f);
	struct list_ctx l = {.c = c, .f = f, .flush = flush};
	struct nl_err err;
	int r = nl_dump_pipelined(s, nlh, on_nh, &l, &err);
	if (r < 0) {
		emit_flush(c->out);
		ip_err_nl(c, &err, NULL);
		fprintf(stderr, flush ? "Dump terminated. Failed to flush nexthops\n"
				      : "Dump terminated\n");
		free(l.ids);
		return 2;
	}
	for (size_t i = 0; i < l.n; i++)
		if (delete_id(c, s, l.ids[i]) == 0)
			(*flushed)++;
	free(l.ids);
	return 0;
}

static int get_id(struct ip_ctx *c, uint32_t id)
{
	struct nl_sock *s;
	if (ip_nl(c, &s) < 0)
		return 1;
	char buf[128];
	struct nlmsghdr *nlh = nl_msg_start(s, buf, RTM_GETNEXTHOP, 0);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct nhmsg));
	mnl_attr_put_u32(nlh, NHA_ID, id);
	struct nh_filter f = {0};
	struct list_ctx l = {.c = c, .f = &f};
	struct nl_err err;
	emit_arr_open(c->out, NULL);
	int r = nl_talk(s, nlh, on_nh, &l, &err);
	emit_arr_close(c->out);
	if (r < 0) {
		emit_flush(c->out);
		ip_err_nl(c, &err, NULL);
		return 2;
	}
	return 0;
}

static int dev_index(struct ip_ctx *c, const char *name, uint32_t *out, const char *msg)
{
	int idx = ip_ifindex(c, name);
	if (!idx)
		return ip_invarg(msg, name);
	*out = (uint32_t)idx;
	return 0;
}

static int parse_filter(struct ip_ctx *c, struct nh_filter *f, int argc, char **argv, bool *got_id,
			uint32_t *id)
{
	for (; argc > 0; argc--, argv++) {
		const char *k = argv[0];
		bool val = ip_matches(k, "dev") || ip_matches(k, "master") ||
			   ip_matches(k, "vrf") || !strcmp(k, "id") || ip_matches(k, "protocol");
		if (ip_matches(k, "groups")) {
			f->groups = true;
			continue;
		}
		if (val && !ip_matches(k, "groups") && argc < 2)
			return ip_incomplete(NULL);
		const char *v = val ? argv[1] : NULL;
		int r = 0;
		if (ip_matches(k, "dev")) {
			r = dev_index(c, v, &f->ifindex, "Device does not exist\n");
		} else if (ip_matches(k, "master")) {
			r = dev_index(c, v, &f->master, "Device does not exist\n");
		} else if (ip_matches(k, "vrf")) {
			return ip_invarg("Invalid VRF\n", v); /* no VRF driver netkit knows of */
		} else if (!strcmp(k, "id")) {
			if (ip_get_u32(id, v, 0) < 0)
				return ip_invarg("invalid id value", v);
			*got_id = true;
			return 0;
		} else if (ip_matches(k, "protocol")) {
			if (ip_get_u32(&f->proto, v, 0) < 0)
				return ip_invarg("invalid protocol value", v);
		} else if (ip_matches(k, "fdb")) {
			f->fdb = true;
		} else if (ip_matches(k, "help")) {
			return nh_usage();
		} else {
			return ip_invarg("", k);
		}
		if (r)
			return r;
		if (val) {
			argc--;
			argv++;
		}
	}
	return 0;
}

static int nh_list(struct ip_ctx *c, int argc, char **argv, bool flush)
{
	struct nh_filter f = {.family = c->family == AF_PACKET ? 0 : c->family};
	bool all = argc == 0, got_id = false;
	uint32_t id = 0;
	int r = parse_filter(c, &f, argc, argv, &got_id, &id);
	if (r)
		return r;
	if (got_id)
		return get_id(c, id);
	if (!flush) {
		unsigned none = 0;
		emit_arr_open(c->out, NULL);
		r = list_once(c, &f, false, &none);
		emit_arr_close(c->out);
		return r;
	}
	unsigned flushed = 0;
	if (all) {
		/* the groups first, then what they used */
		struct nh_filter g = f;
		g.groups = true;
		g.ifindex = g.master = 0;
		r = list_once(c, &g, true, &flushed);
	}
	if (!r)
		r = list_once(c, &f, true, &flushed);
	if (!r && flushed)
		emit_rawf(c->out, "Flushed %u nexthops\n", flushed);
	else if (!r)
		emit_rawf(c->out, "Nothing to flush\n");
	return r;
}

static int nh_get(struct ip_ctx *c, int argc, char **argv)
{
	uint32_t id = 0;
	for (; argc > 0; argc--, argv++) {
		if (strcmp(argv[0], "id"))
			return nh_usage();
		if (argc < 2)
			return ip_incomplete(NULL);
		if (ip_get_u32(&id, argv[1], 0) < 0)
			return ip_invarg("invalid id value", argv[1]);
		argc--;
		argv++;
	}
	if (!id)
		return nh_usage();
	return get_id(c, id);
}

/* ---- add / replace / del ---- */

struct nh_args {
	struct rtnl_nhobj_req req;
	struct nexthop_grp grp[RTNL_MAX_NEXTHOPS * 4];
};

/* GROUP: id[,weight]/...; 0 or an exit status. The words are cut in
 * place as iproute2 cuts them, so an error names what it names. */
static int parse_group(struct nh_args *a, const char *arg)
{
	char b[4096];
	snprintf(b, sizeof(b), "%s", arg);
	unsigned n = 0;
	for (char *p = b; p; n++) {
		if (n == sizeof(a->grp) / sizeof(a->grp[0]))
			return ip_invarg("\"group\" value is invalid\n", b);
		char *sep = strchr(p, '/');
		if (sep)
			*sep++ = '\0';
		char *w = strchr(p, ',');
		if (w)
			*w++ = '\0';
		memset(&a->grp[n], 0, sizeof(a->grp[n]));
		if (ip_get_u32(&a->grp[n].id, p, 0) < 0)
			return ip_invarg("\"group\" value is invalid\n", b);
		uint32_t wt;
		if (w && (ip_get_u32(&wt, w, 0) < 0 || wt == 0 || wt > 256))
			return ip_invarg("\"weight\" is invalid\n", w);
		a->grp[n].weight = w ? (uint8_t)(wt - 1) : 0;
		p = sep;
	}
	a->req.group = a->grp;
	a->req.ngroup = n;
	return 0;
}

/* type TYPE [buckets N] [idle_timer S] [unbalanced_timer S]: words used or -status */
static int parse_type(struct nh_args *a, int argc, char **argv)
{
	struct rtnl_nh *n = &a->req.nh;
	if (!strcmp(argv[1], "mpath"))
		n->group_type = NEXTHOP_GRP_TYPE_MPATH;
	else if (!strcmp(argv[1], "resilient"))
		n->group_type = NEXTHOP_GRP_TYPE_RES;
	else
		return -ip_invarg("\"type\" value is invalid\n", argv[1]);
	n->has_group_type = true;
	int i = 2;
	while (n->group_type == NEXTHOP_GRP_TYPE_RES && i < argc) {
		const char *k = argv[i];
		bool b = !strcmp(k, "buckets"), idle = !strcmp(k, "idle_timer");
		if (!b && !idle && strcmp(k, "unbalanced_timer"))
			break;
		if (i + 1 >= argc)
			return -ip_incomplete(NULL);
		uint32_t v;
		const char *s = argv[i + 1];
		if (b) {
			if (ip_get_u32(&v, s, 0) < 0 || v > 0xffff)
				return -ip_invarg("invalid buckets value", s);
			n->buckets = (uint16_t)v;
			a->req.buckets_set = true;
		} else {
			if (ip_get_u32(&v, s, 0) < 0)
				return -ip_invarg(idle ? "invalid idle timer value"
						       : "invalid unbalanced timer value",
						  s);
			if (v > UINT32_MAX / USER_HZ)
				return -ip_invarg(idle ? "idle timer value is too large"
						       : "unbalanced timer value is too large",
						  s);
			*(idle ? &n->idle_timer : &n->unbalanced_timer) = v * USER_HZ;
			*(idle ? &a->req.idle_set : &a->req.unbalanced_set) = true;
		}
		i += 2;
	}
	return i;
}

/* One word of add/replace/del: words used, or -status. */
static int nh_word(struct ip_ctx *c, struct nh_args *a, int argc, char **argv)
{
	struct rtnl_nh *n = &a->req.nh;
	const char *k = argv[0];
	bool val = !strcmp(k, "id") || !strcmp(k, "dev") || !strcmp(k, "via") ||
		   !strcmp(k, "group") || !strcmp(k, "type") || ip_matches(k, "protocol") ||
		   !strcmp(k, "encap");
	if (val && argc < 2)
		return -ip_incomplete(NULL);
	const char *v = val ? argv[1] : NULL;
	if (!strcmp(k, "id")) {
		if (ip_get_u32(&n->id, v, 0) < 0)
			return -ip_invarg("invalid id value", v);
		n->has_id = true;
	} else if (!strcmp(k, "dev")) {
		int r = dev_index(c, v, &n->oif, "Device does not exist\n");
		if (r)
			return -r;
		n->has_oif = true;
		if (!n->family)
			n->family = AF_INET;
	} else if (!strcmp(k, "via")) {
		struct ip_prefix p;
		if (ip_get_addr(&p, v, n->family) < 0 || p.any) {
			fprintf(stderr, "Error: %s address is expected rather than \"%s\".\n",
				n->family == AF_INET	? "inet"
				: n->family == AF_INET6 ? "inet6"
							: "any valid",
				v);
			return -1;
		}
		if (!n->family)
			n->family = (uint8_t)p.family;
		else if (n->family != p.family)
			return -ip_invarg("address family mismatch\n", v);
		n->has_gw = true;
		n->gw_len = (uint8_t)p.bytelen;
		memcpy(n->gw, p.data, p.bytelen);
	} else if (!strcmp(k, "blackhole") || !strcmp(k, "fdb") || !strcmp(k, "onlink")) {
		if (k[0] == 'b') {
			n->blackhole = true;
			if (!n->family)
				n->family = AF_INET;
		}
		n->fdb |= k[0] == 'f';
		n->flags |= k[0] == 'o' ? RTNH_F_ONLINK : 0;
	} else if (!strcmp(k, "group")) {
		int r = parse_group(a, v);
		if (r)
			return -r;
	} else if (!strcmp(k, "type")) {
		return parse_type(a, argc, argv);
	} else if (ip_matches(k, "protocol")) {
		uint32_t p;
		if (ip_name_id(c, IPT_PROTO, v, &p) < 0 || p > 255)
			return -ip_invarg("\"protocol\" value is invalid\n", v);
		n->protocol = (uint8_t)p;
	} else if (!strcmp(k, "encap")) {
		fprintf(stderr, "netkit ip: nexthop encap is not implemented yet\n");
		return -2;
	} else if (!strcmp(k, "help")) {
		return -nh_usage();
	} else {
		return -ip_invarg("", k);
	}
	return val ? 2 : 1;
}

static int nh_modify(struct ip_ctx *c, uint16_t cmd, uint16_t flags, int argc, char **argv)
{
	struct nh_args *a = calloc(1, sizeof(*a));
	if (!a)
		return 1;
	a->req.nh.family = (uint8_t)(c->family == AF_PACKET ? 0 : c->family);
	int r = 0;
	while (argc > 0 && r >= 0) {
		r = nh_word(c, a, argc, argv);
		argc -= r > 0 ? r : 0;
		argv += r > 0 ? r : 0;
	}
	if (r < 0) {
		free(a);
		return -r;
	}
	struct nl_sock *s;
	char buf[RTNL_REQ_BUFSZ];
	struct nlmsghdr *nlh = rtnl_nhobj_build(buf, cmd, flags, &a->req);
	free(a);
	if (!nlh || ip_nl(c, &s) < 0)
		return 1;
	nlh->nlmsg_seq = ++s->seq;
	struct nl_err err;
	if (nl_talk(s, nlh, NULL, NULL, &err) < 0) {
		ip_err_nl(c, &err, NULL);
		return 2;
	}
	return 0;
}

/* ---- buckets of resilient groups ---- */

static int on_bucket(const struct nlmsghdr *nlh, void *data)
{
	struct ip_ctx *c = data;
	const struct nhmsg *h = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[NHA_MAX + 1], *bt[NHA_RES_BUCKET_MAX + 1];
	if ((nlh->nlmsg_type != RTM_NEWNEXTHOPBUCKET && nlh->nlmsg_type != RTM_DELNEXTHOPBUCKET) ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*h) ||
	    nl_parse(nlh, sizeof(*h), NULL, NHA_MAX, tb) < 0)
		return MNL_CB_OK;
	emit_obj_open(c->out, NULL);
	if (tb[NHA_ID] && mnl_attr_get_payload_len(tb[NHA_ID]) >= 4)
		emit_uint(c->out, "id", "id %u ", mnl_attr_get_u32(tb[NHA_ID]));
	if (tb[NHA_RES_BUCKET] &&
	    nl_parse_nested(tb[NHA_RES_BUCKET], NULL, NHA_RES_BUCKET_MAX, bt) >= 0) {
		emit_obj_open(c->out, "bucket");
		if (bt[NHA_RES_BUCKET_INDEX] &&
		    mnl_attr_get_payload_len(bt[NHA_RES_BUCKET_INDEX]) >= 2)
			emit_uint(c->out, "index", "index %u ",
				  mnl_attr_get_u16(bt[NHA_RES_BUCKET_INDEX]));
		if (bt[NHA_RES_BUCKET_IDLE_TIME] &&
		    mnl_attr_get_payload_len(bt[NHA_RES_BUCKET_IDLE_TIME]) >= 8)
			emit_double(c->out, "idle_time", "idle_time %g ", "%g",
				    (double)mnl_attr_get_u64(bt[NHA_RES_BUCKET_IDLE_TIME]) /
					    USER_HZ);
		if (bt[NHA_RES_BUCKET_NH_ID] &&
		    mnl_attr_get_payload_len(bt[NHA_RES_BUCKET_NH_ID]) >= 4)
			emit_uint(c->out, "nhid", "nhid %u ",
				  mnl_attr_get_u32(bt[NHA_RES_BUCKET_NH_ID]));
		emit_obj_close(c->out);
	}
	ip_print_rt_flags(c, h->nh_flags);
	emit_text(c->out, "\n");
	emit_obj_close(c->out);
	return MNL_CB_OK;
}

static int bucket_talk(struct ip_ctx *c, struct nl_sock *s, struct nlmsghdr *nlh, bool dump)
{
	struct nl_err err;
	emit_arr_open(c->out, NULL);
	int r = nl_talk(s, nlh, on_bucket, c, &err);
	emit_arr_close(c->out);
	if (r < 0) {
		emit_flush(c->out);
		ip_err_nl(c, &err, NULL);
		if (dump)
			fprintf(stderr, "Dump terminated\n");
		return dump ? 254 : 2;
	}
	return 0;
}

static int bucket_list(struct ip_ctx *c, int argc, char **argv)
{
	uint32_t id = 0, nhid = 0, oif = 0, master = 0;
	for (; argc > 0; argc--, argv++) {
		const char *k = argv[0];
		bool known = ip_matches(k, "dev") || ip_matches(k, "master") ||
			     ip_matches(k, "vrf") || !strcmp(k, "id") || !strcmp(k, "nhid");
		if (!known)
			return ip_matches(k, "help") ? nh_usage() : ip_invarg("", k);
		if (argc < 2)
			return ip_incomplete(NULL);
		const char *v = *++argv;
		argc--;
		int r = 0;
		if (ip_matches(k, "dev"))
			r = dev_index(c, v, &oif, "Device does not exist\n");
		else if (ip_matches(k, "master"))
			r = dev_index(c, v, &master, "Device does not exist\n");
		else if (ip_matches(k, "vrf"))
			r = ip_invarg("Invalid VRF\n", v);
		else if (ip_get_u32(!strcmp(k, "id") ? &id : &nhid, v, 0) < 0)
			r = ip_invarg("invalid id value", v);
		if (r)
			return r;
	}
	struct nl_sock *s;
	if (ip_nl(c, &s) < 0)
		return 1;
	char buf[256];
	struct nlmsghdr *nlh = nl_msg_start(s, buf, RTM_GETNEXTHOPBUCKET, NLM_F_DUMP);
	struct nhmsg *h = mnl_nlmsg_put_extra_header(nlh, sizeof(*h));
	h->nh_family = (uint8_t)(c->family == AF_PACKET ? 0 : c->family);
	if (id)
		mnl_attr_put_u32(nlh, NHA_ID, id);
	if (oif)
		mnl_attr_put_u32(nlh, NHA_OIF, oif);
	if (master)
		mnl_attr_put_u32(nlh, NHA_MASTER, master);
	if (nhid) {
		struct nlattr *nest = mnl_attr_nest_start(nlh, NHA_RES_BUCKET);
		mnl_attr_put_u32(nlh, NHA_RES_BUCKET_NH_ID, nhid);
		mnl_attr_nest_end(nlh, nest);
	}
	return bucket_talk(c, s, nlh, true);
}

static int bucket_get(struct ip_ctx *c, int argc, char **argv)
{
	uint32_t id = 0, index = 0;
	bool have_index = false;
	for (; argc > 0; argc--, argv++) {
		bool is_id = !strcmp(argv[0], "id");
		if (!is_id && strcmp(argv[0], "index"))
			return nh_usage();
		if (argc < 2)
			return ip_incomplete(NULL);
		const char *v = *++argv;
		argc--;
		if (is_id && ip_get_u32(&id, v, 0) < 0)
			return ip_invarg("invalid id value", v);
		if (!is_id && (ip_get_u32(&index, v, 0) < 0 || index > 0xffff))
			return ip_invarg("invalid bucket index value", v);
		have_index |= !is_id;
	}
	if (!id || !have_index)
		return nh_usage();
	struct nl_sock *s;
	if (ip_nl(c, &s) < 0)
		return 1;
	char buf[256];
	struct nlmsghdr *nlh = nl_msg_start(s, buf, RTM_GETNEXTHOPBUCKET, 0);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct nhmsg));
	mnl_attr_put_u32(nlh, NHA_ID, id);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NHA_RES_BUCKET);
	mnl_attr_put_u16(nlh, NHA_RES_BUCKET_INDEX, (uint16_t)index);
	mnl_attr_nest_end(nlh, nest);
	return bucket_talk(c, s, nlh, false);
}

static int nh_bucket(struct ip_ctx *c, int argc, char **argv)
{
	if (argc < 1)
		return bucket_list(c, 0, NULL);
	const char *k = argv[0];
	if (ip_matches(k, "list") || ip_matches(k, "show") || ip_matches(k, "lst"))
		return bucket_list(c, argc - 1, argv + 1);
	if (ip_matches(k, "get"))
		return bucket_get(c, argc - 1, argv + 1);
	fprintf(stderr, "Command \"%s\" is unknown, try \"ip nexthop help\".\n", k);
	return 255;
}

int ip_nexthop(struct ip_ctx *c, int argc, char **argv)
{
	if (argc < 1)
		return nh_list(c, 0, NULL, false);
	const char *cmd = argv[0];
	if (ip_matches(cmd, "add"))
		return nh_modify(c, RTM_NEWNEXTHOP, NLM_F_CREATE | NLM_F_EXCL, argc - 1, argv + 1);
	if (ip_matches(cmd, "replace"))
		return nh_modify(c, RTM_NEWNEXTHOP, NLM_F_CREATE | NLM_F_REPLACE, argc - 1,
				 argv + 1);
	if (ip_matches(cmd, "delete"))
		return nh_modify(c, RTM_DELNEXTHOP, 0, argc - 1, argv + 1);
	if (ip_matches(cmd, "list") || ip_matches(cmd, "show") || ip_matches(cmd, "lst"))
		return nh_list(c, argc - 1, argv + 1, false);
	if (ip_matches(cmd, "get"))
		return nh_get(c, argc - 1, argv + 1);
	if (ip_matches(cmd, "flush"))
		return nh_list(c, argc - 1, argv + 1, true);
	if (ip_matches(cmd, "bucket"))
		return nh_bucket(c, argc - 1, argv + 1);
	if (ip_matches(cmd, "help"))
		return nh_usage();
	fprintf(stderr, "Command \"%s\" is unknown, try \"ip nexthop help\".\n", cmd);
	return 255;
}
