/* SPDX-License-Identifier: Apache-2.0 */
/* ip link add / set / delete: iproute2's argument words into one struct
 * rtnl_link_req, built by rtnl_link_build() as RTM_NEWLINK or RTM_DELLINK. Kinds with options: veth (peer name),
 * macvlan/macvtap (mode); others (bridge, ifb, dummy, ...) are created
 * with no options. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include "cmd/ip/ip.h"
#include "cmd/ip/link_priv.h"

/* The words go straight into q where they need no lookup. */
struct link_args {
	const char *dev, *name, *link, *netns, *master;
	bool nomaster;
	unsigned flags, change;
	uint8_t lladdr[32], brd[32];
	struct rtnl_link_req q;
	const char *unparsed; /* the first option of the kind netkit does not parse */
	_Alignas(4) uint8_t kind_data[1024]; /* IFLA_INFO_DATA's attributes, kind_data_len bytes */
	_Alignas(4) uint8_t old_data[1024];  /* ip link set DEV type TUNNEL: DEV's IFLA_INFO_DATA */
	size_t kind_data_len;
};

static int onoff(const char *key, const char *v, bool *on)
{
	if (!strcmp(v, "on"))
		*on = true;
	else if (!strcmp(v, "off"))
		*on = false;
	else {
		fprintf(stderr, "Error: argument of \"%s\" must be \"on\" or \"off\", not \"%s\"\n",
			key, v);
		return 1;
	}
	return 0;
}

static void set_flag(struct link_args *a, unsigned bit, bool on)
{
	a->change |= bit;
	if (on)
		a->flags |= bit;
	else
		a->flags &= ~bit;
}

/* DEV's IFLA_INFO_DATA, copied (attribute header included) into data. */
static int on_tunnel_info(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi;
	const struct nlattr *tb[IFLA_MAX + 1], *li[IFLA_INFO_MAX + 1] = {0};
	if (ip_link_parse(nlh, &ifi, tb) == 0 && tb[IFLA_LINKINFO] &&
	    nl_parse_nested(tb[IFLA_LINKINFO], NULL, IFLA_INFO_MAX, li) >= 0 &&
	    li[IFLA_INFO_DATA] && li[IFLA_INFO_DATA]->nla_len <= 1024)
		memcpy(data, li[IFLA_INFO_DATA], li[IFLA_INFO_DATA]->nla_len);
	return MNL_CB_OK;
}

/* ip link set DEV type TUNNEL ...: iproute2 merges the words into the
 * tunnel's present settings (the kind's parser reads DEV's IFLA_INFO_DATA
 * from c->link_old_data, freed once the words are parsed), and says so
 * where DEV has none; 0, else an exit status. */
static int tunnel_set(struct ip_ctx *c, const struct link_args *a, struct nlattr *old)
{
	int idx = a->dev ? ip_ifindex(c, a->dev) : 0;
	if (!idx)
		return a->dev ? ip_nodev(a->dev) : 255;
	old->nla_len = 0;
	if (ip_link_dump(c, AF_UNSPEC, idx, on_tunnel_info, old, false) < 0 || !old->nla_len) {
		fprintf(stderr, "Failed to get existing tunnel info.\n");
		return 1;
	}
	void *copy = malloc(old->nla_len);
	if (!copy)
		return 1;
	memcpy(copy, old, old->nla_len);
	c->link_old_data = copy;
	return 0;
}

/* Words after "type KIND" (KIND, also in a->q.kind, passed in: never NULL). */
static int parse_kind_args(struct ip_ctx *c, struct link_args *a, const char *kind, int argc,
			   char **argv, bool add)
{
	bool br = !strcmp(kind, "bridge");
	size_t kl = strlen(kind);
	bool slave = kl > 6 && !strcmp(kind + kl - 6, "_slave");
	const struct ip_kind *k = slave ? ip_kind_slave_parser(kind) : ip_kind_find(kind, false);
	a->q.slave_data = slave;
	c->link_set_op = !add;
	if (!add && argc > 0 &&
	    (!strcmp(kind, "ipip") || !strcmp(kind, "sit") || !strcmp(kind, "gre") ||
	     !strcmp(kind, "gretap") || !strcmp(kind, "erspan") || !strcmp(kind, "ip6erspan") ||
	     !strcmp(kind, "ip6tnl") || !strncmp(kind, "ip6gre", 6) || !strcmp(kind, "vti") ||
	     !strcmp(kind, "vti6"))) {
		int r = tunnel_set(c, a, (struct nlattr *)a->old_data);
		if (r)
			return r;
	}
	/* no options: iproute2 calls no parser and sends no IFLA_INFO_DATA */
	if (argc > 0 && (br || k || !strcmp(kind, "vxlan"))) {
		int r = k    ? ip_kind_parse(c, k, argc, argv, a->kind_data, &a->kind_data_len)
			: br ? ip_bridge_parse(c, argc, argv, a->kind_data, &a->kind_data_len)
			     : ip_vxlan_parse(c, argc, argv, !add, a->kind_data, &a->kind_data_len);
		free((void *)c->link_old_data);
		c->link_old_data = NULL;
		a->q.info_data = r ? NULL : a->kind_data;
		a->q.info_data_len = a->kind_data_len;
		return r;
	}
	enum ip_kind_words w = ip_kind_words(kind);
	if (argc > 0 && w == IP_KIND_IGNORED) { /* an empty IFLA_INFO_DATA, as iproute2 sends */
		a->q.info_data = a->kind_data;
		a->q.info_data_len = 0;
		return 0;
	}
	if (argc > 0 && w == IP_KIND_NONE) {
		if (ip_matches(argv[0], "help"))
			return ip_link_usage();
		fprintf(stderr, "Garbage instead of arguments \"%s ...\". Try \"ip link help\".\n",
			argv[0]);
		return 1;
	}
	while (argc > 0) {
		int used = 0;
		if (!strcmp(kind, "veth") && !strcmp(argv[0], "peer")) {
			used = 1;
			if (argc > 2 && !strcmp(argv[1], "name")) {
				a->q.peer = argv[2];
				used = 3;
			} else if (argc > 1) {
				a->q.peer = argv[1];
				used = 2;
			}
		}
		if (!used) {
			a->unparsed = argv[0];
			return 0;
		}
		argc -= used;
		argv += used;
	}
	return 0;
}

