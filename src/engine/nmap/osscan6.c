/* SPDX-License-Identifier: Apache-2.0 */
/* -6 -O: nmap 7.93's IPv6 OS detection stage, paced as its
 * --packet-trace shows in the lab: S1-S6 100 ms apart to an open port,
 * 43 ms later IE1, then 50 ms apart IE2, NS (same link only), U1, TECN,
 * T2-T4 (open port), T5-T7 (closed port); 300 ms after T7 the unanswered
 * ones after S6 go again, 50 ms apart, and again every 500 ms after that:
 * --max-os-tries rounds (5 by default), as nmap 7.93's trace shows (its
 * IPv6 stage makes one try; the tries are these resends). A host whose probes
 * were all answered but T2 and T3 (which most stacks never answer) is done
 * 100 ms after T7 left, as in the IPv4 stage. Hosts go in parallel. The
 * replies are kept whole with their send and receive times (from the
 * stage's start), which is what nmap's IPv6 fingerprint prints. */
#include "engine/nmap/internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

#include "engine/hostos.h"
#include "engine/os/match.h"
#include "engine/os/os6.h"

#define S_START 0.03 /* nmap's S1 leaves 30-120 ms after its stage starts (ST=) */
#define S_GAP 0.1
#define GAP 0.05
#define FIRST_AFTER_S6 0.043
#define RESEND_AFTER 0.3
#define RESEND_GAP 0.5
#define TAIL 0.5
#define REPLY_WAIT 0.1

struct osh6 {
	struct rhost *rh;
	struct host_os *r;
	struct os6_obs *obs;
	double due[OS6_N]; /* the next send, from the start (-1: none) */
	double last_first; /* when the last first send is due */
	double last_due;   /* when the last send scheduled is due */
	int rounds;	   /* resend rounds to make (--max-os-tries) */
	int round;	   /* resend rounds scheduled so far */
	uint8_t sends[OS6_N];
	bool active;
};

static bool wanted(const struct osh6 *s, int p)
{
	if (p <= OS6_S6 || p == OS6_TECN || (p >= OS6_T2 && p <= OS6_T4))
		return s->r->open_port >= 0;
	if (p >= OS6_T5)
		return s->r->closed_port >= 0;
	if (p == OS6_NS)
		return s->obs->direct && !s->obs->local;
	return true;
}

static void plan(struct osh6 *s)
{
	double t = S_START + 5 * S_GAP + FIRST_AFTER_S6 - GAP, last = 0;
	for (int p = 0; p < OS6_N; p++) {
		s->due[p] = -1;
		if (!wanted(s, p))
			continue;
		if (p <= OS6_S6) {
			s->due[p] = S_START + p * S_GAP;
			continue;
		}
		t += GAP;
		s->due[p] = last = t;
	}
	s->last_first = s->last_due = last;
	s->round = 0;
}

/* when resend round k (1..rounds) starts, from the start */
static double round_start(const struct osh6 *s, int k)
{
	return s->last_first + RESEND_AFTER + (k - 1) * RESEND_GAP;
}

/* Resend round k: the probes after S6 sent and still unanswered, 50 ms
 * apart from the round's start. */
static void schedule_round(struct osh6 *s, int k)
{
	double t = round_start(s, k);
	for (int p = OS6_S6 + 1; p < OS6_N; p++)
		if (s->sends[p] && !s->obs->got[p]) {
			s->due[p] = s->last_due = t;
			t += GAP;
		}
	s->round = k;
}

/* when s has nothing more to send nor wait for, from the start (or a
 * large number while rounds are still to be scheduled) */
static double host_end(const struct osh6 *s)
{
	return s->round < s->rounds ? 1e9 : s->last_due + TAIL;
}

static void new_try(struct osh6 *s)
{
	struct os6_obs *o = s->obs;
	struct os6_params pp = o->pp;
	memset(o, 0, sizeof(*o));
	pp.seq = osscan_rnd32();
	pp.udp_sport = (uint16_t)(pp.sport_base + 20 + osscan_rnd32() % 200);
	for (int p = 0; p < OS6_N; p++) {
		pp.ack[p] = p == OS6_TECN ? 0 : osscan_rnd32();
		pp.hlim[p] = (uint8_t)(37 + osscan_rnd32() % 23); /* as nmap's trace shows */
	}
	o->pp = pp;
	o->direct = s->rh->ri.direct;
	o->local = s->rh->ri.local;
	memset(s->sends, 0, sizeof(s->sends));
	plan(s);
}

