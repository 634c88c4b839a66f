/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of OS detection's pure parts (engine/os): the probes as
 * nmap 7.93 sends them, and the tests computed from replies captured in
 * the lab (target.lab, Linux, answering nmap -O -d --packet-trace; the
 * ISNs and timestamps from its XML <tcpsequence>/<tcptssequence>), which
 * must give nmap's own fingerprint lines for that host. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/os/match.h"
#include "engine/os/os.h"

static struct os_probe_params params(void)
{
	struct os_probe_params pp = {.sport_base = 54764,
				     .open_port = 22,
				     .closed_port = 81,
				     .closed_udp = 33807,
				     .seq = 1654368434u,
				     .ack = 3061123026u,
				     .ipid = 100,
				     .icmp_id = 8254,
				     .ttl = 51};
	pp.src.family = pp.dst.family = AF_INET;
	inet_pton(AF_INET, "198.18.1.2", &pp.src.v4);
	inet_pton(AF_INET, "198.18.3.10", &pp.dst.v4);
	return pp;
}

/* a reply from the target: IP (ttl 62) + l4 */
static size_t reply(uint8_t *buf, uint8_t proto, uint16_t id, bool df, const uint8_t *l4,
		    size_t len)
{
	struct os_probe_params pp = params();
	struct pkt_ip4 ip = {.ttl = 62,
			     .id = id,
			     .proto = proto,
			     .frag = df ? PKT_IP4_DF : 0,
			     .src = pp.dst.v4,
			     .dst = pp.src.v4};
	int h = pkt_ip4_build(buf, OS_REPLY_MAX, &ip, len);
	assert_true(h > 0);
	memcpy(buf + h, l4, len);
	return (size_t)h + len;
}

static void tcp_reply(struct os_obs *o, int p, uint8_t flags, uint32_t seq, uint32_t ack,
		      uint16_t win, const uint8_t *opt, size_t optlen)
{
	struct os_probe_params pp = params();
	uint8_t l4[80];
	struct pkt_tcp t = {.sport = os_probe_dport(p, &pp),
			    .dport = (uint16_t)(pp.sport_base + p),
			    .seq = seq,
			    .ack = ack,
			    .flags = flags,
			    .window = win,
			    .opt = opt,
			    .optlen = optlen};
	int n = pkt_tcp_build(l4, sizeof(l4), &t, NULL, 0, &pp.dst, &pp.src);
	assert_true(n > 0);
	o->rlen[p] = reply(o->reply[p], IPPROTO_TCP, 0, true, l4, (size_t)n);
	o->got[p] = true;
}

/* Linux's SYN-ACK options: mss 1460, sackOK, timestamp TS 0xffffffff, nop, wscale 10 */
static size_t linux_opts(uint8_t *o, int variant, uint32_t ts)
{
	size_t n = 0;
	o[n++] = 2, o[n++] = 4, o[n++] = 0x05, o[n++] = 0xb4;
	if (variant == 3)
		o[n++] = 1, o[n++] = 1;
	else
		o[n++] = 4, o[n++] = 2;
	o[n++] = 8, o[n++] = 10;
	pkt_put32(o + n, ts), n += 4;
	pkt_put32(o + n, 0xffffffffu), n += 4;
	if (variant != 6)
		o[n++] = 1, o[n++] = 3, o[n++] = 3, o[n++] = 10;
	return n;
}

