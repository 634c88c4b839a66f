/* SPDX-License-Identifier: Apache-2.0 */
/* Reading replies and matching them to probes: raw ICMP/ICMPv6 and TCP
 * sockets, or the datagram socket and its IP_RECVERR error queue. */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <linux/errqueue.h>

#include "engine/trace/trace_int.h"
#include "lib/io/tsock.h"

#define RX_BURST 256

static bool is_flow_port(const struct trace *t, uint16_t port)
{
	if (!t->cfg.paris)
		return port & 0x8000;
	for (int f = 0; f < t->cfg.nflows; f++)
		if (t->paths[f].flow_id == port)
			return true;
	return false;
}

/* What kind of answer an ICMP type/code is. */
enum kind { K_NONE, K_HOP, K_REACHED, K_UNREACH };

static enum kind classify(bool v6, uint8_t type, uint8_t code)
{
	if (!v6) {
		if (type == PKT_ICMP_TIMXCEED)
			return K_HOP;
		if (type == PKT_ICMP_UNREACH)
			return code == PKT_UNREACH_PORT || code == PKT_UNREACH_PROTO ? K_REACHED
										     : K_UNREACH;
		if (type == PKT_ICMP_ECHOREPLY)
			return K_REACHED;
		return K_NONE;
	}
	if (type == PKT_ICMP6_TIMXCEED)
		return K_HOP;
	if (type == PKT_ICMP6_UNREACH)
		return code == PKT_UNREACH6_PORT ? K_REACHED : K_UNREACH;
	if (type == PKT_ICMP6_ECHOREPLY)
		return K_REACHED;
	return K_NONE;
}

/* The probe a quoted datagram belongs to, or -1. */
static int quote_seq(const struct trace *t, const struct pkt_quote *q)
{
	if (!pkt_addr_eq(&q->dst, &t->cfg.dst))
		return -1;
	switch (t->cfg.proto) {
	case TRACE_ICMP:
		if ((q->proto != IPPROTO_ICMP && q->proto != IPPROTO_ICMPV6) || q->l4_len < 8)
			return -1;
		if (q->icmp_type != PKT_ICMP_ECHO && q->icmp_type != PKT_ICMP6_ECHO)
			return -1;
		for (int f = 0; f < t->cfg.nflows; f++)
			if (t->paths[f].flow_id == q->icmp_id)
				return q->icmp_seq;
		return -1;
	case TRACE_UDP:
		if (q->proto != IPPROTO_UDP || !q->has_ports || q->dport != t->cfg.port ||
		    !is_flow_port(t, q->sport))
			return -1;
		return q->udp_csum;
	case TRACE_TCP:
		if (q->proto != IPPROTO_TCP || !q->has_ports || q->dport != t->cfg.port ||
		    (q->tcp_seq & 0xffff) != t->ident)
			return -1;
		return (int)(q->tcp_seq >> 16);
	}
	return -1;
}

static void get_mpls(const struct trace *t, const struct pkt_quote *q, struct trace_mpls *m)
{
	int n;

	m->n = 0;
	if (!t->cfg.mpls || !q->ext)
		return;
	n = pkt_ext_mpls(q->ext, q->ext_len, m->l, TRACE_MAXLABELS);
	m->n = n < 0 ? 0 : (n > TRACE_MAXLABELS ? TRACE_MAXLABELS : n);
}

/* One ICMP/ICMPv6 message from a raw socket. */
static void raw_icmp(struct trace *t, const uint8_t *p, size_t len, const struct pkt_addr *from,
		     double when)
{
	bool v6 = t->cfg.family == AF_INET6;
	struct pkt_icmp m = {.v6 = v6};
	struct pkt_quote q;
	struct trace_mpls mpls = {0};
	enum kind k;
	int seq;

	if (pkt_icmp_parse(p, len, &m) < 0)
		return;
	k = classify(v6, m.type, m.code);
	if (k == K_NONE)
		return;
	if (!pkt_icmp_is_error(&m)) {
		/* an echo reply: ours if the identifier is one of our flows */
		if (t->cfg.proto != TRACE_ICMP || !pkt_addr_eq(from, &t->cfg.dst))
			return;
		for (int f = 0; f < t->cfg.nflows; f++)
			if (t->paths[f].flow_id == m.id)
				trace_account(t, m.seq, from, when, false, NULL);
		return;
	}
	if (pkt_quote_parse(&m, &q) < 0 || (seq = quote_seq(t, &q)) < 0)
		return;
	get_mpls(t, &q, &mpls);
	trace_account(t, (unsigned)seq, from, when, k == K_UNREACH, t->cfg.mpls ? &mpls : NULL);
}

