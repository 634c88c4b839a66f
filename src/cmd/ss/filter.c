/* SPDX-License-Identifier: Apache-2.0 */
/* The ss filter language (see filter.h). */
#include "cmd/ss/filter.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <net/if.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/inet_diag.h>

enum tok {
	T_END,
	T_ERR, /* the lexer already filled env->err */
	T_NOT,
	T_AND,
	T_OR,
	T_LP,
	T_RP,
	T_DCOND,
	T_SCOND,
	T_DPORT,
	T_SPORT,
	T_DEV,
	T_FWMARK,
	T_CGROUP,
	T_GEQ,
	T_LEQ,
	T_NEQ,
	T_EQ,
	T_GT,
	T_LT,
	T_AUTO,
	T_HOST,
	T_DEVCOND,
	T_MARK,
	T_CGCOND,
};

struct lexer {
	int argc, argi;
	char **argv;
	FILE *fp;
	char *line; /* the word or file line being split */
	char *pos;
	char *own;    /* our copy of the current word/line */
	int tok_type; /* the last keyword, decides what a value is */
	enum tok la;  /* lookahead */
	bool have_la;
	int taken;	      /* tokens taken so far */
	struct ssf_node *val; /* value of a T_HOST/T_DEVCOND/... */
	struct ssf_env *env;
};

