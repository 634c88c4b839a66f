/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for src/lib/pkt: known checksum vectors, build/parse round
 * trips, every parser on short and malformed input, ICMP errors quoting
 * probes of each protocol, RFC 4884/4950 MPLS extensions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/pkt/pkt.h"

static struct pkt_addr a4(const char *s)
{
	struct pkt_addr a;
	struct in_addr v;

	assert_int_equal(inet_pton(AF_INET, s, &v), 1);
	pkt_addr4(&a, &v);
	return a;
}

static struct pkt_addr a6(const char *s)
{
	struct pkt_addr a;
	struct in6_addr v;

	assert_int_equal(inet_pton(AF_INET6, s, &v), 1);
	pkt_addr6(&a, &v);
	return a;
}

/* Reference checksum written the slow, obvious way. */
static uint16_t ref_csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i < n; i++)
		s += i % 2 ? p[i] : (uint32_t)p[i] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void test_csum_vectors(void **st)
{
	/* RFC 1071 section 3 example: sum ddf2, checksum 220d */
	const uint8_t v[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
	/* the classic IPv4 header example, checksum b861 */
	uint8_t ip[] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
			0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
	uint8_t odd[7] = {1, 2, 3, 4, 5, 6, 7};

	(void)st;
	assert_int_equal(pkt_csum(v, sizeof(v)), 0x220d);
	assert_int_equal(pkt_csum(ip, sizeof(ip)), 0xb861);
	pkt_put16(ip + 10, 0xb861);
	assert_true(pkt_csum_ok(ip, sizeof(ip), NULL, NULL, 0));
	ip[0] ^= 1;
	assert_false(pkt_csum_ok(ip, sizeof(ip), NULL, NULL, 0));
	assert_int_equal(pkt_csum(odd, sizeof(odd)), ref_csum(odd, sizeof(odd)));
	/* chained sums over even chunks equal the one-shot sum */
	assert_int_equal(pkt_csum_fold(pkt_csum_add(pkt_csum_add(0, v, 4), v + 4, 4)),
			 pkt_csum(v, sizeof(v)));
	assert_int_equal(pkt_csum(NULL, 0), 0xffff);
}

static void test_csum_large(void **st)
{
	static uint8_t big[65535];

	(void)st;
	memset(big, 0xff, sizeof(big));
	assert_int_equal(pkt_csum(big, sizeof(big)), ref_csum(big, sizeof(big)));
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7 + 3);
	assert_int_equal(pkt_csum(big, sizeof(big)), ref_csum(big, sizeof(big)));
}

static void test_addr(void **st)
{
	struct pkt_addr x = a4("198.18.1.2"), y = a4("198.18.1.2"), z = a6("2001:db8::1");

	(void)st;
	assert_true(pkt_addr_eq(&x, &y));
	assert_false(pkt_addr_eq(&x, &z));
	assert_int_equal(pkt_addr_len(&x), 4);
	assert_int_equal(pkt_addr_len(&z), 16);
	/* mismatched families give no pseudo-header */
	assert_int_equal(pkt_csum_pseudo(&x, &z, 17, 8), 0);
}

static size_t unhex(const char *h, uint8_t *out)
{
	size_t n = 0;
	for (; h[0] && h[1]; h += 2) {
		unsigned v;
		sscanf(h, "%2x", &v);
		out[n++] = (uint8_t)v;
	}
	return n;
}

/* nmap 7.93 -f: a SYN probe (20 + 4 bytes of TCP) cut into three
 * fragments of 8, as the target received them (captured in the lab) */
static void test_ip4_fragment_like_nmap(void **st)
{
	static const char *const nmap[] = {
		"4500001ca7c8200027063be3c6120102c612030a9c400051dcbd8c13",
		"4500001ca7c8200127063be2c6120102c612030a0000000060020400",
		"4500001ca7c8000227065be1c6120102c612030afe920000020405b4"};
	uint8_t pkt[64], frag[64], want[64];
	(void)st;
	size_t len = unhex("4500002ca7c8000027060000c6120102c612030a"
			   "9c400051dcbd8c13000000006002040"
			   "0fe920000020405b4",
			   pkt);
	assert_int_equal(len, 44);
	for (size_t k = 0; k < 3; k++) {
		int n = pkt_ip4_fragment(pkt, len, 8, k, frag, sizeof(frag));
		assert_int_equal(n, 28);
		assert_int_equal(unhex(nmap[k], want), 28);
		assert_memory_equal(frag, want, 28);
	}
	assert_int_equal(pkt_ip4_fragment(pkt, len, 8, 3, frag, sizeof(frag)), 0);
	/* --mtu 16: 16 + 8 */
	assert_int_equal(pkt_ip4_fragment(pkt, len, 16, 0, frag, sizeof(frag)), 36);
	assert_int_equal(pkt_get16(frag + 6), PKT_IP4_MF);
	assert_int_equal(pkt_ip4_fragment(pkt, len, 16, 1, frag, sizeof(frag)), 28);
	assert_int_equal(pkt_get16(frag + 6), 2);
	assert_int_equal(pkt_csum(frag, 20), 0);
	assert_int_equal(pkt_ip4_fragment(pkt, len, 12, 0, frag, sizeof(frag)), -EINVAL);
	assert_int_equal(pkt_ip4_fragment(pkt, len, 8, 0, frag, 20), -ENOSPC);
}

/* SCTP: the CRC32c check value, and nmap 7.93's -sY INIT and -sZ COOKIE
 * ECHO probes rebuilt byte for byte from their fields (captured in the
 * lab; nmap's tags, TSN and cookie are random) */
