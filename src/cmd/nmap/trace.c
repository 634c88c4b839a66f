/* SPDX-License-Identifier: Apache-2.0 */
/* --packet-trace: one line per packet sent or received, in nmap's words
 * ("SENT (0.0319s) TCP 198.18.1.2:43945 > 198.18.3.10:443 S ttl=45 ...").
 * The engine hands each IP packet (or ARP body) to the packet_trace hook;
 * this decodes it with lib/pkt's parsers and formats the line. */
#include "cmd/nmap/nmap.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <linux/if_packet.h>

#include "lib/pkt/pkt.h"

struct buf {
	char *s;
	size_t cap, len;
};

static void put(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	if (b->len >= b->cap)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len += (size_t)n < b->cap - b->len ? (size_t)n : b->cap - b->len - 1;
}

static void tcp_flags(uint8_t f, char *out)
{
	static const struct {
		uint8_t bit;
		char c;
	} order[] = {{PKT_TCP_SYN, 'S'}, {PKT_TCP_FIN, 'F'}, {PKT_TCP_RST, 'R'},
		     {PKT_TCP_PSH, 'P'}, {PKT_TCP_ACK, 'A'}, {PKT_TCP_URG, 'U'},
		     {PKT_TCP_ECE, 'E'}, {PKT_TCP_CWR, 'C'}};
	size_t n = 0;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (f & order[i].bit)
			out[n++] = order[i].c;
	out[n] = '\0';
}

static void tcp_options(struct buf *b, const struct pkt_tcp *t)
{
	size_t off = 0;
	struct pkt_tcp_opt o;
	bool first = true;
	while (pkt_tcp_opt_next(t->opt, t->optlen, &off, &o) == 1) {
		put(b, "%s", first ? "<" : ",");
		first = false;
		if (o.kind == PKT_TCPOPT_MSS && o.dlen == 2)
			put(b, "mss %u", pkt_get16(o.data));
		else if (o.kind == PKT_TCPOPT_NOP)
			put(b, "nop");
		else if (o.kind == PKT_TCPOPT_WSCALE && o.dlen == 1)
			put(b, "wscale %u", o.data[0]);
		else if (o.kind == PKT_TCPOPT_SACK_PERM)
			put(b, "sackOK");
		else if (o.kind == PKT_TCPOPT_TS && o.dlen == 8)
			put(b, "timestamp %u %u", pkt_get32(o.data), pkt_get32(o.data + 4));
		else
			put(b, "unknown-%u", o.kind);
	}
	if (!first)
		put(b, ">");
}

static const char *icmp_name(uint8_t type, uint8_t code)
{
	switch (type) {
	case PKT_ICMP_ECHOREPLY: return "Echo reply";
	case PKT_ICMP_ECHO: return "Echo request";
	case PKT_ICMP_TSTAMP: return "Timestamp request";
	case PKT_ICMP_TSTAMPREPLY: return "Timestamp reply";
	case PKT_ICMP_MASKREQ: return "Address mask request";
	case PKT_ICMP_MASKREPLY: return "Address mask reply";
	case PKT_ICMP_TIMXCEED:
		return code ? "Fragment reassembly time exceeded" : "TTL=0 during transit";
	case PKT_ICMP_UNREACH:
		switch (code) {
		case PKT_UNREACH_NET: return "Network unreachable";
		case PKT_UNREACH_HOST: return "Host unreachable";
		case PKT_UNREACH_PROTO: return "Protocol unreachable";
		case PKT_UNREACH_PORT: return "Port unreachable";
		case PKT_UNREACH_NET_PROHIB: return "Network administratively prohibited";
		case PKT_UNREACH_HOST_PROHIB: return "Host administratively prohibited";
		case PKT_UNREACH_FILTER_PROHIB: return "Communication administratively prohibited";
		default: return "Destination unreachable";
		}
	default: return "Unknown type";
	}
}

