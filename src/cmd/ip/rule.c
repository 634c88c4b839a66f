/* SPDX-License-Identifier: Apache-2.0 */
/* ip rule: policy routing rules, as iproute2 6.1's `ip rule` adds,
 * deletes, shows (text and -j), flushes, saves and restores them. The
 * messages go through lib/nl/rtnl_rule; the selectors of show/flush/save
 * are one filter, applied as iproute2 applies it. */
#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/rtnetlink.h>

#include "cmd/ip/ip.h"
#include "lib/nl/msglist.h"
#include "lib/nl/rtnl_rule.h"
#include "lib/util/fmt.h"

#define RULE_DUMP_MAGIC 0x71706986u

struct rule_filter {
	int family;
	bool pref_set, not, tos_set, iif_set, oif_set, l3mdev, uid_set;
	uint32_t pref, fwmark, fwmask, table;
	uint8_t tos, ipproto;
	char iif[IP_NAMESZ], oif[IP_NAMESZ];
	uint32_t uid[2];
	uint16_t sport[2], dport[2];
	struct ip_prefix src, dst; /* family 0: none */
	uint32_t protocol, protomask;
};

static int rule_usage(void)
{
	fprintf(stderr, "Usage: ip rule { add | del } SELECTOR ACTION\n"
			"       ip rule { flush | save | restore }\n"
			"       ip rule [ list [ SELECTOR ]]\n"
			"SELECTOR := [ not ] [ from PREFIX ] [ to PREFIX ] [ tos TOS ]\n"
			"            [ fwmark FWMARK[/MASK] ]\n"
			"            [ iif STRING ] [ oif STRING ] [ pref NUMBER ] [ l3mdev ]\n"
			"            [ uidrange NUMBER-NUMBER ]\n"
			"            [ ipproto PROTOCOL ]\n"
			"            [ sport [ NUMBER | NUMBER-NUMBER ]\n"
			"            [ dport [ NUMBER | NUMBER-NUMBER ] ]\n"
			"ACTION := [ table TABLE_ID ]\n"
			"          [ protocol PROTO ]\n"
			"          [ nat ADDRESS ]\n"
			"          [ realms [SRCREALM/]DSTREALM ]\n"
			"          [ goto NUMBER ]\n"
			"          SUPPRESSOR\n"
			"SUPPRESSOR := [ suppress_prefixlength NUMBER ]\n"
			"              [ suppress_ifgroup DEVGROUP ]\n"
			"TABLE_ID := [ local | main | default | NUMBER ]\n");
	return 255;
}

/* ---- the words both selectors and rules take ---- */

static int get_dsfield(struct ip_ctx *c, const char *v, uint8_t *out)
{
	uint32_t id;
	if (ip_name_lookup(c, IPT_DSFIELD, v, &id) < 0 && ip_get_u32(&id, v, 16) < 0)
		return -1;
	if (id > 255)
		return -1;
	*out = (uint8_t)id;
	return 0;
}

/* iproute2's inet_proto_a2n: a number below 256 or a name of /etc/protocols */
static int get_ipproto(const char *v)
{
	uint32_t n;
	if (ip_get_u32(&n, v, 10) == 0)
		return n > 255 ? -1 : (int)n;
	struct protoent pe, *res = NULL;
	char b[1024];
	if (getprotobyname_r(v, &pe, b, sizeof(b), &res) || !res)
		return -1;
	return res->p_proto;
}

static const char *ipproto_name(struct ip_ctx *c, uint8_t p, char *buf, size_t len)
{
	struct protoent pe, *res = NULL;
	char b[1024];
	if (!c->numeric && !getprotobynumber_r(p, &pe, b, sizeof(b), &res) && res) {
		snprintf(buf, len, "%s", res->p_name);
		return buf;
	}
	snprintf(buf, len, "ipproto-%d", p);
	return buf;
}

static int get_ports(const char *v, uint16_t *p)
{
	int n = sscanf(v, "%hu-%hu", &p[0], &p[1]);
	if (n == 1)
		p[1] = p[0];
	else if (n != 2)
		return ip_invarg("invalid port range\n", v);
	return 0;
}

static int get_fwmark(const char *v, uint32_t *mark, uint32_t *mask, bool *has_mask)
{
	char b[64];
	snprintf(b, sizeof(b), "%s", v);
	char *slash = strchr(b, '/');
	if (slash)
		*slash = '\0';
	if (ip_get_u32(mark, b, 0) < 0)
		return ip_invarg("fwmark value is invalid\n", b);
	*has_mask = slash != NULL;
	if (slash && ip_get_u32(mask, slash + 1, 0) < 0)
		return ip_invarg("fwmask value is invalid\n", slash + 1);
	return 0;
}

