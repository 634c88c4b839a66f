/* SPDX-License-Identifier: Apache-2.0 */
/* route add|del (see route_edit.h). The kernel's ioctl path
 * (rtentry_to_fib_config, rtmsg_to_fib6_config) is mirrored field by
 * field so that a route added here reads back exactly like one added by
 * net-tools: protocol boot, the same scope, metric and flags. */
#include "cmd/route/route_edit.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cmd/route/route.h"

static int usage4(void)
{
	route_usage_inet(true);
	return ROUTE_E_OPTERR;
}

static int usage6(void)
{
	route_usage_inet6(true);
	return ROUTE_E_OPTERR;
}

/* net-tools' INET_resolve: 1 for a network, 0 for a host, -1 if unknown. */
static int resolve4(const char *name, bool hostfirst, uint32_t *addr)
{
	struct in_addr in;
	if (!strcmp(name, "default")) {
		*addr = 0;
		return 1;
	}
	if (inet_aton(name, &in)) {
		*addr = in.s_addr;
		return 0;
	}
	struct hostent *h;
	if (hostfirst && (h = gethostbyname(name)) && h->h_addrtype == AF_INET) {
		memcpy(addr, h->h_addr_list[0], 4);
		return 0;
	}
	struct netent *np = getnetbyname(name);
	if (np) {
		*addr = htonl(np->n_net);
		return 1;
	}
	if (hostfirst)
		return -1;
	h = gethostbyname(name);
	if (!h || h->h_addrtype != AF_INET)
		return -1;
	memcpy(addr, h->h_addr_list[0], 4);
	return 0;
}

static int lookup_err(const char *name)
{
	fprintf(stderr, "%s: %s\n", name, hstrerror(h_errno));
	return ROUTE_E_LOOKUP;
}

static int bad_value(const char *what)
{
	fprintf(stderr, "route: Invalid %s.\n", what);
	return usage4();
}

static bool to_ulong(const char *s, unsigned long *v)
{
	char *end;
	errno = 0;
	*v = strtoul(s, &end, 0);
	return *s && !*end && !errno;
}

/* One keyword with its value; returns 0, 1 if word is not a keyword, or
 * an exit code (> 1) on error. */
static int keyword4(char ***argsp, struct route4_edit *ed, char *netmask, size_t nmsize)
{
	char **args = *argsp;
	const char *w = *args++;
	const char *v = *args;
	unsigned long n;
	if (!strcmp(w, "metric")) {
		if (!v || !isdigit((unsigned char)*v))
			return usage4();
		ed->metric = (unsigned)atoi(v) + 1;
	} else if (!strcmp(w, "netmask")) {
		if (!v || ed->mask)
			return usage4();
		snprintf(netmask, nmsize, "%s", v);
		if (resolve4(v, false, &ed->mask) < 0)
			return lookup_err(v);
	} else if (!strcmp(w, "gw") || !strcmp(w, "gateway")) {
		if (!v || (ed->flags & RT_F_GATEWAY))
			return usage4();
		int isnet = resolve4(v, true, &ed->gw);
		if (isnet < 0)
			return lookup_err(v);
		if (isnet) {
			fprintf(stderr, "route: %s: cannot use a NETWORK as gateway!\n", v);
			return usage4();
		}
		ed->has_gw = true;
		ed->flags |= RT_F_GATEWAY;
	} else if (!strcmp(w, "mss") || !strcmp(w, "mtu")) {
		if (!v)
			return usage4();
		if (!to_ulong(v, &n) || n < 64 || n > 65536)
			return bad_value("MSS/MTU");
		ed->flags |= RTE_F_MSS;
		ed->mss = n;
	} else if (!strcmp(w, "window")) {
		if (!v)
			return usage4();
		if (!to_ulong(v, &n) || n < 128)
			return bad_value("window");
		ed->flags |= RTE_F_WINDOW;
		ed->window = n;
	} else if (!strcmp(w, "irtt")) {
		if (!v)
			return usage4();
		if (!to_ulong(v, &n))
			return bad_value("initial rtt");
		ed->flags |= RTE_F_IRTT;
		ed->irtt = n;
	} else if (!strcmp(w, "device") || !strcmp(w, "dev")) {
		if (!v || ed->dev)
			return usage4();
		ed->dev = v;
	} else {
		return 1;
	}
	*argsp = args + 1;
	return 0;
}

