/* SPDX-License-Identifier: Apache-2.0 */
/* netkit db export URL SCAN [-oX FILE] [-oJ FILE]: a scan from the
 * database back to nmap XML (valid against nmap.dtd) and/or netkit's -oJ
 * NDJSON ("-" is standard output; -oX - when neither is given). What the
 * database holds comes back: the scan's command line, start, version and
 * run statistics; each host's status, addresses, hostnames, extraports,
 * ports (state, reason, service, product, version, extrainfo, method,
 * conf), port and host scripts (id and output), OS matches and trace hops,
 * in the file's order; and what an XML import kept verbatim (scaninfo,
 * hosthints, task progress, script tables, CPEs, service fingerprints,
 * osclass, uptime, sequences, times: see the schema) where nmap puts it.
 * What the database does not hold is not made up. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/db/db.h"
#include "lib/emit/emit.h"
#include "lib/xml/xbuf.h"

/* ` name="value"`, or nothing for NULL. The value is escaped so that a
 * reader gets it back: UTF-8 as it is, whitespace as references (the
 * scanner's emit_xml_escape writes bytes as nmap does, \xNN beyond
 * ASCII). */
static void attr(struct emit *e, const char *name, const char *v)
{
	if (!v)
		return;
	emit_rawf(e, " %s=\"", name);
	struct xbuf b = {0};
	xbuf_escape(&b, v, strlen(v), true);
	for (size_t i = 0; i < b.n; i++) { /* no control bytes in XML 1.0 */
		unsigned char c = (unsigned char)b.p[i];
		if (c < 0x20)
			emit_rawf(e, "\\x%02X", c);
		else
			emit_raw(e, b.p + i, 1);
	}
	xbuf_free(&b);
	emit_raw(e, "\"", 1);
}

/* Kept XML as it was stored (NULL: nothing). */
static void verbatim(struct emit *e, const char *x)
{
	if (x)
		emit_raw(e, x, strlen(x));
}

static void timestr(const char *secs, char *buf, size_t len)
{
	time_t t = (time_t)strtoll(secs ? secs : "0", NULL, 10);
	struct tm tm;
	buf[0] = '\0';
	if (localtime_r(&t, &tm))
		strftime(buf, len, "%a %b %e %H:%M:%S %Y", &tm); /* ctime's, as nmap */
}

static void xml_scripts(struct emit *e, struct dbscan *s, int f, int n, const char *proto,
			const char *portid)
{
	for (int i = 0; i < n; i++) {
		const char *pr = dbscan_val(s, L_SCRIPTS, f + i, C_PROTO);
		const char *po = dbscan_val(s, L_SCRIPTS, f + i, C_PORTID);
		if (proto ? !pr || strcmp(pr, proto) || strcmp(po ?: "", portid) : pr != NULL)
			continue;
		emit_raw(e, "<script", 7);
		attr(e, "id", dbscan_val(s, L_SCRIPTS, f + i, C_ID) ?: "");
		attr(e, "output", dbscan_val(s, L_SCRIPTS, f + i, C_OUTPUT) ?: "");
		const char *x = dbscan_val(s, L_SCRIPTS, f + i, C_XML);
		if (x) {
			emit_raw(e, ">", 1);
			verbatim(e, x);
			emit_raw(e, "</script>", 9);
		} else {
			emit_raw(e, "/>", 2);
		}
	}
}

