/* SPDX-License-Identifier: Apache-2.0 */
/* -6 -O: the IPv6 family of the OS detection driver (osscan.h), paced
 * as nmap 7.93's --packet-trace shows in the lab: S1-S6 100 ms apart to
 * an open port, 43 ms later IE1, then 50 ms apart IE2, NS (same link
 * only), U1, TECN, T2-T4 (open port), T5-T7 (closed port); 300 ms after
 * T7 the unanswered ones after S6 go again, 50 ms apart, and again every
 * 500 ms after that: --max-os-tries rounds (5 by default), as nmap 7.93's
 * trace shows (its IPv6 stage makes one try; the tries are these
 * resends). A host whose probes were all answered but T2 and T3 (which
 * most stacks never answer) is done 100 ms after T7 left, as in the IPv4
 * stage. The replies are kept whole with their send and receive times
 * (from the stage's start), which is what nmap's IPv6 fingerprint prints. */
#include "engine/nmap/osscan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

_Static_assert(OS6_N <= OSSCAN_PROBES_MAX, "OSSCAN_PROBES_MAX");

/* A host's pacing (struct os_slot's sched). */
struct sched6 {
	double t0;	   /* the stage's start (io_now) */
	double due[OS6_N]; /* the next send, from the start (-1: none) */
	double last_first; /* when the last first send is due */
	double last_due;   /* when the last send scheduled is due */
	int rounds;	   /* resend rounds to make (--max-os-tries) */
	int round;	   /* resend rounds scheduled so far */
};

static struct os6_obs *obs6(const struct os_slot *s)
{
	return s->obs;
}

static struct sched6 *sc(const struct os_slot *s)
{
	return s->sched;
}

static bool wanted(const struct os_slot *s, int p)
{
	if (p <= OS6_S6 || p == OS6_TECN || (p >= OS6_T2 && p <= OS6_T4))
		return s->r->open_port >= 0;
	if (p >= OS6_T5)
		return s->r->closed_port >= 0;
	if (p == OS6_NS)
		return obs6(s)->direct && !obs6(s)->local;
	return true;
}

static void plan(struct os_slot *s)
{
	double t = S_START + 5 * S_GAP + FIRST_AFTER_S6 - GAP, last = 0;
	for (int p = 0; p < OS6_N; p++) {
		sc(s)->due[p] = -1;
		if (!wanted(s, p))
			continue;
		if (p <= OS6_S6) {
			sc(s)->due[p] = S_START + p * S_GAP;
			continue;
		}
		t += GAP;
		sc(s)->due[p] = last = t;
	}
	sc(s)->last_first = sc(s)->last_due = last;
	sc(s)->round = 0;
}

/* when resend round k (1..rounds) starts, from the start */
static double round_start(const struct os_slot *s, int k)
{
	return sc(s)->last_first + RESEND_AFTER + (k - 1) * RESEND_GAP;
}

/* Resend round k: the probes after S6 sent and still unanswered, 50 ms
 * apart from the round's start. */
static void schedule_round(struct os_slot *s, int k)
{
	double t = round_start(s, k);
	for (int p = OS6_S6 + 1; p < OS6_N; p++)
		if (s->sends[p] && !obs6(s)->got[p]) {
			sc(s)->due[p] = sc(s)->last_due = t;
			t += GAP;
		}
	sc(s)->round = k;
}

/* when s has nothing more to send nor wait for, from the start (or a
 * large number while rounds are still to be scheduled) */
static double host_end(const struct os_slot *s)
{
	return sc(s)->round < sc(s)->rounds ? 1e9 : sc(s)->last_due + TAIL;
}

