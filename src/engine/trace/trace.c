/* SPDX-License-Identifier: Apache-2.0 */
/* The mtr engine: sockets, cycles, probe construction and reply matching
 * (see trace.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <time.h>
#include <linux/errqueue.h>

#include "engine/trace/trace.h"
#include "engine/trace/trace_int.h"
#include "lib/io/tsock.h"

#define SEQ_SPACE 65536
#define MAX_PKT 9000

socklen_t trace_sockaddr(const struct pkt_addr *a, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *s = (struct sockaddr_in *)ss;

		s->sin_family = AF_INET;
		s->sin_addr = a->v4;
		s->sin_port = htons(port);
		return sizeof(*s);
	}
	struct sockaddr_in6 *s = (struct sockaddr_in6 *)ss;

	s->sin6_family = AF_INET6;
	s->sin6_addr = a->v6;
	s->sin6_port = htons(port);
	return sizeof(*s);
}

bool trace_from_sockaddr(const struct sockaddr_storage *ss, struct pkt_addr *a)
{
	if (ss->ss_family == AF_INET)
		pkt_addr4(a, &((const struct sockaddr_in *)ss)->sin_addr);
	else if (ss->ss_family == AF_INET6)
		pkt_addr6(a, &((const struct sockaddr_in6 *)ss)->sin6_addr);
	else
		return false;
	return true;
}

const char *trace_mode(const struct trace *t)
{
	if (t->raw)
		return "raw sockets";
	if (t->cfg.proto == TRACE_TCP)
		return "TCP connect() per probe with IP_RECVERR";
	return t->cfg.proto == TRACE_ICMP ? "ICMP datagram socket" : "UDP socket with IP_RECVERR";
}

/* Finds the source address the kernel will use, for checksums, and the
 * route's MTU (IPv4), for trace_size_check. */
static int pick_source(struct trace *t)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, r = 0, mtu;

	fd = tsock_open(t->cfg.family, SOCK_DGRAM, IPPROTO_UDP);
	if (fd < 0)
		return t->cfg.src.family ? 0 : fd;
	if (t->cfg.has_mark)
		tsock_set_mark(fd, t->cfg.mark);
	if (t->cfg.iface)
		tsock_bind_dev(fd, t->cfg.iface);
	len = trace_sockaddr(&t->cfg.dst, 33434, &ss);
	if (connect(fd, (struct sockaddr *)&ss, len) < 0)
		r = -errno;
	len = sizeof(mtu);
	if (!r && t->cfg.family == AF_INET && getsockopt(fd, IPPROTO_IP, IP_MTU, &mtu, &len) == 0)
		t->mtu = mtu;
	len = sizeof(ss);
	if (!r && getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		r = -errno;
	if (!r)
		trace_from_sockaddr(&ss, &t->src);
	close(fd);
	if (t->cfg.src.family) { /* -a: that one, whatever the route says */
		t->src = t->cfg.src;
		return 0;
	}
	return r;
}

static int setup_fd(struct trace *t, int fd)
{
	int r = 0;

	if (t->cfg.tos)
		r = tsock_set_tos(fd, t->cfg.family, t->cfg.tos);
	if (!r && t->cfg.has_mark)
		r = tsock_set_mark(fd, t->cfg.mark);
	if (!r && t->cfg.iface)
		r = tsock_bind_dev(fd, t->cfg.iface);
	if (!r && t->cfg.src.family) {
		struct sockaddr_storage ss;
		/* a datagram UDP socket takes -L's port here too */
		uint16_t port =
			!t->raw && t->cfg.proto == TRACE_UDP ? (uint16_t)t->cfg.localport : 0;
		socklen_t len = trace_sockaddr(&t->cfg.src, port, &ss);

		if (bind(fd, (struct sockaddr *)&ss, len) < 0)
			r = -errno;
	}
	return r;
}

