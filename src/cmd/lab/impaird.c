/* `netkit lab impaird`: link impairments without netem. Runs inside the
 * namespace that owns the impaired interface; iptables sends that
 * interface's outgoing packets to an NFQUEUE; we hold each packet for
 * delay +- jitter (uniform), drop it with the loss probability, and let it
 * go when its time comes. Verdicts go out of order by packet id, from a
 * min-heap of due times; the kernel keeps the packets, we keep ids only.
 *
 * Also here: lab_build_impair(), which starts one daemon per impaired
 * interface and adds the iptables rules once the queue is bound. */
#include "cmd/lab/lab.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/netfilter.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libnetfilter_queue/libnetfilter_queue.h>

struct held {
	uint64_t due_ns;
	uint32_t id;
};

struct impaird {
	uint64_t delay_ns, jitter_ns;
	uint32_t loss_ppm;
	uint64_t rng;
	struct nfq_q_handle *qh;
	struct held *heap;
	size_t n, cap;
	uint64_t seen, dropped;
};

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* xorshift64*: fast, and good enough for loss and jitter */
static uint64_t rnd(struct impaird *d)
{
	d->rng ^= d->rng >> 12;
	d->rng ^= d->rng << 25;
	d->rng ^= d->rng >> 27;
	return d->rng * 2685821657736338717ull;
}

static int heap_push(struct impaird *d, struct held h)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 1024;
		struct held *p = realloc(d->heap, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		d->heap = p;
		d->cap = cap;
	}
	size_t i = d->n++;
	while (i > 0 && d->heap[(i - 1) / 2].due_ns > h.due_ns) {
		d->heap[i] = d->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	d->heap[i] = h;
	return 0;
}

static struct held heap_pop(struct impaird *d)
{
	struct held top = d->heap[0], last = d->heap[--d->n];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= d->n)
			break;
		if (c + 1 < d->n && d->heap[c + 1].due_ns < d->heap[c].due_ns)
			c++;
		if (d->heap[c].due_ns >= last.due_ns)
			break;
		d->heap[i] = d->heap[c];
		i = c;
	}
	if (d->n)
		d->heap[i] = last;
	return top;
}

static int on_packet(struct nfq_q_handle *qh, struct nfgenmsg *msg, struct nfq_data *nfa,
		     void *data)
{
	(void)msg;
	struct impaird *d = data;
	struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
	if (!ph)
		return 0;
	uint32_t id = ntohl(ph->packet_id);
	d->seen++;
	if (d->loss_ppm && rnd(d) % 1000000u < d->loss_ppm) {
		d->dropped++;
		return nfq_set_verdict(qh, id, NF_DROP, 0, NULL);
	}
	uint64_t delay = d->delay_ns;
	if (d->jitter_ns) /* uniform in [delay - jitter, delay + jitter] */
		delay = delay - d->jitter_ns + rnd(d) % (2 * d->jitter_ns + 1);
	if (!delay || heap_push(d, (struct held){mono_ns() + delay, id}) < 0)
		return nfq_set_verdict(qh, id, NF_ACCEPT, 0, NULL);
	return 0;
}

static void release_due(struct impaird *d)
{
	uint64_t now = mono_ns();
	while (d->n && d->heap[0].due_ns <= now) {
		struct held h = heap_pop(d);
		nfq_set_verdict(d->qh, h.id, NF_ACCEPT, 0, NULL);
	}
}

struct impaird_opts {
	unsigned queue;
	double delay_ms, jitter_ms, loss_pct;
	int ready_fd;
};

