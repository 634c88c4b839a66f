/* SPDX-License-Identifier: Apache-2.0 */
/* Raw send and capture sockets, batched with sendmmsg/recvmmsg. */
#include "lib/io/rawio.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/ethernet.h>
#include <netinet/ip.h>

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

double io_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void big_buffer(int fd, int opt, int force_opt, int size)
{
	/* The forced variant needs CAP_NET_ADMIN; the plain one is capped
	 * by rmem_max/wmem_max but is better than the default. */
	if (setsockopt(fd, SOL_SOCKET, force_opt, &size, sizeof(size)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, opt, &size, sizeof(size));
}

static int raw_socket(int family)
{
	int fd = socket(family, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (fd < 0)
		return -errno;
	int on = 1;
	if (family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, 36 /* IPV6_HDRINCL */, &on, sizeof(on)) < 0) {
		int e = -errno;
		close(fd);
		return e;
	}
	big_buffer(fd, SO_SNDBUF, SO_SNDBUFFORCE, 4 << 20);
	return fd;
}

int io_tx_open(struct io_tx *t, bool v4, bool v6, bool link)
{
	memset(t, 0, offsetof(struct io_tx, msg));
	t->fd4 = t->fd6 = t->fd_link = t->fd_eth = -1;
	t->on_fail = NULL;
	t->fail_ctx = NULL;
	if (v4 && (t->fd4 = raw_socket(AF_INET)) < 0)
		goto fail;
	if (v6 && (t->fd6 = raw_socket(AF_INET6)) < 0)
		goto fail;
	if (link) {
		t->fd_link = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (t->fd_link < 0) {
			t->fd_link = -errno;
			goto fail;
		}
	}
	return 0;
fail:;
	int err = t->fd4 < 0 && v4 ? t->fd4 : t->fd6 < 0 && v6 ? t->fd6 : t->fd_link;
	t->fd4 = t->fd4 < 0 ? -1 : t->fd4;
	t->fd6 = t->fd6 < 0 ? -1 : t->fd6;
	t->fd_link = t->fd_link < 0 ? -1 : t->fd_link;
	io_tx_close(t);
	return err;
}

void io_tx_close(struct io_tx *t)
{
	if (t->fd4 >= 0)
		close(t->fd4);
	if (t->fd6 >= 0)
		close(t->fd6);
	if (t->fd_link >= 0)
		close(t->fd_link);
	if (t->fd_eth >= 0)
		close(t->fd_eth);
	t->fd4 = t->fd6 = t->fd_link = t->fd_eth = -1;
}

int io_tx_open_eth(struct io_tx *t)
{
	/* protocol 0: a send-only socket, nothing is queued to it */
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	big_buffer(fd, SO_SNDBUF, SO_SNDBUFFORCE, 4 << 20);
	if (t->fd_eth >= 0)
		close(t->fd_eth);
	t->fd_eth = fd;
	return 0;
}

int io_tx_commit(struct io_tx *t, size_t len, const struct sockaddr *dst, socklen_t dlen)
{
	unsigned i = t->n;
	memcpy(&t->dst[i], dst, dlen);
	t->iov[i].iov_base = t->buf[i];
	t->iov[i].iov_len = len;
	memset(&t->msg[i], 0, sizeof(t->msg[i]));
	t->msg[i].msg_hdr.msg_name = &t->dst[i];
	t->msg[i].msg_hdr.msg_namelen = dlen;
	t->msg[i].msg_hdr.msg_iov = &t->iov[i];
	t->msg[i].msg_hdr.msg_iovlen = 1;
	t->n++;
	if (t->n == IO_BATCH)
		return io_tx_flush(t) < 0 ? t->last_err : 0;
	return 0;
}

/* Send msg[from..to) on fd; a message the kernel refuses is counted and
 * skipped so one unroutable target does not stall the batch. */
static int send_run(struct io_tx *t, int fd, unsigned from, unsigned to)
{
	int total = 0;
	while (from < to) {
		int r = sendmmsg(fd, &t->msg[from], to - from, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS || errno == EAGAIN) {
				struct pollfd p = {.fd = fd, .events = POLLOUT};
				(void)poll(&p, 1, 1);
				continue;
			}
			t->last_err = -errno;
			t->errors++;
			if (t->on_fail) {
				const struct msghdr *m = &t->msg[from].msg_hdr;
				t->on_fail(t->fail_ctx, fd, t->last_err, m->msg_iov->iov_base,
					   m->msg_iov->iov_len, m->msg_name, m->msg_namelen);
			}
			from++;
			continue;
		}
		from += (unsigned)r;
		total += r;
	}
	return total;
}

