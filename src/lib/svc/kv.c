/* SPDX-License-Identifier: Apache-2.0 */
/* Key-value stores. Redis speaks RESP (redis.io/docs/reference/protocol-
 * spec): "INFO server" answers a bulk string "$LEN\r\n...\r\n" whose
 * "redis_version:" line names the version; a server that wants a password
 * or runs in protected mode answers an error ("-NOAUTH ...", "-DENIED
 * ...") that names Redis without a version. memcached's text protocol
 * (its doc/protocol.txt): "stats" answers "STAT name value" lines ended by
 * "END", "version" answers "VERSION x"; over UDP each datagram starts with
 * an 8-byte frame header (request id, sequence, count, reserved). */
#include "lib/svc/svc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t svc_redis_build(uint8_t *buf, size_t cap)
{
	static const char req[] = "*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n";
	if (cap < sizeof(req) - 1)
		return 0;
	memcpy(buf, req, sizeof(req) - 1);
	return sizeof(req) - 1;
}

int svc_redis_complete(const uint8_t *b, size_t n, bool udp)
{
	(void)udp;
	if (!n)
		return 0;
	size_t l = svc_line_len(b, n);
	if (b[0] != '$' && b[0] != '-' && b[0] != '+')
		return -1;
	if (l == n)
		return 0;
	if (b[0] != '$')
		return 1;
	/* "$LEN": digits within the line (the buffer is not a C string) */
	size_t len = 0, i = 1;
	if (l > 1 && b[1] == '-')
		return 1; /* "$-1": a null bulk string, whole */
	for (; i < l && b[i] >= '0' && b[i] <= '9' && len < (1u << 30); i++)
		len = len * 10 + (size_t)(b[i] - '0');
	if (i == 1 || i != l)
		return -1;
	return n >= l + 2 + len + 2;
}

static void redis_product(struct svc_match *m, const char *version)
{
	snprintf(m->product, sizeof(m->product), "Redis key-value store");
	snprintf(m->version, sizeof(m->version), "%s", version);
	svc_add_cpe(m, "cpe:/a:redislabs:redis", version);
	m->conf = 10;
}

enum svc_verdict svc_redis_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m)
{
	(void)udp;
	size_t l = svc_line_len(b, n);
	if (n && (b[0] == '-' || b[0] == '+')) {
		/* only Redis words its refusals so */
		static const char *const errs[] = {"-NOAUTH ", "-DENIED Redis ",
						   "-ERR Client sent AUTH"};
		for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++)
			if (l >= strlen(errs[i]) && !memcmp(b, errs[i], strlen(errs[i]))) {
				svc_match_reset(m, "redis");
				svc_copy(m->evidence, sizeof(m->evidence), (const char *)b, l);
				redis_product(m, "");
				return SVC_HARD;
			}
		return SVC_NONE;
	}
	long at = svc_find(b, n, "\nredis_version:");
	if (!n || b[0] != '$' || at < 0)
		return SVC_NONE;
	const uint8_t *v = b + at + 15;
	size_t vl = svc_line_len(v, n - (size_t)(v - b));
	char ver[64];
	svc_copy(ver, sizeof(ver), (const char *)v, vl);
	svc_match_reset(m, "redis");
	snprintf(m->evidence, sizeof(m->evidence), "redis_version:%s", ver);
	redis_product(m, ver);
	return SVC_HARD;
}

size_t svc_memcached_build(bool udp, uint8_t *buf, size_t cap)
{
	/* over UDP one datagram answers one request: version only (stats
	 * would come in several) */
	static const uint8_t frame[8] = {0x6e, 0x6b, 0, 0, 0, 1, 0, 0};
	const char *cmd = udp ? "version\r\n" : "stats\r\nversion\r\n";
	size_t off = udp ? sizeof(frame) : 0, cl = strlen(cmd);
	if (cap < off + cl)
		return 0;
	memcpy(buf, frame, off);
	memcpy(buf + off, cmd, cl);
	return off + cl;
}

int svc_memcached_complete(const uint8_t *b, size_t n, bool udp)
{
	if (udp)
		return 1; /* one datagram */
	if (n >= 5 && memcmp(b, "STAT ", 5) && memcmp(b, "VERS", 4) && memcmp(b, "ERROR", 5))
		return -1;
	long at = n >= 8 && !memcmp(b, "VERSION ", 8) ? 0 : svc_find(b, n, "\nVERSION ");
	if (at < 0)
		return 0;
	return memchr(b + at + 1, '\n', n - (size_t)at - 1) ? 1 : 0;
}

/* The value of the line that starts with key (after a newline or at 0). */
static bool line_value(const uint8_t *b, size_t n, const char *key, char *out, size_t cap)
{
	size_t k = strlen(key);
	long at = n >= k && !memcmp(b, key, k) ? 0 : -1;
	if (at < 0) {
		char nk[64];
		snprintf(nk, sizeof(nk), "\n%s", key);
		at = svc_find(b, n, nk);
		if (at < 0)
			return false;
		at++;
	}
	const uint8_t *v = b + at + k;
	svc_copy(out, cap, (const char *)v, svc_line_len(v, n - (size_t)(v - b)));
	return true;
}

enum svc_verdict svc_memcached_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m)
{
	if (udp) {
		if (n < 8)
			return SVC_NONE;
		b += 8, n -= 8;
	}
	char ver[64] = "", up[32] = "";
	if (!line_value(b, n, "VERSION ", ver, sizeof(ver)) &&
	    !line_value(b, n, "STAT version ", ver, sizeof(ver)))
		return SVC_NONE;
	svc_match_reset(m, "memcached");
	snprintf(m->evidence, sizeof(m->evidence), "VERSION %s", ver);
	snprintf(m->product, sizeof(m->product), "Memcached");
	snprintf(m->version, sizeof(m->version), "%s", ver);
	if (line_value(b, n, "STAT uptime ", up, sizeof(up)))
		snprintf(m->info, sizeof(m->info), "uptime %s seconds", up);
	svc_add_cpe(m, "cpe:/a:memcached:memcached", ver);
	m->conf = 10;
	return SVC_HARD;
}
