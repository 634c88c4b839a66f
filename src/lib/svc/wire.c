/* SPDX-License-Identifier: Apache-2.0 */
/* Probes whose answers data/nmap/service-match reads (no parser here):
 * each protocol's request that makes a server say who it is, and the
 * framing that says its answer is whole. Every byte comes from the
 * protocol's specification:
 *   IRC    RFC 2812 section 3.1 (NICK, USER; the 001-004 numerics of
 *          section 5.1: 004 RPL_MYINFO names the server's version)
 *   STUN   RFC 8489 section 5 (a Binding request: type 0x0001, the magic
 *          cookie 0x2112A442, a transaction id; section 14.14 SOFTWARE)
 *   MQTT   MQTT 3.1.1 (OASIS) sections 3.1 CONNECT, 3.2 CONNACK, 3.8
 *          SUBSCRIBE, 3.3 PUBLISH
 *   LDAP   RFC 4511 section 4.5.1 (a base-object search of the root DSE,
 *          filter (objectClass=*)), RFC 4512 section 5.1 (its attributes)
 *   SNMP   RFC 3416 (a v2c GetRequest of sysDescr.0 with community
 *          "public", RFC 3418, and of Net-SNMP's versionTag.0, its
 *          UCD-SNMP-MIB) and RFC 3414 section 4 (a v3 discovery
 *          request: no engine id, reportable; the answer's engine id, RFC
 *          3411 section 5, names the agent's enterprise) */
#include "lib/svc/svc.h"

#include <stdio.h>
#include <string.h>

size_t svc_irc_build(uint8_t *buf, size_t cap)
{
	static const char req[] = "NICK nk\r\nUSER nk 0 * :netkit\r\n";
	if (cap < sizeof(req) - 1)
		return 0;
	memcpy(buf, req, sizeof(req) - 1);
	return sizeof(req) - 1;
}

/* whole once RPL_MYINFO (004) or an ERROR line has ended */
int svc_irc_complete(const uint8_t *b, size_t n, bool udp)
{
	(void)udp;
	for (size_t i = 0; i < n;) {
		size_t l = svc_line_len(b + i, n - i);
		if (i + l >= n)
			return 0; /* the line has not ended */
		if (l >= 5 && !memcmp(b + i, "ERROR", 5))
			return 1;
		long at = svc_find(b + i, l, " 004 ");
		if (at >= 0)
			return 1;
		i += l;
		while (i < n && (b[i] == '\r' || b[i] == '\n'))
			i++;
	}
	return 0;
}

size_t svc_stun_build(uint8_t *buf, size_t cap)
{
	/* type, length 0, magic cookie, a fixed 12-byte transaction id */
	static const uint8_t req[20] = {0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42, 'n', 'e',
					't',  'k',  'i',  't',	'-',  's',  't',  'u',	'n', '1'};
	if (cap < sizeof(req))
		return 0;
	memcpy(buf, req, sizeof(req));
	return sizeof(req);
}

int svc_stun_complete(const uint8_t *b, size_t n, bool udp)
{
	if (udp)
		return 1;
	if (n >= 1 && (b[0] & 0xc0))
		return -1; /* the two top bits of a STUN message are zero */
	return n >= 20 && n >= 20 + (size_t)(b[2] << 8 | b[3]) ? 1 : 0;
}

size_t svc_mqtt_build(uint8_t *buf, size_t cap)
{
	/* CONNECT, protocol "MQTT" level 4, clean session, keep-alive 60 s,
	 * client id "netkit"; then SUBSCRIBE (packet id 1, QoS 0) to
	 * "$SYS/broker/version", the topic where brokers such as Mosquitto
	 * keep their version (mosquitto(8), "Broker Status") */
	static const uint8_t req[] = {0x10, 0x12, 0x00, 0x04, 'M',  'Q',  'T', 'T', 0x04, 0x02,
				      0x00, 0x3c, 0x00, 0x06, 'n',  'e',  't', 'k', 'i',  't',
				      0x82, 0x18, 0x00, 0x01, 0x00, 0x13, '$', 'S', 'Y',  'S',
				      '/',  'b',  'r',	'o',  'k',  'e',  'r', '/', 'v',  'e',
				      'r',  's',  'i',	'o',  'n',  0x00};
	if (cap < sizeof(req))
		return 0;
	memcpy(buf, req, sizeof(req));
	return sizeof(req);
}

/* Packets: a fixed header and the remaining length (MQTT 3.1.1 section
 * 2.2.3). Whole at a PUBLISH (the version), or a CONNACK that
 * refuses, or a SUBACK with nothing retained after it (left to the
 * idle wait). */
