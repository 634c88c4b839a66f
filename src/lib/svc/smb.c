/* SPDX-License-Identifier: Apache-2.0 */
/* SMB over TCP (139 and 445): one probe of two requests sent together,
 * each in its RFC 1002 session message (a zero byte, a 3-byte length):
 *   1. SMB1 NEGOTIATE (MS-CIFS 2.2.4.52) offering "NT LM 0.12", with
 *      extended security (MS-SMB 2.2.4.5)
 *   2. SMB1 SESSION_SETUP_ANDX with extended security (MS-SMB 2.2.4.6.1)
 *      carrying a bare NTLMSSP NEGOTIATE_MESSAGE (MS-NLMP 2.2.1.1)
 * The server's answer to the second (MS-SMB 2.2.4.6.2), status
 * STATUS_MORE_PROCESSING_REQUIRED, carries the NTLMSSP CHALLENGE_MESSAGE
 * (MS-NLMP 2.2.1.2: its AV pairs, 2.2.2.1, name the computer) and then, in
 * UTF-16, NativeOS, NativeLanMan and the primary domain: Samba's
 * NativeLanMan is "Samba VERSION" (its source, smb1 sesssetup; "Samba
 * 4.17.12-Debian" captured in the lab). A server that no longer speaks
 * SMB1 answers only the first, or closes: Samba then selects no dialect
 * (index 0xFFFF), which names Samba but not its version. */
#include "lib/svc/svc.h"

#include <stdio.h>
#include <string.h>

#define SMB_HDR 32

static size_t smb1(uint8_t *b, uint8_t cmd, uint16_t mid, const uint8_t *words, size_t nw,
		   const uint8_t *data, size_t nd)
{
	size_t len = SMB_HDR + 1 + nw + 2 + nd;
	uint8_t *h = b + 4;
	b[0] = 0;
	b[1] = (uint8_t)(len >> 16);
	b[2] = (uint8_t)(len >> 8);
	b[3] = (uint8_t)len;
	memset(h, 0, SMB_HDR);
	memcpy(h, "\xffSMB", 4);
	h[4] = cmd;
	h[9] = 0x18;  /* flags: case-insensitive, canonical paths */
	h[10] = 0x01; /* flags2: long names, extended security, NT status, */
	h[11] = 0xc8; /* Unicode */
	h[26] = 0xff; /* PID 0xfeff */
	h[27] = 0xfe;
	h[30] = (uint8_t)mid;
	h[SMB_HDR] = (uint8_t)(nw / 2);
	if (nw)
		memcpy(h + SMB_HDR + 1, words, nw);
	h[SMB_HDR + 1 + nw] = (uint8_t)nd;
	h[SMB_HDR + 2 + nw] = (uint8_t)(nd >> 8);
	memcpy(h + SMB_HDR + 3 + nw, data, nd);
	return 4 + len;
}

size_t svc_smb_build(uint8_t *buf, size_t cap)
{
	static const uint8_t dialect[] = "\x02NT LM 0.12";
	/* NTLMSSP NEGOTIATE: Unicode, request target, NTLM, always sign,
	 * extended session security, version, 128, key exchange, 56; no
	 * domain or workstation; version 6.1 build 7601, NTLMSSP revision 15 */
	static const uint8_t ntlm[40] = {
		'N',  'T',  'L',  'M',	'S',	  'S', 'P',  0,	   1, 0, 0, 0,
		0x05, 0x82, 0x08, 0xe2, [32] = 6, 1,   0xb1, 0x1d, 0, 0, 0, 0x0f};
	/* AndX none, max buffer 4356, max mpx 50, VC 0, session key 0, blob
	 * length 40, reserved, capabilities: extended security, status32,
	 * NT SMBs, large files, Unicode */
	static const uint8_t words[24] = {0xff, 0, 0,  0, 0x04, 0x11, 50, 0, 0,	   0, 0, 0,
					  0,	0, 40, 0, 0,	0,    0,  0, 0x5c, 0, 0, 0x80};
	/* the blob, a pad byte to align the strings, empty NativeOS and
	 * NativeLanMan */
	uint8_t data[40 + 5] = {0};
	memcpy(data, ntlm, sizeof(ntlm));
	if (cap < 2 * (4 + SMB_HDR + 3) + sizeof(dialect) + sizeof(words) + sizeof(data))
		return 0;
	size_t n = smb1(buf, 0x72, 1, NULL, 0, dialect, sizeof(dialect));
	return n + smb1(buf + n, 0x73, 2, words, sizeof(words), data, sizeof(data));
}

