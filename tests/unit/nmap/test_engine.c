/* SPDX-License-Identifier: Apache-2.0 */
/* The nmap engine's pure parts: timing templates, probe bytes, stateless
 * reply matching (including forged and foreign replies), the state table
 * and the UDP payload file. No sockets. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "engine/nmap/probe.h"
#include "engine/nmap/rawscan.h"
#include "engine/service/service.h"

static void test_timing(void **state)
{
	(void)state;
	struct scan_timing in = {.level = 4, .max_retries = -1};
	struct timing t;
	timing_resolve(&in, false, &t);
	assert_true(t.min_rtt == 0.1 && t.max_rtt == 1.25 && t.init_rtt == 0.5);
	assert_int_equal(t.max_retries, 6);
	assert_true(t.max_scan_delay == 0.010);
	in.level = 5;
	timing_resolve(&in, false, &t);
	assert_int_equal(t.max_retries, 2);
	assert_true(t.host_timeout == 900.0);
	in = (struct scan_timing){
		.level = 3, .max_retries = 1, .min_rtt_timeout = 0.5, .max_rtt_timeout = 0.2};
	timing_resolve(&in, false, &t);
	assert_int_equal(t.max_retries, 1);
	assert_true(t.max_rtt >= t.min_rtt); /* max below min is raised to min */
	in = (struct scan_timing){.level = 0, .max_retries = -1};
	timing_resolve(&in, false, &t);
	assert_true(t.scan_delay == 300.0 && t.max_par == 1);
}

struct fix {
	struct engine e;
	struct host h[2];
	struct rhost rh[2];
	struct probe_def pd[3];
	struct raw_run run;
	struct rs s;
	struct pkt_addr src;
};

static void fix_init(struct fix *f, unsigned scan)
{
	memset(f, 0, sizeof(*f));
	f->e.key = (struct siphash_key){0x1111, 0x2222};
	f->e.sport_base = 40000;
	f->e.fixed_sport = -1;
	struct scan_timing in = {.level = 3, .max_retries = -1};
	timing_resolve(&in, false, &f->e.tm);
	struct in_addr a;
	inet_pton(AF_INET, "198.18.1.2", &a);
	pkt_addr4(&f->src, &a);
	for (int i = 0; i < 2; i++) {
		char buf[32];
		snprintf(buf, sizeof(buf), "198.18.3.%d", 10 + i);
		inet_pton(AF_INET, buf, &a);
		pkt_addr4(&f->rh[i].addr, &a);
		f->rh[i].h = &f->h[i];
		f->rh[i].ri.src = f->src;
	}
	f->pd[0] = (struct probe_def){PK_TCP, PKT_TCP_SYN, 22};
	f->pd[1] = (struct probe_def){PK_TCP, PKT_TCP_SYN, 80};
	f->pd[2] = (struct probe_def){PK_ECHO, 0, 0};
	f->run = (struct raw_run){RUN_PORTS, scan, f->rh, 2, f->pd, 3};
	assert_int_equal(rs_init(&f->s, &f->e, &f->run), 0);
}

/* An IPv4 packet from host i to us carrying l4. */
static size_t ip_from(struct fix *f, int i, uint8_t proto, const uint8_t *l4, size_t len,
		      uint8_t *out)
{
	struct pkt_ip4 h = {.ttl = 61, .proto = proto, .src = f->rh[i].addr.v4, .dst = f->src.v4};
	int hl = pkt_ip4_build(out, 1500, &h, len);
	assert_true(hl == 20);
	memcpy(out + hl, l4, len);
	return (size_t)hl + len;
}

static size_t tcp_reply(struct fix *f, int i, uint16_t sport, uint16_t dport, uint8_t flags,
			uint32_t seq, uint32_t ack, uint8_t *out)
{
	uint8_t l4[64];
	struct pkt_tcp t = {.sport = sport,
			    .dport = dport,
			    .seq = seq,
			    .ack = ack,
			    .flags = flags,
			    .window = 1000};
	int n = pkt_tcp_build(l4, sizeof(l4), &t, NULL, 0, &f->rh[i].addr, &f->src);
	assert_true(n > 0);
	return ip_from(f, i, IPPROTO_TCP, l4, (size_t)n, out);
}

/* --send-eth's next-hop question: only an ARP reply from the hop, or a
 * neighbour advertisement for it with a link-layer address, answers. */
