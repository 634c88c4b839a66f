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
#include "lib/io/timerq.h"

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
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libnetfilter_queue/libnetfilter_queue.h>

struct impaird {
	struct impair_model m;
	struct nfq_q_handle *qh;
	struct timerq held; /* (due, packet id) */
	uint64_t seen, dropped;
};

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* xorshift64*: fast, and good enough for loss and jitter */
static uint64_t rnd(struct impair_model *m)
{
	m->rng ^= m->rng >> 12;
	m->rng ^= m->rng << 25;
	m->rng ^= m->rng >> 27;
	return m->rng * 2685821657736338717ull;
}

uint64_t impair_decide(struct impair_model *m)
{
	if (m->loss_ppm && rnd(m) % 1000000u < m->loss_ppm)
		return IMPAIR_DROP;
	if (!m->jitter_ns) /* else uniform in [delay - jitter, delay + jitter] */
		return m->delay_ns;
	return m->delay_ns - m->jitter_ns + rnd(m) % (2 * m->jitter_ns + 1);
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
	uint64_t delay = impair_decide(&d->m);
	if (delay == IMPAIR_DROP) {
		d->dropped++;
		return nfq_set_verdict(qh, id, NF_DROP, 0, NULL);
	}
	if (!delay || timerq_push(&d->held, mono_ns() + delay, id) < 0)
		return nfq_set_verdict(qh, id, NF_ACCEPT, 0, NULL);
	return 0;
}

static void release_due(struct impaird *d)
{
	uint64_t now = mono_ns();
	struct timerq_item t;
	while (timerq_peek(&d->held, &t) && t.due <= now) {
		timerq_pop(&d->held, &t);
		nfq_set_verdict(d->qh, (uint32_t)t.id, NF_ACCEPT, 0, NULL);
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

/* Wait for packets, the next due time or a stop signal (a signalfd, so
 * no handler and no global flag). Returns 0 when told to stop. */
static int run_loop(struct impaird *d, struct nfq_handle *h, int sigfd, char *buf, size_t size)
{
	int fd = nfq_fd(h);
	for (;;) {
		struct timespec ts, *tp = NULL;
		struct timerq_item next;
		if (timerq_peek(&d->held, &next)) {
			uint64_t now = mono_ns();
			uint64_t wait = next.due > now ? next.due - now : 0;
			ts.tv_sec = (time_t)(wait / 1000000000ull);
			ts.tv_nsec = (long)(wait % 1000000000ull);
			tp = &ts;
		}
		struct pollfd p[2] = {{fd, POLLIN, 0}, {sigfd, POLLIN, 0}};
		int r = ppoll(p, 2, tp, NULL);
		if (r < 0 && errno != EINTR)
			return -errno;
		if (r > 0 && p[1].revents)
			return 0;
		if (r > 0 && p[0].revents) {
			for (;;) {
				ssize_t n = recv(fd, buf, size, MSG_DONTWAIT);
				if (n <= 0)
					break; /* EAGAIN; ENOBUFS: the kernel dropped some */
				nfq_handle_packet(h, buf, (int)n);
			}
		}
		release_due(d);
	}
}

int lab_impaird_main(int argc, char **argv)
{
	struct impaird_opts o = {.ready_fd = -1};
	if (parse_opts(argc, argv, &o) < 0)
		return 2;
	struct impaird d = {
		.m.delay_ns = (uint64_t)(o.delay_ms * 1e6),
		.m.jitter_ns = (uint64_t)(o.jitter_ms * 1e6),
		.m.loss_ppm = (uint32_t)(o.loss_pct * 1e4 + 0.5),
		.held = TIMERQ_INIT,
	};
	if (getrandom(&d.m.rng, sizeof(d.m.rng), 0) != sizeof(d.m.rng) || !d.m.rng)
		d.m.rng = mono_ns() | 1;
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
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigprocmask(SIG_BLOCK, &stop, NULL);
	int sigfd = signalfd(-1, &stop, SFD_CLOEXEC);
	size_t bufsize = 256 * 1024;
	char *buf = malloc(bufsize);
	if (sigfd < 0 || !buf) {
		fprintf(stderr, "netkit lab impaird: %s\n", strerror(errno));
		return 1;
	}
	if (o.ready_fd >= 0) {
		(void)!write(o.ready_fd, "R", 1);
		close(o.ready_fd);
	}
	int r = run_loop(&d, h, sigfd, buf, bufsize);
	free(buf);
	close(sigfd);
	/* what is still held goes out now rather than vanish */
	struct timerq_item t;
	while (timerq_pop(&d.held, &t))
		nfq_set_verdict(d.qh, (uint32_t)t.id, NF_ACCEPT, 0, NULL);
	fprintf(stderr, "netkit lab impaird: queue %u: %llu packets, %llu dropped\n", o.queue,
		(unsigned long long)d.seen, (unsigned long long)d.dropped);
	nfq_destroy_queue(d.qh);
	nfq_close(h);
	timerq_free(&d.held);
	return r < 0 ? 1 : 0;
}
