/* SPDX-License-Identifier: Apache-2.0 */
/* -O's part of a host's report: nmap's OS lines (normal output) and its
 * <os>, <uptime>, <distance>, <tcpsequence>, <ipidsequence> and
 * <tcptssequence> elements (XML). Matches come from netkit's own
 * knowledge (data/os/os-db); a stack it has not seen gets nmap's no-match
 * words, the fingerprint, and with -v the nearest known stack and what
 * differs from it. */
#include "cmd/nmap/nmap.h"

#include <stdio.h>
#include <string.h>

#include "engine/os/match.h"
#include <string.h>
#include <time.h>

#include "engine/hostos.h"
#include "lib/emit/emit.h"

static double wall_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static bool has_uptime(const struct host_os *os)
{
	return os->fp.ts == TS_NUM && os->fp.ts_hz > 0 && os->fp.uptime >= 0;
}

/* nmap wraps an ideal fingerprint in OS: lines (for submission) and shows
 * a non-ideal one a test a line */
static void fingerprint(struct emit *e, const struct host_os *os)
{
	char out[9600];
	if (os->ideal) {
		os_fp_wrap(os->fingerprint, out, sizeof(out));
	} else {
		size_t o = 0;
		for (const char *p = os->fingerprint; *p && o + 2 < sizeof(out); p++) {
			out[o++] = *p;
			if (*p == ')')
				out[o++] = '\n';
		}
		out[o] = '\0';
	}
	emit_text(e, "TCP/IP fingerprint:\n%s\n", out);
}

/* One class line's fields: vendor, family, generation, device type. */
static int class_fields(const char *cls, char f[4][64])
{
	int n = 0;
	const char *p = cls;
	while (n < 4) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		while (len && p[len - 1] == ' ')
			len--;
		while (len && *p == ' ')
			p++, len--;
		snprintf(f[n++], 64, "%.*s", (int)len, p);
		if (!bar)
			break;
		p = bar + 1;
	}
	for (int i = n; i < 4; i++)
		f[i][0] = '\0';
	return n;
}

/* "a|b" lists of the exact matches' device types, "Linux 6.X" runs, CPEs */
static void add_unique(char *buf, size_t len, const char *sep, const char *item)
{
	if (!*item)
		return;
	size_t il = strlen(item);
	for (const char *p = strstr(buf, item); p; p = strstr(p + 1, item))
		if ((p == buf || !strncmp(p - strlen(sep), sep, strlen(sep))) &&
		    (p[il] == '\0' || !strncmp(p + il, sep, strlen(sep))))
			return;
	size_t o = strlen(buf);
	snprintf(buf + o, len - o, "%s%s", o ? sep : "", item);
}

static void exact_lines(struct emit *e, const struct host_os *os)
{
	char types[256] = "", running[512] = "", cpes[512] = "", details[1024] = "";
	for (int i = 0; i < os->nexact; i++) {
		const struct host_os_guess *g = &os->g[i];
		for (int k = 0; k < g->nclass; k++) {
			char f[4][64], run[200];
			class_fields(g->cls[k], f);
			add_unique(types, sizeof(types), "|", f[3]);
			if (strcmp(f[0], f[1]))
				snprintf(run, sizeof(run), "%s %s%s%s", f[0], f[1],
					 *f[2] ? " " : "", f[2]);
			else
				snprintf(run, sizeof(run), "%s%s%s", f[0], *f[2] ? " " : "", f[2]);
			add_unique(running, sizeof(running), ", ", run);
		}
		for (int k = 0; k < g->ncpe; k++)
			add_unique(cpes, sizeof(cpes), " ", g->cpe[k]);
		add_unique(details, sizeof(details), ", ", g->name);
	}
	emit_text(e, "Device type: %s\nRunning: %s\n", types, running);
	if (*cpes)
		emit_text(e, "OS CPE: %s\n", cpes);
	if (os->nexact_all > 8) /* nmap's limit; the classes above all agree */
		emit_text(e, "Too many fingerprints match this host to give specific OS details\n");
	else
		emit_text(e, "OS details: %s\n", details);
}

