/* SPDX-License-Identifier: Apache-2.0 */
/* The result store (see store.h): PostgreSQL's schema for scans, and the
 * importer that reads nmap XML (netkit's or nmap's own) and netkit's -oJ
 * NDJSON into it through COPY. A scan is known by its command line and
 * start time (nmaprun's args and start); its rows carry scans.id and go
 * with it when it is replaced. The XML is read a tag at a time (lib/xml);
 * a scan's ports stream to the server while the file is read, the other
 * tables' rows are spooled to temporary files and copied after, in one
 * transaction: memory does not grow with the scan. netkit db import and
 * nmap -oP (a host at a time, as the scan runs) both store through here,
 * so they store the same rows. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/store/store.h"
#include "lib/xml/jsonl.h"
#include "lib/xml/xbuf.h"
#include "lib/xml/xmltok.h"

static const char schema[] =
	"SET client_min_messages = warning;\n"
	"CREATE TABLE IF NOT EXISTS scans (id bigserial PRIMARY KEY, scanner text, args text NOT "
	"NULL, start bigint NOT NULL, version text, finished bigint, elapsed double precision, "
	"exit text, hosts_up integer, hosts_down integer, hosts_total integer, source text, "
	"imported timestamptz NOT NULL DEFAULT now(), UNIQUE (args, start));\n"
	"CREATE TABLE IF NOT EXISTS hosts (scan_id bigint REFERENCES scans ON DELETE CASCADE, "
	"host_id integer, status text, reason text, starttime bigint, endtime bigint, "
	"PRIMARY KEY (scan_id, host_id));\n"
	"CREATE TABLE IF NOT EXISTS addresses (scan_id bigint, host_id integer, addr text, "
	"addrtype text, vendor text);\n"
	"CREATE TABLE IF NOT EXISTS hostnames (scan_id bigint, host_id integer, name text, type "
	"text);\n"
	"CREATE TABLE IF NOT EXISTS extraports (scan_id bigint, host_id integer, state text, "
	"count integer);\n"
	/* a scan's ports are a partition of their own: replacing a scan drops
	 * its partition instead of deleting a million rows one by one */
	"CREATE TABLE IF NOT EXISTS ports (scan_id bigint, host_id integer, protocol text, portid "
	"integer, state text, reason text, reason_ttl integer, service text, product text, "
	"version text, extrainfo text, method text, conf integer) PARTITION BY LIST (scan_id);\n"
	"CREATE TABLE IF NOT EXISTS scripts (scan_id bigint, host_id integer, protocol text, "
	"portid integer, script text, output text);\n"
	"CREATE TABLE IF NOT EXISTS os_matches (scan_id bigint, host_id integer, name text, "
	"accuracy integer);\n"
	"CREATE TABLE IF NOT EXISTS traces (scan_id bigint, host_id integer, ttl integer, ipaddr "
	"text, rtt double precision, host text);\n"
	/* added later: a row's place in its host (the file's order), the
	 * host's reason_ttl, an OS match's line: what export and diff need */
	"ALTER TABLE hosts ADD COLUMN IF NOT EXISTS reason_ttl integer;\n"
	/* numeric keeps the digits the file had ("0.30"), for export */
	"ALTER TABLE scans ALTER COLUMN elapsed TYPE numeric;\n"
	"ALTER TABLE traces ALTER COLUMN rtt TYPE numeric;\n"
	"ALTER TABLE os_matches ADD COLUMN IF NOT EXISTS line integer;\n"
	"ALTER TABLE addresses ADD COLUMN IF NOT EXISTS seq integer;\n"
	"ALTER TABLE hostnames ADD COLUMN IF NOT EXISTS seq integer;\n"
	"ALTER TABLE extraports ADD COLUMN IF NOT EXISTS seq integer;\n"
	"ALTER TABLE ports ADD COLUMN IF NOT EXISTS seq integer;\n"
	"ALTER TABLE scripts ADD COLUMN IF NOT EXISTS seq integer;\n"
	"ALTER TABLE os_matches ADD COLUMN IF NOT EXISTS seq integer;\n"
	"ALTER TABLE traces ADD COLUMN IF NOT EXISTS seq integer;\n"
	/* added later: what has no columns of its own, kept as the file had it
	 * (nmap XML, for export): a host's <os> (with its osclass, CPEs,
	 * portused and fingerprint), uptime, distance and sequences, <trace>
	 * and <times>; a port's state and service when the columns do not hold
	 * them (CPEs, ostype, tunnel, fingerprint, owner); a script's elem and
	 * table structure; extraports' extrareasons; the scan's own elements
	 * (scaninfo, verbose, hosthint, task progress, pre/postscript) */
	"ALTER TABLE scans ADD COLUMN IF NOT EXISTS summary text;\n"
	"ALTER TABLE scans ADD COLUMN IF NOT EXISTS errormsg text;\n"
	"ALTER TABLE hosts ADD COLUMN IF NOT EXISTS timedout text;\n"
	"ALTER TABLE hosts ADD COLUMN IF NOT EXISTS comment text;\n"
	"ALTER TABLE hosts ADD COLUMN IF NOT EXISTS os_xml text;\n"
	"ALTER TABLE hosts ADD COLUMN IF NOT EXISTS more_xml text;\n"
	"ALTER TABLE hosts ADD COLUMN IF NOT EXISTS trace_xml text;\n"
	"ALTER TABLE hosts ADD COLUMN IF NOT EXISTS times_xml text;\n"
	/* false: the host had no <hostnames> (nmap's down hosts) */
	"ALTER TABLE hosts ADD COLUMN IF NOT EXISTS has_hostnames boolean;\n"
	/* a -oJ line kept as it was (JSON text): the host without its ports,
	 * a port when it holds more than the columns (version, scripts) */
	"ALTER TABLE hosts ADD COLUMN IF NOT EXISTS json text;\n"
	"ALTER TABLE ports ADD COLUMN IF NOT EXISTS json text;\n"
	/* where in hosts.json its ports were (bytes; NULL: it had none) */
	"ALTER TABLE hosts ADD COLUMN IF NOT EXISTS json_ports integer;\n"
	"ALTER TABLE ports ADD COLUMN IF NOT EXISTS xml text;\n"
	"ALTER TABLE scripts ADD COLUMN IF NOT EXISTS xml text;\n"
	"ALTER TABLE extraports ADD COLUMN IF NOT EXISTS xml text;\n"
	"CREATE TABLE IF NOT EXISTS scan_xml (scan_id bigint, after_host integer, seq integer, "
	"xml text);\n";

