/* SPDX-License-Identifier: Apache-2.0 */
/* A scan read back from the database (see db.h): one query a table, rows
 * ordered by host and seq, walked host by host. Loaded (diff), the results
 * are held in libpq's memory while the scan is read; streamed (export),
 * each table is a cursor read a batch at a time, in one read-only
 * transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static int scan_row(struct db *d, const char *id, struct dbscan *s)
{
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
	return 0;
}

int dbscan_load(struct db *d, const char *id, struct dbscan *s)
{
	*s = (struct dbscan){.d = d};
	if (scan_row(d, id, s))
		return 1;
	const char *p[1] = {id};
	for (int t = 0; t < L_N; t++)
		if (!(s->t[t] = db_query(d, load_sql[t], 1, p)))
			return 1;
	return 0;
}

enum { BATCH = 4096 };

/* The next batch of table t's cursor into s->t[t]; the one before is kept
 * while the window points into it. */
static int fetch(struct dbscan *s, int t)
{
	struct dbwin *w = &s->w[t];
	if (s->t[t]) {
		if (w->nold == w->capold) {
			int cap = w->capold ? w->capold * 2 : 8;
			PGresult **o = realloc(w->old, (size_t)cap * sizeof(*o));
			if (!o)
				abort();
			w->old = o;
			w->capold = cap;
		}
		w->old[w->nold++] = s->t[t];
		s->t[t] = NULL;
	}
	char sql[64];
	snprintf(sql, sizeof(sql), "FETCH %d FROM nk_c%d", BATCH, t);
	s->t[t] = db_query(s->d, sql, 0, NULL);
	s->pos[t] = 0;
	if (!s->t[t])
		return 1;
	w->eof = s->d->pq.ntuples(s->t[t]) == 0;
	return 0;
}

int dbscan_open_stream(struct db *d, const char *id, struct dbscan *s)
{
	*s = (struct dbscan){.d = d, .stream = true};
	if (scan_row(d, id, s) || db_exec(d, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
		return 1;
	s->in_tx = true;
	const char *p[1] = {id};
	if (!(s->t[L_SCANX] = db_query(d, load_sql[L_SCANX], 1, p))) /* a few rows */
		return 1;
	for (int t = 0; t < L_N; t++) {
		if (t == L_SCANX)
			continue;
		/* the id is a number (scan_row checked): it goes in the text */
		char sql[1024];
		const char *q = load_sql[t], *at = strstr(q, "$1");
		snprintf(sql, sizeof(sql), "DECLARE nk_c%d NO SCROLL CURSOR FOR %.*s%s%s", t,
			 (int)(at - q), q, id, at + 2);
		if (db_exec(d, sql) || fetch(s, t))
			return 1;
	}
	return 0;
}

/* Let go of the batches the window pointed into (not the current one). */
static void win_reset(struct dbscan *s, int t)
{
	struct dbwin *w = &s->w[t];
	for (int i = 0; i < w->nold; i++)
		s->d->pq.clear(w->old[i]);
	w->nold = 0;
	w->n = 0;
}

static void win_add(struct dbwin *w, PGresult *r, int i)
{
	if (w->n == w->cap) {
		int cap = w->cap ? w->cap * 2 : 64;
		struct dbrow *rows = realloc(w->rows, (size_t)cap * sizeof(*rows));
		if (!rows)
			abort();
		w->rows = rows;
		w->cap = cap;
	}
	w->rows[w->n++] = (struct dbrow){r, i};
}

/* Table t's rows of host_id into the window (rows of no host skipped). */
static int stream_rows(struct dbscan *s, int t, int host_id)
{
	struct dbwin *w = &s->w[t];
	win_reset(s, t);
	while (!w->eof) {
		if (s->pos[t] >= s->d->pq.ntuples(s->t[t])) {
			if (fetch(s, t))
				break; /* said; the rows so far */
			continue;
		}
		int h = atoi(s->d->pq.getvalue(s->t[t], s->pos[t], 0));
		if (h > host_id)
			break;
		if (h == host_id)
			win_add(w, s->t[t], s->pos[t]);
		s->pos[t]++;
	}
	return w->n;
}

int dbscan_next_host(struct dbscan *s)
{
	if (!s->stream)
		return s->pos[L_HOSTS] < dbscan_nhosts(s) ? s->pos[L_HOSTS]++ : -1;
	struct dbwin *w = &s->w[L_HOSTS];
	win_reset(s, L_HOSTS);
	while (!w->eof && s->pos[L_HOSTS] >= s->d->pq.ntuples(s->t[L_HOSTS]))
		if (fetch(s, L_HOSTS))
			return -1;
	if (w->eof)
		return -1;
	win_add(w, s->t[L_HOSTS], s->pos[L_HOSTS]++);
	return 0;
}

void dbscan_free(struct dbscan *s)
{
	for (int t = 0; s->stream && t < L_N; t++) {
		win_reset(s, t);
		free(s->w[t].old);
		free(s->w[t].rows);
	}
	if (s->in_tx)
		db_exec(s->d, "COMMIT"); /* the cursors go with it */
	if (s->scan)
		s->d->pq.clear(s->scan);
	for (int t = 0; t < L_N; t++)
		if (s->t[t])
			s->d->pq.clear(s->t[t]);
}

const char *dbscan_val(const struct dbscan *s, int t, int row, int col)
{
	if (s->stream && t != L_SCANX) {
		const struct dbrow *w = &s->w[t].rows[row];
		return s->d->pq.getisnull(w->r, w->i, col) ? NULL
							   : s->d->pq.getvalue(w->r, w->i, col);
	}
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
	if (s->stream) {
		*first = 0;
		return stream_rows(s, t, host_id);
	}
	int n = s->d->pq.ntuples(s->t[t]);
	while (s->pos[t] < n && atoi(s->d->pq.getvalue(s->t[t], s->pos[t], 0)) < host_id)
		s->pos[t]++; /* rows of no host */
	*first = s->pos[t];
	while (s->pos[t] < n && atoi(s->d->pq.getvalue(s->t[t], s->pos[t], 0)) == host_id)
		s->pos[t]++;
	return s->pos[t] - *first;
}