/* An SMB1 NEGOTIATE alone (MS-CIFS 2.2.4.52.1) offering the eight
 * dialects of MS-CIFS 1.7 ("PC NETWORK PROGRAM 1.0" to "NT LM 0.12", and
 * "Samba"), each a 0x02 buffer format byte and an OEM string; flags
 * case-insensitive paths, flags2 NT status and long names, PID 0x0640,
 * MID 1: the header nmap 7.93's SMBProgNeg probe puts on the wire (seen by a
 * stand-in server). A PostgreSQL server reads its first 8 bytes as a
 * startup packet's length (164) and protocol version ("\xffSMB":
 * 65363.19778) and answers with an ErrorResponse. */
size_t svc_smb_progneg_build(uint8_t *buf, size_t cap)
{
	static const char *const dialects[] = {"PC NETWORK PROGRAM 1.0",
					       "MICROSOFT NETWORKS 1.03",
					       "MICROSOFT NETWORKS 3.0",
					       "LANMAN1.0",
					       "LM1.2X002",
					       "Samba",
					       "NT LANMAN 1.0",
					       "NT LM 0.12"};
	size_t nd = 0;
	for (size_t i = 0; i < sizeof(dialects) / sizeof(dialects[0]); i++)
		nd += strlen(dialects[i]) + 2;
	size_t len = SMB_HDR + 3 + nd;
	if (cap < 4 + len)
		return 0;
	uint8_t *h = buf + 4;
	buf[0] = 0;
	buf[1] = (uint8_t)(len >> 16);
	buf[2] = (uint8_t)(len >> 8);
	buf[3] = (uint8_t)len;
	memset(h, 0, SMB_HDR + 3);
	memcpy(h, "\xffSMB", 4);
	h[4] = 0x72;  /* SMB_COM_NEGOTIATE */
	h[9] = 0x08;  /* flags: case-insensitive paths */
	h[10] = 0x01; /* flags2: long names, */
	h[11] = 0x40; /* NT status */
	h[26] = 0x40; /* PID 0x0640 */
	h[27] = 0x06;
	h[30] = 1; /* MID */
	h[SMB_HDR + 1] = (uint8_t)nd;
	h[SMB_HDR + 2] = (uint8_t)(nd >> 8);
	uint8_t *d = h + SMB_HDR + 3;
	for (size_t i = 0; i < sizeof(dialects) / sizeof(dialects[0]); i++) {
		size_t k = strlen(dialects[i]) + 1;
		*d++ = 0x02;
		memcpy(d, dialects[i], k);
		d += k;
	}
	return 4 + len;
}

/* the session message at b[0..n): its SMB bytes' length, 0 if incomplete */
static size_t frame(const uint8_t *b, size_t n)
{
	if (n < 4)
		return 0;
	size_t len = (size_t)b[1] << 16 | (size_t)b[2] << 8 | b[3];
	return n >= 4 + len ? len : 0;
}