static void test_nexthop_answer(void **state)
{
	(void)state;
	struct pkt_addr hop, other;
	struct in_addr a;
	inet_pton(AF_INET, "198.18.1.1", &a);
	pkt_addr4(&hop, &a);
	inet_pton(AF_INET, "198.18.1.9", &a);
	pkt_addr4(&other, &a);
	uint8_t buf[128], mac[6] = {0};
	struct pkt_arp arp = {.op = PKT_ARP_REPLY, .sha = {2, 0, 0, 0, 0, 7}, .spa = hop.v4};
	assert_int_equal(pkt_arp_build(buf, sizeof(buf), &arp), PKT_ARP_LEN);
	struct io_pkt pk = {.data = buf, .len = PKT_ARP_LEN, .ethertype = PKT_ETH_P_ARP};
	assert_true(nexthop_answer(&pk, &hop, mac));
	assert_int_equal(mac[5], 7);
	assert_false(nexthop_answer(&pk, &other, mac));
	arp.op = PKT_ARP_REQUEST; /* a question from the hop names no answer */
	pkt_arp_build(buf, sizeof(buf), &arp);
	assert_false(nexthop_answer(&pk, &hop, mac));
	pk.len = 10; /* truncated */
	assert_false(nexthop_answer(&pk, &hop, mac));

	struct in6_addr g6, us6;
	inet_pton(AF_INET6, "2001:db8:1::1", &g6);
	inet_pton(AF_INET6, "2001:db8:1::2", &us6);
	struct pkt_addr hop6, us;
	pkt_addr6(&hop6, &g6);
	pkt_addr6(&us, &us6);
	struct pkt_nd nd = {.type = PKT_ND_NEIGHBOR_ADVERT,
			    .flags = PKT_ND_NA_SOLICITED,
			    .target = g6,
			    .has_lladdr = true,
			    .lladdr = {2, 0, 0, 0, 0, 9}};
	int n = pkt_nd_build(buf + 40, sizeof(buf) - 40, &nd, &hop6, &us);
	assert_true(n > 0);
	struct pkt_ip6 h6 = {.next = IPPROTO_ICMPV6, .hlim = 255, .src = g6, .dst = us6};
	assert_int_equal(pkt_ip6_build(buf, 40, &h6, (size_t)n), 40);
	pk = (struct io_pkt){.data = buf, .len = 40 + (size_t)n, .ethertype = PKT_ETH_P_IPV6};
	memset(mac, 0, sizeof(mac));
	assert_true(nexthop_answer(&pk, &hop6, mac));
	assert_int_equal(mac[5], 9);
	assert_false(nexthop_answer(&pk, &us, mac));
	assert_false(nexthop_answer(&pk, &hop, mac)); /* IPv4 hop, IPv6 packet */
	nd.has_lladdr = false;
	n = pkt_nd_build(buf + 40, sizeof(buf) - 40, &nd, &hop6, &us);
	pkt_ip6_build(buf, 40, &h6, (size_t)n);
	pk.len = 40 + (size_t)n;
	assert_false(nexthop_answer(&pk, &hop6, mac));
}

static int host_done_events;
static void count_host_done(void *ctx, const struct scan_event *ev)
{
	(void)ctx;
	host_done_events += ev->kind == SCAN_EV_HOST_DONE;
}

/* runprog: a host done before the others of its run is reported, the
 * last one not (the run's own end says it), and only when the hosts get
 * more than 50 probes each, as nmap's -v. */
static void test_runprog_hosts_done(void **state)
{
	(void)state;
	struct scan_config cfg = {.hooks = {.event = count_host_done}};
	struct engine e = {.cfg = &cfg};
	struct host h[3] = {0};
	struct rhost rh[3] = {{.h = &h[0]}, {.h = &h[1]}, {.h = &h[2]}};
	struct probe_def pd[51] = {0};
	struct portfin fin = {0};
	struct runprog p;
	for (size_t np = 50; np <= 51; np++) {
		struct raw_run run = {RUN_PORTS, SCAN_CONNECT, rh, 3, pd, np};
		host_done_events = 0;
		assert_int_equal(runprog_init(&p, &e, &run, &fin, 0), 0);
		for (size_t it = 0; it < 3 * np; it++) {
			runprog_settle(&p, it, 1);
			runprog_settle(&p, it, 1); /* twice: counted once */
		}
		runprog_fini(&p);
		assert_int_equal(host_done_events, np > 50 ? 2 : 0);
	}
}

static int host_timeout_events;
static void count_timeouts(void *ctx, const struct scan_event *ev)
{
	(void)ctx;
	host_timeout_events += ev->kind == SCAN_EV_HOST_DONE && ev->timed_out;
}

