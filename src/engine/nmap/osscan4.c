/* SPDX-License-Identifier: Apache-2.0 */
/* -O's IPv4 family of the OS detection driver (osscan.h): the probes of
 * engine/os as nmap 7.93 paces them: the six SEQ SYNs 100 ms apart to an
 * open port, then 25 ms apart the two ICMP echoes, U1 to a closed UDP
 * port, ECN, and T2-T7 (T5-T7 to a closed TCP port); unanswered probes
 * after SEQ go again twice, 100 ms apart. A try whose SEQ probes were
 * not all answered (an open port being known) is made again, up to
 * --max-os-tries. */
#include "engine/nmap/osscan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/hostos.h"
#include "engine/os/match.h"

#define OS_SEQ_GAP 0.1
#define OS_GAP 0.025
#define OS_RESEND 2
#define OS_TAIL 0.5 /* seconds to wait after the last probe */

_Static_assert(OSP_N <= OSSCAN_PROBES_MAX, "OSSCAN_PROBES_MAX");

static struct os_obs *obs4(const struct os_slot *s)
{
	return s->obs;
}

static void new_try(struct os_slot *s)
{
	struct os_obs *o = obs4(s);
	struct os_probe_params pp = o->pp;
	memset(o, 0, sizeof(*o));
	pp.seq = osscan_rnd32();
	pp.ack = osscan_rnd32();
	pp.ipid = (uint16_t)osscan_rnd32();
	pp.icmp_id = (uint16_t)osscan_rnd32();
	pp.ttl = (uint8_t)(37 + osscan_rnd32() % 23); /* nmap's random TTLs, as its trace shows */
	o->pp = pp;
	o->direct = s->rh->ri.direct;
	o->local = s->rh->ri.local;
	memset(s->sends, 0, sizeof(s->sends));
}

static bool wanted(const struct os_slot *s, int p)
{
	if (p <= OSP_SEQ6 || p == OSP_ECN || p == OSP_T2 || p == OSP_T3 || p == OSP_T4)
		return s->r->open_port >= 0;
	if (p >= OSP_T5)
		return s->r->closed_port >= 0;
	return true;
}

static int build4(struct os_slot *s, int p, double now, uint8_t *buf, size_t cap)
{
	struct os_obs *o = obs4(s);
	int n = os_probe_build(p, &o->pp, buf, cap);
	if (n < 0)
		return n;
	if (p == OSP_U1)
		o->u1_csum = pkt_get16(buf + PKT_IP4_HLEN + 6);
	if (!s->sends[p])
		o->sent[p] = now;
	return n;
}

/* When probe p goes out, k-th time (0 first), from the try's start. */
static double due(int p, int k)
{
	if (p <= OSP_SEQ6)
		return k ? -1 : p * OS_SEQ_GAP;
	double first = 5 * OS_SEQ_GAP + (p - OSP_SEQ6) * OS_GAP;
	double last = 5 * OS_SEQ_GAP + (OSP_N - 1 - OSP_SEQ6) * OS_GAP;
	return k == 0 ? first : k <= OS_RESEND ? last + k * 0.1 + (p - OSP_SEQ6) * 0.001 : -1;
}

static void keep(struct os_obs *o, int p, const struct io_pkt *pk, struct engine *e)
{
	if (o->got[p])
		return;
	e->raw_rcvd++;
	e->raw_rcvd_bytes += pk->len;
	size_t n = pk->len < OS_REPLY_MAX ? pk->len : OS_REPLY_MAX;
	memcpy(o->reply[p], pk->data, n);
	o->rlen[p] = n;
	o->got[p] = true;
}

static void on_packet4(struct engine *e, struct os_slot *hs, size_t n, const struct io_pkt *pk)
{
	struct pkt_ip4 ip;
	if (pk->ethertype != PKT_ETH_P_IP || pkt_ip4_parse(pk->data, pk->len, &ip, true) < 0)
		return;
	const uint8_t *l4 = pk->data + ip.hlen;
	size_t l4len = pk->len - ip.hlen;
	for (size_t i = 0; i < n; i++) {
		struct os_obs *o = obs4(&hs[i]);
		if (!hs[i].active || memcmp(&ip.src, &hs[i].rh->addr.v4, 4))
			continue;
		if (ip.proto == IPPROTO_TCP && l4len >= 20) {
			int p = pkt_get16(l4 + 2) - o->pp.sport_base;
			if (p >= 0 && p < OSP_N && p != OSP_U1 && p != OSP_IE1 && p != OSP_IE2 &&
			    hs[i].sends[p])
				keep(o, p, pk, e);
			continue;
		}
		struct pkt_icmp m = {.v6 = false};
		if (ip.proto != IPPROTO_ICMP || pkt_icmp_parse(l4, l4len, &m) < 0)
			continue;
		if (m.type == PKT_ICMP_ECHOREPLY && m.id == o->pp.icmp_id && hs[i].sends[OSP_IE1])
			keep(o, OSP_IE1, pk, e);
		else if (m.type == PKT_ICMP_ECHOREPLY && m.id == (uint16_t)(o->pp.icmp_id + 1) &&
			 hs[i].sends[OSP_IE2])
			keep(o, OSP_IE2, pk, e);
		else if (m.type == 3 && m.code == 3 && hs[i].sends[OSP_U1]) {
			struct pkt_quote q;
			if (pkt_quote_parse(&m, &q) == 0 && q.proto == IPPROTO_UDP &&
			    q.sport == o->pp.sport_base + OSP_U1)
				keep(o, OSP_U1, pk, e);
		}
	}
}

static bool answered_all(const struct os_slot *s)
{
	for (int p = 0; p < OSP_N; p++)
		if (wanted(s, p) && !obs4(s)->got[p] && p != OSP_T2 && p != OSP_T3)
			return false;
	return true;
}

