/* SPDX-License-Identifier: Apache-2.0 */
/* NTP over UDP, two exchanges:
 *   mode 3  RFC 5905 section 7.3: a 48-byte client request (LI 0, VN 4,
 *           mode 3); the server's mode 4 answer carries its leap
 *           indicator, version and stratum (LI 3 or stratum 0/16 is
 *           unsynchronized, sections 7.3 and 7.4). What nmap 7.93 prints
 *           for it ("NTP v4 (unsynchronized)") is its observed output.
 *   mode 6  RFC 1305 appendix B (the control messages, kept by ntpd and
 *           NTPsec's ntpq): READVAR (opcode 2) of association 0, the
 *           system variables as text; version="..." names the daemon
 *           ("ntpd ntpsec-1.2.2 ...", "ntpd 4.2.8p15@1.3728-o ..."),
 *           leap= its leap indicator (binary digits). Servers that
 *           restrict queries (noquery) send nothing. */
#include "lib/svc/svc.h"

#include <stdio.h>
#include <string.h>

size_t svc_ntp_build(uint8_t *buf, size_t cap)
{
	if (cap < 48)
		return 0;
	memset(buf, 0, 48);
	buf[0] = 0x23; /* LI 0, VN 4, mode 3 */
	/* a transmit timestamp the answer's origin timestamp echoes */
	memcpy(buf + 40, "netkitnt", 8);
	return 48;
}

int svc_ntp_complete(const uint8_t *b, size_t n, bool udp)
{
	if (!udp)
		return -1;
	if (n >= 1 && (b[0] & 7) != 4 && (b[0] & 7) != 6)
		return -1;
	return n >= 12 ? 1 : 0;
}

enum svc_verdict svc_ntp_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m)
{
	if (!udp || n < 48 || (b[0] & 7) != 4)
		return SVC_NONE;
	unsigned li = b[0] >> 6, vn = (b[0] >> 3) & 7, stratum = b[1];
	if (vn < 1 || vn > 4 || memcmp(b + 24, "netkitnt", 8))
		return SVC_NONE; /* not an answer to our request */
	svc_match_reset(m, "ntp");
	snprintf(m->product, sizeof(m->product), "NTP");
	snprintf(m->version, sizeof(m->version), "v%u", vn);
	if (li == 3 || stratum == 0 || stratum >= 16)
		snprintf(m->info, sizeof(m->info), "unsynchronized");
	snprintf(m->evidence, sizeof(m->evidence), "mode 4 answer: LI %u, VN %u, stratum %u", li,
		 vn, stratum);
	m->conf = 10;
	/* the daemon is still unknown: mode 6 may name it */
	return SVC_SOFT;
}

size_t svc_ntpq_build(uint8_t *buf, size_t cap)
{
	/* LI 0, VN 2, mode 6; READVAR; sequence 1; status, association,
	 * offset and count 0 */
	static const uint8_t req[12] = {0x16, 0x02, 0x00, 0x01};
	if (cap < sizeof(req))
		return 0;
	memcpy(buf, req, sizeof(req));
	return sizeof(req);
}

/* The value of name="..." (or name=...) in the variables' text */
static size_t ntp_var(const char *t, size_t n, const char *name, const char **val)
{
	size_t k = strlen(name);
	for (size_t i = 0; i + k + 1 < n; i++) {
		if ((i && t[i - 1] != ' ' && t[i - 1] != ',' && t[i - 1] != '\n') ||
		    memcmp(t + i, name, k) || t[i + k] != '=')
			continue;
		size_t s = i + k + 1, e;
		bool q = s < n && t[s] == '"';
		s += q;
		for (e = s; e < n && (q ? t[e] != '"' : (t[e] != ',' && t[e] != '\r')); e++)
			;
		*val = t + s;
		return e - s;
	}
	return 0;
}

/* "ntpd ntpsec-1.2.2 2023-..." or "ntpd 4.2.8p15@1.3728-o ..." */
static bool ntp_daemon(const char *v, size_t vl, struct svc_match *m)
{
	if (vl < 6 || memcmp(v, "ntpd ", 5))
		return false;
	const char *s = v + 5;
	size_t l = vl - 5;
	bool sec = l > 7 && !memcmp(s, "ntpsec-", 7);
	if (sec) {
		s += 7;
		l -= 7;
	}
	size_t e = 0;
	while (e < l && s[e] != ' ' && s[e] != '@')
		e++;
	if (!e)
		return false;
	snprintf(m->product, sizeof(m->product), sec ? "NTPsec ntpd" : "ntpd");
	svc_copy(m->version, sizeof(m->version), s, e);
	svc_add_cpe(m, sec ? "cpe:/a:ntpsec:ntpsec" : "cpe:/a:ntp:ntp", m->version);
	return true;
}

enum svc_verdict svc_ntpq_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m)
{
	/* a response (R), no error (E), READVAR, with its data count */
	if (!udp || n < 12 || (b[0] & 7) != 6 || (b[1] & 0xdf) != 0x82)
		return SVC_NONE;
	size_t count = (size_t)b[10] << 8 | b[11];
	if (count > n - 12)
		count = n - 12;
	const char *t = (const char *)b + 12, *v = NULL;
	size_t vl = ntp_var(t, count, "version", &v);
	svc_match_reset(m, "ntp");
	if (!vl || !ntp_daemon(v, vl, m))
		return SVC_NONE;
	const char *leap = NULL;
	if (ntp_var(t, count, "leap", &leap) == 2 && !memcmp(leap, "11", 2))
		snprintf(m->info, sizeof(m->info), "unsynchronized");
	snprintf(m->evidence, sizeof(m->evidence), "mode 6 READVAR: version=\"%.*s\"",
		 (int)(vl > 80 ? 80 : vl), v);
	m->conf = 10;
	return SVC_HARD;
}