/* --host-timeout in a run: a host still waiting times out at the check
 * after its time is up (marked, and with more than 50 probes a host one
 * "timed out during" event each, the last one too); a host whose items
 * are all settled does not. */
static void test_runprog_host_timeout(void **state)
{
	(void)state;
	struct scan_config cfg = {.hooks = {.event = count_timeouts}};
	struct engine e = {.cfg = &cfg};
	e.tm.host_timeout = 1.0;
	struct host h[2] = {0};
	struct rhost rh[2] = {{.h = &h[0], .t_start = 0}, {.h = &h[1], .t_start = 0}};
	struct probe_def pd[51] = {0};
	struct portfin fin = {0};
	struct runprog p;
	struct raw_run run = {RUN_PORTS, SCAN_SYN, rh, 2, pd, 51};
	host_timeout_events = 0;
	assert_int_equal(runprog_init(&p, &e, &run, &fin, 0), 0);
	for (size_t it = 1; it < 2 * 51; it += 2)
		runprog_settle(&p, it, 0.5); /* host 1: every item answered */
	runprog_check_timeouts(&p, 0.9);
	assert_false(h[0].timed_out);
	runprog_check_timeouts(&p, 1.5);
	assert_true(h[0].timed_out);
	assert_false(h[1].timed_out);
	assert_int_equal(host_timeout_events, 1);
	runprog_host_timeout(&p, 0, 1.6); /* once only */
	assert_int_equal(host_timeout_events, 1);
	runprog_fini(&p);
}

static void test_probe_bytes(void **state)
{
	(void)state;
	struct fix f;
	fix_init(&f, SCAN_SYN);
	uint8_t buf[256];
	int n = probe_build(&f.e, &f.src, &f.rh[1].addr, &f.pd[1], 3, buf, sizeof(buf));
	assert_true(n == 44);
	struct pkt_ip4 ip;
	struct pkt_tcp t;
	assert_int_equal(pkt_ip4_parse(buf, (size_t)n, &ip, false), 20);
	assert_int_equal(ip.proto, IPPROTO_TCP);
	assert_int_equal(pkt_tcp_parse(buf + 20, (size_t)n - 20, &t), 24);
	assert_int_equal(t.flags, PKT_TCP_SYN);
	assert_int_equal(t.dport, 80);
	assert_int_equal(t.sport, 40003); /* try 3 rides in the source port */
	assert_true(t.seq == probe_tcp_cookie(&f.e, &f.rh[1].addr, 80, 40003, PKT_TCP_SYN));
	assert_true(pkt_csum_ok(buf + 20, (size_t)n - 20, &f.src, &f.rh[1].addr, IPPROTO_TCP));
	struct pkt_tcp_opts o;
	assert_int_equal(pkt_tcp_opts_parse(t.opt, t.optlen, &o), 0);
	assert_true(o.has_mss && o.mss == 1460);
	rs_fini(&f.s);
}

static void test_match_tcp(void **state)
{
	(void)state;
	struct fix f;
	fix_init(&f, SCAN_SYN);
	uint8_t pkt[256];
	struct match m;
	uint32_t c = probe_tcp_cookie(&f.e, &f.rh[1].addr, 80, 40001, PKT_TCP_SYN);
	struct io_pkt pk = {.data = pkt, .ethertype = PKT_ETH_P_IP};
	pk.len = tcp_reply(&f, 1, 80, 40001, PKT_TCP_SYN | PKT_TCP_ACK, 777, c + 1, pkt);
	assert_true(reply_match(&f.s, &pk, &m));
	assert_int_equal(m.host, 1);
	assert_int_equal(m.probe, 1);
	assert_int_equal(m.tryno, 1);
	assert_int_equal(m.reason, REASON_SYN_ACK);
	assert_int_equal(m.ttl, 61);
	/* a forged answer (wrong acknowledgement) is not ours */
	pk.len = tcp_reply(&f, 1, 80, 40001, PKT_TCP_RST | PKT_TCP_ACK, 0, c + 2, pkt);
	assert_false(reply_match(&f.s, &pk, &m));
	/* right cookie, but from the other host */
	pk.len = tcp_reply(&f, 0, 80, 40001, PKT_TCP_RST | PKT_TCP_ACK, 0, c + 1, pkt);
	assert_false(reply_match(&f.s, &pk, &m));
	/* not to our source ports */
	pk.len = tcp_reply(&f, 1, 80, 50001, PKT_TCP_RST | PKT_TCP_ACK, 0, c + 1, pkt);
	assert_false(reply_match(&f.s, &pk, &m));
	/* a port we did not probe */
	pk.len = tcp_reply(&f, 1, 81, 40001, PKT_TCP_RST | PKT_TCP_ACK, 0, c + 1, pkt);
	assert_false(reply_match(&f.s, &pk, &m));
	/* truncated */
	pk.len = 30;
	assert_false(reply_match(&f.s, &pk, &m));
	rs_fini(&f.s);
}

