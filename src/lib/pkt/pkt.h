/* SPDX-License-Identifier: Apache-2.0 */
/* Packet construction and parsing: pure functions on byte buffers, no
 * sockets, no globals, nothing printed. Shared by mtr (probes and the
 * ICMP errors that answer them) and nmap (discovery, port scan, OS probes).
 *
 * Conventions, everywhere in this module:
 *  - every build function takes the buffer and its capacity, writes one
 *    header (plus the payload it is given), and returns the number of
 *    bytes written or -ENOSPC when the buffer is too small, -EINVAL for a
 *    value that cannot be encoded;
 *  - every parse function takes the bytes and their length, validates
 *    lengths and version/type fields before reading anything, fills a
 *    struct with host-order values, and returns the header length it
 *    consumed or -EBADMSG (malformed) / -EPROTO (not this protocol);
 *  - no pointer returned in a parsed struct outlives the input buffer;
 *  - multi-byte fields are read and written bytewise, so buffers need no
 *    alignment.
 * Checksums are computed by the builders when they have what they need
 * (the pseudo-header addresses); parsers never reject on checksum, the
 * pkt_*_csum_ok helpers check it when the caller wants to. */
#ifndef NETKIT_PKT_H
#define NETKIT_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

/* ---- addresses ---------------------------------------------------- */

/* An IPv4 or IPv6 address; family is AF_INET or AF_INET6. */
struct pkt_addr {
	uint8_t family;
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t b[16];
	};
};

void pkt_addr4(struct pkt_addr *a, const struct in_addr *v4);
void pkt_addr6(struct pkt_addr *a, const struct in6_addr *v6);
bool pkt_addr_eq(const struct pkt_addr *a, const struct pkt_addr *b);
/* Byte length of the address (4 or 16), 0 for an unknown family. */
size_t pkt_addr_len(const struct pkt_addr *a);

/* ---- byte helpers ---------------------------------------------------- */

static inline uint16_t pkt_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}
static inline uint32_t pkt_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline void pkt_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}
static inline void pkt_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* ---- Internet checksum (RFC 1071) ------------------------------------ */

/* Adds len bytes to a running 32-bit one's-complement sum. Odd lengths are
 * padded with a zero byte, so only the last chunk of a sum may be odd. */
uint32_t pkt_csum_add(uint32_t sum, const void *data, size_t len);
/* Folds and complements: the value that goes in the checksum field. */
uint16_t pkt_csum_fold(uint32_t sum);
uint16_t pkt_csum(const void *data, size_t len);
/* Sum of the TCP/UDP/ICMPv6 pseudo-header (RFC 793, RFC 8200 8.1). The
 * families of src and dst must match; returns 0 sum for a mismatch. */
uint32_t pkt_csum_pseudo(const struct pkt_addr *src, const struct pkt_addr *dst, uint8_t proto,
			 uint32_t len);
/* True if the bytes (with their checksum field in place) sum correctly,
 * optionally with a pseudo-header (src/dst NULL: none). */
bool pkt_csum_ok(const void *data, size_t len, const struct pkt_addr *src,
		 const struct pkt_addr *dst, uint8_t proto);

/* ---- IPv4 (RFC 791) --------------------------------------------------- */

#define PKT_IP4_HLEN 20
#define PKT_IP4_DF 0x4000
#define PKT_IP4_MF 0x2000

struct pkt_ip4 {
	uint8_t hlen; /* header length in bytes (parse); build writes 20 + optlen */
	uint8_t tos;
	uint16_t tot_len; /* parse only: the header's total length field */
	uint16_t id;
	uint16_t frag; /* flags (PKT_IP4_DF/MF) and fragment offset, as on the wire */
	uint8_t ttl;
	uint8_t proto;
	uint16_t csum; /* parse only */
	struct in_addr src, dst;
	const uint8_t *opt; /* options, multiple of 4 bytes, at most 40 */
	size_t optlen;
};

/* Writes the header (and options) with tot_len = hlen + payload_len and a
 * correct header checksum. */
int pkt_ip4_build(uint8_t *buf, size_t cap, const struct pkt_ip4 *h, size_t payload_len);
/* Validates version 4, IHL >= 5, IHL and the total length against len
 * (a total length beyond len is accepted only if allow_trunc: ICMP errors
 * quote a truncated datagram). Returns hlen. */
int pkt_ip4_parse(const uint8_t *buf, size_t len, struct pkt_ip4 *h, bool allow_trunc);
/* Fragment k (from 0) of the IPv4 packet pkt (len bytes, header and
 * options copied into each fragment) cut into pieces of mtu payload bytes
 * (a multiple of 8), as nmap's -f/--mtu cuts its probes: its length,
 * 0 past the last one, or -errno. */
