/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of --packet-trace lines: packets built with lib/pkt, lines
 * as nmap 7.93 prints them for the same packets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <string.h>

#include <cmocka.h>

#include "cmd/nmap/nmap.h"
#include "lib/pkt/pkt.h"

static size_t v4_packet(uint8_t *buf, uint8_t proto, uint8_t ttl, uint16_t id, const uint8_t *l4,
			size_t l4len)
{
	struct pkt_ip4 ip = {.ttl = ttl, .id = id, .proto = proto};
	inet_pton(AF_INET, "198.18.1.2", &ip.src);
	inet_pton(AF_INET, "198.18.3.10", &ip.dst);
	int hl = pkt_ip4_build(buf, 1500, &ip, l4len);
	assert_true(hl > 0);
	memcpy(buf + hl, l4, l4len);
	return (size_t)hl + l4len;
}

static void test_tcp_syn(void **state)
{
	(void)state;
	uint8_t opt[4], l4[64], pkt[1500];
	char line[512];
	int ol = pkt_tcpopt_mss(opt, sizeof(opt), 0, 1460);
	struct pkt_tcp t = {.sport = 43945,
			    .dport = 443,
			    .seq = 2907615312u,
			    .flags = PKT_TCP_SYN,
			    .window = 1024,
			    .opt = opt,
			    .optlen = (size_t)ol};
	int n = pkt_tcp_build(l4, sizeof(l4), &t, NULL, 0, NULL, NULL);
	assert_true(n > 0);
	size_t len = v4_packet(pkt, IPPROTO_TCP, 45, 11786, l4, (size_t)n);
	nmap_trace_line(TRACE_SENT, 0.0319, pkt, len, line, sizeof(line));
	assert_string_equal(line, "SENT (0.0319s) TCP 198.18.1.2:43945 > 198.18.3.10:443 S ttl=45 "
				  "id=11786 iplen=44  seq=2907615312 win=1024 <mss 1460>");
	t.flags = PKT_TCP_ACK;
	t.seq = 0;
	t.dport = 80;
	t.optlen = 0;
	n = pkt_tcp_build(l4, sizeof(l4), &t, NULL, 0, NULL, NULL);
	len = v4_packet(pkt, IPPROTO_TCP, 38, 26511, l4, (size_t)n);
	nmap_trace_line(TRACE_SENT, 0.0319, pkt, len, line, sizeof(line));
	assert_string_equal(line, "SENT (0.0319s) TCP 198.18.1.2:43945 > 198.18.3.10:80 A ttl=38 "
				  "id=26511 iplen=40  seq=0 win=1024 ");
}

static void test_icmp_and_udp(void **state)
{
	(void)state;
	uint8_t l4[64], pkt[1500];
	char line[512];
	int n = pkt_icmp_echo_build(l4, sizeof(l4), false, PKT_ICMP_ECHO, 42712, 0, NULL, 0, NULL,
				    NULL);
	assert_true(n > 0);
	size_t len = v4_packet(pkt, IPPROTO_ICMP, 48, 52106, l4, (size_t)n);
	nmap_trace_line(TRACE_SENT, 0.0319, pkt, len, line, sizeof(line));
	assert_string_equal(line, "SENT (0.0319s) ICMP [198.18.1.2 > 198.18.3.10 Echo request "
				  "(type=8/code=0) id=42712 seq=0] IP [ttl=48 id=52106 iplen=28 ]");
	struct pkt_udp u = {.sport = 57534, .dport = 54};
	n = pkt_udp_build(l4, sizeof(l4), &u, NULL, 0, NULL, NULL);
	assert_true(n > 0);
	len = v4_packet(pkt, IPPROTO_UDP, 46, 37914, l4, (size_t)n);
	nmap_trace_line(TRACE_RCVD, 0.0653, pkt, len, line, sizeof(line));
	assert_string_equal(line, "RCVD (0.0653s) UDP 198.18.1.2:57534 > 198.18.3.10:54 ttl=46 "
				  "id=37914 iplen=28 ");
}

static void test_v6_and_garbage(void **state)
{
	(void)state;
	uint8_t opt[4], l4[64], pkt[1500];
	char line[512];
	int ol = pkt_tcpopt_mss(opt, sizeof(opt), 0, 1460);
	struct pkt_tcp t = {.sport = 37960,
			    .dport = 443,
			    .seq = 3413136893u,
			    .flags = PKT_TCP_SYN,
			    .window = 1024,
			    .opt = opt,
			    .optlen = (size_t)ol};
	int n = pkt_tcp_build(l4, sizeof(l4), &t, NULL, 0, NULL, NULL);
	struct pkt_ip6 ip = {.next = IPPROTO_TCP, .hlim = 255};
	inet_pton(AF_INET6, "2001:db8:1::2", &ip.src);
	inet_pton(AF_INET6, "2001:db8:3::10", &ip.dst);
	int hl = pkt_ip6_build(pkt, sizeof(pkt), &ip, (size_t)n);
	memcpy(pkt + hl, l4, (size_t)n);
	nmap_trace_line(TRACE_SENT, 0.029, pkt, (size_t)(hl + n), line, sizeof(line));
	assert_string_equal(line, "SENT (0.0290s) TCP 2001:db8:1::2:37960 > 2001:db8:3::10:443 S "
				  "hopl=255 flow=0 payloadlen=24 seq=3413136893 win=1024 "
				  "<mss 1460>");
	/* truncated and garbage input is reported, never read past its end */
	nmap_trace_line(TRACE_RCVD, 1, pkt, 10, line, sizeof(line));
	assert_string_equal(line, "RCVD (1.0000s) Malformed IPv6 packet (10 bytes)");
	const uint8_t junk[3] = {0x12, 0x34, 0x56};
	nmap_trace_line(TRACE_RCVD, 1, junk, sizeof(junk), line, sizeof(line));
	assert_string_equal(line, "RCVD (1.0000s) Unknown packet (3 bytes)");
	char tiny[8];
	nmap_trace_line(TRACE_RCVD, 1, pkt, (size_t)(hl + n), tiny, sizeof(tiny));
	assert_int_equal(strlen(tiny), 7);
}

