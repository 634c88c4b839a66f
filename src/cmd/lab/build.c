/* SPDX-License-Identifier: Apache-2.0 */
/* Building a lab's network from its topology: namespaces, links, bridges,
 * addresses, routes, forwarding, firewall rules, impairments, resolvers.
 * All through our netlink layer; only the firewall (nft) and the NFQUEUE
 * rules (iptables) go through the tools made for them. */
#include "cmd/lab/lab.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/rtnetlink.h>

#include "lib/nl/netns.h"
#include "lib/nl/nl.h"
#include "lib/nl/rtnl_req.h"

static int report(const struct lab *lab, int host, const char *what, const char *obj, int r,
		  const struct nl_err *err)
{
	fprintf(stderr, "netkit lab: %s: %s %s: %s%s%s\n", lab->topo.hosts[host].name, what, obj,
		strerror(-r), err && err->msg[0] ? ": " : "", err ? err->msg : "");
	return -1;
}

static const struct {
	const char *path;
	const char *value;
	bool router_only;
} sysctls[] = {
	/* addresses are usable at once: nothing else can own them here */
	{"net/ipv6/conf/all/accept_dad", "0", false},
	{"net/ipv6/conf/default/accept_dad", "0", false},
	/* scanners and tracers measure the network, not the kernel's ICMP
	 * rate limits; without this a UDP scan of the lab crawls */
	{"net/ipv4/icmp_ratelimit", "0", false},
	{"net/ipv6/icmp/ratelimit", "0", false},
	{"net/ipv4/icmp_msgs_per_sec", "100000", false},
	{"net/ipv4/ping_group_range", "0 2147483647", false},
	{"net/ipv4/ip_forward", "1", true},
	{"net/ipv6/conf/all/forwarding", "1", true},
	{"net/ipv6/conf/default/forwarding", "1", true},
	/* multipath routes balance flows by ports too (layer 4), so a tracer's
	 * changing ports show the parallel paths */
	{"net/ipv4/fib_multipath_hash_policy", "1", true},
	{"net/ipv6/fib_multipath_hash_policy", "1", true},
};

static int make_namespaces(struct lab *lab)
{
	for (unsigned h = 0; h < lab->topo.nhosts; h++) {
		char ns[128];
		lab_ns(lab, (int)h, ns, sizeof(ns));
		int r = netns_add(ns);
		if (r < 0)
			return report(lab, (int)h, "cannot create namespace", ns, r, NULL);
		for (size_t i = 0; i < sizeof(sysctls) / sizeof(sysctls[0]); i++) {
			if (sysctls[i].router_only && !lab->topo.hosts[h].forward)
				continue;
			r = netns_sysctl(ns, sysctls[i].path, sysctls[i].value);
			/* icmp_msgs_per_sec is not per namespace on every kernel */
			if (r < 0 && r != -ENOENT && r != -EACCES && r != -EPERM)
				return report(lab, (int)h, "sysctl", sysctls[i].path, r, NULL);
		}
	}
	return 0;
}

struct socks {
	struct nl_sock s[TOPO_MAX_HOSTS];
	bool open[TOPO_MAX_HOSTS];
};

static struct nl_sock *sock_of(struct lab *lab, struct socks *ss, int h)
{
	if (!ss->open[h]) {
		char ns[128];
		lab_ns(lab, h, ns, sizeof(ns));
		int r = nl_open(&ss->s[h], NETLINK_ROUTE, ns);
		if (r < 0) {
			report(lab, h, "netlink socket in", ns, r, NULL);
			return NULL;
		}
		ss->open[h] = true;
	}
	return &ss->s[h];
}

static int make_veth(struct lab *lab, struct socks *ss, const struct topo_link *l)
{
	char nsa[128], nsb[128], buf[RTNL_REQ_BUFSZ];
	lab_ns(lab, l->a.host, nsa, sizeof(nsa));
	lab_ns(lab, l->b.host, nsb, sizeof(nsb));
	int fa = nl_netns_open(nsa), fb = nl_netns_open(nsb);
	int r = fa < 0 ? fa : fb;
	struct nl_err err = {0};
	if (fa >= 0 && fb >= 0) {
		/* both ends are made right where they belong: no temporary
		 * names in anyone's namespace, nothing to clean up if we die */
		struct rtnl_link_req req = {
			.name = l->a.ifname,
			.kind = "veth",
			.peer = l->b.ifname,
			.has_netns = true,
			.netns_fd = fa,
			.has_peer_netns = true,
			.peer_netns_fd = fb,
		};
		struct nl_sock *s = sock_of(lab, ss, l->a.host);
		r = s ? nl_talk(s,
				rtnl_link_build(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &req),
				NULL, NULL, &err)
		      : -EIO;
	}
	if (fa >= 0)
		close(fa);
	if (fb >= 0)
		close(fb);
	return r < 0 ? report(lab, l->a.host, "cannot create veth", l->a.ifname, r, &err) : 0;
}

