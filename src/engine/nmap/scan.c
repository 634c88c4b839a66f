/* SPDX-License-Identifier: Apache-2.0 */
/* The nmap engine's pipeline (engine/scan.h): hostgroups of targets go
 * through discovery -> reverse DNS -> port scans, and each finished host
 * is handed to the front end. Raw sockets are opened once, up front, and
 * the capabilities that only opening them needed are dropped at once. */
#include "engine/nmap/internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <net/if.h>

#include "engine/script/nse.h"
#include "engine/service/service.h"
#include "lib/nl/nl.h"
#include "lib/util/priv.h"

#define MAX_GROUP_ITEMS (1u << 20)
#define MAX_PING_GROUP 65536

bool scan_have_raw(void)
{
	int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

void scan_config_defaults(struct scan_config *cfg, bool have_raw)
{
	if (cfg->list_only || cfg->ping_only)
		return;
	if (!cfg->scans)
		cfg->scans = have_raw && !cfg->unprivileged ? SCAN_SYN : SCAN_CONNECT;
}

static double wall_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void engine_event(const struct engine *e, struct scan_event *ev)
{
	const struct scan_hooks *hk = &e->cfg->hooks;
	if (!hk->event)
		return;
	ev->when = wall_now();
	hk->event(hk->ctx, ev);
}

void engine_found_open(const struct engine *e, const struct raw_run *run, size_t item,
		       uint8_t reason, uint8_t ttl)
{
	if (!e->cfg->hooks.event)
		return;
	const struct probe_def *d = &run->probes[item / run->nhosts];
	struct port_result p = {.port = d->port,
				.proto = d->kind == PK_UDP    ? IPPROTO_UDP
					 : d->kind == PK_TCP  ? IPPROTO_TCP
					 : d->kind == PK_SCTP ? IPPROTO_SCTP
							      : 0, /* -sO: "1/ip" */
				.state = PORT_OPEN,
				.reason = reason,
				.reason_ttl = ttl};
	struct scan_event ev = {.kind = SCAN_EV_OPEN,
				.task = TASK_PORTS,
				.scan = run->scan,
				.h = run->hosts[item % run->nhosts].h,
				.port = &p};
	engine_event(e, &ev);
}

void engine_found_up(const struct engine *e, const struct host *h)
{
	struct scan_event ev = {.kind = SCAN_EV_UP, .h = h};
	engine_event(e, &ev);
}

void engine_trace(const struct engine *e, enum trace_dir dir, double when, const void *pkt,
		  size_t len)
{
	const struct scan_hooks *hk = &e->cfg->hooks;
	if (hk->packet_trace)
		hk->packet_trace(hk->ctx, dir, when - e->t_start, pkt, len);
}

void engine_progress(const struct engine *e, double t0, double done)
{
	const struct scan_hooks *hk = &e->cfg->hooks;
	if (!hk->progress || done <= 0)
		return;
	double el = io_now() - t0;
	hk->progress(hk->ctx, NULL, done > 1 ? 1 : done, done < 1 ? el * (1 - done) / done : 0);
}

/* A task's begin and end events around fn. */
static void task_event(const struct engine *e, enum scan_event_kind kind, enum scan_task task,
		       unsigned scan, const struct rhost *rh, size_t nh, size_t nprobes, double t0)
{
	struct scan_event ev = {.kind = kind,
				.task = task,
				.scan = scan,
				.nhosts = nh,
				.nprobes = nprobes,
				.h = nh == 1 && rh ? rh[0].h : NULL,
				.elapsed = io_now() - t0};
	for (size_t i = 0; kind == SCAN_EV_END && task == TASK_PORTS && rh && i < nh; i++)
		ev.ntimedout += rh[i].h->timed_out;
	engine_event(e, &ev);
}

void rhost_rtt_sample(struct rhost *rh, double r)
{
	if (rh->srtt <= 0) {
		rh->srtt = r;
		rh->rttvar = r > 0.005 ? r : 0.005;
	} else {
		rh->rttvar += (fabs(r - rh->srtt) - rh->rttvar) / 4;
		rh->srtt += (r - rh->srtt) / 8;
	}
}

void host_add_port_result(struct host *h, uint8_t proto, uint16_t port, uint8_t state,
			  uint8_t reason, uint8_t ttl)
{
	struct port_result p = {
		.port = port, .proto = proto, .state = state, .reason = reason, .reason_ttl = ttl};
	(void)host_add_port(h, &p);
}

static void addr_of_host(const struct host *h, struct pkt_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (h->addr.ss_family == AF_INET6)
		pkt_addr6(a, &((const struct sockaddr_in6 *)&h->addr)->sin6_addr);
	else
		pkt_addr4(a, &((const struct sockaddr_in *)&h->addr)->sin_addr);
}

/* Routes for a group, looked up once per /24 (IPv4) or /64 (IPv6): a
 * sweep of a /16 costs 256 netlink round trips, not 65,536. */
static int group_routes(const struct scan_config *cfg, struct nl_sock *nl, struct rhost *rh,
			size_t n)
{
	int oif = cfg->iface[0] ? (int)if_nametoindex(cfg->iface) : 0;
	struct pkt_addr last = {0};
	struct route_info lri = {0};
	int lr = -1;
	for (size_t i = 0; i < n; i++) {
		const struct pkt_addr *a = &rh[i].addr;
		size_t plen = a->family == AF_INET6 ? 8 : 3;
		bool same = lr >= 0 && last.family == a->family && !memcmp(last.b, a->b, plen) &&
			    !lri.local && !lri.direct && !lri.loopback;
		if (!same) {
			lr = route_lookup(nl, a, oif, &lri);
			last = *a;
		}
		if (lr < 0) {
			memset(&rh[i].ri, 0, sizeof(rh[i].ri));
			continue;
		}
		rh[i].ri = lri;
		if (lri.local)
			rh[i].ri.src = *a;
		if (cfg->source.ss_family == (a->family == AF_INET6 ? AF_INET6 : AF_INET)) {
			/* -S: the source the user gave (replies reach us only if
			 * it is ours or routed back to us) */
			struct host tmp = {.addr = cfg->source};
			addr_of_host(&tmp, &rh[i].ri.src);
		}
	}
	return 0;
}

/* nmap looks the route up, and skips the target without one, when raw
 * packets would go to it: any discovery probe (not -Pn) or a raw scan
 * type. A -Pn connect scan just tries (and gets net-unreach). */
static bool raw_port_scan(const struct scan_config *cfg)
{
	unsigned raw = SCAN_SYN | SCAN_ACK | SCAN_FIN | SCAN_NULL | SCAN_XMAS | SCAN_UDP |
		       SCAN_IPPROTO | SCAN_WINDOW | SCAN_MAIMON | SCAN_SCTP_INIT | SCAN_SCTP_COOKIE;
	return !cfg->list_only && !cfg->ping_only && (cfg->scans & raw);
}

static bool needs_route(const struct engine *e)
{
	const struct scan_config *cfg = e->cfg;
	return e->raw && !cfg->list_only && (!cfg->skip_discovery || raw_port_scan(cfg));
}

/* nmap sends its raw probes to a host on the LAN as Ethernet frames, so
 * even with -Pn it first resolves the host's MAC: one that does not
 * answer ARP/ND is down (no-response), one that does is up with
 * arp-response / nd-response. --send-ip, --disable-arp-ping and a
 * connect scan go without. */
static bool pn_resolves(const struct engine *e, const struct rhost *rh)
{
	const struct scan_config *cfg = e->cfg;
	return e->raw && rh->ri.direct && !cfg->disable_arp && !cfg->send_ip && raw_port_scan(cfg);
}

static int discovery_probes(const struct scan_config *cfg, bool v6, struct probe_def *pd,
			    size_t max)
{
	size_t n = 0;
	unsigned pings = cfg->pings & ~(unsigned)PING_ARP;
	bool dflt = cfg->pings == 0;
	if (dflt)
		pings = PING_ICMP_ECHO | PING_TCP_SYN | PING_TCP_ACK | PING_ICMP_TS;
	if ((pings & PING_ICMP_ECHO) && n < max)
		pd[n++] = (struct probe_def){.kind = PK_ECHO};
	if (pings & PING_TCP_SYN) {
		if (cfg->ping_syn_ports.n)
			for (size_t i = 0; i < cfg->ping_syn_ports.n && n < max; i++)
				pd[n++] = (struct probe_def){PK_TCP, PKT_TCP_SYN,
							     cfg->ping_syn_ports.ports[i]};
		else if (n < max)
			pd[n++] = (struct probe_def){PK_TCP, PKT_TCP_SYN, dflt ? 443 : 80};
	}
	if (pings & PING_TCP_ACK) {
		if (cfg->ping_ack_ports.n)
			for (size_t i = 0; i < cfg->ping_ack_ports.n && n < max; i++)
				pd[n++] = (struct probe_def){PK_TCP, PKT_TCP_ACK,
							     cfg->ping_ack_ports.ports[i]};
		else if (n < max)
			pd[n++] = (struct probe_def){PK_TCP, PKT_TCP_ACK, 80};
	}
	if (pings & PING_UDP) {
		if (cfg->ping_udp_ports.n)
			for (size_t i = 0; i < cfg->ping_udp_ports.n && n < max; i++)
				pd[n++] =
					(struct probe_def){PK_UDP, 0, cfg->ping_udp_ports.ports[i]};
		else if (n < max)
			pd[n++] = (struct probe_def){PK_UDP, 0, 40125};
	}
	if (pings & PING_SCTP) { /* -PY: an INIT; any answer, even an error, is a sign of life */
		if (cfg->ping_sctp_ports.n)
			for (size_t i = 0; i < cfg->ping_sctp_ports.n && n < max; i++)
				pd[n++] = (struct probe_def){PK_SCTP, PKT_SCTP_INIT,
							     cfg->ping_sctp_ports.ports[i]};
		else if (n < max)
			pd[n++] = (struct probe_def){PK_SCTP, PKT_SCTP_INIT, 80};
	}
	/* ICMPv6 has no timestamp or address mask messages */
	if ((pings & PING_ICMP_TS) && !v6 && n < max)
		pd[n++] = (struct probe_def){.kind = PK_TSTAMP};
	if ((pings & PING_ICMP_MASK) && !v6 && n < max)
		pd[n++] = (struct probe_def){.kind = PK_MASK};
	return (int)n;
}

static int run_discovery(struct engine *e, struct rhost *rh, size_t n)
{
	const struct scan_config *cfg = e->cfg;
	struct rhost *lan = calloc(n, sizeof(*lan)), *ip = calloc(n, sizeof(*ip));
	size_t nlan = 0, nip = 0;
	int r = 0;
	if (!lan || !ip) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct host *h = rh[i].h;
		if (h->status == HOST_UP && h->reason) {
			rh[i].up = true; /* a resumed scan's host: known up */
			continue;
		}
		if (h->status == HOST_SKIPPED) {
			continue;
		} else if (cfg->skip_discovery && !pn_resolves(e, &rh[i])) {
			h->status = HOST_UP;
			h->reason = REASON_USER_SET;
		} else if (rh[i].ri.local) {
			h->status = HOST_UP;
			h->reason = REASON_LOCALHOST_RESPONSE;
		} else if (!rh[i].ri.src.family) {
			continue;
		} else if (e->raw && rh[i].ri.direct && !cfg->disable_arp && !cfg->send_ip) {
			lan[nlan++] = rh[i];
		} else {
			ip[nip++] = rh[i];
		}
		if (h->status == HOST_UP)
			rh[i].up = true;
	}
	if (nlan) {
		struct probe_def pd = {.kind = cfg->af == AF_INET6 ? PK_ND : PK_ARP};
		struct raw_run run = {RUN_DISCOVERY, 0, lan, nlan, &pd, 1};
		enum scan_task t = pd.kind == PK_ND ? TASK_ND : TASK_ARP;
		double t0 = io_now();
		task_event(e, SCAN_EV_BEGIN, t, 0, lan, nlan, 1, t0);
		if ((r = raw_scan(e, &run)) < 0)
			goto out;
		task_event(e, SCAN_EV_END, t, 0, lan, nlan, 1, t0);
	}
	if (nip) {
		struct probe_def pd[64];
		int np;
		if (e->raw) {
			np = discovery_probes(cfg, cfg->af == AF_INET6, pd, 64);
		} else {
			/* unprivileged: connects to the -PS/-PA ports, by default
			 * (and when only raw probes were asked for) 80 and 443 */
			struct probe_def all[64];
			int na = cfg->pings ? discovery_probes(cfg, cfg->af == AF_INET6, all, 64)
					    : 0;
			np = 0;
			for (int i = 0; i < na; i++)
				if (all[i].kind == PK_TCP)
					pd[np++] = (struct probe_def){PK_TCP, PKT_TCP_SYN,
								      all[i].port};
			if (!np) {
				pd[np++] = (struct probe_def){PK_TCP, PKT_TCP_SYN, 80};
				pd[np++] = (struct probe_def){PK_TCP, PKT_TCP_SYN, 443};
			}
		}
		struct raw_run run = {RUN_DISCOVERY, 0, ip, nip, pd, (size_t)np};
		double t0 = io_now();
		task_event(e, SCAN_EV_BEGIN, TASK_PING, 0, ip, nip, (size_t)np, t0);
		r = e->raw ? raw_scan(e, &run) : connect_scan(e, &run);
		if (r < 0)
			goto out;
		task_event(e, SCAN_EV_END, TASK_PING, 0, ip, nip, (size_t)np, t0);
	}
	/* copy the answers back (the runs worked on copies) */
	for (size_t i = 0, j = 0, k = 0; i < n; i++) {
		const struct rhost *from = NULL;
		if (j < nlan && lan[j].h == rh[i].h)
			from = &lan[j++];
		else if (k < nip && ip[k].h == rh[i].h)
			from = &ip[k++];
		if (from) {
			rh[i].up = from->up;
			rh[i].srtt = from->srtt;
			rh[i].rttvar = from->rttvar;
		}
	}
out:
	free(lan);
	free(ip);
	return r;
}

