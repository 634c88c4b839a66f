/* SPDX-License-Identifier: Apache-2.0 */
/* Connect scan (-sT) and unprivileged discovery: non-blocking connect()s
 * watched with epoll, as many at once as the window and the descriptor
 * limit allow, with the same RTT-based timeouts and retry rule as the raw
 * scan. The kernel does the handshake, so the reasons are nmap's
 * syn-ack / conn-refused / no-response.
 *
 * The window starts at HOST_CWND connects per host of the group (nmap
 * keeps a window of 10 per host), at most MAX_INIT_CWND, grows by one per
 * answer and is halved when a retried connect is answered (its first SYN
 * or the answer was lost), once per window. A connect that times out says
 * nothing about congestion: an absent address on the LAN is silent until
 * the kernel gives up resolving it (~3 s), and halving the window at each
 * such timeout used to serialise a sweep of a mostly empty /24 (one
 * connect at a time, 100-160 s where nmap takes 2.5 s). */
#include "engine/nmap/rawscan.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/resource.h>

#define HOST_CWND 10.0
#define MAX_INIT_CWND 300.0

struct slot {
	int fd;
	uint32_t item;
	double t;
};

struct cs {
	struct engine *e;
	struct raw_run *run;
	size_t nh, n;
	uint8_t *tries, *st, *reason;
	uint32_t *retq;
	size_t rq_head, rq_len;
	uint64_t cursor;
	struct perm perm;
	struct slot *slots;
	size_t nslots, used;
	int ep;
	double srtt, rttvar;
	bool have_rtt;
	int mst;
	double cwnd;
	double last_cut;      /* io_now() of the last halving */
	struct hostpace pace; /* --scan-delay per host */
	struct portfin fin;   /* final results for the front end, known ports */
	struct runprog prog;  /* progress reports, hosts done (-v) */
};

static double cs_timeout(const struct cs *c)
{
	const struct timing *tm = &c->e->tm;
	double t = c->have_rtt ? c->srtt + 4 * c->rttvar : tm->init_rtt;
	return t < tm->min_rtt ? tm->min_rtt : t > tm->max_rtt ? tm->max_rtt : t;
}

static bool cs_done(struct cs *c, size_t item)
{
	const struct rhost *rh = &c->run->hosts[item % c->nh];
	if (c->st[item] || rh->h->timed_out)
		return true;
	if (c->e->tm.host_timeout > 0 && io_now() - rh->t_start > c->e->tm.host_timeout) {
		runprog_host_timeout(&c->prog, item % c->nh, io_now());
		return true;
	}
	return c->run->mode == RUN_DISCOVERY && rh->up;
}

/* cs_next with --scan-delay: the first queued retry or cursor item whose
 * host may have a connect now (rawscan.c's next_paced). */
#define PACE_AHEAD 256
static long cs_next_paced(struct cs *c, double now)
{
	struct hostpace *hp = &c->pace;
	hp->wake = 0;
	size_t look = c->rq_len < PACE_AHEAD ? c->rq_len : PACE_AHEAD;
	for (size_t k = 0; k < look; k++) {
		uint32_t it = c->retq[c->rq_head];
		c->rq_head = (c->rq_head + 1) % c->n;
		c->rq_len--;
		if (cs_done(c, it))
			continue;
		if (hostpace_ready(hp, it % c->nh, now)) {
			hostpace_sent(hp, it % c->nh, now);
			return it;
		}
		c->retq[(c->rq_head + c->rq_len) % c->n] = it;
		c->rq_len++;
	}
	for (uint64_t i = c->cursor; i < c->n && i < c->cursor + PACE_AHEAD; i++) {
		uint64_t item = (i / c->nh) * c->nh + perm_at(&c->perm, i % c->nh);
		bool gone = cs_done(c, item) || c->tries[item];
		if (gone || !hostpace_ready(hp, item % c->nh, now)) {
			if (gone && i == c->cursor)
				c->cursor++;
			continue;
		}
		if (i == c->cursor)
			c->cursor++;
		hostpace_sent(hp, item % c->nh, now);
		return (long)item;
	}
	return -1;
}

static long cs_next(struct cs *c, double now)
{
	if (c->pace.on)
		return cs_next_paced(c, now);
	while (c->rq_len) {
		uint32_t it = c->retq[c->rq_head];
		c->rq_head = (c->rq_head + 1) % c->n;
		c->rq_len--;
		if (!cs_done(c, it))
			return it;
	}
	while (c->cursor < c->n) {
		uint64_t i = c->cursor++, item;
		/* probe-major, hosts in random order within (rawscan.c) */
		item = (i / c->nh) * c->nh + perm_at(&c->perm, i % c->nh);
		if (!cs_done(c, item))
			return (long)item;
	}
	return -1;
}

