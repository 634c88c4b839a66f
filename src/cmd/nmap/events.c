/* SPDX-License-Identifier: Apache-2.0 */
/* The engine's events (hooks.event) as nmap 7.93 shows them: with -v the
 * terminal gets "Initiating SYN Stealth Scan at 20:24", "Scanning
 * target.lab (198.18.3.10) [1000 ports]", "Discovered open port 22/tcp on
 * 198.18.3.10", "Completed ... at 20:24, 0.04s elapsed (1000 total
 * ports)"; XML gets <taskbegin>/<taskend> (-v), <taskprogress> when the
 * status line is printed (-v), and a <hosthint> for every host discovery
 * finds up (always, as nmap writes it). The normal output files get none
 * of it, as nmap's -oN. */
#include "cmd/nmap/nmap.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void hhmm(double when, char *buf, size_t len)
{
	time_t t = (time_t)when;
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(buf, len, "%H:%M", &tm);
}

/* The task's name: "SYN Stealth Scan", "Parallel DNS resolution of 2 hosts." */
void nmap_task_name(const struct scan_event *ev, char *buf, size_t len)
{
	switch (ev->task) {
	case TASK_PING: snprintf(buf, len, "Ping Scan"); break;
	case TASK_ARP: snprintf(buf, len, "ARP Ping Scan"); break;
	case TASK_ND: snprintf(buf, len, "ND Ping Scan"); break;
	case TASK_DNS:
	case TASK_SYS_DNS:
		snprintf(buf, len, "%s DNS resolution of %zu host%s.",
			 ev->task == TASK_DNS ? "Parallel" : "System", ev->nhosts,
			 ev->nhosts == 1 ? "" : "s");
		break;
	case TASK_PORTS: snprintf(buf, len, "%s", nmap_phase_name(ev->scan, false)); break;
	case TASK_SERVICE: snprintf(buf, len, "Service scan"); break;
	case TASK_TRACE: snprintf(buf, len, "Traceroute"); break;
	case TASK_SCRIPT: snprintf(buf, len, "NSE"); break;
	}
}

