/* SPDX-License-Identifier: Apache-2.0 */
/* `netkit lab impaird`: link impairments without netem. Runs inside the
 * namespace that owns the impaired interface; iptables sends that
 * interface's outgoing packets to an NFQUEUE; we hold each packet for
 * delay +- jitter (uniform), drop it with the loss probability, and let it
 * go when its time comes. Verdicts go out of order by packet id, from a
 * min-heap of due times; the kernel keeps the packets, we keep ids only.
 *
 * Also here: lab_build_impair(), which starts one daemon per impaired
 * interface and adds the iptables rules once the queue is bound. */
#include "cmd/lab/flows.h"
#include "cmd/lab/lab.h"
#include "lib/io/timerq.h"
#include "lib/nl/nfqueue.h"
#include "lib/nl/nl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct impaird {
	struct impair_model m;
	struct nl_sock nl;
	uint16_t queue;
	struct timerq held; /* (due, packet id) */
	uint64_t lead;	    /* how early the timer is set (impair_lead_update) */
	uint64_t lead_cap;  /* a quarter of the shortest delay: short ones stay delays */
	uint64_t asked;	    /* when the timer was set to wake, or 0 */
	uint64_t seen, dropped;
	FILE *flows;	     /* records of probes and replies (flows.h), or NULL */
	uint64_t flushed_ns; /* when flows was last flushed */
	bool dirty;
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

uint64_t impair_lead_update(uint64_t lead, uint64_t late)
{
	if (late > IMPAIR_LEAD_MAX_NS)
		late = IMPAIR_LEAD_MAX_NS; /* a stall is no estimate of the next wakeup */
	return late >= lead ? lead + (late - lead) / 16 : lead - (lead - late) / 16;
}

/* Verdicts go out without an ACK: a lost one only holds a packet. */
static void verdict(struct impaird *d, uint32_t id, uint32_t v)
{
	_Alignas(struct nlmsghdr) char buf[NFQUEUE_MSG_BUFSZ];
	nl_send(&d->nl, nfqueue_verdict(buf, d->queue, id, v));
}

/* Write what happened to a probe or reply of a tracer, for the ground
 * truth `netkit lab flows` computes. */
static void record(struct impaird *d, const struct nlmsghdr *nlh, bool dropped)
{
	const uint8_t *pkt;
	size_t len;
	struct impair_pkt p;
	char line[128];
	if (nfqueue_packet_payload(nlh, &pkt, &len) < 0 || impair_classify(pkt, len, &p) != 1 ||
	    impair_rec_format(&p, dropped, line, sizeof(line)) < 0)
		return;
	fputs(line, d->flows);
	d->dirty = true;
}

/* Records reach the file within FLUSH_NS of being written. */
#define FLUSH_NS 200000000ull

static void flush_flows(struct impaird *d, bool now)
{
	uint64_t t = mono_ns();
	if (!d->dirty || (!now && t - d->flushed_ns < FLUSH_NS))
		return;
	fflush(d->flows);
	d->flushed_ns = t;
	d->dirty = false;
}

static int on_packet(const struct nlmsghdr *nlh, void *data)
{
	struct impaird *d = data;
	uint32_t id;
	if (nfqueue_packet_id(nlh, &id) < 0)
		return MNL_CB_OK;
	d->seen++;
	uint64_t delay = impair_decide(&d->m);
	if (d->flows)
		record(d, nlh, delay == IMPAIR_DROP);
	if (delay == IMPAIR_DROP) {
		d->dropped++;
		verdict(d, id, NF_DROP);
	} else if (!delay || timerq_push(&d->held, mono_ns() + delay, id) < 0) {
		verdict(d, id, NF_ACCEPT);
	}
	return MNL_CB_OK;
}

/* Packets go when they are due within the lead: the timer was set that
 * much early, so on average they go at their due time. */
static void release_due(struct impaird *d)
{
	uint64_t now = mono_ns();
	struct timerq_item t;
	if (d->asked && now >= d->asked) {
		d->lead = impair_lead_update(d->lead, now - d->asked);
		if (d->lead > d->lead_cap)
			d->lead = d->lead_cap;
	}
	d->asked = 0;
	while (timerq_peek(&d->held, &t) && t.due <= now + d->lead) {
		timerq_pop(&d->held, &t);
		verdict(d, (uint32_t)t.id, NF_ACCEPT);
	}
}

struct impaird_opts {
	unsigned queue;
	double delay_ms, jitter_ms, loss_pct;
	int ready_fd;
	const char *flows;
};

static int parse_opts(int argc, char **argv, struct impaird_opts *o)
{
	static const struct option opts[] = {
		{"queue", required_argument, NULL, 'q'},
		{"delay", required_argument, NULL, 'd'},
		{"jitter", required_argument, NULL, 'j'},
		{"loss", required_argument, NULL, 'l'},
		{"ready-fd", required_argument, NULL, 'r'},
		{"flows", required_argument, NULL, 'f'},
		{0},
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "q:d:j:l:r:f:", opts, NULL)) != -1) {
		if (c == 'f') {
			o->flows = optarg;
			continue;
		}
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
			"[--loss PCT] [--ready-fd FD] [--flows FILE]\n");
	return -1;
}

