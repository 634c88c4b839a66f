/* SPDX-License-Identifier: Apache-2.0 */
/* Port results that are final before their host is: the engine tells the
 * front end (hooks.ports_final) which (host, port) results will not change
 * any more, in batches while a run goes on, so an interrupted scan's
 * output can say how far each unfinished host got and --resume can skip
 * those ports. The other direction too: a resumed scan hands in hosts
 * whose records already hold some ports; they are marked known here so
 * the runs neither probe nor report them again. */
#include "engine/nmap/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define BATCH_EVERY 0.2 /* seconds between two batches to the front end */
#define BATCH_MAX 1024	/* ports per hook call */

static uint8_t proto_of_kind(uint8_t kind)
{
	return kind == PK_TCP	 ? IPPROTO_TCP
	       : kind == PK_UDP	 ? IPPROTO_UDP
	       : kind == PK_SCTP ? IPPROTO_SCTP
				 : 0;
}

/* Which probe scans each port: a run's probes are all of one kind. */
static int32_t *probe_index(const struct raw_run *run)
{
	int32_t *idx = malloc(65536 * sizeof(*idx));
	if (!idx)
		return NULL;
	memset(idx, 0xff, 65536 * sizeof(*idx));
	for (size_t p = 0; p < run->nprobes; p++)
		idx[run->probes[p].port] = (int32_t)p;
	return idx;
}

int portfin_init(struct portfin *f, const struct engine *e, const struct raw_run *run, uint8_t *st,
		 uint8_t *reason, uint8_t *ttl)
{
	memset(f, 0, sizeof(*f));
	f->e = e;
	f->run = run;
	f->nh = run->nhosts;
	f->last = io_now();
	if (run->mode != RUN_PORTS || !run->nprobes)
		return 0;
	bool any = false;
	for (size_t h = 0; h < f->nh && !any; h++)
		any = run->hosts[h].h->nports > 0;
	if (!any)
		return 0;
	uint8_t proto = proto_of_kind(run->probes[0].kind);
	int32_t *idx = probe_index(run);
	f->known = calloc((f->nh * run->nprobes + 7) / 8, 1);
	if (!idx || !f->known) {
		free(idx);
		free(f->known);
		f->known = NULL;
		return -ENOMEM;
	}
	for (size_t h = 0; h < f->nh; h++) {
		const struct host *hr = run->hosts[h].h;
		for (size_t i = 0; i < hr->nports; i++) {
			const struct port_result *pr = &hr->ports[i];
			if (pr->proto != proto || idx[pr->port] < 0 || !pr->state)
				continue;
			size_t item = (size_t)idx[pr->port] * f->nh + h;
			f->known[item / 8] |= (uint8_t)(1u << (item % 8));
			st[item] = pr->state;
			reason[item] = pr->reason;
			if (ttl)
				ttl[item] = pr->reason_ttl;
		}
	}
	free(idx);
	return 0;
}

void portfin_fini(struct portfin *f)
{
	free(f->known);
	free(f->pend);
	f->known = NULL;
	f->pend = NULL;
}

void portfin_add(struct portfin *f, size_t item)
{
	if (!f->e->cfg->hooks.ports_final || portfin_known(f, item))
		return;
	if (f->npend == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 256;
		uint64_t *v = realloc(f->pend, cap * sizeof(*v));
		if (!v)
			return; /* reported at the end of the run instead */
		f->pend = v;
		f->cap = cap;
	}
	f->pend[f->npend++] = (uint64_t)(item % f->nh) << 32 | (uint32_t)item;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* One hook call per host (and per BATCH_MAX ports). */
static void report(struct portfin *f, const uint8_t *st, const uint8_t *reason, const uint8_t *ttl,
		   uint8_t def_state)
{
	const struct scan_hooks *hk = &f->e->cfg->hooks;
	struct port_result buf[BATCH_MAX];
	qsort(f->pend, f->npend, sizeof(*f->pend), cmp_u64);
	size_t n = 0;
	for (size_t i = 0; i < f->npend; i++) {
		size_t item = (uint32_t)f->pend[i], h = item % f->nh;
		const struct probe_def *d = &f->run->probes[item / f->nh];
		buf[n++] = (struct port_result){
			.port = d->port,
			.proto = proto_of_kind(d->kind),
			.state = st[item] ? st[item] : def_state,
			.reason = st[item] ? reason[item] : REASON_NO_RESPONSE,
			.reason_ttl = st[item] && ttl ? ttl[item] : 0,
		};
		bool last = i + 1 == f->npend || (uint32_t)f->pend[i + 1] % f->nh != h;
		if (last || n == BATCH_MAX) {
			hk->ports_final(hk->ctx, f->run->hosts[h].h, buf, n);
			n = 0;
		}
	}
	f->npend = 0;
}

bool portfin_tick(struct portfin *f, const uint8_t *st, const uint8_t *reason, const uint8_t *ttl,
		  uint8_t def_state, double now, bool force)
{
	const struct scan_hooks *hk = &f->e->cfg->hooks;
	if (hk->should_stop && hk->should_stop(hk->ctx))
		f->stopped = force = true;
	if (f->npend && (force || now - f->last >= BATCH_EVERY)) {
		report(f, st, reason, ttl, def_state);
		f->last = now;
	}
	return f->stopped;
}
