/* SPDX-License-Identifier: Apache-2.0 */
/* The -sV connection scheduler (see service.h). Each open port is a job.
 * A job first opens, in parallel, a connection that only listens (the
 * "NULL probe": servers that speak first, such as SSH, are known by their
 * greeting) and one connection per handler whose likely ports include
 * this one; if none of them names the service, the other handlers the
 * intensity allows follow, a few at a time. A reply is read until the
 * handler's framing says it is whole, the peer closes, or the wait runs
 * out. Waits come from the port scan's round-trip timeout (rtt_to): a
 * greeting is awaited 5 rtt_to (0.5 s to 6 s), a reply 10 rtt_to (1 s to
 * 5 s), and a reply that stops short is given 2 rtt_to more. A peer that
 * closes the listening connection without a byte, while no probe got an
 * answer either, is "tcpwrapped", as nmap calls it. */
#include "engine/service/service.h"
#include "lib/svc/matchdb.h"
#include "lib/tls/tls.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#define SVC_BUF 16384
#define MAX_CONNS 128
#define MAX_PER_JOB 4
#define MAX_ORDER 48 /* > the TCP handlers with a probe (30) */
#define MAX_FP SVC_MAX_RESP
/* A pseudo-service: after PSEUDO_N ports of one host have ended exactly
 * alike (the same verdict, the same bytes to the same probes, or all
 * silent), a port of that host whose answers so far are that pattern's
 * is given its result at once, with the first port's as evidence, and is
 * not probed to the end (a tarpit or a forwarder that accepts every port
 * would otherwise cost the whole probe list on each). PSEUDO_CAND
 * patterns are followed per host; TCP only. */
#define PSEUDO_N 10
#define PSEUDO_CAND 4

struct fp_resp {
	const char *probe;
	uint8_t *data;
	size_t len;
};

struct job {
	struct svc_host *sh;
	size_t hi;	    /* sh's index: its pseudo-service patterns */
	struct job *pseudo; /* this job ends as that one did */
	bool keep;	    /* a pattern's first: its answers stay to compare */
	unsigned sent;	    /* connections opened */
	struct port_result *p;
	const struct svc_handler *order[MAX_ORDER];
	size_t norder, next, nlikely;
	bool started, phase_b, done, empty_eof, got_data;
	bool tls_found, tls; /* the port speaks TLS; the job goes on inside it */
	int active;
	enum svc_verdict v;
	struct svc_match m;
	const char *probe; /* the probe whose answer matched */
	struct fp_resp fp[MAX_FP];
	size_t nfp;
	double banner_wait, probe_wait, idle;
	char host[300];
	char sni[256]; /* the name the user gave, for TLS; "" for an address */
};

struct conn {
	int fd; /* -1: free */
	struct job *j;
	const struct svc_handler *hd; /* NULL: the listening connection */
	bool connected, eof, handshaking;
	bool proxying; /* --proxies: the handshake with proxy hop goes on */
	uint8_t hop;
	struct tls_conn *tls;
	double opened, deadline;
	size_t len;
	uint8_t buf[SVC_BUF];
};

struct host_pseudo {
	struct job *cand[PSEUDO_CAND];
	size_t count[PSEUDO_CAND]; /* PSEUDO_N or more: a pseudo-service */
};

struct sched {
	const struct scan_config *cfg;
	struct host_pseudo *pseudo; /* one per host */
	int ep;
	struct job *jobs;
	size_t njobs, left;
	struct conn *conns;
	size_t nactive;
	struct tls_ctx *tls;
};

