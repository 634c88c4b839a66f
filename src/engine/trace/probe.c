/* SPDX-License-Identifier: Apache-2.0 */
/* Building and sending one probe. Paris-style flow identifiers: ICMP
 * keeps its checksum constant (a payload word cancels the sequence
 * number), UDP keeps its ports and carries the sequence in its checksum
 * (a payload word makes the checksum equal it), TCP keeps its ports and
 * carries the sequence in the upper half of its sequence number. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "engine/trace/trace_int.h"
#include "lib/io/tsock.h"

#define MAX_PKT 9000

static uint16_t next_seq(struct trace *t)
{
	/* 0 and 0xffff never used: 0 is "no UDP checksum", and the two are
	 * the same number in one's complement */
	if (t->next_seq == 0 || t->next_seq >= 0xfffe)
		t->next_seq = 1;
	return t->next_seq++;
}

static size_t payload_len(const struct trace *t, size_t l4hdr)
{
	int ip = t->cfg.family == AF_INET6 ? PKT_IP6_HLEN : PKT_IP4_HLEN;
	int n = t->cycle_size - ip - (int)l4hdr;

	if (n < 2)
		n = 2;
	if (n > MAX_PKT - (int)l4hdr) /* only random sizes get here */
		n = MAX_PKT - (int)l4hdr;
	return (size_t)n;
}

int trace_size_check(int family, enum trace_proto proto, int mtu, int size)
{
	/* mtr's random size is at most -size - 1 */
	int biggest = size < 0 ? -(size + 1) : size;

	if (proto == TRACE_TCP)
		return 0;
	if (biggest > (family == AF_INET6 ? TRACE_MAXSIZE6 : TRACE_MAXSIZE4))
		return -EINVAL;
	if (family == AF_INET && mtu > 0 && biggest > mtu)
		return -EMSGSIZE;
	return 0;
}

/* One's complement a + b over 16 bits. */
static uint16_t oc_add(uint16_t a, uint16_t b)
{
	uint32_t s = (uint32_t)a + b;

	return (uint16_t)((s & 0xffff) + (s >> 16));
}

static int build_icmp(struct trace *t, uint8_t *buf, uint16_t id, uint16_t seq)
{
	uint8_t pl[MAX_PKT];
	size_t plen = payload_len(t, PKT_ICMP_HLEN);
	uint8_t type = t->cfg.family == AF_INET6 ? PKT_ICMP6_ECHO : PKT_ICMP_ECHO;

	memset(pl, t->pattern, plen);
	/* seq + ~seq is 0xffff for every seq: the checksum does not move */
	pkt_put16(pl, t->cfg.paris ? (uint16_t)~seq : 0);
	return pkt_icmp_echo_build(buf, MAX_PKT, t->cfg.family == AF_INET6, type, id, seq, pl, plen,
				   NULL, NULL);
}

static int build_udp_raw(struct trace *t, uint8_t *buf, uint16_t sport, uint16_t seq)
{
	uint8_t pl[MAX_PKT];
	size_t plen = payload_len(t, PKT_UDP_HLEN);
	struct pkt_udp u = {.sport = sport, .dport = (uint16_t)t->cfg.port};
	uint32_t sum;
	int n;

	memset(pl, t->pattern, plen);
	pkt_put16(pl, 0);
	n = pkt_udp_build(buf, MAX_PKT, &u, pl, plen, NULL, NULL);
	if (n < 0)
		return n;
	/* choose the payload word w so that the checksum comes out as seq:
	 * sum + w = ~seq (one's complement) */
	sum = pkt_csum_add(pkt_csum_pseudo(&t->src, &t->cfg.dst, IPPROTO_UDP, (uint32_t)n), buf,
			   (size_t)n);
	uint16_t s0 = (uint16_t)~pkt_csum_fold(sum);
	uint16_t w = oc_add((uint16_t)~seq, (uint16_t)~s0);

	pkt_put16(buf + PKT_UDP_HLEN, w);
	pkt_put16(buf + 6, seq);
	return n;
}

