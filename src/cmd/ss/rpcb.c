/* SPDX-License-Identifier: Apache-2.0 */
/* RPC program names for -r: iproute2 6.1 (built with libtirpc, as in
 * Debian) asks the local rpcbind for its whole table (RPCBPROC_DUMP,
 * version 4, over /var/run/rpcbind.sock) and names a port "rpc.PROGRAM"
 * when a wildcard-address TCP, UDP or SCTP mapping points at it. The
 * ONC RPC messages (RFC 5531 record marking, XDR per RFC 4506) are built
 * and parsed here on buffers; one function does the socket exchange. */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "cmd/ss/ss.h"

#define RPCB_PROG 100000u
#define RPCB_VERS4 4u
#define RPCB_DUMP 4u
#define RPC_CALL 0u
#define RPC_REPLY 1u
#define RPC_VERSION 2u
#define LAST_FRAG 0x80000000u
#define REPLY_MAX (1u << 20) /* a table far beyond any real one */

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

size_t ss_rpcb_dump_call(uint8_t *buf, size_t len, uint32_t xid)
{
	/* record mark, xid, CALL, rpcvers, prog, vers, proc, two AUTH_NONE */
	const uint32_t words[] = {LAST_FRAG | 40, xid, RPC_CALL, RPC_VERSION, RPCB_PROG, RPCB_VERS4,
				  RPCB_DUMP,	  0,   0,	 0,	      0};
	if (len < sizeof(words))
		return 0;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		put32(buf + 4 * i, words[i]);
	return sizeof(words);
}

struct xdr {
	const uint8_t *p, *end;
};

static bool xdr_u32(struct xdr *x, uint32_t *v)
{
	if (x->end - x->p < 4)
		return false;
	*v = get32(x->p);
	x->p += 4;
	return true;
}

/* An opaque or string: its bytes stay in the buffer, copied to out (NUL
 * terminated, cut to outlen) when out is given. */
static bool xdr_bytes(struct xdr *x, char *out, size_t outlen)
{
	uint32_t n;
	if (!xdr_u32(x, &n) || n > (size_t)(x->end - x->p))
		return false;
	size_t padded = ((size_t)n + 3) & ~(size_t)3;
	if (padded > (size_t)(x->end - x->p))
		return false;
	if (out) {
		size_t k = n < outlen ? n : outlen - 1;
		memcpy(out, x->p, k);
		out[k] = '\0';
	}
	x->p += padded;
	return true;
}

int ss_rpcb_parse_reply(const uint8_t *buf, size_t len, uint32_t xid, ss_rpcb_fn fn, void *arg)
{
	struct xdr x = {buf, buf + len};
	uint32_t v[3];
	/* xid, REPLY, MSG_ACCEPTED, then the verifier */
	if (!xdr_u32(&x, &v[0]) || !xdr_u32(&x, &v[1]) || !xdr_u32(&x, &v[2]))
		return -EBADMSG;
	if (v[0] != xid || v[1] != RPC_REPLY)
		return -EBADMSG;
	if (v[2] != 0)
		return -EACCES;
	if (!xdr_u32(&x, &v[0]) || !xdr_bytes(&x, NULL, 0) || !xdr_u32(&x, &v[1]))
		return -EBADMSG;
	if (v[1] != 0) /* accept_stat: the call was not carried out */
		return -EPROTO;
	for (;;) {
		uint32_t more, prog, vers;
		char netid[32], addr[64];
		if (!xdr_u32(&x, &more))
			return -EBADMSG;
		if (!more)
			return 0;
		if (!xdr_u32(&x, &prog) || !xdr_u32(&x, &vers) ||
		    !xdr_bytes(&x, netid, sizeof(netid)) || !xdr_bytes(&x, addr, sizeof(addr)) ||
		    !xdr_bytes(&x, NULL, 0))
			return -EBADMSG;
		fn(arg, prog, vers, netid, addr);
	}
}

/* One "%d" the way sscanf reads it: optional blanks and sign, digits. */
static const char *scan_int(const char *s, int *v)
{
	while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		s++;
	bool neg = *s == '-';
	if (*s == '-' || *s == '+')
		s++;
	if (*s < '0' || *s > '9')
		return NULL;
	long n = 0;
	for (; *s >= '0' && *s <= '9'; s++)
		n = n < 100000000 ? n * 10 + (*s - '0') : n;
	*v = (int)(neg ? -n : n);
	return s;
}

