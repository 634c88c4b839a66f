/* SPDX-License-Identifier: Apache-2.0 */
/* Per-hop statistics with mtr's definitions (net.c of mtr 0.95): the same
 * integer microseconds, running mean and sum of squares, RFC 1889 A.8
 * interarrival jitter, so every column matches mtr's for the same RTTs. */
#include <math.h>

#include "engine/trace/trace.h"

void trace_stats_sent(struct trace_stats *s)
{
	s->xmit++;
	s->transit = true;
}

void trace_stats_reply(struct trace_stats *s, int usec)
{
	double oldavg, oldjavg;

	if (s->returned < 1) {
		s->best = s->worst = usec;
		s->gmean = usec;
		s->avg = s->ssd = 0;
	}
	if (usec < s->best)
		s->best = usec;
	if (usec > s->worst)
		s->worst = usec;
	s->jitter = usec - s->last;
	if (s->jitter < 0)
		s->jitter = -s->jitter;
	s->last = usec;
	if (s->returned < 1)
		s->jitter = s->jworst = s->jinta = 0;
	if (s->jitter > s->jworst)
		s->jworst = s->jitter;
	s->returned++;
	oldavg = s->avg;
	s->avg += (usec - oldavg) / s->returned;
	s->ssd += (usec - oldavg) * (usec - s->avg);
	oldjavg = s->javg;
	s->javg += (s->jitter - oldjavg) / s->returned;
	s->jinta += s->jitter - ((s->jinta + 8) >> 4);
	if (s->returned > 1)
		s->gmean = pow(s->gmean, (s->returned - 1.0) / s->returned) *
			   pow((double)usec, 1.0 / s->returned);
	s->transit = false;
}

int trace_stats_loss(const struct trace_stats *s)
{
	int sent = s->xmit - (s->transit ? 1 : 0);

	if (sent <= 0)
		return 0;
	return (int)(1000 * (100 - (100.0 * s->returned / sent)));
}

int trace_stats_drop(const struct trace_stats *s)
{
	return s->xmit - (s->transit ? 1 : 0) - s->returned;
}

int trace_stats_stdev(const struct trace_stats *s)
{
	if (s->returned > 1)
		return (int)sqrt(s->ssd / (s->returned - 1.0));
	return 0;
}
