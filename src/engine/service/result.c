/* SPDX-License-Identifier: Apache-2.0 */
/* A job's verdict into the host record: the port's service, or
 * tcpwrapped, or the fingerprint of answers nobody recognised; a UDP port
 * that answered is open, whatever the port scan could tell. */
#include "engine/service/service.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct port_service *add_service(struct host *h, const struct port_result *p)
{
	struct port_service *v = realloc(h->svcs, (h->nsvcs + 1) * sizeof(*v));
	if (!v)
		return NULL;
	h->svcs = v;
	struct port_service *ps = &v[h->nsvcs++];
	memset(ps, 0, sizeof(*ps));
	ps->port = p->port;
	ps->proto = p->proto;
	return ps;
}

static void fingerprint(const struct scan_config *cfg, struct port_service *ps,
			const struct port_result *p, const struct svc_outcome *o)
{
	ps->fp = svc_fp_format(p->port, p->proto == IPPROTO_UDP, cfg->version.intensity,
			       (long)time(NULL), o->fp, o->nfp);
	ps->resp = svc_resp_copy(o->fp, o->nfp, &ps->nresp);
}

void svc_job_result(const struct scan_config *cfg, struct host *h, struct port_result *p,
		    const struct svc_outcome *o)
{
	if (p->proto == IPPROTO_UDP && o->answered && p->state == PORT_OPEN_FILTERED) {
		p->state = PORT_OPEN;
		p->reason = REASON_UDP_RESPONSE;
	}
	struct port_service *ps = add_service(h, p);
	if (!ps)
		return;
	ps->tunnel_ssl = o->tls;
	if (o->v != SVC_NONE) {
		ps->kind = o->v == SVC_HARD ? PSVC_MATCHED : PSVC_SOFT;
		ps->m = *o->m;
		/* not hard-matched: nmap 7.93 keeps the answers' fingerprint
		 * (and its fingerprint-strings shows them) */
		if (o->v == SVC_SOFT && o->answered)
			fingerprint(cfg, ps, p, o);
		return;
	}
	if (o->wrapped) {
		ps->kind = PSVC_TCPWRAPPED;
		svc_match_reset(&ps->m, "tcpwrapped");
		ps->m.conf = 8;
		return;
	}
	ps->kind = PSVC_UNRECOGNIZED; /* silent, or answers nobody knew */
	if (o->answered)
		fingerprint(cfg, ps, p, o);
}
