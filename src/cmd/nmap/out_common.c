/* Formatting pieces every nmap output shares: addresses, times, nmap's
 * significant-digit numbers, service names and the "ignored states"
 * rule that decides which ports the port table leaves out. */
#include "cmd/nmap/nmap.h"

#include <arpa/inet.h>
#include <math.h>
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
 * share it (fewer with more verbosity, never open ports). */
static size_t ignore_threshold(const struct nmap_ctx *c)
{
	return c->o.debug > 2 ? (size_t)-1 : 25;
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