/* The TCP flags of a scan type's probes: --scanflags replaces them (the
 * type still says how answers are read), Maimon's are FIN/ACK. */
static int tcp_flags_for(const struct scan_config *cfg, unsigned scan)
{
	if (scan == SCAN_SCTP_INIT || scan == SCAN_SCTP_COOKIE)
		return scan == SCAN_SCTP_INIT ? PKT_SCTP_INIT : PKT_SCTP_COOKIE_ECHO;
	if (cfg->scanflags >= 0 && scan != SCAN_UDP && scan != SCAN_IPPROTO)
		return cfg->scanflags;
	switch (scan) {
	case SCAN_SYN: return PKT_TCP_SYN;
	case SCAN_ACK:
	case SCAN_WINDOW: return PKT_TCP_ACK;
	case SCAN_MAIMON: return PKT_TCP_FIN | PKT_TCP_ACK;
	case SCAN_FIN: return PKT_TCP_FIN;
	case SCAN_NULL: return PKT_TCP_NULL;
	case SCAN_XMAS: return PKT_TCP_XMAS;
	}
	return -1;
}

/* A resumed scan's hosts may hold every port of a scan type already (it
 * was interrupted in the next one): that scan does not run again, not
 * even as a task that ends at once. */
static bool all_known(const struct rhost *up, size_t nup, unsigned scan, size_t nports)
{
	bool sctp = scan == SCAN_SCTP_INIT || scan == SCAN_SCTP_COOKIE;
	uint8_t proto = scan == SCAN_UDP       ? IPPROTO_UDP
			: scan == SCAN_IPPROTO ? 0
			: sctp		       ? IPPROTO_SCTP
					       : IPPROTO_TCP;
	for (size_t i = 0; i < nup; i++) {
		size_t k = 0;
		const struct host *h = up[i].h;
		for (size_t j = 0; j < h->nports; j++)
			k += h->ports[j].proto == proto;
		if (k < nports)
			return false;
	}
	return true;
}

