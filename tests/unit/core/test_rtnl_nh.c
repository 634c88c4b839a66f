/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of lib/nl/rtnl_nh: requests built from records parse back
 * to the same records; cut and foreign messages are refused, a gateway
 * of a wrong size left out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>

#include <cmocka.h>

#include "lib/nl/rtnl_nh.h"
#include "lib/nl/rtnl_req.h"

static _Alignas(struct nlmsghdr) char buf[RTNL_REQ_BUFSZ];

static void test_object(void **state)
{
	(void)state;
	struct rtnl_nhobj_req r = {.nh = {.family = 2,
					  .protocol = 4,
					  .flags = RTNH_F_ONLINK,
					  .has_id = true,
					  .id = 7,
					  .has_oif = true,
					  .oif = 3,
					  .has_gw = true,
					  .gw_len = 4,
					  .gw = {192, 0, 2, 1}}};
	struct nlmsghdr *nlh = rtnl_nhobj_build(buf, RTM_NEWNEXTHOP, NLM_F_CREATE, &r);
	nlh->nlmsg_type = RTM_NEWNEXTHOP;
	struct rtnl_nh n;
	assert_int_equal(rtnl_nh_parse(nlh, &n), 0);
	assert_true(n.has_id && n.id == 7 && n.has_oif && n.oif == 3);
	assert_true(n.has_gw && n.gw_len == 4 && n.gw[0] == 192);
	assert_int_equal(n.protocol, 4);
	assert_int_equal(n.flags, RTNH_F_ONLINK);
	assert_false(n.blackhole || n.fdb || n.group);
}

static void test_resilient_group(void **state)
{
	(void)state;
	struct nexthop_grp g[2] = {{.id = 1, .weight = 4}, {.id = 3}};
	struct rtnl_nhobj_req r = {.nh = {.has_id = true,
					  .id = 9,
					  .has_group_type = true,
					  .group_type = NEXTHOP_GRP_TYPE_RES,
					  .buckets = 8,
					  .idle_timer = 1000},
				   .group = g,
				   .ngroup = 2,
				   .buckets_set = true,
				   .idle_set = true};
	struct nlmsghdr *nlh = rtnl_nhobj_build(buf, RTM_NEWNEXTHOP, 0, &r);
	struct rtnl_nh n;
	assert_int_equal(rtnl_nh_parse(nlh, &n), 0);
	assert_int_equal(n.ngroup, 2);
	assert_int_equal(n.group[0].id, 1);
	assert_int_equal(n.group[0].weight, 4);
	assert_int_equal(n.group[1].id, 3);
	assert_true(n.has_res && n.buckets == 8 && n.idle_timer == 1000);
	assert_int_equal(n.unbalanced_timer, 0);
}

static void test_refused(void **state)
{
	(void)state;
	struct rtnl_nhobj_req r = {.nh = {.has_id = true, .id = 1, .blackhole = true}};
	struct nlmsghdr *nlh = rtnl_nhobj_build(buf, RTM_NEWNEXTHOP, 0, &r);
	struct rtnl_nh n;
	nlh->nlmsg_type = RTM_NEWROUTE;
	assert_int_equal(rtnl_nh_parse(nlh, &n), -EINVAL);
	nlh->nlmsg_type = RTM_DELNEXTHOP;
	assert_int_equal(rtnl_nh_parse(nlh, &n), 0);
	assert_true(n.blackhole && n.msg_type == RTM_DELNEXTHOP);
	uint8_t odd[5] = {1, 2, 3, 4, 5};
	mnl_attr_put(nlh, NHA_GATEWAY, sizeof(odd), odd);
	assert_int_equal(rtnl_nh_parse(nlh, &n), 0);
	assert_false(n.has_gw);
	nlh->nlmsg_len = sizeof(*nlh) + 2;
	assert_int_equal(rtnl_nh_parse(nlh, &n), -EINVAL);
	struct nexthop_grp many[1] = {{.id = 1}};
	struct rtnl_nhobj_req big = {.group = many, .ngroup = RTNL_REQ_BUFSZ};
	assert_null(rtnl_nhobj_build(buf, RTM_NEWNEXTHOP, 0, &big));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_object),
		cmocka_unit_test(test_resilient_group),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
