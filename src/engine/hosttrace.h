/* SPDX-License-Identifier: Apache-2.0 */
/* --traceroute's result for one host (struct host's trace), as nmap's
 * traceroute stage leaves it: the probe it used, one record per TTL up
 * to the host, and which earlier host shares the first hops (nmap's
 * "Hops 1-N are the same as for HOST"). */
#ifndef NETKIT_ENGINE_HOSTTRACE_H
#define NETKIT_ENGINE_HOSTTRACE_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/pkt/pkt.h"

#define HTRACE_MAXTTL 50

struct htrace_hop {
	bool answered;	      /* false: a timeout ("...") */
	struct pkt_addr addr; /* who answered */
	double rtt;	      /* seconds */
	char *name;	      /* its PTR name, or NULL */
};

struct host_trace {
	bool direct;	  /* on our link: one hop, no probes (nmap's bare "TRACEROUTE") */
	uint8_t proto;	  /* IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP */
	uint16_t port;	  /* TCP/UDP destination port */
	uint8_t tcpflags; /* the TCP probe's flags (nmap's ping probe's: SYN, ACK...) */
	int nhops;	  /* hops[0] is TTL 1 */
	int same_upto;	  /* hops 1..same_upto are those of same_as (0: none) */
	char same_as[64]; /* that host's address as nmap prints it */
	struct htrace_hop hops[HTRACE_MAXTTL];
};

void host_trace_free(struct host_trace *t);

#endif
