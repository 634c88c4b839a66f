/* SPDX-License-Identifier: Apache-2.0 */
/* The OS detection stage's one driver (osscan.c) and what it asks of each
 * address family (osscan4.c: IPv4, osscan6.c: IPv6), in the style of the
 * probe modules: the driver picks the live hosts of the family, sets up
 * their ports and addresses, sends a probe, writes the SCAN facts and the
 * NETKIT_OS_RECORD block; the family builds its probes, paces its tries,
 * reads its replies and computes its tests. */
#ifndef NETKIT_ENGINE_NMAP_OSSCAN_H
#define NETKIT_ENGINE_NMAP_OSSCAN_H

#include <stdio.h>

#include "engine/nmap/internal.h"

#define OSSCAN_PROBES_MAX 17 /* the larger family's number of probes */

typedef void (*osscan_say_fn)(void *ctx, int tryno, size_t n, const struct host *h);

/* One host of the stage. */
struct os_slot {
	struct rhost *rh;
	struct host_os *r;
	void *obs;   /* the family's observation (struct os_obs, os6_obs) */
	void *sched; /* the family's pacing of this host, or NULL */
	uint8_t sends[OSSCAN_PROBES_MAX];
	bool active;
};

/* What the probes of a host are sent from and to. */
struct os_target {
	struct pkt_addr src, dst;
	uint16_t sport_base;
	uint16_t open_port, closed_port, closed_udp;
};

struct os_family {
	int af;		   /* AF_INET, AF_INET6: the hosts it takes */
	const char *db;	   /* its knowledge, data/os/DB */
	int nprobes;	   /* probes 0..nprobes-1 */
	size_t obs_size;   /* of its observation */
	size_t sched_size; /* of its pacing state (0: none) */
	/* the observation's probe parameters (and pacing) from t */
	void (*setup)(struct os_slot *s, const struct scan_config *cfg, const struct os_target *t);
	/* probe p's packet leaving now into buf: its length or -errno */
	int (*build)(struct os_slot *s, int p, double now, uint8_t *buf, size_t cap);
	/* the tries over hs[0..n), each fingerprint finished against db */
	int (*tries)(struct engine *e, struct os_slot *hs, size_t n, const struct os_db *db,
		     osscan_say_fn say, void *ctx);
	/* the params line of a NETKIT_OS_RECORD block */
	void (*record_params)(FILE *f, const struct os_slot *s);
	/* probe p's name, and its reply (NULL: none) with when p left after
	 * the first probe */
	const char *(*probe_name)(int p);
	const uint8_t *(*reply)(const struct os_slot *s, int p, size_t *len, double *after);
	/* a packet received during the tries, for the active ones of hs */
	void (*on_packet)(struct engine *e, struct os_slot *hs, size_t n, const struct io_pkt *pk);
};

extern const struct os_family osscan_ipv4, osscan_ipv6;

/* Both families' probe parameters and observations have the same names
 * for what they share: t into parameters pp; probe p's reply in
 * observation o (NULL: none), its length and when p left after the first. */
#define OSSCAN_SET_TARGET(pp, t)                                                                   \
	((pp)->src = (t)->src, (pp)->dst = (t)->dst, (pp)->sport_base = (t)->sport_base,           \
	 (pp)->open_port = (t)->open_port, (pp)->closed_port = (t)->closed_port,                   \
	 (pp)->closed_udp = (t)->closed_udp)
#define OSSCAN_REPLY(o, p, len, after)                                                             \
	(*(len) = (o)->rlen[p], *(after) = (o)->sent[p] - (o)->sent[0],                            \
	 (o)->got[p] ? (const uint8_t *)(o)->reply[p] : NULL)

/* Send probe p of s now (unreachable counts as sent). 0 or -errno. */
int osscan_send(struct engine *e, const struct os_family *f, struct os_slot *s, int p, double now);
/* Wait up to wait seconds for packets; each goes to f->on_packet. */
void osscan_receive(struct engine *e, const struct os_family *f, struct os_slot *hs, size_t n,
		    double wait);
/* s's fingerprint (r->fp computed, tests: the printed test lines or
 * NULL for r->fp.tests) with the SCAN facts, and its record when asked. */
void osscan_fingerprint(const struct engine *e, const struct os_family *f, struct os_slot *s,
			bool udp_answered, const char *tests);

#endif
