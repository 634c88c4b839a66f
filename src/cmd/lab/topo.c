/* SPDX-License-Identifier: Apache-2.0 */
/* Topology file parser (see topo.h). A table of statements, one handler
 * each; every word is checked, every limit reported. */
#include "cmd/lab/topo.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/rtnetlink.h>

#define MAX_WORDS 40

struct pctx {
	struct topo *t;
	char *err;
	size_t errsize;
	unsigned line;
};

static int fail(struct pctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct pctx *c, const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errsize, "line %u: %s", c->line, msg);
	return -EINVAL;
}

static const char *const svc_names[SVC_COUNT] = {
	[SVC_SSH] = "ssh",
	[SVC_HTTP] = "http",
	[SVC_REDIS] = "redis",
	[SVC_MEMCACHED] = "memcached",
	[SVC_POSTGRES] = "postgres",
	[SVC_DNS] = "dns",
	[SVC_FTP] = "ftp",
	[SVC_MAIL] = "mail",
	[SVC_HTTPS] = "https",
	[SVC_MYSQL] = "mysql",
	[SVC_SMTP] = "smtp",
	[SVC_DROPBEAR] = "dropbear",
	[SVC_LIGHTTPD] = "lighttpd",
	[SVC_APACHE] = "apache",
	[SVC_BIND] = "bind",
	[SVC_UNBOUND] = "unbound",
	[SVC_MINIHTTPD] = "mini-httpd",
	[SVC_TINYPROXY] = "tinyproxy",
	[SVC_NSD] = "nsd",
	[SVC_KNOT] = "knot",
	[SVC_WEBFS] = "webfs",
	[SVC_H2O] = "h2o",
	[SVC_RSYNC] = "rsync",
	[SVC_NGIRCD] = "ngircd",
	[SVC_SLAPD] = "slapd",
	[SVC_SNMPD] = "snmpd",
	[SVC_COTURN] = "coturn",
	[SVC_MOSQUITTO] = "mosquitto",
	[SVC_GIT] = "git",
	[SVC_BEANSTALKD] = "beanstalkd",
	[SVC_GEARMAND] = "gearmand",
	[SVC_ZABBIX] = "zabbix-agent",
	[SVC_SVNSERVE] = "svnserve",
	[SVC_XINETD] = "xinetd",
	[SVC_NATS] = "nats",
	[SVC_MUMBLE] = "mumble",
	[SVC_KAMAILIO] = "kamailio",
	[SVC_OIDENTD] = "oidentd",
	[SVC_DANTE] = "dante",
	[SVC_XVNC] = "xvnc",
	[SVC_XVFB] = "xvfb",
	[SVC_NTPD] = "ntpd",
	[SVC_SMBD] = "smbd",
	[SVC_NMBD] = "nmbd",
	[SVC_RPCBIND] = "rpcbind",
	[SVC_PROSODY] = "prosody",
	[SVC_XRDP] = "xrdp",
	[SVC_RABBITMQ] = "rabbitmq",
	[SVC_ZOOKEEPER] = "zookeeper",
};
_Static_assert(SVC_COUNT <= 64, "a host's services are bits of a uint64_t");

const char *topo_svc_name(enum topo_svc s)
{
	return s < SVC_COUNT ? svc_names[s] : "?";
}

/* Names: letters, digits, '_' and '-' (not first), as interface names allow. */
static bool name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= TOPO_NAME || s[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
			return false;
	}
	return true;
}

int topo_host_find(const struct topo *t, const char *name)
{
	for (unsigned i = 0; i < t->nhosts; i++)
		if (!strcmp(t->hosts[i].name, name))
			return (int)i;
	return -1;
}

static int host_ref(struct pctx *c, const char *name)
{
	int h = topo_host_find(c->t, name);
	if (h < 0)
		return fail(c, "unknown host '%s' (declare it with 'host' first)", name);
	return h;
}