static void xml_port(struct emit *e, struct dbscan *s, int r, int fs, int ns)
{
	const char *proto = dbscan_val(s, L_PORTS, r, P_PROTO) ?: "tcp";
	const char *portid = dbscan_val(s, L_PORTS, r, P_PORTID) ?: "0";
	emit_raw(e, "<port", 5);
	attr(e, "protocol", proto);
	attr(e, "portid", portid);
	emit_raw(e, ">", 1);
	const char *x = dbscan_val(s, L_PORTS, r, P_XML);
	if (x) {
		verbatim(e, x);
		xml_scripts(e, s, fs, ns, proto, portid);
		emit_raw(e, "</port>\n", 8);
		return;
	}
	emit_raw(e, "<state", 6);
	attr(e, "state", dbscan_val(s, L_PORTS, r, P_STATE) ?: "unknown");
	attr(e, "reason", dbscan_val(s, L_PORTS, r, P_REASON) ?: "");
	attr(e, "reason_ttl", dbscan_val(s, L_PORTS, r, P_TTL) ?: "0");
	emit_raw(e, "/>", 2);
	const char *svc = dbscan_val(s, L_PORTS, r, P_SERVICE);
	if (svc) {
		emit_raw(e, "<service", 8);
		attr(e, "name", svc);
		attr(e, "product", dbscan_val(s, L_PORTS, r, P_PRODUCT));
		attr(e, "version", dbscan_val(s, L_PORTS, r, P_VERSION));
		attr(e, "extrainfo", dbscan_val(s, L_PORTS, r, P_EXTRA));
		attr(e, "method", dbscan_val(s, L_PORTS, r, P_METHOD));
		attr(e, "conf", dbscan_val(s, L_PORTS, r, P_CONF) ?: "3");
		emit_raw(e, "/>", 2);
	}
	xml_scripts(e, s, fs, ns, proto, portid);
	emit_raw(e, "</port>\n", 8);
}

static void xml_ports(struct emit *e, struct dbscan *s, int id, int fs, int ns)
{
	int f, n = dbscan_rows(s, L_EXTRA, id, &f), fp, np = dbscan_rows(s, L_PORTS, id, &fp);
	if (!n && !np)
		return;
	emit_raw(e, "<ports>", 7);
	for (int i = 0; i < n; i++) {
		emit_raw(e, "<extraports", 11);
		attr(e, "state", dbscan_val(s, L_EXTRA, f + i, E_STATE) ?: "closed");
		attr(e, "count", dbscan_val(s, L_EXTRA, f + i, E_COUNT) ?: "0");
		emit_raw(e, ">", 1);
		verbatim(e, dbscan_val(s, L_EXTRA, f + i, E_XML) ?: "\n");
		emit_raw(e, "</extraports>\n", 14);
	}
	for (int i = 0; i < np; i++)
		xml_port(e, s, fp + i, fs, ns);
	emit_raw(e, "</ports>\n", 9);
}

static void xml_names(struct emit *e, struct dbscan *s, int r, int id)
{
	int f, n = dbscan_rows(s, L_ADDRS, id, &f);
	for (int i = 0; i < n; i++) {
		emit_raw(e, "<address", 8);
		attr(e, "addr", dbscan_val(s, L_ADDRS, f + i, A_ADDR) ?: "");
		attr(e, "addrtype", dbscan_val(s, L_ADDRS, f + i, A_TYPE));
		attr(e, "vendor", dbscan_val(s, L_ADDRS, f + i, A_VENDOR));
		emit_raw(e, "/>\n", 3);
	}
	n = dbscan_rows(s, L_NAMES, id, &f);
	const char *has = dbscan_val(s, L_HOSTS, r, H_NAMES);
	if (has && !strcmp(has, "f") && !n)
		return;
	emit_raw(e, "<hostnames>\n", 12);
	for (int i = 0; i < n; i++) {
		emit_raw(e, "<hostname", 9);
		attr(e, "name", dbscan_val(s, L_NAMES, f + i, N_NAME) ?: "");
		attr(e, "type", dbscan_val(s, L_NAMES, f + i, N_TYPE));
		emit_raw(e, "/>\n", 3);
	}
	emit_raw(e, "</hostnames>\n", 13);
}

static void xml_os(struct emit *e, struct dbscan *s, int r, int id)
{
	int f, n = dbscan_rows(s, L_OS, id, &f);
	const char *x = dbscan_val(s, L_HOSTS, r, H_XOS);
	if (x) {
		verbatim(e, x);
		emit_raw(e, "\n", 1);
	} else if (n) {
		emit_raw(e, "<os>", 4);
		for (int i = 0; i < n; i++) {
			emit_raw(e, "<osmatch", 8);
			attr(e, "name", dbscan_val(s, L_OS, f + i, O_NAME) ?: "");
			attr(e, "accuracy", dbscan_val(s, L_OS, f + i, O_ACC) ?: "0");
			attr(e, "line", dbscan_val(s, L_OS, f + i, O_LINE) ?: "0");
			emit_raw(e, ">\n</osmatch>\n", 13);
		}
		emit_raw(e, "</os>\n", 6);
	}
}