int io_tx_flush(struct io_tx *t)
{
	int total = 0;
	unsigned i = 0;
	if (t->n)
		t->flushes++;
	while (i < t->n) {
		int fam = t->dst[i].ss_family;
		unsigned j = i;
		while (j < t->n && t->dst[j].ss_family == fam)
			j++;
		int fd = fam == AF_INET6 ? t->fd6 : fam == AF_PACKET ? t->fd_eth : t->fd4;
		if (fd < 0) {
			t->errors += j - i;
			t->last_err = -EAFNOSUPPORT;
		} else {
			total += send_run(t, fd, i, j);
		}
		i = j;
	}
	t->n = 0;
	t->sent += (unsigned long)total;
	return total;
}

int io_tx_link_via(struct io_tx *t, const struct io_rx *r)
{
	if (t->fd_link >= 0)
		close(t->fd_link);
	t->fd_link = fcntl(r->fd, F_DUPFD_CLOEXEC, 0);
	return t->fd_link < 0 ? -errno : 0;
}

int io_tx_link(struct io_tx *t, int ifindex, uint16_t ethertype, const uint8_t *dstmac,
	       const void *frame, size_t len)
{
	if (t->fd_link < 0)
		return -EBADF;
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ethertype),
		.sll_ifindex = ifindex,
		.sll_halen = 6,
	};
	memcpy(sll.sll_addr, dstmac, 6);
	if (sendto(t->fd_link, frame, len, 0, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return -errno;
	t->sent++;
	return 0;
}

int io_rx_open(struct io_rx *r, const struct sock_fprog *prog)
{
	memset(r, 0, offsetof(struct io_rx, msg));
	r->nskip = 0;
	r->fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, htons(ETH_P_ALL));
	if (r->fd < 0)
		return -errno;
	int on = 1;
	/* Our own probes would otherwise come back as "replies". */
	(void)setsockopt(r->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &on, sizeof(on));
	if (prog && setsockopt(r->fd, SOL_SOCKET, SO_ATTACH_FILTER, prog, sizeof(*prog)) < 0) {
		int e = -errno;
		close(r->fd);
		r->fd = -1;
		return e;
	}
	big_buffer(r->fd, SO_RCVBUF, SO_RCVBUFFORCE, 64 << 20);
	/* each packet's own arrival time (the kernel's), not the batch's */
	(void)setsockopt(r->fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
	/* Drain what arrived before the filter was attached. */
	uint8_t junk[64];
	while (recv(r->fd, junk, sizeof(junk), MSG_DONTWAIT) >= 0)
		;
	return 0;
}

void io_rx_close(struct io_rx *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

/* Monotonic minus wall clock (the kernel stamps packets with the wall
 * clock), read between two monotonic readings. Read once each, a process
 * preempted between the two reads (a loaded machine: tens of ms) got an
 * offset short by that much, the batch's replies seemed to arrive before
 * their probes left, and a round trip of 0 made the scan's minimum 0: on
 * the lab's 20 ms slow link every random loss then looked like queueing
 * (1-10000 in 8.5 s, not 0.7). The narrowest of three brackets; *now is
 * the last monotonic reading. */
static double wall_offset(double *now)
{
	double best = 1, off = 0;
	int k = 0;
	do { /* at least once, so *now is always set */
		struct timespec wall;
		double a = io_now();
		clock_gettime(CLOCK_REALTIME, &wall);
		double b = io_now();
		*now = b;
		if (b - a < best) {
			best = b - a;
			off = (a + b) / 2 - ((double)wall.tv_sec + (double)wall.tv_nsec * 1e-9);
		}
	} while (++k < 3 && best > 20e-6);
	return off;
}

int io_rx_skip_ifindex(struct io_rx *r, int ifindex)
{
	if (r->nskip >= IO_RX_SKIP)
		return -ENOSPC;
	r->skip[r->nskip++] = ifindex;
	return 0;
}

static bool skipped(const struct io_rx *r, int ifindex)
{
	for (unsigned k = 0; k < r->nskip; k++)
		if (r->skip[k] == ifindex)
			return true;
	return false;
}

int io_rx_batch(struct io_rx *r, struct io_pkt *pkts, unsigned max)
{
	if (max > IO_BATCH)
		max = IO_BATCH;
	for (unsigned i = 0; i < max; i++) {
		r->iov[i].iov_base = r->buf[i];
		r->iov[i].iov_len = IO_PKTMAX;
		memset(&r->msg[i].msg_hdr, 0, sizeof(r->msg[i].msg_hdr));
		r->msg[i].msg_hdr.msg_name = &r->from[i];
		r->msg[i].msg_hdr.msg_namelen = sizeof(r->from[i]);
		r->msg[i].msg_hdr.msg_iov = &r->iov[i];
		r->msg[i].msg_hdr.msg_iovlen = 1;
		r->msg[i].msg_hdr.msg_control = r->ctl[i];
		r->msg[i].msg_hdr.msg_controllen = sizeof(r->ctl[i]);
	}
	int n = recvmmsg(r->fd, r->msg, max, MSG_DONTWAIT, NULL);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	double now;
	double off = wall_offset(&now);
	int k = 0; /* kept */
	for (int i = 0; i < n; i++) {
		const struct sockaddr_ll *sll = &r->from[i];
		if (skipped(r, sll->sll_ifindex))
			continue;
		struct io_pkt *pk = &pkts[k++];
		pk->data = r->buf[i];
		pk->len = r->msg[i].msg_len > IO_PKTMAX ? IO_PKTMAX : r->msg[i].msg_len;
		pk->ethertype = ntohs(sll->sll_protocol);
		pk->ifindex = sll->sll_ifindex;
		pk->hwlen = sll->sll_halen > 8 ? 8 : sll->sll_halen;
		memcpy(pk->hwaddr, sll->sll_addr, pk->hwlen);
		pk->ts = now;
		struct msghdr *mh = &r->msg[i].msg_hdr;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
			if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS)
				continue;
			struct timespec ks;
			memcpy(&ks, CMSG_DATA(c), sizeof(ks));
			double t = (double)ks.tv_sec + (double)ks.tv_nsec * 1e-9 + off;
			if (t <= now && t > now - 60)
				pk->ts = t;
		}
	}
	r->received += (unsigned long)k;
	return k;
}

