/* SPDX-License-Identifier: Apache-2.0 */
/* nmap's normal output, laid out as nmap 7.93 lays it out: on the
 * terminal and in -oN files (which add the "# ... scan initiated" and
 * "# ... done" comment lines instead of the "Starting" banner). */
#include "cmd/nmap/nmap.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void nmap_log_normal(struct nmap_ctx *c, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (int k = 0; k <= OUT_MAX; k++) {
		struct nmap_output *out = &c->out[k];
		if (out->used && out->kind == OUT_NORMAL && !out->to_stdout) {
			emit_text(out->e, "%s\n", buf);
			emit_flush(out->e);
		}
	}
	fprintf(stderr, "%s\n", buf);
}

static void normal_begin(struct nmap_ctx *c, struct nmap_output *out)
{
	struct emit *e = out->e;
	if (out->to_stdout) {
		char ts[64];
		time_t t = (time_t)c->start;
		struct tm tm;
		localtime_r(&t, &tm);
		strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M %Z", &tm);
		emit_text(e, "Starting netkit nmap %s ( nmap %s compatible ) at %s\n",
			  NETKIT_VERSION, NMAP_COMPAT, ts);
	} else {
		char ts[64];
		nmap_ctime(c->start, ts, sizeof(ts));
		emit_text(e, "# netkit nmap %s (nmap %s compatible) scan initiated %s as: %s\n",
			  NETKIT_VERSION, NMAP_COMPAT, ts, c->args);
	}
	emit_flush(e);
}

/* "name (addr)" or "addr", as the report line and "All N scanned ports
 * on ..." name a host. */
static void host_label(const struct host *h, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	const char *name = h->target_name ? h->target_name : h->rdns;
	nmap_addr_str(&h->addr, a, sizeof(a));
	if (name && strcmp(name, a))
		snprintf(buf, len, "%s (%s)", name, a);
	else
		snprintf(buf, len, "%s", a);
}

/* nmap shows reasons with --reason, -vv or -d (not with a single -v) */
static bool show_reason(const struct nmap_ctx *c)
{
	return c->o.cfg.reason || c->o.verbose > 1 || c->o.debug > 0;
}

static void reason_str(uint8_t reason, uint8_t ttl, char *buf, size_t len)
{
	if (ttl)
		snprintf(buf, len, "%s ttl %u", reason_name(reason), ttl);
	else
		snprintf(buf, len, "%s", reason_name(reason));
}

static void port_str(const struct nmap_ctx *c, const struct port_result *p, char *buf, size_t len)
{
	if (c->o.cfg.scans & SCAN_IPPROTO && c->o.cfg.scans == SCAN_IPPROTO)
		snprintf(buf, len, "%u", p->port);
	else
		snprintf(buf, len, "%u/%s", p->port, nmap_proto_name(p->proto));
}

/* "Not shown: 993 closed tcp ports (reset), ..." one group per state,
 * protocol and reason. */
static void not_shown(struct nmap_ctx *c, struct emit *e, const struct host *h,
		      const struct nmap_ignored *ig)
{
	bool first = true;
	struct nmap_rgroup g[4 * REASON_MAX];
	for (size_t s = 0; s < ig->n; s++) {
		size_t n = nmap_reason_groups(h, ig->state[s], g, sizeof(g) / sizeof(g[0]));
		for (size_t i = 0; i < n; i++) {
			emit_text(e, "%s%zu %s %s %s%s (%s)", first ? "Not shown: " : ", ",
				  g[i].count, port_state_name(ig->state[s]),
				  g[i].proto ? nmap_proto_name(g[i].proto) : "n/a",
				  g[i].proto ? "port" : "protocol", g[i].count == 1 ? "" : "s",
				  reason_name(g[i].reason));
			first = false;
		}
	}
	if (!first)
		emit_text(e, "\n");
	/* nmap 7.93 adds this under --open whenever filtered ports are hidden */
	if (c->o.open_only && nmap_is_ignored(ig, PORT_FILTERED))
		emit_text(e, "Some closed ports may be reported as filtered due to "
			     "--defeat-rst-ratelimit\n");
}

/* One row's cells; the last non-empty one ends the line, unpadded, as
 * nmap's table trims what follows its last cell. */
static void table_row(struct emit *e, const char *const *cell, const int *w, size_t n)
{
	size_t last = 0;
	for (size_t i = 0; i < n; i++)
		if (*cell[i])
			last = i;
	for (size_t i = 0; i < last; i++)
		emit_text(e, "%-*s ", w[i], cell[i]);
	emit_text(e, "%s\n", cell[last]);
}

