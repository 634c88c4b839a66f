/* SPDX-License-Identifier: Apache-2.0 */
/* --traceroute, as nmap's traceroute stage runs after the port scan: one
 * probe kind per host, the one its scan found answering best (nmap's
 * ping probe: host_pingprobe_score in engine/host.h; else an ICMP echo), sent with TTLs 1..distance at once (the distance guessed from
 * the TTL of the port scan's reply, as nmap starts from it) and further
 * out while the host is not reached, to 30. Each TTL's probe carries its
 * TTL in its source port (TCP/UDP) or echo sequence, so a time-exceeded
 * quoting it, or the host's own answer, names the hop. A host on our own
 * link gets one hop and no probes. Hosts whose first hops are those of
 * an earlier host of the group are marked "same as" it. IPv4 and IPv6
 * (hop limits; ICMPv6 echoes, nmap's "proto 58/ipv6-icmp"). */
#include "engine/nmap/internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/random.h>

#include "engine/hosttrace.h"

#define TR_MAXTTL 30
#define TR_TRIES 2
#define TR_WAIT 1.0 /* seconds for the answers to one round */

struct trh {
	struct engine *e;
	struct rhost *rh;
	struct host_trace *t;
	uint16_t base; /* source port of TTL 0 (TCP/UDP), echo id (ICMP) */
	int limit;     /* TTLs 1..limit are being probed */
	int reached;   /* TTL at which the host itself answered, 0 not yet */
	double sent[TR_MAXTTL + 1];
	uint8_t tries[TR_MAXTTL + 1];
};

void host_trace_free(struct host_trace *t)
{
	if (!t)
		return;
	for (int i = 0; i < HTRACE_MAXTTL; i++)
		free(t->hops[i].name);
	free(t);
}

/* nmap's choice: the reply it kept as its ping probe (host discovery's
 * or the port scan's; see host_pingprobe_score: the first of the
 * best-ranked), sent with that probe's TCP flags; after a connect scan
 * (-sT) always an ICMP echo, as nmap 7.93; a scan that kept none (-sO,
 * -sY) ranks its ports the same way in port order; else an echo. */
static void pick_probe(const struct engine *e, const struct host *h, struct host_trace *t, int *ttl)
{
	bool connect = e->cfg->scans & SCAN_CONNECT;
	const struct port_result *best = h->pingprobe_score > 0 ? &h->pingprobe : NULL;
	int bs = 0;
	t->tcpflags = PKT_TCP_SYN;
	for (size_t i = 0; !best && !connect && i < h->nports; i++) {
		const struct port_result *p = &h->ports[i];
		int sc = host_pingprobe_score(p->proto, p->port, p->state, false);
		if (sc > bs) {
			bs = sc;
			*ttl = p->reason_ttl;
			t->proto = p->proto;
			t->port = p->port;
		}
	}
	if (best && !connect) {
		t->proto = best->proto;
		t->port = best->port;
		if (h->pingprobe_tcpflags)
			t->tcpflags = h->pingprobe_tcpflags;
		*ttl = best->reason_ttl;
	} else if (!bs) {
		t->proto = h->addr.ss_family == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
		*ttl = h->reason == REASON_ECHO_REPLY ? h->reason_ttl : 0;
	}
}

/* Hops to a host whose reply came with ttl left: from the usual initial
 * TTLs 64, 128, 255; 0 unknown. */
static int guess_distance(int ttl)
{
	if (ttl <= 0)
		return 0;
	int init = ttl <= 64 ? 64 : ttl <= 128 ? 128 : 255;
	int d = init - ttl + 1;
	return d > TR_MAXTTL ? TR_MAXTTL : d;
}

