/* SPDX-License-Identifier: Apache-2.0 */
/* Names for the host record's enums (nmap's spellings) and the few
 * helpers every stage needs to fill and free a struct host. */
#include "engine/host.h"

#include "engine/hostos.h"
#include "engine/hosttrace.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

static const char *const state_names[PORT_STATE_MAX] = {
	[PORT_UNKNOWN] = "unknown",
	[PORT_OPEN] = "open",
	[PORT_CLOSED] = "closed",
	[PORT_FILTERED] = "filtered",
	[PORT_UNFILTERED] = "unfiltered",
	[PORT_OPEN_FILTERED] = "open|filtered",
	[PORT_CLOSED_FILTERED] = "closed|filtered",
};

const char *port_state_name(enum port_state s)
{
	return (unsigned)s < PORT_STATE_MAX ? state_names[s] : "unknown";
}

static const char *const reason_names[REASON_MAX] = {
	[REASON_NONE] = "unknown-response",
	[REASON_SYN_ACK] = "syn-ack",
	[REASON_RESET] = "reset",
	[REASON_NO_RESPONSE] = "no-response",
	[REASON_CONN_REFUSED] = "conn-refused",
	[REASON_ECHO_REPLY] = "echo-reply",
	[REASON_TIMESTAMP_REPLY] = "timestamp-reply",
	[REASON_MASK_REPLY] = "addressmask-reply",
	[REASON_ARP_RESPONSE] = "arp-response",
	[REASON_ND_RESPONSE] = "nd-response",
	[REASON_PORT_UNREACH] = "port-unreach",
	[REASON_PROTO_UNREACH] = "proto-unreach",
	[REASON_HOST_UNREACH] = "host-unreach",
	[REASON_NET_UNREACH] = "net-unreach",
	[REASON_ADMIN_PROHIBITED] = "admin-prohibited",
	[REASON_HOST_PROHIBITED] = "host-prohibited",
	[REASON_NET_PROHIBITED] = "net-prohibited",
	[REASON_UDP_RESPONSE] = "udp-response",
	[REASON_PROTO_RESPONSE] = "proto-response",
	[REASON_USER_SET] = "user-set",
	[REASON_LOCALHOST_RESPONSE] = "localhost-response",
	[REASON_TIME_EXCEEDED] = "time-exceeded",
	[REASON_INIT_ACK] = "init-ack",
	[REASON_ABORT] = "abort",
	[REASON_SCRIPT_SET] = "script-set",
};

const char *reason_name(enum reason r)
{
	return (unsigned)r < REASON_MAX ? reason_names[r] : "unknown-response";
}

int host_add_port(struct host *h, const struct port_result *p)
{
	if (h->nports == h->ports_cap) {
		size_t cap = h->ports_cap ? h->ports_cap * 2 : 16;
		struct port_result *v = realloc(h->ports, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		h->ports = v;
		h->ports_cap = cap;
	}
	h->ports[h->nports++] = *p;
	return 0;
}

static int port_cmp(const void *a, const void *b)
{
	const struct port_result *x = a, *y = b;
	/* nmap lists tcp before udp before sctp before ip protocols */
	static const int rank[256] = {[IPPROTO_TCP] = 0, [IPPROTO_UDP] = 1, [IPPROTO_SCTP] = 2};
	int rx = x->proto == IPPROTO_TCP || x->proto == IPPROTO_UDP || x->proto == IPPROTO_SCTP
			 ? rank[x->proto]
			 : 3;
	int ry = y->proto == IPPROTO_TCP || y->proto == IPPROTO_UDP || y->proto == IPPROTO_SCTP
			 ? rank[y->proto]
			 : 3;
	if (rx != ry)
		return rx - ry;
	return (int)x->port - (int)y->port;
}

void host_sort_ports(struct host *h)
{
	/* A scan adds its results in port order already: -p- is 65,535
	 * records, and qsort on them costs more than the check. */
	size_t i = 1;
	while (i < h->nports && port_cmp(&h->ports[i - 1], &h->ports[i]) <= 0)
		i++;
	if (i < h->nports)
		qsort(h->ports, h->nports, sizeof(*h->ports), port_cmp);
}

const struct port_service *host_service(const struct host *h, uint8_t proto, uint16_t port)
{
	for (size_t i = 0; i < h->nsvcs; i++)
		if (h->svcs[i].port == port && h->svcs[i].proto == proto)
			return &h->svcs[i];
	return NULL;
}

void host_free_services(struct host *h)
{
	for (size_t i = 0; i < h->nsvcs; i++) {
		free(h->svcs[i].fp);
		svc_resp_free(h->svcs[i].resp, h->svcs[i].nresp);
	}
	free(h->svcs);
	h->svcs = NULL;
	h->nsvcs = 0;
}

void host_free_scripts(struct host *h)
{
	for (size_t i = 0; i < h->nscripts; i++) {
		free(h->scripts[i].id);
		free(h->scripts[i].normal);
		free(h->scripts[i].xml);
		free(h->scripts[i].json);
	}
	free(h->scripts);
	h->scripts = NULL;
	h->nscripts = 0;
}

int host_pingprobe_score(uint8_t proto, uint16_t port, uint8_t state, bool several)
{
	int base = proto == IPPROTO_TCP ? 10 : proto == IPPROTO_UDP ? 0 : -1;
	if (base < 0 || (state != PORT_OPEN && state != PORT_CLOSED))
		return 0;
	if (state == PORT_OPEN)
		return base + 1;
	bool low = several;
	if (proto == IPPROTO_TCP)
		low = port == 25 || port == 113 || port == 135 || port == 139 || port == 445;
	return base + (low ? 2 : 3);
}

void host_note_pingprobe(struct host *h, const struct port_result *p, bool several,
			 uint8_t tcpflags)
{
	int sc = host_pingprobe_score(p->proto, p->port, p->state, several);
	if (sc > h->pingprobe_score) {
		h->pingprobe = *p;
		h->pingprobe_score = sc;
		h->pingprobe_tcpflags = tcpflags;
	}
}

void host_clear(struct host *h)
{
	host_free_services(h);
	host_trace_free(h->trace);
	host_os_free(h->os);
	host_free_scripts(h);
	free(h->target_name);
	free(h->rdns);
	free(h->ports);
	memset(h, 0, sizeof(*h));
	h->rtt = -1;
}
