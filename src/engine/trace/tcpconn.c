/* SPDX-License-Identifier: Apache-2.0 */
/* TCP probes without CAP_NET_RAW: a nonblocking connect() per probe with
 * its TTL set and IP_RECVERR on. A router's time exceeded lands in that
 * socket's error queue (with the router as offender); the destination
 * answers with a connection (SYN-ACK) or a refusal (RST). Sockets live at
 * most cfg.timeout seconds (mtr's -Z).
 *
 * The flow is held per hop: every probe of one TTL (and --flows flow)
 * leaves from the same source port (SO_REUSEADDR, and sockets closed with
 * an RST, so no TIME_WAIT holds the port), so on a load-balanced path each
 * hop stays on one path. One port for all TTLs, as raw Paris mode has, is
 * not possible here: the kernel allows one socket per 4-tuple, and the
 * TTLs of a cycle are probed at the same time. While the previous probe of
 * a TTL is still waiting for its answer (an interval shorter than the
 * round trip), the new one takes a port of its own.
 *
 * An unanswered SYN is sent again by the kernel after its initial
 * retransmission timeout (1 s); an answer after that may be to the copy,
 * and its round trip cannot be told, so it counts as lost. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <linux/errqueue.h>

#include "engine/trace/trace_int.h"
#include "lib/io/tsock.h"

#define SYN_RTO 1.0 /* the kernel's first SYN retransmission, seconds */

/* An answer to the probe of conns[i], if it can only be to the first SYN. */
static void conn_account(struct trace *t, int i, const struct pkt_addr *from, double when,
			 bool unreach)
{
	if (when - t->conns[i].sent < SYN_RTO)
		trace_account(t, t->conns[i].seq, from, when, unreach, NULL);
}

static void conn_drop(struct trace *t, int i)
{
	/* an RST rather than a FIN: no TIME_WAIT to hold the hop's port */
	struct linger l = {.l_onoff = 1, .l_linger = 0};

	setsockopt(t->conns[i].fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(t->conns[i].fd);
	t->conns[i] = t->conns[--t->nconns];
}

/* The port this probe leaves from: the hop's own, once it is free again (a
 * probe of the hop still waiting past the reply wait is given up), else
 * 0 for one the kernel picks. */
static uint16_t hop_port(struct trace *t, int flow, int ttl, double now)
{
	uint16_t port = t->conn_ports[flow * TRACE_MAXHOPS + ttl];

	for (int i = t->nconns - 1; port && i >= 0; i--) {
		if (t->conns[i].ttl != ttl || t->conns[i].flow != flow)
			continue;
		if (now - t->conns[i].sent < trace_reply_wait(t))
			return 0;
		conn_drop(t, i);
	}
	return port;
}

static int conn_open(struct trace *t, int ttl, uint16_t port)
{
	struct sockaddr_storage ss;
	struct pkt_addr any = {.family = (uint8_t)t->cfg.family};
	int one = 1, fd = tsock_open(t->cfg.family, SOCK_STREAM, IPPROTO_TCP), r;

	if (fd < 0)
		return fd;
	r = tsock_set_ttl(fd, t->cfg.family, ttl);
	if (!r)
		r = tsock_recverr(fd, t->cfg.family);
	if (!r && t->cfg.tos)
		r = tsock_set_tos(fd, t->cfg.family, t->cfg.tos);
	if (!r && t->cfg.iface)
		r = tsock_bind_dev(fd, t->cfg.iface);
	if (!r && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		r = -errno;
	if (!r && (port || t->cfg.src.family)) {
		socklen_t sl = trace_sockaddr(t->cfg.src.family ? &t->cfg.src : &any, port, &ss);

		if (bind(fd, (struct sockaddr *)&ss, sl) < 0)
			r = -errno;
	}
	if (!r) {
		socklen_t sl = trace_sockaddr(&t->cfg.dst, (uint16_t)t->cfg.port, &ss);

		if (connect(fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS)
			r = -errno;
	}
	if (r) {
		close(fd);
		return r;
	}
	return fd;
}

int trace_conn_probe(struct trace *t, uint16_t seq, int ttl)
{
	int flow = t->probes[seq].flow;
	double now = tsock_now();
	uint16_t port;
	int fd;

	if (t->nconns >= TRACE_MAXCONN) {
		errno = EMFILE;
		return -1;
	}
	port = hop_port(t, flow, ttl, now);
	fd = conn_open(t, ttl, port);
	if (fd < 0 && port) /* the port is taken after all: another one */
		fd = conn_open(t, ttl, 0);
	if (fd < 0) {
		errno = -fd;
		return -1;
	}
	if (!t->conn_ports[flow * TRACE_MAXHOPS + ttl]) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		/* a port getsockname did not fill is 0, "not learnt" (with
		 * memset, not = {0}: clang's analyzer follows only memset
		 * through the cast to sockaddr_in) */
		memset(&ss, 0, sizeof(ss));

		if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0)
			t->conn_ports[flow * TRACE_MAXHOPS + ttl] =
				ntohs(((struct sockaddr_in *)&ss)->sin_port);
	}
	t->conns[t->nconns++] = (struct trace_conn){
		.fd = fd, .seq = seq, .ttl = (uint8_t)ttl, .flow = (uint8_t)flow, .sent = now};
	return 0;
}

/* The answer a finished connect() gives: from the destination. */
static void conn_result(struct trace *t, int i, double when)
{
	int err = 0;
	socklen_t len = sizeof(err);

	getsockopt(t->conns[i].fd, SOL_SOCKET, SO_ERROR, &err, &len);
	if (err == 0 || err == ECONNREFUSED)
		conn_account(t, i, &t->cfg.dst, when, false);
}

bool trace_conn_input(struct trace *t, const struct pollfd *p)
{
	uint8_t buf[512];
	struct tsock_rx rx;
	int i;

	for (i = 0; i < t->nconns; i++)
		if (t->conns[i].fd == p->fd)
			break;
	if (i == t->nconns)
		return false;
	if (p->revents & POLLERR) {
		ssize_t n = tsock_recv(p->fd, buf, sizeof(buf), MSG_ERRQUEUE, &rx);
		struct pkt_addr from;

		if (n >= 0 &&
		    (rx.ee_origin == SO_EE_ORIGIN_ICMP || rx.ee_origin == SO_EE_ORIGIN_ICMP6)) {
			bool v6 = t->cfg.family == AF_INET6;
			bool hop = v6 ? rx.ee_type == PKT_ICMP6_TIMXCEED
				      : rx.ee_type == PKT_ICMP_TIMXCEED;

			if (rx.has_offender && trace_from_sockaddr(&rx.offender, &from))
				conn_account(t, i, &from, rx.t, !hop);
			conn_drop(t, i);
			return true;
		}
	}
	conn_result(t, i, tsock_now());
	conn_drop(t, i);
	return true;
}

void trace_conn_expire(struct trace *t, double now)
{
	for (int i = t->nconns - 1; i >= 0; i--)
		if (now - t->conns[i].sent > t->cfg.timeout)
			conn_drop(t, i);
}

void trace_conn_close_all(struct trace *t)
{
	while (t->nconns > 0)
		conn_drop(t, t->nconns - 1);
}
