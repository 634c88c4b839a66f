/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of target specifications: parsing (what is accepted, what is
 * malformed and with which message) and expansion order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/target/target.h"

/* Expand specs (NULL-terminated) into one space-separated string. */
static char *expand(int af, const char *const *specs, size_t max)
{
	struct target_list l = {0};
	char msg[256];
	for (size_t i = 0; specs[i]; i++)
		assert_true(target_list_add(&l, specs[i], af, msg, sizeof(msg)) >= 0);
	static char out[65536];
	out[0] = '\0';
	struct target_iter it = {0};
	struct sockaddr_storage ss;
	const struct target_spec *t;
	size_t n = 0;
	while (n < max && target_next(&l, &it, &ss, &t) == 1) {
		char a[64];
		const void *p = ss.ss_family == AF_INET
					? (const void *)&((struct sockaddr_in *)&ss)->sin_addr
					: (const void *)&((struct sockaddr_in6 *)&ss)->sin6_addr;
		inet_ntop(ss.ss_family, p, a, sizeof(a));
		if (n++)
			strcat(out, " ");
		strcat(out, a);
	}
	target_list_free(&l);
	return out;
}

static void test_single_and_cidr(void **state)
{
	(void)state;
	const char *a[] = {"10.0.0.1", NULL};
	assert_string_equal(expand(AF_INET, a, 100), "10.0.0.1");
	const char *b[] = {"10.0.0.5/30", NULL};
	assert_string_equal(expand(AF_INET, b, 100), "10.0.0.4 10.0.0.5 10.0.0.6 10.0.0.7");
	const char *c[] = {"10.0.0.1/31", "192.168.1.255/32", NULL};
	assert_string_equal(expand(AF_INET, c, 100), "10.0.0.0 10.0.0.1 192.168.1.255");
	const char *d[] = {"1.2.3.4/0", NULL};
	assert_string_equal(expand(AF_INET, d, 3), "0.0.0.0 0.0.0.1 0.0.0.2");
}

static void test_octet_ranges(void **state)
{
	(void)state;
	const char *a[] = {"10.1-2.0.1,5,7-8", NULL};
	assert_string_equal(expand(AF_INET, a, 100), "10.1.0.1 10.1.0.5 10.1.0.7 10.1.0.8 "
						     "10.2.0.1 10.2.0.5 10.2.0.7 10.2.0.8");
	const char *b[] = {"10.0.0.254-", NULL};
	assert_string_equal(expand(AF_INET, b, 100), "10.0.0.254 10.0.0.255");
	const char *c[] = {"10.0.0.-1", NULL};
	assert_string_equal(expand(AF_INET, c, 100), "10.0.0.0 10.0.0.1");
	const char *d[] = {"10.0.0.*", NULL};
	char *s = expand(AF_INET, d, 1000);
	assert_non_null(strstr(s, "10.0.0.0 10.0.0.1 "));
	assert_non_null(strstr(s, " 10.0.0.255"));
	const char *e[] = {"010.0.0.1", NULL};
	assert_string_equal(expand(AF_INET, e, 100), "10.0.0.1");
}

static void test_ipv6(void **state)
{
	(void)state;
	const char *a[] = {"fd00::/126", NULL};
	assert_string_equal(expand(AF_INET6, a, 100), "fd00:: fd00::1 fd00::2 fd00::3");
	const char *b[] = {"2001:db8::ff/120", NULL};
	char *s = expand(AF_INET6, b, 1000);
	assert_non_null(strstr(s, "2001:db8:: 2001:db8::1 "));
	assert_non_null(strstr(s, " 2001:db8::ff"));
	const char *c[] = {"::/0", NULL};
	assert_string_equal(expand(AF_INET6, c, 2), ":: ::1");
}

static void expect_err(const char *spec, int af, int rc, const char *msg)
{
	struct target_spec t;
	char m[256] = "";
	assert_int_equal(target_parse(spec, af, &t, m, sizeof(m)), rc);
	assert_string_equal(m, msg);
	if (rc >= 0) {
		free(t.text);
		free(t.name);
	}
}