static void test_sctp_like_nmap(void **st)
{
	uint8_t got[64], want[64];
	struct pkt_sctp p, q;
	(void)st;
	assert_int_equal(pkt_crc32c("123456789", 9), 0xe3069283);
	p = (struct pkt_sctp){.sport = 0x8804,
			      .dport = 80,
			      .chunk = PKT_SCTP_INIT,
			      .init_tag = 0xd99b5a5f,
			      .a_rwnd = 32768,
			      .os = 10,
			      .mis = 2048,
			      .tsn = 0x9dd95479};
	assert_int_equal(pkt_sctp_build(got, sizeof(got), &p), 32);
	assert_int_equal(
		unhex("880400500000000047888be201000014d99b5a5f00008000000a08009dd95479", want),
		32);
	assert_memory_equal(got, want, 32);
	assert_int_equal(pkt_sctp_parse(got, 32, &q), PKT_SCTP_HLEN);
	assert_int_equal(q.chunk, PKT_SCTP_INIT);
	assert_int_equal(q.init_tag, 0xd99b5a5f);
	assert_int_equal(q.tsn, 0x9dd95479);
	static const uint8_t cookie[4] = {0xf4, 0xc7, 0x06, 0x22};
	p = (struct pkt_sctp){.sport = 0xdec7,
			      .dport = 80,
			      .vtag = 0x99a4b31b,
			      .chunk = PKT_SCTP_COOKIE_ECHO,
			      .cookie = cookie,
			      .cookie_len = 4};
	assert_int_equal(pkt_sctp_build(got, sizeof(got), &p), 20);
	assert_int_equal(unhex("dec7005099a4b31b458697130a000008f4c70622", want), 20);
	assert_memory_equal(got, want, 20);
	assert_int_equal(pkt_sctp_parse(got, 20, &q), PKT_SCTP_HLEN);
	assert_int_equal(q.vtag, 0x99a4b31b);
	assert_int_equal(q.chunk, PKT_SCTP_COOKIE_ECHO);
	assert_int_equal(pkt_sctp_parse(got, 15, &q), -EBADMSG);
	assert_int_equal(pkt_sctp_build(got, 16, &p), -ENOSPC);
}

static void test_ip4_roundtrip(void **st)
{
	uint8_t buf[64], opt[4] = {1, 1, 1, 0};
	struct pkt_ip4 h = {
		.tos = 0x10, .id = 0x1234, .frag = PKT_IP4_DF, .ttl = 3, .proto = IPPROTO_UDP};
	struct pkt_ip4 p;

	(void)st;
	inet_pton(AF_INET, "198.18.1.2", &h.src);
	inet_pton(AF_INET, "198.18.3.10", &h.dst);
	assert_int_equal(pkt_ip4_build(buf, sizeof(buf), &h, 8), 20);
	assert_int_equal(pkt_csum(buf, 20), 0);
	assert_int_equal(pkt_ip4_parse(buf, 28, &p, false), 20);
	assert_int_equal(p.tot_len, 28);
	assert_int_equal(p.tos, 0x10);
	assert_int_equal(p.id, 0x1234);
	assert_int_equal(p.frag, PKT_IP4_DF);
	assert_int_equal(p.ttl, 3);
	assert_int_equal(p.proto, IPPROTO_UDP);
	assert_memory_equal(&p.src, &h.src, 4);
	assert_memory_equal(&p.dst, &h.dst, 4);
	assert_null(p.opt);
	/* with options */
	h.opt = opt;
	h.optlen = 4;
	assert_int_equal(pkt_ip4_build(buf, sizeof(buf), &h, 0), 24);
	assert_int_equal(pkt_ip4_parse(buf, 24, &p, false), 24);
	assert_int_equal(p.optlen, 4);
	assert_memory_equal(p.opt, opt, 4);
	assert_int_equal(pkt_csum(buf, 24), 0);
	/* bad build arguments */
	assert_int_equal(pkt_ip4_build(buf, 23, &h, 0), -ENOSPC);
	h.optlen = 3;
	assert_int_equal(pkt_ip4_build(buf, sizeof(buf), &h, 0), -EINVAL);
	h.optlen = 0;
	assert_int_equal(pkt_ip4_build(buf, sizeof(buf), &h, 65535), -EINVAL);
}

static void test_ip4_malformed(void **st)
{
	uint8_t buf[64];
	struct pkt_ip4 h = {.ttl = 64, .proto = 1}, p;

	(void)st;
	assert_int_equal(pkt_ip4_build(buf, sizeof(buf), &h, 8), 20);
	for (size_t n = 0; n < 20; n++)
		assert_int_equal(pkt_ip4_parse(buf, n, &p, true), -EBADMSG);
	/* total length 28 > 20 bytes given: only a quote may be truncated */
	assert_int_equal(pkt_ip4_parse(buf, 20, &p, false), -EBADMSG);
	assert_int_equal(pkt_ip4_parse(buf, 20, &p, true), 20);
	buf[0] = 0x65;
	assert_int_equal(pkt_ip4_parse(buf, 28, &p, true), -EPROTO);
	buf[0] = 0x44; /* IHL 4 */
	assert_int_equal(pkt_ip4_parse(buf, 28, &p, true), -EBADMSG);
	buf[0] = 0x4f; /* IHL 15 = 60 bytes > 28 */
	assert_int_equal(pkt_ip4_parse(buf, 28, &p, true), -EBADMSG);
	buf[0] = 0x45;
	pkt_put16(buf + 2, 19); /* total length below the header */
	assert_int_equal(pkt_ip4_parse(buf, 28, &p, true), -EBADMSG);
}

static void test_ip6(void **st)
{
	uint8_t buf[128];
	struct pkt_ip6 h = {.tclass = 0xb8, .flow = 0xabcde, .next = IPPROTO_ICMPV6, .hlim = 2};
	struct pkt_ip6 p;
	struct pkt_addr s = a6("2001:db8:1::2"), d = a6("2001:db8:3::10");

	(void)st;
	h.src = s.v6;
	h.dst = d.v6;
	assert_int_equal(pkt_ip6_build(buf, sizeof(buf), &h, 16), 40);
	assert_int_equal(pkt_ip6_parse(buf, 56, &p, false), 40);
	assert_int_equal(p.tclass, 0xb8);
	assert_int_equal(p.flow, 0xabcde);
	assert_int_equal(p.plen, 16);
	assert_int_equal(p.next, IPPROTO_ICMPV6);
	assert_int_equal(p.hlim, 2);
	assert_memory_equal(&p.src, &s.v6, 16);
	assert_memory_equal(&p.dst, &d.v6, 16);
	assert_int_equal(pkt_ip6_parse(buf, 50, &p, false), -EBADMSG);
	assert_int_equal(pkt_ip6_parse(buf, 50, &p, true), 40);
	for (size_t n = 0; n < 40; n++)
		assert_int_equal(pkt_ip6_parse(buf, n, &p, true), -EBADMSG);
	assert_int_equal(pkt_ip6_build(buf, 39, &h, 0), -ENOSPC);
	h.flow = 0x100000;
	assert_int_equal(pkt_ip6_build(buf, sizeof(buf), &h, 0), -EINVAL);
	buf[0] = 0x45;
	assert_int_equal(pkt_ip6_parse(buf, 56, &p, true), -EPROTO);
}