static int set_link(struct lab *lab, struct socks *ss, int h, const char *ifname,
		    const char *master)
{
	char buf[RTNL_REQ_BUFSZ];
	struct nl_sock *s = sock_of(lab, ss, h);
	if (!s)
		return -1;
	struct rtnl_link_req req = {.name = ifname, .flags = IFF_UP, .change = IFF_UP};
	if (master) {
		int m = rtnl_ifindex(s, master);
		if (m < 0)
			return report(lab, h, "no bridge", master, m, NULL);
		req.master = m;
	}
	struct nl_err err;
	int r = nl_talk(s, rtnl_link_build(buf, RTM_NEWLINK, 0, &req), NULL, NULL, &err);
	return r < 0 ? report(lab, h, "cannot set up", ifname, r, &err) : 0;
}

static int make_links(struct lab *lab, struct socks *ss)
{
	const struct topo *t = &lab->topo;
	char buf[RTNL_REQ_BUFSZ];
	for (unsigned i = 0; i < t->nbridges; i++) {
		const struct topo_ep *b = &t->bridges[i];
		struct nl_sock *s = sock_of(lab, ss, b->host);
		struct rtnl_link_req req = {.name = b->ifname, .kind = "bridge"};
		/* read by report() also when there was no socket to talk on */
		struct nl_err err = {0};
		int r = s ? nl_talk(s,
				    rtnl_link_build(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL,
						    &req),
				    NULL, NULL, &err)
			  : -EIO;
		if (r < 0)
			return report(lab, b->host, "cannot create bridge", b->ifname, r, &err);
		if (set_link(lab, ss, b->host, b->ifname, NULL) < 0)
			return -1;
	}
	for (unsigned i = 0; i < t->nlinks; i++)
		if (make_veth(lab, ss, &t->links[i]) < 0)
			return -1;
	for (unsigned h = 0; h < t->nhosts; h++)
		if (set_link(lab, ss, (int)h, "lo", NULL) < 0)
			return -1;
	for (unsigned i = 0; i < t->nlinks; i++) {
		const struct topo_link *l = &t->links[i];
		if (set_link(lab, ss, l->a.host, l->a.ifname, NULL) < 0 ||
		    set_link(lab, ss, l->b.host, l->b.ifname, l->master[0] ? l->master : NULL) < 0)
			return -1;
	}
	return 0;
}

static int make_addrs(struct lab *lab, struct socks *ss)
{
	const struct topo *t = &lab->topo;
	char buf[RTNL_REQ_BUFSZ], txt[64];
	for (unsigned i = 0; i < t->naddrs; i++) {
		const struct topo_addr *a = &t->addrs[i];
		struct nl_sock *s = sock_of(lab, ss, a->ep.host);
		if (!s)
			return -1;
		int idx = rtnl_ifindex(s, a->ep.ifname);
		if (idx < 0)
			return report(lab, a->ep.host, "no interface", a->ep.ifname, idx, NULL);
		struct rtnl_addr_req req = {
			.ifindex = idx,
			.local = a->pfx,
			.broadcast = true,
			.flags = a->pfx.family == AF_INET6 ? IFA_F_NODAD : 0,
		};
		struct nl_err err;
		int r = nl_talk(s,
				rtnl_addr_build(buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &req),
				NULL, NULL, &err);
		if (r < 0)
			return report(lab, a->ep.host, "cannot add address",
				      rtnl_prefix_str(&a->pfx, true, txt, sizeof(txt)), r, &err);
	}
	return 0;
}

/* A multipath route's next hops, their devices resolved in the host. */
static int route_nexthops(struct lab *lab, struct nl_sock *s, const struct topo_route *rt,
			  struct rtnl_nh_req *nh)
{
	for (unsigned k = 0; k < rt->nnh; k++) {
		nh[k] = (struct rtnl_nh_req){.gw = rt->nh[k].gw, .weight = rt->nh[k].weight};
		if (!rt->nh[k].dev[0])
			continue;
		nh[k].oif = rtnl_ifindex(s, rt->nh[k].dev);
		if (nh[k].oif < 0)
			return report(lab, rt->host, "no interface", rt->nh[k].dev, nh[k].oif,
				      NULL);
	}
	return 0;
}

static int make_routes(struct lab *lab, struct socks *ss)
{
	const struct topo *t = &lab->topo;
	char buf[RTNL_REQ_BUFSZ], txt[64];
	struct rtnl_nh_req nh[TOPO_MAX_NEXTHOPS];
	for (unsigned i = 0; i < t->nroutes; i++) {
		const struct topo_route *rt = &t->routes[i];
		struct nl_sock *s = sock_of(lab, ss, rt->host);
		if (!s)
			return -1;
		struct rtnl_route_req req = {.dst = rt->dst, .gw = rt->gw, .type = rt->type};
		const char *dev = rt->dev[0] ? rt->dev : rt->type == RTN_LOCAL ? "lo" : NULL;
		if (dev) {
			req.oif = rtnl_ifindex(s, dev);
			if (req.oif < 0)
				return report(lab, rt->host, "no interface", dev, req.oif, NULL);
		}
		if (rt->nnh) {
			if (route_nexthops(lab, s, rt, nh) < 0)
				return -1;
			req.nh = nh;
			req.nnh = rt->nnh;
		}
		struct nl_err err;
		int r = nl_talk(
			s, rtnl_route_build(buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, &req),
			NULL, NULL, &err);
		if (r < 0)
			return report(lab, rt->host, "cannot add route",
				      rtnl_prefix_str(&rt->dst, true, txt, sizeof(txt)), r, &err);
	}
	return 0;
}