static void port_table(struct nmap_ctx *c, struct emit *e, const struct host *h,
		       const struct nmap_ignored *ig)
{
	bool reason = show_reason(c), sv = c->o.cfg.version.on;
	bool proto_scan = c->o.cfg.scans == SCAN_IPPROTO;
	int w[5] = {proto_scan ? 8 : 4, 5, 7, 6, 7};
	char buf[64], sb[64], r[64], ver[512];
	for (size_t i = 0; i < h->nports; i++) {
		const struct port_result *p = &h->ports[i];
		if (nmap_is_ignored(ig, p->state))
			continue;
		port_str(c, p, buf, sizeof(buf));
		reason_str(p->reason, p->reason_ttl, r, sizeof(r));
		int l[4] = {(int)strlen(buf), (int)strlen(port_state_name(p->state)),
			    (int)strlen(nmap_service_col(c, h, p, true, sb, sizeof(sb))),
			    (int)strlen(r)};
		for (int k = 0; k < 4; k++)
			w[k] = l[k] > w[k] ? l[k] : w[k];
	}
	const char *head[5] = {proto_scan ? "PROTOCOL" : "PORT", "STATE", "SERVICE",
			       reason ? "REASON" : "", sv ? "VERSION" : ""};
	int hw[5] = {w[0], w[1], w[2], w[3], 0};
	if (!reason) { /* no REASON column: VERSION follows SERVICE */
		head[3] = head[4];
		head[4] = "";
	}
	table_row(e, head, hw, 5);
	for (size_t i = 0; i < h->nports; i++) {
		const struct port_result *p = &h->ports[i];
		if (nmap_is_ignored(ig, p->state))
			continue;
		port_str(c, p, buf, sizeof(buf));
		reason_str(p->reason, p->reason_ttl, r, sizeof(r));
		/* no VERSION column without -sV, whatever a script set */
		nmap_version_col(sv ? nmap_port_svc(c, h, p) : NULL, ver, sizeof(ver));
		const char *cell[5] = {buf, port_state_name(p->state),
				       nmap_service_col(c, h, p, true, sb, sizeof(sb)),
				       reason ? r : ver, reason ? ver : ""};
		table_row(e, cell, hw, 5);
		nmap_scripts_port(e, h, p);
	}
}

/* Answers nobody recognised, in nmap's wrapped fingerprint lines, in the
 * port table's order (as nmap 7.93 lists them) */
static void fingerprints(struct emit *e, const struct host *h)
{
	size_t n = 0;
	for (size_t i = 0; i < h->nsvcs; i++)
		n += h->svcs[i].fp != NULL;
	if (!n)
		return;
	emit_text(e,
		  "%zu service%s unrecognized despite returning data. If you know the "
		  "service/version, please report the following fingerprint%s as a netkit "
		  "issue :\n",
		  n, n == 1 ? "" : "s", n == 1 ? "" : "s");
	/* with several, nmap 7.93 puts the separator before each, the first too */
	for (size_t i = 0; i < h->nports; i++) {
		const struct port_service *ps =
			host_service(h, h->ports[i].proto, h->ports[i].port);
		const char *fp = ps ? ps->fp : NULL;
		if (!fp)
			continue;
		if (n > 1)
			emit_text(e, "==============NEXT SERVICE FINGERPRINT (SUBMIT "
				     "INDIVIDUALLY)==============\n");
		size_t len = strlen(fp), first = len < 74 ? len : 74;
		emit_text(e, "%.*s\n", (int)first, fp);
		for (size_t o = first; o < len; o += 71)
			emit_text(e, "SF:%.*s\n", (int)(len - o < 71 ? len - o : 71), fp + o);
	}
}

static void host_up_line(struct nmap_ctx *c, struct emit *e, const struct host *h)
{
	char lat[64] = "";
	if (h->rtt > 0) {
		char v[24];
		nmap_sigdig(h->rtt, 2, v, sizeof(v));
		snprintf(lat, sizeof(lat), " (%ss latency)", v);
	}
	if (show_reason(c)) {
		char r[64];
		reason_str(h->reason, h->reason_ttl, r, sizeof(r));
		emit_text(e, "Host is up, received %s%s.\n", r, lat);
	} else {
		emit_text(e, "Host is up%s.\n", lat);
	}
}

static void ports_section(struct nmap_ctx *c, struct emit *e, const struct host *h)
{
	struct nmap_ignored ig;
	nmap_ignored_states(c, h, &ig);
	size_t ignored = 0;
	for (size_t i = 0; i < ig.n; i++)
		ignored += ig.count[i];
	if (h->nports && ignored == h->nports) {
		char label[512];
		host_label(h, label, sizeof(label));
		emit_text(e, "All %zu scanned ports on %s are in ignored states.\n", h->nports,
			  label);
		not_shown(c, e, h, &ig);
		return;
	}
	not_shown(c, e, h, &ig);
	if (!ig.n && h->nports)
		emit_text(e, "\n"); /* nmap 7.93 leaves the "Not shown" line empty */
	if (h->nports)
		port_table(c, e, h, &ig);
	if (c->o.cfg.version.on)
		fingerprints(e, h);
}