int ss_rpcb_port(const char *uaddr)
{
	/* only the wildcard addresses, "::.H.L" and "0.0.0.0.H.L", name a
	 * port, as iproute2 reads them; H and L are the port's two bytes */
	static const char *const prefix[] = {"::.", "0.0.0.0."};
	for (int i = 0; i < 2; i++) {
		size_t n = strlen(prefix[i]);
		if (strncmp(uaddr, prefix[i], n))
			continue;
		int hi, lo;
		const char *p = scan_int(uaddr + n, &hi);
		if (!p || *p != '.' || !scan_int(p + 1, &lo))
			return -1;
		return hi << 8 | lo;
	}
	return -1;
}

struct rpc_ent {
	int port;
	char proto[8];
	char name[128];
};

struct ss_rpcmap {
	struct rpc_ent *e;
	size_t n, cap;
	int fd;
};

static void add_mapping(void *arg, uint32_t prog, uint32_t vers, const char *netid,
			const char *addr)
{
	struct ss_rpcmap *m = arg;
	const char *proto = !strcmp(netid, "tcp") || !strcmp(netid, "tcp6")   ? "tcp"
			    : !strcmp(netid, "udp") || !strcmp(netid, "udp6") ? "udp"
			    : !strcmp(netid, "sctp")			      ? "sctp"
									      : NULL;
	int port = ss_rpcb_port(addr);
	/* a program /etc/rpc does not name is left out: iproute2 keeps an
	 * unset name there */
	struct rpcent *re = proto && port >= 0 ? getrpcbynumber((int)prog) : NULL;
	if (!re)
		return;
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		struct rpc_ent *e = realloc(m->e, cap * sizeof(*e));
		if (!e)
			return;
		m->e = e;
		m->cap = cap;
	}
	struct rpc_ent *e = &m->e[m->n++];
	e->port = port;
	snprintf(e->proto, sizeof(e->proto), "%s", proto);
	snprintf(e->name, sizeof(e->name), "rpc.%s", re->r_name);
}

const char *ss_rpc_name(const struct ss_rpcmap *m, int port, const char *proto)
{
	/* iproute2 pushes each mapping in front of the list: the last one
	 * of the dump wins (nfs_acl over nfs on 2049) */
	for (size_t i = m && proto ? m->n : 0; i-- > 0;)
		if (m->e[i].port == port && !strcmp(m->e[i].proto, proto))
			return m->e[i].name;
	return NULL;
}

static long ms_left(const struct timespec *deadline)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

/* Exactly n bytes, or false at EOF, error or the deadline. */
static bool read_full(int fd, uint8_t *buf, size_t n, const struct timespec *deadline)
{
	while (n) {
		long ms = ms_left(deadline);
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (ms <= 0 || poll(&p, 1, (int)ms) <= 0)
			return false;
		ssize_t r = read(fd, buf, n);
		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			return false;
		}
		buf += r;
		n -= (size_t)r;
	}
	return true;
}

/* The reply's fragments joined: the message, or NULL. */
static uint8_t *read_reply(int fd, size_t *len, const struct timespec *deadline)
{
	uint8_t *msg = NULL, hdr[4];
	size_t have = 0;
	for (;;) {
		if (!read_full(fd, hdr, 4, deadline))
			break;
		uint32_t mark = get32(hdr), n = mark & ~LAST_FRAG;
		if (have + n > REPLY_MAX)
			break;
		uint8_t *p = realloc(msg, have + n + 1);
		if (!p)
			break;
		msg = p;
		if (!read_full(fd, msg + have, n, deadline))
			break;
		have += n;
		if (mark & LAST_FRAG) {
			*len = have;
			return msg;
		}
	}
	free(msg);
	return NULL;
}

struct ss_rpcmap *ss_rpcb_load(const char *path)
{
	struct ss_rpcmap *m = calloc(1, sizeof(*m));
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (!m)
		return NULL;
	m->fd = -1;
	if (strlen(path) >= sizeof(sa.sun_path))
		return m;
	strcpy(sa.sun_path, path);
	/* the socket stays open until the end, connected or not: iproute2
	 * never closes its RPC client, so -x shows it, and so it shows ours */
	int fd = m->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return m;
	/* iproute2 gives rpcbind 5 seconds */
	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += 5;
	uint8_t call[44];
	uint32_t xid = (uint32_t)getpid() ^ (uint32_t)deadline.tv_nsec;
	size_t n = ss_rpcb_dump_call(call, sizeof(call), xid);
	size_t len = 0;
	uint8_t *reply = NULL;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    send(fd, call, n, MSG_NOSIGNAL) == (ssize_t)n)
		reply = read_reply(fd, &len, &deadline);
	if (reply)
		ss_rpcb_parse_reply(reply, len, xid, add_mapping, m);
	free(reply);
	return m;
}

void ss_rpcmap_free(struct ss_rpcmap *m)
{
	if (!m)
		return;
	if (m->fd >= 0)
		close(m->fd);
	free(m->e);
	free(m);
}
