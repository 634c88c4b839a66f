/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of nmap's output formatting: latency digits, the ignored
 * states rule, the normal port table and the grepable line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "cmd/nmap/nmap.h"

static void test_sigdig(void **state)
{
	(void)state;
	char b[32];
	nmap_sigdig(0.000013, 2, b, sizeof(b));
	assert_string_equal(b, "0.000013");
	nmap_sigdig(0.0002, 2, b, sizeof(b));
	assert_string_equal(b, "0.00020");
	nmap_sigdig(0.0134, 2, b, sizeof(b));
	assert_string_equal(b, "0.013");
	nmap_sigdig(1.53, 2, b, sizeof(b));
	assert_string_equal(b, "1.5");
	nmap_sigdig(153, 2, b, sizeof(b));
	assert_string_equal(b, "153");
}

static void test_bytecount(void **state)
{
	(void)state;
	char b[32];
	nmap_bytecount(72, b, sizeof(b));
	assert_string_equal(b, "72B");
	nmap_bytecount(999, b, sizeof(b));
	assert_string_equal(b, "999B");
	nmap_bytecount(88568, b, sizeof(b));
	assert_string_equal(b, "88.568KB");
	nmap_bytecount(2883480, b, sizeof(b));
	assert_string_equal(b, "2.883MB");
	nmap_bytecount(5000000000ull, b, sizeof(b));
	assert_string_equal(b, "5.000GB");
}

static struct nmap_ctx *ctx_new(void)
{
	struct nmap_ctx *c = calloc(1, sizeof(*c));
	int line;
	assert_non_null(c);
	assert_int_equal(svc_db_parse(&c->svc,
				      strdup("tcp 22 ssh 5 netbase\ntcp 80 http 1 netbase\n"
					     "tcp 8081 blackice-icecap 420 nmap\n"),
				      &line),
			 0);
	c->o.cfg.scans = SCAN_SYN;
	return c;
}

/* A host with open 22 and 80, filtered 8081 and n closed ports. */
static void host_fill(struct host *h, unsigned nclosed)
{
	memset(h, 0, sizeof(*h));
	struct sockaddr_in *sin = (struct sockaddr_in *)&h->addr;
	sin->sin_family = AF_INET;
	inet_pton(AF_INET, "198.18.3.10", &sin->sin_addr);
	h->status = HOST_UP;
	h->reason = REASON_ECHO_REPLY;
	h->reason_ttl = 62;
	h->rtt = 0.0002;
	h->rdns = strdup("target.lab");
	struct port_result p[] = {
		{.port = 22,
		 .proto = IPPROTO_TCP,
		 .state = PORT_OPEN,
		 .reason = REASON_SYN_ACK,
		 .reason_ttl = 62},
		{.port = 80,
		 .proto = IPPROTO_TCP,
		 .state = PORT_OPEN,
		 .reason = REASON_SYN_ACK,
		 .reason_ttl = 62},
		{.port = 8081,
		 .proto = IPPROTO_TCP,
		 .state = PORT_FILTERED,
		 .reason = REASON_NO_RESPONSE},
	};
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(host_add_port(h, &p[i]), 0);
	for (unsigned i = 0; i < nclosed; i++) {
		struct port_result q = {.port = (uint16_t)(1000 + i),
					.proto = IPPROTO_TCP,
					.state = PORT_CLOSED,
					.reason = REASON_RESET,
					.reason_ttl = 62};
		assert_int_equal(host_add_port(h, &q), 0);
	}
	host_sort_ports(h);
}

static char *render(struct nmap_ctx *c, const struct nmap_out_ops *ops, enum nmap_out kind,
		    const struct host *h)
{
	static char buf[1 << 16];
	struct nmap_output out = {.kind = kind, .used = true};
	out.fd = memfd_create("out", 0);
	out.e = malloc(sizeof(*out.e));
	emit_init(out.e, out.fd, kind == OUT_XML ? EMIT_XML : EMIT_TEXT, 0);
	ops->host(c, &out, h);
	emit_flush(out.e);
	ssize_t n = pread(out.fd, buf, sizeof(buf) - 1, 0);
	assert_true(n >= 0);
	buf[n] = '\0';
	close(out.fd);
	free(out.e);
	return buf;
}

static void test_ignored(void **state)
{
	(void)state;
	struct nmap_ctx *c = ctx_new();
	struct host h;
	struct nmap_ignored ig;
	host_fill(&h, 25); /* 25 closed: still shown */
	nmap_ignored_states(c, &h, &ig);
	assert_int_equal(ig.n, 0);
	host_clear(&h);
	host_fill(&h, 26);
	nmap_ignored_states(c, &h, &ig);
	assert_int_equal(ig.n, 1);
	assert_int_equal(ig.state[0], PORT_CLOSED);
	assert_int_equal(ig.count[0], 26);
	host_clear(&h);
	svc_db_free(&c->svc);
	free(c);
}

static void test_normal(void **state)
{
	(void)state;
	struct nmap_ctx *c = ctx_new();
	struct host h;
	host_fill(&h, 997);
	assert_string_equal(render(c, &nmap_out_normal, OUT_NORMAL, &h),
			    "Nmap scan report for target.lab (198.18.3.10)\n"
			    "Host is up (0.00020s latency).\n"
			    "Not shown: 997 closed tcp ports (reset)\n"
			    "PORT     STATE    SERVICE\n"
			    "22/tcp   open     ssh\n"
			    "80/tcp   open     http\n"
			    "8081/tcp filtered blackice-icecap\n"
			    "\n");
	c->o.cfg.reason = true;
	assert_string_equal(render(c, &nmap_out_normal, OUT_NORMAL, &h),
			    "Nmap scan report for target.lab (198.18.3.10)\n"
			    "Host is up, received echo-reply ttl 62 (0.00020s latency).\n"
			    "Not shown: 997 closed tcp ports (reset)\n"
			    "PORT     STATE    SERVICE         REASON\n"
			    "22/tcp   open     ssh             syn-ack ttl 62\n"
			    "80/tcp   open     http            syn-ack ttl 62\n"
			    "8081/tcp filtered blackice-icecap no-response\n"
			    "\n");
	host_clear(&h);
	svc_db_free(&c->svc);
	free(c);
}

static void test_grep(void **state)
{
	(void)state;
	struct nmap_ctx *c = ctx_new();
	struct host h;
	host_fill(&h, 30);
	assert_string_equal(render(c, &nmap_out_grep, OUT_GREP, &h),
			    "Host: 198.18.3.10 (target.lab)\tStatus: Up\n"
			    "Host: 198.18.3.10 (target.lab)\tPorts: 22/open/tcp//ssh///, "
			    "80/open/tcp//http///, 8081/filtered/tcp//blackice-icecap///\t"
			    "Ignored State: closed (30)\n");
	host_clear(&h);
	svc_db_free(&c->svc);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sigdig),	cmocka_unit_test(test_bytecount),
		cmocka_unit_test(test_ignored), cmocka_unit_test(test_normal),
		cmocka_unit_test(test_grep),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
