/* SPDX-License-Identifier: Apache-2.0 */
/* ip tunnel: IPv4 tunnels (ipip, gre, sit, isatap, vti) through the
 * ioctl interface iproute2 6.1 uses (SIOCADDTUNNEL, SIOCCHGTUNNEL,
 * SIOCDELTUNNEL, SIOCGETTUNNEL on the kind's base device tunl0, gre0,
 * sit0, ip_vti0), with its words, checks and messages; ip tunnel prl and
 * 6rd (SIOC*PRL, SIOC*6RD on the named sit device); show lists the tunnel
 * links of a link dump. IPv6 tunnels (ip -6, or an IPv6 mode): tunnel6.c.
 * Also the pieces both halves share (tunnel_priv.h). */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/if_arp.h>
#include <linux/if_tunnel.h>
#include <linux/ip.h>
#include <linux/ip6_tunnel.h>

#include "cmd/ip/link_priv.h"
#include "cmd/ip/tunnel_priv.h"

#ifndef IP_DF
#define IP_DF 0x4000 /* the header's do not fragment bit */
#endif

/* ---- shared with tunnel6.c ---- */

int ip_tnl_ioctl(int family, unsigned long cmd, const char *dev, void *p)
{
	struct ifreq ifr = {0};
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", dev);
	ifr.ifr_ifru.ifru_data = p;
	int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "create socket failed: %s\n", strerror(errno));
		return -EBADF;
	}
	int r = ioctl(fd, cmd, &ifr) < 0 ? -errno : 0;
	close(fd);
	return r;
}

static int tnl_failed(const char *what, const char *dev, int r)
{
	if (r && r != -EBADF)
		fprintf(stderr, "%s tunnel \"%s\" failed: %s\n", what, dev, strerror(-r));
	return r ? 1 : 0;
}

int ip_tnl_get(int family, const char *dev, void *p)
{
	return tnl_failed("get", dev, ip_tnl_ioctl(family, SIOCGETTUNNEL, dev, p));
}

int ip_tnl_add(int family, unsigned long cmd, const char *base, const char *name, void *p)
{
	const char *dev = cmd == SIOCCHGTUNNEL && name[0] ? name : base;
	return tnl_failed("add", dev, ip_tnl_ioctl(family, cmd, dev, p));
}

int ip_tnl_del(int family, const char *base, const char *name, void *p)
{
	const char *dev = name[0] ? name : base;
	return tnl_failed("delete", dev, ip_tnl_ioctl(family, SIOCDELTUNNEL, dev, p));
}

/* iproute2's check_ifname: not empty, short enough, no '/' or space. */
static bool tnl_ifname_ok(const char *v)
{
	if (!*v || strlen(v) >= IFNAMSIZ)
		return false;
	for (; *v; v++)
		if (*v == '/' || isspace((unsigned char)*v))
			return false;
	return true;
}

int ip_tnl_name(char *name, const char *v)
{
	if (name[0])
		return ip_duparg2("name", v);
	if (!tnl_ifname_ok(v))
		return ip_invarg("\"name\" not a valid ifname", v);
	snprintf(name, IFNAMSIZ, "%s", v);
	return 0;
}

static bool tnl_valued(const struct ip_tnl_syntax *s, const char *k)
{
	for (const char *const *w = s->valued; *w; w++)
		if (!strcmp(k, *w))
			return true;
	return ip_matches(k, "dsfield");
}

/* The NAME word; for change, the tunnel's present parameters first. */
static int tnl_name_word(const struct ip_tnl_syntax *s, void *args, unsigned long cmd, int count,
			 const char *v)
{
	int r = ip_tnl_name(s->name(args), v);
	if (r)
		return r;
	if (cmd == SIOCCHGTUNNEL && count == 0) {
		union {
			struct ip_tunnel_parm p4;
			struct ip6_tnl_parm2 p6;
		} old = {0};
		if (ip_tnl_get(s->family, v, &old))
			return 1;
		memcpy(s->parm(args), &old, s->parm_size);
	}
	return 0;
}

