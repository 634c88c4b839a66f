/* SPDX-License-Identifier: Apache-2.0 */
/* Target specification parsing and expansion (see target.h). */
#include "lib/target/target.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int msgf(char *msg, size_t len, int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (msg && len)
		vsnprintf(msg, len, fmt, ap);
	va_end(ap);
	return rc;
}

static void bit_set(uint64_t *b, unsigned i)
{
	b[i >> 6] |= 1ull << (i & 63);
}

static bool bit_test(const uint64_t *b, unsigned i)
{
	return b[i >> 6] >> (i & 63) & 1;
}

/* One decimal octet value at *p (before e): 0..255, leading zeros allowed.
 * Stops at the first value above 255, so no digit string wraps around
 * into a valid octet (4294967297 is not 1). */
static int read_octet(const char **p, const char *e, unsigned *out)
{
	const char *q = *p;
	unsigned v = 0;
	if (q == e || !isdigit((unsigned char)*q))
		return -EINVAL;
	while (q < e && isdigit((unsigned char)*q)) {
		v = v * 10 + (unsigned)(*q++ - '0');
		if (v > 255)
			return -EINVAL;
	}
	*p = q;
	*out = v;
	return 0;
}

/* One octet's list: N, N-M, N-, -M, -, *, comma separated. */
static int parse_octet(const char *s, const char *end, uint64_t *bits)
{
	const char *p = s;
	if (p == end)
		return -EINVAL;
	while (p < end) {
		unsigned lo = 0, hi = 255;
		const char *e = memchr(p, ',', (size_t)(end - p));
		if (!e)
			e = end;
		if (e == p)
			return -EINVAL;
		if (e - p == 1 && *p == '*') {
			p = e + (e < end);
			for (unsigned i = 0; i < 256; i++)
				bit_set(bits, i);
			continue;
		}
		if (isdigit((unsigned char)*p)) {
			if (read_octet(&p, e, &lo) < 0)
				return -EINVAL;
			hi = lo;
		}
		if (p < e && *p == '-') {
			p++;
			hi = 255;
			if (p < e && read_octet(&p, e, &hi) < 0)
				return -EINVAL;
		}
		if (p != e || hi > 255 || lo > hi)
			return -EINVAL;
		for (unsigned i = lo; i <= hi; i++)
			bit_set(bits, i);
		p = e + (e < end);
		if (e < end && p == end)
			return -EINVAL; /* trailing comma */
	}
	return 0;
}

static int parse_v4_ranges(const char *s, struct target_spec *t)
{
	const char *p = s;
	memset(t->oct, 0, sizeof(t->oct));
	for (int i = 0; i < 4; i++) {
		const char *e = i < 3 ? strchr(p, '.') : p + strlen(p);
		if (!e || parse_octet(p, e, t->oct[i]) < 0)
			return -EINVAL;
		p = e + (i < 3);
	}
	return 0;
}

static bool single_value(const uint64_t *b, unsigned *val)
{
	int n = 0;
	for (unsigned i = 0; i < 256; i++)
		if (bit_test(b, i)) {
			*val = i;
			n++;
		}
	return n == 1;
}

/* First address of the octet ranges, host order. */
static uint32_t ranges_first(const struct target_spec *t)
{
	uint32_t a = 0;
	for (int i = 0; i < 4; i++) {
		unsigned v = 0;
		while (v < 256 && !bit_test(t->oct[i], v))
			v++;
		a = a << 8 | (v & 255);
	}
	return a;
}

static bool looks_v4(const char *s)
{
	return *s && strspn(s, "0123456789.,-*") == strlen(s);
}

static int parse_prefix(char *text, const char *orig, struct target_spec *t, char *msg, size_t len)
{
	char *slash = strrchr(text, '/');
	t->prefix = -1;
	if (!slash)
		return 0;
	char *end;
	errno = 0;
	long v = strtol(slash + 1, &end, 10);
	/* nmap reads the bits into an int: beyond INT_MAX they do not split */
	if (slash[1] == '\0' || *end || errno || !isdigit((unsigned char)slash[1]) || v > INT_MAX)
		return msgf(msg, len, -EINVAL,
			    "Unable to split netmask from target expression: \"%s\"", orig);
	*slash = '\0';
	t->prefix = v > 1000 ? 1000 : (int)v;
	return 0;
}

static int check_prefix(struct target_spec *t, int max, const char *orig, char *msg, size_t len)
{
	if (t->prefix < 0 || t->prefix <= max)
		return 0;
	t->prefix = max;
	if (max == 128)
		return 0; /* nmap takes an IPv6 mask above 128 as /128, silently */
	return msgf(msg, len, 1, "Illegal netmask in \"%s\". Assuming /32 (one host)", orig);
}

