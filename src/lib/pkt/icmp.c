/* SPDX-License-Identifier: Apache-2.0 */
/* ICMP and ICMPv6 messages, the datagram an error quotes, and the
 * RFC 4884 extension structure with RFC 4950 MPLS label stacks. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/pkt/pkt.h"

/* RFC 4884: the quote is at least 128 bytes when extensions follow */
#define EXT_MIN_QUOTE 128
#define EXT_HDR_LEN 4
#define EXT_OBJ_HDR_LEN 4
#define EXT_CLASS_MPLS 1

int pkt_icmp_build(uint8_t *buf, size_t cap, const struct pkt_icmp *m, const void *payload,
		   size_t plen, const struct pkt_addr *src, const struct pkt_addr *dst)
{
	size_t len = PKT_ICMP_HLEN + plen;

	if ((plen && !payload) || len > 0xffff)
		return -EINVAL;
	if (cap < len)
		return -ENOSPC;
	if (plen)
		memmove(buf + PKT_ICMP_HLEN, payload, plen);
	buf[0] = m->type;
	buf[1] = m->code;
	pkt_put16(buf + 2, 0);
	pkt_put32(buf + 4, m->rest);
	if (!m->v6)
		pkt_put16(buf + 2, pkt_csum(buf, len));
	else if (src && dst)
		pkt_put16(buf + 2, pkt_csum_fold(pkt_csum_add(
					   pkt_csum_pseudo(src, dst, IPPROTO_ICMPV6, (uint32_t)len),
					   buf, len)));
	return (int)len;
}

int pkt_icmp_echo_build(uint8_t *buf, size_t cap, bool v6, uint8_t type, uint16_t id, uint16_t seq,
			const void *payload, size_t plen, const struct pkt_addr *src,
			const struct pkt_addr *dst)
{
	struct pkt_icmp m = {.v6 = v6, .type = type, .rest = (uint32_t)id << 16 | seq};

	return pkt_icmp_build(buf, cap, &m, payload, plen, src, dst);
}

int pkt_icmp_tstamp_build(uint8_t *buf, size_t cap, uint16_t id, uint16_t seq, uint32_t orig)
{
	struct pkt_icmp m = {.type = PKT_ICMP_TSTAMP, .rest = (uint32_t)id << 16 | seq};
	uint8_t ts[12] = {0};

	pkt_put32(ts, orig);
	return pkt_icmp_build(buf, cap, &m, ts, sizeof(ts), NULL, NULL);
}

int pkt_icmp_mask_build(uint8_t *buf, size_t cap, uint16_t id, uint16_t seq)
{
	struct pkt_icmp m = {.type = PKT_ICMP_MASKREQ, .rest = (uint32_t)id << 16 | seq};
	uint8_t mask[4] = {0};

	return pkt_icmp_build(buf, cap, &m, mask, sizeof(mask), NULL, NULL);
}

int pkt_icmp_error_build(uint8_t *buf, size_t cap, bool v6, uint8_t type, uint8_t code,
			 uint32_t rest, const void *quote, size_t qlen, const void *ext,
			 size_t extlen, const struct pkt_addr *src, const struct pkt_addr *dst)
{
	struct pkt_icmp m = {.v6 = v6, .type = type, .code = code, .rest = rest};
	size_t unit = v6 ? 8 : 4, qpad = qlen, len;

	if (ext && extlen) {
		qpad = qlen < EXT_MIN_QUOTE ? EXT_MIN_QUOTE : (qlen + unit - 1) / unit * unit;
		if (qpad / unit > 255)
			return -EINVAL;
		/* the length field: v4 byte 5 (32-bit words), v6 byte 4 (64-bit words) */
		m.rest &= v6 ? 0x00ffffffu : 0xff00ffffu;
		m.rest |= (uint32_t)(qpad / unit) << (v6 ? 24 : 16);
	} else {
		extlen = 0;
	}
	len = PKT_ICMP_HLEN + qpad + extlen;
	if ((qlen && !quote) || len > 0xffff)
		return -EINVAL;
	if (cap < len)
		return -ENOSPC;
	if (qlen)
		memmove(buf + PKT_ICMP_HLEN, quote, qlen);
	memset(buf + PKT_ICMP_HLEN + qlen, 0, qpad - qlen);
	if (extlen)
		memcpy(buf + PKT_ICMP_HLEN + qpad, ext, extlen);
	return pkt_icmp_build(buf, cap, &m, buf + PKT_ICMP_HLEN, qpad + extlen, src, dst);
}

