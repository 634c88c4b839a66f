/* SPDX-License-Identifier: Apache-2.0 */
/* The raw scan loop: one transmit path and one receive path over a
 * single event loop. Probes leave probe by probe in the run's order (the
 * port list as the front end made it: shuffled unless -r, nmap's common
 * ports first), each to every host in a keyed random order (a Feistel
 * permutation of the hosts), in sendmmsg batches; replies are
 * read in recvmmsg batches and matched statelessly (reply.c).
 *
 * Congestion control follows nmap's ultra_scan: a window of unanswered
 * probes that grows with every answer (slow start, then +1/cwnd) and is
 * halved when a retransmitted probe is answered (its first copy was
 * lost); a send delay that doubles when many probes are dropped (ICMP
 * rate limits), capped by --max-scan-delay; RTT-based timeouts
 * (srtt + 4 rttvar, clamped to --min/--max-rtt-timeout); and nmap's rule
 * for retransmissions: a probe is retried only up to one more time than
 * the highest try that ever drew an answer, and never beyond
 * --max-retries. Probes that time out wait in a FIFO ring, so the loop's
 * memory is a few bytes per (host, probe) and no per-probe timers. */
#include "engine/nmap/probe.h"
#include "engine/nmap/rawscan.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define INIT_CWND 10.0
#define INIT_PING_CWND 256.0
#define DISCOVERY_AGE 0.02
#define DEFAULT_MAX_CWND 20000.0
#define SEND_CHUNK 256

static uint64_t addr_hash(const struct pkt_addr *a)
{
	uint64_t h = 1469598103934665603ULL;
	size_t n = a->family == AF_INET6 ? 16 : 4;
	for (size_t i = 0; i < n; i++)
		h = (h ^ a->b[i]) * 1099511628211ULL;
	return h ^ (h >> 29);
}

long rs_host_lookup(const struct rs *s, const struct pkt_addr *a)
{
	for (size_t i = addr_hash(a) & s->hmask;; i = (i + 1) & s->hmask) {
		uint32_t v = s->htab[i];
		if (!v)
			return -1;
		if (pkt_addr_eq(&s->run->hosts[v - 1].addr, a))
			return (long)v - 1;
	}
}

/* TCP port scans judge loss by its share, not only by queueing delay: a
 * path whose buffer is a fixed delay line (a full one drops, it never
 * delays more) or a policer loses a burst of probes with the round trip
 * still at its floor, and the answers that still come back then are
 * mostly retransmissions. UDP and protocol scans keep nmap's rule alone,
 * their answers being rate limited ICMP errors. */
static bool icmp_answered(const struct rs *s);

static bool loss_judged(const struct rs *s)
{
	return s->run->mode == RUN_PORTS && !icmp_answered(s);
}

static int rs_alloc(struct rs *s)
{
	size_t n = s->n;
	s->st = calloc(n, 1);
	s->tries = calloc(n, 1);
	s->flags = calloc(n, 1);
	s->reason = calloc(n, 1);
	s->ttl = calloc(n, 1);
	s->hup = calloc(s->nh, 1);
	s->sent_us = calloc(n, sizeof(uint32_t));
	if (loss_judged(s))
		s->first_us = calloc(n, sizeof(uint32_t));
	/* every item can be waiting at once (slow path, long timeouts) */
	s->rcap = n;
	s->ring = calloc(s->rcap, sizeof(uint32_t));
	s->retq = calloc(n, sizeof(uint32_t));
	s->parked = calloc(n, sizeof(uint32_t));
	size_t hs = 4;
	while (hs < 2 * s->nh)
		hs <<= 1;
	s->hmask = hs - 1;
	s->htab = calloc(hs, sizeof(uint32_t));
	s->pfirst = calloc((size_t)PK_MAX * 65536, sizeof(int32_t));
	s->pnext = calloc(s->run->nprobes, sizeof(int32_t));
	if (!s->st || !s->tries || !s->flags || !s->reason || !s->ttl || !s->hup || !s->sent_us ||
	    (loss_judged(s) && !s->first_us) || !s->ring || !s->retq || !s->parked || !s->htab ||
	    !s->pfirst || !s->pnext)
		return -ENOMEM;
	for (size_t h = 0; h < s->nh; h++) {
		s->hup[h] = s->run->hosts[h].up;
		size_t i = addr_hash(&s->run->hosts[h].addr) & s->hmask;
		while (s->htab[i])
			i = (i + 1) & s->hmask;
		s->htab[i] = (uint32_t)h + 1;
	}
	/* probes chained per (kind, port), in list order */
	for (size_t p = s->run->nprobes; p-- > 0;) {
		const struct probe_def *d = &s->run->probes[p];
		uint16_t port = d->kind == PK_TCP || d->kind == PK_UDP || d->kind == PK_PROTO ||
						d->kind == PK_SCTP
					? d->port
					: 0;
		int32_t *slot = &s->pfirst[(size_t)d->kind * 65536 + port];
		s->pnext[p] = *slot;
		*slot = (int32_t)p + 1;
	}
	return 0;
}

static void rs_free(struct rs *s)
{
	portfin_fini(&s->fin);
	runprog_fini(&s->prog);
	free(s->st);
	free(s->tries);
	free(s->flags);
	free(s->reason);
	free(s->ttl);
	free(s->hup);
	free(s->sent_us);
	free(s->first_us);
	free(s->ring);
	free(s->retq);
	free(s->parked);
	free(s->htab);
	free(s->pfirst);
	free(s->pnext);
	hostpace_fini(&s->pace);
}

static inline uint32_t us_of(const struct rs *s, double t)
{
	return (uint32_t)((t - s->t0) * 1e6);
}

/* Seconds from item's last send to now (a reply's kernel timestamp,
 * which may even precede the run's start: never negative). */
static double since_sent(const struct rs *s, size_t item, double now)
{
	double r = now - (s->t0 + s->sent_us[item] * 1e-6);
	return r > 0 ? r : 0;
}

static double rs_timeout(const struct rs *s)
{
	const struct timing *tm = &s->e->tm;
	double t = s->have_rtt ? s->srtt + 4 * s->rttvar : tm->init_rtt;
	if (t < tm->min_rtt)
		t = tm->min_rtt;
	if (t > tm->max_rtt)
		t = tm->max_rtt;
	return t;
}

static bool item_done(const struct rs *s, size_t item)
{
	if (s->st[item])
		return true;
	size_t h = item % s->nh;
	if (s->run->mode == RUN_DISCOVERY && s->hup[h])
		return true;
	/* Only --host-timeout marks a host timed out; without it the host
	 * record (a cache miss per item in a sweep of a /16) is not read. */
	return s->e->tm.host_timeout > 0 && s->run->hosts[h].h->timed_out;
}

/* The next item to send: retransmissions first, then fresh ones. */
/* Closed UDP ports and unknown protocols answer with ICMP errors, which
 * every stack rate limits (Linux: a global bucket of 50, refilled per
 * tick). A burst of retransmissions would hit the same limit as the burst
 * that lost them, so they go out spaced, and their answers then tell the
 * retry rule and the send delay what is going on. */
