/* SPDX-License-Identifier: Apache-2.0 */
/* nmap.new_socket's primitives on an epoll loop. A socket call that
 * cannot finish at once parks its coroutine (lua_yield) on the socket's
 * fd with a deadline; nk.poll waits for any parked socket or timer and
 * hands the driver the threads to resume, each with the call's results
 * (nmap's conventions: true, data / false, "EOF" | "TIMEOUT" | "ERROR").
 * nselib/nmap.lua builds receive_lines, receive_buf etc. on these. */
#include "engine/script/nse_int.h"

#include "lib/tls/tls.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SOCK_MT "netkit.nse.socket"

enum sock_op { OP_NONE, OP_CONNECT, OP_RECV, OP_SEND, OP_TLS };

struct nse_sock {
	int fd;
	int op; /* enum sock_op while parked */
	double timeout;
	char *sbuf; /* what send has left to write */
	size_t slen, soff;
	struct tls_conn *tls;	       /* after _starttls */
	struct sockaddr_storage local; /* bound by the last connect (--script-trace) */
};

double nse_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static struct nse_sock *check_sock(lua_State *L)
{
	return luaL_checkudata(L, 1, SOCK_MT);
}

static int push_fail(lua_State *L, const char *why)
{
	lua_pushnil(L); /* nmap's sockets fail with nil, not false */
	lua_pushstring(L, why);
	return 2;
}

static const char *err_word(int err)
{
	/* nmap 7.93 says "ERROR" for a refused connect too */
	return err == ETIMEDOUT ? "TIMEOUT" : "ERROR";
}

/* Park the running coroutine on s (events) or on a timer (s NULL). */
static int park(lua_State *L, struct nse_sock *s, uint32_t events, double secs)
{
	struct nse *n = nse_of(L);
	struct nse_wait *w = calloc(1, sizeof(*w));
	if (!w)
		return luaL_error(L, "not enough memory");
	if (s) {
		struct epoll_event ev = {.events = events, .data.ptr = w};
		if (epoll_ctl(n->epfd, EPOLL_CTL_ADD, s->fd, &ev) < 0) {
			free(w);
			return push_fail(L, "ERROR");
		}
	}
	lua_pushthread(L);
	w->ref = luaL_ref(L, LUA_REGISTRYINDEX);
	w->s = s;
	w->deadline = secs > 0 ? nse_now() + secs : 0;
	w->next = n->waits;
	n->waits = w;
	return lua_yield(L, 0);
}

