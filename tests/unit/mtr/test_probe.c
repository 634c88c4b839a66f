/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for the probes mtr sends: Paris-style constant flow
 * identifiers (ICMP checksum, UDP/TCP ports) and the sequence number
 * carried where an ICMP error quotes it back (UDP checksum, TCP seq). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "engine/trace/trace_int.h"

static struct trace_path paths[1];

static void setup(struct trace *t, enum trace_proto proto, bool raw, int family)
{
	memset(t, 0, sizeof(*t));
	t->cfg.family = family;
	t->cfg.proto = proto;
	t->cfg.port = proto == TRACE_TCP ? 80 : 33434;
	t->cfg.size = 64;
	t->cycle_size = 64;
	t->cfg.paris = true;
	t->cfg.nflows = 1;
	t->raw = raw;
	t->paths = paths;
	t->ident = 0x1234;
	paths[0].flow_id = proto == TRACE_ICMP ? 0x1234 : 0x9234;
	if (family == AF_INET) {
		struct in_addr s, d;

		inet_pton(AF_INET, "198.18.1.2", &s);
		inet_pton(AF_INET, "198.18.3.10", &d);
		pkt_addr4(&t->src, &s);
		pkt_addr4(&t->cfg.dst, &d);
	} else {
		struct in6_addr s, d;

		inet_pton(AF_INET6, "2001:db8:1::2", &s);
		inet_pton(AF_INET6, "2001:db8:3::10", &d);
		pkt_addr6(&t->src, &s);
		pkt_addr6(&t->cfg.dst, &d);
	}
}

static void test_udp_paris(void **st)
{
	struct trace t;
	uint8_t buf[9000];

	(void)st;
	for (int fam = 0; fam < 2; fam++) {
		setup(&t, TRACE_UDP, true, fam ? AF_INET6 : AF_INET);
		for (unsigned seq = 1; seq < 0xfffe; seq += 997) {
			int n = trace_build(&t, 0, (uint16_t)seq, buf);
			struct pkt_udp u;

			assert_int_equal(n, 64 - (fam ? 40 : 20));
			assert_int_equal(pkt_udp_parse(buf, (size_t)n, &u), 8);
			assert_int_equal(u.sport, 0x9234);
			assert_int_equal(u.dport, 33434);
			/* the checksum is the sequence number, and a valid one */
			assert_int_equal(u.csum, seq);
			assert_true(pkt_csum_ok(buf, (size_t)n, &t.src, &t.cfg.dst, IPPROTO_UDP));
		}
	}
}

static void test_icmp_constant_checksum(void **st)
{
	struct trace t;
	uint8_t buf[9000];
	uint16_t first = 0;

	(void)st;
	setup(&t, TRACE_ICMP, true, AF_INET);
	for (unsigned seq = 1; seq < 0xfffe; seq += 1013) {
		struct pkt_icmp m = {0};
		int n = trace_build(&t, 0, (uint16_t)seq, buf);

		assert_int_equal(n, 44);
		assert_int_equal(pkt_icmp_parse(buf, (size_t)n, &m), 8);
		assert_int_equal(m.type, PKT_ICMP_ECHO);
		assert_int_equal(m.id, 0x1234);
		assert_int_equal(m.seq, seq);
		assert_int_equal(pkt_csum(buf, (size_t)n), 0);
		if (!first)
			first = m.csum;
		assert_int_equal(m.csum, first);
	}
	/* without Paris the checksum follows the sequence */
	t.cfg.paris = false;
	trace_build(&t, 0, 1, buf);
	uint16_t a = pkt_get16(buf + 2);
	trace_build(&t, 0, 2, buf);
	assert_int_not_equal(a, pkt_get16(buf + 2));
}

