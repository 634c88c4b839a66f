/* nk-impair: delay and drop the packets of one netfilter queue, for test
 * and benchmark paths on kernels without sch_netem. Every packet queued
 * (iptables ... -j NFQUEUE --queue-num Q) is dropped with probability
 * LOSS% or released DELAY ms (+ uniform JITTER ms) after it arrived.
 *   nk-impair QUEUE DELAY_MS LOSS_PCT [JITTER_MS]
 * Runs until killed. Only metadata is copied to user space. */
#include <arpa/inet.h>
#include <errno.h>
#include <sys/socket.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/prctl.h>
#include <unistd.h>

#define MAXQ 65536

struct held {
	uint32_t id;
	double due;
};

struct ctx {
	struct nfq_q_handle *qh;
	double delay, jitter, loss;
	struct held q[MAXQ]; /* sorted by due time */
	size_t head, n;
	unsigned seed;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double rnd(struct ctx *c)
{
	return (double)rand_r(&c->seed) / ((double)RAND_MAX + 1.0);
}

/* Inserts keeping due order (jitter may reorder; usually appends). */
static void hold(struct ctx *c, uint32_t id, double due)
{
	size_t i = c->n;

	if (c->n == MAXQ) {
		nfq_set_verdict(c->qh, id, NF_DROP, 0, NULL);
		return;
	}
	while (i > 0 && c->q[(c->head + i - 1) % MAXQ].due > due) {
		c->q[(c->head + i) % MAXQ] = c->q[(c->head + i - 1) % MAXQ];
		i--;
	}
	c->q[(c->head + i) % MAXQ] = (struct held){id, due};
	c->n++;
}

static int on_packet(struct nfq_q_handle *qh, struct nfgenmsg *msg, struct nfq_data *d, void *arg)
{
	struct ctx *c = arg;
	struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(d);
	uint32_t id;

	(void)msg;
	if (!ph)
		return 0;
	id = ntohl(ph->packet_id);
	if (rnd(c) * 100.0 < c->loss)
		return nfq_set_verdict(qh, id, NF_DROP, 0, NULL);
	hold(c, id, now() + c->delay + (c->jitter > 0 ? rnd(c) * c->jitter : 0));
	return 0;
}

static void release(struct ctx *c, double t)
{
	while (c->n && c->q[c->head].due <= t) {
		nfq_set_verdict(c->qh, c->q[c->head].id, NF_ACCEPT, 0, NULL);
		c->head = (c->head + 1) % MAXQ;
		c->n--;
	}
}

int main(int argc, char **argv)
{
	static struct ctx c;
	struct nfq_handle *h;
	char buf[65536];
	int fd;

	if (argc < 4) {
		fprintf(stderr, "usage: nk-impair QUEUE DELAY_MS LOSS_PCT [JITTER_MS]\n");
		return 2;
	}
	c.delay = atof(argv[2]) / 1000.0;
	c.loss = atof(argv[3]);
	c.jitter = argc > 4 ? atof(argv[4]) / 1000.0 : 0;
	c.seed = (unsigned)getpid() ^ (unsigned)time(NULL);
	prctl(PR_SET_TIMERSLACK, 1UL); /* wake on time, not up to 50 us late */
	h = nfq_open();
	if (!h || nfq_bind_pf(h, AF_INET) < 0) {
		perror("nfq_open");
		return 1;
	}
	nfq_bind_pf(h, AF_INET6);
	c.qh = nfq_create_queue(h, (uint16_t)atoi(argv[1]), on_packet, &c);
	if (!c.qh || nfq_set_mode(c.qh, NFQNL_COPY_META, 0) < 0) {
		perror("nfq_create_queue");
		return 1;
	}
	nfq_set_queue_maxlen(c.qh, MAXQ);
	fd = nfq_fd(h);
	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		struct timespec ts = {1, 0};
		double t = now();

		if (c.n) {
			double w = c.q[c.head].due - t;

			if (w < 0)
				w = 0;
			ts.tv_sec = (time_t)w;
			ts.tv_nsec = (long)((w - (double)ts.tv_sec) * 1e9);
		}
		if (ppoll(&p, 1, &ts, NULL) > 0) {
			ssize_t n;

			while ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
				nfq_handle_packet(h, buf, (int)n);
		}
		release(&c, now());
	}
}