static int open_raw(struct trace *t)
{
	bool v6 = t->cfg.family == AF_INET6;
	int icmp = v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP, r;

	t->fd_icmp = tsock_open(t->cfg.family, SOCK_RAW, icmp);
	if (t->fd_icmp < 0)
		return t->fd_icmp;
	if (t->cfg.proto == TRACE_ICMP) {
		t->fd_send = t->fd_icmp;
	} else {
		int p = t->cfg.proto == TRACE_UDP ? IPPROTO_UDP : IPPROTO_TCP;

		t->fd_send = tsock_open(t->cfg.family, SOCK_RAW, p);
		if (t->fd_send < 0)
			return t->fd_send;
		if (t->cfg.proto == TRACE_TCP)
			t->fd_tcp = t->fd_send;
	}
	r = setup_fd(t, t->fd_send);
	if (!r && t->fd_icmp != t->fd_send && t->cfg.iface)
		r = tsock_bind_dev(t->fd_icmp, t->cfg.iface);
	return r;
}

static int open_dgram(struct trace *t)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int r;

	if (t->cfg.proto == TRACE_TCP) {
		/* one connecting socket per probe, made when it is sent */
		t->conns = calloc(TRACE_MAXCONN, sizeof(*t->conns));
		t->conn_ports = calloc((size_t)t->cfg.nflows * TRACE_MAXHOPS, sizeof(uint16_t));
		return t->conns && t->conn_ports ? 0 : -ENOMEM;
	}
	if (t->cfg.proto == TRACE_ICMP) {
		t->fd_send = tsock_open(t->cfg.family, SOCK_DGRAM,
					t->cfg.family == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
		if (t->fd_send < 0)
			return t->fd_send;
	} else {
		t->fd_send = tsock_open(t->cfg.family, SOCK_DGRAM, IPPROTO_UDP);
		if (t->fd_send < 0)
			return t->fd_send;
	}
	r = setup_fd(t, t->fd_send);
	if (r)
		return r;
	r = tsock_recverr(t->fd_send, t->cfg.family);
	if (r)
		return r;
	if (t->cfg.proto == TRACE_UDP && t->cfg.localport && !t->cfg.src.family) {
		struct pkt_addr any = {.family = (uint8_t)t->cfg.family};

		len = trace_sockaddr(&any, (uint16_t)t->cfg.localport, &ss);
		if (bind(t->fd_send, (struct sockaddr *)&ss, len) < 0)
			return -errno;
	}
	if (t->cfg.proto == TRACE_UDP) {
		len = trace_sockaddr(&t->cfg.dst, (uint16_t)t->cfg.port, &ss);
		if (connect(t->fd_send, (struct sockaddr *)&ss, len) < 0)
			return -errno;
	}
	/* the kernel picks the ICMP identifier / UDP port: learn it (ss
	 * zeroed first: a port getsockname did not fill reads 0; memset, as
	 * clang's analyzer follows no other zeroing through the casts) */
	memset(&ss, 0, sizeof(ss));
	len = sizeof(ss);
	if (t->cfg.proto == TRACE_ICMP) {
		len = trace_sockaddr(&t->src, 0, &ss);
		if (!t->cfg.src.family && bind(t->fd_send, (struct sockaddr *)&ss, len) < 0)
			return -errno;
		len = sizeof(ss);
	}
	if (getsockname(t->fd_send, (struct sockaddr *)&ss, &len) < 0)
		return -errno;
	t->ident = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	if (t->cfg.family == AF_INET6)
		t->ident = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	t->paths[0].flow_id = t->ident;
	return 0;
}

