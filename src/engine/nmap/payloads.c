/* SPDX-License-Identifier: Apache-2.0 */
/* UDP payloads for -sU: per-port probe bodies that make common services
 * answer (an empty datagram gets no reply from DNS, NTP, SNMP, ...), kept
 * as data in data/udp-payloads, in our own line format:
 *     udp PORT[,PORT...] "bytes with \xHH \r \n \t \\ \" escapes"
 * Blank lines and lines starting with # are ignored. */
#include "engine/nmap/internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAYLOAD_FILE "udp-payloads"

struct payload {
	uint8_t *data;
	size_t len;
};

struct payloads {
	struct payload by_port[65536];
};

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : isxdigit(c) ? (tolower(c) - 'a' + 10) : -1;
}

/* Decode a quoted string at s into out (cap bytes): length or -EINVAL. */
static int unquote(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	if (*s++ != '"')
		return -EINVAL;
	while (*s && *s != '"') {
		int c = (unsigned char)*s++;
		if (c == '\\') {
			c = (unsigned char)*s++;
			switch (c) {
			case 'r': c = '\r'; break;
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case '0': c = 0; break;
			case '\\':
			case '"': break;
			case 'x': {
				int h = hexval((unsigned char)s[0]),
				    l = h < 0 ? -1 : hexval((unsigned char)s[1]);
				if (l < 0)
					return -EINVAL;
				c = h * 16 + l;
				s += 2;
				break;
			}
			default: return -EINVAL;
			}
		}
		if (n == cap)
			return -EINVAL;
		out[n++] = (uint8_t)c;
	}
	return *s == '"' ? (int)n : -EINVAL;
}

static int parse_line(struct payloads *p, char *line)
{
	char *s = line;
	while (isspace((unsigned char)*s))
		s++;
	if (!*s || *s == '#')
		return 0;
	if (strncmp(s, "udp", 3) || !isspace((unsigned char)s[3]))
		return -EINVAL;
	s += 4;
	char *ports = s;
	while (*s && !isspace((unsigned char)*s))
		s++;
	if (!*s)
		return -EINVAL;
	*s++ = 0;
	while (isspace((unsigned char)*s))
		s++;
	uint8_t buf[1400];
	int len = unquote(s, buf, sizeof(buf));
	if (len < 0)
		return len;
	char *save = NULL;
	for (char *tok = strtok_r(ports, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *end;
		long port = strtol(tok, &end, 10);
		if (*end || port < 1 || port > 65535)
			return -EINVAL;
		struct payload *pl = &p->by_port[port];
		free(pl->data);
		pl->data = malloc((size_t)len ? (size_t)len : 1);
		if (!pl->data)
			return -ENOMEM;
		memcpy(pl->data, buf, (size_t)len);
		pl->len = (size_t)len;
	}
	return 0;
}

static FILE *open_payloads(const char *datadir)
{
	const char *dirs[] = {datadir, getenv("NETKIT_DATADIR"), NETKIT_DATADIR, NETKIT_SRCDATADIR};
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char path[4096];
		if (!dirs[i])
			continue;
		snprintf(path, sizeof(path), "%s/%s", dirs[i], PAYLOAD_FILE);
		FILE *f = fopen(path, "re");
		if (f)
			return f;
	}
	return NULL;
}

int payloads_load(const char *datadir, struct payloads **out)
{
	*out = NULL;
	FILE *f = open_payloads(datadir);
	if (!f)
		return -ENOENT;
	struct payloads *p = calloc(1, sizeof(*p));
	if (!p) {
		fclose(f);
		return -ENOMEM;
	}
	char line[8192];
	int r = 0;
	while (r == 0 && fgets(line, sizeof(line), f))
		r = parse_line(p, line);
	fclose(f);
	if (r < 0) {
		payloads_free(p);
		return r;
	}
	*out = p;
	return 0;
}

void payloads_free(struct payloads *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < 65536; i++)
		free(p->by_port[i].data);
	free(p);
}

const uint8_t *payloads_get(const struct payloads *p, uint16_t port, size_t *len)
{
	const struct payload *pl = &p->by_port[port];
	*len = pl->len;
	return pl->data;
}