/* The zone after '%': an interface name, or a decimal index that fits in
 * 32 bits, as getaddrinfo reads it for nmap (4294967297 is not 1, "1x"
 * and "-1" are nothing). */
static int parse_scope(const char *z, uint32_t *out)
{
	*out = if_nametoindex(z);
	if (*out)
		return 0;
	if (!*z || strspn(z, "0123456789") != strlen(z))
		return -EINVAL;
	errno = 0;
	unsigned long long v = strtoull(z, NULL, 10);
	if (errno || v > UINT32_MAX)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static int parse_v6(char *s, int af, struct target_spec *t, const char *orig, char *msg, size_t len)
{
	char *pct = strchr(s, '%');
	if (pct)
		*pct = '\0';
	if (inet_pton(AF_INET6, s, &t->v6) != 1)
		return -ENOENT;
	/* a zone that is no interface nor 32-bit index: no IPv6 address */
	if (pct && parse_scope(pct + 1, &t->scope_id) < 0)
		return msgf(msg, len, -EINVAL, "Failed to resolve \"%s\".", orig);
	if (pct)
		*pct = '%'; /* nmap names the address with its zone */
	if (af != AF_INET6)
		return msgf(msg, len, -EINVAL,
			    "%s looks like an IPv6 target specification -- you have to use the -6 "
			    "option.",
			    s);
	t->kind = TGT_V6;
	if (t->prefix < 0)
		t->prefix = 128;
	return 0;
}

int target_parse(const char *text, int af, struct target_spec *t, char *msg, size_t len)
{
	memset(t, 0, sizeof(*t));
	char *s = strdup(text);
	t->text = strdup(text);
	if (!s || !t->text) {
		free(s);
		return -ENOMEM;
	}
	int rc = parse_prefix(s, text, t, msg, len);
	if (rc < 0)
		goto out;
	if (strchr(s, ':')) {
		rc = check_prefix(t, 128, text, msg, len);
		int r6 = parse_v6(s, af, t, text, msg, len);
		if (r6 != -ENOENT) {
			rc = r6 < 0 ? r6 : rc;
			goto out;
		}
	} else if (looks_v4(s) && parse_v4_ranges(s, t) == 0) {
		if (af == AF_INET6)
			goto name; /* nmap -6 looks an IPv4 spec up as a host name */
		rc = check_prefix(t, 32, text, msg, len);
		t->kind = TGT_V4;
		unsigned a, b, c, d;
		t->ranges = !(single_value(t->oct[0], &a) && single_value(t->oct[1], &b) &&
			      single_value(t->oct[2], &c) && single_value(t->oct[3], &d));
		if (t->prefix >= 0 || !t->ranges) {
			/* a mask widens the first address into a block */
			t->v4 = ranges_first(t);
			t->ranges = false;
			if (t->prefix < 0)
				t->prefix = 32;
		}
		goto out;
	} else if (looks_v4(s)) {
		struct in_addr ia;
		if (!inet_aton(s, &ia) || strchr(s, '-') || strchr(s, ',') || strchr(s, '*')) {
			rc = msgf(msg, len, -EINVAL, "Failed to resolve \"%s\".", text);
			goto out;
		}
	} else if (!*s) {
		rc = msgf(msg, len, -EINVAL, "Failed to resolve \"%s\".", text);
		goto out;
	}
name:
	if (rc == 0 || rc == 1) {
		rc = check_prefix(t, af == AF_INET6 ? 128 : 32, text, msg, len);
		t->kind = TGT_NAME;
		t->name = s;
		s = NULL;
	}
out:
	free(s);
	if (rc < 0) {
		free(t->text);
		free(t->name);
		memset(t, 0, sizeof(*t));
	}
	return rc;
}

int target_list_add(struct target_list *l, const char *text, int af, char *msg, size_t len)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct target_spec *v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	int rc = target_parse(text, af, &l->v[l->n], msg, len);
	if (rc >= 0)
		l->n++;
	return rc;
}

void target_list_free(struct target_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].text);
		free(l->v[i].name);
		free(l->v[i].others);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int target_words(char *text, int (*fn)(void *ctx, const char *word), void *ctx)
{
	char *p = text;
	while (*p) {
		p += strspn(p, " \t\r\n");
		if (*p == '#') {
			p += strcspn(p, "\n");
			continue;
		}
		if (!*p)
			break;
		char *e = p + strcspn(p, " \t\r\n#");
		char save = *e;
		*e = '\0';
		int rc = fn(ctx, p);
		*e = save;
		if (rc < 0)
			return rc;
		p = e;
	}
	return 0;
}

