/* SPDX-License-Identifier: Apache-2.0 */
/* UDP and TCP headers, TCP options. */
#include <errno.h>
#include <string.h>

#include "lib/pkt/pkt.h"

int pkt_udp_build(uint8_t *buf, size_t cap, const struct pkt_udp *u, const void *payload,
		  size_t plen, const struct pkt_addr *src, const struct pkt_addr *dst)
{
	size_t len = PKT_UDP_HLEN + plen;

	if (len > 0xffff || (plen && !payload))
		return -EINVAL;
	if (cap < len)
		return -ENOSPC;
	if (plen)
		memmove(buf + PKT_UDP_HLEN, payload, plen);
	pkt_put16(buf, u->sport);
	pkt_put16(buf + 2, u->dport);
	pkt_put16(buf + 4, (uint16_t)len);
	pkt_put16(buf + 6, 0);
	if (src && dst) {
		uint32_t sum = pkt_csum_pseudo(src, dst, IPPROTO_UDP, (uint32_t)len);
		uint16_t c = pkt_csum_fold(pkt_csum_add(sum, buf, len));

		/* 0 means "no checksum" in UDP, so a computed 0 is sent as all ones */
		pkt_put16(buf + 6, c ? c : 0xffff);
	}
	return (int)len;
}

int pkt_udp_parse(const uint8_t *buf, size_t len, struct pkt_udp *u)
{
	if (len < PKT_UDP_HLEN)
		return -EBADMSG;
	u->sport = pkt_get16(buf);
	u->dport = pkt_get16(buf + 2);
	u->len = pkt_get16(buf + 4);
	u->csum = pkt_get16(buf + 6);
	if (u->len < PKT_UDP_HLEN)
		return -EBADMSG;
	return PKT_UDP_HLEN;
}

int pkt_tcp_build(uint8_t *buf, size_t cap, const struct pkt_tcp *t, const void *payload,
		  size_t plen, const struct pkt_addr *src, const struct pkt_addr *dst)
{
	size_t optpad = (t->optlen + 3) & ~(size_t)3;
	size_t hlen = PKT_TCP_HLEN + optpad;
	size_t len = hlen + plen;

	if (t->optlen > 40 || (t->optlen && !t->opt) || (plen && !payload) || len > 0xffff)
		return -EINVAL;
	if (cap < len)
		return -ENOSPC;
	if (plen)
		memmove(buf + hlen, payload, plen);
	pkt_put16(buf, t->sport);
	pkt_put16(buf + 2, t->dport);
	pkt_put32(buf + 4, t->seq);
	pkt_put32(buf + 8, t->ack);
	buf[12] = (uint8_t)(hlen / 4 << 4 | (t->res & 0xf));
	buf[13] = t->flags;
	pkt_put16(buf + 14, t->window);
	pkt_put16(buf + 16, 0);
	pkt_put16(buf + 18, t->urg);
	if (t->optlen)
		memcpy(buf + PKT_TCP_HLEN, t->opt, t->optlen);
	memset(buf + PKT_TCP_HLEN + t->optlen, PKT_TCPOPT_EOL, optpad - t->optlen);
	if (src && dst) {
		uint32_t sum = pkt_csum_pseudo(src, dst, IPPROTO_TCP, (uint32_t)len);

		pkt_put16(buf + 16, pkt_csum_fold(pkt_csum_add(sum, buf, len)));
	}
	return (int)len;
}

int pkt_tcp_parse(const uint8_t *buf, size_t len, struct pkt_tcp *t)
{
	size_t hlen;

	if (len < PKT_TCP_HLEN)
		return -EBADMSG;
	hlen = (size_t)(buf[12] >> 4) * 4;
	if (hlen < PKT_TCP_HLEN || hlen > len)
		return -EBADMSG;
	memset(t, 0, sizeof(*t));
	t->sport = pkt_get16(buf);
	t->dport = pkt_get16(buf + 2);
	t->seq = pkt_get32(buf + 4);
	t->ack = pkt_get32(buf + 8);
	t->hlen = (uint8_t)hlen;
	t->res = buf[12] & 0xf;
	t->flags = buf[13];
	t->window = pkt_get16(buf + 14);
	t->csum = pkt_get16(buf + 16);
	t->urg = pkt_get16(buf + 18);
	t->opt = hlen > PKT_TCP_HLEN ? buf + PKT_TCP_HLEN : NULL;
	t->optlen = hlen - PKT_TCP_HLEN;
	return (int)hlen;
}