static void xml_trace(struct emit *e, struct dbscan *s, int r, int id)
{
	int f, n = dbscan_rows(s, L_TRACES, id, &f);
	const char *x = dbscan_val(s, L_HOSTS, r, H_XTRACE);
	if (x) {
		verbatim(e, x);
		emit_raw(e, "\n", 1);
	} else if (n) {
		emit_raw(e, "<trace>\n", 8);
		for (int i = 0; i < n; i++) {
			emit_raw(e, "<hop", 4);
			attr(e, "ttl", dbscan_val(s, L_TRACES, f + i, R_TTL) ?: "0");
			attr(e, "ipaddr", dbscan_val(s, L_TRACES, f + i, R_IP));
			attr(e, "rtt", dbscan_val(s, L_TRACES, f + i, R_RTT));
			attr(e, "host", dbscan_val(s, L_TRACES, f + i, R_HOST));
			emit_raw(e, "/>\n", 3);
		}
		emit_raw(e, "</trace>\n", 9);
	}
}

static void xml_host(struct emit *e, struct dbscan *s, int r)
{
	int id = atoi(dbscan_val(s, L_HOSTS, r, 0));
	emit_raw(e, "<host", 5);
	attr(e, "starttime", dbscan_val(s, L_HOSTS, r, H_START));
	attr(e, "endtime", dbscan_val(s, L_HOSTS, r, H_END));
	attr(e, "timedout", dbscan_val(s, L_HOSTS, r, H_TIMEDOUT));
	attr(e, "comment", dbscan_val(s, L_HOSTS, r, H_COMMENT));
	emit_raw(e, "><status", 8);
	attr(e, "state", dbscan_val(s, L_HOSTS, r, H_STATUS) ?: "unknown");
	attr(e, "reason", dbscan_val(s, L_HOSTS, r, H_REASON) ?: "");
	attr(e, "reason_ttl", dbscan_val(s, L_HOSTS, r, H_TTL) ?: "0");
	emit_raw(e, "/>\n", 3);
	xml_names(e, s, r, id);
	int fs, ns = dbscan_rows(s, L_SCRIPTS, id, &fs);
	xml_ports(e, s, id, fs, ns);
	bool hs = false;
	for (int i = 0; i < ns; i++)
		hs |= !dbscan_val(s, L_SCRIPTS, fs + i, C_PROTO);
	/* nmap's order: os, uptime .. tcptssequence, hostscript, trace, times */
	xml_os(e, s, r, id);
	verbatim(e, dbscan_val(s, L_HOSTS, r, H_XMORE));
	if (hs) {
		emit_raw(e, "<hostscript>", 12);
		xml_scripts(e, s, fs, ns, NULL, NULL);
		emit_raw(e, "</hostscript>\n", 14);
	}
	xml_trace(e, s, r, id);
	verbatim(e, dbscan_val(s, L_HOSTS, r, H_XTIMES));
	emit_raw(e, "</host>\n", 8);
}

static void xml_scan(struct emit *e, struct dbscan *s)
{
	char when[64];
	timestr(dbscan_scan(s, S_START), when, sizeof(when));
	emit_rawf(e,
		  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE nmaprun>\n"
		  "<!-- exported by netkit db from scan %s -->\n<nmaprun",
		  dbscan_scan(s, S_ID));
	attr(e, "scanner", dbscan_scan(s, S_SCANNER) ?: "nmap");
	attr(e, "args", dbscan_scan(s, S_ARGS));
	attr(e, "start", dbscan_scan(s, S_START));
	attr(e, "startstr", when);
	attr(e, "version", dbscan_scan(s, S_VERSION) ?: "");
	emit_rawf(e, " xmloutputversion=\"1.05\">\n");
	/* the scan's own elements, kept verbatim, each after the hosts it
	 * followed (none: a scan from -oJ, or imported before they were kept) */
	int nx = s->d->pq.ntuples(s->t[L_SCANX]), *x = &s->pos[L_SCANX];
	if (!nx)
		emit_rawf(e, "<verbose level=\"0\"/>\n<debugging level=\"0\"/>\n");
	for (;;) {
		int r = dbscan_next_host(s);
		int id = r >= 0 ? atoi(dbscan_val(s, L_HOSTS, r, 0)) : INT_MAX;
		for (; *x < nx && atoi(dbscan_val(s, L_SCANX, *x, 0)) < id; ++*x) {
			verbatim(e, dbscan_val(s, L_SCANX, *x, X_XML));
			emit_raw(e, "\n", 1);
		}
		if (r < 0)
			break;
		xml_host(e, s, r);
	}
	const char *fin = dbscan_scan(s, S_FINISHED) ?: dbscan_scan(s, S_START);
	timestr(fin, when, sizeof(when));
	emit_raw(e, "<runstats><finished", 19);
	attr(e, "time", fin ?: "0");
	attr(e, "timestr", when);
	attr(e, "summary", dbscan_scan(s, S_SUMMARY));
	attr(e, "elapsed", dbscan_scan(s, S_ELAPSED) ?: "0");
	attr(e, "exit", dbscan_scan(s, S_EXIT));
	attr(e, "errormsg", dbscan_scan(s, S_ERRMSG));
	emit_raw(e, "/><hosts", 8);
	attr(e, "up", dbscan_scan(s, S_UP) ?: "0");
	attr(e, "down", dbscan_scan(s, S_DOWN) ?: "0");
	attr(e, "total", dbscan_scan(s, S_TOTAL) ?: "0");
	emit_raw(e, "/>\n</runstats>\n</nmaprun>\n", 26);
}