int trace_open(struct trace *t, const struct trace_cfg *cfg, const struct trace_cb *cb, char *err,
	       size_t errlen)
{
	int r;

	memset(t, 0, sizeof(*t));
	t->cfg = *cfg;
	if (cb)
		t->cb = *cb;
	t->fd_send = t->fd_icmp = t->fd_tcp = -1;
	if (t->cfg.nflows < 1)
		t->cfg.nflows = 1;
	t->probes = calloc(SEQ_SPACE, sizeof(*t->probes));
	t->paths = calloc((size_t)t->cfg.nflows, sizeof(*t->paths));
	if (!t->probes || !t->paths) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (int f = 0; f < t->cfg.nflows; f++)
		for (int h = 0; h < TRACE_MAXHOPS; h++)
			for (int k = 0; k < TRACE_SAVED; k++)
				t->paths[f].hops[h].saved[k] = -2;
	t->ident = (uint16_t)(getpid() & 0xffff);
	for (int f = 0; f < t->cfg.nflows; f++)
		t->paths[f].flow_id = t->cfg.localport && t->cfg.proto != TRACE_ICMP
					      ? (uint16_t)(t->cfg.localport + f)
				      : t->cfg.proto == TRACE_ICMP
					      ? (uint16_t)(t->ident + f)
					      : (uint16_t)(0x8000 | ((t->ident + f) & 0x7fff));
	t->next_seq = (uint16_t)(t->ident % 30000 + 1);
	trace_pick_cycle(t); /* sizes and pattern before the first cycle too */
	r = pick_source(t);
	if (r) {
		snprintf(err, errlen, "%s", strerror(-r));
		return r;
	}
	t->raw = !cfg->force_dgram && tsock_can_raw();
	r = t->raw ? open_raw(t) : open_dgram(t);
	if (!t->raw && (r == -EACCES || r == -EPERM) && t->cfg.proto == TRACE_ICMP) {
		/* ping sockets not allowed (net.ipv4.ping_group_range): UDP */
		if (t->fd_send >= 0)
			close(t->fd_send);
		t->fd_send = -1;
		t->cfg.proto = TRACE_UDP;
		r = open_dgram(t);
	}
	if (r == -EPERM || r == -EACCES) {
		snprintf(err, errlen, "cannot open a %s socket: %s", trace_mode(t), strerror(-r));
		return r;
	}
	if (r) {
		snprintf(err, errlen, "%s", strerror(-r));
		return r;
	}
	tsock_drop_privs();
	return 0;
}

void trace_close(struct trace *t)
{
	trace_conn_close_all(t);
	free(t->conns);
	free(t->conn_ports);
	t->conns = NULL;
	t->conn_ports = NULL;
	if (t->fd_send >= 0)
		close(t->fd_send);
	if (t->fd_icmp >= 0 && t->fd_icmp != t->fd_send)
		close(t->fd_icmp);
	free(t->probes);
	free(t->paths);
	t->probes = NULL;
	t->paths = NULL;
}

int trace_switch(struct trace *t, enum trace_proto proto, int port, char *err, size_t errlen)
{
	struct trace_cfg cfg = t->cfg;
	struct trace nt;

	cfg.proto = proto;
	cfg.port = port;
	int r = trace_open(&nt, &cfg, &t->cb, err, errlen);
	if (r < 0) {
		trace_close(&nt);
		return r;
	}
	/* the statistics go on (mtr's u and t keys keep them). Probes still
	 * out in the old mode are taken back, as if never sent: their answers
	 * come to sockets that are closed now, and must not count as losses.
	 * The sequence goes on, so late answers match nothing new. */
	for (int i = 0; i < SEQ_SPACE; i++) {
		const struct trace_probe *pr = &t->probes[i];

		if (!pr->live || pr->flow >= t->cfg.nflows || !pr->ttl)
			continue;
		struct trace_stats *st = &t->paths[pr->flow].hops[pr->ttl - 1].st;

		if (pr->xmit_no == st->xmit)
			st->transit = false;
		if (st->xmit > 0)
			st->xmit--;
	}
	for (int f = 0; f < t->cfg.nflows; f++) {
		uint16_t id = nt.paths[f].flow_id;

		nt.paths[f] = t->paths[f];
		nt.paths[f].flow_id = id;
	}
	nt.next_seq = t->next_seq;
	nt.cycles_sent = t->cycles_sent;
	nt.next_cycle = t->next_cycle;
	nt.last_cycle_at = t->last_cycle_at;
	/* the rest of a paced cycle goes out in the new mode */
	nt.pace = t->pace;
	nt.start = t->start;
	nt.max_rtt = t->max_rtt;
	trace_close(t);
	*t = nt;
	return 0;
}