static void trace_v4(struct buf *b, const uint8_t *pkt, size_t len)
{
	struct pkt_ip4 ip;
	char s[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN], fl[12];
	int hl = pkt_ip4_parse(pkt, len, &ip, true);
	if (hl < 0) {
		put(b, "Malformed IPv4 packet (%zu bytes)", len);
		return;
	}
	inet_ntop(AF_INET, &ip.src, s, sizeof(s));
	inet_ntop(AF_INET, &ip.dst, d, sizeof(d));
	const uint8_t *l4 = pkt + hl;
	size_t l4len = (ip.tot_len < len ? ip.tot_len : len) - (size_t)hl;
	struct pkt_tcp t;
	struct pkt_udp u;
	struct pkt_icmp m = {.v6 = false};
	if (ip.proto == IPPROTO_TCP && pkt_tcp_parse(l4, l4len, &t) >= 0) {
		tcp_flags(t.flags, fl);
		put(b, "TCP %s:%u > %s:%u %s ttl=%u id=%u iplen=%u  seq=%u win=%u ", s, t.sport, d,
		    t.dport, fl, ip.ttl, ip.id, ip.tot_len, t.seq, t.window);
		tcp_options(b, &t);
	} else if (ip.proto == IPPROTO_UDP && pkt_udp_parse(l4, l4len, &u) >= 0) {
		put(b, "UDP %s:%u > %s:%u ttl=%u id=%u iplen=%u ", s, u.sport, d, u.dport, ip.ttl,
		    ip.id, ip.tot_len);
	} else if (ip.proto == IPPROTO_SCTP && l4len >= 4) {
		put(b, "SCTP %s:%u > %s:%u ttl=%u id=%u iplen=%u ", s, pkt_get16(l4), d,
		    pkt_get16(l4 + 2), ip.ttl, ip.id, ip.tot_len);
	} else if (ip.proto == IPPROTO_ICMP && pkt_icmp_parse(l4, l4len, &m) >= 0) {
		put(b, "ICMP [%s > %s %s (type=%u/code=%u) ", s, d, icmp_name(m.type, m.code),
		    m.type, m.code);
		uint32_t ts[3];
		if (m.type == PKT_ICMP_ECHO || m.type == PKT_ICMP_ECHOREPLY)
			put(b, "id=%u seq=%u", m.id, m.seq);
		else if ((m.type == PKT_ICMP_TSTAMP || m.type == PKT_ICMP_TSTAMPREPLY) &&
			 pkt_icmp_tstamp_get(&m, ts) == 0)
			put(b, "id=%u seq=%u orig=%u recv=%u trans=%u", m.id, m.seq, ts[0], ts[1],
			    ts[2]);
		put(b, "] IP [ttl=%u id=%u iplen=%u ]", ip.ttl, ip.id, ip.tot_len);
	} else {
		put(b, "Unknown protocol (%u) %s > %s: ttl=%u id=%u iplen=%u", ip.proto, s, d,
		    ip.ttl, ip.id, ip.tot_len);
	}
}

/* "neighbor advertisement SRC > DST TARGET is at ee:e0:..." */
static bool neighbor_advert(struct buf *b, const char *s, const char *d, const uint8_t *l4,
			    size_t len)
{
	struct pkt_nd nd;
	char t[INET6_ADDRSTRLEN];
	if (pkt_nd_parse(l4, len, &nd) < 0 || nd.type != PKT_ND_NEIGHBOR_ADVERT || !nd.has_lladdr)
		return false;
	inet_ntop(AF_INET6, &nd.target, t, sizeof(t));
	const uint8_t *m = nd.lladdr;
	put(b, "neighbor advertisement %s > %s %s is at %02x:%02x:%02x:%02x:%02x:%02x", s, d, t,
	    m[0], m[1], m[2], m[3], m[4], m[5]);
	return true;
}

/* "neighbor solicitation SRC > GROUP who has TARGET": nmap's words for
 * the solicitation that looks up a next hop. */