static void cs_result(struct cs *c, size_t item, uint8_t state, uint8_t reason, double rtt)
{
	struct rhost *rh = &c->run->hosts[item % c->nh];
	if (rtt >= 0) {
		if (!c->have_rtt) {
			c->srtt = rtt;
			c->rttvar = rtt > 0.005 ? rtt : 0.005;
			c->have_rtt = true;
		} else {
			c->rttvar += (fabs(rtt - c->srtt) - c->rttvar) / 4;
			c->srtt += (rtt - c->srtt) / 8;
		}
		rhost_rtt_sample(rh, rtt);
		int t = c->tries[item] - 1;
		if (t > c->mst)
			c->mst = t;
	}
	if (c->run->mode == RUN_DISCOVERY) {
		if (state == PORT_OPEN || state == PORT_CLOSED) {
			if (!rh->up)
				engine_found_up(c->e, rh->h);
			rh->up = true;
			rh->h->reason = reason;
			if (rh->h->rtt <= 0)
				rh->h->rtt = rtt;
		}
		return;
	}
	c->st[item] = state;
	c->reason[item] = reason;
	portfin_add(&c->fin, item);
	if (state == PORT_OPEN)
		engine_found_open(c->e, c->run, item, reason, 0);
	runprog_settle(&c->prog, item, io_now());
}

/* An answer from the target to the attempt begun at sent: one more for
 * the window, or, if it was a retry whose first try left after the last
 * halving, half. Unreachables do neither: a sweep of a mostly empty /24
 * gets them for its retries to absent addresses (the router's ARP failed
 * meanwhile), each halved the window, and it went one connect at a time,
 * each waiting out a timeout grown from the ~3 s the failures took: 4 of
 * 20 runs of -sn 198.18.3.0/24 as an ordinary user past 40 s at load 6. */
static void cs_window(struct cs *c, size_t item, double sent, double now)
{
	const struct timing *tm = &c->e->tm;
	if (c->tries[item] <= 1) {
		c->cwnd += 1;
		return;
	}
	if (sent - cs_timeout(c) <= c->last_cut)
		return;
	c->cwnd /= 2;
	if (c->cwnd < 1)
		c->cwnd = 1;
	if (tm->min_par > 0 && c->cwnd < tm->min_par)
		c->cwnd = tm->min_par;
	c->last_cut = now;
}

/* --packet-trace: nmap's CONN line for an attempt on item. */
static void cs_trace(const struct cs *c, size_t item, int err, double now)
{
	const struct scan_hooks *hk = &c->e->cfg->hooks;
	if (!hk->conn_trace)
		return;
	const struct rhost *rh = &c->run->hosts[item % c->nh];
	struct sockaddr_storage ss = rh->h->addr;
	uint16_t port = htons(c->run->probes[item / c->nh].port);
	if (ss.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&ss)->sin6_port = port;
	else
		((struct sockaddr_in *)&ss)->sin_port = port;
	hk->conn_trace(hk->ctx, now - c->e->t_start, (struct sockaddr *)&ss, err);
}

