/* SPDX-License-Identifier: Apache-2.0 */
/* Building probes: the per-host, per-try bytes of each probe kind, with
 * the keyed cookies that let replies be validated statelessly. TCP probes
 * carry the cookie in the sequence (and, for ACK probes, acknowledgement)
 * number; ICMP probes in the identifier; UDP and protocol probes are
 * matched by address, ports and IP ID. The try number rides in the low 4
 * bits of the source port (and in the ICMP sequence number) so a reply
 * says which transmission it answers. */
#include "engine/nmap/probe.h"

#include <errno.h>
#include <string.h>
#include <time.h>

uint32_t probe_tcp_cookie(const struct engine *e, const struct pkt_addr *dst, uint16_t dport,
			  uint16_t sport, uint8_t flags)
{
	uint8_t b[22];
	memcpy(b, dst->b, 16);
	pkt_put16(b + 16, dport);
	pkt_put16(b + 18, sport);
	b[20] = flags;
	b[21] = dst->family;
	return (uint32_t)siphash24(&e->key, b, sizeof(b));
}

uint16_t probe_icmp_id(const struct engine *e, const struct pkt_addr *dst)
{
	uint8_t b[18];
	memcpy(b, dst->b, 16);
	b[16] = 'i';
	b[17] = dst->family;
	return (uint16_t)siphash24(&e->key, b, sizeof(b));
}

uint16_t probe_ip_id(const struct engine *e, const struct pkt_addr *dst, uint8_t proto)
{
	uint8_t b[18];
	memcpy(b, dst->b, 16);
	b[16] = proto;
	b[17] = 'p';
	uint16_t id = (uint16_t)siphash24(&e->key, b, sizeof(b));
	return id ? id : 1;
}

uint16_t probe_sport(const struct engine *e, unsigned tryno)
{
	if (e->fixed_sport >= 0)
		return (uint16_t)e->fixed_sport;
	return (uint16_t)(e->sport_base + (tryno & 15));
}

/* --data, --data-string, --data-length: bytes appended to TCP and ICMP
 * probes and sent instead of the protocol payload in UDP ones (the front
 * end has them; zeros when only a length is given). A probe carries what
 * fits in a packet buffer. */
static const uint8_t *extra_data(const struct engine *e, size_t *len)
{
	static const uint8_t zeros[1400];
	size_t n = e->cfg ? e->cfg->data_length : 0, cap = IO_PKTMAX - 100;
	if (n && e->cfg->data) {
		*len = n > cap ? cap : n;
		return e->cfg->data;
	}
	*len = n > sizeof(zeros) ? sizeof(zeros) : n;
	return *len ? zeros : NULL;
}

static int build_tcp(const struct engine *e, uint8_t *l4, size_t cap, const struct pkt_addr *src,
		     const struct pkt_addr *dst, uint16_t dport, uint8_t flags, unsigned tryno)
{
	uint16_t sport = probe_sport(e, tryno);
	uint32_t c = probe_tcp_cookie(e, dst, dport, sport, flags);
	size_t xlen;
	const uint8_t *x = extra_data(e, &xlen);
	uint8_t opt[4];
	struct pkt_tcp t = {
		.sport = sport,
		.dport = dport,
		.seq = c,
		.ack = (flags & PKT_TCP_ACK) ? c : 0,
		.flags = flags,
		.window = 1024,
	};
	if (flags & PKT_TCP_SYN) { /* nmap's probes with SYN carry an MSS option */
		t.optlen = (size_t)pkt_tcpopt_mss(opt, sizeof(opt), 0, 1460);
		t.opt = opt;
	}
	return pkt_tcp_build(l4, cap, &t, x, xlen, src, dst);
}

static int build_udp(const struct engine *e, uint8_t *l4, size_t cap, const struct pkt_addr *src,
		     const struct pkt_addr *dst, uint16_t dport, unsigned tryno, bool payload)
{
	struct pkt_udp u = {.sport = probe_sport(e, tryno), .dport = dport};
	size_t plen = 0;
	const uint8_t *pl = extra_data(e, &plen);
	if (!pl && payload && e->payloads)
		pl = payloads_get(e->payloads, dport, &plen);
	return pkt_udp_build(l4, cap, &u, pl, pl ? plen : 0, src, dst);
}