/* "HOST:IF" */
static int ep_parse(struct pctx *c, const char *s, struct topo_ep *ep)
{
	char host[64];
	const char *colon = strchr(s, ':');
	if (!colon || (size_t)(colon - s) >= sizeof(host))
		return fail(c, "'%s' is not HOST:INTERFACE", s);
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	int h = host_ref(c, host);
	if (h < 0)
		return h;
	if (!name_ok(colon + 1))
		return fail(c, "bad interface name '%s' (1-15 of [A-Za-z0-9_-])", colon + 1);
	ep->host = h;
	snprintf(ep->ifname, sizeof(ep->ifname), "%s", colon + 1);
	return 0;
}

static int st_host(struct pctx *c, int n, char **w)
{
	struct topo *t = c->t;
	if (!name_ok(w[1]))
		return fail(c, "bad host name '%s' (1-15 of [A-Za-z0-9_-])", w[1]);
	if (topo_host_find(t, w[1]) >= 0)
		return fail(c, "host '%s' declared twice", w[1]);
	if (t->nhosts >= TOPO_MAX_HOSTS)
		return fail(c, "too many hosts (at most %d)", TOPO_MAX_HOSTS);
	struct topo_host *h = &t->hosts[t->nhosts];
	memset(h, 0, sizeof(*h));
	snprintf(h->name, sizeof(h->name), "%s", w[1]);
	for (int i = 2; i < n; i++) {
		if (strcmp(w[i], "forward"))
			return fail(c, "unknown host option '%s' (known: forward)", w[i]);
		h->forward = true;
	}
	t->nhosts++;
	return 0;
}

static int st_bridge(struct pctx *c, int n, char **w)
{
	struct topo *t = c->t;
	if (n != 2)
		return fail(c, "usage: bridge HOST:NAME");
	if (t->nbridges >= TOPO_MAX_BRIDGES)
		return fail(c, "too many bridges (at most %d)", TOPO_MAX_BRIDGES);
	return ep_parse(c, w[1], &t->bridges[t->nbridges++]);
}

static bool bridge_exists(const struct topo *t, int host, const char *name)
{
	for (unsigned i = 0; i < t->nbridges; i++)
		if (t->bridges[i].host == host && !strcmp(t->bridges[i].ifname, name))
			return true;
	return false;
}

static int st_link(struct pctx *c, int n, char **w)
{
	struct topo *t = c->t;
	if (n != 3 && !(n == 5 && !strcmp(w[3], "master")))
		return fail(c, "usage: link HOST:IF HOST:IF [master BRIDGE]");
	if (t->nlinks >= TOPO_MAX_LINKS)
		return fail(c, "too many links (at most %d)", TOPO_MAX_LINKS);
	struct topo_link *l = &t->links[t->nlinks];
	memset(l, 0, sizeof(*l));
	int r = ep_parse(c, w[1], &l->a);
	if (r < 0 || (r = ep_parse(c, w[2], &l->b)) < 0)
		return r;
	if (l->a.host == l->b.host)
		return fail(c, "a link joins two different hosts");
	if (n == 5) {
		if (!bridge_exists(t, l->b.host, w[4]))
			return fail(c, "no bridge '%s' in host '%s'", w[4],
				    t->hosts[l->b.host].name);
		snprintf(l->master, sizeof(l->master), "%s", w[4]);
	}
	t->nlinks++;
	return 0;
}

static int st_addr(struct pctx *c, int n, char **w)
{
	struct topo *t = c->t;
	struct topo_ep ep;
	int r = ep_parse(c, w[1], &ep);
	if (r < 0)
		return r;
	if (n < 3)
		return fail(c, "usage: addr HOST:IF PREFIX...");
	for (int i = 2; i < n; i++) {
		if (t->naddrs >= TOPO_MAX_ADDRS)
			return fail(c, "too many addresses (at most %d)", TOPO_MAX_ADDRS);
		struct topo_addr *a = &t->addrs[t->naddrs];
		a->ep = ep;
		if (rtnl_prefix_parse(w[i], 0, &a->pfx) < 0 || !strchr(w[i], '/'))
			return fail(c, "'%s' is not an ADDRESS/LENGTH", w[i]);
		t->naddrs++;
	}
	return 0;
}