static void test_tcp_seq(void **st)
{
	struct trace t;
	uint8_t buf[9000];
	struct pkt_tcp tc;
	struct pkt_tcp_opts o;

	(void)st;
	setup(&t, TRACE_TCP, true, AF_INET);
	int n = trace_build(&t, 0, 777, buf);

	assert_int_equal(pkt_tcp_parse(buf, (size_t)n, &tc), 24);
	assert_int_equal(tc.flags, PKT_TCP_SYN);
	assert_int_equal(tc.sport, 0x9234);
	assert_int_equal(tc.dport, 80);
	assert_int_equal(tc.seq, (777u << 16) | 0x1234);
	assert_true(pkt_csum_ok(buf, (size_t)n, &t.src, &t.cfg.dst, IPPROTO_TCP));
	assert_int_equal(pkt_tcp_opts_parse(tc.opt, tc.optlen, &o), 0);
	assert_true(o.has_mss);
	/* without Paris the source port moves with the sequence */
	t.cfg.paris = false;
	n = trace_build(&t, 0, 778, buf);
	assert_int_equal(pkt_tcp_parse(buf, (size_t)n, &tc), 24);
	assert_int_equal(tc.sport, 0x8000 | 778);
}

static void test_dgram_udp_payload(void **st)
{
	struct trace t;
	uint8_t buf[9000];

	(void)st;
	setup(&t, TRACE_UDP, false, AF_INET);
	t.pattern = 0xab;
	int n = trace_build(&t, 0, 4242, buf);

	/* the kernel adds the header; the error queue gives the payload back */
	assert_int_equal(n, 64 - 28);
	assert_int_equal(pkt_get16(buf), 4242);
	assert_int_equal(buf[2], 0xab);
	/* sizes below the headers still leave room for the sequence */
	t.cfg.size = t.cycle_size = 10;
	assert_int_equal(trace_build(&t, 0, 1, buf), 2);
}

/* mtr's random size (a negative -s from the screen): one size a cycle,
 * 28 + rand() % (-size - 28), every probe of the cycle that size; a span
 * below 0 counts as its absolute value, 0 (mtr divides by zero) is 28 */
static void test_random_size(void **st)
{
	(void)st;
	struct trace t;
	uint8_t buf[9000];
	int lo = 1 << 30, hi = 0;

	setup(&t, TRACE_ICMP, true, AF_INET);
	t.cfg.size = -100;
	for (int c = 0; c < 2000; c++) {
		trace_pick_cycle(&t);
		int n = trace_build(&t, 0, (uint16_t)(2 * c + 1), buf);

		/* ICMP header + payload: the whole packet minus the IP header,
		 * at least the 2 bytes of the sequence word */
		assert_int_equal(n, t.cycle_size - 20 < 10 ? 10 : t.cycle_size - 20);
		assert_int_equal(trace_build(&t, 0, (uint16_t)(2 * c + 2), buf), n);
		lo = t.cycle_size < lo ? t.cycle_size : lo;
		hi = t.cycle_size > hi ? t.cycle_size : hi;
	}
	assert_int_equal(lo, 28);
	assert_int_equal(hi, 99);
	t.cfg.size = -20; /* span -8: 28..35 */
	for (int c = 0; c < 500; c++) {
		trace_pick_cycle(&t);
		assert_true(t.cycle_size >= 28 && t.cycle_size <= 35);
	}
	t.cfg.size = -28;
	trace_pick_cycle(&t);
	assert_int_equal(t.cycle_size, 28);
	t.cfg.size = 64;
	trace_pick_cycle(&t);
	assert_int_equal(t.cycle_size, 64);
}

/* The end of a counted run: the newest probe of a hop is waited for even
 * when a late answer to the one before cleared the hop's transit flag;
 * once the wait is over it counts as lost (trace_settle), as mtr counts it. */
static void test_end_of_run(void **st)
{
	(void)st;
	struct trace t;
	static struct trace_probe probes[65536];
	const double now = 1000.0;

	setup(&t, TRACE_ICMP, true, AF_INET);
	memset(paths, 0, sizeof(paths));
	memset(probes, 0, sizeof(probes));
	t.probes = probes;
	t.cfg.count = 2;
	t.cfg.grace = 5;
	t.cfg.max_ttl = 30;
	t.cfg.first_ttl = 1;
	t.cycles_sent = 2;
	t.last_cycle_at = now;
	t.max_rtt = 0.1;
	struct trace_hop *h = &paths[0].hops[0];
	h->known = true;
	h->addr = t.cfg.dst;
	/* cycle 0 answered; cycle 1's probe (seq 8) sent at now, still out */
	trace_stats_sent(&h->st);
	trace_stats_sent(&h->st);
	trace_stats_reply(&h->st, 70000); /* the late answer to cycle 0 */
	probes[8] = (struct trace_probe){.sent = now, .ttl = 1, .live = true, .xmit_no = 2};
	assert_false(h->st.transit);
	assert_false(trace_finished(&t, now + 0.1));
	assert_false(trace_finished(&t, now + 0.29));
	/* waited 3 x the slowest answer (at least 0.25 s): it is lost */
	assert_true(trace_finished(&t, now + 0.31));
	/* and answered in time, the run ends at once */
	probes[8].live = false;
	assert_true(trace_finished(&t, now + 0.1));
	probes[8].live = true;
	h->st.transit = true; /* as sent: in flight, not counted */
	assert_int_equal(trace_stats_loss(&h->st), 0);
	trace_settle(&t);
	assert_false(probes[8].live);
	assert_int_equal(trace_stats_loss(&h->st), 50000);
}