static void lab_linux(struct os_obs *o)
{
	static const uint32_t isn[6] = {0xB6304769, 0xBAAEF142, 0xEB067158,
					0xD7D393F6, 0x4EA93585, 0xC536379};
	static const uint32_t ts[6] = {0x563B0616, 0xB9E30CBE, 0x88EC38B4,
				       0x361DDBC,  0x7BB95454, 0xBF6262AB};
	static const double sent[6] = {10.4044, 10.5044, 10.6045, 10.7046, 10.8047, 10.9051};
	memset(o, 0, sizeof(*o));
	o->pp = params();
	uint8_t opt[40];
	for (int p = 0; p < 6; p++) {
		size_t n = linux_opts(opt, p + 1, ts[p]);
		tcp_reply(o, p, PKT_TCP_SYN | PKT_TCP_ACK, isn[p], o->pp.seq + (uint32_t)p + 1,
			  65160, opt, n);
		o->sent[p] = sent[p];
	}
	static const uint8_t ecn[] = {2, 4, 5, 0xb4, 1, 1, 4, 2, 1, 3, 3, 10};
	tcp_reply(o, OSP_ECN, PKT_TCP_SYN | PKT_TCP_ACK | PKT_TCP_ECE, 2410792963u, o->pp.seq + 1,
		  64240, ecn, sizeof(ecn));
	tcp_reply(o, OSP_T4, PKT_TCP_RST, o->pp.ack, 0, 0, NULL, 0);
	tcp_reply(o, OSP_T5, PKT_TCP_RST | PKT_TCP_ACK, 0, o->pp.seq + 1, 0, NULL, 0);
	tcp_reply(o, OSP_T6, PKT_TCP_RST, o->pp.ack, 0, 0, NULL, 0);
	tcp_reply(o, OSP_T7, PKT_TCP_RST | PKT_TCP_ACK, 0, o->pp.seq + 1, 0, NULL, 0);
	/* the echo replies: ids 35347 and 35353, codes as sent, no DF */
	uint8_t icmp[200], data[150] = {0};
	struct pkt_icmp m = {.type = PKT_ICMP_ECHOREPLY, .code = 9, .rest = 8254u << 16 | 295};
	int n = pkt_icmp_build(icmp, sizeof(icmp), &m, data, 120, NULL, NULL);
	o->rlen[OSP_IE1] = reply(o->reply[OSP_IE1], IPPROTO_ICMP, 35347, false, icmp, (size_t)n);
	m.code = 0, m.rest = 8255u << 16 | 296;
	n = pkt_icmp_build(icmp, sizeof(icmp), &m, data, 150, NULL, NULL);
	o->rlen[OSP_IE2] = reply(o->reply[OSP_IE2], IPPROTO_ICMP, 35353, false, icmp, (size_t)n);
	o->got[OSP_IE1] = o->got[OSP_IE2] = true;
	/* port unreachable quoting U1 as it arrived: two hops took 2 off its TTL */
	uint8_t probe[400], err[600];
	int pl = os_probe_build(OSP_U1, &o->pp, probe, sizeof(probe));
	assert_int_equal(pl, OS_U1_LEN);
	o->u1_csum = pkt_get16(probe + 26);
	probe[8] -= 2;
	pkt_put16(probe + 10, 0);
	pkt_put16(probe + 10, pkt_csum(probe, 20));
	n = pkt_icmp_error_build(err, sizeof(err), false, 3, 3, 0, probe, (size_t)pl, NULL, 0, NULL,
				 NULL);
	assert_true(n > 0);
	o->rlen[OSP_U1] = reply(o->reply[OSP_U1], IPPROTO_ICMP, 35357, false, err, (size_t)n);
	o->got[OSP_U1] = true;
}

static void test_lab_linux(void **state)
{
	(void)state;
	static struct os_obs o;
	struct os_fp fp;
	lab_linux(&o);
	assert_int_equal(os_compute(&o, &fp), 0);
	assert_string_equal(
		fp.tests,
		"SEQ(SP=106%GCD=1%ISR=108%TI=Z%CI=Z%II=I%TS=22)"
		"OPS(O1=M5B4ST11NWA%O2=M5B4ST11NWA%O3=M5B4NNT11NWA%O4=M5B4ST11NWA%O5=M5B4ST11NWA%"
		"O6=M5B4ST11)WIN(W1=FE88%W2=FE88%W3=FE88%W4=FE88%W5=FE88%W6=FE88)"
		"ECN(R=Y%DF=Y%T=40%W=FAF0%O=M5B4NNSNWA%CC=Y%Q=)"
		"T1(R=Y%DF=Y%T=40%S=O%A=S+%F=AS%RD=0%Q=)T2(R=N)T3(R=N)"
		"T4(R=Y%DF=Y%T=40%W=0%S=A%A=Z%F=R%O=%RD=0%Q=)"
		"T5(R=Y%DF=Y%T=40%W=0%S=Z%A=S+%F=AR%O=%RD=0%Q=)"
		"T6(R=Y%DF=Y%T=40%W=0%S=A%A=Z%F=R%O=%RD=0%Q=)"
		"T7(R=Y%DF=Y%T=40%W=0%S=Z%A=S+%F=AR%O=%RD=0%Q=)"
		"U1(R=Y%DF=N%T=40%IPL=164%UN=0%RIPL=G%RID=G%RIPCK=G%RUCK=G%RUD=G)"
		"IE(R=Y%DFI=N%T=40%CD=S)");
	assert_int_equal(fp.distance, 3);
	assert_int_equal(fp.dc, 'I');
	assert_int_equal(fp.sp_index, 262);
	assert_string_equal(os_difficulty(fp.sp_index), "Good luck!");
	assert_string_equal(os_ipid_name(fp.ti), "All zeros");
	assert_string_equal(os_ts_name(fp.ts, fp.ts_hz), "other");
}