int pkt_tcp_opt_next(const uint8_t *opt, size_t len, size_t *off, struct pkt_tcp_opt *o)
{
	size_t i = *off;

	if (i >= len)
		return 0;
	memset(o, 0, sizeof(*o));
	o->kind = opt[i];
	if (o->kind == PKT_TCPOPT_EOL) {
		o->len = 1;
		*off = len; /* nothing after EOL is an option */
		return 1;
	}
	if (o->kind == PKT_TCPOPT_NOP) {
		o->len = 1;
		*off = i + 1;
		return 1;
	}
	if (len - i < 2 || opt[i + 1] < 2 || opt[i + 1] > len - i)
		return -EBADMSG;
	o->len = opt[i + 1];
	o->data = opt + i + 2;
	o->dlen = o->len - 2u;
	*off = i + o->len;
	return 1;
}

static int opt_append(uint8_t *opt, size_t cap, size_t len, const uint8_t *bytes, size_t n)
{
	if (len > cap || cap - len < n)
		return -ENOSPC;
	memcpy(opt + len, bytes, n);
	return (int)(len + n);
}

int pkt_tcpopt_mss(uint8_t *opt, size_t cap, size_t len, uint16_t mss)
{
	uint8_t b[4] = {PKT_TCPOPT_MSS, 4, (uint8_t)(mss >> 8), (uint8_t)mss};

	return opt_append(opt, cap, len, b, sizeof(b));
}

int pkt_tcpopt_wscale(uint8_t *opt, size_t cap, size_t len, uint8_t shift)
{
	uint8_t b[3] = {PKT_TCPOPT_WSCALE, 3, shift};

	return opt_append(opt, cap, len, b, sizeof(b));
}

int pkt_tcpopt_sackperm(uint8_t *opt, size_t cap, size_t len)
{
	uint8_t b[2] = {PKT_TCPOPT_SACK_PERM, 2};

	return opt_append(opt, cap, len, b, sizeof(b));
}

int pkt_tcpopt_ts(uint8_t *opt, size_t cap, size_t len, uint32_t val, uint32_t ecr)
{
	uint8_t b[10] = {PKT_TCPOPT_TS, 10};

	pkt_put32(b + 2, val);
	pkt_put32(b + 6, ecr);
	return opt_append(opt, cap, len, b, sizeof(b));
}

int pkt_tcpopt_nop(uint8_t *opt, size_t cap, size_t len)
{
	uint8_t b = PKT_TCPOPT_NOP;

	return opt_append(opt, cap, len, &b, 1);
}

bool pkt_tcp_opts_valid(const uint8_t *opt, size_t len)
{
	struct pkt_tcp_opt x;
	size_t off = 0;
	int r;

	while ((r = pkt_tcp_opt_next(opt, len, &off, &x)) > 0) {
		switch (x.kind) {
		case PKT_TCPOPT_MSS:
			if (x.len != 4)
				return false;
			break;
		case PKT_TCPOPT_WSCALE:
			if (x.len != 3)
				return false;
			break;
		case PKT_TCPOPT_SACK_PERM:
			if (x.len != 2)
				return false;
			break;
		case PKT_TCPOPT_TS:
			if (x.len != 10)
				return false;
			break;
		case PKT_TCPOPT_SACK:
			if ((x.len - 2) % 8)
				return false;
			break;
		default: break;
		}
	}
	return r == 0;
}

int pkt_tcp_opts_parse(const uint8_t *opt, size_t len, struct pkt_tcp_opts *o)
{
	struct pkt_tcp_opt x;
	size_t off = 0;
	int r;

	memset(o, 0, sizeof(*o));
	while ((r = pkt_tcp_opt_next(opt, len, &off, &x)) > 0) {
		if (x.kind == PKT_TCPOPT_MSS && x.dlen == 2) {
			o->has_mss = true;
			o->mss = pkt_get16(x.data);
		} else if (x.kind == PKT_TCPOPT_WSCALE && x.dlen == 1) {
			o->has_ws = true;
			o->ws = x.data[0];
		} else if (x.kind == PKT_TCPOPT_SACK_PERM && x.dlen == 0) {
			o->sack_perm = true;
		} else if (x.kind == PKT_TCPOPT_TS && x.dlen == 8) {
			o->has_ts = true;
			o->ts_val = pkt_get32(x.data);
			o->ts_ecr = pkt_get32(x.data + 4);
		}
	}
	return r;
}