static void test_malformed(void **state)
{
	(void)state;
	expect_err("10.0.0.5-3", AF_INET, -EINVAL, "Failed to resolve \"10.0.0.5-3\".");
	expect_err("10.0.0.256", AF_INET, -EINVAL, "Failed to resolve \"10.0.0.256\".");
	expect_err("10.0.0.1,,2", AF_INET, -EINVAL, "Failed to resolve \"10.0.0.1,,2\".");
	expect_err("1.2.3.4.5", AF_INET, -EINVAL, "Failed to resolve \"1.2.3.4.5\".");
	expect_err("10.0.0.1/abc", AF_INET, -EINVAL,
		   "Unable to split netmask from target expression: \"10.0.0.1/abc\"");
	expect_err("fd00::1", AF_INET, -EINVAL,
		   "fd00::1 looks like an IPv6 target specification -- you have to use the -6 "
		   "option.");
	expect_err("10.0.0.1/33", AF_INET, 1,
		   "Illegal netmask in \"10.0.0.1/33\". Assuming /32 (one host)");
}

/* nmap -6 takes an IPv4 spec for a host name (the lookup then finds no
 * IPv6 address: "Warning: Hostname 10.0.0.0 resolves, but not to any
 * IPv6 address"), without its mask. */
static void test_v4_spec_with_v6(void **state)
{
	(void)state;
	const char *specs[][2] = {{"10.0.0.1", "10.0.0.1"},
				  {"10.0.0.0/30", "10.0.0.0"},
				  {"10.0.0.1-3", "10.0.0.1-3"}};
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		struct target_spec t;
		char m[256] = "";
		assert_int_equal(target_parse(specs[i][0], AF_INET6, &t, m, sizeof(m)), 0);
		assert_int_equal(t.kind, TGT_NAME);
		assert_string_equal(t.name, specs[i][1]);
		free(t.text);
		free(t.name);
	}
}

/* Numbers too large for their field are errors, never wrapped into a
 * valid value: 4294967296 read into 32 bits is 0, 4294967297 is 1, and
 * nmap 7.93 says Failed to resolve for each (issue 15). */
static void test_numbers_do_not_wrap(void **state)
{
	(void)state;
	const char *bad[] = {"4294967296.1.1.1",
			     "1.1.1.4294967297-4294967298",
			     "1.1.1.4294967297,2",
			     "1.1.1.-4294967297",
			     "1.4294967552.1.1",
			     "1.1.1.2-4294967297",
			     "18446744073709551617.1.1.1",
			     "1.1.1.256-",
			     NULL};
	for (size_t i = 0; bad[i]; i++) {
		char want[128];
		snprintf(want, sizeof(want), "Failed to resolve \"%s\".", bad[i]);
		expect_err(bad[i], AF_INET, -EINVAL, want);
	}
	const char *ok[] = {"1.1.1.00000000001", "1.1.1.0000255-255", NULL};
	assert_string_equal(expand(AF_INET, ok, 100), "1.1.1.1 1.1.1.255");
	/* CIDR bits: beyond INT_MAX nmap cannot split them */
	expect_err("1.1.1.1/4294967328", AF_INET, -EINVAL,
		   "Unable to split netmask from target expression: \"1.1.1.1/4294967328\"");
	expect_err("1.1.1.1/2147483648", AF_INET, -EINVAL,
		   "Unable to split netmask from target expression: \"1.1.1.1/2147483648\"");
	expect_err("1.1.1.1/2147483647", AF_INET, 1,
		   "Illegal netmask in \"1.1.1.1/2147483647\". Assuming /32 (one host)");
	expect_err("::1/2147483648", AF_INET6, -EINVAL,
		   "Unable to split netmask from target expression: \"::1/2147483648\"");
	/* IPv6: above 128 is /128 without a word, as nmap */
	expect_err("fd00::/129", AF_INET6, 0, "");
	const char *v6[] = {"fd00::/129", NULL};
	assert_string_equal(expand(AF_INET6, v6, 100), "fd00::");
	/* a zone index beyond 32 bits is no zone 1 */
	expect_err("fe80::1%4294967297", AF_INET6, -EINVAL,
		   "Failed to resolve \"fe80::1%4294967297\".");
	expect_err("fe80::1%1x", AF_INET6, -EINVAL, "Failed to resolve \"fe80::1%1x\".");
	struct target_spec t;
	char m[256] = "";
	assert_int_equal(target_parse("fe80::1%4294967295", AF_INET6, &t, m, sizeof(m)), 0);
	assert_int_equal(t.scope_id, 4294967295u);
	free(t.text);
}

