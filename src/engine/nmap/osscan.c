/* SPDX-License-Identifier: Apache-2.0 */
/* -O and -6 -O: nmap's OS detection stage after the port scan (and -sV),
 * one driver for both families (osscan.h): every live host of the scan's
 * family gets the family's probes (osscan4.c, osscan6.c), hosts in
 * parallel; the replies are kept whole and engine/os computes the tests
 * from them. Here: the hosts' ports and addresses, sending, the SCAN
 * facts of the fingerprint, the NETKIT_OS_RECORD block, the knowledge. */
#include "engine/nmap/osscan.h"

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

void osscan_platform(char *buf, size_t len)
{
	struct utsname u;
	if (uname(&u) == 0)
		snprintf(buf, len, "%.40s-pc-linux-gnu", u.machine);
	else
		snprintf(buf, len, "unknown-pc-linux-gnu");
}

/* data/os/FILE from the data directories, as the UDP payloads are found */
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

/* Where the raw socket sends s's probes. */
static socklen_t dest(const struct os_slot *s, struct sockaddr_storage *ss)
{
	const struct pkt_addr *a = &s->rh->addr;
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		*s6 = (struct sockaddr_in6){.sin6_family = AF_INET6, .sin6_addr = a->v6};
		if (IN6_IS_ADDR_LINKLOCAL(&a->v6))
			s6->sin6_scope_id = (uint32_t)s->rh->ri.ifindex;
		return sizeof(*s6);
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	*s4 = (struct sockaddr_in){.sin_family = AF_INET, .sin_addr = a->v4};
	return sizeof(*s4);
}

int osscan_send(struct engine *e, const struct os_family *f, struct os_slot *s, int p, double now)
{
	uint8_t *buf = io_tx_buf(&e->tx);
	int n = f->build(s, p, now, buf, IO_PKTMAX);
	if (n < 0)
		return n;
	struct sockaddr_storage ss;
	socklen_t sl = dest(s, &ss);
	engine_trace(e, TRACE_SENT, now, buf, (size_t)n);
	e->raw_sent++;
	e->raw_sent_bytes += (size_t)n;
	e->raw_used = true;
	s->sends[p]++;
	int r = io_tx_commit(&e->tx, (size_t)n, (const struct sockaddr *)&ss, sl);
	return r == -EHOSTUNREACH || r == -ENETUNREACH ? 0 : r;
}

void osscan_receive(struct engine *e, const struct os_family *f, struct os_slot *hs, size_t n,
		    double wait)
{
	if (io_rx_wait(&e->rx, wait) <= 0)
		return;
	struct io_pkt pk[IO_BATCH];
	int k = io_rx_batch(&e->rx, pk, IO_BATCH);
	for (int j = 0; j < k; j++) {
		engine_trace(e, TRACE_RCVD, pk[j].ts, pk[j].data, pk[j].len);
		f->on_packet(e, hs, n, &pk[j]);
	}
}

static bool private_addr(const struct pkt_addr *a)
{
	if (a->family == AF_INET6)
		return (a->v6.s6_addr[0] & 0xfe) == 0xfc ||
		       (a->v6.s6_addr[0] == 0xfe && (a->v6.s6_addr[1] & 0xc0) == 0x80);
	uint32_t x = ntohl(a->v4.s_addr);
	return (x >> 24) == 10 || (x >> 20) == (172u << 4 | 1) || (x >> 16) == (192u << 8 | 168);
}

/* NETKIT_OS_RECORD: the try as an observation block of data/os (its
 * class and provenance lines are added by scripts/os-observe.sh). */
static void record(const struct engine *e, const struct os_family *f, const struct os_slot *s)
{
	FILE *out = fopen(e->cfg->os_record, "a");
	if (!out)
		return;
	const struct pkt_addr *addr = &s->rh->addr;
	char a[INET6_ADDRSTRLEN];
	inet_ntop(f->af, f->af == AF_INET6 ? (const void *)&addr->v6 : (const void *)&addr->v4, a,
		  sizeof(a));
	fprintf(out, "observation %s\n", a);
	f->record_params(out, s);
	for (int p = 0; p < f->nprobes; p++) {
		size_t len;
		double after;
		const uint8_t *reply = f->reply(s, p, &len, &after);
		if (!reply)
			continue;
		fprintf(out, "reply %s %.4f ", f->probe_name(p), after);
		for (size_t i = 0; i < len; i++)
			fprintf(out, "%02x", reply[i]);
		fprintf(out, "\n");
	}
	fprintf(out, "tests %s\nend\n\n", s->r->fp.tests);
	fclose(out);
}