static void errf(struct ssf_env *env, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void errf(struct ssf_env *env, const char *fmt, ...)
{
	size_t n = strlen(env->err);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(env->err + n, sizeof(env->err) - n, fmt, ap);
	va_end(ap);
}

static struct ssf_node *node(enum ssf_type type, struct ssf_node *a)
{
	struct ssf_node *n = calloc(1, sizeof(*n));
	if (n) {
		n->type = type;
		n->a = a;
	}
	return n;
}

static void host_free(struct ssf_host *h)
{
	while (h) {
		struct ssf_host *next = h->next;
		free(h->pattern);
		free(h);
		h = next;
	}
}

/* Down the left side in a loop: only the right sides recurse, and they
 * are as deep as the nesting, which the parser caps. */
void ssf_free(struct ssf_node *n)
{
	while (n) {
		struct ssf_node *a = n->a;
		ssf_free(n->b);
		host_free(n->host);
		free(n);
		n = a;
	}
}

/* Split off the next blank-separated word; a backslash escapes the next
 * character. */
static char *next_word(char **ptr)
{
	char *cp = *ptr;
	while (*cp == ' ' || *cp == '\t')
		cp++;
	if (!*cp) {
		*ptr = cp;
		return NULL;
	}
	char *tok = cp, *w = cp;
	while (*cp && *cp != ' ' && *cp != '\t') {
		if (*cp == '\\') {
			cp++;
			if (!*cp)
				break;
		}
		*w++ = *cp++;
	}
	if (*cp)
		cp++;
	*w = '\0';
	*ptr = cp;
	return tok;
}

/* 1: got a word in *out; 0: end of input; -1: error (env->err set). */
static int lex_word(struct lexer *lx, char **out)
{
	for (;;) {
		if (lx->pos) {
			char *w = next_word(&lx->pos);
			if (w) {
				*out = w;
				return 1;
			}
		}
		free(lx->own);
		lx->own = NULL;
		lx->pos = NULL;
		if (lx->argi < lx->argc) {
			lx->own = strdup(lx->argv[lx->argi++]);
		} else if (lx->fp) {
			char buf[1024];
			if (!fgets(buf, sizeof(buf), lx->fp))
				return 0;
			size_t len = strnlen(buf, sizeof(buf));
			if (len == 0) {
				errf(lx->env, "Invalid line\n");
				return -1;
			}
			if (len >= sizeof(buf) - 1) {
				errf(lx->env, "Too long line in filter\n");
				return -1;
			}
			if (buf[len - 1] == '\n')
				buf[len - 1] = '\0';
			/* iproute2 skips comment lines and, oddly, lines starting with '0' */
			if (buf[0] == '#' || buf[0] == '0')
				continue;
			lx->own = strdup(buf);
		} else {
			return 0;
		}
		if (!lx->own) {
			errf(lx->env, "ss: out of memory\n");
			return -1;
		}
		lx->pos = lx->own;
	}
}

static const struct {
	const char *word;
	enum tok tok;
	bool keyword; /* sets the type of the values that follow */
} words[] = {
	{"!", T_NOT, false},	     {"not", T_NOT, false},	 {"&", T_AND, false},
	{"&&", T_AND, false},	     {"and", T_AND, false},	 {"|", T_OR, false},
	{"||", T_OR, false},	     {"or", T_OR, false},	 {"(", T_LP, false},
	{")", T_RP, false},	     {"dst", T_DCOND, true},	 {"src", T_SCOND, true},
	{"dport", T_DPORT, true},    {"sport", T_SPORT, true},	 {"dev", T_DEV, true},
	{"fwmark", T_FWMARK, true},  {"cgroup", T_CGROUP, true}, {">=", T_GEQ, false},
	{"ge", T_GEQ, false},	     {"geq", T_GEQ, false},	 {"<=", T_LEQ, false},
	{"le", T_LEQ, false},	     {"leq", T_LEQ, false},	 {"!=", T_NEQ, false},
	{"ne", T_NEQ, false},	     {"neq", T_NEQ, false},	 {"=", T_EQ, false},
	{"==", T_EQ, false},	     {"eq", T_EQ, false},	 {">", T_GT, false},
	{"gt", T_GT, false},	     {"<", T_LT, false},	 {"lt", T_LT, false},
	{"autobound", T_AUTO, true},
};

struct ssf_host *ssf_parse_host(char *addr, bool is_port, struct ssf_env *env);
static struct ssf_node *parse_dev(const char *name, struct ssf_env *env);
static struct ssf_node *parse_mark(const char *s, struct ssf_env *env);
static struct ssf_node *parse_cgroup(const char *path, struct ssf_env *env);

static enum tok lex_value(struct lexer *lx, char *w)
{
	switch (lx->tok_type) {
	case T_DEV: lx->val = parse_dev(w, lx->env); return lx->val ? T_DEVCOND : T_ERR;
	case T_FWMARK: lx->val = parse_mark(w, lx->env); return lx->val ? T_MARK : T_ERR;
	case T_CGROUP: lx->val = parse_cgroup(w, lx->env); return lx->val ? T_CGCOND : T_ERR;
	default: break;
	}
	struct ssf_host *h =
		ssf_parse_host(w, lx->tok_type == T_SPORT || lx->tok_type == T_DPORT, lx->env);
	if (!h) {
		errf(lx->env, "Cannot parse dst/src address.\n");
		return T_ERR;
	}
	lx->val = node(SSF_DCOND, NULL);
	if (!lx->val) {
		host_free(h);
		return T_ERR;
	}
	lx->val->host = h;
	return T_HOST;
}

static enum tok lex(struct lexer *lx)
{
	char *w;
	int r = lex_word(lx, &w);
	if (r <= 0)
		return r < 0 ? T_ERR : T_END;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strcmp(w, words[i].word))
			continue;
		if (words[i].keyword)
			lx->tok_type = words[i].tok;
		return words[i].tok;
	}
	return lex_value(lx, w);
}

static enum tok peek(struct lexer *lx)
{
	if (!lx->have_la) {
		lx->la = lex(lx);
		lx->have_la = true;
	}
	return lx->la;
}

static enum tok take(struct lexer *lx)
{
	enum tok t = peek(lx);
	lx->have_la = false;
	lx->taken++;
	return t;
}

/* Parse failures: T_ERR from the lexer is a bad argument, anything else
 * the grammar does not allow is a syntax error. depth follows the stack
 * of iproute2's bison parser (its start state, then one entry per symbol
 * shifted and not yet reduced: each "!" and "(" waiting for its operand,
 * a list and its operator waiting for the right side, the tokens of a
 * condition), which holds SSF_MAX_DEPTH entries: one more is its "memory
 * exhausted". That cap keeps every recursion over the tree bounded. */
struct perr {
	int code;
	int depth;
};

