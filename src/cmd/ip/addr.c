/* SPDX-License-Identifier: Apache-2.0 */
/* ip address: show (links with their addresses), add, del, flush. The
 * addresses are dumped first and held (they are few); the links then
 * stream through and each prints with its own addresses. */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "cmd/ip/ip.h"
#include "cmd/ip/link_priv.h"
#include "lib/nl/msglist.h"

struct addr_show {
	struct ip_ctx *c;
	struct ip_link_sel sel;
	struct nl_msg_list addrs; /* the addresses, to print under their links */
	bool filter_links;	  /* drop links with no matching address */
};

static const struct nl_policy addr_pol[IFA_MAX + 1] = {
	[IFA_LABEL] = {MNL_TYPE_NUL_STRING, 0},
	[IFA_CACHEINFO] = {MNL_TYPE_BINARY, sizeof(struct ifa_cacheinfo)},
	[IFA_FLAGS] = {MNL_TYPE_U32, 0},
	[IFA_RT_PRIORITY] = {MNL_TYPE_U32, 0},
};

int ip_addr_parse(const struct nlmsghdr *nlh, const struct ifaddrmsg **ifa,
		  const struct nlattr **tb)
{
	if ((nlh->nlmsg_type != RTM_NEWADDR && nlh->nlmsg_type != RTM_DELADDR) ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(struct ifaddrmsg))
		return -1;
	*ifa = mnl_nlmsg_get_payload(nlh);
	if (nl_parse(nlh, sizeof(**ifa), addr_pol, IFA_MAX, tb) < 0)
		return -1;
	unsigned alen = (*ifa)->ifa_family == AF_INET ? 4 : (*ifa)->ifa_family == AF_INET6 ? 16 : 0;
	static const int addr_attrs[] = {IFA_LOCAL, IFA_ADDRESS, IFA_BROADCAST, IFA_ANYCAST};
	for (size_t i = 0; i < 4; i++) {
		const struct nlattr *a = tb[addr_attrs[i]];
		if (a && (!alen || mnl_attr_get_payload_len(a) < alen))
			tb[addr_attrs[i]] = NULL;
	}
	if (!tb[IFA_LOCAL])
		tb[IFA_LOCAL] = tb[IFA_ADDRESS];
	if (!tb[IFA_ADDRESS])
		tb[IFA_ADDRESS] = tb[IFA_LOCAL];
	return 0;
}

static unsigned addr_flags(const struct ifaddrmsg *ifa, const struct nlattr **tb)
{
	return tb[IFA_FLAGS] ? mnl_attr_get_u32(tb[IFA_FLAGS]) : ifa->ifa_flags;
}

static const char *const ifa_flag_names[] = {
	"secondary", "nodad",	  "optimistic", "dadfailed",	 "home",     "deprecated",
	"tentative", "permanent", "mngtmpaddr", "noprefixroute", "autojoin", "stable-privacy",
};

static void print_ifa_flags(struct ip_ctx *c, int family, unsigned flags)
{
	for (unsigned i = 0; i < sizeof(ifa_flag_names) / sizeof(ifa_flag_names[0]); i++) {
		unsigned mask = 1u << i;
		if (mask == IFA_F_PERMANENT) {
			if (!(flags & mask))
				emit_bool(c->out, "dynamic", "dynamic ", true);
		} else if (flags & mask) {
			if (mask == IFA_F_SECONDARY && family == AF_INET6) {
				emit_bool(c->out, "temporary", "temporary ", true);
			} else {
				emit_text(c->out, "%s ", ifa_flag_names[i]);
				emit_bool(c->out, ifa_flag_names[i], NULL, true);
			}
		}
		flags &= ~mask;
	}
	if (flags) {
		char b[16];
		snprintf(b, sizeof(b), "%02x", flags);
		emit_str(c->out, "ifa_flags", "flags %s ", b);
	}
}

static void print_lifetimes(struct ip_ctx *c, const struct ifa_cacheinfo *ci, unsigned flags)
{
	ip_nl_sep(c);
	emit_text(c->out, "       valid_lft ");
	if (ci->ifa_valid == 0xffffffffu) {
		emit_uint(c->out, "valid_life_time", NULL, ci->ifa_valid);
		emit_text(c->out, "forever");
	} else {
		emit_uint(c->out, "valid_life_time", "%usec", ci->ifa_valid);
	}
	emit_text(c->out, " preferred_lft ");
	if (ci->ifa_prefered == 0xffffffffu) {
		emit_uint(c->out, "preferred_life_time", NULL, ci->ifa_prefered);
		emit_text(c->out, "forever");
	} else if (flags & IFA_F_DEPRECATED) {
		emit_int(c->out, "preferred_life_time", "%dsec", (int)ci->ifa_prefered);
	} else {
		emit_uint(c->out, "preferred_life_time", "%usec", ci->ifa_prefered);
	}
}

