/* SPDX-License-Identifier: Apache-2.0 */
/* Probe construction and the keyed cookies replies are checked against. */
#ifndef NETKIT_ENGINE_NMAP_PROBE_H
#define NETKIT_ENGINE_NMAP_PROBE_H

#include "engine/nmap/internal.h"

uint32_t probe_tcp_cookie(const struct engine *e, const struct pkt_addr *dst, uint16_t dport,
			  uint16_t sport, uint8_t flags);
uint16_t probe_icmp_id(const struct engine *e, const struct pkt_addr *dst);
/* The source port of try tryno (-g pins it). */
uint16_t probe_sport(const struct engine *e, unsigned tryno);
uint16_t probe_ip_id(const struct engine *e, const struct pkt_addr *dst, uint8_t proto);

/* The whole IP packet for probe p to dst, try number tryno: length or
 * -errno. */
int probe_build(const struct engine *e, const struct pkt_addr *src, const struct pkt_addr *dst,
		const struct probe_def *p, unsigned tryno, uint8_t *buf, size_t cap);
/* An IPv6 neighbour solicitation for target; *dst gets the solicited-node
 * group it goes to. */
int probe_build_nd(const struct engine *e, const struct pkt_addr *src, const uint8_t *mymac,
		   const struct pkt_addr *target, uint8_t *buf, size_t cap, struct pkt_addr *dst);

#endif