enum { T_HOSTS, T_ADDRS, T_NAMES, T_EXTRA, T_PORTS, T_SCRIPTS, T_OS, T_TRACES, T_SCANX, T_N };
static const char *const copy_sql[T_N] = {
	("COPY hosts (scan_id, host_id, status, reason, reason_ttl, starttime, endtime, timedout, "
	 "comment, os_xml, more_xml, trace_xml, times_xml, has_hostnames, json, json_ports) FROM "
	 "STDIN"),
	"COPY addresses (scan_id, host_id, seq, addr, addrtype, vendor) FROM STDIN",
	"COPY hostnames (scan_id, host_id, seq, name, type) FROM STDIN",
	"COPY extraports (scan_id, host_id, seq, state, count, xml) FROM STDIN",
	/* one string in two pieces: the parentheses tell clang it is meant */
	("COPY ports (scan_id, host_id, seq, protocol, portid, state, reason, reason_ttl, service, "
	 "product, version, extrainfo, method, conf, xml, json) FROM STDIN"),
	"COPY scripts (scan_id, host_id, seq, protocol, portid, script, output, xml) FROM STDIN",
	"COPY os_matches (scan_id, host_id, seq, name, accuracy, line) FROM STDIN",
	"COPY traces (scan_id, host_id, seq, ttl, ipaddr, rtt, host) FROM STDIN",
	"COPY scan_xml (scan_id, after_host, seq, xml) FROM STDIN",
};

int db_open(struct db *d, const char *url)
{
	char msg[512];
	if (pq_load(&d->pq, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "netkit db: %s\n", msg);
		return 1;
	}
	d->conn = d->pq.connectdb(url);
	if (d->pq.status(d->conn) != CONNECTION_OK) {
		fprintf(stderr, "netkit db: %s", d->pq.error_message(d->conn));
		return 1;
	}
	return 0;
}

void db_close(struct db *d)
{
	if (d->conn)
		d->pq.finish(d->conn);
}

int db_exec(struct db *d, const char *sql)
{
	PGresult *r = d->pq.exec(d->conn, sql);
	ExecStatusType st = d->pq.result_status(r);
	int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : 1;
	if (rc)
		fprintf(stderr, "netkit db: %s", d->pq.result_error_message(r));
	d->pq.clear(r);
	return rc;
}

PGresult *db_query(struct db *d, const char *sql, int n, const char *const *params)
{
	PGresult *r = d->pq.exec_params(d->conn, sql, n, NULL, params, NULL, NULL, 0);
	ExecStatusType st = d->pq.result_status(r);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return r;
	fprintf(stderr, "netkit db: %s", d->pq.result_error_message(r));
	d->pq.clear(r);
	return NULL;
}

/* ---- import ---- */

struct imp {
	struct db *d;
	const char *file;
	FILE *t[T_N];
	long long scan_id;
	int host_id, seq; /* seq: a row's place in its host */
	bool in_host, in_port, in_hostscript;
	int hdepth; /* elements open inside <host> */
	char proto[16], portid[8];
	/* the port being read: state, reason, ttl, service attrs */
	char *pv[9];
	/* the host being read: status, reason, reason_ttl, starttime,
	 * endtime, timedout, comment */
	char *hv[7];
	/* an element kept verbatim (see the schema): the capture under way,
	 * its kind (K_*: where it goes) and depth; inner: without its own
	 * tags */
	int cap_kind, cap_depth;
	bool cap_inner;
	struct xbuf cap;
	struct xbuf hx[4]; /* the host's os, more, trace, times */
	struct xbuf px;	   /* the port's state/owner/service, when ... */
	bool px_odd;	   /* ... they hold what the columns do not */
	bool names;	   /* the host has <hostnames> */
	char *sv[2];	   /* a script or extraports read: its attributes */
	bool sv_port;	   /* the script is a port's */
	unsigned long long ports;
	unsigned long up; /* NDJSON: hosts up */
	bool parted;	  /* ports is partitioned by scan (a database from init) */
	bool streaming;	  /* t[T_PORTS] writes into an open COPY */
	bool live;	  /* -oP: a transaction a host, the scan's partition in at once */
	bool copy_failed;
	char *stats[2][5]; /* runstats: finished, hosts */
	long long old[8];  /* the replaced scans: their partitions go at the end */
	int nold;
};