/* One try over the active hosts. */
static int os_try(struct engine *e, struct os_slot *hs, size_t n)
{
	double t0 = io_now(), end = t0 + due(OSP_T7, OS_RESEND) + OS_TAIL;
	for (size_t i = 0; i < n; i++)
		if (hs[i].active) {
			new_try(&hs[i]);
			hs[i].r->seq1_wall = osscan_wall();
			hs[i].r->tries++;
		}
	for (;;) {
		double now = io_now(), next = end;
		bool all = true;
		for (size_t i = 0; i < n; i++) {
			if (!hs[i].active)
				continue;
			all &= answered_all(&hs[i]);
			for (int p = 0; p < OSP_N; p++) {
				double d = due(p, hs[i].sends[p]);
				if (d < 0 || !wanted(&hs[i], p) || obs4(&hs[i])->got[p])
					continue;
				if (t0 + d <= now) {
					int r = osscan_send(e, &osscan_ipv4, &hs[i], p, now);
					if (r < 0)
						return r;
				} else if (t0 + d < next) {
					next = t0 + d;
				}
			}
		}
		int r = io_tx_flush(&e->tx);
		if (r < 0)
			return r;
		if (now >= end || (all && now > t0 + due(OSP_T7, 0)))
			return 0;
		osscan_receive(e, &osscan_ipv4, hs, n, next - now);
	}
}

static const char *const probe_names[OSP_N] = {"SEQ1", "SEQ2", "SEQ3", "SEQ4", "SEQ5", "SEQ6",
					       "IE1",  "IE2",  "U1",   "ECN",  "T2",   "T3",
					       "T4",   "T5",   "T6",   "T7"};

static const char *probe_name4(int p)
{
	return probe_names[p];
}

static void record_params4(FILE *f, const struct os_slot *s)
{
	const struct os_obs *o = obs4(s);
	fprintf(f, "params ttl=%u seq=%u ack=%u u1csum=%u open=%d closed=%d udp=%d direct=%d\n",
		o->pp.ttl, o->pp.seq, o->pp.ack, o->u1_csum, s->r->open_port, s->r->closed_port,
		s->r->closed_udp, o->direct);
}

static const uint8_t *reply4(const struct os_slot *s, int p, size_t *len, double *after)
{
	return OSSCAN_REPLY(obs4(s), p, len, after);
}

/* U1's quoted-packet checks that tell of the path, for the report */
static void path_signs(struct host_os *r)
{
	const char *u1 = strstr(r->fp.tests, "U1(");
	r->path[0] = '\0';
	for (const char *k = u1 ? u1 : ""; *k && *k != ')'; k++) {
		char name[8], val[16];
		if ((*k != '(' && *k != '%') || sscanf(k + 1, "%7[A-Z]=%15[^%)]", name, val) != 2 ||
		    !os_path_sign("U1", name, val))
			continue;
		size_t o = strlen(r->path);
		snprintf(r->path + o, sizeof(r->path) - o,
			 "%sU1.%s=%s (the quoted %s checksum was altered)", o ? ", " : "", name,
			 val, strcmp(name, "RIPCK") ? "UDP" : "IP");
	}
}

static void finish(const struct engine *e, struct os_slot *s, const struct os_db *db)
{
	os_compute(obs4(s), &s->r->fp);
	osscan_fingerprint(e, &osscan_ipv4, s, obs4(s)->got[OSP_U1], NULL);
	path_signs(s->r);
	if (db)
		osscan_match(db, s->r);
}

/* As nmap: of several tries, the one nearest to something known counts. */
static void keep_best(const struct engine *e, struct os_slot *s, const struct os_db *db)
{
	struct host_os *old = s->r->nguess ? malloc(sizeof(*old)) : NULL;
	if (old)
		*old = *s->r;
	finish(e, s, db);
	if (old && old->g[0].acc > s->r->g[0].acc)
		*s->r = *old;
	free(old);
}

static void setup4(struct os_slot *s, const struct scan_config *cfg, const struct os_target *t)
{
	(void)cfg;
	struct os_probe_params *pp = &obs4(s)->pp;
	OSSCAN_SET_TARGET(pp, t);
}

static int tries4(struct engine *e, struct os_slot *hs, size_t n, const struct os_db *db,
		  osscan_say_fn say, void *ctx)
{
	int tries = e->cfg->max_os_tries > 0 ? e->cfg->max_os_tries : 5, r = 0;
	for (int t = 1; r == 0 && t <= tries; t++) {
		size_t act = 0, last = 0;
		for (size_t i = 0; i < n; i++)
			if (hs[i].active)
				act++, last = i;
		if (!act)
			break;
		if (say)
			say(ctx, t, act, act == 1 ? hs[last].rh->h : NULL);
		r = os_try(e, hs, n);
		for (size_t i = 0; i < n && r == 0; i++) {
			if (!hs[i].active)
				continue;
			keep_best(e, &hs[i], db);
			/* again while an open port's SYNs went unanswered, or
			 * (as nmap) while nothing known matches exactly */
			hs[i].active = (hs[i].r->open_port >= 0 && hs[i].r->fp.nseq < 6) ||
				       (db && hs[i].r->good && !hs[i].r->nexact);
		}
	}
	return r;
}

const struct os_family osscan_ipv4 = {
	.af = AF_INET,
	.db = "os-db",
	.nprobes = OSP_N,
	.obs_size = sizeof(struct os_obs),
	.setup = setup4,
	.build = build4,
	.tries = tries4,
	.record_params = record_params4,
	.probe_name = probe_name4,
	.reply = reply4,
	.on_packet = on_packet4,
};
