/* SPDX-License-Identifier: Apache-2.0 */
/* nmap's XML output (valid against nmap.dtd, xmloutputversion 1.05),
 * through the emitter's XML mode. Each host's element is flushed to the
 * file as soon as the host is finished, so after a SIGINT/SIGTERM the
 * document is closed normally (runstats exit="error") and after a
 * SIGKILL the file holds every finished host: appending "</nmaprun>"
 * makes it well-formed again (see doc/nmap.1.scd). */
#include "cmd/nmap/nmap.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct {
	unsigned bit;
	const char *type, *proto;
} scaninfo[] = {
	{SCAN_SYN, "syn", "tcp"},
	{SCAN_CONNECT, "connect", "tcp"},
	{SCAN_ACK, "ack", "tcp"},
	{SCAN_WINDOW, "window", "tcp"},
	{SCAN_MAIMON, "maimon", "tcp"},
	{SCAN_NULL, "null", "tcp"},
	{SCAN_FIN, "fin", "tcp"},
	{SCAN_XMAS, "xmas", "tcp"},
	{SCAN_UDP, "udp", "udp"},
	{SCAN_SCTP_INIT, "sctpinit", "sctp"},
	{SCAN_SCTP_COOKIE, "sctpcookieecho", "sctp"},
	{SCAN_IPPROTO, "ipproto", "ip"},
};

static const struct port_list *list_for(const struct scan_config *cfg, const char *proto)
{
	if (!strcmp(proto, "tcp"))
		return &cfg->tcp_ports;
	if (!strcmp(proto, "udp"))
		return &cfg->udp_ports;
	if (!strcmp(proto, "sctp"))
		return &cfg->sctp_ports;
	return &cfg->protos;
}

static char *ranges_of(const struct port_list *l)
{
	uint64_t bits[1024] = {0};
	for (size_t i = 0; i < l->n; i++)
		ps_set(bits, l->ports[i]);
	return portset_ranges(bits, 65536);
}

