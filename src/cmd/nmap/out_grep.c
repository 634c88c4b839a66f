/* SPDX-License-Identifier: Apache-2.0 */
/* nmap's grepable output (-oG): one "Host:" line for the status and one
 * for the ports, tab-separated fields. */
#include "cmd/nmap/nmap.h"

#include <string.h>
#include <time.h>

static void grep_begin(struct nmap_ctx *c, struct nmap_output *out)
{
	char ts[64];
	nmap_ctime(c->start, ts, sizeof(ts));
	emit_text(out->e, "# netkit nmap %s (nmap %s compatible) scan initiated %s as: %s\n",
		  NETKIT_VERSION, NMAP_COMPAT, ts, c->args);
	emit_flush(out->e);
}

static void grep_host(struct nmap_ctx *c, struct nmap_output *out, const struct host *h)
{
	struct emit *e = out->e;
	char a[INET6_ADDRSTRLEN];
	const char *st = c->o.list_scan ? "Unknown" : h->status == HOST_UP ? "Up" : "Down";
	if (h->status != HOST_UP && !c->o.list_scan && !c->o.verbose)
		return;
	nmap_addr_str(&h->addr, a, sizeof(a));
	emit_text(e, "Host: %s (%s)\tStatus: %s\n", a, h->rdns ? h->rdns : "", st);
	if (c->o.list_scan || c->o.cfg.ping_only || h->status != HOST_UP) {
		nmap_host_flush(c, e);
		return;
	}
	struct nmap_ignored ig;
	nmap_ignored_states(c, h, &ig);
	emit_text(e, "Host: %s (%s)\tPorts: ", a, h->rdns ? h->rdns : "");
	bool first = true;
	for (size_t i = 0; i < h->nports; i++) {
		const struct port_result *p = &h->ports[i];
		if (nmap_is_ignored(&ig, p->state))
			continue;
		char sb[64], ver[512];
		nmap_version_col(nmap_port_svc(c, h, p), ver, sizeof(ver));
		for (char *q = ver; *q; q++) /* '/' separates the fields */
			if (*q == '/')
				*q = '|';
		const char *svc = nmap_service_col(c, h, p, true, sb, sizeof(sb));
		if (svc == sb) /* "ssl/http" reads "ssl|http" here */
			for (char *q = sb; *q; q++)
				if (*q == '/')
					*q = '|';
		/* nmap leaves the field empty for a port its table does not name */
		if (!nmap_port_svc(c, h, p) &&
		    (p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP ||
		     p->proto == IPPROTO_SCTP) &&
		    !svc_lookup(&c->svc, p->proto, p->port))
			svc = "";
		emit_text(e, "%s%u/%s/%s//%s//%s/", first ? "" : ", ", p->port,
			  port_state_name(p->state), nmap_proto_name(p->proto), svc, ver);
		first = false;
	}
	/* nmap names the ignored state only when there is just one */
	if (ig.n == 1)
		emit_text(e, "\tIgnored State: %s (%zu)", port_state_name(ig.state[0]),
			  ig.count[0]);
	emit_text(e, "\n");
	nmap_host_flush(c, e);
}

static void grep_end(struct nmap_ctx *c, struct nmap_output *out, bool interrupted)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	double el = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9 - c->start_mono;
	char t[64];
	nmap_ctime((double)time(NULL), t, sizeof(t));
	emit_text(out->e,
		  "# Nmap done at %s -- %lu IP address%s (%lu host%s up) scanned in %.2f "
		  "seconds%s\n",
		  t, c->nhosts, c->nhosts == 1 ? "" : "es", c->nup, c->nup == 1 ? "" : "s", el,
		  interrupted ? " (interrupted)" : "");
	emit_flush(out->e);
}

const struct nmap_out_ops nmap_out_grep = {
	.begin = grep_begin,
	.host = grep_host,
	.end = grep_end,
};