static int flag_word(const char *w, unsigned *flags)
{
	if (!strcmp(w, "reject"))
		*flags |= RT_F_REJECT;
	else if (!strcmp(w, "mod"))
		*flags |= RT_F_MODIFIED;
	else if (!strcmp(w, "dyn"))
		*flags |= RT_F_DYNAMIC;
	else if (!strcmp(w, "reinstate"))
		*flags |= RT_F_REINSTATE;
	else
		return 0;
	return 1;
}

/* The masks net-tools refuses before calling the kernel. */
static int check_mask(const struct route4_edit *ed, const char *netmask)
{
	if (!ed->mask)
		return 0;
	uint32_t inv = ~ntohl(ed->mask);
	if ((ed->flags & RT_F_HOST) && inv != 0xffffffffu) {
		fprintf(stderr, "route: netmask %.8x doesn't make sense with host route\n", inv);
		return usage4();
	}
	if (inv & (inv + 1)) {
		fprintf(stderr, "route: bogus netmask %s\n", netmask);
		return usage4();
	}
	if (ed->dst & ~ed->mask) {
		fprintf(stderr, "route: netmask doesn't match route address\n");
		return usage4();
	}
	return 0;
}

/* Target[/prefix] with net-tools' -net/-host rules. */
static int target4(char ***argsp, struct route4_edit *ed)
{
	char **args = *argsp;
	int xflag = 0;
	/* route.c renamed -net and -host so that getopt leaves them alone */
	if (*args && !strcmp(*args, "#net"))
		xflag = 1, args++;
	else if (*args && !strcmp(*args, "#host"))
		xflag = 2, args++;
	if (!*args)
		return usage4();
	char target[128];
	snprintf(target, sizeof(target), "%s", *args++);
	char *slash = strchr(target, '/');
	if (slash) {
		/* net-tools shifts by the prefix as the CPU does: mod 32 */
		unsigned prefix = (unsigned)atoi(slash + 1);
		ed->mask = htonl(~(0xffffffffu >> (prefix & 31)));
		*slash = '\0';
	}
	int isnet = resolve4(target, xflag == 2, &ed->dst);
	if (isnet < 0)
		return lookup_err(target);
	if (xflag)
		isnet = xflag == 1;
	ed->flags = RT_F_UP | (isnet ? 0 : RT_F_HOST);
	*argsp = args;
	return 0;
}

int route4_parse(char **args, bool add, struct route4_edit *ed)
{
	char netmask[128] = "default";
	memset(ed, 0, sizeof(*ed));
	int rc = target4(&args, ed);
	if (rc)
		return rc;
	while (*args) {
		if (flag_word(*args, &ed->flags)) {
			args++;
			continue;
		}
		rc = keyword4(&args, ed, netmask, sizeof(netmask));
		if (rc > 1)
			return rc;
		if (rc == 0)
			continue;
		/* a bare word is the device, and must come last */
		if (ed->dev || args[1])
			return usage4();
		ed->dev = *args++;
	}
	if ((ed->flags & RT_F_REJECT) && !ed->dev)
		ed->dev = "lo";
	rc = check_mask(ed, netmask);
	if (rc)
		return rc;
	if (add && (ed->flags & RT_F_HOST))
		ed->mask = 0xffffffffu;
	return 0;
}

static unsigned mask_len(uint32_t mask)
{
	return (unsigned)__builtin_popcount(mask);
}

