/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of netkit route's pure parts: flag letters, the fixed column
 * lines (checked against lines net-tools 2.10 printed), the
 * /proc/net/ipv6_route parser, rtnetlink records to /proc/net/route rows,
 * and add/del argument parsing into rtnetlink requests. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <linux/rtnetlink.h>

#include "cmd/route/route.h"
#include "cmd/route/route_edit.h"
#include "cmd/route/route_fmt.h"

static uint32_t ip4(const char *s)
{
	struct in_addr a;
	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

static void test_flags(void **st)
{
	(void)st;
	char f[32];
	route4_flags_str(RT_F_UP | RT_F_GATEWAY | RT_F_HOST, f);
	assert_string_equal(f, "UGH");
	route4_flags_str(RT_F_UP | RT_F_REJECT, f);
	assert_string_equal(f, "!");
	route4_flags_str(RT_F_UP | RT_F_REJECT | RT_F_HOST, f);
	assert_string_equal(f, "!H");
	route4_flags_str(RT_F_UP | RT_F_DYNAMIC | RT_F_MODIFIED | RT_F_REINSTATE, f);
	assert_string_equal(f, "URDM");
	route6_flags_str(0x00200200, f);
	assert_string_equal(f, "!n");
	route6_flags_str(0x80200001, f);
	assert_string_equal(f, "Un");
	route6_flags_str(0x00400001, f);
	assert_string_equal(f, "Ue");
	route6_flags_str(RT_F_UP | RT_F_GATEWAY | RT_F_DEFAULT | RT_F_ADDRCONF | RT_F_EXPIRES, f);
	assert_string_equal(f, "UGDAe");
	route6_flags_str(0, f);
	assert_string_equal(f, "");
}

static void test_ntoa_mask(void **st)
{
	(void)st;
	char b[16];
	assert_int_equal(route_ntoa(ip4("255.255.255.0"), b), 13);
	assert_string_equal(b, "255.255.255.0");
	route_ntoa(0, b);
	assert_string_equal(b, "0.0.0.0");
	assert_int_equal(route_mask(0), 0);
	assert_int_equal(route_mask(24), ip4("255.255.255.0"));
	assert_int_equal(route_mask(32), 0xffffffffu);
	assert_int_equal(route_mask(1), ip4("128.0.0.0"));
}

static struct route4_row row4(const char *dst, const char *gw, unsigned plen, unsigned flags)
{
	struct route4_row r = {0};
	r.dst = ip4(dst);
	r.gw = ip4(gw);
	r.mask = route_mask(plen);
	r.flags = flags;
	strcpy(r.iface, "eth0");
	return r;
}

static void test_line4(void **st)
{
	(void)st;
	char out[ROUTE_LINE_MAX];
	struct route4_row r = row4("192.0.2.0", "0.0.0.0", 24, RT_F_UP);
	route4_line(&r, "192.0.2.0", "0.0.0.0", "255.255.255.0", 1, out);
	assert_string_equal(out, "192.0.2.0       0.0.0.0         255.255.255.0   U     0      0  "
				 "      0 eth0\n");
	r = row4("10.7.0.0", "0.0.0.0", 16, RT_F_UP);
	r.mss = 1340, r.window = 5000, r.irtt = 80;
	strcpy(r.iface, "d0");
	route4_line(&r, "10.7.0.0", "0.0.0.0", "255.255.0.0", 2, out);
	assert_string_equal(out, "10.7.0.0        0.0.0.0         255.255.0.0     U      1340 5000 "
				 "     80 d0\n");
	route4_line(&r, "10.7.0.0", "0.0.0.0", "255.255.0.0", 3, out);
	assert_string_equal(out, "10.7.0.0        0.0.0.0         255.255.0.0     U     0      0  "
				 "      0 d0       1340  5000   80\n");
	/* -ee cuts the interface at 6 characters; names at 15 */
	strcpy(r.iface, "averylongname15");
	r.metric = -1;
	route4_line(&r, "averyveryverylongname", "0.0.0.0", "255.255.0.0", 3, out);
	assert_string_equal(out, "averyveryverylo 0.0.0.0         255.255.0.0     U     -1     0  "
				 "      0 averyl   1340  5000   80\n");
	assert_int_equal(route4_line(&r, "x", "y", "z", 0, out), 0);
}

static void test_line4_reject(void **st)
{
	(void)st;
	char out[ROUTE_LINE_MAX];
	struct route4_row r = row4("10.66.0.0", "0.0.0.0", 16, RT_F_UP | RT_F_REJECT);
	route4_line(&r, "10.66.0.0", "0.0.0.0", "255.255.0.0", 1, out);
	assert_string_equal(out, "10.66.0.0       -               255.255.0.0     !     0      -  "
				 "      0 -\n");
	route4_line(&r, "10.66.0.0", "0.0.0.0", "255.255.0.0", 2, out);
	assert_string_equal(out, "10.66.0.0       -               255.255.0.0     !         - -   "
				 "       - -\n");
	route4_line(&r, "10.66.0.0", "0.0.0.0", "255.255.0.0", 3, out);
	assert_string_equal(out, "10.66.0.0       -               255.255.0.0     !     0      -  "
				 "      0 -        -     -      -\n");
}

static void test_header4(void **st)
{
	(void)st;
	char out[ROUTE_LINE_MAX];
	route4_header(1, 0, out);
	assert_string_equal(out,
			    "Destination     Gateway         Genmask         Flags Metric Ref  "
			    "  Use Iface\n");
	route4_header(2, 1, out);
	assert_string_equal(out, "Source          Destination     Gateway         Flags   MSS "
				 "Window  irtt Iface\n");
	assert_int_equal(route4_header(0, 0, out), 0);
}

static const char proc6[] =
	"20010db8000200000000000000000000 30 00000000000000000000000000000000 00 "
	"20010db8000100000000000000000002 0000000a 00000002 00000000 00000003       d0\n";

static void test_parse6(void **st)
{
	(void)st;
	struct route6_row r;
	assert_int_equal(route6_parse_line(proc6, &r), 0);
	assert_int_equal(r.plen, 48);
	assert_int_equal(r.metric, 10);
	assert_int_equal(r.ref, 2);
	assert_int_equal(r.flags, 3);
	assert_string_equal(r.iface, "d0");
	assert_int_equal(r.dst[1], 0x01);
	assert_int_equal(r.gw[15], 0x02);
	char out[ROUTE_LINE_MAX];
	route6_line(&r, "2001:db8:2::/48", "2001:db8:1::2", out);
	assert_string_equal(out, "2001:db8:2::/48                2001:db8:1::2              UG   "
				 "10  2      0 d0\n");
	/* metric 0xffffffff prints as -1, as net-tools' %d does */
	char line[sizeof(proc6)];
	memcpy(line, proc6, sizeof(proc6));
	memcpy(strstr(line, "0000000a"), "ffffffff", 8);
	assert_int_equal(route6_parse_line(line, &r), 0);
	assert_int_equal(r.metric, -1);
}

static void test_parse6_bad(void **st)
{
	(void)st;
	struct route6_row r;
	assert_int_equal(route6_parse_line("", &r), -EINVAL);
	assert_int_equal(route6_parse_line("2001 30", &r), -EINVAL);
	char line[sizeof(proc6)];
	memcpy(line, proc6, sizeof(proc6));
	line[33] = 'z'; /* prefix length */
	assert_int_equal(route6_parse_line(line, &r), -EINVAL);
	memcpy(line, proc6, sizeof(proc6));
	memcpy(line + 33, "81", 2); /* 129 bits */
	assert_int_equal(route6_parse_line(line, &r), -EINVAL);
	memcpy(line, proc6, sizeof(proc6));
	line[sizeof(proc6) - 12] = '\0'; /* cut in the flags */
	assert_int_equal(route6_parse_line(line, &r), -EINVAL);
}

static void test_row_from_netlink(void **st)
{
	(void)st;
	struct rtnl_route r = {0};
	struct route4_row row;
	int oif;
	r.family = AF_INET;
	r.type = RTN_UNICAST;
	r.dst_len = 32;
	r.has_dst = true;
	memcpy(r.dst, "\x0a\x08\x00\x07", 4);
	r.has_gw = true;
	r.gw_family = AF_INET;
	memcpy(r.gw, "\x0a\x01\x00\x04", 4);
	r.has_oif = true;
	r.oif = 3;
	r.priority = 5;
	assert_true(route4_row_from(&r, &row, &oif));
	assert_int_equal(row.flags, RT_F_UP | RT_F_GATEWAY | RT_F_HOST);
	assert_int_equal(row.mask, 0xffffffffu);
	assert_int_equal(row.gw, ip4("10.1.0.4"));
	assert_int_equal(row.metric, 5);
	assert_int_equal(oif, 3);
	r.type = RTN_PROHIBIT;
	assert_true(route4_row_from(&r, &row, &oif));
	assert_true(row.flags & RT_F_REJECT);
	r.type = RTN_BROADCAST;
	assert_false(route4_row_from(&r, &row, &oif));
	r.type = RTN_MULTICAST;
	assert_false(route4_row_from(&r, &row, &oif));
	r.type = RTN_UNICAST;
	r.family = AF_INET6;
	assert_false(route4_row_from(&r, &row, &oif));
}

static void test_parse4_args(void **st)
{
	(void)st;
	struct route4_edit ed;
	char *a1[] = {"#net",	"10.5.0.0", "netmask", "255.255.0.0", "gw",	"10.1.0.2",
		      "metric", "3",	    "mss",     "1000",	      "window", "3000",
		      "irtt",	"50",	    "dev",     "d0",	      NULL};
	assert_int_equal(route4_parse(a1, true, &ed), 0);
	assert_int_equal(ed.dst, ip4("10.5.0.0"));
	assert_int_equal(ed.mask, ip4("255.255.0.0"));
	assert_int_equal(ed.gw, ip4("10.1.0.2"));
	assert_int_equal(ed.metric, 4);
	assert_string_equal(ed.dev, "d0");
	struct route_req q;
	assert_int_equal(route4_to_req(&ed, true, 7, true, &q), 0);
	assert_int_equal(q.cmd, RTM_NEWROUTE);
	assert_int_equal(q.r.dst.len, 16);
	assert_int_equal(q.r.priority, 3);
	assert_int_equal(q.r.scope, RT_SCOPE_UNIVERSE);
	assert_int_equal(q.r.protocol, RTPROT_BOOT);
	assert_int_equal(q.r.oif, 7);
	assert_int_equal(q.metrics[RTAX_ADVMSS], 960);
	assert_int_equal(q.metrics[RTAX_RTT], 400);
	assert_int_equal(q.metrics[RTAX_WINDOW], 3000);
	/* a gateway that is one of our addresses keeps scope link */
	assert_int_equal(route4_to_req(&ed, true, 7, false, &q), 0);
	assert_int_equal(q.r.scope, RT_SCOPE_LINK);
	/* a delete matches any protocol and scope */
	assert_int_equal(route4_to_req(&ed, false, 7, true, &q), 0);
	assert_int_equal(q.cmd, RTM_DELROUTE);
	assert_true(q.r.protocol_set);
	assert_int_equal(q.r.protocol, 0);
}

static void test_parse4_host_reject(void **st)
{
	(void)st;
	struct route4_edit ed;
	struct route_req q;
	char *a1[] = {"10.8.0.2", "dev", "d0", NULL};
	assert_int_equal(route4_parse(a1, true, &ed), 0);
	assert_true(ed.flags & RT_F_HOST);
	assert_int_equal(route4_to_req(&ed, true, 2, true, &q), 0);
	assert_int_equal(q.r.dst.len, 32);
	assert_int_equal(q.r.scope, RT_SCOPE_LINK);
	char *a2[] = {"#net", "10.9.0.0/16", "reject", NULL};
	assert_int_equal(route4_parse(a2, true, &ed), 0);
	assert_string_equal(ed.dev, "lo");
	assert_int_equal(route4_to_req(&ed, true, 0, true, &q), 0);
	assert_int_equal(q.r.type, RTN_UNREACHABLE);
	assert_int_equal(q.r.scope, RT_SCOPE_HOST);
	/* -net without a mask: the kernel's bad_mask() says EINVAL */
	char *a3[] = {"#net", "10.9.0.0", "dev", "d0", NULL};
	assert_int_equal(route4_parse(a3, true, &ed), 0);
	assert_int_equal(route4_to_req(&ed, true, 2, true, &q), -EINVAL);
	/* a device that does not exist */
	char *a4[] = {"#net", "10.9.0.0/16", "dev", "nosuch", NULL};
	assert_int_equal(route4_parse(a4, true, &ed), 0);
	assert_int_equal(route4_to_req(&ed, true, 0, true, &q), -ENODEV);
	char *a5[] = {"default", "gw", "10.1.0.1", NULL};
	assert_int_equal(route4_parse(a5, true, &ed), 0);
	assert_false(ed.flags & RT_F_HOST);
	assert_int_equal(route4_to_req(&ed, true, 0, true, &q), 0);
	assert_int_equal(q.r.dst.len, 0);
}

static void test_parse4_errors(void **st)
{
	(void)st;
	struct route4_edit ed;
	char *bad[][8] = {
		{"#net", NULL},
		{"10.6.0.0/16", "dev", "d0", NULL},		       /* host route with a mask */
		{"#net", "10.13.0.0", "netmask", "255.0.255.0", NULL}, /* bogus */
		{"#net", "10.15.0.1", "netmask", "255.255.0.0", NULL}, /* host bits */
		{"#net", "10.0.0.0/8", "metric", "x", NULL},	       /* not a number */
		{"#net", "10.0.0.0/8", "mss", "10", NULL},	       /* out of range */
		{"#net", "10.0.0.0/8", "dev", "a", "b", NULL},	       /* trailing word */
		{"#net", "10.0.0.0/8", "gw", "1.1.1.1", "gw", "1.1.1.2", NULL},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(route4_parse(bad[i], true, &ed), ROUTE_E_OPTERR);
}

static void test_parse6_args(void **st)
{
	(void)st;
	struct route6_edit ed;
	struct route_req q;
	char *a1[] = {"2001:db8:6::5", "dev", "d0", NULL};
	assert_int_equal(route6_parse(a1, &ed), 0);
	assert_int_equal(ed.plen, 128);
	route6_to_req(&ed, true, 4, &q);
	assert_int_equal(q.r.flags, RTNH_F_ONLINK); /* reads back as RTF_HOST */
	assert_int_equal(q.r.priority, 1);
	assert_int_equal(q.r.oif, 4);
	char *a2[] = {"2001:db8:8::/48", "gw", "2001:db8:1::2", "metric", "0", "d0", NULL};
	assert_int_equal(route6_parse(a2, &ed), 0);
	route6_to_req(&ed, false, 4, &q);
	assert_int_equal(q.r.priority, 1024);
	assert_int_equal(q.r.gw.family, AF_INET6);
	assert_int_equal(q.r.flags, 0);
	assert_string_equal(ed.dev, "d0");
	char *a3[] = {"2001:db8::/129", NULL};
	assert_int_equal(route6_parse(a3, &ed), ROUTE_E_OPTERR);
	char *a4[] = {"default", "x", "y", NULL};
	assert_int_equal(route6_parse(a4, &ed), ROUTE_E_OPTERR);
	char *a5[] = {NULL};
	assert_int_equal(route6_parse(a5, &ed), ROUTE_E_OPTERR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flags),	      cmocka_unit_test(test_ntoa_mask),
		cmocka_unit_test(test_line4),	      cmocka_unit_test(test_line4_reject),
		cmocka_unit_test(test_header4),	      cmocka_unit_test(test_parse6),
		cmocka_unit_test(test_parse6_bad),    cmocka_unit_test(test_row_from_netlink),
		cmocka_unit_test(test_parse4_args),   cmocka_unit_test(test_parse4_host_reject),
		cmocka_unit_test(test_parse4_errors), cmocka_unit_test(test_parse6_args),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