static int build_tcp(struct trace *t, uint8_t *buf, uint16_t sport, uint16_t seq)
{
	uint8_t opt[4];
	struct pkt_tcp tc = {.sport = sport,
			     .dport = (uint16_t)t->cfg.port,
			     .seq = (uint32_t)seq << 16 | t->ident,
			     .flags = PKT_TCP_SYN,
			     .window = 5840,
			     .opt = opt};
	int n = pkt_tcpopt_mss(opt, sizeof(opt), 0, 1460);

	tc.optlen = (size_t)n;
	return pkt_tcp_build(buf, MAX_PKT, &tc, NULL, 0, &t->src, &t->cfg.dst);
}

int trace_build(struct trace *t, int flow, uint16_t seq, uint8_t *buf)
{
	uint16_t id = t->paths[flow].flow_id;

	/* without Paris the flow changes with every probe, as in classic mtr */
	if (!t->cfg.paris)
		id = t->cfg.proto == TRACE_ICMP ? id : (uint16_t)(0x8000 | (seq & 0x7fff));
	switch (t->cfg.proto) {
	case TRACE_ICMP: return build_icmp(t, buf, id, seq);
	case TRACE_TCP: return build_tcp(t, buf, id, seq);
	case TRACE_UDP:
		if (t->raw)
			return build_udp_raw(t, buf, id, seq);
		else {
			size_t plen = payload_len(t, PKT_UDP_HLEN);

			memset(buf, t->pattern, plen);
			pkt_put16(buf, seq);
			return (int)plen;
		}
	}
	return -EINVAL;
}

void trace_send_probe(struct trace *t, int flow, int ttl, unsigned cycle)
{
	uint8_t buf[MAX_PKT];
	struct sockaddr_storage ss;
	socklen_t sl;
	uint16_t seq = next_seq(t);
	struct trace_probe *pr = &t->probes[seq];
	int n = trace_build(t, flow, seq, buf);
	ssize_t r;

	if (n < 0)
		return;
	if (t->conns) {
		struct trace_hop *h = &t->paths[flow].hops[ttl - 1];

		pr->sent = tsock_now();
		pr->ttl = (uint8_t)ttl;
		pr->flow = (uint8_t)flow;
		pr->cycle = cycle;
		pr->live = true;
		trace_stats_sent(&h->st);
		pr->xmit_no = h->st.xmit;
		memmove(h->saved, h->saved + 1, sizeof(h->saved) - sizeof(h->saved[0]));
		h->saved[TRACE_SAVED - 1] = -1;
		if (trace_conn_probe(t, seq, ttl) < 0)
			t->send_errno = errno;
		if (t->cb.sent)
			t->cb.sent(t->cb.arg, flow, ttl, seq);
		return;
	}
	tsock_set_ttl(t->fd_send, t->cfg.family, ttl);
	sl = trace_sockaddr(&t->cfg.dst, 0, &ss);
	pr->sent = tsock_now();
	pr->ttl = (uint8_t)ttl;
	pr->flow = (uint8_t)flow;
	pr->cycle = cycle;
	pr->live = true;
	struct trace_hop *h = &t->paths[flow].hops[ttl - 1];

	trace_stats_sent(&h->st);
	pr->xmit_no = h->st.xmit;
	memmove(h->saved, h->saved + 1, sizeof(h->saved) - sizeof(h->saved[0]));
	h->saved[TRACE_SAVED - 1] = -1;
	for (int tries = 0; tries < 3; tries++) {
		if (!t->raw && t->cfg.proto == TRACE_UDP)
			r = send(t->fd_send, buf, (size_t)n, 0);
		else
			r = sendto(t->fd_send, buf, (size_t)n, 0, (struct sockaddr *)&ss, sl);
		/* on a datagram socket an ICMP error of an earlier probe is also
		 * reported once by the next send (sk_err); it is in the error
		 * queue already, so send again */
		if (r >= 0 || t->raw ||
		    (errno != ECONNREFUSED && errno != EHOSTUNREACH && errno != ENETUNREACH &&
		     errno != EPROTO && errno != EHOSTDOWN))
			break;
	}
	if (r < 0)
		t->send_errno = errno;
	if (t->cb.sent)
		t->cb.sent(t->cb.arg, flow, ttl, seq);
}
