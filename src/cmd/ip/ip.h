/* SPDX-License-Identifier: Apache-2.0 */
/* netkit ip: shared context and helpers of the iproute2-compatible `ip`.
 * ip.c parses the global options and dispatches to one file per object
 * (link.c addr.c route.c neigh.c tcp_metrics.c netns.c monitor.c); util.c
 * holds what they share: iproute2's argument matching, address parsing,
 * name tables, the ifindex cache and error reporting. */
#ifndef NETKIT_CMD_IP_H
#define NETKIT_CMD_IP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/emit/emit.h"
#include "lib/nl/nl.h"
#include "lib/nl/rtnl_req.h"

struct link_cache;
struct ip_stats_tab;
struct ip_names;

/* room for an interface name or "ifNNN" */
#define IP_NAMESZ 24

struct ip_ctx {
	struct emit *out;
	struct nl_sock nl;
	bool nl_ready;
	int family; /* AF_UNSPEC, AF_INET, AF_INET6, AF_PACKET, AF_MPLS, AF_BRIDGE */
	int stats;  /* -s count */
	int details;
	bool brief, human, iec, resolve, oneline, json, pretty, force, timestamp, tshort, numeric;
	int color;	   /* 0 never; 1 set */
	const char *netns; /* -n */
	const char *batch; /* -batch */
	struct link_cache *links;
	struct ip_names *names;	   /* /etc/iproute2 tables, read on first use */
	struct ip_stats_tab *stab; /* -s: counters fetched apart (link_detail.c) */
	size_t stab_hint;
	int batch_line;		 /* for error messages in -batch mode */
	bool monitor;		 /* printing events: addresses with "N: dev", no qlen */
	struct ip_nh_cache *nhc; /* ip -d route: nexthop objects by id (nexthop.c) */
	bool link_set_op;	 /* a kind's options are for ip link set, not add */
	/* ip link set DEV type TUNNEL: DEV's IFLA_INFO_DATA, which iproute2
	 * reads into the tunnel's settings before the words (NULL: none) */
	const struct nlattr *link_old_data;
};

/* A parsed address or prefix, like iproute2's inet_prefix. */
struct ip_prefix {
	int family; /* AF_INET, AF_INET6, AF_PACKET(lladdr) or AF_UNSPEC for "default"/"any" */
	unsigned bytelen;
	int bitlen; /* -1: no /N given */
	uint8_t data[16];
	bool any; /* "default", "any", "all" */
};

/* Object handlers: argv starts after the object word. Return the exit
 * status (0, 1, 2). */
int ip_link(struct ip_ctx *c, int argc, char **argv);
int ip_addr(struct ip_ctx *c, int argc, char **argv);
int ip_route(struct ip_ctx *c, int argc, char **argv);
int ip_neigh(struct ip_ctx *c, int argc, char **argv);
int ip_tcp_metrics(struct ip_ctx *c, int argc, char **argv);
int ip_netns(struct ip_ctx *c, int argc, char **argv);
int ip_monitor(struct ip_ctx *c, int argc, char **argv);
int ip_rule(struct ip_ctx *c, int argc, char **argv);
struct rtnl_rule;
void ip_print_rule(struct ip_ctx *c, const struct rtnl_rule *r);
int ip_nexthop(struct ip_ctx *c, int argc, char **argv);
int ip_netconf(struct ip_ctx *c, int argc, char **argv);
int ip_addrlabel(struct ip_ctx *c, int argc, char **argv);
int ip_maddr(struct ip_ctx *c, int argc, char **argv);
int ip_ntable(struct ip_ctx *c, int argc, char **argv);
int ip_tunnel(struct ip_ctx *c, int argc, char **argv);
struct ip_ns_names; /* /run/netns names by nsid (netns.c) */
struct ip_ns_names *ip_ns_names_load(struct ip_ctx *c);
void ip_ns_names_free(struct ip_ns_names *m);
void ip_print_nsid(struct ip_ctx *c, const struct nlmsghdr *nlh, const struct ip_ns_names *names);
/* One netconf message's words (ip netconf, ip monitor), ending the line. */
void ip_print_netconf(struct ip_ctx *c, const struct nlmsghdr *nlh);
struct rtnl_nh;
void ip_print_nexthop(struct ip_ctx *c, const struct rtnl_nh *n);
/* ip -d route's "nh_info" of nexthop id, asked for on a socket of its
 * own (a route dump may be running) and kept; nothing if there is none. */