int svc_smb_complete(const uint8_t *b, size_t n, bool udp)
{
	if (udp || (n >= 1 && b[0] != 0) || (n >= 5 && b[4] != 0xff && b[4] != 0xfe))
		return -1;
	size_t l1 = frame(b, n);
	if (!l1)
		return 0;
	if (b[4] == 0xfe || (l1 > 9 && b[9] | b[10] | b[11] | b[12]))
		return 1; /* SMB2, or an error status: the first is the last */
	return frame(b + 4 + l1, n - 4 - l1) ? 1 : 0;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* UTF-16LE at b[0..n) up to its NUL into ASCII dst; the bytes used */
static size_t utf16(const uint8_t *b, size_t n, char *dst, size_t cap)
{
	size_t i = 0, k = 0;
	for (; i + 1 < n && (b[i] || b[i + 1]); i += 2)
		if (k + 1 < cap && !b[i + 1] && b[i] >= 0x20 && b[i] < 0x7f)
			dst[k++] = (char)b[i];
	if (cap)
		dst[k] = '\0';
	return i + 2 <= n ? i + 2 : n;
}

/* the CHALLENGE_MESSAGE's NbComputerName (AV pair 1) */
static void ntlm_host(const uint8_t *b, size_t n, struct svc_match *m)
{
	if (n < 48 || memcmp(b, "NTLMSSP\0\x02\0\0\0", 12))
		return;
	size_t len = le16(b + 40), off = le16(b + 44);
	if (off > n || len > n - off)
		return;
	for (size_t i = off; i + 4 <= off + len;) {
		uint16_t id = le16(b + i), al = le16(b + i + 2);
		if (id == 0 || i + 4 + al > off + len)
			return;
		if (id == 1) {
			utf16(b + i + 4, al, m->hostname, sizeof(m->hostname));
			return;
		}
		i += 4 + al;
	}
}

/* the session setup answer (h: its SMB header, n bytes) */
static enum svc_verdict sesssetup(const uint8_t *h, size_t n, struct svc_match *m)
{
	if (n < SMB_HDR + 11 || memcmp(h, "\xffSMB\x73", 5) || h[SMB_HDR] != 4)
		return SVC_NONE;
	size_t blob = le16(h + SMB_HDR + 7), bytes = le16(h + SMB_HDR + 9), at = SMB_HDR + 11;
	if (blob > bytes || at + bytes > n)
		return SVC_NONE;
	ntlm_host(h + at, blob, m);
	size_t end = at + bytes;
	at += blob + ((at + blob) & 1); /* the strings are 2-byte aligned */
	char os[64] = "", lanman[80] = "", domain[64] = "";
	if (at < end)
		at += utf16(h + at, end - at, os, sizeof(os));
	if (at < end)
		at += utf16(h + at, end - at, lanman, sizeof(lanman));
	if (at < end)
		utf16(h + at, end - at, domain, sizeof(domain));
	if (strncmp(lanman, "Samba ", 6) || !lanman[6])
		return SVC_SOFT;
	snprintf(m->product, sizeof(m->product), "Samba smbd");
	snprintf(m->version, sizeof(m->version), "%s", lanman + 6);
	char v[80];
	snprintf(v, sizeof(v), "%s", m->version);
	v[strcspn(v, "-")] = '\0';
	svc_add_cpe(m, "cpe:/a:samba:samba", v);
	if (domain[0])
		snprintf(m->info, sizeof(m->info), "workgroup: %s", domain);
	snprintf(m->evidence, sizeof(m->evidence), "SMB1 session setup: NativeLanMan \"%s\"",
		 lanman);
	return SVC_HARD;
}

enum svc_verdict svc_smb_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m)
{
	size_t l1 = udp ? 0 : frame(b, n);
	if (l1 < SMB_HDR + 3)
		return SVC_NONE;
	const uint8_t *h = b + 4;
	bool smb2 = !memcmp(h, "\xfeSMB", 4);
	if (!smb2 && memcmp(h, "\xffSMBr", 5))
		return SVC_NONE;
	svc_match_reset(m, smb2 ? "microsoft-ds" : "netbios-ssn");
	m->conf = 10;
	snprintf(m->evidence, sizeof(m->evidence), "SMB%d NEGOTIATE answer", smb2 ? 2 : 1);
	size_t l2 = smb2 ? 0 : frame(b + 4 + l1, n - 4 - l1);
	if (!l2 && !smb2 && h[SMB_HDR] == 1 && le16(h + SMB_HDR + 1) == 0xffff) {
		/* no dialect (index 0xFFFF) and nothing more: Samba with SMB1
		 * off (its default since 4.11; 4.17.12 in the lab without
		 * "server min protocol = NT1") */
		snprintf(m->product, sizeof(m->product), "Samba smbd");
		svc_add_cpe(m, "cpe:/a:samba:samba", NULL);
		snprintf(m->evidence, sizeof(m->evidence),
			 "SMB1 NEGOTIATE answered with dialect index 0xFFFF (Samba, SMB1 off)");
		return SVC_HARD;
	}
	if (!l2)
		return SVC_SOFT;
	enum svc_verdict v = sesssetup(b + 8 + l1, l2, m);
	return v == SVC_NONE ? SVC_SOFT : v;
}
