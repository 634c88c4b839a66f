/* SPDX-License-Identifier: Apache-2.0 */
/* nmap 7.93's IPv6 OS detection probes, byte for byte as captured on the
 * target in the lab (lab/default.lab, nmap -6 -O from client and from
 * r2), and the P= layout of the replies in its subject fingerprint. */
#include "engine/os/os6.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *const names[OS6_N] = {"S1", "S2",   "S3", "S4", "S5", "S6", "IE1", "IE2", "NS",
					 "U1", "TECN", "T2", "T3", "T4", "T5", "T6",  "T7"};

/* the IPv4 probe each TCP probe sends the segment of */
static const enum os_probe tcp_of[OS6_N] = {
	[OS6_S1] = OSP_SEQ1, [OS6_S2] = OSP_SEQ2, [OS6_S3] = OSP_SEQ3,	[OS6_S4] = OSP_SEQ4,
	[OS6_S5] = OSP_SEQ5, [OS6_S6] = OSP_SEQ6, [OS6_TECN] = OSP_ECN, [OS6_T2] = OSP_T2,
	[OS6_T3] = OSP_T3,   [OS6_T4] = OSP_T4,	  [OS6_T5] = OSP_T5,	[OS6_T6] = OSP_T6,
	[OS6_T7] = OSP_T7};

const char *os6_probe_name(enum os6_probe p)
{
	return p >= 0 && p < OS6_N ? names[p] : "?";
}

int os6_tcp_index(enum os6_probe p)
{
	if (p >= OS6_S1 && p <= OS6_S6)
		return (int)p;
	if (p >= OS6_TECN && p <= OS6_T7)
		return (int)p - OS6_TECN + 6;
	return -1;
}

uint16_t os6_probe_dport(enum os6_probe p, const struct os6_params *pp)
{
	if (p == OS6_U1)
		return pp->closed_udp;
	if (os6_tcp_index(p) < 0)
		return 0;
	return p >= OS6_T5 ? pp->closed_port : pp->open_port;
}

/* an 8-byte extension header: next header, length 0, a PadN of 4 zero bytes */
static size_t ext8(uint8_t *b, uint8_t next, bool padn)
{
	memset(b, 0, 8);
	b[0] = next;
	if (padn)
		b[2] = 1, b[3] = 4;
	return 8;
}

/* The payload after the IPv6 header; sets the first next header. */
static int build_payload(enum os6_probe p, const struct os6_params *pp, uint8_t *l4, size_t cap,
			 uint8_t *next)
{
	int k = os6_tcp_index(p);
	if (k >= 0) {
		struct os_tcp_probe tp = {.sport = (uint16_t)(pp->sport_base + k),
					  .dport = os6_probe_dport(p, pp),
					  .seq = pp->seq + (uint32_t)k,
					  .ack = pp->ack[p],
					  .src = &pp->src,
					  .dst = &pp->dst};
		*next = IPPROTO_TCP;
		return os_probe_tcp(tcp_of[p], &tp, l4, cap);
	}
	if (p == OS6_U1) {
		uint8_t data[300];
		memset(data, 'C', sizeof(data));
		struct pkt_udp u = {.sport = pp->udp_sport, .dport = pp->closed_udp};
		*next = IPPROTO_UDP;
		return pkt_udp_build(l4, cap, &u, data, sizeof(data), &pp->src, &pp->dst);
	}
	if (p == OS6_NS) {
		struct pkt_nd nd = {.type = 135, .target = pp->dst.v6};
		*next = IPPROTO_ICMPV6;
		return pkt_nd_build(l4, cap, &nd, &pp->src, &pp->dst);
	}
	if (p != OS6_IE1 && p != OS6_IE2)
		return -EINVAL;
	if (cap < 32 + 8 + 120)
		return -ENOSPC;
	size_t o = 0;
	if (p == OS6_IE1) {
		*next = 0; /* HopByHop */
		o += ext8(l4, IPPROTO_ICMPV6, true);
	} else {
		*next = 0;
		o += ext8(l4, 60, true);		 /* HopByHop -> DestOpts */
		o += ext8(l4 + o, 43, true);		 /* DestOpts -> Routing */
		o += ext8(l4 + o, 0, false);		 /* Routing type 0, segleft 0 -> HopByHop */
		o += ext8(l4 + o, IPPROTO_ICMPV6, true); /* HopByHop -> ICMPv6 */
	}
	uint8_t zero[120] = {0};
	struct pkt_icmp m = {.v6 = true,
			     .type = 128,
			     .code = p == OS6_IE1 ? 9 : 0,
			     .rest = (uint32_t)OS6_ICMP_ID << 16 | (p == OS6_IE1 ? 0u : 1u)};
	int n = pkt_icmp_build(l4 + o, cap - o, &m, zero, p == OS6_IE1 ? sizeof(zero) : 0, &pp->src,
			       &pp->dst);
	return n < 0 ? n : (int)o + n;
}

