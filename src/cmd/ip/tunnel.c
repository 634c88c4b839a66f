/* SPDX-License-Identifier: Apache-2.0 */
/* ip tunnel: IPv4 tunnels (ipip, gre, sit, isatap, vti) through the
 * ioctl interface iproute2 6.1 uses (SIOCADDTUNNEL, SIOCCHGTUNNEL,
 * SIOCDELTUNNEL, SIOCGETTUNNEL on the kind's base device tunl0, gre0,
 * sit0, ip_vti0), with its words, checks and messages; show lists the
 * tunnel links of a link dump. ip -6 tunnel: only an empty list. */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/if_arp.h>
#include <linux/if_tunnel.h>
#include <linux/ip.h>

#include "cmd/ip/ip.h"
#include "cmd/ip/link_priv.h"

#ifndef IP_DF
#define IP_DF 0x4000 /* the header's do not fragment bit */
#endif

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
	char medium[IFNAMSIZ];
	bool isatap;
};

static int tnl_ioctl(unsigned long cmd, const char *dev, struct ip_tunnel_parm *p)
{
	struct ifreq ifr = {0};
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", dev);
	ifr.ifr_ifru.ifru_data = (void *)p;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	int r = ioctl(fd, cmd, &ifr) < 0 ? -errno : 0;
	close(fd);
	return r;
}

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

static bool tnl_takes_value(const char *k)
{
	static const char *const w[] = {"mode", "key", "ikey",	   "okey", "remote", "local",
					"dev",	"ttl", "hoplimit", "hlim", "tos",    "tclass"};
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (!strcmp(k, w[i]))
			return true;
	return ip_matches(k, "dsfield");
}

/* One word with its value (argv[1]); 0 or an exit status, -1 if k is none. */
static int tnl_value(struct ip_ctx *c, struct tnl_args *a, const char *k, char *v)
{
	struct ip_tunnel_parm *p = &a->p;
	uint32_t n;
	if (!strcmp(k, "mode"))
		return tnl_mode(a, v);
	if (!strcmp(k, "key") || !strcmp(k, "ikey") || !strcmp(k, "okey")) {
		uint32_t key;
		int r = ip_tnl_parse_key(k, v, &key);
		if (r)
			return r;
		if (k[0] != 'o') {
			p->i_flags |= GRE_KEY;
			p->i_key = key;
		}
		if (k[0] != 'i') {
			p->o_flags |= GRE_KEY;
			p->o_key = key;
		}
		return 0;
	}
	if (!strcmp(k, "remote") || !strcmp(k, "local")) {
		uint32_t *ad = k[0] == 'r' ? &p->iph.daddr : &p->iph.saddr;
		if (!strcmp(v, "any"))
			*ad = 0;
		else if (inet_pton(AF_INET, v, ad) != 1) {
			fprintf(stderr, "Error: an IP address is expected rather than \"%s\"\n", v);
			return 1;
		}
		return 0;
	}
	if (!strcmp(k, "dev")) {
		snprintf(a->medium, sizeof(a->medium), "%s", v);
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
	return -1;
}

static bool tnl_flag(struct ip_tunnel_parm *p, const char *k)
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
				p->i_flags |= w[i].bit;
			if (w[i].out)
				p->o_flags |= w[i].bit;
			return true;
		}
	if (!strcmp(k, "nopmtudisc") || !strcmp(k, "pmtudisc")) {
		p->iph.frag_off = k[0] == 'p' ? htons(IP_DF) : 0;
		return true;
	}
	return false;
}