/* One COPY text field: \N for NULL, backslash escapes. */
static void field(FILE *f, const char *v, bool last)
{
	if (!v) {
		fputs("\\N", f);
	} else {
		for (; *v; v++) {
			switch (*v) {
			case '\\': fputs("\\\\", f); break;
			case '\t': fputs("\\t", f); break;
			case '\n': fputs("\\n", f); break;
			case '\r': fputs("\\r", f); break;
			default: putc_unlocked(*v, f);
			}
		}
	}
	putc_unlocked(last ? '\n' : '\t', f);
}

static void row(struct imp *m, int t, int n, const char *const *v)
{
	/* the row's keys, without printf (a million rows a scan) */
	char key[64], *e = key + sizeof(key), *k = e;
	unsigned long long kv[3] = {(unsigned long long)m->scan_id, (unsigned)m->host_id,
				    (unsigned)++m->seq};
	for (int i = t == T_HOSTS ? 1 : 2; i >= 0; i--) {
		*--k = '\t';
		do
			*--k = (char)('0' + kv[i] % 10);
		while (kv[i] /= 10);
	}
	if (t == T_HOSTS)
		m->seq--;
	fwrite_unlocked(k, 1, (size_t)(e - k), m->t[t]);
	for (int i = 0; i < n; i++)
		field(m->t[t], v[i], i == n - 1);
}

static void set(char **slot, const char *v)
{
	free(*slot);
	*slot = v ? strdup(v) : NULL;
}

/* The scans that this one replaces (same command line and start): their
 * rows go, and their ports partitions are dropped once the new one is in. */
static int scan_replace(struct imp *m, const char *const *key)
{
	PGresult *r = db_query(m->d, "SELECT id FROM scans WHERE args = $1 AND start = $2", 2, key);
	if (!r)
		return 1;
	for (int i = 0; i < m->d->pq.ntuples(r) && m->nold < 8; i++)
		m->old[m->nold++] = strtoll(m->d->pq.getvalue(r, i, 0), NULL, 10);
	m->d->pq.clear(r);
	/* hosts hang off scans.id; the other tables carry no foreign key (a
	 * check per row tripled COPY's time) and lose the replaced scan here */
	static const char *const del[] = {"addresses", "hostnames",  "scripts",	 "os_matches",
					  "traces",    "extraports", "scan_xml", "ports"};
	char sql[1024];
	int k = snprintf(sql, sizeof(sql),
			 "WITH s AS (DELETE FROM scans WHERE args = $1 AND "
			 "start = $2 RETURNING id)");
	for (int i = 0; i < 8 - m->parted; i++)
		k += snprintf(sql + k, sizeof(sql) - (size_t)k,
			      ", d%d AS (DELETE FROM %s WHERE scan_id IN (SELECT id FROM s))", i,
			      del[i]);
	snprintf(sql + k, sizeof(sql) - (size_t)k, " SELECT count(*) FROM s");
	if (!(r = db_query(m->d, sql, 2, key)))
		return 1;
	m->d->pq.clear(r);
	return 0;
}

static int scan_begin(struct imp *m, const struct xml_tok *t)
{
	const char *args = xml_attr(t, "args"), *start = xml_attr(t, "start");
	const char *p[5] = {xml_attr(t, "scanner"), args ? args : "", start ? start : "0",
			    xml_attr(t, "version"), m->file};
	if (scan_replace(m, p + 1))
		return 1;
	PGresult *r = db_query(m->d,
			       "INSERT INTO scans (scanner, args, start, version, source) VALUES "
			       "($1, $2, $3, $4, $5) RETURNING id",
			       5, p);
	if (!r)
		return 1;
	m->scan_id = strtoll(m->d->pq.getvalue(r, 0, 0), NULL, 10);
	m->d->pq.clear(r);
	if (!m->parted)
		return 0;
	/* a table of its own, attached when full: COPY FREEZE into a table made
	 * in this transaction, and readers of ports are not locked out */
	char sql[256];
	snprintf(sql, sizeof(sql),
		 "CREATE TABLE ports_%lld (LIKE ports, CHECK (scan_id IS NOT NULL AND scan_id = "
		 "%lld))",
		 m->scan_id, m->scan_id);
	return db_exec(m->d, sql);
}

/* After the copy: the new partition in, the replaced ones out. */
static int scan_attach(struct imp *m)
{
	char sql[256];
	if (!m->parted)
		return 0;
	snprintf(sql, sizeof(sql),
		 "ALTER TABLE ports ATTACH PARTITION ports_%lld FOR VALUES IN (%lld)", m->scan_id,
		 m->scan_id);
	int rc = db_exec(m->d, sql);
	for (int i = 0; !rc && i < m->nold; i++) {
		snprintf(sql, sizeof(sql), "DROP TABLE IF EXISTS ports_%lld", m->old[i]);
		rc = db_exec(m->d, sql);
	}
	return rc;
}

/* Run statistics: v = {time, elapsed, exit, summary, errormsg} or (hosts)
 * {up, down, total}. */
static int scan_end(struct imp *m, const char *const *v, bool hosts)
{
	const char *sql =
		hosts ? "UPDATE scans SET hosts_up = $2, hosts_down = $3, hosts_total "
			"= $4 WHERE id = $1"
		      : "UPDATE scans SET finished = $2, elapsed = $3, exit = $4, summary = "
			"$5, errormsg = $6 WHERE id = $1";
	char id[32];
	snprintf(id, sizeof(id), "%lld", m->scan_id);
	const char *p[6] = {id, v[0], v[1], v[2], v[3], v[4]};
	PGresult *r = db_query(m->d, sql, hosts ? 4 : 6, p);
	if (r)
		m->d->pq.clear(r);
	return r ? 0 : 1;
}

