/* SPDX-License-Identifier: Apache-2.0 */
/* RDP (MS-RDPBCGR 2.2.1.1 and 2.2.1.2): an X.224 Connection Request in a
 * TPKT (RFC 1006: version 3, a 2-byte length) carrying an RDP
 * Negotiation Request for TLS and CredSSP; the server answers an X.224
 * Connection Confirm (code 0xD0), with an RDP Negotiation Response or
 * Failure. xrdp's Connection Confirm carries the source reference 0x1234
 * (its xrdp_iso.c; "\x12\x34" from xrdp 0.9.21.1 in the lab), where the
 * protocol leaves it to the server; the layout ("ms-wbt-server", product
 * xrdp, its CPE) is what nmap 7.93 prints for xrdp, observed in the lab. */
#include "lib/svc/svc.h"

#include <stdio.h>
#include <string.h>

size_t svc_rdp_build(uint8_t *buf, size_t cap)
{
	/* TPKT; X.224 CR: length, code 0xE0, DST-REF, SRC-REF, class 0;
	 * RDP_NEG_REQ: type 1, flags 0, length 8, PROTOCOL_SSL|PROTOCOL_HYBRID */
	static const uint8_t req[19] = {3, 0, 0, 19, 14, 0xe0, 0, 0, 0, 0,
					0, 1, 0, 8,  0,	 3,    0, 0, 0};
	if (cap < sizeof(req))
		return 0;
	memcpy(buf, req, sizeof(req));
	return sizeof(req);
}

int svc_rdp_complete(const uint8_t *b, size_t n, bool udp)
{
	if (udp || (n >= 1 && b[0] != 3) || (n >= 2 && b[1] != 0))
		return -1;
	if (n < 4)
		return 0;
	size_t len = (size_t)b[2] << 8 | b[3];
	if (len < 7)
		return -1;
	return n >= len ? 1 : 0;
}

enum svc_verdict svc_rdp_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m)
{
	if (udp || svc_rdp_complete(b, n, false) != 1)
		return SVC_NONE;
	size_t len = (size_t)b[2] << 8 | b[3];
	/* X.224 CC: its length indicator, code 0xD0 (class bits clear) */
	if (b[4] + 5u > len || b[4] < 6 || (b[5] & 0xf0) != 0xd0)
		return SVC_NONE;
	svc_match_reset(m, "ms-wbt-server");
	m->conf = 10;
	const char *neg = "";
	if (len >= 19 && b[11] == 2)
		neg = ", RDP_NEG_RSP";
	else if (len >= 19 && b[11] == 3)
		neg = ", RDP_NEG_FAILURE";
	snprintf(m->evidence, sizeof(m->evidence), "X.224 Connection Confirm, SRC-REF 0x%02x%02x%s",
		 b[8], b[9], neg);
	if (b[8] != 0x12 || b[9] != 0x34)
		return SVC_SOFT;
	snprintf(m->product, sizeof(m->product), "xrdp");
	svc_add_cpe(m, "cpe:/a:jay_sorg:xrdp", NULL);
	return SVC_HARD;
}
