/* SPDX-License-Identifier: Apache-2.0 */
/* ip -6 tunnel, and ip tunnel given an IPv6 mode: ip6tnl, ip6gre and vti6
 * tunnels through the ioctls iproute2 6.1 uses (SIOCADDTUNNEL,
 * SIOCCHGTUNNEL, SIOCDELTUNNEL, SIOCGETTUNNEL with struct ip6_tnl_parm2 on
 * ip6tnl0, ip6gre0, ip6_vti0 or the tunnel itself), with its defaults (hop
 * limit 64, encapsulation limit 4), words, checks and messages. show NAME
 * asks that one tunnel; show without a name walks the tunnel links. */
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/ioctl.h>

#include <linux/if_arp.h>
#include <linux/if_tunnel.h>
#include <linux/ip6_tunnel.h>

#include "cmd/ip/link_priv.h"
#include "cmd/ip/tunnel_priv.h"

#define TNL6_TCLASS htonl(0x0ff00000)
#define TNL6_FLOWLABEL htonl(0x000fffff)

static int tnl6_usage(void)
{
	fputs("Usage: ip -f inet6 tunnel { add | change | del | show } [ NAME ]\n"
	      "          [ mode { ip6ip6 | ipip6 | ip6gre | vti6 | any } ]\n"
	      "          [ remote ADDR local ADDR ] [ dev PHYS_DEV ]\n"
	      "          [ encaplimit ELIM ]\n"
	      "          [ hoplimit TTL ] [ tclass TCLASS ] [ flowlabel FLOWLABEL ]\n"
	      "          [ dscp inherit ]\n"
	      "          [ [no]allow-localremote ]\n"
	      "          [ [i|o]seq ] [ [i|o]key KEY ] [ [i|o]csum ]\n"
	      "\n"
	      "Where: NAME      := STRING\n"
	      "       ADDR      := IPV6_ADDRESS\n"
	      "       ELIM      := { none | 0..255 }(default=4)\n"
	      "       TTL       := 0..255 (default=64)\n"
	      "       TCLASS    := { 0x0..0xff | inherit }\n"
	      "       FLOWLABEL := { 0x0..0xfffff | inherit }\n"
	      "       KEY       := { DOTTED_QUAD | NUMBER }\n",
	      stderr);
	return 255;
}

static const struct {
	const char *word;
	uint8_t proto;
	bool vti;
} tnl6_modes[] = {
	{"ipv6/ipv6", IPPROTO_IPV6, false},
	{"ip6ip6", IPPROTO_IPV6, false},
	{"vti6", IPPROTO_IPV6, true},
	{"ip/ipv6", IPPROTO_IPIP, false},
	{"ipv4/ipv6", IPPROTO_IPIP, false},
	{"ipip6", IPPROTO_IPIP, false},
	{"ip4ip6", IPPROTO_IPIP, false},
	{"ip6gre", IPPROTO_GRE, false},
	{"gre/ipv6", IPPROTO_GRE, false},
	{"any/ipv6", 0, false},
	{"any", 0, false},
};

static int tnl6_mode_index(const char *v)
{
	for (size_t i = 0; i < sizeof(tnl6_modes) / sizeof(tnl6_modes[0]); i++)
		if (!strcmp(v, tnl6_modes[i].word))
			return (int)i;
	return -1;
}

bool ip_tnl_mode_is6(const char *v)
{
	return tnl6_mode_index(v) >= 0;
}

struct tnl6_args {
	struct ip6_tnl_parm2 p;
	const char *medium;
};

static void tnl6_init(struct ip6_tnl_parm2 *p, bool defaults)
{
	memset(p, 0, sizeof(*p));
	p->proto = IPPROTO_IPV6;
	if (defaults) {
		p->hop_limit = 64;
		p->encap_limit = IPV6_DEFAULT_TNL_ENCAP_LIMIT;
	}
}

