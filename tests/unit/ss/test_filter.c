/* SPDX-License-Identifier: Apache-2.0 */
/* ss filter language: parser (valid and malformed), bytecode layout, and
 * the bytecode checked against the userspace matcher by running it the
 * way the kernel's inet_diag does. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <linux/inet_diag.h>

#include "cmd/ss/filter.h"

/* Split a string into words and parse it. */
static int parse(const char *expr, struct ssf_node **out, struct ssf_env *env)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", expr);
	char *argv[64];
	int argc = 0;
	for (char *t = strtok(buf, " "); t && argc < 64; t = strtok(NULL, " "))
		argv[argc++] = t;
	memset(env, 0, sizeof(*env));
	env->family = AF_UNSPEC;
	env->tcp = true;
	env->udp = true;
	env->no_resolve = true; /* unit tests send no DNS queries */
	return ssf_parse(argc, argv, NULL, env, out);
}

static void test_valid(void **state)
{
	(void)state;
	static const char *ok[] = {
		"dport = :22",
		"sport == :22",
		"dport eq :22",
		"dport != :22",
		"dport > :1024",
		"dport gt :1024",
		"sport <= :443",
		"sport leq :443",
		"dport ge :1",
		"dport :22",
		"( dport = :22 or sport = :22 )",
		"( dport = :22 || sport = :22 )",
		"dport = :22 and sport > :1000",
		"dport = :22 && sport > :1000",
		"dport = :22 sport > :1000",
		"not dport = :22",
		"! ( sport = :8080 | dport = :8080 )",
		"dst 127.0.0.1",
		"dst = 10.0.0.0/8",
		"src [::1]:443",
		"src *:22",
		"src inet6:[::1]",
		"src 10.1",
		"dst 10.0.0.0/255.0.0.0",
		"sport = :ssh",
		"autobound",
		"src unix:/tmp/*",
		"fwmark 0x10/0xff",
		"dev 1",
		"",
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct ssf_node *n;
		struct ssf_env env;
		int r = parse(ok[i], &n, &env);
		if (r != 0)
			fail_msg("'%s' should parse, got %d: %s", ok[i], r, env.err);
		ssf_free(n);
	}
}