void ip_print_nh_info(struct ip_ctx *c, uint32_t id);
void ip_nh_cache_free(struct ip_ctx *c);

/* iproute2's matches(): arg is a prefix of the full word. */
bool ip_matches(const char *arg, const char *word);
/* Open the rtnetlink socket on first use. Prints the error itself. */
int ip_nl(struct ip_ctx *c, struct nl_sock **s);
/* ifindex <-> name. The first call dumps all links once. */
const char *ip_ifname(struct ip_ctx *c, uint32_t ifindex, char *buf);
int ip_ifindex(struct ip_ctx *c, const char *name); /* 0 if none */
void ip_links_free(struct ip_ctx *c);
unsigned ip_ifflags(struct ip_ctx *c, uint32_t ifindex);
/* Links seen in a dump fill the cache for free. */
void ip_link_remember(struct ip_ctx *c, uint32_t ifindex, unsigned flags, const char *name);
/* In the cache already (no kernel lookup). */
bool ip_link_known(struct ip_ctx *c, int ifindex);

/* Address text, honouring -r. buf has room for a host name. */
const char *ip_fmt_host(struct ip_ctx *c, int family, const void *addr, char *buf, size_t len);
int ip_get_prefix(struct ip_prefix *p, const char *arg, int family);
/* p as the request builders take it: no /N means the full length. */
void ip_prefix_to_rtnl(const struct ip_prefix *p, struct rtnl_prefix *out);
int ip_get_addr(struct ip_prefix *p, const char *arg, int family);
/* The first bits of a and b are equal (bits may end inside a byte). */
bool ip_bits_eq(const uint8_t *a, const uint8_t *b, int bits);
/* Address a (alen bytes) lies in p: the first /N bits equal, all of p's
 * bytes when no /N was given. False when a is too short for them. */
bool ip_prefix_covers(const struct ip_prefix *p, const uint8_t *a, size_t alen);
int ip_get_u32(uint32_t *v, const char *arg, int base);
/* Link-layer address "aa:bb:..": bytes written, or -1. */
int ip_get_lladdr(uint8_t *out, size_t max, const char *arg);
const char *ip_ll_addr(const uint8_t *a, unsigned len, unsigned type, char *buf, size_t blen);

/* iproute2's name tables (rt_protos, rt_scopes, rt_tables, group,
 * rt_realms), read from /etc/iproute2 on first use. */
enum ip_table_kind { IPT_PROTO, IPT_SCOPE, IPT_TABLE, IPT_GROUP, IPT_REALM, IPT_DSFIELD, IPT_MAX };
const char *ip_name(struct ip_ctx *c, enum ip_table_kind k, uint32_t id, char *buf, size_t len);
int ip_name_id(struct ip_ctx *c, enum ip_table_kind k, const char *name, uint32_t *id);
void ip_names_free(struct ip_ctx *c);
/* A name of table k only (no number): 0, or -1. */
int ip_name_lookup(struct ip_ctx *c, enum ip_table_kind k, const char *name, uint32_t *id);
/* rt_dsfield's name of v, else "0x%02x", as rtnl_dsfield_n2a. */
const char *ip_name_dsfield(struct ip_ctx *c, uint8_t v, char *buf, size_t len);
const char *ip_rtntype(unsigned type, char *buf, size_t len);
int ip_rtntype_id(const char *name, unsigned *type);