static void xml_begin(struct nmap_ctx *c, struct nmap_output *out)
{
	struct emit *e = out->e;
	char ts[64];
	nmap_ctime(c->start, ts, sizeof(ts));
	emit_rawf(e, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE nmaprun>\n");
	/* nmap names its own nmap.xsl beside its data files unless told
	 * otherwise (--stylesheet, --webxml, --no-stylesheet): netkit names
	 * its own, data/nmap/nmap.xsl, installed with the data */
	char own[4200];
	const char *xsl = c->o.stylesheet;
	if (!xsl && c->datadir) {
		snprintf(own, sizeof(own), "file://%s/nmap/nmap.xsl", c->datadir);
		xsl = own;
	}
	if (xsl && !c->o.no_stylesheet) {
		emit_raw(e, "<?xml-stylesheet href=\"", 23);
		emit_xml_escape(e, xsl, strlen(xsl));
		emit_rawf(e, "\" type=\"text/xsl\"?>\n");
	}
	/* "--" may not appear inside an XML comment: nmap writes -&#45; */
	emit_rawf(e,
		  "<!-- netkit nmap %s (nmap %s compatible) scan initiated %s as: ", NETKIT_VERSION,
		  NMAP_COMPAT, ts);
	for (const char *p = c->args; *p; p++) {
		if (p[0] == '-' && p[1] == '-')
			emit_rawf(e, "-&#45;"), p++;
		else
			emit_raw(e, p, 1);
	}
	emit_rawf(e, " -->\n");
	emit_obj_open(e, "nmaprun");
	emit_str(e, "scanner", NULL, "nmap");
	emit_str(e, "args", NULL, c->args);
	emit_u64(e, "start", NULL, (uint64_t)c->start);
	emit_str(e, "startstr", NULL, ts);
	emit_str(e, "version", NULL, NMAP_COMPAT);
	emit_str(e, "xmloutputversion", NULL, "1.05");
	for (size_t i = 0; i < sizeof(scaninfo) / sizeof(scaninfo[0]); i++) {
		if (!(c->o.cfg.scans & scaninfo[i].bit) || c->o.list_scan || c->o.cfg.ping_only)
			continue;
		const struct port_list *l = list_for(&c->o.cfg, scaninfo[i].proto);
		char *r = ranges_of(l);
		emit_obj_open(e, "scaninfo");
		emit_str(e, "type", NULL, scaninfo[i].type);
		int fl = c->o.cfg.scanflags;
		if (fl >= 0 && !strcmp(scaninfo[i].proto, "tcp") &&
		    scaninfo[i].bit != SCAN_CONNECT) {
			/* nmap names the flags in bit order: FINSYN for SYNFIN */
			static const char *const names[] = {"FIN", "SYN", "RST", "PSH",
							    "ACK", "URG", "ECE", "CWR"};
			char buf[32] = "";
			for (int b = 0; b < 8; b++)
				if (fl & 1 << b)
					strcat(buf, names[b]);
			emit_str(e, "scanflags", NULL, buf);
		}
		emit_str(e, "protocol", NULL, scaninfo[i].proto);
		emit_u64(e, "numservices", NULL, l->n);
		emit_str(e, "services", NULL, r ? r : "");
		emit_obj_close(e);
		free(r);
	}
	emit_obj_open(e, "verbose");
	emit_int(e, "level", NULL, c->o.verbose);
	emit_obj_close(e);
	emit_obj_open(e, "debugging");
	emit_int(e, "level", NULL, c->o.debug);
	emit_obj_close(e);
	emit_flush(e);
}

void nmap_xml_invalid_target(struct nmap_output *out, const char *spec)
{
	emit_rawf(out->e, "<target specification=\"");
	emit_xml_escape(out->e, spec, strlen(spec));
	emit_rawf(out->e, "\" status=\"skipped\" reason=\"invalid\"/>\n");
	emit_flush(out->e);
}

static void xml_hostnames(const struct host *h, struct emit *e)
{
	if (!h->target_name && !h->rdns)
		return;
	emit_obj_open(e, "hostnames");
	if (h->target_name) {
		emit_obj_open(e, "hostname");
		emit_str(e, "name", NULL, h->target_name);
		emit_str(e, "type", NULL, "user");
		emit_obj_close(e);
	}
	if (h->rdns) {
		emit_obj_open(e, "hostname");
		emit_str(e, "name", NULL, h->rdns);
		emit_str(e, "type", NULL, "PTR");
		emit_obj_close(e);
	}
	emit_obj_close(e);
}

/* <extraports>: the ignored ports of one state, with per-reason groups
 * naming their ports. */
static void xml_extraports(const struct host *h, struct emit *e, uint8_t state, size_t count)
{
	struct nmap_rgroup g[4 * REASON_MAX];
	size_t n = nmap_reason_groups(h, state, g, sizeof(g) / sizeof(g[0]));
	emit_obj_open(e, "extraports");
	emit_str(e, "state", NULL, port_state_name(state));
	emit_u64(e, "count", NULL, count);
	for (size_t k = 0; k < n; k++) {
		uint64_t bits[1024] = {0};
		for (size_t i = 0; i < h->nports; i++) {
			const struct port_result *p = &h->ports[i];
			bool pm = g[k].proto
					  ? p->proto == g[k].proto
					  : (p->proto != IPPROTO_TCP && p->proto != IPPROTO_UDP &&
					     p->proto != IPPROTO_SCTP);
			if (pm && p->state == state && p->reason == g[k].reason)
				ps_set(bits, p->port);
		}
		char *ports = portset_ranges(bits, 65536);
		emit_obj_open(e, "extrareasons");
		emit_str(e, "reason", NULL, reason_name(g[k].reason));
		emit_u64(e, "count", NULL, g[k].count);
		/* nmap writes "n/a" for protocols, which its own DTD rejects */
		emit_str(e, "proto", NULL, nmap_proto_name(g[k].proto));
		emit_str(e, "ports", NULL, ports ? ports : "");
		emit_obj_close(e);
		free(ports);
	}
	emit_obj_close(e);
}

/* <service>: -sV's findings (attributes in nmap's order, then <cpe>
 * children), or the port table's name */
static void xml_service(struct nmap_ctx *c, const struct host *h, const struct port_result *p,
			struct emit *e)
{
	const struct port_service *ps = nmap_port_svc(c, h, p);
	char sb[64];
	/* nmap writes no <service> for a port (or -sO protocol) its table
	 * does not name */
	bool l4 = p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP || p->proto == IPPROTO_SCTP;
	if (!ps && (l4 ? !svc_lookup(&c->svc, p->proto, p->port)
		       : c->o.cfg.scans & SCAN_IPPROTO && !svc_proto_name(&c->svc, p->port)))
		return;
	emit_obj_open(e, "service");
	emit_str(e, "name", NULL, nmap_service_col(c, h, p, false, sb, sizeof(sb)));
	bool probed = ps && ps->kind != PSVC_UNRECOGNIZED;
	if (probed) {
		const struct svc_match *m = &ps->m;
		const char *k[] = {"product",  "version", "extrainfo",
				   "hostname", "ostype",  "devicetype"};
		const char *v[] = {m->product,	m->version, m->info,
				   m->hostname, m->ostype,  m->devicetype};
		for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++)
			if (*v[i])
				emit_str(e, k[i], NULL, v[i]);
	}
	if (ps && ps->fp)
		emit_str(e, "servicefp", NULL, ps->fp);
	if (ps && ps->tunnel_ssl)
		emit_str(e, "tunnel", NULL, "ssl");
	emit_str(e, "method", NULL, probed ? "probed" : "table");
	emit_uint(e, "conf", NULL, probed ? ps->m.conf : 3);
	for (unsigned i = 0; probed && i < ps->m.ncpe; i++)
		emit_xml_text_elem(e, "cpe", ps->m.cpe[i]);
	emit_obj_close(e);
}