static void test_ip6_ext(void **st)
{
	/* hop-by-hop (8 bytes) -> fragment (8) -> UDP */
	uint8_t e[24] = {IPPROTO_FRAGMENT, 0, 1, 4, 0, 0, 0, 0, IPPROTO_UDP, 0, 0, 0, 0, 0, 0, 0};
	uint8_t next = IPPROTO_HOPOPTS;

	(void)st;
	assert_int_equal(pkt_ip6_skip_ext(e, sizeof(e), &next), 16);
	assert_int_equal(next, IPPROTO_UDP);
	next = IPPROTO_HOPOPTS;
	assert_int_equal(pkt_ip6_skip_ext(e, 12, &next), -EBADMSG);
	next = IPPROTO_HOPOPTS;
	assert_int_equal(pkt_ip6_skip_ext(e, 1, &next), -EBADMSG);
	next = IPPROTO_HOPOPTS;
	e[1] = 200; /* 1608 bytes claimed */
	assert_int_equal(pkt_ip6_skip_ext(e, sizeof(e), &next), -EBADMSG);
	next = IPPROTO_TCP;
	assert_int_equal(pkt_ip6_skip_ext(e, 0, &next), 0);
}

static void test_udp(void **st)
{
	uint8_t buf[64], pl[5] = "abcde";
	struct pkt_udp u = {.sport = 33434, .dport = 33435}, p;
	struct pkt_addr s4 = a4("198.18.1.2"), d4 = a4("198.18.3.10");
	struct pkt_addr s6 = a6("2001:db8:1::2"), d6 = a6("2001:db8:3::10");

	(void)st;
	assert_int_equal(pkt_udp_build(buf, sizeof(buf), &u, pl, 5, &s4, &d4), 13);
	assert_true(pkt_csum_ok(buf, 13, &s4, &d4, IPPROTO_UDP));
	assert_false(pkt_csum_ok(buf, 13, &s6, &d6, IPPROTO_UDP));
	assert_int_equal(pkt_udp_parse(buf, 13, &p), 8);
	assert_int_equal(p.sport, 33434);
	assert_int_equal(p.dport, 33435);
	assert_int_equal(p.len, 13);
	assert_memory_equal(buf + 8, pl, 5);
	assert_int_equal(pkt_udp_build(buf, sizeof(buf), &u, pl, 5, &s6, &d6), 13);
	assert_true(pkt_csum_ok(buf, 13, &s6, &d6, IPPROTO_UDP));
	assert_int_equal(pkt_udp_build(buf, sizeof(buf), &u, NULL, 0, NULL, NULL), 8);
	assert_int_equal(pkt_get16(buf + 6), 0);
	assert_int_equal(pkt_udp_build(buf, 12, &u, pl, 5, NULL, NULL), -ENOSPC);
	for (size_t n = 0; n < 8; n++)
		assert_int_equal(pkt_udp_parse(buf, n, &p), -EBADMSG);
	pkt_put16(buf + 4, 7);
	assert_int_equal(pkt_udp_parse(buf, 8, &p), -EBADMSG);
}

static void test_tcp(void **st)
{
	uint8_t buf[128], opt[40];
	struct pkt_addr s = a4("198.18.1.2"), d = a4("198.18.3.10");
	struct pkt_tcp t = {.sport = 40000,
			    .dport = 80,
			    .seq = 0xdeadbeef,
			    .flags = PKT_TCP_SYN,
			    .window = 1024};
	struct pkt_tcp p;
	struct pkt_tcp_opts o;
	int n = 0;

	(void)st;
	n = pkt_tcpopt_mss(opt, sizeof(opt), (size_t)n, 1460);
	n = pkt_tcpopt_sackperm(opt, sizeof(opt), (size_t)n);
	n = pkt_tcpopt_ts(opt, sizeof(opt), (size_t)n, 0x11223344, 0);
	n = pkt_tcpopt_nop(opt, sizeof(opt), (size_t)n);
	n = pkt_tcpopt_wscale(opt, sizeof(opt), (size_t)n, 7);
	assert_int_equal(n, 20);
	t.opt = opt;
	t.optlen = (size_t)n;
	assert_int_equal(pkt_tcp_build(buf, sizeof(buf), &t, NULL, 0, &s, &d), 40);
	assert_true(pkt_csum_ok(buf, 40, &s, &d, IPPROTO_TCP));
	assert_int_equal(pkt_tcp_parse(buf, 40, &p), 40);
	assert_int_equal(p.sport, 40000);
	assert_int_equal(p.dport, 80);
	assert_int_equal(p.seq, 0xdeadbeef);
	assert_int_equal(p.flags, PKT_TCP_SYN);
	assert_int_equal(p.window, 1024);
	assert_int_equal(p.optlen, 20);
	assert_int_equal(pkt_tcp_opts_parse(p.opt, p.optlen, &o), 0);
	assert_true(o.has_mss && o.sack_perm && o.has_ts && o.has_ws);
	assert_int_equal(o.mss, 1460);
	assert_int_equal(o.ws, 7);
	assert_int_equal(o.ts_val, 0x11223344);
	/* odd option length is padded with EOL */
	t.optlen = 3;
	t.flags = PKT_TCP_XMAS;
	assert_int_equal(pkt_tcp_build(buf, sizeof(buf), &t, "hi", 2, &s, &d), 26);
	assert_int_equal(pkt_tcp_parse(buf, 26, &p), 24);
	assert_int_equal(p.flags, PKT_TCP_FIN | PKT_TCP_PSH | PKT_TCP_URG);
	assert_int_equal(buf[23], PKT_TCPOPT_EOL);
	assert_true(pkt_csum_ok(buf, 26, &s, &d, IPPROTO_TCP));
	/* malformed */
	for (size_t i = 0; i < 20; i++)
		assert_int_equal(pkt_tcp_parse(buf, i, &p), -EBADMSG);
	buf[12] = 0x40; /* data offset 16 */
	assert_int_equal(pkt_tcp_parse(buf, 26, &p), -EBADMSG);
	buf[12] = 0xf0; /* 60 > 26 */
	assert_int_equal(pkt_tcp_parse(buf, 26, &p), -EBADMSG);
	t.optlen = 41;
	assert_int_equal(pkt_tcp_build(buf, sizeof(buf), &t, NULL, 0, &s, &d), -EINVAL);
	assert_int_equal(pkt_tcpopt_mss(opt, 3, 0, 1), -ENOSPC);
}