/* Errors as iproute2 words them. */
void ip_err_nl(struct ip_ctx *c, const struct nl_err *err, const char *what);
int ip_invarg(const char *msg, const char *arg);  /* "Error: argument "X" is wrong: MSG" */
int ip_duparg(const char *key, const char *arg);  /* "Error: duplicate "KEY": "ARG" is ..." */
int ip_duparg2(const char *key, const char *arg); /* "Error: either "KEY" is duplicate, or ..." */
int ip_incomplete(const char *key);		  /* "Command line is not complete..." */
int ip_nodev(const char *name);			  /* Cannot find device "X" */
/* "\n", or "\" in -o mode (iproute2's _SL_). */
void ip_nl_sep(struct ip_ctx *c);
/* With -s/-h: counters as print_num() does ("%*lu " or 1.2M). */
void ip_print_num(struct ip_ctx *c, unsigned width, uint64_t v);

enum ip_color { COL_IFNAME, COL_MAC, COL_INET, COL_INET6, COL_UP, COL_DOWN, COL_NONE };
/* emit_str, wrapped in the colour's escapes with -color. */
void ip_cstr(struct ip_ctx *c, enum ip_color col, const char *key, const char *fmt,
	     const char *val);
static inline enum ip_color ip_family_color(int family)
{
	return family == 2 ? COL_INET : family == 10 ? COL_INET6 : COL_NONE;
}

/* Selectors shared by `ip link show` and `ip address show`. */
struct ip_link_sel {
	const char *dev;
	int ifindex;
	bool up;
	int64_t group; /* -1: any */
	int master;    /* -1: any, 0: nomaster */
	const char *kind;
	const char *label;
	bool has_scope, has_to;
	int scope;
	struct ip_prefix to;
	/* address flags (IFA_F_*): an address passes if its flags agree
	 * with flags on every bit of flagmask */
	uint32_t flags, flagmask;
};
/* An address flag word of `ip address show/flush` ("permanent",
 * "-tentative", "dynamic" = -permanent, "primary" = -secondary, ...) into
 * sel; 0, or -1 if word is not one. */
int ip_addr_flag_filter(const char *word, struct ip_link_sel *sel);
/* Does address message m pass every address selector of sel (device,
 * family, scope, flags, label, prefix)? */
bool ip_addr_sel_ok(struct ip_ctx *c, const struct ip_link_sel *sel, const struct nlmsghdr *m);
int ip_parse_link_filter(struct ip_ctx *c, int argc, char **argv, struct ip_link_sel *sel);
bool ip_link_filter_ok(const struct nlmsghdr *nlh, int ifindex, bool up, int64_t group, int master,
		       const char *kind);
/* Every link (ifindex 0), or only link ifindex, asked for alone as
 * iproute2 does for a named device: with thousands of links a dump costs
 * ~10 times more. */
int ip_link_dump(struct ip_ctx *c, int family, int ifindex, nl_cb cb, void *data, bool want_stats);
int ip_link_usage(void);
int ip_addr_modify(struct ip_ctx *c, int cmd, int flags, int argc, char **argv);
int ip_addr_flush(struct ip_ctx *c, int argc, char **argv);
/* Addresses of family, of link ifindex only if not 0 (the kernel filters
 * under strict checking). */
int ip_addr_dump(struct ip_ctx *c, int family, int ifindex, nl_cb cb, void *data);
int ip_print_addr(struct ip_ctx *c, const struct nlmsghdr *nlh);
int ip_print_neigh(struct ip_ctx *c, const struct nlmsghdr *nlh, uint32_t filter_ifindex);
int ip_link_change(struct ip_ctx *c, int cmd, int flags, int argc, char **argv);
int ip_print_link(struct ip_ctx *c, const struct nlmsghdr *nlh, bool addr_show);
int ip_print_link_brief(struct ip_ctx *c, const struct nlmsghdr *nlh, bool with_ll);
/* Saved messages (an nlmsghdr, then its aligned payload, one after
 * another) as iproute2's rtnl_from_file reads them, with its messages:
 * cb on each; 0 at the end, -1 on a cut or malformed file, or cb's
 * negative return. */
int ip_from_file(FILE *f, nl_cb cb, void *data);

#endif