int lab_build_net(struct lab *lab)
{
	if (make_namespaces(lab) < 0)
		return -1;
	struct socks *ss = calloc(1, sizeof(*ss));
	if (!ss)
		return -1;
	int r = make_links(lab, ss);
	if (!r)
		r = make_addrs(lab, ss);
	if (!r)
		r = make_routes(lab, ss);
	for (unsigned h = 0; h < lab->topo.nhosts; h++)
		if (ss->open[h])
			nl_close(&ss->s[h]);
	free(ss);
	return r;
}

/* The firewall of one host as an nft ruleset: drop means filtered (no
 * answer), reject answers with ICMP administratively prohibited. */
static int firewall_text(const struct topo *t, int host, char *buf, size_t size)
{
	size_t off = 0;
	int n = snprintf(buf, size,
			 "table inet netkit_lab {\n\tchain input {\n"
			 "\t\ttype filter hook input priority 0; policy accept;\n");
	off = (size_t)n;
	bool any = false;
	for (unsigned i = 0; i < t->nfw && off < size; i++) {
		const struct topo_fw *fw = &t->fw[i];
		if (fw->host != host)
			continue;
		any = true;
		off += (size_t)snprintf(buf + off, size - off, "\t\t%s dport { ",
					fw->proto == 6 ? "tcp" : "udp");
		for (unsigned p = 0; p < fw->nports && off < size; p++)
			off += (size_t)snprintf(buf + off, size - off, "%s%u", p ? ", " : "",
						fw->ports[p]);
		if (off < size)
			off += (size_t)snprintf(
				buf + off, size - off, " } %s\n",
				fw->reject ? "reject with icmpx type admin-prohibited" : "drop");
	}
	if (off < size)
		off += (size_t)snprintf(buf + off, size - off, "\t}\n}\n");
	if (off >= size)
		return -ENOSPC;
	return any ? 1 : 0;
}

int lab_build_firewall(struct lab *lab)
{
	for (unsigned h = 0; h < lab->topo.nhosts; h++) {
		char text[8192], dir[LAB_PATH], path[LAB_PATH + 16], ns[128];
		int r = firewall_text(&lab->topo, (int)h, text, sizeof(text));
		if (r < 0)
			return report(lab, (int)h, "firewall", "rules", r, NULL);
		if (r == 0)
			continue;
		if (lab_host_dir(lab, (int)h, dir, sizeof(dir)) < 0)
			return -1;
		snprintf(path, sizeof(path), "%s/firewall.nft", dir);
		if ((r = lab_write_file(path, text, 0644)) < 0)
			return report(lab, (int)h, "cannot write", path, r, NULL);
		lab_ns(lab, (int)h, ns, sizeof(ns));
		char *argv[] = {"nft", "-f", path, NULL};
		char log[LAB_PATH + 16];
		snprintf(log, sizeof(log), "%s/firewall.log", dir);
		struct spawn sp = {.log = log, .keep_fd = -1};
		r = lab_run(ns, argv, &sp);
		if (r != 0) {
			fprintf(stderr, "netkit lab: %s: nft -f %s failed (exit %d, see %s)\n",
				lab->topo.hosts[h].name, path, r, log);
			return -1;
		}
	}
	return 0;
}

int lab_write_resolv(struct lab *lab)
{
	int dns = topo_dns_host(&lab->topo);
	if (dns < 0)
		return 0;
	char text[512], a4[64], a6[64];
	const struct rtnl_prefix *p4 = topo_host_addr(&lab->topo, dns, AF_INET);
	const struct rtnl_prefix *p6 = topo_host_addr(&lab->topo, dns, AF_INET6);
	snprintf(text, sizeof(text), "# netkit lab %s\nsearch lab\n%s%s%s%s%s%s", lab->name,
		 p4 ? "nameserver " : "", p4 ? rtnl_prefix_str(p4, false, a4, sizeof(a4)) : "",
		 p4 ? "\n" : "", p6 ? "nameserver " : "",
		 p6 ? rtnl_prefix_str(p6, false, a6, sizeof(a6)) : "", p6 ? "\n" : "");
	for (unsigned h = 0; h < lab->topo.nhosts; h++) {
		char ns[128], dir[LAB_PATH], path[LAB_PATH + 16];
		lab_ns(lab, (int)h, ns, sizeof(ns));
		snprintf(dir, sizeof(dir), "%s/%s", LAB_ETC_NETNS, ns);
		snprintf(path, sizeof(path), "%s/resolv.conf", dir);
		int r = lab_mkdirs(dir, 0755);
		if (r < 0 || (r = lab_write_file(path, text, 0644)) < 0)
			return report(lab, (int)h, "cannot write", path, r, NULL);
	}
	return 0;
}