int ip_tnl_parse(struct ip_ctx *c, const struct ip_tnl_syntax *s, int argc, char **argv,
		 unsigned long cmd, void *args)
{
	for (int count = 0; argc > 0; argc--, argv++, count++) {
		const char *k = argv[0];
		if (s->flag(args, k))
			continue;
		if (tnl_valued(s, k)) {
			if (argc < 2)
				return ip_incomplete(NULL);
			int r = s->value(c, args, k, argv[1]);
			if (r)
				return r;
			argc--;
			argv++;
			continue;
		}
		if (!strcmp(k, "name")) {
			if (argc < 2)
				return ip_incomplete(NULL);
			argc--;
			argv++;
		} else if (ip_matches(k, "help")) {
			return s->usage();
		}
		int r = tnl_name_word(s, args, cmd, count, argv[0]);
		if (r)
			return r;
	}
	return 0;
}

int ip_tnl_link(struct ip_ctx *c, const char *name)
{
	int i = ip_ifindex(c, name);
	unsigned n;
	if (!i && sscanf(name, "if%u", &n) == 1)
		i = (int)n;
	return i;
}

const char *ip_tnl_proto_name(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_IPIP: return "ip";
	case IPPROTO_GRE: return "gre";
	case IPPROTO_IPV6: return "ipv6";
	case IPPROTO_ESP: return "esp";
	case IPPROTO_MPLS: return "mpls";
	case 0: return "any";
	}
	return "unknown";
}

int ip_tnl_key_word(const char *k, const char *v, uint16_t *iflags, uint16_t *oflags,
		    uint32_t *ikey, uint32_t *okey)
{
	if (strcmp(k, "key") && strcmp(k, "ikey") && strcmp(k, "okey"))
		return -1;
	uint32_t key;
	int r = ip_tnl_parse_key(k, v, &key);
	if (r)
		return r;
	if (k[0] != 'o') {
		*iflags |= GRE_KEY;
		*ikey = key;
	}
	if (k[0] != 'i') {
		*oflags |= GRE_KEY;
		*okey = key;
	}
	return 0;
}

bool ip_tnl_gre_flag(const char *k, uint16_t *iflags, uint16_t *oflags)
{
	static const struct {
		const char *word;
		uint16_t bit;
		bool in, out;
	} w[] = {
		{"seq", GRE_SEQ, 1, 1},	  {"iseq", GRE_SEQ, 1, 0},   {"oseq", GRE_SEQ, 0, 1},
		{"csum", GRE_CSUM, 1, 1}, {"icsum", GRE_CSUM, 1, 0}, {"ocsum", GRE_CSUM, 0, 1},
	};
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (!strcmp(k, w[i].word)) {
			if (w[i].in)
				*iflags |= w[i].bit;
			if (w[i].out)
				*oflags |= w[i].bit;
			return true;
		}
	return false;
}

void ip_tnl_print_gre_flags(struct ip_ctx *c, uint8_t proto, uint16_t iflags, uint16_t oflags,
			    uint32_t ikey, uint32_t okey)
{
	struct emit *e = c->out;
	if ((iflags & GRE_KEY) && (oflags & GRE_KEY) && okey == ikey) {
		emit_uint(e, "key", " key %u", ntohl(ikey));
	} else {
		if (iflags & GRE_KEY)
			emit_uint(e, "ikey", " ikey %u", ntohl(ikey));
		if (oflags & GRE_KEY)
			emit_uint(e, "okey", " okey %u", ntohl(okey));
	}
	if (proto != IPPROTO_GRE)
		return;
	static const struct {
		bool out;
		uint16_t bit;
		const char *json, *text;
	} f[] = {
		{false, GRE_SEQ, "rx_drop_ooseq", "Drop packets out of sequence."},
		{false, GRE_CSUM, "rx_csum", "Checksum in received packet is required."},
		{true, GRE_SEQ, "tx_seq", "Sequence packets on output."},
		{true, GRE_CSUM, "tx_csum", "Checksum output packets."},
	};
	emit_arr_open(e, "flags");
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if ((f[i].out ? oflags : iflags) & f[i].bit) {
			emit_str(e, NULL, NULL, f[i].json);
			emit_text(e, "%s  %s", c->oneline ? "\\" : "\n", f[i].text);
		}
	emit_arr_close(e);
}

