/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the netlink layer: the reply loop on hand-made and
 * malformed messages, attribute validation, and one live dump. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include "lib/nl/nl.h"

#define SEQ 77
#define PORTID 1234

static char buf[8192];

static struct nlmsghdr *msg_at(size_t *off, uint16_t type, uint16_t flags, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf + *off);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = PORTID;
	return nlh;
}

static void link_msg(size_t *off, const char *name, uint16_t flags)
{
	struct nlmsghdr *nlh = msg_at(off, RTM_NEWLINK, flags, SEQ);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 7;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_MTU, 1500);
	*off += nlh->nlmsg_len;
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	(*(int *)data)++;
	return MNL_CB_OK;
}

static void test_dump_then_done(void **state)
{
	size_t off = 0;
	link_msg(&off, "eth0", NLM_F_MULTI);
	link_msg(&off, "eth1", NLM_F_MULTI);
	int n = 0;
	struct nl_err err = {0};
	assert_int_equal(nl_run(buf, off, SEQ, PORTID, count_cb, &n, &err), 1);
	assert_int_equal(n, 2);
	struct nlmsghdr *d = msg_at(&off, NLMSG_DONE, NLM_F_MULTI, SEQ);
	int zero = 0;
	memcpy(mnl_nlmsg_put_extra_header(d, sizeof(int)), &zero, sizeof(int));
	off += d->nlmsg_len;
	n = 0;
	assert_int_equal(nl_run(buf, off, SEQ, PORTID, count_cb, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_false(err.dump_intr);
}

static void test_dump_intr(void **state)
{
	size_t off = 0;
	link_msg(&off, "eth0", NLM_F_MULTI | NLM_F_DUMP_INTR);
	int n = 0;
	struct nl_err err = {0};
	assert_int_equal(nl_run(buf, off, SEQ, PORTID, count_cb, &n, &err), 1);
	assert_true(err.dump_intr);
}

static size_t error_msg(int code, const char *text)
{
	size_t off = 0;
	struct nlmsghdr *nlh =
		msg_at(&off, NLMSG_ERROR, text ? NLM_F_CAPPED | NLM_F_ACK_TLVS : 0, SEQ);
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = code;
	e->msg.nlmsg_len = 200; /* capped: the original request is not there */
	e->msg.nlmsg_seq = SEQ;
	if (text)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, text);
	return nlh->nlmsg_len;
}

static void test_error_extack(void **state)
{
	size_t len = error_msg(-EEXIST, "Nexthop device is not up");
	struct nl_err err = {0};
	assert_int_equal(nl_run(buf, len, SEQ, PORTID, NULL, NULL, &err), -EEXIST);
	assert_int_equal(err.code, -EEXIST);
	assert_string_equal(err.msg, "Nexthop device is not up");
}

static void test_error_plain_and_ack(void **state)
{
	struct nl_err err = {0};
	size_t len = error_msg(-EPERM, NULL);
	assert_int_equal(nl_run(buf, len, SEQ, PORTID, NULL, NULL, &err), -EPERM);
	assert_string_equal(err.msg, "");
	memset(&err, 0, sizeof(err));
	len = error_msg(0, NULL);
	assert_int_equal(nl_run(buf, len, SEQ, PORTID, NULL, NULL, &err), 0);
	assert_int_equal(err.code, 0);
}

/* An extack message that is not NUL-terminated must not be read past. */
static void test_error_extack_unterminated(void **state)
{
	size_t len = error_msg(-EINVAL, "abcd");
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nlattr *a = (struct nlattr *)((char *)nlh + len - MNL_ALIGN(5) - MNL_ATTR_HDRLEN);
	assert_int_equal(mnl_attr_get_type(a), NLMSGERR_ATTR_MSG);
	memcpy(mnl_attr_get_payload(a), "abcde", 5); /* overwrite the NUL */
	a->nla_len = MNL_ATTR_HDRLEN + 5;
	struct nl_err err = {0};
	assert_int_equal(nl_run(buf, len, SEQ, PORTID, NULL, NULL, &err), -EINVAL);
	assert_string_equal(err.msg, "");
}

static void test_short_error(void **state)
{
	size_t off = 0;
	struct nlmsghdr *nlh = msg_at(&off, NLMSG_ERROR, 0, SEQ);
	nlh->nlmsg_len = sizeof(*nlh) + 2;
	struct nl_err err = {0};
	assert_int_equal(nl_run(buf, MNL_ALIGN(nlh->nlmsg_len), SEQ, PORTID, NULL, NULL, &err),
			 -EBADMSG);
}

static void test_wrong_seq_and_truncated(void **state)
{
	size_t off = 0;
	link_msg(&off, "eth0", NLM_F_MULTI);
	struct nl_err err = {0};
	assert_int_equal(nl_run(buf, off, SEQ + 1, PORTID, count_cb, &(int){0}, &err), -ESRCH);
	/* the kernel said more bytes than we have */
	assert_int_equal(nl_run(buf, off - 4, SEQ, PORTID, count_cb, &(int){0}, &err), -EBADMSG);
	assert_int_equal(nl_run(buf, 3, SEQ, PORTID, count_cb, &(int){0}, &err), -EBADMSG);
	((struct nlmsghdr *)buf)->nlmsg_len = 0xfe0005bc; /* above INT_MAX (found by fuzzing) */
	assert_int_equal(nl_run(buf, off, SEQ, PORTID, count_cb, &(int){0}, &err), -EBADMSG);
	((struct nlmsghdr *)buf)->nlmsg_len = 4; /* shorter than a header */
	assert_int_equal(nl_run(buf, off, SEQ, PORTID, count_cb, &(int){0}, &err), -EBADMSG);
}

static int stop_cb(const struct nlmsghdr *nlh, void *data)
{
	(*(int *)data)++;
	return MNL_CB_STOP;
}

static int fail_cb(const struct nlmsghdr *nlh, void *data)
{
	errno = ENOMEM;
	return MNL_CB_ERROR;
}

static void test_callback_stop_and_error(void **state)
{
	size_t off = 0;
	link_msg(&off, "a", NLM_F_MULTI);
	link_msg(&off, "b", NLM_F_MULTI);
	int n = 0;
	struct nl_err err = {0};
	assert_int_equal(nl_run(buf, off, SEQ, PORTID, stop_cb, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(nl_run(buf, off, SEQ, PORTID, fail_cb, NULL, &err), -ENOMEM);
}

static const struct nl_policy link_pol[IFLA_MAX + 1] = {
	[IFLA_IFNAME] = {MNL_TYPE_NUL_STRING, 0},
	[IFLA_MTU] = {MNL_TYPE_U32, 0},
	[IFLA_ADDRESS] = {MNL_TYPE_BINARY, 6},
	[IFLA_LINKINFO] = {MNL_TYPE_NESTED, 0},
};

static void test_parse_policy(void **state)
{
	size_t off = 0;
	struct nlmsghdr *nlh = msg_at(&off, RTM_NEWLINK, 0, SEQ);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	mnl_attr_put_u16(nlh, IFLA_MTU, 9000);		/* wrong size for a u32 */
	mnl_attr_put(nlh, IFLA_IFNAME, 3, "abc");	/* no NUL */
	mnl_attr_put(nlh, IFLA_ADDRESS, 4, "\1\2\3\4"); /* short MAC */
	mnl_attr_put_u32(nlh, IFLA_MAX + 5, 1);		/* unknown to us: skipped */
	mnl_attr_put_u32(nlh, IFLA_TXQLEN, 1000);	/* not in policy: any shape */
	const struct nlattr *tb[IFLA_MAX + 1];
	assert_int_equal(nl_parse(nlh, sizeof(struct ifinfomsg), link_pol, IFLA_MAX, tb), 3);
	assert_null(tb[IFLA_MTU]);
	assert_null(tb[IFLA_IFNAME]);
	assert_null(tb[IFLA_ADDRESS]);
	assert_non_null(tb[IFLA_TXQLEN]);
	assert_int_equal(mnl_attr_get_u32(tb[IFLA_TXQLEN]), 1000);
}

static void test_parse_broken_stream(void **state)
{
	size_t off = 0;
	struct nlmsghdr *nlh = msg_at(&off, RTM_NEWLINK, 0, SEQ);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	mnl_attr_put_u32(nlh, IFLA_MTU, 1500);
	struct nlattr *bad = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put_u32(nlh, IFLA_TXQLEN, 1);
	bad->nla_len = 2; /* smaller than an attribute header */
	const struct nlattr *tb[IFLA_MAX + 1];
	assert_int_equal(nl_parse(nlh, sizeof(struct ifinfomsg), link_pol, IFLA_MAX, tb), -EINVAL);
	assert_non_null(tb[IFLA_MTU]); /* what came before the break is kept */
	assert_null(tb[IFLA_TXQLEN]);
	bad->nla_len = 200; /* longer than the message */
	assert_int_equal(nl_parse(nlh, sizeof(struct ifinfomsg), link_pol, IFLA_MAX, tb), -EINVAL);
	/* a header promising more than the payload holds */
	assert_int_equal(nl_parse(nlh, 4096, link_pol, IFLA_MAX, tb), -EINVAL);
	assert_null(tb[IFLA_MTU]);
}

static void test_parse_nested(void **state)
{
	size_t off = 0;
	struct nlmsghdr *nlh = msg_at(&off, RTM_NEWLINK, 0, SEQ);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	struct nlattr *nest = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	mnl_attr_nest_end(nlh, nest);
	const struct nlattr *tb[IFLA_MAX + 1];
	assert_int_equal(nl_parse(nlh, sizeof(struct ifinfomsg), link_pol, IFLA_MAX, tb), 0);
	const struct nl_policy info_pol[IFLA_INFO_MAX + 1] = {
		[IFLA_INFO_KIND] = {MNL_TYPE_NUL_STRING, 0},
	};
	const struct nlattr *info[IFLA_INFO_MAX + 1];
	assert_int_equal(nl_parse_nested(tb[IFLA_LINKINFO], info_pol, IFLA_INFO_MAX, info), 0);
	assert_string_equal(mnl_attr_get_str(info[IFLA_INFO_KIND]), "veth");
}

struct found {
	int links;
	int lo;
};

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct found *f = data;
	const struct nlattr *tb[IFLA_MAX + 1];
	if (nl_parse(nlh, sizeof(struct ifinfomsg), link_pol, IFLA_MAX, tb) < 0)
		return MNL_CB_OK;
	f->links++;
	if (tb[IFLA_IFNAME] && !strcmp(mnl_attr_get_str(tb[IFLA_IFNAME]), "lo"))
		f->lo++;
	return MNL_CB_OK;
}

/* The one message check every walker uses: a length near 2^32 is no
 * message (libmnl's mnl_nlmsg_ok takes it, as the int -16). */
static void test_msg_ok_bounds(void **state)
{
	(void)state;
	struct nlmsghdr h = {.nlmsg_len = sizeof(h)};
	assert_true(nl_msg_ok(&h, sizeof(h)));
	assert_false(nl_msg_ok(&h, sizeof(h) - 1));
	h.nlmsg_len = sizeof(h) - 1;
	assert_false(nl_msg_ok(&h, 64));
	h.nlmsg_len = 65;
	assert_false(nl_msg_ok(&h, 64));
	h.nlmsg_len = 0xfffffff0u;
	assert_false(nl_msg_ok(&h, 64));
	h.nlmsg_len = 0x80000000u;
	assert_false(nl_msg_ok(&h, 64));
	assert_false(nl_msg_ok(&h, -1));
}

/* A netlink socket stand-in: an abstract AF_UNIX datagram pair whose
 * sender's address is as long as a sockaddr_nl, so libmnl's receive takes
 * what it sends. fd[0] receives, fd[1] sends. */
static void fake_nl_pair(int fd[2])
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 10);
	assert_int_equal(len, sizeof(struct sockaddr_nl));
	for (int i = 0; i < 2; i++) {
		fd[i] = socket(AF_UNIX, SOCK_DGRAM, 0);
		assert_true(fd[i] >= 0);
		char name[16];
		snprintf(name, sizeof(name), "nk%06u%c", (unsigned)getpid() % 1000000u, 'a' + i);
		memcpy(a.sun_path + 1, name, 9);
		assert_int_equal(bind(fd[i], (struct sockaddr *)&a, len), 0);
	}
	a.sun_path[9] = 'a';
	assert_int_equal(connect(fd[1], (struct sockaddr *)&a, len), 0);
}

