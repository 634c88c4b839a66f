/* SPDX-License-Identifier: Apache-2.0 */
/* The lab's topology parser and its DNS data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <linux/rtnetlink.h>

#include "cmd/lab/dnsdata.h"
#include "cmd/lab/topo.h"

static const char good[] = "# a comment\n"
			   "host c\nhost r forward   # trailing comment\nhost s\n"
			   "bridge r:lan\n"
			   "link c:eth0 r:eth0\n"
			   "link s:eth0 r:p-s master lan\n"
			   "addr c:eth0 10.0.0.2/24 2001:db8:1::2/64\n"
			   "addr r:eth0 10.0.0.1/24\n"
			   "addr r:lan 10.0.1.1/24\n"
			   "addr s:eth0 10.0.1.2/24\n"
			   "route c default via 10.0.0.1\n"
			   "route c default via 2001:db8:1::1\n"
			   "route s local 198.19.0.0/16 dev lo\n"
			   "impair r:eth0 delay 20ms jitter 2.5ms loss 10%\n"
			   "service s ssh dns\n"
			   "firewall s drop tcp 8081,8082\n"
			   "firewall s reject udp 9\n"
			   "asn 10.0.1.0/24 AS64503\n"
			   "asn 2001:db8:1::/64 64501\n";

static void test_parse_good(void **state)
{
	(void)state;
	struct topo *t = malloc(sizeof(*t));
	char err[256] = "";
	assert_int_equal(topo_parse(good, t, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_int_equal(t->nhosts, 3);
	assert_true(t->hosts[1].forward);
	assert_false(t->hosts[0].forward);
	assert_int_equal(t->nlinks, 2);
	assert_string_equal(t->links[1].master, "lan");
	assert_string_equal(t->links[1].b.ifname, "p-s");
	assert_int_equal(t->naddrs, 5);
	assert_int_equal(t->nroutes, 3);
	assert_int_equal(t->routes[1].dst.family, AF_INET6); /* default takes via's family */
	assert_int_equal(t->routes[2].type, RTN_LOCAL);
	assert_int_equal(t->routes[2].dst.len, 16);
	assert_int_equal(t->impairs[0].delay_us, 20000);
	assert_int_equal(t->impairs[0].jitter_us, 2500);
	assert_int_equal(t->impairs[0].loss_ppm, 100000);
	assert_int_equal(t->hosts[2].services, (1ull << SVC_SSH) | (1ull << SVC_DNS));
	assert_int_equal(t->nfw, 2);
	assert_int_equal(t->fw[0].nports, 2);
	assert_int_equal(t->fw[0].ports[1], 8082);
	assert_true(t->fw[1].reject);
	assert_int_equal(t->fw[1].proto, 17);
	assert_int_equal(t->asn[0].asn, 64503);
	assert_int_equal(topo_dns_host(t), 2);
	assert_non_null(topo_host_addr(t, 0, AF_INET6));
	assert_null(topo_host_addr(t, 1, AF_INET6));
	free(t);
}

static void test_parse_errors(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		const char *err;
	} cases[] = {
		{"host a\nhost a\n", "line 2: host 'a' declared twice"},
		{"host a\nlink a:e0 b:e0\n", "line 2: unknown host 'b'"},
		{"host a\nhost b\nlink a:e0 b:e0 master x\n", "line 3: no bridge 'x' in host 'b'"},
		{"host a\naddr a:eth0 10.0.0.1/24\n", "address on unknown interface a:eth0"},
		{"host a\nhost b\nlink a:e0 b:e0\naddr a:e0 10.0.0.300/24\n",
		 "line 4: '10.0.0.300/24' is not an ADDRESS/LENGTH"},
		{"host a\nhost b\nlink a:e0 b:e0\naddr a:e0 10.0.0.1\n", "not an ADDRESS/LENGTH"},
		{"host a\nroute a 10.0.0.0/8\n",
		 "a route needs 'via GATEWAY', 'dev IF' or 'nexthop'"},
		{"host a\nroute a 10.0.0.0/8 nexthop\n",
		 "a nexthop needs 'via GATEWAY' or 'dev IF'"},
		{"host a\nroute a 10.0.0.0/8 nexthop nexthop via 10.0.0.1\n",
		 "a nexthop needs 'via GATEWAY' or 'dev IF'"},
		{"host a\nroute a 10.0.0.0/8 via 10.0.0.1 nexthop via 10.0.0.2\n",
		 "'via' and 'dev' of a multipath route go after 'nexthop'"},
		{"host a\nroute a blackhole 10.0.0.0/8 nexthop via 10.0.0.2\n",
		 "only a unicast route has next hops"},
		{"host a\nroute a default nexthop via 10.0.0.1 nexthop via 2001:db8::1\n",
		 "bad gateway '10.0.0.1'"},
		{"host a\nroute a 10.0.0.0/8 nexthop via 10.0.0.1 weight 0\n",
		 "bad weight '0' (1-256)"},
		{"host a\nroute a 10.0.0.0/8 nexthop via 10.0.0.1 weight 257\n",
		 "bad weight '257'"},
		{"host a\nroute a 10.0.0.0/8 via 10.0.0.1 weight 2\n",
		 "unknown route option 'weight'"},
		{"host a\nroute a 10.0.0.0/8 nexthop via 10.0.0.1 nexthop via 10.0.0.2 nexthop via "
		 "10.0.0.3 "
		 "nexthop via 10.0.0.4 nexthop via 10.0.0.5 nexthop via 10.0.0.6 nexthop via "
		 "10.0.0.7 "
		 "nexthop via 10.0.0.8 nexthop via 10.0.0.9\n",
		 "too many next hops (at most 8)"},
		{"host a\nhost b\nlink a:e0 b:e0\nimpair a:e0 delay 1ms jitter 2ms\n",
		 "jitter larger than the delay"},
		{"host a\nhost b\nlink a:e0 b:e0\nimpair a:e0 loss 101%\n", "bad loss '101%'"},
		{"host a\nservice a gopher\n", "unknown service 'gopher'"},
		{"host a\nfirewall a drop tcp 0\n", "bad port '0'"},
		{"host a\nfirewall a accept tcp 80\n", "firewall action is drop or reject"},
		{"host averyveryverylongname\n", "bad host name"},
		{"host a\nhost b\nlink a:e0 b:e0\nlink a:e0 b:e1\n", "interface a:e0 used twice"},
		{"frob\n", "line 1: unknown statement 'frob'"},
		{"host a\nhost b\nlink a:e0 a:e1\n", "a link joins two different hosts"},
		{"host a\nresolver a\n", "resolver a runs no dns service"},
		{"\n# only comments\n", "no hosts"},
		{"host a\nasn 10.0.0.0/8 AS0\n", "bad AS number 'AS0'"},
	};
	struct topo *t = malloc(sizeof(*t));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[256] = "";
		assert_int_equal(topo_parse(cases[i].text, t, err, sizeof(err)), -22);
		if (!strstr(err, cases[i].err))
			fail_msg("case %zu: got '%s', want '%s'", i, err, cases[i].err);
	}
	free(t);
}