/* without U1's answer the TTLs are guesses (TG), and no distance */
static void test_no_u1(void **state)
{
	(void)state;
	static struct os_obs o;
	struct os_fp fp;
	lab_linux(&o);
	o.got[OSP_U1] = false;
	o.got[OSP_T4] = false;
	os_compute(&o, &fp);
	assert_non_null(strstr(fp.tests, "ECN(R=Y%DF=Y%TG=40%W=FAF0"));
	assert_non_null(strstr(fp.tests, "T4(R=N)T5("));
	assert_non_null(strstr(fp.tests, "U1(R=N)IE(R=Y%DFI=N%TG=40%CD=S)"));
	assert_int_equal(fp.distance, 0);
}

/* one ISN for every SYN (ns-3 answers with ISN 0): as nmap 7.93, no SP,
 * GCD, ISR, and no sequence reports (-v lines, XML) */
static void test_fixed_isn(void **state)
{
	(void)state;
	static struct os_obs o;
	struct os_fp fp;
	lab_linux(&o);
	uint8_t opt[40];
	for (int p = 0; p < 6; p++) {
		size_t n = linux_opts(opt, p + 1, 1000u + (uint32_t)p * 10);
		tcp_reply(&o, p, PKT_TCP_SYN | PKT_TCP_ACK, 0, o.pp.seq + (uint32_t)p + 1, 65160,
			  opt, n);
	}
	assert_int_equal(os_compute(&o, &fp), 0);
	assert_non_null(strstr(fp.tests, "SEQ(TI=Z%CI=Z%II=I%TS="));
	assert_null(strstr(fp.tests, "GCD="));
	assert_true(fp.isn_fixed);
	assert_int_equal(fp.sp_index, -1);
	lab_linux(&o); /* two ISNs alike are not one ISN for all */
	tcp_reply(&o, 1, PKT_TCP_SYN | PKT_TCP_ACK, 0xB6304769, o.pp.seq + 2, 65160, opt,
		  linux_opts(opt, 2, 0xB9E30CBE));
	assert_int_equal(os_compute(&o, &fp), 0);
	assert_non_null(strstr(fp.tests, "SEQ(SP="));
	assert_false(fp.isn_fixed);
}

/* the wrapped layout: "OS:" and 72 characters a line (nmap's text for
 * target.lab, SCAN line included, with netkit's NK= at its end) */
static void test_wrap(void **state)
{
	(void)state;
	const char *s = "SCAN(V=7.93%E=4%D=12/7%OT=22%CT=81%CU=33807%PV=N%DS=3%DC=I%G=Y%TM=6B165B"
			"07%P=x86_64-pc-linux-gnu)SEQ(SP=106";
	char out[512];
	os_fp_wrap(s, out, sizeof(out));
	assert_string_equal(
		out, "OS:SCAN(V=7.93%E=4%D=12/7%OT=22%CT=81%CU=33807%PV=N%DS=3%DC=I%G=Y%TM=6B165B\n"
		     "OS:07%P=x86_64-pc-linux-gnu)SEQ(SP=106\n");
	static struct os_obs o;
	struct os_fp fp;
	lab_linux(&o);
	os_compute(&o, &fp);
	struct os_scan_info si = {.open_port = 22,
				  .closed_port = 81,
				  .closed_udp = 33807,
				  .month = 12,
				  .day = 7,
				  .when = 0x6B165B07,
				  .good = true,
				  .platform = "x86_64-pc-linux-gnu",
				  .netkit_version = "0.1.0"};
	char full[2600];
	os_fp_string(&fp, &si, full, sizeof(full));
	assert_true(
		strncmp(full,
			"SCAN(V=7.93%E=4%D=12/7%OT=22%CT=81%CU=33807%PV=N%DS=3%DC=I%G=Y%TM=6B165B07"
			"%P=x86_64-pc-linux-gnu%NK=0.1.0)SEQ(SP=106%",
			117) == 0);
}

/* the IP ID classes, as nmap's documentation defines them */
static void test_ipid_classes(void **state)
{
	(void)state;
	uint16_t z[] = {0, 0, 0}, inc[] = {10, 11, 13}, bi[] = {256, 512, 1024},
		 ri[] = {100, 1400, 3000}, rd[] = {100, 30000, 5}, k[] = {7, 7, 7};
	assert_int_equal(os_ipid_class(z, 3, true), IPID_ZERO);
	assert_int_equal(os_ipid_class(inc, 3, true), IPID_INCR);
	assert_int_equal(os_ipid_class(bi, 3, true), IPID_BI);
	assert_int_equal(os_ipid_class(ri, 3, true), IPID_RI);
	assert_int_equal(os_ipid_class(rd, 3, true), IPID_RD);
	assert_int_equal(os_ipid_class(rd, 3, false), IPID_RI);
	assert_int_equal(os_ipid_class(k, 3, true), IPID_CONST);
}