#define ICMP_RETRY_GAP 0.001

static bool icmp_answered(const struct rs *s)
{
	/* (SCTP too: a host without it says protocol unreachable) */
	return s->run->scan == SCAN_UDP || s->run->scan == SCAN_IPPROTO ||
	       s->run->scan == SCAN_SCTP_INIT || s->run->scan == SCAN_SCTP_COOKIE;
}

/* next_item when hosts are paced (--scan-delay, a rate limit found): the
 * first queued retransmission or cursor item whose host may have a probe
 * now. Cursor items taken ahead of the cursor are skipped when it gets
 * there (tries already set); a look ahead of PACE_AHEAD items covers a
 * probe's turn over that many hosts. Its host's delay starts now. */
#define PACE_AHEAD 256
static long next_paced(struct rs *s, double now, bool paced)
{
	struct hostpace *hp = &s->pace;
	hp->wake = 0;
	size_t look = paced ? 0 : s->rq_len < PACE_AHEAD ? s->rq_len : PACE_AHEAD;
	for (size_t k = 0; k < look; k++) {
		uint32_t it = s->retq[s->rq_head];
		s->rq_head = (s->rq_head + 1) % s->n;
		s->rq_len--;
		if (item_done(s, it))
			continue;
		if (hostpace_ready(hp, it % s->nh, now)) {
			if (icmp_answered(s))
				s->next_retry = now + s->retry_gap;
			hostpace_sent(hp, it % s->nh, now);
			return it;
		}
		s->retq[(s->rq_head + s->rq_len) % s->n] = it;
		s->rq_len++;
	}
	for (uint64_t i = s->cursor; i < s->n && i < s->cursor + PACE_AHEAD; i++) {
		uint64_t item = (i / s->nh) * s->nh + perm_at(&s->perm, i % s->nh);
		bool gone = item_done(s, item) || s->tries[item];
		if (gone || !hostpace_ready(hp, item % s->nh, now)) {
			if (gone && i == s->cursor)
				s->cursor++;
			continue;
		}
		if (i == s->cursor)
			s->cursor++;
		hostpace_sent(hp, item % s->nh, now);
		return (long)item;
	}
	return -1;
}

static long next_item(struct rs *s, double now)
{
	bool paced = icmp_answered(s) && now < s->next_retry;
	if (!s->retry_gap)
		s->retry_gap = ICMP_RETRY_GAP;
	if (s->pace.on)
		return next_paced(s, now, paced);
	while (s->rq_len && !paced) {
		uint32_t it = s->retq[s->rq_head];
		s->rq_head = (s->rq_head + 1) % s->n;
		s->rq_len--;
		if (!item_done(s, it)) {
			if (icmp_answered(s))
				s->next_retry = now + s->retry_gap;
			return it;
		}
	}
	while (s->cursor < s->n) {
		uint64_t i = s->cursor++, item;
		/* probe-major (a host that answered its first ping probe is
		 * not sent the others; ports go in the list's order, common
		 * ones first, as nmap's), hosts in random order within */
		item = (i / s->nh) * s->nh + perm_at(&s->perm, i % s->nh);
		if (!item_done(s, item))
			return (long)item;
	}
	return -1;
}

/* --send-eth: the MAC a frame to rh goes to (the target's on the LAN,
 * else the gateway's), or NULL to send an IP packet. */
static const uint8_t *eth_hop(const struct engine *e, const struct rhost *rh)
{
	if (e->tx.fd_eth < 0)
		return NULL;
	if (rh->ri.direct && rh->h->has_mac)
		return rh->h->mac;
	return rh->ri.has_nh_mac ? rh->ri.nh_mac : NULL;
}

/* The Ethernet header in front of the packet, and the packet socket's
 * destination (the interface). */
static socklen_t eth_frame(const struct rhost *rh, const uint8_t *hop, const struct pkt_addr *dst,
			   uint8_t *frame, struct sockaddr_storage *ss)
{
	struct pkt_eth eh = {.type = dst->family == AF_INET6 ? PKT_ETH_P_IPV6 : PKT_ETH_P_IP};
	memcpy(eh.dst, hop, 6);
	memcpy(eh.src, rh->ri.mac, 6);
	pkt_eth_build(frame, PKT_ETH_HLEN, &eh);
	struct sockaddr_ll *ll = (struct sockaddr_ll *)ss;
	ll->sll_family = AF_PACKET;
	ll->sll_protocol = htons(eh.type);
	ll->sll_ifindex = rh->ri.ifindex;
	return sizeof(*ll);
}