static void req_start(struct route_req *q, bool add, int family, const void *dst, unsigned plen)
{
	memset(q, 0, sizeof(*q));
	q->cmd = add ? RTM_NEWROUTE : RTM_DELROUTE;
	q->nlflags = add ? NLM_F_CREATE : 0;
	q->r.dst.family = (uint8_t)family;
	q->r.dst.len = (uint8_t)plen;
	memcpy(q->r.dst.addr, dst, family == AF_INET ? 4 : 16);
	q->r.table = RT_TABLE_MAIN;
	/* the ioctl adds with protocol boot and deletes whatever the protocol */
	q->r.protocol = add ? RTPROT_BOOT : 0;
	q->r.protocol_set = true;
	q->r.scope_set = true;
	q->r.metrics = q->metrics;
}

static void set_metric(struct route_req *q, unsigned n, uint32_t v)
{
	q->metrics[n] = v;
	q->r.metrics_mask |= 1u << n;
}

int route4_to_req(const struct route4_edit *ed, bool add, int ifindex, bool gw_unicast,
		  struct route_req *q)
{
	unsigned plen = 32;
	if (!(ed->flags & RT_F_HOST)) {
		uint32_t inv = ~ntohl(ed->mask);
		if ((ed->dst & ~ed->mask) || (inv & (inv + 1)))
			return -EINVAL;
		plen = mask_len(ed->mask);
	}
	req_start(q, add, AF_INET, &ed->dst, plen);
	if (ed->metric) {
		q->r.priority = ed->metric - 1;
		q->r.priority_set = true;
	}
	if (ed->flags & RT_F_REJECT) {
		q->r.scope = RT_SCOPE_HOST;
		q->r.type = RTN_UNREACHABLE;
		return 0;
	}
	q->r.scope = RT_SCOPE_NOWHERE;
	q->r.type = RTN_UNICAST;
	if (ed->dev && ifindex <= 0)
		return -ENODEV;
	q->r.oif = ed->dev ? ifindex : 0;
	if (ed->has_gw && ed->gw) {
		q->r.gw.family = AF_INET;
		q->r.gw.len = 32;
		memcpy(q->r.gw.addr, &ed->gw, 4);
		if ((ed->flags & RT_F_GATEWAY) && gw_unicast)
			q->r.scope = RT_SCOPE_UNIVERSE;
	}
	if (!add)
		return 0;
	if ((ed->flags & RT_F_GATEWAY) && !q->r.gw.family)
		return -EINVAL;
	if (q->r.scope == RT_SCOPE_NOWHERE)
		q->r.scope = RT_SCOPE_LINK;
	if (ed->flags & RTE_F_MSS)
		set_metric(q, RTAX_ADVMSS, (uint32_t)(ed->mss - 40));
	if (ed->flags & RTE_F_WINDOW)
		set_metric(q, RTAX_WINDOW, (uint32_t)ed->window);
	if (ed->flags & RTE_F_IRTT)
		set_metric(q, RTAX_RTT, (uint32_t)(ed->irtt << 3));
	return 0;
}

/* net-tools tries the numeric form, then getaddrinfo(). */
static int resolve6(const char *name, uint8_t *addr)
{
	if (inet_pton(AF_INET6, name, addr) == 1)
		return 0;
	struct addrinfo hints = {.ai_family = AF_INET6}, *res = NULL;
	h_errno = 0;
	int r = getaddrinfo(name, NULL, &hints, &res);
	if (r) {
		/* net-tools reports with herror(), from what the lookup left */
		int herr = h_errno ? h_errno : r == EAI_AGAIN ? TRY_AGAIN : HOST_NOT_FOUND;
		fprintf(stderr, "getaddrinfo: %s: %d\n", name, r);
		fprintf(stderr, "%s: %s\n", name, hstrerror(herr));
		return -1;
	}
	memcpy(addr, &((struct sockaddr_in6 *)res->ai_addr)->sin6_addr, 16);
	freeaddrinfo(res);
	return 0;
}