static int bad_prefix(int family, const char *arg)
{
	fprintf(stderr, "Error: %s prefix is expected rather than \"%s\".\n",
		family == AF_INET    ? "inet"
		: family == AF_INET6 ? "inet6"
				     : "any valid",
		arg);
	return 1;
}

/* get_prefix: no /N is the full length */
static int get_pfx(struct ip_prefix *p, const char *arg, int family)
{
	if (ip_get_prefix(p, arg, family) < 0)
		return bad_prefix(family, arg);
	if (p->bitlen < 0)
		p->bitlen = (int)p->bytelen * 8;
	return 0;
}

/* ---- show / flush / save: the selector ---- */

static int sel_word(struct ip_ctx *c, struct rule_filter *f, const char *k, const char *v)
{
	if (ip_matches(k, "preference") || ip_matches(k, "order") || ip_matches(k, "priority")) {
		if (ip_get_u32(&f->pref, v, 0) < 0)
			return ip_invarg("preference value is invalid\n", v);
		f->pref_set = true;
	} else if (!strcmp(k, "tos") || !strcmp(k, "dsfield")) {
		if (get_dsfield(c, v, &f->tos) < 0)
			return ip_invarg("TOS value is invalid\n", v);
		f->tos_set = true;
	} else if (!strcmp(k, "fwmark")) {
		bool m;
		return get_fwmark(v, &f->fwmark, &f->fwmask, &m);
	} else if (!strcmp(k, "dev") || !strcmp(k, "iif") || !strcmp(k, "oif")) {
		bool oif = k[0] == 'o';
		if (!*v || strlen(v) >= IF_NAMESIZE || strpbrk(v, "/ \t\n:"))
			return ip_invarg(oif ? "\"oif\" not a valid ifname"
					     : "\"iif\"/\"dev\" not a valid ifname",
					 v);
		snprintf(oif ? f->oif : f->iif, IP_NAMESZ, "%s", v);
		*(oif ? &f->oif_set : &f->iif_set) = true;
	} else if (!strcmp(k, "uidrange")) {
		f->uid_set = true;
		if (sscanf(v, "%u-%u", &f->uid[0], &f->uid[1]) != 2)
			return ip_invarg("invalid UID range\n", v);
	} else if (ip_matches(k, "ipproto")) {
		int p = get_ipproto(v);
		if (p < 0)
			return ip_invarg("Invalid \"ipproto\" value\n", v);
		f->ipproto = (uint8_t)p;
	} else if (!strcmp(k, "sport") || !strcmp(k, "dport")) {
		return get_ports(v, k[0] == 's' ? f->sport : f->dport);
	} else if (ip_matches(k, "lookup") || ip_matches(k, "table")) {
		if (ip_name_id(c, IPT_TABLE, v, &f->table) < 0)
			return ip_invarg("table id value is invalid\n", v);
	} else if (ip_matches(k, "from") || ip_matches(k, "src")) {
		if (ip_get_prefix(&f->src, v, f->family) < 0)
			return bad_prefix(f->family, v);
		if (f->src.bitlen < 0)
			f->src.bitlen = (int)f->src.bytelen * 8;
	} else if (ip_matches(k, "protocol")) {
		f->protomask = ~0u;
		if (ip_name_id(c, IPT_PROTO, v, &f->protocol) < 0 || f->protocol > 255) {
			if (strcmp(v, "all"))
				return ip_invarg("invalid \"protocol\"\n", v);
			f->protocol = f->protomask = 0;
		}
	} else {
		return -1;
	}
	return 0;
}

/* The words that take a value, in iproute2's order; prefix: any
 * abbreviation matches (its matches()), else the whole word. */
static const struct {
	const char *word;
	bool prefix;
} sel_words[] = {
	{"preference", true}, {"order", true},	   {"priority", true}, {"tos", false},
	{"dsfield", false},   {"fwmark", false},   {"dev", false},     {"iif", false},
	{"oif", false},	      {"uidrange", false}, {"ipproto", true},  {"sport", false},
	{"dport", false},     {"lookup", true},	   {"table", true},    {"from", true},
	{"src", true},	      {"protocol", true},
};

