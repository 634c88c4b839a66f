/* SPDX-License-Identifier: Apache-2.0 */
/* nmap's timing templates (-T0..-T5) and how the user's knobs override
 * them. The values are nmap's documented ones (man page, "Timing and
 * Performance"). */
#include "engine/nmap/internal.h"

struct tmpl {
	double min_rtt, max_rtt, init_rtt;
	int max_retries;
	double scan_delay, max_scan_delay;
	int max_par;
	double host_timeout;
};

/* T0 and T1 serialise probes and wait between them; T2 waits 0.4 s;
 * T4 and T5 shorten timeouts and cap retries. */
static const struct tmpl templates[6] = {
	{0.1, 10.0, 300.0, 10, 300.0, 300.0, 1, 0}, {0.1, 10.0, 15.0, 10, 15.0, 15.0, 1, 0},
	{0.1, 10.0, 1.0, 10, 0.4, 1.0, 1, 0},	    {0.1, 10.0, 1.0, 10, 0.0, 1.0, 0, 0},
	{0.1, 1.25, 0.5, 6, 0.0, 0.010, 0, 0},	    {0.05, 0.3, 0.25, 2, 0.0, 0.005, 0, 900.0},
};

void timing_resolve(const struct scan_timing *in, bool udp, struct timing *out)
{
	int level = in->level >= 0 && in->level <= 5 ? in->level : 3;
	const struct tmpl *t = &templates[level];
	out->level = level;
	out->min_rtt = in->min_rtt_timeout > 0 ? in->min_rtt_timeout : t->min_rtt;
	out->max_rtt = in->max_rtt_timeout > 0 ? in->max_rtt_timeout : t->max_rtt;
	out->init_rtt = in->initial_rtt_timeout > 0 ? in->initial_rtt_timeout : t->init_rtt;
	if (out->max_rtt < out->min_rtt)
		out->max_rtt = out->min_rtt;
	if (out->init_rtt < out->min_rtt)
		out->init_rtt = out->min_rtt;
	if (out->init_rtt > out->max_rtt)
		out->init_rtt = out->max_rtt;
	out->max_retries = in->max_retries >= 0 ? in->max_retries : t->max_retries;
	out->scan_delay = in->scan_delay > 0 ? in->scan_delay : t->scan_delay;
	/* nmap's cap on the delay it adds for rate-limited replies: 1 s at
	 * T0..T3; -T4/-T5 lower it for TCP only, since UDP answers (ICMP
	 * errors) are rate limited by every stack. */
	double dflt = udp && t->max_scan_delay < 1.0 ? 1.0 : t->max_scan_delay;
	out->max_scan_delay = in->max_scan_delay > 0 ? in->max_scan_delay : dflt;
	if (out->max_scan_delay < out->scan_delay)
		out->max_scan_delay = out->scan_delay;
	out->min_rate = in->min_rate;
	out->max_rate = in->max_rate;
	out->min_par = in->min_parallelism;
	out->max_par = in->max_parallelism > 0 ? in->max_parallelism : t->max_par;
	out->host_timeout = in->host_timeout > 0 ? in->host_timeout : t->host_timeout;
	out->min_hostgroup = in->min_hostgroup;
	out->max_hostgroup = in->max_hostgroup;
}
