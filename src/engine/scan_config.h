/* SPDX-License-Identifier: Apache-2.0 */
/* What the nmap front end (src/cmd/nmap) asks the scanning engine to do.
 * The front end fills one struct scan_config from the command line
 * (targets are expanded by src/lib/target and handed over as struct host
 * records, see host.h); the engine (scan.h) only reads it and reports
 * through the hooks, so output stays entirely in the front end. */
#ifndef NETKIT_ENGINE_SCAN_CONFIG_H
#define NETKIT_ENGINE_SCAN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <sys/socket.h>

struct host;
struct port_result;
struct svcmatch_db;
struct nse;
struct svcmatch_db;

/* Port scan techniques (-sS -sT ...), combinable as nmap allows (one TCP
 * technique plus -sU). */
enum scan_type {
	SCAN_SYN = 1u << 0,	     /* -sS */
	SCAN_CONNECT = 1u << 1,	     /* -sT */
	SCAN_ACK = 1u << 2,	     /* -sA */
	SCAN_WINDOW = 1u << 3,	     /* -sW */
	SCAN_MAIMON = 1u << 4,	     /* -sM */
	SCAN_NULL = 1u << 5,	     /* -sN */
	SCAN_FIN = 1u << 6,	     /* -sF */
	SCAN_XMAS = 1u << 7,	     /* -sX */
	SCAN_UDP = 1u << 8,	     /* -sU */
	SCAN_IPPROTO = 1u << 9,	     /* -sO */
	SCAN_SCTP_INIT = 1u << 10,   /* -sY */
	SCAN_SCTP_COOKIE = 1u << 11, /* -sZ */
};

/* Host discovery probes (-P*). With none set the engine uses nmap's
 * defaults (ARP/ND on a local link, else ICMP echo + TCP SYN 443 + TCP ACK
 * 80 + ICMP timestamp when privileged). */
enum ping_type {
	PING_ICMP_ECHO = 1u << 0, /* -PE */
	PING_ICMP_TS = 1u << 1,	  /* -PP */
	PING_ICMP_MASK = 1u << 2, /* -PM */
	PING_TCP_SYN = 1u << 3,	  /* -PS[ports] */
	PING_TCP_ACK = 1u << 4,	  /* -PA[ports] */
	PING_UDP = 1u << 5,	  /* -PU[ports] */
	PING_ARP = 1u << 6,	  /* -PR */
	PING_IPPROTO = 1u << 7,	  /* -PO[protos] */
	PING_SCTP = 1u << 8,	  /* -PY[ports] */
};

/* A list of ports (or protocol numbers for -sO) in the order the engine
 * should probe them: the front end has already shuffled it unless -r. */
struct port_list {
	uint16_t *ports;
	size_t n;
};

struct scan_timing {
	int level;		/* -T0..5; 3 by default */
	double min_rtt_timeout; /* seconds; 0 = engine default */
	double max_rtt_timeout; /* seconds; 0 = engine default */
	double initial_rtt_timeout;
	int max_retries;		      /* -1 = default */
	double host_timeout;		      /* seconds; 0 = none */
	double scan_delay;		      /* seconds between probes to one host */
	double max_scan_delay;		      /* 0 = default */
	double min_rate, max_rate;	      /* packets per second; 0 = unset */
	int min_parallelism, max_parallelism; /* 0 = unset */
	int min_hostgroup, max_hostgroup;     /* 0 = unset */
};

/* TRACE_SENT_LOOKUP: sent to learn a next hop's MAC (--send-eth), which
 * nmap words apart ("neighbor solicitation ... who has ..."). */
enum trace_dir { TRACE_SENT, TRACE_RCVD, TRACE_SENT_LOOKUP };

/* The engine's tasks, as nmap names them in -v output and in XML's
 * <taskbegin>/<taskend>. */