static void test_malformed(void **state)
{
	(void)state;
	static const struct {
		const char *expr;
		int code;
		const char *msg;
	} bad[] = {
		{"dport = :22 )", SSF_SYNTAX, ""},
		{"( dport = :22", SSF_SYNTAX, ""},
		{"dport =", SSF_SYNTAX, ""},
		{"dport = :22 and", SSF_SYNTAX, ""},
		{"and dport = :22", SSF_SYNTAX, ""},
		{"( )", SSF_SYNTAX, ""},
		{"dst != 127.0.0.1", SSF_SYNTAX, ""},
		{"not", SSF_SYNTAX, ""},
		{"dport = :abc", SSF_BADARG, "Error: \"abc\" does not look like a port.\n"},
		{"src 999.1.1.1", SSF_BADARG,
		 "Error: an inet prefix is expected rather than \"999.1.1.1\".\n"},
		{"(dport = :22)", SSF_BADARG, "Cannot parse dst/src address.\n"},
		{"foo", SSF_BADARG, "Cannot parse dst/src address.\n"},
		{"src [::1", SSF_BADARG, "Cannot parse dst/src address.\n"},
		{"src 127.0.0.1/33", SSF_BADARG, "does not look"},
		{"fwmark zz", SSF_BADARG, "Cannot parse mark zz.\n"},
		{"dev nosuchdev0", SSF_BADARG, "Cannot parse device.\n"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ssf_node *n = (void *)1;
		struct ssf_env env;
		int r = parse(bad[i].expr, &n, &env);
		if (r != bad[i].code)
			fail_msg("'%s': want %d got %d (%s)", bad[i].expr, bad[i].code, r, env.err);
		assert_null(n);
		if (bad[i].code == SSF_BADARG && strcmp(bad[i].msg, "does not look") &&
		    !strstr(env.err, bad[i].msg))
			fail_msg("'%s': message '%s'", bad[i].expr, env.err);
	}
}

static void test_tree_shape(void **state)
{
	(void)state;
	struct ssf_node *n;
	struct ssf_env env;
	/* no precedence: left to right */
	assert_int_equal(parse("dport = :1 or dport = :2 and dport = :3", &n, &env), 0);
	assert_int_equal(n->type, SSF_AND);
	assert_int_equal(n->a->type, SSF_OR);
	ssf_free(n);
	assert_int_equal(parse("dport > :5", &n, &env), 0);
	assert_int_equal(n->type, SSF_NOT);
	assert_int_equal(n->a->type, SSF_D_LE);
	assert_int_equal(n->a->host->port, 5);
	ssf_free(n);
	assert_int_equal(parse("src [2001:db8::1]:80", &n, &env), 0);
	assert_int_equal(n->type, SSF_SCOND);
	assert_int_equal(n->host->family, AF_INET6);
	assert_int_equal(n->host->bitlen, 128);
	assert_int_equal(n->host->port, 80);
	ssf_free(n);
	assert_int_equal(parse("src 2001:db8::/64", &n, &env), 0);
	assert_int_equal(n->host->bitlen, 64);
	assert_int_equal(n->host->port, -1);
	ssf_free(n);
	/* as in iproute2, a prefix length after brackets reads as a port */
	assert_int_equal(parse("src [2001:db8::]/32", &n, &env), SSF_BADARG);
	assert_int_equal(parse("src inet6:[::1]", &n, &env), 0);
	assert_int_equal(env.forced_family, AF_INET6);
	ssf_free(n);
}

static void test_bytecode_layout(void **state)
{
	(void)state;
	struct ssf_node *n;
	struct ssf_env env;
	uint8_t *bc;
	assert_int_equal(parse("dport = :22", &n, &env), 0);
	int len = ssf_compile(n, &bc);
	assert_int_equal(len, 16);
	struct inet_diag_bc_op op;
	memcpy(&op, bc, 4);
	assert_int_equal(op.code, INET_DIAG_BC_D_COND);
	assert_int_equal(op.yes, 16);
	assert_int_equal(op.no, 20);
	struct inet_diag_hostcond hc;
	memcpy(&hc, bc + 4, sizeof(hc));
	assert_int_equal(hc.family, AF_UNSPEC);
	assert_int_equal(hc.prefix_len, 0);
	assert_int_equal(hc.port, 22);
	free(bc);
	ssf_free(n);

	assert_int_equal(parse("dport = :22 or sport = :22", &n, &env), 0);
	len = ssf_compile(n, &bc);
	assert_int_equal(len, 36);
	memcpy(&op, bc + 16, 4);
	assert_int_equal(op.code, INET_DIAG_BC_JMP);
	assert_int_equal(op.no, 20);
	free(bc);
	ssf_free(n);

	/* devices have no bytecode: the whole filter stays in userspace */
	assert_int_equal(parse("dport = :22 and dev 1", &n, &env), 0);
	assert_int_equal(ssf_compile(n, &bc), 0);
	ssf_free(n);
}

/* The kernel's inet_diag_bc_run, for the ops the compiler emits. */
struct entry {
	int family;
	uint32_t saddr[4], daddr[4];
	int sport, dport;
	bool userlocks;
	uint32_t mark;
};

static bool bitstring_match(const uint32_t *a1, const uint32_t *a2, int bits)
{
	int words = bits >> 5;
	bits &= 0x1f;
	if (words && memcmp(a1, a2, (size_t)words * 4))
		return false;
	if (bits) {
		uint32_t mask = htonl((0xffffffffu) << (32 - bits));
		if ((a1[words] ^ a2[words]) & mask)
			return false;
	}
	return true;
}

static bool kernel_run(const uint8_t *bc, int len, const struct entry *e)
{
	const uint8_t *p = bc;
	while (len > 0) {
		struct inet_diag_bc_op op;
		memcpy(&op, p, 4);
		bool yes = true;
		switch (op.code) {
		case INET_DIAG_BC_NOP: break;
		case INET_DIAG_BC_JMP: yes = false; break;
		case INET_DIAG_BC_S_GE:
		case INET_DIAG_BC_S_LE:
		case INET_DIAG_BC_D_GE:
		case INET_DIAG_BC_D_LE: {
			struct inet_diag_bc_op arg;
			memcpy(&arg, p + 4, 4);
			int port = op.code <= INET_DIAG_BC_S_LE ? e->sport : e->dport;
			yes = (op.code == INET_DIAG_BC_S_GE || op.code == INET_DIAG_BC_D_GE)
				      ? port >= arg.no
				      : port <= arg.no;
			break;
		}
		case INET_DIAG_BC_AUTO: yes = !e->userlocks; break;
		case INET_DIAG_BC_S_COND:
		case INET_DIAG_BC_D_COND: {
			struct inet_diag_hostcond hc;
			memcpy(&hc, p + 4, sizeof(hc));
			uint32_t addr[4];
			memcpy(addr, p + 4 + sizeof(hc), hc.family == AF_INET6 ? 16 : 4);
			bool src = op.code == INET_DIAG_BC_S_COND;
			int port = src ? e->sport : e->dport;
			const uint32_t *a = src ? e->saddr : e->daddr;
			if (hc.port != -1 && hc.port != port) {
				yes = false;
				break;
			}
			if (!hc.prefix_len)
				break;
			if (hc.family == AF_INET && e->family == AF_INET6 && a[0] == 0 &&
			    a[1] == 0 && a[2] == htonl(0xffff)) {
				yes = bitstring_match(a + 3, addr, hc.prefix_len);
				break;
			}
			yes = hc.family == e->family && bitstring_match(a, addr, hc.prefix_len);
			break;
		}
		case INET_DIAG_BC_MARK_COND: {
			struct inet_diag_markcond mc;
			memcpy(&mc, p + 4, sizeof(mc));
			yes = (e->mark & mc.mask) == mc.mark;
			break;
		}
		default: fail_msg("unexpected op %d", op.code);
		}
		if (yes) {
			len -= op.yes;
			p += op.yes;
		} else {
			len -= op.no;
			p += op.no;
		}
	}
	return len == 0;
}

static void test_bytecode_semantics(void **state)
{
	(void)state;
	static const char *exprs[] = {
		"dport = :22",
		"sport = :22 or dport = :22",
		"not dport = :22",
		"dport > :1024 and sport < :2000",
		"dport >= :100 dport <= :200",
		"! ( dport = :22 or sport = :22 ) and src 10.0.0.0/8",
		"src 10.0.0.0/8 or dst 192.168.0.0/16:80",
		"dst 10.1.2.3",
		"src 2001:db8::/32",
		"( sport = :1 or sport = :2 ) and ( dport = :3 or not dport = :4 )",
		"not not sport = :5",
		"fwmark 0x1/0x1 or dport = :7",
		"dport != :9 dport != :10 dport != :11",
		"sport = :1 or sport = :2 and dport = :3 or dport = :4",
		"sport = :1 and sport = :2 or dport = :3 and not dport = :4 or sport = :5",
		"( sport = :1 sport = :2 ) or ( dport = :3 or dport = :4 ) and sport = :5",
		"! ( sport = :1 or ( dport = :2 and ! ( sport = :3 or dport = :4 ) ) ) or dport = "
		":5",
	};
	srand(7);
	for (size_t i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++) {
		struct ssf_node *n;
		struct ssf_env env;
		if (parse(exprs[i], &n, &env))
			fail_msg("parse '%s': %s", exprs[i], env.err);
		uint8_t *bc;
		int len = ssf_compile(n, &bc);
		assert_true(len > 0);
		for (int k = 0; k < 3000; k++) {
			struct entry e = {.family = rand() % 2 ? AF_INET : AF_INET6};
			static const int ports[] = {1,	2,  3,	 4,   5,   7,	 9,    10,   11,
						    22, 80, 100, 150, 200, 1024, 1500, 2000, 40000};
			e.sport = ports[rand() % 18];
			e.dport = ports[rand() % 18];
			e.mark = (uint32_t)(rand() % 4);
			if (e.family == AF_INET) {
				static const char *v4[] = {"10.1.2.3", "10.9.9.9", "192.168.1.1",
							   "172.16.0.1"};
				inet_pton(AF_INET, v4[rand() % 4], e.saddr);
				inet_pton(AF_INET, v4[rand() % 4], e.daddr);
			} else {
				static const char *v6[] = {"2001:db8::1", "::1", "fe80::1",
							   "2001:db9::5"};
				inet_pton(AF_INET6, v6[rand() % 4], e.saddr);
				inet_pton(AF_INET6, v6[rand() % 4], e.daddr);
			}
			struct ssf_sock s = {.family = e.family,
					     .lport = e.sport,
					     .rport = e.dport,
					     .mark = e.mark};
			memcpy(s.laddr, e.saddr, 16);
			memcpy(s.raddr, e.daddr, 16);
			bool k1 = kernel_run(bc, len, &e);
			bool u1 = ssf_match(n, &s);
			/* the kernel also checks families; userspace runs after it */
			if (k1 != u1 && !(u1 && !k1))
				fail_msg("'%s': kernel %d userspace %d", exprs[i], k1, u1);
		}
		free(bc);
		ssf_free(n);
	}
}

/* Words for ssf_parse: argv built from repeated parts. */
struct words {
	char **v;
	int n, cap;
};

static void add(struct words *w, const char *text, int times)
{
	for (int t = 0; t < times; t++) {
		char buf[64];
		snprintf(buf, sizeof(buf), "%s", text);
		for (char *p = strtok(buf, " "); p; p = strtok(NULL, " ")) {
			if (w->n == w->cap) {
				w->cap = w->cap ? w->cap * 2 : 1024;
				w->v = realloc(w->v, (size_t)w->cap * sizeof(*w->v));
				assert_non_null(w->v);
			}
			w->v[w->n++] = strdup(p);
		}
	}
}

static int parse_words(struct words *w, struct ssf_node **out)
{
	struct ssf_env env = {.family = AF_UNSPEC, .tcp = true, .no_resolve = true};
	int r = ssf_parse(w->n, w->v, NULL, &env, out);
	for (int i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
	memset(w, 0, sizeof(*w));
	return r;
}

/* "!" or "(" n deep around one condition (and n ")"). */
static int nested(const char *open, const char *close, int n)
{
	struct words w = {0};
	add(&w, open, n);
	add(&w, "sport = :22", 1);
	if (close)
		add(&w, close, n);
	struct ssf_node *t = NULL;
	int r = parse_words(&w, &t);
	if (r == 0) {
		struct ssf_sock s = {.family = AF_INET, .lport = 22};
		assert_true(ssf_match(t, &s) == (!strcmp(open, "!") ? n % 2 == 0 : true));
		uint8_t *bc = NULL;
		int len = ssf_compile(t, &bc);
		assert_true(len > 0 || len == SSF_BC_TOO_LONG);
		free(bc);
	}
	ssf_free(t);
	return r;
}

/* Nesting stops where iproute2's bison stack (10000 entries) does, with
 * its "memory exhausted", not with a stack overflow (100,000 "!" crashed
 * the compiler: issue 15). Each "!" or "(" is one entry, "( x or" three. */
static void test_nesting_capped(void **state)
{
	(void)state;
	assert_int_equal(nested("!", NULL, 9995), 0);
	assert_int_equal(nested("!", NULL, 9996), SSF_DEEP);
	assert_int_equal(nested("not", NULL, 100000), SSF_DEEP);
	assert_int_equal(nested("(", ")", 9995), 0);
	assert_int_equal(nested("(", ")", 9996), SSF_DEEP);
	assert_int_equal(nested("( sport = :1 or", ")", 3331), 0);
	assert_int_equal(nested("( sport = :1 or", ")", 3332), SSF_DEEP);
}

/* A chain of any length is no deeper than one term: 100,000 "or" terms
 * (SIGSEGV in compile before) parse, match and free; their bytecode is
 * too long for a netlink attribute. */
static void test_long_chain(void **state)
{
	(void)state;
	struct words w = {0};
	for (int i = 1; i <= 100000; i++) {
		char term[48];
		snprintf(term, sizeof(term), "%ssport = :%d", i > 1 ? "or " : "", i % 60000 + 1);
		add(&w, term, 1);
	}
	struct ssf_node *t;
	assert_int_equal(parse_words(&w, &t), 0);
	struct ssf_sock s = {.family = AF_INET, .lport = 60000};
	assert_true(ssf_match(t, &s));
	s.lport = 60001;
	assert_false(ssf_match(t, &s));
	uint8_t *bc = (void *)1;
	assert_int_equal(ssf_compile(t, &bc), SSF_BC_TOO_LONG);
	assert_null(bc);
	ssf_free(t);
}

/* n "sport = :P" terms joined by "or": 20n - 4 bytes of bytecode. */
static int or_chain(int n, struct ssf_node **t, uint8_t **bc)
{
	struct words w = {0};
	for (int i = 1; i <= n; i++) {
		char term[48];
		snprintf(term, sizeof(term), "%ssport = :%d", i > 1 ? "or " : "", i);
		add(&w, term, 1);
	}
	assert_int_equal(parse_words(&w, t), 0);
	return ssf_compile(*t, bc);
}

/* The bytecode fits one netlink attribute (65535 bytes with its 4-byte
 * header) or is not made: 3,400 terms made 68,000 bytes, sent with a
 * length cut to 16 bits and jumps cast to u16 (the kernel said EINVAL). */
static void test_bytecode_limit(void **state)
{
	(void)state;
	struct ssf_node *t;
	uint8_t *bc;
	int len = or_chain(3276, &t, &bc);
	assert_int_equal(len, 20 * 3276 - 4);
	assert_true(len <= SSF_BC_MAX);
	static const int ports[] = {1, 2, 1000, 3275, 3276, 3277, 60000};
	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
		struct entry e = {.family = AF_INET, .sport = ports[i]};
		assert_int_equal(kernel_run(bc, len, &e), ports[i] <= 3276);
	}
	free(bc);
	ssf_free(t);
	assert_int_equal(or_chain(3277, &t, &bc), SSF_BC_TOO_LONG);
	ssf_free(t);
	assert_int_equal(or_chain(3400, &t, &bc), SSF_BC_TOO_LONG);
	ssf_free(t);
}

static void test_match_unix(void **state)
{
	(void)state;
	struct ssf_node *n;
	struct ssf_env env;
	assert_int_equal(parse("src unix:/tmp/*.sock", &n, &env), 0);
	assert_int_equal(env.forced_family, AF_UNIX);
	struct ssf_sock s = {.family = AF_UNIX, .lname = "/tmp/a.sock"};
	assert_true(ssf_match(n, &s));
	s.lname = "/var/a.sock";
	assert_false(ssf_match(n, &s));
	s.lname = NULL;
	assert_false(ssf_match(n, &s));
	ssf_free(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_tree_shape),
		cmocka_unit_test(test_bytecode_layout),
		cmocka_unit_test(test_bytecode_semantics),
		cmocka_unit_test(test_match_unix),
		cmocka_unit_test(test_nesting_capped),
		cmocka_unit_test(test_long_chain),
		cmocka_unit_test(test_bytecode_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
