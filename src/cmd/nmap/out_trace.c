/* SPDX-License-Identifier: Apache-2.0 */
/* --traceroute's part of a host's report: nmap's TRACEROUTE table
 * (normal output) and its <trace> element (XML). Grepable output has
 * none, as nmap's. */
#include "cmd/nmap/nmap.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "engine/hosttrace.h"
#include "lib/emit/emit.h"

struct trow {
	char hop[16], rtt[32], addr[320];
	bool full; /* rtt spans the row (the "Hops 1-N" line) */
};

static void hop_label(const struct htrace_hop *hp, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	inet_ntop(hp->addr.family, hp->addr.b, a, sizeof(a));
	if (hp->name)
		snprintf(buf, len, "%s (%s)", hp->name, a);
	else
		snprintf(buf, len, "%s", a);
}

/* The rows after the header; returns how many. */
static size_t trace_rows(const struct host_trace *t, struct trow *rows, size_t max)
{
	size_t n = 0;
	int first = 1;
	if (t->same_upto > 0 && n < max) {
		struct trow *r = &rows[n++];
		memset(r, 0, sizeof(*r));
		strcpy(r->hop, "-");
		r->full = true;
		if (t->same_upto == 1)
			snprintf(r->addr, sizeof(r->addr), "Hop 1 is the same as for %s",
				 t->same_as);
		else
			snprintf(r->addr, sizeof(r->addr), "Hops 1-%d are the same as for %s",
				 t->same_upto, t->same_as);
		first = t->same_upto + 1;
	}
	for (int ttl = first; ttl <= t->nhops && n < max; ttl++) {
		const struct htrace_hop *hp = &t->hops[ttl - 1];
		struct trow *r = &rows[n++];
		memset(r, 0, sizeof(*r));
		snprintf(r->hop, sizeof(r->hop), "%d", ttl);
		if (hp->answered) {
			snprintf(r->rtt, sizeof(r->rtt), "%.2f ms", hp->rtt * 1000);
			hop_label(hp, r->addr, sizeof(r->addr));
			continue;
		}
		int last = ttl;
		while (last < t->nhops && !t->hops[last].answered)
			last++;
		if (last == ttl)
			strcpy(r->rtt, "...");
		else
			snprintf(r->rtt, sizeof(r->rtt), "... %d", last);
		ttl = last;
	}
	return n;
}

void nmap_trace_normal(struct emit *e, const struct host *h)
{
	const struct host_trace *t = h->trace;
	if (!t || t->nhops == 0)
		return;
	if (t->direct)
		emit_text(e, "\nTRACEROUTE\n");
	else if (t->proto == IPPROTO_ICMP)
		emit_text(e, "\nTRACEROUTE (using proto 1/icmp)\n");
	else if (t->proto == IPPROTO_ICMPV6)
		emit_text(e, "\nTRACEROUTE (using proto 58/ipv6-icmp)\n");
	else
		emit_text(e, "\nTRACEROUTE (using port %u/%s)\n", t->port,
			  t->proto == IPPROTO_UDP ? "udp" : "tcp");
	struct trow rows[HTRACE_MAXTTL + 1];
	size_t n = trace_rows(t, rows, HTRACE_MAXTTL + 1);
	int w0 = 3, w1 = 3;
	for (size_t i = 0; i < n; i++) {
		if ((int)strlen(rows[i].hop) > w0)
			w0 = (int)strlen(rows[i].hop);
		if (!rows[i].full && (int)strlen(rows[i].rtt) > w1)
			w1 = (int)strlen(rows[i].rtt);
	}
	emit_text(e, "%-*s %-*s %s\n", w0, "HOP", w1, "RTT", "ADDRESS");
	for (size_t i = 0; i < n; i++) {
		if (rows[i].full)
			emit_text(e, "%-*s %s\n", w0, rows[i].hop, rows[i].addr);
		else if (!rows[i].addr[0])
			emit_text(e, "%-*s %s\n", w0, rows[i].hop, rows[i].rtt);
		else
			emit_text(e, "%-*s %-*s %s\n", w0, rows[i].hop, w1, rows[i].rtt,
				  rows[i].addr);
	}
}

void nmap_trace_xml(struct emit *e, const struct host *h)
{
	const struct host_trace *t = h->trace;
	if (!t || t->nhops == 0)
		return;
	emit_obj_open(e, "trace");
	/* nmap 7.93 names no protocol for an ICMPv6 trace */
	if (!t->direct && t->proto != IPPROTO_ICMP && t->proto != IPPROTO_ICMPV6)
		emit_uint(e, "port", NULL, t->port);
	if (!t->direct && t->proto != IPPROTO_ICMPV6)
		emit_str(e, "proto", NULL,
			 t->proto == IPPROTO_ICMP  ? "icmp"
			 : t->proto == IPPROTO_UDP ? "udp"
						   : "tcp");
	for (int ttl = 1; ttl <= t->nhops; ttl++) {
		const struct htrace_hop *hp = &t->hops[ttl - 1];
		char a[INET6_ADDRSTRLEN], rtt[32];
		if (!hp->answered)
			continue;
		inet_ntop(hp->addr.family, hp->addr.b, a, sizeof(a));
		snprintf(rtt, sizeof(rtt), "%.2f", hp->rtt * 1000);
		emit_obj_open(e, "hop");
		emit_int(e, "ttl", NULL, ttl);
		emit_str(e, "ipaddr", NULL, a);
		emit_str(e, "rtt", NULL, rtt);
		if (hp->name)
			emit_str(e, "host", NULL, hp->name);
		emit_obj_close(e);
	}
	emit_obj_close(e);
}