static bool push(struct perr *pe, int n)
{
	pe->depth += n;
	if (pe->depth < SSF_MAX_DEPTH)
		return true;
	if (!pe->code)
		pe->code = SSF_DEEP;
	return false;
}

static struct ssf_node *fail(struct lexer *lx, struct perr *pe, enum tok t)
{
	if (!pe->code)
		pe->code = t == T_ERR ? SSF_BADARG : SSF_SYNTAX;
	(void)lx;
	return NULL;
}

static struct ssf_node *take_value(struct lexer *lx, struct perr *pe, enum tok want)
{
	enum tok t = take(lx);
	if (t != want) {
		if (t == T_HOST || t == T_DEVCOND || t == T_MARK || t == T_CGCOND) {
			ssf_free(lx->val);
			lx->val = NULL;
		}
		return fail(lx, pe, t);
	}
	struct ssf_node *v = lx->val;
	lx->val = NULL;
	return v;
}

static struct ssf_node *negate(struct ssf_node *n)
{
	if (!n)
		return NULL;
	struct ssf_node *x = node(SSF_NOT, n);
	if (!x)
		ssf_free(n);
	return x;
}

/* "dport OP PORT" and "sport OP PORT". */
static struct ssf_node *port_cond(struct lexer *lx, struct perr *pe, bool dst)
{
	enum tok op = peek(lx);
	if (op == T_GEQ || op == T_LEQ || op == T_GT || op == T_LT || op == T_EQ || op == T_NEQ)
		take(lx);
	else
		op = T_EQ; /* "=" may be left out */
	struct ssf_node *v = take_value(lx, pe, T_HOST);
	if (!v)
		return NULL;
	switch (op) {
	case T_GEQ: v->type = dst ? SSF_D_GE : SSF_S_GE; return v;
	case T_LEQ: v->type = dst ? SSF_D_LE : SSF_S_LE; return v;
	case T_GT: v->type = dst ? SSF_D_LE : SSF_S_LE; return negate(v);
	case T_LT: v->type = dst ? SSF_D_GE : SSF_S_GE; return negate(v);
	case T_NEQ: v->type = dst ? SSF_DCOND : SSF_SCOND; return negate(v);
	default: v->type = dst ? SSF_DCOND : SSF_SCOND; return v;
	}
}

/* KEYWORD [=|!=] VALUE for dev, fwmark and cgroup. */
static struct ssf_node *eq_cond(struct lexer *lx, struct perr *pe, enum tok want,
				enum ssf_type type)
{
	bool neg = false;
	if (peek(lx) == T_EQ) {
		take(lx);
	} else if (peek(lx) == T_NEQ) {
		take(lx);
		neg = true;
	}
	struct ssf_node *v = take_value(lx, pe, want);
	if (!v)
		return NULL;
	v->type = type;
	return neg ? negate(v) : v;
}

static struct ssf_node *parse_list(struct lexer *lx, struct perr *pe);

static struct ssf_node *parse_cond(struct lexer *lx, struct perr *pe, enum tok t);

/* "(" list ")", the "(" taken: one stack entry deeper. */
static struct ssf_node *parse_paren(struct lexer *lx, struct perr *pe)
{
	if (!push(pe, 1))
		return NULL;
	struct ssf_node *v = parse_list(lx, pe);
	if (!v) {
		pe->depth--;
		return NULL;
	}
	enum tok t = take(lx);
	/* "(" list ")" together on the stack */
	bool room = t == T_RP && push(pe, 2);
	pe->depth -= room ? 3 : 1;
	if (!room) {
		ssf_free(v);
		return fail(lx, pe, t);
	}
	return v;
}

/* A condition, its tokens taken from first on: they were on the stack
 * together. */
static struct ssf_node *parse_leaf(struct lexer *lx, struct perr *pe, enum tok t, int first)
{
	struct ssf_node *v = parse_cond(lx, pe, t);
	if (v && !push(pe, lx->taken - first)) {
		ssf_free(v);
		return NULL;
	}
	if (v)
		pe->depth -= lx->taken - first;
	return v;
}

/* expr: "!"s (each one stack entry, read in a loop, so a run of them
 * costs no recursion), then "(" list ")" or a condition. */
