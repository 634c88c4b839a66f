/* SPDX-License-Identifier: Apache-2.0 */
/* The raw scan loop's state, shared by the loop (rawscan.c) and the reply
 * matcher (reply.c). One run covers hosts x probes; an item is
 * probe * nhosts + host. */
#ifndef NETKIT_ENGINE_NMAP_RAWSCAN_H
#define NETKIT_ENGINE_NMAP_RAWSCAN_H

#include "engine/nmap/internal.h"
#include "lib/util/perm.h"

#define IT_INRING 0x1u	/* an unanswered transmission is in the ring */
#define IT_OLD 0x2u	/* ... and it no longer counts against the window */
#define IT_LOSTCNT 0x4u /* counted lost in the loss share (loss_count) */

/* -sO: an ICMP message answered the ICMP protocol probe in its own
 * protocol (whatever its type): the protocol is open. */
#define MATCH_IN_PROTOCOL (-2)

#define RS_MAX_IFS 8
#define RMIN_ROUNDS 3 /* full rounds a queue must last (round_min) */

struct match {
	size_t host;
	size_t probe;
	int tryno; /* -1: the reply does not say; or MATCH_IN_PROTOCOL */
	uint8_t reason, ttl;
	uint16_t win;	    /* a TCP answer's window (-sW reads the RST's) */
	bool from_target;   /* sent by the target itself, not a router */
	uint8_t proto;	    /* the reply's own protocol (IPPROTO_*); 0 for ARP */
	const uint8_t *mac; /* the target's link address: ARP/ND, or the frame's */
	uint8_t lladdr[6];  /* ND: the parsed link-layer option (mac points here) */
};

struct rs {
	struct engine *e;
	struct raw_run *run;
	size_t nh, n;
	uint8_t *st, *tries, *flags, *reason, *ttl;
	uint8_t *hup; /* per host: up (discovery), a byte each to stay in cache */
	uint32_t *sent_us;
	uint32_t *first_us;	 /* TCP port scans: when each item's first copy left */
	uint32_t pass[IO_BATCH]; /* items queued for the next flush (rs_flush) */
	unsigned npass;
	struct perm perm;
	uint64_t cursor;
	uint32_t *ring;
	size_t rcap, rhead, rlen;
	uint32_t *retq;
	size_t rq_head, rq_len;
	uint32_t *parked;
	size_t nparked;
	size_t outstanding; /* unanswered transmissions in the ring */
	size_t inflight;    /* ... of which recent enough to count for cwnd */
	size_t rold;	    /* ring entries at the head already aged */
	double cwnd, ssthresh, max_cwnd;
	double srtt, rttvar, min_rtt;
	double max_seen;    /* the longest round trip measured in this run */
	unsigned long nrtt; /* how many round trips were measured */
	bool have_rtt;
	double round_start, rmin_cur, rmin_prev; /* least round trips (round_min) */
	double rmin_hist[RMIN_ROUNDS];		 /* each full round's least */
	unsigned nrounds;			 /* full rounds so far */
	unsigned long round_answers;		 /* timed answers in the current round */
	double max_rate;			 /* most answers a second in a round */
	int mst;				 /* highest try number that got an answer */
	double t0;
	struct io_pacer pacer;
	double min_tokens, min_last;		 /* --min-rate */
	struct hostpace pace;			 /* per-host send delays */
	double next_retry, retry_gap, gap_grown; /* UDP/-sO: retransmissions are spaced */
	bool gap_rounds;
	unsigned loss_rounds; /* extra rounds for probes lost at random (loss_round) */
	unsigned long icmp_answers;
	unsigned long sent_since, drops_since; /* answers to first tries / to retries */
	double last_cut;		       /* when the window or the send delay last changed */
	unsigned long ep_lost, ep_good;	       /* answers since: to retries / to first tries */
	/* lookups: address -> host, (kind, port) -> probe */
	uint32_t *htab;
	size_t hmask;
	int32_t *pfirst; /* PK_MAX * 65536, probe index + 1 */
	int32_t *pnext;
	size_t hosts_up;
	struct portfin fin;  /* final results for the front end, known ports */
	struct runprog prog; /* progress reports, hosts done (-v) */
	int ifs[RS_MAX_IFS]; /* the interfaces the run's routes leave by */
	size_t nifs;	     /* 0: any interface (too many to list) */
};

/* Set up a run's state (tables, permutation, clocks) / free it. */
int rs_init(struct rs *s, struct engine *e, struct raw_run *run);
void rs_fini(struct rs *s);

/* Host index for an address, or -1. */
long rs_host_lookup(const struct rs *s, const struct pkt_addr *a);
/* First probe index + 1 for (kind, port), 0 if none; then rs->pnext. */
static inline int32_t rs_probe_first(const struct rs *s, unsigned kind, uint16_t port)
{
	return s->pfirst[(size_t)kind * 65536 + port];
}

/* Match one captured packet against the run: fills m and returns true. */
bool reply_match(struct rs *s, const struct io_pkt *pk, struct match *m);

/* Whether a packet comes from one of the run's hosts (--packet-trace). */
bool reply_from_group(const struct rs *s, const struct io_pkt *pk);

/* The state a port gets for a reason in a scan type. */
uint8_t reply_state(unsigned scan, uint8_t reason, const struct probe_def *p);
uint8_t reply_default_state(unsigned scan);
/* Whether a reply from a target itself shows it up in a ping scan. */
bool reply_says_up(uint8_t reason);

#endif