enum scan_task {
	TASK_PING,    /* "Ping Scan" (ICMP/TCP/UDP probes, or connects) */
	TASK_ARP,     /* "ARP Ping Scan" */
	TASK_ND,      /* "ND Ping Scan" */
	TASK_DNS,     /* "Parallel DNS resolution of N hosts." */
	TASK_SYS_DNS, /* "System DNS resolution of N hosts." */
	TASK_PORTS,   /* a port scan: scan_event.scan names which */
	TASK_SERVICE, /* "Service scan" (-sV): nprobes is the number of services */
	TASK_TRACE,   /* "Traceroute" (--traceroute) */
	TASK_SCRIPT,  /* "NSE" (--script, -sC): one per runlevel of a phase */
};

enum scan_event_kind {
	SCAN_EV_BEGIN,	   /* a task starts over nhosts hosts x nprobes each */
	SCAN_EV_END,	   /* ... and ends after elapsed seconds */
	SCAN_EV_OPEN,	   /* a port scan found h's port open ("Discovered open port") */
	SCAN_EV_UP,	   /* discovery found h up (XML <hosthint>) */
	SCAN_EV_HOST_DONE, /* a port scan is done with h, nhosts others left */
	SCAN_EV_OS_TRY,	   /* -O: try number nprobes begins over nhosts hosts (h if one);
			      -6 -O: nprobes 0 the IPv6 stage begins, SIZE_MAX it ended */
};

struct scan_event {
	enum scan_event_kind kind;
	enum scan_task task;
	unsigned scan;			/* TASK_PORTS: the enum scan_type bit */
	size_t nhosts, nprobes;		/* BEGIN */
	const struct host *h;		/* BEGIN with one host; OPEN; UP */
	const struct port_result *port; /* OPEN */
	double elapsed;			/* END, seconds */
	size_t ntimedout;		/* END of a port scan: its hosts that timed out */
	bool timed_out;			/* HOST_DONE: h is done because it timed out */
	double when;			/* wall clock, seconds since the epoch */
};

/* How the engine reports back. Every hook may be NULL. Called from the
 * engine's own thread of control, never from a signal handler. */
struct port_service;

struct scan_hooks {
	void *ctx;
	/* --packet-trace: pkt is the IP packet (from its IP header) */
	void (*packet_trace)(void *ctx, enum trace_dir dir, double elapsed, const void *pkt,
			     size_t len);
	/* a host's record is final (up or down, all its ports done): the
	 * front end writes it to every output at once */
	void (*host_done)(void *ctx, struct host *h);
	/* progress for --stats-every and the keypress status line:
	 * phase is e.g. "SYN Stealth Scan", done in [0,1] */
	void (*progress)(void *ctx, const char *phase, double done, double etc_seconds);
	/* some of h's ports have their final result (answered, or the run
	 * over them ended): reported in batches while a port scan goes on
	 * (every ~0.2 s, and before the engine stops on should_stop), each
	 * (host, port) once, before the same results reach h->ports and
	 * host_done. --resume uses them to continue at the port. */
	void (*ports_final)(void *ctx, const struct host *h, const struct port_result *p, size_t n);
	/* -sV has decided a port: ps, just written into h->svcs (--resume
	 * keeps it, and a resumed host's TCP ports with a service are not
	 * probed again) */
	void (*service_final)(void *ctx, const struct host *h, const struct port_service *ps);
	/* task begin/end, open ports and live hosts as they are found, for
	 * -v's "Initiating ..." lines and XML's task elements */
	void (*event)(void *ctx, const struct scan_event *ev);
	/* the kernel refused to send a probe (a local firewall): fd the
	 * socket, err -errno, pkt the IP packet, dst where it was going;
	 * nmap says so on stderr and leaves it out of Raw packets */
	void (*send_error)(void *ctx, int fd, int err, const void *pkt, size_t len,
			   const struct sockaddr *dst, unsigned dlen);
	/* --version-trace: one line of what service detection does */
	void (*version_trace)(void *ctx, const char *line);
	/* --packet-trace of a connect scan: a connect() to dst began
	 * (err EINPROGRESS, or its at-once result) or finished (0:
	 * connected, else the errno it failed with); nmap's CONN lines */
	void (*conn_trace)(void *ctx, double elapsed, const struct sockaddr *dst, int err);
	/* nonzero asks the engine to stop as soon as it can (SIGINT) */
	int (*should_stop)(void *ctx);
};

#define SCAN_MAX_PROXIES 16