static int target6(const char *target, struct route6_edit *ed)
{
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", target);
	if (!strcmp(buf, "default"))
		return 0;
	ed->plen = 128;
	char *slash = strchr(buf, '/');
	if (slash) {
		long p = atol(slash + 1);
		if (p < 0 || p > 128)
			return usage6();
		ed->plen = (unsigned)p;
		*slash = '\0';
	}
	if (resolve6(buf, ed->dst) < 0)
		return ROUTE_E_NOSUPP;
	return 0;
}

int route6_parse(char **args, struct route6_edit *ed)
{
	memset(ed, 0, sizeof(*ed));
	if (!*args)
		return usage6();
	int rc = target6(*args++, ed);
	if (rc)
		return rc;
	ed->flags = RT_F_UP | (ed->plen == 128 ? RT_F_HOST : 0);
	ed->metric = 1;
	while (*args) {
		const char *w = *args, *v = args[1];
		if (!strcmp(w, "metric")) {
			if (!v || !isdigit((unsigned char)*v))
				return usage6();
			ed->metric = (unsigned)atoi(v);
			args += 2;
		} else if (!strcmp(w, "gw") || !strcmp(w, "gateway")) {
			if (!v || (ed->flags & RT_F_GATEWAY))
				return usage6();
			if (inet_pton(AF_INET6, v, ed->gw) != 1) {
				fprintf(stderr, "%s: Unknown host\n", v);
				return ROUTE_E_LOOKUP;
			}
			ed->flags |= RT_F_GATEWAY;
			args += 2;
		} else if (!strcmp(w, "mod") || !strcmp(w, "dyn")) {
			ed->flags |= !strcmp(w, "mod") ? RT_F_MODIFIED : RT_F_DYNAMIC;
			args++;
		} else {
			if (!strcmp(w, "device") || !strcmp(w, "dev")) {
				if (!v)
					return usage6();
				args++;
			} else if (v) {
				return usage6();
			}
			ed->dev = *args++;
		}
	}
	return 0;
}

void route6_to_req(const struct route6_edit *ed, bool add, int ifindex, struct route_req *q)
{
	req_start(q, add, AF_INET6, ed->dst, ed->plen);
	q->r.type = RTN_UNICAST;
	q->r.scope = RT_SCOPE_UNIVERSE;
	/* the ioctl's RTF_HOST is the bit netlink calls RTNH_F_ONLINK */
	if (ed->flags & RT_F_HOST)
		q->r.flags |= RTNH_F_ONLINK;
	q->r.priority = ed->metric ? ed->metric : 1024;
	q->r.priority_set = true;
	q->r.oif = ifindex;
	if (ed->flags & RT_F_GATEWAY) {
		q->r.gw.family = AF_INET6;
		q->r.gw.len = 128;
		memcpy(q->r.gw.addr, ed->gw, 16);
	}
}

/* inet_addr_type() of the gateway, as the ioctl checks it: anything but
 * a plain unicast address (one of ours, a broadcast) keeps scope link. */
static int gw_type_msg(const struct nlmsghdr *nlh, void *data)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	if (nlh->nlmsg_type == RTM_NEWROUTE && mnl_nlmsg_get_payload_len(nlh) >= sizeof(*rtm))
		*(uint8_t *)data = rtm->rtm_type;
	return MNL_CB_OK;
}

static bool gw_is_unicast(struct nl_sock *s, uint32_t gw)
{
	uint32_t h = ntohl(gw);
	if ((h >> 24) == 0 || h == 0xffffffffu || (h >> 28) == 0xe)
		return false;
	char buf[256];
	struct nlmsghdr *nlh = nl_msg_start(s, buf, RTM_GETROUTE, 0);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 32;
	mnl_attr_put(nlh, RTA_DST, 4, &gw);
	uint8_t type = RTN_UNICAST;
	/* no route to it: the kernel's lookup fails and calls it unicast */
	if (nl_talk(s, nlh, gw_type_msg, &type, NULL) < 0)
		return true;
	return type == RTN_UNICAST;
}