/* The probe's transport header and payload for TTL ttl into l4. */
static int build_l4(struct engine *e, const struct trh *s, int ttl, uint32_t rnd, uint8_t *l4,
		    size_t cap)
{
	const struct rhost *rh = s->rh;
	if (s->t->proto == IPPROTO_TCP) {
		/* nmap's SYN carries an MSS option, its ACK (-sA) none */
		uint8_t opt[4];
		bool syn = s->t->tcpflags & PKT_TCP_SYN;
		int ol = syn ? pkt_tcpopt_mss(opt, sizeof(opt), 0, 1460) : 0;
		struct pkt_tcp tcp = {.sport = (uint16_t)(s->base + ttl),
				      .dport = s->t->port,
				      .seq = rnd,
				      .flags = s->t->tcpflags,
				      .window = (uint16_t)(rnd >> 16 | 1024),
				      .opt = opt,
				      .optlen = ol > 0 ? (size_t)ol : 0};
		return pkt_tcp_build(l4, cap, &tcp, NULL, 0, &rh->ri.src, &rh->addr);
	}
	if (s->t->proto == IPPROTO_UDP) {
		/* the port's payload, as the scan sent it (a DNS query to 53) */
		struct pkt_udp u = {.sport = (uint16_t)(s->base + ttl), .dport = s->t->port};
		size_t plen = 0;
		const uint8_t *pl =
			e->payloads ? payloads_get(e->payloads, s->t->port, &plen) : NULL;
		if (plen > cap - PKT_UDP_HLEN)
			plen = 0;
		return pkt_udp_build(l4, cap, &u, pl, pl ? plen : 0, &rh->ri.src, &rh->addr);
	}
	bool v6 = rh->addr.family == AF_INET6;
	return pkt_icmp_echo_build(l4, cap, v6, v6 ? PKT_ICMP6_ECHO : PKT_ICMP_ECHO, s->base,
				   (uint16_t)ttl, NULL, 0, &rh->ri.src, &rh->addr);
}

static int send_probe(struct engine *e, struct trh *s, int ttl, double now)
{
	const struct rhost *rh = s->rh;
	uint8_t *buf = io_tx_buf(&e->tx);
	uint8_t l4[1500];
	uint32_t rnd;
	if (getrandom(&rnd, sizeof(rnd), 0) != sizeof(rnd))
		rnd = (uint32_t)(now * 1e6);
	int n = build_l4(e, s, ttl, rnd, l4, sizeof(l4));
	if (n < 0)
		return n;
	int hl;
	struct sockaddr_storage ss = {0};
	socklen_t sl;
	if (rh->addr.family == AF_INET6) {
		struct pkt_ip6 ip = {.hlim = (uint8_t)ttl,
				     .next = s->t->proto,
				     .src = rh->ri.src.v6,
				     .dst = rh->addr.v6};
		hl = pkt_ip6_build(buf, IO_PKTMAX, &ip, (size_t)n);
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_addr = rh->addr.v6;
		sl = sizeof(*s6);
	} else {
		struct pkt_ip4 ip = {.ttl = (uint8_t)ttl,
				     .proto = s->t->proto,
				     .id = s->t->proto == IPPROTO_ICMP ? 0 : (uint16_t)rnd,
				     .src = rh->ri.src.v4,
				     .dst = rh->addr.v4};
		hl = pkt_ip4_build(buf, IO_PKTMAX, &ip, (size_t)n);
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		s4->sin_family = AF_INET;
		s4->sin_addr = rh->addr.v4;
		sl = sizeof(*s4);
	}
	if (hl < 0)
		return hl;
	memcpy(buf + hl, l4, (size_t)n);
	engine_trace(e, TRACE_SENT, now, buf, (size_t)hl + (size_t)n);
	e->raw_sent++;
	e->raw_sent_bytes += (size_t)hl + (size_t)n;
	e->raw_used = true;
	s->sent[ttl] = now;
	s->tries[ttl]++;
	int r = io_tx_commit(&e->tx, (size_t)hl + (size_t)n, (const struct sockaddr *)&ss, sl);
	return r == -EHOSTUNREACH || r == -ENETUNREACH ? 0 : r;
}