/* -s: iproute2 prints these with printf, in JSON too. */
static void tnl_print_stats(struct ip_ctx *c, const struct nlattr **tb)
{
	struct rtnl_link_stats64 s = {0};
	if (tb[IFLA_STATS64] && mnl_attr_get_payload_len(tb[IFLA_STATS64]) >= sizeof(s)) {
		memcpy(&s, mnl_attr_get_payload(tb[IFLA_STATS64]), sizeof(s));
	} else if (tb[IFLA_STATS] &&
		   mnl_attr_get_payload_len(tb[IFLA_STATS]) >= sizeof(struct rtnl_link_stats)) {
		const uint32_t *v = mnl_attr_get_payload(tb[IFLA_STATS]);
		uint64_t *d = (uint64_t *)&s;
		for (size_t i = 0; i < sizeof(struct rtnl_link_stats) / 4; i++)
			d[i] = v[i];
	}
	const char *sl = c->oneline ? "\\" : "\n";
	emit_rawf(c->out, "%sRX: Packets    Bytes        Errors CsumErrs OutOfSeq Mcasts%s", sl,
		  sl);
	emit_rawf(c->out, "    %-10llu %-12llu %-6llu %-8llu %-8llu %-8llu%s",
		  (unsigned long long)s.rx_packets, (unsigned long long)s.rx_bytes,
		  (unsigned long long)s.rx_errors, (unsigned long long)s.rx_frame_errors,
		  (unsigned long long)s.rx_fifo_errors, (unsigned long long)s.multicast, sl);
	emit_rawf(c->out, "TX: Packets    Bytes        Errors DeadLoop NoRoute  NoBufs%s", sl);
	emit_rawf(c->out, "    %-10llu %-12llu %-6llu %-8llu %-8llu %-6llu",
		  (unsigned long long)s.tx_packets, (unsigned long long)s.tx_bytes,
		  (unsigned long long)s.tx_errors, (unsigned long long)s.collisions,
		  (unsigned long long)s.tx_carrier_errors, (unsigned long long)s.tx_dropped);
}

struct tnl_walk {
	struct ip_ctx *c;
	bool six;
	const char *name;
	ip_tnl_show_fn show;
	void *data;
};

static int on_tnl_link(const struct nlmsghdr *nlh, void *data)
{
	struct tnl_walk *w = data;
	const struct ifinfomsg *ifi;
	const struct nlattr *tb[IFLA_MAX + 1];
	if (ip_link_parse(nlh, &ifi, tb) < 0 || !tb[IFLA_IFNAME])
		return MNL_CB_OK;
	unsigned t = ifi->ifi_type;
	bool v4 = t == ARPHRD_TUNNEL || t == ARPHRD_IPGRE || t == ARPHRD_SIT;
	bool v6 = t == ARPHRD_TUNNEL6 || t == ARPHRD_IP6GRE;
	const char *name = mnl_attr_get_str(tb[IFLA_IFNAME]);
	if (!(w->six ? v6 : v4) || (w->name[0] && strcmp(w->name, name)))
		return MNL_CB_OK;
	if (!w->show(w->c, ifi, name, w->data))
		return MNL_CB_OK;
	if (w->c->stats)
		tnl_print_stats(w->c, tb);
	emit_raw(w->c->out, "\n", 1); /* iproute2's fputc, in JSON too */
	return MNL_CB_OK;
}

int ip_tnl_list(struct ip_ctx *c, bool six, const char *name, ip_tnl_show_fn show, void *data)
{
	struct tnl_walk w = {c, six, name, show, data};
	emit_arr_open(c->out, NULL);
	int r = ip_link_dump(c, AF_UNSPEC, 0, on_tnl_link, &w, c->stats > 0);
	emit_arr_close(c->out);
	return r ? 1 : 0;
}

/* ---- ip tunnel (IPv4) ---- */