int trace_set_tos(struct trace *t, int tos)
{
	t->cfg.tos = tos;
	/* unprivileged TCP sets it on each probe's own socket */
	return t->fd_send >= 0 ? tsock_set_tos(t->fd_send, t->cfg.family, tos) : 0;
}

int trace_pollfds(const struct trace *t, struct pollfd *p, int max)
{
	int n = 0;

	if (max < 2)
		return 0;
	for (int i = 0; i < t->nconns && n < max; i++)
		p[n++] = (struct pollfd){.fd = t->conns[i].fd, .events = POLLOUT};
	if (t->conns)
		return n;
	p[n++] = (struct pollfd){.fd = t->fd_send, .events = POLLIN};
	if (t->fd_icmp >= 0 && t->fd_icmp != t->fd_send)
		p[n++] = (struct pollfd){.fd = t->fd_icmp, .events = POLLIN};
	return n;
}

/* mtr's net_max: up to the first hop that is the destination, else one
 * past the last hop that answered. */
int trace_max(const struct trace *t, int flow)
{
	const struct trace_path *p = &t->paths[flow];
	int max = 0;

	for (int at = 0; at < t->cfg.max_ttl; at++) {
		if (p->hops[at].known && pkt_addr_eq(&p->hops[at].addr, &t->cfg.dst)) {
			max = at + 1;
			break;
		}
		if (p->unreach_ttl && at + 1 >= p->unreach_ttl) {
			max = at + 1;
			break;
		}
		if (p->hops[at].known)
			max = at + 2;
	}
	return max > t->cfg.max_ttl ? t->cfg.max_ttl : max;
}

enum trace_end trace_end_reason(const struct trace *t)
{
	const struct trace_path *p = &t->paths[0];
	int max = trace_max(t, 0);

	if (max > 0 && p->hops[max - 1].known && pkt_addr_eq(&p->hops[max - 1].addr, &t->cfg.dst))
		return TRACE_REACHED;
	if (p->unreach_ttl)
		return TRACE_UNREACHABLE;
	return TRACE_MAXTTL;
}

/* The deepest TTL worth probing for a flow: the destination or the first
 * unreachable answer, and (once a cycle has had its answers) no more than
 * max_unknown silent hops past the deepest one that answered, as mtr's -U. */
static int probe_limit(const struct trace *t, int flow)
{
	const struct trace_path *p = &t->paths[flow];
	int deepest = 0;

	for (int at = t->cfg.first_ttl - 1; at < t->cfg.max_ttl; at++) {
		if (p->hops[at].known && pkt_addr_eq(&p->hops[at].addr, &t->cfg.dst))
			return at + 1;
		if (p->unreach_ttl && at + 1 >= p->unreach_ttl)
			return at + 1;
		if (p->hops[at].known)
			deepest = at + 1;
	}
	if (t->cycles_sent >= (unsigned)t->cfg.nflows && t->cfg.max_unknown > 0 &&
	    deepest + t->cfg.max_unknown < t->cfg.max_ttl)
		return deepest + t->cfg.max_unknown;
	return t->cfg.max_ttl;
}

double trace_pace_gap(double interval, int nprobes)
{
	double gap;

	if (nprobes < 2 || !(interval > 0))
		return 0;
	gap = interval * TRACE_PACE_SHARE / (nprobes - 1);
	return gap < TRACE_PACE_MAX ? gap : TRACE_PACE_MAX;
}

/* Sends the paced probes due by now; all that are left when force (a new
 * cycle is due: a late wakeup must not let two cycles overlap). */
