/* SPDX-License-Identifier: Apache-2.0 */
/* The mtr engine: probes every TTL of a path each cycle, concurrently,
 * matches each reply to its probe (sequence, TTL, ports), and keeps
 * per-hop statistics exactly as mtr defines them. Paris-style: the flow
 * identifiers (ICMP checksum, UDP/TCP ports) stay constant within a flow
 * so an ECMP path is one path; with nflows > 1 each flow is traced as its
 * own path. The caller runs the poll loop (it owns the screen and DNS too)
 * and calls trace_tick()/trace_input(). Nothing here prints. */
#ifndef NETKIT_ENGINE_TRACE_H
#define NETKIT_ENGINE_TRACE_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "lib/pkt/pkt.h"

enum trace_proto { TRACE_ICMP, TRACE_UDP, TRACE_TCP };
enum trace_end { TRACE_RUNNING = 0, TRACE_REACHED, TRACE_MAXTTL, TRACE_UNREACHABLE };

#define TRACE_MAXHOPS 256
#define TRACE_MAXPATH 8
#define TRACE_MAXLABELS 8
#define TRACE_MAXFLOWS 16
/* mtr-packet's limits on an ICMP/UDP probe's size (-s): 9000 bytes with
 * the IPv4 header, 9000 after the IPv6 one (TCP probes carry no payload,
 * any size goes) */
#define TRACE_MAXSIZE4 9000
#define TRACE_MAXSIZE6 9040
#define TRACE_MINSIZE 28 /* mtr's MINPACKET, the floor of its random sizes */
#define TRACE_SAVED 200	 /* RTT history per hop, as mtr's SAVED_PINGS */

struct trace_cfg {
	int family;
	struct pkt_addr dst;
	struct pkt_addr src; /* -a; family 0: the kernel picks */
	enum trace_proto proto;
	int port; /* UDP/TCP destination port */
	int first_ttl, max_ttl;
	double interval; /* seconds between cycles */
	int count;	 /* cycles; 0: until stopped */
	int size;	 /* whole packet size, IP header included; < 0: random up to -size */
	int bitpattern;	 /* payload byte; < 0: random each cycle */
	int tos;
	const char *iface;
	double grace;	 /* -G: longest wait for the last replies */
	double timeout;	 /* -Z: a reply later than this is ignored (lost) */
	int localport;	 /* -L: UDP/TCP source port of the first flow; 0 any */
	int max_unknown; /* -U: unknown hops in a row before probing stops */
	unsigned mark;
	bool has_mark;
	bool mpls;	  /* -e: keep MPLS labels of ICMP extensions */
	bool paris;	  /* constant flow identifiers (default) */
	int nflows;	  /* flows traced separately (1) */
	bool force_dgram; /* test hook: act as an unprivileged user */
};

/* mtr's per-hop statistics: times in microseconds, as mtr keeps them. */
struct trace_stats {
	int xmit, returned;
	bool transit; /* newest probe not answered yet */
	int last, best, worst;
	double avg, ssd, gmean;
	int jitter, jworst, jinta;
	double javg;
};

void trace_stats_sent(struct trace_stats *s);
void trace_stats_reply(struct trace_stats *s, int usec);
/* Loss in thousandths of a percent, as mtr computes it. */
int trace_stats_loss(const struct trace_stats *s);
int trace_stats_drop(const struct trace_stats *s);
int trace_stats_stdev(const struct trace_stats *s);

struct trace_mpls {
	int n;
	struct pkt_mpls l[TRACE_MAXLABELS];
};

struct trace_hop {
	bool known;
	struct pkt_addr addr; /* who answered last */
	struct trace_mpls mpls;
	int naddrs; /* every address seen, first seen first */
	struct pkt_addr addrs[TRACE_MAXPATH];
	struct trace_mpls mplss[TRACE_MAXPATH];
	struct trace_stats st;
	bool unreach; /* answered "destination unreachable" */
	/* the last TRACE_SAVED probes, oldest first: usec, -1 lost or in
	 * flight, -2 never sent */
	int saved[TRACE_SAVED];
};

struct trace_path {
	uint16_t flow_id; /* source port (UDP/TCP) or ICMP identifier */
	int unreach_ttl;  /* first TTL that answered "unreachable", 0 none */
	struct trace_hop hops[TRACE_MAXHOPS];
};

struct trace_probe {
	double sent;
	uint32_t cycle;
	uint8_t ttl;
	uint8_t flow;
	bool live;
	int xmit_no; /* the hop's xmit count when this probe was sent */
};

/* An unprivileged TCP probe: one connecting socket per probe. */
struct trace_conn {
	int fd;
	uint16_t seq;
	uint8_t ttl, flow;
	double sent;
};
#define TRACE_MAXCONN 1024

struct trace_cb {
	void *arg;
	void (*new_addr)(void *arg, const struct pkt_addr *a);
	void (*sent)(void *arg, int flow, int ttl, unsigned seq);
	void (*reply)(void *arg, int flow, int ttl, const struct pkt_addr *a, int usec,
		      unsigned seq);
	void (*cycle_done)(void *arg, unsigned cycle);
};

