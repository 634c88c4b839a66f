/* SPDX-License-Identifier: Apache-2.0 */
/* Per-host send delays, as nmap keeps them: --scan-delay is the least time
 * between two probes to the same host (other hosts are probed meanwhile),
 * and the delay that rate-limit detection finds is the host's own, capped
 * by --max-scan-delay. A scan without either sends as fast as its window
 * lets it and pays nothing here. */
#include "engine/nmap/internal.h"

#include <errno.h>
#include <stdlib.h>

int hostpace_init(struct hostpace *p, size_t nh, double scan_delay)
{
	*p = (struct hostpace){.base = scan_delay, .on = scan_delay > 0, .nh = nh};
	p->next = calloc(nh ? nh : 1, sizeof(*p->next));
	p->delay = calloc(nh ? nh : 1, sizeof(*p->delay));
	if (!p->next || !p->delay) {
		hostpace_fini(p);
		return -ENOMEM;
	}
	return 0;
}

void hostpace_fini(struct hostpace *p)
{
	free(p->next);
	free(p->delay);
	p->next = p->delay = NULL;
}

double hostpace_of(const struct hostpace *p, size_t h)
{
	return p->delay[h] > p->base ? p->delay[h] : p->base;
}

bool hostpace_ready(struct hostpace *p, size_t h, double now)
{
	if (!p->on || now >= p->next[h])
		return true;
	if (p->wake <= 0 || p->next[h] < p->wake)
		p->wake = p->next[h];
	return false;
}

void hostpace_sent(struct hostpace *p, size_t h, double now)
{
	if (p->on)
		p->next[h] = now + hostpace_of(p, h);
}

double hostpace_boost(struct hostpace *p, size_t h, double cap)
{
	double d = p->delay[h] > 0 ? p->delay[h] * 2 : 0.005;
	if (d > cap)
		d = cap;
	p->delay[h] = d;
	p->on = p->on || d > 0;
	return d;
}
