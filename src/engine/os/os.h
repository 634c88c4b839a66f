/* SPDX-License-Identifier: Apache-2.0 */
/* OS detection (-O): nmap's second-generation probes and tests as pure
 * functions. os_probe_build() writes each probe as nmap 7.93 sends it;
 * the engine sends them, keeps each probe's reply (the whole IP packet)
 * and send time in a struct os_obs, and os_compute() derives every test
 * (SEQ OPS WIN ECN T1-T7 U1 IE) the way nmap's documentation defines
 * them; os_fp_text() lays the subject fingerprint out as nmap prints it.
 * Nothing here sends, receives or prints. IPv4 only. */
#ifndef NETKIT_ENGINE_OS_H
#define NETKIT_ENGINE_OS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/pkt/pkt.h"

/* The probes: six SEQ SYNs (the first one's reply is T1 too), the two
 * ICMP echoes, the UDP probe, ECN, and T2-T7. */
enum os_probe {
	OSP_SEQ1,
	OSP_SEQ2,
	OSP_SEQ3,
	OSP_SEQ4,
	OSP_SEQ5,
	OSP_SEQ6,
	OSP_IE1,
	OSP_IE2,
	OSP_U1,
	OSP_ECN,
	OSP_T2,
	OSP_T3,
	OSP_T4,
	OSP_T5,
	OSP_T6,
	OSP_T7,
	OSP_N
};

#define OS_U1_LEN 328	  /* IP total length of the UDP probe (300 bytes of 'C') */
#define OS_U1_IPID 0x1042 /* its IP ID, as nmap's */
#define OS_REPLY_MAX 600  /* bytes of a reply kept */

struct os_probe_params {
	struct pkt_addr src, dst;
	uint16_t sport_base; /* probe p leaves from sport_base + p */
	uint16_t open_port, closed_port, closed_udp;
	uint32_t seq; /* SEQ probe i: seq + i; the others: seq */
	uint32_t ack; /* the ack field of every TCP probe */
	uint16_t ipid;
	uint16_t icmp_id; /* IE1: icmp_id, IE2: icmp_id + 1 */
	uint8_t ttl;
};

/* The IPv4 packet of probe p: its length or -errno. */
int os_probe_build(enum os_probe p, const struct os_probe_params *pp, uint8_t *buf, size_t cap);
/* The TCP segment of TCP probe p (SEQ1-6, ECN, T2-T7): its flags, window,
 * options and urgent pointer as nmap's, the rest as given (IPv4 and
 * IPv6 send the same segments). Its length or -errno. */
struct os_tcp_probe {
	uint16_t sport, dport;
	uint32_t seq, ack;
	const struct pkt_addr *src, *dst; /* for the checksum */
};
int os_probe_tcp(enum os_probe p, const struct os_tcp_probe *tp, uint8_t *l4, size_t cap);
/* Probe p's TCP/UDP destination port (0 for ICMP). */
uint16_t os_probe_dport(enum os_probe p, const struct os_probe_params *pp);

/* What one try saw: per probe, whether it was answered, the reply's IP
 * packet, and when the probe left (seconds, any epoch). */
struct os_obs {
	struct os_probe_params pp;
	bool got[OSP_N];
	uint8_t reply[OSP_N][OS_REPLY_MAX];
	size_t rlen[OSP_N];
	double sent[OSP_N];
	uint16_t u1_csum; /* the UDP checksum the U1 probe carried */
	bool direct;	  /* the target is on our link (distance 1, DC=D) */
	bool local;	  /* it is this machine (DC=L) */
};

enum os_ipid { IPID_NONE = 0, IPID_ZERO, IPID_RD, IPID_RI, IPID_BI, IPID_INCR, IPID_CONST };
enum os_tsclass { TS_NONE = 0, TS_UNSUPPORTED, TS_ZERO, TS_NUM };

/* The computed fingerprint and what the report shows besides it. */
struct os_fp {
	char tests[2048]; /* "SEQ(...)OPS(...)...IE(...)" */
	int distance;	  /* hops, 0 unknown */
	char dc;	  /* 'I' from U1, 'D' direct, 'L' local, 0 unknown */
	/* SEQ */
	int nseq; /* SEQ replies */
	uint32_t isn[6], tsval[6];
	uint16_t ipid[6];
	bool has_ts[6];
	int sp_index;	/* TCP Sequence Prediction difficulty, -1 unknown */
	bool isn_fixed; /* every SEQ reply had one ISN: nmap 7.93 then shows no sequences */
	enum os_ipid ti;
	enum os_tsclass ts;
	double ts_hz;  /* average timestamp ticks per second */
	double uptime; /* seconds since boot by the timestamps, < 0 unknown */
};

int os_compute(const struct os_obs *o, struct os_fp *fp);

/* nmap's words for a TCP Sequence Prediction difficulty and an IP ID class. */
const char *os_difficulty(int index);
const char *os_ipid_name(enum os_ipid c);
const char *os_ts_name(enum os_tsclass c, double hz);

/* Tests shared by the pure computations, exposed for the unit tests. */
enum os_ipid os_ipid_class(const uint16_t *ids, int n, bool allow_rd);
void os_tcp_opts_str(const uint8_t *opt, size_t len, char *out, size_t cap);
uint32_t os_crc32(const void *buf, size_t len);

/* The SCAN line's facts. */
struct os_scan_info {
	int open_port, closed_port, closed_udp; /* -1 none */
	int month, day;				/* the scan's date */
	long long when;				/* seconds since the epoch */
	bool private_addr;			/* PV */
	bool good;				/* G */
	const uint8_t *mac;			/* M= (first three bytes), or NULL */
	const char *platform;			/* P= */
	const char *netkit_version;		/* NK= */
	bool v6;				/* E=6 (else E=4) */
	const char *tests;			/* the test lines (NULL: fp->tests) */
};

/* The whole subject fingerprint, "SCAN(...)SEQ(...)...", into buf. */
void os_fp_string(const struct os_fp *fp, const struct os_scan_info *si, char *buf, size_t cap);
/* nmap's layout of it: "OS:" and 72 characters a line, each line ending
 * in '\n'. Returns the length written. */
size_t os_fp_wrap(const char *fp, char *out, size_t cap);

#endif