/* s:_connect(ip, port, "tcp"|"udp") */
static int s_connect(lua_State *L)
{
	struct nse_sock *s = check_sock(L);
	const char *ip = luaL_checkstring(L, 2);
	int port = (int)luaL_checkinteger(L, 3);
	const char *proto = luaL_optstring(L, 4, "tcp");
	struct sockaddr_storage ss = {0};
	socklen_t sl;
	struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, ip, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)port);
		sl = sizeof(*a4);
	} else if (inet_pton(AF_INET6, ip, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		sl = sizeof(*a6);
	} else {
		return push_fail(L, "Failed to resolve host");
	}
	tls_conn_free(s->tls);
	s->tls = NULL;
	if (s->fd >= 0)
		close(s->fd);
	bool udp = !strcmp(proto, "udp");
	s->fd = socket(ss.ss_family,
		       (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0)
		return push_fail(L, "ERROR");
	int rc = connect(s->fd, (struct sockaddr *)&ss, sl);
	int err = errno;
	socklen_t ll = sizeof(s->local);
	memset(&s->local, 0, sizeof(s->local));
	getsockname(s->fd, (struct sockaddr *)&s->local, &ll);
	errno = err;
	if (rc == 0) {
		lua_pushboolean(L, 1);
		return 1;
	}
	if (errno != EINPROGRESS)
		return push_fail(L, err_word(errno));
	s->op = OP_CONNECT;
	return park(L, s, EPOLLOUT, s->timeout);
}

static int try_send(struct nse_sock *s)
{
	while (s->soff < s->slen) {
		ssize_t k;
		if (s->tls) {
			int want = 0;
			k = tls_send(s->tls, s->sbuf + s->soff, s->slen - s->soff, &want);
			if (k == -EAGAIN)
				return 1;
			if (k <= 0)
				return -EIO;
		} else {
			k = send(s->fd, s->sbuf + s->soff, s->slen - s->soff, MSG_NOSIGNAL);
			if (k < 0)
				return errno == EAGAIN ? 1 : -errno;
		}
		s->soff += (size_t)k;
	}
	free(s->sbuf);
	s->sbuf = NULL;
	return 0;
}

static int s_send(lua_State *L)
{
	struct nse_sock *s = check_sock(L);
	size_t len;
	const char *d = luaL_checklstring(L, 2, &len);
	if (s->fd < 0)
		return luaL_error(L, "socket must be connected");
	free(s->sbuf);
	s->sbuf = malloc(len ? len : 1);
	if (!s->sbuf)
		return luaL_error(L, "not enough memory");
	memcpy(s->sbuf, d, len);
	s->slen = len;
	s->soff = 0;
	int sotype = 0;
	socklen_t tl = sizeof(sotype);
	/* an empty datagram is a datagram (RFC 868's time request is one) */
	if (!len && !s->tls && getsockopt(s->fd, SOL_SOCKET, SO_TYPE, &sotype, &tl) == 0 &&
	    sotype == SOCK_DGRAM && send(s->fd, "", 0, MSG_NOSIGNAL) < 0 && errno != EAGAIN)
		return push_fail(L, err_word(errno));
	int r = try_send(s);
	if (r == 0) {
		lua_pushboolean(L, 1);
		return 1;
	}
	if (r < 0)
		return push_fail(L, err_word(-r));
	s->op = OP_SEND;
	return park(L, s, EPOLLOUT, s->timeout);
}

/* One read: pushes true, data or false, why; -1 if it would block. */
static int try_recv(lua_State *L, struct nse_sock *s)
{
	char buf[65536];
	if (s->tls) {
		int want = 0;
		ssize_t k = tls_recv(s->tls, buf, sizeof(buf), &want);
		if (k == -EAGAIN)
			return -1;
		if (k < 0)
			return push_fail(L, "ERROR");
		if (k == 0)
			return push_fail(L, "EOF");
		lua_pushboolean(L, 1);
		lua_pushlstring(L, buf, (size_t)k);
		return 2;
	}
	ssize_t k = recv(s->fd, buf, sizeof(buf), 0);
	if (k < 0 && errno == EAGAIN)
		return -1;
	if (k < 0)
		return push_fail(L, err_word(errno));
	if (k == 0)
		return push_fail(L, "EOF");
	lua_pushboolean(L, 1);
	lua_pushlstring(L, buf, (size_t)k);
	return 2;
}

static int s_recv(lua_State *L)
{
	struct nse_sock *s = check_sock(L);
	if (s->fd < 0)
		return luaL_error(L, "socket must be connected");
	int r = try_recv(L, s);
	if (r >= 0)
		return r;
	s->op = OP_RECV;
	return park(L, s, EPOLLIN, s->timeout);
}

static int s_close(lua_State *L)
{
	struct nse_sock *s = check_sock(L);
	if (s->fd < 0)
		return push_fail(L, "Trying to close a closed socket");
	tls_conn_free(s->tls);
	s->tls = NULL;
	close(s->fd);
	s->fd = -1;
	lua_pushboolean(L, 1);
	return 1;
}

static int s_timeout(lua_State *L)
{
	struct nse_sock *s = check_sock(L);
	lua_Number ms = luaL_checknumber(L, 2);
	s->timeout = ms > 0 ? ms / 1000.0 : 0;
	return 0;
}

static void push_addr(lua_State *L, const struct sockaddr_storage *ss)
{
	char a[INET6_ADDRSTRLEN] = "";
	uint16_t port = 0;
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)ss;
		inet_ntop(AF_INET, &s4->sin_addr, a, sizeof(a));
		port = ntohs(s4->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)ss;
		inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof(a));
		port = ntohs(s6->sin6_port);
	}
	lua_pushstring(L, a);
	lua_pushinteger(L, port);
}

/* s:_info() -> true, lhost, lport, rhost, rport */
static int s_info(lua_State *L)
{
	struct nse_sock *s = check_sock(L);
	struct sockaddr_storage l = {0}, r = {0};
	socklen_t ll = sizeof(l), rl = sizeof(r);
	if (s->fd < 0 || getsockname(s->fd, (struct sockaddr *)&l, &ll) < 0 ||
	    getpeername(s->fd, (struct sockaddr *)&r, &rl) < 0)
		return push_fail(L, "Trying to get info from a closed socket");
	lua_pushboolean(L, 1);
	push_addr(L, &l);
	push_addr(L, &r);
	return 5;
}

/* s:_local(): the address the last connect bound, even when it failed */
static int s_local(lua_State *L)
{
	struct nse_sock *s = check_sock(L);
	if (s->local.ss_family != AF_INET && s->local.ss_family != AF_INET6)
		return push_fail(L, "not connected");
	lua_pushboolean(L, 1);
	push_addr(L, &s->local);
	return 3;
}

static int s_gc(lua_State *L)
{
	struct nse_sock *s = check_sock(L);
	tls_conn_free(s->tls);
	s->tls = NULL;
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	free(s->sbuf);
	s->sbuf = NULL;
	return 0;
}

