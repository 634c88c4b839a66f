/* SPDX-License-Identifier: Apache-2.0 */
/* Ground truth for tracers on impaired links. The impairment daemon
 * writes one line per probe or reply it can attribute to a tracer's probe
 * (and whether it dropped it); `netkit lab flows` joins the lines of every
 * daemon of a lab, probe by probe, into the loss each flow's probes really
 * suffered per TTL. A tracer's Loss% should equal that loss exactly.
 *
 * A probe is an ICMP echo request, a TCP SYN, or a UDP datagram whose
 * TTL is at most IMPAIR_PROBE_TTL (ordinary traffic starts at 64). Its
 * reply is the echo reply, a TCP RST or SYN-ACK, or an ICMP error quoting
 * the probe. Probe and reply carry the same key: family, protocol, flow
 * (ICMP id, or the probe's source and destination ports) and tag (ICMP
 * sequence, UDP checksum, TCP sequence), which tracers keep distinct per
 * probe. Pure functions; the daemon and the command do the I/O. */
#ifndef NETKIT_CMD_LAB_FLOWS_H
#define NETKIT_CMD_LAB_FLOWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/pkt/pkt.h"

#define IMPAIR_PROBE_TTL 32
#define IMPAIR_SNAPLEN 192 /* bytes of each packet the daemon needs: headers and a quote */

struct impair_pkt {
	char kind; /* 'P' probe, 'R' reply */
	bool v6;
	uint8_t proto; /* IPPROTO_ICMP (ICMPv6 too), IPPROTO_UDP or IPPROTO_TCP */
	uint16_t id;   /* ICMP echo id, or the probe's source port */
	uint16_t port; /* the probe's destination port; 0 for ICMP */
	uint32_t tag;  /* which probe of the flow */
	uint8_t ttl;   /* TTL / hop limit of this packet where it was seen */
	struct pkt_addr src;
};

/* An IP packet (possibly cut at IMPAIR_SNAPLEN). Returns 1 and fills p if
 * it is a probe or a reply to one, 0 if not, -EBADMSG if malformed. */
int impair_classify(const uint8_t *buf, size_t len, struct impair_pkt *p);

/* One record: "KIND DROPPED PROTO ID PORT TAG TTL SRC\n", e.g.
 * "P 0 icmp4 4242 0 17 3 198.18.1.2". Returns the length or -ENOSPC. */
int impair_rec_format(const struct impair_pkt *p, bool dropped, char *buf, size_t size);
/* The reverse; -EBADMSG for anything else. */
int impair_rec_parse(const char *line, struct impair_pkt *p, bool *dropped);
/* "icmp", "udp" or "tcp": the protocols a record can hold. */
const char *impair_proto_name(uint8_t proto);

/* The join. Records of every daemon go in (any order); then per flow and
 * TTL: probes seen, and how many were lost, on the way out or back. A
 * probe's TTL is the largest TTL any daemon saw on it: the one it was
 * sent with when the tracer's own interface is impaired. */
struct flow_hop {
	uint32_t probes, probe_dropped, reply_dropped;
};
struct flow_sum {
	bool v6;
	uint8_t proto;
	uint16_t id, port;
	uint8_t maxttl;
	struct flow_hop hop[256]; /* by TTL */
};
struct flow_probe; /* one probe's state, private to flows.c */
struct flow_join {
	struct flow_probe *tab; /* open addressing on the probe key */
	size_t cap, n;
};

void flow_join_init(struct flow_join *j);
int flow_join_add(struct flow_join *j, const struct impair_pkt *p, bool dropped);
/* Sums per flow, in order of (family, protocol, id, port). *out is
 * malloc'd; returns how many or -ENOMEM. */
int flow_join_sum(const struct flow_join *j, struct flow_sum **out);
void flow_join_free(struct flow_join *j);

#endif
