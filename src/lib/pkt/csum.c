/* SPDX-License-Identifier: Apache-2.0 */
/* Addresses and the Internet checksum (RFC 1071). */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/pkt/pkt.h"

void pkt_addr4(struct pkt_addr *a, const struct in_addr *v4)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET;
	a->v4 = *v4;
}

void pkt_addr6(struct pkt_addr *a, const struct in6_addr *v6)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET6;
	a->v6 = *v6;
}

size_t pkt_addr_len(const struct pkt_addr *a)
{
	if (a->family == AF_INET)
		return 4;
	if (a->family == AF_INET6)
		return 16;
	return 0;
}

bool pkt_addr_eq(const struct pkt_addr *a, const struct pkt_addr *b)
{
	size_t n = pkt_addr_len(a);

	return a->family == b->family && n && memcmp(a->b, b->b, n) == 0;
}

uint32_t pkt_csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t s = sum;

	while (len >= 2) {
		s += (uint32_t)(p[0] << 8 | p[1]);
		p += 2;
		len -= 2;
	}
	if (len)
		s += (uint32_t)p[0] << 8;
	/* keep the running sum in 32 bits without losing carries */
	while (s >> 32)
		s = (s & 0xffffffffu) + (s >> 32);
	return (uint32_t)s;
}

uint16_t pkt_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t pkt_csum(const void *data, size_t len)
{
	return pkt_csum_fold(pkt_csum_add(0, data, len));
}

uint32_t pkt_csum_pseudo(const struct pkt_addr *src, const struct pkt_addr *dst, uint8_t proto,
			 uint32_t len)
{
	uint8_t tail[8];
	size_t n = pkt_addr_len(src);
	uint32_t sum;

	if (!n || src->family != dst->family)
		return 0;
	sum = pkt_csum_add(0, src->b, n);
	sum = pkt_csum_add(sum, dst->b, n);
	if (src->family == AF_INET) {
		tail[0] = 0;
		tail[1] = proto;
		pkt_put16(tail + 2, (uint16_t)len);
		return pkt_csum_add(sum, tail, 4);
	}
	pkt_put32(tail, len);
	tail[4] = tail[5] = tail[6] = 0;
	tail[7] = proto;
	return pkt_csum_add(sum, tail, 8);
}

bool pkt_csum_ok(const void *data, size_t len, const struct pkt_addr *src,
		 const struct pkt_addr *dst, uint8_t proto)
{
	uint32_t sum = 0;

	if (src && dst)
		sum = pkt_csum_pseudo(src, dst, proto, (uint32_t)len);
	return pkt_csum_fold(pkt_csum_add(sum, data, len)) == 0;
}
