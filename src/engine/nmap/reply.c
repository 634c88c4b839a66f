/* SPDX-License-Identifier: Apache-2.0 */
/* Matching captured packets to probes without a table of what was sent:
 * the reply's addresses find the host, its ports find the probe, and the
 * keyed cookie (TCP sequence/acknowledgement, ICMP identifier, IP ID for
 * protocol probes) proves it answers one of ours. ICMP errors are matched
 * through the datagram they quote. */
#include "engine/nmap/probe.h"
#include "engine/nmap/rawscan.h"

#include <string.h>

static bool our_sport(const struct rs *s, uint16_t port, int *tryno)
{
	uint16_t b = s->e->sport_base;
	if (s->e->fixed_sport >= 0) {
		*tryno = -1;
		return port == s->e->fixed_sport;
	}
	if (port < b || port >= b + 16)
		return false;
	*tryno = port - b;
	return true;
}

/* nmap's reasons for ICMP(v6) destination unreachable codes. */
static uint8_t unreach_reason(bool v6, uint8_t type, uint8_t code)
{
	if (v6) {
		if (type == PKT_ICMP6_PARAMPROB && code == 1)
			return REASON_PROTO_UNREACH;
		if (type != PKT_ICMP6_UNREACH)
			return type == PKT_ICMP6_TIMXCEED ? REASON_TIME_EXCEEDED : REASON_NONE;
		switch (code) {
		case PKT_UNREACH6_NOROUTE: return REASON_NET_UNREACH;
		case PKT_UNREACH6_ADMIN: return REASON_ADMIN_PROHIBITED;
		case PKT_UNREACH6_ADDR: return REASON_HOST_UNREACH;
		case PKT_UNREACH6_PORT: return REASON_PORT_UNREACH;
		default: return REASON_ADMIN_PROHIBITED;
		}
	}
	if (type == PKT_ICMP_TIMXCEED)
		return REASON_TIME_EXCEEDED;
	if (type != PKT_ICMP_UNREACH)
		return REASON_NONE;
	switch (code) {
	case PKT_UNREACH_NET: return REASON_NET_UNREACH;
	case PKT_UNREACH_HOST: return REASON_HOST_UNREACH;
	case PKT_UNREACH_PROTO: return REASON_PROTO_UNREACH;
	case PKT_UNREACH_PORT: return REASON_PORT_UNREACH;
	case PKT_UNREACH_NET_PROHIB: return REASON_NET_PROHIBITED;
	case PKT_UNREACH_HOST_PROHIB: return REASON_HOST_PROHIBITED;
	case PKT_UNREACH_FILTER_PROHIB: return REASON_ADMIN_PROHIBITED;
	default: return REASON_HOST_UNREACH;
	}
}

/* A TCP segment from the target: which TCP probe does it answer? */
static bool match_tcp(struct rs *s, long hi, const struct pkt_addr *src, const struct pkt_tcp *t,
		      struct match *m)
{
	int tryno;
	if (!our_sport(s, t->dport, &tryno))
		return false;
	for (int32_t i = rs_probe_first(s, PK_TCP, t->sport); i; i = s->pnext[i - 1]) {
		const struct probe_def *p = &s->run->probes[i - 1];
		uint32_t c = probe_tcp_cookie(s->e, src, t->sport, t->dport, p->flags);
		/* the ack covers SYN and FIN (one each) and --data-length bytes */
		uint32_t d = t->ack - c, dl = s->e->cfg ? s->e->cfg->data_length : 0;
		uint32_t want = !!(p->flags & PKT_TCP_SYN) + !!(p->flags & PKT_TCP_FIN) + dl;
		bool ok = d <= 1 || d == dl || d == dl + 1 || d == want;
		if (!ok && (t->flags & PKT_TCP_RST) && (p->flags & PKT_TCP_ACK))
			ok = t->seq == c;
		if (!ok)
			continue;
		m->win = t->window;
		if ((t->flags & (PKT_TCP_SYN | PKT_TCP_ACK)) == (PKT_TCP_SYN | PKT_TCP_ACK))
			m->reason = REASON_SYN_ACK;
		else if (t->flags & PKT_TCP_RST)
			m->reason = REASON_RESET;
		else
			return false;
		m->host = (size_t)hi;
		m->probe = (size_t)i - 1;
		m->tryno = tryno;
		return true;
	}
	/* -sO: our TCP probe (an ACK to port 80) drew a TCP answer */
	int32_t i = rs_probe_first(s, PK_PROTO, IPPROTO_TCP);
	if (i && t->sport == 80 &&
	    t->seq == probe_tcp_cookie(s->e, src, 80, t->dport, PKT_TCP_ACK)) {
		m->host = (size_t)hi;
		m->probe = (size_t)i - 1;
		m->tryno = tryno;
		m->reason = REASON_PROTO_RESPONSE;
		return true;
	}
	return false;
}