static void normal_host(struct nmap_ctx *c, struct nmap_output *out, const struct host *h)
{
	struct emit *e = out->e;
	char label[512], a[INET6_ADDRSTRLEN];
	bool list = c->o.list_scan;
	if (h->status != HOST_UP && !list) {
		if (c->o.verbose > 0) {
			char why[64] = "";
			host_label(h, label, sizeof(label));
			if (show_reason(c)) {
				char r[48];
				reason_str(h->reason, h->reason_ttl, r, sizeof(r));
				snprintf(why, sizeof(why), ", received %s", r);
			}
			emit_text(e, "Nmap scan report for %s [host down%s]\n", label, why);
		}
		nmap_host_flush(c, e);
		return;
	}
	host_label(h, label, sizeof(label));
	emit_text(e, "Nmap scan report for %s\n", label);
	nmap_addr_str(&h->addr, a, sizeof(a));
	if (!list)
		host_up_line(c, e, h);
	const char *others = nmap_other_addresses(c, h);
	if (others)
		emit_text(e, "Other addresses for %s (not scanned): %s\n", h->target_name, others);
	if (h->target_name && h->rdns && strcmp(h->target_name, h->rdns))
		emit_text(e, "rDNS record for %s: %s\n", a, h->rdns);
	if (list) {
		nmap_host_flush(c, e);
		return;
	}
	if (h->timed_out) {
		emit_text(e, "Skipping host %s due to host timeout\n", label);
		emit_flush(e);
		return;
	}
	if (c->o.verbose > 1 || c->o.debug > 0) {
		char ts[64];
		time_t t = (time_t)h->start;
		struct tm tm;
		localtime_r(&t, &tm);
		strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S %Z", &tm);
		emit_text(e, "Scanned at %s for %lds\n", ts, (long)(h->end - h->start));
	}
	if (!c->o.cfg.ping_only)
		ports_section(c, e, h);
	if (h->has_mac) {
		const char *v = svc_mac_vendor(&c->svc, h->mac);
		emit_text(e, "MAC Address: %02X:%02X:%02X:%02X:%02X:%02X (%s)\n", h->mac[0],
			  h->mac[1], h->mac[2], h->mac[3], h->mac[4], h->mac[5], v ? v : "Unknown");
	}
	nmap_os_normal(c, e, h);
	char si[1024];
	nmap_service_info(c, h, si, sizeof(si));
	if (*si && !c->o.cfg.ping_only)
		emit_text(e, "Service Info: %s\n", si);
	/* -sn: nmap ends the host with a blank line only with a trace or when
	 * scripts run (whether or not they printed anything for it) */
	bool scripts = nmap_scripts_host(e, h) || c->nse;
	nmap_trace_normal(e, h);
	if (!c->o.cfg.ping_only || h->trace || scripts)
		emit_text(e, "\n");
	nmap_host_flush(c, e);
}

static void normal_end(struct nmap_ctx *c, struct nmap_output *out, bool interrupted)
{
	struct emit *e = out->e;
	char el[32];
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	double now = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
	snprintf(el, sizeof(el), "%.2f", now - c->start_mono);
	char summary[160];
	snprintf(summary, sizeof(summary), "%lu IP address%s (%lu host%s up) scanned in %s seconds",
		 c->nhosts, c->nhosts == 1 ? "" : "es", c->nup, c->nup == 1 ? "" : "s", el);
	if ((c->o.verbose > 0 || c->o.debug > 0) && c->datadir)
		emit_text(e, "Read data files from: %s\n", c->datadir);
	if (c->o.cfg.osscan && !c->o.cfg.ping_only && !c->o.list_scan)
		emit_text(e,
			  "%s detection performed. Please report any incorrect results as a "
			  "netkit issue .\n",
			  c->o.cfg.version.on ? "OS and Service" : "OS");
	else if (c->o.cfg.version.on && !c->o.cfg.ping_only && !c->o.list_scan)
		emit_text(e, NMAP_SV_DONE);
	if (out->to_stdout) {
		/* nmap's hint, on the terminal only, when its one target
		 * did not answer the host discovery */
		if (c->nhosts == 1 && c->nup == 0 && !interrupted && !c->o.cfg.list_only &&
		    !c->o.cfg.skip_discovery)
			emit_text(e, "Note: Host seems down. If it is really up, but blocking our "
				     "ping probes, try -Pn\n");
		if (interrupted)
			emit_text(e, "netkit nmap: scan interrupted; results above are for the "
				     "hosts finished so far\n");
		emit_text(e, "Nmap done: %s\n", summary);
		if ((c->o.verbose > 0 || c->o.debug > 0) && c->raw.used) {
			char sb[32], rb[32];
			nmap_bytecount(c->raw.sent_bytes, sb, sizeof(sb));
			nmap_bytecount(c->raw.rcvd_bytes, rb, sizeof(rb));
			emit_text(e, "           Raw packets sent: %lu (%s) | Rcvd: %lu (%s)\n",
				  c->raw.sent, sb, c->raw.rcvd, rb);
		}
	} else {
		char t[64];
		nmap_ctime((double)time(NULL), t, sizeof(t));
		emit_text(e, "# Nmap done at %s -- %s\n", t, summary);
	}
	emit_flush(e);
}

const struct nmap_out_ops nmap_out_normal = {
	.begin = normal_begin,
	.host = normal_host,
	.end = normal_end,
};