static void test_tcp_opt_malformed(void **st)
{
	const uint8_t bad_len[] = {PKT_TCPOPT_MSS, 1, 0, 0};
	const uint8_t overrun[] = {PKT_TCPOPT_NOP, PKT_TCPOPT_MSS, 4, 5};
	const uint8_t trunc[] = {PKT_TCPOPT_NOP, PKT_TCPOPT_TS};
	const uint8_t eol[] = {PKT_TCPOPT_EOL, PKT_TCPOPT_MSS, 9};
	struct pkt_tcp_opts o;
	struct pkt_tcp_opt x;
	size_t off = 0;

	(void)st;
	assert_int_equal(pkt_tcp_opts_parse(bad_len, sizeof(bad_len), &o), -EBADMSG);
	assert_int_equal(pkt_tcp_opts_parse(overrun, sizeof(overrun), &o), -EBADMSG);
	assert_int_equal(pkt_tcp_opts_parse(trunc, sizeof(trunc), &o), -EBADMSG);
	/* nothing after EOL is looked at */
	assert_int_equal(pkt_tcp_opts_parse(eol, sizeof(eol), &o), 0);
	assert_int_equal(pkt_tcp_opt_next(eol, sizeof(eol), &off, &x), 1);
	assert_int_equal(x.kind, PKT_TCPOPT_EOL);
	assert_int_equal(pkt_tcp_opt_next(eol, sizeof(eol), &off, &x), 0);
	off = 0;
	assert_int_equal(pkt_tcp_opt_next(NULL, 0, &off, &x), 0);
}

static void test_tcp_opts_valid(void **st)
{
	const uint8_t good[] = {PKT_TCPOPT_MSS,
				4,
				5,
				0xb4,
				PKT_TCPOPT_SACK_PERM,
				2,
				PKT_TCPOPT_TS,
				10,
				1,
				2,
				3,
				4,
				0,
				0,
				0,
				0,
				PKT_TCPOPT_NOP,
				PKT_TCPOPT_WSCALE,
				3,
				7,
				PKT_TCPOPT_EOL,
				0xff};
	const uint8_t unknown[] = {
		34, 5, 'a', 'b', 'c', PKT_TCPOPT_NOP, PKT_TCPOPT_NOP, PKT_TCPOPT_NOP};
	const uint8_t sack[] = {PKT_TCPOPT_SACK, 10, 0, 0, 0, 1, 0, 0, 0, 2};
	const uint8_t mss0[] = {PKT_TCPOPT_MSS, 0, PKT_TCPOPT_NOP, PKT_TCPOPT_NOP};
	const uint8_t mss3[] = {PKT_TCPOPT_MSS, 3, 5, PKT_TCPOPT_NOP};
	const uint8_t ws4[] = {PKT_TCPOPT_WSCALE, 4, 7, 0};
	const uint8_t sp3[] = {PKT_TCPOPT_SACK_PERM, 3, 0, 0};
	const uint8_t ts8[] = {PKT_TCPOPT_TS, 8, 0, 0, 0, 0, 0, 0};
	const uint8_t sack9[] = {PKT_TCPOPT_SACK, 9, 0, 0, 0, 1, 0, 0, 0, 0};
	const uint8_t past[] = {PKT_TCPOPT_NOP, 34, 0xff, 0};
	/* the hostile lab's 7103 (lab/hostile/packets.py) */
	const uint8_t garbage[] = {0x02, 0x00, 0x03, 0x01, 0xfe, 0xff, 0x08, 0x02, 0x04, 0x00};

	(void)st;
	assert_true(pkt_tcp_opts_valid(NULL, 0));
	assert_true(pkt_tcp_opts_valid(good, sizeof(good)));
	assert_true(pkt_tcp_opts_valid(unknown, sizeof(unknown)));
	assert_true(pkt_tcp_opts_valid(sack, sizeof(sack)));
	assert_false(pkt_tcp_opts_valid(mss0, sizeof(mss0)));
	assert_false(pkt_tcp_opts_valid(mss3, sizeof(mss3)));
	assert_false(pkt_tcp_opts_valid(ws4, sizeof(ws4)));
	assert_false(pkt_tcp_opts_valid(sp3, sizeof(sp3)));
	assert_false(pkt_tcp_opts_valid(ts8, sizeof(ts8)));
	assert_false(pkt_tcp_opts_valid(sack9, sizeof(sack9)));
	assert_false(pkt_tcp_opts_valid(past, sizeof(past)));
	assert_false(pkt_tcp_opts_valid(garbage, sizeof(garbage)));
}

static void test_icmp_echo(void **st)
{
	uint8_t buf[128], pl[36];
	struct pkt_icmp m = {0};
	struct pkt_addr s = a6("2001:db8:1::2"), d = a6("2001:db8:3::10");

	(void)st;
	memset(pl, 0xa5, sizeof(pl));
	assert_int_equal(pkt_icmp_echo_build(buf, sizeof(buf), false, PKT_ICMP_ECHO, 0x4242, 7, pl,
					     sizeof(pl), NULL, NULL),
			 44);
	assert_int_equal(pkt_csum(buf, 44), 0);
	assert_int_equal(pkt_icmp_parse(buf, 44, &m), 8);
	assert_int_equal(m.type, PKT_ICMP_ECHO);
	assert_int_equal(m.id, 0x4242);
	assert_int_equal(m.seq, 7);
	assert_int_equal(m.data_len, 36);
	assert_false(pkt_icmp_is_error(&m));
	struct pkt_quote q;
	assert_int_equal(pkt_quote_parse(&m, &q), -EPROTO);
	/* ICMPv6 with the pseudo-header */
	assert_int_equal(
		pkt_icmp_echo_build(buf, sizeof(buf), true, PKT_ICMP6_ECHO, 1, 2, pl, 4, &s, &d),
		12);
	assert_true(pkt_csum_ok(buf, 12, &s, &d, IPPROTO_ICMPV6));
	m.v6 = true;
	assert_int_equal(pkt_icmp_parse(buf, 12, &m), 8);
	assert_true(m.v6);
	assert_int_equal(m.type, PKT_ICMP6_ECHO);
	for (size_t n = 0; n < 8; n++)
		assert_int_equal(pkt_icmp_parse(buf, n, &m), -EBADMSG);
	assert_int_equal(pkt_icmp_echo_build(buf, 11, true, 128, 1, 2, pl, 4, &s, &d), -ENOSPC);
}

