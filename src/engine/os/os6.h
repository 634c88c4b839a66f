/* SPDX-License-Identifier: Apache-2.0 */
/* OS detection over IPv6 (-6 -O): nmap 7.93's IPv6 probe set as pure
 * functions, as observed with --packet-trace and captured on the target
 * in the lab (data/os/README): S1-S6 (the IPv4 SEQ SYNs), IE1 (an echo
 * behind a HopByHop header), IE2 (an echo behind HopByHop, DestOpts,
 * Routing type 0, HopByHop), NS (on the same link only), U1 (300 bytes
 * of 'C' to a closed UDP port), TECN (the ECN SYN), T2-T7; every probe
 * with flow label 0x12345 and its own hop limit. os6_fp_string() lays
 * the subject fingerprint out as nmap prints it (each reply whole as
 * P=hex with both addresses masked, ST= and RT=, EXTRA(FL=12345)).
 * Nothing here sends, receives or prints. */
#ifndef NETKIT_ENGINE_OS6_H
#define NETKIT_ENGINE_OS6_H

#include "engine/os/os.h"

enum os6_probe {
	OS6_S1,
	OS6_S2,
	OS6_S3,
	OS6_S4,
	OS6_S5,
	OS6_S6,
	OS6_IE1,
	OS6_IE2,
	OS6_NS,
	OS6_U1,
	OS6_TECN,
	OS6_T2,
	OS6_T3,
	OS6_T4,
	OS6_T5,
	OS6_T6,
	OS6_T7,
	OS6_N
};

#define OS6_FLOW 0x12345u
#define OS6_ICMP_ID 0xabcdu /* IE1 seq 0, IE2 seq 1 */
#define OS6_REPLY_MAX 1280

struct os6_params {
	struct pkt_addr src, dst;
	uint16_t
		sport_base; /* TCP probe k (S1-S6, TECN, T2-T7 in that order) leaves from base + k */
	uint16_t udp_sport;
	uint16_t open_port, closed_port, closed_udp;
	uint32_t seq;	     /* TCP probe k: seq + k */
	uint32_t ack[OS6_N]; /* nmap's are random per probe, TECN's 0 */
	uint8_t hlim[OS6_N]; /* random per probe (NS: 255) */
};

/* Probe p's name in the fingerprint ("S1", "TECN", ...). */
const char *os6_probe_name(enum os6_probe p);
/* The whole IPv6 packet of probe p: its length or -errno. */
int os6_probe_build(enum os6_probe p, const struct os6_params *pp, uint8_t *buf, size_t cap);
/* TCP probes: the index k of the source port and sequence number; -1 otherwise. */
int os6_tcp_index(enum os6_probe p);
/* Probe p's TCP/UDP destination port (0 for ICMPv6). */
uint16_t os6_probe_dport(enum os6_probe p, const struct os6_params *pp);

/* What one try saw: per probe the reply (the whole IPv6 packet), when
 * the probe left and when its reply came (seconds from the stage's start). */
struct os6_obs {
	struct os6_params pp;
	bool got[OS6_N];
	uint8_t reply[OS6_N][OS6_REPLY_MAX];
	size_t rlen[OS6_N];
	double sent[OS6_N], rcvd[OS6_N];
	bool direct, local;
};

/* nmap's P= value of a reply: hex, the probe's two addresses (wherever
 * they appear) as XX{16}, runs of 3 or more equal bytes as HH{n}.
 * Returns the length written (truncated to cap - 1). */
size_t os6_hex(const uint8_t *pkt, size_t len, const struct pkt_addr *a, const struct pkt_addr *b,
	       char *out, size_t cap);
/* Network distance from U1's quoted hop limit (or direct/local): sets
 * fp->distance and fp->dc as for IPv4. */
void os6_distance(const struct os6_obs *o, struct os_fp *fp);
/* The probe lines "S1(P=..%ST=..%RT=..)...EXTRA(FL=12345)" into buf. */
size_t os6_tests(const struct os6_obs *o, char *buf, size_t cap);

/* netkit's IPv6 tests from the replies ("S1(R=Y%F=AS%...)...U1(...)"),
 * for the matcher (data/os/os-db6); fp gives the distance (os6_distance). */
size_t os6_features(const struct os6_obs *o, const struct os_fp *fp, char *buf, size_t cap);

#endif
