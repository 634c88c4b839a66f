/* Unit tests for mtr's statistics (mtr's own definitions), report cells,
 * field letters, and the DNS reverse names AS lookups use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_sequence),
		cmocka_unit_test(test_stats_loss),
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_rev_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
