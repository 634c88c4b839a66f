/* SPDX-License-Identifier: Apache-2.0 */
/* The handshakes of --proxies, which nmap uses for -sV's connections:
 * SOCKS 4 CONNECT ("SOCKS: A protocol for TCP proxy across firewalls",
 * Ying-Da Lee: VN 4, CD 1, DSTPORT, DSTIP, a USERID and its NUL; the
 * reply is 8 bytes, VN 0 and CD 90 when granted, 91-93 when not) and
 * HTTP CONNECT (RFC 9110 section 9.3.6: "CONNECT host:port HTTP/1.1" with
 * a Host header; what follows the answer's empty line is the far end's).
 * RFC 9110 opens the tunnel on any 2xx; nmap 7.93 only on a status line
 * "HTTP/1.x 200 OK" (observed in the lab with a proxy answering each
 * status line: "HTTP/1.1 200 OK" with or without headers after it and
 * "HTTP/1.0 200 OK" open it; "HTTP/1.0 200 Connection established" as
 * tinyproxy says, "HTTP/1.1 200", "204 No Content" and "299 X" do not,
 * and the port reads tcpwrapped): netkit takes nmap's rule. */
#include "lib/svc/svc.h"

#include <stdio.h>
#include <string.h>

size_t svc_socks4_build(const uint8_t ip[4], uint16_t port, uint8_t *buf, size_t cap)
{
	if (cap < 9)
		return 0;
	buf[0] = 4, buf[1] = 1; /* CONNECT */
	buf[2] = (uint8_t)(port >> 8), buf[3] = (uint8_t)port;
	memcpy(buf + 4, ip, 4);
	buf[8] = 0; /* an empty USERID */
	return 9;
}

int svc_socks4_reply(const uint8_t *b, size_t n, size_t *used)
{
	*used = 0;
	if (n >= 1 && b[0] != 0)
		return -1;
	if (n < 8)
		return 0;
	*used = 8;
	return b[1] == 90 ? 1 : -1;
}

size_t svc_httpconnect_build(const char *hostport, uint8_t *buf, size_t cap)
{
	int k = snprintf((char *)buf, cap, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n", hostport,
			 hostport);
	return k > 0 && (size_t)k < cap ? (size_t)k : 0;
}

#define HTTP_HEAD_MAX 8192

int svc_httpconnect_reply(const uint8_t *b, size_t n, size_t *used)
{
	*used = 0;
	static const char v[] = "HTTP/1.";
	size_t k = n < sizeof(v) - 1 ? n : sizeof(v) - 1;
	if (memcmp(b, v, k))
		return -1;
	long end = svc_find(b, n, "\r\n\r\n");
	if (end < 0)
		return n > HTTP_HEAD_MAX ? -1 : 0;
	static const char ok[] = " 200 OK\r\n";
	if (end < 15 || b[7] < '0' || b[7] > '9' || memcmp(b + 8, ok, sizeof(ok) - 1))
		return -1;
	*used = (size_t)end + 4;
	return 1;
}
