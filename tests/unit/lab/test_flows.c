/* SPDX-License-Identifier: Apache-2.0 */
/* The impairment daemon's ground truth: which packets are probes or
 * replies and of which probe (impair_classify), the records it writes,
 * and the join of several daemons' records into loss per flow and TTL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/lab/flows.h"

static struct pkt_addr A(const char *s) {
	struct pkt_addr a = {0};
	a.family = strchr(s, ':') ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(a.family, s, a.b), 1);
	return a;
}

/* An IP packet around an upper-layer payload. */
static size_t
ip(uint8_t *buf, const char *src, const char *dst, uint8_t proto, uint8_t ttl, const uint8_t *l4,
   size_t len)
{
	struct pkt_addr s = A(src), d = A(dst);
	int n;
	if (s.family == AF_INET) {
		struct pkt_ip4 h = {.ttl = ttl, .proto = proto, .src = s.v4, .dst = d.v4};
		n = pkt_ip4_build(buf, 2048, &h, len);
	} else {
		struct pkt_ip6 h = {.next = proto, .hlim = ttl, .src = s.v6, .dst = d.v6};
		n = pkt_ip6_build(buf, 2048, &h, len);
	}
	assert_true(n > 0);
	memcpy(buf + n, l4, len);
	return (size_t)n + len;
}

static size_t echo(uint8_t *buf, bool v6, uint8_t type, uint16_t id, uint16_t seq, uint8_t ttl)
{
	uint8_t l4[64];
	int n = pkt_icmp_echo_build(l4, sizeof(l4), v6, type, id, seq, "abcdefgh", 8, NULL, NULL);
	assert_true(n > 0);
	return v6 ? ip(buf, "2001:db8:1::2", "2001:db8:3::10", IPPROTO_ICMPV6, ttl, l4, (size_t)n)
		  : ip(buf, "198.18.1.2", "198.18.3.10", IPPROTO_ICMP, ttl, l4, (size_t)n);
}

/* A time exceeded from router `from` quoting the first 28/48 bytes of probe. */
static size_t timxceed(uint8_t *buf, const char *from, const uint8_t *probe, size_t plen)
{
	bool v6 = strchr(from, ':');
	uint8_t l4[256];
	size_t q = (v6 ? PKT_IP6_HLEN : PKT_IP4_HLEN) + 8;
	int n = pkt_icmp_error_build(l4, sizeof(l4), v6,
				     v6 ? PKT_ICMP6_TIMXCEED : PKT_ICMP_TIMXCEED, 0, 0, probe,
				     plen < q ? plen : q, NULL, 0, NULL, NULL);
	assert_true(n > 0);
	return ip(buf, from, v6 ? "2001:db8:1::2" : "198.18.1.2",
		  v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP, 63, l4, (size_t)n);
}

static void test_classify_icmp(void **state)
{
	(void)state;
	uint8_t probe[256], buf[512];
	struct impair_pkt p;
	for (int v6 = 0; v6 <= 1; v6++) {
		size_t n = echo(probe, v6, v6 ? PKT_ICMP6_ECHO : PKT_ICMP_ECHO, 4242, 17, 3);
		assert_int_equal(impair_classify(probe, n, &p), 1);
		assert_int_equal(p.kind, 'P');
		assert_int_equal(p.v6, v6);
		assert_int_equal(p.proto, IPPROTO_ICMP);
		assert_int_equal(p.id, 4242);
		assert_int_equal(p.port, 0);
		assert_int_equal(p.tag, 17);
		assert_int_equal(p.ttl, 3);
		/* the reply carries the same key */
		size_t r =
			echo(buf, v6, v6 ? PKT_ICMP6_ECHOREPLY : PKT_ICMP_ECHOREPLY, 4242, 17, 60);
		assert_int_equal(impair_classify(buf, r, &p), 1);
		assert_int_equal(p.kind, 'R');
		assert_int_equal(p.id, 4242);
		assert_int_equal(p.tag, 17);
		/* and so does a router's time exceeded quoting the probe */
		r = timxceed(buf, v6 ? "2001:db8:12::2" : "198.18.12.2", probe, n);
		assert_int_equal(impair_classify(buf, r, &p), 1);
		assert_int_equal(p.kind, 'R');
		assert_int_equal(p.proto, IPPROTO_ICMP);
		assert_int_equal(p.id, 4242);
		assert_int_equal(p.tag, 17);
		struct pkt_addr want = A(v6 ? "2001:db8:12::2" : "198.18.12.2");
		assert_true(pkt_addr_eq(&p.src, &want));
		/* cut anywhere inside the quote: not attributable, never a crash */
		for (size_t cut = 0; cut < r; cut++)
			assert_true(impair_classify(buf, cut, &p) <= 0);
	}
}

