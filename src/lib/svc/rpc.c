/* SPDX-License-Identifier: Apache-2.0 */
/* ONC RPC (RFC 5531): a CALL of the NULL procedure of program 100000
 * (portmapper/rpcbind, RFC 1833) at a version no server has; over TCP in
 * one record (section 11: a 4-byte record mark, its top bit "last
 * fragment"). A server that runs the program answers PROG_MISMATCH with
 * the lowest and highest versions it has; one that runs another program
 * answers PROG_UNAVAIL; either way the port speaks RPC. The layout of the
 * result ("rpcbind", version "2-4", "RPC #100000") is what nmap 7.93
 * prints for rpcbind, observed in the lab. */
#include "lib/svc/svc.h"

#include <stdio.h>
#include <string.h>

#define RPC_XID 0x6e6b7270u /* "nkrp" */
#define RPC_PMAP 100000u
#define RPC_NOVERS 0x6e6bu

static void be32put(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t be32get(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

size_t svc_rpc_build(bool udp, uint8_t *buf, size_t cap)
{
	/* xid, CALL, RPC version 2, program, version, procedure NULL,
	 * credential and verifier AUTH_NONE with no body */
	const uint32_t call[10] = {RPC_XID, 0, 2, RPC_PMAP, RPC_NOVERS, 0, 0, 0, 0, 0};
	size_t off = udp ? 0 : 4, n = off + sizeof(call);
	if (cap < n)
		return 0;
	if (!udp)
		be32put(buf, 0x80000000u | (uint32_t)sizeof(call));
	for (size_t i = 0; i < 10; i++)
		be32put(buf + off + 4 * i, call[i]);
	return n;
}

int svc_rpc_complete(const uint8_t *b, size_t n, bool udp)
{
	if (udp)
		return n >= 24 ? 1 : 0;
	if (n >= 1 && !(b[0] & 0x80))
		return -1; /* one fragment is all an answer to us needs */
	if (n < 4)
		return 0;
	uint32_t len = be32get(b) & 0x7fffffffu;
	if (len < 20 || len > 4096)
		return -1;
	return n >= 4 + (size_t)len ? 1 : 0;
}

enum svc_verdict svc_rpc_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m)
{
	if (!udp) {
		if (svc_rpc_complete(b, n, false) != 1)
			return SVC_NONE;
		n = 4 + (be32get(b) & 0x7fffffffu);
		b += 4;
	}
	/* xid, REPLY, then MSG_ACCEPTED (0) or MSG_DENIED (1) */
	if (n < 12 || be32get(b) != RPC_XID || be32get(b + 4) != 1 || be32get(b + 8) > 1)
		return SVC_NONE;
	svc_match_reset(m, "rpc");
	m->conf = 10;
	snprintf(m->evidence, sizeof(m->evidence), "RPC reply to xid 0x%08x", RPC_XID);
	if (be32get(b + 8) == 1 || n < 20)
		return SVC_SOFT;
	uint32_t vlen = be32get(b + 16); /* the verifier's body */
	if (vlen > 400 || n < 24 + ((size_t)vlen + 3) / 4 * 4)
		return SVC_SOFT;
	const uint8_t *a = b + 20 + (vlen + 3) / 4 * 4;
	size_t left = n - (size_t)(a - b);
	uint32_t stat = be32get(a);
	if (stat != 0 && stat != 2)
		return SVC_SOFT; /* PROG_UNAVAIL and the rest: not the portmapper */
	snprintf(m->service, sizeof(m->service), "rpcbind");
	snprintf(m->info, sizeof(m->info), "RPC #%u", RPC_PMAP);
	if (stat == 2 && left >= 12) {
		uint32_t lo = be32get(a + 4), hi = be32get(a + 8);
		if (lo == hi)
			snprintf(m->version, sizeof(m->version), "%u", lo);
		else
			snprintf(m->version, sizeof(m->version), "%u-%u", lo, hi);
	}
	snprintf(m->evidence, sizeof(m->evidence), "RPC program %u: %s", RPC_PMAP,
		 stat == 2 ? "PROG_MISMATCH" : "SUCCESS");
	return SVC_HARD;
}