static const char *family_word(int family)
{
	switch (family) {
	case AF_INET: return "inet";
	case AF_INET6: return "inet6";
	case AF_DECnet: return "dnet";
	case AF_IPX: return "ipx";
	default: return NULL;
	}
}

int ip_print_addr(struct ip_ctx *c, const struct nlmsghdr *nlh)
{
	const struct ifaddrmsg *ifa;
	const struct nlattr *tb[IFA_MAX + 1];
	char b[1100], b2[1100];
	if (ip_addr_parse(nlh, &ifa, tb) < 0)
		return -1;
	unsigned flags = addr_flags(ifa, tb);
	enum ip_color col = ip_family_color(ifa->ifa_family);
	if (nlh->nlmsg_type == RTM_DELADDR)
		emit_bool(c->out, "deleted", "Deleted ", true);
	if (!c->brief) {
		if (c->oneline || c->monitor) {
			char nb[IP_NAMESZ];
			const char *dev = ip_ifname(c, ifa->ifa_index, nb);
			if (emit_is_text(c->out)) {
				emit_text(c->out, "%u: %s", ifa->ifa_index, dev);
			} else {
				emit_int(c->out, "index", NULL, (int)ifa->ifa_index);
				emit_str(c->out, "dev", NULL, dev);
			}
		}
		const char *fw = family_word(ifa->ifa_family);
		if (fw)
			emit_str(c->out, "family", "    %s ", fw);
		else
			emit_int(c->out, "family_index", "    family %d ", ifa->ifa_family);
	}
	if (tb[IFA_LOCAL]) {
		const void *local = mnl_attr_get_payload(tb[IFA_LOCAL]);
		const void *peer = mnl_attr_get_payload(tb[IFA_ADDRESS]);
		ip_cstr(c, col, "local", "%s",
			ip_fmt_host(c, ifa->ifa_family, local, b, sizeof(b)));
		if (memcmp(local, peer, ifa->ifa_family == AF_INET ? 4 : 16)) {
			emit_text(c->out, " %s ", "peer");
			ip_cstr(c, col, "address", "%s",
				ip_fmt_host(c, ifa->ifa_family, peer, b2, sizeof(b2)));
		}
		emit_int(c->out, "prefixlen", "/%d ", ifa->ifa_prefixlen);
	}
	if (tb[IFA_RT_PRIORITY])
		emit_uint(c->out, "metric", "metric %u ", mnl_attr_get_u32(tb[IFA_RT_PRIORITY]));
	if (c->brief)
		return 0;
	if (tb[IFA_BROADCAST]) {
		emit_text(c->out, "%s ", "brd");
		ip_cstr(c, col, "broadcast", "%s ",
			ip_fmt_host(c, ifa->ifa_family, mnl_attr_get_payload(tb[IFA_BROADCAST]), b,
				    sizeof(b)));
	}
	if (tb[IFA_ANYCAST]) {
		emit_text(c->out, "%s ", "any");
		ip_cstr(c, col, "anycast", "%s ",
			ip_fmt_host(c, ifa->ifa_family, mnl_attr_get_payload(tb[IFA_ANYCAST]), b,
				    sizeof(b)));
	}
	emit_str(c->out, "scope", "scope %s ", ip_name(c, IPT_SCOPE, ifa->ifa_scope, b, sizeof(b)));
	print_ifa_flags(c, ifa->ifa_family, flags);
	if (tb[IFA_LABEL])
		emit_str(c->out, "label", "%s", mnl_attr_get_str(tb[IFA_LABEL]));
	if (tb[IFA_CACHEINFO])
		print_lifetimes(c, mnl_attr_get_payload(tb[IFA_CACHEINFO]), flags);
	emit_text(c->out, "\n");
	return 0;
}

int ip_addr_flag_filter(const char *word, struct ip_link_sel *sel)
{
	bool inv = word[0] == '-';
	const char *name = word + inv;
	/* "temporary" is IPv6's name for the secondary bit */
	if (!strcmp(name, "dynamic") || !strcmp(name, "primary")) {
		inv = !inv;
		name = name[0] == 'd' ? "permanent" : "secondary";
	} else if (!strcmp(name, "temporary")) {
		name = "secondary";
	}
	for (unsigned i = 0; i < sizeof(ifa_flag_names) / sizeof(ifa_flag_names[0]); i++) {
		if (strcmp(name, ifa_flag_names[i]))
			continue;
		uint32_t bit = 1u << i;
		sel->flagmask |= bit;
		sel->flags = inv ? sel->flags & ~bit : sel->flags | bit;
		return 0;
	}
	return -1;
}