int pkt_ip4_fragment(const uint8_t *pkt, size_t len, size_t mtu, size_t k, uint8_t *out,
		     size_t cap);

/* ---- IPv6 (RFC 8200) -------------------------------------------------- */

#define PKT_IP6_HLEN 40

struct pkt_ip6 {
	uint8_t tclass;
	uint32_t flow; /* 20 bits */
	uint16_t plen;
	uint8_t next;
	uint8_t hlim;
	struct in6_addr src, dst;
};

int pkt_ip6_build(uint8_t *buf, size_t cap, const struct pkt_ip6 *h, size_t payload_len);
/* Validates version 6 and the payload length (see pkt_ip4_parse). Returns 40. */
int pkt_ip6_parse(const uint8_t *buf, size_t len, struct pkt_ip6 *h, bool allow_trunc);
/* Skips hop-by-hop, routing, fragment and destination-options headers
 * starting at buf (after the fixed header) with first header *next.
 * Returns the offset of the upper-layer header and sets *next to its
 * protocol; -EBADMSG if an extension header runs past len. */
int pkt_ip6_skip_ext(const uint8_t *buf, size_t len, uint8_t *next);

/* ---- UDP (RFC 768) ---------------------------------------------------- */

#define PKT_UDP_HLEN 8

struct pkt_udp {
	uint16_t sport, dport;
	uint16_t len;  /* parse only */
	uint16_t csum; /* parse only; build computes it */
};

/* Writes header + payload. With src and dst the checksum is computed
 * (a computed 0 becomes 0xffff); without them it is 0 (IPv4 only). */
int pkt_udp_build(uint8_t *buf, size_t cap, const struct pkt_udp *u, const void *payload,
		  size_t plen, const struct pkt_addr *src, const struct pkt_addr *dst);
int pkt_udp_parse(const uint8_t *buf, size_t len, struct pkt_udp *u);

/* ---- SCTP (RFC 9260) --------------------------------------------------- */

#define PKT_SCTP_HLEN 12
#define PKT_SCTP_INIT 1
#define PKT_SCTP_INIT_ACK 2
#define PKT_SCTP_ABORT 6
#define PKT_SCTP_COOKIE_ECHO 10

struct pkt_sctp {
	uint16_t sport, dport;
	uint32_t vtag;	     /* the common header's verification tag */
	uint8_t chunk;	     /* the (first) chunk's type */
	uint8_t chunk_flags; /* ABORT: bit 0 (T) says the tag is reflected */
	/* INIT / INIT ACK */
	uint32_t init_tag, a_rwnd, tsn;
	uint16_t os, mis;
	/* COOKIE ECHO (build) */
	const uint8_t *cookie;
	size_t cookie_len;
};

/* CRC32c of buf, as SCTP's checksum computes it */
uint32_t pkt_crc32c(const void *buf, size_t len);
/* The common header and one chunk (INIT, else a chunk of type s->chunk
 * carrying the cookie bytes, padded to 4), the checksum filled in.
 * Returns the length or -errno. */
int pkt_sctp_build(uint8_t *buf, size_t cap, const struct pkt_sctp *s);
/* The common header and the first chunk's type, flags and (INIT, INIT
 * ACK) parameters. Returns the header length or -errno. */
int pkt_sctp_parse(const uint8_t *buf, size_t len, struct pkt_sctp *s);

/* ---- TCP (RFC 9293) ---------------------------------------------------- */

#define PKT_TCP_HLEN 20
#define PKT_TCP_FIN 0x01
#define PKT_TCP_SYN 0x02
#define PKT_TCP_RST 0x04
#define PKT_TCP_PSH 0x08
#define PKT_TCP_ACK 0x10
#define PKT_TCP_URG 0x20
#define PKT_TCP_ECE 0x40
#define PKT_TCP_CWR 0x80
#define PKT_TCP_NULL 0x00
#define PKT_TCP_XMAS (PKT_TCP_FIN | PKT_TCP_PSH | PKT_TCP_URG)

#define PKT_TCPOPT_EOL 0
#define PKT_TCPOPT_NOP 1
#define PKT_TCPOPT_MSS 2
#define PKT_TCPOPT_WSCALE 3
#define PKT_TCPOPT_SACK_PERM 4
#define PKT_TCPOPT_SACK 5
#define PKT_TCPOPT_TS 8