static int stop_on_sane(const struct nlmsghdr *nlh, void *data)
{
	(*(int *)data)++;
	return nlh->nlmsg_len <= sizeof(buf) ? MNL_CB_STOP : MNL_CB_OK;
}

/* nl_listen (events) and nl_drain walk a buffer whose message says it is
 * 4 GiB long: neither hands it to the callback nor steps past it (the old
 * event loop did both and read 4 GiB ahead). */
static void test_walkers_refuse_huge_length(void **state)
{
	(void)state;
	int fd[2];
	fake_nl_pair(fd);
	struct nl_sock s = {.buf = malloc(NL_RECV_BUFSZ), .mnl = mnl_socket_fdopen(fd[0])};
	assert_non_null(s.mnl);
	size_t off = 0;
	struct nlmsghdr *bad = msg_at(&off, RTM_NEWLINK, 0, SEQ);
	bad->nlmsg_len = 0xfffffff0u;
	assert_int_equal(send(fd[1], buf, 64, 0), 64);
	off = 0;
	link_msg(&off, "good0", 0);
	assert_int_equal(send(fd[1], buf, off, 0), (ssize_t)off);
	int n = 0;
	assert_int_equal(nl_listen(&s, stop_on_sane, &n), 0);
	assert_int_equal(n, 1);

	bad = msg_at(&(size_t){0}, RTM_NEWLINK, 0, SEQ);
	bad->nlmsg_len = 0xfffffff0u;
	assert_int_equal(send(fd[1], buf, 64, 0), 64);
	n = 0;
	assert_int_equal(nl_drain(&s, count_cb, &n), 0);
	assert_int_equal(n, 0);
	mnl_socket_close(s.mnl);
	free(s.buf);
	close(fd[1]);
}

