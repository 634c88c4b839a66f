/* SPDX-License-Identifier: Apache-2.0 */
/* -O: nmap's OS detection stage after the port scan (and -sV). Every
 * live IPv4 host gets the probes of engine/os, as nmap 7.93 paces them:
 * the six SEQ SYNs 100 ms apart to an open port, then 25 ms apart the two
 * ICMP echoes, U1 to a closed UDP port, ECN, and T2-T7 (T5-T7 to a closed
 * TCP port); unanswered probes after SEQ go again twice, 100 ms apart.
 * Hosts go in parallel. A try whose SEQ probes were not all answered (an
 * open port being known) is made again, up to --max-os-tries. The
 * replies are kept whole; engine/os computes the tests from them. */
#include "engine/nmap/internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/random.h>
#include <sys/utsname.h>
#include <arpa/inet.h>

#include "engine/hostos.h"
#include "engine/os/match.h"

#define OS_SEQ_GAP 0.1
#define OS_GAP 0.025
#define OS_RESEND 2
#define OS_TAIL 0.5 /* seconds to wait after the last probe */

struct osh {
	struct rhost *rh;
	struct host_os *r;
	struct os_obs *obs;
	uint8_t sends[OSP_N];
	bool active;
};

void host_os_free(struct host_os *os)
{
	free(os);
}

uint32_t osscan_rnd32(void)
{
	uint32_t v;
	if (getrandom(&v, sizeof(v), 0) != sizeof(v))
		v = (uint32_t)(io_now() * 1e6);
	return v;
}

double osscan_wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void osscan_pick_ports(const struct host *h, struct host_os *r)
{
	r->open_port = r->closed_port = r->closed_udp = -1;
	for (size_t i = 0; i < h->nports; i++) {
		const struct port_result *p = &h->ports[i];
		if (p->proto == IPPROTO_TCP && p->state == PORT_OPEN && r->open_port < 0)
			r->open_port = p->port;
		if (p->proto == IPPROTO_TCP && p->state == PORT_CLOSED && r->closed_port < 0)
			r->closed_port = p->port;
		if (p->proto == IPPROTO_UDP && p->state == PORT_CLOSED && r->closed_udp < 0)
			r->closed_udp = p->port;
	}
	/* as nmap: ports the scan did not find are guessed in 30000-44780 */
	if (r->closed_udp < 0)
		r->closed_udp = 30000 + (int)(osscan_rnd32() % 14781);
	r->good = r->open_port >= 0 && r->closed_port >= 0;
}