/* iproute2's prefix test: an address family other than the prefix's
 * never matches; no address at all always does. */
static bool prefix_ok(const struct ip_prefix *p, const struct ifaddrmsg *ifa,
		      const struct nlattr *local)
{
	if (!local || p->any)
		return true;
	if (p->family != ifa->ifa_family)
		return false;
	return ip_prefix_covers(p, mnl_attr_get_payload(local), mnl_attr_get_payload_len(local));
}

bool ip_addr_sel_ok(struct ip_ctx *c, const struct ip_link_sel *sel, const struct nlmsghdr *m)
{
	const struct ifaddrmsg *ifa;
	const struct nlattr *tb[IFA_MAX + 1];
	if (ip_addr_parse(m, &ifa, tb) < 0)
		return false;
	if (sel->ifindex && (int)ifa->ifa_index != sel->ifindex)
		return false;
	if (c->family && c->family != AF_PACKET && ifa->ifa_family != c->family)
		return false;
	if (sel->has_scope && ifa->ifa_scope != sel->scope)
		return false;
	if ((sel->flags ^ addr_flags(ifa, tb)) & sel->flagmask)
		return false;
	if (sel->label) {
		/* an address without a label (all of IPv6's) goes by its device's name */
		char b[IP_NAMESZ];
		const char *l = tb[IFA_LABEL] ? mnl_attr_get_str(tb[IFA_LABEL])
					      : ip_ifname(c, ifa->ifa_index, b);
		if (fnmatch(sel->label, l, 0))
			return false;
	}
	return !sel->has_to || prefix_ok(&sel->to, ifa, tb[IFA_LOCAL]);
}

static int on_addr(const struct nlmsghdr *nlh, void *data)
{
	if (nlh->nlmsg_type != RTM_NEWADDR)
		return MNL_CB_OK;
	return nl_msg_list_add(data, nlh);
}

int ip_addr_dump(struct ip_ctx *c, int family, int ifindex, nl_cb cb, void *data)
{
	struct nl_sock *s;
	if (ip_nl(c, &s) < 0)
		return 1;
	char buf[64];
	struct nlmsghdr *nlh = nl_msg_start(s, buf, RTM_GETADDR, NLM_F_DUMP);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)family;
	ifa->ifa_index = (uint32_t)ifindex;
	struct nl_err err;
	if (nl_talk(s, nlh, cb, data, &err) < 0) {
		ip_err_nl(c, &err, NULL);
		fprintf(stderr, "Dump terminated\n");
		return 1;
	}
	return 0;
}

static uint32_t addr_ifindex(const struct nlmsghdr *m)
{
	return ((const struct ifaddrmsg *)mnl_nlmsg_get_payload(m))->ifa_index;
}

/* iproute2's ipaddr_filter(): with a family or address selector, a link
 * shows only if one of its addresses matches (or, with no family, if it
 * has none at all). */
static bool link_wanted(const struct addr_show *as, uint32_t ifindex)
{
	if (!as->filter_links)
		return true;
	bool missing = true;
	for (size_t i = 0; i < as->addrs.n; i++) {
		if (addr_ifindex(as->addrs.msg[i]) != ifindex)
			continue;
		missing = false;
		if (ip_addr_sel_ok(as->c, &as->sel, as->addrs.msg[i]))
			return true;
	}
	return missing && (as->c->family == AF_UNSPEC || as->c->family == AF_PACKET);
}

static void print_addrs_of(struct addr_show *as, uint32_t ifindex)
{
	struct ip_ctx *c = as->c;
	emit_arr_open(c->out, "addr_info");
	for (size_t i = 0; i < as->addrs.n; i++) {
		const struct nlmsghdr *m = as->addrs.msg[i];
		if (addr_ifindex(m) != ifindex || !ip_addr_sel_ok(c, &as->sel, m))
			continue;
		emit_obj_open(c->out, NULL);
		ip_print_addr(c, m);
		emit_obj_close(c->out);
	}
	emit_arr_close(c->out);
	if (c->brief)
		emit_text(c->out, "\n");
}

