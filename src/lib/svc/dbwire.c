/* SPDX-License-Identifier: Apache-2.0 */
/* Microsoft SQL Server's TDS and MongoDB's wire protocol.
 *
 * TDS (MS-TDS): a packet is an 8-byte header (type, status, a 2-byte
 * big-endian length of the whole packet, SPID, PacketID, Window; 2.2.3.1)
 * and its data. The client's PRELOGIN (type 0x12, 2.2.6.5) is a list of
 * option tokens (token, 2-byte offset from the data's start, 2-byte
 * length; 0xFF ends it) and their data; the server answers a PRELOGIN
 * in a type 0x04 packet, the same layout, whose VERSION token (0x00)
 * holds the server's version: major, minor, a 2-byte build number (big
 * endian) and a 2-byte sub-build. Microsoft's release names by major
 * version ("SQL Server versions and build numbers" of its documentation,
 * and its product pages): 8 2000, 9 2005, 10 2008 (10.50: 2008 R2), 11
 * 2012, 12 2014, 13 2016, 14 2017, 15 2019, 16 2022. The layout is
 * nmap 7.93's, observed in the lab against a stand-in answering VERSION
 * 15.0.2000.5: ms-sql-s, "Microsoft SQL Server 2019", "15.00.2000" (the
 * sub-build left out), cpe:/a:microsoft:sql_server:2019.
 *
 * MongoDB (its manual, "MongoDB Wire Protocol"): a message is a 16-byte
 * header (messageLength, requestID, responseTo, opCode; little endian)
 * and its body. OP_MSG (2013) is flagBits, then sections; a kind 0
 * section is one BSON document (bsonspec.org: a 4-byte length, elements
 * of type byte, C-string name, value; a 0 byte ends it), the command:
 * {buildInfo: 1, $db: "admin"}, which needs no authentication and
 * answers the server's "version". Servers before 3.6 answer OP_QUERY only,
 * with OP_REPLY (1): responseFlags, cursorID, startingFrom,
 * numberReturned, then the documents; both are read. */
#include "lib/svc/svc.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* ---- TDS ---- */

#define TDS_PRELOGIN 0x12
#define TDS_REPLY 0x04

size_t svc_tds_build(uint8_t *buf, size_t cap)
{
	/* VERSION (6 bytes, 0: a client says none), ENCRYPTION
	 * (ENCRYPT_NOT_SUP), INSTOPT (an empty instance name), THREADID,
	 * MARS off; the data after the 26 bytes of the token list */
	static const uint8_t pkt[47] = {
		/* the header: type, status EOM, length, SPID, PacketID, Window */
		TDS_PRELOGIN, 0x01, 0, 47, 0, 0, 0, 0,
		/* the tokens: VERSION, ENCRYPTION, INSTOPT, THREADID, MARS, end */
		0x00, 0, 26, 0, 6, 0x01, 0, 32, 0, 1, 0x02, 0, 33, 0, 1, 0x03, 0, 34, 0, 4, 0x04, 0,
		38, 0, 1, 0xff,
		/* their data */
		0, 0, 0, 0, 0, 0, 0x02, 0x00, 0, 0, 0, 0, 0x00};
	if (cap < sizeof(pkt))
		return 0;
	memcpy(buf, pkt, sizeof(pkt));
	return sizeof(pkt);
}

int svc_tds_complete(const uint8_t *b, size_t n, bool udp)
{
	if (udp || (n && b[0] != TDS_REPLY))
		return -1;
	if (n < 4)
		return 0;
	size_t len = (size_t)b[2] << 8 | b[3];
	if (len < 8)
		return -1;
	return n >= len ? 1 : 0;
}

/* The release's name for a major.minor version, or NULL. */
static const char *tds_release(unsigned major, unsigned minor)
{
	static const char *const names[] = {"2000", "2005", "2008", "2012", "2014",
					    "2016", "2017", "2019", "2022"};
	if (major == 10 && minor == 50)
		return "2008 R2";
	if (major < 8 || major > 16)
		return NULL;
	return names[major == 8 ? 0 : major - 8];
}

