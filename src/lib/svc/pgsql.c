/* SPDX-License-Identifier: Apache-2.0 */
/* PostgreSQL: the frontend/backend protocol 3.0 (PostgreSQL manual,
 * chapter "Frontend/Backend Protocol"). A StartupMessage (length, 196608,
 * user and database names) makes the server answer with an
 * authentication request ('R'), or with an ErrorResponse ('E') whose
 * fields are a type byte and a string each. Its field 'V' (the severity,
 * never localized) is documented as "present only in messages generated
 * by PostgreSQL versions 9.6 and later": so an error that has it comes
 * from 9.6.0 or later. A server that lets the user in says its exact
 * version in a ParameterStatus ('S') "server_version".
 * "9.6.0 or later" is a soft verdict: nmap 7.93 names such a port
 * "PostgreSQL DB 9.6.0 or later" from the ErrorResponse to its SMB
 * negotiate, yet holds the port not hard-matched (it reads on, sends the
 * probes that may still name postgresql, and keeps the port's service
 * fingerprint), where an ErrorResponse it ties to versions ends it
 * (observed with stand-in servers; issue 11). */
#include "lib/svc/svc.h"

#include <stdio.h>
#include <string.h>

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

size_t svc_pgsql_build(uint8_t *buf, size_t cap)
{
	static const char params[] = "user\0netkit\0database\0netkit\0application_name\0netkit\0";
	size_t len = 8 + sizeof(params); /* the terminating NUL of the list too */
	if (cap < len)
		return 0;
	buf[0] = (uint8_t)(len >> 24), buf[1] = (uint8_t)(len >> 16);
	buf[2] = (uint8_t)(len >> 8), buf[3] = (uint8_t)len;
	buf[4] = 0, buf[5] = 3, buf[6] = 0, buf[7] = 0; /* protocol 3.0 */
	memcpy(buf + 8, params, sizeof(params));
	return len;
}

/* One whole message at b: its length (type byte + length), or 0. */
static size_t msg_len(const uint8_t *b, size_t n)
{
	if (n < 5)
		return 0;
	uint32_t l = be32(b + 1);
	if (l < 4 || l > 65536 || n < (size_t)l + 1)
		return 0;
	return (size_t)l + 1;
}

int svc_pgsql_complete(const uint8_t *b, size_t n, bool udp)
{
	(void)udp;
	if (!n)
		return 0;
	if (b[0] != 'E' && b[0] != 'R' && b[0] != 'v')
		return -1;
	if (n >= 5 && (be32(b + 1) < 4 || be32(b + 1) > 65536))
		return -1;
	size_t l = msg_len(b, n);
	if (!l)
		return 0;
	/* AuthenticationOk is followed by ParameterStatus messages: read on
	 * to ReadyForQuery ('Z') */
	if (b[0] == 'R' && l == 9 && be32(b + 5) == 0)
		return svc_find(b, n, "Z\0\0\0\5") >= 0;
	return 1;
}

/* An ErrorResponse's field of type t, or NULL. */
static const char *err_field(const uint8_t *b, size_t l, char t)
{
	for (size_t i = 5; i < l && b[i];) {
		const uint8_t *s = b + i + 1, *z = memchr(s, 0, l - i - 1);
		if (!z)
			return NULL;
		if (b[i] == (uint8_t)t)
			return (const char *)s;
		i = (size_t)(z - b) + 1;
	}
	return NULL;
}

static void pg_product(struct svc_match *m, const char *version)
{
	snprintf(m->product, sizeof(m->product), "PostgreSQL DB");
	snprintf(m->version, sizeof(m->version), "%s", version);
	m->conf = 10;
}

static enum svc_verdict pg_status(const uint8_t *b, size_t n, struct svc_match *m)
{
	long at = svc_find(b, n, "server_version");
	if (at < 5 || b[at - 5] != 'S')
		return SVC_NONE;
	const char *v = (const char *)b + at + 15;
	if (v >= (const char *)b + n || !memchr(v, 0, n - (size_t)((const uint8_t *)v - b)))
		return SVC_NONE;
	char ver[64];
	size_t vl = strcspn(v, " "); /* "15.14 (Debian 15.14-0+deb12u1)" */
	svc_copy(ver, sizeof(ver), v, vl);
	svc_match_reset(m, "postgresql");
	snprintf(m->evidence, sizeof(m->evidence), "server_version %s", v);
	pg_product(m, ver);
	svc_add_cpe(m, "cpe:/a:postgresql:postgresql", ver);
	return SVC_HARD;
}

enum svc_verdict svc_pgsql_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m)
{
	(void)udp;
	size_t l = msg_len(b, n);
	if (!l)
		return SVC_NONE;
	if (b[0] == 'R') {
		/* 8 bytes with the code alone; MD5 adds a 4-byte salt, SASL
		 * (10) its mechanism names */
		uint32_t code = l >= 9 ? be32(b + 5) : 99;
		if (!(l == 9 && code <= 12) && !(l == 13 && code == 5) && code != 10)
			return SVC_NONE;
		if (pg_status(b, n, m) == SVC_HARD)
			return SVC_HARD;
		svc_match_reset(m, "postgresql");
		snprintf(m->evidence, sizeof(m->evidence), "AuthenticationRequest %u", be32(b + 5));
		pg_product(m, "");
		svc_add_cpe(m, "cpe:/a:postgresql:postgresql", NULL);
		return SVC_HARD;
	}
	if (b[0] != 'E' || b[l - 1] != 0)
		return SVC_NONE;
	const char *sev = err_field(b, l, 'S'), *code = err_field(b, l, 'C');
	if (!sev || !code || strlen(code) != 5)
		return SVC_NONE;
	svc_match_reset(m, "postgresql");
	const char *msg = err_field(b, l, 'M');
	snprintf(m->evidence, sizeof(m->evidence), "%s %s %s", sev, code, msg ? msg : "");
	bool v96 = err_field(b, l, 'V') != NULL;
	pg_product(m, v96 ? "9.6.0 or later" : "");
	svc_add_cpe(m, "cpe:/a:postgresql:postgresql", NULL);
	return v96 ? SVC_SOFT : SVC_HARD;
}