static const struct {
	const char *word;
	uint8_t type;
} route_types[] = {
	{"local", RTN_LOCAL},
	{"blackhole", RTN_BLACKHOLE},
	{"unreachable", RTN_UNREACHABLE},
	{"prohibit", RTN_PROHIBIT},
};

/* The gateway and device of a route, or of its current next hop. */
static int route_via_dev(struct pctx *c, const char *key, const char *val, int family,
			 struct rtnl_prefix *gw, char *dev)
{
	if (!strcmp(key, "via")) {
		if (rtnl_prefix_parse(val, family, gw) < 0 || strchr(val, '/'))
			return fail(c, "bad gateway '%s'", val);
	} else {
		if (!name_ok(val))
			return fail(c, "bad interface name '%s'", val);
		snprintf(dev, TOPO_NAME, "%s", val);
	}
	return 0;
}

/* "nexthop" starts a next hop; via, dev and weight after it are its own. */
static int route_nexthop(struct pctx *c, struct topo_route *rt)
{
	if (rt->type != RTN_UNICAST)
		return fail(c, "only a unicast route has next hops");
	if (rt->gw.family || rt->dev[0])
		return fail(c, "'via' and 'dev' of a multipath route go after 'nexthop'");
	if (rt->nnh && !rt->nh[rt->nnh - 1].gw.family && !rt->nh[rt->nnh - 1].dev[0])
		return fail(c, "a nexthop needs 'via GATEWAY' or 'dev IF'");
	if (rt->nnh >= TOPO_MAX_NEXTHOPS)
		return fail(c, "too many next hops (at most %d)", TOPO_MAX_NEXTHOPS);
	rt->nh[rt->nnh++] = (struct topo_nexthop){.weight = 1};
	return 0;
}

static int route_opts(struct pctx *c, int i, int n, char **w, struct topo_route *rt)
{
	while (i < n) {
		if (!strcmp(w[i], "nexthop")) {
			int r = route_nexthop(c, rt);
			if (r < 0)
				return r;
			i++;
			continue;
		}
		if (i + 1 >= n)
			return fail(c, "'%s' needs a value", w[i]);
		struct topo_nexthop *nh = rt->nnh ? &rt->nh[rt->nnh - 1] : NULL;
		if (!strcmp(w[i], "via") || !strcmp(w[i], "dev")) {
			int r = route_via_dev(c, w[i], w[i + 1], rt->dst.family,
					      nh ? &nh->gw : &rt->gw, nh ? nh->dev : rt->dev);
			if (r < 0)
				return r;
			if (nh && nh->gw.family && nh->gw.family != rt->dst.family)
				return fail(c, "next hop '%s' is not of the route's family",
					    w[i + 1]);
		} else if (!strcmp(w[i], "weight") && nh) {
			char *end;
			unsigned long v = strtoul(w[i + 1], &end, 10);
			if (*end || w[i + 1][0] < '1' || w[i + 1][0] > '9' || v > 256)
				return fail(c, "bad weight '%s' (1-256)", w[i + 1]);
			nh->weight = (unsigned)v;
		} else {
			return fail(c, "unknown route option '%s' (known: via, dev, nexthop%s)",
				    w[i], nh ? ", weight" : "");
		}
		i += 2;
	}
	if (rt->nnh && !rt->nh[rt->nnh - 1].gw.family && !rt->nh[rt->nnh - 1].dev[0])
		return fail(c, "a nexthop needs 'via GATEWAY' or 'dev IF'");
	return 0;
}