/* nk.socket() */
static int nk_socket(lua_State *L)
{
	struct nse_sock *s = lua_newuserdata(L, sizeof(*s));
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->timeout = 30.0; /* nmap's default */
	luaL_setmetatable(L, SOCK_MT);
	return 1;
}

/* nk.sleep(seconds): parks the coroutine on a timer */
static int nk_sleep(lua_State *L)
{
	lua_Number t = luaL_checknumber(L, 1);
	return park(L, NULL, 0, t > 0 ? t : 1e-6);
}

/* One step of a TLS handshake: pushes its result, or -1 to wait on (the
 * socket's epoll events changed to what OpenSSL wants). */
static int tls_step(lua_State *L, struct nse_sock *s)
{
	int r = tls_handshake(s->tls);
	if (r == TLS_DONE) {
		lua_pushboolean(L, 1);
		return 1;
	}
	if (r < 0) {
		tls_conn_free(s->tls);
		s->tls = NULL;
		return push_fail(L, "ERROR");
	}
	struct nse *n = nse_of(L);
	struct epoll_event ev = {.events = r == TLS_WANT_READ ? EPOLLIN : EPOLLOUT};
	for (struct nse_wait *w = n->waits; w; w = w->next)
		if (w->s == s)
			ev.data.ptr = w;
	if (ev.data.ptr)
		epoll_ctl(n->epfd, EPOLL_CTL_MOD, s->fd, &ev);
	return -1;
}

/* s:_starttls(sni): a TLS client handshake on the connected socket */
static int s_starttls(lua_State *L)
{
	struct nse_sock *s = check_sock(L);
	const char *sni = luaL_optstring(L, 2, NULL);
	struct nse *n = nse_of(L);
	if (s->fd < 0)
		return luaL_error(L, "socket must be connected");
	if (!n->tls && tls_ctx_new(&n->tls) < 0)
		return push_fail(L, "ERROR");
	tls_conn_free(s->tls);
	s->tls = tls_conn_new(n->tls, s->fd, sni);
	if (!s->tls)
		return push_fail(L, "ERROR");
	s->op = OP_TLS;
	int want = tls_handshake(s->tls);
	if (want == TLS_DONE) {
		lua_pushboolean(L, 1);
		return 1;
	}
	if (want < 0) {
		tls_conn_free(s->tls);
		s->tls = NULL;
		return push_fail(L, "ERROR");
	}
	return park(L, s, want == TLS_WANT_READ ? EPOLLIN : EPOLLOUT, s->timeout);
}

/* s:_cert() -> the peer's certificate (DER) or nil */
static int s_cert(lua_State *L)
{
	struct nse_sock *s = check_sock(L);
	unsigned char *der = NULL;
	ssize_t k = s->tls ? tls_peer_cert(s->tls, &der) : -ENOENT;
	if (k < 0)
		return push_fail(L, "no certificate");
	lua_pushlstring(L, (const char *)der, (size_t)k);
	free(der);
	return 1;
}

/* s:_random() -> the ServerHello's 32 random bytes or nil */
static int s_random(lua_State *L)
{
	struct nse_sock *s = check_sock(L);
	unsigned char r[32];
	if (!s->tls || tls_server_random(s->tls, r, sizeof(r)) != sizeof(r))
		return push_fail(L, "no TLS session");
	lua_pushlstring(L, (const char *)r, sizeof(r));
	return 1;
}

/* nk.digest(name, data) -> the raw digest, or nil if unknown */
static int nk_digest(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	size_t len;
	const char *d = luaL_checklstring(L, 2, &len);
	struct nse *n = nse_of(L);
	unsigned char out[64];
	unsigned int ol = 0;
	if ((!n->tls && tls_ctx_new(&n->tls) < 0) || tls_digest(n->tls, name, d, len, out, &ol) < 0)
		return push_fail(L, "unknown digest");
	lua_pushlstring(L, (const char *)out, ol);
	return 1;
}

/* Finish w's operation after its event: pushes the results; returns
 * how many, or -1 if it must wait on (a send with bytes left). */
static int complete(lua_State *L, struct nse_sock *s)
{
	int err = 0;
	socklen_t el = sizeof(err);
	int r;
	switch (s->op) {
	case OP_CONNECT:
		getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &el);
		if (err)
			return push_fail(L, err_word(err));
		lua_pushboolean(L, 1);
		return 1;
	case OP_SEND:
		r = try_send(s);
		if (r > 0)
			return -1;
		if (r < 0)
			return push_fail(L, err_word(-r));
		lua_pushboolean(L, 1);
		return 1;
	case OP_TLS: return tls_step(L, s);
	default: r = try_recv(L, s); return r;
	}
}