/* the probes: nmap's options, windows, flags and sizes (its --packet-trace) */
static void test_probes(void **state)
{
	(void)state;
	struct os_probe_params pp = params();
	uint8_t b[600];
	struct {
		int p;
		int len;
		uint16_t win;
		uint8_t flags;
		const char *ops;
	} want[] = {
		{OSP_SEQ1, 60, 1, PKT_TCP_SYN, "WANM5B4T10S"},
		{OSP_SEQ2, 60, 63, PKT_TCP_SYN, "M578W0ST10L"},
		{OSP_SEQ3, 60, 4, PKT_TCP_SYN, "T10NNW5NM280"},
		{OSP_SEQ4, 56, 4, PKT_TCP_SYN, "ST10WAL"},
		{OSP_SEQ5, 60, 16, PKT_TCP_SYN, "M218ST10WAL"},
		{OSP_SEQ6, 56, 512, PKT_TCP_SYN, "M109ST10"},
		{OSP_ECN, 52, 3, PKT_TCP_SYN | PKT_TCP_ECE | PKT_TCP_CWR, "WANM5B4SNN"},
		{OSP_T2, 60, 128, 0, "WANM109T10S"},
		{OSP_T3, 60, 256, PKT_TCP_SYN | PKT_TCP_FIN | PKT_TCP_PSH | PKT_TCP_URG,
		 "WANM109T10S"},
		{OSP_T4, 60, 1024, PKT_TCP_ACK, "WANM109T10S"},
		{OSP_T5, 60, 31337, PKT_TCP_SYN, "WANM109T10S"},
		{OSP_T6, 60, 32768, PKT_TCP_ACK, "WANM109T10S"},
		{OSP_T7, 60, 65535, PKT_TCP_FIN | PKT_TCP_PSH | PKT_TCP_URG, "WFNM109T10S"},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		int n = os_probe_build(want[i].p, &pp, b, sizeof(b));
		assert_int_equal(n, want[i].len);
		struct pkt_tcp t;
		assert_true(pkt_tcp_parse(b + 20, (size_t)n - 20, &t) > 0);
		assert_int_equal(t.window, want[i].win);
		assert_int_equal(t.flags, want[i].flags);
		assert_int_equal(t.ack, pp.ack);
		char ops[64];
		os_tcp_opts_str(t.opt, t.optlen, ops, sizeof(ops));
		assert_string_equal(ops, want[i].ops);
		bool df = want[i].p == OSP_T2 || want[i].p == OSP_T4 || want[i].p == OSP_T6;
		assert_int_equal(pkt_get16(b + 6) == PKT_IP4_DF, df);
		assert_int_equal(t.dport, want[i].p >= OSP_T5 ? 81 : 22);
	}
	assert_int_equal(os_probe_build(OSP_ECN, &pp, b, sizeof(b)), 52);
	assert_int_equal(pkt_get16(b + 20 + 18), 0xF7F5);
	assert_int_equal(os_probe_build(OSP_IE1, &pp, b, sizeof(b)), 148);
	assert_int_equal(b[20 + 1], 9);
	assert_int_equal(pkt_get16(b + 6), PKT_IP4_DF);
	assert_int_equal(os_probe_build(OSP_IE2, &pp, b, sizeof(b)), 178);
	assert_int_equal(b[1], 4);
	assert_int_equal(pkt_get16(b + 20 + 6), 296);
	assert_int_equal(os_probe_build(OSP_U1, &pp, b, sizeof(b)), 328);
	assert_int_equal(pkt_get16(b + 4), 0x1042);
	assert_int_equal(b[327], 'C');
}

/* the matcher: values, alternatives, ranges, T against TG, weights, the
 * family verdict, reasons, entries left out */