/* The TTL a reply names for host s, 0 if it is not about s. */
static int ttl_of(const struct trh *s, uint8_t proto, uint16_t sport, uint16_t dport,
		  uint16_t icmp_id, uint16_t icmp_seq)
{
	int ttl;
	if (proto != s->t->proto)
		return 0;
	if (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6) {
		if (icmp_id != s->base)
			return 0;
		ttl = icmp_seq;
	} else {
		if (dport != s->t->port)
			return 0;
		ttl = sport - s->base;
	}
	return ttl >= 1 && ttl <= TR_MAXTTL && s->sent[ttl] > 0 ? ttl : 0;
}

static void record(struct trh *s, int ttl, const struct pkt_addr *from, double ts, bool dest)
{
	struct htrace_hop *hp = &s->t->hops[ttl - 1];
	if (!hp->answered) {
		s->e->raw_rcvd++;
		hp->answered = true;
		hp->addr = *from;
		hp->rtt = ts - s->sent[ttl];
		if (hp->rtt < 0)
			hp->rtt = 0;
	}
	if (dest && (!s->reached || ttl < s->reached))
		s->reached = ttl;
}

/* The IP layer of a captured packet: source, upper protocol, its bytes. */
static bool ip_layer(const struct io_pkt *pk, struct pkt_addr *from, uint8_t *proto,
		     const uint8_t **l4, size_t *l4len)
{
	if (pk->ethertype == PKT_ETH_P_IP) {
		struct pkt_ip4 ip;
		if (pkt_ip4_parse(pk->data, pk->len, &ip, false) < 0)
			return false;
		pkt_addr4(from, &ip.src);
		*proto = ip.proto;
		*l4 = pk->data + ip.hlen;
		*l4len = pk->len - ip.hlen;
		return true;
	}
	struct pkt_ip6 ip;
	if (pk->ethertype != PKT_ETH_P_IPV6 || pkt_ip6_parse(pk->data, pk->len, &ip, false) < 0)
		return false;
	uint8_t next = ip.next;
	int off = pkt_ip6_skip_ext(pk->data + PKT_IP6_HLEN, pk->len - PKT_IP6_HLEN, &next);
	if (off < 0)
		return false;
	pkt_addr6(from, &ip.src);
	*proto = next;
	*l4 = pk->data + PKT_IP6_HLEN + off;
	*l4len = pk->len - PKT_IP6_HLEN - (size_t)off;
	return true;
}

/* The TTL a host's own answer names (TCP, UDP, echo reply), 0 none. */
static int answer_ttl(const struct trh *s, uint8_t proto, const uint8_t *l4, size_t l4len)
{
	if (proto == IPPROTO_TCP) {
		struct pkt_tcp t;
		if (pkt_tcp_parse(l4, l4len, &t) >= 0)
			return ttl_of(s, IPPROTO_TCP, t.dport, t.sport, 0, 0);
	} else if (proto == IPPROTO_UDP) {
		struct pkt_udp u;
		if (pkt_udp_parse(l4, l4len, &u) >= 0)
			return ttl_of(s, IPPROTO_UDP, u.dport, u.sport, 0, 0);
	} else if (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6) {
		struct pkt_icmp m = {.v6 = proto == IPPROTO_ICMPV6};
		if (pkt_icmp_parse(l4, l4len, &m) >= 0 &&
		    m.type == (m.v6 ? PKT_ICMP6_ECHOREPLY : PKT_ICMP_ECHOREPLY))
			return ttl_of(s, proto, 0, 0, m.id, m.seq);
	}
	return 0;
}