static void cs_close(struct cs *c, size_t k)
{
	struct linger lg = {1, 0}; /* reset, no TIME_WAIT pile-up */
	setsockopt(c->slots[k].fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	epoll_ctl(c->ep, EPOLL_CTL_DEL, c->slots[k].fd, NULL);
	close(c->slots[k].fd);
	c->slots[k].fd = -1;
	c->used--;
}

/* errno of a finished connect -> (state, reason); state 0: inconclusive */
static void classify(int err, uint8_t *state, uint8_t *reason)
{
	switch (err) {
	case 0: *state = PORT_OPEN, *reason = REASON_SYN_ACK; break;
	case ECONNREFUSED: *state = PORT_CLOSED, *reason = REASON_CONN_REFUSED; break;
	case EHOSTUNREACH: *state = PORT_FILTERED, *reason = REASON_HOST_UNREACH; break;
	case ENETUNREACH: *state = PORT_FILTERED, *reason = REASON_NET_UNREACH; break;
	case EACCES:
	case EPERM: *state = PORT_FILTERED, *reason = REASON_ADMIN_PROHIBITED; break;
	default: *state = 0, *reason = 0;
	}
}

static int cs_start(struct cs *c, size_t item, double now)
{
	struct rhost *rh = &c->run->hosts[item % c->nh];
	const struct probe_def *p = &c->run->probes[item / c->nh];
	struct sockaddr_storage ss = rh->h->addr;
	socklen_t sl;
	if (ss.ss_family == AF_INET6) {
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(p->port);
		sl = sizeof(struct sockaddr_in6);
	} else {
		((struct sockaddr_in *)&ss)->sin_port = htons(p->port);
		sl = sizeof(struct sockaddr_in);
	}
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	c->tries[item]++;
	c->e->sent++;
	/* the attempt's own start, not the loop pass's: a pass starts
	 * hundreds of connects, and each one's round trip is timed */
	now = io_now();
	int rc = connect(fd, (struct sockaddr *)&ss, sl);
	int err = rc == 0 ? 0 : errno;
	cs_trace(c, item, err, now);
	if (err != EINPROGRESS) {
		uint8_t st, rs;
		classify(err, &st, &rs);
		close(fd);
		if (st) {
			bool target = st != PORT_FILTERED;
			if (target)
				cs_window(c, item, now, now);
			cs_result(c, item, st, rs, target ? 0 : -1);
		}
		return 0;
	}
	size_t k = 0;
	while (c->slots[k].fd >= 0)
		k++;
	c->slots[k] = (struct slot){fd, (uint32_t)item, now};
	struct epoll_event ev = {.events = EPOLLOUT, .data.u64 = k};
	epoll_ctl(c->ep, EPOLL_CTL_ADD, fd, &ev);
	c->used++;
	return 0;
}

static void cs_events(struct cs *c, int timeout_ms)
{
	struct epoll_event ev[64];
	int n = epoll_wait(c->ep, ev, 64, timeout_ms);
	double now = io_now();
	for (int i = 0; i < n; i++) {
		size_t k = ev[i].data.u64;
		int err = 0;
		socklen_t el = sizeof(err);
		getsockopt(c->slots[k].fd, SOL_SOCKET, SO_ERROR, &err, &el);
		uint8_t st, rs;
		classify(err, &st, &rs);
		size_t item = c->slots[k].item;
		cs_trace(c, item, err, now);
		if (st && !cs_done(c, item)) {
			/* only the target's own answer times the path and tells
			 * of loss: an unreachable is the kernel giving up an
			 * absent neighbour (~3 s) */
			bool target = st != PORT_FILTERED;
			if (target)
				cs_window(c, item, c->slots[k].t, now);
			cs_result(c, item, st, rs, target ? now - c->slots[k].t : -1);
		} else if (!st)
			runprog_settle(&c->prog, item, now); /* an error that says nothing */
		cs_close(c, k);
	}
}

static void cs_expire(struct cs *c, double now)
{
	double to = cs_timeout(c);
	int allowed = c->mst + 1 > 1 ? c->mst + 1 : 1;
	for (size_t k = 0; k < c->nslots; k++) {
		if (c->slots[k].fd < 0 || now - c->slots[k].t < to)
			continue;
		uint32_t it = c->slots[k].item;
		/* An ICMP error that arrives while connect() still holds the
		 * socket (a reply through veths comes back inside the same
		 * send) is kept by the kernel as a soft error, without waking
		 * us; only the SYN retransmitted a second later would fail
		 * hard. SO_ERROR hands the soft error out, so the attempt is
		 * classified now instead of counting as silent. */
		int err = 0;
		socklen_t el = sizeof(err);
		uint8_t st = 0, rs = 0;
		if (getsockopt(c->slots[k].fd, SOL_SOCKET, SO_ERROR, &err, &el) == 0 && err) {
			classify(err, &st, &rs);
			cs_trace(c, it, err, now);
		}
		cs_close(c, k);
		if (st) {
			if (!cs_done(c, it))
				cs_result(c, it, st, rs, -1);
			continue;
		}
		int tryno = c->tries[it] - 1;
		if (tryno < allowed && tryno < c->e->tm.max_retries && !cs_done(c, it)) {
			c->retq[(c->rq_head + c->rq_len) % c->n] = it;
			c->rq_len++;
		} else if (!c->run->hosts[it % c->nh].h->timed_out) {
			runprog_settle(&c->prog, it, now); /* out of retries */
		}
	}
}

static int cs_loop(struct cs *c)
{
	for (;;) {
		double now = io_now();
		if (portfin_tick(&c->fin, c->st, c->reason, NULL, PORT_FILTERED, now, false))
			return -EINTR;
		runprog_tick(&c->prog, now, c->cursor, c->used + c->rq_len, c->n);
		runprog_check_timeouts(&c->prog, now);
		cs_expire(c, now);
		bool more = true;
		double limit = c->cwnd < (double)c->nslots ? c->cwnd : (double)c->nslots;
		/* --scan-delay: one connect to a host, then that long before its
		 * next (cs_next_paced; it started one a loop pass, ~10 ms apart,
		 * whatever the delay, then one for the whole scan) */
		while ((double)c->used < limit) {
			long it = cs_next(c, now);
			if (it < 0) {
				more = false;
				break;
			}
			int r = cs_start(c, (size_t)it, now);
			if (r == -EMFILE || r == -ENFILE)
				break;
			if (r < 0)
				return r;
		}
		if (!more && c->used == 0 && c->rq_len == 0 && c->cursor >= c->n)
			return 0;
		int ms = (int)(cs_timeout(c) * 1000 / 4) + 1;
		if (c->used && ms > 10)
			ms = 10;
		if (c->pace.wake > 0) {
			int dms = (int)((c->pace.wake - io_now()) * 1000) + 1;
			if (!c->used || dms < ms)
				ms = dms > 0 ? dms : 0;
		} else if (!c->used) {
			ms = 0;
		}
		cs_events(c, ms);
	}
}

int connect_scan(struct engine *e, struct raw_run *run)
{
	if (!run->nhosts || !run->nprobes)
		return 0;
	struct cs c = {.e = e, .run = run, .nh = run->nhosts, .last_cut = io_now()};
	c.n = run->nhosts * run->nprobes;
	struct rlimit rl;
	size_t fds = 1024;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur > 128)
		fds = rl.rlim_cur - 64 > 4096 ? 4096 : rl.rlim_cur - 64;
	c.nslots = e->tm.max_par > 0 && (size_t)e->tm.max_par < fds ? (size_t)e->tm.max_par : fds;
	c.cwnd = HOST_CWND * (double)c.nh;
	if (c.cwnd > MAX_INIT_CWND)
		c.cwnd = MAX_INIT_CWND;
	if (e->tm.max_par > 0 && c.cwnd > e->tm.max_par)
		c.cwnd = e->tm.max_par;
	if (e->tm.min_par > c.cwnd)
		c.cwnd = e->tm.min_par;
	c.tries = calloc(c.n, 1);
	c.st = calloc(c.n, 1);
	c.reason = calloc(c.n, 1);
	c.retq = calloc(c.n, sizeof(uint32_t));
	c.slots = calloc(c.nslots, sizeof(*c.slots));
	c.ep = epoll_create1(EPOLL_CLOEXEC);
	int r = -ENOMEM;
	if (c.tries && c.st && c.reason && c.retq && c.slots && c.ep >= 0 &&
	    hostpace_init(&c.pace, c.nh, e->tm.scan_delay) == 0 &&
	    portfin_init(&c.fin, e, run, c.st, c.reason, NULL) == 0 &&
	    runprog_init(&c.prog, e, run, &c.fin, io_now()) == 0) {
		for (size_t k = 0; k < c.nslots; k++)
			c.slots[k].fd = -1;
		perm_init(&c.perm, c.nh, &e->key);
		r = cs_loop(&c);
		for (size_t k = 0; k < c.nslots; k++)
			if (c.slots[k].fd >= 0)
				cs_close(&c, k);
	}
	if (r == 0 && run->mode == RUN_PORTS) {
		for (size_t p = 0; p < run->nprobes; p++)
			for (size_t h = 0; h < c.nh; h++) {
				size_t it = p * c.nh + h;
				if (portfin_known(&c.fin, it))
					continue;
				if (!c.st[it])
					portfin_add(&c.fin, it);
				uint8_t st = c.st[it] ? c.st[it] : PORT_FILTERED;
				uint8_t rs = c.st[it] ? c.reason[it] : REASON_NO_RESPONSE;
				host_add_port_result(run->hosts[h].h, IPPROTO_TCP,
						     run->probes[p].port, st, rs, 0);
			}
		portfin_tick(&c.fin, c.st, c.reason, NULL, PORT_FILTERED, io_now(), true);
	}
	runprog_fini(&c.prog);
	portfin_fini(&c.fin);
	if (c.ep >= 0)
		close(c.ep);
	free(c.tries);
	free(c.st);
	free(c.reason);
	free(c.retq);
	free(c.slots);
	hostpace_fini(&c.pace);
	return r;
}