static int st_route(struct pctx *c, int n, char **w)
{
	struct topo *t = c->t;
	if (t->nroutes >= TOPO_MAX_ROUTES)
		return fail(c, "too many routes (at most %d)", TOPO_MAX_ROUTES);
	struct topo_route *rt = &t->routes[t->nroutes];
	memset(rt, 0, sizeof(*rt));
	int h = host_ref(c, w[1]);
	if (h < 0)
		return h;
	rt->host = h;
	rt->type = RTN_UNICAST;
	int i = 2;
	for (size_t k = 0; i < n && k < sizeof(route_types) / sizeof(route_types[0]); k++)
		if (!strcmp(w[i], route_types[k].word)) {
			rt->type = route_types[k].type;
			i++;
			break;
		}
	if (i >= n)
		return fail(c,
			    "usage: route HOST [local|blackhole|unreachable] DST [via GW] [dev IF] "
			    "[nexthop via GW [dev IF] [weight N]]...");
	/* "default" needs the gateway's family: look ahead for via */
	int fam = 0;
	for (int k = i + 1; k + 1 < n; k++)
		if (!strcmp(w[k], "via"))
			fam = strchr(w[k + 1], ':') ? AF_INET6 : AF_INET;
	if (!strcmp(w[i], "default6"))
		fam = AF_INET6;
	if (rtnl_prefix_parse(!strcmp(w[i], "default6") ? "default" : w[i], fam, &rt->dst) < 0)
		return fail(c, "bad destination '%s'", w[i]);
	int r = route_opts(c, i + 1, n, w, rt);
	if (r < 0)
		return r;
	if (rt->type == RTN_UNICAST && !rt->gw.family && !rt->dev[0] && !rt->nnh)
		return fail(c, "a route needs 'via GATEWAY', 'dev IF' or 'nexthop'");
	t->nroutes++;
	return 0;
}

/* "20", "20ms", "2.5ms", "500us" -> microseconds */
static int dur_parse(const char *s, unsigned *us)
{
	char *end;
	double v = strtod(s, &end);
	double mul = 1000.0;
	if (!strcmp(end, "us"))
		mul = 1.0;
	else if (!strcmp(end, "s"))
		mul = 1e6;
	else if (*end && strcmp(end, "ms"))
		return -EINVAL;
	if (end == s || !(v >= 0) || v * mul > 60e6)
		return -EINVAL;
	*us = (unsigned)(v * mul + 0.5);
	return 0;
}

static int st_impair(struct pctx *c, int n, char **w)
{
	struct topo *t = c->t;
	if (t->nimpairs >= TOPO_MAX_IMPAIRS)
		return fail(c, "too many impairments (at most %d)", TOPO_MAX_IMPAIRS);
	struct topo_impair *im = &t->impairs[t->nimpairs];
	memset(im, 0, sizeof(*im));
	int r = ep_parse(c, w[1], &im->ep);
	if (r < 0)
		return r;
	for (int i = 2; i < n; i += 2) {
		if (i + 1 >= n)
			return fail(c, "'%s' needs a value", w[i]);
		if (!strcmp(w[i], "delay") || !strcmp(w[i], "jitter")) {
			unsigned *dst = w[i][0] == 'd' ? &im->delay_us : &im->jitter_us;
			if (dur_parse(w[i + 1], dst) < 0)
				return fail(c, "bad %s '%s' (e.g. 20ms)", w[i], w[i + 1]);
		} else if (!strcmp(w[i], "loss")) {
			char *end;
			double v = strtod(w[i + 1], &end);
			if (end == w[i + 1] || (*end && strcmp(end, "%")) || !(v >= 0 && v <= 100))
				return fail(c, "bad loss '%s' (a percentage, e.g. 10%%)", w[i + 1]);
			im->loss_ppm = (unsigned)(v * 10000.0 + 0.5);
		} else {
			return fail(c, "unknown impairment '%s' (known: delay, jitter, loss)",
				    w[i]);
		}
	}
	if (im->jitter_us > im->delay_us)
		return fail(c, "jitter larger than the delay");
	t->nimpairs++;
	return 0;
}