/* -sV: service and version detection after the port scan. */
struct version_opts {
	bool on;       /* -sV, -sR */
	int intensity; /* --version-intensity 0-9 (7); light 2, all 9 */
	bool trace;    /* --version-trace */
	bool allports; /* --allports: probe 9100 too */
	/* the long-tail match database (lib/svc/matchdb.h), or NULL */
	const struct svcmatch_db *db;
	/* --proxies: every TCP connection of -sV goes through these, in
	 * order (each asked to connect to the next, the last to the port) */
	struct scan_proxy {
		bool http; /* HTTP CONNECT; else SOCKS 4 */
		struct sockaddr_storage addr;
	} proxies[SCAN_MAX_PROXIES];
	size_t nproxies;
};

struct scan_config {
	int af;		       /* AF_INET or AF_INET6 (-6) */
	unsigned scans;	       /* enum scan_type bits; 0 = host discovery only (-sn) */
	unsigned pings;	       /* enum ping_type bits; 0 = defaults */
	bool skip_discovery;   /* -Pn */
	bool ping_only;	       /* -sn */
	bool traceroute;       /* --traceroute (-A) */
	bool osscan;	       /* -O (-A) */
	bool osscan_limit;     /* --osscan-limit */
	bool osscan_guess;     /* --osscan-guess, --fuzzy */
	int max_os_tries;      /* --max-os-tries (0: 5) */
	const char *os_record; /* NETKIT_OS_RECORD: append observations (data/os format) */
	struct port_list tcp_ports, udp_ports, sctp_ports, protos;
	struct port_list ping_syn_ports, ping_ack_ports, ping_udp_ports, ping_protos;
	struct port_list ping_sctp_ports; /* -PY */
	struct scan_timing timing;
	struct sockaddr_storage source; /* -S; ss_family 0 = unset */
	char iface[IF_NAMESIZE];	/* -e; "" = by route */
	int source_port;		/* -g; -1 = random */
	int ttl;			/* --ttl; -1 = default */
	unsigned mtu; /* -f/--mtu: IPv4 payload bytes a fragment; 0 = whole packets */
	const struct sockaddr_storage *decoys; /* -D: the decoys, in order */
	size_t ndecoys;
	size_t decoy_me;       /* our own probe goes out after decoys[0..decoy_me-1] */
	const uint8_t *ipopts; /* --ip-options: IPv4 options, ipoptslen bytes */
	size_t ipoptslen;
	int ipopt_srr;	    /* L/S with hops: offset of the target's slot (the probe
			* goes to the first hop, at offset 4); -1 none */
	bool has_spoof_mac; /* --spoof-mac: the frames' source MAC */
	uint8_t spoof_mac[6];
	bool defeat_rst_ratelimit; /* a RST to a retransmission does not slow the scan */
	int scanflags;		   /* --scanflags: TCP flags of the port probes; -1 = the type's */
	unsigned data_length;	   /* bytes of data: */
	const uint8_t *data;	   /* --data, --data-string, --data-length's (random) */
	bool badsum;		   /* --badsum */
	bool send_eth;		   /* --send-eth: Ethernet frames (default: raw IP) */
	bool send_ip;		   /* --send-ip given: -Pn skips ARP/ND on the LAN too */
	bool unprivileged;	   /* --unprivileged: connect scan only */
	bool reason;		   /* --reason: keep per-port reasons */
	int verbose, debug;
	/* name resolution and discovery switches the engine needs */
	bool list_only;		 /* -sL: nothing sent, reverse DNS only */
	bool disable_arp;	 /* --disable-arp-ping */
	int resolve;		 /* 0 default (hosts up), 1 never (-n), 2 always (-R) */
	const char *dns_servers; /* --dns-servers a,b; NULL = /etc/resolv.conf */
	bool system_dns;	 /* --system-dns */
	const char *datadir;	 /* where the UDP payload file lives; NULL = built in */
	struct version_opts version;
	/* --script / -sC: the script engine (engine/script/nse.h), or NULL;
	 * the engine runs its host phase after -sV on each group */
	struct nse *nse;
	struct scan_hooks hooks;
};

#endif