/* XML text for out. */
static void xml_put(struct nmap_output *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void xml_put(struct nmap_output *out, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	emit_raw(out->e, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* A DNS name as an attribute value (names cannot hold much to escape,
 * but the user typed this one). */
static void attr_escape(const char *s, char *buf, size_t len)
{
	size_t o = 0;
	for (; *s && o + 7 < len; s++) {
		const char *r = *s == '&'   ? "&amp;"
				: *s == '<' ? "&lt;"
				: *s == '>' ? "&gt;"
				: *s == '"' ? "&quot;"
					    : NULL;
		if (r) {
			memcpy(buf + o, r, strlen(r));
			o += strlen(r);
		} else {
			buf[o++] = *s;
		}
	}
	buf[o] = '\0';
}

static void xml_hosthint(struct nmap_output *out, const struct host *h)
{
	char a[INET6_ADDRSTRLEN], name[512];
	/* nmap knows only ARP/ND replies by name at this point */
	const char *why = h->reason == REASON_ARP_RESPONSE || h->reason == REASON_ND_RESPONSE
				  ? reason_name(h->reason)
				  : "unknown-response";
	xml_put(out,
		"<hosthint><status state=\"up\" reason=\"%s\" reason_ttl=\"0\"/>\n"
		"<address addr=\"%s\" addrtype=\"%s\"/>\n",
		why, nmap_addr_str(&h->addr, a, sizeof(a)),
		h->addr.ss_family == AF_INET6 ? "ipv6" : "ipv4");
	if (h->has_mac)
		xml_put(out, "<address addr=\"%02X:%02X:%02X:%02X:%02X:%02X\" addrtype=\"mac\"/>\n",
			h->mac[0], h->mac[1], h->mac[2], h->mac[3], h->mac[4], h->mac[5]);
	xml_put(out, "<hostnames>\n");
	if (h->target_name) {
		attr_escape(h->target_name, name, sizeof(name));
		xml_put(out, "<hostname name=\"%s\" type=\"user\"/>\n", name);
	}
	xml_put(out, "</hostnames>\n</hosthint>\n");
}

/* What a task's end says it did: "12 total ports", "3 total hosts", or
 * for a port scan some of whose hosts timed out "1 host timed out". */
static void task_extra(const struct scan_event *ev, char *out, size_t n)
{
	bool hosts = ev->task != TASK_PORTS;
	if (ev->task == TASK_SERVICE)
		snprintf(out, n, "%zu service%s on %zu host%s", ev->nprobes,
			 ev->nprobes == 1 ? "" : "s", ev->nhosts, ev->nhosts == 1 ? "" : "s");
	else if (!hosts && ev->ntimedout)
		snprintf(out, n, "%zu host%s timed out", ev->ntimedout,
			 ev->ntimedout == 1 ? "" : "s");
	else
		snprintf(out, n, "%zu total %s", hosts ? ev->nhosts : ev->nhosts * ev->nprobes,
			 hosts ? "hosts" : "ports");
}

static void xml_task(struct nmap_output *out, const struct scan_event *ev, const char *task)
{
	if (ev->kind == SCAN_EV_BEGIN) {
		xml_put(out, "<taskbegin task=\"%s\" time=\"%lld\"/>\n", task, (long long)ev->when);
	} else if (ev->task == TASK_DNS || ev->task == TASK_SYS_DNS || ev->task == TASK_TRACE ||
		   ev->task == TASK_SCRIPT) {
		xml_put(out, "<taskend task=\"%s\" time=\"%lld\"/>\n", task, (long long)ev->when);
	} else {
		char what[64];
		task_extra(ev, what, sizeof(what));
		xml_put(out, "<taskend task=\"%s\" time=\"%lld\" extrainfo=\"%s\"/>\n", task,
			(long long)ev->when, what);
	}
}

static void host_name(const struct host *h, char *label, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	const char *name = h->target_name ? h->target_name : h->rdns;
	nmap_addr_str(&h->addr, a, sizeof(a));
	if (name)
		snprintf(label, len, "%s (%s)", name, a);
	else
		snprintf(label, len, "%s", a);
}

/* The -v lines on the terminal. */
static void text_task(struct emit *e, const struct scan_event *ev, const char *task)
{
	char t[16], label[512], a[INET6_ADDRSTRLEN];
	/* name resolution, traceroute and NSE: no "Scanning" line, nothing after "elapsed" */
	bool dns = ev->task == TASK_DNS || ev->task == TASK_SYS_DNS || ev->task == TASK_TRACE ||
		   ev->task == TASK_SCRIPT;
	hhmm(ev->when, t, sizeof(t));
	if (ev->kind == SCAN_EV_BEGIN) {
		emit_text(e, "Initiating %s at %s\n", task, t);
		if (dns)
			return; /* no "Scanning" line for name resolution */
		if (ev->task == TASK_SERVICE) {
			if (ev->h)
				host_name(ev->h, label, sizeof(label));
			else
				snprintf(label, sizeof(label), "%zu hosts", ev->nhosts);
			emit_text(e, "Scanning %zu service%s on %s\n", ev->nprobes,
				  ev->nprobes == 1 ? "" : "s", label);
		} else if (ev->h) {
			const struct host *h = ev->h;
			const char *name = h->target_name ? h->target_name : h->rdns;
			nmap_addr_str(&h->addr, a, sizeof(a));
			if (name)
				snprintf(label, sizeof(label), "%s (%s)", name, a);
			else
				snprintf(label, sizeof(label), "%s", a);
			emit_text(e, "Scanning %s [%zu port%s]\n", label, ev->nprobes,
				  ev->nprobes == 1 ? "" : "s");
		} else {
			emit_text(e, "Scanning %zu hosts [%zu port%s/host]\n", ev->nhosts,
				  ev->nprobes, ev->nprobes == 1 ? "" : "s");
		}
	} else if (dns) {
		emit_text(e, "Completed %s at %s, %.2fs elapsed\n", task, t, ev->elapsed);
	} else {
		char what[64];
		task_extra(ev, what, sizeof(what));
		emit_text(e, "Completed %s at %s, %.2fs elapsed (%s)\n", task, t, ev->elapsed,
			  what);
	}
}

void nmap_event(void *ctx, const struct scan_event *ev)
{
	struct nmap_ctx *c = ctx;
	struct nmap_output *term = c->out[OUT_MAX].used ? &c->out[OUT_MAX] : NULL;
	int verbose = c->o.verbose;
	char task[64], a[INET6_ADDRSTRLEN];
	if (ev->kind == SCAN_EV_OS_TRY && (ev->nprobes == 0 || ev->nprobes == SIZE_MAX)) {
		/* -6 -O: nmap 7.93 says these with -d only */
		if (term && c->o.debug > 0) {
			emit_text(term->e, "%s\n",
				  ev->nprobes ? "IPv6 OS Scan completed."
					      : "Starting IPv6 OS Scan...");
			emit_flush(term->e);
		}
		return;
	}
	if (ev->kind == SCAN_EV_OS_TRY) {
		if (term && verbose > 0) {
			char label[512];
			if (ev->h)
				host_name(ev->h, label, sizeof(label));
			else
				snprintf(label, sizeof(label), "%zu hosts", ev->nhosts);
			emit_text(term->e, "%s OS detection (try #%zu) against %s\n",
				  ev->nprobes == 1 ? "Initiating" : "Retrying", ev->nprobes, label);
			emit_flush(term->e);
		}
		return;
	}
	if (ev->kind == SCAN_EV_BEGIN || ev->kind == SCAN_EV_END)
		nmap_task_name(ev, task, sizeof(task));
	if (ev->kind == SCAN_EV_BEGIN && ev->task == TASK_PORTS && !c->again_ports) {
		c->again_ports = true;
		nmap_say_again(c);
	}
	if (ev->kind == SCAN_EV_BEGIN) { /* -v's timing line (status.c) */
		snprintf(c->autotiming.task, sizeof(c->autotiming.task), "%s", task);
		c->autotiming.begin = ev->when;
		c->autotiming.last = 0;
	} else if (ev->kind == SCAN_EV_END) {
		c->autotiming.task[0] = '\0';
	}
	if (ev->kind == SCAN_EV_BEGIN && c->status.running) {
		pthread_mutex_lock(&c->status.mu);
		snprintf(c->status.phase, sizeof(c->status.phase), "%s", task);
		c->status.pct = 0;
		c->status.task_start = ev->when;
		c->status.undergoing = ev->task == TASK_DNS || ev->task == TASK_SYS_DNS
					       ? c->status.undergoing
					       : ev->nhosts;
		/* port scans run over live hosts only; discovery counts them
		 * as it finds them */
		c->status.group_up =
			ev->task == TASK_PORTS || ev->task == TASK_SERVICE ? ev->nhosts : 0;
		c->status.between = false;
		pthread_mutex_unlock(&c->status.mu);
	} else if (ev->kind == SCAN_EV_END && c->status.running) {
		pthread_mutex_lock(&c->status.mu);
		c->status.between = true;
		pthread_mutex_unlock(&c->status.mu);
	} else if (ev->kind == SCAN_EV_UP && c->status.running) {
		pthread_mutex_lock(&c->status.mu);
		c->status.group_up++;
		pthread_mutex_unlock(&c->status.mu);
	}
	for (int k = 0; k < OUT_MAX; k++) {
		struct nmap_output *out = &c->out[k];
		if (!out->used || !nmap_out_is_xml(out))
			continue;
		if (ev->kind == SCAN_EV_UP && !c->o.cfg.ping_only) /* hints of hosts to scan */
			xml_hosthint(out, ev->h);
		else if ((ev->kind == SCAN_EV_BEGIN || ev->kind == SCAN_EV_END) && verbose > 0)
			xml_task(out, ev, task);
		emit_flush(out->e);
	}
	if (!term || verbose <= 0)
		return;
	if (ev->kind == SCAN_EV_HOST_DONE && ev->timed_out) {
		char task2[64];
		nmap_task_name(ev, task2, sizeof(task2));
		emit_text(term->e, "%s timed out during %s (%zu host%s left)\n",
			  nmap_addr_str(&ev->h->addr, a, sizeof(a)), task2, ev->nhosts,
			  ev->nhosts == 1 ? "" : "s");
	} else if (ev->kind == SCAN_EV_HOST_DONE) {
		char task2[64];
		nmap_task_name(ev, task2, sizeof(task2));
		emit_text(term->e, "Completed %s against %s in %.2fs (%zu host%s left)\n", task2,
			  nmap_addr_str(&ev->h->addr, a, sizeof(a)), ev->elapsed, ev->nhosts,
			  ev->nhosts == 1 ? "" : "s");
	} else if (ev->kind == SCAN_EV_OPEN)
		emit_text(term->e, "Discovered open port %u/%s on %s\n", ev->port->port,
			  nmap_proto_name(ev->port->proto),
			  nmap_addr_str(&ev->h->addr, a, sizeof(a)));
	else if (ev->kind == SCAN_EV_BEGIN || ev->kind == SCAN_EV_END)
		text_task(term->e, ev, task);
	emit_flush(term->e);
}

/* <taskprogress>, when the status line was printed with -v (the status
 * thread asks; the engine's thread writes, as it owns the XML). */
void nmap_taskprogress(struct nmap_ctx *c, const char *task, double pct, double remaining)
{
	if (c->o.verbose <= 0)
		return;
	time_t now = time(NULL);
	for (int k = 0; k < OUT_MAX; k++) {
		struct nmap_output *out = &c->out[k];
		if (!out->used || !nmap_out_is_xml(out))
			continue;
		xml_put(out,
			"<taskprogress task=\"%s\" time=\"%lld\" percent=\"%.2f\" "
			"remaining=\"%.0f\" "
			"etc=\"%lld\"/>\n",
			task, (long long)now, pct * 100, remaining,
			(long long)(now + (time_t)remaining));
		emit_flush(out->e);
	}
}