static void test_icmp_tstamp_mask(void **st)
{
	uint8_t buf[64];
	struct pkt_icmp m = {0};
	uint32_t ts[3];

	(void)st;
	assert_int_equal(pkt_icmp_tstamp_build(buf, sizeof(buf), 9, 10, 123456), 20);
	assert_int_equal(pkt_csum(buf, 20), 0);
	assert_int_equal(pkt_icmp_parse(buf, 20, &m), 8);
	assert_int_equal(m.type, PKT_ICMP_TSTAMP);
	assert_int_equal(pkt_icmp_tstamp_get(&m, ts), 0);
	assert_int_equal(ts[0], 123456);
	assert_int_equal(ts[1], 0);
	assert_int_equal(pkt_icmp_parse(buf, 19, &m), -EBADMSG);
	assert_int_equal(pkt_icmp_mask_build(buf, sizeof(buf), 9, 10), 12);
	assert_int_equal(pkt_csum(buf, 12), 0);
	assert_int_equal(pkt_icmp_parse(buf, 12, &m), 8);
	assert_int_equal(m.type, PKT_ICMP_MASKREQ);
	assert_int_equal(pkt_icmp_parse(buf, 11, &m), -EBADMSG);
	assert_int_equal(pkt_icmp_tstamp_get(&m, ts), -EBADMSG);
}

/* Builds an IPv4 datagram carrying l4 bytes, as a probe would be. */
static size_t probe4(uint8_t *buf, uint8_t proto, uint8_t ttl, const uint8_t *l4, size_t l4len)
{
	struct pkt_ip4 h = {.ttl = ttl, .proto = proto, .id = 0x5555};

	inet_pton(AF_INET, "198.18.1.2", &h.src);
	inet_pton(AF_INET, "198.18.3.10", &h.dst);
	assert_int_equal(pkt_ip4_build(buf, 60, &h, l4len), 20);
	memcpy(buf + 20, l4, l4len);
	return 20 + l4len;
}

static void test_quote_udp4(void **st)
{
	uint8_t l4[64], ip[128], err[256];
	struct pkt_udp u = {.sport = 41000, .dport = 33435};
	struct pkt_addr r = a4("198.18.12.2"), c = a4("198.18.1.2");
	struct pkt_icmp m = {0};
	struct pkt_quote q;
	int n = pkt_udp_build(l4, sizeof(l4), &u, "0123456789", 10, NULL, NULL);
	size_t iplen = probe4(ip, IPPROTO_UDP, 1, l4, (size_t)n);

	(void)st;
	/* routers quote only the header + 8 bytes: 28 */
	n = pkt_icmp_error_build(err, sizeof(err), false, PKT_ICMP_TIMXCEED, 0, 0, ip, 28, NULL, 0,
				 &r, &c);
	assert_int_equal(n, 36);
	assert_int_equal(pkt_csum(err, 36), 0);
	assert_int_equal(pkt_icmp_parse(err, 36, &m), 8);
	assert_true(pkt_icmp_is_error(&m));
	assert_int_equal(pkt_quote_parse(&m, &q), 0);
	assert_int_equal(q.proto, IPPROTO_UDP);
	assert_true(q.has_ports);
	assert_int_equal(q.sport, 41000);
	assert_int_equal(q.dport, 33435);
	assert_int_equal(q.udp_len, 18);
	assert_int_equal(q.ttl, 1);
	assert_int_equal(q.ip_id, 0x5555);
	assert_int_equal(q.ip_len, iplen);
	assert_true(pkt_addr_eq(&q.src, &c));
	assert_null(q.ext);
	/* port unreachable from the target, full quote */
	n = pkt_icmp_error_build(err, sizeof(err), false, PKT_ICMP_UNREACH, PKT_UNREACH_PORT, 0, ip,
				 iplen, NULL, 0, NULL, NULL);
	assert_int_equal(pkt_icmp_parse(err, (size_t)n, &m), 8);
	assert_int_equal(m.code, PKT_UNREACH_PORT);
	assert_int_equal(pkt_quote_parse(&m, &q), 0);
	assert_int_equal(q.l4_len, 18);
	/* quote cut inside the UDP header: no ports, still parses */
	n = pkt_icmp_error_build(err, sizeof(err), false, PKT_ICMP_TIMXCEED, 0, 0, ip, 24, NULL, 0,
				 NULL, NULL);
	assert_int_equal(pkt_icmp_parse(err, (size_t)n, &m), 8);
	assert_int_equal(pkt_quote_parse(&m, &q), 0);
	assert_false(q.has_ports);
	/* quote shorter than an IP header */
	for (size_t k = 0; k < 20; k++) {
		n = pkt_icmp_error_build(err, sizeof(err), false, PKT_ICMP_TIMXCEED, 0, 0, ip, k,
					 NULL, 0, NULL, NULL);
		assert_int_equal(pkt_icmp_parse(err, (size_t)n, &m), 8);
		assert_int_equal(pkt_quote_parse(&m, &q), -EBADMSG);
	}
	/* an IPv6 header inside an ICMPv4 error is malformed */
	m.v6 = true;
	n = pkt_icmp_error_build(err, sizeof(err), false, PKT_ICMP_TIMXCEED, 0, 0, ip, 28, NULL, 0,
				 NULL, NULL);
	assert_int_equal(pkt_icmp_parse(err, (size_t)n, &m), 8);
	m.type = PKT_ICMP6_TIMXCEED;
	assert_int_equal(pkt_quote_parse(&m, &q), -EBADMSG);
}

