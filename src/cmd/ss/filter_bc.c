/* SPDX-License-Identifier: Apache-2.0 */
/* The filter tree run two ways: compiled to INET_DIAG bytecode for the
 * kernel, and matched in userspace (see filter.h). The bytecode has the
 * layout iproute2 produces, so a kernel that takes one takes the other. */
#include "cmd/ss/filter.h"

#include <arpa/inet.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/inet_diag.h>

struct bc {
	uint8_t *p;
	int len;
};

static int bc_alloc(struct bc *b, int len)
{
	b->p = calloc(1, (size_t)len);
	b->len = len;
	return b->p ? len : -1;
}

static void put_op(uint8_t *at, int code, int yes, int no)
{
	struct inet_diag_bc_op op = {
		.code = (uint8_t)code, .yes = (uint8_t)yes, .no = (uint16_t)no};
	memcpy(at, &op, sizeof(op));
}

/* Jumps that leave a block (to its "reject" end, len + 4) must be moved
 * by reloc when another block is appended after it. */
static void relocate(uint8_t *a, int len, int reloc)
{
	int off = 0;
	while (off < len) {
		struct inet_diag_bc_op op;
		memcpy(&op, a + off, sizeof(op));
		if (op.no == len - off + 4) {
			op.no = (uint16_t)(op.no + reloc);
			memcpy(a + off, &op, sizeof(op));
		}
		if (!op.yes)
			break;
		off += op.yes;
	}
}

static int compile(const struct ssf_node *n, struct bc *out);
static int compile_not(const struct ssf_node *n, struct bc *out);

static int compile_host(const struct ssf_node *n, struct bc *out)
{
	int code = n->type == SSF_DCOND ? INET_DIAG_BC_D_COND : INET_DIAG_BC_S_COND;
	const struct ssf_host *a = n->host;
	int alen = a->family == AF_INET6 ? 16 : 4;
	int oplen = 4 + (int)sizeof(struct inet_diag_hostcond) + alen;
	int len = 0;
	for (const struct ssf_host *b = a; b; b = b->next)
		len += oplen + (b->next ? 4 : 0);
	if (bc_alloc(out, len) < 0)
		return -1;
	uint8_t *p = out->p;
	/* iproute2 6.1 writes the first address into every alternative, so
	 * the kernel passes only sockets of the first address a name
	 * resolved to; the output must match it, so this does the same. */
	for (const struct ssf_host *b = a; b; b = b->next) {
		put_op(p, code, oplen, oplen + 4);
		struct inet_diag_hostcond cond = {
			.family = (uint8_t)a->family,
			.prefix_len = (uint8_t)a->bitlen,
			.port = a->port,
		};
		memcpy(p + 4, &cond, sizeof(cond));
		memcpy(p + 4 + sizeof(cond), a->addr, (size_t)alen);
		p += oplen;
		if (b->next) {
			put_op(p, INET_DIAG_BC_JMP, 4, len - (int)(p - out->p));
			p += 4;
		}
	}
	return len;
}

static int compile_port(const struct ssf_node *n, struct bc *out, int code)
{
	if (bc_alloc(out, 8) < 0)
		return -1;
	put_op(out->p, code, 8, 12);
	put_op(out->p + 4, 0, 0, n->host->port);
	return 8;
}

/* acc (l1 bytes) becomes "acc AND r" or "acc OR r": its length,
 * SSF_BC_TOO_LONG when that is more than one netlink attribute holds, -1
 * without memory. */
static int append(struct bc *acc, int l1, const struct bc *r, int l2, enum ssf_type type)
{
	int extra = type == SSF_OR ? 4 : 0;
	if (l1 + l2 + extra > SSF_BC_MAX)
		return SSF_BC_TOO_LONG;
	uint8_t *p = realloc(acc->p, (size_t)(l1 + l2 + extra));
	if (!p)
		return -1;
	acc->p = p;
	memcpy(p + l1 + extra, r->p, (size_t)l2);
	if (type == SSF_OR)
		put_op(p + l1, INET_DIAG_BC_JMP, 4, l2 + 4);
	else
		relocate(p, l1, l2);
	return l1 + l2 + extra;
}

/* The first operand of a list: down the left sides of its list nodes. */
static const struct ssf_node *list_first(const struct ssf_node *n)
{
	while (n->type == SSF_AND || n->type == SSF_OR)
		n = n->a;
	return n;
}

/* A list left to right, back up its left spine (->up), so a chain of any
 * length costs no stack; only the right sides recurse. */
static int compile_list(const struct ssf_node *n, struct bc *out)
{
	const struct ssf_node *p = list_first(n);
	int len = compile(p, out);
	while (len > 0 && p != n) {
		p = p->up;
		struct bc r = {0};
		int l2 = compile(p->b, &r);
		len = l2 <= 0 ? l2 : append(out, len, &r, l2, p->type);
		free(r.p);
	}
	if (len <= 0) {
		free(out->p);
		out->p = NULL;
	}
	return len;
}

/* A run of k "!": the operand, then k jumps past the end (each turns
 * the accept at its place into a reject and the reject after it into an
 * accept), in a loop. */
