/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the list of copied netlink messages a flush keeps: copies
 * that outlive the dump's buffer, the walk in either order and its early
 * end, and sending each back as a request on a live socket. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include <cmocka.h>
#include <linux/rtnetlink.h>

#include "lib/nl/msglist.h"

static struct nlmsghdr *addr_msg(char *buf, uint32_t seq, const char *label)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = seq;
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	mnl_attr_put_strz(nlh, IFA_LABEL, label);
	return nlh;
}

static void test_add_copies(void **state)
{
	(void)state;
	struct nl_msg_list l = {0};
	char buf[256];
	char label[16];
	for (unsigned i = 0; i < 100; i++) { /* past the first growth */
		snprintf(label, sizeof(label), "lo%u", i);
		assert_int_equal(nl_msg_list_add(&l, addr_msg(buf, i, label)), MNL_CB_OK);
	}
	memset(buf, 0xa5, sizeof(buf)); /* the dump's buffer is reused */
	assert_int_equal(l.n, 100);
	for (unsigned i = 0; i < 100; i++) {
		assert_int_equal(l.msg[i]->nlmsg_seq, i);
		const struct nlattr *tb[IFA_MAX + 1];
		assert_true(nl_parse(l.msg[i], sizeof(struct ifaddrmsg), NULL, IFA_MAX, tb) >= 0);
		snprintf(label, sizeof(label), "lo%u", i);
		assert_string_equal(mnl_attr_get_str(tb[IFA_LABEL]), label);
	}
	nl_msg_list_free(&l);
	assert_int_equal(l.n, 0);
	assert_null(l.msg);
	nl_msg_list_free(&l); /* twice is harmless */
}

struct seen {
	uint32_t seq[8];
	size_t n;
	uint32_t stop_at;
};

static int record(struct nlmsghdr *m, void *data)
{
	struct seen *s = data;
	s->seq[s->n++] = m->nlmsg_seq;
	return m->nlmsg_seq == s->stop_at ? -7 : 0;
}

static void test_walk_order_and_stop(void **state)
{
	(void)state;
	struct nl_msg_list l = {0};
	char buf[256];
	for (uint32_t i = 1; i <= 4; i++)
		nl_msg_list_add(&l, addr_msg(buf, i, "x"));
	struct seen s = {.stop_at = 0};
	assert_int_equal(nl_msg_list_walk(&l, false, record, &s), 0);
	assert_int_equal(s.n, 4);
	assert_int_equal(s.seq[0], 1);
	assert_int_equal(s.seq[3], 4);
	s = (struct seen){.stop_at = 0};
	assert_int_equal(nl_msg_list_walk(&l, true, record, &s), 0);
	assert_int_equal(s.seq[0], 4);
	assert_int_equal(s.seq[3], 1);
	s = (struct seen){.stop_at = 2};
	assert_int_equal(nl_msg_list_walk(&l, false, record, &s), -7);
	assert_int_equal(s.n, 2);
	s = (struct seen){.stop_at = 2};
	assert_int_equal(nl_msg_list_walk(&l, true, record, &s), -7);
	assert_int_equal(s.n, 3);
	nl_msg_list_free(&l);
	s = (struct seen){0};
	assert_int_equal(nl_msg_list_walk(&l, false, record, &s), 0); /* empty */
	assert_int_equal(s.n, 0);
}

/* Deleting a route that is not there: the kernel's ESRCH ends the walk
 * unless it is the error passed over. Needs no privilege. */
static void test_send_ignore(void **state)
{
	(void)state;
	struct nl_sock s;
	if (nl_open(&s, NETLINK_ROUTE, NULL) < 0)
		skip();
	struct nl_msg_list l = {0};
	char buf[256];
	for (int i = 0; i < 2; i++) {
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
		nlh->nlmsg_type = RTM_NEWROUTE;
		struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
		rtm->rtm_family = AF_INET;
		rtm->rtm_dst_len = 32;
		rtm->rtm_table = 250; /* a table nobody uses */
		mnl_attr_put_u32(nlh, RTA_DST, htonl(0xc0000200u + (uint32_t)i));
		mnl_attr_put_u32(nlh, RTA_TABLE, 250);
		nl_msg_list_add(&l, nlh);
	}
	struct nl_err err;
	int r = nl_msg_list_send(&s, &l, RTM_DELROUTE, false, 0, &err);
	assert_true(r < 0);
	assert_int_equal(l.msg[0]->nlmsg_type, RTM_DELROUTE);
	assert_int_equal(l.msg[1]->nlmsg_type, RTM_NEWROUTE); /* not reached */
	int code = err.code; /* ESRCH, or EPERM without CAP_NET_ADMIN */
	assert_true(code == -ESRCH || code == -EPERM);
	assert_int_equal(nl_msg_list_send(&s, &l, RTM_DELROUTE, true, code, &err), 0);
	assert_int_equal(l.msg[1]->nlmsg_type, RTM_DELROUTE);
	assert_int_equal(l.msg[1]->nlmsg_pid, 0);
	nl_msg_list_free(&l);
	nl_close(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_copies),
		cmocka_unit_test(test_walk_order_and_stop),
		cmocka_unit_test(test_send_ignore),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
