/* SPDX-License-Identifier: Apache-2.0 */
/* The -sV stage: service and version detection over the open ports of a
 * hostgroup, after the port scan. It reads the host records (ports and
 * their states, the per-host round-trip timeout) and writes each port's
 * result into h->svcs (and a UDP port that answers from open|filtered to
 * open). Two parts:
 *   handlers.c  the knowledge: one const struct per protocol (likely
 *               ports, probe bytes, framing, a pure parser from lib/svc),
 *               in one table;
 *   sched.c     the connection scheduler: parallel non-blocking
 *               connects, waits derived from the host's RTT, reads that
 *               stop when the handler's framing says the reply is whole,
 *               tcpwrapped when the peer closes without a word.
 * Handlers never see a socket; the scheduler never looks inside a reply. */
#ifndef NETKIT_ENGINE_SERVICE_H
#define NETKIT_ENGINE_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/host.h"
#include "engine/scan_config.h"
#include "lib/svc/svc.h"

#define SVC_TCP 1u
#define SVC_UDP 2u

/* Where a probe goes: what a builder may put in it (HTTP's Host). */
struct svc_target {
	const char *host; /* the name the user gave, else the address ([v6]) */
	uint16_t port;
	bool udp;
};

struct svc_handler {
	const char *name;      /* the probe's name in --version-trace and fingerprints */
	unsigned protos;       /* SVC_TCP | SVC_UDP */
	uint8_t rarity;	       /* sent to any port at --version-intensity >= rarity */
	const uint16_t *ports; /* where it is sent first, whatever the intensity; 0-ended */
	/* the probe, built for the target, or the same for every target
	 * (request, or text); none: the handler only reads what a server
	 * says first */
	size_t (*build)(const struct svc_target *t, uint8_t *buf, size_t cap);
	size_t (*request)(uint8_t *buf, size_t cap);
	const char *text;
	svc_complete_fn complete;
	svc_parse_fn parse;
	/* a TLS handshake only: completed, the port speaks TLS and every
	 * probe is sent again inside it */
	bool tls;
};

/* handlers.c: the table, in the order probes are tried */
extern const struct svc_handler svc_handlers[];
extern const size_t svc_nhandlers;
bool svc_likely(const struct svc_handler *hd, uint16_t port);
/* Whether hd's answers can name service (its parser's names): once a
 * port is soft-matched, only handlers that can name its service (these,
 * or the match database's entries for the probe) are still sent, as nmap
 * does (its softmatch). */
bool svc_names(const struct svc_handler *hd, const char *service);
/* Whether hd sends a probe; the probe for t into buf (its length, 0 if it
 * does not fit). */
bool svc_has_probe(const struct svc_handler *hd);
size_t svc_probe(const struct svc_handler *hd, const struct svc_target *t, uint8_t *buf,
		 size_t cap);

/* One host of the stage, with the timeout its port scan measured. */
struct svc_host {
	struct host *h;
	double rtt_to; /* seconds: srtt + 4 rttvar, clamped; 0 = none measured */
};

/* A job's verdict (result.c writes it into the host record). */
struct svc_outcome {
	enum svc_verdict v;
	const struct svc_match *m;
	bool wrapped;  /* closed without a word */
	bool answered; /* some probe got bytes back */
	bool tls;      /* found inside TLS */
	const struct svc_fp_resp *fp;
	size_t nfp;
};
void svc_job_result(const struct scan_config *cfg, struct host *h, struct port_result *p,
		    const struct svc_outcome *o);

/* Run detection over every open port of hosts[0..n); results go into
 * the host records. Returns 0, -EINTR if should_stop asked, or -errno. */
int service_scan(const struct scan_config *cfg, struct svc_host *hosts, size_t n);

/* Whether the stage looks at this port (open TCP; open or open|filtered
 * UDP; not 9100 without --allports, which printers print). */
bool service_wants(const struct scan_config *cfg, const struct port_result *p);

#endif