static bool sel_known(const char *k)
{
	for (size_t i = 0; i < sizeof(sel_words) / sizeof(sel_words[0]); i++)
		if (sel_words[i].prefix ? ip_matches(k, sel_words[i].word)
					: !strcmp(k, sel_words[i].word))
			return true;
	return false;
}

static int parse_filter(struct ip_ctx *c, struct rule_filter *f, int argc, char **argv)
{
	for (; argc > 0; argc--, argv++) {
		const char *k = argv[0];
		if (!strcmp(k, "not")) {
			f->not = true;
			continue;
		}
		if (!strcmp(k, "l3mdev")) {
			f->l3mdev = true;
			continue;
		}
		bool known = sel_known(k);
		if (known || ip_matches(k, "dst") || ip_matches(k, "to")) {
			if (argc < 2)
				return ip_incomplete(NULL);
			argc--;
			argv++;
		}
		int r = known ? sel_word(c, f, k, argv[0]) : get_pfx(&f->dst, argv[0], f->family);
		if (r)
			return r;
	}
	return 0;
}

static bool prefix_ok(const struct ip_prefix *p, uint8_t family, uint8_t len, bool has,
		      const uint8_t *a, uint8_t alen)
{
	if (!p->family && !p->any)
		return true;
	if (p->family != family || p->bitlen > len)
		return false;
	/* no address in the rule, or none in the selector: iproute2 matches */
	if (!has || p->bitlen <= 0)
		return true;
	return ip_prefix_covers(p, a, alen);
}

static bool ports_ok(const uint16_t *want, bool has, const uint16_t *got)
{
	if (!want[0])
		return true;
	return has && got[0] == want[0] && got[1] == want[1];
}

static bool filter_ok(const struct rule_filter *f, const struct rtnl_rule *r)
{
	if (f->family && r->family != f->family)
		return false;
	if (f->pref_set && f->pref != (r->has_priority ? r->priority : 0))
		return false;
	if (f->not &&!(r->flags & FIB_RULE_INVERT))
		return false;
	if (!prefix_ok(&f->src, r->family, r->src_len, r->has_src, r->src, r->src_alen) ||
	    !prefix_ok(&f->dst, r->family, r->dst_len, r->has_dst, r->dst, r->dst_alen))
		return false;
	if ((f->tos_set && f->tos != r->tos) || (f->fwmark && f->fwmark != r->fwmark) ||
	    (f->fwmask && f->fwmask != (r->has_fwmask ? r->fwmask : 0)))
		return false;
	if ((f->iif_set && (!r->iif || strcmp(f->iif, r->iif))) ||
	    (f->oif_set && (!r->oif || strcmp(f->oif, r->oif))))
		return false;
	if (f->l3mdev && !(r->has_l3mdev && r->l3mdev))
		return false;
	if (f->uid_set && (!r->has_uid || r->uid_start != f->uid[0] || r->uid_end != f->uid[1]))
		return false;
	if (f->ipproto && f->ipproto != r->ipproto)
		return false;
	if (!ports_ok(f->sport, r->has_sport, r->sport) ||
	    !ports_ok(f->dport, r->has_dport, r->dport))
		return false;
	return !f->table || f->table == r->table;
}

/* ---- printing ---- */

static void print_prefix(struct ip_ctx *c, const char *key, const char *lenkey, const char *word,
			 const struct rtnl_rule *r, bool has, const uint8_t *a, uint8_t alen,
			 uint8_t len)
{
	int host = r->family == AF_INET ? 32 : r->family == AF_INET6 ? 128 : -1;
	char b[INET6_ADDRSTRLEN + 8], w[16];
	if (has) {
		if ((r->family == AF_INET && alen >= 4) || (r->family == AF_INET6 && alen >= 16))
			fmt_addr(b, r->family, a);
		else
			snprintf(b, sizeof(b), "???");
		if (key[0] == 's')
			emit_text(c->out, "from ");
		else
			emit_text(c->out, " to ");
		ip_cstr(c, ip_family_color(r->family), key, "%s", b);
		if (len != host)
			emit_uint(c->out, lenkey, "/%u", len);
	} else if (len) {
		snprintf(w, sizeof(w), "%s%%s", word);
		emit_str(c->out, key, w, "0");
		emit_uint(c->out, lenkey, "/%u", len);
	} else if (key[0] == 's') {
		emit_str(c->out, key, "from %s", "all");
	}
}