static int tnl6_limit(struct ip6_tnl_parm2 *p, const char *k, const char *v)
{
	uint32_t n;
	if (!strcmp(k, "encaplimit")) {
		if (!strcmp(v, "none")) {
			p->flags |= IP6_TNL_F_IGN_ENCAP_LIMIT;
			return 0;
		}
		/* iproute2 6.1 takes a bad value here and sends whatever its
		 * stack held; netkit refuses it with the words of its check */
		if (ip_get_u32(&n, v, 0) < 0 || n > 255)
			return ip_invarg("invalid ELIM", v);
		p->encap_limit = (uint8_t)n;
		p->flags &= ~IP6_TNL_F_IGN_ENCAP_LIMIT;
		return 0;
	}
	if (ip_get_u32(&n, v, 0) < 0 || n > 255)
		return ip_invarg("invalid TTL", v);
	p->hop_limit = (uint8_t)n;
	return 0;
}

/* One word with its value; 0 or an exit status. */
static int tnl6_value(struct ip_ctx *c, void *args, const char *k, char *v)
{
	(void)c;
	struct tnl6_args *a = args;
	struct ip6_tnl_parm2 *p = &a->p;
	if (!strcmp(k, "mode")) {
		int i = tnl6_mode_index(v);
		if (i < 0) {
			fprintf(stderr, "Unknown tunnel mode \"%s\"\n", v);
			return 255;
		}
		p->proto = tnl6_modes[i].proto;
		if (tnl6_modes[i].vti)
			p->i_flags |= VTI_ISVTI;
		return 0;
	}
	if (!strcmp(k, "remote") || !strcmp(k, "local"))
		return ip_tnl_addr6(v, (uint8_t *)(k[0] == 'r' ? &p->raddr : &p->laddr));
	if (!strcmp(k, "dev")) {
		a->medium = v;
		return 0;
	}
	if (!strcmp(k, "encaplimit") || !strcmp(k, "hoplimit") || !strcmp(k, "ttl") ||
	    !strcmp(k, "hlim"))
		return tnl6_limit(p, k, v);
	if (!strcmp(k, "dscp")) {
		if (strcmp(v, "inherit"))
			return ip_invarg("not inherit", v);
		p->flags |= IP6_TNL_F_RCV_DSCP_COPY;
		return 0;
	}
	int r = ip_tnl_key_word(k, v, &p->i_flags, &p->o_flags, &p->i_key, &p->o_key);
	if (r >= 0)
		return r;
	return ip_tnl_flow6(k, v, &p->flowinfo, &p->flags);
}

static bool tnl6_flag(void *args, const char *k)
{
	struct ip6_tnl_parm2 *p = &((struct tnl6_args *)args)->p;
	if (!strcmp(k, "allow-localremote") || !strcmp(k, "noallow-localremote")) {
		if (k[0] == 'a')
			p->flags |= IP6_TNL_F_ALLOW_LOCAL_REMOTE;
		else
			p->flags &= ~IP6_TNL_F_ALLOW_LOCAL_REMOTE;
		return true;
	}
	return ip_tnl_gre_flag(k, &p->i_flags, &p->o_flags);
}

static void *tnl6_parm(void *args)
{
	return &((struct tnl6_args *)args)->p;
}

static char *tnl6_parm_name(void *args)
{
	return ((struct tnl6_args *)args)->p.name;
}

static const char *const tnl6_valued_words[] = {
	"mode", "remote", "local",     "dev", "encaplimit", "hoplimit", "ttl",	"hlim", "tclass",
	"tc",	"tos",	  "flowlabel", "fl",  "dscp",	    "key",	"ikey", "okey", NULL,
};

static const struct ip_tnl_syntax tnl6_syntax = {
	.family = AF_INET6,
	.parm_size = sizeof(struct ip6_tnl_parm2),
	.valued = tnl6_valued_words,
	.flag = tnl6_flag,
	.value = tnl6_value,
	.parm = tnl6_parm,
	.name = tnl6_parm_name,
	.usage = tnl6_usage,
};