struct trace {
	struct trace_cfg cfg;
	struct trace_cb cb;
	bool raw; /* raw sockets (CAP_NET_RAW) or datagram sockets */
	int fd_send, fd_icmp, fd_tcp;
	struct pkt_addr src;
	uint16_t ident;
	uint16_t next_seq;
	struct trace_probe *probes; /* indexed by sequence */
	struct trace_path *paths;   /* cfg.nflows of them */
	unsigned cycles_sent;
	double next_cycle, last_cycle_at, start;
	/* The rest of the cycle being sent, one probe every pace.gap seconds
	 * from pace.at: TTLs pace.ttl..pace.limit of flow pace.flow. */
	struct {
		int ttl, limit, flow;
		unsigned cycle;
		double at, gap;
	} pace;
	double max_rtt; /* seconds, seen so far */
	uint8_t pattern;
	int cycle_size; /* this cycle's probe size (cfg.size, or a random one) */
	int mtu;	/* IPv4: the route's MTU towards the target, 0 unknown */
	enum trace_end end;
	int send_errno;		  /* last local error sending, 0 none */
	struct trace_conn *conns; /* unprivileged TCP only */
	int nconns;
	uint16_t *conn_ports; /* its source port per flow and TTL (0: none yet) */
};

/* Opens the sockets: raw if permitted, else ICMP datagram (ping) sockets
 * or UDP with IP_RECVERR. On failure returns -errno and writes why into
 * err. */
int trace_open(struct trace *t, const struct trace_cfg *cfg, const struct trace_cb *cb, char *err,
	       size_t errlen);
void trace_close(struct trace *t);
/* Goes on probing with another protocol and port, keeping every hop's
 * statistics (mtr's u and t keys). On failure t is unchanged. */
int trace_switch(struct trace *t, enum trace_proto proto, int port, char *err, size_t errlen);
/* Whether probes of the given size (-s; < 0: random sizes up to -size) can
 * be sent, as mtr 0.95 decides through mtr-packet: 0; -EINVAL beyond
 * TRACE_MAXSIZE4/6 (mtr: "mtr-packet reported invalid argument");
 * -EMSGSIZE for IPv4 ICMP/UDP larger than mtu, the outgoing route's MTU
 * (mtr builds its IPv4 headers itself, IP_HDRINCL, and the kernel never
 * fragments those: "Unexpected mtr-packet error"). TCP: always 0. mtu 0:
 * unknown, not checked. */
int trace_size_check(int family, enum trace_proto proto, int mtu, int size);
/* What the next cycle's probes carry: the payload byte (t->pattern) from
 * cfg.bitpattern, a negative one (random) replaced by a new random
 * negative number, as mtr does each cycle; and their size (t->cycle_size),
 * random for a negative cfg.size, as mtr draws it each cycle. */
void trace_pick_cycle(struct trace *t);
/* A new TOS for the probes from now on (mtr's Q key). */
int trace_set_tos(struct trace *t, int tos);
/* "raw sockets" / "ICMP datagram socket" / "UDP socket with IP_RECVERR" */
const char *trace_mode(const struct trace *t);

/* Fills the descriptors to poll; an unprivileged TCP run has one per
 * probe in flight, so max should allow for TRACE_MAXCONN more. */
int trace_pollfds(const struct trace *t, struct pollfd *p, int max);
/* Seconds between two probes of one cycle of nprobes probes sent every
 * interval seconds. Sent at the same instant, the probes of a cycle reach
 * the routers (and an emulated link's queue) together, and the later ones
 * wait behind the earlier: spread over a small part of the interval (at
 * most TRACE_PACE_SHARE of it, at most TRACE_PACE_MAX a probe) every hop
 * is still in flight at once, and the cycle still ends long before the
 * next one begins. 0 when nothing is to be spread. */
#define TRACE_PACE_SHARE 0.25
#define TRACE_PACE_MAX 0.001
double trace_pace_gap(double interval, int nprobes);
/* The absolute time (tsock_now) the engine next wants trace_tick(). */
double trace_next_wakeup(const struct trace *t, double now);
void trace_tick(struct trace *t, double now);
void trace_input(struct trace *t, const struct pollfd *p, int n);
/* True when count cycles are sent and the last replies are in (or waited
 * for long enough). */
bool trace_finished(const struct trace *t, double now);
/* Display range as mtr's net_min/net_max: hops [first_ttl-1, max). */
int trace_max(const struct trace *t, int flow);
enum trace_end trace_end_reason(const struct trace *t);
/* The run is over (trace_finished): probes still unanswered count as
 * lost, as in mtr's report, rather than as in flight. */
void trace_settle(struct trace *t);
/* Clears statistics and addresses (mtr's 'r' key). */
void trace_reset(struct trace *t);

#endif