static void print_dev(struct ip_ctx *c, const char *key, const char *name, bool detached)
{
	char k[16];
	emit_text(c->out, " %s ", key);
	ip_cstr(c, COL_IFNAME, key, "%s", name);
	snprintf(k, sizeof(k), "%s_detached", key);
	if (detached)
		emit_null(c->out, k, " [detached]");
}

static void print_ports(struct ip_ctx *c, const char *key, const uint16_t *p)
{
	char k[16], f[16];
	snprintf(f, sizeof(f), " %s %%u", key);
	if (p[0] == p[1]) {
		emit_uint(c->out, key, f, p[0]);
		return;
	}
	snprintf(k, sizeof(k), "%s_start", key);
	emit_uint(c->out, k, f, p[0]);
	snprintf(k, sizeof(k), "%s_end", key);
	emit_uint(c->out, k, "-%u", p[1]);
}

static void print_selectors(struct ip_ctx *c, const struct rtnl_rule *r)
{
	char b[64];
	if (r->tos) {
		emit_str(c->out, "tos", " tos %s", ip_name_dsfield(c, r->tos, b, sizeof(b)));
	}
	if (r->has_fwmark || r->has_fwmask) {
		snprintf(b, sizeof(b), "%#x", r->fwmark);
		emit_str(c->out, "fwmark", " fwmark %s", b);
		if (r->has_fwmask && r->fwmask != 0xffffffffu) {
			snprintf(b, sizeof(b), "%#x", r->fwmask);
			emit_str(c->out, "fwmask", "/%s", b);
		}
	}
	if (r->iif)
		print_dev(c, "iif", r->iif, r->flags & FIB_RULE_IIF_DETACHED);
	if (r->oif)
		print_dev(c, "oif", r->oif, r->flags & FIB_RULE_OIF_DETACHED);
	if (r->has_l3mdev && r->l3mdev)
		emit_null(c->out, "l3mdev", " lookup [l3mdev-table]");
	if (r->has_uid) {
		emit_uint(c->out, "uid_start", " uidrange %u", r->uid_start);
		emit_uint(c->out, "uid_end", "-%u", r->uid_end);
	}
	if (r->has_ipproto)
		emit_str(c->out, "ipproto", " ipproto %s",
			 ipproto_name(c, r->ipproto, b, sizeof(b)));
	if (r->has_sport)
		print_ports(c, "sport", r->sport);
	if (r->has_dport)
		print_ports(c, "dport", r->dport);
	if (r->has_tun_id)
		emit_u64(c->out, "tun_id", " tun_id %llu", r->tun_id);
}

static void print_table(struct ip_ctx *c, const struct rtnl_rule *r)
{
	char b[64];
	if (!r->table)
		return;
	emit_str(c->out, "table", " lookup %s", ip_name(c, IPT_TABLE, r->table, b, sizeof(b)));
	if (r->has_suppress_pl && r->suppress_pl != -1)
		emit_int(c->out, "suppress_prefixlen", " suppress_prefixlength %d", r->suppress_pl);
	if (r->has_suppress_group && r->suppress_group != -1)
		emit_str(c->out, "suppress_ifgroup", " suppress_ifgroup %s",
			 ip_name(c, IPT_GROUP, (uint32_t)r->suppress_group, b, sizeof(b)));
}

static void print_action(struct ip_ctx *c, const struct rtnl_rule *r)
{
	char b[64];
	if (r->has_flow) {
		uint32_t from = r->flow >> 16, to = r->flow & 0xffff;
		if (from)
			emit_str(c->out, "flow_from", " realms %s/",
				 ip_name(c, IPT_REALM, from, b, sizeof(b)));
		else
			emit_text(c->out, " realms ");
		emit_str(c->out, "flow_to", "%s", ip_name(c, IPT_REALM, to, b, sizeof(b)));
	}
	if (r->action == RTN_NAT) {
		if (r->has_nat_gw)
			emit_str(c->out, "nat_gateway", " map-to %s",
				 ip_fmt_host(c, AF_INET, &r->nat_gw, b, sizeof(b)));
		else
			emit_null(c->out, "masquerade", " masquerade");
	} else if (r->action == FR_ACT_GOTO) {
		if (r->has_goto)
			emit_uint(c->out, "goto", " goto %u", r->goto_target);
		else
			emit_str(c->out, "goto", " goto %s", "none");
		if (r->flags & FIB_RULE_UNRESOLVED)
			emit_null(c->out, "unresolved", " [unresolved]");
	} else if (r->action == FR_ACT_NOP) {
		emit_null(c->out, "nop", " nop");
	} else if (r->action != FR_ACT_TO_TBL) {
		emit_str(c->out, "action", " %s",
			 c->numeric ? (snprintf(b, sizeof(b), "%u", r->action), b)
				    : ip_rtntype(r->action, b, sizeof(b)));
	}
	if (r->has_protocol && ((r->protocol && r->protocol != RTPROT_KERNEL) || c->details))
		emit_str(c->out, "protocol", " proto %s",
			 ip_name(c, IPT_PROTO, r->protocol, b, sizeof(b)));
}