static int run_ports(struct engine *e, struct rhost *up, size_t nup)
{
	const struct scan_config *cfg = e->cfg;
	static const unsigned order[] = {
		SCAN_SYN,  SCAN_CONNECT, SCAN_ACK, SCAN_WINDOW,	   SCAN_MAIMON,	     SCAN_FIN,
		SCAN_NULL, SCAN_XMAS,	 SCAN_UDP, SCAN_SCTP_INIT, SCAN_SCTP_COOKIE, SCAN_IPPROTO};
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		unsigned scan = order[k];
		if (!(cfg->scans & scan))
			continue;
		bool sctp = scan == SCAN_SCTP_INIT || scan == SCAN_SCTP_COOKIE;
		const struct port_list *pl = scan == SCAN_UDP	    ? &cfg->udp_ports
					     : scan == SCAN_IPPROTO ? &cfg->protos
					     : sctp		    ? &cfg->sctp_ports
								    : &cfg->tcp_ports;
		if (!pl->n || all_known(up, nup, scan, pl->n))
			continue;
		struct probe_def *pd = calloc(pl->n, sizeof(*pd));
		if (!pd)
			return -ENOMEM;
		for (size_t i = 0; i < pl->n; i++) {
			pd[i].port = pl->ports[i];
			pd[i].kind = scan == SCAN_UDP	    ? PK_UDP
				     : scan == SCAN_IPPROTO ? PK_PROTO
				     : sctp		    ? PK_SCTP
							    : PK_TCP;
			int fl = tcp_flags_for(cfg, scan);
			pd[i].flags = fl < 0 ? PKT_TCP_SYN : (uint8_t)fl;
		}
		struct timing saved = e->tm;
		timing_resolve(&cfg->timing, scan == SCAN_UDP || scan == SCAN_IPPROTO, &e->tm);
		struct raw_run run = {RUN_PORTS, scan, up, nup, pd, pl->n};
		double t0 = io_now();
		task_event(e, SCAN_EV_BEGIN, TASK_PORTS, scan, up, nup, pl->n, t0);
		int r = scan == SCAN_CONNECT ? connect_scan(e, &run) : raw_scan(e, &run);
		if (r == 0)
			task_event(e, SCAN_EV_END, TASK_PORTS, scan, up, nup, pl->n, t0);
		e->tm = saved;
		free(pd);
		if (r < 0)
			return r;
	}
	return 0;
}

