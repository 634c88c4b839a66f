/* TCP probes without CAP_NET_RAW: a nonblocking connect() per probe with
 * its TTL set and IP_RECVERR on. A router's time exceeded lands in that
 * socket's error queue (with the router as offender); the destination
 * answers with a connection (SYN-ACK) or a refusal (RST). Each probe has
 * its own source port, so this mode is not Paris-style. Sockets live at
 * most cfg.timeout seconds (mtr's -Z). */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <linux/errqueue.h>

#include "engine/trace/trace_int.h"
#include "lib/io/tsock.h"

static void conn_drop(struct trace *t, int i)
{
	close(t->conns[i].fd);
	t->conns[i] = t->conns[--t->nconns];
}

int trace_conn_probe(struct trace *t, uint16_t seq, int ttl)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd, r = 0;

	if (t->nconns >= TRACE_MAXCONN) {
		errno = EMFILE;
		return -1;
	}
	fd = tsock_open(t->cfg.family, SOCK_STREAM, IPPROTO_TCP);
	if (fd < 0) {
		errno = -fd;
		return -1;
	}
	r = tsock_set_ttl(fd, t->cfg.family, ttl);
	if (!r)
		r = tsock_recverr(fd, t->cfg.family);
	if (!r && t->cfg.tos)
		r = tsock_set_tos(fd, t->cfg.family, t->cfg.tos);
	if (!r && t->cfg.iface)
		r = tsock_bind_dev(fd, t->cfg.iface);
	if (!r && t->cfg.src.family) {
		sl = trace_sockaddr(&t->cfg.src, 0, &ss);
		if (bind(fd, (struct sockaddr *)&ss, sl) < 0)
			r = -errno;
	}
	sl = trace_sockaddr(&t->cfg.dst, (uint16_t)t->cfg.port, &ss);
	if (!r && connect(fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS)
		r = -errno;
	if (r) {
		close(fd);
		errno = -r;
		return -1;
	}
	t->conns[t->nconns++] = (struct trace_conn){.fd = fd, .seq = seq, .sent = tsock_now()};
	return 0;
}

/* The answer a finished connect() gives: from the destination. */
static void conn_result(struct trace *t, int i, double when)
{
	int err = 0;
	socklen_t len = sizeof(err);

	getsockopt(t->conns[i].fd, SOL_SOCKET, SO_ERROR, &err, &len);
	if (err == 0 || err == ECONNREFUSED)
		trace_account(t, t->conns[i].seq, &t->cfg.dst, when, false, NULL);
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
				trace_account(t, t->conns[i].seq, &from, rx.t, !hop, NULL);
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