static int parse_value(struct ip_ctx *c, struct link_args *a, const char *k, const char *v)
{
	bool on;
	if (!strcmp(k, "mtu")) {
		if (a->q.mtu_set)
			return ip_duparg("mtu", v);
		if (ip_get_u32(&a->q.mtu, v, 0) < 0)
			return ip_invarg("Invalid \"mtu\" value\n", v);
		a->q.mtu_set = true;
	} else if (!strcmp(k, "name")) {
		a->name = v;
	} else if (!strcmp(k, "link")) {
		a->link = v;
	} else if (!strcmp(k, "alias")) {
		a->q.alias = v;
	} else if (!strcmp(k, "master")) {
		a->master = v;
	} else if (!strcmp(k, "netns")) {
		a->netns = v;
	} else if (!strcmp(k, "type")) {
		a->q.kind = v;
	} else if (ip_matches(k, "txqueuelen") || !strcmp(k, "qlen") || !strcmp(k, "txqlen")) {
		if (ip_get_u32(&a->q.txqlen, v, 0) < 0)
			return ip_invarg("Invalid \"txqueuelen\" value\n", v);
		a->q.txqlen_set = true;
	} else if (!strcmp(k, "group")) {
		if (ip_name_id(c, IPT_GROUP, v, &a->q.group) < 0)
			return ip_invarg("Invalid \"group\" value\n", v);
		a->q.group_set = true;
	} else if (!strcmp(k, "address") || ip_matches(k, "broadcast") || !strcmp(k, "brd")) {
		bool brd = strcmp(k, "address") != 0;
		int n = ip_get_lladdr(brd ? a->brd : a->lladdr, sizeof(a->lladdr), v);
		if (n < 0) {
			fprintf(stderr, "\"%s\" is invalid lladdr.\n", v);
			return 1;
		}
		*(brd ? &a->q.llbrd_len : &a->q.lladdr_len) = (size_t)n;
	} else if (!strcmp(k, "arp") || ip_matches(k, "multicast") || !strcmp(k, "allmulticast") ||
		   !strcmp(k, "promisc") || !strcmp(k, "dynamic") || !strcmp(k, "trailers")) {
		if (onoff(k, v, &on))
			return 1;
		if (!strcmp(k, "arp"))
			set_flag(a, IFF_NOARP, !on);
		else if (!strcmp(k, "promisc"))
			set_flag(a, IFF_PROMISC, on);
		else if (!strcmp(k, "allmulticast"))
			set_flag(a, IFF_ALLMULTI, on);
		else if (!strcmp(k, "dynamic"))
			set_flag(a, IFF_DYNAMIC, on);
		else if (!strcmp(k, "trailers"))
			set_flag(a, IFF_NOTRAILERS, !on);
		else
			set_flag(a, IFF_MULTICAST, on);
	} else {
		return -1;
	}
	(void)c;
	return 0;
}

static bool takes_value(const char *k)
{
	static const char *const keys[] = {"mtu",     "name",	 "link", "alias",	 "master",
					   "netns",   "type",	 "qlen", "txqlen",	 "group",
					   "address", "brd",	 "arp",	 "allmulticast", "promisc",
					   "dynamic", "trailers"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(k, keys[i]))
			return true;
	return ip_matches(k, "txqueuelen") || ip_matches(k, "broadcast") ||
	       ip_matches(k, "multicast");
}