/* The guesses shown: the exact matches, or (the family known, not exact)
 * the entries of that family near enough; none for an unknown stack. */
static int guesses(const struct host_os *os)
{
	if (os->verdict == OS_EXACT)
		return os->nexact;
	int n = 0;
	while (os->verdict == OS_FAMILY && n < os->nguess && os->g[n].acc >= OS_MIN_ACC &&
	       !strcmp(os->g[n].family, os->family))
		n++;
	return n;
}

/* -v: netkit's reasons, beyond nmap's lines */
static void reasons(struct emit *e, const struct host_os *os)
{
	if (*os->path)
		emit_text(e,
			  "netkit: signs of something on the path, not taken as OS evidence: %s\n",
			  os->path);
	if (!os->db_size) {
		emit_text(e, "netkit: no OS knowledge base (data/os/%s) was found\n",
			  os->v6 ? "os-db6" : "os-db");
		return;
	}
	if (!os->nguess || os->verdict == OS_EXACT)
		return;
	char rival[200] = "";
	if (*os->rival)
		snprintf(rival, sizeof(rival), "; nearest other family: %s (%d%%)", os->rival,
			 (int)(os->rival_acc * 100));
	char cal[200] = "";
	if (os->calib_cases)
		snprintf(cal, sizeof(cal),
			 " (answers at this accuracy named the right family in %d of %d "
			 "leave-one-out cases: right at least %d%% of the time, 95%% confidence)",
			 os->calib_right, os->calib_cases,
			 (int)(os_calib_lower95(os->calib_right, os->calib_cases) * 100));
	if (os->verdict == OS_FAMILY)
		emit_text(
			e,
			"netkit: OS family %s, no exact match among %d known stacks%s; nearest: %s "
			"(%d%%)%s; differing in %s\n",
			os->family, os->db_size, cal, os->g[0].name, (int)(os->g[0].acc * 100),
			rival, os->why);
	else
		emit_text(e,
			  "netkit: OS unknown: a stack none of its %d known ones matches; nearest: "
			  "%s (%d%%)%s; differing in %s\n",
			  os->db_size, os->g[0].name, (int)(os->g[0].acc * 100), rival, os->why);
}

/* nmap's reason a fingerprint is not ideal (-d, -vv), when nothing matched
 * exactly: a missing port (as nmap 7.93 words it for an EDK II firmware,
 * which has no open port), else no UDP answer */
static void not_ideal(struct emit *e, const struct host_os *os)
{
	const char *why = NULL;
	if (!os->v6 && os->open_port < 0)
		why = "Missing an open TCP port so results incomplete";
	else if (!os->v6 && os->closed_port < 0)
		why = "Missing a closed TCP port so results incomplete";
	else if (os->good && !os->udp_answered)
		why = "Didn't receive UDP response. Please try again with -sSU";
	if (why)
		emit_text(e, "OS fingerprint not ideal because: %s\n", why);
}