/* <finished> and <hosts>: kept until the ports' COPY is over. */
static void scan_stats(struct imp *m, const struct xml_tok *t, bool hosts)
{
	static const char *const k[2][5] = {{"time", "elapsed", "exit", "summary", "errormsg"},
					    {"up", "down", "total"}};
	for (int i = 0; i < (hosts ? 3 : 5); i++)
		set(&m->stats[hosts][i], xml_attr(t, k[hosts][i]));
	if (!m->stats[hosts][0])
		set(&m->stats[hosts][0], "0");
}

/* ---- what is kept verbatim (see the schema) ---- */

enum { K_NONE, K_SCAN, K_OS, K_MORE, K_TRACE, K_TIMES, K_PORT, K_SCRIPT, K_EXTRA };

static void script_row(struct imp *m, const char *xml)
{
	const char *v[5] = {m->sv_port ? m->proto : NULL, m->sv_port ? m->portid : NULL, m->sv[0],
			    m->sv[1], xml};
	row(m, T_SCRIPTS, 5, v);
}

static void cap_done(struct imp *m)
{
	int k = m->cap_kind;
	const char *x = m->cap.n ? m->cap.p : NULL;
	m->cap_kind = K_NONE;
	if (k == K_SCAN) {
		const char *v[1] = {x ? x : ""};
		row(m, T_SCANX, 1, v);
	} else if (k == K_PORT) {
		xbuf_put(&m->px, m->cap.p, m->cap.n);
	} else if (k == K_SCRIPT) {
		script_row(m, x);
	} else if (k == K_EXTRA) {
		const char *v[3] = {m->sv[0], m->sv[1], x};
		row(m, T_EXTRA, 3, v);
	} else {
		xbuf_put(&m->hx[k - K_OS], m->cap.p, m->cap.n);
	}
}

static void cap_begin(struct imp *m, int kind, bool inner, const struct xml_tok *t)
{
	m->cap_kind = kind;
	m->cap_inner = inner;
	m->cap_depth = 1;
	m->cap.n = 0;
	if (m->cap.p)
		m->cap.p[0] = '\0';
	if (!inner)
		xbuf_tok(&m->cap, t);
	if (t->empty)
		cap_done(m);
}

/* A tag inside the capture (its own end ends it). */
static void cap_tok(struct imp *m, const struct xml_tok *t)
{
	bool end = t->type == XT_END;
	if (!end || m->cap_depth > 1 || !m->cap_inner)
		xbuf_tok(&m->cap, t);
	if (end && --m->cap_depth == 0)
		cap_done(m);
	else if (!end && !t->empty)
		m->cap_depth++;
}

/* strcmp's equal, without the call where the first bytes differ (most
 * of the tests of a million tags). */
static inline bool eq(const char *a, const char *b)
{
	return a[0] == b[0] && !strcmp(a, b);
}

/* n is one of list (NULL-terminated). */
static bool one_of(const char *n, const char *const *list)
{
	while (*list && !eq(*list, n))
		list++;
	return *list != NULL;
}

/* Attributes of t other than those in keep. */
static bool other_attrs(const struct xml_tok *t, const char *const *keep)
{
	for (size_t i = 0; i < t->nattr; i++)
		if (!one_of(t->attr[i][0], keep))
			return true;
	return false;
}

/* A port's state, owner or service: kept verbatim from the first one the
 * columns do not hold (a state the columns do hold before it is written
 * back from them). */
static void port_cap(struct imp *m, const struct xml_tok *t)
{
	static const char *const st[] = {"state", "reason", "reason_ttl", NULL};
	static const char *const sv[] = {"name",   "product", "version", "extrainfo",
					 "method", "conf",    NULL};
	const char *n = t->name;
	bool state = eq(n, "state"), svc = eq(n, "service");
	if (!m->px_odd && (eq(n, "owner") || (state && other_attrs(t, st)) ||
			   (svc && (!t->empty || other_attrs(t, sv))))) {
		m->px_odd = true;
		if (!state && m->pv[0]) {
			struct xml_tok s = {.type = XT_START, .empty = true, .name = "state"};
			for (int i = 0; i < 3; i++)
				if (m->pv[i]) {
					s.attr[s.nattr][0] = st[i];
					s.attr[s.nattr++][1] = m->pv[i];
				}
			xbuf_tok(&m->px, &s);
		}
	}
	if (m->px_odd && (state || svc || eq(n, "owner")))
		cap_begin(m, K_PORT, false, t);
}

/* Begin keeping t if it is kept verbatim; depth: t's inside <host>. */
static void host_cap(struct imp *m, const struct xml_tok *t, int depth)
{
	static const char *const cols[] = {"status", "address",	   "hostnames",
					   "ports",  "hostscript", NULL};
	const char *n = t->name;
	if (depth == 1) {
		if (eq(n, "os"))
			cap_begin(m, K_OS, false, t);
		else if (eq(n, "trace"))
			cap_begin(m, K_TRACE, false, t);
		else if (eq(n, "times"))
			cap_begin(m, K_TIMES, false, t);
		else if (!one_of(n, cols))
			cap_begin(m, K_MORE, false, t);
	} else if (m->in_port && !eq(n, "script")) {
		port_cap(m, t);
	} else if (!t->empty && eq(n, "script") && (m->in_port || m->in_hostscript)) {
		cap_begin(m, K_SCRIPT, true, t);
	} else if (!t->empty && eq(n, "extraports")) {
		cap_begin(m, K_EXTRA, true, t);
	}
}

