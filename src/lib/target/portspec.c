/* SPDX-License-Identifier: Apache-2.0 */
/* Port specification parser and port set helpers (see portspec.h). */
#include "lib/target/portspec.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/target/services.h"

#define ILLEGAL_FMT                                                                                \
	"Error #%d: Your port specifications are illegal.  Example of proper form: "               \
	"\"-100,200-1024,T:3000-4000,U:60000-\""

struct ps_ctx {
	const struct svc_db *db;
	struct portset *ps;
	char *err;
	size_t errlen;
	unsigned protos; /* protocols the current element applies to */
	bool named_only; /* inside [ ]: only ports the table names */
};

static int fail(struct ps_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (c->err && c->errlen)
		vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static uint64_t *bits_of(struct portset *ps, unsigned proto_bit)
{
	switch (proto_bit) {
	case PS_TCP: return ps->tcp;
	case PS_UDP: return ps->udp;
	case PS_SCTP: return ps->sctp;
	default: return ps->proto;
	}
}

static uint8_t ipproto_of(unsigned proto_bit)
{
	return proto_bit == PS_TCP ? IPPROTO_TCP : proto_bit == PS_UDP ? IPPROTO_UDP : IPPROTO_SCTP;
}

static void add_range(struct ps_ctx *c, unsigned lo, unsigned hi)
{
	for (unsigned b = PS_TCP; b <= PS_PROTO; b <<= 1) {
		if (!(c->protos & b))
			continue;
		unsigned top = b == PS_PROTO ? (hi > 255 ? 255 : hi) : hi;
		for (unsigned p = lo; p <= top; p++) {
			if (c->named_only && b != PS_PROTO &&
			    !svc_lookup(c->db, ipproto_of(b), (uint16_t)p))
				continue;
			c->ps->dup |= ps_test(bits_of(c->ps, b), p);
			ps_set(bits_of(c->ps, b), p);
		}
	}
}

/* A service name or wildcard mask: every matching port of c->protos. */
static int add_names(struct ps_ctx *c, const char *mask)
{
	bool any = false;
	for (size_t i = 0; c->db && i < c->db->n; i++) {
		const struct svc_entry *e = &c->db->v[i];
		unsigned b = e->proto == IPPROTO_TCP   ? PS_TCP
			     : e->proto == IPPROTO_UDP ? PS_UDP
						       : PS_SCTP;
		if (!(c->protos & b) || fnmatch(mask, e->name, FNM_CASEFOLD))
			continue;
		ps_set(bits_of(c->ps, b), e->port);
		any = true;
	}
	if (!any)
		return fail(
			c,
			"Found no matches for the service mask '%s' and your specified protocols",
			mask);
	return 0;
}

static int read_num(struct ps_ctx *c, const char **p, unsigned max, unsigned *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(*p, &end, 10);
	if (errno || v > max)
		return fail(c, max == 255
				       ? "Protocols specified must be between 0 and 255 inclusive"
				       : "Ports specified must be between 0 and 65535 inclusive");
	*p = end;
	*out = (unsigned)v;
	return 0;
}

static const char *skip_blanks(const char *p)
{
	while (isspace((unsigned char)*p))
		p++;
	return p;
}

static bool ends_elem(char ch)
{
	return !ch || ch == ',' || ch == ']';
}

/* The upper end after "N-": a number, or nothing for the last port. */
static int read_upper(struct ps_ctx *c, const char **p, unsigned max, unsigned lo, unsigned *hi)
{
	*hi = max;
	if (!ends_elem(**p)) {
		if (!isdigit((unsigned char)**p))
			return fail(c, ILLEGAL_FMT, 486);
		if (read_num(c, p, max, hi) < 0)
			return -EINVAL;
	}
	if (*hi < lo)
		return fail(c, "Your %s range %u-%u is backwards. Did you mean %u-%u?",
			    c->protos == PS_PROTO ? "protocol" : "port", lo, *hi, *hi, lo);
	return 0;
}

/* N, N-M, N-, -M or -, then blanks and the end of the element. */
static int parse_range(struct ps_ctx *c, const char **pp)
{
	unsigned max = c->protos == PS_PROTO ? 255 : 65535;
	unsigned lo = c->protos == PS_PROTO ? 0 : 1, hi;
	const char *p = *pp;
	if (*p != '-') {
		if (read_num(c, &p, max, &lo) < 0)
			return -EINVAL;
		p = skip_blanks(p);
	}
	if (ends_elem(*p))
		hi = lo;
	else if (*p != '-')
		return fail(c, ILLEGAL_FMT, 487);
	else if (p++, read_upper(c, &p, max, lo, &hi) < 0)
		return -EINVAL;
	add_range(c, lo, hi);
	p = skip_blanks(p);
	if (*p && *p != ',' && *p != ']')
		return fail(c, ILLEGAL_FMT, 488);
	*pp = p + (*p == ',');
	return 0;
}

/* A service name or mask (it starts in lower case, '*' or '?') up to a
 * blank, ',' or ']'; the blank or ',' after it is skipped. */
static int parse_mask(struct ps_ctx *c, const char **pp)
{
	const char *p = *pp;
	size_t n = strcspn(p, " \t\n\v\f\r,]");
	char mask[128];
	if (n >= sizeof(mask) - 1)
		return fail(c, "A service mask in the port/protocol specification is either "
			       "malformed or too long");
	memcpy(mask, p, n);
	mask[n] = '\0';
	p += n;
	*pp = p + (*p && *p != ']');
	return add_names(c, mask);
}

/* T:, U:, S:, P: at *p switch the protocols (and are recorded in
 * ps->prefixes, in order, for the caller's warnings); another letter
 * before ':' is no protocol. 1 if one was taken, 0 if none is there. */
static int parse_prefix(struct ps_ctx *c, const char **p)
{
	const char *s = *p;
	if (!isalpha((unsigned char)s[0]) || s[1] != ':')
		return 0;
	const char *letters = "TUSP";
	const char *l = strchr(letters, s[0]);
	if (!l)
		return fail(c, "Error parsing port list: Unknown protocol specifier '%c'.", s[0]);
	c->protos = 1u << (l - letters);
	c->ps->seen |= c->protos;
	size_t n = strlen(c->ps->prefixes);
	if (n + 1 < sizeof(c->ps->prefixes))
		c->ps->prefixes[n] = s[0];
	*p = s + 2;
	return 1;
}

static int parse_list(struct ps_ctx *c, const char **pp);

/* "[" list "]": only ports with a name, in brackets that do not nest. */
static int parse_bracket(struct ps_ctx *c, const char **pp)
{
	if (c->named_only)
		return fail(c, "Can't nest [] brackets in port/protocol specification");
	unsigned protos = c->protos;
	const char *p = *pp + 1;
	c->named_only = true;
	int r = parse_list(c, &p);
	c->named_only = false;
	c->protos = protos; /* a prefix inside stays inside */
	if (r < 0)
		return r;
	p += strcspn(p, "]");
	p += *p == ']';
	*pp = p + (*p == ',');
	return 0;
}

/* One element at *pp (after blanks): 1 at a "]" that closes the list, 0
 * when it was read, -EINVAL. */
static int parse_elem(struct ps_ctx *c, const char **pp)
{
	const char *p = skip_blanks(*pp);
	int r = parse_prefix(c, &p);
	*pp = p;
	if (r)
		return r < 0 ? r : 0;
	if (*p == '[')
		return parse_bracket(c, pp);
	if (*p == ']') {
		if (!c->named_only)
			return fail(c, "Unexpected ] character in port/protocol specification");
		return 1;
	}
	if (*p == '-' || isdigit((unsigned char)*p))
		r = parse_range(c, pp);
	else if (islower((unsigned char)*p) || *p == '*' || *p == '?')
		r = parse_mask(c, pp);
	else
		return fail(c, ILLEGAL_FMT, 485);
	if (r == 0 && **pp == ']')
		return parse_elem(c, pp);
	return r;
}

/* Elements until the end (or, in brackets, a "]"); an empty list is
 * Error #485, as the first element is always read. */
static int parse_list(struct ps_ctx *c, const char **pp)
{
	do {
		int r = parse_elem(c, pp);
		if (r)
			return r < 0 ? r : 0;
	} while (**pp);
	return 0;
}

static bool any_port(const struct portset *ps)
{
	return portset_count(ps->tcp, 65536) || portset_count(ps->udp, 65536) ||
	       portset_count(ps->sctp, 65536) || portset_count(ps->proto, 256);
}

int portspec_parse(const char *spec, const struct svc_db *db, unsigned unprefixed,
		   struct portset *ps, char *err, size_t errlen)
{
	struct ps_ctx c = {.db = db, .ps = ps, .err = err, .errlen = errlen, .protos = unprefixed};
	const char *p = spec;
	if (parse_list(&c, &p) < 0)
		return -EINVAL;
	if (!any_port(ps))
		return fail(&c, "No ports specified -- If you really don't want to scan any "
				"ports use ping scan...");
	return 0;
}

void portset_subtract(struct portset *ps, const struct portset *ex)
{
	for (size_t i = 0; i < 1024; i++) {
		ps->tcp[i] &= ~ex->tcp[i];
		ps->udp[i] &= ~ex->udp[i];
		ps->sctp[i] &= ~ex->sctp[i];
	}
	for (size_t i = 0; i < 4; i++)
		ps->proto[i] &= ~ex->proto[i];
}

size_t portset_count(const uint64_t *b, size_t nbits)
{
	size_t n = 0;
	for (size_t i = 0; i < nbits / 64; i++)
		n += (size_t)__builtin_popcountll(b[i]);
	return n;
}

size_t portset_list(const uint64_t *b, size_t nbits, uint16_t *out)
{
	size_t n = 0;
	for (size_t i = 0; i < nbits; i++)
		if (ps_test(b, (unsigned)i))
			out[n++] = (uint16_t)i;
	return n;
}

char *portset_ranges(const uint64_t *b, size_t nbits)
{
	size_t cap = 64, len = 0;
	char *s = malloc(cap);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (size_t i = 0; i < nbits; i++) {
		if (!ps_test(b, (unsigned)i))
			continue;
		size_t j = i;
		while (j + 1 < nbits && ps_test(b, (unsigned)(j + 1)))
			j++;
		if (len + 16 > cap) {
			char *ns = realloc(s, cap *= 2);
			if (!ns) {
				free(s);
				return NULL;
			}
			s = ns;
		}
		len += (size_t)snprintf(s + len, cap - len, j > i ? "%s%zu-%zu" : "%s%zu",
					len ? "," : "", i, j);
		i = j;
	}
	return s;
}

void ports_shuffle(uint16_t *v, size_t n, uint64_t seed)
{
	uint64_t x = seed ? seed : 0x9e3779b97f4a7c15ull;
	for (size_t i = n; i > 1; i--) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		size_t j = (size_t)(x % i);
		uint16_t t = v[i - 1];
		v[i - 1] = v[j];
		v[j] = t;
	}
}

/* The TCP ports nmap 7.93 sends first in its shuffled order, whatever the
 * port range (observed, not read from nmap's files: `nmap -sS -p 1-65535
 * --packet-trace` on a lab host, three runs, and -p 1-100, -p 1-1000,
 * --top-ports 50: the first probes are always these 28 ports that the
 * range holds, in random order, then the rest at random; UDP is not
 * reordered). */
static const uint16_t common_tcp[] = {21,   22,	  23,	25,   53,   80,	  110,	111, 113, 135,
				      139,  143,  199,	256,  443,  445,  554,	587, 993, 995,
				      1025, 1720, 1723, 3306, 3389, 5900, 8080, 8888};

static bool is_common_tcp(uint16_t port)
{
	for (size_t i = 0; i < sizeof(common_tcp) / sizeof(common_tcp[0]); i++)
		if (common_tcp[i] == port)
			return true;
	return false;
}

size_t ports_common_first(uint16_t *v, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_common_tcp(v[i]))
			continue;
		uint16_t t = v[i];
		memmove(v + k + 1, v + k, (i - k) * sizeof(*v));
		v[k++] = t;
	}
	return k;
}