static void test_match_icmp(void **state)
{
	(void)state;
	struct fix f;
	fix_init(&f, SCAN_SYN);
	uint8_t probe[128], l4[256], pkt[512];
	int n = probe_build(&f.e, &f.src, &f.rh[0].addr, &f.pd[0], 0, probe, sizeof(probe));
	assert_true(n > 28);
	/* admin-prohibited from the target, quoting our probe */
	int ln = pkt_icmp_error_build(l4, sizeof(l4), false, PKT_ICMP_UNREACH,
				      PKT_UNREACH_FILTER_PROHIB, 0, probe, 28, NULL, 0, NULL, NULL);
	assert_true(ln > 0);
	struct io_pkt pk = {.data = pkt, .ethertype = PKT_ETH_P_IP};
	pk.len = ip_from(&f, 0, IPPROTO_ICMP, l4, (size_t)ln, pkt);
	struct match m;
	assert_true(reply_match(&f.s, &pk, &m));
	assert_int_equal(m.host, 0);
	assert_int_equal(m.probe, 0);
	assert_int_equal(m.reason, REASON_ADMIN_PROHIBITED);
	assert_true(m.from_target);
	assert_int_equal(reply_state(SCAN_SYN, m.reason, &f.pd[0]), PORT_FILTERED);
	/* a quote whose sequence number is not our cookie */
	probe[24] ^= 0xff;
	ln = pkt_icmp_error_build(l4, sizeof(l4), false, PKT_ICMP_UNREACH, PKT_UNREACH_PORT, 0,
				  probe, 28, NULL, 0, NULL, NULL);
	pk.len = ip_from(&f, 0, IPPROTO_ICMP, l4, (size_t)ln, pkt);
	assert_false(reply_match(&f.s, &pk, &m));
	/* an echo reply with our identifier */
	uint16_t id = probe_icmp_id(&f.e, &f.rh[1].addr);
	ln = pkt_icmp_echo_build(l4, sizeof(l4), false, PKT_ICMP_ECHOREPLY, id, 2, NULL, 0, NULL,
				 NULL);
	pk.len = ip_from(&f, 1, IPPROTO_ICMP, l4, (size_t)ln, pkt);
	assert_true(reply_match(&f.s, &pk, &m));
	assert_int_equal(m.probe, 2);
	assert_int_equal(m.tryno, 2);
	assert_int_equal(m.reason, REASON_ECHO_REPLY);
	/* ... and with someone else's */
	ln = pkt_icmp_echo_build(l4, sizeof(l4), false, PKT_ICMP_ECHOREPLY, id + 1, 2, NULL, 0,
				 NULL, NULL);
	pk.len = ip_from(&f, 1, IPPROTO_ICMP, l4, (size_t)ln, pkt);
	assert_false(reply_match(&f.s, &pk, &m));
	rs_fini(&f.s);
}

/* The fixture over IPv6 (hosts 2001:db8:3::10 and ::11, us ::1:2) with
 * two probes: a neighbour solicitation and -sO's protocol 47. */
static void fix_init6(struct fix *f)
{
	memset(f, 0, sizeof(*f));
	f->e.key = (struct siphash_key){0x1111, 0x2222};
	f->e.sport_base = 40000;
	f->e.fixed_sport = -1;
	struct scan_timing in = {.level = 3, .max_retries = -1};
	timing_resolve(&in, false, &f->e.tm);
	struct in6_addr a;
	inet_pton(AF_INET6, "2001:db8:1::2", &a);
	pkt_addr6(&f->src, &a);
	for (int i = 0; i < 2; i++) {
		char buf[32];
		snprintf(buf, sizeof(buf), "2001:db8:3::%d", 10 + i);
		inet_pton(AF_INET6, buf, &a);
		pkt_addr6(&f->rh[i].addr, &a);
		f->rh[i].h = &f->h[i];
		f->rh[i].ri.src = f->src;
	}
	f->pd[0] = (struct probe_def){PK_ND, 0, 0};
	f->pd[1] = (struct probe_def){PK_PROTO, 0, 47};
	f->run = (struct raw_run){RUN_PORTS, SCAN_IPPROTO, f->rh, 2, f->pd, 2};
	assert_int_equal(rs_init(&f->s, &f->e, &f->run), 0);
}

