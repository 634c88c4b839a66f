/* SPDX-License-Identifier: Apache-2.0 */
/* IPv4 and IPv6 headers. */
#include <errno.h>
#include <string.h>

#include "lib/pkt/pkt.h"

int pkt_ip4_build(uint8_t *buf, size_t cap, const struct pkt_ip4 *h, size_t payload_len)
{
	size_t hlen = PKT_IP4_HLEN + h->optlen;

	if (h->optlen > 40 || h->optlen % 4 || (h->optlen && !h->opt))
		return -EINVAL;
	if (hlen + payload_len > 0xffff)
		return -EINVAL;
	if (cap < hlen)
		return -ENOSPC;
	buf[0] = (uint8_t)(0x40 | hlen / 4);
	buf[1] = h->tos;
	pkt_put16(buf + 2, (uint16_t)(hlen + payload_len));
	pkt_put16(buf + 4, h->id);
	pkt_put16(buf + 6, h->frag);
	buf[8] = h->ttl;
	buf[9] = h->proto;
	pkt_put16(buf + 10, 0);
	memcpy(buf + 12, &h->src, 4);
	memcpy(buf + 16, &h->dst, 4);
	if (h->optlen)
		memcpy(buf + 20, h->opt, h->optlen);
	pkt_put16(buf + 10, pkt_csum(buf, hlen));
	return (int)hlen;
}

int pkt_ip4_parse(const uint8_t *buf, size_t len, struct pkt_ip4 *h, bool allow_trunc)
{
	size_t hlen;

	if (len < PKT_IP4_HLEN)
		return -EBADMSG;
	if (buf[0] >> 4 != 4)
		return -EPROTO;
	hlen = (size_t)(buf[0] & 0xf) * 4;
	if (hlen < PKT_IP4_HLEN || hlen > len)
		return -EBADMSG;
	memset(h, 0, sizeof(*h));
	h->hlen = (uint8_t)hlen;
	h->tos = buf[1];
	h->tot_len = pkt_get16(buf + 2);
	if (h->tot_len < hlen || (!allow_trunc && h->tot_len > len))
		return -EBADMSG;
	h->id = pkt_get16(buf + 4);
	h->frag = pkt_get16(buf + 6);
	h->ttl = buf[8];
	h->proto = buf[9];
	h->csum = pkt_get16(buf + 10);
	memcpy(&h->src, buf + 12, 4);
	memcpy(&h->dst, buf + 16, 4);
	h->opt = hlen > PKT_IP4_HLEN ? buf + PKT_IP4_HLEN : NULL;
	h->optlen = hlen - PKT_IP4_HLEN;
	return (int)hlen;
}

int pkt_ip6_build(uint8_t *buf, size_t cap, const struct pkt_ip6 *h, size_t payload_len)
{
	if (payload_len > 0xffff || h->flow > 0xfffff)
		return -EINVAL;
	if (cap < PKT_IP6_HLEN)
		return -ENOSPC;
	pkt_put32(buf, 6u << 28 | (uint32_t)h->tclass << 20 | h->flow);
	pkt_put16(buf + 4, (uint16_t)payload_len);
	buf[6] = h->next;
	buf[7] = h->hlim;
	memcpy(buf + 8, &h->src, 16);
	memcpy(buf + 24, &h->dst, 16);
	return PKT_IP6_HLEN;
}

int pkt_ip6_parse(const uint8_t *buf, size_t len, struct pkt_ip6 *h, bool allow_trunc)
{
	uint32_t w;

	if (len < PKT_IP6_HLEN)
		return -EBADMSG;
	if (buf[0] >> 4 != 6)
		return -EPROTO;
	w = pkt_get32(buf);
	memset(h, 0, sizeof(*h));
	h->tclass = (uint8_t)(w >> 20);
	h->flow = w & 0xfffff;
	h->plen = pkt_get16(buf + 4);
	if (!allow_trunc && (size_t)h->plen + PKT_IP6_HLEN > len)
		return -EBADMSG;
	h->next = buf[6];
	h->hlim = buf[7];
	memcpy(&h->src, buf + 8, 16);
	memcpy(&h->dst, buf + 24, 16);
	return PKT_IP6_HLEN;
}

int pkt_ip6_skip_ext(const uint8_t *buf, size_t len, uint8_t *next)
{
	size_t off = 0;
	unsigned hops = 0;

	for (;;) {
		size_t elen;

		switch (*next) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_DSTOPTS:
			if (len - off < 2)
				return -EBADMSG;
			elen = ((size_t)buf[off + 1] + 1) * 8;
			break;
		case IPPROTO_FRAGMENT: elen = 8; break;
		default: return (int)off;
		}
		if (len - off < elen || ++hops > 16)
			return -EBADMSG;
		*next = buf[off];
		off += elen;
	}
}

int pkt_ip4_fragment(const uint8_t *pkt, size_t len, size_t mtu, size_t k, uint8_t *out, size_t cap)
{
	if (len < PKT_IP4_HLEN || !mtu || mtu % 8)
		return -EINVAL;
	size_t hlen = (size_t)(pkt[0] & 0xf) * 4;
	if (hlen < PKT_IP4_HLEN || hlen > len)
		return -EINVAL;
	size_t plen = len - hlen, off = k * mtu;
	if (off >= plen && (k || plen))
		return 0;
	size_t n = plen - off > mtu ? mtu : plen - off;
	if (cap < hlen + n)
		return -ENOSPC;
	memcpy(out, pkt, hlen);
	memcpy(out + hlen, pkt + hlen + off, n);
	uint16_t frag = (uint16_t)(pkt_get16(pkt + 6) & PKT_IP4_DF);
	frag |= (uint16_t)(off / 8);
	if (off + n < plen)
		frag |= PKT_IP4_MF;
	pkt_put16(out + 2, (uint16_t)(hlen + n));
	pkt_put16(out + 6, frag);
	pkt_put16(out + 10, 0);
	pkt_put16(out + 10, pkt_csum(out, hlen));
	return (int)(hlen + n);
}