void ip_print_rule(struct ip_ctx *c, const struct rtnl_rule *r)
{
	if (r->msg_type == RTM_DELRULE)
		emit_bool(c->out, "deleted", "Deleted ", true);
	emit_uint(c->out, "priority", "%u:\t", r->has_priority ? r->priority : 0);
	if (r->flags & FIB_RULE_INVERT)
		emit_null(c->out, "not", "not ");
	print_prefix(c, "src", "srclen", "from ", r, r->has_src, r->src, r->src_alen, r->src_len);
	print_prefix(c, "dst", "dstlen", " to ", r, r->has_dst, r->dst, r->dst_alen, r->dst_len);
	print_selectors(c, r);
	print_table(c, r);
	print_action(c, r);
	emit_text(c->out, "\n");
}

/* ---- show, flush, save ---- */

enum rule_job { R_SHOW, R_FLUSH, R_SAVE };

struct list_ctx {
	struct ip_ctx *c;
	const struct rule_filter *f;
	enum rule_job job;
	struct nl_msg_list del; /* flush: the rules to delete, after the dump */
};

static int on_rule(const struct nlmsghdr *nlh, void *data)
{
	struct list_ctx *l = data;
	struct rtnl_rule r;
	if (rtnl_rule_parse(nlh, &r) < 0 || !filter_ok(l->f, &r))
		return MNL_CB_OK;
	if (l->job == R_SAVE) {
		emit_raw(l->c->out, (const char *)nlh, nlh->nlmsg_len);
		return MNL_CB_OK;
	}
	/* the protocol selector counts for flush only, as in iproute2 */
	if (l->job == R_FLUSH)
		return r.has_priority && !((l->f->protocol ^ r.protocol) & l->f->protomask)
			       ? nl_msg_list_add(&l->del, nlh)
			       : MNL_CB_OK;
	emit_obj_open(l->c->out, NULL);
	ip_print_rule(l->c, &r);
	emit_obj_close(l->c->out);
	return MNL_CB_OK;
}

static int flush_rules(struct ip_ctx *c, struct nl_sock *s, struct list_ctx *l)
{
	int ret = 0;
	struct nl_err err;
	if (nl_msg_list_send(s, &l->del, RTM_DELRULE, false, 0, &err) < 0) {
		ip_err_nl(c, &err, NULL);
		fprintf(stderr, "Flush terminated\n");
		ret = 1;
	}
	nl_msg_list_free(&l->del);
	return ret;
}

static int rule_list(struct ip_ctx *c, int argc, char **argv, enum rule_job job)
{
	struct rule_filter f = {.family = c->family == AF_UNSPEC ? AF_INET : c->family};
	if (job == R_SAVE && argc > 0) {
		fprintf(stderr, "\"ip rule save\" does not take any arguments.\n");
		return 1;
	}
	if (job == R_SAVE && isatty(STDOUT_FILENO)) {
		fprintf(stderr, "Not sending a binary stream to stdout\n");
		return 1;
	}
	int r = parse_filter(c, &f, argc, argv);
	if (r)
		return r;
	struct nl_sock *s;
	if (ip_nl(c, &s) < 0)
		return 1;
	char buf[256];
	struct nlmsghdr *nlh = nl_msg_start(s, buf, RTM_GETRULE, NLM_F_DUMP);
	struct fib_rule_hdr *h = mnl_nlmsg_put_extra_header(nlh, sizeof(*h));
	h->family = (uint8_t)f.family;
	struct list_ctx l = {.c = c, .f = &f, .job = job};
	if (job == R_SAVE) {
		uint32_t magic = RULE_DUMP_MAGIC;
		emit_raw(c->out, (const char *)&magic, sizeof(magic));
	} else if (job == R_SHOW) {
		emit_arr_open(c->out, NULL);
	}
	struct nl_err err;
	/* one thread: the kernel's rule dump walks its list from the start
	 * for every buffer, and a receiving thread only adds hand-offs */
	r = nl_talk(s, nlh, on_rule, &l, &err);
	if (job == R_SHOW)
		emit_arr_close(c->out);
	if (r < 0) {
		emit_flush(c->out);
		ip_err_nl(c, &err, NULL);
		fprintf(stderr, "Dump terminated\n");
		nl_msg_list_free(&l.del);
		return 1;
	}
	return job == R_FLUSH ? flush_rules(c, s, &l) : 0;
}