/* An IPv6 packet from host i to us carrying l4. */
static size_t ip6_from(struct fix *f, int i, uint8_t next, const uint8_t *l4, size_t len,
		       uint8_t *out)
{
	struct pkt_ip6 h = {.next = next, .hlim = 64, .src = f->rh[i].addr.v6, .dst = f->src.v6};
	int hl = pkt_ip6_build(out, 1500, &h, len);
	assert_true(hl == 40);
	memcpy(out + hl, l4, len);
	return (size_t)hl + len;
}

/* A neighbour advertisement's MAC is its target link-layer option's, not
 * the packet's last 6 bytes: here a nonce option (RFC 3971) follows. */
static void test_match_na_option_order(void **state)
{
	(void)state;
	struct fix f;
	fix_init6(&f);
	struct pkt_nd nd = {.type = PKT_ND_NEIGHBOR_ADVERT,
			    .flags = PKT_ND_NA_SOLICITED,
			    .target = f.rh[1].addr.v6,
			    .has_lladdr = true,
			    .lladdr = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55}};
	uint8_t l4[64], pkt[256];
	int n = pkt_nd_build(l4, sizeof(l4), &nd, &f.rh[1].addr, &f.src);
	assert_int_equal(n, 32);
	static const uint8_t nonce[8] = {14, 1, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x01};
	memcpy(l4 + n, nonce, sizeof(nonce));
	struct io_pkt pk = {.data = pkt, .ethertype = PKT_ETH_P_IPV6};
	pk.len = ip6_from(&f, 1, IPPROTO_ICMPV6, l4, (size_t)n + sizeof(nonce), pkt);
	struct match m;
	assert_true(reply_match(&f.s, &pk, &m));
	assert_int_equal(m.host, 1);
	assert_int_equal(m.reason, REASON_ND_RESPONSE);
	assert_non_null(m.mac);
	assert_memory_equal(m.mac, nd.lladdr, 6);
	rs_fini(&f.s);
}

/* IPv6 -sO: an ICMPv6 error answers our protocol probe only if the
 * datagram it quotes carries our flow-label cookie, as IPv4's quote must
 * carry our IP ID and as a direct reply is checked. */
static void test_match_proto6_quote_cookie(void **state)
{
	(void)state;
	struct fix f;
	fix_init6(&f);
	uint8_t probe[128], l4[256], pkt[512];
	int n = probe_build(&f.e, &f.src, &f.rh[0].addr, &f.pd[1], 0, probe, sizeof(probe));
	assert_true(n >= 40);
	struct io_pkt pk = {.data = pkt, .ethertype = PKT_ETH_P_IPV6};
	struct match m;
	for (int forged = 0; forged < 2; forged++) {
		if (forged)
			probe[3] ^= 0x5a; /* the flow label's low byte */
		int ln = pkt_icmp_error_build(l4, sizeof(l4), true, PKT_ICMP6_PARAMPROB, 1, 40,
					      probe, (size_t)n, NULL, 0, &f.rh[0].addr, &f.src);
		assert_true(ln > 0);
		pk.len = ip6_from(&f, 0, IPPROTO_ICMPV6, l4, (size_t)ln, pkt);
		if (forged) {
			assert_false(reply_match(&f.s, &pk, &m));
			continue;
		}
		assert_true(reply_match(&f.s, &pk, &m));
		assert_int_equal(m.host, 0);
		assert_int_equal(m.probe, 1);
		assert_int_equal(m.reason, REASON_PROTO_UNREACH);
	}
	rs_fini(&f.s);
}