static int tnl6_parse(struct ip_ctx *c, int argc, char **argv, unsigned long cmd,
		      struct tnl6_args *a)
{
	int r = ip_tnl_parse(c, &tnl6_syntax, argc, argv, cmd, a);
	if (r)
		return r;
	if (a->medium && !(a->p.link = ip_tnl_link(c, a->medium)))
		return ip_nodev(a->medium);
	return 0;
}

static const char *tnl6_base(const struct ip6_tnl_parm2 *p)
{
	return p->proto == IPPROTO_GRE	? "ip6gre0"
	       : p->i_flags & VTI_ISVTI ? "ip6_vti0"
					: "ip6tnl0";
}

static int tnl6_change(struct ip_ctx *c, unsigned long cmd, int argc, char **argv)
{
	struct tnl6_args a = {.medium = NULL};
	tnl6_init(&a.p, true);
	int r = tnl6_parse(c, argc, argv, cmd, &a);
	if (r)
		return r;
	if (cmd == SIOCDELTUNNEL)
		return ip_tnl_del(AF_INET6, tnl6_base(&a.p), a.p.name, &a.p);
	if (!a.p.name[0]) /* only said: the base device is asked */
		fprintf(stderr, "Tunnel interface name not specified\n");
	return ip_tnl_add(AF_INET6, cmd, tnl6_base(&a.p), a.p.name, &a.p);
}

/* ---- show ---- */

static void tnl6_print(struct ip_ctx *c, const struct ip6_tnl_parm2 *p)
{
	char b[INET6_ADDRSTRLEN + 256], n[IP_NAMESZ];
	struct emit *e = c->out;
	emit_obj_open(e, NULL);
	ip_cstr(c, COL_IFNAME, "ifname", "%s: ", p->name);
	snprintf(b, sizeof(b), "%s/ipv6", ip_tnl_proto_name(p->proto));
	emit_str(e, "mode", "%s ", b);
	emit_text(e, "remote ");
	ip_cstr(c, COL_INET6, "remote", "%s ", ip_fmt_host(c, AF_INET6, &p->raddr, b, sizeof(b)));
	emit_text(e, "local ");
	ip_cstr(c, COL_INET6, "local", "%s", inet_ntop(AF_INET6, &p->laddr, b, sizeof(b)));
	if (p->link)
		emit_str(e, "link", " dev %s", ip_ifname(c, (uint32_t)p->link, n));
	if (p->flags & IP6_TNL_F_IGN_ENCAP_LIMIT)
		emit_null(e, "ip6_tnl_f_ign_encap_limit", " encaplimit none");
	else
		emit_uint(e, "encap_limit", " encaplimit %u", p->encap_limit);
	if (p->hop_limit)
		emit_uint(e, "hoplimit", " hoplimit %u", p->hop_limit);
	else
		emit_text(e, " hoplimit inherit");
	if (p->flags & IP6_TNL_F_USE_ORIG_TCLASS) {
		emit_null(e, "ip6_tnl_f_use_orig_tclass", " tclass inherit");
	} else {
		snprintf(b, sizeof(b), "0x%02x", (ntohl(p->flowinfo & TNL6_TCLASS) >> 20) & 0xff);
		emit_str(e, "tclass", " tclass %s", b);
	}
	if (p->flags & IP6_TNL_F_USE_ORIG_FLOWLABEL) {
		emit_null(e, "ip6_tnl_f_use_orig_flowlabel", " flowlabel inherit");
	} else {
		snprintf(b, sizeof(b), "0x%05x", ntohl(p->flowinfo & TNL6_FLOWLABEL));
		emit_str(e, "flowlabel", " flowlabel %s", b);
	}
	snprintf(b, sizeof(b), "0x%08x", ntohl(p->flowinfo));
	emit_str(e, "flowinfo", " (flowinfo %s)", b);
	if (p->flags & IP6_TNL_F_RCV_DSCP_COPY)
		emit_null(e, "ip6_tnl_f_rcv_dscp_copy", " dscp inherit");
	if (p->flags & IP6_TNL_F_ALLOW_LOCAL_REMOTE)
		emit_null(e, "ip6_tnl_f_allow_local_remote", " allow-localremote");
	ip_tnl_print_gre_flags(c, p->proto, p->i_flags, p->o_flags, p->i_key, p->o_key);
	emit_obj_close(e);
}