static int tnl_usage(void)
{
	fputs("Usage: ip tunnel { add | change | del | show | prl | 6rd } [ NAME ]\n"
	      "        [ mode { gre | ipip | isatap | sit | vti } ]\n"
	      "        [ remote ADDR ] [ local ADDR ]\n"
	      "        [ [i|o]seq ] [ [i|o]key KEY ] [ [i|o]csum ]\n"
	      "        [ prl-default ADDR ] [ prl-nodefault ADDR ] [ prl-delete ADDR ]\n"
	      "        [ 6rd-prefix ADDR ] [ 6rd-relay_prefix ADDR ] [ 6rd-reset ]\n"
	      "        [ ttl TTL ] [ tos TOS ] [ [no]pmtudisc ] [ dev PHYS_DEV ]\n"
	      "\n"
	      "Where: NAME := STRING\n"
	      "       ADDR := { IP_ADDRESS | any }\n"
	      "       TOS  := { STRING | 00..ff | inherit | inherit/STRING | inherit/00..ff }\n"
	      "       TTL  := { 1..255 | inherit }\n"
	      "       KEY  := { DOTTED_QUAD | NUMBER }\n",
	      stderr);
	return 255;
}

struct tnl_args {
	struct ip_tunnel_parm p;
	const char *medium;
	bool isatap;
};

static int set_proto(struct ip_tunnel_parm *p, int proto)
{
	if (p->iph.protocol && p->iph.protocol != proto) {
		fprintf(stderr, "You managed to ask for more than one tunnel mode.\n");
		return 255;
	}
	p->iph.protocol = (uint8_t)proto;
	return 0;
}

static int tnl_mode(struct tnl_args *a, const char *v)
{
	struct ip_tunnel_parm *p = &a->p;
	if (!strcmp(v, "ipip") || !strcmp(v, "ip/ip"))
		return set_proto(p, IPPROTO_IPIP);
	if (!strcmp(v, "gre") || !strcmp(v, "gre/ip"))
		return set_proto(p, IPPROTO_GRE);
	if (!strcmp(v, "sit") || !strcmp(v, "ipv6/ip"))
		return set_proto(p, IPPROTO_IPV6);
	if (!strcmp(v, "isatap")) {
		a->isatap = true;
		return set_proto(p, IPPROTO_IPV6);
	}
	if (!strcmp(v, "vti")) {
		p->i_flags |= VTI_ISVTI;
		return set_proto(p, IPPROTO_IPIP);
	}
	fprintf(stderr, "Unknown tunnel mode \"%s\"\n", v);
	return 255;
}

static int tnl_tos(struct ip_ctx *c, struct ip_tunnel_parm *p, char *v)
{
	char *slash = strchr(v, '/');
	const char *ds = v;
	if (!strncmp(v, "inherit", 7) && (!v[7] || v[7] == '/')) {
		p->iph.tos = 1;
		ds = slash ? slash + 1 : NULL;
	} else {
		p->iph.tos = 0;
	}
	uint32_t n;
	if (ds && (ip_name_id(c, IPT_DSFIELD, ds, &n) < 0 || n > 255))
		return ip_invarg("bad TOS value", v);
	if (ds)
		p->iph.tos |= (uint8_t)n;
	return 0;
}

/* iproute2's get_addr32: an IPv4 address or any; exit status 1 if not. */
static int tnl_addr32(const char *v, uint32_t *out)
{
	struct ip_prefix a;
	if (ip_get_addr(&a, v, AF_INET) < 0) {
		fprintf(stderr, "Error: an IP address is expected rather than \"%s\"\n", v);
		return 1;
	}
	memcpy(out, a.data, 4);
	return 0;
}

/* One word with its value (argv[1]); 0 or an exit status. */
static int tnl_value(struct ip_ctx *c, void *args, const char *k, char *v)
{
	struct tnl_args *a = args;
	struct ip_tunnel_parm *p = &a->p;
	uint32_t n;
	if (!strcmp(k, "mode"))
		return tnl_mode(a, v);
	if (!strcmp(k, "remote") || !strcmp(k, "local"))
		return tnl_addr32(v, k[0] == 'r' ? &p->iph.daddr : &p->iph.saddr);
	if (!strcmp(k, "dev")) {
		a->medium = v;
		return 0;
	}
	if (!strcmp(k, "ttl") || !strcmp(k, "hoplimit") || !strcmp(k, "hlim")) {
		if (strcmp(v, "inherit")) {
			if (ip_get_u32(&n, v, 0) < 0 || n > 255)
				return ip_invarg("invalid TTL\n", v);
			p->iph.ttl = (uint8_t)n;
		}
		return 0;
	}
	if (!strcmp(k, "tos") || !strcmp(k, "tclass") || ip_matches(k, "dsfield"))
		return tnl_tos(c, p, v);
	return ip_tnl_key_word(k, v, &p->i_flags, &p->o_flags, &p->i_key, &p->o_key);
}

