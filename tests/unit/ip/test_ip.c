/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of ip's parsers and formatters: fast number and address
 * formatting (against printf and inet_ntop), the emitter's fast text
 * path (against printf), route message parsing (well-formed, multipath,
 * malformed), iproute2's argument matching and prefix parsing, and the
 * pipelined dump against the plain one (short, and long enough for its
 * reader thread), address selectors of ip address show/flush. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "cmd/ip/ip.h"
#include "lib/emit/emit.h"
#include "lib/nl/nl.h"
#include "lib/nl/rtnl_req.h"
#include "lib/nl/rtnl_route.h"
#include "lib/util/fmt.h"

static void test_fmt_u64(void **state)
{
	(void)state;
	uint64_t vals[] = {0, 1, 9, 10, 99, 100, 4294967295u, UINT64_MAX, 1234567890123ull};
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		char a[32], b[32];
		size_t n = fmt_u64(a, vals[i]);
		snprintf(b, sizeof(b), "%" PRIu64, vals[i]);
		assert_string_equal(a, b);
		assert_int_equal(n, strlen(b));
	}
	char a[32];
	fmt_s64(a, INT64_MIN);
	assert_string_equal(a, "-9223372036854775808");
	fmt_s64(a, -42);
	assert_string_equal(a, "-42");
}

static void check_v6(const uint8_t *addr)
{
	char a[64], b[64];
	fmt_ipv6(a, addr);
	assert_non_null(inet_ntop(AF_INET6, addr, b, sizeof(b)));
	assert_string_equal(a, b);
}

static void test_fmt_addr(void **state)
{
	(void)state;
	char a[64], b[64];
	uint8_t v4[4];
	srand(7);
	for (int i = 0; i < 10000; i++) {
		for (int j = 0; j < 4; j++)
			v4[j] = (uint8_t)rand();
		fmt_ipv4(a, v4);
		inet_ntop(AF_INET, v4, b, sizeof(b));
		assert_string_equal(a, b);
	}
	/* zero runs of every length and place, and the embedded-IPv4 forms */
	for (int mask = 0; mask < 256; mask++) {
		uint8_t v6[16] = {0};
		for (int w = 0; w < 8; w++)
			if (mask & (1 << w)) {
				v6[2 * w] = (uint8_t)(w * 17);
				v6[2 * w + 1] = (uint8_t)(w + 1);
			}
		check_v6(v6);
	}
	const char *special[] = {"::",
				 "::1",
				 "::ffff:1.2.3.4",
				 "::1.2.3.4",
				 "1::",
				 "fe80::1:0:0:1",
				 "2001:db8::",
				 "0:0:1::",
				 "::ffff:0:1.2.3.4",
				 "1:0:0:1:0:0:0:1"};
	for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++) {
		uint8_t v6[16];
		assert_int_equal(inet_pton(AF_INET6, special[i], v6), 1);
		check_v6(v6);
	}
	assert_int_equal(fmt_addr(a, 99, v4), 3);
	assert_string_equal(a, "???");
}

struct cap {
	struct emit e;
	int fd;
	char out[1 << 20];
};

static const char *cap_run(struct cap *c, enum emit_format fmt, void (*fn)(struct emit *))
{
	c->fd = memfd_create("emit", 0);
	assert_true(c->fd >= 0);
	emit_init(&c->e, c->fd, fmt, 0);
	fn(&c->e);
	assert_int_equal(emit_finish(&c->e), 0);
	off_t n = lseek(c->fd, 0, SEEK_CUR);
	assert_true(n >= 0 && (size_t)n < sizeof(c->out));
	assert_int_equal(pread(c->fd, c->out, (size_t)n, 0), n);
	c->out[n] = '\0';
	close(c->fd);
	return c->out;
}

static void fast_path_calls(struct emit *e)
{
	emit_obj_open(e, NULL);
	emit_str(e, "a", "dev %s ", "eth0");
	emit_uint(e, "b", "metric %u ", 4294967295u);
	emit_int(e, "c", "%d: ", -7);
	emit_u64(e, "d", "%" PRIu64 " bytes", UINT64_MAX);
	emit_s64(e, "e", "[%lld]", (long long)INT64_MIN);
	emit_uint(e, "f", "%lu,", 12);
	emit_int(e, "g", "%u|", -1);	      /* as printf: the conversion decides */
	emit_str(e, "h", "%-6s|", "ab");      /* width: slow path */
	emit_str(e, "i", "100%% %s", "done"); /* %%: slow path */
	emit_uint(e, "j", "%x ", 255);	      /* hex: slow path */
	emit_text(e, "plain text\n");
	emit_text(e, "%s=%d\n", "k", 3);
	emit_obj_close(e);
}