bool pkt_icmp_is_error(const struct pkt_icmp *m)
{
	if (m->v6)
		return m->type >= PKT_ICMP6_UNREACH && m->type <= PKT_ICMP6_PARAMPROB;
	switch (m->type) {
	case PKT_ICMP_UNREACH:
	case PKT_ICMP_SOURCEQUENCH:
	case PKT_ICMP_REDIRECT:
	case PKT_ICMP_TIMXCEED:
	case PKT_ICMP_PARAMPROB: return true;
	default: return false;
	}
}

int pkt_icmp_parse(const uint8_t *buf, size_t len, struct pkt_icmp *m)
{
	bool v6 = m->v6;

	if (len < PKT_ICMP_HLEN)
		return -EBADMSG;
	memset(m, 0, sizeof(*m));
	m->v6 = v6;
	m->type = buf[0];
	m->code = buf[1];
	m->csum = pkt_get16(buf + 2);
	m->rest = pkt_get32(buf + 4);
	m->id = (uint16_t)(m->rest >> 16);
	m->seq = (uint16_t)m->rest;
	m->data = buf + PKT_ICMP_HLEN;
	m->data_len = len - PKT_ICMP_HLEN;
	if (!v6 && (m->type == PKT_ICMP_TSTAMP || m->type == PKT_ICMP_TSTAMPREPLY) &&
	    m->data_len < 12)
		return -EBADMSG;
	if (!v6 && (m->type == PKT_ICMP_MASKREQ || m->type == PKT_ICMP_MASKREPLY) &&
	    m->data_len < 4)
		return -EBADMSG;
	return PKT_ICMP_HLEN;
}

int pkt_icmp_tstamp_get(const struct pkt_icmp *m, uint32_t ts[3])
{
	if (m->v6 || m->data_len < 12)
		return -EBADMSG;
	for (int i = 0; i < 3; i++)
		ts[i] = pkt_get32(m->data + 4 * i);
	return 0;
}

/* Fills the upper-layer fields of q from the quoted header bytes. */
static void quote_l4(struct pkt_quote *q)
{
	const uint8_t *p = q->l4;

	if (q->l4_len < 8)
		return;
	switch (q->proto) {
	case IPPROTO_UDP:
		q->udp_len = pkt_get16(p + 4);
		q->udp_csum = pkt_get16(p + 6);
		/* fallthrough */
	case IPPROTO_TCP:
	case IPPROTO_SCTP:
		q->has_ports = true;
		q->sport = pkt_get16(p);
		q->dport = pkt_get16(p + 2);
		q->tcp_seq = pkt_get32(p + 4);
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		q->icmp_type = p[0];
		q->icmp_code = p[1];
		q->icmp_id = pkt_get16(p + 4);
		q->icmp_seq = pkt_get16(p + 6);
		break;
	default: break;
	}
}

static int quote_ip(const uint8_t *p, size_t len, bool v6, struct pkt_quote *q)
{
	int hl;

	if (!v6) {
		struct pkt_ip4 h;

		hl = pkt_ip4_parse(p, len, &h, true);
		if (hl < 0)
			return -EBADMSG;
		pkt_addr4(&q->src, &h.src);
		pkt_addr4(&q->dst, &h.dst);
		q->proto = h.proto;
		q->ttl = h.ttl;
		q->tos = h.tos;
		q->ip_id = h.id;
		q->ip_len = h.tot_len;
	} else {
		struct pkt_ip6 h;
		int ext;

		hl = pkt_ip6_parse(p, len, &h, true);
		if (hl < 0)
			return -EBADMSG;
		pkt_addr6(&q->src, &h.src);
		pkt_addr6(&q->dst, &h.dst);
		q->ttl = h.hlim;
		q->tos = h.tclass;
		q->flow = h.flow;
		q->ip_len = (uint16_t)(h.plen + PKT_IP6_HLEN);
		q->proto = h.next;
		ext = pkt_ip6_skip_ext(p + hl, len - (size_t)hl, &q->proto);
		if (ext < 0)
			return -EBADMSG;
		hl += ext;
	}
	q->l4 = p + hl;
	q->l4_len = len - (size_t)hl;
	return hl;
}