/* A real dump from the kernel, and a real error with its code. */
static void test_live(void **state)
{
	struct nl_sock s;
	assert_int_equal(nl_open(&s, NETLINK_ROUTE, NULL), 0);
	char req[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_msg_start(&s, req, RTM_GETLINK, NLM_F_DUMP);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	struct found f = {0};
	struct nl_err err;
	assert_int_equal(nl_talk(&s, nlh, link_cb, &f, &err), 0);
	assert_true(f.links >= 1);
	assert_int_equal(f.lo, 1);

	nlh = nl_msg_start(&s, req, RTM_GETLINK, 0);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 0x7ffffff0; /* no such device */
	assert_int_equal(nl_talk(&s, nlh, NULL, NULL, &err), -ENODEV);
	assert_int_equal(err.code, -ENODEV);
	nl_close(&s);

	assert_int_equal(nl_open(&s, NETLINK_ROUTE, "netkit-no-such-netns"), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dump_then_done),
		cmocka_unit_test(test_dump_intr),
		cmocka_unit_test(test_error_extack),
		cmocka_unit_test(test_error_plain_and_ack),
		cmocka_unit_test(test_error_extack_unterminated),
		cmocka_unit_test(test_short_error),
		cmocka_unit_test(test_wrong_seq_and_truncated),
		cmocka_unit_test(test_callback_stop_and_error),
		cmocka_unit_test(test_parse_policy),
		cmocka_unit_test(test_parse_broken_stream),
		cmocka_unit_test(test_parse_nested),
		cmocka_unit_test(test_msg_ok_bounds),
		cmocka_unit_test(test_walkers_refuse_huge_length),
		cmocka_unit_test(test_live),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
