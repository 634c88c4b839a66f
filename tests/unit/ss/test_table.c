/* SPDX-License-Identifier: Apache-2.0 */
/* ss column layout: widths from the widest field, right-aligned address
 * columns, delimiters, the unmeasured last field, and batches. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cmd/ss/table.h"
#include "tbl_text.h"

static void put(struct ss_table *t, const char *s)
{
	tbl_put(t, s, strlen(s));
}

static void row(struct ss_table *t, const char *st, const char *la, const char *lp, const char *ra,
		const char *rp, const char *ext)
{
	tbl_set(t, COL_NETID);
	put(t, "tcp");
	tbl_set(t, COL_STATE);
	put(t, st);
	tbl_set(t, COL_RECVQ);
	put(t, "0     ");
	tbl_set(t, COL_SENDQ);
	put(t, "0     ");
	tbl_set(t, COL_ADDR);
	put(t, la);
	put(t, ":");
	tbl_next(t);
	put(t, lp);
	tbl_next(t);
	put(t, ra);
	put(t, ":");
	tbl_next(t);
	put(t, rp);
	tbl_next(t);
	put(t, ext);
}

static void fill_two(struct ss_table *t, struct emit *e, const void *arg)
{
	(void)e;
	(void)arg;
	tbl_header(t);
	row(t, "LISTEN", "0.0.0.0", "22", "0.0.0.0", "*", "");
	row(t, "ESTAB", "127.0.0.1", "22", "127.0.0.1", "40000", " users:((\"a\",pid=1,fd=3))");
}

static void test_layout(void **state)
{
	(void)state;
	char *s = tbl_text(fill_two, NULL, false);
	/* the last line's Process field is never measured (iproute2 renders
	 * before flushing it), so it does not widen its column */
	const char *want = "State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n"
			   "LISTEN 0      0            0.0.0.0:22        0.0.0.0:*           \n"
			   "ESTAB  0      0          127.0.0.1:22      127.0.0.1:40000 "
			   "users:((\"a\",pid=1,fd=3))\n";
	assert_string_equal(s, want);
	free(s);
}

static void fill_header_only(struct ss_table *t, struct emit *e, const void *arg)
{
	(void)e;
	(void)arg;
	tbl_header(t);
}

static void test_header_only(void **state)
{
	(void)state;
	char *s = tbl_text(fill_header_only, NULL, true);
	assert_string_equal(
		s, "Netid State Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n");
	free(s);
}

static void fill_many(struct ss_table *t, struct emit *e, const void *arg)
{
	(void)e;
	(void)arg;
	tbl_header(t);
	char buf[64];
	for (int i = 0; i < 200000; i++) {
		snprintf(buf, sizeof(buf), "%d", i);
		row(t, "ESTAB", "10.0.0.1", buf, "10.0.0.2", "80", "");
	}
}

static void test_batches(void **state)
{
	(void)state;
	char *s = tbl_text(fill_many, NULL, false);
	/* rendered in several batches; widths only grow, so every line has
	 * the Local Address column right-aligned under the header */
	size_t lines = 0;
	for (char *p = s; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 200001);
	assert_non_null(strstr(s, "   10.0.0.1:199999 "));
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_header_only),
		cmocka_unit_test(test_batches),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