static void test_emit_fast_text(void **state)
{
	(void)state;
	static struct cap c;
	char want[512];
	snprintf(want, sizeof(want),
		 "dev eth0 metric 4294967295 -7: %" PRIu64 " bytes[%lld]12,%u|ab    |100%% done"
		 "ff plain text\nk=3\n",
		 UINT64_MAX, (long long)INT64_MIN, (unsigned)-1);
	assert_string_equal(cap_run(&c, EMIT_TEXT, fast_path_calls), want);
	const char *j = cap_run(&c, EMIT_JSON, fast_path_calls);
	assert_non_null(strstr(j, "\"a\":\"eth0\""));
	assert_non_null(strstr(j, "\"b\":4294967295"));
	assert_non_null(strstr(j, "\"g\":-1"));
	assert_non_null(strstr(j, "\"e\":-9223372036854775808"));
}

static void long_value(struct emit *e)
{
	static char big[3000];
	memset(big, 'x', sizeof(big) - 1);
	for (int i = 0; i < 100; i++)
		emit_str(e, NULL, "<%s>", big);
}

static void test_emit_long(void **state)
{
	(void)state;
	static struct cap c;
	const char *out = cap_run(&c, EMIT_TEXT, long_value);
	assert_int_equal(strlen(out), 100 * (2 + 2999));
	assert_int_equal(out[0], '<');
	assert_int_equal(out[3000], '>');
}

/* A route message built by hand: dst, gateway, oif, table, metrics and a
 * two-hop multipath list. */
static struct nlmsghdr *build_route(char *buf, bool multipath)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWROUTE;
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 24;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_type = RTN_UNICAST;
	uint8_t dst[4] = {203, 0, 113, 0}, gw[4] = {198, 18, 0, 2};
	mnl_attr_put(nlh, RTA_DST, 4, dst);
	mnl_attr_put_u32(nlh, RTA_TABLE, 1000);
	mnl_attr_put_u32(nlh, RTA_PRIORITY, 77);
	struct nlattr *mx = mnl_attr_nest_start(nlh, RTA_METRICS);
	mnl_attr_put_u32(nlh, RTAX_MTU, 1300);
	mnl_attr_nest_end(nlh, mx);
	if (!multipath) {
		mnl_attr_put(nlh, RTA_GATEWAY, 4, gw);
		mnl_attr_put_u32(nlh, RTA_OIF, 3);
		return nlh;
	}
	struct nlattr *mp = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	for (int i = 0; i < 2; i++) {
		struct rtnexthop *nh = (void *)((char *)nlh + nlh->nlmsg_len);
		nlh->nlmsg_len += RTNH_ALIGN(sizeof(*nh));
		memset(nh, 0, sizeof(*nh));
		nh->rtnh_ifindex = 3 + i;
		nh->rtnh_hops = (uint8_t)(i * 2);
		gw[3] = (uint8_t)(2 + i);
		mnl_attr_put(nlh, RTA_GATEWAY, 4, gw);
		nh->rtnh_len = (uint16_t)((char *)nlh + nlh->nlmsg_len - (char *)nh);
	}
	mnl_attr_nest_end(nlh, mp);
	return nlh;
}

static void test_route_parse(void **state)
{
	(void)state;
	char buf[1024] = {0};
	struct rtnl_route r;
	struct nlmsghdr *nlh = build_route(buf, false);
	assert_int_equal(rtnl_route_parse(nlh, &r), 0);
	assert_int_equal(r.family, AF_INET);
	assert_int_equal(r.table, 1000);
	assert_true(r.has_dst && r.has_gw && r.has_oif && r.has_prio);
	assert_int_equal(r.priority, 77);
	assert_int_equal(r.oif, 3);
	assert_int_equal(r.gw[3], 2);
	assert_non_null(r.metrics);
	assert_null(r.multipath);

	memset(buf, 0, sizeof(buf));
	nlh = build_route(buf, true);
	assert_int_equal(rtnl_route_parse(nlh, &r), 0);
	const void *it = NULL;
	struct rtnl_nexthop nh;
	int n = 0;
	while (rtnl_route_nexthop(&r, &it, &nh)) {
		assert_int_equal(nh.ifindex, 3 + n);
		assert_int_equal(nh.hops, n * 2);
		assert_true(nh.has_gw);
		assert_int_equal(nh.gw[3], 2 + n);
		n++;
	}
	assert_int_equal(n, 2);
}