static void test_states(void **state)
{
	(void)state;
	struct probe_def p = {PK_TCP, PKT_TCP_SYN, 80};
	assert_int_equal(reply_state(SCAN_SYN, REASON_SYN_ACK, &p), PORT_OPEN);
	assert_int_equal(reply_state(SCAN_SYN, REASON_RESET, &p), PORT_CLOSED);
	assert_int_equal(reply_state(SCAN_ACK, REASON_RESET, &p), PORT_UNFILTERED);
	assert_int_equal(reply_state(SCAN_FIN, REASON_RESET, &p), PORT_CLOSED);
	assert_int_equal(reply_state(SCAN_UDP, REASON_PORT_UNREACH, &p), PORT_CLOSED);
	assert_int_equal(reply_state(SCAN_UDP, REASON_HOST_PROHIBITED, &p), PORT_FILTERED);
	assert_int_equal(reply_state(SCAN_UDP, REASON_UDP_RESPONSE, &p), PORT_OPEN);
	struct probe_def q = {PK_PROTO, 0, 47};
	assert_int_equal(reply_state(SCAN_IPPROTO, REASON_PROTO_UNREACH, &q), PORT_CLOSED);
	assert_int_equal(reply_state(SCAN_IPPROTO, REASON_PORT_UNREACH, &q), PORT_OPEN);
	q.port = IPPROTO_ICMP; /* ICMP over IPv6 is refused like any other */
	assert_int_equal(reply_state(SCAN_IPPROTO, REASON_PROTO_UNREACH, &q), PORT_CLOSED);
	assert_int_equal(reply_default_state(SCAN_SYN), PORT_FILTERED);
	assert_int_equal(reply_default_state(SCAN_ACK), PORT_FILTERED);
	assert_int_equal(reply_default_state(SCAN_XMAS), PORT_OPEN_FILTERED);
	assert_int_equal(reply_default_state(SCAN_UDP), PORT_OPEN_FILTERED);
	assert_int_equal(reply_default_state(SCAN_IPPROTO), PORT_OPEN_FILTERED);
}

static void write_file(const char *dir, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/udp-payloads", dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void test_payloads(void **state)
{
	(void)state;
	char dir[] = "/tmp/nk-payloads-XXXXXX";
	assert_non_null(mkdtemp(dir));
	write_file(dir, "# comment\n\nudp 53,5353 \"\\x01\\x02ab\\r\\n\\\"\"\nudp 7 \"\"\n");
	struct payloads *p;
	assert_int_equal(payloads_load(dir, &p), 0);
	size_t len;
	const uint8_t *d = payloads_get(p, 5353, &len);
	assert_int_equal(len, 7);
	assert_memory_equal(d,
			    "\x01\x02"
			    "ab\r\n\"",
			    7);
	assert_non_null(payloads_get(p, 7, &len));
	assert_int_equal(len, 0);
	assert_null(payloads_get(p, 54, &len));
	payloads_free(p);
	const char *bad[] = {"udp 0 \"x\"\n",	"udp 70000 \"x\"\n", "udp 53 \"\\xZZ\"\n",
			     "udp 53 \"open\n", "tcp 53 \"x\"\n",    "udp 53\n"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_file(dir, bad[i]);
		assert_int_equal(payloads_load(dir, &p), -EINVAL);
	}
	char path[512];
	snprintf(path, sizeof(path), "%s/udp-payloads", dir);
	unlink(path);
	rmdir(dir);
}

/* portfin: ports a resumed scan knows are marked done and never reported
 * again; answered ones go to the hook per host in one batch; should_stop
 * flushes what waits and says stop. */
struct fin_log {
	size_t calls, nports;
	const struct host *last;
	struct port_result p[8];
	int stop;
};

static void fin_hook(void *ctx, const struct host *h, const struct port_result *p, size_t n)
{
	struct fin_log *l = ctx;
	l->calls++;
	l->last = h;
	for (size_t i = 0; i < n && l->nports < 8; i++)
		l->p[l->nports++] = p[i];
}

static int fin_stop(void *ctx)
{
	return ((struct fin_log *)ctx)->stop;
}

static void test_portfin(void **state)
{
	(void)state;
	struct fix f;
	fix_init(&f, SCAN_SYN);
	rs_fini(&f.s);
	struct fin_log log = {0};
	struct scan_config cfg = {0};
	cfg.hooks =
		(struct scan_hooks){.ctx = &log, .ports_final = fin_hook, .should_stop = fin_stop};
	f.e.cfg = &cfg;
	f.run.nprobes = 2; /* tcp 22, 80 */
	struct port_result known = {.port = 80,
				    .proto = IPPROTO_TCP,
				    .state = PORT_CLOSED,
				    .reason = REASON_RESET,
				    .reason_ttl = 61};
	assert_int_equal(host_add_port(&f.h[1], &known), 0);
	uint8_t st[4] = {0}, rs[4] = {0}, ttl[4] = {0};
	struct portfin pf;
	assert_int_equal(portfin_init(&pf, &f.e, &f.run, st, rs, ttl), 0);
	/* item = probe * 2 + host: port 80 of host 1 is item 3 */
	assert_true(portfin_known(&pf, 3));
	assert_false(portfin_known(&pf, 0) || portfin_known(&pf, 1) || portfin_known(&pf, 2));
	assert_int_equal(st[3], PORT_CLOSED);
	assert_int_equal(rs[3], REASON_RESET);
	assert_int_equal(ttl[3], 61);
	st[0] = PORT_OPEN, rs[0] = REASON_SYN_ACK, ttl[0] = 62; /* host 0, port 22 */
	portfin_add(&pf, 0);
	portfin_add(&pf, 3); /* known: not again */
	assert_false(portfin_tick(&pf, st, rs, ttl, PORT_FILTERED, pf.last + 0.01, false));
	assert_int_equal(log.calls, 0); /* the batch interval is not over */
	assert_false(portfin_tick(&pf, st, rs, ttl, PORT_FILTERED, pf.last + 1, false));
	assert_int_equal(log.calls, 1);
	assert_ptr_equal(log.last, &f.h[0]);
	assert_int_equal(log.nports, 1);
	assert_int_equal(log.p[0].port, 22);
	assert_int_equal(log.p[0].state, PORT_OPEN);
	assert_int_equal(log.p[0].reason_ttl, 62);
	/* an unanswered port at the end of the run: the default state */
	portfin_add(&pf, 1);
	portfin_add(&pf, 2);
	log.stop = 1;
	assert_true(portfin_tick(&pf, st, rs, ttl, PORT_FILTERED, pf.last, false));
	assert_int_equal(log.calls, 3); /* one call per host */
	assert_int_equal(log.nports, 3);
	assert_int_equal(log.p[1].state + log.p[2].state, 2 * PORT_FILTERED);
	assert_int_equal(log.p[1].reason, REASON_NO_RESPONSE);
	portfin_fini(&pf);
	host_clear(&f.h[1]);
}

/* host_sort_ports: nmap's order (tcp, udp, sctp, then by port), whether
 * the results came in order already (the usual case) or not. */
static void test_sort_ports(void **state)
{
	(void)state;
	struct host h = {0};
	struct port_result p[] = {
		{.port = 53, .proto = IPPROTO_UDP}, {.port = 80, .proto = IPPROTO_TCP},
		{.port = 22, .proto = IPPROTO_TCP}, {.port = 7, .proto = IPPROTO_SCTP},
		{.port = 22, .proto = IPPROTO_UDP},
	};
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(host_add_port(&h, &p[i]), 0);
	host_sort_ports(&h);
	const uint16_t want[] = {22, 80, 22, 53, 7};
	const uint8_t wproto[] = {IPPROTO_TCP, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDP, IPPROTO_SCTP};
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(h.ports[i].port, want[i]);
		assert_int_equal(h.ports[i].proto, wproto[i]);
	}
	host_sort_ports(&h); /* sorted input stays as it is */
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(h.ports[i].port, want[i]);
	/* only the last pair out of order */
	struct port_result q = {.port = 1, .proto = IPPROTO_TCP};
	assert_int_equal(host_add_port(&h, &q), 0);
	host_sort_ports(&h);
	assert_int_equal(h.ports[0].port, 1);
	assert_int_equal(h.ports[5].proto, IPPROTO_SCTP);
	free(h.ports);
}