static struct ssf_node *parse_expr(struct lexer *lx, struct perr *pe)
{
	int nots = 0;
	enum tok t = take(lx);
	for (; t == T_NOT; t = take(lx), nots++)
		if (!push(pe, 1))
			return NULL;
	struct ssf_node *v = t == T_LP ? parse_paren(lx, pe) : parse_leaf(lx, pe, t, lx->taken - 1);
	pe->depth -= nots;
	while (v && nots--)
		v = negate(v);
	return v;
}

/* A condition whose keyword t is taken. */
static struct ssf_node *parse_cond(struct lexer *lx, struct perr *pe, enum tok t)
{
	struct ssf_node *v;
	switch (t) {
	case T_DCOND:
	case T_SCOND:
		if (peek(lx) == T_EQ)
			take(lx);
		v = take_value(lx, pe, T_HOST);
		if (v)
			v->type = t == T_DCOND ? SSF_DCOND : SSF_SCOND;
		return v;
	case T_DPORT: return port_cond(lx, pe, true);
	case T_SPORT: return port_cond(lx, pe, false);
	case T_DEV: return eq_cond(lx, pe, T_DEVCOND, SSF_DEVCOND);
	case T_FWMARK: return eq_cond(lx, pe, T_MARK, SSF_MARKMASK);
	case T_CGROUP: return eq_cond(lx, pe, T_CGCOND, SSF_CGROUPCOND);
	case T_AUTO: return node(SSF_S_AUTO, NULL);
	default:
		if (t == T_HOST || t == T_DEVCOND || t == T_MARK || t == T_CGCOND) {
			ssf_free(lx->val);
			lx->val = NULL;
		}
		return fail(lx, pe, t);
	}
}

static bool starts_expr(enum tok t)
{
	return t == T_LP || t == T_NOT || t == T_DCOND || t == T_SCOND || t == T_DPORT ||
	       t == T_SPORT || t == T_DEV || t == T_FWMARK || t == T_CGROUP || t == T_AUTO;
}

/* The right side of "list OP expr" (OP taken, or 0 for juxtaposition),
 * with the list and the operator on the stack. */
static struct ssf_node *parse_right(struct lexer *lx, struct perr *pe, int op)
{
	if (!push(pe, 1 + op))
		return NULL;
	struct ssf_node *r = parse_expr(lx, pe);
	pe->depth -= 1 + op;
	return r;
}

/* Left to right, no precedence: the tree leans left, a chain of any
 * length is as deep as its nesting (the walkers go up the left spine by
 * n->a->up, see filter_bc.c). */
static struct ssf_node *parse_list(struct lexer *lx, struct perr *pe)
{
	struct ssf_node *l = parse_expr(lx, pe);
	while (l) {
		enum tok t = peek(lx);
		enum ssf_type type = SSF_AND;
		if (t == T_OR || t == T_AND) {
			take(lx);
			type = t == T_OR ? SSF_OR : SSF_AND;
		} else if (!starts_expr(t)) {
			if (t == T_ERR)
				return ssf_free(l), fail(lx, pe, t);
			break;
		}
		struct ssf_node *r = parse_right(lx, pe, t == T_OR || t == T_AND);
		if (!r) {
			ssf_free(l);
			return NULL;
		}
		struct ssf_node *n = node(type, l);
		if (!n) {
			ssf_free(l);
			ssf_free(r);
			return NULL;
		}
		n->b = r;
		l->up = n;
		l = n;
	}
	return l;
}

int ssf_parse(int argc, char **argv, FILE *fp, struct ssf_env *env, struct ssf_node **out)
{
	struct lexer lx = {.argc = argc, .argv = argv, .fp = fp, .tok_type = -1, .env = env};
	struct perr pe = {.depth = 1}; /* bison's start state */
	env->err[0] = '\0';
	env->forced_family = AF_UNSPEC;
	*out = NULL;
	struct ssf_node *n = NULL;
	enum tok t = peek(&lx);
	if (t != T_END) {
		n = parse_list(&lx, &pe);
		if (n) {
			t = take(&lx);
			if (t != T_END) {
				ssf_free(n);
				n = NULL;
				fail(&lx, &pe, t);
			}
		} else if (!pe.code) {
			pe.code = SSF_BADARG;
			errf(env, "ss: out of memory\n");
		}
	}
	/* a value the grammar did not take (an error) */
	ssf_free(lx.val);
	free(lx.own);
	if (pe.code)
		return pe.code;
	if (t == T_ERR)
		return SSF_BADARG;
	*out = n;
	return 0;
}