static void test_match(void **state)
{
	(void)state;
	char path[] = "/tmp/netkit-osdb-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *db_text = "# test\nweight SEQ.SP 1\nweight SEQ.TI 4\nweight SEQ.TS 4\n"
			      "weight T1.R 4\nweight T1.DF 4\nweight T1.T 4\nweight T1.F 4\n"
			      "calibration 0.90 0.97 9 10\n\n"
			      "match Alpha 1\nclass A | A | 1.X | general purpose\n"
			      "cpe cpe:/o:a:a:1\ntest SEQ SP=F0-110 TI=Z TS=U\n"
			      "test T1 R=Y DF=Y T=40 F=AS|AR\nend\n\n"
			      "match Beta\nclass B | B | | router\ntest T1 R=Y DF=N T=FF\nend\n";
	assert_int_equal(write(fd, db_text, strlen(db_text)), (ssize_t)strlen(db_text));
	close(fd);
	struct os_db *db;
	int bad;
	assert_int_equal(os_db_load(path, &db, &bad), 0);
	unlink(path);
	assert_int_equal(os_db_size(db), 2);
	struct os_match_res r;
	os_db_match(db, "SEQ(SP=106%TI=Z%TS=U)T1(R=Y%DF=Y%TG=40%F=AR)", NULL, &r);
	assert_int_equal(r.exact, 1);
	assert_int_equal(r.verdict, OS_EXACT);
	assert_string_equal(os_entry_name(r.g[0].e), "Alpha 1");
	assert_string_equal(os_entry_family(r.g[0].e), "A");
	assert_string_equal(os_entry_class(r.g[0].e, 0), "A | A | 1.X | general purpose");
	assert_string_equal(os_entry_cpe(r.g[0].e, 0), "cpe:/o:a:a:1");
	assert_int_equal(os_entry_line(r.g[0].e), 11);
	assert_string_equal(os_entry_name(r.rival), "Beta");
	/* the unstable rate differs: 24 of 25 weight points, family A */
	os_db_match(db, "SEQ(SP=200%TI=Z%TS=U)T1(R=Y%DF=Y%T=40%F=AS)", NULL, &r);
	assert_int_equal(r.exact, 0);
	assert_int_equal(r.verdict, OS_FAMILY);
	assert_true(r.g[0].acc > 0.95 && r.g[0].acc < 0.97);
	assert_true(r.margin > 0.6);
	assert_int_equal(r.calib_right, 9); /* 96%: in the calibration line's range */
	assert_int_equal(r.calib_cases, 10);
	assert_string_equal(r.why, "SEQ.SP=200 (known: F0-110)");
	assert_string_equal(r.support, "SEQ.TI=Z, SEQ.TS=U, T1.DF=Y"); /* Beta has R=Y too */
	/* family A left out: Beta is too far, unknown */
	struct os_skip skip = {.family = "A"};
	os_db_match(db, "SEQ(SP=106%TI=Z%TS=U)T1(R=Y%DF=Y%TG=40%F=AR)", &skip, &r);
	assert_int_equal(r.verdict, OS_UNKNOWN);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.why, "SEQ.SP=106 (known: not probed), SEQ.TI=Z (known: not probed), "
				   "SEQ.TS=U (known: not probed), T1.DF=Y (known: N), "
				   "T1.TG=40 (known: FF)");
	/* Beta was never given SEQ (no open port, as EDK II): all that Beta
	 * was seen answering agrees, but that is not all that was asked */
	os_db_match(db, "SEQ(SP=106%TI=Z%TS=U)T1(R=Y%DF=N%T=FF)", &skip, &r);
	assert_int_equal(r.exact, 0);
	assert_int_equal(r.verdict, OS_UNKNOWN);
	assert_true(r.g[0].acc > 0.55 && r.g[0].acc < 0.6); /* 12 of 21 weight points */
	os_db_match(db, "T1(R=Y%DF=N%T=FF)", &skip, &r);    /* asked as much as Beta was */
	assert_int_equal(r.verdict, OS_EXACT);
	/* an altered quoted checksum is the path's doing, not evidence */
	assert_true(os_path_sign("U1", "RIPCK", "I"));
	assert_false(os_path_sign("U1", "RIPCK", "G"));
	assert_false(os_path_sign("T1", "RIPCK", "I"));
	os_db_free(db);
	/* a bad weight line is refused with its line */
	char path2[] = "/tmp/netkit-osdb-XXXXXX";
	fd = mkstemp(path2);
	assert_int_equal(write(fd, "weight SEQ 1\n", 13), 13);
	close(fd);
	assert_int_equal(os_db_load(path2, &db, &bad), -EINVAL);
	assert_int_equal(bad, 1);
	unlink(path2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lab_linux),    cmocka_unit_test(test_no_u1),
		cmocka_unit_test(test_fixed_isn),    cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_ipid_classes), cmocka_unit_test(test_probes),
		cmocka_unit_test(test_match),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