/* ---- import: one nmap XML document ---- */

static void port_start(struct imp *m, const struct xml_tok *t)
{
	m->in_port = true;
	snprintf(m->proto, sizeof(m->proto), "%s", xml_attr(t, "protocol") ?: "");
	snprintf(m->portid, sizeof(m->portid), "%s", xml_attr(t, "portid") ?: "");
	for (int i = 0; i < 9; i++)
		set(&m->pv[i], NULL);
	m->px.n = 0;
	m->px_odd = false;
}

static void port_end(struct imp *m)
{
	const char *v[13] = {m->proto, m->portid, m->pv[0], m->pv[1],
			     m->pv[2], m->pv[3],  m->pv[4], m->pv[5],
			     m->pv[6], m->pv[7],  m->pv[8], m->px_odd && m->px.n ? m->px.p : NULL};
	row(m, T_PORTS, 13, v);
	m->in_port = false;
	m->ports++;
}

/* Elements inside a <host>: the columns. */
static void host_elem(struct imp *m, const struct xml_tok *t)
{
	const char *n = t->name;
	m->names |= eq(n, "hostnames");
	if (eq(n, "status")) {
		set(&m->hv[0], xml_attr(t, "state"));
		set(&m->hv[1], xml_attr(t, "reason"));
		set(&m->hv[2], xml_attr(t, "reason_ttl"));
	} else if (eq(n, "extraports")) {
		set(&m->sv[0], xml_attr(t, "state"));
		set(&m->sv[1], xml_attr(t, "count"));
		if (t->empty) {
			const char *v[3] = {m->sv[0], m->sv[1], NULL};
			row(m, T_EXTRA, 3, v);
		}
	} else if (eq(n, "address")) {
		const char *v[3] = {xml_attr(t, "addr"), xml_attr(t, "addrtype"),
				    xml_attr(t, "vendor")};
		row(m, T_ADDRS, 3, v);
	} else if (eq(n, "hostname")) {
		const char *v[2] = {xml_attr(t, "name"), xml_attr(t, "type")};
		row(m, T_NAMES, 2, v);
	} else if (eq(n, "port")) {
		port_start(m, t);
	} else if (m->in_port && eq(n, "state")) {
		set(&m->pv[0], xml_attr(t, "state"));
		set(&m->pv[1], xml_attr(t, "reason"));
		set(&m->pv[2], xml_attr(t, "reason_ttl"));
	} else if (m->in_port && eq(n, "service")) {
		static const char *const k[] = {"name",	     "product", "version",
						"extrainfo", "method",	"conf"};
		for (int i = 0; i < 6; i++)
			set(&m->pv[3 + i], xml_attr(t, k[i]));
	} else if (eq(n, "script") && (m->in_port || m->in_hostscript)) {
		m->sv_port = m->in_port;
		set(&m->sv[0], xml_attr(t, "id"));
		set(&m->sv[1], xml_attr(t, "output"));
		if (t->empty)
			script_row(m, NULL);
	} else if (eq(n, "hostscript")) {
		m->in_hostscript = !t->empty;
	} else if (eq(n, "osmatch")) {
		const char *v[3] = {xml_attr(t, "name"), xml_attr(t, "accuracy"),
				    xml_attr(t, "line")};
		row(m, T_OS, 3, v);
	} else if (eq(n, "hop")) {
		const char *v[4] = {xml_attr(t, "ttl"), xml_attr(t, "ipaddr"), xml_attr(t, "rtt"),
				    xml_attr(t, "host")};
		row(m, T_TRACES, 4, v);
	}
}

static int ports_stream(struct imp *m);
static int scan_attach(struct imp *m);

static void host_start(struct imp *m, const struct xml_tok *t)
{
	m->in_host = true;
	m->hdepth = 0;
	m->host_id++;
	m->seq = 0;
	set(&m->hv[3], xml_attr(t, "starttime"));
	set(&m->hv[4], xml_attr(t, "endtime"));
	set(&m->hv[5], xml_attr(t, "timedout"));
	set(&m->hv[6], xml_attr(t, "comment"));
	for (int i = 0; i < 3; i++)
		set(&m->hv[i], NULL);
	for (int i = 0; i < 4; i++)
		m->hx[i].n = 0;
	m->names = false;
}

static int on_start(struct imp *m, const struct xml_tok *t)
{
	const char *n = t->name;
	bool capturing = m->cap_kind != K_NONE;
	if (capturing)
		cap_tok(m, t);
	if (eq(n, "nmaprun"))
		return m->scan_id
			       ? 0
			       : scan_begin(m, t) || (m->live ? scan_attach(m) : ports_stream(m));
	if (!m->scan_id)
		return 0;
	if (m->in_host) {
		if (!capturing)
			host_cap(m, t, m->hdepth + 1);
		m->hdepth += !t->empty;
		host_elem(m, t);
	} else if (eq(n, "host") && !capturing) {
		host_start(m, t);
	} else if (eq(n, "finished") || eq(n, "hosts")) {
		scan_stats(m, t, eq(n, "hosts"));
	} else if (!capturing && !eq(n, "runstats")) {
		cap_begin(m, K_SCAN, false, t);
	}
	if (t->empty && eq(n, "port"))
		port_end(m);
	return 0;
}