/* ---- values ---- */

/* iproute2's IPv4 reader: 1 to 4 dotted parts, each 0..255 in C notation. */
static int parse_ipv4(const char *s, uint32_t *out)
{
	uint8_t b[4] = {0};
	const char *cp = s;
	for (int i = 0; i < 4; i++) {
		char *end;
		errno = 0;
		unsigned long n = strtoul(cp, &end, 0);
		if (end == cp || n > 255 || errno)
			return -1;
		b[i] = (uint8_t)n;
		if (!*end)
			break;
		if (i == 3 || *end != '.')
			return -1;
		cp = end + 1;
	}
	memcpy(out, b, 4);
	return 0;
}

static int parse_prefix(const char *arg, int fam, struct ssf_host *h)
{
	if (!strcmp(arg, "default") || !strcmp(arg, "any") || !strcmp(arg, "all")) {
		h->family = fam;
		h->bitlen = 0;
		return 0;
	}
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", arg);
	char *slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	int max;
	if (fam == AF_INET6 || (fam == AF_UNSPEC && strchr(buf, ':'))) {
		if (inet_pton(AF_INET6, buf, h->addr) != 1)
			return -1;
		h->family = AF_INET6;
		max = 128;
	} else if (fam == AF_INET || fam == AF_UNSPEC) {
		if (parse_ipv4(buf, h->addr) < 0)
			return -1;
		h->family = AF_INET;
		max = 32;
	} else {
		return -1;
	}
	h->bitlen = max;
	if (slash) {
		char *end;
		errno = 0;
		unsigned long plen = strtoul(slash + 1, &end, 0);
		if (end == slash + 1 || *end || errno || plen > (unsigned long)max) {
			uint32_t m;
			if (h->family != AF_INET || parse_ipv4(slash + 1, &m) < 0)
				return -1;
			/* a dotted netmask must be contiguous */
			uint32_t hm = ntohl(m);
			if (hm & (~hm >> 1))
				return -1;
			plen = (unsigned long)__builtin_popcount(hm);
		}
		h->bitlen = (int)plen;
	}
	return 0;
}

static int resolve_host(struct ssf_host *h, const char *name, int fam, const struct ssf_env *env)
{
	if (env->no_resolve)
		return 0;
	int fams[2] = {fam == AF_UNSPEC ? AF_INET : fam, fam == AF_UNSPEC ? AF_INET6 : -1};
	int cnt = 0;
	h->bitlen = 0;
	for (int i = 0; i < 2 && fams[i] != -1; i++) {
		struct hostent *he = gethostbyname2(name, fams[i]);
		if (!he || (he->h_addrtype != AF_INET && he->h_addrtype != AF_INET6))
			continue;
		int len = he->h_addrtype == AF_INET ? 4 : 16;
		for (char **p = he->h_addr_list; *p; p++) {
			struct ssf_host *b = h;
			if (h->bitlen) {
				b = malloc(sizeof(*b));
				if (!b)
					return cnt;
				*b = *h;
				b->pattern = NULL;
				h->next = b;
			}
			memset(b->addr, 0, sizeof(b->addr));
			memcpy(b->addr, *p, (size_t)len);
			b->bitlen = len * 8;
			b->family = he->h_addrtype;
			cnt++;
		}
	}
	return cnt;
}

static bool get_int(const char *s, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 0);
	if (end == s || *end || errno || v < INT_MIN || v > INT_MAX)
		return false;
	*out = (int)v;
	return true;
}

