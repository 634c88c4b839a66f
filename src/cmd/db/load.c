/* SPDX-License-Identifier: Apache-2.0 */
/* A scan read back from the database (see db.h): one query a table, rows
 * ordered by host and seq, walked host by host. The results are held in
 * libpq's memory while the scan is read. */
#include <stdio.h>
#include <stdlib.h>

#include "cmd/db/db.h"

static const char *const load_sql[L_N] = {
	"SELECT host_id, status, reason, reason_ttl, starttime, endtime, timedout, comment, "
	"os_xml, more_xml, trace_xml, times_xml, has_hostnames, json, json_ports FROM hosts WHERE "
	"scan_id = $1 ORDER "
	"BY host_id",
	"SELECT host_id, addr, addrtype, vendor FROM addresses WHERE scan_id = $1 ORDER BY "
	"host_id, seq",
	"SELECT host_id, name, type FROM hostnames WHERE scan_id = $1 ORDER BY host_id, seq",
	"SELECT host_id, state, count, xml FROM extraports WHERE scan_id = $1 ORDER BY host_id, "
	"seq",
	"SELECT host_id, protocol, portid, state, reason, reason_ttl, service, product, version, "
	"extrainfo, method, conf, xml, json FROM ports WHERE scan_id = $1 ORDER BY host_id, seq",
	"SELECT host_id, protocol, portid, script, output, xml FROM scripts WHERE scan_id = $1 "
	"ORDER BY host_id, seq",
	"SELECT host_id, name, accuracy, line FROM os_matches WHERE scan_id = $1 ORDER BY "
	"host_id, seq",
	"SELECT host_id, ttl, ipaddr, rtt, host FROM traces WHERE scan_id = $1 ORDER BY host_id, "
	"seq",
	"SELECT after_host, xml FROM scan_xml WHERE scan_id = $1 ORDER BY after_host, seq",
};

int dbscan_load(struct db *d, const char *id, struct dbscan *s)
{
	*s = (struct dbscan){.d = d};
	char *end;
	long long v = strtoll(id, &end, 10);
	if (!*id || *end || v <= 0) {
		fprintf(stderr, "netkit db: '%s': a scan is known by its id (scans.id)\n", id);
		return 1;
	}
	const char *p[1] = {id};
	s->scan = db_query(
		d,
		"SELECT id, scanner, args, start, version, finished, elapsed, exit, "
		"hosts_up, hosts_down, hosts_total, summary, errormsg FROM scans WHERE id = $1",
		1, p);
	if (!s->scan)
		return 1;
	if (d->pq.ntuples(s->scan) != 1) {
		fprintf(stderr, "netkit db: no scan %s\n", id);
		return 1;
	}
	for (int t = 0; t < L_N; t++)
		if (!(s->t[t] = db_query(d, load_sql[t], 1, p)))
			return 1;
	return 0;
}

void dbscan_free(struct dbscan *s)
{
	if (s->scan)
		s->d->pq.clear(s->scan);
	for (int t = 0; t < L_N; t++)
		if (s->t[t])
			s->d->pq.clear(s->t[t]);
}

const char *dbscan_val(const struct dbscan *s, int t, int row, int col)
{
	if (s->d->pq.getisnull(s->t[t], row, col))
		return NULL;
	return s->d->pq.getvalue(s->t[t], row, col);
}

const char *dbscan_scan(const struct dbscan *s, int col)
{
	if (s->d->pq.getisnull(s->scan, 0, col))
		return NULL;
	return s->d->pq.getvalue(s->scan, 0, col);
}

int dbscan_nhosts(const struct dbscan *s)
{
	return s->d->pq.ntuples(s->t[L_HOSTS]);
}

int dbscan_rows(struct dbscan *s, int t, int host_id, int *first)
{
	int n = s->d->pq.ntuples(s->t[t]);
	while (s->pos[t] < n && atoi(s->d->pq.getvalue(s->t[t], s->pos[t], 0)) < host_id)
		s->pos[t]++; /* rows of no host */
	*first = s->pos[t];
	while (s->pos[t] < n && atoi(s->d->pq.getvalue(s->t[t], s->pos[t], 0)) == host_id)
		s->pos[t]++;
	return s->pos[t] - *first;
}