/* Where the raw IP socket sends a packet for dst. */
static socklen_t ip_dest(const struct rhost *rh, const struct pkt_addr *dst, bool nd,
			 struct sockaddr_storage *ss)
{
	if (dst->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_addr = dst->v6;
		if (nd || IN6_IS_ADDR_LINKLOCAL(&dst->v6))
			s6->sin6_scope_id = (uint32_t)rh->ri.ifindex;
		return sizeof(*s6);
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	s4->sin_family = AF_INET;
	s4->sin_addr = dst->v4;
	return sizeof(*s4);
}

/* Where probe number d of a decoy run comes from: a decoy, or us. */
static const struct pkt_addr *decoy_src(const struct engine *e, const struct rhost *rh, size_t d,
					struct pkt_addr *a)
{
	const struct scan_config *cfg = e->cfg;
	if (!cfg->ndecoys || d == cfg->decoy_me)
		return &rh->ri.src;
	const struct sockaddr_storage *ss = &cfg->decoys[d < cfg->decoy_me ? d : d - 1];
	if (ss->ss_family != rh->addr.family)
		return &rh->ri.src;
	if (ss->ss_family == AF_INET6)
		pkt_addr6(a, &((const struct sockaddr_in6 *)ss)->sin6_addr);
	else
		pkt_addr4(a, &((const struct sockaddr_in *)ss)->sin_addr);
	return a;
}

/* Queue an IP packet written at off in the next tx buffer (after an
 * Ethernet header when off > 0): whole, or as -f/--mtu fragments, each
 * behind a copy of that header. */
static int commit_ip(struct engine *e, size_t off, size_t len, const struct sockaddr_storage *ss,
		     socklen_t sl)
{
	uint8_t *frame = io_tx_buf(&e->tx);
	unsigned mtu = e->cfg->mtu;
	if (!mtu || (frame[off] >> 4) != 4 || len - (size_t)(frame[off] & 0xf) * 4 <= mtu)
		return io_tx_commit(&e->tx, len + off, (const struct sockaddr *)ss, sl);
	uint8_t whole[IO_PKTMAX];
	memcpy(whole, frame, off + len);
	int r = 0;
	for (size_t k = 0; r >= 0 || r == -EHOSTUNREACH || r == -ENETUNREACH; k++) {
		uint8_t *f = io_tx_buf(&e->tx);
		memcpy(f, whole, off);
		int n = pkt_ip4_fragment(whole + off, len, mtu, k, f + off, IO_PKTMAX - off);
		if (n <= 0)
			return n;
		r = io_tx_commit(&e->tx, (size_t)n + off, (const struct sockaddr *)ss, sl);
	}
	return r;
}

/* One IP probe from src: built, traced, queued. Its length or -errno. */
static int send_ip_probe(struct rs *s, const struct rhost *rh, const struct probe_def *p,
			 unsigned tryno, double now, const struct pkt_addr *src)
{
	struct engine *e = s->e;
	/* --send-eth: room for the Ethernet header in front */
	const uint8_t *hop = p->kind == PK_ND ? NULL : eth_hop(e, rh);
	size_t off = hop ? PKT_ETH_HLEN : 0;
	uint8_t *buf = io_tx_buf(&e->tx) + off;
	struct pkt_addr dst = rh->addr;
	int len;
	if (p->kind == PK_ND)
		len = probe_build_nd(e, src, rh->ri.has_mac ? rh->ri.mac : NULL, &rh->addr, buf,
				     IO_PKTMAX, &dst);
	else
		len = probe_build(e, src, &rh->addr, p, tryno, buf, IO_PKTMAX - off);
	if (len < 0)
		return len;
	if (e->cfg->ipopts && e->cfg->ipopt_srr >= 4 && dst.family == AF_INET)
		memcpy(&dst.v4, e->cfg->ipopts + 4, 4); /* a source route's first hop */
	struct sockaddr_storage ss = {0};
	socklen_t sl = hop ? eth_frame(rh, hop, &dst, io_tx_buf(&e->tx), &ss)
			   : ip_dest(rh, &dst, p->kind == PK_ND, &ss);
	if (hop && e->cfg->has_spoof_mac) /* --spoof-mac: the frame's source */
		memcpy(io_tx_buf(&e->tx) + 6, e->cfg->spoof_mac, 6);
	engine_trace(e, TRACE_SENT, now, buf, (size_t)len);
	int r = commit_ip(e, off, (size_t)len, &ss, sl);
	if (r < 0 && r != -EHOSTUNREACH && r != -ENETUNREACH)
		return r;
	return len;
}

static int send_item(struct rs *s, size_t item, double now)
{
	struct engine *e = s->e;
	struct rhost *rh = &s->run->hosts[item % s->nh];
	if (e->tm.host_timeout > 0 && now - rh->t_start > e->tm.host_timeout) {
		runprog_host_timeout(&s->prog, item % s->nh, now);
		return 0;
	}
	const struct probe_def *p = &s->run->probes[item / s->nh];
	unsigned tryno = s->tries[item];
	int len;
	double ts = now; /* when it left: an ARP request at once, IP at the flush */
	if (p->kind == PK_ARP) {
		struct pkt_arp a = {
			.op = PKT_ARP_REQUEST, .spa = rh->ri.src.v4, .tpa = rh->addr.v4};
		static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
		uint8_t frame[PKT_ARP_LEN];
		memcpy(a.sha, rh->ri.mac, 6);
		if (pkt_arp_build(frame, sizeof(frame), &a) < 0)
			return -EINVAL;
		ts = io_now();
		len = io_tx_link(&e->tx, rh->ri.ifindex, PKT_ETH_P_ARP, bcast, frame,
				 sizeof(frame));
		if (len < 0)
			return len;
		engine_trace(e, TRACE_SENT, now, frame, sizeof(frame));
		len = sizeof(frame); /* nmap counts the ARP packet, not the frame */
	} else {
		/* -D: the same probe from each decoy, ours among them */
		size_t nd = p->kind == PK_ND ? 0 : e->cfg->ndecoys, extra = 0;
		struct pkt_addr da;
		len = 0;
		for (size_t d = 0; d <= nd; d++) {
			int r = send_ip_probe(s, rh, p, tryno, now, decoy_src(e, rh, d, &da));
			if (r < 0)
				return r;
			len = d == e->cfg->decoy_me || !nd ? r : len;
			extra += d == e->cfg->decoy_me || !nd ? 0 : (size_t)r;
		}
		e->raw_sent += nd;
		e->raw_sent_bytes += extra;
		if (s->npass < IO_BATCH)
			s->pass[s->npass++] = (uint32_t)item; /* stamped by rs_flush */
	}
	if (s->first_us && !s->tries[item])
		s->first_us[item] = us_of(s, now);
	if (s->tries[item] < 255)
		s->tries[item]++;
	s->sent_us[item] = us_of(s, ts);
	s->flags[item] = (uint8_t)((s->flags[item] & ~IT_OLD) | IT_INRING);
	s->ring[(s->rhead + s->rlen) % s->rcap] = (uint32_t)item;
	s->rlen++;
	s->outstanding++;
	s->inflight++;
	e->sent++;
	e->raw_sent++;
	e->raw_sent_bytes += (unsigned long)len;
	return 0;
}

/* Send what is queued; its probes left when the sendmmsg began. A ping
 * scan flushes each probe on its own (rs_loop), so each host's round trip
 * is its probe's and its reply's own: stamped with the loop pass's time
 * and read in batches, every host of a sweep showed the same latency, the
 * time a batch of 256 took (1.6 ms for hosts 40 us away). */
static void rs_flush(struct rs *s)
{
	uint32_t ta = us_of(s, io_now());
	io_tx_flush(&s->e->tx);
	for (unsigned k = 0; k < s->npass; k++)
		s->sent_us[s->pass[k]] = ta;
	s->npass = 0;
}

/* send_item, and if the batch filled and went out on its own meanwhile
 * (fragments or decoys beyond the room left), the probes it carried are
 * stamped with the time before it. A stamp at the next rs_flush came late:
 * rs_loop's flush-before-full check was n + 1 > IO_BATCH, never true as
 * the batch leaves by itself at IO_BATCH, so every 64th probe of a pass
 * sent the batch unstamped and its probes took the stamp of the pass's
 * last flush, up to SEND_CHUNK probes later. Beside three busy loops a
 * pass took tens of ms: replies came back "0-10 ms" after their probes on
 * the lab's 20 ms slow link, the least round trip fell to a few ms, every
 * random loss then looked like queueing and the window stayed at 5-15
 * (1-10000 in 5-48 s in 9 of 20 runs, not 1 s). */
static int send_queued(struct rs *s, size_t item, double now)
{
	unsigned long f0 = s->e->tx.flushes;
	uint32_t before = us_of(s, io_now());
	int r = send_item(s, item, now);
	if (s->e->tx.flushes != f0) {
		for (unsigned k = 0; k < s->npass; k++)
			s->sent_us[s->pass[k]] = before;
		s->npass = 0;
	}
	return r;
}

/* An unanswered transmission stops counting: answered or timed out. */
static void leave_ring(struct rs *s, size_t item)
{
	if (!(s->flags[item] & IT_INRING))
		return;
	s->outstanding--;
	if (!(s->flags[item] & IT_OLD))
		s->inflight--;
	s->flags[item] &= (uint8_t) ~(IT_INRING | IT_OLD);
}

/* Probes unanswered after a few round trips are presumed lost as far as
 * the window is concerned (they still wait out the full timeout before
 * being retried or given up): silence from filtered ports and lost
 * packets must not stall the pipe while the timeout is long. */
static void age(struct rs *s, double now)
{
	/* Before any answer, discovery assumes silence is the norm (dead
	 * addresses), not a full pipe: a dead /16 must not crawl at one
	 * window per initial timeout. */
	double l = s->have_rtt			   ? 4 * s->srtt + 4 * s->rttvar
		   : s->run->mode == RUN_DISCOVERY ? DISCOVERY_AGE
						   : rs_timeout(s);
	if (l < 0.002)
		l = 0.002;
	uint32_t now_us = us_of(s, now), l_us = (uint32_t)(l * 1e6);
	while (s->rold < s->rlen) {
		uint32_t it = s->ring[(s->rhead + s->rold) % s->rcap];
		if (s->flags[it] & IT_INRING) {
			if (now_us - s->sent_us[it] < l_us)
				break;
			if (!(s->flags[it] & IT_OLD)) {
				s->flags[it] |= IT_OLD;
				s->inflight--;
			}
		}
		s->rold++;
	}
}

/* The least round trip of the last full round (srtt) and of the current
 * one: what a queue would raise, compared with the run's minimum. And the
 * most answers a second a round has had: what the path can carry. */
static void round_min(struct rs *s, double r, double now)
{
	s->round_answers++;
	if (s->round_start <= 0 || now - s->round_start > s->srtt) {
		if (s->round_start > 0) {
			double rate = (double)(s->round_answers - 1) / (now - s->round_start);
			if (rate > s->max_rate)
				s->max_rate = rate;
		}
		s->round_answers = 1;
		/* rmin_prev: the least of the last RMIN_ROUNDS full rounds, so
		 * a queue is a longer round trip three rounds on: a machine
		 * starved of CPU delays the lab's slow link for a round or two
		 * every few hundred ms, and with the last round alone each of
		 * those with a random loss halved the window */
		double done = s->round_start > 0 ? s->rmin_cur : r;
		s->rmin_hist[s->nrounds++ % RMIN_ROUNDS] = done;
		s->rmin_prev = done;
		for (unsigned k = 0; k < RMIN_ROUNDS && k < s->nrounds; k++)
			if (s->rmin_hist[k] < s->rmin_prev)
				s->rmin_prev = s->rmin_hist[k];
		s->rmin_cur = r;
		s->round_start = now;
	} else if (r < s->rmin_cur) {
		s->rmin_cur = r;
	}
}

static void rtt_sample(struct rs *s, struct rhost *rh, double r, double now)
{
	/* (0: a reply stamped before its probe left, no round trip) */
	if (r <= 0)
		return;
	round_min(s, r, now);
	/* The run's least round trip, the floor queueing is judged from: a
	 * sample far below the smoothed one is not the path's (on a loaded
	 * machine the lab's 20 ms slow link gave 10 ms samples, and every
	 * round's least then looked like a queue: 1-10000 in 9-14 s in 7 of
	 * 40 runs beside three busy loops); one that came first is replaced
	 * within the first samples, once the smoothed one shows it */
	bool sane = r >= 0.75 * s->srtt;
	if (!s->have_rtt ||
	    (sane && (r < s->min_rtt || (s->nrtt < 16 && s->min_rtt < 0.75 * s->srtt))))
		s->min_rtt = r;
	if (r > s->max_seen)
		s->max_seen = r;
	s->nrtt++;
	if (!s->have_rtt) {
		s->srtt = r;
		s->rttvar = r > 0.005 ? r : 0.005;
		s->have_rtt = true;
	} else {
		double d = fabs(r - s->srtt);
		s->srtt += (r - s->srtt) / 8;
		s->rttvar += (d - s->rttvar) / 4;
	}
	rhost_rtt_sample(rh, r);
}

/* Count one answer for the loss share of the current epoch: probes whose
 * first copy left after the window or the send delay last changed (the
 * answers to older ones tell of a rate no longer used). The counts are
 * halved as they grow, so they tell of the last few windows only. */
static void loss_count(struct rs *s, size_t item, bool lost)
{
	if (s->t0 + s->first_us[item] * 1e-6 < s->last_cut)
		return;
	if (lost) {
		s->ep_lost++;
		s->flags[item] |= IT_LOSTCNT;
	} else {
		s->ep_good++;
	}
	double keep = 4 * s->cwnd > 128 ? 4 * s->cwnd : 128;
	if ((double)(s->ep_lost + s->ep_good) > keep) {
		s->ep_lost /= 2;
		s->ep_good /= 2;
	}
}

/* More than pct % of the epoch's answers needed a retransmission, over at
 * least min_lost losses (random loss of a few percent stays below). */
static bool loss_over(const struct rs *s, unsigned long min_lost, unsigned long pct)
{
	unsigned long n = s->ep_lost + s->ep_good;
	return s->ep_lost >= min_lost && s->ep_lost * 100 > n * pct;
}

static void new_epoch(struct rs *s, double now)
{
	s->last_cut = now;
	s->ep_lost = s->ep_good = 0;
}

/* The send delay of the host that lost item doubles, up to
 * --max-scan-delay (nmap keeps it per host: the other hosts go on at
 * their own pace). */
static void boost_delay(struct rs *s, size_t item)
{
	hostpace_boost(&s->pace, item % s->nh, s->e->tm.max_scan_delay);
}

/* Whether a longer round trip can be a queue of the scan's own making:
 * more in flight than the path has carried in a round trip at its least
 * (the most answers a second a round had, times the least round trip).
 * With less in flight the delay is someone else's: on a machine starved
 * of CPU (three busy loops on two cores) the lab's slow link, a daemon
 * that holds each packet 10 ms, answered in 40-90 ms at times whatever
 * was sent; each random loss then halved the window, down to ~30 probes
 * on a path that carries ~300 a round trip (1-10000 in 5-20 s in 8 of 50
 * runs, the median 1.4 s). */
static bool own_queue(const struct rs *s)
{
	return s->max_rate <= 0 || s->cwnd > s->max_rate * s->min_rtt;
}

#define LOSS_CUT_PCT 15
#define LIMITED_SS 200.0
#define LOSS_DELAY_PCT 30

/* A probe's first copy was lost (its retransmission was answered): back
 * off the window, at most once per round trip. If most answers need a
 * retransmission, the other side is rate limiting (ICMP errors, some
 * stacks' RSTs): sending faster only loses more, so slow the send rate
 * itself, doubling the delay up to --max-scan-delay. Random loss of a
 * few percent does not trigger it: the ratio is over answered probes.
 *
 * In a TCP port scan a loss share over LOSS_CUT_PCT halves the window
 * too (down to INIT_CWND), and the send delay grows only once the window
 * is down there and the share is still over LOSS_DELAY_PCT: a burst lost
 * to a full buffer is the window's fault. Judged on retransmissions
 * answered after the window's own burst, the old rule read that burst's
 * loss as a rate limit and doubled the delay to its 1 s cap within a few
 * hundred answers, for good: the rest of the scan crawled at one probe a
 * second. Both rules count only probes sent after the last change. */
static void on_drop(struct rs *s, size_t item, double now)
{
	const struct timing *tm = &s->e->tm;
	s->drops_since++;
	/* Once per window, as TCP does: only a loss of a probe first sent
	 * after the last cut says the cut was not enough. The first copy
	 * went out one timeout before the copy that was answered. */
	double first = s->first_us ? s->t0 + s->first_us[item] * 1e-6
				   : s->t0 + s->sent_us[item] * 1e-6 - rs_timeout(s);
	/* A loss while the round trip is still at its floor is not a queue
	 * overflowing: links that drop a few percent at random (radio, a
	 * lossy hop) would otherwise hold the window at a handful of probes
	 * per round trip. Only losses with queueing delay count: the least
	 * round trip of the last rounds well above the run's least, as
	 * HyStart compares them. The smoothed round trip is no measure of a
	 * queue on a path with jitter: one early packet (the lab's slow link
	 * releases them up to ~2 ms early each way when its daemon wakes
	 * late) set the minimum at 13 ms on a 20 ms path, srtt passed 1.5 x
	 * that + 2 ms with no queue at all, every random loss halved the
	 * window, and it stayed at 10-25 probes: 7 of 30 runs of 1-20000
	 * took 4-17 s at load 7 (the others about 1 s). */
	double recent = s->rmin_cur < s->rmin_prev ? s->rmin_cur : s->rmin_prev;
	bool queueing = !s->have_rtt || (recent > 1.5 * s->min_rtt + 0.002 && own_queue(s));
	/* (over 40 answers at least: right after a cut 8 lost of 13, one
	 * stall's, halved the window again) */
	bool heavy =
		loss_judged(s) && s->ep_lost + s->ep_good >= 40 && loss_over(s, 8, LOSS_CUT_PCT);
	double floor = queueing ? 1 : INIT_CWND;
	if ((queueing || heavy) && first > s->last_cut && s->cwnd > floor) {
		s->cwnd /= 2;
		if (s->cwnd < floor)
			s->cwnd = floor;
		if (tm->min_par > 0 && s->cwnd < tm->min_par)
			s->cwnd = tm->min_par;
		s->ssthresh = s->cwnd;
		new_epoch(s, now);
	}
	if (tm->max_scan_delay <= 0)
		return;
	if (loss_judged(s)) {
		if (s->cwnd <= INIT_CWND && s->ep_lost + s->ep_good >= 30 &&
		    loss_over(s, 1, LOSS_DELAY_PCT)) {
			boost_delay(s, item);
			new_epoch(s, now);
		}
		return;
	}
	unsigned long answered = s->drops_since + s->sent_since;
	if (answered >= 30 && s->drops_since * 100 > answered * 30) {
		boost_delay(s, item);
		s->sent_since = s->drops_since = 0;
	}
}

/* UDP ports nmap 7.93 sends several datagrams to in one try (its payload
 * variants; counted with --packet-trace --max-retries 0 over 68 common
 * ports in the lab): its traceroute ranks their replies low. */
static bool nmap_several_payloads(uint16_t port)
{
	static const uint16_t several[] = {53,	 137, 161, 500, 623,   1194, 2049,
					   5353, 69,  111, 123, 17185, 64738};
	for (size_t i = 0; i < sizeof(several) / sizeof(several[0]); i++)
		if (several[i] == port)
			return true;
	return false;
}

/* The reply --traceroute will probe again, as nmap keeps its ping probe:
 * from host discovery's TCP and UDP probes (-PS, -PA, -PU: a RST or a
 * port unreachable ranks as closed, a SYN-ACK or a UDP answer as open)
 * and from raw port scans (a RST to -sA's ACK, "unfiltered", as closed);
 * the tracer then sends that probe's flags. */
static void note_pingprobe(const struct rs *s, struct rhost *rh, const struct probe_def *d,
			   uint8_t st, const struct match *m)
{
	if (d->kind != PK_TCP && d->kind != PK_UDP)
		return;
	bool disc = s->run->mode == RUN_DISCOVERY;
	if (!disc && s->run->scan == SCAN_CONNECT)
		return;
	if (disc)
		st = m->reason == REASON_RESET || m->reason == REASON_PORT_UNREACH     ? PORT_CLOSED
		     : m->reason == REASON_SYN_ACK || m->reason == REASON_UDP_RESPONSE ? PORT_OPEN
										       : 0;
	else if (st == PORT_UNFILTERED)
		st = PORT_CLOSED;
	struct port_result p = {.port = d->port,
				.proto = d->kind == PK_TCP ? IPPROTO_TCP : IPPROTO_UDP,
				.state = st,
				.reason = m->reason,
				.reason_ttl = m->ttl};
	host_note_pingprobe(rh->h, &p, p.proto == IPPROTO_UDP && nmap_several_payloads(d->port),
			    d->kind == PK_TCP ? d->flags : 0);
}

static void resolve_item(struct rs *s, size_t item, const struct match *m)
{
	struct rhost *rh = &s->run->hosts[m->host];
	if (s->run->mode == RUN_DISCOVERY) {
		rh->up = true;
		s->hup[m->host] = 1;
		s->hosts_up++;
		rh->h->status = HOST_UP;
		rh->h->reason = m->reason;
		rh->h->reason_ttl = m->ttl;
		note_pingprobe(s, rh, &s->run->probes[m->probe], 0, m);
		if (m->mac) {
			memcpy(rh->h->mac, m->mac, 6);
			rh->h->has_mac = true;
		}
		engine_found_up(s->e, rh->h);
		/* every copy of every probe to it is answered now */
		for (size_t p = 0; p < s->run->nprobes; p++) {
			leave_ring(s, p * s->nh + m->host);
		}
		return;
	}
	if (m->mac && !rh->h->has_mac) {
		memcpy(rh->h->mac, m->mac, 6);
		rh->h->has_mac = true;
	}
	if (m->reason == REASON_PORT_UNREACH || m->reason == REASON_PROTO_UNREACH)
		s->icmp_answers++;
	uint8_t st = m->tryno == MATCH_IN_PROTOCOL
			     ? PORT_OPEN
			     : reply_state(s->run->scan, m->reason, &s->run->probes[m->probe]);
	if (s->run->scan == SCAN_WINDOW && m->reason == REASON_RESET && m->win)
		st = PORT_OPEN; /* a RST with a window: some stacks' open ports */
	if (st == PORT_UNKNOWN)
		return;
	s->st[item] = st;
	s->reason[item] = m->reason;
	s->ttl[item] = m->ttl;
	note_pingprobe(s, rh, &s->run->probes[m->probe], st, m);
	leave_ring(s, item);
	portfin_add(&s->fin, item);
	if (st == PORT_OPEN)
		engine_found_open(s->e, s->run, item, m->reason, m->ttl);
	runprog_settle(&s->prog, item, io_now());
}

/* The frame a reply came in names the target's MAC when the target is on
 * the LAN; nmap takes it from there when it sent without resolving it
 * (--send-ip): from any reply of a ping scan, but in a port scan only
 * from TCP replies (-sO: any reply from the target itself). */
static void mac_from_frame(const struct rs *s, const struct io_pkt *pk, struct match *m)
{
	const struct rhost *rh = &s->run->hosts[m->host];
	if (m->mac || rh->h->has_mac || !rh->ri.direct || pk->hwlen != 6 || !m->from_target)
		return;
	if (s->run->mode == RUN_PORTS && s->run->scan != SCAN_IPPROTO && m->proto != IPPROTO_TCP)
		return;
	m->mac = pk->hwaddr;
}

/* Slow start's growth for one answer: one, or in a TCP port scan above
 * LIMITED_SS at most LIMITED_SS / 2 a round trip (RFC 3742's limited slow
 * start). The first sign of loss is a retransmission answered, a timeout
 * (>= 100 ms) after the loss: doubling every round trip until then sent
 * tens of times what a 20 ms path held, and a third of that burst was
 * lost. */
static double slow_start_step(const struct rs *s)
{
	if (!s->first_us || s->cwnd <= LIMITED_SS)
		return 1;
	return LIMITED_SS / (2 * s->cwnd);
}

/* Far below what the path has carried (half the most answers a second a
 * round had, times the least round trip) and with no queue: the window
 * grows as in slow start back to there. A cut for a burst of loss (a
 * machine starved of CPU dropped 15-20 % of a few rounds on the lab's
 * slow link) left it at 40-70 with ~300 carried before, and one probe
 * more per round trip took seconds to get back (1-10000 in 3-5 s, not
 * 1). A path that carries less now loses again and is cut again. */
static bool below_seen(const struct rs *s)
{
	double recent = s->rmin_cur < s->rmin_prev ? s->rmin_cur : s->rmin_prev;
	return s->cwnd < 0.5 * s->max_rate * s->min_rtt && recent <= 1.5 * s->min_rtt + 0.002;
}

/* The first copy's answer came after a retransmission's: that copy was
 * not lost, only late, and no longer counts in the loss share. On a
 * machine starved of CPU the lab's slow link held both copies through a
 * stall and released them together, its jitter let the second's answer
 * overtake the first's, and 17-18 % of the answers looked lost: each such
 * share halved the window (1-10000 in 5-10 s, not 1). */
static void late_first(struct rs *s, size_t item, const struct match *m)
{
	if (m->tryno != 0 || !(s->flags[item] & IT_LOSTCNT))
		return;
	s->flags[item] &= (uint8_t)~IT_LOSTCNT;
	if (s->ep_lost > 0) {
		s->ep_lost--;
		s->ep_good++;
	}
}

static void on_reply(struct rs *s, const struct match *m, double now)
{
	size_t item = m->probe * s->nh + m->host;
	/* the try number a reply carries (our source port, an echo's
	 * sequence) names a copy never sent: a forged or stray answer, as
	 * when an ICMP error quotes a UDP probe from the next source port */
	if (m->tryno >= 0 && s->tries[item] <= 16 && (unsigned)m->tryno >= s->tries[item])
		return;
	if (item_done(s, item)) {
		late_first(s, item, m);
		return;
	}
	if (s->run->mode == RUN_DISCOVERY && (!m->from_target || !reply_says_up(m->reason)))
		return;
	s->e->rcvd++;
	int tryno = m->tryno;
	/* a reply that does not carry its try number (ARP, ND) still times
	 * the first transmission: nothing else can have drawn it */
	bool timed = tryno >= 0 ? s->tries[item] && tryno == ((s->tries[item] - 1) & 15)
				: tryno == -1 && s->tries[item] == 1;
	if (timed) {
		double r = since_sent(s, item, now);
		rtt_sample(s, &s->run->hosts[m->host], r, now);
		if (s->run->mode == RUN_DISCOVERY && s->run->hosts[m->host].h->rtt <= 0)
			s->run->hosts[m->host].h->rtt = r;
	} else if (s->run->hosts[m->host].srtt <= 0 && s->tries[item]) {
		/* An earlier copy was answered (its retransmission left early,
		 * the tail loss probe): the time since the last copy is a
		 * lower bound, better than no timing at all for this host.
		 * The window's own RTT stays untouched. */
		rhost_rtt_sample(&s->run->hosts[m->host], since_sent(s, item, now));
	}
	int t = tryno >= 0 ? tryno : (s->tries[item] ? s->tries[item] - 1 : 0);
	/* --defeat-rst-ratelimit (and --open): a closed port's RST to a
	 * retransmission is not taken for congestion, nmap's way past hosts
	 * that rate-limit their RSTs */
	if (t > 0 && s->e->cfg->defeat_rst_ratelimit && s->run->scan == SCAN_SYN &&
	    m->reason == REASON_RESET) {
		resolve_item(s, item, m);
		return;
	}
	if (t > s->mst)
		s->mst = t;
	if (loss_judged(s))
		loss_count(s, item, t > 0);
	if (t > 0) {
		on_drop(s, item, now);
	} else if (s->cwnd < s->ssthresh || below_seen(s)) {
		s->sent_since++;
		s->cwnd += slow_start_step(s);
	} else {
		s->sent_since++;
		s->cwnd += 1 / s->cwnd;
	}
	if (s->cwnd > s->max_cwnd)
		s->cwnd = s->max_cwnd;
	resolve_item(s, item, m);
}

/* The interfaces replies may come in by: those the run's routes use.
 * A bridge's port and the bridge itself both hand the capture socket
 * the same frame; nmap listens on the route's device alone, so it sees
 * (and counts) one copy. */
static void rs_ifaces(struct rs *s)
{
	s->nifs = 0;
	for (size_t h = 0; h < s->nh; h++) {
		int ifi = s->run->hosts[h].ri.ifindex;
		size_t k = 0;
		while (k < s->nifs && s->ifs[k] != ifi)
			k++;
		if (k < s->nifs || !ifi)
			continue;
		if (s->nifs == RS_MAX_IFS) {
			s->nifs = 0;
			return;
		}
		s->ifs[s->nifs++] = ifi;
	}
}

static bool rs_iface_ok(const struct rs *s, int ifindex)
{
	if (!s->nifs || !ifindex)
		return true;
	for (size_t k = 0; k < s->nifs; k++)
		if (s->ifs[k] == ifindex)
			return true;
	return false;
}

static int drain_rx(struct rs *s)
{
	struct io_pkt pk[IO_BATCH];
	int total = 0;
	for (int round = 0; round < 64; round++) {
		int n = io_rx_batch(&s->e->rx, pk, IO_BATCH);
		if (n <= 0)
			return n < 0 ? n : total;
		const struct scan_hooks *hk = &s->e->cfg->hooks;
		for (int i = 0; i < n; i++) {
			struct match m;
			if (!rs_iface_ok(s, pk[i].ifindex))
				continue;
			if (hk->packet_trace && reply_from_group(s, &pk[i]))
				engine_trace(s->e, TRACE_RCVD, pk[i].ts, pk[i].data, pk[i].len);
			if (reply_match(s, &pk[i], &m)) {
				mac_from_frame(s, &pk[i], &m);
				s->e->raw_rcvd++;
				s->e->raw_rcvd_bytes += pk[i].len;
				on_reply(s, &m, pk[i].ts);
			}
			/* Every host is up: nmap's ping scan ends here and
			 * reads (traces, counts) none of the later replies
			 * to the same round of probes. */
			if (s->run->mode == RUN_DISCOVERY && s->hosts_up >= s->nh)
				return total + i + 1;
		}
		total += n;
	}
	return total;
}

/* A retransmission went unanswered too, while the host does send ICMP
 * errors: its limiter is slower than our spacing. Space them wider (at
 * most once per gap, up to the scan delay cap) and let parked probes have
 * another round at the new pace. */
static void retry_unanswered(struct rs *s, double now)
{
	if (!icmp_answered(s) || !s->icmp_answers || now - s->gap_grown < s->retry_gap)
		return;
	double cap = s->e->tm.max_scan_delay > 0 ? s->e->tm.max_scan_delay : 1.0;
	if (s->retry_gap * 2 > cap)
		return;
	s->retry_gap *= 2;
	s->gap_grown = now;
	s->gap_rounds = true;
}

/* At the end of a TCP port scan the only thing left is waiting out the
 * retransmissions to silent (filtered) ports, and the template's floor on
 * the timeout (--min-rtt-timeout, 100 ms) then sets when the scan ends,
 * whatever the path's round trip. Once thousands of answers have shown
 * what the path's round trip can be, a reply later than twice the longest
 * one seen (and than srtt + 4 rttvar) is not coming: wait that long, plus
 * 5 ms. A slow or loaded path has long samples and keeps the usual
 * timeout; a --min-rtt-timeout the user gave is kept as given; UDP and
 * protocol scans, whose answers are rate limited, keep theirs too. */
static uint32_t tail_timeout_us(const struct rs *s, uint32_t to_us)
{
	if (!s->have_rtt || s->run->mode != RUN_PORTS || icmp_answered(s) ||
	    s->e->cfg->timing.min_rtt_timeout > 0 || s->nrtt < 1000)
		return to_us;
	double a = 2 * s->max_seen, b = s->srtt + 4 * s->rttvar;
	double q = (a > b ? a : b) + 0.005;
	return q * 1e6 < to_us ? (uint32_t)(q * 1e6) : to_us;
}

/* Probes whose time is up leave the ring: retried, parked (may be retried
 * if a later try ever gets an answer) or left to their default state. */
static void expire(struct rs *s, double now)
{
	double to = rs_timeout(s);
	uint32_t now_us = us_of(s, now), to_us = (uint32_t)(to * 1e6);
	int allowed = s->mst + 1 > 1 ? s->mst + 1 : 1;
	int cap = s->e->tm.max_retries;
	/* Tail loss probe (as TCP's): once nothing new is left to send, a
	 * first transmission still unanswered after a few round trips is
	 * retried at once instead of after the full timeout. It is the same
	 * retransmission nmap would make, only earlier, so the scan's tail
	 * costs one timeout instead of two. */
	bool tail = s->cursor >= s->n && s->rq_len == 0;
	uint32_t tlp_us = to_us;
	if (tail && s->have_rtt && cap > 0) {
		double tlp = 4 * s->srtt + 0.002;
		if (tlp * 1e6 < to_us)
			tlp_us = (uint32_t)(tlp * 1e6);
	}
	uint32_t last_us = tail ? tail_timeout_us(s, to_us) : to_us;
	while (s->rlen) {
		uint32_t it = s->ring[s->rhead];
		if (s->flags[it] & IT_INRING) {
			uint32_t lim = s->tries[it] == 1 ? tlp_us : last_us;
			if (now_us - s->sent_us[it] < lim)
				break;
			leave_ring(s, it);
			int tryno = s->tries[it] - 1;
			if (tryno > 0)
				retry_unanswered(s, now);
			if (tryno < allowed && tryno < cap) {
				s->retq[(s->rq_head + s->rq_len) % s->n] = it;
				s->rq_len++;
			} else if (tryno < cap) {
				s->parked[s->nparked++] = it;
			} else {
				runprog_settle(&s->prog, it, now); /* out of retries */
			}
		}
		s->rhead = (s->rhead + 1) % s->rcap;
		s->rlen--;
		if (s->rold)
			s->rold--;
	}
}

/* A TCP port scan on a path that loses packets (a retried probe was
 * answered, so loss is proven) can end with a few probes whose every
 * allowed copy was lost: the allowance grows only when some probe is
 * answered at a higher try number, and nothing is left to be. On the
 * lab's slow link (5 % loss a round trip, more in a burst that overflows
 * a queue) 1 run in 50 of 1-10000 or 1-20000 reported a closed port
 * filtered. Where they are a few next to many answered ports they are
 * lost, not silent: up to LOSS_ROUNDS more rounds for them. A host of
 * filtered ports, or a path without loss, keeps nmap's allowance. */
#define LOSS_ROUNDS 2
static bool loss_round(struct rs *s)
{
	if (s->loss_rounds >= LOSS_ROUNDS || s->mst < 1 || !s->nparked || icmp_answered(s) ||
	    s->run->mode != RUN_PORTS || s->nparked > 8 + s->nrtt / 100)
		return false;
	s->loss_rounds++;
	bool work = false;
	for (size_t i = 0; i < s->nparked; i++) {
		uint32_t it = s->parked[i];
		if (!item_done(s, it) && s->tries[it] - 1 < s->e->tm.max_retries) {
			s->retq[(s->rq_head + s->rq_len) % s->n] = it;
			s->rq_len++;
			work = true;
		}
	}
	s->nparked = 0;
	return work;
}

/* Everything sent and settled: retry parked probes if the allowance grew
 * since they were parked. Returns true if there is work again. */
static bool unpark(struct rs *s)
{
	int allowed = s->mst + 1 > 1 ? s->mst + 1 : 1;
	size_t keep = 0;
	bool work = false;
	for (size_t i = 0; i < s->nparked; i++) {
		uint32_t it = s->parked[i];
		if (item_done(s, it))
			continue;
		if (s->tries[it] - 1 < allowed) {
			s->retq[(s->rq_head + s->rq_len) % s->n] = it;
			s->rq_len++;
			work = true;
		} else {
			s->parked[keep++] = it;
		}
	}
	s->nparked = keep;
	if (!work && s->gap_rounds && s->nparked && s->mst == 0) {
		/* No retransmission was ever answered and the retry pace
		 * changed: one more round for what is parked. (Once one is
		 * answered, the pace gets through and the retry rule above
		 * decides; what stays silent then is silent.) */
		s->gap_rounds = false;
		for (size_t i = 0; i < s->nparked; i++) {
			uint32_t it = s->parked[i];
			if (!item_done(s, it) && s->tries[it] - 1 < s->e->tm.max_retries) {
				s->retq[(s->rq_head + s->rq_len) % s->n] = it;
				s->rq_len++;
				work = true;
			}
		}
		s->nparked = 0;
	}
	if (!work && loss_round(s))
		return true;
	if (!work)
		s->nparked = 0;
	return work;
}

static unsigned send_budget(struct rs *s, double now)
{
	const struct timing *tm = &s->e->tm;
	double room = s->cwnd - (double)s->inflight;
	unsigned want = room > 0 ? (unsigned)room : 0;
	if (tm->min_rate > 0) {
		/* --min-rate: at least this many per second, window or not */
		s->min_tokens += (now - s->min_last) * tm->min_rate;
		s->min_last = now;
		if (s->min_tokens > SEND_CHUNK)
			s->min_tokens = SEND_CHUNK;
		if (want < (unsigned)s->min_tokens)
			want = (unsigned)s->min_tokens;
	}
	if (s->rlen + want > s->rcap)
		want = (unsigned)(s->rcap - s->rlen);
	if (want > SEND_CHUNK)
		want = SEND_CHUNK;
	return io_pacer_take(&s->pacer, want, now);
}

static int rs_loop(struct rs *s)
{
	uint8_t def = reply_default_state(s->run->scan);
	for (;;) {
		double now = io_now();
		if (portfin_tick(&s->fin, s->st, s->reason, s->ttl, def, now, false))
			return -EINTR;
		runprog_tick(&s->prog, now, s->cursor, s->outstanding + s->rq_len, s->n);
		runprog_check_timeouts(&s->prog, now);
		expire(s, now);
		age(s, now);
		unsigned budget = send_budget(s, now), sent = 0;
		while (sent < budget) {
			long it = next_item(s, now);
			if (it < 0)
				break;
			/* flushed here before the batch fills (and would flush
			 * itself), so that each flush stamps its probes */
			if (s->e->tx.n + 1 + s->e->cfg->ndecoys >= IO_BATCH)
				rs_flush(s);
			int r = send_queued(s, (size_t)it, now);
			if (r < 0)
				return r;
			if (s->run->mode == RUN_DISCOVERY)
				rs_flush(s);
			sent++;
		}
		s->min_tokens = s->min_tokens > sent ? s->min_tokens - sent : 0;
		if (sent)
			rs_flush(s);
		int got = drain_rx(s);
		if (got < 0)
			return got;
		bool fresh = s->cursor < s->n || s->rq_len;

		if (!fresh && s->outstanding == 0 && !unpark(s))
			return 0;
		if (sent || got)
			continue;
		/* nothing to do now: sleep until a reply, the head of the ring
		 * times out, or the pacer or the send delay lets one more go */
		double wait = 0.005;
		if (s->rlen) {
			uint32_t it = s->ring[s->rhead];
			double due = s->t0 + s->sent_us[it] * 1e-6 + rs_timeout(s) - now;
			if (due < wait)
				wait = due;
		}
		if (fresh && (double)s->inflight < s->cwnd) {
			double pw = io_pacer_wait(&s->pacer, now);
			double dw = s->pace.wake > 0 ? s->pace.wake - now : 0;
			double w = pw > dw ? pw : dw;
			if (w < wait)
				wait = w;
		}
		if (s->rq_len && s->next_retry > now && s->next_retry - now < wait)
			wait = s->next_retry - now;
		if (fresh && s->e->tm.min_rate > 0 && 1 / s->e->tm.min_rate < wait)
			wait = 1 / s->e->tm.min_rate;
		io_rx_wait(&s->e->rx, wait > 0.0001 ? wait : 0.0001);
	}
}

/* The run is over: every port's result is final. Known ones (a resumed
 * scan's) are in the host records already. */
static void finish_ports(struct rs *s)
{
	uint8_t proto = 0;
	uint8_t def = reply_default_state(s->run->scan);
	for (size_t p = 0; p < s->run->nprobes; p++) {
		const struct probe_def *d = &s->run->probes[p];
		proto = d->kind == PK_TCP    ? IPPROTO_TCP
			: d->kind == PK_UDP  ? IPPROTO_UDP
			: d->kind == PK_SCTP ? IPPROTO_SCTP
					     : 0;
		for (size_t h = 0; h < s->nh; h++) {
			size_t it = p * s->nh + h;
			struct host *host = s->run->hosts[h].h;
			if (portfin_known(&s->fin, it))
				continue;
			if (!s->st[it])
				portfin_add(&s->fin, it);
			if (s->st[it])
				host_add_port_result(host, proto, d->port, s->st[it], s->reason[it],
						     s->ttl[it]);
			else
				host_add_port_result(host, proto, d->port, def, REASON_NO_RESPONSE,
						     0);
		}
	}
	portfin_tick(&s->fin, s->st, s->reason, s->ttl, def, io_now(), true);
}

int rs_init(struct rs *s, struct engine *e, struct raw_run *run)
{
	memset(s, 0, sizeof(*s));
	s->e = e;
	s->run = run;
	s->nh = run->nhosts;
	s->n = run->nhosts * run->nprobes;
	if (s->n > UINT32_MAX)
		return -E2BIG;
	const struct timing *tm = &e->tm;
	s->max_cwnd = tm->max_par > 0 ? tm->max_par : DEFAULT_MAX_CWND;
	/* Discovery expects silence from dead addresses, which must not
	 * starve the window: start it wider, as nmap's ping scans do. */
	double init = run->mode == RUN_DISCOVERY ? INIT_PING_CWND : INIT_CWND;
	s->cwnd = tm->min_par > init ? tm->min_par : init;
	if (s->cwnd > s->max_cwnd)
		s->cwnd = s->max_cwnd;
	s->ssthresh = s->max_cwnd;
	int r = rs_alloc(s);
	if (r == 0)
		r = hostpace_init(&s->pace, s->nh, tm->scan_delay);
	if (r == 0)
		r = portfin_init(&s->fin, e, run, s->st, s->reason, s->ttl);
	s->t0 = io_now();
	if (r == 0)
		r = runprog_init(&s->prog, e, run, &s->fin, s->t0);
	if (r < 0) {
		rs_free(s);
		return r;
	}
	rs_ifaces(s);
	perm_init(&s->perm, s->nh, &e->key);
	s->last_cut = s->t0;
	s->min_last = s->t0;
	io_pacer_init(&s->pacer, tm->max_rate, tm->max_rate > 0 ? 8 : 1, s->t0);
	return 0;
}

void rs_fini(struct rs *s)
{
	rs_free(s);
}

int raw_scan(struct engine *e, struct raw_run *run)
{
	if (!run->nhosts || !run->nprobes)
		return 0;
	struct rs s;
	e->raw_used = true;
	/* Each run sends from source ports of its own, as each of nmap's
	 * scan phases does (its base moves by 256). The ping's SYN to port
	 * 443 and a SYN scan's probe to 443 are otherwise the same packet,
	 * so the ping's late RST answered the scan's probe: a round trip of
	 * a few ms on a 20 ms path, which as the run's minimum made every
	 * random loss look like queueing and held the window at a few
	 * probes (a 10,000-port scan of the lossy host in 20 s, not 0.7). */
	if (e->fixed_sport < 0)
		e->sport_base =
			(uint16_t)(e->sport_base + 256 <= 65520 ? e->sport_base + 256
								: e->sport_base + 256 - 32768);
	int r = rs_init(&s, e, run);
	if (r < 0)
		return r;
	r = rs_loop(&s);
	io_tx_flush(&e->tx);
	if (r == 0 && run->mode == RUN_PORTS)
		finish_ports(&s);
	rs_free(&s);
	return r;
}