/* One captured packet: a hop's error quoting a probe, or the host's answer. */
static void on_packet(struct trh *hs, size_t n, const struct io_pkt *pk)
{
	struct pkt_addr from;
	uint8_t proto;
	const uint8_t *l4;
	size_t l4len;
	if (!ip_layer(pk, &from, &proto, &l4, &l4len))
		return;
	struct pkt_icmp m = {.v6 = proto == IPPROTO_ICMPV6};
	if ((proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6) &&
	    pkt_icmp_parse(l4, l4len, &m) >= 0 && pkt_icmp_is_error(&m)) {
		struct pkt_quote q;
		if (pkt_quote_parse(&m, &q) < 0)
			return;
		for (size_t i = 0; i < n; i++) {
			if (!pkt_addr_eq(&q.dst, &hs[i].rh->addr))
				continue;
			int ttl = ttl_of(&hs[i], q.proto, q.sport, q.dport, q.icmp_id, q.icmp_seq);
			if (ttl)
				record(&hs[i], ttl, &from, pk->ts,
				       pkt_addr_eq(&from, &hs[i].rh->addr));
		}
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (!pkt_addr_eq(&from, &hs[i].rh->addr))
			continue;
		int ttl = answer_ttl(&hs[i], proto, l4, l4len);
		if (ttl)
			record(&hs[i], ttl, &from, pk->ts, true);
	}
}

static bool host_done(const struct trh *s)
{
	if (!s->reached && s->limit < TR_MAXTTL)
		return false;
	int top = s->reached ? s->reached : s->limit;
	for (int ttl = 1; ttl < top; ttl++)
		if (!s->t->hops[ttl - 1].answered && s->tries[ttl] < TR_TRIES)
			return false;
	return true;
}

/* Send what each host still needs this round: unanswered TTLs below its
 * limit (or below where it was reached), and the next TTLs out. */
static int send_round(struct engine *e, struct trh *hs, size_t n, double now, size_t *busy)
{
	*busy = 0;
	for (size_t i = 0; i < n; i++) {
		struct trh *s = &hs[i];
		if (host_done(s))
			continue;
		(*busy)++;
		if (!s->reached && s->limit < TR_MAXTTL) {
			bool any = false;
			for (int ttl = 1; ttl <= s->limit; ttl++)
				any |= s->t->hops[ttl - 1].answered;
			if (s->tries[s->limit] >= 1 && (any || s->tries[s->limit] >= TR_TRIES)) {
				int to = s->limit + 10 > TR_MAXTTL ? TR_MAXTTL : s->limit + 10;
				for (int ttl = s->limit + 1; ttl <= to; ttl++) {
					int r = send_probe(e, s, ttl, now);
					if (r < 0)
						return r;
				}
				s->limit = to;
				continue;
			}
		}
		int top = s->reached ? s->reached : s->limit;
		for (int ttl = 1; ttl <= top; ttl++) {
			if (s->t->hops[ttl - 1].answered || s->tries[ttl] >= TR_TRIES)
				continue;
			int r = send_probe(e, s, ttl, now);
			if (r < 0)
				return r;
		}
	}
	int r = io_tx_flush(&e->tx);
	return r < 0 ? r : 0;
}

static int probe_all(struct engine *e, struct trh *hs, size_t n)
{
	for (int round = 0; round < 2 * TR_TRIES + TR_MAXTTL / 10; round++) {
		size_t busy;
		int r = send_round(e, hs, n, io_now(), &busy);
		if (r < 0 || !busy)
			return r;
		double until = io_now() + TR_WAIT;
		for (double now = io_now(); now < until; now = io_now()) {
			if (io_rx_wait(&e->rx, until - now) <= 0)
				continue;
			struct io_pkt pk[IO_BATCH];
			int k = io_rx_batch(&e->rx, pk, IO_BATCH);
			for (int j = 0; j < k; j++) {
				engine_trace(e, TRACE_RCVD, pk[j].ts, pk[j].data, pk[j].len);
				on_packet(hs, n, &pk[j]);
			}
			bool all = true;
			for (size_t i = 0; i < n && all; i++)
				all = host_done(&hs[i]);
			if (all)
				return 0;
		}
	}
	return 0;
}

/* The hop list up to the host; the last unanswered hops past the path
 * (a host never reached) are dropped. */
static void finish(struct trh *s)
{
	int top = s->reached ? s->reached : s->limit;
	if (!s->reached)
		while (top > 0 && !s->t->hops[top - 1].answered)
			top--;
	s->t->nhops = top;
}

/* Hops 1..k of t shared with an earlier host u of the group (k below
 * t's last hop): the longest such prefix, the first host with it. */
