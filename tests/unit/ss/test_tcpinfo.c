/* -i's text pieces: MD5 keys escaped as iproute2 escapes them, timers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cmd/ss/tcpinfo.h"

static void test_escape_key(void **state)
{
	(void)state;
	char out[4 * 80 + 1];
	const uint8_t plain[] = "secret";
	assert_int_equal(ss_escape_key(plain, 6, out), 6);
	assert_string_equal(out, "secret");
	/* blank, comma and backslash separate keys in the text: escaped */
	const uint8_t odd[] = {'a', ' ', 'b', ',', 'c', '\\', 'd', 1, 0x7f, 0xff, 0, '~', '!'};
	ss_escape_key(odd, sizeof(odd), out);
	assert_string_equal(out, "a\\040b\\054c\\134d\\001\\177\\377\\000~!");
	assert_int_equal(ss_escape_key(odd, 0, out), 0);
	assert_string_equal(out, "");
	uint8_t all[80];
	memset(all, 0x80, sizeof(all));
	assert_int_equal(ss_escape_key(all, sizeof(all), out), 320);
}

static void test_ms_timer(void **state)
{
	(void)state;
	char buf[64];
	assert_string_equal(ss_ms_timer(250, buf, sizeof(buf)), "250ms");
	assert_string_equal(ss_ms_timer(1250, buf, sizeof(buf)), "1.250ms");
	assert_string_equal(ss_ms_timer(12000, buf, sizeof(buf)), "12sec");
	assert_string_equal(ss_ms_timer(61000, buf, sizeof(buf)), "1min1sec");
	assert_string_equal(ss_ms_timer(650000, buf, sizeof(buf)), "10min");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_key),
		cmocka_unit_test(test_ms_timer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