static void raw_tcp(struct trace *t, const uint8_t *p, size_t len, const struct pkt_addr *from,
		    double when)
{
	struct pkt_tcp tc;
	uint32_t ack;

	if (pkt_tcp_parse(p, len, &tc) < 0 || !pkt_addr_eq(from, &t->cfg.dst))
		return;
	if (tc.sport != t->cfg.port || !is_flow_port(t, tc.dport))
		return;
	if (!(tc.flags & PKT_TCP_RST) &&
	    (tc.flags & (PKT_TCP_SYN | PKT_TCP_ACK)) != (PKT_TCP_SYN | PKT_TCP_ACK))
		return;
	ack = tc.ack - 1;
	if ((ack & 0xffff) != t->ident)
		return;
	trace_account(t, ack >> 16, from, when, false, NULL);
}

/* Strips the IPv4 header a raw IPv4 socket delivers. */
static const uint8_t *raw_payload(const struct trace *t, const uint8_t *p, size_t *len,
				  struct pkt_addr *from)
{
	struct pkt_ip4 h;
	int hl;

	if (t->cfg.family == AF_INET6)
		return p;
	hl = pkt_ip4_parse(p, *len, &h, false);
	if (hl < 0)
		return NULL;
	pkt_addr4(from, &h.src);
	*len = h.tot_len - (size_t)hl;
	return p + hl;
}

static void read_raw(struct trace *t, int fd)
{
	uint8_t buf[9216];
	struct tsock_rx rx;

	for (int i = 0; i < RX_BURST; i++) {
		ssize_t n = tsock_recv(fd, buf, sizeof(buf), 0, &rx);
		struct pkt_addr from;
		const uint8_t *p;
		size_t len;

		if (n < 0)
			return;
		len = (size_t)n;
		if (!trace_from_sockaddr(&rx.from, &from))
			continue;
		p = raw_payload(t, buf, &len, &from);
		if (!p)
			continue;
		if (fd == t->fd_tcp)
			raw_tcp(t, p, len, &from, rx.t);
		else
			raw_icmp(t, p, len, &from, rx.t);
	}
}

/* Datagram sockets: replies (echo replies on a ping socket) and the error
 * queue, where the payload is what follows the quoted L4 header (UDP) or
 * the quoted ICMP echo itself (ping socket). */
static void read_dgram(struct trace *t, int fd)
{
	uint8_t buf[9216];
	struct tsock_rx rx;
	bool v6 = t->cfg.family == AF_INET6;

	for (int i = 0; i < RX_BURST; i++) {
		ssize_t n = tsock_recv(fd, buf, sizeof(buf), 0, &rx);
		struct pkt_addr from;
		struct pkt_icmp m = {.v6 = v6};

		if (n < 0)
			break;
		if (t->cfg.proto != TRACE_ICMP || !trace_from_sockaddr(&rx.from, &from))
			continue;
		if (pkt_icmp_parse(buf, (size_t)n, &m) < 0 ||
		    classify(v6, m.type, m.code) != K_REACHED)
			continue;
		trace_account(t, m.seq, &from, rx.t, false, NULL);
	}
	for (int i = 0; i < RX_BURST; i++) {
		ssize_t n = tsock_recv(fd, buf, sizeof(buf), MSG_ERRQUEUE, &rx);
		struct pkt_addr from;
		enum kind k;
		unsigned seq;

		if (n < 0)
			break;
		if ((rx.ee_origin != SO_EE_ORIGIN_ICMP && rx.ee_origin != SO_EE_ORIGIN_ICMP6) ||
		    !rx.has_offender || !trace_from_sockaddr(&rx.offender, &from))
			continue;
		k = classify(v6, rx.ee_type, rx.ee_code);
		if (k == K_NONE || n < (t->cfg.proto == TRACE_ICMP ? 8 : 2))
			continue;
		seq = t->cfg.proto == TRACE_ICMP ? pkt_get16(buf + 6) : pkt_get16(buf);
		trace_account(t, seq, &from, rx.t, k == K_UNREACH, NULL);
	}
}

void trace_input(struct trace *t, const struct pollfd *p, int n)
{
	for (int i = 0; i < n; i++) {
		if (!p[i].revents)
			continue;
		if (t->conns) {
			trace_conn_input(t, &p[i]);
			continue;
		}
		if (!(p[i].revents & (POLLIN | POLLERR)))
			continue;
		if (p[i].fd != t->fd_send && p[i].fd != t->fd_icmp)
			continue;
		if (t->raw)
			read_raw(t, p[i].fd);
		else
			read_dgram(t, p[i].fd);
	}
}