static int parse_args(struct ip_ctx *c, struct link_args *a, int argc, char **argv, bool add)
{
	for (; argc > 0; argc--, argv++) {
		const char *k = argv[0];
		if (!strcmp(k, "up")) {
			set_flag(a, IFF_UP, true);
		} else if (!strcmp(k, "down")) {
			set_flag(a, IFF_UP, false);
		} else if (!strcmp(k, "nomaster")) {
			a->nomaster = true;
		} else if (takes_value(k) && (!add || strcmp(k, "name") || argc > 1)) {
			if (argc < 2)
				return ip_incomplete(k);
			int r = parse_value(c, a, k, argv[1]);
			if (r)
				return r;
			argc--;
			argv++;
			if (!strcmp(k, "type"))
				return parse_kind_args(c, a, argv[0], argc - 1, argv + 1, add);
		} else if (!strcmp(k, "dev")) {
			if (argc < 2)
				return ip_incomplete(k);
			if (a->dev)
				return ip_duparg2("dev", argv[1]);
			a->dev = argv[1];
			argc--;
			argv++;
		} else if (!strcmp(k, "help")) {
			return ip_link_usage();
		} else {
			if (a->dev)
				return ip_duparg2("dev", k);
			a->dev = k;
		}
	}
	return 0;
}

/* The looked-up parts of a change: parent link, master, namespace. */
static int resolve(struct ip_ctx *c, const struct link_args *a, struct rtnl_link_req *q)
{
	if (a->link) {
		q->link = ip_ifindex(c, a->link);
		if (!q->link)
			return ip_nodev(a->link);
	}
	if (a->master) {
		q->master = ip_ifindex(c, a->master);
		if (!q->master)
			return ip_invarg("Device does not exist\n", a->master);
	} else if (a->nomaster) {
		q->master = RTNL_NOMASTER;
	}
	if (a->netns) {
		q->netns_fd = nl_netns_open(a->netns);
		if (q->netns_fd >= 0) {
			q->has_netns = true;
		} else if (ip_get_u32(&q->netns_pid, a->netns, 0) == 0) {
			q->has_netns_pid = true;
		} else {
			fprintf(stderr, "Invalid \"netns\" value\n");
			return 255;
		}
	}
	return 0;
}

/* The parsed words as the builder's request; 0 or an exit status. */
static int to_req(struct ip_ctx *c, const struct link_args *a, bool add, struct rtnl_link_req *q)
{
	q->name = add ? (a->name ? a->name : a->dev) : a->name;
	q->lladdr = a->lladdr;
	q->llbrd = a->brd;
	return resolve(c, a, q);
}

/* Options of a kind netkit does not parse yet. When the kernel has no
 * such driver, iproute2 would have parsed them and printed the kernel's
 * refusal: ask the kernel with a request it refuses either way (no
 * transmit queue, so nothing is ever made) and print its answer if the
 * kind is unknown to it; else say what is not implemented. */
static int unparsed_kind(struct ip_ctx *c, const struct link_args *a)
{
	struct rtnl_link_req q = {
		.name = a->name ? a->name : a->dev, .kind = a->q.kind, .num_txq_set = true};
	struct nl_sock *s;
	char buf[RTNL_REQ_BUFSZ];
	struct nl_err err;
	if (ip_nl(c, &s) == 0 &&
	    nl_talk(s, rtnl_link_build(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &q), NULL, NULL,
		    &err) < 0 &&
	    err.code == -EOPNOTSUPP) {
		ip_err_nl(c, &err, NULL);
		return 2;
	}
	fprintf(stderr, "netkit ip: option \"%s\" of link type \"%s\" is not implemented\n",
		a->unparsed, a->q.kind);
	return 2;
}

int ip_link_change(struct ip_ctx *c, int cmd, int flags, int argc, char **argv)
{
	struct link_args a = {0};
	bool add = flags & NLM_F_CREATE;
	int r = parse_args(c, &a, argc, argv, add);
	if (r)
		return r;
	if (add && !a.q.kind) {
		fprintf(stderr, "Not enough information: \"type\" argument is required\n");
		return 1;
	}
	if (!add && !a.dev) {
		fprintf(stderr, "Not enough information: \"dev\" argument is required.\n");
		return 255;
	}
	if (a.unparsed)
		return unparsed_kind(c, &a);
	int ifindex = 0;
	if (!add) {
		ifindex = ip_ifindex(c, a.dev);
		if (!ifindex)
			return ip_nodev(a.dev);
	}
	/* a delete sends the index and flags only */
	struct rtnl_link_req q = {0};
	if (cmd != RTM_DELLINK) {
		q = a.q;
		r = to_req(c, &a, add, &q);
		if (r) {
			if (q.has_netns)
				close(q.netns_fd);
			return r;
		}
	}
	q.ifindex = ifindex;
	q.flags = a.flags;
	q.change = a.change;
	struct nl_sock *s;
	if (ip_nl(c, &s) < 0)
		r = 1;
	char buf[RTNL_REQ_BUFSZ];
	struct nl_err err;
	if (!r && nl_talk(s, rtnl_link_build(buf, (uint16_t)cmd, (uint16_t)flags, &q), NULL, NULL,
			  &err) < 0) {
		ip_err_nl(c, &err, NULL);
		r = 2;
	}
	if (q.has_netns)
		close(q.netns_fd);
	return r;
}
