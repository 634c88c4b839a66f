/* SPDX-License-Identifier: Apache-2.0 */
/* Formatting pieces every nmap output shares: addresses, times, nmap's
 * significant-digit numbers, service names and the "ignored states"
 * rule that decides which ports the port table leaves out. */
#include "cmd/nmap/nmap.h"

#include <arpa/inet.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *nmap_addr_str(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	const void *a = ss->ss_family == AF_INET6
				? (const void *)&((const struct sockaddr_in6 *)ss)->sin6_addr
				: (const void *)&((const struct sockaddr_in *)ss)->sin_addr;
	if (!inet_ntop(ss->ss_family, a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

void nmap_ctime(double t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	strftime(buf, len, "%a %b %e %H:%M:%S %Y", &tm);
	/* ctime pads the day with a space, as strftime's %e does */
}

void nmap_sigdig(double v, int digits, char *buf, size_t len)
{
	if (v <= 0 || !isfinite(v)) {
		snprintf(buf, len, "0");
		return;
	}
	int mag = (int)floor(log10(v));
	int prec = digits - 1 - mag;
	if (prec < 0)
		prec = 0;
	snprintf(buf, len, "%.*f", prec, v);
}

void nmap_bytecount(unsigned long long bytes, char *buf, size_t len)
{
	if (bytes < 1000)
		snprintf(buf, len, "%lluB", bytes);
	else if (bytes < 1000000)
		snprintf(buf, len, "%.3fKB", (double)bytes / 1e3);
	else if (bytes < 1000000000)
		snprintf(buf, len, "%.3fMB", (double)bytes / 1e6);
	else
		snprintf(buf, len, "%.3fGB", (double)bytes / 1e9);
}

const char *nmap_proto_name(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP: return "tcp";
	case IPPROTO_UDP: return "udp";
	case IPPROTO_SCTP: return "sctp";
	default: return "ip";
	}
}

const char *nmap_service_name(const struct nmap_ctx *c, const struct port_result *p)
{
	if (c->o.cfg.scans & SCAN_IPPROTO && p->proto != IPPROTO_TCP && p->proto != IPPROTO_UDP &&
	    p->proto != IPPROTO_SCTP) {
		const char *n = svc_proto_name(&c->svc, p->port);
		return n ? n : "unknown";
	}
	const struct svc_entry *e = svc_lookup(&c->svc, p->proto, p->port);
	return e ? e->name : "unknown";
}

/* nmap leaves a state out of the table when more than this many ports
 * share it (never open ports): 25, times verbosity + 1 (-v 50, -vv 75),
 * plus 20 for each debug level (-d 550, -dd 1075); -d3 and more show
 * every port. Measured on nmap 7.93; -sO with -d shows fewer (125 at
 * -d) by a rule not pinned down here, so -sO keeps the verbosity one. */
static size_t ignore_threshold(const struct nmap_ctx *c)
{
	if (c->o.debug > 2)
		return (size_t)-1;
	size_t f = (size_t)(c->o.verbose > 0 ? c->o.verbose : 0) + 1;
	if (!(c->o.cfg.scans & SCAN_IPPROTO))
		f += 20 * (size_t)(c->o.debug > 0 ? c->o.debug : 0);
	return 25 * f;
}

static int ig_cmp(const void *a, const void *b)
{
	const struct nmap_ig_entry *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return (int)x->state - (int)y->state;
}

void nmap_ignored_states(const struct nmap_ctx *c, const struct host *h, struct nmap_ignored *ig)
{
	size_t cnt[PORT_STATE_MAX] = {0};
	memset(ig, 0, sizeof(*ig));
	for (size_t i = 0; i < h->nports; i++)
		if (h->ports[i].state < PORT_STATE_MAX)
			cnt[h->ports[i].state]++;
	for (int s = 0; s < PORT_STATE_MAX; s++) {
		bool never = s == PORT_OPEN || s == PORT_UNKNOWN;
		bool ign = !never && (cnt[s] > ignore_threshold(c) ||
				      (c->o.open_only && s != PORT_OPEN_FILTERED &&
				       s != PORT_UNFILTERED && cnt[s]));
		if (ign) {
			ig->state[ig->n] = (uint8_t)s;
			ig->count[ig->n] = cnt[s];
			ig->n++;
		}
	}
	/* nmap lists the biggest group first */
	struct nmap_ig_entry v[PORT_STATE_MAX] = {0};
	for (size_t i = 0; i < ig->n; i++)
		v[i] = (struct nmap_ig_entry){ig->state[i], ig->count[i]};
	qsort(v, ig->n, sizeof(v[0]), ig_cmp);
	for (size_t i = 0; i < ig->n; i++) {
		ig->state[i] = v[i].state;
		ig->count[i] = v[i].count;
	}
}

static int group_cmp(const void *a, const void *b)
{
	const struct nmap_rgroup *x = a, *y = b;
	if (x->proto_rank != y->proto_rank)
		return x->proto_rank - y->proto_rank;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(reason_name(x->reason), reason_name(y->reason));
}

static int proto_rank(uint8_t proto)
{
	return proto == IPPROTO_TCP ? 0 : proto == IPPROTO_UDP ? 1 : proto == IPPROTO_SCTP ? 2 : 3;
}

size_t nmap_reason_groups(const struct host *h, uint8_t state, struct nmap_rgroup *out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < h->nports; i++) {
		const struct port_result *p = &h->ports[i];
		if (p->state != state)
			continue;
		int rank = proto_rank(p->proto);
		size_t g = 0;
		while (g < n && !(out[g].proto_rank == rank && out[g].reason == p->reason))
			g++;
		if (g == n) {
			if (n == max)
				continue;
			out[n] = (struct nmap_rgroup){.proto = rank == 3 ? 0 : p->proto,
						      .proto_rank = rank,
						      .reason = p->reason};
			n++;
		}
		out[g].count++;
	}
	qsort(out, n, sizeof(*out), group_cmp);
	return n;
}