struct pkt_tcp {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t hlen; /* parse only: data offset in bytes */
	uint8_t flags;
	uint8_t res; /* the 4 reserved bits (nmap's OS probes look at them) */
	uint16_t window;
	uint16_t csum; /* parse only */
	uint16_t urg;
	const uint8_t *opt; /* raw options, at most 40 bytes; build pads to 4 with EOL */
	size_t optlen;
};

/* Writes header + options + payload; the checksum needs src and dst. */
int pkt_tcp_build(uint8_t *buf, size_t cap, const struct pkt_tcp *t, const void *payload,
		  size_t plen, const struct pkt_addr *src, const struct pkt_addr *dst);
/* Validates the data offset (>= 20, within len). Returns hlen. */
int pkt_tcp_parse(const uint8_t *buf, size_t len, struct pkt_tcp *t);

/* One option, as pkt_tcp_opt_next yields it. */
struct pkt_tcp_opt {
	uint8_t kind;
	uint8_t len; /* whole option length; 1 for EOL and NOP */
	const uint8_t *data;
	size_t dlen;
};
/* Iterates options: returns 1 with *o filled and *off advanced, 0 at the
 * end (or after EOL), -EBADMSG for an option that runs past len or has a
 * length below 2. */
int pkt_tcp_opt_next(const uint8_t *opt, size_t len, size_t *off, struct pkt_tcp_opt *o);

/* Appenders for building an option block, in the caller's order. Each
 * returns the new length or -ENOSPC. */
int pkt_tcpopt_mss(uint8_t *opt, size_t cap, size_t len, uint16_t mss);
int pkt_tcpopt_wscale(uint8_t *opt, size_t cap, size_t len, uint8_t shift);
int pkt_tcpopt_sackperm(uint8_t *opt, size_t cap, size_t len);
int pkt_tcpopt_ts(uint8_t *opt, size_t cap, size_t len, uint32_t val, uint32_t ecr);
int pkt_tcpopt_nop(uint8_t *opt, size_t cap, size_t len);

/* The common options, decoded. */
struct pkt_tcp_opts {
	bool has_mss, has_ws, sack_perm, has_ts;
	uint16_t mss;
	uint8_t ws;
	uint32_t ts_val, ts_ecr;
};
int pkt_tcp_opts_parse(const uint8_t *opt, size_t len, struct pkt_tcp_opts *o);
/* Whether an option block is well formed: every option within it, with a
 * length of at least 2, and the options of a fixed size with that size
 * (MSS 4, window scale 3, SACK-permitted 2, timestamps 10: RFC 9293, 7323,
 * 2018; SACK 2 + 8n). A reply whose options are not is no answer (as nmap
 * drops it). */
bool pkt_tcp_opts_valid(const uint8_t *opt, size_t len);

/* ---- ICMP (RFC 792) and ICMPv6 (RFC 4443) ---------------------------- */

#define PKT_ICMP_HLEN 8

enum {
	PKT_ICMP_ECHOREPLY = 0,
	PKT_ICMP_UNREACH = 3,
	PKT_ICMP_SOURCEQUENCH = 4,
	PKT_ICMP_REDIRECT = 5,
	PKT_ICMP_ECHO = 8,
	PKT_ICMP_TIMXCEED = 11,
	PKT_ICMP_PARAMPROB = 12,
	PKT_ICMP_TSTAMP = 13,
	PKT_ICMP_TSTAMPREPLY = 14,
	PKT_ICMP_MASKREQ = 17,
	PKT_ICMP_MASKREPLY = 18,
};
/* Destination unreachable codes (RFC 792, RFC 1812). */
enum {
	PKT_UNREACH_NET = 0,
	PKT_UNREACH_HOST = 1,
	PKT_UNREACH_PROTO = 2,
	PKT_UNREACH_PORT = 3,
	PKT_UNREACH_NEEDFRAG = 4,
	PKT_UNREACH_SRCFAIL = 5,
	PKT_UNREACH_NET_UNKNOWN = 6,
	PKT_UNREACH_HOST_UNKNOWN = 7,
	PKT_UNREACH_ISOLATED = 8,
	PKT_UNREACH_NET_PROHIB = 9,
	PKT_UNREACH_HOST_PROHIB = 10,
	PKT_UNREACH_TOSNET = 11,
	PKT_UNREACH_TOSHOST = 12,
	PKT_UNREACH_FILTER_PROHIB = 13,
	PKT_UNREACH_HOST_PRECEDENCE = 14,
	PKT_UNREACH_PRECEDENCE_CUTOFF = 15,
};
enum {
	PKT_ICMP6_UNREACH = 1,
	PKT_ICMP6_PACKET_TOO_BIG = 2,
	PKT_ICMP6_TIMXCEED = 3,
	PKT_ICMP6_PARAMPROB = 4,
	PKT_ICMP6_ECHO = 128,
	PKT_ICMP6_ECHOREPLY = 129,
	PKT_ND_NEIGHBOR_SOLICIT = 135,
	PKT_ND_NEIGHBOR_ADVERT = 136,
};
/* ICMPv6 destination unreachable codes (RFC 4443). */
enum {
	PKT_UNREACH6_NOROUTE = 0,
	PKT_UNREACH6_ADMIN = 1,
	PKT_UNREACH6_BEYONDSCOPE = 2,
	PKT_UNREACH6_ADDR = 3,
	PKT_UNREACH6_PORT = 4,
	PKT_UNREACH6_POLICY = 5,
	PKT_UNREACH6_REJECT = 6,
};