static void test_classify_udp_tcp(void **state)
{
	(void)state;
	uint8_t l4[64], probe[256], buf[512];
	struct impair_pkt p;
	struct pkt_addr s = A("198.18.1.2"), d = A("198.18.3.10");
	struct pkt_udp u = {.sport = 40000, .dport = 33434};
	int n = pkt_udp_build(l4, sizeof(l4), &u, "xy", 2, &s, &d);
	size_t len = ip(probe, "198.18.1.2", "198.18.3.10", IPPROTO_UDP, 2, l4, (size_t)n);
	assert_int_equal(impair_classify(probe, len, &p), 1);
	assert_int_equal(p.kind, 'P');
	assert_int_equal(p.proto, IPPROTO_UDP);
	assert_int_equal(p.id, 40000);
	assert_int_equal(p.port, 33434);
	uint32_t tag = p.tag;
	assert_int_equal(tag, pkt_get16(l4 + 6));
	size_t r = timxceed(buf, "198.18.1.1", probe, len);
	assert_int_equal(impair_classify(buf, r, &p), 1);
	assert_true(p.kind == 'R' && p.proto == IPPROTO_UDP && p.id == 40000 && p.port == 33434 &&
		    p.tag == tag);
	/* ordinary UDP (a DNS query at TTL 64) is no probe */
	len = ip(probe, "198.18.1.2", "198.18.3.10", IPPROTO_UDP, 64, l4, (size_t)n);
	assert_int_equal(impair_classify(probe, len, &p), 0);

	struct pkt_tcp t = {.sport = 50000, .dport = 80, .seq = 0x00110022, .flags = PKT_TCP_SYN};
	n = pkt_tcp_build(l4, sizeof(l4), &t, NULL, 0, &s, &d);
	len = ip(probe, "198.18.1.2", "198.18.3.10", IPPROTO_TCP, 64, l4, (size_t)n);
	assert_int_equal(impair_classify(probe, len, &p), 1);
	assert_true(p.kind == 'P' && p.proto == IPPROTO_TCP && p.id == 50000 && p.port == 80 &&
		    p.tag == 0x00110022);
	r = timxceed(buf, "198.18.1.1", probe, len);
	assert_int_equal(impair_classify(buf, r, &p), 1);
	assert_true(p.kind == 'R' && p.id == 50000 && p.port == 80 && p.tag == 0x00110022);
	/* the target's RST and SYN-ACK acknowledge seq + 1: same key */
	const uint8_t answers[] = {PKT_TCP_RST | PKT_TCP_ACK, PKT_TCP_SYN | PKT_TCP_ACK};
	for (int i = 0; i < 2; i++) {
		struct pkt_tcp a = {
			.sport = 80, .dport = 50000, .ack = 0x00110023, .flags = answers[i]};
		n = pkt_tcp_build(l4, sizeof(l4), &a, NULL, 0, &d, &s);
		len = ip(buf, "198.18.3.10", "198.18.1.2", IPPROTO_TCP, 64, l4, (size_t)n);
		assert_int_equal(impair_classify(buf, len, &p), 1);
		assert_true(p.kind == 'R' && p.id == 50000 && p.port == 80 && p.tag == 0x00110022);
	}
	/* data on a connection is neither */
	struct pkt_tcp a = {.sport = 80, .dport = 50000, .flags = PKT_TCP_ACK | PKT_TCP_PSH};
	n = pkt_tcp_build(l4, sizeof(l4), &a, NULL, 0, &d, &s);
	len = ip(buf, "198.18.3.10", "198.18.1.2", IPPROTO_TCP, 64, l4, (size_t)n);
	assert_int_equal(impair_classify(buf, len, &p), 0);
}

static void test_classify_bad(void **state)
{
	(void)state;
	uint8_t buf[512] = {0};
	struct impair_pkt p;
	assert_int_equal(impair_classify(buf, 0, &p), -EBADMSG);
	memset(buf, 0x55, sizeof(buf)); /* version 5 */
	assert_int_equal(impair_classify(buf, sizeof(buf), &p), -EBADMSG);
	/* a later fragment has no header to read */
	size_t n = echo(buf, false, PKT_ICMP_ECHO, 1, 2, 3);
	buf[7] = 10;
	assert_int_equal(impair_classify(buf, n, &p), 0);
	/* other ICMP (a router advertisement-ish type 9) is not attributable */
	n = echo(buf, false, 9, 1, 2, 3);
	assert_int_equal(impair_classify(buf, n, &p), 0);
	/* random bytes never crash it */
	uint64_t x = 88172645463325252ull;
	for (int i = 0; i < 20000; i++) {
		size_t len = (size_t)(x % 200);
		for (size_t k = 0; k < len; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			buf[k] = (uint8_t)x;
		}
		buf[0] = (uint8_t)((i & 1 ? 0x40 : 0x60) | (buf[0] & 0xf));
		assert_true(impair_classify(buf, len, &p) <= 1);
	}
}

