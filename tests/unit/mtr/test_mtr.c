/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for mtr's statistics (mtr's own definitions), report cells,
 * field letters, and the DNS reverse names AS lookups use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "cmd/mtr/mtr.h"
#include "engine/trace/trace.h"
#include "lib/dns/dns.h"

static void test_stats_sequence(void **st)
{
	struct trace_stats s = {0};
	const int rtt[] = {1000, 3000, 2000};

	(void)st;
	for (int i = 0; i < 3; i++) {
		trace_stats_sent(&s);
		assert_true(s.transit);
		trace_stats_reply(&s, rtt[i]);
		assert_false(s.transit);
	}
	assert_int_equal(s.xmit, 3);
	assert_int_equal(s.returned, 3);
	assert_int_equal(s.best, 1000);
	assert_int_equal(s.worst, 3000);
	assert_int_equal(s.last, 2000);
	assert_int_equal((int)s.avg, 2000);
	assert_int_equal(trace_stats_stdev(&s), 1000);
	assert_int_equal(s.jitter, 1000);
	assert_int_equal(s.jworst, 2000);
	assert_int_equal((int)s.javg, 1000);
	/* RFC 1889 A.8 as mtr runs it: 0, 2000, 2000 + 1000 - 125 */
	assert_int_equal(s.jinta, 2875);
	assert_int_equal((int)s.gmean, 1817);
	assert_int_equal(trace_stats_loss(&s), 0);
	assert_int_equal(trace_stats_drop(&s), 0);
}

static void test_stats_loss(void **st)
{
	struct trace_stats s = {0};

	(void)st;
	/* 3 answered, 1 lost, 1 still in flight (not counted, as in mtr) */
	for (int i = 0; i < 4; i++) {
		trace_stats_sent(&s);
		if (i != 1)
			trace_stats_reply(&s, 500);
	}
	trace_stats_sent(&s);
	assert_int_equal(s.xmit, 5);
	assert_int_equal(trace_stats_loss(&s), 25000);
	assert_int_equal(trace_stats_drop(&s), 1);
	/* 1 of 3 lost: mtr truncates to thousandths, 33.333% */
	memset(&s, 0, sizeof(s));
	for (int i = 0; i < 3; i++) {
		trace_stats_sent(&s);
		if (i)
			trace_stats_reply(&s, 500);
	}
	assert_int_equal(trace_stats_loss(&s), 33333);
	/* nothing sent: 0, never a division by zero */
	memset(&s, 0, sizeof(s));
	assert_int_equal(trace_stats_loss(&s), 0);
	trace_stats_sent(&s);
	assert_int_equal(trace_stats_loss(&s), 0);
}

static void test_cells(void **st)
{
	struct trace_stats s = {0};
	char b[32];

	(void)st;
	trace_stats_sent(&s);
	trace_stats_sent(&s);
	mtr_cell(mtr_field_find('L'), &s, b, sizeof(b));
	/* 100% loss overflows the 6-wide column, as in mtr */
	assert_string_equal(b, " 100.0%");
	mtr_cell(mtr_field_find('S'), &s, b, sizeof(b));
	assert_string_equal(b, "     2");
	trace_stats_reply(&s, 12345);
	mtr_cell(mtr_field_find('A'), &s, b, sizeof(b));
	assert_string_equal(b, "  12.3");
	mtr_cell(mtr_field_find(' '), &s, b, sizeof(b));
	assert_string_equal(b, " ");
	assert_null(mtr_field_find('Q'));
	for (const char *k = "LDRSNBAWVGJMXI "; *k; k++)
		assert_non_null(mtr_field_find(*k));
}