/* The other addresses of a name are listed once each, compared whole:
 * 10.0.0.1 is not already listed because 10.0.0.10 is. */
static void test_others_whole_words(void **state)
{
	(void)state;
	struct target_spec t = {0};
	assert_int_equal(target_others_add(&t, "10.0.0.10"), 0);
	assert_int_equal(target_others_add(&t, "10.0.0.1"), 0);
	assert_int_equal(target_others_add(&t, "0.0.0.1"), 0);
	assert_int_equal(target_others_add(&t, "10.0.0.1"), 0);
	assert_int_equal(target_others_add(&t, "10.0.0.10"), 0);
	assert_int_equal(target_others_add(&t, "fd00::1"), 0);
	assert_int_equal(target_others_add(&t, "fd00::"), 0);
	assert_string_equal(t.others, "10.0.0.10 10.0.0.1 0.0.0.1 fd00::1 fd00::");
	free(t.others);
}

static void test_names(void **state)
{
	(void)state;
	struct target_spec t;
	char m[256];
	assert_int_equal(target_parse("localhost", AF_INET, &t, m, sizeof(m)), 0);
	assert_int_equal(t.kind, TGT_NAME);
	assert_string_equal(t.name, "localhost");
	assert_int_equal(t.prefix, -1);
	free(t.text);
	free(t.name);
	assert_int_equal(target_parse("web.lab/30", AF_INET, &t, m, sizeof(m)), 0);
	assert_string_equal(t.name, "web.lab");
	assert_int_equal(t.prefix, 30);
	free(t.text);
	free(t.name);
	/* inet_aton's short forms are names to nmap (resolved by the system) */
	assert_int_equal(target_parse("1.2.3", AF_INET, &t, m, sizeof(m)), 0);
	assert_int_equal(t.kind, TGT_NAME);
	free(t.text);
	free(t.name);
}

static void test_exclude(void **state)
{
	(void)state;
	struct target_list ex = {0};
	char m[256];
	assert_int_equal(target_list_add(&ex, "10.0.0.0/30", AF_INET, m, sizeof(m)), 0);
	assert_int_equal(target_list_add(&ex, "10.1.1-2.7", AF_INET, m, sizeof(m)), 0);
	struct sockaddr_in a = {.sin_family = AF_INET};
	inet_pton(AF_INET, "10.0.0.3", &a.sin_addr);
	assert_true(target_list_contains(&ex, (struct sockaddr_storage *)&a));
	inet_pton(AF_INET, "10.0.0.4", &a.sin_addr);
	assert_false(target_list_contains(&ex, (struct sockaddr_storage *)&a));
	inet_pton(AF_INET, "10.1.2.7", &a.sin_addr);
	assert_true(target_list_contains(&ex, (struct sockaddr_storage *)&a));
	inet_pton(AF_INET, "10.1.3.7", &a.sin_addr);
	assert_false(target_list_contains(&ex, (struct sockaddr_storage *)&a));
	target_list_free(&ex);
}

static int collect(void *ctx, const char *w)
{
	strcat(ctx, w);
	strcat(ctx, "|");
	return 0;
}

static void test_words(void **state)
{
	(void)state;
	char text[] = "10.0.0.1 10.0.0.2\n# a comment 1.1.1.1\n\tweb.lab#trailing\n\n";
	char out[256] = "";
	assert_int_equal(target_words(text, collect, out), 0);
	assert_string_equal(out, "10.0.0.1|10.0.0.2|web.lab|");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_and_cidr),
		cmocka_unit_test(test_octet_ranges),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_v4_spec_with_v6),
		cmocka_unit_test(test_numbers_do_not_wrap),
		cmocka_unit_test(test_others_whole_words),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_exclude),
		cmocka_unit_test(test_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