/* The gap between the probes of a cycle: at most TRACE_PACE_MAX, the
 * whole cycle within TRACE_PACE_SHARE of the interval, 0 when there is
 * nothing to spread. */
static void test_pace_gap(void **st)
{
	(void)st;
	assert_true(trace_pace_gap(0.05, 3) == TRACE_PACE_MAX);
	assert_true(trace_pace_gap(1.0, 30) == TRACE_PACE_MAX);
	assert_float_equal(trace_pace_gap(0.01, 30), 0.01 * TRACE_PACE_SHARE / 29, 1e-12);
	assert_true(trace_pace_gap(0.05, 1) == 0);
	assert_true(trace_pace_gap(0.05, 0) == 0);
	assert_true(trace_pace_gap(0, 5) == 0);
	assert_true(trace_pace_gap(-1, 5) == 0);
	assert_true(trace_pace_gap(0.0 / 0.0, 5) == 0);
	for (int n = 2; n <= 255; n++)
		for (double iv = 0.0001; iv < 100; iv *= 1.7) {
			double g = trace_pace_gap(iv, n);

			assert_true(g > 0 && g <= TRACE_PACE_MAX);
			assert_true(g * (n - 1) <= iv * TRACE_PACE_SHARE * (1 + 1e-9));
		}
}

struct sent_log {
	int n, ttl[16];
	unsigned seq[16];
};

static void log_sent(void *arg, int flow, int ttl, unsigned seq)
{
	struct sent_log *l = arg;

	(void)flow;
	if (l->n < 16) {
		l->seq[l->n] = seq;
		l->ttl[l->n++] = ttl;
	}
}

static void pace_setup(struct trace *t, struct trace_probe *probes, struct sent_log *log)
{
	setup(t, TRACE_ICMP, true, AF_INET);
	memset(paths, 0, sizeof(paths));
	memset(probes, 0, 65536 * sizeof(*probes));
	memset(log, 0, sizeof(*log));
	t->probes = probes;
	t->fd_send = t->fd_icmp = t->fd_tcp = -1; /* the sends fail; the log counts */
	t->cb = (struct trace_cb){.arg = log, .sent = log_sent};
	t->cfg.first_ttl = 1;
	t->cfg.max_ttl = 3;
	t->cfg.interval = 0.05;
	t->cfg.grace = 0.0005;
	t->cfg.count = 2;
}

/* A cycle's probes go one TTL at a time, TRACE_PACE_MAX apart, each
 * counted in the cycle it belongs to; the run is not over while some are
 * still to go; a late wakeup sends the rest before the next cycle. */