static void new_try(struct osh *s)
{
	struct os_obs *o = s->obs;
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

static bool wanted(const struct osh *s, int p)
{
	if (p <= OSP_SEQ6 || p == OSP_ECN || p == OSP_T2 || p == OSP_T3 || p == OSP_T4)
		return s->r->open_port >= 0;
	if (p >= OSP_T5)
		return s->r->closed_port >= 0;
	return true;
}

static int send_os_probe(struct engine *e, struct osh *s, int p, double now)
{
	uint8_t *buf = io_tx_buf(&e->tx);
	int n = os_probe_build(p, &s->obs->pp, buf, IO_PKTMAX);
	if (n < 0)
		return n;
	if (p == OSP_U1)
		s->obs->u1_csum = pkt_get16(buf + PKT_IP4_HLEN + 6);
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr = s->rh->addr.v4};
	engine_trace(e, TRACE_SENT, now, buf, (size_t)n);
	e->raw_sent++;
	e->raw_sent_bytes += (size_t)n;
	e->raw_used = true;
	if (!s->sends[p])
		s->obs->sent[p] = now;
	s->sends[p]++;
	int r = io_tx_commit(&e->tx, (size_t)n, (const struct sockaddr *)&sin, sizeof(sin));
	return r == -EHOSTUNREACH || r == -ENETUNREACH ? 0 : r;
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

static void on_os_packet(struct engine *e, struct osh *hs, size_t n, const struct io_pkt *pk)
{
	struct pkt_ip4 ip;
	if (pk->ethertype != PKT_ETH_P_IP || pkt_ip4_parse(pk->data, pk->len, &ip, true) < 0)
		return;
	const uint8_t *l4 = pk->data + ip.hlen;
	size_t l4len = pk->len - ip.hlen;
	for (size_t i = 0; i < n; i++) {
		struct os_obs *o = hs[i].obs;
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

static bool answered_all(const struct osh *s)
{
	for (int p = 0; p < OSP_N; p++)
		if (wanted(s, p) && !s->obs->got[p] && p != OSP_T2 && p != OSP_T3)
			return false;
	return true;
}

/* One try over the active hosts. */
static int os_try(struct engine *e, struct osh *hs, size_t n)
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
				if (d < 0 || !wanted(&hs[i], p) || hs[i].obs->got[p])
					continue;
				if (t0 + d <= now) {
					int r = send_os_probe(e, &hs[i], p, now);
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
		if (io_rx_wait(&e->rx, next - now) <= 0)
			continue;
		struct io_pkt pk[IO_BATCH];
		int k = io_rx_batch(&e->rx, pk, IO_BATCH);
		for (int j = 0; j < k; j++) {
			engine_trace(e, TRACE_RCVD, pk[j].ts, pk[j].data, pk[j].len);
			on_os_packet(e, hs, n, &pk[j]);
		}
	}
}

void osscan_platform(char *buf, size_t len)
{
	struct utsname u;
	if (uname(&u) == 0)
		snprintf(buf, len, "%.40s-pc-linux-gnu", u.machine);
	else
		snprintf(buf, len, "unknown-pc-linux-gnu");
}

static bool private_v4(const struct in_addr *a)
{
	uint32_t x = ntohl(a->s_addr);
	return (x >> 24) == 10 || (x >> 20) == (172u << 4 | 1) || (x >> 16) == (192u << 8 | 168);
}

static const char *const probe_names[OSP_N] = {"SEQ1", "SEQ2", "SEQ3", "SEQ4", "SEQ5", "SEQ6",
					       "IE1",  "IE2",  "U1",   "ECN",  "T2",   "T3",
					       "T4",   "T5",   "T6",   "T7"};

/* NETKIT_OS_RECORD: the try as an observation block of data/os (its
 * class and provenance lines are added by scripts/os-observe.sh). */
static void record(const struct engine *e, const struct osh *s)
{
	FILE *f = fopen(e->cfg->os_record, "a");
	if (!f)
		return;
	const struct os_obs *o = s->obs;
	char a[16];
	inet_ntop(AF_INET, &s->rh->addr.v4, a, sizeof(a));
	fprintf(f, "observation %s\n", a);
	fprintf(f, "params ttl=%u seq=%u ack=%u u1csum=%u open=%d closed=%d udp=%d direct=%d\n",
		o->pp.ttl, o->pp.seq, o->pp.ack, o->u1_csum, s->r->open_port, s->r->closed_port,
		s->r->closed_udp, o->direct);
	for (int p = 0; p < OSP_N; p++) {
		if (!o->got[p])
			continue;
		fprintf(f, "reply %s %.4f ", probe_names[p], o->sent[p] - o->sent[0]);
		for (size_t i = 0; i < o->rlen[p]; i++)
			fprintf(f, "%02x", o->reply[p][i]);
		fprintf(f, "\n");
	}
	fprintf(f, "tests %s\nend\n\n", s->r->fp.tests);
	fclose(f);
}

/* data/os/os-db from the data directories, as the UDP payloads are found */
struct os_db *osscan_load_db(const struct scan_config *cfg, const char *file)
{
	const char *dirs[] = {cfg->datadir, getenv("NETKIT_DATADIR"), NETKIT_DATADIR,
			      NETKIT_SRCDATADIR};
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char path[4096];
		struct os_db *db;
		int bad;
		if (!dirs[i])
			continue;
		snprintf(path, sizeof(path), "%s/os/%s", dirs[i], file);
		if (os_db_load(path, &db, &bad) == 0)
			return db;
	}
	return NULL;
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

void osscan_match(const struct os_db *db, struct host_os *r)
{
	struct os_match_res m;
	os_db_match(db, r->fp.tests, NULL, &m);
	r->db_size = os_db_size(db);
	r->nguess = m.n;
	r->nexact_all = m.verdict == OS_EXACT ? m.exact : 0;
	r->nexact = r->nexact_all < 8 ? r->nexact_all : 8;
	r->verdict = m.verdict;
	snprintf(r->family, sizeof(r->family), "%s", m.n ? os_entry_family(m.g[0].e) : "");
	snprintf(r->rival, sizeof(r->rival), "%s", m.rival ? os_entry_name(m.rival) : "");
	r->rival_acc = m.n ? m.g[0].acc - m.margin : 0;
	snprintf(r->why, sizeof(r->why), "%s", m.why);
	snprintf(r->support, sizeof(r->support), "%s", m.support);
	r->margin = m.margin;
	r->calib_right = m.calib_right;
	r->calib_cases = m.calib_cases;
	for (int i = 0; i < m.n && i < 8; i++) {
		struct host_os_guess *g = &r->g[i];
		const struct os_entry *en = m.g[i].e;
		snprintf(g->name, sizeof(g->name), "%s", os_entry_name(en));
		snprintf(g->family, sizeof(g->family), "%s", os_entry_family(en));
		g->line = os_entry_line(en);
		g->acc = m.g[i].acc;
		for (g->nclass = 0; g->nclass < 4 && os_entry_class(en, g->nclass); g->nclass++)
			snprintf(g->cls[g->nclass], sizeof(g->cls[0]), "%s",
				 os_entry_class(en, g->nclass));
		for (g->ncpe = 0; g->ncpe < 4 && os_entry_cpe(en, g->ncpe); g->ncpe++)
			snprintf(g->cpe[g->ncpe], sizeof(g->cpe[0]), "%s",
				 os_entry_cpe(en, g->ncpe));
	}
}

static void finish(const struct engine *e, struct osh *s, const struct os_db *db)
{
	struct host_os *r = s->r;
	os_compute(s->obs, &r->fp);
	r->when = osscan_wall();
	time_t t = (time_t)r->when;
	struct tm tm;
	localtime_r(&t, &tm);
	char plat[64];
	osscan_platform(plat, sizeof(plat));
	r->udp_answered = s->obs->got[OSP_U1];
	r->ideal = r->good && r->udp_answered;
	struct os_scan_info si = {.open_port = r->open_port,
				  .closed_port = r->closed_port,
				  .closed_udp = r->udp_answered ? r->closed_udp : -1,
				  .month = tm.tm_mon + 1,
				  .day = tm.tm_mday,
				  .when = (long long)t,
				  .private_addr = private_v4(&s->rh->addr.v4),
				  .good = r->ideal,
				  .mac = s->rh->h->has_mac ? s->rh->h->mac : NULL,
				  .platform = plat,
				  .netkit_version = NETKIT_VERSION};
	os_fp_string(&r->fp, &si, r->fingerprint, sizeof(r->fingerprint));
	if (e->cfg->os_record)
		record(e, s);
	path_signs(r);
	if (db)
		osscan_match(db, r);
}

/* As nmap: of several tries, the one nearest to something known counts. */
static void keep_best(const struct engine *e, struct osh *s, const struct os_db *db)
{
	struct host_os *old = s->r->nguess ? malloc(sizeof(*old)) : NULL;
	if (old)
		*old = *s->r;
	finish(e, s, db);
	if (old && old->g[0].acc > s->r->g[0].acc)
		*s->r = *old;
	free(old);
}

static int setup(struct engine *e, struct osh *s, struct rhost *rh, uint16_t base)
{
	s->rh = rh;
	s->r = calloc(1, sizeof(*s->r));
	s->obs = calloc(1, sizeof(*s->obs));
	if (!s->r || !s->obs)
		return -ENOMEM;
	rh->h->os = s->r;
	osscan_pick_ports(rh->h, s->r);
	if (e->cfg->osscan_limit && !s->r->good)
		return 0; /* --osscan-limit: nmap leaves such hosts out */
	s->r->done = true;
	s->active = true;
	s->obs->pp.src = rh->ri.src;
	s->obs->pp.dst = rh->addr;
	s->obs->pp.sport_base = base;
	s->obs->pp.open_port = (uint16_t)(s->r->open_port >= 0 ? s->r->open_port : 0);
	s->obs->pp.closed_port = (uint16_t)(s->r->closed_port >= 0 ? s->r->closed_port : 0);
	s->obs->pp.closed_udp = (uint16_t)s->r->closed_udp;
	return 0;
}

int osscan_run(struct engine *e, struct rhost *up, size_t nup,
	       void (*say)(void *ctx, int tryno, size_t n, const struct host *h), void *ctx)
{
	struct osh *hs = calloc(nup ? nup : 1, sizeof(*hs));
	if (!hs)
		return -ENOMEM;
	size_t n = 0;
	int r = 0;
	uint16_t base = (uint16_t)(33000 + (osscan_rnd32() % 1500) * 16);
	for (size_t i = 0; i < nup && r == 0; i++) {
		if (up[i].h->timed_out || up[i].addr.family != AF_INET || !e->raw)
			continue;
		r = setup(e, &hs[n], &up[i], (uint16_t)(base + 16 * (n % 2000)));
		n++;
	}
	int tries = e->cfg->max_os_tries > 0 ? e->cfg->max_os_tries : 5;
	struct os_db *db = n ? osscan_load_db(e->cfg, "os-db") : NULL;
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
	for (size_t i = 0; i < n; i++)
		free(hs[i].obs);
	free(hs);
	os_db_free(db);
	return r;
}