static void test_rev_names(void **st)
{
	struct sockaddr_in s4 = {.sin_family = AF_INET};
	struct sockaddr_in6 s6 = {.sin6_family = AF_INET6};
	char b[128];

	(void)st;
	inet_pton(AF_INET, "198.18.1.2", &s4.sin_addr);
	assert_int_equal(dns_rev_name((struct sockaddr *)&s4, "origin.asn.cymru.com", b, sizeof(b)),
			 31);
	assert_string_equal(b, "2.1.18.198.origin.asn.cymru.com");
	assert_true(dns_rev_name((struct sockaddr *)&s4, "in-addr.arpa", b, 10) < 0);
	inet_pton(AF_INET6, "2001:db8::1", &s6.sin6_addr);
	assert_true(dns_rev_name((struct sockaddr *)&s6, "ip6.arpa", b, sizeof(b)) > 0);
	assert_string_equal(
		b, "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
	assert_true(dns_rev_name((struct sockaddr *)&s6, "ip6.arpa", b, 40) < 0);
}

/* mtr's integer options (strtoul): digits after blanks and '+', below the
 * limit; every '-' but "-0" wraps and fails */
static void test_parse_num(void **st)
{
	unsigned long v = 7;

	(void)st;
	assert_int_equal(mtr_parse_num("64", INT_MAX, &v), 0);
	assert_int_equal(v, 64);
	assert_int_equal(mtr_parse_num(" +64", INT_MAX, &v), 0);
	assert_int_equal(v, 64);
	assert_int_equal(mtr_parse_num("-0", INT_MAX, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(mtr_parse_num("2147483646", INT_MAX, &v), 0);
	assert_int_equal(v, 2147483646);
	assert_int_equal(mtr_parse_num("4294967294", UINT32_MAX, &v), 0);
	static const char *const bad[] = {"-1", "-5",  "2147483647", "99999999999",	    "0x10",
					  "",	"64k", "1.5",	     "-9223372036854775809"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 7;
		assert_int_equal(mtr_parse_num(bad[i], INT_MAX, &v), -EINVAL);
		assert_int_equal(v, 7);
	}
	assert_int_equal(mtr_parse_num("4294967295", UINT32_MAX, &v), -EINVAL);
	assert_string_equal(mtr_size_error(-EINVAL), "mtr-packet reported invalid argument");
	assert_string_equal(mtr_size_error(-EMSGSIZE), "Unexpected mtr-packet error");
}

/* mtr-packet's limits: 9000 bytes (IPv4), 9040 (IPv6), the route's MTU for
 * IPv4 ICMP/UDP, nothing for TCP; random sizes by their largest */
static void test_size_check(void **st)
{
	(void)st;
	assert_int_equal(trace_size_check(AF_INET, TRACE_ICMP, 1500, 1500), 0);
	assert_int_equal(trace_size_check(AF_INET, TRACE_ICMP, 1500, 1501), -EMSGSIZE);
	assert_int_equal(trace_size_check(AF_INET, TRACE_UDP, 1500, 1501), -EMSGSIZE);
	assert_int_equal(trace_size_check(AF_INET, TRACE_ICMP, 9000, 9000), 0);
	assert_int_equal(trace_size_check(AF_INET, TRACE_ICMP, 65535, 9001), -EINVAL);
	assert_int_equal(trace_size_check(AF_INET, TRACE_UDP, 1500, 9001), -EINVAL);
	assert_int_equal(trace_size_check(AF_INET, TRACE_ICMP, 0, 9000), 0);
	assert_int_equal(trace_size_check(AF_INET, TRACE_ICMP, 1500, 0), 0);
	assert_int_equal(trace_size_check(AF_INET6, TRACE_ICMP, 1500, 9040), 0);
	assert_int_equal(trace_size_check(AF_INET6, TRACE_UDP, 1500, 9041), -EINVAL);
	assert_int_equal(trace_size_check(AF_INET, TRACE_TCP, 1500, 100000), 0);
	assert_int_equal(trace_size_check(AF_INET6, TRACE_TCP, 1500, INT_MAX), 0);
	assert_int_equal(trace_size_check(AF_INET, TRACE_ICMP, 1500, -1501), 0);
	assert_int_equal(trace_size_check(AF_INET, TRACE_ICMP, 1500, -1502), -EMSGSIZE);
	assert_int_equal(trace_size_check(AF_INET, TRACE_ICMP, 1500, INT_MIN), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_sequence), cmocka_unit_test(test_stats_loss),
		cmocka_unit_test(test_cells),	       cmocka_unit_test(test_rev_names),
		cmocka_unit_test(test_parse_num),      cmocka_unit_test(test_size_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