static void mark_shared(struct trh *hs, size_t i)
{
	struct host_trace *t = hs[i].t;
	for (size_t j = 0; j < i; j++) {
		const struct host_trace *u = hs[j].t;
		if (!u || u->direct)
			continue;
		int k = 0;
		while (k < t->nhops - 1 && k < u->nhops && t->hops[k].answered &&
		       u->hops[k].answered && pkt_addr_eq(&t->hops[k].addr, &u->hops[k].addr))
			k++;
		if (k > t->same_upto) {
			t->same_upto = k;
			inet_ntop(hs[j].rh->addr.family, hs[j].rh->addr.b, t->same_as,
				  sizeof(t->same_as));
		}
	}
}

/* PTR names of the hops (unless -n), through the scan's resolver. */
static int name_hops(struct engine *e, struct trh *hs, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += hs[i].t ? (size_t)hs[i].t->nhops : 0;
	if (!k || e->cfg->resolve == 1)
		return 0;
	struct host *tmp = calloc(k, sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		for (int h = 0; hs[i].t && h < hs[i].t->nhops; h++) {
			const struct htrace_hop *hp = &hs[i].t->hops[h];
			if (!hp->answered)
				continue;
			if (hp->addr.family == AF_INET6) {
				struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&tmp[m].addr;
				s6->sin6_family = AF_INET6;
				s6->sin6_addr = hp->addr.v6;
			} else {
				struct sockaddr_in *sin = (struct sockaddr_in *)&tmp[m].addr;
				sin->sin_family = AF_INET;
				sin->sin_addr = hp->addr.v4;
			}
			tmp[m++].status = HOST_UP;
		}
	int r = scan_rdns(e->cfg, tmp, m);
	m = 0;
	for (size_t i = 0; i < n; i++)
		for (int h = 0; hs[i].t && h < hs[i].t->nhops; h++)
			if (hs[i].t->hops[h].answered) {
				hs[i].t->hops[h].name = tmp[m].rdns;
				tmp[m++].rdns = NULL;
			}
	free(tmp);
	return r;
}

static int setup(struct trh *s, struct rhost *rh, uint16_t base)
{
	struct host *h = rh->h;
	s->rh = rh;
	s->t = calloc(1, sizeof(*s->t));
	if (!s->t)
		return -ENOMEM;
	h->trace = s->t;
	s->base = base;
	if (rh->ri.direct || rh->ri.local) {
		s->t->direct = true;
		s->t->nhops = 1;
		s->t->hops[0].answered = true;
		s->t->hops[0].addr = rh->addr;
		s->t->hops[0].rtt = h->rtt > 0 ? h->rtt : 0;
		s->reached = 1;
		s->limit = TR_MAXTTL;
		return 0;
	}
	int ttl;
	pick_probe(s->e, h, s->t, &ttl);
	int d = guess_distance(ttl);
	s->limit = d ? d : 10;
	return 0;
}

int traceroute_run(struct engine *e, struct rhost *up, size_t nup)
{
	struct trh *hs = calloc(nup ? nup : 1, sizeof(*hs));
	if (!hs)
		return -ENOMEM;
	size_t n = 0;
	int r = 0;
	uint16_t base = (uint16_t)(e->sport_base ^ 0x4000);
	for (size_t i = 0; i < nup && r == 0; i++) {
		struct host *h = up[i].h;
		if (h->timed_out || !e->raw)
			continue;
		hs[n].e = e;
		r = setup(&hs[n], &up[i], (uint16_t)(base + 64 * (n % 400) + 1));
		n++;
	}
	if (r == 0) {
		for (size_t i = 0; i < n; i++)
			if (hs[i].t->direct)
				hs[i].reached = 1;
		r = probe_all(e, hs, n);
	}
	for (size_t i = 0; i < n && r == 0; i++) {
		finish(&hs[i]);
		if (!hs[i].t->direct)
			mark_shared(hs, i);
	}
	if (r == 0)
		r = name_hops(e, hs, n);
	free(hs);
	return r;
}