static void on_end(struct imp *m, const struct xml_tok *t)
{
	const char *n = t->name;
	if (m->cap_kind != K_NONE)
		cap_tok(m, t);
	if (!m->in_host)
		return;
	if (eq(n, "port") && m->in_port) {
		port_end(m);
	} else if (eq(n, "hostscript")) {
		m->in_hostscript = false;
	} else if (eq(n, "host") && m->hdepth == 0) {
		const char *v[14] = {m->hv[0], m->hv[1], m->hv[2], m->hv[3],
				     m->hv[4], m->hv[5], m->hv[6]};
		for (int i = 0; i < 4; i++)
			v[7 + i] = m->hx[i].n ? m->hx[i].p : NULL;
		v[11] = m->names ? "t" : "f";
		row(m, T_HOSTS, 14, v);
		m->in_host = false;
		return;
	}
	m->hdepth--;
}

/* COPY table k in (the ports into the scan's own partition). */
static bool copy_begin(struct imp *m, int k)
{
	char sql[512];
	if (k == T_PORTS && m->parted)
		snprintf(sql, sizeof(sql), "COPY ports_%lld %s%s", m->scan_id,
			 strchr(copy_sql[k], '('), m->live ? "" : " WITH (FREEZE)");
	else
		snprintf(sql, sizeof(sql), "%s", copy_sql[k]);
	PGresult *r = m->d->pq.exec(m->d->conn, sql);
	bool ok = m->d->pq.result_status(r) == PGRES_COPY_IN;
	if (!ok)
		fprintf(stderr, "netkit db: %s", m->d->pq.result_error_message(r));
	m->d->pq.clear(r);
	return ok;
}

static bool copy_end(struct imp *m, bool ok)
{
	if (m->d->pq.put_copy_end(m->d->conn, ok ? NULL : "netkit db: import failed") != 1)
		ok = false;
	PGresult *r;
	while ((r = m->d->pq.get_result(m->d->conn))) {
		if (ok && m->d->pq.result_status(r) != PGRES_COMMAND_OK) {
			fprintf(stderr, "netkit db: %s: %s", m->file,
				m->d->pq.result_error_message(r));
			ok = false;
		}
		m->d->pq.clear(r);
	}
	return ok;
}

/* The ports go to the server while the file is read (the COPY stays open
 * through the parse: the server stores rows as the client makes them), the
 * few rows of the other tables are spooled and copied after. */
static ssize_t copy_write(void *cookie, const char *buf, size_t n)
{
	struct imp *m = cookie;
	if (m->d->pq.put_copy_data(m->d->conn, buf, (int)n) != 1) {
		m->copy_failed = true;
		return -1;
	}
	return (ssize_t)n;
}

static int ports_stream(struct imp *m)
{
	if (!copy_begin(m, T_PORTS))
		return 1;
	fclose(m->t[T_PORTS]);
	m->t[T_PORTS] = fopencookie(m, "w", (cookie_io_functions_t){.write = copy_write});
	m->streaming = m->t[T_PORTS] != NULL;
	if (!m->streaming || setvbuf(m->t[T_PORTS], NULL, _IOFBF, 256 * 1024))
		return copy_end(m, false), 1;
	return 0;
}

/* End the ports' COPY (rc: the parse's outcome), copy the spooled tables,
 * then the run statistics read along the way. */
static int copy_tables(struct imp *m, int rc)
{
	if (m->streaming) {
		bool ok = fflush(m->t[T_PORTS]) == 0 && !m->copy_failed && !rc;
		fclose(m->t[T_PORTS]);
		m->t[T_PORTS] = NULL;
		m->streaming = false;
		if (!copy_end(m, ok) || rc)
			return 1;
	}
	char buf[65536];
	for (int k = 0; k < T_N && !rc; k++) {
		if (!m->t[k] || ftell(m->t[k]) == 0) /* nothing spooled */
			continue;
		rewind(m->t[k]);
		bool ok = copy_begin(m, k);
		size_t n;
		while (ok && (n = fread(buf, 1, sizeof(buf), m->t[k])) > 0)
			ok = m->d->pq.put_copy_data(m->d->conn, buf, (int)n) == 1;
		if (!copy_end(m, ok))
			return 1;
	}
	for (int k = 0; k < 2 && !rc; k++) {
		if (m->stats[k][0])
			rc = scan_end(m, (const char *const *)m->stats[k], k == 1);
		for (int i = 0; i < 5; i++)
			set(&m->stats[k][i], NULL);
	}
	return rc;
}

static int read_xml(struct imp *m, FILE *f)
{
	struct xml_reader rd = {.f = f};
	struct xml_tok t;
	int rc = 0, e;
	while ((e = xml_next(&rd, &t)) == 0 && t.type != XT_EOF && !rc) {
		if (m->cap_kind != K_NONE && rd.tlen) /* text inside a kept element */
			xbuf_escape(&m->cap, rd.text, rd.tlen, false);
		if (t.type == XT_START)
			rc = on_start(m, &t);
		else
			on_end(m, &t);
		rd.keep_text = m->cap_kind != K_NONE;
	}
	xml_reader_free(&rd);
	if (e < 0) {
		fprintf(stderr, "netkit db: %s: malformed XML\n", m->file);
		return 1;
	}
	if (!rc && !m->scan_id) {
		fprintf(stderr, "netkit db: %s: no <nmaprun>: not nmap XML\n", m->file);
		return 1;
	}
	return rc;
}

/* ---- import: netkit's -oJ NDJSON (one host a line, no scan header) ---- */