/* ---- -oJ: netkit's NDJSON, one host a line ---- */

static void json_num(struct emit *e, const char *key, const char *v)
{
	if (v)
		emit_json_raw(e, key, v, strlen(v));
}

static void json_scripts(struct emit *e, struct dbscan *s, int f, int n, const char *proto,
			 const char *portid)
{
	bool any = false;
	for (int i = 0; i < n; i++) {
		const char *pr = dbscan_val(s, L_SCRIPTS, f + i, C_PROTO);
		const char *po = dbscan_val(s, L_SCRIPTS, f + i, C_PORTID);
		if (proto ? !pr || strcmp(pr, proto) || strcmp(po ?: "", portid) : pr != NULL)
			continue;
		if (!any)
			emit_arr_open(e, proto ? "scripts" : "hostscripts");
		any = true;
		emit_obj_open(e, NULL);
		emit_str(e, "id", NULL, dbscan_val(s, L_SCRIPTS, f + i, C_ID) ?: "");
		emit_str(e, "output", NULL, dbscan_val(s, L_SCRIPTS, f + i, C_OUTPUT) ?: "");
		emit_obj_close(e);
	}
	if (any)
		emit_arr_close(e);
}

static void json_port(struct emit *e, struct dbscan *s, int r, int fs, int ns)
{
	const char *proto = dbscan_val(s, L_PORTS, r, P_PROTO) ?: "tcp";
	const char *portid = dbscan_val(s, L_PORTS, r, P_PORTID) ?: "0";
	emit_obj_open(e, NULL);
	emit_str(e, "protocol", NULL, proto);
	json_num(e, "portid", portid);
	emit_str(e, "state", NULL, dbscan_val(s, L_PORTS, r, P_STATE) ?: "unknown");
	emit_str(e, "reason", NULL, dbscan_val(s, L_PORTS, r, P_REASON) ?: "");
	json_num(e, "reason_ttl", dbscan_val(s, L_PORTS, r, P_TTL) ?: "0");
	const char *svc = dbscan_val(s, L_PORTS, r, P_SERVICE);
	if (svc)
		emit_str(e, "service", NULL, svc);
	const char *m = dbscan_val(s, L_PORTS, r, P_METHOD);
	if (m && !strcmp(m, "probed")) {
		emit_obj_open(e, "version");
		emit_str(e, "result", NULL, "matched");
		static const int col[] = {P_PRODUCT, P_VERSION, P_EXTRA};
		static const char *const key[] = {"product", "version", "extrainfo"};
		for (int i = 0; i < 3; i++)
			if (dbscan_val(s, L_PORTS, r, col[i]))
				emit_str(e, key[i], NULL, dbscan_val(s, L_PORTS, r, col[i]));
		json_num(e, "conf", dbscan_val(s, L_PORTS, r, P_CONF));
		emit_obj_close(e);
	}
	json_scripts(e, s, fs, ns, proto, portid);
	emit_obj_close(e);
}

