/* SPDX-License-Identifier: Apache-2.0 */
/* nmap front end: -v / -d levels as nmap 7.93 reads them (digits set,
 * letters add, -d drags the verbosity along, 10 at most, anything else
 * refused with exit 1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cmd/nmap/nmap.h"

/* parse "nmap ARGS..." (space-separated, no target), return the exit code */
static int parse(const char *args, int *verbose, int *debug)
{
	char buf[256];
	char *argv[32] = {"nmap"};
	int argc = 1;
	snprintf(buf, sizeof(buf), "%s", args);
	for (char *t = strtok(buf, " "); t && argc < 31; t = strtok(NULL, " "))
		argv[argc++] = t;
	struct nmap_opts *o = calloc(1, sizeof(*o));
	assert_non_null(o);
	int rc = nmap_parse_args(argc, argv, o);
	*verbose = o->verbose;
	*debug = o->debug;
	free(o->targets);
	free(o);
	return rc;
}

static void expect(const char *args, int v, int d)
{
	int gv = -1, gd = -1;
	assert_int_equal(parse(args, &gv, &gd), 0);
	if (gv != v || gd != d)
		fail_msg("%s: verbose %d debug %d, want %d %d", args, gv, gd, v, d);
}

static void test_levels(void **state)
{
	(void)state;
	expect("-v", 1, 0);
	expect("-vvv", 3, 0);
	expect("-v -v -v", 3, 0);
	expect("-v007", 7, 0);
	expect("-v3x", 3, 0); /* atoi: the digits only */
	expect("-v11", 10, 0);
	expect("-v10 -v", 10, 0);
	expect("-vvvvvvvvvvvv", 10, 0);
	expect("-v99999999999999999999", 0, 0); /* atoi's overflow, then the box */
	expect("-d", 1, 1);
	expect("-dd", 2, 2);
	expect("-v3 -d", 4, 1);
	expect("-d -v3", 3, 1);
	expect("-vvvvv -dd", 7, 2);
	expect("-v5 -d2", 2, 2);
	expect("-v9 -d3 -v", 4, 3);
	expect("-dddddddddddd", 10, 10);
	expect("-d99", 10, 10);
}

static void test_bad_levels(void **state)
{
	(void)state;
	const char *bad[] = {"-vx", "-dx", "-vvx", "-vv1", "-v-1", "-dd3", "-d-"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int v, d;
		if (parse(bad[i], &v, &d) != 1)
			fail_msg("%s accepted", bad[i]);
	}
}

/* --scanflags as nmap 7.93 takes it (its XML and --packet-trace say
 * which flags it sent for each of these) */
static void test_scanflags(void **state)
{
	(void)state;
	assert_int_equal(nmap_parse_scanflags("SYN"), 0x02);
	assert_int_equal(nmap_parse_scanflags("synack"), 0x12);
	assert_int_equal(nmap_parse_scanflags("SYN,ACK"), 0x12);
	assert_int_equal(nmap_parse_scanflags("URGPSHFIN"), 0x29);
	assert_int_equal(nmap_parse_scanflags("ECECWR"), 0xc0);
	assert_int_equal(nmap_parse_scanflags("FOO"), 0);
	assert_int_equal(nmap_parse_scanflags("0x29"), 0x29);
	assert_int_equal(nmap_parse_scanflags("255"), 255);
	assert_int_equal(nmap_parse_scanflags("0"), 0);
	assert_int_equal(nmap_parse_scanflags("256"), -1);
	assert_int_equal(nmap_parse_scanflags("0x1ff"), -1);
	assert_int_equal(nmap_parse_scanflags("3x"), -1);
}

static void test_hex(void **state)
{
	(void)state;
	uint8_t b[8];
	assert_int_equal(nmap_parse_hex("0xdeadbeef01", b, sizeof(b)), 5);
	assert_memory_equal(b, "\xde\xad\xbe\xef\x01", 5);
	assert_int_equal(nmap_parse_hex("CAFE", b, sizeof(b)), 2);
	assert_memory_equal(b, "\xca\xfe", 2);
	const char *bad[] = {"", "0x", "0xabc", "zz", "0xab,cd", "ab:cd", "0x001122334455667788"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (nmap_parse_hex(bad[i], b, sizeof(b)) >= 0)
			fail_msg("%s accepted", bad[i]);
}

/* --ip-options as nmap 7.93 puts them on the wire (captured in the lab) */
static void test_ipopts(void **state)
{
	(void)state;
	struct nmap_opts *o = calloc(1, sizeof(*o));
	assert_non_null(o);
	assert_int_equal(nmap_opt_ipopts(o, "L 198.18.1.1 198.18.12.2"), 0);
	assert_int_equal(o->cfg.ipoptslen, 16);
	assert_memory_equal(o->cfg.ipopts,
			    "\x01\x83\x0f\x04\xc6\x12\x01\x01\xc6\x12\x0c\x02\0\0\0\0", 16);
	assert_int_equal(o->cfg.ipopt_srr, 12);
	assert_int_equal(nmap_opt_ipopts(o, "R 1.2.3.4"), 0);
	assert_int_equal(o->cfg.ipoptslen, 40);
	assert_memory_equal(o->cfg.ipopts, "\x01\x07\x27\x04\x01\x02\x03\x04\0", 9);
	assert_int_equal(o->cfg.ipopt_srr, -1);
	assert_int_equal(nmap_opt_ipopts(o, "U"), 0);
	assert_int_equal(o->cfg.ipoptslen, 36);
	assert_memory_equal(o->cfg.ipopts, "\x44\x24\x05\x01\0", 5);
	assert_int_equal(nmap_opt_ipopts(o, "\\x44\\x0c\\x05\\x00\\x00*8"), 0);
	assert_int_equal(o->cfg.ipoptslen, 12);
	assert_memory_equal(o->cfg.ipopts, "\x44\x0c\x05\0\0\0\0\0\0\0\0\0", 12);
	const char *bad[] = {
		"r",
		"RT",
		"T 1.2.3.4",
		"\\x07\\x07\\x04",
		"\\x01*41",
		"\\xzz",
		"L 1.1.1.1 2.2.2.2 3.3.3.3 4.4.4.4 5.5.5.5 6.6.6.6 7.7.7.7 8.8.8.8 9.9.9.9"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (nmap_opt_ipopts(o, bad[i]) != 1)
			fail_msg("%s accepted", bad[i]);
	free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_levels),	  cmocka_unit_test(test_bad_levels),
		cmocka_unit_test(test_scanflags), cmocka_unit_test(test_hex),
		cmocka_unit_test(test_ipopts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