void osscan_fingerprint(const struct engine *e, const struct os_family *f, struct os_slot *s,
			bool udp_answered, const char *tests)
{
	struct host_os *r = s->r;
	r->when = osscan_wall();
	time_t t = (time_t)r->when;
	struct tm tm;
	localtime_r(&t, &tm);
	char plat[64];
	osscan_platform(plat, sizeof(plat));
	r->udp_answered = udp_answered;
	r->ideal = r->good && r->udp_answered;
	struct os_scan_info si = {.open_port = r->open_port,
				  .closed_port = r->closed_port,
				  .closed_udp = r->udp_answered ? r->closed_udp : -1,
				  .month = tm.tm_mon + 1,
				  .day = tm.tm_mday,
				  .when = (long long)t,
				  .private_addr = private_addr(&s->rh->addr),
				  .good = r->ideal,
				  .mac = s->rh->h->has_mac ? s->rh->h->mac : NULL,
				  .platform = plat,
				  .netkit_version = NETKIT_VERSION,
				  .v6 = f->af == AF_INET6,
				  .tests = tests};
	os_fp_string(&r->fp, &si, r->fingerprint, sizeof(r->fingerprint));
	if (e->cfg->os_record)
		record(e, f, s);
}

static int setup(struct engine *e, const struct os_family *f, struct os_slot *s, struct rhost *rh,
		 uint16_t base)
{
	s->rh = rh;
	s->r = calloc(1, sizeof(*s->r));
	s->obs = calloc(1, f->obs_size);
	s->sched = f->sched_size ? calloc(1, f->sched_size) : NULL;
	if (!s->r || !s->obs || (f->sched_size && !s->sched))
		return -ENOMEM;
	rh->h->os = s->r;
	s->r->v6 = f->af == AF_INET6;
	osscan_pick_ports(rh->h, s->r);
	if (e->cfg->osscan_limit && !s->r->good)
		return 0; /* --osscan-limit: nmap leaves such hosts out */
	s->r->done = true;
	s->active = true;
	struct os_target t = {
		.src = rh->ri.src,
		.dst = rh->addr,
		.sport_base = base,
		.open_port = (uint16_t)(s->r->open_port >= 0 ? s->r->open_port : 0),
		.closed_port = (uint16_t)(s->r->closed_port >= 0 ? s->r->closed_port : 0),
		.closed_udp = (uint16_t)s->r->closed_udp,
	};
	f->setup(s, e->cfg, &t);
	return 0;
}

int osscan_run(struct engine *e, struct rhost *up, size_t nup, osscan_say_fn say, void *ctx)
{
	const struct os_family *f = e->cfg->af == AF_INET6 ? &osscan_ipv6 : &osscan_ipv4;
	struct os_slot *hs = calloc(nup ? nup : 1, sizeof(*hs));
	if (!hs)
		return -ENOMEM;
	size_t n = 0;
	int r = 0;
	uint16_t base = (uint16_t)(33000 + (osscan_rnd32() % 1500) * 16);
	for (size_t i = 0; i < nup && r == 0; i++) {
		if (up[i].h->timed_out || up[i].addr.family != f->af || !e->raw)
			continue;
		r = setup(e, f, &hs[n], &up[i], (uint16_t)(base + 16 * (n % 2000)));
		n++;
	}
	struct os_db *db = n && r == 0 ? osscan_load_db(e->cfg, f->db) : NULL;
	if (n && r == 0)
		r = f->tries(e, hs, n, db, say, ctx);
	for (size_t i = 0; i < n; i++) {
		free(hs[i].obs);
		free(hs[i].sched);
	}
	free(hs);
	os_db_free(db);
	return r;
}