enum svc_verdict svc_tds_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m)
{
	if (udp || svc_tds_complete(b, n, false) != 1 || !(b[1] & 0x01))
		return SVC_NONE;
	size_t len = (size_t)b[2] << 8 | b[3];
	const uint8_t *d = b + 8, *ver = NULL;
	size_t dl = len - 8, i = 0;
	for (; i + 5 <= dl && d[i] != 0xff; i += 5) {
		size_t off = (size_t)d[i + 1] << 8 | d[i + 2],
		       ol = (size_t)d[i + 3] << 8 | d[i + 4];
		if (off > dl || ol > dl - off)
			return SVC_NONE;
		if (d[i] == 0x00 && ol >= 6)
			ver = d + off;
	}
	if (i >= dl || d[i] != 0xff || !ver)
		return SVC_NONE;
	unsigned build = (unsigned)ver[2] << 8 | ver[3], sub = (unsigned)ver[4] << 8 | ver[5];
	svc_match_reset(m, "ms-sql-s");
	m->conf = 10;
	snprintf(m->evidence, sizeof(m->evidence), "PRELOGIN VERSION %u.%u.%u.%u", ver[0], ver[1],
		 build, sub);
	const char *rel = tds_release(ver[0], ver[1]);
	snprintf(m->product, sizeof(m->product), "Microsoft SQL Server%s%s", rel ? " " : "",
		 rel ? rel : "");
	snprintf(m->version, sizeof(m->version), "%u.%02u.%u", ver[0], ver[1], build);
	if (rel) {
		char cpe[64];
		snprintf(cpe, sizeof(cpe), "cpe:/a:microsoft:sql_server:%s", rel);
		for (char *c = cpe; *c; c++)
			*c = *c == ' ' ? '_' : (char)tolower((unsigned char)*c);
		svc_add_cpe(m, cpe, NULL);
	}
	return SVC_HARD;
}

/* ---- MongoDB ---- */

#define MONGO_OP_REPLY 1
#define MONGO_OP_MSG 2013
#define MONGO_MAX_MSG (48u << 20) /* the manual's maxMessageSizeBytes */

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16),
	p[3] = (uint8_t)(v >> 24);
}

size_t svc_mongo_build(uint8_t *buf, size_t cap)
{
	/* {buildInfo: 1 (int32), $db: "admin"} */
	static const uint8_t doc[] = {35,  0,	0, 0, 0x10, 'b', 'u', 'i',  'l', 'd', 'I', 'n',
				      'f', 'o', 0, 1, 0,    0,	 0,   0x02, '$', 'd', 'b', 0,
				      6,   0,	0, 0, 'a',  'd', 'm', 'i',  'n', 0,   0};
	size_t len = 16 + 4 + 1 + sizeof(doc);
	if (cap < len)
		return 0;
	put_le32(buf, (uint32_t)len);
	put_le32(buf + 4, 0x6e6b); /* requestID */
	put_le32(buf + 8, 0);
	put_le32(buf + 12, MONGO_OP_MSG);
	put_le32(buf + 16, 0); /* flagBits */
	buf[20] = 0;	       /* a kind 0 section: the body */
	memcpy(buf + 21, doc, sizeof(doc));
	return len;
}

int svc_mongo_complete(const uint8_t *b, size_t n, bool udp)
{
	if (udp)
		return -1;
	if (n >= 16 && le32(b + 12) != MONGO_OP_MSG && le32(b + 12) != MONGO_OP_REPLY)
		return -1;
	if (n < 4)
		return 0;
	uint32_t len = le32(b);
	if (len < 16 || len > MONGO_MAX_MSG)
		return -1;
	return n >= len ? 1 : 0;
}

/* A BSON element's value of type t at p (left bytes): its size in
 * *size; false if it does not fit or t is unknown. */