/* nmap's rank of replies for its traceroute probe: TCP over UDP, closed
 * over open, the ports middleboxes answer for below other closed ones,
 * the first of equals kept. */
static void test_pingprobe_rank(void **state)
{
	(void)state;
	struct host h;
	memset(&h, 0, sizeof(h));
	const struct port_result seq[] = {
		{.port = 53, .proto = IPPROTO_UDP, .state = PORT_CLOSED},
		{.port = 9999, .proto = IPPROTO_UDP, .state = PORT_CLOSED},
		{.port = 22, .proto = IPPROTO_TCP, .state = PORT_OPEN},
		{.port = 81, .proto = IPPROTO_TCP, .state = PORT_FILTERED},
		{.port = 25, .proto = IPPROTO_TCP, .state = PORT_CLOSED},
		{.port = 80, .proto = IPPROTO_TCP, .state = PORT_OPEN},
		{.port = 587, .proto = IPPROTO_TCP, .state = PORT_CLOSED},
		{.port = 1, .proto = IPPROTO_TCP, .state = PORT_CLOSED},
	};
	const uint16_t kept[] = {53, 9999, 22, 22, 25, 25, 587, 587};
	for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		host_note_pingprobe(&h, &seq[i], seq[i].port == 53, PKT_TCP_SYN);
		assert_int_equal(h.pingprobe.port, kept[i]);
	}
	assert_int_equal(host_pingprobe_score(IPPROTO_UDP, 9999, PORT_CLOSED, false) >
				 host_pingprobe_score(IPPROTO_UDP, 53, PORT_CLOSED, true),
			 1);
	assert_int_equal(host_pingprobe_score(IPPROTO_TCP, 1, PORT_UNFILTERED, false), 0);
}