static int st_service(struct pctx *c, int n, char **w)
{
	int h = host_ref(c, w[1]);
	if (h < 0)
		return h;
	if (n < 3)
		return fail(c, "usage: service HOST NAME...");
	for (int i = 2; i < n; i++) {
		int s = 0;
		while (s < SVC_COUNT && strcmp(svc_names[s], w[i]))
			s++;
		if (s == SVC_COUNT)
			return fail(c,
				    "unknown service '%s' (known: ssh http redis memcached "
				    "postgres dns)",
				    w[i]);
		c->t->hosts[h].services |= 1ull << s;
	}
	return 0;
}

static int ports_parse(struct pctx *c, const char *s, struct topo_fw *fw)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", s);
	char *save = NULL;
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *end;
		unsigned long p = strtoul(tok, &end, 10);
		if (*end || !*tok || p == 0 || p > 65535)
			return fail(c, "bad port '%s'", tok);
		if (fw->nports >= TOPO_MAX_PORTS)
			return fail(c, "too many ports in one rule (at most %d)", TOPO_MAX_PORTS);
		fw->ports[fw->nports++] = (uint16_t)p;
	}
	if (!fw->nports)
		return fail(c, "no ports");
	return 0;
}

static int st_firewall(struct pctx *c, int n, char **w)
{
	struct topo *t = c->t;
	if (n != 5)
		return fail(c, "usage: firewall HOST drop|reject tcp|udp PORT[,PORT...]");
	if (t->nfw >= TOPO_MAX_FW)
		return fail(c, "too many firewall rules (at most %d)", TOPO_MAX_FW);
	struct topo_fw *fw = &t->fw[t->nfw];
	memset(fw, 0, sizeof(*fw));
	int h = host_ref(c, w[1]);
	if (h < 0)
		return h;
	fw->host = h;
	if (strcmp(w[2], "drop") && strcmp(w[2], "reject"))
		return fail(c, "firewall action is drop or reject, not '%s'", w[2]);
	fw->reject = !strcmp(w[2], "reject");
	if (!strcmp(w[3], "tcp"))
		fw->proto = 6;
	else if (!strcmp(w[3], "udp"))
		fw->proto = 17;
	else
		return fail(c, "firewall protocol is tcp or udp, not '%s'", w[3]);
	int r = ports_parse(c, w[4], fw);
	if (r < 0)
		return r;
	t->nfw++;
	return 0;
}

static int st_asn(struct pctx *c, int n, char **w)
{
	struct topo *t = c->t;
	if (n != 3)
		return fail(c, "usage: asn PREFIX NUMBER");
	if (t->nasn >= TOPO_MAX_ASN)
		return fail(c, "too many asn lines (at most %d)", TOPO_MAX_ASN);
	struct topo_asn *a = &t->asn[t->nasn];
	if (rtnl_prefix_parse(w[1], 0, &a->pfx) < 0 || !strchr(w[1], '/'))
		return fail(c, "'%s' is not a PREFIX/LENGTH", w[1]);
	char *end;
	const char *num = !strncmp(w[2], "AS", 2) ? w[2] + 2 : w[2];
	unsigned long v = strtoul(num, &end, 10);
	if (*end || !*num || v == 0 || v > 4294967295ul)
		return fail(c, "bad AS number '%s'", w[2]);
	a->asn = (uint32_t)v;
	t->nasn++;
	return 0;
}

static int st_resolver(struct pctx *c, int n, char **w)
{
	if (n != 2)
		return fail(c, "usage: resolver HOST");
	int h = host_ref(c, w[1]);
	if (h < 0)
		return h;
	c->t->resolver = h;
	return 0;
}

static const struct {
	const char *word;
	int min_words;
	int (*fn)(struct pctx *c, int n, char **w);
} statements[] = {
	{"host", 2, st_host},	      {"bridge", 2, st_bridge},	    {"link", 3, st_link},
	{"addr", 2, st_addr},	      {"route", 3, st_route},	    {"impair", 2, st_impair},
	{"service", 2, st_service},   {"firewall", 2, st_firewall}, {"asn", 2, st_asn},
	{"resolver", 2, st_resolver},
};