static int service_port(const char *port, struct ssf_env *env, int *out)
{
	struct servent *se;
	int udp = -1, tcp = -1;
	if (env->udp && (se = getservbyname(port, "udp")))
		udp = ntohs((uint16_t)se->s_port);
	if (env->tcp && (se = getservbyname(port, "tcp")))
		tcp = ntohs((uint16_t)se->s_port);
	if (udp >= 0 && tcp >= 0 && udp != tcp) {
		errf(env, "Error: ambiguous port \"%s\".\n", port);
		return -1;
	}
	if (udp < 0)
		udp = tcp;
	if (udp < 0) {
		errf(env, "Error: \"%s\" does not look like a port.\n", port);
		return -1;
	}
	*out = udp;
	return 0;
}

static char *find_port(char *addr, bool is_port)
{
	char *port = is_port ? addr : strchr(addr, ':');
	if (port && *port == ':')
		*port++ = '\0';
	return port;
}

static const struct {
	const char *prefix;
	int family;
} fam_prefixes[] = {
	{"unix:", AF_UNIX},   {"link:", AF_PACKET}, {"netlink:", AF_NETLINK},
	{"vsock:", AF_VSOCK}, {"inet:", AF_INET},   {"inet6:", AF_INET6},
};

/* Protocol numbers for link: and netlink: values (the common names). */
static const struct {
	const char *name;
	int num;
} nl_protos[] = {
	{"rtnl", 0},	   {"unused", 1},     {"usersock", 2},	  {"fw", 3},	    {"tcpdiag", 4},
	{"nflog", 5},	   {"xfrm", 6},	      {"selinux", 7},	  {"iscsi", 8},	    {"audit", 9},
	{"fiblookup", 10}, {"connector", 11}, {"nft", 12},	  {"ip6fw", 13},    {"dec-rt", 14},
	{"uevent", 15},	   {"genl", 16},      {"scsi-trans", 18}, {"ecryptfs", 19}, {"rdma", 20},
	{"crypto", 21},	   {"smc", 22},
};

static int host_link(char *addr, bool is_port, struct ssf_host *a)
{
	a->family = AF_PACKET;
	char *port = find_port(addr, is_port);
	if (port && *port && strcmp(port, "*")) {
		if (!get_int(port, &a->port)) {
			unsigned idx = if_nametoindex(port);
			if (!idx)
				return -1;
			a->port = (int)idx;
		}
	}
	if (!is_port && addr[0] && strcmp(addr, "*")) {
		int proto;
		a->bitlen = 32;
		if (get_int(addr, &proto) && proto >= 0 && proto <= 0xffff)
			a->addr[0] = (uint32_t)proto;
		else if (!strcasecmp(addr, "ip"))
			a->addr[0] = 0x0800;
		else if (!strcasecmp(addr, "ipv6"))
			a->addr[0] = 0x86dd;
		else if (!strcasecmp(addr, "arp"))
			a->addr[0] = 0x0806;
		else if (!strcasecmp(addr, "all"))
			a->addr[0] = 0x0003;
		else
			return -1;
	}
	return 0;
}

static int host_netlink(char *addr, bool is_port, struct ssf_host *a)
{
	a->family = AF_NETLINK;
	char *port = find_port(addr, is_port);
	if (port && *port && strcmp(port, "*")) {
		if (!get_int(port, &a->port)) {
			if (strcmp(port, "kernel"))
				return -1;
			a->port = 0;
		}
	}
	if (!is_port && addr[0] && strcmp(addr, "*")) {
		a->bitlen = 32;
		int proto;
		if (get_int(addr, &proto)) {
			a->addr[0] = (uint32_t)proto;
			return 0;
		}
		for (size_t i = 0; i < sizeof(nl_protos) / sizeof(nl_protos[0]); i++) {
			if (!strcmp(addr, nl_protos[i].name)) {
				a->addr[0] = (uint32_t)nl_protos[i].num;
				return 0;
			}
		}
		return -1;
	}
	return 0;
}

