/* SPDX-License-Identifier: Apache-2.0 */
/* The scan pipeline's one record per host. Discovery, port scan, service,
 * OS, traceroute and script stages each read and write only this record;
 * every output format (normal, XML, grepable, JSON) only reads it, as
 * nmap's Target does. Later stages hang their results on the ext slots. */
#ifndef NETKIT_ENGINE_HOST_H
#define NETKIT_ENGINE_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "lib/svc/svc.h"

enum port_state {
	PORT_UNKNOWN = 0,
	PORT_OPEN,
	PORT_CLOSED,
	PORT_FILTERED,
	PORT_UNFILTERED,
	PORT_OPEN_FILTERED,
	PORT_CLOSED_FILTERED,
	PORT_STATE_MAX
};

/* Why a port or a host has the state it has: nmap's reason names. */
enum reason {
	REASON_NONE = 0,
	REASON_SYN_ACK,
	REASON_RESET,
	REASON_NO_RESPONSE,
	REASON_CONN_REFUSED,
	REASON_ECHO_REPLY,
	REASON_TIMESTAMP_REPLY,
	REASON_MASK_REPLY,
	REASON_ARP_RESPONSE,
	REASON_ND_RESPONSE,
	REASON_PORT_UNREACH,
	REASON_PROTO_UNREACH,
	REASON_HOST_UNREACH,
	REASON_NET_UNREACH,
	REASON_ADMIN_PROHIBITED,
	REASON_HOST_PROHIBITED,
	REASON_NET_PROHIBITED,
	REASON_UDP_RESPONSE,
	REASON_PROTO_RESPONSE,
	REASON_USER_SET,
	REASON_LOCALHOST_RESPONSE,
	REASON_TIME_EXCEEDED,
	REASON_INIT_ACK, /* SCTP */
	REASON_ABORT,
	REASON_SCRIPT_SET, /* a script's nmap.set_port_state */
	REASON_MAX
};

struct host_trace;
struct host_os;

struct port_result {
	uint16_t port;
	uint8_t proto;	/* IPPROTO_TCP, IPPROTO_UDP, or the protocol number for -sO */
	uint8_t state;	/* enum port_state */
	uint8_t reason; /* enum reason */
	uint8_t reason_ttl;
};

/* What service detection (-sV) found on one port. PSVC_TCPWRAPPED: the
 * peer accepted and closed without a word; PSVC_UNRECOGNIZED: it kept silent
 * or no handler knew its answers (nmap shows the port table's name with a
 * "?"); fp is then the answers, in nmap's fingerprint layout. */
enum port_svc_kind { PSVC_MATCHED, PSVC_SOFT, PSVC_TCPWRAPPED, PSVC_UNRECOGNIZED };

struct port_service {
	uint16_t port;
	uint8_t proto;
	uint8_t kind;	 /* enum port_svc_kind */
	bool tunnel_ssl; /* found inside TLS: nmap's "ssl/http", tunnel="ssl" */
	bool by_script;	 /* made by nmap.set_port_version without -sV (shown then too) */
	struct svc_match m;
	char *fp; /* PSVC_UNRECOGNIZED, PSVC_SOFT: the SF- fingerprint text, or NULL */
	/* PSVC_UNRECOGNIZED: each probe's answer as it came (fp shows at
	 * most 900 bytes of each), for scripts; owned, in probe order */
	struct svc_resp *resp;
	size_t nresp;
};

/* One script's result (NSE): on a port (proto != 0) or on the host. The
 * script engine lays the text out as nmap does; outputs only copy it. */
struct script_result {
	uint16_t port;
	uint8_t proto; /* 0: a host script ("Host script results:") */
	char *id;
	char *normal; /* the "| id: ..." / "|_..." block, lines ending in \n */
	char *xml;    /* the whole <script id=.. output=..>...</script> element */
	char *json;   /* -oJ: {"id":..,"output":..,"elements":..} */
};

/* HOST_SKIPPED: never scanned, as nmap skips a target it finds no route
 * to when raw packets would go to it (its "failed to determine route") */
enum host_status { HOST_UNKNOWN = 0, HOST_UP, HOST_DOWN, HOST_SKIPPED };

struct host {
	struct sockaddr_storage addr;
	char *target_name; /* the name the user gave, if any */
	uint64_t tindex;   /* its index in the target list's walk (lib/target/shard.h) */
	char *rdns;	   /* PTR name, if resolved */
	uint8_t mac[6];
	bool has_mac;
	uint8_t status; /* enum host_status */
	uint8_t reason; /* why up/down */
	uint8_t reason_ttl;
	double rtt; /* seconds; < 0 if unknown */
	/* nmap's per-host timing (XML <times>), seconds; srtt 0: no sample */
	double srtt, rttvar, rtt_to;
	double start, end; /* wall clock, seconds since the epoch */
	bool timed_out;	   /* --host-timeout expired: nmap skips the host's results */
	struct port_result *ports;
	size_t nports, ports_cap;
	/* -sV: one record per port that service detection looked at */
	struct port_service *svcs;
	size_t nsvcs;
	/* the port scan's reply that --traceroute probes again (nmap's ping
	 * probe): the best by host_pingprobe_score, the first of equals;
	 * proto 0: none yet */
	struct port_result pingprobe;
	int pingprobe_score;
	uint8_t pingprobe_tcpflags; /* the probe's TCP flags (SYN, ACK for -sA...) */
	/* --traceroute (engine/hosttrace.h), or NULL */
	struct host_trace *trace;
	/* -O (engine/hostos.h), or NULL */
	struct host_os *os;
	/* --script / -sC: port and host script results, in run order */
	struct script_result *scripts;
	size_t nscripts;
	/* results of later stages (service, os, traceroute, scripts) */
	void *ext[8];
};

const char *port_state_name(enum port_state s); /* "open", "open|filtered", ... */
const char *reason_name(enum reason r);		/* "syn-ack", "reset", ... */

/* Append one port result; -ENOMEM on failure. */
int host_add_port(struct host *h, const struct port_result *p);
/* Order ports as nmap lists them: tcp, udp, sctp, then by number. */
void host_sort_ports(struct host *h);
/* How nmap 7.93 ranks a port scan's replies for its traceroute probe
 * (observed with --packet-trace, sequential ports, in the lab): any TCP
 * reply above any UDP one; closed above open; a closed TCP port among
 * 25, 113, 135, 139, 445 (ports middleboxes answer for; the only ones
 * among 1-1100 and 14 others, each tried against a closed 65000) below other
 * closed ones, and a UDP port the scan sent several payloads to
 * (several=true) below other closed ones (not modelled: nmap keeps an open
 * UDP port when the closed one answered only a retry). 0: not a candidate
 * (filtered, unfiltered, no reply). */
int host_pingprobe_score(uint8_t proto, uint16_t port, uint8_t state, bool several);
/* Keep p (sent with TCP flags tcpflags) as h->pingprobe if it ranks above
 * the one kept so far. */
void host_note_pingprobe(struct host *h, const struct port_result *p, bool several,
			 uint8_t tcpflags);
/* The service record of (proto, port), or NULL. */
const struct port_service *host_service(const struct host *h, uint8_t proto, uint16_t port);
void host_free_services(struct host *h);
void host_free_scripts(struct host *h);
/* Free what the record owns and reset it (rtt -1 = unknown). */
void host_clear(struct host *h);

#endif
