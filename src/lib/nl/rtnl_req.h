/* SPDX-License-Identifier: Apache-2.0 */
/* Request builders for rtnetlink changes: links (any kind: veth pairs made
 * straight into namespaces, bridges, dummies), link settings (up/down,
 * master, mtu, namespace), addresses and routes. Each builder is pure: it
 * fills a caller's buffer (RTNL_REQ_BUFSZ bytes) with one request and
 * returns its header, ready for nl_talk(). `netkit lab` and `ip link/addr/
 * route add|set|del` share them.
 *
 * Addresses and prefixes are parsed once into struct rtnl_prefix so that
 * builders never see strings. */
#ifndef NETKIT_NL_RTNL_REQ_H
#define NETKIT_NL_RTNL_REQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/nl/nl.h"

#define RTNL_REQ_BUFSZ 8192

/* An address with a prefix length. family 0 means "not given". */
struct rtnl_prefix {
	uint8_t family; /* AF_INET, AF_INET6 or 0 */
	uint8_t len;	/* prefix length in bits */
	uint8_t addr[16];
};

/* Parse "198.18.1.2/24", "2001:db8::1", "default" or "any" (family from
 * family_hint, AF_INET when 0). An address without /LEN gets the full
 * length. Returns 0 or -EINVAL. */
int rtnl_prefix_parse(const char *s, int family_hint, struct rtnl_prefix *p);
/* Bytes of an address of this family (4, 16, or 0). */
size_t rtnl_family_len(int family);
/* Write "ADDR/LEN" (with_len) or "ADDR" into buf. */
char *rtnl_prefix_str(const struct rtnl_prefix *p, bool with_len, char *buf, size_t size);
/* Does prefix net contain address a (same family)? */
bool rtnl_prefix_contains(const struct rtnl_prefix *net, const struct rtnl_prefix *a);

#define RTNL_NOMASTER (-1)

/* One link request: RTM_NEWLINK (create, with kind), RTM_SETLINK /
 * RTM_NEWLINK without kind (change), RTM_DELLINK, RTM_GETLINK. Fields left
 * zero are not sent. */
struct rtnl_link_req {
	int ifindex;	  /* 0: the link is named by name */
	const char *name; /* IFLA_IFNAME */
	const char *kind; /* IFLA_INFO_KIND: "veth", "bridge", "dummy", ... */
	const char *peer; /* veth: the other end's name */
	bool has_netns;	  /* IFLA_NET_NS_FD = netns_fd: create in / move to */
	int netns_fd;
	bool has_peer_netns; /* veth: where the other end is created */
	int peer_netns_fd;
	int master; /* >0: enslave to this ifindex; RTNL_NOMASTER: release */
	unsigned mtu;
	unsigned flags;	 /* ifi_flags, e.g. IFF_UP */
	unsigned change; /* ifi_change: which flags to change */
	const uint8_t *lladdr;
	size_t lladdr_len;
	const uint8_t *llbrd; /* IFLA_BROADCAST */
	size_t llbrd_len;
	bool mtu_set; /* send mtu even when it is 0 */
	bool txqlen_set;
	uint32_t txqlen;
	bool group_set;
	uint32_t group;
	const char *alias;  /* IFLA_IFALIAS, sent without its NUL as ip does */
	int link;	    /* IFLA_LINK: the parent's ifindex, 0: none */
	bool has_netns_pid; /* IFLA_NET_NS_PID: move to this process's namespace */
	uint32_t netns_pid;
	bool macvlan_mode_set; /* macvlan/macvtap: IFLA_MACVLAN_MODE */
	uint32_t macvlan_mode;
	bool num_txq_set; /* IFLA_NUM_TX_QUEUES */
	uint32_t num_txq;
	/* IFLA_INFO_DATA's attributes, already laid out (a kind's options
	 * built by its parser), info_data_len bytes; NULL: none */
	const void *info_data;
	size_t info_data_len;
	bool slave_data; /* info_data goes in IFLA_INFO_SLAVE_DATA (kind "X_slave") */
};

/* nlflags: NLM_F_CREATE | NLM_F_EXCL for an add, 0 for a change. */
struct nlmsghdr *rtnl_link_build(void *buf, uint16_t type, uint16_t nlflags,
				 const struct rtnl_link_req *l);