int svc_mqtt_complete(const uint8_t *b, size_t n, bool udp)
{
	(void)udp;
	size_t i = 0;
	while (i < n) {
		size_t len = 0, k = i + 1;
		for (int sh = 0; k < n; sh += 7) {
			len |= (size_t)(b[k] & 0x7f) << sh;
			if (!(b[k++] & 0x80))
				break;
			if (sh >= 21)
				return -1;
		}
		if (k >= n && (k == i + 1 || (b[k - 1] & 0x80)))
			return 0;
		if (k + len > n)
			return 0;
		uint8_t type = b[i] >> 4;
		if (type == 3 || (type == 2 && len == 2 && b[k + 1] != 0))
			return 1;
		if (type == 0 || type > 14)
			return -1;
		i = k + len;
	}
	return 0;
}

/* BER: append tag, a length, and the bytes v[0..len) (short or one/two
 * byte long form); returns the new size, or 0 if it does not fit. */
static size_t tlv(uint8_t *buf, size_t k, size_t cap, uint8_t tag, const void *v, size_t len)
{
	size_t hl = len < 128 ? 2 : len < 256 ? 3 : 4;
	if (k + hl + len > cap || len > 0xffff)
		return 0;
	buf[k++] = tag;
	if (len >= 256) {
		buf[k++] = 0x82;
		buf[k++] = (uint8_t)(len >> 8);
	} else if (len >= 128) {
		buf[k++] = 0x81;
	}
	buf[k++] = (uint8_t)len;
	memmove(buf + k, v, len);
	return k + len;
}

size_t svc_ldap_build(uint8_t *buf, size_t cap)
{
	static const char *const attrs[] = {"vendorName", "vendorVersion", "supportedLDAPVersion"};
	uint8_t a[96], req[192], op[256];
	size_t na = 0;
	for (size_t i = 0; i < 3; i++)
		na = tlv(a, na, sizeof(a), 0x04, attrs[i], strlen(attrs[i]));
	/* baseObject "", scope base, never deref, no limits, types too */
	static const uint8_t head[] = {0x04, 0x00, 0x0a, 0x01, 0x00, 0x0a, 0x01, 0x00, 0x02,
				       0x01, 0x00, 0x02, 0x01, 0x00, 0x01, 0x01, 0x00};
	memcpy(req, head, sizeof(head));
	size_t nr = tlv(req, sizeof(head), sizeof(req), 0x87, "objectClass", 11); /* present */
	nr = tlv(req, nr, sizeof(req), 0x30, a, na);
	static const uint8_t id[] = {0x02, 0x01, 0x01}; /* messageID 1 */
	memcpy(op, id, sizeof(id));
	size_t no = tlv(op, sizeof(id), sizeof(op), 0x63, req, nr); /* SearchRequest */
	return no ? tlv(buf, 0, cap, 0x30, op, no) : 0;
}

/* The length of the BER element at b (tag, length, value), 0 if it has
 * not all come, or -1 if it cannot be BER (a long or indefinite length). */
static long ber_len(const uint8_t *b, size_t n)
{
	if (n < 2)
		return 0;
	size_t len = b[1], hl = 2;
	if (b[1] & 0x80) {
		size_t nb = b[1] & 0x7f;
		if (nb == 0 || nb > 3)
			return -1;
		if (n < 2 + nb)
			return 0;
		len = 0;
		for (size_t i = 0; i < nb; i++)
			len = len << 8 | b[2 + i];
		hl += nb;
	}
	return n >= hl + len ? (long)(hl + len) : 0;
}

/* whole when a message that is not a SearchResultEntry (0x64) has come,
 * as SearchResultDone ends a search */
int svc_ldap_complete(const uint8_t *b, size_t n, bool udp)
{
	(void)udp;
	size_t i = 0;
	while (i < n) {
		if (b[i] != 0x30)
			return -1;
		long l = ber_len(b + i, n - i);
		if (l <= 0)
			return (int)(l < 0 ? -1 : 0);
		/* the message id (an INTEGER) then the operation's tag */
		size_t h = (b[i + 1] & 0x80) ? 2 + (b[i + 1] & 0x7f) : 2;
		if (h + 2 < (size_t)l && b[i + h] == 0x02 && h + 2 + b[i + h + 1] < (size_t)l &&
		    b[i + h + 2 + b[i + h + 1]] != 0x64)
			return 1;
		i += (size_t)l;
	}
	return 0;
}