static size_t group_size(const struct scan_config *cfg, size_t left)
{
	size_t per = cfg->tcp_ports.n + cfg->udp_ports.n + cfg->protos.n;
	size_t g = cfg->ping_only || cfg->list_only || per == 0 ? MAX_PING_GROUP
								: MAX_GROUP_ITEMS / per;
	if (g < 1)
		g = 1;
	if (cfg->timing.max_hostgroup > 0 && g > (size_t)cfg->timing.max_hostgroup)
		g = (size_t)cfg->timing.max_hostgroup;
	if (cfg->timing.min_hostgroup > 0 && g < (size_t)cfg->timing.min_hostgroup)
		g = (size_t)cfg->timing.min_hostgroup;
	return g < left ? g : left;
}

/* -sV over the group's live hosts, as one "Service scan" task. */
static int run_service(struct engine *e, struct rhost *up, size_t nup)
{
	const struct scan_config *cfg = e->cfg;
	struct svc_host *sh = calloc(nup, sizeof(*sh));
	if (!sh)
		return -ENOMEM;
	size_t nh = 0, nsvc = 0;
	for (size_t i = 0; i < nup; i++) {
		struct host *h = up[i].h;
		size_t k = 0;
		for (size_t p = 0; !h->timed_out && p < h->nports; p++)
			k += service_wants(cfg, &h->ports[p]);
		if (!k)
			continue;
		sh[nh].h = h;
		sh[nh++].rtt_to = h->rtt_to;
		nsvc += k;
	}
	int r = 0;
	if (nsvc) {
		double t0 = io_now();
		struct scan_event ev = {.kind = SCAN_EV_BEGIN,
					.task = TASK_SERVICE,
					.nhosts = nh,
					.nprobes = nsvc,
					.h = nh == 1 ? sh[0].h : NULL};
		engine_event(e, &ev);
		r = service_scan(cfg, sh, nh);
		if (r == 0) {
			ev.kind = SCAN_EV_END;
			ev.elapsed = io_now() - t0;
			engine_event(e, &ev);
		}
	}
	free(sh);
	return r;
}