static int on_link(const struct nlmsghdr *nlh, void *data)
{
	struct addr_show *as = data;
	struct ip_ctx *c = as->c;
	const struct ip_link_sel *sel = &as->sel;
	if (!ip_link_filter_ok(nlh, sel->ifindex, sel->up, sel->group, sel->master, sel->kind))
		return MNL_CB_OK;
	uint32_t ifindex = ((const struct ifinfomsg *)mnl_nlmsg_get_payload(nlh))->ifi_index;
	if (!link_wanted(as, ifindex))
		return MNL_CB_OK;
	emit_obj_open(c->out, NULL);
	if (c->brief) {
		ip_print_link_brief(c, nlh, false);
		print_addrs_of(as, ifindex);
	} else if (c->oneline || as->sel.label) {
		/* iproute2 prints no link line then */
		print_addrs_of(as, ifindex);
	} else {
		ip_print_link(c, nlh, true);
		if (c->family != AF_PACKET)
			print_addrs_of(as, ifindex);
		if (c->stats) {
			const struct ifinfomsg *ifi;
			const struct nlattr *tb[IFLA_MAX + 1];
			if (ip_link_parse(nlh, &ifi, tb) == 0) {
				ip_print_link_stats(c, (uint32_t)ifi->ifi_index, tb);
				emit_text(c->out, "\n");
			}
		}
	}
	emit_obj_close(c->out);
	return MNL_CB_OK;
}

static int addr_show(struct ip_ctx *c, int argc, char **argv)
{
	struct addr_show as = {.c = c};
	int r = ip_parse_link_filter(c, argc, argv, &as.sel);
	if (r)
		return r;
	/* the links come in the family given with -4/-6/-f; `to` narrows
	 * only the addresses (iproute2 asks the same way) */
	int link_family = c->family;
	if (as.sel.has_to && !c->family)
		c->family = as.sel.to.family;
	as.filter_links = (c->family && c->family != AF_PACKET) || as.sel.label ||
			  as.sel.has_scope || as.sel.has_to || as.sel.flagmask;
	if (c->family == AF_PACKET) {
		/* only links, as ip link would print them for ip address */
		emit_arr_open(c->out, NULL);
		r = ip_link_dump(c, AF_UNSPEC, as.sel.ifindex, on_link, &as, c->stats > 0);
		emit_arr_close(c->out);
		return r;
	}
	r = ip_addr_dump(c, c->family == AF_PACKET ? AF_UNSPEC : c->family, as.sel.ifindex, on_addr,
			 &as.addrs);
	if (!r) {
		emit_arr_open(c->out, NULL);
		/* iproute2 asks for the links in the selected family, and the
		 * kernel's AF_INET6 link dump carries fewer attributes */
		/* counters apart (RTM_GETSTATS): the AF_INET6 link dump has none */
		bool apart = c->stats && !as.sel.ifindex && ip_stats_load(c) == 0;
		r = ip_link_dump(c, link_family, as.sel.ifindex, on_link, &as,
				 c->stats > 0 && !apart);
		ip_stats_free(c);
		emit_arr_close(c->out);
	}
	nl_msg_list_free(&as.addrs);
	return r;
}

int ip_addr_usage(void)
{
	fprintf(stderr,
		"Usage: ip address {add|change|replace} IFADDR dev IFNAME [ LIFETIME ]\n"
		"                                                      [ CONFFLAG-LIST ]\n"
		"       ip address del IFADDR dev IFNAME [mngtmpaddr]\n"
		"       ip address {save|flush} [ dev IFNAME ] [ scope SCOPE-ID ]\n"
		"                            [ to PREFIX ] [ FLAG-LIST ] [ label LABEL ] [up]\n"
		"       ip address [ show [ dev IFNAME ] [ scope SCOPE-ID ] [ master DEVICE ]\n"
		"                         [ nomaster ]\n"
		"                         [ type TYPE ] [ to PREFIX ] [ FLAG-LIST ]\n"
		"                         [ label LABEL ] [up] [ vrf NAME ] ]\n");
	return 255;
}

int ip_addr(struct ip_ctx *c, int argc, char **argv)
{
	if (argc < 1)
		return addr_show(c, 0, NULL);
	const char *cmd = argv[0];
	if (ip_matches(cmd, "add"))
		return ip_addr_modify(c, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, argc - 1,
				      argv + 1);
	if (ip_matches(cmd, "change") || !strcmp(cmd, "chg"))
		return ip_addr_modify(c, RTM_NEWADDR, NLM_F_REPLACE, argc - 1, argv + 1);
	if (ip_matches(cmd, "replace"))
		return ip_addr_modify(c, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, argc - 1,
				      argv + 1);
	if (ip_matches(cmd, "delete"))
		return ip_addr_modify(c, RTM_DELADDR, 0, argc - 1, argv + 1);
	if (ip_matches(cmd, "list") || ip_matches(cmd, "show") || ip_matches(cmd, "lst"))
		return addr_show(c, argc - 1, argv + 1);
	if (ip_matches(cmd, "flush"))
		return ip_addr_flush(c, argc - 1, argv + 1);
	if (ip_matches(cmd, "help"))
		return ip_addr_usage();
	fprintf(stderr, "Command \"%s\" is unknown, try \"ip address help\".\n", cmd);
	return 255;
}