static void test_route_malformed(void **state)
{
	(void)state;
	char buf[1024] = {0};
	struct rtnl_route r;
	struct nlmsghdr *nlh = build_route(buf, true);
	/* a gateway of the wrong length is ignored, not read past */
	struct nlmsghdr *bad = mnl_nlmsg_put_header(buf + 512);
	bad->nlmsg_type = RTM_NEWROUTE;
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(bad, sizeof(*rtm));
	rtm->rtm_family = AF_INET6;
	uint8_t two[2] = {1, 2};
	mnl_attr_put(bad, RTA_GATEWAY, 2, two);
	mnl_attr_put(bad, RTA_DST, 2, two);
	assert_int_equal(rtnl_route_parse(bad, &r), 0);
	assert_false(r.has_gw);
	assert_false(r.has_dst);
	/* not a route at all */
	bad->nlmsg_type = RTM_NEWLINK;
	assert_int_equal(rtnl_route_parse(bad, &r), -EINVAL);
	/* header cut short */
	bad->nlmsg_type = RTM_NEWROUTE;
	bad->nlmsg_len = sizeof(struct nlmsghdr) + 4;
	assert_int_equal(rtnl_route_parse(bad, &r), -EINVAL);
	/* a multipath entry claiming more bytes than there are stops the walk */
	assert_int_equal(rtnl_route_parse(nlh, &r), 0);
	struct rtnexthop *first = (void *)mnl_attr_get_payload(r.multipath);
	first->rtnh_len = 4000;
	const void *it = NULL;
	struct rtnl_nexthop nh;
	assert_false(rtnl_route_nexthop(&r, &it, &nh));
}

static void test_matches(void **state)
{
	(void)state;
	assert_true(ip_matches("a", "address"));
	assert_true(ip_matches("addr", "address"));
	assert_true(ip_matches("", "route"));
	assert_false(ip_matches("addresses", "address"));
	assert_false(ip_matches("x", "address"));
	assert_true(ip_matches("tcpm", "tcpmetrics"));
}