/* -O's "Initiating OS detection (try #1) against ..." */
static void os_try_event(void *ctx, int tryno, size_t n, const struct host *h)
{
	struct scan_event ev = {.kind = SCAN_EV_OS_TRY,
				.nprobes = tryno < 0 ? SIZE_MAX : (size_t)tryno,
				.nhosts = n,
				.h = h};
	engine_event(ctx, &ev);
}

/* --script / -sC: the script engine's host phase over the group's live
 * hosts (those a --host-timeout cut are left out, as nmap does). */
static int run_scripts(const struct scan_config *cfg, struct rhost *up, size_t nup)
{
	struct host **hv = calloc(nup, sizeof(*hv));
	if (!hv)
		return -ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < nup; i++)
		if (!up[i].h->timed_out)
			hv[n++] = up[i].h;
	int r = n ? nse_run(cfg->nse, NSE_HOST, hv, n) : 0;
	free(hv);
	return r;
}

/* Hand a finished host to the front end; -EINTR if it asks to stop. */
static int report_host(struct engine *e, struct host *h, double end, struct scan_stats *st)
{
	const struct scan_hooks *hk = &e->cfg->hooks;
	h->end = end;
	if (h->status == HOST_UP)
		st->hosts_up++;
	if (hk->host_done)
		hk->host_done(hk->ctx, h);
	if (hk->should_stop && hk->should_stop(hk->ctx))
		return -EINTR;
	return 0;
}