struct pkt_icmp {
	bool v6; /* ICMPv6 (set by the caller before build/parse) */
	uint8_t type, code;
	uint16_t csum;	     /* parse only */
	uint32_t rest;	     /* bytes 4..7: id/seq, gateway, MTU, pointer, ... */
	uint16_t id, seq;    /* parse: the halves of rest (meaningful for echo etc.) */
	const uint8_t *data; /* bytes after the 8-byte header */
	size_t data_len;
};

/* Builds any ICMP/ICMPv6 message: 8-byte header (rest as given) followed by
 * the payload. ICMPv6 needs src and dst for its checksum (NULL: left 0, as
 * raw ICMPv6 sockets fill it in). */
int pkt_icmp_build(uint8_t *buf, size_t cap, const struct pkt_icmp *m, const void *payload,
		   size_t plen, const struct pkt_addr *src, const struct pkt_addr *dst);
/* Echo request/reply: type PKT_ICMP_ECHO(REPLY) or PKT_ICMP6_ECHO(REPLY). */
int pkt_icmp_echo_build(uint8_t *buf, size_t cap, bool v6, uint8_t type, uint16_t id, uint16_t seq,
			const void *payload, size_t plen, const struct pkt_addr *src,
			const struct pkt_addr *dst);
/* ICMPv4 timestamp request: 20 bytes, originate timestamp as given (ms
 * since midnight UT), receive and transmit 0. */
int pkt_icmp_tstamp_build(uint8_t *buf, size_t cap, uint16_t id, uint16_t seq, uint32_t orig);
/* ICMPv4 address mask request: 12 bytes, mask 0. */
int pkt_icmp_mask_build(uint8_t *buf, size_t cap, uint16_t id, uint16_t seq);
/* An ICMP error (time exceeded, unreachable, ...) quoting the original
 * datagram. With ext (an RFC 4884 extension structure) the quote is padded
 * to 128 bytes (v4: 32-bit words, v6: 64-bit words) and its length put in
 * the header, as RFC 4884 asks. */
int pkt_icmp_error_build(uint8_t *buf, size_t cap, bool v6, uint8_t type, uint8_t code,
			 uint32_t rest, const void *quote, size_t qlen, const void *ext,
			 size_t extlen, const struct pkt_addr *src, const struct pkt_addr *dst);

/* Validates the 8-byte header (and, for timestamp/mask messages, their
 * fixed length). m->v6 says which family to expect. Returns 8. */
int pkt_icmp_parse(const uint8_t *buf, size_t len, struct pkt_icmp *m);
/* True for the error types that quote an original datagram. */
bool pkt_icmp_is_error(const struct pkt_icmp *m);
/* Timestamps of a timestamp request/reply (needs data_len >= 12). */
int pkt_icmp_tstamp_get(const struct pkt_icmp *m, uint32_t ts[3]);

/* ---- the datagram quoted by an ICMP error ------------------------------ */

/* What a tracer or scanner needs to match an error to its probe. */
struct pkt_quote {
	struct pkt_addr src, dst;
	uint8_t proto; /* upper-layer protocol after IPv6 extension headers */
	uint8_t ttl;   /* TTL/hop limit left when it was dropped (usually 1 or 0) */
	uint8_t tos;
	uint16_t ip_id;	 /* IPv4 only */
	uint32_t flow;	 /* IPv6 only */
	uint16_t ip_len; /* total length the original header claims */
	size_t l4_len;	 /* bytes of the upper-layer header present (>= 8 for ports) */
	const uint8_t *l4;
	/* decoded when l4_len allows (8 bytes for UDP/ICMP ports/ids, TCP seq) */
	bool has_ports;
	uint16_t sport, dport; /* UDP, TCP */
	uint32_t tcp_seq;
	uint16_t udp_len, udp_csum;
	uint8_t icmp_type, icmp_code; /* inner ICMP/ICMPv6 */
	uint16_t icmp_id, icmp_seq;
	/* RFC 4884 extension structure, if present and well-formed */
	const uint8_t *ext;
	size_t ext_len;
};