static bool tnl_flag(void *args, const char *k)
{
	struct ip_tunnel_parm *p = &((struct tnl_args *)args)->p;
	if (!strcmp(k, "nopmtudisc") || !strcmp(k, "pmtudisc")) {
		p->iph.frag_off = k[0] == 'p' ? htons(IP_DF) : 0;
		return true;
	}
	return ip_tnl_gre_flag(k, &p->i_flags, &p->o_flags);
}

static void tnl_guess(struct tnl_args *a)
{
	struct ip_tunnel_parm *p = &a->p;
	if (p->iph.protocol)
		return;
	if (!strncmp(p->name, "gre", 3))
		p->iph.protocol = IPPROTO_GRE;
	else if (!strncmp(p->name, "ipip", 4))
		p->iph.protocol = IPPROTO_IPIP;
	else if (!strncmp(p->name, "sit", 3))
		p->iph.protocol = IPPROTO_IPV6;
	else if (!strncmp(p->name, "isatap", 6)) {
		p->iph.protocol = IPPROTO_IPV6;
		a->isatap = true;
	} else if (!strncmp(p->name, "vti", 3)) {
		p->iph.protocol = IPPROTO_IPIP;
		p->i_flags |= VTI_ISVTI;
	}
}

static int tnl_check(struct ip_ctx *c, struct tnl_args *a)
{
	struct ip_tunnel_parm *p = &a->p;
	tnl_guess(a);
	if (((p->i_flags | p->o_flags) & GRE_KEY) && !(p->i_flags & VTI_ISVTI) &&
	    p->iph.protocol != IPPROTO_GRE) {
		fprintf(stderr, "Keys are not allowed with ipip and sit tunnels\n");
		return 1;
	}
	if (a->medium && !(p->link = ip_tnl_link(c, a->medium)))
		return ip_nodev(a->medium);
	bool multi = IN_MULTICAST(ntohl(p->iph.daddr));
	if (multi && !p->i_key) {
		p->i_key = p->iph.daddr;
		p->i_flags |= GRE_KEY;
	}
	if (multi && !p->o_key) {
		p->o_key = p->iph.daddr;
		p->o_flags |= GRE_KEY;
	}
	if (multi && !p->iph.saddr) {
		fprintf(stderr, "A broadcast tunnel requires a source address\n");
		return 1;
	}
	if (a->isatap)
		p->i_flags |= SIT_ISATAP;
	return 0;
}

static void *tnl_parm(void *args)
{
	return &((struct tnl_args *)args)->p;
}

static char *tnl_parm_name(void *args)
{
	return ((struct tnl_args *)args)->p.name;
}

static const char *const tnl_valued_words[] = {
	"mode", "key",	    "ikey", "okey", "remote", "local", "dev",
	"ttl",	"hoplimit", "hlim", "tos",  "tclass", NULL,
};

static const struct ip_tnl_syntax tnl_syntax = {
	.family = AF_INET,
	.parm_size = sizeof(struct ip_tunnel_parm),
	.valued = tnl_valued_words,
	.flag = tnl_flag,
	.value = tnl_value,
	.parm = tnl_parm,
	.name = tnl_parm_name,
	.usage = tnl_usage,
};

static int tnl_parse(struct ip_ctx *c, int argc, char **argv, unsigned long cmd, struct tnl_args *a)
{
	memset(a, 0, sizeof(*a));
	a->p.iph.version = 4;
	a->p.iph.ihl = 5;
	a->p.iph.frag_off = htons(IP_DF);
	int r = ip_tnl_parse(c, &tnl_syntax, argc, argv, cmd, a);
	return r ? r : tnl_check(c, a);
}

static const char *tnl_basedev(const struct ip_tunnel_parm *p)
{
	switch (p->iph.protocol) {
	case IPPROTO_IPIP: return p->i_flags & VTI_ISVTI ? "ip_vti0" : "tunl0";
	case IPPROTO_GRE: return "gre0";
	case IPPROTO_IPV6: return "sit0";
	}
	return NULL;
}