static void xml_ports(struct nmap_ctx *c, const struct host *h, struct emit *e)
{
	struct nmap_ignored ig;
	nmap_ignored_states(c, h, &ig);
	emit_obj_open(e, "ports");
	for (size_t i = 0; i < ig.n; i++)
		xml_extraports(h, e, ig.state[i], ig.count[i]);
	for (size_t i = 0; i < h->nports; i++) {
		const struct port_result *p = &h->ports[i];
		if (nmap_is_ignored(&ig, p->state))
			continue;
		emit_obj_open(e, "port");
		emit_str(e, "protocol", NULL, nmap_proto_name(p->proto));
		emit_uint(e, "portid", NULL, p->port);
		emit_obj_open(e, "state");
		emit_str(e, "state", NULL, port_state_name(p->state));
		emit_str(e, "reason", NULL, reason_name(p->reason));
		emit_uint(e, "reason_ttl", NULL, p->reason_ttl);
		emit_obj_close(e);
		xml_service(c, h, p, e);
		nmap_scripts_port_xml(e, h, p);
		emit_obj_close(e);
	}
	emit_obj_close(e);
}

static void xml_host(struct nmap_ctx *c, struct nmap_output *out, const struct host *h)
{
	struct emit *e = out->e;
	char a[INET6_ADDRSTRLEN];
	bool list = c->o.list_scan;
	if (h->status == HOST_SKIPPED) { /* no route: nmap's "bogus target" line */
		emit_obj_open(e, "target");
		emit_str(e, "specification", NULL, nmap_addr_str(&h->addr, a, sizeof(a)));
		emit_str(e, "status", NULL, "skipped");
		emit_str(e, "reason", NULL, "invalid");
		emit_obj_close(e);
		return;
	}
	if (h->status != HOST_UP && !list && !c->o.verbose)
		return; /* nmap leaves down hosts out unless asked for them */
	emit_obj_open(e, "host");
	if (c->o.shards) { /* the shard's key for netkit dist merge */
		char cm[96];
		snprintf(cm, sizeof(cm), "netkit shard %llu/%llu target %llu",
			 (unsigned long long)c->o.shard, (unsigned long long)c->o.shards,
			 (unsigned long long)h->tindex);
		emit_str(e, "comment", NULL, cm);
	}
	if (!list) {
		emit_u64(e, "starttime", NULL, (uint64_t)h->start);
		emit_u64(e, "endtime", NULL, (uint64_t)h->end);
		if (h->timed_out)
			emit_str(e, "timedout", NULL, "true");
	}
	emit_obj_open(e, "status");
	emit_str(e, "state", NULL, list ? "unknown" : h->status == HOST_UP ? "up" : "down");
	emit_str(e, "reason", NULL, list ? "user-set" : reason_name(h->reason));
	emit_uint(e, "reason_ttl", NULL, list ? 0 : h->reason_ttl);
	emit_obj_close(e);
	emit_obj_open(e, "address");
	emit_str(e, "addr", NULL, nmap_addr_str(&h->addr, a, sizeof(a)));
	emit_str(e, "addrtype", NULL, h->addr.ss_family == AF_INET6 ? "ipv6" : "ipv4");
	emit_obj_close(e);
	if (h->has_mac) {
		char m[24];
		snprintf(m, sizeof(m), "%02X:%02X:%02X:%02X:%02X:%02X", h->mac[0], h->mac[1],
			 h->mac[2], h->mac[3], h->mac[4], h->mac[5]);
		emit_obj_open(e, "address");
		emit_str(e, "addr", NULL, m);
		emit_str(e, "addrtype", NULL, "mac");
		const char *v = svc_mac_vendor(&c->svc, h->mac);
		if (v)
			emit_str(e, "vendor", NULL, v);
		emit_obj_close(e);
	}
	xml_hostnames(h, e);
	if (!list && h->status == HOST_UP && !c->o.cfg.ping_only && !h->timed_out)
		xml_ports(c, h, e);
	if (!list && h->status == HOST_UP && !h->timed_out)
		nmap_os_xml(e, h);
	nmap_scripts_host_xml(e, h);
	if (!list && h->status == HOST_UP && !h->timed_out)
		nmap_trace_xml(e, h);
	if (!list && h->status == HOST_UP && h->srtt > 0) {
		/* nmap's per-host timing, in microseconds, rounded: truncated,
		 * 0.021094 s read 21093 while to = srtt + 4 rttvar read 105470 */
		emit_obj_open(e, "times");
		emit_s64(e, "srtt", NULL, (int64_t)(h->srtt * 1e6 + 0.5));
		emit_s64(e, "rttvar", NULL, (int64_t)(h->rttvar * 1e6 + 0.5));
		emit_s64(e, "to", NULL, (int64_t)(h->rtt_to * 1e6 + 0.5));
		emit_obj_close(e);
	}
	emit_obj_close(e);
	nmap_host_flush(c, e);
}