/* --scan-delay is per host: a probe to one host holds back only that
 * host; wake is the earliest held-back host's time; a rate limit found
 * for one host doubles its own delay from 5 ms up to the cap. */
static void test_hostpace(void **state)
{
	(void)state;
	struct hostpace p;
	assert_int_equal(hostpace_init(&p, 3, 0), 0);
	assert_false(p.on);
	hostpace_sent(&p, 0, 10.0);
	assert_true(hostpace_ready(&p, 0, 10.0)); /* no delay: always ready */
	hostpace_fini(&p);

	assert_int_equal(hostpace_init(&p, 3, 1.0), 0);
	assert_true(p.on);
	hostpace_sent(&p, 0, 10.0);
	p.wake = 0;
	assert_false(hostpace_ready(&p, 0, 10.5));
	assert_true(p.wake > 10.99 && p.wake < 11.01);
	assert_true(hostpace_ready(&p, 1, 10.5)); /* another host goes on */
	hostpace_sent(&p, 1, 10.5);
	assert_false(hostpace_ready(&p, 1, 11.2));
	assert_true(p.wake > 10.99 && p.wake < 11.01); /* the earlier of the two */
	assert_true(hostpace_ready(&p, 0, 11.0));
	/* the found delay counts only past --scan-delay */
	assert_true(hostpace_boost(&p, 2, 0.5) > 0.004);
	assert_true(hostpace_of(&p, 2) > 0.99 && hostpace_of(&p, 2) < 1.01);
	hostpace_fini(&p);

	assert_int_equal(hostpace_init(&p, 2, 0), 0);
	assert_true(hostpace_boost(&p, 1, 0.012) > 0.0049);
	assert_true(p.on);
	assert_true(hostpace_boost(&p, 1, 0.012) > 0.0099);
	assert_true(hostpace_boost(&p, 1, 0.012) < 0.0121); /* capped */
	assert_true(hostpace_of(&p, 0) == 0);
	hostpace_sent(&p, 0, 5.0);
	assert_true(hostpace_ready(&p, 0, 5.0)); /* host 0 has no delay */
	hostpace_sent(&p, 1, 5.0);
	assert_false(hostpace_ready(&p, 1, 5.01));
	hostpace_fini(&p);
}

static const struct svc_handler *handler(const char *name)
{
	for (size_t i = 0; i < svc_nhandlers; i++)
		if (!strcmp(svc_handlers[i].name, name))
			return &svc_handlers[i];
	return NULL;
}

/* -sV's table: which services a handler names (what is still sent once a
 * port is soft-matched), and 5432's first probe the SMB negotiate */
static void test_svc_handlers(void **state)
{
	(void)state;
	const struct svc_handler *neg = handler("SMBProgNeg"), *pg = handler("pgsql-startup");
	assert_non_null(neg);
	assert_non_null(pg);
	assert_true(svc_names(neg, "postgresql"));
	assert_true(svc_names(neg, "microsoft-ds"));
	assert_true(svc_names(neg, "netbios-ssn"));
	assert_false(svc_names(neg, "postgres"));
	assert_false(svc_names(neg, "ssn"));
	assert_false(svc_names(neg, ""));
	assert_true(svc_names(pg, "postgresql"));
	assert_false(svc_names(handler("tls-handshake"), "postgresql"));
	assert_true(svc_likely(neg, 5432));
	assert_false(svc_likely(pg, 5432));
	assert_true(pg->rarity > 7 && neg->rarity > 7); /* elsewhere beyond the default 7 */
	assert_true(svc_names(handler("NULL"), "ssh"));
	assert_true(svc_names(handler("NULL"), "vnc"));
	assert_true(svc_names(handler("amqp-header"), "amqp"));
	assert_false(svc_names(handler("amqp-header"), "http"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timing),
		cmocka_unit_test(test_svc_handlers),
		cmocka_unit_test(test_pingprobe_rank),
		cmocka_unit_test(test_portfin),
		cmocka_unit_test(test_probe_bytes),
		cmocka_unit_test(test_match_tcp),
		cmocka_unit_test(test_match_icmp),
		cmocka_unit_test(test_match_na_option_order),
		cmocka_unit_test(test_match_proto6_quote_cookie),
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_payloads),
		cmocka_unit_test(test_sort_ports),
		cmocka_unit_test(test_nexthop_answer),
		cmocka_unit_test(test_runprog_hosts_done),
		cmocka_unit_test(test_runprog_host_timeout),
		cmocka_unit_test(test_hostpace),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