static int host_inet(char *addr, bool is_port, int fam, struct ssf_host *a, struct ssf_env *env)
{
	char *port;
	if (addr[0] == '[') {
		addr++;
		port = strchr(addr, ']');
		if (!port)
			return -1;
		*port++ = '\0';
	} else if (addr[0] == '*') {
		port = addr + 1;
	} else {
		char *sl = strchr(addr, '/');
		port = strrchr(sl ? sl : addr, ':');
	}
	if (is_port)
		port = addr;
	if (port && *port) {
		if (*port == ':')
			*port++ = '\0';
		if (*port && *port != '*' && !get_int(port, &a->port) &&
		    service_port(port, env, &a->port) < 0)
			return -1;
	}
	if (!is_port && *addr && *addr != '*') {
		if (parse_prefix(addr, fam, a) < 0 && !resolve_host(a, addr, fam, env)) {
			errf(env, "Error: an inet prefix is expected rather than \"%s\".\n", addr);
			return -1;
		}
	}
	return 0;
}

struct ssf_host *ssf_parse_host(char *addr, bool is_port, struct ssf_env *env)
{
	struct ssf_host *a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->port = -1;
	int fam = env->family;
	for (size_t i = 0; i < sizeof(fam_prefixes) / sizeof(fam_prefixes[0]); i++) {
		size_t n = strlen(fam_prefixes[i].prefix);
		if (!strncmp(addr, fam_prefixes[i].prefix, n)) {
			fam = fam_prefixes[i].family;
			addr += n;
			break;
		}
	}
	int r = 0;
	if (fam == AF_UNIX) {
		a->family = AF_UNIX;
		a->pattern = strdup(addr);
		a->bitlen = 8 * (int)strlen(addr);
		r = a->pattern ? 0 : -1;
	} else if (fam == AF_PACKET) {
		r = host_link(addr, is_port, a);
	} else if (fam == AF_NETLINK) {
		r = host_netlink(addr, is_port, a);
	} else if (fam == AF_VSOCK) {
		r = -1; /* vsock is not in this kernel's sock_diag */
		errf(env, "Error: vsock sockets are not supported.\n");
	} else {
		r = host_inet(addr, is_port, fam, a, env);
	}
	if (r < 0) {
		host_free(a);
		return NULL;
	}
	if (fam != AF_UNSPEC) {
		env->forced_family = fam;
		env->family = fam;
	}
	return a;
}

static struct ssf_node *parse_dev(const char *name, struct ssf_env *env)
{
	unsigned idx = if_nametoindex(name);
	if (!idx) {
		char *end;
		errno = 0;
		unsigned long n = strtoul(name, &end, 0);
		if (end == name || *end || errno || n > UINT_MAX) {
			errf(env, "Cannot parse device.\n");
			return NULL;
		}
		idx = (unsigned)n;
	}
	struct ssf_node *v = node(SSF_DEVCOND, NULL);
	if (v)
		v->iface = idx;
	return v;
}

static struct ssf_node *parse_mark(const char *s, struct ssf_env *env)
{
	int mark = 0, mask = -1;
	bool ok = strchr(s, '/') ? sscanf(s, "%i/%i", &mark, &mask) == 2
				 : sscanf(s, "%i", &mark) == 1;
	if (!ok) {
		errf(env, "Cannot parse mark %s.\n", s);
		return NULL;
	}
	struct ssf_node *v = node(SSF_MARKMASK, NULL);
	if (v) {
		v->mark = (uint32_t)mark;
		v->mask = (uint32_t)mask;
	}
	return v;
}

/* A cgroup v2 path's id is its directory's file handle on cgroupfs. */
static struct ssf_node *parse_cgroup(const char *path, struct ssf_env *env)
{
	char full[4096];
	snprintf(full, sizeof(full), "/sys/fs/cgroup%s%s", path[0] == '/' ? "" : "/", path);
	union {
		struct file_handle fh;
		char space[sizeof(struct file_handle) + 128];
	} h = {.fh.handle_bytes = 128};
	int mnt;
	if (name_to_handle_at(AT_FDCWD, full, &h.fh, &mnt, 0) < 0 || h.fh.handle_bytes < 8) {
		errf(env, "Failed to get cgroup2 ID: %s\nCannot parse cgroup %s.\n",
		     strerror(errno), path);
		return NULL;
	}
	struct ssf_node *v = node(SSF_CGROUPCOND, NULL);
	if (v)
		memcpy(&v->cgroup_id, h.fh.f_handle, sizeof(uint64_t));
	return v;
}