/* An SCTP answer (INIT ACK: open; ABORT: closed) carries our cookie as
 * its verification tag. */
static bool match_sctp(struct rs *s, long hi, const struct pkt_addr *src, const struct pkt_sctp *c,
		       struct match *m)
{
	int tryno;
	if ((c->chunk != PKT_SCTP_INIT_ACK && c->chunk != PKT_SCTP_ABORT) ||
	    !our_sport(s, c->dport, &tryno))
		return false;
	for (int32_t i = rs_probe_first(s, PK_SCTP, c->sport); i; i = s->pnext[i - 1]) {
		uint8_t chunk = s->run->probes[i - 1].flags;
		if (c->vtag != probe_tcp_cookie(s->e, src, c->sport, c->dport, 0x80 | chunk))
			continue;
		m->reason = c->chunk == PKT_SCTP_INIT_ACK ? REASON_INIT_ACK : REASON_ABORT;
		m->host = (size_t)hi;
		m->probe = (size_t)i - 1;
		m->tryno = tryno;
		return true;
	}
	return false;
}

static bool match_udp(struct rs *s, long hi, const struct pkt_udp *u, struct match *m)
{
	int tryno;
	if (!our_sport(s, u->dport, &tryno))
		return false;
	int32_t i = rs_probe_first(s, PK_UDP, u->sport);
	if (!i && u->sport == 40125)
		i = rs_probe_first(s, PK_PROTO, IPPROTO_UDP);
	if (!i)
		return false;
	m->host = (size_t)hi;
	m->probe = (size_t)i - 1;
	m->tryno = tryno;
	m->reason = s->run->probes[i - 1].kind == PK_PROTO ? REASON_PROTO_RESPONSE
							   : REASON_UDP_RESPONSE;
	return true;
}

/* The quoted datagram of an ICMP error: which probe was it? */
static bool match_quote(struct rs *s, const struct pkt_quote *q, struct match *m)
{
	long hi = rs_host_lookup(s, &q->dst);
	if (hi < 0)
		return false;
	const struct pkt_addr *dst = &s->run->hosts[hi].addr;
	int32_t i = rs_probe_first(s, PK_PROTO, q->proto);
	if (i) { /* -sO: matched by protocol and our IP ID (IPv6: flow label) */
		uint32_t cookie = dst->family == AF_INET ? q->ip_id : q->flow;
		if (cookie != probe_ip_id(s->e, dst, q->proto))
			return false;
		m->host = (size_t)hi;
		m->probe = (size_t)i - 1;
		return true;
	}
	int tryno = -1;
	if (q->l4_len < 8)
		return false;
	if (q->proto == IPPROTO_TCP) {
		if (!our_sport(s, q->sport, &tryno))
			return false;
		for (i = rs_probe_first(s, PK_TCP, q->dport); i; i = s->pnext[i - 1]) {
			uint8_t fl = s->run->probes[i - 1].flags;
			if (q->tcp_seq == probe_tcp_cookie(s->e, dst, q->dport, q->sport, fl))
				break;
		}
	} else if (q->proto == IPPROTO_UDP || q->proto == IPPROTO_SCTP) {
		if (!our_sport(s, q->sport, &tryno))
			return false;
		i = rs_probe_first(s, q->proto == IPPROTO_UDP ? PK_UDP : PK_SCTP, q->dport);
	} else if (q->proto == IPPROTO_ICMP || q->proto == IPPROTO_ICMPV6) {
		if (q->icmp_id != probe_icmp_id(s->e, dst))
			return false;
		tryno = q->icmp_seq & 15;
		uint8_t t = q->icmp_type;
		unsigned kind = t == PKT_ICMP_TSTAMP	? PK_TSTAMP
				: t == PKT_ICMP_MASKREQ ? PK_MASK
							: PK_ECHO;
		i = rs_probe_first(s, kind, 0);
	}
	if (!i)
		return false;
	m->host = (size_t)hi;
	m->probe = (size_t)i - 1;
	m->tryno = tryno;
	return true;
}