static bool neighbor_solicit(struct buf *b, const uint8_t *pkt, size_t len)
{
	struct pkt_ip6 ip;
	struct pkt_nd nd;
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN], t[INET6_ADDRSTRLEN];
	if (pkt_ip6_parse(pkt, len, &ip, false) < 0 || ip.next != IPPROTO_ICMPV6 ||
	    pkt_nd_parse(pkt + PKT_IP6_HLEN, ip.plen, &nd) < 0 ||
	    nd.type != PKT_ND_NEIGHBOR_SOLICIT)
		return false;
	inet_ntop(AF_INET6, &ip.src, s, sizeof(s));
	inet_ntop(AF_INET6, &ip.dst, d, sizeof(d));
	inet_ntop(AF_INET6, &nd.target, t, sizeof(t));
	put(b, "neighbor solicitation %s > %s who has %s", s, d, t);
	return true;
}

/* ARP (the body, without the Ethernet header): "ARP who-has 198.18.3.10
 * tell 198.18.3.1", "ARP reply 198.18.3.10 is-at EE:E0:DA:85:23:84". */
static bool trace_arp(struct buf *b, const uint8_t *pkt, size_t len)
{
	struct pkt_arp a;
	char sp[INET_ADDRSTRLEN], tp[INET_ADDRSTRLEN];
	if (pkt_arp_parse(pkt, len, &a) < 0)
		return false;
	inet_ntop(AF_INET, &a.spa, sp, sizeof(sp));
	inet_ntop(AF_INET, &a.tpa, tp, sizeof(tp));
	if (a.op == PKT_ARP_REQUEST)
		put(b, "ARP who-has %s tell %s", tp, sp);
	else
		put(b, "ARP reply %s is-at %02X:%02X:%02X:%02X:%02X:%02X", sp, a.sha[0], a.sha[1],
		    a.sha[2], a.sha[3], a.sha[4], a.sha[5]);
	return true;
}

static void trace_v6(struct buf *b, const uint8_t *pkt, size_t len)
{
	struct pkt_ip6 ip;
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN], fl[12];
	if (pkt_ip6_parse(pkt, len, &ip, true) < 0) {
		put(b, "Malformed IPv6 packet (%zu bytes)", len);
		return;
	}
	inet_ntop(AF_INET6, &ip.src, s, sizeof(s));
	inet_ntop(AF_INET6, &ip.dst, d, sizeof(d));
	uint8_t next = ip.next;
	size_t avail = len - PKT_IP6_HLEN < ip.plen ? len - PKT_IP6_HLEN : ip.plen;
	int off = pkt_ip6_skip_ext(pkt + PKT_IP6_HLEN, avail, &next);
	const uint8_t *l4 = pkt + PKT_IP6_HLEN + (off > 0 ? off : 0);
	size_t l4len = avail - (size_t)(off > 0 ? off : 0);
	char tail[96];
	snprintf(tail, sizeof(tail), "hopl=%u flow=%x payloadlen=%u", ip.hlim, ip.flow, ip.plen);
	struct pkt_tcp t;
	struct pkt_udp u;
	struct pkt_icmp m = {.v6 = true};
	if (off >= 0 && next == IPPROTO_TCP && pkt_tcp_parse(l4, l4len, &t) >= 0) {
		tcp_flags(t.flags, fl);
		put(b, "TCP %s:%u > %s:%u %s %s seq=%u win=%u ", s, t.sport, d, t.dport, fl, tail,
		    t.seq, t.window);
		tcp_options(b, &t);
	} else if (off >= 0 && next == IPPROTO_UDP && pkt_udp_parse(l4, l4len, &u) >= 0) {
		put(b, "UDP %s:%u > %s:%u %s", s, u.sport, d, u.dport, tail);
	} else if (off >= 0 && next == IPPROTO_ICMPV6 && neighbor_advert(b, s, d, l4, l4len)) {
		/* nmap's own words for the answer to its solicitation */
	} else if (off >= 0 && next == IPPROTO_ICMPV6 && pkt_icmp_parse(l4, l4len, &m) >= 0) {
		put(b, "ICMPv6 (58) %s > %s (type=%u/code=%u) %s", s, d, m.type, m.code, tail);
	} else {
		put(b, "Unknown protocol (%u) %s > %s: %s", next, s, d, tail);
	}
}

