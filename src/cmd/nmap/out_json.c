/* SPDX-License-Identifier: Apache-2.0 */
/* -oJ: netkit's own addition. One JSON object per host on its own line
 * (NDJSON), written and flushed the moment the host is finished, so a
 * consumer can follow the file while the scan runs and a killed scan
 * leaves only complete lines. */
#include "cmd/nmap/nmap.h"

#include <string.h>

static void json_begin(struct nmap_ctx *c, struct nmap_output *out)
{
	(void)c;
	(void)out;
}

/* -sV: what the port runs and the evidence it rests on */
static void json_version(const struct port_service *ps, struct emit *e)
{
	if (!ps)
		return;
	static const char *const kinds[] = {"matched", "soft", "tcpwrapped", "unrecognized"};
	const struct svc_match *m = &ps->m;
	emit_obj_open(e, "version");
	emit_str(e, "result", NULL, kinds[ps->kind]);
	if (ps->tunnel_ssl)
		emit_str(e, "tunnel", NULL, "ssl");
	const char *k[] = {"product", "version",    "extrainfo", "hostname",
			   "ostype",  "devicetype", "evidence"};
	const char *v[] = {m->product, m->version,    m->info,	  m->hostname,
			   m->ostype,  m->devicetype, m->evidence};
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++)
		if (*v[i])
			emit_str(e, k[i], NULL, v[i]);
	if (ps->kind == PSVC_MATCHED || ps->kind == PSVC_SOFT || ps->kind == PSVC_TCPWRAPPED)
		emit_uint(e, "conf", NULL, m->conf);
	if (m->ncpe) {
		emit_arr_open(e, "cpe");
		for (unsigned i = 0; i < m->ncpe; i++)
			emit_str(e, NULL, NULL, m->cpe[i]);
		emit_arr_close(e);
	}
	if (ps->fp)
		emit_str(e, "fingerprint", NULL, ps->fp);
	emit_obj_close(e);
}

static void json_ports(struct nmap_ctx *c, struct emit *e, const struct host *h)
{
	struct nmap_ignored ig;
	nmap_ignored_states(c, h, &ig);
	emit_arr_open(e, "extraports");
	for (size_t i = 0; i < ig.n; i++) {
		emit_obj_open(e, NULL);
		emit_str(e, "state", NULL, port_state_name(ig.state[i]));
		emit_u64(e, "count", NULL, ig.count[i]);
		emit_obj_close(e);
	}
	emit_arr_close(e);
	emit_arr_open(e, "ports");
	for (size_t i = 0; i < h->nports; i++) {
		const struct port_result *p = &h->ports[i];
		if (nmap_is_ignored(&ig, p->state))
			continue;
		emit_obj_open(e, NULL);
		emit_str(e, "protocol", NULL, nmap_proto_name(p->proto));
		emit_uint(e, "portid", NULL, p->port);
		emit_str(e, "state", NULL, port_state_name(p->state));
		emit_str(e, "reason", NULL, reason_name(p->reason));
		emit_uint(e, "reason_ttl", NULL, p->reason_ttl);
		char sb[64];
		emit_str(e, "service", NULL, nmap_service_col(c, h, p, false, sb, sizeof(sb)));
		json_version(nmap_port_svc(c, h, p), e);
		nmap_scripts_json(e, h, p);
		emit_obj_close(e);
	}
	emit_arr_close(e);
}

static void json_host(struct nmap_ctx *c, struct nmap_output *out, const struct host *h)
{
	struct emit *e = out->e;
	char a[INET6_ADDRSTRLEN];
	emit_obj_open(e, NULL);
	emit_str(e, "addr", NULL, nmap_addr_str(&h->addr, a, sizeof(a)));
	emit_str(e, "addrtype", NULL, h->addr.ss_family == AF_INET6 ? "ipv6" : "ipv4");
	if (h->target_name)
		emit_str(e, "target", NULL, h->target_name);
	if (c->o.shards) /* the shard's key for netkit dist merge */
		emit_u64(e, "target_index", NULL, h->tindex);
	if (h->rdns)
		emit_str(e, "rdns", NULL, h->rdns);
	emit_str(e, "status", NULL,
		 c->o.list_scan		? "unknown"
		 : h->status == HOST_UP ? "up"
					: "down");
	if (!c->o.list_scan) {
		emit_str(e, "reason", NULL, reason_name(h->reason));
		emit_uint(e, "reason_ttl", NULL, h->reason_ttl);
		if (h->rtt > 0)
			emit_double(e, "rtt", NULL, "%.6f", h->rtt);
		emit_double(e, "start", NULL, "%.3f", h->start);
		emit_double(e, "end", NULL, "%.3f", h->end);
	}
	if (h->has_mac) {
		char m[24];
		snprintf(m, sizeof(m), "%02X:%02X:%02X:%02X:%02X:%02X", h->mac[0], h->mac[1],
			 h->mac[2], h->mac[3], h->mac[4], h->mac[5]);
		emit_str(e, "mac", NULL, m);
	}
	if (!c->o.list_scan && !c->o.cfg.ping_only && h->status == HOST_UP)
		json_ports(c, e, h);
	nmap_scripts_json(e, h, NULL);
	nmap_os_json(e, h);
	emit_obj_close(e);
	emit_finish(e); /* ends the line and flushes: one complete object */
}

static void json_end(struct nmap_ctx *c, struct nmap_output *out, bool interrupted)
{
	(void)c;
	(void)interrupted;
	emit_flush(out->e);
}

const struct nmap_out_ops nmap_out_json = {
	.begin = json_begin,
	.host = json_host,
	.end = json_end,
};
