/* SPDX-License-Identifier: Apache-2.0 */
/* What a port run tells the front end while it goes on, the same for the
 * raw scan (rawscan.c) and the connect scan (connect.c): the share of
 * items done (nmap's "About NN% done"), at most every PROGRESS_EVERY
 * seconds, and with -v, each host of a group that is done before the
 * others ("Completed SYN Stealth Scan against HOST in 0.04s (1 host
 * left)"). nmap says the latter only when a host gets more than 50
 * probes of the scan type (-p 1-50 on three hosts prints no such line,
 * -p 1-51 does), so that is the rule here too; the same for "HOST timed
 * out during SCAN (N hosts left)", said for the last host too. */
#include "engine/nmap/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define PROGRESS_EVERY 0.5	/* seconds between two progress reports */
#define HOST_DONE_MIN_PROBES 50 /* per host, for the "against HOST" lines */
#define HOST_TIMEOUT_CHECK 0.01 /* seconds between two --host-timeout checks */

int runprog_init(struct runprog *p, const struct engine *e, const struct raw_run *run,
		 const struct portfin *fin, double t0)
{
	memset(p, 0, sizeof(*p));
	p->e = e;
	p->run = run;
	p->nh = run->nhosts;
	p->t0 = t0;
	p->next = t0;
	if (run->mode != RUN_PORTS)
		return 0;
	p->say = run->nprobes > HOST_DONE_MIN_PROBES && e->cfg && e->cfg->hooks.event;
	if (!p->say && e->tm.host_timeout <= 0)
		return 0;
	size_t n = p->nh * run->nprobes;
	p->hleft = calloc(p->nh, sizeof(*p->hleft));
	p->settled = calloc((n + 7) / 8, 1);
	if (!p->hleft || !p->settled) {
		runprog_fini(p);
		return -ENOMEM;
	}
	for (size_t it = 0; it < n; it++)
		if (!portfin_known(fin, it))
			p->hleft[it % p->nh]++;
	for (size_t h = 0; h < p->nh; h++)
		p->hosts_left += p->hleft[h] > 0;
	return 0;
}

void runprog_fini(struct runprog *p)
{
	free(p->hleft);
	free(p->settled);
	p->hleft = NULL;
	p->settled = NULL;
}

void runprog_tick(struct runprog *p, double now, uint64_t cursor, size_t busy, size_t n)
{
	if (now < p->next || !n)
		return;
	/* items taken from the permutation and no longer waiting */
	engine_progress(p->e, p->t0, (double)(cursor > busy ? cursor - busy : 0) / (double)n);
	p->next = now + PROGRESS_EVERY;
}

void runprog_settle(struct runprog *p, size_t item, double now)
{
	if (!p->hleft || (p->settled[item / 8] >> (item % 8) & 1))
		return;
	p->settled[item / 8] |= (uint8_t)(1u << (item % 8));
	size_t h = item % p->nh;
	if (!p->hleft[h] || --p->hleft[h])
		return;
	if (--p->hosts_left == 0 || !p->say)
		return; /* the last one: the run's own "Completed" line says it */
	struct scan_event ev = {.kind = SCAN_EV_HOST_DONE,
				.task = TASK_PORTS,
				.scan = p->run->scan,
				.h = p->run->hosts[h].h,
				.nhosts = p->hosts_left,
				.elapsed = now - p->t0};
	engine_event(p->e, &ev);
}

void runprog_host_timeout(struct runprog *p, size_t h, double now)
{
	struct host *host = p->run->hosts[h].h;
	if (host->timed_out)
		return;
	host->timed_out = true; /* nmap: "Skipping host ... due to host timeout" */
	if (!p->hleft || !p->hleft[h])
		return;
	p->hleft[h] = 0;
	p->hosts_left--;
	if (!p->say)
		return;
	struct scan_event ev = {.kind = SCAN_EV_HOST_DONE,
				.task = TASK_PORTS,
				.scan = p->run->scan,
				.h = host,
				.nhosts = p->hosts_left,
				.elapsed = now - p->t0,
				.timed_out = true};
	engine_event(p->e, &ev);
}

void runprog_check_timeouts(struct runprog *p, double now)
{
	double limit = p->e->tm.host_timeout;
	if (limit <= 0 || !p->hleft || now < p->next_hto)
		return;
	p->next_hto = now + HOST_TIMEOUT_CHECK;
	for (size_t h = 0; h < p->nh; h++)
		if (p->hleft[h] && now - p->run->hosts[h].t_start > limit)
			runprog_host_timeout(p, h, now);
}