static bool bson_value(uint8_t t, const uint8_t *p, size_t left, size_t *size)
{
	switch (t) {
	case 0x06: /* undefined, null, min key, max key: no bytes */
	case 0x0a:
	case 0xff:
	case 0x7f: *size = 0; return true;
	case 0x08: /* boolean */ *size = 1; break;
	case 0x10: /* int32 */ *size = 4; break;
	case 0x07: /* ObjectId */ *size = 12; break;
	case 0x01: /* double, UTC datetime, timestamp, int64 */
	case 0x09:
	case 0x11:
	case 0x12: *size = 8; break;
	case 0x13: /* decimal128 */ *size = 16; break;
	case 0x02: /* string, JavaScript code, symbol: a length, the bytes */
	case 0x0d:
	case 0x0e: *size = left >= 4 ? 4 + (size_t)le32(p) : 0; break;
	case 0x03: /* document, array, code with scope: their own length */
	case 0x04:
	case 0x0f: *size = left >= 4 ? le32(p) : 0; break;
	case 0x05: /* binary: a length, a subtype, the bytes */
		*size = left >= 4 ? 5 + (size_t)le32(p) : 0;
		break;
	default: return false;
	}
	return *size && *size <= left;
}

/* Walk the BSON document doc[0..len): its string element name copied
 * into out (cap; left alone if it has none); *ok: its "ok" element is 1
 * (a double, int32 or boolean). False if the document is malformed. */
static bool bson_string(const uint8_t *doc, size_t len, const char *name, char *out, size_t cap,
			bool *ok)
{
	*ok = false;
	if (len < 5 || le32(doc) != len || doc[len - 1] != 0)
		return false;
	for (size_t i = 4; i < len - 1;) {
		uint8_t t = doc[i];
		const uint8_t *key = doc + i + 1, *z = memchr(key, 0, len - i - 1);
		if (!z)
			return false;
		size_t at = (size_t)(z - doc) + 1, vl;
		if (!bson_value(t, doc + at, len - 1 - at, &vl))
			return false;
		if (t == 0x02 && !strcmp((const char *)key, name) && le32(doc + at) >= 1)
			svc_copy(out, cap, (const char *)doc + at + 4, le32(doc + at) - 1);
		if (!strcmp((const char *)key, "ok"))
			*ok = (t == 0x01 && doc[at + 6] == 0xf0 && doc[at + 7] == 0x3f) ||
			      (t == 0x10 && le32(doc + at) == 1) || (t == 0x08 && doc[at] == 1);
		i = at + vl;
	}
	return true;
}

enum svc_verdict svc_mongo_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m)
{
	if (udp || svc_mongo_complete(b, n, false) != 1)
		return SVC_NONE;
	uint32_t len = le32(b), op = le32(b + 12);
	size_t at = op == MONGO_OP_MSG ? 21 : 36; /* the first document */
	if (len < at + 5 || (op == MONGO_OP_MSG && b[20] != 0) ||
	    (op == MONGO_OP_REPLY && le32(b + 32) < 1))
		return SVC_NONE;
	uint32_t dl = le32(b + at);
	if (dl < 5 || dl > len - at)
		return SVC_NONE;
	char version[80] = "";
	bool ok;
	if (!bson_string(b + at, dl, "version", version, sizeof(version), &ok))
		return SVC_NONE;
	svc_match_reset(m, "mongodb");
	m->conf = 10;
	snprintf(m->evidence, sizeof(m->evidence), "%s buildInfo ok %d version %s",
		 op == MONGO_OP_MSG ? "OP_MSG" : "OP_REPLY", ok, version);
	if (!ok || !version[0] || version[0] < '0' || version[0] > '9')
		return SVC_SOFT;
	snprintf(m->product, sizeof(m->product), "MongoDB");
	snprintf(m->version, sizeof(m->version), "%s", version);
	svc_add_cpe(m, "cpe:/a:mongodb:mongodb", version);
	return SVC_HARD;
}