/* A valid extension header: version 2 and a checksum over the rest. */
static bool ext_hdr_ok(const uint8_t *p, size_t len)
{
	if (len < EXT_HDR_LEN || p[0] >> 4 != 2)
		return false;
	return pkt_get16(p + 2) == 0 || pkt_csum(p, len) == 0;
}

int pkt_quote_parse(const struct pkt_icmp *m, struct pkt_quote *q)
{
	size_t qlen, unit = m->v6 ? 8 : 4, words;
	bool ext_capable;

	memset(q, 0, sizeof(*q));
	if (!pkt_icmp_is_error(m))
		return -EPROTO;
	/* RFC 4884 defines the length field for these types only */
	ext_capable = m->v6 ? (m->type == PKT_ICMP6_UNREACH || m->type == PKT_ICMP6_TIMXCEED)
			    : (m->type == PKT_ICMP_UNREACH || m->type == PKT_ICMP_TIMXCEED ||
			       m->type == PKT_ICMP_PARAMPROB);
	words = ext_capable ? (m->v6 ? m->rest >> 24 : (m->rest >> 16) & 0xff) : 0;
	qlen = m->data_len;
	if (words) {
		if (words * unit > m->data_len)
			return -EBADMSG;
		qlen = words * unit;
	}
	if (quote_ip(m->data, qlen, m->v6, q) < 0)
		return -EBADMSG;
	quote_l4(q);
	if (words && m->data_len > qlen && ext_hdr_ok(m->data + qlen, m->data_len - qlen)) {
		q->ext = m->data + qlen;
		q->ext_len = m->data_len - qlen;
	} else if (!words && ext_capable && m->data_len > EXT_MIN_QUOTE + EXT_HDR_LEN &&
		   ext_hdr_ok(m->data + EXT_MIN_QUOTE, m->data_len - EXT_MIN_QUOTE)) {
		/* RFC 4884 section 5: senders that predate the length field */
		q->ext = m->data + EXT_MIN_QUOTE;
		q->ext_len = m->data_len - EXT_MIN_QUOTE;
	}
	return 0;
}

int pkt_ext_mpls(const uint8_t *ext, size_t len, struct pkt_mpls *labels, size_t max)
{
	size_t off = EXT_HDR_LEN;
	int n = 0;

	if (!ext_hdr_ok(ext, len))
		return -EBADMSG;
	while (off < len) {
		size_t olen;

		if (len - off < EXT_OBJ_HDR_LEN)
			return -EBADMSG;
		olen = pkt_get16(ext + off);
		if (olen < EXT_OBJ_HDR_LEN || olen > len - off)
			return -EBADMSG;
		if (ext[off + 2] == EXT_CLASS_MPLS && ext[off + 3] == 1) {
			if ((olen - EXT_OBJ_HDR_LEN) % 4)
				return -EBADMSG;
			for (size_t i = off + EXT_OBJ_HDR_LEN; i < off + olen; i += 4, n++) {
				uint32_t w = pkt_get32(ext + i);

				if ((size_t)n >= max)
					continue;
				labels[n].label = w >> 12;
				labels[n].tc = (w >> 9) & 7;
				labels[n].s = (w >> 8) & 1;
				labels[n].ttl = (uint8_t)w;
			}
		}
		off += olen;
	}
	return n;
}

int pkt_ext_mpls_build(uint8_t *buf, size_t cap, const struct pkt_mpls *labels, size_t n)
{
	size_t olen = EXT_OBJ_HDR_LEN + 4 * n, len = EXT_HDR_LEN + olen;

	if (olen > 0xffff || (n && !labels))
		return -EINVAL;
	if (cap < len)
		return -ENOSPC;
	buf[0] = 2 << 4;
	buf[1] = 0;
	pkt_put16(buf + 2, 0);
	pkt_put16(buf + 4, (uint16_t)olen);
	buf[6] = EXT_CLASS_MPLS;
	buf[7] = 1;
	for (size_t i = 0; i < n; i++)
		pkt_put32(buf + 8 + 4 * i, (labels[i].label & 0xfffff) << 12 |
						   (uint32_t)(labels[i].tc & 7) << 9 |
						   (uint32_t)labels[i].s << 8 | labels[i].ttl);
	pkt_put16(buf + 2, pkt_csum(buf, len));
	return (int)len;
}