/* Seconds as text ("1796642638.289") to whole seconds, as the XML has. */
static const char *whole(const char *v, char *buf, size_t len)
{
	if (!v)
		return NULL;
	snprintf(buf, len, "%.*s", (int)strcspn(v, "."), v);
	return buf;
}

/* A -oJ "scripts" or "hostscripts" array (proto NULL: the host's). */
static void json_scripts(struct imp *m, const struct json *a, const char *proto, const char *port)
{
	for (const struct json *c = a && a->type == JS_ARR ? a->child : NULL; c; c = c->next) {
		const char *v[5] = {proto, port, json_str(c, "id"), json_str(c, "output"), NULL};
		row(m, T_SCRIPTS, 5, v);
	}
}

static void json_ports(struct imp *m, const struct json *h)
{
	const struct json *x = json_get(h, "extraports");
	for (const struct json *e = x && x->type == JS_ARR ? x->child : NULL; e; e = e->next) {
		const char *v[3] = {json_str(e, "state"), json_str(e, "count"), NULL};
		row(m, T_EXTRA, 3, v);
	}
	const struct json *ps = json_get(h, "ports");
	for (const struct json *p = ps && ps->type == JS_ARR ? ps->child : NULL; p; p = p->next) {
		const struct json *v = json_get(p, "version");
		const char *r = json_str(v, "result");
		bool probed = r && (!strcmp(r, "matched") || !strcmp(r, "soft"));
		const char *row_v[13] = {json_str(p, "protocol"),      json_str(p, "portid"),
					 json_str(p, "state"),	       json_str(p, "reason"),
					 json_str(p, "reason_ttl"),    json_str(p, "service"),
					 json_str(v, "product"),       json_str(v, "version"),
					 json_str(v, "extrainfo"),     probed ? "probed" : "table",
					 v ? json_str(v, "conf") : "3"};
		/* the port as it was, when it holds more than the columns */
		static const char *const cols[] = {"protocol",	 "portid",  "state", "reason",
						   "reason_ttl", "service", NULL};
		bool more = false;
		for (const struct json *c = p->child; c && !more; c = c->next)
			more = !one_of(c->key, cols);
		m->px.n = 0;
		if (more)
			xbuf_json(&m->px, p, NULL, NULL);
		row_v[12] = more && !m->px.oom ? m->px.p : NULL;
		row(m, T_PORTS, 13, row_v);
		m->ports++;
		json_scripts(m, json_get(p, "scripts"), row_v[0], row_v[1]);
	}
}

static void json_host(struct imp *m, const struct json *h)
{
	char a[32], b[32];
	m->host_id++;
	m->seq = 0;
	m->px.n = 0; /* the host as it was, but for its ports */
	size_t at;
	char atv[24];
	xbuf_json(&m->px, h, "ports", &at);
	snprintf(atv, sizeof(atv), "%zu", at);
	const char *hv[14] = {json_str(h, "status"), json_str(h, "reason"),
			      json_str(h, "reason_ttl"), whole(json_str(h, "start"), a, sizeof(a)),
			      whole(json_str(h, "end"), b, sizeof(b))};
	hv[12] = m->px.oom ? NULL : m->px.p;
	hv[13] = hv[12] && at != SIZE_MAX ? atv : NULL;
	row(m, T_HOSTS, 14, hv);
	const char *av[3] = {json_str(h, "addr"), json_str(h, "addrtype"), NULL};
	row(m, T_ADDRS, 3, av);
	const char *mac[3] = {json_str(h, "mac"), "mac", NULL};
	if (mac[0])
		row(m, T_ADDRS, 3, mac);
	const char *tn[2] = {json_str(h, "target"), "user"}, *rn[2] = {json_str(h, "rdns"), "PTR"};
	if (tn[0])
		row(m, T_NAMES, 2, tn);
	if (rn[0])
		row(m, T_NAMES, 2, rn);
	json_ports(m, h);
	json_scripts(m, json_get(h, "hostscripts"), NULL, NULL);
	const struct json *os = json_get(json_get(h, "os"), "matches");
	for (const struct json *o = os && os->type == JS_ARR ? os->child : NULL; o; o = o->next) {
		char acc[16];
		const char *a = json_str(o, "accuracy"); /* a fraction: XML has percent */
		snprintf(acc, sizeof(acc), "%.0f", a ? strtod(a, NULL) * 100 : 0.0);
		const char *v[3] = {json_str(o, "name"), acc, NULL};
		row(m, T_OS, 3, v);
	}
}

/* A -oJ file has no scan line: it is known by its path and its first
 * host's start, so importing the same file again replaces it. */