static bool same_addr(const struct sockaddr *a, const struct sockaddr_storage *b)
{
	if (a->sa_family != b->ss_family)
		return false;
	if (a->sa_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		       &((const struct sockaddr_in6 *)b)->sin6_addr, 16);
}

/* Whether the space-separated list has the word w (a whole word:
 * 10.0.0.1 is not in "10.0.0.10"). */
static bool has_word(const char *list, const char *w)
{
	size_t n = strlen(w);
	for (const char *p = list; p && *p; p += strcspn(p, " "), p += *p == ' ')
		if (strcspn(p, " ") == n && !strncmp(p, w, n))
			return true;
	return false;
}

int target_others_add(struct target_spec *t, const char *addr)
{
	if (has_word(t->others, addr))
		return 0;
	size_t len = t->others ? strlen(t->others) : 0;
	char *n = realloc(t->others, len + strlen(addr) + 2);
	if (!n)
		return -ENOMEM;
	t->others = n;
	sprintf(n + len, "%s%s", len ? " " : "", addr);
	return 0;
}

/* The name's other addresses, of either family, which nmap reports as
 * "Other addresses for NAME (not scanned)". */
static void collect_others(struct target_spec *t)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res;
	if (getaddrinfo(t->name, NULL, &hints, &res) != 0)
		return;
	for (struct addrinfo *r = res; r; r = r->ai_next) {
		char a[INET6_ADDRSTRLEN];
		const void *p =
			r->ai_family == AF_INET
				? (const void *)&((struct sockaddr_in *)r->ai_addr)->sin_addr
				: (const void *)&((struct sockaddr_in6 *)r->ai_addr)->sin6_addr;
		if (same_addr(r->ai_addr, &t->addr) || !inet_ntop(r->ai_family, p, a, sizeof(a)))
			continue;
		if (target_others_add(t, a) < 0)
			break;
	}
	freeaddrinfo(res);
}

int target_resolve(struct target_spec *t, int af, bool *other_af)
{
	struct addrinfo hints = {.ai_family = af}, *res = NULL;
	if (other_af)
		*other_af = false;
	int rc = getaddrinfo(t->name, NULL, &hints, &res);
	if (rc == 0 && res) {
		memcpy(&t->addr, res->ai_addr, res->ai_addrlen);
		t->resolved = true;
		freeaddrinfo(res);
		collect_others(t);
		return 0;
	}
	if (rc == 0)
		rc = EAI_NONAME;
	if (other_af) {
		hints.ai_family = af == AF_INET6 ? AF_INET : AF_INET6;
		struct addrinfo *r2 = NULL;
		if (getaddrinfo(t->name, NULL, &hints, &r2) == 0) {
			*other_af = true;
			freeaddrinfo(r2);
		}
	}
	return rc;
}

/* The current spec as a block [base, base+last] of one family. */
static bool spec_block(const struct target_spec *t, int *af, unsigned __int128 *base,
		       unsigned __int128 *last)
{
	int prefix = t->prefix;
	int fam = t->kind == TGT_V6 ? AF_INET6 : AF_INET;
	unsigned __int128 a = 0;
	if (t->kind == TGT_NAME) {
		if (!t->resolved)
			return false;
		fam = t->addr.ss_family;
	}
	if (fam == AF_INET) {
		a = t->kind == TGT_NAME
			    ? ntohl(((const struct sockaddr_in *)&t->addr)->sin_addr.s_addr)
			    : t->v4;
		if (prefix < 0 || prefix > 32)
			prefix = 32;
		unsigned __int128 span = ((unsigned __int128)1 << (32 - prefix)) - 1;
		*base = a & ~span & 0xffffffffu;
		*last = span;
	} else {
		const struct in6_addr *in6 =
			t->kind == TGT_NAME ? &((const struct sockaddr_in6 *)&t->addr)->sin6_addr
					    : &t->v6;
		for (int i = 0; i < 16; i++)
			a = a << 8 | in6->s6_addr[i];
		if (prefix < 0 || prefix > 128)
			prefix = 128;
		unsigned __int128 span = prefix == 0 ? ~(unsigned __int128)0
						     : ((unsigned __int128)1 << (128 - prefix)) - 1;
		*base = a & ~span;
		*last = span;
	}
	*af = fam;
	return true;
}