static int group_rdns(struct engine *e, struct host *hosts, size_t n)
{
	size_t k = rdns_wanted(e->cfg, hosts, n);
	if (!k)
		return 0;
	enum scan_task t = e->cfg->system_dns ? TASK_SYS_DNS : TASK_DNS;
	double t0 = io_now();
	task_event(e, SCAN_EV_BEGIN, t, 0, NULL, k, 0, t0);
	int r = scan_rdns(e->cfg, hosts, n);
	if (r == 0)
		task_event(e, SCAN_EV_END, t, 0, NULL, k, 0, t0);
	return r;
}

static int run_group(struct engine *e, struct nl_sock *nl, struct host *hosts, size_t n,
		     struct scan_stats *st)
{
	const struct scan_config *cfg = e->cfg;
	struct rhost *rh = calloc(n, sizeof(*rh));
	if (!rh)
		return -ENOMEM;
	double start = wall_now();
	for (size_t i = 0; i < n; i++) {
		rh[i].h = &hosts[i];
		rh[i].t_start = io_now();
		addr_of_host(&hosts[i], &rh[i].addr);
		if (hosts[i].status == HOST_UP && hosts[i].reason)
			continue; /* resumed: its rtt and start are the first run's */
		hosts[i].rtt = -1;
		hosts[i].start = start;
	}
	int r = 0;
	if (!cfg->list_only) {
		group_routes(cfg, nl, rh, n);
		if (e->tx.fd_eth >= 0)
			nexthop_resolve(e, nl, rh, n);
		for (size_t i = 0; i < n && needs_route(e); i++)
			if (!rh[i].ri.src.family)
				rh[i].h->status = HOST_SKIPPED;
		r = run_discovery(e, rh, n);
	}
	size_t nup = 0;
	for (size_t i = 0; i < n && r == 0; i++) {
		struct host *h = rh[i].h;
		if (cfg->list_only || h->status == HOST_SKIPPED)
			continue;
		if (rh[i].up) {
			h->status = HOST_UP;
			rh[nup++] = rh[i]; /* compact the live ones to the front */
		} else {
			h->status = HOST_DOWN;
			h->reason = REASON_NO_RESPONSE;
		}
	}
	if (r == 0)
		r = group_rdns(e, hosts, n);
	/* nmap reports the hosts found down before it port scans the others
	 * (a ping scan reports them all in order) */
	bool early = !cfg->list_only && !cfg->ping_only;
	for (size_t i = 0; i < n && r == 0 && early; i++)
		if (hosts[i].status != HOST_UP)
			r = report_host(e, &hosts[i], wall_now(), st);
	if (r == 0 && !cfg->ping_only && !cfg->list_only && nup)
		r = run_ports(e, rh, nup);
	double end = wall_now();
	for (size_t i = 0; i < nup; i++) {
		struct host *h = rh[i].h;
		if (h->rtt < 0 && rh[i].srtt > 0)
			h->rtt = rh[i].srtt;
		if (rh[i].srtt > 0) {
			double to = rh[i].srtt + 4 * rh[i].rttvar;
			h->srtt = rh[i].srtt;
			h->rttvar = rh[i].rttvar;
			h->rtt_to = to < e->tm.min_rtt	 ? e->tm.min_rtt
				    : to > e->tm.max_rtt ? e->tm.max_rtt
							 : to;
		}
		host_sort_ports(h);
		if (h->timed_out) /* nmap reports no ports for it */
			h->nports = 0;
	}
	if (r == 0 && cfg->version.on && nup)
		r = run_service(e, rh, nup);
	if (r == 0 && cfg->osscan && nup && e->raw)
		r = osscan_run(e, rh, nup, os_try_event, e);
	if (r == 0 && cfg->traceroute && nup && e->raw) {
		double t0 = io_now();
		task_event(e, SCAN_EV_BEGIN, TASK_TRACE, 0, NULL, nup, 0, t0);
		r = traceroute_run(e, rh, nup);
		if (r == 0)
			task_event(e, SCAN_EV_END, TASK_TRACE, 0, NULL, nup, 0, t0);
	}
	if (r == 0 && cfg->nse && nup)
		r = run_scripts(cfg, rh, nup);
	free(rh);
	for (size_t i = 0; i < n && r == 0; i++)
		if (hosts[i].status == HOST_UP || !early)
			r = report_host(e, &hosts[i], end, st);
	return r;
}