static int read_ndjson(struct imp *m, FILE *f)
{
	struct json_arena ar = {0};
	char *line = NULL, path[4096], key[4200], st[32];
	size_t cap = 0;
	ssize_t n;
	int rc = 0, ln = 0;
	while (!rc && (n = getline(&line, &cap, f)) > 0) {
		ln++;
		struct json *h;
		if (strspn(line, " \t\r\n") == (size_t)n)
			continue;
		if (json_parse(&ar, line, &h) < 0 || h->type != JS_OBJ || !json_str(h, "addr")) {
			fprintf(stderr, "netkit db: %s line %d: not a -oJ host line\n", m->file,
				ln);
			rc = 1;
			break;
		}
		if (!m->scan_id) {
			if (!realpath(m->file, path))
				snprintf(path, sizeof(path), "%s", m->file);
			snprintf(key, sizeof(key), "netkit -oJ %s", path);
			struct xml_tok t = {.name = "nmaprun", .nattr = 3};
			const char *kv[3][2] = {
				{"scanner", "nmap"},
				{"args", key},
				{"start", whole(json_str(h, "start"), st, sizeof(st))}};
			if (!kv[2][1])
				kv[2][1] = "0";
			memcpy(t.attr, kv, sizeof(kv));
			rc = scan_begin(m, &t) || ports_stream(m);
		}
		if (!rc) {
			json_host(m, h);
			const char *stt = json_str(h, "status");
			m->up += stt && !strcmp(stt, "up");
		}
	}
	free(line);
	json_arena_free(&ar);
	if (!rc && m->scan_id) { /* the run statistics the file implies */
		char up[24], down[24], total[24];
		snprintf(up, sizeof(up), "%lu", m->up);
		snprintf(down, sizeof(down), "%lu", (unsigned long)m->host_id - m->up);
		snprintf(total, sizeof(total), "%d", m->host_id);
		struct xml_tok t = {.name = "hosts", .nattr = 3};
		const char *kv[3][2] = {{"up", up}, {"down", down}, {"total", total}};
		memcpy(t.attr, kv, sizeof(kv));
		scan_stats(m, &t, true);
	}
	if (!rc && !m->scan_id) {
		fprintf(stderr, "netkit db: %s: no hosts\n", m->file);
		rc = 1;
	}
	return rc;
}

static void imp_free(struct imp *m);

int db_import_file(struct db *d, const char *file)
{
	struct imp m = {.d = d, .file = file};
	FILE *f = fopen(file, "r");
	if (!f) {
		fprintf(stderr, "netkit db: %s: %s\n", file, strerror(errno));
		return 1;
	}
	int c;
	while ((c = getc(f)) == ' ' || c == '\n' || c == '\t' || c == '\r')
		;
	ungetc(c, f);
	int rc = db_exec(d, "BEGIN");
	PGresult *r = rc ? NULL
			 : db_query(d,
				    "SELECT relkind = 'p' FROM pg_class WHERE oid = "
				    "to_regclass('ports')",
				    0, NULL);
	rc = r ? 0 : 1;
	m.parted = r && d->pq.ntuples(r) == 1 && !strcmp(d->pq.getvalue(r, 0, 0), "t");
	if (r)
		d->pq.clear(r);
	for (int k = 0; k < T_N && !rc; k++)
		if (!(m.t[k] = tmpfile()))
			rc = 1;
	if (!rc)
		rc = c == '{' ? read_ndjson(&m, f) : read_xml(&m, f);
	rc = copy_tables(&m, rc);
	if (!rc)
		rc = scan_attach(&m);
	rc = rc ? (db_exec(d, "ROLLBACK"), 1) : db_exec(d, "COMMIT");
	if (!rc)
		printf("%s: scan %lld, %d hosts, %llu ports\n", file, m.scan_id, m.host_id,
		       m.ports);
	imp_free(&m);
	fclose(f);
	return rc;
}

/* ---- -oP: a scan written as it runs ---- */

struct db_stream {
	struct db d;
	struct imp m;
};

static void imp_free(struct imp *m)
{
	for (int k = 0; k < T_N; k++)
		if (m->t[k])
			fclose(m->t[k]);
	for (int i = 0; i < 9; i++)
		free(m->pv[i]);
	for (int i = 0; i < 7; i++)
		free(m->hv[i]);
	for (int i = 0; i < 10; i++)
		free(m->stats[i / 5][i % 5]);
	for (int i = 0; i < 2; i++)
		free(m->sv[i]);
	for (int i = 0; i < 4; i++)
		xbuf_free(&m->hx[i]);
	xbuf_free(&m->cap);
	xbuf_free(&m->px);
}

struct db_stream *db_stream_open(const char *url)
{
	struct db_stream *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->m.d = &s->d;
	s->m.file = "-oP";
	s->m.live = true;
	int rc = db_open(&s->d, url);
	PGresult *r = rc ? NULL
			 : db_query(&s->d,
				    "SELECT relkind = 'p' FROM pg_class WHERE oid = "
				    "to_regclass('ports')",
				    0, NULL);
	rc = r ? 0 : 1;
	s->m.parted = r && s->d.pq.ntuples(r) == 1 && !strcmp(s->d.pq.getvalue(r, 0, 0), "t");
	if (r)
		s->d.pq.clear(r);
	for (int k = 0; k < T_N && !rc; k++)
		if (!(s->m.t[k] = tmpfile()))
			rc = 1;
	if (rc) {
		db_stream_close(s);
		return NULL;
	}
	return s;
}

int db_stream_feed(struct db_stream *s, const char *xml, size_t len)
{
	struct imp *m = &s->m;
	FILE *f = fmemopen((void *)xml, len, "r");
	if (!f)
		return 1;
	int rc = db_exec(m->d, "BEGIN");
	if (!rc)
		rc = read_xml(m, f);
	rc = copy_tables(m, rc);
	rc = rc ? (db_exec(m->d, "ROLLBACK"), 1) : db_exec(m->d, "COMMIT");
	for (int k = 0; k < T_N; k++) { /* spooled rows are in, or given up */
		fflush(m->t[k]);
		if (ftruncate(fileno(m->t[k]), 0) < 0)
			rc = 1;
		rewind(m->t[k]);
	}
	fclose(f);
	return rc;
}

void db_stream_close(struct db_stream *s)
{
	if (!s)
		return;
	imp_free(&s->m);
	db_close(&s->d);
	free(s);
}

int db_init_schema(struct db *d)
{
	return db_exec(d, schema);
}
