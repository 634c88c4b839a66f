/* SPDX-License-Identifier: Apache-2.0 */
/* ss's readers of /proc/net/unix, packet and netlink lines (PROC_NET_*):
 * fields as iproute2 6.1's sscanf takes them, what a short line keeps from
 * the line before, and the unix state from Flags and St. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "cmd/ss/ss.h"

static void test_unix_line(void **state)
{
	(void)state;
	struct ss_unix_rec u = {0};
	assert_int_equal(ss_unix_parse("00000000ca23f500: 00000002 00000000 00010000 0001 01 "
				       "7003120 /tmp/sock\n",
				       &u),
			 8);
	assert_int_equal(u.num, 0xca23f500u);
	assert_int_equal(u.ref, 2);
	assert_int_equal(u.flags, 0x10000);
	assert_int_equal(u.type, SOCK_STREAM);
	assert_int_equal(u.st, 1);
	assert_int_equal(u.ino, 7003120);
	assert_string_equal(u.name, "/tmp/sock");
	assert_int_equal(ss_unix_rec_state(&u), SS_LISTEN);
	/* no path: 7 fields, no name */
	assert_int_equal(ss_unix_parse("0000000000000000: 00000003 00000000 00000000 0001 03 "
				       "7003121\n",
				       &u),
			 7);
	assert_string_equal(u.name, "");
	assert_int_equal(ss_unix_rec_state(&u), SS_ESTABLISHED);
}

static void test_unix_short(void **state)
{
	(void)state;
	struct ss_unix_rec u = {0};
	ss_unix_parse("0000000000000000: 00000002 00000000 00010000 0001 01 5 /a\n", &u);
	/* nothing matched: all zero but flags, kept as iproute2 keeps them */
	assert_int_equal(ss_unix_parse("garbage\n", &u), 0);
	assert_int_equal(u.flags, 0x10000);
	assert_int_equal(u.ino, 0);
	assert_int_equal(u.type, 0);
	assert_string_equal(u.name, "");
	assert_int_equal(ss_unix_parse("", &u), -1);
	/* truncated after St */
	assert_int_equal(ss_unix_parse("1: 2 0 0 2 1\n", &u), 6);
	assert_int_equal(u.flags, 0);
	assert_int_equal(u.ino, 0);
	/* a path longer than the line buffer iproute2 reads: no overflow */
	char line[600];
	memset(line, 'a', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	memcpy(line, "0: 2 0 0 1 1 9 /", 16);
	assert_int_equal(ss_unix_parse(line, &u), 8);
	assert_int_equal(strlen(u.name), sizeof(u.name) - 1);
}

static void test_unix_state(void **state)
{
	(void)state;
	struct ss_unix_rec u = {.type = SOCK_STREAM};
	static const int want[] = {0, SS_CLOSE, SS_SYN_SENT, SS_ESTABLISHED, SS_CLOSING, 5, 7};
	static const unsigned st[] = {0, 1, 2, 3, 4, 5, 7};
	for (size_t i = 0; i < sizeof(st) / sizeof(st[0]); i++) {
		u.st = st[i];
		assert_int_equal(ss_unix_rec_state(&u), want[i]);
	}
	/* a datagram socket with a Num is connected; without, unconnected */
	u = (struct ss_unix_rec){.type = SOCK_DGRAM, .st = 1, .num = 1};
	assert_int_equal(ss_unix_rec_state(&u), SS_ESTABLISHED);
	u.num = 0;
	assert_int_equal(ss_unix_rec_state(&u), SS_CLOSE);
	u.flags = 1u << 16;
	assert_int_equal(ss_unix_rec_state(&u), SS_LISTEN);
}

static void test_packet_line(void **state)
{
	(void)state;
	struct ss_packet_rec p = {0};
	assert_int_equal(
		ss_packet_parse("000000000d0670b7 3      3    0800   1     1 4      1000   "
				"7003124",
				&p),
		8);
	assert_int_equal(p.sk, 0xd0670b7ull);
	assert_int_equal(p.type, SOCK_RAW);
	assert_int_equal(p.prot, 0x800);
	assert_int_equal(p.iface, 1);
	assert_int_equal(p.rq, 4);
	assert_int_equal(p.uid, 1000);
	assert_int_equal(p.ino, 7003124);
	/* short: what is missing keeps the previous line's value */
	assert_int_equal(ss_packet_parse("ff 3 2", &p), 2);
	assert_int_equal(p.sk, 0xff);
	assert_int_equal(p.type, SOCK_DGRAM);
	assert_int_equal(p.prot, 0x800);
	/* "bad" is hex to %llx */
	assert_int_equal(ss_packet_parse("bad", &p), 1);
	assert_int_equal(p.sk, 0xbad);
	assert_int_equal(ss_packet_parse("zz", &p), 0);
	assert_int_equal(p.ino, 7003124);
	assert_int_equal(ss_packet_parse("", &p), -1);
}

static void test_netlink_line(void **state)
{
	(void)state;
	struct ss_netlink_rec n = {0};
	assert_int_equal(
		ss_netlink_parse("00000000ad8186e6 0   6861       00000010 5        6        "
				 "0     2        0        7004290 \n",
				 &n),
		8);
	assert_int_equal(n.sk, 0xad8186e6ull);
	assert_int_equal(n.prot, 0);
	assert_int_equal(n.pid, 6861);
	assert_int_equal(n.groups, 0x10);
	assert_int_equal(n.rq, 5);
	assert_int_equal(n.wq, 6);
	assert_int_equal(n.cb, 0);
	assert_int_equal(ss_netlink_parse("fe 22 -5\n", &n), 3);
	assert_int_equal(n.prot, 22);
	assert_int_equal(n.pid, -5);
	assert_int_equal(n.groups, 0x10);
	assert_int_equal(ss_netlink_parse("zzz\n", &n), 0);
	assert_int_equal(n.sk, 0xfe);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unix_line),    cmocka_unit_test(test_unix_short),
		cmocka_unit_test(test_unix_state),   cmocka_unit_test(test_packet_line),
		cmocka_unit_test(test_netlink_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