static int send_probe(struct engine *e, struct osh6 *s, int p, double now, double t0)
{
	uint8_t *buf = io_tx_buf(&e->tx);
	int n = os6_probe_build(p, &s->obs->pp, buf, IO_PKTMAX);
	if (n < 0)
		return n;
	struct sockaddr_in6 sin = {.sin6_family = AF_INET6, .sin6_addr = s->rh->addr.v6};
	if (IN6_IS_ADDR_LINKLOCAL(&sin.sin6_addr))
		sin.sin6_scope_id = (uint32_t)s->rh->ri.ifindex;
	engine_trace(e, TRACE_SENT, now, buf, (size_t)n);
	e->raw_sent++;
	e->raw_sent_bytes += (size_t)n;
	e->raw_used = true;
	if (!s->sends[p])
		s->obs->sent[p] = now - t0;
	s->sends[p]++;
	int r = io_tx_commit(&e->tx, (size_t)n, (const struct sockaddr *)&sin, sizeof(sin));
	return r == -EHOSTUNREACH || r == -ENETUNREACH ? 0 : r;
}

/* nmap 7.93 leaves the IPv6 stage's replies out of "Rcvd:": not counted */
static void keep(struct os6_obs *o, int p, const struct io_pkt *pk, double t0)
{
	if (o->got[p])
		return;
	size_t n = pk->len < OS6_REPLY_MAX ? pk->len : OS6_REPLY_MAX;
	memcpy(o->reply[p], pk->data, n);
	o->rlen[p] = n;
	o->rcvd[p] = pk->ts - t0;
	o->got[p] = true;
}

/* The probe an ICMPv6 error quotes (by its payload length and first
 * header: nmap's three non-TCP probes differ in both), or -1. */
static int quoted(const struct os6_obs *o, const uint8_t *q, size_t len)
{
	struct pkt_ip6 ip;
	if (pkt_ip6_parse(q, len, &ip, true) < 0 || memcmp(&ip.dst, &o->pp.dst.v6, 16) ||
	    ip.flow != OS6_FLOW)
		return -1;
	if (ip.next == IPPROTO_UDP && len >= 42 && pkt_get16(q + 40) == o->pp.udp_sport)
		return OS6_U1;
	if (ip.next == IPPROTO_HOPOPTS && ip.plen == 136)
		return OS6_IE1;
	if (ip.next == IPPROTO_HOPOPTS && ip.plen == 40)
		return OS6_IE2;
	return -1;
}

static int which_icmp(const struct osh6 *s, const uint8_t *m, size_t len)
{
	const struct os6_obs *o = s->obs;
	if (len < 8)
		return -1;
	if (m[0] == 129 && pkt_get16(m + 4) == OS6_ICMP_ID && pkt_get16(m + 6) <= 1)
		return pkt_get16(m + 6) == 0 ? OS6_IE1 : OS6_IE2;
	if (m[0] == 136 && len >= 24 && !memcmp(m + 8, &o->pp.dst.v6, 16))
		return OS6_NS;
	if (m[0] >= 1 && m[0] <= 4)
		return quoted(o, m + 8, len - 8);
	return -1;
}

static void on_packet(struct engine *e, struct osh6 *hs, size_t n, const struct io_pkt *pk,
		      double t0)
{
	struct pkt_ip6 ip;
	if (pk->ethertype != PKT_ETH_P_IPV6 || pkt_ip6_parse(pk->data, pk->len, &ip, true) < 0)
		return;
	uint8_t next = ip.next;
	int off = pkt_ip6_skip_ext(pk->data + PKT_IP6_HLEN, pk->len - PKT_IP6_HLEN, &next);
	if (off < 0)
		return;
	const uint8_t *l4 = pk->data + PKT_IP6_HLEN + off;
	size_t l4len = pk->len - PKT_IP6_HLEN - (size_t)off;
	for (size_t i = 0; i < n; i++) {
		struct osh6 *s = &hs[i];
		if (!s->active || memcmp(&ip.src, &s->rh->addr.v6, 16))
			continue;
		int p = -1;
		if (next == IPPROTO_TCP && l4len >= 20) {
			int k = pkt_get16(l4 + 2) - s->obs->pp.sport_base;
			p = k >= 0 && k <= 5 ? k : k >= 6 && k <= 12 ? OS6_TECN + (k - 6) : -1;
		} else if (next == IPPROTO_ICMPV6) {
			p = which_icmp(s, l4, l4len);
		}
		if (p >= 0 && s->sends[p])
			keep(s->obs, p, pk, t0);
	}
}