static void test_dns_data(void **state)
{
	(void)state;
	struct topo *t = malloc(sizeof(*t));
	char err[256];
	assert_int_equal(topo_parse(good, t, err, sizeof(err)), 0);
	struct strbuf b = {0};
	dns_hosts_file(t, &b);
	assert_non_null(strstr(b.s, "10.0.0.2 c.lab c\n2001:db8:1::2 c.lab c\n"));
	assert_non_null(strstr(b.s, "10.0.1.1 r.lab r\n"));
	sb_free(&b);
	dns_records(t, &b);
	assert_int_equal(b.err, 0);
	/* a /24 gets every address */
	assert_non_null(strstr(b.s, "txt-record=0.1.0.10.origin.asn.cymru.com,\"64503 | "
				    "10.0.1.0/24 | ZZ | lab | 2026-01-01\"\n"));
	assert_non_null(strstr(b.s, "txt-record=255.1.0.10.origin.asn.cymru.com,"));
	assert_null(strstr(b.s, "0.2.0.10.origin"));
	assert_non_null(strstr(b.s, "txt-record=AS64503.asn.cymru.com,\"64503 | ZZ | lab | "
				    "2026-01-01 | LAB-AS64503\"\n"));
	/* IPv6: the lab's addresses in the prefix */
	assert_non_null(strstr(b.s, "txt-record=2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0."
				    "8.b.d.0.1.0.0.2.origin6.asn.cymru.com,\"64501 | "
				    "2001:db8:1::/64 | ZZ | lab | 2026-01-01\"\n"));
	assert_non_null(strstr(b.s,
			       "txt-record=0.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.origin6.asn.cymru.com,"
			       "\"64501 | 2001:db8:1::/64 | ZZ | lab | 2026-01-01\"\n"));
	assert_non_null(strstr(b.s, "synth-domain=s.lab,198.19.0.0/16,h-\n"));
	sb_free(&b);
	free(t);
}

static void test_parse_multipath(void **state)
{
	(void)state;
	struct topo *t = malloc(sizeof(*t));
	char err[256] = "";
	const char *text = "host r forward\n"
			   "route r 198.18.3.0/24 nexthop via 198.18.12.2 nexthop via 198.18.13.2 "
			   "dev eth2 weight 3\n"
			   "route r default6 nexthop via 2001:db8:22::1 nexthop dev eth1\n"
			   "route r default nexthop via 198.18.22.1\n";
	assert_int_equal(topo_parse(text, t, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_int_equal(t->nroutes, 3);
	const struct topo_route *rt = &t->routes[0];
	assert_int_equal(rt->nnh, 2);
	assert_int_equal(rt->gw.family, 0);
	assert_string_equal(rt->dev, "");
	assert_int_equal(rt->nh[0].gw.family, AF_INET);
	assert_memory_equal(rt->nh[0].gw.addr, "\xc6\x12\x0c\x02", 4);
	assert_string_equal(rt->nh[0].dev, "");
	assert_int_equal(rt->nh[0].weight, 1);
	assert_memory_equal(rt->nh[1].gw.addr, "\xc6\x12\x0d\x02", 4);
	assert_string_equal(rt->nh[1].dev, "eth2");
	assert_int_equal(rt->nh[1].weight, 3);
	rt = &t->routes[1];
	assert_int_equal(rt->dst.family, AF_INET6);
	assert_int_equal(rt->nnh, 2);
	assert_int_equal(rt->nh[0].gw.family, AF_INET6);
	assert_int_equal(rt->nh[1].gw.family, 0);
	assert_string_equal(rt->nh[1].dev, "eth1");
	rt = &t->routes[2]; /* one next hop is a multipath route of one */
	assert_int_equal(rt->dst.family, AF_INET);
	assert_int_equal(rt->nnh, 1);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_multipath),
		cmocka_unit_test(test_dns_data),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