size_t svc_snmp_build(bool v3, uint8_t *buf, size_t cap)
{
	/* v2c: version 1, community "public", a GetRequest (request id
	 * 0x6e6b) of sysDescr.0 (1.3.6.1.2.1.1.1.0) and of UCD-SNMP-MIB's
	 * versionTag.0 (1.3.6.1.4.1.2021.100.2.0: the agent's version, in
	 * Net-SNMP's MIB) */
	static const uint8_t v2c[] = {0x30, 0x37, 0x02, 0x01, 0x01, 0x04, 0x06, 'p',  'u',  'b',
				      'l',  'i',  'c',	0xa0, 0x2a, 0x02, 0x02, 0x6e, 0x6b, 0x02,
				      0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x1e, 0x30, 0x0c, 0x06,
				      0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x05,
				      0x00, 0x30, 0x0e, 0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01,
				      0x8f, 0x65, 0x64, 0x02, 0x00, 0x05, 0x00};
	/* v3: msgID 0x6e6b, max size 65507, flags reportable, USM (3); empty
	 * security parameters; a GetRequest with no bindings */
	static const uint8_t v3m[] = {0x30, 0x3a, 0x02, 0x01, 0x03, 0x30, 0x0f, 0x02, 0x02, 0x6e,
				      0x6b, 0x02, 0x03, 0x00, 0xff, 0xe3, 0x04, 0x01, 0x04, 0x02,
				      0x01, 0x03, 0x04, 0x10, 0x30, 0x0e, 0x04, 0x00, 0x02, 0x01,
				      0x00, 0x02, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00, 0x04, 0x00,
				      0x30, 0x12, 0x04, 0x00, 0x04, 0x00, 0xa0, 0x0c, 0x02, 0x02,
				      0x6e, 0x6b, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x00};
	const uint8_t *m = v3 ? v3m : v2c;
	size_t len = v3 ? sizeof(v3m) : sizeof(v2c);
	if (cap < len)
		return 0;
	memcpy(buf, m, len);
	return len;
}

int svc_snmp_complete(const uint8_t *b, size_t n, bool udp)
{
	if (udp)
		return 1;
	if (n && b[0] != 0x30)
		return -1;
	long l = ber_len(b, n);
	return l < 0 ? -1 : l > 0 ? 1 : 0;
}

/* git daemon (gitprotocol-pack(5), gitprotocol-v2(5)): a pkt-line
 * "git-upload-pack /" with the host and, as an extra parameter,
 * "version=2", which a v2 server answers with its capability
 * advertisement (agent=git/VERSION) */
size_t svc_git_build(const char *host, uint8_t *buf, size_t cap)
{
	char line[400];
	int n = snprintf(line, sizeof(line), "git-upload-pack /%chost=%s%c%cversion=2%c", 0, host,
			 0, 0, 0);
	if (n < 0 || (size_t)n >= sizeof(line) || cap < (size_t)n + 4 + 1)
		return 0;
	char len[5];
	snprintf(len, sizeof(len), "%04x", n + 4);
	memcpy(buf, len, 4);
	memcpy(buf + 4, line, (size_t)n);
	return (size_t)n + 4;
}

/* pkt-lines up to a flush packet "0000"; an ERR line is whole too */
int svc_git_complete(const uint8_t *b, size_t n, bool udp)
{
	(void)udp;
	size_t i = 0;
	while (i + 4 <= n) {
		unsigned len = 0;
		for (int k = 0; k < 4; k++) {
			uint8_t c = b[i + k];
			int d = c >= '0' && c <= '9'   ? c - '0'
				: c >= 'a' && c <= 'f' ? c - 'a' + 10
						       : -1;
			if (d < 0)
				return -1;
			len = len << 4 | (unsigned)d;
		}
		if (len == 0)
			return 1;
		if (len < 4)
			return -1;
		if (i + len > n)
			return 0;
		if (len >= 7 && !memcmp(b + i + 4, "ERR", 3))
			return 1;
		i += len;
	}
	return 0;
}

/* beanstalkd (its protocol.txt): "stats\r\n", answered "OK <bytes>\r\n"
 * and a YAML body of that many bytes, then "\r\n" */
int svc_beanstalk_complete(const uint8_t *b, size_t n, bool udp)
{
	(void)udp;
	size_t l = svc_line_len(b, n);
	if (l == n)
		return 0;
	if (n < 3 || memcmp(b, "OK ", 3))
		return 1; /* an error line: all there is */
	size_t body = 0;
	for (size_t i = 3; i < l && b[i] >= '0' && b[i] <= '9' && body < 1000000; i++)
		body = body * 10 + (size_t)(b[i] - '0');
	return n >= l + 2 + body + 2 ? 1 : 0;
}