/* Wait for packets, the next due time or a stop signal (a signalfd, so
 * no handler and no global flag). Returns 0 when told to stop. */
static int run_loop(struct impaird *d, int sigfd)
{
	int fd = nl_fd(&d->nl);
	for (;;) {
		struct timespec ts, *tp = NULL;
		struct timerq_item next;
		bool due = timerq_peek(&d->held, &next);
		if (due || d->dirty) {
			uint64_t now = mono_ns();
			uint64_t at = due && next.due > d->lead ? next.due - d->lead : 0;
			uint64_t wait = at > now ? at - now : 0;
			if (d->dirty && (!due || wait > FLUSH_NS))
				wait = FLUSH_NS; /* wake to flush the records */
			else if (due && wait)
				d->asked = at; /* how late the wakeup is, if the timer wakes us */
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
		if (r > 0 && p[0].revents && (r = nl_drain(&d->nl, on_packet, d)) < 0)
			return r;
		release_due(d);
		if (d->flows)
			flush_flows(d, false);
	}
}

/* Bind the queue, copy only metadata (or, for the flow records, the
 * headers and a quoted probe), and let it hold many packets: they wait in
 * the kernel for their verdict. */
static int bind_queue(struct impaird *d)
{
	_Alignas(struct nlmsghdr) char buf[NFQUEUE_MSG_BUFSZ];
	int r = nl_open(&d->nl, NETLINK_NETFILTER, NULL);
	if (r < 0) {
		fprintf(stderr, "netkit lab impaird: netfilter socket: %s\n", strerror(-r));
		return r;
	}
	if ((r = nl_talk(&d->nl, nfqueue_bind(buf, d->queue), NULL, NULL, NULL)) < 0 ||
	    (r = nl_talk(&d->nl,
			 nfqueue_copy_mode(buf, d->queue,
					   d->flows ? NFQNL_COPY_PACKET : NFQNL_COPY_META,
					   d->flows ? IMPAIR_SNAPLEN : 0),
			 NULL, NULL, NULL)) < 0) {
		fprintf(stderr, "netkit lab impaird: queue %u: %s\n", d->queue, strerror(-r));
		nl_close(&d->nl);
		return r;
	}
	nl_talk(&d->nl, nfqueue_maxlen(buf, d->queue, 65536), NULL, NULL, NULL);
	nl_set_rcvbuf(&d->nl, 8 << 20);
	return 0;
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
		.queue = (uint16_t)o.queue,
		.held = TIMERQ_INIT,
	};
	d.lead_cap = (d.m.delay_ns - d.m.jitter_ns) / 4;
	if (getrandom(&d.m.rng, sizeof(d.m.rng), 0) != sizeof(d.m.rng) || !d.m.rng)
		d.m.rng = mono_ns() | 1;
	if (o.flows && !(d.flows = fopen(o.flows, "ae"))) {
		fprintf(stderr, "netkit lab impaird: %s: %s\n", o.flows, strerror(errno));
		return 1;
	}
	if (bind_queue(&d) < 0)
		return 1;
	/* A held packet goes at its due time, not up to the default 50 us
	 * timer slack later: the lab imposes what it was told, the same for
	 * every traffic pattern (a slack timer fires early only when another
	 * wakeup happens to come, which depends on the tool under test). */
	prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigprocmask(SIG_BLOCK, &stop, NULL);
	int sigfd = signalfd(-1, &stop, SFD_CLOEXEC);
	if (sigfd < 0) {
		fprintf(stderr, "netkit lab impaird: %s\n", strerror(errno));
		return 1;
	}
	if (o.ready_fd >= 0) {
		(void)!write(o.ready_fd, "R", 1);
		close(o.ready_fd);
	}
	int r = run_loop(&d, sigfd);
	close(sigfd);
	/* what is still held goes out now rather than vanish */
	struct timerq_item t;
	while (timerq_pop(&d.held, &t))
		verdict(&d, (uint32_t)t.id, NF_ACCEPT);
	fprintf(stderr, "netkit lab impaird: queue %u: %llu packets, %llu dropped\n", o.queue,
		(unsigned long long)d.seen, (unsigned long long)d.dropped);
	_Alignas(struct nlmsghdr) char buf[NFQUEUE_MSG_BUFSZ];
	nl_talk(&d.nl, nfqueue_unbind(buf, d.queue), NULL, NULL, NULL);
	nl_close(&d.nl);
	timerq_free(&d.held);
	if (d.flows) {
		flush_flows(&d, true);
		fclose(d.flows);
	}
	return r < 0 ? 1 : 0;
}