size_t nmap_trace_line(enum trace_dir dir, double elapsed, const void *pkt, size_t len, char *out,
		       size_t cap)
{
	struct buf b = {out, cap, 0};
	const uint8_t *p = pkt;
	if (!cap)
		return 0;
	out[0] = '\0';
	put(&b, "%s (%.4fs) ", dir == TRACE_RCVD ? "RCVD" : "SENT", elapsed);
	if (dir == TRACE_SENT_LOOKUP && len >= 1 && p[0] >> 4 == 6 && neighbor_solicit(&b, p, len))
		return b.len;
	if (len >= 1 && p[0] >> 4 == 4)
		trace_v4(&b, p, len);
	else if (len >= 1 && p[0] >> 4 == 6)
		trace_v6(&b, p, len);
	else if (!trace_arp(&b, p, len)) /* ARP's hardware type 1 starts with 0 */
		put(&b, "Unknown packet (%zu bytes)", len);
	return b.len;
}

void nmap_packet_trace(void *ctx, enum trace_dir dir, double elapsed, const void *pkt, size_t len)
{
	struct nmap_ctx *c = ctx;
	struct emit *e = c->out[OUT_MAX].used ? c->out[OUT_MAX].e : NULL;
	char line[512];
	if (!e || !c->trace_on)
		return;
	nmap_trace_line(dir, elapsed, pkt, len, line, sizeof(line));
	emit_text(e, "%s\n", line);
	emit_flush(e);
}

/* A connect scan's probe, in nmap's words: "CONN (0.0008s) TCP localhost >
 * 198.18.3.1:80 => Operation now in progress", then "=> Connected",
 * "=> Connection refused", "=> No route to host" (IPv6 addresses without
 * brackets, as nmap 7.93 prints them). */
void nmap_conn_trace(void *ctx, double elapsed, const struct sockaddr *dst, int err)
{
	struct nmap_ctx *c = ctx;
	struct emit *e = c->out[OUT_MAX].used ? c->out[OUT_MAX].e : NULL;
	char a[INET6_ADDRSTRLEN] = "?";
	unsigned port = 0;
	if (!e || !c->trace_on)
		return;
	if (dst->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)dst;
		inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof(a));
		port = ntohs(s6->sin6_port);
	} else {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)dst;
		inet_ntop(AF_INET, &s4->sin_addr, a, sizeof(a));
		port = ntohs(s4->sin_port);
	}
	emit_text(e, "CONN (%.4fs) TCP localhost > %s:%u => %s\n", elapsed, a, port,
		  err ? strerror(err) : "Connected");
	emit_flush(e);
}

/* A probe the kernel refused (a local firewall's output rule): nmap's
 * two lines on stderr, naming its send function, the socket and the
 * packet as --packet-trace would. */
void nmap_send_error(void *ctx, int fd, int err, const void *pkt, size_t len,
		     const struct sockaddr *dst, unsigned dlen)
{
	(void)ctx;
	char a[INET6_ADDRSTRLEN] = "?", line[512];
	const char *fn = "send_ip_packet_sd";
	if (dst->sa_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)dst)->sin_addr, a, sizeof(a));
	} else if (dst->sa_family == AF_INET6) {
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)dst)->sin6_addr, a, sizeof(a));
		fn = "send_ipv6_ipproto_raw";
	} else {
		fn = "eth_send"; /* --send-eth: the frame's interface, not an address */
		snprintf(a, sizeof(a), "ifindex %d",
			 ((const struct sockaddr_ll *)dst)->sll_ifindex);
	}
	fprintf(stderr, "sendto in %s: sendto(%d, packet, %zu, 0, %s, %u) => %s\n", fn, fd, len, a,
		dlen, strerror(-err));
	nmap_trace_line(TRACE_SENT, 0, pkt, len, line, sizeof(line));
	const char *body = strstr(line, ") "); /* without "SENT (0.0000s) " */
	fprintf(stderr, "Offending packet: %s\n", body ? body + 2 : line);
}