/* ARP and neighbour discovery, in nmap's words (the lines of a LAN ping
 * scan and of --send-eth's next-hop lookup, as nmap 7.93 prints them). */
static void test_arp_and_nd(void **state)
{
	(void)state;
	uint8_t pkt[128];
	char line[512];
	struct pkt_arp a = {.op = PKT_ARP_REQUEST, .sha = {0x2e, 0x5b, 0x54, 0x60, 0x19, 0xd9}};
	inet_pton(AF_INET, "198.18.3.1", &a.spa);
	inet_pton(AF_INET, "198.18.3.10", &a.tpa);
	pkt_arp_build(pkt, sizeof(pkt), &a);
	nmap_trace_line(TRACE_SENT, 0.0124, pkt, PKT_ARP_LEN, line, sizeof(line));
	assert_string_equal(line, "SENT (0.0124s) ARP who-has 198.18.3.10 tell 198.18.3.1");
	nmap_trace_line(TRACE_SENT_LOOKUP, 0.0124, pkt, PKT_ARP_LEN, line, sizeof(line));
	assert_string_equal(line, "SENT (0.0124s) ARP who-has 198.18.3.10 tell 198.18.3.1");
	a = (struct pkt_arp){.op = PKT_ARP_REPLY, .sha = {0xee, 0xe0, 0xda, 0x85, 0x23, 0x84}};
	inet_pton(AF_INET, "198.18.3.10", &a.spa);
	inet_pton(AF_INET, "198.18.3.1", &a.tpa);
	pkt_arp_build(pkt, sizeof(pkt), &a);
	nmap_trace_line(TRACE_RCVD, 0.0124, pkt, PKT_ARP_LEN, line, sizeof(line));
	assert_string_equal(line, "RCVD (0.0124s) ARP reply 198.18.3.10 is-at EE:E0:DA:85:23:84");

	struct pkt_addr us, gw, group;
	struct pkt_ip6 ip = {.next = IPPROTO_ICMPV6, .hlim = 255};
	inet_pton(AF_INET6, "2001:db8:1::2", &ip.src);
	inet_pton(AF_INET6, "2001:db8:1::1", &ip.dst);
	pkt_addr6(&us, &ip.src);
	pkt_addr6(&gw, &ip.dst);
	struct pkt_nd nd = {.type = PKT_ND_NEIGHBOR_SOLICIT, .target = ip.dst};
	pkt_nd_solicited_node(&nd.target, &ip.dst, nd.lladdr);
	pkt_addr6(&group, &ip.dst);
	int n = pkt_nd_build(pkt + 40, sizeof(pkt) - 40, &nd, &us, &group);
	pkt_ip6_build(pkt, 40, &ip, (size_t)n);
	nmap_trace_line(TRACE_SENT_LOOKUP, 0.0254, pkt, 40 + (size_t)n, line, sizeof(line));
	assert_string_equal(line, "SENT (0.0254s) neighbor solicitation 2001:db8:1::2 > "
				  "ff02::1:ff00:1 who has 2001:db8:1::1");
	/* the LAN ping scan's own solicitation is an ICMPv6 line for nmap */
	nmap_trace_line(TRACE_SENT, 0.0062, pkt, 40 + (size_t)n, line, sizeof(line));
	assert_string_equal(line, "SENT (0.0062s) ICMPv6 (58) 2001:db8:1::2 > ff02::1:ff00:1 "
				  "(type=135/code=0) hopl=255 flow=0 payloadlen=24");
	nd = (struct pkt_nd){.type = PKT_ND_NEIGHBOR_ADVERT,
			     .flags = PKT_ND_NA_SOLICITED,
			     .target = gw.v6,
			     .has_lladdr = true,
			     .lladdr = {0x2e, 0x5b, 0x54, 0x60, 0x19, 0xd9}};
	ip.src = gw.v6;
	ip.dst = us.v6;
	n = pkt_nd_build(pkt + 40, sizeof(pkt) - 40, &nd, &gw, &us);
	pkt_ip6_build(pkt, 40, &ip, (size_t)n);
	nmap_trace_line(TRACE_RCVD, 0.0255, pkt, 40 + (size_t)n, line, sizeof(line));
	assert_string_equal(line, "RCVD (0.0255s) neighbor advertisement 2001:db8:1::1 > "
				  "2001:db8:1::2 2001:db8:1::1 is at 2e:5b:54:60:19:d9");
	/* a truncated ARP body is no ARP line */
	nmap_trace_line(TRACE_RCVD, 1, pkt + 40, 20, line, sizeof(line));
	assert_string_equal(line, "RCVD (1.0000s) Unknown packet (20 bytes)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_syn),
		cmocka_unit_test(test_icmp_and_udp),
		cmocka_unit_test(test_v6_and_garbage),
		cmocka_unit_test(test_arp_and_nd),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