static void test_paced_cycle(void **st)
{
	(void)st;
	static struct trace_probe probes[65536];
	struct trace t;
	struct sent_log log;
	const double now = 1000.0;

	pace_setup(&t, probes, &log);
	trace_tick(&t, now);
	assert_int_equal(log.n, 1);
	assert_int_equal(log.ttl[0], 1);
	assert_float_equal(trace_next_wakeup(&t, now), now + TRACE_PACE_MAX, 1e-9);
	trace_tick(&t, now + TRACE_PACE_MAX / 2);
	assert_int_equal(log.n, 1);
	trace_tick(&t, now + TRACE_PACE_MAX);
	assert_int_equal(log.n, 2);
	assert_int_equal(log.ttl[1], 2);
	trace_tick(&t, now + 2.5 * TRACE_PACE_MAX);
	assert_int_equal(log.n, 3);
	assert_int_equal(log.ttl[2], 3);
	assert_float_equal(trace_next_wakeup(&t, now), now + 0.05, 1e-9);
	for (int i = 0; i < 3; i++)
		assert_int_equal(probes[log.seq[i]].cycle, 0);

	/* the last cycle: not finished until its last probe is out, though
	 * the grace time since its first has passed */
	pace_setup(&t, probes, &log);
	t.cfg.count = 1;
	trace_tick(&t, now);
	assert_false(trace_finished(&t, now + 0.9 * TRACE_PACE_MAX));
	trace_tick(&t, now + TRACE_PACE_MAX);
	assert_false(trace_finished(&t, now + 1.9 * TRACE_PACE_MAX));
	trace_tick(&t, now + 2 * TRACE_PACE_MAX);
	assert_int_equal(log.n, 3);
	assert_false(trace_finished(&t, now + 2.1 * TRACE_PACE_MAX));
	assert_true(trace_finished(&t, now + 2 * TRACE_PACE_MAX + 0.0006));

	/* woken only after the next cycle was due: the rest of cycle 0 first */
	pace_setup(&t, probes, &log);
	trace_tick(&t, now);
	trace_tick(&t, now + 0.06);
	assert_int_equal(log.n, 4);
	assert_int_equal(log.ttl[1], 2);
	assert_int_equal(log.ttl[2], 3);
	assert_int_equal(log.ttl[3], 1);
	assert_int_equal(probes[log.seq[2]].cycle, 0);
	assert_int_equal(probes[log.seq[3]].cycle, 1);
	assert_int_equal(t.cycles_sent, 2);

	/* the next cycle brought forward (the screen's space key): the rest
	 * of this one goes first, not after */
	pace_setup(&t, probes, &log);
	trace_tick(&t, now);
	t.next_cycle = now + TRACE_PACE_MAX / 2;
	trace_tick(&t, now + TRACE_PACE_MAX / 2);
	assert_int_equal(log.n, 4);
	assert_int_equal(log.ttl[2], 3);
	assert_int_equal(log.ttl[3], 1);
	assert_int_equal(probes[log.seq[2]].cycle, 0);

	/* statistics reset (the 'r' key) amid a cycle: its rest is not sent,
	 * so every hop starts again from the same count */
	pace_setup(&t, probes, &log);
	trace_tick(&t, now);
	trace_reset(&t);
	trace_tick(&t, now + 3 * TRACE_PACE_MAX);
	assert_int_equal(log.n, 1);
	trace_tick(&t, now + 0.05);
	assert_int_equal(log.n, 2);
	assert_int_equal(log.ttl[1], 1);

	/* nothing to spread (interval 0): the whole cycle at once */
	pace_setup(&t, probes, &log);
	t.cfg.interval = 0;
	trace_tick(&t, now);
	assert_int_equal(log.n, 3);
}

/* mtr's random bit pattern: each cycle a new number in -256..-510 (what its
 * b prompt shows), the payload byte its low byte; a fixed one stays. */
static void test_random_pattern(void **st)
{
	(void)st;
	struct trace t;
	int lo = 0, hi = -1000, changed = 0, prev = 0;

	setup(&t, TRACE_ICMP, true, AF_INET);
	t.cfg.bitpattern = -1;
	for (int i = 0; i < 2000; i++) {
		trace_pick_cycle(&t);
		int v = t.cfg.bitpattern;

		assert_true(v >= -510 && v <= -256);
		assert_int_equal(t.pattern, (uint8_t)(-v - 256));
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
		changed += v != prev;
		prev = v;
	}
	assert_int_equal(lo, -510);
	assert_int_equal(hi, -256);
	assert_true(changed > 1900);
	t.cfg.bitpattern = 7;
	trace_pick_cycle(&t);
	assert_int_equal(t.cfg.bitpattern, 7);
	assert_int_equal(t.pattern, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_udp_paris),
		cmocka_unit_test(test_icmp_constant_checksum),
		cmocka_unit_test(test_tcp_seq),
		cmocka_unit_test(test_dgram_udp_payload),
		cmocka_unit_test(test_random_size),
		cmocka_unit_test(test_end_of_run),
		cmocka_unit_test(test_pace_gap),
		cmocka_unit_test(test_paced_cycle),
		cmocka_unit_test(test_random_pattern),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
