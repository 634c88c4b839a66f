/* SPDX-License-Identifier: Apache-2.0 */
/* The nmap scanning engine's public API. The front end (src/cmd/nmap)
 * fills a struct scan_config (engine/scan_config.h) from the command line,
 * expands the targets into struct host records (engine/host.h: addr and
 * target_name set, everything else zero), and calls scan_run(). The engine
 * runs discovery -> reverse DNS -> port scan hostgroup by hostgroup and
 * calls cfg->hooks.host_done once per host, in target order, as soon as
 * the host's group is finished. The engine never prints.
 *
 * Defaults: every knob left unset takes the value of the timing template,
 * as nmap's -T0..-T5 define them. cfg->scans == 0 with !ping_only means
 * nmap's default (SYN scan with raw rights, connect scan without);
 * cfg->pings == 0 means nmap's default discovery probes for our rights.
 *
 * Resuming (--resume at the port): a host handed in with status HOST_UP
 * (and its reason) is known to be up: discovery leaves it, its rtt and
 * start as they are. Ports already in its h->ports are known results:
 * they are not probed again, not reported to ports_final again, and stay
 * in h->ports next to the new ones. */
#ifndef NETKIT_ENGINE_SCAN_H
#define NETKIT_ENGINE_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/host.h"
#include "engine/scan_config.h"

struct scan_stats {
	unsigned long hosts_up;
	double elapsed;	    /* seconds */
	unsigned scans;	    /* scan types actually run, after defaults */
	unsigned long sent; /* probes sent */
	unsigned long rcvd; /* replies that matched a probe */
	bool raw;	    /* raw sockets were used */
	unsigned long raw_sent, raw_rcvd, raw_sent_bytes, raw_rcvd_bytes;
};

/* Whether this process may open raw sockets (root or CAP_NET_RAW). */
bool scan_have_raw(void);

/* Resolve defaults in place: scan types and discovery probes for our
 * rights (have_raw), as nmap picks them, so the front end can print and
 * record (XML scaninfo) what will run. Idempotent. */
void scan_config_defaults(struct scan_config *cfg, bool have_raw);

/* Run the pipeline over hosts[0..n). Fills status, reason, reason_ttl,
 * rtt, mac, rdns, start/end and ports (malloc'd; the caller owns them
 * and everything else in the records once host_done has been called).
 * Returns 0, -EPERM when a raw scan type was asked for without raw rights,
 * -EINVAL for an impossible configuration, or another -errno. */
int scan_run(const struct scan_config *cfg, struct host *hosts, size_t n, struct scan_stats *st);

/* Resolve PTR names of hosts[0..n) that need one (see scan_config's
 * resolve field) into h->rdns, in parallel. Used by scan_run and, for
 * -sL, by the front end directly. Returns 0 or -errno. */
int scan_rdns(const struct scan_config *cfg, struct host *hosts, size_t n);

#endif
