/* The nmap scanning engine's public API: the front end (src/cmd/nmap)
 * fills a struct scan_config from the command line, hands over an
 * iterator of targets, and gets one finished struct host (engine/host.h)
 * per target through a callback, hostgroup by hostgroup, as nmap reports
 * them. The engine never prints: warnings nmap would print go through
 * the notice callback, with nmap's wording.
 *
 * Defaults: every knob that is "unset" (-1 / 0 as documented per field)
 * takes the value of the timing template, as nmap's -T0..-T5 define them.
 * scan_types == 0 means nmap's default (SYN scan with raw rights, connect
 * scan without); disc.probes == 0 means nmap's default discovery probes. */
#ifndef NETKIT_ENGINE_SCAN_H
#define NETKIT_ENGINE_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "engine/host.h"

/* Port scan types; several can be combined (-sS -sU). */
#define SCAN_SYN (1u << 0)     /* -sS */
#define SCAN_CONNECT (1u << 1) /* -sT */
#define SCAN_ACK (1u << 2)     /* -sA */
#define SCAN_FIN (1u << 3)     /* -sF */
#define SCAN_NULL (1u << 4)    /* -sN */
#define SCAN_XMAS (1u << 5)    /* -sX */
#define SCAN_UDP (1u << 6)     /* -sU */
#define SCAN_PROTO (1u << 7)   /* -sO */
#define SCAN_RAW_TYPES                                                                             \
	(SCAN_SYN | SCAN_ACK | SCAN_FIN | SCAN_NULL | SCAN_XMAS | SCAN_UDP | SCAN_PROTO)

/* Host discovery probes (-P*). */
#define DISC_ICMP_ECHO (1u << 0) /* -PE */
#define DISC_ICMP_TS (1u << 1)	 /* -PP */
#define DISC_ICMP_MASK (1u << 2) /* -PM */
#define DISC_TCP_SYN (1u << 3)	 /* -PS[ports] */
#define DISC_TCP_ACK (1u << 4)	 /* -PA[ports] */
#define DISC_UDP (1u << 5)	 /* -PU[ports] */
#define DISC_ARP (1u << 6)	 /* -PR (also ND for IPv6) */

enum scan_mode {
	SCAN_MODE_PORTS = 0, /* discovery, then port scan (the default) */
	SCAN_MODE_LIST,	     /* -sL: list targets, reverse DNS only, nothing sent */
	SCAN_MODE_PING,	     /* -sn: discovery only */
};

enum scan_resolve {
	RESOLVE_DEFAULT = 0, /* reverse DNS for hosts that are up */
	RESOLVE_NEVER,	     /* -n */
	RESOLVE_ALWAYS,	     /* -R: every target, up or down */
};

/* Timing knobs; times in seconds. -1 (or 0 for counts/rates where noted)
 * means "unset: take the template's value". */
struct scan_timing {
	int template;		    /* -T0..-T5; -1 unset (= 3, normal) */
	double min_rate;	    /* --min-rate, packets/s; 0 unset */
	double max_rate;	    /* --max-rate, packets/s; 0 unset */
	int max_retries;	    /* --max-retries; -1 unset */
	double min_rtt_timeout;	    /* --min-rtt-timeout; -1 unset */
	double max_rtt_timeout;	    /* --max-rtt-timeout; -1 unset */
	double initial_rtt_timeout; /* --initial-rtt-timeout; -1 unset */
	double host_timeout;	    /* --host-timeout; 0 unset (none) */
	double scan_delay;	    /* --scan-delay; -1 unset */
	double max_scan_delay;	    /* --max-scan-delay; -1 unset */
	int min_hostgroup;	    /* --min-hostgroup; 0 unset */
	int max_hostgroup;	    /* --max-hostgroup; 0 unset */
	int min_parallelism;	    /* --min-parallelism; 0 unset */
	int max_parallelism;	    /* --max-parallelism; 0 unset */
};

struct scan_discovery {
	unsigned probes;	   /* DISC_* bits; 0 = nmap's default */
	bool skip;		   /* -Pn: treat every host as up (reason user-set) */
	bool disable_arp;	   /* --disable-arp-ping */
	const uint16_t *syn_ports; /* -PS ports; NULL/0 = 80 */
	size_t nsyn_ports;
	const uint16_t *ack_ports; /* -PA ports; NULL/0 = 80 */
	size_t nack_ports;
	const uint16_t *udp_ports; /* -PU ports; NULL/0 = 40125 */
	size_t nudp_ports;
};

struct scan_dns {
	enum scan_resolve resolve;
	const char *servers; /* --dns-servers "a,b,c"; NULL = /etc/resolv.conf */
	bool system_dns;     /* --system-dns: getnameinfo, one at a time */
};

/* Called once per finished host, in nmap's order (hostgroup by hostgroup,
 * targets in the order given). The host and everything it points to stay
 * the engine's and are freed after the callback returns; copy what you
 * need to keep. Return 0 to go on, non-zero to stop the scan. */
typedef int (*scan_host_cb)(void *ctx, const struct host *h);
/* A message nmap would print on stderr/stdout during the scan (a warning,
 * "giving up on port because retransmission cap hit", ...), one line,
 * without newline. */
typedef void (*scan_notice_cb)(void *ctx, const char *msg);

struct scan_config {
	enum scan_mode mode;
	unsigned scan_types; /* SCAN_* bits; 0 = default for our rights */
	int family;	     /* AF_INET (default) or AF_INET6 (-6) */

	/* Ports to scan, each list in nmap's order of preference; the engine
	 * probes them in random order anyway. */
	const uint16_t *tcp_ports; /* for -sS/-sT/-sA/-sF/-sN/-sX */
	size_t ntcp_ports;
	const uint16_t *udp_ports; /* for -sU */
	size_t nudp_ports;
	const uint8_t *protos; /* for -sO */
	size_t nprotos;

	struct scan_discovery disc;
	struct scan_timing timing;
	struct scan_dns dns;

	const char *iface;   /* -e; NULL = from the routing table */
	int verbose;	     /* -v count: more notices */
	const char *datadir; /* where nmap-payloads lives; NULL = built-in default */

	scan_host_cb on_host;
	scan_notice_cb on_notice;
	void *cb_ctx;
};

/* One target as the user named it, already resolved to an address by the
 * front end's target parser. */
struct scan_target {
	struct sockaddr_storage addr;
	const char *name; /* the name the user typed, NULL for a literal address */
};

/* Pull targets one at a time: fill *t and return 1, return 0 at the end,
 * or -errno on a failure (the scan stops). The engine copies *t. */
struct scan_targets {
	int (*next)(void *ctx, struct scan_target *t);
	void *ctx;
};

struct scan_stats {
	unsigned long hosts_total; /* targets seen */
	unsigned long hosts_up;
	double elapsed;	     /* seconds */
	unsigned scan_types; /* what was actually run after defaults */
	unsigned long probes_sent;
};

/* Whether this process may open raw sockets (root or CAP_NET_RAW). */
bool scan_have_raw(void);

/* Fill in defaults (scan types and discovery probes for our rights) so
 * the front end can print what will run. Idempotent. */
void scan_config_defaults(struct scan_config *cfg, bool have_raw);

/* Run the whole pipeline. Returns 0, or -errno (e.g. -EPERM when a raw
 * scan type was asked for without raw rights; -EINVAL for an impossible
 * configuration). stats may be NULL. */
int scan_run(const struct scan_config *cfg, const struct scan_targets *targets,
	     struct scan_stats *stats);

#endif