/* Parses the quoted datagram of an ICMP error message m (from
 * pkt_icmp_parse). The inner IP header family must match m->v6. Finds
 * the RFC 4884 extensions: at the length the header gives, or for
 * senders that leave it 0, after a 128-byte quote if a valid version-2
 * header with a correct checksum sits there. Returns 0, -EPROTO if m is
 * not an error, -EBADMSG if the quote is too short or malformed. */
int pkt_quote_parse(const struct pkt_icmp *m, struct pkt_quote *q);

/* ---- RFC 4884 / RFC 4950 extensions ------------------------------------ */

struct pkt_mpls {
	uint32_t label; /* 20 bits */
	uint8_t tc;	/* traffic class (formerly EXP), 3 bits */
	bool s;		/* bottom of stack */
	uint8_t ttl;
};

/* Validates the extension header (version 2, checksum if nonzero) and
 * every object's length, and collects the MPLS label stack entries
 * (class 1, c-type 1) into labels[0..max). Returns how many were present
 * (may exceed max: only max are stored) or -EBADMSG. */
int pkt_ext_mpls(const uint8_t *ext, size_t len, struct pkt_mpls *labels, size_t max);
/* Builds an extension structure with one MPLS object (for tests and labs). */
int pkt_ext_mpls_build(uint8_t *buf, size_t cap, const struct pkt_mpls *labels, size_t n);

/* ---- Ethernet and ARP (RFC 826) --------------------------------------- */

#define PKT_ETH_HLEN 14
#define PKT_ETH_P_IP 0x0800
#define PKT_ETH_P_ARP 0x0806
#define PKT_ETH_P_IPV6 0x86dd
#define PKT_ETH_P_8021Q 0x8100
#define PKT_ARP_LEN 28
#define PKT_ARP_REQUEST 1
#define PKT_ARP_REPLY 2

struct pkt_eth {
	uint8_t dst[6], src[6];
	uint16_t type; /* after one 802.1Q tag, if any */
	uint16_t vlan; /* tag control info, 0 if untagged */
	bool tagged;
};

int pkt_eth_build(uint8_t *buf, size_t cap, const struct pkt_eth *e);
/* Returns the header length (14, or 18 with a VLAN tag). */
int pkt_eth_parse(const uint8_t *buf, size_t len, struct pkt_eth *e);

struct pkt_arp {
	uint16_t op;
	uint8_t sha[6];
	struct in_addr spa;
	uint8_t tha[6];
	struct in_addr tpa;
};

/* Ethernet/IPv4 ARP body (28 bytes). */
int pkt_arp_build(uint8_t *buf, size_t cap, const struct pkt_arp *a);
/* Accepts only Ethernet/IPv4 ARP (htype 1, ptype 0x0800, 6/4). Returns 28. */
int pkt_arp_parse(const uint8_t *buf, size_t len, struct pkt_arp *a);
/* A whole frame: Ethernet header (broadcast for a request, tha for a
 * reply) + ARP, padded with zeros to the 60-byte Ethernet minimum. */
int pkt_arp_frame_build(uint8_t *buf, size_t cap, const struct pkt_arp *a);

/* ---- IPv6 neighbour discovery (RFC 4861) ------------------------------- */

struct pkt_nd {
	uint8_t type;	/* PKT_ND_NEIGHBOR_SOLICIT or _ADVERT */
	uint32_t flags; /* NA: R 0x80000000, S 0x40000000, O 0x20000000 */
	struct in6_addr target;
	bool has_lladdr; /* source (NS) or target (NA) link-layer address option */
	uint8_t lladdr[6];
};
#define PKT_ND_NA_ROUTER 0x80000000u
#define PKT_ND_NA_SOLICITED 0x40000000u
#define PKT_ND_NA_OVERRIDE 0x20000000u

/* The ICMPv6 message (24 bytes, + 8 with the link-layer option); the
 * checksum needs src and dst. */
int pkt_nd_build(uint8_t *buf, size_t cap, const struct pkt_nd *n, const struct pkt_addr *src,
		 const struct pkt_addr *dst);
/* Parses the ICMPv6 message; validates every option's length. */
int pkt_nd_parse(const uint8_t *buf, size_t len, struct pkt_nd *n);
/* ff02::1:ffXX:XXXX for target, and its 33:33:ff:XX:XX:XX MAC. */
void pkt_nd_solicited_node(const struct in6_addr *target, struct in6_addr *group, uint8_t mac[6]);

#endif