static void test_prefix(void **state)
{
	(void)state;
	struct ip_prefix p;
	assert_int_equal(ip_get_prefix(&p, "10/8", AF_UNSPEC), 0);
	assert_int_equal(p.family, AF_INET);
	assert_int_equal(p.bitlen, 8);
	assert_int_equal(p.data[0], 10);
	assert_int_equal(ip_get_prefix(&p, "1.2.3", AF_UNSPEC), 0);
	assert_int_equal(p.data[2], 3);
	assert_int_equal(p.data[3], 0);
	assert_int_equal(p.bitlen, -1);
	assert_int_equal(ip_get_prefix(&p, "default", AF_INET6), 0);
	assert_true(p.any);
	assert_int_equal(p.bitlen, 0);
	assert_int_equal(ip_get_prefix(&p, "2001:db8::/32", AF_UNSPEC), 0);
	assert_int_equal(p.family, AF_INET6);
	assert_int_equal(p.bitlen, 32);
	assert_int_equal(ip_get_prefix(&p, "1.2.3.4/33", AF_UNSPEC), -1);
	assert_int_equal(ip_get_prefix(&p, "1.2.3.256", AF_UNSPEC), -1);
	assert_int_equal(ip_get_prefix(&p, "1.2.3.4.5", AF_UNSPEC), -1);
	assert_int_equal(ip_get_prefix(&p, "foo", AF_UNSPEC), -1);
	/* each part as strtoul with base 0 reads it, as iproute2 */
	assert_int_equal(ip_get_prefix(&p, "010.0x10.1", AF_UNSPEC), 0);
	assert_int_equal(p.data[0], 8);
	assert_int_equal(p.data[1], 16);
	assert_int_equal(p.data[2], 1);
	assert_int_equal(ip_get_prefix(&p, "1.2.3.08", AF_UNSPEC), -1);
	assert_int_equal(ip_get_prefix(&p, "1..2", AF_UNSPEC), -1);
	assert_int_equal(ip_get_prefix(&p, "::1", AF_INET), -1);
	assert_int_equal(ip_get_prefix(&p, "1.2.3.4", AF_INET6), -1);
	assert_int_equal(ip_get_prefix(&p, "1.2.3.4/-1", AF_UNSPEC), -1);
	assert_int_equal(ip_get_prefix(&p, "default/8", AF_UNSPEC), -1);
	char longarg[300];
	memset(longarg, '1', sizeof(longarg) - 1);
	longarg[299] = '\0';
	assert_int_equal(ip_get_prefix(&p, longarg, AF_UNSPEC), -1);
	/* prefix cover: bits that end inside a byte, no /N = all bytes */
	uint8_t a4[4] = {10, 1, 2, 3};
	assert_int_equal(ip_get_prefix(&p, "10.1.0.0/15", AF_UNSPEC), 0);
	assert_true(ip_prefix_covers(&p, a4, 4));
	a4[1] = 2;
	assert_false(ip_prefix_covers(&p, a4, 4));
	assert_int_equal(ip_get_prefix(&p, "10.2.2.3", AF_UNSPEC), 0);
	assert_false(ip_prefix_covers(&p, a4, 3)); /* too short an attribute */
	assert_true(ip_prefix_covers(&p, a4, 4));
	a4[3] = 4;
	assert_false(ip_prefix_covers(&p, a4, 4));
	assert_true(ip_bits_eq(a4, p.data, 29));
	assert_false(ip_bits_eq(a4, p.data, 30));
	assert_true(ip_bits_eq(a4, p.data, -1));
	uint8_t ll[8];
	assert_int_equal(ip_get_lladdr(ll, sizeof(ll), "02:00:5e:0a:0b:0c"), 6);
	assert_int_equal(ll[3], 0x0a);
	assert_int_equal(ip_get_lladdr(ll, sizeof(ll), "zz"), -1);
	assert_int_equal(ip_get_lladdr(ll, sizeof(ll), "1:2:3:4:5:6:7:8:9"), -1);
	assert_int_equal(ip_get_lladdr(ll, sizeof(ll), "123:4"), -1);
	uint32_t v;
	assert_int_equal(ip_get_u32(&v, "4294967295", 0), 0);
	assert_int_equal(ip_get_u32(&v, "4294967296", 0), -1);
	assert_int_equal(ip_get_u32(&v, "-1", 0), -1);
	assert_int_equal(ip_get_u32(&v, "0x10", 0), 0);
	assert_int_equal(v, 16);
}

/* An RTM_NEWADDR as the kernel sends it: label (NULL: none, as IPv6),
 * flags in IFA_FLAGS when they do not fit the header's 8 bits. */
static struct nlmsghdr *addr_msg(void *buf, int family, const char *addr, uint32_t ifindex,
				 uint8_t scope, uint32_t flags, const char *label)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWADDR;
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)family;
	ifa->ifa_prefixlen = family == AF_INET ? 24 : 64;
	ifa->ifa_flags = (uint8_t)flags;
	ifa->ifa_scope = scope;
	ifa->ifa_index = ifindex;
	uint8_t a[16];
	assert_int_equal(inet_pton(family, addr, a), 1);
	mnl_attr_put(nlh, IFA_LOCAL, family == AF_INET ? 4 : 16, a);
	if (label)
		mnl_attr_put_strz(nlh, IFA_LABEL, label);
	if (flags > 0xff)
		mnl_attr_put_u32(nlh, IFA_FLAGS, flags);
	return nlh;
}

static bool sel_ok(const char *const *words, const struct nlmsghdr *m)
{
	struct ip_ctx c = {0};
	struct ip_link_sel sel = {.group = -1, .master = -1};
	for (; *words; words++) {
		if (!strncmp(*words, "label=", 6))
			sel.label = *words + 6;
		else if (!strncmp(*words, "to=", 3))
			sel.has_to = ip_get_prefix(&sel.to, *words + 3, AF_UNSPEC) == 0;
		else if (!strncmp(*words, "scope=", 6))
			sel.has_scope = true, sel.scope = atoi(*words + 6);
		else
			assert_int_equal(ip_addr_flag_filter(*words, &sel), 0);
	}
	bool ok = ip_addr_sel_ok(&c, &sel, m);
	ip_links_free(&c);
	return ok;
}

