/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of port specifications and of the port/protocol tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/target/portspec.h"
#include "lib/target/services.h"

static const char table[] = "# comment\n"
			    "tcp 22 ssh 5 netbase\n"
			    "tcp 80 http 1 netbase\n"
			    "udp 53 domain 1 netbase\n"
			    "tcp 443 https 3 netbase\n"
			    "tcp 8080 http-proxy - nmap\n"
			    "tcp 23 telnet 2 netbase\n"
			    "udp 80 http - netbase\n"
			    "sctp 80 http 7 nmap\n"
			    "tcp 9 discard - iana\n"
			    "tcp 21 ftp 4 netbase\n";

static struct svc_db db;

static int setup(void **state)
{
	(void)state;
	char *t = strdup(table);
	int line = 0;
	assert_int_equal(svc_db_parse(&db, t, &line), 0);
	char *p = strdup("# x\n1 icmp iana\n6 tcp iana\n17 udp iana\n");
	assert_int_equal(svc_db_parse_protocols(&db, p, &line), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	svc_db_free(&db);
	return 0;
}

static char *ranges(const char *spec, unsigned unpre, int which)
{
	static struct portset ps;
	static char out[4096];
	char err[256];
	memset(&ps, 0, sizeof(ps));
	assert_int_equal(portspec_parse(spec, &db, unpre, &ps, err, sizeof(err)), 0);
	const uint64_t *b = which == 0 ? ps.tcp : which == 1 ? ps.udp : ps.proto;
	char *r = portset_ranges(b, which == 2 ? 256 : 65536);
	snprintf(out, sizeof(out), "%s", r);
	free(r);
	return out;
}

static void test_forms(void **state)
{
	(void)state;
	assert_string_equal(ranges("22", PS_TCP, 0), "22");
	assert_string_equal(ranges("1-1024,U:53,T:8080", PS_TCP | PS_UDP, 0), "1-1024,8080");
	assert_string_equal(ranges("22,U:2000,T:8080", PS_TCP | PS_UDP, 1), "22,2000");
	assert_string_equal(ranges("-", PS_TCP, 0), "1-65535");
	assert_string_equal(ranges("-100", PS_TCP, 0), "1-100");
	assert_string_equal(ranges("65530-", PS_TCP, 0), "65530-65535");
	assert_string_equal(ranges("0", PS_TCP, 0), "0");
	assert_string_equal(ranges("http,ssh", PS_TCP, 0), "22,80");
	assert_string_equal(ranges("http*", PS_TCP, 0), "80,443,8080");
	assert_string_equal(ranges("http", PS_TCP | PS_UDP, 1), "80");
	assert_string_equal(ranges("[1-100]", PS_TCP, 0), "9,21-23,80");
	assert_string_equal(ranges("1-3,P:17", PS_PROTO, 2), "1-3,17");
}

static void expect_err(const char *spec, unsigned unpre, const char *msg)
{
	struct portset *ps = calloc(1, sizeof(*ps));
	char err[256] = "";
	assert_int_equal(portspec_parse(spec, &db, unpre, ps, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, msg);
	free(ps);
}

static void test_errors(void **state)
{
	(void)state;
	expect_err("5-3", PS_TCP, "Your port range 5-3 is backwards. Did you mean 3-5?");
	expect_err("70000", PS_TCP, "Ports specified must be between 0 and 65535 inclusive");
	expect_err("foo", PS_TCP,
		   "Found no matches for the service mask 'foo' and your specified protocols");
	expect_err("x:22", PS_TCP, "Error parsing port list: Unknown protocol specifier 'x'.");
	expect_err("22,,80", PS_TCP,
		   "Error #485: Your port specifications are illegal.  Example of proper form: "
		   "\"-100,200-1024,T:3000-4000,U:60000-\"");
	expect_err("22-a", PS_TCP,
		   "Error #486: Your port specifications are illegal.  Example of proper form: "
		   "\"-100,200-1024,T:3000-4000,U:60000-\"");
	expect_err("300", PS_PROTO, "Protocols specified must be between 0 and 255 inclusive");
	/* numbers past 32 and 64 bits are out of range, never wrapped (issue 15) */
	const char *big[] = {"4294967297",  "1-4294967297",	    "T:4294967318",
			     "-4294967297", "18446744073709551617", NULL};
	for (size_t i = 0; big[i]; i++)
		expect_err(big[i], PS_TCP, "Ports specified must be between 0 and 65535 inclusive");
	expect_err("4294967297", PS_PROTO,
		   "Protocols specified must be between 0 and 255 inclusive");
	/* nmap's error numbers: where an element cannot start, after "-",
	 * after a number, after a range */
	const char *codes[][2] = {{"+22", "485"},  {"22,,80", "485"}, {"22, ", "485"},
				  {"Http", "485"}, {"22- 23", "486"}, {"22x", "487"},
				  {"22:", "487"},  {"1-2x", "488"},   {"1-2-3", "488"}};
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		char want[160];
		snprintf(want, sizeof(want),
			 "Error #%s: Your port specifications are illegal.  Example of proper "
			 "form: \"-100,200-1024,T:3000-4000,U:60000-\"",
			 codes[i][1]);
		expect_err(codes[i][0], PS_TCP, want);
	}
	expect_err("5-3x", PS_TCP, "Your port range 5-3 is backwards. Did you mean 3-5?");
	expect_err("5-3", PS_PROTO, "Your protocol range 5-3 is backwards. Did you mean 3-5?");
	expect_err("22]", PS_TCP, "Unexpected ] character in port/protocol specification");
	expect_err("[22,[80]]", PS_TCP, "Can't nest [] brackets in port/protocol specification");
	expect_err("T:", PS_TCP,
		   "No ports specified -- If you really don't want to scan any ports use ping "
		   "scan...");
	expect_err("t:22", PS_TCP, "Error parsing port list: Unknown protocol specifier 't'.");
}

/* Blanks, trailing commas, unclosed brackets as nmap takes them; the
 * prefixes in order and duplicates for the caller's warnings. */
static void test_lenient_forms_and_warnings(void **state)
{
	(void)state;
	assert_string_equal(ranges("22 -23, 80", PS_TCP, 0), "22-23,80");
	assert_string_equal(ranges("22,", PS_TCP, 0), "22");
	assert_string_equal(ranges("[22", PS_TCP, 0), "22");
	static struct portset ps;
	char err[256];
	memset(&ps, 0, sizeof(ps));
	assert_int_equal(portspec_parse("U:53,T:22,U:54,P:6", &db, PS_TCP, &ps, err, sizeof(err)),
			 0);
	assert_string_equal(ps.prefixes, "UTUP");
	assert_false(ps.dup);
	memset(&ps, 0, sizeof(ps));
	assert_int_equal(portspec_parse("1-5,3", &db, PS_TCP, &ps, err, sizeof(err)), 0);
	assert_true(ps.dup);
}

static void test_subtract_and_list(void **state)
{
	(void)state;
	struct portset *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	char err[64];
	assert_int_equal(portspec_parse("1-10", &db, PS_TCP, a, err, sizeof(err)), 0);
	assert_int_equal(portspec_parse("3-5,T:7", &db, PS_TCP, b, err, sizeof(err)), 0);
	portset_subtract(a, b);
	char *r = portset_ranges(a->tcp, 65536);
	assert_string_equal(r, "1-2,6,8-10");
	free(r);
	assert_int_equal(portset_count(a->tcp, 65536), 6);
	uint16_t v[6];
	assert_int_equal(portset_list(a->tcp, 65536, v), 6);
	ports_shuffle(v, 6, 42);
	int sum = 0;
	for (int i = 0; i < 6; i++)
		sum += v[i];
	assert_int_equal(sum, 1 + 2 + 6 + 8 + 9 + 10);
	free(a);
	free(b);
}

static void test_common_first(void **state)
{
	(void)state;
	uint16_t v[] = {9, 443, 7, 8, 22, 1, 80, 65535};
	assert_int_equal(ports_common_first(v, 8), 3);
	const uint16_t want[] = {443, 22, 80, 9, 7, 8, 1, 65535};
	assert_memory_equal(v, want, sizeof(want));
	uint16_t none[] = {1, 2};
	assert_int_equal(ports_common_first(none, 2), 0);
	assert_int_equal(none[0], 1);
	assert_int_equal(ports_common_first(none, 0), 0);
}

static void test_table(void **state)
{
	(void)state;
	const struct svc_entry *e = svc_lookup(&db, IPPROTO_TCP, 80);
	assert_non_null(e);
	assert_string_equal(e->name, "http");
	assert_null(svc_lookup(&db, IPPROTO_TCP, 81));
	assert_string_equal(svc_lookup(&db, IPPROTO_UDP, 53)->name, "domain");
	assert_string_equal(svc_proto_name(&db, 17), "udp");
	assert_null(svc_proto_name(&db, 200));
	uint16_t top[10];
	assert_int_equal(svc_top_ports(&db, IPPROTO_TCP, 3, top), 3);
	assert_int_equal(top[0], 80);
	assert_int_equal(top[1], 23);
	assert_int_equal(top[2], 443);
	/* then 21 and 22 (ranks 4, 5), then the unranked by number */
	assert_int_equal(svc_top_ports(&db, IPPROTO_TCP, 10, top), 7);
	assert_int_equal(top[4], 22);
	assert_int_equal(top[5], 9);
	assert_int_equal(top[6], 8080);
	assert_int_equal(svc_lookup(&db, IPPROTO_TCP, 80)->rank, 1);
	assert_int_equal(svc_lookup(&db, IPPROTO_TCP, 8080)->rank, 0);
}

static void test_bad_table(void **state)
{
	(void)state;
	struct svc_db d = {0};
	int line = 0;
	assert_int_equal(
		svc_db_parse(&d, strdup("tcp 22 ssh 1 netbase\ntcp 99999 x - nmap\n"), &line),
		-EINVAL);
	assert_int_equal(line, 2);
	assert_int_equal(svc_db_parse(&d, strdup("icmp 1 x 1 nmap\n"), &line), -EINVAL);
	assert_int_equal(svc_db_parse(&d, strdup("tcp 1 x 1\n"), &line), -EINVAL);
	assert_int_equal(svc_db_parse(&d, strdup("tcp 1 x 0.5 nmap\n"), &line), -EINVAL);
	assert_int_equal(svc_db_parse(&d, strdup("tcp 1 x 0 nmap\n"), &line), -EINVAL);
	assert_int_equal(svc_db_parse(&d, strdup("tcp 1 x 2 nmap-services\n"), &line), -EINVAL);
	assert_int_equal(svc_db_parse(&d, strdup("tcp 1 x 2 nmap extra\n"), &line), -EINVAL);
	assert_int_equal(svc_db_parse_protocols(&d, strdup("300 x iana\n"), &line), -EINVAL);
	assert_int_equal(svc_db_parse_protocols(&d, strdup("3 x\n"), &line), -EINVAL);
	assert_int_equal(svc_db_parse_protocols(&d, strdup("3 x y\n"), &line), -EINVAL);
	svc_db_free(&d);
}

/* The shipped tables load: netbase's names, nmap's printed names where
 * they differ, nmap's observed ranking (1000 TCP, 1000 UDP, 52 SCTP). */
static void test_shipped_table(void **state)
{
	(void)state;
	struct svc_db d = {0};
	int line = 0;
	assert_int_equal(svc_db_load(&d, NETKIT_SRCDATADIR "/nmap/services", &line), 0);
	assert_int_equal(svc_db_load_protocols(&d, NETKIT_SRCDATADIR "/nmap/protocols", &line), 0);
	assert_string_equal(svc_lookup(&d, IPPROTO_TCP, 22)->name, "ssh");
	assert_string_equal(svc_lookup(&d, IPPROTO_TCP, 8080)->name, "http-proxy");
	assert_string_equal(svc_lookup(&d, IPPROTO_TCP, 111)->name, "rpcbind");
	assert_string_equal(svc_proto_name(&d, 6), "tcp");
	assert_string_equal(svc_proto_name(&d, 48), "dsp"); /* nmap's, not IANA's DSR */
	assert_null(svc_proto_name(&d, 200));
	uint16_t top[1000];
	assert_int_equal(svc_top_ports(&d, IPPROTO_TCP, 1000, top), 1000);
	assert_int_equal(top[0], 80);
	assert_int_equal(svc_lookup(&d, IPPROTO_TCP, top[999])->rank, 1000);
	assert_int_equal(svc_top_ports(&d, IPPROTO_UDP, 1000, top), 1000);
	assert_int_equal(svc_lookup(&d, IPPROTO_UDP, top[999])->rank, 1000);
	size_t ranked = 0;
	for (size_t i = 0; i < d.n; i++)
		ranked += d.v[i].proto == IPPROTO_SCTP && d.v[i].rank;
	assert_int_equal(ranked, 52);
	assert_int_equal(svc_db_load_macs(&d, NETKIT_SRCDATADIR "/nmap/mac-prefixes", &line), 0);
	const uint8_t xerox[6] = {0, 0, 0, 1, 2, 3}, local[6] = {0x96, 0x37, 0xd5, 1, 2, 3};
	assert_string_equal(svc_mac_vendor(&d, xerox), "Xerox");
	const uint8_t cisco[6] = {0, 0, 0x0c, 1, 2, 3};
	assert_string_equal(svc_mac_vendor(&d, cisco), "Cisco Systems");
	assert_null(svc_mac_vendor(&d, local));
	svc_db_free(&d);
}

static void test_bad_macs(void **state)
{
	(void)state;
	struct svc_db d = {0};
	int line = 0;
	assert_int_equal(svc_db_parse_macs(&d, strdup("# c\n001122 Acme Corp\n0011 x\n"), &line),
			 -EINVAL);
	assert_int_equal(line, 3);
	assert_int_equal(svc_db_parse_macs(&d, strdup("00112G Bad\n"), &line), -EINVAL);
	assert_int_equal(svc_db_parse_macs(&d, strdup("001122\n"), &line), -EINVAL);
	assert_int_equal(svc_db_parse_macs(&d, strdup("001122 Acme Corp\r\n"), &line), 0);
	const uint8_t m[6] = {0, 0x11, 0x22, 0, 0, 0};
	assert_string_equal(svc_mac_vendor(&d, m), "Acme Corp");
	svc_db_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_lenient_forms_and_warnings),
		cmocka_unit_test(test_subtract_and_list),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_common_first),
		cmocka_unit_test(test_bad_table),
		cmocka_unit_test(test_shipped_table),
		cmocka_unit_test(test_bad_macs),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
