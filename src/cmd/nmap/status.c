/* SPDX-License-Identifier: Apache-2.0 */
/* The status line: printed every --stats-every interval and whenever a
 * key is pressed on the terminal (nmap's runtime interaction: v/V and
 * d/D change verbosity and debugging, p/P packet tracing, any other key
 * prints the status); and with -v a long task's timing line by itself
 * (auto_timing). A small thread of its own waits on the terminal
 * and a timer, so the scan itself never blocks on the keyboard; it prints
 * through an emitter of its own and reads the counters under a mutex. */
#include "cmd/nmap/nmap.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static double mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void hms(double s, char *buf, size_t len)
{
	long t = s < 0 ? 0 : (long)s;
	snprintf(buf, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
}

const char *nmap_phase_name(unsigned scans, bool ping_only)
{
	if (ping_only || !scans)
		return "Ping Scan";
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {{SCAN_SYN, "SYN Stealth Scan"},
		     {SCAN_CONNECT, "Connect Scan"},
		     {SCAN_ACK, "ACK Scan"},
		     {SCAN_WINDOW, "Window Scan"},
		     {SCAN_MAIMON, "Maimon Scan"},
		     {SCAN_NULL, "NULL Scan"},
		     {SCAN_FIN, "FIN Scan"},
		     {SCAN_XMAS, "XMAS Scan"},
		     {SCAN_UDP, "UDP Scan"},
		     {SCAN_IPPROTO, "IPProto Scan"},
		     {SCAN_SCTP_INIT, "SCTP INIT Scan"},
		     {SCAN_SCTP_COOKIE, "SCTP COOKIE-ECHO Scan"}};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (scans & names[i].bit)
			return names[i].name;
	return "Scan";
}

/* "SYN Stealth Scan Timing: About 42.41% done; ETC: 20:31 (0:01:12 remaining)" */
static void timing_line(struct emit *e, const char *phase, bool in_task, double pct, double etc)
{
	if (in_task && pct < 0.01) {
		/* under 1 %, nmap gives no estimate */
		emit_text(e, "%s Timing: About %.2f%% done\n", phase, pct * 100);
	} else if (pct > 0) {
		char rem[32], at[16];
		time_t when = time(NULL) + (time_t)etc;
		struct tm tm;
		localtime_r(&when, &tm);
		strftime(at, sizeof(at), "%H:%M", &tm);
		hms(etc, rem, sizeof(rem));
		emit_text(e, "%s Timing: About %.2f%% done; ETC: %s (%s remaining)\n", phase,
			  pct * 100, at, rem);
	}
}

/* "Stats: 0:00:03 elapsed; 2 hosts completed (2 up), 10 undergoing SYN
 * Stealth Scan", and the phase's progress when the engine reports it. */
void nmap_status_print(struct nmap_ctx *c, struct emit *e)
{
	struct nmap_status *st = &c->status;
	char el[32];
	pthread_mutex_lock(&st->mu);
	/* nmap's counts: hosts reported, hosts known up (reported or in the
	 * running task), hosts in the running task */
	unsigned long done = c->nhosts, up = c->nup + st->group_up, total = st->total;
	unsigned long under = st->undergoing ? st->undergoing : total > done ? total - done : 0;
	char phase[64];
	snprintf(phase, sizeof(phase), "%s", st->phase[0] ? st->phase : "");
	double pct = st->pct, etc = st->etc;
	bool in_task = st->phase[0] && !st->between; /* a task is running */
	st->xml_due = pct >= 0.01;		     /* XML gets the values printed here */
	st->xml_pct = pct;
	st->xml_etc = etc;
	pthread_mutex_unlock(&st->mu);
	hms(mono_now() - c->start_mono, el, sizeof(el));
	if (!phase[0])
		snprintf(phase, sizeof(phase), "%s",
			 nmap_phase_name(c->o.cfg.scans, c->o.cfg.ping_only));
	/* the one task nmap names in two cases: "undergoing Service Scan", then
	 * "Service scan Timing" */
	emit_text(e, "Stats: %s elapsed; %lu hosts completed (%lu up), %lu undergoing %s\n", el,
		  done, up, under, strcmp(phase, "Service scan") ? phase : "Service Scan");
	timing_line(e, phase, in_task, pct, etc);
	emit_flush(e);
}

static void on_key(struct nmap_ctx *c, struct emit *e, char k)
{
	struct nmap_opts *o = &c->o;
	switch (k) {
	case 'v': emit_text(e, "Verbosity Increased to %d.\n", ++o->verbose); break;
	case 'V':
		if (o->verbose > 0)
			o->verbose--;
		emit_text(e, "Verbosity Decreased to %d.\n", o->verbose);
		break;
	case 'd': emit_text(e, "Debugging Increased to %d.\n", ++o->debug); break;
	case 'D':
		if (o->debug > 0)
			o->debug--;
		emit_text(e, "Debugging Decreased to %d.\n", o->debug);
		break;
	case 'p':
		c->trace_on = 1;
		emit_text(e, "Packet Tracing enabled.\n");
		break;
	case 'P':
		c->trace_on = 0;
		emit_text(e, "Packet Tracing disabled.\n");
		break;
	case '?':
		emit_text(e, "Interactive keyboard commands:\n"
			     "?               Display this information\n"
			     "v/V             Increase/decrease verbosity\n"
			     "d/D             Increase/decrease debugging\n"
			     "p/P             Enable/disable packet tracing\n"
			     "anything else   Print status\n");
		break;
	default: nmap_status_print(c, e); return;
	}
	emit_flush(e);
}

static void *status_thread(void *arg)
{
	struct nmap_ctx *c = arg;
	struct nmap_status *st = &c->status;
	struct emit *e = malloc(sizeof(*e));
	if (!e)
		return NULL;
	emit_init(e, 1, EMIT_TEXT, 0);
	double next = st->every > 0 ? mono_now() + st->every : 0;
	for (;;) {
		struct pollfd p[2] = {{st->pipe[0], POLLIN, 0}, {0, POLLIN, 0}};
		int timeout = -1;
		if (next > 0) {
			double left = next - mono_now();
			timeout = left > 0 ? (int)(left * 1000) + 1 : 0;
		}
		int n = poll(p, st->tty ? 2 : 1, timeout);
		if (n < 0 && errno != EINTR)
			break;
		if (p[0].revents)
			break;
		if (st->tty && p[1].revents & POLLIN) {
			char k[16];
			ssize_t r = read(0, k, sizeof(k));
			if (r <= 0 && !(r < 0 && errno == EINTR))
				st->tty = false; /* hung up: stop watching it */
			for (ssize_t i = 0; i < r; i++)
				on_key(c, e, k[i]);
		} else if (st->tty && p[1].revents) {
			st->tty = false; /* the terminal went away */
		}
		if (next > 0 && mono_now() >= next) {
			/* nmap checks its timer inside the scan loops: a line
			 * that falls due between two tasks (a hostgroup reported,
			 * the next not begun) waits for the next task, so it
			 * never mixes the old task's name with the next group's
			 * counts */
			pthread_mutex_lock(&st->mu);
			bool between = st->between;
			pthread_mutex_unlock(&st->mu);
			if (between) {
				next = mono_now() + 0.02;
				continue;
			}
			nmap_status_print(c, e);
			next += st->every;
		}
	}
	free(e);
	return NULL;
}

int nmap_status_start(struct nmap_ctx *c, unsigned long total)
{
	struct nmap_status *st = &c->status;
	pthread_mutex_init(&st->mu, NULL);
	st->total = total;
	st->every = c->o.stats_every;
	st->tty = isatty(0) && tcgetattr(0, &st->saved) == 0 && getpgrp() == tcgetpgrp(0);
	if (st->every <= 0 && !st->tty)
		return 0;
	if (st->tty) {
		struct termios t = st->saved;
		t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
		t.c_cc[VMIN] = 1;
		t.c_cc[VTIME] = 0;
		tcsetattr(0, TCSANOW, &t);
	}
	if (pipe(st->pipe) < 0 || pthread_create(&st->th, NULL, status_thread, c) != 0) {
		if (st->tty)
			tcsetattr(0, TCSANOW, &st->saved);
		return -errno;
	}
	st->running = true;
	return 0;
}

void nmap_status_stop(struct nmap_ctx *c)
{
	struct nmap_status *st = &c->status;
	if (!st->running)
		return;
	(void)!write(st->pipe[1], "x", 1);
	pthread_join(st->th, NULL);
	close(st->pipe[0]);
	close(st->pipe[1]);
	if (st->tty)
		tcsetattr(0, TCSANOW, &st->saved);
	st->running = false;
}

/* With -v, nmap prints a long task's timing line by itself (observed side
 * by side in the lab, -p- at --max-rate 200 and 1000): first once the task
 * has run 30 s, then every 30 s, and not once it estimates under 30 s
 * left (a 262 s scan printed at 30, 60, ... 210 s, not at 240 s with 22 s
 * to go). XML gets its <taskprogress>, as for the status line. */
#define AUTO_EVERY 30.0	    /* seconds after the task's begin, then between lines */
#define AUTO_MIN_LEFT 30.0  /* seconds the estimate must still have to go */
#define AUTO_MIN_DONE 0.003 /* share done before a first estimate */

static void auto_timing(struct nmap_ctx *c, double done, double etc)
{
	struct nmap_output *term = c->out[OUT_MAX].used ? &c->out[OUT_MAX] : NULL;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	double now = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
	double since = c->autotiming.last > 0 ? c->autotiming.last : c->autotiming.begin;
	if (c->o.verbose <= 0 || !c->autotiming.task[0] || now - since < AUTO_EVERY ||
	    done <= AUTO_MIN_DONE || etc < AUTO_MIN_LEFT)
		return;
	c->autotiming.last = now;
	if (term) {
		timing_line(term->e, c->autotiming.task, true, done, etc);
		emit_flush(term->e);
	}
	nmap_taskprogress(c, c->autotiming.task, done, etc);
}

void nmap_status_progress(void *ctx, const char *phase, double done, double etc_seconds)
{
	struct nmap_ctx *c = ctx;
	auto_timing(c, done, etc_seconds);
	struct nmap_status *st = &c->status;
	pthread_mutex_lock(&st->mu);
	if (phase) /* else the task's name from its begin event */
		snprintf(st->phase, sizeof(st->phase), "%s", phase);
	st->pct = done;
	st->etc = etc_seconds;
	bool xml = st->xml_due;
	double xpct = st->xml_pct, xetc = st->xml_etc;
	char task[64];
	snprintf(task, sizeof(task), "%s", st->phase);
	st->xml_due = false;
	pthread_mutex_unlock(&st->mu);
	if (xml) /* the status line was printed: XML gets its <taskprogress> */
		nmap_taskprogress(c, task, xpct, xetc);
}