static void new_try(struct os_slot *s)
{
	struct os6_obs *o = obs6(s);
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

static int build6(struct os_slot *s, int p, double now, uint8_t *buf, size_t cap)
{
	int n = os6_probe_build(p, &obs6(s)->pp, buf, cap);
	if (n >= 0 && !s->sends[p])
		obs6(s)->sent[p] = now - sc(s)->t0;
	return n;
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

static int which_icmp(const struct os_slot *s, const uint8_t *m, size_t len)
{
	const struct os6_obs *o = obs6(s);
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

static void on_packet6(struct engine *e, struct os_slot *hs, size_t n, const struct io_pkt *pk)
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
		struct os_slot *s = &hs[i];
		if (!s->active || memcmp(&ip.src, &s->rh->addr.v6, 16))
			continue;
		int p = -1;
		if (next == IPPROTO_TCP && l4len >= 20) {
			int k = pkt_get16(l4 + 2) - obs6(s)->pp.sport_base;
			p = k >= 0 && k <= 5 ? k : k >= 6 && k <= 12 ? OS6_TECN + (k - 6) : -1;
		} else if (next == IPPROTO_ICMPV6) {
			p = which_icmp(s, l4, l4len);
		}
		if (p >= 0 && s->sends[p])
			keep(obs6(s), p, pk, sc(s)->t0);
	}
}

/* Everything answered but T2 and T3, which most stacks never answer: as
 * the IPv4 stage, the try ends then (REPLY_WAIT after T7 left) instead of
 * sending them again and waiting out the tail. */
static bool all_answered(const struct os_slot *s, double now, double t0)
{
	for (int p = 0; p < OS6_N; p++)
		if (wanted(s, p) && !obs6(s)->got[p] && p != OS6_T2 && p != OS6_T3)
			return false;
	return !wanted(s, OS6_T7) ||
	       (s->sends[OS6_T7] && now >= t0 + obs6(s)->sent[OS6_T7] + REPLY_WAIT);
}

/* the next time something is due for s, sending what is due now */
static int pump(struct engine *e, struct os_slot *s, double now, double t0, double *next)
{
	if (sc(s)->round < sc(s)->rounds) {
		double rs = t0 + round_start(s, sc(s)->round + 1);
		if (rs <= now)
			schedule_round(s, sc(s)->round + 1);
		else if (rs < *next)
			*next = rs;
	}
	for (int p = 0; p < OS6_N; p++) {
		double d = sc(s)->due[p];
		if (obs6(s)->got[p] || d < 0)
			continue;
		if (t0 + d <= now) {
			sc(s)->due[p] = -1; /* sent: the next round sets it again */
			int r = osscan_send(e, &osscan_ipv6, s, p, now);
			if (r < 0)
				return r;
		} else if (t0 + d < *next) {
			*next = t0 + d;
		}
	}
	return 0;
}

static int try6(struct engine *e, struct os_slot *hs, size_t n, double t0)
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
			if (sc(&hs[i])->round == sc(&hs[i])->rounds && t0 + host_end(&hs[i]) < next)
				next = t0 + host_end(&hs[i]);
			double w = t0 + sc(&hs[i])->last_first + REPLY_WAIT;
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
		osscan_receive(e, &osscan_ipv6, hs, n, next - now);
	}
}

static const char *probe_name6(int p)
{
	return os6_probe_name(p);
}

/* NETKIT_OS_RECORD's params line (observations6; scripts/os-observe.sh
 * adds class and provenance). */
static void record_params6(FILE *f, const struct os_slot *s)
{
	const struct os6_obs *o = obs6(s);
	fprintf(f, "params seq=%u udpsport=%u open=%d closed=%d udp=%d direct=%d hlim=", o->pp.seq,
		o->pp.udp_sport, s->r->open_port, s->r->closed_port, s->r->closed_udp, o->direct);
	for (int p = 0; p < OS6_N; p++)
		fprintf(f, "%s%u", p ? "," : "", o->pp.hlim[p]);
	fprintf(f, " ack=");
	for (int p = 0; p < OS6_N; p++)
		fprintf(f, "%s%u", p ? "," : "", o->pp.ack[p]);
	fprintf(f, "\n");
}

static const uint8_t *reply6(const struct os_slot *s, int p, size_t *len, double *after)
{
	return OSSCAN_REPLY(obs6(s), p, len, after);
}

static void finish(const struct engine *e, struct os_slot *s, const struct os_db *db)
{
	struct host_os *r = s->r;
	struct os6_obs *o = obs6(s);
	memset(&r->fp, 0, sizeof(r->fp));
	r->fp.sp_index = -1;
	r->fp.uptime = -1;
	os6_distance(o, &r->fp);
	os6_features(o, &r->fp, r->fp.tests, sizeof(r->fp.tests));
	char *tests = malloc(sizeof(r->fingerprint));
	if (!tests)
		return;
	os6_tests(o, tests, sizeof(r->fingerprint));
	osscan_fingerprint(e, &osscan_ipv6, s, o->got[OS6_U1], tests);
	free(tests);
	if (db)
		osscan_match(db, r);
}

static void setup6(struct os_slot *s, const struct scan_config *cfg, const struct os_target *t)
{
	sc(s)->rounds = cfg->max_os_tries > 0 ? cfg->max_os_tries : 5;
	struct os6_params *pp = &obs6(s)->pp;
	OSSCAN_SET_TARGET(pp, t);
}

/* One try (its resends are the rounds), then each host's fingerprint. */
static int tries6(struct engine *e, struct os_slot *hs, size_t n, const struct os_db *db,
		  osscan_say_fn say, void *ctx)
{
	double t0 = io_now();
	for (size_t i = 0; i < n; i++)
		if (hs[i].active) {
			sc(&hs[i])->t0 = t0;
			new_try(&hs[i]);
			hs[i].r->seq1_wall = osscan_wall();
			hs[i].r->tries = 1;
		}
	if (say)
		say(ctx, 0, n, NULL);
	int r = try6(e, hs, n, t0);
	if (say && r == 0)
		say(ctx, -1, n, NULL);
	for (size_t i = 0; i < n && r == 0; i++)
		if (hs[i].active)
			finish(e, &hs[i], db);
	return r;
}

const struct os_family osscan_ipv6 = {
	.af = AF_INET6,
	.db = "os-db6",
	.nprobes = OS6_N,
	.obs_size = sizeof(struct os6_obs),
	.sched_size = sizeof(struct sched6),
	.setup = setup6,
	.build = build6,
	.tries = tries6,
	.record_params = record_params6,
	.probe_name = probe_name6,
	.reply = reply6,
	.on_packet = on_packet6,
};
