/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of IPv6 OS detection's pure parts (engine/os/os6.h): nmap
 * 7.93's IPv6 probes byte for byte as captured on the target in the lab
 * (lab/default.lab: nmap -6 -O from client to target, two routers
 * away), and the P= layout of the replies, from replies captured on the
 * target while nmap ran from r2 on its link, against the fingerprint
 * nmap printed for them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include <cmocka.h>

#include "engine/os/match.h"
#include "engine/os/os6.h"

static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
	size_t n = 0;
	for (; h[0] && h[1] && n < cap; h += 2) {
		unsigned v;
		assert_int_equal(sscanf(h, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
	}
	return n;
}

static const uint8_t hlim[OS6_N] = {[OS6_S1] = 48, [OS6_S2] = 55,   [OS6_S3] = 46,  [OS6_S4] = 45,
				    [OS6_S5] = 37, [OS6_S6] = 38,   [OS6_IE1] = 47, [OS6_IE2] = 51,
				    [OS6_U1] = 50, [OS6_TECN] = 45, [OS6_T2] = 38,  [OS6_T3] = 51,
				    [OS6_T4] = 41, [OS6_T5] = 43,   [OS6_T6] = 45,  [OS6_T7] = 54};
static const uint32_t ack[OS6_N] = {
	[OS6_S1] = 0xf7475246,	 [OS6_S2] = 0xbcde8524, [OS6_S3] = 0x9f931175,
	[OS6_S4] = 0x11294045,	 [OS6_S5] = 0xb9486fb8, [OS6_S6] = 0x1d8db546,
	[OS6_TECN] = 0x00000000, [OS6_T2] = 0x09862424, [OS6_T3] = 0x11f7d4ba,
	[OS6_T4] = 0xa7c68604,	 [OS6_T5] = 0x5bed3c36, [OS6_T6] = 0x78a1ab7f,
	[OS6_T7] = 0xd95b15f4};
/* each probe as nmap sent it (the first time) */
static const char *const sent[OS6_N] = {
	[OS6_S1] =
		"600123450028063020010db800010000000000000000000220010db8000300000000000000000010c3"
		"180016e13cdb9bf7475246a002000119e8000003030a01020405b4080affffffff000000000402",
	[OS6_S2] =
		"600123450028063720010db800010000000000000000000220010db8000300000000000000000010c3"
		"190016e13cdb9cbcde8524a002003f2b700000020405780303000402080affffffff0000000000",
	[OS6_S3] =
		"600123450028062e20010db800010000000000000000000220010db8000300000000000000000010c3"
		"1a0016e13cdb9d9f931175a0020004bd9b0000080affffffff0000000001010303050102040280",
	[OS6_S4] = "600123450024062d20010db800010000000000000000000220010db800030000000000000000001"
		   "0c31b0016e13cdb9e112940459002000429bc00000402080affffffff0000000003030a00",
	[OS6_S5] =
		"600123450028062520010db800010000000000000000000220010db8000300000000000000000010c3"
		"1c0016e13cdb9fb9486fb8a00200103dfb0000020402180402080affffffff0000000003030a00",
	[OS6_S6] = "600123450024062620010db800010000000000000000000220010db800030000000000000000001"
		   "0c31d0016e13cdba01d8db54690020200b04c0000020401090402080affffffff00000000",
	[OS6_IE1] = "600123450088002f20010db800010000000000000000000220010db80003000000000000000000"
		    "103a00010400000000800977e6abcd000000000000000000000000000000000000000000000000"
		    "000000000000000000000000000000000000000000000000000000000000000000000000000000"
		    "000000000000000000000000000000000000000000000000000000000000000000000000000000"
		    "0000000000000000000000000000000000000000",
	[OS6_IE2] =
		"600123450028003320010db800010000000000000000000220010db80003000000000000000000103c"
		"000104000000002b0001040000000000000000000000003a0001040000000080007866abcd0001",
	[OS6_U1] = "600123450134113220010db800010000000000000000000220010db800030000000000000000001"
		   "0c2ce94c90134e0fc43434343434343434343434343434343434343434343434343434343434343"
		   "4343434343434343434343434343434343434343434343434343434343434343434343434343434"
		   "3434343434343434343434343434343434343434343434343434343434343434343434343434343"
		   "4343434343434343434343434343434343434343434343434343434343434343434343434343434"
		   "3434343434343434343434343434343434343434343434343434343434343434343434343434343"
		   "4343434343434343434343434343434343434343434343434343434343434343434343434343434"
		   "3434343434343434343434343434343434343434343434343434343434343434343434343434343"
		   "4343434343434343434343434343434343434343434343434343434343434343",
	[OS6_TECN] = "600123450020062d20010db800010000000000000000000220010db8000300000000000000000"
		     "010c31e0016e13cdba10000000080c2000391c3f7f503030a01020405b404020101",
	[OS6_T2] =
		"600123450028062620010db800010000000000000000000220010db8000300000000000000000010c3"
		"1f0016e13cdba209862424a000008039ec000003030a0102040109080affffffff000000000402",
	[OS6_T3] =
		"600123450028063320010db800010000000000000000000220010db8000300000000000000000010c3"
		"200016e13cdba311f7d4baa02b01008037000003030a0102040109080affffffff000000000402",
	[OS6_T4] =
		"600123450028062920010db800010000000000000000000220010db8000300000000000000000010c3"
		"210016e13cdba4a7c68604a01004003637000003030a0102040109080affffffff000000000402",
	[OS6_T5] =
		"600123450028062b20010db800010000000000000000000220010db8000300000000000000000010c3"
		"220051e13cdba55bed3c36a0027a695546000003030a0102040109080affffffff000000000402",
	[OS6_T6] =
		"600123450028062d20010db800010000000000000000000220010db8000300000000000000000010c3"
		"230051e13cdba678a1ab7fa0108000c3a1000003030a0102040109080affffffff000000000402",
	[OS6_T7] =
		"600123450028063620010db800010000000000000000000220010db8000300000000000000000010c3"
		"240051e13cdba7d95b15f4a029ffff7358000003030f0102040109080affffffff000000000402",
};

static struct os6_params lab_params(void)
{
	struct os6_params pp = {.sport_base = 49944,
				.udp_sport = 49870,
				.open_port = 22,
				.closed_port = 81,
				.closed_udp = 38089,
				.seq = 3778861979u};
	pp.src.family = pp.dst.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8:1::2", &pp.src.v6);
	inet_pton(AF_INET6, "2001:db8:3::10", &pp.dst.v6);
	memcpy(pp.hlim, hlim, sizeof(hlim));
	memcpy(pp.ack, ack, sizeof(ack));
	return pp;
}

static void test_probes(void **state)
{
	(void)state;
	struct os6_params pp = lab_params();
	for (int p = 0; p < OS6_N; p++) {
		uint8_t got[1500], want[1500];
		int n = os6_probe_build((enum os6_probe)p, &pp, got, sizeof(got));
		assert_true(n > 0);
		if (!sent[p]) {
			/* NS (not sent across routers): to the target itself, hop limit 255 */
			assert_int_equal(p, OS6_NS);
			assert_int_equal(n, 40 + 24);
			assert_int_equal(got[7], 255);
			assert_int_equal(got[40], 135);
			assert_memory_equal(got + 48, &pp.dst.v6, 16);
			continue;
		}
		size_t w = unhex(sent[p], want, sizeof(want));
		assert_int_equal((size_t)n, w);
		if (memcmp(got, want, w))
			fail_msg("probe %s differs from nmap's", os6_probe_name((enum os6_probe)p));
	}
	uint8_t small[60];
	assert_true(os6_probe_build(OS6_IE1, &pp, small, sizeof(small)) < 0);
	assert_true(os6_probe_build(OS6_N, &pp, small, sizeof(small)) < 0);
}

struct rvec {
	const char *probe, *pkt, *p;
};
/* replies to nmap on r2 (2001:db8:3::1) and the P= nmap printed for them */
static const struct rvec replies[] = {
	{"S1",
	 "6002aaa20028064020010db800030000000000000000001020010db80003000000000000000000010016b94d9"
	 "69af35a91c2922fa012fb045bb70000020405a00402080a95ce715affffffff0103030a",
	 "6002aaa200280640XX{32}0016b94d969af35a91c2922fa012fb045bb70000020405a00402080a95ce715aff{"
	 "4}0103030a"},
	{"IE2",
	 "6000153400583a4020010db800030000000000000000001020010db8000300000000000000000001040178440"
	 "0000038600123450028002e20010db800030000000000000000000120010db80003000000000000000000103c"
	 "000104000000002b0001040000000000000000000000003a0001040000000080007865abcd0001",
	 "6000153400583a40XX{32}0401784400{3}38600123450028002eXX{32}3c00010400{4}2b00010400{12}"
	 "3a00010400{4}80007865abcd0001"},
	{"NS",
	 "6000000000183aff20010db800030000000000000000001020010db80003000000000000000000018800ae574"
	 "000000020010db8000300000000000000000010",
	 "6000{4}183affXX{32}8800ae574000{3}XX{16}"},
	{"U1",
	 "600b98d301643a4020010db800030000000000000000001020010db800030000000000000000000101040d680"
	 "0000000600123450134113720010db800030000000000000000000120010db8000300000000000000000010b8"
	 "d19e5f0134e162434343434343434343434343434343434343434343434343434343434343434343434343434"
	 "34343434343434343434343434343434343434343434343434343434343434343434343434343434343434343"
	 "43434343434343434343434343434343434343434343434343434343434343434343434343434343434343434"
	 "34343434343434343434343434343434343434343434343434343434343434343434343434343434343434343"
	 "43434343434343434343434343434343434343434343434343434343434343434343434343434343434343434"
	 "34343434343434343434343434343434343434343434343434343434343434343434343434343434343434343"
	 "43434343434343434343434343434343434343434343434343434343434343434343434343434343",
	 "600b98d301643a40XX{32}01040d6800{4}6001234501341137XX{32}b8d19e5f0134e16243{300}"},
	{"T5",
	 "600c9a1f0014064020010db800030000000000000000001020010db80003000000000000000000010051b9570"
	 "000000091c29239501400005ba30000",
	 "600c9a1f00140640XX{32}0051b95700{4}91c29239501400005ba30000"},

};

static void test_hex(void **state)
{
	(void)state;
	struct pkt_addr a = {.family = AF_INET6}, b = {.family = AF_INET6};
	inet_pton(AF_INET6, "2001:db8:3::10", &a.v6);
	inet_pton(AF_INET6, "2001:db8:3::1", &b.v6);
	for (size_t i = 0; i < sizeof(replies) / sizeof(replies[0]); i++) {
		uint8_t pkt[1500];
		char out[3000];
		size_t n = unhex(replies[i].pkt, pkt, sizeof(pkt));
		os6_hex(pkt, n, &b, &a, out, sizeof(out));
		if (strcmp(out, replies[i].p))
			fail_msg("%s: %s, nmap %s", replies[i].probe, out, replies[i].p);
	}
	/* truncated output stays a string */
	uint8_t pkt[64] = {0x60};
	char small[8];
	assert_true(os6_hex(pkt, sizeof(pkt), &a, &b, small, sizeof(small)) < sizeof(small));
	assert_string_equal(small, "60");
}

static void test_tests_and_distance(void **state)
{
	(void)state;
	static struct os6_obs o;
	memset(&o, 0, sizeof(o));
	o.pp = lab_params();
	/* U1's port unreachable, quoting the probe with 2 taken off its hop limit */
	uint8_t probe[400], err[600];
	int pl = os6_probe_build(OS6_U1, &o.pp, probe, sizeof(probe));
	assert_true(pl > 0);
	probe[7] -= 2;
	struct pkt_icmp m = {.v6 = true, .type = 1, .code = 4};
	int n = pkt_icmp_build(err, sizeof(err), &m, probe, (size_t)pl, &o.pp.dst, &o.pp.src);
	assert_true(n > 0);
	struct pkt_ip6 ip = {
		.next = IPPROTO_ICMPV6, .hlim = 62, .src = o.pp.dst.v6, .dst = o.pp.src.v6};
	int h = pkt_ip6_build(o.reply[OS6_U1], sizeof(o.reply[0]), &ip, (size_t)n);
	memcpy(o.reply[OS6_U1] + h, err, (size_t)n);
	o.rlen[OS6_U1] = (size_t)(h + n);
	o.got[OS6_U1] = true;
	o.sent[OS6_U1] = 0.694905;
	o.rcvd[OS6_U1] = 0.694923;
	struct os_fp fp;
	os6_distance(&o, &fp);
	assert_int_equal(fp.distance, 3);
	assert_int_equal(fp.dc, 'I');
	char t[4000];
	os6_tests(&o, t, sizeof(t));
	assert_non_null(strstr(t, "U1(P=6000{3}01643a3eXX{32}0104"));
	assert_non_null(strstr(t, "43{300}%ST=0.694905%RT=0.694923)EXTRA(FL=12345)"));
	assert_int_equal(strncmp(t, "U1(", 3), 0);
	o.direct = true;
	os6_distance(&o, &fp);
	assert_int_equal(fp.distance, 1);
	assert_int_equal(fp.dc, 'D');
}

/* a reply from the target (hop limit 62, flow label flow) carrying l4 */
static void put_reply(struct os6_obs *o, int p, uint8_t next, uint32_t flow, const uint8_t *l4,
		      size_t n)
{
	struct pkt_ip6 ip = {
		.next = next, .hlim = 62, .flow = flow, .src = o->pp.dst.v6, .dst = o->pp.src.v6};
	int h = pkt_ip6_build(o->reply[p], sizeof(o->reply[0]), &ip, n);
	assert_true(h > 0);
	memcpy(o->reply[p] + h, l4, n);
	o->rlen[p] = (size_t)h + n;
	o->got[p] = true;
}

static void test_features(void **state)
{
	(void)state;
	static struct os6_obs o;
	memset(&o, 0, sizeof(o));
	o.pp = lab_params();
	for (int p = 0; p < OS6_N; p++)
		o.sent[p] = p == OS6_NS ? 0 : 0.1 + p;
	/* S1: Linux's SYN-ACK (mss 1440, sackOK, timestamp, nop, wscale 10) */
	static const uint8_t opt[] = {2, 4, 5,	  0xa0, 4,    2,    8, 10, 1, 2,
				      3, 4, 0xff, 0xff, 0xff, 0xff, 1, 3,  3, 10};
	uint8_t l4[600];
	struct pkt_tcp t = {.sport = 22,
			    .dport = o.pp.sport_base,
			    .seq = 1234,
			    .ack = o.pp.seq + 1,
			    .flags = PKT_TCP_SYN | PKT_TCP_ACK,
			    .window = 64260,
			    .opt = opt,
			    .optlen = sizeof(opt)};
	int n = pkt_tcp_build(l4, sizeof(l4), &t, NULL, 0, &o.pp.dst, &o.pp.src);
	put_reply(&o, OS6_S1, IPPROTO_TCP, 0x2d5bf, l4, (size_t)n);
	/* T5: RST-ACK acking seq + 1, flow label 0 */
	struct pkt_tcp r = {.sport = 81,
			    .dport = (uint16_t)(o.pp.sport_base + 10),
			    .seq = 0,
			    .ack = o.pp.seq + 10 + 1,
			    .flags = PKT_TCP_RST | PKT_TCP_ACK};
	n = pkt_tcp_build(l4, sizeof(l4), &r, NULL, 0, &o.pp.dst, &o.pp.src);
	put_reply(&o, OS6_T5, IPPROTO_TCP, 0, l4, (size_t)n);
	/* IE1: an echo reply with the request's code */
	uint8_t zero[120] = {0};
	struct pkt_icmp m = {
		.v6 = true, .type = 129, .code = 9, .rest = (uint32_t)OS6_ICMP_ID << 16};
	n = pkt_icmp_build(l4, sizeof(l4), &m, zero, sizeof(zero), &o.pp.dst, &o.pp.src);
	put_reply(&o, OS6_IE1, IPPROTO_ICMPV6, 0x1, l4, (size_t)n);
	struct os_fp fp = {.distance = 3, .dc = 'I'};
	char buf[2000];
	os6_features(&o, &fp, buf, sizeof(buf));
	assert_string_equal(buf, "S1(R=Y%F=AS%W=FB04%O=M5A0ST11NWA%T=40%FL=N)S2(R=N)S3(R=N)S4(R=N)"
				 "S5(R=N)S6(R=N)IE1(R=Y%TY=81%CD=S%T=40%FL=N)IE2(R=N)U1(R=N)"
				 "TECN(R=N)T2(R=N)T3(R=N)T4(R=N)"
				 "T5(R=Y%F=AR%W=0%O=%S=Z%A=S+%T=40%FL=Z)T6(R=N)T7(R=N)");
	/* no distance: the hop limit rounded up */
	fp.distance = 0;
	os6_features(&o, &fp, buf, sizeof(buf));
	assert_non_null(strstr(buf, "S1(R=Y%F=AS%W=FB04%O=M5A0ST11NWA%TG=40%FL=N)"));
	/* a small buffer stays a string */
	char small[10];
	os6_features(&o, &fp, small, sizeof(small));
	assert_int_equal(strlen(small), 9);
}

/* netkit's own IPv6 knowledge: an observation recorded there matches its
 * entry exactly; with other TCP options it is the family only */
static void test_db6(void **state)
{
	(void)state;
	struct os_db *db;
	int bad;
	assert_int_equal(os_db_load(NETKIT_SRCDATADIR "/os/os-db6", &db, &bad), 0);
	assert_true(os_db_size(db) >= 2);
	FILE *f = fopen(NETKIT_SRCDATADIR "/os/observations6", "r");
	assert_non_null(f);
	char line[4096], tests[4096] = "";
	while (fgets(line, sizeof(line), f) && !tests[0]) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "tests ", 6))
			snprintf(tests, sizeof(tests), "%s", line + 6);
	}
	fclose(f);
	struct os_match_res r;
	os_db_match(db, tests, NULL, &r);
	assert_int_equal(r.verdict, OS_EXACT);
	assert_string_equal(os_entry_family(r.g[0].e), "Linux");
	char *o = strstr(tests, "S1(R=Y%F=AS%W=");
	assert_non_null(o);
	o = strstr(o, "%O=");
	assert_non_null(o);
	o[3] = 'X'; /* an MSS option no stack gave */
	os_db_match(db, tests, NULL, &r);
	assert_int_not_equal(r.verdict, OS_EXACT);
	assert_string_equal(os_entry_family(r.g[0].e), "Linux");
	os_db_free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probes),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_tests_and_distance),
		cmocka_unit_test(test_features),
		cmocka_unit_test(test_db6),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