static void send_paced(struct trace *t, double now, bool force)
{
	while (t->pace.ttl && t->pace.ttl <= t->pace.limit && (force || now >= t->pace.at)) {
		trace_send_probe(t, t->pace.flow, t->pace.ttl++, t->pace.cycle);
		t->pace.at += t->pace.gap;
		t->last_cycle_at = now; /* the reply wait runs from the last probe */
	}
	if (t->pace.ttl > t->pace.limit)
		t->pace.ttl = 0;
}

void trace_pick_cycle(struct trace *t)
{
	/* as mtr 0.95: a random pattern is a new negative number each cycle,
	 * -256..-510 (its b prompt shows it), and the payload byte its low
	 * byte */
	if (t->cfg.bitpattern < 0)
		t->cfg.bitpattern = -(256 + (int)(random() % 255));
	t->pattern = (uint8_t)(t->cfg.bitpattern < 0 ? -t->cfg.bitpattern : t->cfg.bitpattern);
	/* a random size, one for the whole cycle: 28 + rand() % (-size - 28)
	 * as mtr draws it (C's % keeps the sign of the random number, so a
	 * negative span counts as its absolute value; mtr divides by zero at
	 * -28, netkit sends 28) */
	if (t->cfg.size < 0) {
		long long span = -(long long)t->cfg.size - TRACE_MINSIZE;

		span = span < 0 ? -span : span;
		t->cycle_size = TRACE_MINSIZE + (int)(span ? random() % span : 0);
	} else {
		t->cycle_size = t->cfg.size;
	}
}

static void send_cycle(struct trace *t, double now)
{
	int flow = (int)(t->cycles_sent % (unsigned)t->cfg.nflows);
	int limit = probe_limit(t, flow);

	trace_pick_cycle(t);
	t->pace.flow = flow;
	t->pace.ttl = t->cfg.first_ttl;
	t->pace.limit = limit;
	t->pace.cycle = t->cycles_sent;
	t->pace.gap = trace_pace_gap(t->cfg.interval, limit - t->cfg.first_ttl + 1);
	t->pace.at = now;
	t->last_cycle_at = now;
	send_paced(t, now, t->pace.gap <= 0);
	t->cycles_sent++;
	t->next_cycle = now + t->cfg.interval;
}

double trace_next_wakeup(const struct trace *t, double now)
{
	if (t->pace.ttl) /* the rest of a cycle, at the latest with the next */
		return t->pace.at < t->next_cycle ? t->pace.at : t->next_cycle;
	/* all sent: only the end-of-run check remains */
	if (t->cfg.count && t->cycles_sent >= (unsigned)t->cfg.count)
		return now + 0.02;
	return t->next_cycle;
}

void trace_tick(struct trace *t, double now)
{
	if (!t->start)
		t->start = now;
	if (t->conns)
		trace_conn_expire(t, now);
	send_paced(t, now, now >= t->next_cycle);
	if (t->cfg.count && t->cycles_sent >= (unsigned)t->cfg.count)
		return;
	if (now >= t->next_cycle) {
		if (t->cycles_sent && t->cb.cycle_done)
			t->cb.cycle_done(t->cb.arg, t->cycles_sent);
		send_cycle(t, now);
	}
}

double trace_reply_wait(const struct trace *t)
{
	return 3 * t->max_rtt < TRACE_WAIT_FLOOR ? TRACE_WAIT_FLOOR : 3 * t->max_rtt;
}

