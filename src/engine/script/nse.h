/* SPDX-License-Identifier: Apache-2.0 */
/* The script engine (NSE): Lua 5.3 scripts written for nmap's documented
 * NSE API, run as coroutines on one Lua state per scan, their sockets
 * driven by an epoll loop. This directory is the only place that includes
 * lua.h; the rest of netkit sees this header only.
 *
 *   nse.c       the state, its limits (an instruction-count hook and a
 *               memory cap per script), the driver's entry points, host
 *               and port tables, results into the host record
 *   nse_sock.c  nmap.new_socket's primitives and the event loop
 *   data/nse/   driver.lua (selection, rules, scheduler, output layout),
 *               nselib/ (nmap, stdnse, shortport, comm, ...), scripts/
 */
#ifndef NETKIT_ENGINE_SCRIPT_NSE_H
#define NETKIT_ENGINE_SCRIPT_NSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "engine/host.h"

struct nse;

struct nse_conf {
	const char *datadir;   /* holds nse/driver.lua, nse/nselib, nse/scripts */
	const char *select;    /* --script; NULL: "default" (-sC) */
	const char *args;      /* --script-args; NULL: none */
	const char *args_file; /* --script-args-file; NULL: none */
	int verbose, debug;
	/* a line for the terminal ("NSE: Loaded 3 scripts for scanning.") */
	void (*say)(void *ctx, const char *line);
	/* an NSE task begins or ends ("Initiating NSE at ...", XML taskbegin) */
	void (*task)(void *ctx, bool begin, double elapsed);
	/* the port table's name for (proto, port), or NULL */
	const char *(*port_name)(void *ctx, uint8_t proto, uint16_t port);
	void *ctx;
	long max_instructions; /* per resume of a script; 0: the default */
	size_t max_memory;     /* bytes per script; 0: the default */
	double script_timeout; /* --script-timeout: seconds a script may run; 0: no limit */
	/* -sV without --script or -sC: the version scripts run (they may set
	 * port versions) but, as in nmap, their output is not reported */
	bool quiet;
	int version_intensity; /* --version-intensity (nmap.version_intensity()) */
	bool trace;	       /* --script-trace: "NSE: TCP a:p > b:p | ..." lines */
	/* --proxies: scripts' TCP connections go through these, in order */
	const struct scan_proxy *proxies;
	size_t nproxies;
	/* non-zero: stop now (SIGINT/SIGTERM); the running scripts end without
	 * results, at the latest a second after it says so; ctx as above */
	int (*should_stop)(void *ctx);
};

/* The phases nmap runs scripts in. */
enum nse_phase { NSE_PRE, NSE_HOST, NSE_POST };

/* Load the driver and the selected scripts. On failure prints nmap's
 * message ("NSE: failed to initialize the script engine: ...") and
 * returns the exit status (1). */
int nse_open(const struct nse_conf *cf, struct nse **out);
/* --script-help: the selected scripts' help in nmap's layout; exit status. */
int nse_help(const struct nse_conf *cf, FILE *out);
/* --script-updatedb: rebuilds scripts/script.db from the scripts there,
 * with nmap's messages on out. */
int nse_updatedb(const struct nse_conf *cf, FILE *out);
/* How many scripts are selected for scanning. */
size_t nse_count(const struct nse *n);
/* Run one phase: for NSE_HOST over hosts[0..nh) (results go to each
 * host's scripts), for NSE_PRE/NSE_POST with no hosts (results kept, see
 * nse_phase_results). 0 or -errno. */
int nse_run(struct nse *n, enum nse_phase ph, struct host *const *hosts, size_t nh);
/* Pre-/post-scan results: count and array (owned by n). */
const struct script_result *nse_phase_results(const struct nse *n, enum nse_phase ph,
					      size_t *count);
void nse_close(struct nse *n);

#endif
