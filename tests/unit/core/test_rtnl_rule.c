/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of lib/nl/rtnl_rule: a record built into a request parses
 * back to the same record; short, cut and foreign messages are refused
 * or their bad attributes left out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>

#include <cmocka.h>
#include <linux/rtnetlink.h>

#include "lib/nl/rtnl_req.h"
#include "lib/nl/rtnl_rule.h"

static _Alignas(struct nlmsghdr) char buf[RTNL_REQ_BUFSZ];

static void test_round_trip(void **state)
{
	(void)state;
	struct rtnl_rule r = {.family = 2,
			      .src_len = 8,
			      .dst_len = 32,
			      .tos = 0x10,
			      .action = FR_ACT_TO_TBL,
			      .flags = FIB_RULE_INVERT,
			      .table = 4000000,
			      .has_priority = true,
			      .priority = 100,
			      .has_src = true,
			      .src = {10},
			      .src_alen = 4,
			      .has_dst = true,
			      .dst = {192, 168, 1, 1},
			      .dst_alen = 4,
			      .has_fwmark = true,
			      .fwmark = 5,
			      .has_fwmask = true,
			      .fwmask = 0xff,
			      .iif = "lo",
			      .oif = "eth0",
			      .has_uid = true,
			      .uid_start = 100,
			      .uid_end = 200,
			      .has_ipproto = true,
			      .ipproto = 6,
			      .has_sport = true,
			      .sport = {80, 80},
			      .has_dport = true,
			      .dport = {1000, 2000},
			      .has_suppress_pl = true,
			      .suppress_pl = 8,
			      .has_suppress_group = true,
			      .suppress_group = 3,
			      .has_flow = true,
			      .flow = 0x10002,
			      .has_protocol = true,
			      .protocol = 4,
			      .has_tun_id = true,
			      .tun_id = 0x0102030405060708ull,
			      .has_l3mdev = true,
			      .l3mdev = 1};
	struct nlmsghdr *nlh = rtnl_rule_build(buf, RTM_NEWRULE, NLM_F_CREATE, &r);
	assert_int_equal(nlh->nlmsg_type, RTM_NEWRULE);
	const struct fib_rule_hdr *h = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(h->table, RT_TABLE_UNSPEC); /* above 255: FRA_TABLE */
	struct rtnl_rule p;
	assert_int_equal(rtnl_rule_parse(nlh, &p), 0);
	assert_int_equal(p.table, 4000000);
	assert_int_equal(p.priority, 100);
	assert_true(p.has_src && p.src_alen == 4 && p.src[0] == 10 && p.src_len == 8);
	assert_memory_equal(p.dst, r.dst, 4);
	assert_int_equal(p.fwmask, 0xff);
	assert_string_equal(p.iif, "lo");
	assert_string_equal(p.oif, "eth0");
	assert_int_equal(p.uid_end, 200);
	assert_int_equal(p.dport[1], 2000);
	assert_int_equal(p.sport[0], 80);
	assert_int_equal(p.suppress_pl, 8);
	assert_int_equal(p.suppress_group, 3);
	assert_int_equal(p.flow, 0x10002);
	assert_int_equal(p.protocol, 4);
	assert_true(p.tun_id == 0x0102030405060708ull);
	assert_int_equal(p.flags, FIB_RULE_INVERT);
	assert_int_equal(p.tos, 0x10);
	assert_int_equal(p.l3mdev, 1);
	assert_false(p.has_goto || p.has_nat_gw);
}

static void test_small_table_in_header(void **state)
{
	(void)state;
	struct rtnl_rule r = {.family = 10,
			      .table = 254,
			      .action = FR_ACT_GOTO,
			      .has_goto = true,
			      .goto_target = 7};
	struct nlmsghdr *nlh = rtnl_rule_build(buf, RTM_DELRULE, 0, &r);
	const struct fib_rule_hdr *h = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(h->table, 254);
	struct rtnl_rule p;
	assert_int_equal(rtnl_rule_parse(nlh, &p), 0);
	assert_int_equal(p.msg_type, RTM_DELRULE);
	assert_int_equal(p.table, 254);
	assert_true(p.has_goto && p.goto_target == 7 && p.action == FR_ACT_GOTO);
}

static void test_refused(void **state)
{
	(void)state;
	struct rtnl_rule r = {.family = 2};
	struct nlmsghdr *nlh = rtnl_rule_build(buf, RTM_NEWRULE, 0, &r);
	struct rtnl_rule p;
	nlh->nlmsg_type = RTM_NEWROUTE; /* not a rule */
	assert_int_equal(rtnl_rule_parse(nlh, &p), -EINVAL);
	nlh->nlmsg_type = RTM_NEWRULE;
	nlh->nlmsg_len = sizeof(*nlh) + 4; /* header cut */
	assert_int_equal(rtnl_rule_parse(nlh, &p), -EINVAL);
	/* a port range of the wrong size is left out, the rest kept */
	nlh = rtnl_rule_build(buf, RTM_NEWRULE, 0, &r);
	uint16_t one = 5;
	mnl_attr_put(nlh, FRA_SPORT_RANGE, sizeof(one), &one);
	mnl_attr_put_u32(nlh, FRA_PRIORITY, 9);
	mnl_attr_put(nlh, FRA_IIFNAME, 3, "abc"); /* no NUL */
	assert_int_equal(rtnl_rule_parse(nlh, &p), 0);
	assert_false(p.has_sport);
	assert_null(p.iif);
	assert_true(p.has_priority && p.priority == 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_small_table_in_header),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