static int parse_opts(int argc, char **argv, struct impaird_opts *o)
{
	static const struct option opts[] = {
		{"queue", required_argument, NULL, 'q'},    {"delay", required_argument, NULL, 'd'},
		{"jitter", required_argument, NULL, 'j'},   {"loss", required_argument, NULL, 'l'},
		{"ready-fd", required_argument, NULL, 'r'}, {0},
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "q:d:j:l:r:", opts, NULL)) != -1) {
		char *end = NULL;
		double v = optarg ? strtod(optarg, &end) : 0;
		if (c == '?' || !end || *end || end == optarg || !(v >= 0) || v > 1e6)
			goto bad;
		switch (c) {
		case 'q': o->queue = (unsigned)v; break;
		case 'd': o->delay_ms = v; break;
		case 'j': o->jitter_ms = v; break;
		case 'l': o->loss_pct = v; break;
		case 'r': o->ready_fd = (int)v; break;
		}
	}
	if (optind == argc && o->loss_pct <= 100 && o->jitter_ms <= o->delay_ms && o->queue < 65536)
		return 0;
bad:
	fprintf(stderr, "Usage: netkit lab impaird --queue N [--delay MS] [--jitter MS] "
			"[--loss PCT] [--ready-fd FD]\n");
	return -1;
}

static volatile sig_atomic_t stop_flag;

static void on_term(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static int run_loop(struct impaird *d, struct nfq_handle *h)
{
	int fd = nfq_fd(h);
	static char buf[256 * 1024];
	while (!stop_flag) {
		struct timespec ts, *tp = NULL;
		if (d->n) {
			uint64_t now = mono_ns(), due = d->heap[0].due_ns;
			uint64_t wait = due > now ? due - now : 0;
			ts.tv_sec = (time_t)(wait / 1000000000ull);
			ts.tv_nsec = (long)(wait % 1000000000ull);
			tp = &ts;
		}
		struct pollfd p = {fd, POLLIN, 0};
		int r = ppoll(&p, 1, tp, NULL);
		if (r < 0 && errno != EINTR)
			return -errno;
		if (r > 0) {
			for (;;) {
				ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
				if (n <= 0)
					break; /* EAGAIN; ENOBUFS: the kernel dropped some */
				nfq_handle_packet(h, buf, (int)n);
			}
		}
		release_due(d);
	}
	return 0;
}

int lab_impaird_main(int argc, char **argv)
{
	struct impaird_opts o = {.ready_fd = -1};
	if (parse_opts(argc, argv, &o) < 0)
		return 2;
	struct impaird d = {
		.delay_ns = (uint64_t)(o.delay_ms * 1e6),
		.jitter_ns = (uint64_t)(o.jitter_ms * 1e6),
		.loss_ppm = (uint32_t)(o.loss_pct * 1e4 + 0.5),
	};
	if (getrandom(&d.rng, sizeof(d.rng), 0) != sizeof(d.rng) || !d.rng)
		d.rng = mono_ns() | 1;
	struct nfq_handle *h = nfq_open();
	if (!h) {
		fprintf(stderr, "netkit lab impaird: nfq_open: %s\n", strerror(errno));
		return 1;
	}
	d.qh = nfq_create_queue(h, (uint16_t)o.queue, on_packet, &d);
	if (!d.qh || nfq_set_mode(d.qh, NFQNL_COPY_META, 0) < 0) {
		fprintf(stderr, "netkit lab impaird: queue %u: %s\n", o.queue, strerror(errno));
		nfq_close(h);
		return 1;
	}
	nfq_set_queue_maxlen(d.qh, 65536);
	nfnl_rcvbufsiz(nfq_nfnlh(h), 8u << 20);
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	if (o.ready_fd >= 0) {
		(void)!write(o.ready_fd, "R", 1);
		close(o.ready_fd);
	}
	int r = run_loop(&d, h);
	/* what is still held goes out now rather than vanish */
	while (d.n)
		nfq_set_verdict(d.qh, heap_pop(&d).id, NF_ACCEPT, 0, NULL);
	fprintf(stderr, "netkit lab impaird: queue %u: %llu packets, %llu dropped\n", o.queue,
		(unsigned long long)d.seen, (unsigned long long)d.dropped);
	nfq_destroy_queue(d.qh);
	nfq_close(h);
	free(d.heap);
	return r < 0 ? 1 : 0;
}