void nmap_os_normal(const struct nmap_ctx *c, struct emit *e, const struct host *h)
{
	const struct host_os *os = h->os;
	if (!os || !os->done)
		return;
	const struct os_fp *fp = &os->fp;
	int v = c->o.verbose, d = c->o.debug, ng = guesses(os);
	/* nmap 7.93 -6 -O against closed ports only matches without it */
	if (ng && !os->good && !(os->v6 && os->open_port < 0))
		emit_text(e, "Warning: OSScan results may be unreliable because we could not find "
			     "at least 1 open and 1 closed port\n");
	if (!os->nexact && (v > 1 || d > 0))
		not_ideal(e, os);
	if (os->nexact) {
		exact_lines(e, os);
		if (v > 1 || d > 0)
			fingerprint(e, os);
	} else if (ng && (c->o.cfg.osscan_guess || !os->ideal)) {
		emit_text(e, "Aggressive OS guesses: ");
		for (int i = 0; i < ng; i++)
			emit_text(e, "%s%s (%d%%)", i ? ", " : "", os->g[i].name,
				  (int)(os->g[i].acc * 100));
		emit_text(e, "\n");
	}
	if (v > 0 || d > 0)
		reasons(e, os);
	if (os->nexact) {
		/* matched: the rest as below */
	} else if (os->ideal) {
		/* nmap 7.93's IPv6 words differ */
		emit_text(e,
			  "No %sOS matches for host (If you know what OS is running on it, "
			  "see https://nmap.org/submit/ ).\n",
			  os->v6 ? "" : "exact ");
		fingerprint(e, os);
	} else {
		emit_text(e, "No exact OS matches for host (test conditions non-ideal).\n");
		if (v > 1 || d > 0)
			fingerprint(e, os);
	}
	if (v > 0 && has_uptime(os)) {
		double boot = os->seq1_wall - fp->uptime;
		char t[64];
		nmap_ctime(boot, t, sizeof(t));
		emit_text(e, "Uptime guess: %.3f days (since %s)\n", (wall_now() - boot) / 86400,
			  t);
	}
	if (fp->dc)
		emit_text(e, "Network Distance: %d hop%s\n", fp->distance,
			  fp->distance == 1 ? "" : "s");
	if (v > 0 && fp->sp_index >= 0)
		emit_text(e, "TCP Sequence Prediction: Difficulty=%d (%s)\n", fp->sp_index,
			  os_difficulty(fp->sp_index));
	if (v > 0 && fp->nseq >= 3 && !fp->isn_fixed)
		emit_text(e, "IP ID Sequence Generation: %s\n", os_ipid_name(fp->ti));
}

static void portused(struct emit *e, const char *state, const char *proto, int port)
{
	emit_obj_open(e, "portused");
	emit_str(e, "state", NULL, state);
	emit_str(e, "proto", NULL, proto);
	emit_int(e, "portid", NULL, port);
	emit_obj_close(e);
}

static void values(char *buf, size_t len, const uint32_t *v32, const uint16_t *v16, int n)
{
	size_t o = 0;
	buf[0] = '\0';
	for (int i = 0; i < n && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%X", i ? "," : "",
				      v32   ? v32[i]
				      : v16 ? (unsigned)v16[i]
					    : 0);
}

static void sequences(struct emit *e, const struct host_os *os)
{
	const struct os_fp *fp = &os->fp;
	char val[128];
	if (fp->isn_fixed) /* nmap 7.93 writes none of the three then (ns-3, ISN 0) */
		return;
	if (fp->sp_index >= 0) {
		emit_obj_open(e, "tcpsequence");
		emit_int(e, "index", NULL, fp->sp_index);
		emit_str(e, "difficulty", NULL, os_difficulty(fp->sp_index));
		values(val, sizeof(val), fp->isn, NULL, fp->nseq);
		emit_str(e, "values", NULL, val);
		emit_obj_close(e);
	}
	if (fp->nseq >= 3) {
		emit_obj_open(e, "ipidsequence");
		emit_str(e, "class", NULL, os_ipid_name(fp->ti));
		values(val, sizeof(val), NULL, fp->ipid, fp->nseq);
		emit_str(e, "values", NULL, val);
		emit_obj_close(e);
	}
	if (fp->ts != TS_NONE) {
		emit_obj_open(e, "tcptssequence");
		emit_str(e, "class", NULL, os_ts_name(fp->ts, fp->ts_hz));
		if (fp->ts != TS_UNSUPPORTED) {
			values(val, sizeof(val), fp->tsval, NULL, fp->nseq);
			emit_str(e, "values", NULL, val);
		}
		emit_obj_close(e);
	}
}

