/* SPDX-License-Identifier: Apache-2.0 */
/* Reverse DNS for scan results: PTR lookups through the shared c-ares
 * resolver (lib/dns), hundreds in flight at once, each with a short
 * timeout, so a dead server costs a few seconds for the whole group, not
 * a timeout per host. --system-dns uses getnameinfo(), one at a time, as
 * nmap's does. */
#include "engine/nmap/internal.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "lib/dns/dns.h"

#define RDNS_INFLIGHT 512
#define RDNS_TIMEOUT_MS 1000
#define RDNS_TRIES 2

static bool wants_name(const struct scan_config *cfg, const struct host *h)
{
	if (h->rdns)
		return false;
	return cfg->resolve == 2 || cfg->list_only || h->status == HOST_UP;
}

static socklen_t sa_len(const struct host *h)
{
	return h->addr.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
					     : sizeof(struct sockaddr_in);
}

static int rdns_system(const struct scan_config *cfg, struct host *hosts, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct host *h = &hosts[i];
		char name[NI_MAXHOST];
		if (wants_name(cfg, h) &&
		    getnameinfo((const struct sockaddr *)&h->addr, sa_len(h), name, sizeof(name),
				NULL, 0, NI_NAMEREQD) == 0)
			h->rdns = strdup(name);
	}
	return 0;
}

static void got_name(void *arg, enum dns_status st, const char *name)
{
	struct host *h = arg;
	if (st == DNS_OK && name && *name && !h->rdns)
		h->rdns = strdup(name);
}

size_t rdns_wanted(const struct scan_config *cfg, const struct host *hosts, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; cfg->resolve != 1 && i < n; i++)
		k += wants_name(cfg, &hosts[i]);
	return k;
}

int scan_rdns(const struct scan_config *cfg, struct host *hosts, size_t n)
{
	if (cfg->resolve == 1)
		return 0;
	if (cfg->system_dns)
		return rdns_system(cfg, hosts, n);
	struct dns_opts o = {
		.timeout_ms = RDNS_TIMEOUT_MS, .tries = RDNS_TRIES, .servers = cfg->dns_servers};
	struct dns *d;
	int r = dns_open(&d, &o);
	if (r < 0)
		return r;
	size_t next = 0;
	while (next < n || dns_pending(d)) {
		while (next < n && dns_pending(d) < RDNS_INFLIGHT) {
			struct host *h = &hosts[next++];
			if (wants_name(cfg, h))
				(void)dns_ptr(d, (const struct sockaddr *)&h->addr, got_name, h);
		}
		if (!dns_pending(d))
			continue;
		struct pollfd p[64];
		int np = dns_pollfds(d, p, 64);
		int to = dns_timeout_ms(d, 100);
		if (poll(p, (nfds_t)(np > 0 ? np : 0), to) < 0 && errno != EINTR)
			break;
		dns_process(d, p, np > 0 ? np : 0);
	}
	dns_close(d);
	return 0;
}