static void unpark(struct nse *n, struct nse_wait *w)
{
	for (struct nse_wait **p = &n->waits; *p; p = &(*p)->next)
		if (*p == w) {
			*p = w->next;
			break;
		}
	if (w->s) {
		epoll_ctl(n->epfd, EPOLL_CTL_DEL, w->s->fd, NULL);
		w->s->op = OP_NONE;
	}
}

/* Append {thread, results...} to the table at the top of the stack. */
static void wake(lua_State *L, struct nse *n, struct nse_wait *w, bool timeout)
{
	lua_createtable(L, 3, 0);
	lua_rawgeti(L, LUA_REGISTRYINDEX, w->ref);
	lua_rawseti(L, -2, 1);
	int k = 0;
	if (timeout && w->s)
		k = push_fail(L, "TIMEOUT");
	else if (w->s)
		k = complete(L, w->s);
	if (k < 0) { /* keep waiting */
		lua_pop(L, 1);
		return;
	}
	for (int i = k; i >= 1; i--)
		lua_rawseti(L, -(i + 1), i + 1);
	lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
	unpark(n, w);
	luaL_unref(L, LUA_REGISTRYINDEX, w->ref);
	free(w);
}

/* nk.cancel(thread): forget what the thread waits on (it was stopped) */
static int nk_cancel(lua_State *L)
{
	struct nse *n = nse_of(L);
	luaL_checktype(L, 1, LUA_TTHREAD);
	for (struct nse_wait *w = n->waits, *next; w; w = next) {
		next = w->next;
		lua_rawgeti(L, LUA_REGISTRYINDEX, w->ref);
		bool same = lua_rawequal(L, -1, 1);
		lua_pop(L, 1);
		if (same) {
			unpark(n, w);
			luaL_unref(L, LUA_REGISTRYINDEX, w->ref);
			free(w);
		}
	}
	return 0;
}

/* nk.poll([max]): waits (at most max seconds: the nearest script
 * timeout, also with nothing parked) for parked coroutines; returns a list
 * of {thread, results...}, whether anything is still parked, and whether
 * the scan is to stop (conf's should_stop: the driver ends every script). */
static int nk_poll(lua_State *L)
{
	struct nse *n = nse_of(L);
	double max = luaL_optnumber(L, 1, 0);
	lua_newtable(L);
	if (!n->waits && max <= 0) {
		lua_pushboolean(L, 0);
		return 2;
	}
	double now = nse_now(), first = 0;
	for (struct nse_wait *w = n->waits; w; w = w->next)
		if (w->deadline > 0 && (first == 0 || w->deadline < first))
			first = w->deadline;
	int ms = first == 0 ? 1000 : first <= now ? 0 : (int)((first - now) * 1000) + 1;
	if (max > 0 && ms > (int)(max * 1000) + 1)
		ms = (int)(max * 1000) + 1;
	struct epoll_event ev[64];
	int k = epoll_wait(n->epfd, ev, 64, ms);
	for (int i = 0; i < k; i++)
		wake(L, n, ev[i].data.ptr, false);
	now = nse_now();
	for (struct nse_wait *w = n->waits, *next; w; w = next) {
		next = w->next;
		if (w->deadline > 0 && w->deadline <= now)
			wake(L, n, w, true);
	}
	lua_pushboolean(L, n->waits != NULL || k > 0);
	lua_pushboolean(L, n->cf.should_stop && n->cf.should_stop(n->cf.ctx));
	return 3;
}

void nse_waits_free(struct nse *n)
{
	while (n->waits) {
		struct nse_wait *w = n->waits;
		unpark(n, w);
		free(w);
	}
}

void nse_sock_register(lua_State *L)
{
	static const luaL_Reg methods[] = {
		{"_connect", s_connect},
		{"_send", s_send},
		{"_recv", s_recv},
		{"_close", s_close},
		{"_timeout", s_timeout},
		{"_info", s_info},
		{"_local", s_local},
		{"_starttls", s_starttls},
		{"_cert", s_cert},
		{"_random", s_random},
		{NULL, NULL},
	};
	luaL_newmetatable(L, SOCK_MT);
	luaL_newlib(L, methods);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, s_gc);
	lua_setfield(L, -2, "__gc");
	lua_pop(L, 1);
	/* the nk table is on top: add the loop's functions */
	lua_pushcfunction(L, nk_socket);
	lua_setfield(L, -2, "socket");
	lua_pushcfunction(L, nk_sleep);
	lua_setfield(L, -2, "sleep");
	lua_pushcfunction(L, nk_poll);
	lua_setfield(L, -2, "poll");
	lua_pushcfunction(L, nk_cancel);
	lua_setfield(L, -2, "cancel");
	lua_pushcfunction(L, nk_digest);
	lua_setfield(L, -2, "digest");
}