static void test_quote_tcp_icmp4(void **st)
{
	uint8_t l4[64], ip[128], err[256];
	struct pkt_tcp t = {.sport = 50000, .dport = 443, .seq = 0xabcdef01, .flags = PKT_TCP_SYN};
	struct pkt_icmp m = {0};
	struct pkt_quote q;
	int n = pkt_tcp_build(l4, sizeof(l4), &t, NULL, 0, NULL, NULL);

	(void)st;
	probe4(ip, IPPROTO_TCP, 2, l4, (size_t)n);
	n = pkt_icmp_error_build(err, sizeof(err), false, PKT_ICMP_UNREACH,
				 PKT_UNREACH_FILTER_PROHIB, 0, ip, 28, NULL, 0, NULL, NULL);
	assert_int_equal(pkt_icmp_parse(err, (size_t)n, &m), 8);
	assert_int_equal(pkt_quote_parse(&m, &q), 0);
	assert_int_equal(q.proto, IPPROTO_TCP);
	assert_int_equal(q.sport, 50000);
	assert_int_equal(q.dport, 443);
	assert_int_equal(q.tcp_seq, 0xabcdef01);
	/* an echo request probe */
	n = pkt_icmp_echo_build(l4, sizeof(l4), false, PKT_ICMP_ECHO, 0x1111, 0x2222, "x", 1, NULL,
				NULL);
	probe4(ip, IPPROTO_ICMP, 1, l4, (size_t)n);
	n = pkt_icmp_error_build(err, sizeof(err), false, PKT_ICMP_TIMXCEED, 0, 0, ip, 28, NULL, 0,
				 NULL, NULL);
	assert_int_equal(pkt_icmp_parse(err, (size_t)n, &m), 8);
	assert_int_equal(pkt_quote_parse(&m, &q), 0);
	assert_int_equal(q.proto, IPPROTO_ICMP);
	assert_int_equal(q.icmp_type, PKT_ICMP_ECHO);
	assert_int_equal(q.icmp_id, 0x1111);
	assert_int_equal(q.icmp_seq, 0x2222);
	assert_false(q.has_ports);
}

static void test_quote_icmp6(void **st)
{
	uint8_t ip[128], err[256];
	struct pkt_addr s = a6("2001:db8:1::2"), d = a6("2001:db8:3::10"), r = a6("2001:db8:12::2");
	struct pkt_ip6 h = {.next = IPPROTO_DSTOPTS, .hlim = 1, .flow = 77};
	struct pkt_icmp m = {.v6 = true};
	struct pkt_quote q;
	int n;

	(void)st;
	h.src = s.v6;
	h.dst = d.v6;
	assert_int_equal(pkt_ip6_build(ip, sizeof(ip), &h, 8 + 12), 40);
	/* a destination-options header, then the echo request */
	memset(ip + 40, 0, 8);
	ip[40] = IPPROTO_ICMPV6;
	n = pkt_icmp_echo_build(ip + 48, 64, true, PKT_ICMP6_ECHO, 0xbeef, 3, "abcd", 4, &s, &d);
	assert_int_equal(n, 12);
	n = pkt_icmp_error_build(err, sizeof(err), true, PKT_ICMP6_TIMXCEED, 0, 0, ip, 60, NULL, 0,
				 &r, &s);
	assert_int_equal(n, 68);
	assert_true(pkt_csum_ok(err, 68, &r, &s, IPPROTO_ICMPV6));
	assert_int_equal(pkt_icmp_parse(err, 68, &m), 8);
	assert_true(pkt_icmp_is_error(&m));
	assert_int_equal(pkt_quote_parse(&m, &q), 0);
	assert_int_equal(q.proto, IPPROTO_ICMPV6);
	assert_int_equal(q.icmp_type, PKT_ICMP6_ECHO);
	assert_int_equal(q.icmp_id, 0xbeef);
	assert_int_equal(q.icmp_seq, 3);
	assert_int_equal(q.flow, 77);
	assert_int_equal(q.ttl, 1);
	assert_true(pkt_addr_eq(&q.dst, &d));
	/* extension header cut short */
	n = pkt_icmp_error_build(err, sizeof(err), true, PKT_ICMP6_UNREACH, PKT_UNREACH6_PORT, 0,
				 ip, 44, NULL, 0, NULL, NULL);
	assert_int_equal(pkt_icmp_parse(err, (size_t)n, &m), 8);
	assert_int_equal(pkt_quote_parse(&m, &q), -EBADMSG);
	/* echo reply is not an error */
	m.type = PKT_ICMP6_ECHOREPLY;
	assert_false(pkt_icmp_is_error(&m));
}