/* One address: RTM_NEWADDR / RTM_DELADDR. ifa_prefixlen is local.len. */
struct rtnl_addr_req {
	int ifindex;
	struct rtnl_prefix local;   /* IFA_LOCAL (and IFA_ADDRESS without peer) */
	struct rtnl_prefix peer;    /* IFA_ADDRESS for point-to-point, family 0: none */
	bool wildcard;		    /* no IFA_ADDRESS: a delete matching any prefix length */
	bool broadcast;		    /* IPv4: add IFA_BROADCAST computed from the prefix */
	bool broadcast_zeros;	    /* with broadcast: the host part all zeros, not ones */
	struct rtnl_prefix brd;	    /* IPv4: IFA_BROADCAST as given; family 0: none */
	struct rtnl_prefix anycast; /* IFA_ANYCAST; family 0: none */
	uint8_t scope;		    /* RT_SCOPE_* (0: universe) */
	uint32_t flags;		    /* IFA_F_*; NODAD etc. go in IFA_FLAGS */
	const char *label;
	bool metric_set; /* IFA_RT_PRIORITY = metric */
	uint32_t metric;
	bool lifetimes_set; /* IFA_CACHEINFO with these lifetimes (0xffffffff: forever) */
	uint32_t valid_lft, preferred_lft;
};

struct nlmsghdr *rtnl_addr_build(void *buf, uint16_t type, uint16_t nlflags,
				 const struct rtnl_addr_req *a);

/* One next hop of a multipath route (RTA_MULTIPATH). A gateway of
 * another family than the route's goes out as RTA_VIA. */
struct rtnl_nh_req {
	struct rtnl_prefix gw; /* family 0: none (a device route) */
	int oif;	       /* 0: none */
	unsigned weight;       /* 1-256 (0: 1), as ip route's "weight" */
	uint8_t flags;	       /* rtnh_flags, e.g. RTNH_F_ONLINK */
};

/* One route: RTM_NEWROUTE / RTM_DELROUTE. The family is dst's. dst goes
 * out as RTA_DST unless it is all zeros with length 0 (the default). */
struct rtnl_route_req {
	struct rtnl_prefix dst;
	struct rtnl_prefix src;	    /* RTA_SRC and rtm_src_len; family 0: none */
	struct rtnl_prefix gw;	    /* family 0: none; another family: RTA_VIA */
	struct rtnl_prefix prefsrc; /* family 0: none */
	int oif;		    /* 0: none */
	uint8_t type;		    /* RTN_* (0: RTN_UNICAST) */
	uint8_t protocol;	    /* RTPROT_* (0: RTPROT_BOOT, as ip route add) */
	bool scope_set;		    /* else derived as ip route does */
	uint8_t scope;
	uint32_t table; /* 0: main, or local for local/broadcast/anycast routes */
	uint32_t priority;
	bool priority_set;	 /* send priority even when it is 0 */
	bool protocol_set;	 /* send protocol as it is, 0 too (a delete matching any) */
	bool type_set;		 /* send type as it is, 0 too (a delete matching any) */
	bool table_set;		 /* send table as it is, 0 too */
	uint8_t tos;		 /* rtm_tos */
	uint32_t flags;		 /* rtm_flags, e.g. RTNH_F_ONLINK */
	const uint32_t *metrics; /* RTA_METRICS: RTAX_n = metrics[n] for bit n of metrics_mask
				  * (n < 32); RTAX_LOCK (bit 1) carries the locked metrics */
	uint32_t metrics_mask;
	const struct rtnl_nh_req *nh; /* nnh > 0: RTA_MULTIPATH, gw and oif unused */
	unsigned nnh;
	bool nhid_set; /* RTA_NH_ID = nhid: the route uses a nexthop object */
	uint32_t nhid;
};

/* The most next hops (nnh) a request of RTNL_REQ_BUFSZ bytes holds. */
#define RTNL_MAX_NEXTHOPS 128

/* NULL when there are more than RTNL_MAX_NEXTHOPS next hops. */
struct nlmsghdr *rtnl_route_build(void *buf, uint16_t type, uint16_t nlflags,
				  const struct rtnl_route_req *r);

/* The ifindex of the link called name in s's namespace, or -errno. */
int rtnl_ifindex(struct nl_sock *s, const char *name);

#endif