static int statement(struct pctx *c, int n, char **w)
{
	for (size_t i = 0; i < sizeof(statements) / sizeof(statements[0]); i++) {
		if (strcmp(w[0], statements[i].word))
			continue;
		if (n < statements[i].min_words)
			return fail(c, "'%s' needs more words", w[0]);
		return statements[i].fn(c, n, w);
	}
	return fail(c, "unknown statement '%s'", w[0]);
}

/* Links are checked once everything is declared: interface names must be
 * unique per host, and addresses must name existing interfaces. */
static bool iface_exists(const struct topo *t, const struct topo_ep *ep)
{
	if (!strcmp(ep->ifname, "lo"))
		return true;
	for (unsigned i = 0; i < t->nlinks; i++) {
		const struct topo_link *l = &t->links[i];
		if ((l->a.host == ep->host && !strcmp(l->a.ifname, ep->ifname)) ||
		    (l->b.host == ep->host && !strcmp(l->b.ifname, ep->ifname)))
			return true;
	}
	return bridge_exists(t, ep->host, ep->ifname);
}

static int check(struct pctx *c)
{
	const struct topo *t = c->t;
	c->line = 0;
	for (unsigned i = 0; i < t->naddrs; i++)
		if (!iface_exists(t, &t->addrs[i].ep))
			return fail(c, "address on unknown interface %s:%s",
				    t->hosts[t->addrs[i].ep.host].name, t->addrs[i].ep.ifname);
	for (unsigned i = 0; i < t->nimpairs; i++)
		if (!iface_exists(t, &t->impairs[i].ep))
			return fail(c, "impairment on unknown interface %s:%s",
				    t->hosts[t->impairs[i].ep.host].name, t->impairs[i].ep.ifname);
	for (unsigned i = 0; i < t->nlinks; i++)
		for (unsigned j = 0; j < i; j++) {
			const struct topo_ep *e[2] = {&t->links[i].a, &t->links[i].b};
			const struct topo_ep *f[2] = {&t->links[j].a, &t->links[j].b};
			for (int x = 0; x < 4; x++)
				if (e[x / 2]->host == f[x % 2]->host &&
				    !strcmp(e[x / 2]->ifname, f[x % 2]->ifname))
					return fail(c, "interface %s:%s used twice",
						    t->hosts[e[x / 2]->host].name,
						    e[x / 2]->ifname);
		}
	if (!t->nhosts)
		return fail(c, "no hosts");
	if (t->resolver >= 0 && !(t->hosts[t->resolver].services & (1ull << SVC_DNS)))
		return fail(c, "resolver %s runs no dns service", t->hosts[t->resolver].name);
	return 0;
}

int topo_parse(const char *text, struct topo *t, char *err, size_t errsize)
{
	memset(t, 0, sizeof(*t));
	t->resolver = -1;
	struct pctx c = {t, err, errsize, 0};
	const char *p = text;
	while (*p) {
		c.line++;
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[1024];
		if (len >= sizeof(line))
			return fail(&c, "line too long");
		memcpy(line, p, len);
		line[len] = '\0';
		p += len + (nl ? 1 : 0);
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *w[MAX_WORDS];
		int n = 0;
		char *save = NULL;
		for (char *tok = strtok_r(line, " \t\r", &save); tok;
		     tok = strtok_r(NULL, " \t\r", &save)) {
			if (n == MAX_WORDS)
				return fail(&c, "too many words");
			w[n++] = tok;
		}
		if (n == 0)
			continue;
		int r = statement(&c, n, w);
		if (r < 0)
			return r;
	}
	return check(&c);
}

const struct rtnl_prefix *topo_host_addr(const struct topo *t, int host, int family)
{
	for (unsigned i = 0; i < t->naddrs; i++)
		if (t->addrs[i].ep.host == host && t->addrs[i].pfx.family == family)
			return &t->addrs[i].pfx;
	return NULL;
}

int topo_dns_host(const struct topo *t)
{
	if (t->resolver >= 0)
		return t->resolver;
	for (unsigned i = 0; i < t->nhosts; i++)
		if (t->hosts[i].services & (1ull << SVC_DNS))
			return (int)i;
	return -1;
}