static void json_ports(struct emit *e, struct dbscan *s, int id, int fs, int ns)
{
	int f, n = dbscan_rows(s, L_EXTRA, id, &f), fp, np = dbscan_rows(s, L_PORTS, id, &fp);
	emit_arr_open(e, "extraports");
	for (int i = 0; i < n; i++) {
		emit_obj_open(e, NULL);
		emit_str(e, "state", NULL, dbscan_val(s, L_EXTRA, f + i, E_STATE) ?: "closed");
		json_num(e, "count", dbscan_val(s, L_EXTRA, f + i, E_COUNT) ?: "0");
		emit_obj_close(e);
	}
	emit_arr_close(e);
	emit_arr_open(e, "ports");
	for (int i = 0; i < np; i++)
		json_port(e, s, fp + i, fs, ns);
	emit_arr_close(e);
}

static void json_addrs(struct emit *e, struct dbscan *s, int id)
{
	int f, n = dbscan_rows(s, L_ADDRS, id, &f);
	const char *mac = NULL;
	bool ip = false;
	for (int i = 0; i < n; i++) {
		const char *t = dbscan_val(s, L_ADDRS, f + i, A_TYPE) ?: "ipv4";
		if (!strcmp(t, "mac")) {
			mac = mac ?: dbscan_val(s, L_ADDRS, f + i, A_ADDR);
		} else if (!ip) {
			ip = true;
			emit_str(e, "addr", NULL, dbscan_val(s, L_ADDRS, f + i, A_ADDR) ?: "");
			emit_str(e, "addrtype", NULL, t);
		}
	}
	if (!ip)
		emit_str(e, "addr", NULL, "");
	n = dbscan_rows(s, L_NAMES, id, &f);
	for (int i = 0; i < n; i++) {
		const char *t = dbscan_val(s, L_NAMES, f + i, N_TYPE) ?: "";
		emit_str(e, !strcmp(t, "user") ? "target" : "rdns", NULL,
			 dbscan_val(s, L_NAMES, f + i, N_NAME) ?: "");
	}
	if (mac)
		emit_str(e, "mac", NULL, mac);
}

/* A port of a -oJ import as JSON text: as it was, or from the columns. */
static void raw_port(struct xbuf *b, struct dbscan *s, int r)
{
	const char *js = dbscan_val(s, L_PORTS, r, P_JSON);
	if (js) {
		xbuf_put(b, js, strlen(js));
		return;
	}
	static const char *const key[] = {"protocol", "portid",	    "state",
					  "reason",   "reason_ttl", "service"};
	static const int col[] = {P_PROTO, P_PORTID, P_STATE, P_REASON, P_TTL, P_SERVICE};
	xbuf_put(b, "{", 1);
	for (int i = 0, n = 0; i < 6; i++) {
		const char *v = dbscan_val(s, L_PORTS, r, col[i]);
		if (!v)
			continue;
		if (n++)
			xbuf_put(b, ",", 1);
		xbuf_put(b, "\"", 1);
		xbuf_put(b, key[i], strlen(key[i]));
		xbuf_put(b, "\":", 2);
		if (col[i] == P_PORTID || col[i] == P_TTL)
			xbuf_put(b, v, strlen(v));
		else
			xbuf_json_str(b, v);
	}
	xbuf_put(b, "}", 1);
}

/* A host imported from -oJ: its line as it was, the ports put back where
 * they were. */
static void raw_host(struct emit *e, struct dbscan *s, int r, const char *js)
{
	int id = atoi(dbscan_val(s, L_HOSTS, r, 0)), f, n = dbscan_rows(s, L_PORTS, id, &f);
	const char *atv = dbscan_val(s, L_HOSTS, r, H_JSONAT);
	size_t len = strlen(js), at = atv ? strtoul(atv, NULL, 10) : 0;
	if (!atv || at < 1 || at >= len) {
		emit_raw(e, js, len);
		emit_raw(e, "\n", 1);
		return;
	}
	struct xbuf b = {0};
	xbuf_put(&b, js, at);
	xbuf_put(&b, at > 1 ? ",\"ports\":[" : "\"ports\":[", at > 1 ? 10 : 9);
	for (int i = 0; i < n; i++) {
		if (i)
			xbuf_put(&b, ",", 1);
		raw_port(&b, s, f + i);
	}
	xbuf_put(&b, at == 1 && js[1] != '}' ? "]," : "]", at == 1 && js[1] != '}' ? 2 : 1);
	xbuf_put(&b, js + at, len - at);
	xbuf_put(&b, "\n", 1);
	if (b.oom)
		abort();
	emit_raw(e, b.p, b.n);
	xbuf_free(&b);
}

