/* SPDX-License-Identifier: Apache-2.0 */
/* Internals shared by the engine's files: sockets, sending, matching. */
#ifndef NETKIT_ENGINE_TRACE_INT_H
#define NETKIT_ENGINE_TRACE_INT_H

#include "engine/trace/trace.h"

socklen_t trace_sockaddr(const struct pkt_addr *a, uint16_t port, struct sockaddr_storage *ss);
bool trace_from_sockaddr(const struct sockaddr_storage *ss, struct pkt_addr *a);
void trace_send_probe(struct trace *t, int flow, int ttl, unsigned cycle);
/* The probe's bytes (the L4 header and payload; raw UDP/TCP include their
 * header, ICMP its header, datagram UDP only the payload) into buf of
 * 9000 bytes. Returns the length or -errno. */
int trace_build(struct trace *t, int flow, uint16_t seq, uint8_t *buf);
void trace_account(struct trace *t, unsigned seq, const struct pkt_addr *from, double when,
		   bool unreach, const struct trace_mpls *mpls);
/* How long an answer may take before it counts as lost: three times the
 * slowest seen so far, at least TRACE_WAIT_FLOOR seconds. */
#define TRACE_WAIT_FLOOR 0.25
double trace_reply_wait(const struct trace *t);

/* tcpconn.c: TCP probes through connect() for unprivileged users */
int trace_conn_probe(struct trace *t, uint16_t seq, int ttl);
bool trace_conn_input(struct trace *t, const struct pollfd *p);
void trace_conn_expire(struct trace *t, double now);
void trace_conn_close_all(struct trace *t);

#endif