/* -e: probes leave through this interface whatever the routes say. */
static int bind_iface(struct engine *e, const char *iface)
{
	int fds[] = {e->tx.fd4, e->tx.fd6};
	if (!if_nametoindex(iface))
		return -ENODEV;
	for (size_t i = 0; i < 2; i++)
		if (fds[i] >= 0 && setsockopt(fds[i], SOL_SOCKET, SO_BINDTODEVICE, iface,
					      (socklen_t)strlen(iface) + 1) < 0)
			return -errno;
	return 0;
}

/* io_tx's on_fail: a probe the kernel refused was not sent after all. */
static void send_failed(void *ctx, int fd, int err, const void *msg, size_t len,
			const struct sockaddr *dst, socklen_t dlen)
{
	struct engine *e = ctx;
	const uint8_t *pkt = msg;
	if (dst->sa_family == AF_PACKET && len >= PKT_ETH_HLEN) {
		pkt += PKT_ETH_HLEN; /* --send-eth: the frame's IP packet */
		len -= PKT_ETH_HLEN;
	}
	e->raw_sent--;
	e->raw_sent_bytes -= len;
	const struct scan_hooks *hk = &e->cfg->hooks;
	if (hk->send_error)
		hk->send_error(hk->ctx, fd, err, pkt, len, dst, (unsigned)dlen);
}