static void json_host(struct emit *e, struct dbscan *s, int r)
{
	const char *js = dbscan_val(s, L_HOSTS, r, H_JSON);
	if (js) {
		raw_host(e, s, r, js);
		return;
	}
	int id = atoi(dbscan_val(s, L_HOSTS, r, 0));
	const char *st = dbscan_val(s, L_HOSTS, r, H_STATUS) ?: "unknown";
	emit_obj_open(e, NULL);
	json_addrs(e, s, id);
	emit_str(e, "status", NULL, st);
	emit_str(e, "reason", NULL, dbscan_val(s, L_HOSTS, r, H_REASON) ?: "");
	json_num(e, "reason_ttl", dbscan_val(s, L_HOSTS, r, H_TTL) ?: "0");
	json_num(e, "start", dbscan_val(s, L_HOSTS, r, H_START));
	json_num(e, "end", dbscan_val(s, L_HOSTS, r, H_END));
	int fs, ns = dbscan_rows(s, L_SCRIPTS, id, &fs);
	if (!strcmp(st, "up"))
		json_ports(e, s, id, fs, ns);
	json_scripts(e, s, fs, ns, NULL, NULL);
	int f, n = dbscan_rows(s, L_OS, id, &f);
	if (n) {
		emit_obj_open(e, "os");
		emit_arr_open(e, "matches");
		for (int i = 0; i < n; i++) {
			emit_obj_open(e, NULL);
			emit_str(e, "name", NULL, dbscan_val(s, L_OS, f + i, O_NAME) ?: "");
			double acc = atof(dbscan_val(s, L_OS, f + i, O_ACC) ?: "0") / 100;
			emit_double(e, "accuracy", NULL, "%.3f", acc);
			emit_obj_close(e);
		}
		emit_arr_close(e);
		emit_obj_close(e);
	}
	emit_obj_close(e);
	emit_record_end(e);
}

static int out_open(const char *path)
{
	if (!strcmp(path, "-"))
		return STDOUT_FILENO;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		perror(path);
	return fd;
}

/* Write scan id to path as XML or NDJSON, streamed from the database
 * (memory holds a host, not the scan); 0 or 1. */
static int export_one(struct db *d, const char *id, const char *path, bool json)
{
	struct dbscan ss, *s = &ss;
	if (dbscan_open_stream(d, id, s)) {
		dbscan_free(s);
		return 1;
	}
	int fd = out_open(path);
	if (fd < 0) {
		dbscan_free(s);
		return 1;
	}
	struct emit *e = malloc(sizeof(*e));
	if (!e)
		abort();
	emit_init(e, fd, json ? EMIT_JSON : EMIT_TEXT, 0);
	if (json)
		for (int r; (r = dbscan_next_host(s)) >= 0;)
			json_host(e, s, r);
	else
		xml_scan(e, s);
	int rc = emit_finish(e) < 0 ? 1 : 0;
	free(e);
	dbscan_free(s);
	if (fd != STDOUT_FILENO && close(fd) < 0)
		rc = 1;
	if (rc)
		fprintf(stderr, "netkit db export: %s: write failed\n", path);
	return rc;
}

int db_export_main(struct db *d, int argc, char **argv)
{
	/* argv: export URL SCAN [-oX FILE] [-oJ FILE] */
	const char *xml = NULL, *js = NULL;
	int i = 3;
	for (; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "-oX"))
			xml = argv[i + 1];
		else if (!strcmp(argv[i], "-oJ"))
			js = argv[i + 1];
		else
			break;
	}
	if (argc < 3 || i != argc) {
		fprintf(stderr, "Usage: netkit db export URL SCAN [-oX FILE] [-oJ FILE]\n");
		return 255;
	}
	if (!xml && !js)
		xml = "-";
	int rc = 0;
	if (xml)
		rc = export_one(d, argv[2], xml, false);
	if (!rc && js)
		rc = export_one(d, argv[2], js, true);
	return rc;
}