bool nmap_is_ignored(const struct nmap_ignored *ig, uint8_t state)
{
	for (size_t i = 0; i < ig->n; i++)
		if (ig->state[i] == state)
			return true;
	return false;
}

size_t nmap_nscanned(const struct nmap_ctx *c)
{
	const struct scan_config *cfg = &c->o.cfg;
	return cfg->tcp_ports.n + cfg->udp_ports.n + cfg->sctp_ports.n + cfg->protos.n;
}

const char *nmap_other_addresses(const struct nmap_ctx *c, const struct host *h)
{
	if (!h->target_name)
		return NULL;
	/* the spec this host came from: few names, a linear look is enough */
	for (size_t i = 0; i < c->targets.n; i++) {
		const struct target_spec *t = &c->targets.v[i];
		if (t->kind == TGT_NAME && t->resolved && t->others && t->prefix < 0 &&
		    !strcmp(t->name, h->target_name) && t->addr.ss_family == h->addr.ss_family &&
		    !memcmp(&t->addr, &h->addr,
			    h->addr.ss_family == AF_INET ? sizeof(struct sockaddr_in)
							 : sizeof(struct sockaddr_in6)))
			return t->others;
	}
	return NULL;
}

const struct port_service *nmap_port_svc(const struct nmap_ctx *c, const struct host *h,
					 const struct port_result *p)
{
	const struct port_service *ps = host_service(h, p->proto, p->port);
	/* without -sV only a record a script made (nmap.set_port_version) */
	return c->o.cfg.version.on || (ps && ps->by_script) ? ps : NULL;
}

const char *nmap_service_col(const struct nmap_ctx *c, const struct host *h,
			     const struct port_result *p, bool qmark, char *buf, size_t len)
{
	const struct port_service *ps = nmap_port_svc(c, h, p);
	if (!ps)
		return nmap_service_name(c, p);
	/* text outputs say the tunnel in the name: "ssl/http" (XML: tunnel="ssl") */
	const char *ssl = ps->tunnel_ssl && qmark ? "ssl/" : "";
	if (ps->kind == PSVC_UNRECOGNIZED) {
		/* the table's name, guessed: "?"; a port it does not name stays
		 * "unknown", no guess (as nmap 7.93 prints it) */
		const char *name = nmap_service_name(c, p);
		snprintf(buf, len, "%s%s%s", ssl, name,
			 qmark && strcmp(name, "unknown") ? "?" : "");
		return buf;
	}
	snprintf(buf, len, "%s%s", ssl, ps->m.service);
	return buf;
}

void nmap_version_col(const struct port_service *ps, char *buf, size_t len)
{
	buf[0] = '\0';
	if (!ps || ps->kind == PSVC_UNRECOGNIZED || ps->kind == PSVC_TCPWRAPPED)
		return;
	const struct svc_match *m = &ps->m;
	size_t k = 0;
	const char *parts[] = {m->product, m->version};
	for (size_t i = 0; i < 2; i++)
		if (*parts[i] && k < len)
			k += (size_t)snprintf(buf + k, len - k, "%s%s", k ? " " : "", parts[i]);
	if (*m->info && k < len)
		snprintf(buf + k, len - k, "%s(%s)", k ? " " : "", m->info);
}

/* One "Key: a, b" part of the Service Info line (Keys when several). */
static size_t info_part(char *buf, size_t len, size_t k, const char *one, const char *many,
			const char *const *vals, size_t n)
{
	if (!n || k >= len)
		return k;
	k += (size_t)snprintf(buf + k, len - k, "%s%s: ", k ? "; " : "", n > 1 ? many : one);
	for (size_t i = 0; i < n && k < len; i++)
		k += (size_t)snprintf(buf + k, len - k, "%s%s", i ? ", " : "", vals[i]);
	return k;
}

static size_t add_unique(const char **v, size_t n, size_t max, const char *s)
{
	if (!*s || n >= max)
		return n;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return n;
	v[n] = s;
	return n + 1;
}

void nmap_service_info(const struct nmap_ctx *c, const struct host *h, char *buf, size_t len)
{
	enum { MAXV = 16 };
	const char *hosts[MAXV], *oss[MAXV], *devs[MAXV], *cpes[MAXV];
	size_t nh = 0, no = 0, nd = 0, nc = 0;
	buf[0] = '\0';
	/* in port order, as nmap lists them */
	for (size_t i = 0; i < h->nports; i++) {
		const struct port_service *ps = nmap_port_svc(c, h, &h->ports[i]);
		if (!ps || (ps->kind != PSVC_MATCHED && ps->kind != PSVC_SOFT))
			continue;
		const struct svc_match *m = &ps->m;
		nh = add_unique(hosts, nh, MAXV, m->hostname);
		no = add_unique(oss, no, MAXV, m->ostype);
		nd = add_unique(devs, nd, MAXV, m->devicetype);
		for (unsigned k = 0; k < m->ncpe; k++)
			if (!strncmp(m->cpe[k], "cpe:/o", 6) || !strncmp(m->cpe[k], "cpe:/h", 6))
				nc = add_unique(cpes, nc, MAXV, m->cpe[k]);
	}
	size_t k = 0;
	k = info_part(buf, len, k, "Host", "Hosts", hosts, nh);
	k = info_part(buf, len, k, "OS", "OSs", oss, no);
	k = info_part(buf, len, k, "Device", "Devices", devs, nd);
	info_part(buf, len, k, "CPE", "CPEs", cpes, nc);
}