/* Everything answered but T2 and T3, which most stacks never answer: as
 * the IPv4 stage, the try ends then (REPLY_WAIT after T7 left) instead of
 * sending them again and waiting out the tail. */
static bool all_answered(const struct osh6 *s, double now, double t0)
{
	for (int p = 0; p < OS6_N; p++)
		if (wanted(s, p) && !s->obs->got[p] && p != OS6_T2 && p != OS6_T3)
			return false;
	return !wanted(s, OS6_T7) ||
	       (s->sends[OS6_T7] && now >= t0 + s->obs->sent[OS6_T7] + REPLY_WAIT);
}

/* the next time something is due for s, sending what is due now */
static int pump(struct engine *e, struct osh6 *s, double now, double t0, double *next)
{
	if (s->round < s->rounds) {
		double rs = t0 + round_start(s, s->round + 1);
		if (rs <= now)
			schedule_round(s, s->round + 1);
		else if (rs < *next)
			*next = rs;
	}
	for (int p = 0; p < OS6_N; p++) {
		double d = s->due[p];
		if (s->obs->got[p] || d < 0)
			continue;
		if (t0 + d <= now) {
			s->due[p] = -1; /* sent: the next round sets it again */
			int r = send_probe(e, s, p, now, t0);
			if (r < 0)
				return r;
		} else if (t0 + d < *next) {
			*next = t0 + d;
		}
	}
	return 0;
}

static int try6(struct engine *e, struct osh6 *hs, size_t n, double t0)
{
	for (;;) {
		double now = io_now(), next = now + 1;
		bool all = true;
		for (size_t i = 0; i < n; i++) {
			if (!hs[i].active)
				continue;
			if (all_answered(&hs[i], now, t0) || now >= t0 + host_end(&hs[i]))
				continue; /* done: nothing more to send it */
			all = false;
			if (hs[i].round == hs[i].rounds && t0 + host_end(&hs[i]) < next)
				next = t0 + host_end(&hs[i]);
			double w = t0 + hs[i].last_first + REPLY_WAIT;
			if (w > now && w < next)
				next = w; /* when it may be done */
			int r = pump(e, &hs[i], now, t0, &next);
			if (r < 0)
				return r;
		}
		int r = io_tx_flush(&e->tx);
		if (r < 0)
			return r;
		if (all)
			return 0;
		if (io_rx_wait(&e->rx, next - now) <= 0)
			continue;
		struct io_pkt pk[IO_BATCH];
		int k = io_rx_batch(&e->rx, pk, IO_BATCH);
		for (int j = 0; j < k; j++) {
			engine_trace(e, TRACE_RCVD, pk[j].ts, pk[j].data, pk[j].len);
			on_packet(e, hs, n, &pk[j], t0);
		}
	}
}

static bool private_v6(const struct in6_addr *a)
{
	return (a->s6_addr[0] & 0xfe) == 0xfc ||
	       (a->s6_addr[0] == 0xfe && (a->s6_addr[1] & 0xc0) == 0x80);
}

/* NETKIT_OS_RECORD: the try as an observation block of data/os
 * (observations6; scripts/os-observe.sh adds class and provenance). */
static void record(const struct engine *e, const struct osh6 *s)
{
	FILE *f = fopen(e->cfg->os_record, "a");
	if (!f)
		return;
	const struct os6_obs *o = s->obs;
	char a[INET6_ADDRSTRLEN];
	inet_ntop(AF_INET6, &s->rh->addr.v6, a, sizeof(a));
	fprintf(f, "observation %s\n", a);
	fprintf(f, "params seq=%u udpsport=%u open=%d closed=%d udp=%d direct=%d hlim=", o->pp.seq,
		o->pp.udp_sport, s->r->open_port, s->r->closed_port, s->r->closed_udp, o->direct);
	for (int p = 0; p < OS6_N; p++)
		fprintf(f, "%s%u", p ? "," : "", o->pp.hlim[p]);
	fprintf(f, " ack=");
	for (int p = 0; p < OS6_N; p++)
		fprintf(f, "%s%u", p ? "," : "", o->pp.ack[p]);
	fprintf(f, "\n");
	for (int p = 0; p < OS6_N; p++) {
		if (!o->got[p])
			continue;
		fprintf(f, "reply %s %.4f ", os6_probe_name(p), o->sent[p] - o->sent[0]);
		for (size_t i = 0; i < o->rlen[p]; i++)
			fprintf(f, "%02x", o->reply[p][i]);
		fprintf(f, "\n");
	}
	fprintf(f, "tests %s\nend\n\n", s->r->fp.tests);
	fclose(f);
}