int io_rx_wait(struct io_rx *r, double timeout)
{
	if (timeout < 0)
		timeout = 0;
	struct timespec ts = {.tv_sec = (time_t)timeout,
			      .tv_nsec = (long)((timeout - (double)(time_t)timeout) * 1e9)};
	struct pollfd p = {.fd = r->fd, .events = POLLIN};
	int n = ppoll(&p, 1, &ts, NULL);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	return n;
}

void io_filter_dst(struct sock_fprog *prog, struct sock_filter *f, const struct in_addr *addr4,
		   const struct in6_addr *addr6)
{
	uint32_t a4 = addr4 ? ntohl(addr4->s_addr) : 0;
	uint32_t w[4] = {0};
	if (addr6)
		for (int i = 0; i < 4; i++)
			w[i] = (uint32_t)addr6->s6_addr[4 * i] << 24 |
			       (uint32_t)addr6->s6_addr[4 * i + 1] << 16 |
			       (uint32_t)addr6->s6_addr[4 * i + 2] << 8 | addr6->s6_addr[4 * i + 3];
	/* 14: accept, 15: drop; jump offsets are relative to the next insn. */
	struct sock_filter prog_insns[16] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (uint32_t)(SKF_AD_OFF + SKF_AD_PROTOCOL)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_ARP, 12, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, addr4 ? 0 : 11, 2),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 16),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, a4, 9, 10),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IPV6, addr6 ? 0 : 8, 9),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 24),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, w[0], 0, 7),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 28),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, w[1], 0, 5),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 32),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, w[2], 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 36),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, w[3], 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0x40000),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	memcpy(f, prog_insns, sizeof(prog_insns));
	prog->len = 16;
	prog->filter = f;
}

void io_pacer_init(struct io_pacer *p, double rate, double burst, double now)
{
	p->rate = rate;
	p->burst = burst < 1 ? 1 : burst;
	p->tokens = p->burst;
	p->last = now;
}

unsigned io_pacer_take(struct io_pacer *p, unsigned want, double now)
{
	if (p->rate <= 0)
		return want;
	p->tokens += (now - p->last) * p->rate;
	p->last = now;
	if (p->tokens > p->burst)
		p->tokens = p->burst;
	if (p->tokens < 1)
		return 0;
	unsigned n = p->tokens < want ? (unsigned)p->tokens : want;
	p->tokens -= n;
	return n;
}

double io_pacer_wait(const struct io_pacer *p, double now)
{
	if (p->rate <= 0)
		return 0;
	double tokens = p->tokens + (now - p->last) * p->rate;
	return tokens >= 1 ? 0 : (1 - tokens) / p->rate;
}
