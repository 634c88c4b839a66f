/* SPDX-License-Identifier: Apache-2.0 */
/* Remote desktops and displays:
 *   VNC   RFC 6143 section 7.1.1: the server greets with the 12-byte
 *         ProtocolVersion "RFB xxx.yyy\n" (three-digit major and minor)
 *   X11   the X Window System Protocol (X.Org), "Connection Setup": the
 *         client sends byte order, protocol 11.0 and no authorization;
 *         the server answers Failed (0), Success (1) or Authenticate (2)
 *         in an 8-byte header whose last 2 bytes count the 4-byte words
 *         that follow; on Success those begin with the release number
 *         and, at byte 40, the vendor string (its length at byte 24).
 *         X.Org's servers encode their version in the release number as
 *         major*10000000 + minor*100000 + patch*1000 + snap (xorg-server's
 *         configure.ac, VENDOR_RELEASE); from 1.21 on its releases are
 *         named 21.1.x (release 12101007 is the tarball xorg-server-21.1.7). */
#include "lib/svc/svc.h"

#include <stdio.h>
#include <string.h>

static bool digits(const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i] < '0' || b[i] > '9')
			return false;
	return true;
}

int svc_vnc_complete(const uint8_t *b, size_t n, bool udp)
{
	if (udp)
		return -1;
	if (n > 4)
		n = 4;
	if (memcmp(b, "RFB ", n))
		return -1;
	return n == 4 ? 1 : 0;
}

enum svc_verdict svc_vnc_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m)
{
	if (udp || n < 12 || memcmp(b, "RFB ", 4) || !digits(b + 4, 3) || b[7] != '.' ||
	    !digits(b + 8, 3) || b[11] != '\n')
		return SVC_NONE;
	unsigned major = (b[4] - '0') * 100u + (b[5] - '0') * 10u + (b[6] - '0');
	unsigned minor = (b[8] - '0') * 100u + (b[9] - '0') * 10u + (b[10] - '0');
	svc_match_reset(m, "vnc");
	snprintf(m->product, sizeof(m->product), "VNC");
	snprintf(m->info, sizeof(m->info), "protocol %u.%u", major, minor);
	snprintf(m->evidence, sizeof(m->evidence), "RFB ProtocolVersion \"RFB %.7s\"", b + 4);
	m->conf = 10;
	return SVC_HARD;
}

size_t svc_x11_build(uint8_t *buf, size_t cap)
{
	/* 'l': little-endian; protocol 11.0; no authorization name or data */
	static const uint8_t req[12] = {'l', 0, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0};
	if (cap < sizeof(req))
		return 0;
	memcpy(buf, req, sizeof(req));
	return sizeof(req);
}

static unsigned le16(const uint8_t *p)
{
	return p[0] | (unsigned)p[1] << 8;
}

/* the 8-byte header, then its count of 4-byte words */
int svc_x11_complete(const uint8_t *b, size_t n, bool udp)
{
	if (udp || (n >= 1 && b[0] > 2))
		return -1;
	if (n < 8)
		return 0;
	return n >= 8 + 4 * (size_t)le16(b + 6) ? 1 : 0;
}

/* Success: the vendor and its release number */
static void x11_vendor(const uint8_t *b, size_t n, struct svc_match *m)
{
	if (n < 40)
		return;
	unsigned long rel = le16(b + 8) | (unsigned long)le16(b + 10) << 16;
	size_t vlen = le16(b + 24);
	if (40 + vlen > n)
		return;
	if (vlen == 20 && !memcmp(b + 40, "The X.Org Foundation", 20)) {
		snprintf(m->product, sizeof(m->product), "X.Org");
		unsigned major = (unsigned)(rel / 10000000), minor = (unsigned)(rel / 100000 % 100),
			 patch = (unsigned)(rel / 1000 % 100), snap = (unsigned)(rel % 1000);
		if (major == 1 && minor >= 21)
			snprintf(m->version, sizeof(m->version), "%u.%u.%u", minor, patch, snap);
		else
			snprintf(m->version, sizeof(m->version), "%u.%u.%u", major, minor, patch);
		svc_add_cpe(m, "cpe:/a:x.org:xorg-server", m->version);
	} else {
		svc_copy(m->product, sizeof(m->product), (const char *)b + 40, vlen);
	}
	snprintf(m->evidence, sizeof(m->evidence),
		 "X11 setup: Success, vendor \"%.60s\", release %lu", m->product, rel);
}

enum svc_verdict svc_x11_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m)
{
	if (udp || n < 8 || b[0] > 2 || svc_x11_complete(b, n, udp) != 1)
		return SVC_NONE;
	/* the server's protocol version: 11.0 (Success and Failed carry it) */
	if (b[0] != 2 && (le16(b + 2) != 11 || le16(b + 4) != 0))
		return SVC_NONE;
	svc_match_reset(m, "X11");
	snprintf(m->ostype, sizeof(m->ostype), "Unix");
	m->conf = 10;
	if (b[0] == 1) {
		snprintf(m->info, sizeof(m->info), "open");
		x11_vendor(b, n, m);
		return SVC_HARD;
	}
	snprintf(m->info, sizeof(m->info), "access denied");
	snprintf(m->evidence, sizeof(m->evidence), "X11 setup: %s",
		 b[0] == 0 ? "Failed" : "Authenticate");
	return SVC_SOFT;
}