/* ---- restore ---- */

static int restore_one(const struct nlmsghdr *nlh, void *data)
{
	struct ip_ctx *c = data;
	struct nl_sock *s;
	if (ip_nl(c, &s) < 0)
		return -1;
	char buf[RTNL_REQ_BUFSZ];
	if (nlh->nlmsg_len > sizeof(buf))
		return -1;
	struct nlmsghdr *m = (struct nlmsghdr *)buf;
	memcpy(m, nlh, nlh->nlmsg_len);
	m->nlmsg_flags |= NLM_F_REQUEST | NLM_F_CREATE;
	m->nlmsg_seq = ++s->seq;
	struct nl_err err;
	if (nl_talk(s, m, NULL, NULL, &err) < 0 && err.code != -EEXIST) {
		ip_err_nl(c, &err, NULL);
		return -2;
	}
	return 0;
}

static int rule_restore(struct ip_ctx *c)
{
	if (isatty(STDIN_FILENO)) {
		fprintf(stderr, "Can't restore rule dump from a terminal\n");
		return 255;
	}
	uint32_t magic = 0;
	size_t n = fread(&magic, sizeof(magic), 1, stdin);
	if (magic != RULE_DUMP_MAGIC) {
		fprintf(stderr, "Magic mismatch (%zu elems, %x magic)\n", n, magic);
		return 255;
	}
	int r = ip_from_file(stdin, restore_one, c);
	return r ? (r & 0xff) : 0;
}

/* ---- add / del ---- */

static int get_realms(struct ip_ctx *c, const char *v, uint32_t *out)
{
	char b[128];
	snprintf(b, sizeof(b), "%s", v);
	char *to = strchr(b, '/');
	uint32_t from = 0, t = 0;
	if (to) {
		*to++ = '\0';
		if (ip_name_id(c, IPT_REALM, b, &from) < 0 || from > 255)
			return -1;
	} else {
		to = b;
	}
	if (*to && (ip_name_id(c, IPT_REALM, to, &t) < 0 || t > 255))
		return ip_get_u32(out, v, 0);
	*out = from << 16 | t;
	return 0;
}

static int get_group(struct ip_ctx *c, const char *v, int32_t *out)
{
	uint32_t id;
	if (ip_name_lookup(c, IPT_GROUP, v, &id) == 0) {
		*out = (int32_t)id;
		return 0;
	}
	char *end;
	long n = strtol(v, &end, 0);
	if (end == v || *end || n < 0 || n > INT32_MAX)
		return -1;
	*out = (int32_t)n;
	return 0;
}

static int check_ifname(const char *v)
{
	return !*v || strlen(v) >= IF_NAMESIZE || strpbrk(v, "/ \t\n:") ? -1 : 0;
}

/* The rest of the value words: uidrange, nat, ipproto, ports. */
static int rule_value2(struct ip_ctx *c, struct rtnl_rule *r, const char *k, const char *v)
{
	if (!strcmp(k, "uidrange")) {
		if (sscanf(v, "%u-%u", &r->uid_start, &r->uid_end) != 2)
			return -ip_invarg("invalid UID range\n", v);
		r->has_uid = true;
	} else if (!strcmp(k, "nat") || ip_matches(k, "map-to")) {
		struct ip_prefix p;
		fprintf(stderr, "Warning: route NAT is deprecated\n");
		if (ip_get_addr(&p, v, AF_INET) < 0 || p.any) {
			fprintf(stderr, "Error: an IP address is expected rather than \"%s\"\n", v);
			return -1;
		}
		memcpy(&r->nat_gw, p.data, 4);
		r->has_nat_gw = true;
		r->action = RTN_NAT;
	} else if (!strcmp(k, "ipproto")) {
		int p = get_ipproto(v);
		if (p < 0)
			return -ip_invarg("Invalid \"ipproto\" value\n", v);
		r->ipproto = (uint8_t)p;
		r->has_ipproto = true;
	} else {
		bool sp = k[0] == 's';
		int e = get_ports(v, sp ? r->sport : r->dport);
		if (e)
			return -e;
		*(sp ? &r->has_sport : &r->has_dport) = true;
	}
	(void)c;
	return 2;
}