static void test_mpls_ext(void **st)
{
	uint8_t l4[16], ip[64], ext[64], err[512];
	struct pkt_mpls in[2] = {{.label = 16001, .tc = 5, .s = false, .ttl = 1},
				 {.label = 0xfffff, .tc = 0, .s = true, .ttl = 255}};
	struct pkt_mpls out[4];
	struct pkt_udp u = {.sport = 1, .dport = 33434};
	struct pkt_icmp m = {0};
	struct pkt_quote q;
	int n, elen;

	(void)st;
	n = pkt_udp_build(l4, sizeof(l4), &u, NULL, 0, NULL, NULL);
	probe4(ip, IPPROTO_UDP, 1, l4, (size_t)n);
	elen = pkt_ext_mpls_build(ext, sizeof(ext), in, 2);
	assert_int_equal(elen, 16);
	assert_int_equal(pkt_ext_mpls(ext, (size_t)elen, out, 4), 2);
	assert_int_equal(out[0].label, 16001);
	assert_int_equal(out[0].tc, 5);
	assert_false(out[0].s);
	assert_int_equal(out[0].ttl, 1);
	assert_int_equal(out[1].label, 0xfffff);
	assert_true(out[1].s);
	assert_int_equal(out[1].ttl, 255);
	/* only max stored, all counted */
	assert_int_equal(pkt_ext_mpls(ext, (size_t)elen, out, 1), 2);
	/* RFC 4884 compliant: the length field says where the quote ends */
	n = pkt_icmp_error_build(err, sizeof(err), false, PKT_ICMP_TIMXCEED, 0, 0, ip, 28, ext,
				 (size_t)elen, NULL, NULL);
	assert_int_equal(n, 8 + 128 + 16);
	assert_int_equal(err[5], 32);
	assert_int_equal(pkt_icmp_parse(err, (size_t)n, &m), 8);
	assert_int_equal(pkt_quote_parse(&m, &q), 0);
	assert_non_null(q.ext);
	assert_int_equal(q.ext_len, 16);
	assert_int_equal(q.dport, 33434);
	assert_int_equal(pkt_ext_mpls(q.ext, q.ext_len, out, 4), 2);
	/* pre-RFC 4884 sender: length 0, extensions after 128 bytes */
	err[5] = 0;
	pkt_put16(err + 2, 0);
	pkt_put16(err + 2, pkt_csum(err, (size_t)n));
	assert_int_equal(pkt_icmp_parse(err, (size_t)n, &m), 8);
	assert_int_equal(pkt_quote_parse(&m, &q), 0);
	assert_non_null(q.ext);
	assert_int_equal(pkt_ext_mpls(q.ext, q.ext_len, out, 4), 2);
	/* a broken extension checksum means no extension */
	err[8 + 128 + 2] ^= 0xff;
	assert_int_equal(pkt_icmp_parse(err, (size_t)n, &m), 8);
	assert_int_equal(pkt_quote_parse(&m, &q), 0);
	assert_null(q.ext);
	/* the length field pointing past the message */
	err[5] = 60;
	assert_int_equal(pkt_icmp_parse(err, (size_t)n, &m), 8);
	assert_int_equal(pkt_quote_parse(&m, &q), -EBADMSG);
	/* IPv6: 64-bit words */
	assert_int_equal(pkt_icmp_error_build(err, sizeof(err), true, PKT_ICMP6_TIMXCEED, 0, 0, ip,
					      28, ext, (size_t)elen, NULL, NULL),
			 8 + 128 + 16);
	assert_int_equal(err[4], 16);
}

static void test_mpls_malformed(void **st)
{
	uint8_t ext[32];
	struct pkt_mpls out[4], one = {.label = 5, .s = true};
	int elen = pkt_ext_mpls_build(ext, sizeof(ext), &one, 1);

	(void)st;
	assert_int_equal(elen, 12);
	for (int n = 0; n < 4; n++)
		assert_int_equal(pkt_ext_mpls(ext, (size_t)n, out, 4), -EBADMSG);
	/* an object header cut short: the checksum no longer covers it */
	pkt_put16(ext + 2, 0);
	assert_int_equal(pkt_ext_mpls(ext, 6, out, 4), -EBADMSG);
	/* object length 2 (< 4), 40 (past the end), 6 (not a multiple of 4) */
	pkt_put16(ext + 4, 2);
	assert_int_equal(pkt_ext_mpls(ext, 12, out, 4), -EBADMSG);
	pkt_put16(ext + 4, 40);
	assert_int_equal(pkt_ext_mpls(ext, 12, out, 4), -EBADMSG);
	pkt_put16(ext + 4, 6);
	assert_int_equal(pkt_ext_mpls(ext, 12, out, 4), -EBADMSG);
	/* version 1 */
	pkt_put16(ext + 4, 8);
	ext[0] = 0x10;
	assert_int_equal(pkt_ext_mpls(ext, 12, out, 4), -EBADMSG);
	/* other classes are skipped */
	ext[0] = 0x20;
	ext[6] = 2;
	assert_int_equal(pkt_ext_mpls(ext, 12, out, 4), 0);
	assert_int_equal(pkt_ext_mpls_build(ext, 11, &one, 1), -ENOSPC);
}

static void test_arp(void **st)
{
	uint8_t buf[64];
	struct pkt_arp a = {.op = PKT_ARP_REQUEST, .sha = {2, 0, 0, 0, 0, 1}}, p;
	struct pkt_eth e;
	int n;

	(void)st;
	inet_pton(AF_INET, "198.18.3.1", &a.spa);
	inet_pton(AF_INET, "198.18.3.10", &a.tpa);
	n = pkt_arp_frame_build(buf, sizeof(buf), &a);
	assert_int_equal(n, 60);
	assert_int_equal(pkt_eth_parse(buf, (size_t)n, &e), 14);
	assert_int_equal(e.type, PKT_ETH_P_ARP);
	for (int i = 0; i < 6; i++)
		assert_int_equal(e.dst[i], 0xff);
	assert_memory_equal(e.src, a.sha, 6);
	assert_int_equal(pkt_arp_parse(buf + 14, (size_t)n - 14, &p), 28);
	assert_int_equal(p.op, PKT_ARP_REQUEST);
	assert_memory_equal(&p.spa, &a.spa, 4);
	assert_memory_equal(&p.tpa, &a.tpa, 4);
	assert_memory_equal(p.sha, a.sha, 6);
	/* a reply goes to tha */
	a.op = PKT_ARP_REPLY;
	memcpy(a.tha, "\x02\x00\x00\x00\x00\x09", 6);
	assert_int_equal(pkt_arp_frame_build(buf, sizeof(buf), &a), 60);
	assert_memory_equal(buf, a.tha, 6);
	assert_int_equal(pkt_arp_frame_build(buf, 59, &a), -ENOSPC);
	for (size_t k = 0; k < 28; k++)
		assert_int_equal(pkt_arp_parse(buf + 14, k, &p), -EBADMSG);
	buf[14 + 1] = 6; /* htype 6 */
	assert_int_equal(pkt_arp_parse(buf + 14, 28, &p), -EPROTO);
}

static void test_eth_vlan(void **st)
{
	uint8_t buf[32];
	struct pkt_eth e = {.type = PKT_ETH_P_IPV6, .tagged = true, .vlan = 42}, p;

	(void)st;
	assert_int_equal(pkt_eth_build(buf, sizeof(buf), &e), 18);
	assert_int_equal(pkt_eth_parse(buf, 18, &p), 18);
	assert_true(p.tagged);
	assert_int_equal(p.vlan, 42);
	assert_int_equal(p.type, PKT_ETH_P_IPV6);
	assert_int_equal(pkt_eth_parse(buf, 16, &p), -EBADMSG);
	assert_int_equal(pkt_eth_parse(buf, 13, &p), -EBADMSG);
	assert_int_equal(pkt_eth_build(buf, 17, &e), -ENOSPC);
}