#define SEL(m, ...) sel_ok((const char *const[]){__VA_ARGS__, NULL}, m)

/* ip address show/flush selectors: iproute2's flag words (a leading "-"
 * inverts; dynamic = -permanent, primary = -secondary, temporary =
 * secondary), labels (an address without one goes by its device's
 * name), prefixes and scopes. */
static void test_addr_filter(void **state)
{
	(void)state;
	struct ip_link_sel sel = {0};
	assert_int_equal(ip_addr_flag_filter("frob", &sel), -1);
	assert_int_equal(ip_addr_flag_filter("--tentative", &sel), -1);
	assert_int_equal(ip_addr_flag_filter("-", &sel), -1);
	assert_int_equal(ip_addr_flag_filter("", &sel), -1);
	assert_int_equal(sel.flagmask, 0);
	assert_int_equal(ip_addr_flag_filter("dynamic", &sel), 0);
	assert_int_equal(sel.flagmask, IFA_F_PERMANENT);
	assert_int_equal(sel.flags, 0);
	assert_int_equal(ip_addr_flag_filter("-primary", &sel), 0);
	assert_int_equal(sel.flags, IFA_F_SECONDARY);
	assert_int_equal(ip_addr_flag_filter("permanent", &sel), 0); /* the last word wins */
	assert_int_equal(sel.flags, IFA_F_SECONDARY | IFA_F_PERMANENT);
	assert_int_equal(ip_addr_flag_filter("stable-privacy", &sel), 0);
	assert_int_equal(sel.flagmask, IFA_F_PERMANENT | IFA_F_SECONDARY | IFA_F_STABLE_PRIVACY);

	_Alignas(struct nlmsghdr) char b1[256], b2[256], b3[256];
	struct nlmsghdr *sec = addr_msg(b1, AF_INET, "198.18.0.2", 1, RT_SCOPE_UNIVERSE,
					IFA_F_SECONDARY | IFA_F_PERMANENT, "lo:a");
	struct nlmsghdr *tent = addr_msg(b2, AF_INET6, "2001:db8::2", 1, RT_SCOPE_UNIVERSE,
					 IFA_F_TENTATIVE | IFA_F_PERMANENT, NULL);
	struct nlmsghdr *dyn = addr_msg(b3, AF_INET6, "2001:db8:1::1", 1, RT_SCOPE_LINK,
					IFA_F_DEPRECATED | IFA_F_NOPREFIXROUTE, NULL);
	assert_true(SEL(sec, "secondary") && SEL(sec, "temporary") && !SEL(sec, "primary"));
	assert_true(SEL(sec, "-tentative") && SEL(sec, "permanent") && !SEL(sec, "dynamic"));
	assert_true(SEL(tent, "tentative") && !SEL(tent, "-tentative") && SEL(tent, "primary"));
	assert_true(SEL(dyn, "dynamic") && SEL(dyn, "deprecated") && SEL(dyn, "noprefixroute"));
	assert_false(SEL(dyn, "-noprefixroute"));
	assert_false(SEL(dyn, "dynamic", "-deprecated"));
	assert_true(SEL(dyn, "-permanent", "-tentative", "deprecated"));
	/* labels: IPv4's own; IPv6 by the device's name (index 1 is lo) */
	assert_true(SEL(sec, "label=lo:?") && !SEL(sec, "label=lo"));
	assert_true(SEL(tent, "label=lo") && SEL(tent, "label=l*") && !SEL(tent, "label=lo:*"));
	/* prefixes: bits compared up to the length; another family never */
	assert_true(SEL(sec, "to=198.18.0.0/15") && !SEL(sec, "to=198.18.1.0/24"));
	assert_true(SEL(tent, "to=2001:db8::/32") && !SEL(tent, "to=2001:db8:1::/48"));
	assert_false(SEL(sec, "to=2001:db8::/32"));
	assert_true(SEL(dyn, "to=2001:db8:1::/48", "dynamic", "label=lo"));
	assert_true(SEL(dyn, "scope=253") && !SEL(sec, "scope=253"));
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(*(int *)data)++;
	return MNL_CB_OK;
}

static int stop_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	return ++*(int *)data == 2 ? MNL_CB_STOP : MNL_CB_OK;
}

