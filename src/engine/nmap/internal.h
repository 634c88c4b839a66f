/* SPDX-License-Identifier: Apache-2.0 */
/* The nmap engine's internals, shared between its files: resolved timing,
 * probe definitions, the raw probe/reply machinery and route lookups.
 * Nothing here is visible to the front end (that is engine/scan.h). */
#ifndef NETKIT_ENGINE_NMAP_INTERNAL_H
#define NETKIT_ENGINE_NMAP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "engine/scan.h"
#include "lib/io/rawio.h"
#include "lib/pkt/pkt.h"
#include "lib/util/siphash.h"

/* Timing after the template and the user's knobs are merged (seconds). */
struct timing {
	int level;
	double min_rtt, max_rtt, init_rtt;
	int max_retries;
	double scan_delay, max_scan_delay;
	double min_rate, max_rate;
	int min_par, max_par;
	double host_timeout;
	int min_hostgroup, max_hostgroup;
};

void timing_resolve(const struct scan_timing *in, bool udp, struct timing *out);

/* What one probe is: a kind and a port (or protocol number for -sO). */
enum probe_kind {
	PK_TCP = 0, /* flags in probe_def.flags */
	PK_UDP,
	PK_PROTO,
	PK_ECHO,
	PK_TSTAMP,
	PK_MASK,
	PK_ARP,
	PK_ND,
	PK_SCTP, /* chunk type (INIT, COOKIE ECHO) in probe_def.flags */
	PK_MAX
};

struct probe_def {
	uint8_t kind;
	uint8_t flags; /* TCP flags for PK_TCP */
	uint16_t port; /* port, or protocol number for PK_PROTO */
};

/* Where packets to one host leave from. */
struct route_info {
	struct pkt_addr src;
	int ifindex;
	bool local;  /* the address is ours: nmap's localhost-response */
	bool direct; /* on a directly connected link (ARP/ND possible) */
	bool loopback;
	uint8_t mac[6]; /* our interface's MAC when direct */
	bool has_mac;
	struct pkt_addr gw; /* the route's gateway (family 0: none) */
	uint8_t nh_mac[6];  /* --send-eth: the next hop's MAC, if known */
	bool has_nh_mac;
};

struct nl_sock;
/* Look up the route to dst (RTM_GETROUTE on nl), out of interface oif
 * if non-zero (-e); 0 or -errno (-ENETUNREACH when there is none). */
int route_lookup(struct nl_sock *nl, const struct pkt_addr *dst, int oif, struct route_info *ri);
/* The capture socket sees a packet arriving on a bridge's or bond's port
 * again on the bridge or bond (where routes and nmap's pcap are): rx
 * drops what the ports capture. 0 or -errno. */
int route_skip_ports(struct nl_sock *nl, struct io_rx *rx);

/* --send-eth (nexthop.c): a neighbour table entry's MAC for a on
 * ifindex (0, -ENOENT, -errno); whether a captured ARP reply / neighbour
 * advertisement gives hop's MAC. */
int neigh_lookup(struct nl_sock *nl, int ifindex, const struct pkt_addr *a, uint8_t mac[6]);
bool nexthop_answer(const struct io_pkt *pk, const struct pkt_addr *hop, uint8_t mac[6]);

/* UDP payloads for -sU, by port (data file, our own format). */
struct payloads;
int payloads_load(const char *datadir, struct payloads **out);
void payloads_free(struct payloads *p);
/* Payload for port (NULL/0 if none). */
const uint8_t *payloads_get(const struct payloads *p, uint16_t port, size_t *len);

/* Per-scan shared state: keys, sockets, addresses. */
struct engine {
	const struct scan_config *cfg;
	struct timing tm;
	struct siphash_key key;
	uint16_t sport_base; /* multiple of 16: low 4 bits carry the try number */
	int fixed_sport;     /* -g: every probe from this port (try unknown), or -1 */
	struct io_tx tx;
	struct io_rx rx;
	bool raw;      /* raw sockets are open */
	bool raw_used; /* a raw run went (nmap's "Raw packets" line) */
	struct payloads *payloads;
	unsigned long sent, rcvd;
	/* raw packets (nmap's "Raw packets sent: N (B) | Rcvd: N (B)") */
	unsigned long raw_sent, raw_rcvd, raw_sent_bytes, raw_rcvd_bytes;
	double t_start; /* io_now() when the scan began (--packet-trace times) */
};

