/* SPDX-License-Identifier: Apache-2.0 */
/* Ethernet, ARP and IPv6 neighbour discovery. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/pkt/pkt.h"

#define ARP_HTYPE_ETHER 1
#define ETH_MIN_FRAME 60
#define ND_LEN 24
#define ND_OPT_SRC_LLADDR 1
#define ND_OPT_TGT_LLADDR 2

int pkt_eth_build(uint8_t *buf, size_t cap, const struct pkt_eth *e)
{
	size_t len = e->tagged ? PKT_ETH_HLEN + 4 : PKT_ETH_HLEN;

	if (cap < len)
		return -ENOSPC;
	memcpy(buf, e->dst, 6);
	memcpy(buf + 6, e->src, 6);
	if (e->tagged) {
		pkt_put16(buf + 12, PKT_ETH_P_8021Q);
		pkt_put16(buf + 14, e->vlan);
	}
	pkt_put16(buf + len - 2, e->type);
	return (int)len;
}

int pkt_eth_parse(const uint8_t *buf, size_t len, struct pkt_eth *e)
{
	if (len < PKT_ETH_HLEN)
		return -EBADMSG;
	memset(e, 0, sizeof(*e));
	memcpy(e->dst, buf, 6);
	memcpy(e->src, buf + 6, 6);
	e->type = pkt_get16(buf + 12);
	if (e->type != PKT_ETH_P_8021Q)
		return PKT_ETH_HLEN;
	if (len < PKT_ETH_HLEN + 4)
		return -EBADMSG;
	e->tagged = true;
	e->vlan = pkt_get16(buf + 14);
	e->type = pkt_get16(buf + 16);
	return PKT_ETH_HLEN + 4;
}

int pkt_arp_build(uint8_t *buf, size_t cap, const struct pkt_arp *a)
{
	if (cap < PKT_ARP_LEN)
		return -ENOSPC;
	pkt_put16(buf, ARP_HTYPE_ETHER);
	pkt_put16(buf + 2, PKT_ETH_P_IP);
	buf[4] = 6;
	buf[5] = 4;
	pkt_put16(buf + 6, a->op);
	memcpy(buf + 8, a->sha, 6);
	memcpy(buf + 14, &a->spa, 4);
	memcpy(buf + 18, a->tha, 6);
	memcpy(buf + 24, &a->tpa, 4);
	return PKT_ARP_LEN;
}

int pkt_arp_parse(const uint8_t *buf, size_t len, struct pkt_arp *a)
{
	if (len < PKT_ARP_LEN)
		return -EBADMSG;
	if (pkt_get16(buf) != ARP_HTYPE_ETHER || pkt_get16(buf + 2) != PKT_ETH_P_IP ||
	    buf[4] != 6 || buf[5] != 4)
		return -EPROTO;
	memset(a, 0, sizeof(*a));
	a->op = pkt_get16(buf + 6);
	memcpy(a->sha, buf + 8, 6);
	memcpy(&a->spa, buf + 14, 4);
	memcpy(a->tha, buf + 18, 6);
	memcpy(&a->tpa, buf + 24, 4);
	return PKT_ARP_LEN;
}

int pkt_arp_frame_build(uint8_t *buf, size_t cap, const struct pkt_arp *a)
{
	struct pkt_eth e = {.type = PKT_ETH_P_ARP};
	int n;

	if (cap < ETH_MIN_FRAME)
		return -ENOSPC;
	if (a->op == PKT_ARP_REQUEST)
		memset(e.dst, 0xff, 6);
	else
		memcpy(e.dst, a->tha, 6);
	memcpy(e.src, a->sha, 6);
	n = pkt_eth_build(buf, cap, &e);
	if (n < 0)
		return n;
	n = pkt_arp_build(buf + n, cap - (size_t)n, a);
	if (n < 0)
		return n;
	memset(buf + PKT_ETH_HLEN + PKT_ARP_LEN, 0, ETH_MIN_FRAME - PKT_ETH_HLEN - PKT_ARP_LEN);
	return ETH_MIN_FRAME;
}

int pkt_nd_build(uint8_t *buf, size_t cap, const struct pkt_nd *n, const struct pkt_addr *src,
		 const struct pkt_addr *dst)
{
	struct pkt_icmp m = {.v6 = true, .type = n->type};
	uint8_t body[16 + 8];
	size_t blen = 16;

	if (n->type != PKT_ND_NEIGHBOR_SOLICIT && n->type != PKT_ND_NEIGHBOR_ADVERT)
		return -EINVAL;
	if (n->type == PKT_ND_NEIGHBOR_ADVERT)
		m.rest = n->flags & (PKT_ND_NA_ROUTER | PKT_ND_NA_SOLICITED | PKT_ND_NA_OVERRIDE);
	memcpy(body, &n->target, 16);
	if (n->has_lladdr) {
		body[16] =
			n->type == PKT_ND_NEIGHBOR_SOLICIT ? ND_OPT_SRC_LLADDR : ND_OPT_TGT_LLADDR;
		body[17] = 1; /* in units of 8 bytes */
		memcpy(body + 18, n->lladdr, 6);
		blen += 8;
	}
	return pkt_icmp_build(buf, cap, &m, body, blen, src, dst);
}

int pkt_nd_parse(const uint8_t *buf, size_t len, struct pkt_nd *n)
{
	size_t off = ND_LEN;

	if (len < ND_LEN)
		return -EBADMSG;
	if (buf[0] != PKT_ND_NEIGHBOR_SOLICIT && buf[0] != PKT_ND_NEIGHBOR_ADVERT)
		return -EPROTO;
	memset(n, 0, sizeof(*n));
	n->type = buf[0];
	n->flags = n->type == PKT_ND_NEIGHBOR_ADVERT ? pkt_get32(buf + 4) : 0;
	memcpy(&n->target, buf + 8, 16);
	while (off < len) {
		size_t olen;

		if (len - off < 2)
			return -EBADMSG;
		olen = (size_t)buf[off + 1] * 8;
		if (olen == 0 || olen > len - off)
			return -EBADMSG;
		if ((buf[off] == ND_OPT_SRC_LLADDR || buf[off] == ND_OPT_TGT_LLADDR) && olen >= 8) {
			n->has_lladdr = true;
			memcpy(n->lladdr, buf + off + 2, 6);
		}
		off += olen;
	}
	return (int)len;
}

void pkt_nd_solicited_node(const struct in6_addr *target, struct in6_addr *group, uint8_t mac[6])
{
	static const uint8_t prefix[13] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff};

	memcpy(group->s6_addr, prefix, sizeof(prefix));
	memcpy(group->s6_addr + 13, target->s6_addr + 13, 3);
	mac[0] = mac[1] = 0x33;
	memcpy(mac + 2, group->s6_addr + 12, 4);
}