static bool match_icmp(struct rs *s, const struct pkt_addr *src, const uint8_t *l4, size_t len,
		       bool v6, struct match *m)
{
	struct pkt_icmp ic = {.v6 = v6};
	if (pkt_icmp_parse(l4, len, &ic) < 0)
		return false;
	long hi = rs_host_lookup(s, src);
	if (v6 && ic.type == PKT_ND_NEIGHBOR_ADVERT) {
		struct pkt_nd nd;
		int32_t i = rs_probe_first(s, PK_ND, 0);
		struct pkt_addr t;
		if (!i || pkt_nd_parse(l4, len, &nd) < 0)
			return false;
		pkt_addr6(&t, &nd.target);
		if ((hi = rs_host_lookup(s, &t)) < 0)
			return false;
		m->host = (size_t)hi;
		m->probe = (size_t)i - 1;
		m->reason = REASON_ND_RESPONSE;
		m->ttl = 0; /* nmap keeps no TTL for ND, as for ARP */
		m->from_target = true;
		if (nd.has_lladdr) {
			memcpy(m->lladdr, nd.lladdr, 6); /* the option's, wherever it is */
			m->mac = m->lladdr;
		}
		return true;
	}
	/* -sO: any ICMP from the host answers the ICMP protocol probe while
	 * that one is still waiting (nmap does the same). */
	int32_t pi = rs_probe_first(s, PK_PROTO, v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
	if (pi && hi >= 0) {
		size_t item = (size_t)(pi - 1) * s->nh + (size_t)hi;
		if (!s->st[item] && s->tries[item]) {
			uint8_t r = unreach_reason(v6, ic.type, ic.code);
			bool reply = ic.type == (v6 ? PKT_ICMP6_ECHOREPLY : PKT_ICMP_ECHOREPLY);
			m->host = (size_t)hi;
			m->probe = (size_t)pi - 1;
			m->reason = reply ? REASON_ECHO_REPLY : r ? r : REASON_PROTO_RESPONSE;
			m->from_target = true;
			m->tryno = MATCH_IN_PROTOCOL;
			return true;
		}
	}
	if (pkt_icmp_is_error(&ic)) {
		struct pkt_quote q;
		if (pkt_quote_parse(&ic, &q) < 0 || !match_quote(s, &q, m))
			return false;
		m->reason = unreach_reason(v6, ic.type, ic.code);
		m->from_target = pkt_addr_eq(src, &q.dst);
		return m->reason != REASON_NONE;
	}
	if (hi < 0 || ic.id != probe_icmp_id(s->e, src))
		return false;
	unsigned kind;
	switch (ic.type) {
	case PKT_ICMP_ECHOREPLY:
		if (v6)
			return false;
		kind = PK_ECHO;
		m->reason = REASON_ECHO_REPLY;
		break;
	case PKT_ICMP6_ECHOREPLY:
		if (!v6)
			return false;
		kind = PK_ECHO;
		m->reason = REASON_ECHO_REPLY;
		break;
	case PKT_ICMP_TSTAMPREPLY:
		kind = PK_TSTAMP;
		m->reason = REASON_TIMESTAMP_REPLY;
		break;
	case PKT_ICMP_MASKREPLY:
		kind = PK_MASK;
		m->reason = REASON_MASK_REPLY;
		break;
	default: return false;
	}
	int32_t i = rs_probe_first(s, kind, 0);
	if (!i)
		return false;
	m->host = (size_t)hi;
	m->probe = (size_t)i - 1;
	m->tryno = ic.seq & 15;
	m->from_target = true;
	return true;
}

static bool match_arp(struct rs *s, const struct io_pkt *pk, struct match *m)
{
	struct pkt_arp a;
	int32_t i = rs_probe_first(s, PK_ARP, 0);
	if (!i || pkt_arp_parse(pk->data, pk->len, &a) < 0 || a.op != PKT_ARP_REPLY)
		return false;
	struct pkt_addr src;
	pkt_addr4(&src, &a.spa);
	long hi = rs_host_lookup(s, &src);
	if (hi < 0)
		return false;
	m->host = (size_t)hi;
	m->probe = (size_t)i - 1;
	m->reason = REASON_ARP_RESPONSE;
	m->from_target = true;
	m->mac = pk->data + 8; /* sender hardware address */
	return true;
}

static bool match_l4(struct rs *s, const struct pkt_addr *src, uint8_t proto, const uint8_t *l4,
		     size_t len, bool v6, struct match *m)
{
	long hi;
	m->proto = proto;
	switch (proto) {
	case IPPROTO_TCP: {
		struct pkt_tcp t;
		/* malformed options: no answer (nmap drops the packet) */
		if ((hi = rs_host_lookup(s, src)) < 0 || pkt_tcp_parse(l4, len, &t) < 0 ||
		    !pkt_tcp_opts_valid(t.opt, t.optlen))
			return false;
		m->from_target = true;
		return match_tcp(s, hi, src, &t, m);
	}
	case IPPROTO_UDP: {
		struct pkt_udp u;
		if ((hi = rs_host_lookup(s, src)) < 0 || pkt_udp_parse(l4, len, &u) < 0)
			return false;
		m->from_target = true;
		return match_udp(s, hi, &u, m);
	}
	case IPPROTO_SCTP: {
		struct pkt_sctp c;
		if ((hi = rs_host_lookup(s, src)) < 0 || pkt_sctp_parse(l4, len, &c) < 0 ||
		    !rs_probe_first(s, PK_SCTP, c.sport))
			break; /* not an answer to -sY/-sZ: -sO's, perhaps */
		m->from_target = true;
		return match_sctp(s, hi, src, &c, m);
	}
	case IPPROTO_ICMP: return !v6 && match_icmp(s, src, l4, len, false, m);
	case IPPROTO_ICMPV6: return v6 && match_icmp(s, src, l4, len, true, m);
	}
	/* -sO: an answer in any other protocol */
	int32_t i = rs_probe_first(s, PK_PROTO, proto);
	if (!i || (hi = rs_host_lookup(s, src)) < 0)
		return false;
	m->host = (size_t)hi;
	m->probe = (size_t)i - 1;
	m->reason = REASON_PROTO_RESPONSE;
	m->from_target = true;
	return true;
}

bool reply_match(struct rs *s, const struct io_pkt *pk, struct match *m)
{
	memset(m, 0, sizeof(*m));
	m->tryno = -1;
	if (pk->ethertype == PKT_ETH_P_ARP)
		return match_arp(s, pk, m);
	struct pkt_addr src;
	int hl;
	if (pk->ethertype == PKT_ETH_P_IP) {
		struct pkt_ip4 h;
		if ((hl = pkt_ip4_parse(pk->data, pk->len, &h, false)) < 0)
			return false;
		if (h.frag & 0x1fff)
			return false;
		pkt_addr4(&src, &h.src);
		m->ttl = h.ttl;
		/* our own protocol probes to a local address loop back to us */
		if (s->run->scan == SCAN_IPPROTO && h.src.s_addr == h.dst.s_addr &&
		    h.id == probe_ip_id(s->e, &src, h.proto))
			return false;
		return match_l4(s, &src, h.proto, pk->data + hl, h.tot_len - (size_t)hl, false, m);
	}
	if (pk->ethertype == PKT_ETH_P_IPV6) {
		struct pkt_ip6 h;
		if ((hl = pkt_ip6_parse(pk->data, pk->len, &h, false)) < 0)
			return false;
		uint8_t next = h.next;
		size_t plen = h.plen;
		int off = pkt_ip6_skip_ext(pk->data + hl, plen, &next);
		if (off < 0)
			return false;
		pkt_addr6(&src, &h.src);
		m->ttl = h.hlim;
		if (s->run->scan == SCAN_IPPROTO && !memcmp(&h.src, &h.dst, 16) &&
		    h.flow == probe_ip_id(s->e, &src, next))
			return false;
		return match_l4(s, &src, next, pk->data + hl + off, plen - (size_t)off, true, m);
	}
	return false;
}

/* nmap's ping scan takes an ICMP error from the target as a sign of life
 * only when it says port or protocol unreachable: a host that refuses a
 * -PS8083 probe with admin-prohibited seems down to nmap 7.93, which
 * waits for the probe to time out. */
bool reply_says_up(uint8_t reason)
{
	switch (reason) {
	case REASON_HOST_UNREACH:
	case REASON_NET_UNREACH:
	case REASON_ADMIN_PROHIBITED:
	case REASON_HOST_PROHIBITED:
	case REASON_NET_PROHIBITED:
	case REASON_TIME_EXCEEDED: return false;
	default: return true;
	}
}

uint8_t reply_default_state(unsigned scan)
{
	switch (scan) {
	case SCAN_SYN:
	case SCAN_ACK:
	case SCAN_WINDOW:
	case SCAN_SCTP_INIT:
	case SCAN_CONNECT: return PORT_FILTERED;
	default: return PORT_OPEN_FILTERED;
	}
}

uint8_t reply_state(unsigned scan, uint8_t reason, const struct probe_def *p)
{
	switch (reason) {
	case REASON_SYN_ACK:
		return scan == SCAN_SYN || scan == SCAN_CONNECT ? PORT_OPEN : PORT_UNKNOWN;
	case REASON_RESET: return scan == SCAN_ACK ? PORT_UNFILTERED : PORT_CLOSED;
	case REASON_INIT_ACK: return scan == SCAN_SCTP_INIT ? PORT_OPEN : PORT_UNKNOWN;
	case REASON_ABORT: return PORT_CLOSED;
	case REASON_UDP_RESPONSE:
	case REASON_PROTO_RESPONSE:
	case REASON_ECHO_REPLY: return PORT_OPEN;
	case REASON_PORT_UNREACH:
		if (scan == SCAN_IPPROTO)
			return PORT_OPEN;
		return scan == SCAN_UDP ? PORT_CLOSED : PORT_FILTERED;
	case REASON_PROTO_UNREACH: return scan == SCAN_IPPROTO ? PORT_CLOSED : PORT_FILTERED;
	case REASON_TIME_EXCEEDED: return PORT_UNKNOWN;
	default: return PORT_FILTERED;
	}
}

bool reply_from_group(const struct rs *s, const struct io_pkt *pk)
{
	struct pkt_addr src;
	struct pkt_arp a;
	if (pk->ethertype == PKT_ETH_P_ARP) {
		/* a run without ARP probes captures no ARP, as nmap's filter:
		 * the kernel's own ARP for the raw probes is not printed */
		if (!rs_probe_first(s, PK_ARP, 0) || pkt_arp_parse(pk->data, pk->len, &a) < 0 ||
		    a.op != PKT_ARP_REPLY)
			return false;
		pkt_addr4(&src, &a.spa);
	} else if (pk->ethertype == PKT_ETH_P_IP && pk->len >= PKT_IP4_HLEN) {
		struct in_addr a;
		memcpy(&a, pk->data + 12, 4);
		pkt_addr4(&src, &a);
	} else if (pk->ethertype == PKT_ETH_P_IPV6 && pk->len >= PKT_IP6_HLEN) {
		struct in6_addr a;
		memcpy(&a, pk->data + 8, 16);
		pkt_addr6(&src, &a);
	} else {
		return false;
	}
	return rs_host_lookup(s, &src) >= 0;
}