static void finish(const struct engine *e, struct osh6 *s, const struct os_db *db)
{
	struct host_os *r = s->r;
	struct os6_obs *o = s->obs;
	memset(&r->fp, 0, sizeof(r->fp));
	r->fp.sp_index = -1;
	r->fp.uptime = -1;
	os6_distance(o, &r->fp);
	os6_features(o, &r->fp, r->fp.tests, sizeof(r->fp.tests));
	r->when = osscan_wall();
	time_t t = (time_t)r->when;
	struct tm tm;
	localtime_r(&t, &tm);
	char plat[64];
	osscan_platform(plat, sizeof(plat));
	r->udp_answered = o->got[OS6_U1];
	r->ideal = r->good && r->udp_answered;
	char *tests = malloc(sizeof(r->fingerprint));
	if (!tests)
		return;
	os6_tests(o, tests, sizeof(r->fingerprint));
	struct os_scan_info si = {.open_port = r->open_port,
				  .closed_port = r->closed_port,
				  .closed_udp = r->udp_answered ? r->closed_udp : -1,
				  .month = tm.tm_mon + 1,
				  .day = tm.tm_mday,
				  .when = (long long)t,
				  .private_addr = private_v6(&s->rh->addr.v6),
				  .good = r->ideal,
				  .mac = s->rh->h->has_mac ? s->rh->h->mac : NULL,
				  .platform = plat,
				  .netkit_version = NETKIT_VERSION,
				  .v6 = true,
				  .tests = tests};
	os_fp_string(&r->fp, &si, r->fingerprint, sizeof(r->fingerprint));
	free(tests);
	if (e->cfg->os_record)
		record(e, s);
	if (db)
		osscan_match(db, r);
}

static int setup(struct osh6 *s, struct rhost *rh, const struct scan_config *cfg, uint16_t base)
{
	s->rh = rh;
	s->r = calloc(1, sizeof(*s->r));
	s->obs = calloc(1, sizeof(*s->obs));
	if (!s->r || !s->obs)
		return -ENOMEM;
	rh->h->os = s->r;
	s->r->v6 = true;
	osscan_pick_ports(rh->h, s->r);
	if (cfg->osscan_limit && !s->r->good)
		return 0;
	s->r->done = true;
	s->active = true;
	s->rounds = cfg->max_os_tries > 0 ? cfg->max_os_tries : 5;
	struct os6_params *pp = &s->obs->pp;
	pp->src = rh->ri.src;
	pp->dst = rh->addr;
	pp->sport_base = base;
	pp->open_port = (uint16_t)(s->r->open_port >= 0 ? s->r->open_port : 0);
	pp->closed_port = (uint16_t)(s->r->closed_port >= 0 ? s->r->closed_port : 0);
	pp->closed_udp = (uint16_t)s->r->closed_udp;
	return 0;
}

int osscan6_run(struct engine *e, struct rhost *up, size_t nup,
		void (*say)(void *ctx, int tryno, size_t n, const struct host *h), void *ctx)
{
	struct osh6 *hs = calloc(nup ? nup : 1, sizeof(*hs));
	if (!hs)
		return -ENOMEM;
	size_t n = 0;
	int r = 0;
	uint16_t base = (uint16_t)(33000 + (osscan_rnd32() % 1500) * 16);
	for (size_t i = 0; i < nup && r == 0; i++) {
		if (up[i].h->timed_out || up[i].addr.family != AF_INET6 || !e->raw)
			continue;
		r = setup(&hs[n], &up[i], e->cfg, (uint16_t)(base + 16 * (n % 2000)));
		n++;
	}
	double t0 = io_now();
	for (size_t i = 0; i < n; i++)
		if (hs[i].active) {
			new_try(&hs[i]);
			hs[i].r->seq1_wall = osscan_wall();
			hs[i].r->tries = 1;
		}
	if (r == 0 && n) {
		if (say)
			say(ctx, 0, n, NULL);
		r = try6(e, hs, n, t0);
		if (say && r == 0)
			say(ctx, -1, n, NULL);
	}
	struct os_db *db = n && r == 0 ? osscan_load_db(e->cfg, "os-db6") : NULL;
	for (size_t i = 0; i < n && r == 0; i++)
		if (hs[i].active)
			finish(e, &hs[i], db);
	os_db_free(db);
	for (size_t i = 0; i < n; i++)
		free(hs[i].obs);
	free(hs);
	return r;
}