static int tnl_add(struct ip_ctx *c, unsigned long cmd, int argc, char **argv)
{
	struct tnl_args a;
	int r = tnl_parse(c, argc, argv, cmd, &a);
	if (r)
		return r;
	if (a.p.iph.ttl && !a.p.iph.frag_off) {
		fprintf(stderr, "ttl != 0 and nopmtudisc are incompatible\n");
		return 1;
	}
	const char *base = tnl_basedev(&a.p);
	if (!base) {
		fprintf(stderr, "cannot determine tunnel mode (ipip, gre, vti or sit)\n");
		return 1;
	}
	return ip_tnl_add(AF_INET, cmd, base, a.p.name, &a.p);
}

static int tnl_del(struct ip_ctx *c, int argc, char **argv)
{
	struct tnl_args a;
	int r = tnl_parse(c, argc, argv, SIOCDELTUNNEL, &a);
	if (r)
		return r;
	const char *base = tnl_basedev(&a.p);
	return ip_tnl_del(AF_INET, base ? base : a.p.name, a.p.name, &a.p);
}

/* ---- prl and 6rd ---- */

/* iproute2's tnl_gen_ioctl: its message unless errno is skip; 0 or 1. */
static int tnl_gen(unsigned long cmd, const char *dev, void *p, int skip)
{
	int r = ip_tnl_ioctl(AF_INET, cmd, dev, p);
	if (r && r != -EBADF && -r != skip)
		fprintf(stderr, "%s: ioctl %lx failed: %s\n", dev, cmd, strerror(-r));
	return r ? 1 : 0;
}

static int tnl_dev_word(const char **medium, const char *v)
{
	if (!tnl_ifname_ok(v))
		return ip_invarg("\"dev\" not a valid ifname", v);
	*medium = v;
	return 0;
}

static int tnl_prl(int argc, char **argv)
{
	struct ip_tunnel_prl p = {0};
	unsigned long cmd = 0;
	const char *medium = NULL;
	for (int count = 0; argc > 0; argc--, argv++) {
		const char *k = argv[0];
		bool entry = !strcmp(k, "prl-default") || !strcmp(k, "prl-nodefault") ||
			     !strcmp(k, "prl-delete");
		if (!entry && strcmp(k, "dev")) {
			fprintf(stderr, "Invalid PRL parameter \"%s\"\n", k);
			return 255;
		}
		if (argc < 2)
			return ip_incomplete(NULL);
		argc--;
		argv++;
		int r = entry ? tnl_addr32(argv[0], &p.addr) : tnl_dev_word(&medium, argv[0]);
		if (r)
			return r;
		if (entry) {
			cmd = !strcmp(k, "prl-delete") ? SIOCDELPRL : SIOCADDPRL;
			if (!strcmp(k, "prl-default"))
				p.flags |= PRL_DEFAULT;
			count++;
		}
		if (count > 1) {
			fprintf(stderr, "One PRL entry at a time\n");
			return 255;
		}
	}
	if (!medium) {
		fprintf(stderr, "Must specify device\n");
		return 255;
	}
	return tnl_gen(cmd, medium, &p, -1);
}

static int tnl_6rd_word(struct ip_tunnel_6rd *d, const char *k, const char *v)
{
	struct ip_prefix pf;
	bool six = !strcmp(k, "6rd-prefix");
	if (ip_get_prefix(&pf, v, six ? AF_INET6 : AF_INET) < 0) { /* iproute2's get_prefix */
		fprintf(stderr, "Error: %s prefix is expected rather than \"%s\".\n",
			six ? "inet6" : "inet", v);
		return 1;
	}
	if (pf.bitlen < 0) /* no /N: the whole address */
		pf.bitlen = six ? 128 : 32;
	if (six) {
		memcpy(&d->prefix, pf.data, 16);
		d->prefixlen = (uint16_t)pf.bitlen;
	} else {
		memcpy(&d->relay_prefix, pf.data, 4);
		d->relay_prefixlen = (uint16_t)pf.bitlen;
	}
	return 0;
}