static void xml_end(struct nmap_ctx *c, struct nmap_output *out, bool interrupted)
{
	struct emit *e = out->e;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	double el = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9 - c->start_mono;
	time_t now = time(NULL);
	char t[64], els[32], summary[256];
	nmap_ctime((double)now, t, sizeof(t));
	snprintf(els, sizeof(els), "%.2f", el);
	snprintf(summary, sizeof(summary),
		 "Nmap done at %s; %lu IP address%s (%lu host%s up) scanned in %s seconds", t,
		 c->nhosts, c->nhosts == 1 ? "" : "es", c->nup, c->nup == 1 ? "" : "s", els);
	emit_obj_open(e, "runstats");
	emit_obj_open(e, "finished");
	emit_u64(e, "time", NULL, (uint64_t)now);
	emit_str(e, "timestr", NULL, t);
	emit_str(e, "summary", NULL, summary);
	emit_str(e, "elapsed", NULL, els);
	emit_str(e, "exit", NULL, interrupted || c->fatal_msg ? "error" : "success");
	if (interrupted || c->fatal_msg)
		emit_str(e, "errormsg", NULL,
			 c->fatal_msg ? c->fatal_msg : "Scan interrupted by a signal");
	emit_obj_close(e);
	emit_obj_open(e, "hosts");
	emit_u64(e, "up", NULL, c->nup);
	emit_u64(e, "down", NULL, c->nhosts - c->nup);
	emit_u64(e, "total", NULL, c->nhosts);
	emit_obj_close(e);
	emit_obj_close(e);
	if (out->resumed) /* the <nmaprun> element was opened by the first run */
		emit_rawf(e, "</nmaprun>\n");
	emit_finish(e);
}

const struct nmap_out_ops nmap_out_xml = {
	.begin = xml_begin,
	.host = xml_host,
	.end = xml_end,
};