/* one line: gearmand's "version" answer ("OK 1.1.20"), any text reply */
int svc_line_complete(const uint8_t *b, size_t n, bool udp)
{
	(void)udp;
	return svc_line_len(b, n) < n ? 1 : 0;
}

/* Zabbix agent (Zabbix manual, "Header and data length"): "ZBXD", flags
 * 0x01, an 8-byte little-endian length, then the item key; the answer
 * has the same header */
size_t svc_zabbix_build(uint8_t *buf, size_t cap)
{
	static const uint8_t req[] = {'Z', 'B', 'X', 'D', 0x01, 13,  0,	  0,   0,
				      0,   0,	0,   0,	  'a',	'g', 'e', 'n', 't',
				      '.', 'v', 'e', 'r', 's',	'i', 'o', 'n'};
	if (cap < sizeof(req))
		return 0;
	memcpy(buf, req, sizeof(req));
	return sizeof(req);
}

int svc_zabbix_complete(const uint8_t *b, size_t n, bool udp)
{
	(void)udp;
	if (n >= 4 && memcmp(b, "ZBXD", 4))
		return -1;
	if (n < 13)
		return 0;
	uint64_t len = 0;
	for (int i = 0; i < 4; i++)
		len |= (uint64_t)b[5 + i] << (8 * i);
	return n >= 13 + len ? 1 : 0;
}

/* SIP (RFC 3261 section 11): OPTIONS, answered by a final response whose
 * Server header names the product; rport (RFC 3581) so a UDP answer comes
 * back to our port whatever the Via host says */
size_t svc_sip_build(bool udp, uint8_t *buf, size_t cap)
{
	char req[512];
	int n = snprintf(
		req, sizeof(req),
		"OPTIONS sip:nm SIP/2.0\r\nVia: SIP/2.0/%s nm;rport;branch=z9hG4bKnetkit\r\n"
		"From: <sip:nm@nm>;tag=netkit\r\nTo: <sip:nm2@nm2>\r\nCall-ID: netkit@nm\r\n"
		"CSeq: 42 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n"
		"Accept: application/sdp\r\n\r\n",
		udp ? "UDP" : "TCP");
	if (n < 0 || (size_t)n > cap)
		return 0;
	memcpy(buf, req, (size_t)n);
	return (size_t)n;
}

/* the header block has ended (an OPTIONS answer's body is not needed) */
int svc_sip_complete(const uint8_t *b, size_t n, bool udp)
{
	if (udp)
		return 1;
	if (n >= 4 && memcmp(b, "SIP/", n < 4 ? n : 4))
		return -1;
	return svc_find(b, n, "\r\n\r\n") >= 0 ? 1 : 0;
}

/* Mumble's UDP ping (Mumble protocol documentation, "UDP Ping"): four
 * zero bytes and an 8-byte identifier; the server answers 24 bytes: its
 * version (a zero byte, major, minor, patch), the identifier, then users,
 * maximum users and bandwidth (big-endian 32-bit) */
size_t svc_mumble_build(uint8_t *buf, size_t cap)
{
	static const uint8_t req[12] = {0, 0, 0, 0, 'n', 'e', 't', 'k', 'i', 't', 'p', 'g'};
	if (cap < sizeof(req))
		return 0;
	memcpy(buf, req, sizeof(req));
	return sizeof(req);
}

int svc_mumble_complete(const uint8_t *b, size_t n, bool udp)
{
	(void)b;
	return udp || n >= 24 ? 1 : 0;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

enum svc_verdict svc_mumble_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m)
{
	if (!udp || n != 24 || b[0] != 0 || memcmp(b + 4, "netkitpg", 8))
		return SVC_NONE;
	svc_match_reset(m, "mumble");
	snprintf(m->product, sizeof(m->product), "Murmur");
	snprintf(m->version, sizeof(m->version), "%u.%u.%u", b[1], b[2], b[3]);
	snprintf(m->info, sizeof(m->info), "users %u/%u", be32(b + 12), be32(b + 16));
	svc_add_cpe(m, "cpe:/a:mumble:murmur", m->version);
	snprintf(m->evidence, sizeof(m->evidence), "UDP ping answer: version %s", m->version);
	m->conf = 10;
	return SVC_HARD;
}
