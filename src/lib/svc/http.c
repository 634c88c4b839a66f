/* SPDX-License-Identifier: Apache-2.0 */
/* HTTP: "GET / HTTP/1.1" with a Host header (RFC 9112 section 3.2), and
 * from the reply its status line and its Server header (RFC 9110 section
 * 10.2.4: product tokens "name/version", then comments). The headers are
 * enough: a read stops at the blank line that ends them. */
#include "lib/svc/svc.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

size_t svc_http_build(const char *host, uint8_t *buf, size_t cap)
{
	int k = snprintf((char *)buf, cap,
			 "GET / HTTP/1.1\r\nHost: %s\r\nUser-Agent: netkit\r\nAccept: */*\r\n"
			 "Connection: close\r\n\r\n",
			 host);
	return k > 0 && (size_t)k < cap ? (size_t)k : 0;
}

int svc_http_complete(const uint8_t *b, size_t n, bool udp)
{
	(void)udp;
	if (n >= 5 && memcmp(b, "HTTP/", 5))
		return -1;
	return svc_find(b, n, "\r\n\r\n") >= 0 || svc_find(b, n, "\n\n") >= 0;
}

/* The value of header name in the header block b[0..n), or NULL. */
static const uint8_t *header(const uint8_t *b, size_t n, const char *name, size_t *vlen)
{
	size_t k = strlen(name);
	for (size_t i = 0; i < n;) {
		size_t l = svc_line_len(b + i, n - i);
		if (!l)
			break; /* the blank line: end of headers */
		if (l > k && b[i + k] == ':' && !strncasecmp((const char *)b + i, name, k)) {
			size_t v = i + k + 1;
			while (v < i + l && (b[v] == ' ' || b[v] == '\t'))
				v++;
			*vlen = i + l - v;
			return b + v;
		}
		i += l;
		if (i < n && b[i] == '\r')
			i++;
		if (i < n && b[i] == '\n')
			i++;
	}
	return NULL;
}

/* service: nmap's name where it is not "http" (a proxy); dated: the
 * server's version is two words, a number and its release date
 * ("mini_httpd/1.30 26Oct2018"), and its CPE joins them with '_' in lower
 * case, as nmap 7.93 shows them (seen in the lab: Debian 12's mini-httpd
 * 1.30 and tinyproxy 1.11.1); cpe NULL: nmap gives none */
static const struct {
	const char *token, *product, *cpe, *service;
	bool dated;
} servers[] = {
	{"nginx", "nginx", "cpe:/a:igor_sysoev:nginx", NULL, false},
	{"Apache", "Apache httpd", "cpe:/a:apache:http_server", NULL, false},
	{"lighttpd", "lighttpd", "cpe:/a:lighttpd:lighttpd", NULL, false},
	{"Caddy", "Caddy httpd", "cpe:/a:caddyserver:caddy", NULL, false},
	{"Microsoft-IIS", "Microsoft IIS httpd", "cpe:/a:microsoft:internet_information_services",
	 NULL, false},
	{"mini_httpd", "mini_httpd", "cpe:/a:acme:mini_httpd", NULL, true},
	{"tinyproxy", "tinyproxy", "cpe:/a:banu:tinyproxy", "http-proxy", false},
	{"webfs", "WebFS httpd", NULL, NULL, false}, /* Debian 12's webfs 1.21: no CPE */
};

/* "1.30 26Oct2018" -> "1.30_26oct2018" */
static void dated_cpe(struct svc_match *m, const char *prefix)
{
	char v[sizeof(m->version)];
	size_t i = 0;
	for (; m->version[i] && i + 1 < sizeof(v); i++) {
		char ch = m->version[i];
		v[i] = ch == ' ' ? '_' : (char)tolower((unsigned char)ch);
	}
	v[i] = '\0';
	svc_add_cpe(m, prefix, v);
}

/* "nginx/1.22.1", "Apache/2.4.57 (Debian)", "lighttpd/1.4.69" */
static void server_product(struct svc_match *m, const char *v)
{
	size_t tl = strcspn(v, "/ ");
	const char *ver = v[tl] == '/' ? v + tl + 1 : "";
	int known = -1;
	for (size_t i = 0; i < sizeof(servers) / sizeof(servers[0]); i++)
		if (strlen(servers[i].token) == tl && !strncmp(v, servers[i].token, tl))
			known = (int)i;
	size_t vl = strcspn(ver, " ");
	if (known >= 0 && servers[known].dated && ver[vl] == ' ' &&
	    isdigit((unsigned char)ver[vl + 1]))
		vl += 1 + strcspn(ver + vl + 1, " ");
	const char *rest = ver + vl;
	while (*rest == ' ')
		rest++;
	if (known >= 0)
		snprintf(m->product, sizeof(m->product), "%s", servers[known].product);
	else
		snprintf(m->product, sizeof(m->product), "%.*s", (int)tl, v);
	snprintf(m->version, sizeof(m->version), "%.*s", (int)vl, ver);
	if (*rest)
		snprintf(m->info, sizeof(m->info), "%s", rest);
	if (known < 0)
		return;
	if (servers[known].service)
		snprintf(m->service, sizeof(m->service), "%s", servers[known].service);
	if (!servers[known].cpe)
		return;
	if (servers[known].dated)
		dated_cpe(m, servers[known].cpe);
	else
		svc_add_cpe(m, servers[known].cpe, m->version);
}

enum svc_verdict svc_http_parse(const uint8_t *b, size_t n, bool udp, struct svc_match *m)
{
	(void)udp;
	/* "HTTP/1.1 200 OK": a version, a space and three digits */
	if (n < 12 || memcmp(b, "HTTP/1.", 7) || b[8] != ' ')
		return SVC_NONE;
	for (int i = 9; i < 12; i++)
		if (b[i] < '0' || b[i] > '9')
			return SVC_NONE;
	svc_match_reset(m, "http");
	size_t l = svc_line_len(b, n), vl = 0;
	const uint8_t *hdrs = b + l + (l + 1 < n && b[l] == '\r' ? 2 : 1);
	size_t hn = hdrs < b + n ? (size_t)(b + n - hdrs) : 0;
	const uint8_t *v = header(hdrs, hn, "Server", &vl);
	if (!v || !vl) {
		m->conf = 10;
		svc_copy(m->evidence, sizeof(m->evidence), (const char *)b, l);
		return SVC_SOFT;
	}
	char server[128];
	svc_copy(server, sizeof(server), (const char *)v, vl);
	snprintf(m->evidence, sizeof(m->evidence), "Server: %.110s", server);
	server_product(m, server);
	m->conf = 10;
	return SVC_HARD;
}
