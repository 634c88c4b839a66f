/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness for the ss filter language. The first byte picks a
 * mode, the rest is the input:
 *   bit 0 clear: the text, one word list per line, as command-line words;
 *   bit 0 set:   the text as a -F file (read line by line, as ss does);
 *   bit 1 set:   structure-aware: each byte is one token of the grammar
 *                (keywords, operators, values: tokens[] below), so a short
 *                input nests deep or chains long ("!" x 10000, 4000 "or"
 *                terms); the tokens go in as a -F file, 8 a line.
 * What parses is compiled to bytecode, which must be what the kernel
 * accepts (at most one netlink attribute, every jump inside it: the
 * checks of inet_diag_bc_audit), and matched against a socket. Names never
 * resolve (no DNS). Inputs up to 1 MiB (tests/fuzz/ss_filter.options);
 * tests/fuzz/ss_filter.dict has the words. Run by scripts/fuzz.sh. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/inet_diag.h>

#include "cmd/ss/filter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const tokens[] = {
	"!",	 "not",	   "(",		")",	     "or",	   "and",   "|",	 "&",
	"||",	 "&&",	   "sport",	"dport",     "src",	   "dst",   "=",	 "!=",
	">",	 "<",	   ">=",	"<=",	     "eq",	   "gt",    ":22",	 ":80",
	":1",	 ":65535", "*:22",	"10.0.0.1",  "10.0.0.0/8", "[::1]", "[::1]:443", "::/0",
	"dev",	 "lo",	   "fwmark",	"0x1/0x1",   "cgroup",	   "/",	    "autobound", "unix:*",
	"inet:", "inet6:", "0.0.0.0/0", "1.2.3.4:5", "ssh",	   "bogus", "neq",	 "leq",
};

/* The kernel's inet_diag_bc_audit, for the lengths and jumps: the
 * program fits one attribute, the "yes" chain ends exactly at its end,
 * every "no" lands on an op of that chain or on the end (+0: accept, +4:
 * reject). */
static void audit(const uint8_t *bc, int len)
{
	if (len > SSF_BC_MAX || len % 4)
		abort();
	uint8_t *op_at = calloc((size_t)len / 4 + 1, 1);
	int off = 0;
	while (off < len) {
		struct inet_diag_bc_op op;
		memcpy(&op, bc + off, sizeof(op));
		if (op.yes < 4 || op.yes > len - off + 4 || op.yes % 4)
			abort();
		op_at[off / 4] = 1;
		off += op.yes;
	}
	if (off != len)
		abort();
	for (off = 0; off < len;) {
		struct inet_diag_bc_op op;
		memcpy(&op, bc + off, sizeof(op));
		int to = off + op.no;
		if (op.code != INET_DIAG_BC_NOP &&
		    (op.no < 4 || to > len + 4 || op.no % 4 || (to < len && !op_at[to / 4])))
			abort();
		off += op.yes;
	}
	free(op_at);
}

/* The token stream of a structure-aware input: a -F file, 8 words a line. */
static char *token_text(const uint8_t *p, size_t n, size_t *len)
{
	size_t ntok = sizeof(tokens) / sizeof(tokens[0]), cap = n * 12 + 2, at = 0;
	char *s = malloc(cap);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (size_t i = 0; i < n; i++)
		at += (size_t)snprintf(s + at, cap - at, "%s%c", tokens[p[i] % ntok],
				       i % 8 == 7 ? '\n' : ' ');
	*len = at;
	return s;
}

/* Command-line words: one per line of the input. */
static int run_words(char *buf, struct ssf_env *env, struct ssf_node **n)
{
	size_t cap = 16, argc = 0;
	char **argv = malloc(cap * sizeof(*argv));
	for (char *t = strtok(buf, "\n"); argv && t; t = strtok(NULL, "\n")) {
		if (argc == cap) {
			char **v = realloc(argv, (cap *= 2) * sizeof(*argv));
			if (!v)
				break;
			argv = v;
		}
		argv[argc++] = t;
	}
	int r = argv ? ssf_parse((int)argc, argv, NULL, env, n) : -1;
	free(argv);
	return r;
}

static void check(const struct ssf_node *n)
{
	uint8_t *bc = NULL;
	int len = ssf_compile(n, &bc);
	if (len > 0)
		audit(bc, len);
	else if (bc)
		abort();
	free(bc);
	struct ssf_sock s = {.family = AF_INET, .lport = 22, .rport = 40000, .lname = "/x"};
	ssf_match(n, &s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > (1u << 20))
		return 0;
	size_t len = size - 1;
	char *buf = data[0] & 2 ? token_text(data + 1, len, &len) : malloc(size);
	if (!buf)
		return 0;
	if (!(data[0] & 2)) {
		memcpy(buf, data + 1, len);
		buf[len] = '\0';
	}
	struct ssf_env env = {.family = AF_UNSPEC, .tcp = true, .udp = true, .no_resolve = true};
	struct ssf_node *n = NULL;
	int r;
	if (data[0] & 3) {
		FILE *fp = fmemopen(buf, len ? len : 1, "r");
		r = fp ? ssf_parse(0, NULL, fp, &env, &n) : -1;
		if (fp)
			fclose(fp);
	} else {
		r = run_words(buf, &env, &n);
	}
	if (r == 0 && n)
		check(n);
	ssf_free(n);
	free(buf);
	return 0;
}