static int engine_open(struct engine *e, const struct scan_config *cfg)
{
	/* all but the socket buffers (big, and filled as they are used) */
	memset(e, 0, offsetof(struct engine, tx));
	memset(&e->raw, 0, sizeof(*e) - offsetof(struct engine, raw));
	e->cfg = cfg;
	e->t_start = io_now();
	e->tx.fd4 = e->tx.fd6 = e->tx.fd_link = e->tx.fd_eth = -1;
	e->rx.fd = -1;
	timing_resolve(&cfg->timing, false, &e->tm);
	uint8_t rnd[18];
	if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
		return -EIO;
	memcpy(&e->key, rnd, 16);
	/* source ports in 33000..64999, 16 per scan for the try number */
	e->sport_base = (uint16_t)(33008 + ((rnd[16] | rnd[17] << 8) % 2000) * 16);
	e->fixed_sport = cfg->source_port >= 0 && cfg->source_port <= 65535 ? cfg->source_port : -1;
	bool want_raw = !cfg->unprivileged && !cfg->list_only;
	if (want_raw && scan_have_raw()) {
		bool v6 = cfg->af == AF_INET6;
		int r = io_tx_open(&e->tx, !v6, v6, false);
		if (r < 0)
			return r;
		e->tx.on_fail = send_failed;
		e->tx.fail_ctx = e;
		struct sock_filter insns[16];
		struct sock_fprog prog;
		io_filter_dst(&prog, insns, NULL, NULL);
		/* every IPv4/IPv6 packet and ARP: targets on different routes
		 * get different source addresses; reply_match does the rest */
		if ((r = io_rx_open(&e->rx, &prog)) < 0 ||
		    (r = io_tx_link_via(&e->tx, &e->rx)) < 0) {
			io_rx_close(&e->rx);
			io_tx_close(&e->tx);
			return r;
		}
		e->raw = true;
		if (cfg->iface[0] && (r = bind_iface(e, cfg->iface)) < 0)
			return r;
		if (cfg->send_eth && (r = io_tx_open_eth(&e->tx)) < 0)
			return r;
	}
	/* the raw sockets are open: nothing later needs a capability (the
	 * connect, -sV and script sockets are ordinary ones), so the scan
	 * runs with none, as mtr-packet and iproute2's drop_cap do */
	int dr = priv_keep(0, 0);
	if (dr < 0)
		return dr;
	if (cfg->scans & SCAN_UDP) {
		int r = payloads_load(cfg->datadir, &e->payloads);
		if (r < 0 && r != -ENOENT)
			return r;
	}
	return 0;
}

static void engine_close(struct engine *e)
{
	io_tx_close(&e->tx);
	io_rx_close(&e->rx);
	payloads_free(e->payloads);
}

int scan_run(const struct scan_config *cfg, struct host *hosts, size_t n, struct scan_stats *st)
{
	struct scan_stats dummy;
	if (!st)
		st = &dummy;
	memset(st, 0, sizeof(*st));
	unsigned raw_types = SCAN_SYN | SCAN_ACK | SCAN_FIN | SCAN_NULL | SCAN_XMAS | SCAN_UDP |
			     SCAN_IPPROTO | SCAN_WINDOW | SCAN_MAIMON | SCAN_SCTP_INIT |
			     SCAN_SCTP_COOKIE;
	if ((cfg->scans & raw_types) && !cfg->list_only && (cfg->unprivileged || !scan_have_raw()))
		return -EPERM;
	struct engine *e = malloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	double t0 = io_now();
	int r = engine_open(e, cfg);
	struct nl_sock nl = {0};
	if (r == 0 && !cfg->list_only)
		r = nl_open(&nl, NETLINK_ROUTE, NULL);
	if (r == 0 && e->raw && !cfg->iface[0])	     /* -e PORT: captured there */
		(void)route_skip_ports(&nl, &e->rx); /* without it: doubles, not errors */
	for (size_t i = 0; r == 0 && i < n;) {
		size_t g = group_size(cfg, n - i);
		r = run_group(e, &nl, hosts + i, g, st);
		i += g;
	}
	if (!cfg->list_only && nl.mnl)
		nl_close(&nl);
	st->elapsed = io_now() - t0;
	st->scans = cfg->scans;
	st->sent = e->sent;
	st->rcvd = e->rcvd;
	st->raw = e->raw_used; /* -sT -Pn as root sends none: no line */
	st->raw_sent = e->raw_sent;
	st->raw_rcvd = e->raw_rcvd;
	st->raw_sent_bytes = e->raw_sent_bytes;
	st->raw_rcvd_bytes = e->raw_rcvd_bytes;
	engine_close(e);
	free(e);
	return r;
}