static void osmatch(struct emit *e, const struct host_os_guess *g)
{
	int acc = (int)(g->acc * 100);
	emit_obj_open(e, "osmatch");
	emit_str(e, "name", NULL, g->name);
	emit_int(e, "accuracy", NULL, acc);
	emit_int(e, "line", NULL, g->line);
	for (int k = 0; k < g->nclass; k++) {
		char f[4][64];
		class_fields(g->cls[k], f);
		emit_obj_open(e, "osclass");
		if (*f[3])
			emit_str(e, "type", NULL, f[3]);
		emit_str(e, "vendor", NULL, f[0]);
		emit_str(e, "osfamily", NULL, f[1]);
		if (*f[2])
			emit_str(e, "osgen", NULL, f[2]);
		emit_int(e, "accuracy", NULL, acc);
		for (int i = 0; i < g->ncpe; i++)
			emit_xml_text_elem(e, "cpe", g->cpe[i]);
		emit_obj_close(e);
	}
	emit_obj_close(e);
}

void nmap_os_xml(struct emit *e, const struct host *h)
{
	const struct host_os *os = h->os;
	if (!os || !os->done)
		return;
	emit_obj_open(e, "os");
	if (os->open_port >= 0)
		portused(e, "open", "tcp", os->open_port);
	if (os->closed_port >= 0)
		portused(e, "closed", "tcp", os->closed_port);
	if (os->udp_answered)
		portused(e, "closed", "udp", os->closed_udp);
	for (int i = 0, n = guesses(os); i < n; i++)
		osmatch(e, &os->g[i]);
	char wrapped[3200];
	os_fp_wrap(os->fingerprint, wrapped, sizeof(wrapped));
	emit_obj_open(e, "osfingerprint");
	emit_str(e, "fingerprint", NULL, wrapped);
	emit_obj_close(e);
	emit_obj_close(e);
	if (has_uptime(os)) {
		double boot = os->seq1_wall - os->fp.uptime;
		char t[64];
		nmap_ctime(boot, t, sizeof(t));
		emit_obj_open(e, "uptime");
		emit_s64(e, "seconds", NULL, (int64_t)(wall_now() - boot + 0.5));
		emit_str(e, "lastboot", NULL, t);
		emit_obj_close(e);
	}
	if (os->fp.dc) {
		emit_obj_open(e, "distance");
		emit_int(e, "value", NULL, os->fp.distance);
		emit_obj_close(e);
	}
	sequences(e, os);
}

static const char *verdict_name(int v)
{
	return v == OS_EXACT ? "exact" : v == OS_FAMILY ? "family" : "unknown";
}

/* -oJ: netkit's verdict and its evidence (beyond nmap's outputs) */
void nmap_os_json(struct emit *e, const struct host *h)
{
	const struct host_os *os = h->os;
	if (!os || !os->done)
		return;
	emit_obj_open(e, "os");
	emit_str(e, "verdict", NULL, os->db_size ? verdict_name(os->verdict) : "unknown");
	if (os->nguess && os->verdict != OS_UNKNOWN)
		emit_str(e, "family", NULL, os->family);
	if (os->nguess) {
		emit_str(e, "nearest", NULL, os->g[0].name);
		emit_double(e, "accuracy", NULL, "%.3f", os->g[0].acc);
		if (*os->rival) {
			emit_str(e, "nearest_other_family", NULL, os->rival);
			emit_double(e, "margin", NULL, "%.3f", os->margin);
		}
		emit_str(e, "supported_by", NULL, os->support);
		emit_str(e, "contradicted_by", NULL, os->why);
	}
	if (*os->path)
		emit_str(e, "path_signs", NULL, os->path);
	if (os->calib_cases) {
		emit_obj_open(e, "calibration");
		emit_int(e, "right", NULL, os->calib_right);
		emit_int(e, "cases", NULL, os->calib_cases);
		emit_double(e, "right_lower95", NULL, "%.3f",
			    os_calib_lower95(os->calib_right, os->calib_cases));
		emit_obj_close(e);
	}
	emit_arr_open(e, "matches");
	for (int i = 0, n = guesses(os); i < n; i++) {
		emit_obj_open(e, NULL);
		emit_str(e, "name", NULL, os->g[i].name);
		emit_double(e, "accuracy", NULL, "%.3f", os->g[i].acc);
		emit_obj_close(e);
	}
	emit_arr_close(e);
	emit_str(e, "fingerprint", NULL, os->fingerprint);
	emit_obj_close(e);
}