static bool rule_word(const char *k)
{
	static const char *const exact[] = {"tos",     "fwmark", "lookup", "sup_pl",   "sup_group",
					    "dev",     "iif",	 "oif",	   "uidrange", "nat",
					    "ipproto", "sport",	 "dport"};
	static const char *const prefix[] = {"preference",	 "order",  "priority",
					     "dsfield",		 "realms", "protocol",
					     "tun_id",		 "table",  "suppress_prefixlength",
					     "suppress_ifgroup", "map-to"};
	for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		if (!strcmp(k, exact[i]))
			return true;
	for (size_t i = 0; i < sizeof(prefix) / sizeof(prefix[0]); i++)
		if (ip_matches(k, prefix[i]))
			return true;
	return false;
}

/* The value words of add/del; -status on an error, 0 if k is not one. */
static int rule_value(struct ip_ctx *c, struct rtnl_rule *r, const char *k, const char *v,
		      bool *table_ok)
{
	uint32_t u;
	if (ip_matches(k, "preference") || ip_matches(k, "order") || ip_matches(k, "priority")) {
		if (ip_get_u32(&r->priority, v, 0) < 0)
			return -ip_invarg("preference value is invalid\n", v);
		r->has_priority = true;
	} else if (!strcmp(k, "tos") || ip_matches(k, "dsfield")) {
		if (get_dsfield(c, v, &r->tos) < 0)
			return -ip_invarg("TOS value is invalid\n", v);
	} else if (!strcmp(k, "fwmark")) {
		int e = get_fwmark(v, &r->fwmark, &r->fwmask, &r->has_fwmask);
		if (e)
			return -e;
		r->has_fwmark = true;
	} else if (ip_matches(k, "realms")) {
		if (get_realms(c, v, &r->flow) < 0)
			return -ip_invarg("invalid realms\n", v);
		r->has_flow = true;
	} else if (ip_matches(k, "protocol")) {
		if (ip_name_id(c, IPT_PROTO, v, &u) < 0 || u > 255)
			return -ip_invarg("\"protocol\" value is invalid\n", v);
		r->protocol = (uint8_t)u;
		r->has_protocol = true;
	} else if (ip_matches(k, "tun_id")) {
		char *end;
		errno = 0;
		r->tun_id = strtoull(v, &end, 0);
		if (!*v || *end || errno)
			return -ip_invarg("\"tun_id\" value is invalid\n", v);
		r->has_tun_id = true;
	} else if (ip_matches(k, "table") || !strcmp(k, "lookup")) {
		if (ip_name_id(c, IPT_TABLE, v, &r->table) < 0)
			return -ip_invarg("invalid table ID\n", v);
		*table_ok = true;
	} else if (ip_matches(k, "suppress_prefixlength") || !strcmp(k, "sup_pl")) {
		char *end;
		long n = strtol(v, &end, 0);
		if (!*v || *end || n < 0 || n > INT32_MAX)
			return -ip_invarg("suppress_prefixlength value is invalid\n", v);
		r->suppress_pl = (int32_t)n;
		r->has_suppress_pl = true;
	} else if (ip_matches(k, "suppress_ifgroup") || !strcmp(k, "sup_group")) {
		if (get_group(c, v, &r->suppress_group) < 0)
			return -ip_invarg("Invalid \"suppress_ifgroup\" value\n", v);
		r->has_suppress_group = true;
	} else if (!strcmp(k, "dev") || !strcmp(k, "iif") || !strcmp(k, "oif")) {
		if (check_ifname(v))
			return -ip_invarg(k[0] == 'o' ? "\"oif\" not a valid ifname"
						      : "\"iif\"/\"dev\" not a valid ifname",
					  v);
		*(k[0] == 'o' ? &r->oif : &r->iif) = v;
	} else {
		return rule_value2(c, r, k, v);
	}
	return 2;
}

/* One word (and its value) of add/del: how many words it took, or
 * -status. */