static int tnl_6rd(int argc, char **argv)
{
	struct ip_tunnel_6rd d = {0};
	unsigned long cmd = 0;
	const char *medium = NULL;
	for (; argc > 0; argc--, argv++) {
		const char *k = argv[0];
		if (!strcmp(k, "6rd-reset")) {
			cmd = SIOCDEL6RD;
			continue;
		}
		bool pfx = !strcmp(k, "6rd-prefix") || !strcmp(k, "6rd-relay_prefix");
		if (!pfx && strcmp(k, "dev")) {
			fprintf(stderr, "Invalid 6RD parameter \"%s\"\n", k);
			return 255;
		}
		if (argc < 2)
			return ip_incomplete(NULL);
		argc--;
		argv++;
		int r = pfx ? tnl_6rd_word(&d, k, argv[0]) : tnl_dev_word(&medium, argv[0]);
		if (r)
			return r;
		if (pfx)
			cmd = SIOCADD6RD;
	}
	if (!medium) {
		fprintf(stderr, "Must specify device\n");
		return 255;
	}
	return tnl_gen(cmd, medium, &d, -1);
}

/* ---- show ---- */

static void tnl_print_prl(struct ip_ctx *c, const struct ip_tunnel_parm *p)
{
	struct ip_tunnel_prl prl[16] = {0};
	char b[256];
	prl[0].datalen = sizeof(prl) - sizeof(prl[0]);
	if (tnl_gen(SIOCGETPRL, p->name, prl, -1))
		return;
	for (size_t i = 1; i < sizeof(prl) / sizeof(prl[0]); i++) {
		if (!prl[i].addr)
			continue;
		bool dflt = prl[i].flags & PRL_DEFAULT;
		emit_str(c->out, dflt ? "pdr" : "pr", dflt ? " pdr %s" : " pr %s",
			 ip_fmt_host(c, AF_INET, &prl[i].addr, b, sizeof(b)));
	}
}

static void tnl_print_6rd(struct ip_ctx *c, const struct ip_tunnel_parm *p)
{
	struct ip_tunnel_6rd d = {0};
	char b[256];
	if (tnl_gen(SIOCGET6RD, p->name, &d, EINVAL) || !d.prefixlen)
		return;
	emit_str(c->out, "6rd-prefix", " 6rd-prefix %s",
		 inet_ntop(AF_INET6, &d.prefix, b, sizeof(b)));
	emit_uint(c->out, "6rd-prefixlen", "/%u", d.prefixlen);
	if (d.relay_prefix) {
		emit_str(c->out, "6rd-relay_prefix", " 6rd-relay_prefix %s",
			 ip_fmt_host(c, AF_INET, &d.relay_prefix, b, sizeof(b)));
		emit_uint(c->out, "6rd-relay_prefixlen", "/%u", d.relay_prefixlen);
	}
}

static void tnl_print_tos(struct ip_ctx *c, uint8_t tos)
{
	char b[64], b2[80];
	if (tos == 1) {
		emit_text(c->out, " tos inherit");
		return;
	}
	if (emit_is_text(c->out) && (tos & 1))
		snprintf(b2, sizeof(b2), "inherit/%s", ip_name_dsfield(c, tos & ~1, b, sizeof(b)));
	else
		snprintf(b2, sizeof(b2), "%s", ip_name_dsfield(c, tos, b, sizeof(b)));
	emit_str(c->out, "tos", " tos %s", b2);
}