static bool tnl6_match(const struct ip6_tnl_parm2 *w, const struct ip6_tnl_parm2 *p)
{
	return (!w->link || w->link == p->link) && (!w->name[0] || !strcmp(w->name, p->name)) &&
	       (IN6_IS_ADDR_UNSPECIFIED(&w->laddr) || IN6_ARE_ADDR_EQUAL(&w->laddr, &p->laddr)) &&
	       (IN6_IS_ADDR_UNSPECIFIED(&w->raddr) || IN6_ARE_ADDR_EQUAL(&w->raddr, &p->raddr)) &&
	       (!w->proto || !p->proto || w->proto == p->proto) &&
	       (!w->encap_limit || w->encap_limit == p->encap_limit) &&
	       (!w->hop_limit || w->hop_limit == p->hop_limit) &&
	       (!(w->flowinfo & TNL6_TCLASS) || !((w->flowinfo ^ p->flowinfo) & TNL6_TCLASS)) &&
	       (!(w->flowinfo & TNL6_FLOWLABEL) ||
		!((w->flowinfo ^ p->flowinfo) & TNL6_FLOWLABEL)) &&
	       (!w->flags || (w->flags & p->flags));
}

/* One tunnel link of the dump: asked with the request iproute2 builds
 * (its index as link, the filter's name), then filtered and printed. */
static bool tnl6_show_link(struct ip_ctx *c, const struct ifinfomsg *ifi, const char *name,
			   void *data)
{
	const struct ip6_tnl_parm2 *want = data;
	struct ip6_tnl_parm2 p;
	tnl6_init(&p, false);
	if (ifi->ifi_type == ARPHRD_IP6GRE)
		p.proto = IPPROTO_GRE;
	p.link = ifi->ifi_index;
	memcpy(p.name, want->name, sizeof(p.name));
	if (ip_tnl_get(AF_INET6, name, &p) || !tnl6_match(want, &p))
		return false;
	tnl6_print(c, &p);
	return true;
}

static int tnl6_show(struct ip_ctx *c, int argc, char **argv)
{
	struct tnl6_args a = {.medium = NULL};
	tnl6_init(&a.p, false);
	a.p.proto = 0;
	int r = tnl6_parse(c, argc, argv, SIOCGETTUNNEL, &a);
	if (r)
		return r;
	if (!a.p.name[0] || c->stats)
		return ip_tnl_list(c, true, a.p.name, tnl6_show_link, &a.p);
	if (ip_tnl_get(AF_INET6, a.p.name, &a.p))
		return 1;
	/* iproute2 prints this one tunnel as text even with -j (it opens no
	 * JSON document for it), and ends it without a newline */
	enum emit_format f = c->out->fmt;
	c->out->fmt = EMIT_TEXT;
	tnl6_print(c, &a.p);
	c->out->fmt = f;
	return 0;
}

int ip_tunnel6(struct ip_ctx *c, int argc, char **argv)
{
	if (argc < 1)
		return tnl6_show(c, 0, NULL);
	const char *k = argv[0];
	if (ip_matches(k, "add"))
		return tnl6_change(c, SIOCADDTUNNEL, argc - 1, argv + 1);
	if (ip_matches(k, "change"))
		return tnl6_change(c, SIOCCHGTUNNEL, argc - 1, argv + 1);
	if (ip_matches(k, "delete"))
		return tnl6_change(c, SIOCDELTUNNEL, argc - 1, argv + 1);
	if (ip_matches(k, "show") || ip_matches(k, "lst") || ip_matches(k, "list"))
		return tnl6_show(c, argc - 1, argv + 1);
	if (ip_matches(k, "help"))
		return tnl6_usage();
	fprintf(stderr, "Command \"%s\" is unknown, try \"ip -f inet6 tunnel help\".\n", k);
	return 255;
}