/* The NAME word; for change, the tunnel's present settings first. */
static int tnl_name(struct tnl_args *a, unsigned long cmd, int count, const char *v)
{
	struct ip_tunnel_parm *p = &a->p;
	if (p->name[0])
		return ip_duparg2("name", v);
	snprintf(p->name, IFNAMSIZ, "%s", v);
	if (cmd == SIOCCHGTUNNEL && count == 0) {
		struct ip_tunnel_parm old = {0};
		int r = tnl_ioctl(SIOCGETTUNNEL, v, &old);
		if (r) {
			fprintf(stderr, "get tunnel \"%s\" failed: %s\n", v, strerror(-r));
			return 1;
		}
		*p = old;
	}
	return 0;
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
	if (a->medium[0] && !(p->link = ip_ifindex(c, a->medium))) {
		fprintf(stderr, "Cannot find device \"%s\"\n", a->medium);
		return 1;
	}
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

static int tnl_parse(struct ip_ctx *c, int argc, char **argv, unsigned long cmd, struct tnl_args *a)
{
	memset(a, 0, sizeof(*a));
	a->p.iph.version = 4;
	a->p.iph.ihl = 5;
	a->p.iph.frag_off = htons(IP_DF);
	for (int count = 0; argc > 0; argc--, argv++, count++) {
		const char *k = argv[0];
		if (tnl_flag(&a->p, k))
			continue;
		if (tnl_takes_value(k)) {
			if (argc < 2)
				return ip_incomplete(NULL);
			int r = tnl_value(c, a, k, argv[1]);
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
			return tnl_usage();
		}
		int r = tnl_name(a, cmd, count, argv[0]);
		if (r)
			return r;
	}
	return tnl_check(c, a);
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
	const char *dev = cmd == SIOCCHGTUNNEL && a.p.name[0] ? a.p.name : base;
	r = tnl_ioctl(cmd, dev, &a.p);
	if (r) {
		fprintf(stderr, "%s tunnel \"%s\" failed: %s\n",
			cmd == SIOCCHGTUNNEL ? "change" : "add", dev, strerror(-r));
		return 1;
	}
	return 0;
}

static int tnl_del(struct ip_ctx *c, int argc, char **argv)
{
	struct tnl_args a;
	int r = tnl_parse(c, argc, argv, SIOCDELTUNNEL, &a);
	if (r)
		return r;
	const char *base = tnl_basedev(&a.p);
	const char *dev = a.p.name[0] ? a.p.name : base ? base : a.p.name;
	r = tnl_ioctl(SIOCDELTUNNEL, dev, &a.p);
	if (r) {
		fprintf(stderr, "delete tunnel \"%s\" failed: %s\n", dev, strerror(-r));
		return 1;
	}
	return 0;
}

/* ---- show ---- */

static void tnl_print(struct ip_ctx *c, const struct ip_tunnel_parm *p)
{
	char b1[64], b2[64], n[IP_NAMESZ];
	uint8_t proto = p->iph.protocol;
	const char *pn = proto == IPPROTO_IPIP	 ? "ip"
			 : proto == IPPROTO_GRE	 ? "gre"
			 : proto == IPPROTO_IPV6 ? "ipv6"
						 : "unknown";
	emit_text(c->out, "%s: %s/ip remote %s local %s", p->name, pn,
		  p->iph.daddr ? ip_fmt_host(c, AF_INET, &p->iph.daddr, b1, sizeof(b1)) : "any",
		  p->iph.saddr ? inet_ntop(AF_INET, &p->iph.saddr, b2, sizeof(b2)) : "any");
	if (p->link)
		emit_text(c->out, " dev %s", ip_ifname(c, (uint32_t)p->link, n));
	if (p->iph.ttl)
		emit_text(c->out, " ttl %d", p->iph.ttl);
	else
		emit_text(c->out, " ttl inherit");
	if (p->iph.tos) {
		emit_text(c->out, " tos");
		if (p->iph.tos & 1)
			emit_text(c->out, " inherit");
		if (p->iph.tos & ~1)
			emit_text(c->out, "%c%s ", p->iph.tos & 1 ? '/' : ' ',
				  ip_name_dsfield(c, p->iph.tos & ~1, b1, sizeof(b1)));
	}
	if (!(p->iph.frag_off & htons(IP_DF)))
		emit_text(c->out, " nopmtudisc");
	if ((p->i_flags & GRE_KEY) && (p->o_flags & GRE_KEY) && p->o_key == p->i_key) {
		emit_text(c->out, " key %u", ntohl(p->i_key));
	} else {
		if (p->i_flags & GRE_KEY)
			emit_text(c->out, " ikey %u", ntohl(p->i_key));
		if (p->o_flags & GRE_KEY)
			emit_text(c->out, " okey %u", ntohl(p->o_key));
	}
	if (proto != IPPROTO_GRE)
		return;
	const char *sl = c->oneline ? "\\" : "\n";
	if (p->i_flags & GRE_SEQ)
		emit_text(c->out, "%s  Drop packets out of sequence.", sl);
	if (p->i_flags & GRE_CSUM)
		emit_text(c->out, "%s  Checksum in received packet is required.", sl);
	if (p->o_flags & GRE_SEQ)
		emit_text(c->out, "%s  Sequence packets on output.", sl);
	if (p->o_flags & GRE_CSUM)
		emit_text(c->out, "%s  Checksum output packets.", sl);
}

struct tnl_list {
	struct ip_ctx *c;
	const struct ip_tunnel_parm *want;
	bool six;
	int shown_unsupported;
};

static bool tnl_match(const struct ip_tunnel_parm *w, const struct ip_tunnel_parm *p)
{
	return !((w->link && p->link != w->link) || (w->name[0] && strcmp(p->name, w->name)) ||
		 (w->iph.daddr && p->iph.daddr != w->iph.daddr) ||
		 (w->iph.saddr && p->iph.saddr != w->iph.saddr) ||
		 (w->i_key && p->i_key != w->i_key));
}

static int on_tnl_link(const struct nlmsghdr *nlh, void *data)
{
	struct tnl_list *l = data;
	const struct ifinfomsg *ifi;
	const struct nlattr *tb[IFLA_MAX + 1];
	if (ip_link_parse(nlh, &ifi, tb) < 0 || !tb[IFLA_IFNAME])
		return MNL_CB_OK;
	unsigned t = ifi->ifi_type;
	bool v4 = t == ARPHRD_TUNNEL || t == ARPHRD_IPGRE || t == ARPHRD_SIT;
	bool v6 = t == ARPHRD_TUNNEL6 || t == ARPHRD_IP6GRE;
	const char *name = mnl_attr_get_str(tb[IFLA_IFNAME]);
	if (!(l->six ? v6 : v4) || (l->want->name[0] && strcmp(l->want->name, name)))
		return MNL_CB_OK;
	if (l->six) { /* ip6_tnl_parm2 and its printer are not written */
		l->shown_unsupported++;
		return MNL_CB_OK;
	}
	struct ip_tunnel_parm p = {0};
	if (tnl_ioctl(SIOCGETTUNNEL, name, &p) || !tnl_match(l->want, &p))
		return MNL_CB_OK;
	tnl_print(l->c, &p);
	emit_text(l->c->out, "\n");
	return MNL_CB_OK;
}

static int tnl_show(struct ip_ctx *c, int argc, char **argv, bool six)
{
	struct tnl_args a = {0};
	if (!six) {
		int r = tnl_parse(c, argc, argv, SIOCGETTUNNEL, &a);
		if (r)
			return r;
	} else if (argc > 0) {
		fprintf(stderr, "netkit ip: \"ip -6 tunnel\" with arguments is not implemented\n");
		return 2;
	}
	const char *base = six ? NULL : tnl_basedev(&a.p);
	if (base) { /* a mode: that one tunnel, asked for by name */
		const char *dev = a.p.name[0] ? a.p.name : base;
		int r = tnl_ioctl(SIOCGETTUNNEL, dev, &a.p);
		if (r) {
			fprintf(stderr, "get tunnel \"%s\" failed: %s\n", dev, strerror(-r));
			return 1;
		}
		tnl_print(c, &a.p);
		emit_text(c->out, "\n");
		return 0;
	}
	struct tnl_list l = {.c = c, .want = &a.p, .six = six};
	if (ip_link_dump(c, AF_UNSPEC, 0, on_tnl_link, &l, false) < 0)
		return 1;
	if (l.shown_unsupported) {
		fprintf(stderr, "netkit ip: showing IPv6 tunnels is not implemented\n");
		return 2;
	}
	return 0;
}

int ip_tunnel(struct ip_ctx *c, int argc, char **argv)
{
	bool six = c->family == AF_INET6;
	if (c->family != AF_UNSPEC && c->family != AF_INET && !six) {
		fprintf(stderr, "Unsupported protocol family: %d\n", c->family);
		return 255;
	}
	if (argc < 1)
		return tnl_show(c, 0, NULL, six);
	const char *k = argv[0];
	if (ip_matches(k, "show") || ip_matches(k, "lst") || ip_matches(k, "list"))
		return tnl_show(c, argc - 1, argv + 1, six);
	if (six) {
		fprintf(stderr, "netkit ip: \"ip -6 tunnel %s\" is not implemented\n", k);
		return 2;
	}
	if (ip_matches(k, "add"))
		return tnl_add(c, SIOCADDTUNNEL, argc - 1, argv + 1);
	if (ip_matches(k, "change"))
		return tnl_add(c, SIOCCHGTUNNEL, argc - 1, argv + 1);
	if (ip_matches(k, "delete"))
		return tnl_del(c, argc - 1, argv + 1);
	if (ip_matches(k, "prl") || ip_matches(k, "6rd")) {
		fprintf(stderr, "netkit ip: \"ip tunnel %s\" is not implemented\n", k);
		return 2;
	}
	if (ip_matches(k, "help"))
		return tnl_usage();
	fprintf(stderr, "Command \"%s\" is unknown, try \"ip tunnel help\"\n", k);
	return 255;
}