/* The address carrying an IPv4 label such as "eth0:1". */
static bool label_addr(const char *label, uint32_t *addr)
{
	struct ifaddrs *list, *i;
	bool found = false;
	if (getifaddrs(&list) < 0)
		return false;
	for (i = list; i && !found; i = i->ifa_next)
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET &&
		    !strcmp(i->ifa_name, label)) {
			*addr = ((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr;
			found = true;
		}
	freeifaddrs(list);
	return found;
}

static int send_req(struct nl_sock *s, struct route_req *q, bool add)
{
	char buf[RTNL_REQ_BUFSZ];
	struct nlmsghdr *nlh = rtnl_route_build(buf, q->cmd, q->nlflags, &q->r);
	nlh->nlmsg_seq = ++s->seq;
	int r = nl_talk(s, nlh, NULL, NULL, NULL);
	if (r < 0) {
		fprintf(stderr, "%s: %s\n", add ? "SIOCADDRT" : "SIOCDELRT", strerror(-r));
		return ROUTE_E_SOCK;
	}
	return 0;
}

static int edit4(struct nl_sock *s, bool add, char **args)
{
	struct route4_edit ed;
	struct route_req q;
	int rc = route4_parse(args, add, &ed);
	if (rc)
		return rc;
	int ifindex = 0;
	uint32_t src = 0;
	if (ed.dev && !(ed.flags & RT_F_REJECT)) {
		/* the kernel drops an alias label ("eth0:1") to find the device */
		char name[IF_NAMESIZE];
		snprintf(name, sizeof(name), "%s", ed.dev);
		name[strcspn(name, ":")] = '\0';
		ifindex = (int)if_nametoindex(name);
		if (ifindex && strchr(ed.dev, ':') && !label_addr(ed.dev, &src))
			ifindex = 0;
	}
	bool unicast = ed.has_gw && ed.gw ? gw_is_unicast(s, ed.gw) : true;
	int r = route4_to_req(&ed, add, ifindex, unicast, &q);
	if (!r && src && !(ed.flags & RT_F_REJECT)) {
		/* and takes the label's address as the preferred source */
		q.r.prefsrc.family = AF_INET;
		q.r.prefsrc.len = 32;
		memcpy(q.r.prefsrc.addr, &src, 4);
	}
	if (r < 0) {
		fprintf(stderr, "%s: %s\n", add ? "SIOCADDRT" : "SIOCDELRT", strerror(-r));
		return ROUTE_E_SOCK;
	}
	return send_req(s, &q, add);
}

static int edit6(struct nl_sock *s, bool add, char **args)
{
	struct route6_edit ed;
	struct route_req q;
	int rc = route6_parse(args, &ed);
	if (rc)
		return rc;
	int ifindex = 0;
	if (ed.dev) {
		ifindex = (int)if_nametoindex(ed.dev);
		if (!ifindex) {
			fprintf(stderr, "SIOGIFINDEX: %s\n", strerror(ENODEV));
			return ROUTE_E_SOCK;
		}
	}
	route6_to_req(&ed, add, ifindex, &q);
	return send_req(s, &q, add);
}

int route_edit(const struct route_opts *o, bool add, char **args)
{
	bool inet6 = o->af[0] == AF_INET6;
	if (!*args && !inet6) {
		route_usage_inet(false);
		return 0;
	}
	struct nl_sock s;
	int r = nl_open(&s, NETLINK_ROUTE, NULL);
	if (r < 0) {
		fprintf(stderr, "socket: %s\n", strerror(-r));
		return ROUTE_E_SOCK;
	}
	int rc = inet6 ? edit6(&s, add, args) : edit4(&s, add, args);
	nl_close(&s);
	return rc;
}
