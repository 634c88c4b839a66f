/* SPDX-License-Identifier: Apache-2.0 */
/* SCTP (RFC 9260): the common header with its CRC32c checksum and the one
 * chunk a port scan probe carries (INIT for -sY, COOKIE ECHO for -sZ), and
 * the first chunk of an answer (INIT ACK, ABORT). */
#include <errno.h>
#include <string.h>

#include "lib/pkt/pkt.h"

/* CRC32c (Castagnoli, reflected polynomial 0x82F63B78), RFC 9260
 * appendix A; bit by bit: probes are a few dozen bytes. */
uint32_t pkt_crc32c(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t crc = 0xffffffffu;
	for (size_t i = 0; i < len; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1)));
	}
	return ~crc;
}

int pkt_sctp_build(uint8_t *buf, size_t cap, const struct pkt_sctp *s)
{
	size_t clen = s->chunk == PKT_SCTP_INIT ? 20 : 4 + s->cookie_len;
	size_t pad = (4 - clen % 4) % 4, len = PKT_SCTP_HLEN + clen + pad;
	if (s->chunk != PKT_SCTP_INIT && s->cookie_len && !s->cookie)
		return -EINVAL;
	if (cap < len)
		return -ENOSPC;
	memset(buf, 0, len);
	pkt_put16(buf, s->sport);
	pkt_put16(buf + 2, s->dport);
	pkt_put32(buf + 4, s->vtag);
	uint8_t *c = buf + PKT_SCTP_HLEN;
	c[0] = s->chunk;
	c[1] = s->chunk_flags;
	pkt_put16(c + 2, (uint16_t)clen);
	if (s->chunk == PKT_SCTP_INIT) {
		pkt_put32(c + 4, s->init_tag);
		pkt_put32(c + 8, s->a_rwnd);
		pkt_put16(c + 12, s->os);
		pkt_put16(c + 14, s->mis);
		pkt_put32(c + 16, s->tsn);
	} else if (s->cookie_len) {
		memcpy(c + 4, s->cookie, s->cookie_len);
	}
	uint32_t crc = pkt_crc32c(buf, len);
	/* the CRC goes out least significant byte first */
	buf[8] = (uint8_t)crc, buf[9] = (uint8_t)(crc >> 8);
	buf[10] = (uint8_t)(crc >> 16), buf[11] = (uint8_t)(crc >> 24);
	return (int)len;
}

int pkt_sctp_parse(const uint8_t *buf, size_t len, struct pkt_sctp *s)
{
	if (len < PKT_SCTP_HLEN + 4)
		return -EBADMSG;
	memset(s, 0, sizeof(*s));
	s->sport = pkt_get16(buf);
	s->dport = pkt_get16(buf + 2);
	s->vtag = pkt_get32(buf + 4);
	const uint8_t *c = buf + PKT_SCTP_HLEN;
	s->chunk = c[0];
	s->chunk_flags = c[1];
	size_t clen = pkt_get16(c + 2);
	if (clen < 4 || PKT_SCTP_HLEN + clen > len)
		return -EBADMSG;
	if ((s->chunk == PKT_SCTP_INIT || s->chunk == PKT_SCTP_INIT_ACK) && clen >= 20) {
		s->init_tag = pkt_get32(c + 4);
		s->a_rwnd = pkt_get32(c + 8);
		s->os = pkt_get16(c + 12);
		s->mis = pkt_get16(c + 14);
		s->tsn = pkt_get32(c + 16);
	}
	return PKT_SCTP_HLEN;
}