/* The host of each item and its route, for one raw run. */
struct rhost {
	struct host *h;
	struct pkt_addr addr;
	struct route_info ri;
	double srtt, rttvar; /* per host, for the reported latency */
	bool up;	     /* discovery: answered */
	double t_start;	     /* io_now() when its scan began, for --host-timeout */
};

/* --send-eth: each host's next-hop MAC into ri (nexthop.c). */
void nexthop_resolve(struct engine *e, struct nl_sock *nl, struct rhost *rh, size_t n);

enum run_mode {
	RUN_DISCOVERY, /* any reply marks the host up; stop probing it */
	RUN_PORTS,     /* per-port states */
};

/* One raw scan over hosts x probes. */
struct raw_run {
	enum run_mode mode;
	unsigned scan; /* enum scan_type bit for RUN_PORTS */
	struct rhost *hosts;
	size_t nhosts;
	const struct probe_def *probes;
	size_t nprobes;
};

int raw_scan(struct engine *e, struct raw_run *run);
/* Connect scan / unprivileged discovery over the same shape of run. */
int connect_scan(struct engine *e, struct raw_run *run);

/* Final port results of one port run, for hooks.ports_final, and the
 * ports a resumed scan already knows (portfin.c). Items are numbered as
 * in the runs: probe * nhosts + host. */
struct portfin {
	const struct engine *e;
	const struct raw_run *run;
	size_t nh;
	uint8_t *known; /* bitmap of items whose result the caller gave; NULL if none */
	uint64_t *pend; /* host << 32 | item, waiting for the next batch */
	size_t npend, cap;
	double last;  /* io_now() of the last batch */
	bool stopped; /* should_stop said yes */
};

/* Set up for run: items whose port the host record already holds are
 * marked known and their state/reason/ttl copied into st/reason/ttl
 * (ttl may be NULL). 0 or -ENOMEM. */
int portfin_init(struct portfin *f, const struct engine *e, const struct raw_run *run, uint8_t *st,
		 uint8_t *reason, uint8_t *ttl);
void portfin_fini(struct portfin *f);
static inline bool portfin_known(const struct portfin *f, size_t item)
{
	return f->known && (f->known[item / 8] >> (item % 8) & 1);
}
/* item's result is final (answered); reported with the next batch. */
void portfin_add(struct portfin *f, size_t item);
/* Report the waiting results if the batch interval is over (or force);
 * st 0 reports def_state / no-response. Returns true if the front end
 * asks to stop (should_stop), after reporting everything waiting. */
bool portfin_tick(struct portfin *f, const uint8_t *st, const uint8_t *reason, const uint8_t *ttl,
		  uint8_t def_state, double now, bool force);

/* Per-host send delays (hostpace.c): --scan-delay between two probes to
 * one host, and the delay rate-limit detection finds for a host (nmap
 * keeps both per host). */
struct hostpace {
	double *next;  /* per host: io_now() before which it gets no probe */
	double *delay; /* per host: the delay rate-limit detection set */
	double base;   /* --scan-delay */
	double wake;   /* the earliest next[] of a host held back by ready(), or 0 */
	bool on;       /* some host has a delay: picking checks readiness */
	size_t nh;
};

int hostpace_init(struct hostpace *p, size_t nh, double scan_delay);
void hostpace_fini(struct hostpace *p);
/* Host h's delay: its own or --scan-delay, whichever is longer. */
double hostpace_of(const struct hostpace *p, size_t h);
/* Whether host h may get a probe now; if not, p->wake takes its time. */
bool hostpace_ready(struct hostpace *p, size_t h, double now);
/* A probe went to host h at now. */
void hostpace_sent(struct hostpace *p, size_t h, double now);
/* Double host h's own delay (from 5 ms), up to cap; returns it. */
double hostpace_boost(struct hostpace *p, size_t h, double cap);