static void test_records(void **state)
{
	(void)state;
	struct impair_pkt p = {.kind = 'R',
			       .v6 = true,
			       .proto = IPPROTO_UDP,
			       .id = 40000,
			       .port = 33434,
			       .tag = 0xfffe,
			       .ttl = 61};
	p.src = A("2001:db8:12::2");
	char line[128];
	int n = impair_rec_format(&p, true, line, sizeof(line));
	assert_string_equal(line, "R 1 udp6 40000 33434 65534 61 2001:db8:12::2\n");
	assert_int_equal(n, (int)strlen(line));
	struct impair_pkt q;
	bool dropped = false;
	assert_int_equal(impair_rec_parse(line, &q, &dropped), 0);
	assert_true(dropped);
	assert_true(q.kind == 'R' && q.v6 && q.proto == IPPROTO_UDP && q.id == 40000 &&
		    q.port == 33434 && q.tag == 0xfffe && q.ttl == 61 &&
		    pkt_addr_eq(&q.src, &p.src));
	assert_int_equal(impair_rec_format(&p, true, line, 10), -ENOSPC);
	assert_int_equal(impair_rec_parse("P 0 icmp4 4242 0 4000000000 3 198.18.1.2", &q, &dropped),
			 0);
	assert_true(q.tag == 4000000000u && !dropped && q.kind == 'P');
	static const char *const bad[] = {
		"",
		"X 0 icmp4 1 0 1 3 198.18.1.2",
		"P 2 icmp4 1 0 1 3 198.18.1.2",
		"P 0 icmp5 1 0 1 3 198.18.1.2",
		"P 0 sctp4 1 0 1 3 198.18.1.2",
		"P 0 icmp4 65536 0 1 3 198.18.1.2",
		"P 0 icmp4 1 0 1 256 198.18.1.2",
		"P 0 icmp4 1 0 1 3 2001:db8::1",
		"P 0 icmp6 1 0 1 3 198.18.1.2",
		"P 0 icmp4 1 0 1 3 198.18.1.2 extra",
		"P 0 icmp4 1 0 1 3", /* cut short by a writer */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(impair_rec_parse(bad[i], &q, &dropped), -EBADMSG);
}

static void add(struct flow_join *j, char kind, uint16_t id, uint32_t tag, uint8_t ttl,
		bool dropped)
{
	struct impair_pkt p = {
		.kind = kind, .proto = IPPROTO_ICMP, .id = id, .tag = tag, .ttl = ttl};
	p.src = A("198.18.1.2");
	assert_int_equal(flow_join_add(j, &p, dropped), 0);
}

static void test_join(void **state)
{
	(void)state;
	struct flow_join j;
	flow_join_init(&j);
	/* flow 7, as three daemons see it: the client's link (TTL as sent), then
	 * two routers further (TTL one and two less), replies on the way back */
	for (uint32_t seq = 1; seq <= 3000; seq++) {
		uint8_t ttl = (uint8_t)(seq % 3 + 1);
		add(&j, 'P', 7, seq, ttl, false);
		bool pdrop = ttl >= 2 && seq % 10 == 0; /* lost on link 2 */
		if (ttl >= 2)
			add(&j, 'P', 7, seq, ttl - 1, pdrop);
		if (ttl >= 3 && !pdrop)
			add(&j, 'P', 7, seq, ttl - 2, false);
		if (pdrop)
			continue;
		bool rdrop = seq % 7 == 0;
		add(&j, 'R', 7, seq, 60, rdrop);
		if (!rdrop)
			add(&j, 'R', 7, seq, 59, false);
	}
	/* another flow, and a reply to a probe no daemon saw (not counted) */
	add(&j, 'P', 9, 1, 1, false);
	add(&j, 'R', 8, 1, 60, true);
	struct flow_sum *s;
	int n = flow_join_sum(&j, &s);
	assert_int_equal(n, 2);
	assert_int_equal(s[0].id, 7);
	assert_int_equal(s[0].maxttl, 3);
	assert_int_equal(s[1].id, 9);
	assert_int_equal(s[1].hop[1].probes, 1);
	uint32_t want[4][3] = {{0}};
	for (uint32_t seq = 1; seq <= 3000; seq++) {
		int ttl = (int)(seq % 3 + 1);
		bool pdrop = ttl >= 2 && seq % 10 == 0;
		want[ttl][0]++;
		want[ttl][1] += pdrop;
		want[ttl][2] += !pdrop && seq % 7 == 0;
	}
	for (int t = 1; t <= 3; t++) {
		assert_int_equal(s[0].hop[t].probes, want[t][0]);
		assert_int_equal(s[0].hop[t].probe_dropped, want[t][1]);
		assert_int_equal(s[0].hop[t].reply_dropped, want[t][2]);
	}
	assert_int_equal(s[0].hop[1].probe_dropped, 0);
	free(s);
	flow_join_free(&j);
	/* empty */
	flow_join_init(&j);
	assert_int_equal(flow_join_sum(&j, &s), 0);
	free(s);
	flow_join_free(&j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify_icmp), cmocka_unit_test(test_classify_udp_tcp),
		cmocka_unit_test(test_classify_bad),  cmocka_unit_test(test_records),
		cmocka_unit_test(test_join),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