static void make_addr(const struct target_spec *t, int af, unsigned __int128 a,
		      struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (af == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;
		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl((uint32_t)a);
		return;
	}
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	sin6->sin6_family = AF_INET6;
	for (int i = 15; i >= 0; i--, a >>= 8)
		sin6->sin6_addr.s6_addr[i] = (uint8_t)a;
	sin6->sin6_scope_id = t->kind == TGT_NAME
				      ? ((const struct sockaddr_in6 *)&t->addr)->sin6_scope_id
				      : t->scope_id;
}

/* Next value >= from in an octet set, or 256. */
static unsigned oct_next(const uint64_t *b, unsigned from)
{
	while (from < 256 && !bit_test(b, from))
		from++;
	return from;
}

static bool ranges_step(const struct target_spec *t, struct target_iter *it, bool first)
{
	if (first) {
		for (int i = 0; i < 4; i++) {
			unsigned v = oct_next(t->oct[i], 0);
			if (v > 255)
				return false;
			it->o[i] = (uint8_t)v;
		}
		return true;
	}
	for (int i = 3; i >= 0; i--) {
		unsigned v = oct_next(t->oct[i], (unsigned)it->o[i] + 1);
		if (v <= 255) {
			it->o[i] = (uint8_t)v;
			return true;
		}
		it->o[i] = (uint8_t)oct_next(t->oct[i], 0);
	}
	return false;
}

unsigned __int128 target_spec_slots(const struct target_spec *t)
{
	if (t->kind == TGT_V4 && t->ranges) {
		unsigned __int128 n = 1;
		for (int i = 0; i < 4; i++) {
			unsigned c = 0;
			for (int w = 0; w < 4; w++)
				c += (unsigned)__builtin_popcountll(t->oct[i][w]);
			n *= c;
		}
		return n;
	}
	int af;
	unsigned __int128 base, last;
	if (spec_block(t, &af, &base, &last))
		return last == ~(unsigned __int128)0 ? last : last + 1;
	if (t->prefix >= 0 && t->prefix < 32)
		return (unsigned __int128)1 << (32 - t->prefix);
	return 1;
}

static void iter_next_spec(const struct target_list *l, struct target_iter *it)
{
	it->base += (uint64_t)target_spec_slots(&l->v[it->idx]);
	it->idx++;
	it->started = false;
	it->k = 0;
}

int target_next(const struct target_list *l, struct target_iter *it, struct sockaddr_storage *ss,
		const struct target_spec **spec)
{
	for (; it->idx < l->n; iter_next_spec(l, it)) {
		const struct target_spec *t = &l->v[it->idx];
		if (t->kind == TGT_V4 && t->ranges) {
			if (!ranges_step(t, it, !it->started))
				continue;
			it->started = true;
			uint32_t a = (uint32_t)it->o[0] << 24 | (uint32_t)it->o[1] << 16 |
				     (uint32_t)it->o[2] << 8 | it->o[3];
			make_addr(t, AF_INET, a, ss);
			*spec = t;
			it->pos = it->base + it->k++;
			return 1;
		}
		int af;
		unsigned __int128 base, last;
		if (!spec_block(t, &af, &base, &last))
			continue;
		if (!it->started) {
			it->cur = 0;
			it->started = true;
		} else if (it->cur == last) {
			continue;
		} else {
			it->cur++;
		}
		make_addr(t, af, base + it->cur, ss);
		*spec = t;
		it->pos = it->base + (uint64_t)it->cur;
		return 1;
	}
	return 0;
}

static bool spec_contains(const struct target_spec *t, const struct sockaddr_storage *ss)
{
	if (t->kind == TGT_V4 && t->ranges) {
		if (ss->ss_family != AF_INET)
			return false;
		uint32_t a = ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr);
		for (int i = 0; i < 4; i++)
			if (!bit_test(t->oct[i], (a >> (24 - 8 * i)) & 255))
				return false;
		return true;
	}
	int af;
	unsigned __int128 base, last, a = 0;
	if (!spec_block(t, &af, &base, &last) || af != ss->ss_family)
		return false;
	if (af == AF_INET) {
		a = ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr);
	} else {
		const uint8_t *b = ((const struct sockaddr_in6 *)ss)->sin6_addr.s6_addr;
		for (int i = 0; i < 16; i++)
			a = a << 8 | b[i];
	}
	return a >= base && a - base <= last;
}

bool target_list_contains(const struct target_list *l, const struct sockaddr_storage *ss)
{
	for (size_t i = 0; i < l->n; i++)
		if (spec_contains(&l->v[i], ss))
			return true;
	return false;
}