/* Progress of one port run for the front end (runprog.c): the "About
 * NN% done" share and, with -v, the hosts done before the rest of their
 * group. */
struct runprog {
	const struct engine *e;
	const struct raw_run *run;
	size_t nh;
	double t0, next;  /* run start; io_now() of the next progress report */
	uint32_t *hleft;  /* per host: items not settled yet; NULL if unused */
	uint8_t *settled; /* bitmap of items counted off hleft */
	size_t hosts_left;
	bool say;	 /* -v and more than 50 probes a host: the per-host lines */
	double next_hto; /* io_now() of the next --host-timeout check */
};

/* t0: the run's start; fin: the items a resumed scan knows already.
 * 0 or -ENOMEM. */
int runprog_init(struct runprog *p, const struct engine *e, const struct raw_run *run,
		 const struct portfin *fin, double t0);
void runprog_fini(struct runprog *p);
/* Report the share done if it is time: cursor items taken so far, busy
 * of them still waiting for an answer or a retry, n in the run. */
void runprog_tick(struct runprog *p, double now, uint64_t cursor, size_t busy, size_t n);
/* An item will not be sent again (answered, or out of retries). */
void runprog_settle(struct runprog *p, size_t item, double now);
/* --host-timeout: host index h is out of time; marked timed out, and
 * with -v nmap's "HOST timed out during SCAN (N hosts left)". */
void runprog_host_timeout(struct runprog *p, size_t h, double now);
/* Every few milliseconds: time out the hosts still waiting for answers
 * whose --host-timeout passed (not only those that still have probes to
 * send). */
void runprog_check_timeouts(struct runprog *p, double now);

/* One round-trip sample for a host's srtt/rttvar (nmap's per-host
 * timing, shown as XML <times>): the first sets srtt and an rttvar of at
 * least 5 ms, later ones move them by 1/8 and 1/4. */
void rhost_rtt_sample(struct rhost *rh, double r);

/* How many of hosts[0..n) scan_rdns would look up. */
size_t rdns_wanted(const struct scan_config *cfg, const struct host *hosts, size_t n);

/* Tell the front end (hooks.event): ev's when is filled in here. */
void engine_event(const struct engine *e, struct scan_event *ev);
/* A port just came out open / a host up: the OPEN and UP events. */
void engine_found_open(const struct engine *e, const struct raw_run *run, size_t item,
		       uint8_t reason, uint8_t ttl);
void engine_found_up(const struct engine *e, const struct host *h);
/* hooks.progress for a run: done in [0,1], at most every few tenths. */
void engine_progress(const struct engine *e, double t0, double done);
/* hooks.packet_trace for one packet (IP, or an ARP body) at io_now() when. */
void engine_trace(const struct engine *e, enum trace_dir dir, double when, const void *pkt,
		  size_t len);

/* --traceroute over a group's live hosts (traceroute.c): h->trace. */
int traceroute_run(struct engine *e, struct rhost *up, size_t nup);
/* osscan.c's helpers, shared with its families (osscan4.c, osscan6.c) */
struct host_os;
struct os_db;
uint32_t osscan_rnd32(void);
double osscan_wall(void);
void osscan_pick_ports(const struct host *h, struct host_os *r);
void osscan_platform(char *buf, size_t len);
/* data/os/FILE from the data directories (NULL: none) */
struct os_db *osscan_load_db(const struct scan_config *cfg, const char *file);
/* r's fingerprint tests (r->fp.tests) scored against db into r's guesses */
void osscan_match(const struct os_db *db, struct host_os *r);
/* -O over a group's live hosts of the scan's family (osscan.c): h->os.
 * say: IPv4, the -v line of each try (n hosts; h when n is 1); IPv6, the
 * stage's beginning (tryno 0) and end (tryno -1), for nmap's -d lines. */
int osscan_run(struct engine *e, struct rhost *up, size_t nup,
	       void (*say)(void *ctx, int tryno, size_t n, const struct host *h), void *ctx);

/* Record one port's result (proto 0 for an IP protocol of -sO, whose
 * number is then in port). */
void host_add_port_result(struct host *h, uint8_t proto, uint16_t port, uint8_t state,
			  uint8_t reason, uint8_t ttl);

#endif