bool trace_finished(const struct trace *t, double now)
{
	double wait;
	int max;

	if (!t->cfg.count || t->cycles_sent < (unsigned)t->cfg.count || t->pace.ttl)
		return false;
	/* long enough for a reply several times slower than any seen so far;
	 * before any reply, or while the destination has not answered (a
	 * router may still report it unreachable after its ARP timeout), the
	 * whole grace time, as mtr waits */
	wait = t->max_rtt > 0 && trace_end_reason(t) == TRACE_REACHED ? trace_reply_wait(t)
								      : t->cfg.grace;
	if (wait > t->cfg.grace)
		wait = t->cfg.grace;
	if (now - t->last_cycle_at >= wait)
		return true;
	int maxes[TRACE_MAXFLOWS] = {0};
	for (int f = 0; f < t->cfg.nflows && f < TRACE_MAXFLOWS; f++)
		if ((maxes[f] = trace_max(t, f)) == 0)
			return false;
	/* every probe up to the path's end answered, or older than the wait.
	 * Not the hops' transit flags: a late answer to the cycle before
	 * clears them while the newest probe is still on its way. */
	for (int i = 0; i < SEQ_SPACE; i++) {
		const struct trace_probe *pr = &t->probes[i];

		max = pr->flow < TRACE_MAXFLOWS ? maxes[pr->flow] : 0;
		if (pr->live && pr->ttl <= max && now - pr->sent < wait)
			return false;
	}
	return true;
}

void trace_settle(struct trace *t)
{
	/* a newest probe still unanswered is no longer in flight: lost */
	for (int f = 0; f < t->cfg.nflows; f++)
		for (int h = 0; h < TRACE_MAXHOPS; h++)
			t->paths[f].hops[h].st.transit = false;
	for (int i = 0; i < SEQ_SPACE; i++)
		t->probes[i].live = false;
}

void trace_reset(struct trace *t)
{
	for (int f = 0; f < t->cfg.nflows; f++) {
		uint16_t id = t->paths[f].flow_id;

		memset(&t->paths[f], 0, sizeof(t->paths[f]));
		t->paths[f].flow_id = id;
		for (int h = 0; h < TRACE_MAXHOPS; h++)
			for (int k = 0; k < TRACE_SAVED; k++)
				t->paths[f].hops[h].saved[k] = -2;
	}
	for (int i = 0; i < SEQ_SPACE; i++)
		t->probes[i].live = false;
	t->pace.ttl = 0; /* not the rest of a cycle: every hop starts at 0 sent */
}

/* Records a matched reply. reached: the answer came from the destination
 * (echo reply, port unreachable, SYN-ACK/RST); unreach: another
 * destination-unreachable code. */
void trace_account(struct trace *t, unsigned seq, const struct pkt_addr *from, double when,
		   bool unreach, const struct trace_mpls *mpls)
{
	struct trace_probe *pr = &t->probes[seq & 0xffff];
	struct trace_path *p;
	struct trace_hop *h;
	int usec, i;

	if (!pr->live)
		return;
	pr->live = false;
	if (t->cfg.timeout > 0 && when - pr->sent > t->cfg.timeout)
		return; /* too late: stays lost, as mtr's probe timeout */
	p = &t->paths[pr->flow];
	h = &p->hops[pr->ttl - 1];
	usec = (int)((when - pr->sent) * 1e6);
	if (usec < 0)
		usec = 0;
	if (when - pr->sent > t->max_rtt)
		t->max_rtt = when - pr->sent;
	for (i = 0; i < h->naddrs; i++)
		if (pkt_addr_eq(&h->addrs[i], from))
			break;
	if (i == h->naddrs && i < TRACE_MAXPATH) {
		h->addrs[i] = *from;
		h->naddrs++;
		if (t->cb.new_addr)
			t->cb.new_addr(t->cb.arg, from);
	}
	if (i < TRACE_MAXPATH && mpls)
		h->mplss[i] = *mpls;
	h->addr = *from;
	h->known = true;
	if (mpls)
		h->mpls = *mpls;
	if (unreach && !pkt_addr_eq(from, &t->cfg.dst) &&
	    (!p->unreach_ttl || pr->ttl < p->unreach_ttl))
		p->unreach_ttl = pr->ttl;
	if (unreach && !pkt_addr_eq(from, &t->cfg.dst))
		h->unreach = true;
	i = TRACE_SAVED - 1 - (h->st.xmit - pr->xmit_no);
	if (i >= 0)
		h->saved[i] = usec;
	trace_stats_reply(&h->st, usec);
	if (t->cb.reply)
		t->cb.reply(t->cb.arg, pr->flow, pr->ttl, from, usec, seq);
}