static uint32_t ms_since_midnight(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint32_t)((ts.tv_sec % 86400) * 1000 + ts.tv_nsec / 1000000);
}

static int build_icmp(const struct engine *e, uint8_t *l4, size_t cap, const struct pkt_addr *src,
		      const struct pkt_addr *dst, uint8_t kind, unsigned tryno)
{
	bool v6 = dst->family == AF_INET6;
	uint16_t id = probe_icmp_id(e, dst), seq = (uint16_t)tryno;
	switch (kind) {
	case PK_ECHO: {
		size_t xlen;
		const uint8_t *x = extra_data(e, &xlen);
		return pkt_icmp_echo_build(l4, cap, v6, v6 ? PKT_ICMP6_ECHO : PKT_ICMP_ECHO, id,
					   seq, x, xlen, src, dst);
	}
	case PK_TSTAMP:
		return v6 ? -EINVAL : pkt_icmp_tstamp_build(l4, cap, id, seq, ms_since_midnight());
	case PK_MASK: return v6 ? -EINVAL : pkt_icmp_mask_build(l4, cap, id, seq);
	}
	return -EINVAL;
}

/* -sY INIT / -sZ COOKIE ECHO: the keyed cookie is the INIT's initiate tag
 * (answers carry it as their verification tag) or the COOKIE ECHO's own
 * tag (an ABORT reflects it); nmap's INIT parameters otherwise. */
static int build_sctp(const struct engine *e, uint8_t *l4, size_t cap, const struct pkt_addr *dst,
		      uint16_t dport, uint8_t chunk, unsigned tryno)
{
	uint16_t sport = probe_sport(e, tryno);
	uint32_t c = probe_tcp_cookie(e, dst, dport, sport, (uint8_t)(0x80 | chunk));
	uint8_t cookie[4];
	pkt_put32(cookie, c ^ 0x5a5a5a5a);
	struct pkt_sctp s = {.sport = sport, .dport = dport, .chunk = chunk};
	if (chunk == PKT_SCTP_INIT) {
		s.init_tag = c;
		s.a_rwnd = 32768;
		s.os = 10;
		s.mis = 2048;
		s.tsn = c ^ 0xa5a5a5a5;
	} else {
		s.vtag = c;
		s.cookie = cookie;
		s.cookie_len = sizeof(cookie);
	}
	return pkt_sctp_build(l4, cap, &s);
}

/* -sO: a valid header for the protocols that have an obvious one, so
 * the target's stack answers in that protocol; nothing for the rest. */
static int build_proto(const struct engine *e, uint8_t *l4, size_t cap, const struct pkt_addr *src,
		       const struct pkt_addr *dst, uint8_t proto, unsigned tryno)
{
	switch (proto) {
	case IPPROTO_TCP: return build_tcp(e, l4, cap, src, dst, 80, PKT_TCP_ACK, tryno);
	case IPPROTO_UDP: return build_udp(e, l4, cap, src, dst, 40125, tryno, false);
	case IPPROTO_ICMP:
		return dst->family == AF_INET ? build_icmp(e, l4, cap, src, dst, PK_ECHO, tryno)
					      : 0;
	case IPPROTO_ICMPV6:
		return dst->family == AF_INET6 ? build_icmp(e, l4, cap, src, dst, PK_ECHO, tryno)
					       : 0;
	case IPPROTO_IGMP:
		if (cap < 8)
			return -ENOSPC;
		/* IGMPv1/2 membership query to nobody in particular */
		memset(l4, 0, 8);
		l4[0] = 0x11;
		pkt_put16(l4 + 2, pkt_csum(l4, 8));
		return 8;
	}
	return 0;
}