static int rule_kv(struct ip_ctx *c, struct rtnl_rule *r, char **argv, int argc, bool *table_ok)
{
	const char *k = argv[0];
	if (!strcmp(k, "not")) {
		r->flags |= FIB_RULE_INVERT;
		return 1;
	}
	if (!strcmp(k, "l3mdev")) {
		r->has_l3mdev = true;
		r->l3mdev = 1;
		*table_ok = true;
		return 1;
	}
	if (!strcmp(k, "from") || !strcmp(k, "to") || rule_word(k)) {
		if (argc < 2)
			return -ip_incomplete(NULL);
		if (!strcmp(k, "from") || !strcmp(k, "to")) {
			struct ip_prefix p;
			if (get_pfx(&p, argv[1], r->family))
				return -1;
			bool from = k[0] == 'f';
			*(from ? &r->src_len : &r->dst_len) = (uint8_t)p.bitlen;
			*(from ? &r->has_src : &r->has_dst) = true;
			*(from ? &r->src_alen : &r->dst_alen) = (uint8_t)p.bytelen;
			memcpy(from ? r->src : r->dst, p.data, 16);
			return 2;
		}
		return rule_value(c, r, k, argv[1], table_ok);
	}
	/* [type] TYPE, goto N, nop */
	int i = 0;
	if (!strcmp(k, "type")) {
		if (argc < 2)
			return -ip_incomplete(NULL);
		k = argv[++i];
	}
	*table_ok = true;
	if (ip_matches(k, "help"))
		return -rule_usage();
	if (ip_matches(k, "goto")) {
		if (argc < i + 2)
			return -ip_incomplete(NULL);
		if (ip_get_u32(&r->goto_target, argv[i + 1], 0) < 0)
			return -ip_invarg("invalid target\n", argv[i + 1]);
		r->has_goto = true;
		r->action = FR_ACT_GOTO;
		return i + 2;
	}
	unsigned t;
	if (ip_matches(k, "nop"))
		t = FR_ACT_NOP;
	else if (ip_rtntype_id(k, &t) < 0 || t > 255)
		return -ip_invarg("Failed to parse rule type", k);
	r->action = (uint8_t)t;
	return i + 1;
}

static int rule_modify(struct ip_ctx *c, uint16_t cmd, int argc, char **argv)
{
	struct rtnl_rule r = {.family = (uint8_t)(c->family == AF_PACKET ? 0 : c->family)};
	uint16_t flags = 0;
	if (argc == 0) {
		fprintf(stderr, "\"ip rule %s\" requires arguments.\n",
			cmd == RTM_NEWRULE ? "add" : "del");
		return 1;
	}
	if (cmd == RTM_NEWRULE) {
		flags = NLM_F_CREATE | NLM_F_EXCL;
		r.action = FR_ACT_TO_TBL;
	}
	bool table_ok = false;
	for (; argc > 0; argc--, argv++) {
		int used = rule_kv(c, &r, argv, argc, &table_ok);
		if (used < 0)
			return -used;
		argc -= used - 1;
		argv += used - 1;
	}
	if (!r.family)
		r.family = AF_INET;
	if (!table_ok && cmd == RTM_NEWRULE)
		r.table = RT_TABLE_MAIN;
	struct nl_sock *s;
	if (ip_nl(c, &s) < 0)
		return 1;
	char buf[RTNL_REQ_BUFSZ];
	struct nlmsghdr *nlh = rtnl_rule_build(buf, cmd, flags, &r);
	nlh->nlmsg_seq = ++s->seq;
	struct nl_err err;
	if (nl_talk(s, nlh, NULL, NULL, &err) < 0) {
		ip_err_nl(c, &err, NULL);
		return 2;
	}
	return 0;
}

int ip_rule(struct ip_ctx *c, int argc, char **argv)
{
	if (argc < 1)
		return rule_list(c, 0, NULL, R_SHOW);
	const char *cmd = argv[0];
	if (ip_matches(cmd, "list") || ip_matches(cmd, "lst") || ip_matches(cmd, "show"))
		return rule_list(c, argc - 1, argv + 1, R_SHOW);
	if (ip_matches(cmd, "save"))
		return rule_list(c, argc - 1, argv + 1, R_SAVE);
	if (ip_matches(cmd, "restore"))
		return rule_restore(c);
	if (ip_matches(cmd, "add"))
		return rule_modify(c, RTM_NEWRULE, argc - 1, argv + 1);
	if (ip_matches(cmd, "delete"))
		return rule_modify(c, RTM_DELRULE, argc - 1, argv + 1);
	if (ip_matches(cmd, "flush"))
		return rule_list(c, argc - 1, argv + 1, R_FLUSH);
	if (ip_matches(cmd, "help"))
		return rule_usage();
	fprintf(stderr, "Command \"%s\" is unknown, try \"ip rule help\".\n", cmd);
	return 255;
}
