/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by ip tunnel's IPv4 half (tunnel.c) and IPv6 half (tunnel6.c):
 * the ioctls with iproute2 6.1's messages, the GRE flag printer and the
 * walk over a link dump that `show` without a name does. */
#ifndef NETKIT_CMD_IP_TUNNEL_PRIV_H
#define NETKIT_CMD_IP_TUNNEL_PRIV_H

#include <linux/rtnetlink.h>

#include "cmd/ip/ip.h"

int ip_tunnel6(struct ip_ctx *c, int argc, char **argv);
/* One of ip6tunnel's mode words: `ip tunnel ... mode WORD` is then IPv6. */
bool ip_tnl_mode_is6(const char *v);
/* "ip", "gre", "ipv6", "esp", "mpls", "any" or "unknown". */
const char *ip_tnl_proto_name(uint8_t proto);
/* The dev word's link: a link's name or iproute2's "ifN"; 0 if neither. */
int ip_tnl_link(struct ip_ctx *c, const char *name);
/* key/ikey/okey VALUE into the flags and keys (network order): 0 or an
 * exit status; -1 if k is none of them. */
int ip_tnl_key_word(const char *k, const char *v, uint16_t *iflags, uint16_t *oflags,
		    uint32_t *ikey, uint32_t *okey);
/* seq/iseq/oseq/csum/icsum/ocsum; false if k is none of them. */
bool ip_tnl_gre_flag(const char *k, uint16_t *iflags, uint16_t *oflags);
/* One tunnel ioctl on dev through a socket of family; 0 or -errno. */
int ip_tnl_ioctl(int family, unsigned long cmd, const char *dev, void *p);
/* SIOCGETTUNNEL, saying `get tunnel "DEV" failed` when it fails; 0 or 1. */
int ip_tnl_get(int family, const char *dev, void *p);
/* Add or change (on name for a change that has one, else on base) or
 * delete (on name if set, else base), with iproute2's messages; 0 or 1. */
int ip_tnl_add(int family, unsigned long cmd, const char *base, const char *name, void *p);
int ip_tnl_del(int family, const char *base, const char *name, void *p);
/* The NAME word (after "name" if given): iproute2's ifname check, the
 * duplicate check; 0 or an exit status. */
int ip_tnl_name(char *name, const char *v);
/* A family's words for the parser of add/change/del/show both halves
 * share (args: its own argument struct, which holds the ioctl's
 * parameters). */
struct ip_tnl_syntax {
	int family;		   /* AF_INET, AF_INET6: the ioctls' */
	size_t parm_size;	   /* of its ioctl parameters */
	const char *const *valued; /* the words that take a value, NULL-ended */
	/* a word without a value; false if it is none of them */
	bool (*flag)(void *args, const char *k);
	/* a word of valued with its value: 0 or an exit status */
	int (*value)(struct ip_ctx *c, void *args, const char *k, char *v);
	/* the ioctl parameters in args (their name is the tunnel's) */
	void *(*parm)(void *args);
	char *(*name)(void *args);
	int (*usage)(void);
};
/* The words of argv: flags, words with their values (dsfield abbreviated
 * too), [name] NAME (for change, the tunnel's present parameters first);
 * help. 0 or an exit status. */
int ip_tnl_parse(struct ip_ctx *c, const struct ip_tnl_syntax *s, int argc, char **argv,
		 unsigned long cmd, void *args);
/* key/ikey/okey and, for GRE, the lines of its flags ("flags" in JSON). */
void ip_tnl_print_gre_flags(struct ip_ctx *c, uint8_t proto, uint16_t iflags, uint16_t oflags,
			    uint32_t ikey, uint32_t okey);
/* show without a name: each link of the family's tunnel types (the one
 * named name if set) for which show() printed something gets its
 * counters (-s) and a newline after it; a JSON array round them. */
typedef bool (*ip_tnl_show_fn)(struct ip_ctx *c, const struct ifinfomsg *ifi, const char *name,
			       void *data);
int ip_tnl_list(struct ip_ctx *c, bool six, const char *name, ip_tnl_show_fn show, void *data);

#endif