int probe_build(const struct engine *e, const struct pkt_addr *src, const struct pkt_addr *dst,
		const struct probe_def *p, unsigned tryno, uint8_t *buf, size_t cap)
{
	bool v6 = dst->family == AF_INET6;
	size_t optlen = !v6 && e->cfg ? e->cfg->ipoptslen : 0; /* --ip-options */
	size_t hlen = v6 ? PKT_IP6_HLEN : PKT_IP4_HLEN + optlen;
	uint8_t proto;
	int l4len;
	if (cap < hlen)
		return -ENOSPC;
	switch (p->kind) {
	case PK_TCP:
		proto = IPPROTO_TCP;
		l4len = build_tcp(e, buf + hlen, cap - hlen, src, dst, p->port, p->flags, tryno);
		break;
	case PK_UDP:
		proto = IPPROTO_UDP;
		l4len = build_udp(e, buf + hlen, cap - hlen, src, dst, p->port, tryno, true);
		break;
	case PK_ECHO:
	case PK_TSTAMP:
	case PK_MASK:
		proto = v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
		l4len = build_icmp(e, buf + hlen, cap - hlen, src, dst, p->kind, tryno);
		break;
	case PK_SCTP:
		proto = IPPROTO_SCTP;
		l4len = build_sctp(e, buf + hlen, cap - hlen, dst, p->port, p->flags, tryno);
		break;
	case PK_PROTO:
		proto = (uint8_t)p->port;
		l4len = build_proto(e, buf + hlen, cap - hlen, src, dst, proto, tryno);
		break;
	default: return -EINVAL;
	}
	if (l4len < 0)
		return l4len;
	if (e->cfg && e->cfg->badsum &&
	    (proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP)) {
		/* --badsum: a checksum no stack accepts (hosts drop it; a
		 * reply means something in between answered) */
		size_t off = hlen + (proto == IPPROTO_TCP ? 16 : proto == IPPROTO_UDP ? 6 : 8);
		buf[off] ^= 0x5a;
	}
	/* nmap 7.93's IPv6 probes have hop limit 255 (its --packet-trace
	 * and the wire agree), its IPv4 ones a TTL below 64 */
	uint8_t ttl = v6 ? 255 : 64;
	if (e->cfg && e->cfg->ttl >= 0)
		ttl = (uint8_t)e->cfg->ttl;
	if (v6) {
		struct pkt_ip6 h = {.next = proto, .hlim = ttl, .src = src->v6, .dst = dst->v6};
		if (p->kind == PK_PROTO)
			h.flow = probe_ip_id(e, dst, proto);
		if (pkt_ip6_build(buf, cap, &h, (size_t)l4len) < 0)
			return -EINVAL;
	} else {
		struct pkt_ip4 h = {.ttl = ttl, .proto = proto, .src = src->v4, .dst = dst->v4};
		uint8_t opt[40];
		if (optlen) {
			/* a source route goes to its first hop, the target in its
			 * last slot (the L4 checksum is the target's) */
			memcpy(opt, e->cfg->ipopts, optlen);
			int srr = e->cfg->ipopt_srr;
			if (srr >= 4 && (size_t)srr + 4 <= optlen) {
				memcpy(opt + srr, &dst->v4, 4);
				memcpy(&h.dst, opt + 4, 4);
			}
			h.opt = opt;
			h.optlen = optlen;
		}
		h.id = p->kind == PK_PROTO ? probe_ip_id(e, dst, proto)
					   : (uint16_t)(tryno * 7919u + p->port);
		if (pkt_ip4_build(buf, cap, &h, (size_t)l4len) < 0)
			return -EINVAL;
	}
	return (int)hlen + l4len;
}

int probe_build_nd(const struct engine *e, const struct pkt_addr *src, const uint8_t *mymac,
		   const struct pkt_addr *target, uint8_t *buf, size_t cap, struct pkt_addr *dst)
{
	(void)e;
	struct pkt_nd nd = {.type = PKT_ND_NEIGHBOR_SOLICIT, .target = target->v6};
	uint8_t mac[6];
	struct in6_addr group;
	pkt_nd_solicited_node(&target->v6, &group, mac);
	pkt_addr6(dst, &group);
	if (mymac) {
		nd.has_lladdr = true;
		memcpy(nd.lladdr, mymac, 6);
	}
	if (cap < PKT_IP6_HLEN)
		return -ENOSPC;
	int l = pkt_nd_build(buf + PKT_IP6_HLEN, cap - PKT_IP6_HLEN, &nd, src, dst);
	if (l < 0)
		return l;
	struct pkt_ip6 h = {.next = IPPROTO_ICMPV6, .hlim = 255, .src = src->v6, .dst = group};
	if (pkt_ip6_build(buf, cap, &h, (size_t)l) < 0)
		return -EINVAL;
	return PKT_IP6_HLEN + l;
}