static void tnl_print(struct ip_ctx *c, const struct ip_tunnel_parm *p)
{
	char b[256], n[IP_NAMESZ];
	struct emit *e = c->out;
	bool text = emit_is_text(e);
	uint8_t proto = p->iph.protocol;
	emit_obj_open(e, NULL);
	ip_cstr(c, COL_IFNAME, "ifname", "%s: ", p->name);
	snprintf(b, sizeof(b), "%s/ip", ip_tnl_proto_name(proto));
	emit_str(e, "mode", "%s ", b);
	emit_text(e, "remote ");
	ip_cstr(c, COL_INET, "remote", "%s ",
		p->iph.daddr || !text ? ip_fmt_host(c, AF_INET, &p->iph.daddr, b, sizeof(b))
				      : "any");
	emit_text(e, "local ");
	ip_cstr(c, COL_INET, "local", "%s",
		p->iph.saddr || !text ? inet_ntop(AF_INET, &p->iph.saddr, b, sizeof(b)) : "any");
	if (proto == IPPROTO_IPV6 && (p->i_flags & SIT_ISATAP))
		tnl_print_prl(c, p);
	if (p->link)
		emit_str(e, "dev", " dev %s", ip_ifname(c, (uint32_t)p->link, n));
	if (p->iph.ttl)
		emit_uint(e, "ttl", " ttl %u", p->iph.ttl);
	else
		emit_text(e, " ttl inherit");
	if (p->iph.tos)
		tnl_print_tos(c, p->iph.tos);
	if (!(p->iph.frag_off & htons(IP_DF)))
		emit_null(e, "nopmtudisc", " nopmtudisc");
	if (proto == IPPROTO_IPV6)
		tnl_print_6rd(c, p);
	ip_tnl_print_gre_flags(c, proto, p->i_flags, p->o_flags, p->i_key, p->o_key);
	emit_obj_close(e);
}

static bool tnl_match(const struct ip_tunnel_parm *w, const struct ip_tunnel_parm *p)
{
	return !((w->link && p->link != w->link) || (w->name[0] && strcmp(p->name, w->name)) ||
		 (w->iph.daddr && p->iph.daddr != w->iph.daddr) ||
		 (w->iph.saddr && p->iph.saddr != w->iph.saddr) ||
		 (w->i_key && p->i_key != w->i_key));
}

static bool tnl_show_link(struct ip_ctx *c, const struct ifinfomsg *ifi, const char *name,
			  void *data)
{
	(void)ifi;
	struct ip_tunnel_parm p = {0};
	if (ip_tnl_get(AF_INET, name, &p) || !tnl_match(data, &p))
		return false;
	tnl_print(c, &p);
	return true;
}

static int tnl_show(struct ip_ctx *c, int argc, char **argv)
{
	struct tnl_args a;
	int r = tnl_parse(c, argc, argv, SIOCGETTUNNEL, &a);
	if (r)
		return r;
	const char *base = tnl_basedev(&a.p);
	if (!base)
		return ip_tnl_list(c, false, a.p.name, tnl_show_link, &a.p);
	/* a mode: that one tunnel, printed as text even with -j */
	if (ip_tnl_get(AF_INET, a.p.name[0] ? a.p.name : base, &a.p))
		return 1;
	enum emit_format f = c->out->fmt;
	c->out->fmt = EMIT_TEXT;
	tnl_print(c, &a.p);
	emit_text(c->out, "\n");
	c->out->fmt = f;
	return 0;
}

int ip_tunnel(struct ip_ctx *c, int argc, char **argv)
{
	/* as iproute2: the first "mode" word, if an IPv6 one, makes it IPv6 */
	for (int i = 0; i < argc - 1; i++)
		if (!strcmp(argv[i], "mode")) {
			if (ip_tnl_mode_is6(argv[i + 1]))
				return ip_tunnel6(c, argc, argv);
			break;
		}
	if (c->family == AF_INET6)
		return ip_tunnel6(c, argc, argv);
	if (c->family != AF_UNSPEC && c->family != AF_INET) {
		fprintf(stderr, "Unsupported protocol family: %d\n", c->family);
		return 255;
	}
	if (argc < 1)
		return tnl_show(c, 0, NULL);
	const char *k = argv[0];
	if (ip_matches(k, "add"))
		return tnl_add(c, SIOCADDTUNNEL, argc - 1, argv + 1);
	if (ip_matches(k, "change"))
		return tnl_add(c, SIOCCHGTUNNEL, argc - 1, argv + 1);
	if (ip_matches(k, "delete"))
		return tnl_del(c, argc - 1, argv + 1);
	if (ip_matches(k, "show") || ip_matches(k, "lst") || ip_matches(k, "list"))
		return tnl_show(c, argc - 1, argv + 1);
	if (ip_matches(k, "prl"))
		return tnl_prl(argc - 1, argv + 1);
	if (ip_matches(k, "6rd"))
		return tnl_6rd(argc - 1, argv + 1);
	if (ip_matches(k, "help"))
		return tnl_usage();
	fprintf(stderr, "Command \"%s\" is unknown, try \"ip tunnel help\"\n", k);
	return 255;
}
