/* SPDX-License-Identifier: Apache-2.0 */
/* -O's part of a host's report: nmap's OS lines (normal output) and its
 * <os>, <uptime>, <distance>, <tcpsequence>, <ipidsequence> and
 * <tcptssequence> elements (XML). netkit has no OS knowledge base yet, so
 * every host gets nmap's no-match wording and the subject fingerprint. */
#include "cmd/nmap/nmap.h"

#include <stdio.h>
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

static void fingerprint(struct emit *e, const struct host_os *os)
{
	char wrapped[3200];
	os_fp_wrap(os->fingerprint, wrapped, sizeof(wrapped));
	emit_text(e, "TCP/IP fingerprint:\n%s\n", wrapped);
}

void nmap_os_normal(const struct nmap_ctx *c, struct emit *e, const struct host *h)
{
	const struct host_os *os = h->os;
	if (!os || !os->done)
		return;
	const struct os_fp *fp = &os->fp;
	int v = c->o.verbose, d = c->o.debug;
	if (os->good) {
		emit_text(e, "No exact OS matches for host (If you know what OS is running on it, "
			     "see https://nmap.org/submit/ ).\n");
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
	if (v > 0 && fp->nseq >= 3)
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
				      v32 ? v32[i] : (unsigned)v16[i]);
}

static void sequences(struct emit *e, const struct host_os *os)
{
	const struct os_fp *fp = &os->fp;
	char val[128];
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
	portused(e, "closed", "udp", os->closed_udp);
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