static int compile_not(const struct ssf_node *n, struct bc *out)
{
	int k = 0;
	for (; n->type == SSF_NOT; n = n->a)
		k++;
	int len = compile(n, out);
	if (len <= 0)
		return len;
	uint8_t *p = len + 4 * k <= SSF_BC_MAX ? realloc(out->p, (size_t)(len + 4 * k)) : NULL;
	if (!p) {
		free(out->p);
		out->p = NULL;
		return len + 4 * k > SSF_BC_MAX ? SSF_BC_TOO_LONG : -1;
	}
	out->p = p;
	for (; k > 0; k--, len += 4)
		put_op(p + len, INET_DIAG_BC_JMP, 4, 8);
	return len;
}

static int compile(const struct ssf_node *n, struct bc *out)
{
	out->p = NULL;
	switch (n->type) {
	case SSF_S_AUTO:
		if (bc_alloc(out, 4) < 0)
			return -1;
		put_op(out->p, INET_DIAG_BC_AUTO, 4, 8);
		return 4;
	case SSF_DCOND:
	case SSF_SCOND: return compile_host(n, out);
	case SSF_D_GE: return compile_port(n, out, INET_DIAG_BC_D_GE);
	case SSF_D_LE: return compile_port(n, out, INET_DIAG_BC_D_LE);
	case SSF_S_GE: return compile_port(n, out, INET_DIAG_BC_S_GE);
	case SSF_S_LE: return compile_port(n, out, INET_DIAG_BC_S_LE);
	case SSF_AND:
	case SSF_OR: return compile_list(n, out);
	case SSF_NOT: return compile_not(n, out);
	case SSF_MARKMASK: {
		struct inet_diag_markcond mc = {.mark = n->mark, .mask = n->mask};
		int len = 4 + (int)sizeof(mc);
		if (bc_alloc(out, len) < 0)
			return -1;
		put_op(out->p, INET_DIAG_BC_MARK_COND, len, len + 4);
		memcpy(out->p + 4, &mc, sizeof(mc));
		return len;
	}
	case SSF_CGROUPCOND: {
		if (bc_alloc(out, 12) < 0)
			return -1;
		put_op(out->p, INET_DIAG_BC_CGROUP_COND, 12, 16);
		memcpy(out->p + 4, &n->cgroup_id, 8);
		return 12;
	}
	case SSF_DEVCOND:
	default: return 0; /* userspace only, as iproute2 */
	}
}

int ssf_compile(const struct ssf_node *n, uint8_t **bc)
{
	struct bc b = {0};
	int len = compile(n, &b);
	if (len > SSF_BC_MAX)
		len = SSF_BC_TOO_LONG;
	if (len <= 0) {
		free(b.p);
		*bc = NULL;
		return len;
	}
	*bc = b.p;
	return len;
}

/* ---- userspace matching ---- */

static bool prefix_eq(const uint32_t *a, const uint32_t *b, int bits)
{
	int words = bits >> 5;
	bits &= 31;
	if (words && memcmp(a, b, (size_t)words * 4))
		return false;
	if (bits) {
		uint32_t mask = htonl(0xffffffffu << (32 - bits));
		if ((a[words] ^ b[words]) & mask)
			return false;
	}
	return true;
}

/* An IPv4 rule also matches v4-mapped IPv6 sockets. */
static bool addr_match(int sfam, const uint32_t *sa, const struct ssf_host *p)
{
	if (prefix_eq(sa, p->addr, p->bitlen))
		return true;
	if (p->family == AF_INET && sfam == AF_INET6 && sa[0] == 0 && sa[1] == 0 &&
	    sa[2] == htonl(0xffff))
		return prefix_eq(&sa[3], p->addr, p->bitlen);
	return false;
}

static bool host_match(const struct ssf_host *a, const struct ssf_sock *s, bool dst)
{
	if (a->family == AF_UNIX) {
		const char *name = dst ? s->rname : s->lname;
		return !fnmatch(a->pattern, name ? name : "", FNM_CASEFOLD);
	}
	if (a->port != -1 && a->port != (dst ? s->rport : s->lport))
		return false;
	if (!a->bitlen)
		return true;
	for (; a; a = a->next)
		if (addr_match(s->family, dst ? s->raddr : s->laddr, a))
			return true;
	return false;
}

static bool match_one(const struct ssf_node *n, const struct ssf_sock *s)
{
	switch (n->type) {
	case SSF_S_AUTO: return s->autobound;
	case SSF_DCOND: return host_match(n->host, s, true);
	case SSF_SCOND: return host_match(n->host, s, false);
	case SSF_D_GE: return s->rport >= n->host->port;
	case SSF_D_LE: return s->rport <= n->host->port;
	case SSF_S_GE: return s->lport >= n->host->port;
	case SSF_S_LE: return s->lport <= n->host->port;
	case SSF_DEVCOND: return s->iface == n->iface;
	case SSF_MARKMASK: return (s->mark & n->mask) == n->mark;
	case SSF_CGROUPCOND: return s->cgroup_id == n->cgroup_id;
	case SSF_NOT: {
		bool neg = false; /* a run of "!" in a loop */
		for (; n->type == SSF_NOT; n = n->a)
			neg = !neg;
		return ssf_match(n, s) != neg;
	}
	case SSF_AND:
	case SSF_OR: break; /* ssf_match's */
	}
	return false;
}

/* Lists left to right up their left spine, as compile_list. */
bool ssf_match(const struct ssf_node *n, const struct ssf_sock *s)
{
	const struct ssf_node *p = list_first(n);
	bool v = match_one(p, s);
	while (p != n) {
		p = p->up;
		if (p->type == SSF_AND ? v : !v)
			v = ssf_match(p->b, s);
	}
	return v;
}