static double now_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double clampd(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void trace(const struct sched *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void trace(const struct sched *s, const char *fmt, ...)
{
	const struct scan_hooks *hk = &s->cfg->hooks;
	if (!s->cfg->version.trace || !hk->version_trace)
		return;
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	hk->version_trace(hk->ctx, line);
}

static const char *addr_str(const struct host *h, char *buf, size_t len)
{
	const void *a = h->addr.ss_family == AF_INET6
				? (const void *)&((const struct sockaddr_in6 *)&h->addr)->sin6_addr
				: (const void *)&((const struct sockaddr_in *)&h->addr)->sin_addr;
	if (!inet_ntop(h->addr.ss_family, a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

/* A port a resumed scan decided already (its service came back from the
 * records; TCP only: a UDP port's answer may have changed its state). */
static bool svc_known(const struct host *h, const struct port_result *p)
{
	return p->proto == IPPROTO_TCP && host_service(h, p->proto, p->port);
}

bool service_wants(const struct scan_config *cfg, const struct port_result *p)
{
	if (p->proto == IPPROTO_TCP)
		return p->state == PORT_OPEN && (cfg->version.allports || p->port != 9100);
	if (p->proto == IPPROTO_UDP)
		return p->state == PORT_OPEN || p->state == PORT_OPEN_FILTERED;
	return false;
}

/* The probes a job sends after its listening connection: the handlers
 * that list its port first, then the others the intensity allows. */
static void job_order(const struct scan_config *cfg, struct job *j)
{
	unsigned tr = j->p->proto == IPPROTO_UDP ? SVC_UDP : SVC_TCP;
	j->norder = j->nlikely = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < svc_nhandlers && j->norder < MAX_ORDER; i++) {
			const struct svc_handler *hd = &svc_handlers[i];
			bool likely = svc_likely(hd, j->p->port);
			if ((!svc_has_probe(hd) && !hd->tls) || !(hd->protos & tr) ||
			    likely != (pass == 0))
				continue;
			if (hd->tls && j->tls)
				continue; /* inside TLS already */
			if (!likely && hd->rarity > cfg->version.intensity)
				continue;
			j->order[j->norder++] = hd;
			if (likely)
				j->nlikely++;
		}
}

static void job_init(const struct scan_config *cfg, struct job *j, struct svc_host *sh,
		     struct port_result *p)
{
	memset(j, 0, sizeof(*j));
	j->sh = sh;
	j->p = p;
	double to = sh->rtt_to > 0 ? sh->rtt_to : 1.0;
	j->banner_wait = clampd(5 * to, 0.5, 6.0);
	j->probe_wait = clampd(10 * to, 1.0, 5.0);
	j->idle = clampd(2 * to, 0.2, 1.0);
	const struct host *h = sh->h;
	char a[INET6_ADDRSTRLEN];
	addr_str(h, a, sizeof(a));
	if (h->target_name && strcmp(h->target_name, a))
		snprintf(j->host, sizeof(j->host), "%s", h->target_name);
	else if (h->addr.ss_family == AF_INET6)
		snprintf(j->host, sizeof(j->host), "[%s]", a);
	else
		snprintf(j->host, sizeof(j->host), "%s", a);
	if (h->target_name && strcmp(h->target_name, a) && !strchr(h->target_name, ':'))
		snprintf(j->sni, sizeof(j->sni), "%s", h->target_name);
	job_order(cfg, j);
}

static struct conn *free_conn(struct sched *s)
{
	for (size_t i = 0; i < MAX_CONNS; i++)
		if (s->conns[i].fd < 0)
			return &s->conns[i];
	return NULL;
}

static void port_into(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)ss)->sin_port = htons(port);
}

/* Open one connection of job j: hd's probe, or (NULL) the listener. */
static int conn_open(struct sched *s, struct job *j, const struct svc_handler *hd)
{
	struct conn *c = free_conn(s);
	if (!c)
		return -EAGAIN;
	const struct host *h = j->sh->h;
	bool udp = j->p->proto == IPPROTO_UDP;
	/* --proxies: a TCP connection goes to the first proxy */
	bool proxied = !udp && s->cfg->version.nproxies;
	struct sockaddr_storage ss = proxied ? s->cfg->version.proxies[0].addr : h->addr;
	socklen_t sl =
		ss.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	if (!proxied)
		port_into(&ss, j->p->port);
	int fd = socket(ss.ss_family,
			(udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS) {
		int err = -errno;
		close(fd);
		return err;
	}
	c->fd = fd;
	c->j = j;
	c->hd = hd;
	c->connected = c->eof = false;
	c->proxying = proxied;
	c->hop = 0;
	c->len = 0;
	c->opened = now_mono();
	c->deadline = c->opened + j->probe_wait;
	struct epoll_event ev = {.events = EPOLLOUT, .data.ptr = c};
	if (epoll_ctl(s->ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int err = -errno;
		close(fd);
		c->fd = -1;
		return err;
	}
	j->active++;
	j->sent++;
	s->nactive++;
	char a[INET6_ADDRSTRLEN];
	trace(s, "Service scan sending probe %s to %s:%u (%s)", hd ? hd->name : "NULL",
	      addr_str(h, a, sizeof(a)), j->p->port, udp ? "udp" : "tcp");
	return 0;
}

/* Keep the answer for the fingerprint of a port nobody recognises; one
 * per probe, the same bytes again too (nmap 7.93 lists each probe's). */
static void keep_answer(struct job *j, const struct conn *c)
{
	if (j->nfp >= MAX_FP)
		return;
	struct fp_resp *f = &j->fp[j->nfp];
	f->data = malloc(c->len);
	if (!f->data)
		return;
	memcpy(f->data, c->buf, c->len);
	f->probe = c->hd ? c->hd->name : "NULL";
	f->len = c->len;
	j->nfp++;
}

static void conn_close(struct sched *s, struct conn *c)
{
	tls_conn_free(c->tls);
	c->tls = NULL;
	c->handshaking = false;
	close(c->fd);
	c->fd = -1;
	c->j->active--;
	s->nactive--;
}

/* A job is decided: its other connections are not needed. */
static void job_cancel(struct sched *s, struct job *j)
{
	for (size_t i = 0; i < MAX_CONNS; i++)
		if (s->conns[i].fd >= 0 && s->conns[i].j == j)
			conn_close(s, &s->conns[i]);
}

/* Every handler's parser on a reply, the probe's own first. */
static void evaluate(struct sched *s, struct conn *c)
{
	struct job *j = c->j;
	bool udp = j->p->proto == IPPROTO_UDP;
	unsigned tr = udp ? SVC_UDP : SVC_TCP;
	if (!c->len) {
		if (!c->hd && c->eof && c->connected)
			j->empty_eof = true;
		return;
	}
	j->got_data = true;
	keep_answer(j, c);
	for (size_t i = 0; i <= svc_nhandlers && j->v != SVC_HARD; i++) {
		const struct svc_handler *hd = i == 0 ? c->hd : &svc_handlers[i - 1];
		if (!hd || !hd->parse || (i > 0 && hd == c->hd) || !(hd->protos & tr))
			continue;
		struct svc_match m;
		enum svc_verdict v = hd->parse(c->buf, c->len, udp, &m);
		if (v > j->v) {
			j->v = v;
			j->m = m;
			j->probe = c->hd ? c->hd->name : "NULL";
		}
	}
	struct svc_match m;
	const char *probe = c->hd ? c->hd->name : "NULL";
	enum svc_verdict v =
		j->v == SVC_HARD ? SVC_NONE
				 : svcmatch_match(s->cfg->version.db, probe, c->buf, c->len, &m);
	if (v > j->v) {
		j->v = v;
		j->m = m;
		j->probe = probe;
	}
	if (j->v == SVC_HARD) {
		char a[INET6_ADDRSTRLEN];
		trace(s,
		      "Service scan match (Probe %s matched with %s): %s:%u is %s.  Version: "
		      "|%s|%s|%s|",
		      j->probe, j->m.evidence, addr_str(j->sh->h, a, sizeof(a)), j->p->port,
		      j->m.service, j->m.product, j->m.version, j->m.info);
		j->done = true;
	}
}

static void conn_finish(struct sched *s, struct conn *c)
{
	struct job *j = c->j;
	if (c->proxying)
		c->len = 0; /* a proxy's words are not the port's */
	evaluate(s, c);
	conn_close(s, c);
	if (j->done || (j->tls_found && !j->tls))
		job_cancel(s, j);
}

static void conn_events(struct sched *s, struct conn *c, uint32_t events)
{
	struct epoll_event ev = {.events = events, .data.ptr = c};
	epoll_ctl(s->ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Connected (and through TLS, if the job is inside it): send the probe,
 * then read. */
static void conn_start_io(struct sched *s, struct conn *c)
{
	struct job *j = c->j;
	double now = now_mono();
	if (c->hd) {
		uint8_t out[1024];
		struct svc_target t = {j->host, j->p->port, j->p->proto == IPPROTO_UDP};
		size_t n = svc_probe(c->hd, &t, out, sizeof(out));
		int want = 0;
		ssize_t w = !n	     ? -1
			    : c->tls ? tls_send(c->tls, out, n, &want)
				     : send(c->fd, out, n, MSG_NOSIGNAL);
		if (w <= 0) {
			conn_finish(s, c);
			return;
		}
		c->deadline = now + j->probe_wait;
	} else {
		c->deadline = now + j->banner_wait;
	}
	conn_events(s, c, EPOLLIN);
}

/* One step of a TLS handshake. The detection probe ends with it: the port
 * speaks TLS, and the job starts over inside. */
static void tls_step(struct sched *s, struct conn *c)
{
	struct job *j = c->j;
	int r = tls_handshake(c->tls);
	if (r == TLS_WANT_READ || r == TLS_WANT_WRITE) {
		conn_events(s, c, r == TLS_WANT_READ ? EPOLLIN : EPOLLOUT);
		return;
	}
	c->handshaking = false;
	if (r < 0 || (c->hd && c->hd->tls)) {
		if (r == 0) {
			char a[INET6_ADDRSTRLEN];
			trace(s, "Service scan: %s:%u speaks %s; probing inside it",
			      addr_str(j->sh->h, a, sizeof(a)), j->p->port, tls_version(c->tls));
			j->tls_found = true;
		}
		conn_finish(s, c);
		return;
	}
	conn_start_io(s, c);
}

/* A proxy that cannot be reached or will not connect: the port reads as
 * one that closed without a word (tcpwrapped), as nmap 7.93 prints it
 * (observed in the lab with an HTTP proxy nobody listens on). */
static void proxy_fail(struct sched *s, struct conn *c)
{
	c->connected = c->eof = true;
	conn_finish(s, c);
}

/* Ask proxy hop c->hop to connect to the next one, or to the port. */
static void proxy_send(struct sched *s, struct conn *c)
{
	const struct version_opts *v = &s->cfg->version;
	struct job *j = c->j;
	struct sockaddr_storage next =
		c->hop + 1u < v->nproxies ? v->proxies[c->hop + 1].addr : j->sh->h->addr;
	if (c->hop + 1u >= v->nproxies)
		port_into(&next, j->p->port);
	uint8_t out[600] = {0};
	size_t n = 0;
	if (next.ss_family == AF_INET && !v->proxies[c->hop].http) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)&next;
		n = svc_socks4_build((const uint8_t *)&sin->sin_addr, ntohs(sin->sin_port), out,
				     sizeof(out));
	} else if (v->proxies[c->hop].http) {
		char a[INET6_ADDRSTRLEN], hp[INET6_ADDRSTRLEN + 16];
		bool six = next.ss_family == AF_INET6;
		const void *ad = six ? (const void *)&((struct sockaddr_in6 *)&next)->sin6_addr
				     : (const void *)&((struct sockaddr_in *)&next)->sin_addr;
		uint16_t port = six ? ((struct sockaddr_in6 *)&next)->sin6_port
				    : ((struct sockaddr_in *)&next)->sin_port;
		inet_ntop(next.ss_family, ad, a, sizeof(a));
		snprintf(hp, sizeof(hp), six ? "[%s]:%u" : "%s:%u", a, ntohs(port));
		n = svc_httpconnect_build(hp, out, sizeof(out));
	}
	/* (SOCKS 4 cannot name an IPv6 address) */
	if (!n || send(c->fd, out, n, MSG_NOSIGNAL) != (ssize_t)n) {
		proxy_fail(s, c);
		return;
	}
	c->len = 0;
	c->deadline = now_mono() + j->probe_wait;
	conn_events(s, c, EPOLLIN);
}

static void conn_ready(struct sched *s, struct conn *c);

/* The proxy's answer: on to the next hop, or the port itself. */
static void proxy_step(struct sched *s, struct conn *c)
{
	ssize_t r = recv(c->fd, c->buf + c->len, SVC_BUF - c->len, 0);
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r <= 0) {
		proxy_fail(s, c);
		return;
	}
	c->len += (size_t)r;
	size_t used = 0;
	int v = s->cfg->version.proxies[c->hop].http ? svc_httpconnect_reply(c->buf, c->len, &used)
						     : svc_socks4_reply(c->buf, c->len, &used);
	if (v < 0) {
		proxy_fail(s, c);
		return;
	}
	if (v == 0)
		return;
	/* what came after the handshake is the far end's */
	memmove(c->buf, c->buf + used, c->len - used);
	c->len -= used;
	if (++c->hop < s->cfg->version.nproxies) {
		proxy_send(s, c);
		return;
	}
	c->proxying = false;
	conn_ready(s, c);
}

static void conn_writable(struct sched *s, struct conn *c)
{
	int err = 0;
	socklen_t el = sizeof(err);
	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0 || err) {
		if (c->proxying)
			proxy_fail(s, c);
		else
			conn_finish(s, c);
		return;
	}
	c->connected = true;
	if (c->proxying)
		proxy_send(s, c);
	else
		conn_ready(s, c);
}

/* Connected to the port (through the proxies, if any): TLS first if the
 * job is inside it, then the probe. */
static void conn_ready(struct sched *s, struct conn *c)
{
	struct job *j = c->j;
	if (j->tls || (c->hd && c->hd->tls)) {
		c->tls = s->tls ? tls_conn_new(s->tls, c->fd, j->sni) : NULL;
		if (!c->tls) {
			conn_finish(s, c);
			return;
		}
		c->handshaking = true;
		c->deadline = now_mono() + j->probe_wait;
		tls_step(s, c);
		return;
	}
	conn_start_io(s, c);
}

/* Whether the listening connection's greeting is whole for a handler
 * that reads greetings. */
static bool banner_whole(const struct conn *c)
{
	for (size_t i = 0; i < svc_nhandlers; i++) {
		const struct svc_handler *hd = &svc_handlers[i];
		if (!svc_has_probe(hd) && hd->complete && (hd->protos & SVC_TCP) &&
		    hd->complete(c->buf, c->len, false) == 1)
			return true;
	}
	return false;
}

static void conn_readable(struct sched *s, struct conn *c)
{
	struct job *j = c->j;
	bool udp = j->p->proto == IPPROTO_UDP;
	for (;;) {
		int want = 0;
		ssize_t r = c->tls ? tls_recv(c->tls, c->buf + c->len, SVC_BUF - c->len, &want)
				   : recv(c->fd, c->buf + c->len, SVC_BUF - c->len, 0);
		if (r < 0 && c->tls)
			errno = (int)-r;
		if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
			c->eof = true; /* closed or reset (UDP: port unreachable) */
			conn_finish(s, c);
			return;
		}
		if (r < 0)
			break;
		c->len += (size_t)r;
		if (c->len == SVC_BUF || udp)
			break;
	}
	int whole = c->hd ? c->hd->complete(c->buf, c->len, udp) : banner_whole(c);
	if (whole != 0 || c->len == SVC_BUF) {
		conn_finish(s, c);
		return;
	}
	double until = now_mono() + j->idle;
	if (until < c->deadline)
		c->deadline = until;
}

/* Start what a job may start now; false if connections ran out. */
/* The port speaks TLS: everything again, inside it. */
static void job_into_tls(const struct scan_config *cfg, struct job *j)
{
	for (size_t i = 0; i < j->nfp; i++)
		free(j->fp[i].data);
	j->nfp = 0;
	j->tls = true;
	j->started = j->phase_b = j->done = j->empty_eof = j->got_data = false;
	j->next = 0;
	j->v = SVC_NONE;
	job_order(cfg, j);
}

/* Whether every answer a holds is b's: the same bytes b had to the same
 * probe, or (a probe b has no answer kept for: it keeps SVC_MAX_RESP,
 * the first that came) bytes b had to another. */
static bool answers_within(const struct job *a, const struct job *b)
{
	for (size_t i = 0; i < a->nfp; i++) {
		const struct fp_resp *x = &a->fp[i];
		bool same_probe = false, seen = false;
		for (size_t k = 0; k < b->nfp; k++) {
			const struct fp_resp *y = &b->fp[k];
			bool eq = x->len == y->len && !memcmp(x->data, y->data, x->len);
			if (!strcmp(x->probe, y->probe)) {
				if (!eq)
					return false;
				same_probe = true;
			}
			seen = seen || eq;
		}
		if (!same_probe && !seen)
			return false;
	}
	return true;
}

/* Two finished jobs that ended exactly alike. */
static bool same_end(const struct job *a, const struct job *b)
{
	if (a->v != b->v || a->tls != b->tls || a->empty_eof != b->empty_eof ||
	    a->got_data != b->got_data || a->nfp != b->nfp || !answers_within(a, b))
		return false;
	return a->v == SVC_NONE ||
	       (!strcmp(a->m.service, b->m.service) && !strcmp(a->m.product, b->m.product) &&
		!strcmp(a->m.version, b->m.version) && !strcmp(a->m.info, b->m.info));
}

/* A finished job joins its host's patterns; the PSEUDO_Nth alike makes
 * its pattern the host's pseudo-service. */
static void pseudo_note(struct sched *s, struct job *j)
{
	struct host_pseudo *hp = &s->pseudo[j->hi];
	for (size_t i = 0; i < PSEUDO_CAND; i++) {
		if (!hp->cand[i]) {
			hp->cand[i] = j;
			hp->count[i] = 1;
			j->keep = true;
			return;
		}
		if (!same_end(hp->cand[i], j))
			continue;
		if (++hp->count[i] == PSEUDO_N) {
			char a[INET6_ADDRSTRLEN];
			trace(s,
			      "Service scan: %zu ports of %s answer as port %u does: a "
			      "pseudo-service; its other ports that answer the same are not "
			      "probed further",
			      hp->count[i], addr_str(j->sh->h, a, sizeof(a)), hp->cand[i]->p->port);
		}
		return;
	}
}

/* Whether an idle job's answers so far are those of pseudo-service r. */
static bool pseudo_fits(const struct job *j, const struct job *r)
{
	if (j->p->proto != r->p->proto)
		return false;
	if (j->tls != r->tls || j->tls_found != r->tls_found)
		return false;
	if (j->p->proto == IPPROTO_TCP && j->empty_eof != r->empty_eof)
		return false;
	if (j->v != SVC_NONE && j->v != r->v)
		return false;
	return answers_within(j, r);
}

/* The pseudo-service of its host an idle job is, or NULL: it ends as
 * that pattern's first port did. */
static struct job *pseudo_of(const struct sched *s, const struct job *j)
{
	if (j->p->proto != IPPROTO_TCP || !j->sent || j->active ||
	    (j->phase_b && j->next >= j->norder))
		return NULL; /* UDP, nothing asked yet, or probed to the end */
	const struct host_pseudo *hp = &s->pseudo[j->hi];
	for (size_t i = 0; i < PSEUDO_CAND && hp->cand[i]; i++)
		if (hp->count[i] >= PSEUDO_N && pseudo_fits(j, hp->cand[i]))
			return hp->cand[i];
	return NULL;
}

/* Once a port is soft-matched, only the probes that can still name its
 * service are worth sending (nmap's softmatch: observed, it then sends
 * only such probes, and documented on nmap-dev, 2013-09-17). */
static bool may_tell(const struct sched *s, const struct job *j, const struct svc_handler *hd)
{
	return j->v != SVC_SOFT || svc_names(hd, j->m.service) ||
	       svcmatch_names(s->cfg->version.db, hd->name, j->m.service);
}

static bool job_pump(struct sched *s, struct job *j)
{
	if (j->tls_found && !j->tls) {
		if (j->active)
			return true;
		job_into_tls(s->cfg, j);
	}
	if (!j->started) {
		j->started = true;
		if (j->p->proto == IPPROTO_TCP && conn_open(s, j, NULL) == -EAGAIN)
			return j->started = false;
		for (; j->next < j->nlikely; j->next++)
			if (conn_open(s, j, j->order[j->next]) == -EAGAIN)
				return false;
		return true;
	}
	if (j->active)
		return true;
	j->pseudo = pseudo_of(s, j);
	if (j->pseudo) {
		j->done = true;
		return true;
	}
	/* a peer that closed on us without a word: nothing more to ask */
	if (j->empty_eof && !j->got_data)
		j->done = true;
	j->phase_b = true;
	while (!j->done && j->next < j->norder && j->active < MAX_PER_JOB) {
		if (!may_tell(s, j, j->order[j->next])) {
			j->next++;
			continue;
		}
		if (conn_open(s, j, j->order[j->next++]) == -EAGAIN) {
			j->next--;
			return false;
		}
	}
	return true;
}

static int next_timeout_ms(const struct sched *s)
{
	double now = now_mono(), first = now + 1.0;
	for (size_t i = 0; i < MAX_CONNS; i++)
		if (s->conns[i].fd >= 0 && s->conns[i].deadline < first)
			first = s->conns[i].deadline;
	double ms = (first - now) * 1000.0;
	return ms <= 0 ? 0 : (int)ms + 1;
}

static void expire(struct sched *s)
{
	double now = now_mono();
	for (size_t i = 0; i < MAX_CONNS; i++)
		if (s->conns[i].fd >= 0 && s->conns[i].deadline <= now)
			conn_finish(s, &s->conns[i]);
}

static void job_finish(struct sched *s, struct job *j)
{
	const struct job *r = j->pseudo ? j->pseudo : j; /* whose ending it is */
	struct svc_fp_resp fp[MAX_FP];
	for (size_t i = 0; i < r->nfp; i++)
		fp[i] = (struct svc_fp_resp){r->fp[i].probe, r->fp[i].data, r->fp[i].len};
	struct svc_outcome o = {.v = r->v,
				.m = &r->m,
				.wrapped = r->empty_eof && !r->got_data && !r->tls,
				.answered = r->got_data,
				.tls = r->tls,
				.fp = fp,
				.nfp = r->nfp};
	struct host *h = j->sh->h;
	size_t before = h->nsvcs;
	svc_job_result(s->cfg, h, j->p, &o);
	if (j->pseudo && h->nsvcs > before) {
		struct svc_match *m = &h->svcs[h->nsvcs - 1].m;
		snprintf(m->evidence, sizeof(m->evidence), "pseudo-service: same answer as port %u",
			 r->p->port);
		char a[INET6_ADDRSTRLEN];
		trace(s, "Service scan: %s:%u is a pseudo-service: same answer as port %u",
		      addr_str(h, a, sizeof(a)), j->p->port, r->p->port);
	} else if (!j->pseudo && j->p->proto == IPPROTO_TCP) {
		pseudo_note(s, j); /* UDP: silence is what most open|filtered ports say */
	}
	const struct scan_hooks *hk = &s->cfg->hooks;
	if (hk->service_final && h->nsvcs > before)
		hk->service_final(hk->ctx, h, &h->svcs[h->nsvcs - 1]);
	if (!j->keep) {
		for (size_t i = 0; i < j->nfp; i++)
			free(j->fp[i].data);
		j->nfp = 0;
	}
	s->left--;
}

/* The status line's progress (--stats-every, a key pressed): the share of
 * ports decided, and the time left at this pace. */
static void report_progress(const struct sched *s, double t0, double *last)
{
	const struct scan_hooks *hk = &s->cfg->hooks;
	double now = now_mono();
	if (!hk->progress || now - *last < 0.2 || s->left == s->njobs)
		return;
	*last = now;
	double done = (double)(s->njobs - s->left) / (double)s->njobs;
	hk->progress(hk->ctx, NULL, done, (now - t0) * (1 - done) / done);
}

static int sched_loop(struct sched *s)
{
	const struct scan_hooks *hk = &s->cfg->hooks;
	double t0 = now_mono(), last = t0;
	size_t *done = calloc(s->njobs ? s->njobs : 1, sizeof(*done));
	if (!done)
		return -ENOMEM;
	while (s->left) {
		if (hk->should_stop && hk->should_stop(hk->ctx)) {
			free(done);
			return -EINTR;
		}
		for (size_t i = 0; i < s->njobs; i++) {
			struct job *j = &s->jobs[i];
			if (done[i])
				continue;
			if (!j->done && !job_pump(s, j))
				break;
			bool restart = j->tls_found && !j->tls;
			if (!j->active && !restart &&
			    (j->done || (j->phase_b && j->next >= j->norder))) {
				done[i] = 1;
				job_finish(s, j);
			}
		}
		if (!s->left)
			break;
		struct epoll_event ev[64];
		int n = epoll_wait(s->ep, ev, 64, next_timeout_ms(s));
		for (int k = 0; k < n; k++) {
			struct conn *c = ev[k].data.ptr;
			if (c->fd < 0)
				continue; /* closed by an earlier event of this batch */
			if (c->handshaking)
				tls_step(s, c);
			else if (!c->connected && (ev[k].events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
				conn_writable(s, c);
			else if (c->proxying && (ev[k].events & (EPOLLIN | EPOLLERR | EPOLLHUP)))
				proxy_step(s, c);
			else if (ev[k].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
				conn_readable(s, c);
		}
		expire(s);
		report_progress(s, t0, &last);
	}
	free(done);
	return 0;
}

int service_scan(const struct scan_config *cfg, struct svc_host *hosts, size_t n)
{
	struct sched s = {.cfg = cfg, .ep = -1};
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < hosts[i].h->nports; k++)
			s.njobs += service_wants(cfg, &hosts[i].h->ports[k]) &&
				   !svc_known(hosts[i].h, &hosts[i].h->ports[k]);
	if (!s.njobs)
		return 0;
	s.jobs = calloc(s.njobs, sizeof(*s.jobs));
	s.pseudo = calloc(n, sizeof(*s.pseudo));
	s.conns = calloc(MAX_CONNS, sizeof(*s.conns));
	s.ep = epoll_create1(EPOLL_CLOEXEC);
	if (tls_ctx_new(&s.tls) < 0)
		s.tls = NULL; /* no TLS: ports that speak it stay unrecognised */
	int r = !s.jobs || !s.conns || !s.pseudo ? -ENOMEM : s.ep < 0 ? -errno : 0;
	for (size_t i = 0; i < MAX_CONNS && s.conns; i++)
		s.conns[i].fd = -1;
	for (size_t i = 0, x = 0; r == 0 && i < n; i++)
		for (size_t k = 0; k < hosts[i].h->nports; k++)
			if (service_wants(cfg, &hosts[i].h->ports[k]) &&
			    !svc_known(hosts[i].h, &hosts[i].h->ports[k])) {
				job_init(cfg, &s.jobs[x], &hosts[i], &hosts[i].h->ports[k]);
				s.jobs[x++].hi = i;
			}
	s.left = s.njobs;
	if (r == 0)
		r = sched_loop(&s);
	for (size_t i = 0; i < MAX_CONNS && s.conns; i++)
		if (s.conns[i].fd >= 0)
			conn_close(&s, &s.conns[i]);
	for (size_t i = 0; s.jobs && i < s.njobs; i++)
		for (size_t k = 0; k < s.jobs[i].nfp; k++)
			free(s.jobs[i].fp[k].data);
	if (s.ep >= 0)
		close(s.ep);
	tls_ctx_free(s.tls);
	free(s.jobs);
	free(s.pseudo);
	free(s.conns);
	return r;
}