/* Both ways of dumping see the same messages; stopping early in the
 * pipelined one leaves the socket usable. */
static void test_pipelined_dump(void **state)
{
	(void)state;
	struct nl_sock s;
	if (nl_open(&s, NETLINK_ROUTE, NULL) < 0)
		skip();
	char buf[128];
	int plain = 0, piped = 0, stopped = 0;
	for (int round = 0; round < 3; round++) {
		int *count = round == 0 ? &plain : round == 1 ? &piped : &stopped;
		struct nlmsghdr *nlh = nl_msg_start(&s, buf, RTM_GETADDR, NLM_F_DUMP);
		struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
		ifa->ifa_family = AF_UNSPEC;
		int r = round == 0   ? nl_talk(&s, nlh, count_cb, count, NULL)
			: round == 1 ? nl_dump_pipelined(&s, nlh, count_cb, count, NULL)
				     : nl_dump_pipelined(&s, nlh, stop_cb, count, NULL);
		assert_int_equal(r, 0);
	}
	assert_true(plain > 0);
	assert_int_equal(piped, plain);
	assert_true(stopped >= 1 && stopped <= 2);
	int again = 0;
	struct nlmsghdr *nlh = nl_msg_start(&s, buf, RTM_GETLINK, NLM_F_DUMP);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	assert_int_equal(nl_talk(&s, nlh, count_cb, &again, NULL), 0);
	assert_true(again > 0);
	nl_close(&s);
}

static int stop_late_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	return ++*(int *)data == 5000 ? MNL_CB_STOP : MNL_CB_OK;
}

/* A dump far longer than the buffers read before the reader thread
 * starts: 20,000 routes in a namespace of our own (skipped without the
 * right to make one). The same count either way; stopping early, in the
 * buffers read first or in the thread's, leaves the socket usable. Runs
 * last: the process stays in that namespace. */
static void test_long_dump(void **state)
{
	(void)state;
	if (unshare(CLONE_NEWNET) < 0)
		skip();
	struct nl_sock s;
	assert_int_equal(nl_open(&s, NETLINK_ROUTE, NULL), 0);
	static char req[RTNL_REQ_BUFSZ];
	for (unsigned i = 0; i < 20000; i++) {
		struct rtnl_route_req r = {.type = RTN_BLACKHOLE,
					   .dst = {.family = AF_INET,
						   .len = 32,
						   .addr = {10, (uint8_t)(i >> 8), (uint8_t)i, 1}}};
		struct nlmsghdr *nlh =
			rtnl_route_build(req, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, &r);
		assert_int_equal(nl_talk(&s, nlh, NULL, NULL, NULL), 0);
	}
	int plain = 0, piped = 0, early = 0, late = 0;
	int *counts[] = {&plain, &piped, &early, &late};
	for (int round = 0; round < 4; round++) {
		char buf[128];
		struct nlmsghdr *nlh = nl_msg_start(&s, buf, RTM_GETROUTE, NLM_F_DUMP);
		struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
		rtm->rtm_family = AF_INET;
		nl_cb cb = round == 2 ? stop_cb : round == 3 ? stop_late_cb : count_cb;
		int r = round == 0 ? nl_talk(&s, nlh, cb, counts[round], NULL)
				   : nl_dump_pipelined(&s, nlh, cb, counts[round], NULL);
		assert_int_equal(r, 0);
	}
	assert_true(plain >= 20000);
	assert_int_equal(piped, plain);
	assert_int_equal(early, 2);
	assert_int_equal(late, 5000);
	char buf[128];
	int again = 0;
	struct nlmsghdr *nlh = nl_msg_start(&s, buf, RTM_GETLINK, NLM_F_DUMP);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	assert_int_equal(nl_talk(&s, nlh, count_cb, &again, NULL), 0);
	assert_int_equal(again, 1); /* lo */
	nl_close(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmt_u64),	       cmocka_unit_test(test_fmt_addr),
		cmocka_unit_test(test_emit_fast_text), cmocka_unit_test(test_emit_long),
		cmocka_unit_test(test_route_parse),    cmocka_unit_test(test_route_malformed),
		cmocka_unit_test(test_matches),	       cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_addr_filter),    cmocka_unit_test(test_pipelined_dump),
		cmocka_unit_test(test_long_dump),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