static void test_nd(void **st)
{
	uint8_t buf[64], mac[6];
	struct pkt_addr s = a6("2001:db8:3::1"), t = a6("2001:db8:3::10"), g;
	struct pkt_nd n = {
		.type = PKT_ND_NEIGHBOR_SOLICIT, .has_lladdr = true, .lladdr = {2, 0, 0, 0, 0, 7}};
	struct pkt_nd p;
	int len;

	(void)st;
	n.target = t.v6;
	pkt_nd_solicited_node(&t.v6, &g.v6, mac);
	g.family = AF_INET6;
	assert_true(pkt_addr_eq(&g, &(struct pkt_addr){0}) == false);
	struct pkt_addr want = a6("ff02::1:ff00:10");
	assert_memory_equal(&g.v6, &want.v6, 16);
	assert_memory_equal(mac, "\x33\x33\xff\x00\x00\x10", 6);
	len = pkt_nd_build(buf, sizeof(buf), &n, &s, &want);
	assert_int_equal(len, 32);
	assert_true(pkt_csum_ok(buf, 32, &s, &want, IPPROTO_ICMPV6));
	assert_int_equal(pkt_nd_parse(buf, 32, &p), 32);
	assert_int_equal(p.type, PKT_ND_NEIGHBOR_SOLICIT);
	assert_true(p.has_lladdr);
	assert_memory_equal(p.lladdr, n.lladdr, 6);
	assert_memory_equal(&p.target, &t.v6, 16);
	/* advertisement with flags, no option */
	n.type = PKT_ND_NEIGHBOR_ADVERT;
	n.flags = PKT_ND_NA_SOLICITED | PKT_ND_NA_OVERRIDE;
	n.has_lladdr = false;
	assert_int_equal(pkt_nd_build(buf, sizeof(buf), &n, &t, &s), 24);
	assert_int_equal(pkt_nd_parse(buf, 24, &p), 24);
	assert_int_equal(p.flags, PKT_ND_NA_SOLICITED | PKT_ND_NA_OVERRIDE);
	assert_false(p.has_lladdr);
	/* malformed: short, option length 0, option past the end, wrong type */
	assert_int_equal(pkt_nd_parse(buf, 23, &p), -EBADMSG);
	memset(buf + 24, 0, 8);
	buf[24] = 2;
	assert_int_equal(pkt_nd_parse(buf, 32, &p), -EBADMSG);
	buf[25] = 2;
	assert_int_equal(pkt_nd_parse(buf, 32, &p), -EBADMSG);
	assert_int_equal(pkt_nd_parse(buf, 25, &p), -EBADMSG);
	buf[0] = 128;
	assert_int_equal(pkt_nd_parse(buf, 24, &p), -EPROTO);
	n.type = 1;
	assert_int_equal(pkt_nd_build(buf, sizeof(buf), &n, &t, &s), -EINVAL);
}

/* Every parser on every prefix of every packet above, and on bytes
 * flipped at random: must never read out of bounds (ASan watches). */
static void test_parsers_survive_garbage(void **st)
{
	uint8_t buf[300];
	uint32_t x = 12345;

	(void)st;
	for (int round = 0; round < 20000; round++) {
		size_t len = (size_t)(x % sizeof(buf));
		struct pkt_ip4 h4;
		struct pkt_ip6 h6;
		struct pkt_tcp t;
		struct pkt_udp u;
		struct pkt_tcp_opts o;
		struct pkt_icmp m = {.v6 = round & 1};
		struct pkt_quote q;
		struct pkt_arp a;
		struct pkt_eth e;
		struct pkt_nd n;
		struct pkt_mpls l[4];
		uint8_t *p;

		for (size_t i = 0; i < len; i++) {
			x = x * 1103515245 + 12345;
			buf[i] = (uint8_t)(x >> 16);
		}
		/* bias towards plausible headers so the deep paths run */
		if (len > 8 && round % 3 == 0) {
			buf[0] = round & 1 ? PKT_ICMP6_TIMXCEED : PKT_ICMP_TIMXCEED;
			buf[8] = round & 1 ? 0x60 : 0x45;
		}
		/* copy to an exact-size heap block so ASan sees any overread */
		p = test_malloc(len ? len : 1);
		memcpy(p, buf, len);
		pkt_ip4_parse(p, len, &h4, true);
		pkt_ip6_parse(p, len, &h6, true);
		if (pkt_tcp_parse(p, len, &t) > 0)
			pkt_tcp_opts_parse(t.opt, t.optlen, &o);
		pkt_udp_parse(p, len, &u);
		if (pkt_icmp_parse(p, len, &m) > 0 && pkt_quote_parse(&m, &q) == 0 && q.ext)
			pkt_ext_mpls(q.ext, q.ext_len, l, 4);
		pkt_ext_mpls(p, len, l, 4);
		pkt_arp_parse(p, len, &a);
		pkt_eth_parse(p, len, &e);
		pkt_nd_parse(p, len, &n);
		test_free(p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csum_vectors),
		cmocka_unit_test(test_csum_large),
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_ip4_roundtrip),
		cmocka_unit_test(test_ip4_fragment_like_nmap),
		cmocka_unit_test(test_sctp_like_nmap),
		cmocka_unit_test(test_ip4_malformed),
		cmocka_unit_test(test_ip6),
		cmocka_unit_test(test_ip6_ext),
		cmocka_unit_test(test_udp),
		cmocka_unit_test(test_tcp),
		cmocka_unit_test(test_tcp_opt_malformed),
		cmocka_unit_test(test_tcp_opts_valid),
		cmocka_unit_test(test_icmp_echo),
		cmocka_unit_test(test_icmp_tstamp_mask),
		cmocka_unit_test(test_quote_udp4),
		cmocka_unit_test(test_quote_tcp_icmp4),
		cmocka_unit_test(test_quote_icmp6),
		cmocka_unit_test(test_mpls_ext),
		cmocka_unit_test(test_mpls_malformed),
		cmocka_unit_test(test_arp),
		cmocka_unit_test(test_eth_vlan),
		cmocka_unit_test(test_nd),
		cmocka_unit_test(test_parsers_survive_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