int os6_probe_build(enum os6_probe p, const struct os6_params *pp, uint8_t *buf, size_t cap)
{
	if (p < 0 || p >= OS6_N || cap < PKT_IP6_HLEN)
		return -EINVAL;
	struct pkt_ip6 ip = {.flow = OS6_FLOW,
			     .hlim = p == OS6_NS ? 255 : pp->hlim[p],
			     .src = pp->src.v6,
			     .dst = pp->dst.v6};
	int n = build_payload(p, pp, buf + PKT_IP6_HLEN, cap - PKT_IP6_HLEN, &ip.next);
	if (n < 0)
		return n;
	int h = pkt_ip6_build(buf, cap, &ip, (size_t)n);
	return h < 0 ? h : h + n;
}

static bool is_addr(const uint8_t *p, size_t left, const struct pkt_addr *a)
{
	return a && a->family == AF_INET6 && left >= 16 && !memcmp(p, &a->v6, 16);
}

size_t os6_hex(const uint8_t *pkt, size_t len, const struct pkt_addr *a, const struct pkt_addr *b,
	       char *out, size_t cap)
{
	size_t o = 0, i = 0;
	if (!cap)
		return 0;
	out[0] = '\0';
	while (i < len && o + 1 < cap) {
		int w;
		if (is_addr(pkt + i, len - i, a) || is_addr(pkt + i, len - i, b)) {
			/* consecutive masked addresses fold together: XX{32} */
			size_t n = 0;
			while (is_addr(pkt + i, len - i, a) || is_addr(pkt + i, len - i, b))
				n += 16, i += 16;
			w = snprintf(out + o, cap - o, "XX{%zu}", n);
		} else {
			size_t n = 1;
			while (i + n < len && pkt[i + n] == pkt[i] &&
			       !is_addr(pkt + i + n, len - i - n, a) &&
			       !is_addr(pkt + i + n, len - i - n, b))
				n++;
			if (n >= 3)
				w = snprintf(out + o, cap - o, "%02x{%zu}", pkt[i], n);
			else if (n == 2)
				w = snprintf(out + o, cap - o, "%02x%02x", pkt[i], pkt[i]);
			else
				w = snprintf(out + o, cap - o, "%02x", pkt[i]);
			i += n;
		}
		if (w < 0 || (size_t)w >= cap - o) {
			out[o] = '\0';
			return o;
		}
		o += (size_t)w;
	}
	return o;
}

void os6_distance(const struct os6_obs *o, struct os_fp *fp)
{
	fp->distance = 0;
	fp->dc = 0;
	if (o->local) {
		fp->dc = 'L';
		return;
	}
	if (o->direct) {
		fp->distance = 1;
		fp->dc = 'D';
		return;
	}
	/* port unreachable: IPv6 (40) + ICMPv6 (8) + the quoted IPv6 header */
	if (!o->got[OS6_U1] || o->rlen[OS6_U1] < 48 + 40)
		return;
	const uint8_t *r = o->reply[OS6_U1];
	if (r[6] != IPPROTO_ICMPV6 || r[40] != 1)
		return;
	int d = o->pp.hlim[OS6_U1] - r[48 + 7] + 1;
	if (d > 0) {
		fp->distance = d;
		fp->dc = 'I';
	}
}

size_t os6_tests(const struct os6_obs *o, char *buf, size_t cap)
{
	size_t n = 0;
	if (!cap)
		return 0;
	buf[0] = '\0';
	for (int p = 0; p < OS6_N; p++) {
		if (!o->got[p])
			continue;
		char hex[2 * OS6_REPLY_MAX + 64];
		os6_hex(o->reply[p], o->rlen[p], &o->pp.src, &o->pp.dst, hex, sizeof(hex));
		int w = snprintf(buf + n, cap - n, "%s(P=%s%%ST=%g%%RT=%g)", names[p], hex,
				 o->sent[p], o->rcvd[p]);
		if (w < 0 || (size_t)w >= cap - n) {
			buf[n] = '\0';
			return n;
		}
		n += (size_t)w;
	}
	int w = snprintf(buf + n, cap - n, "EXTRA(FL=%X)", OS6_FLOW);
	return w > 0 && (size_t)w < cap - n ? n + (size_t)w : n;
}
