/* SPDX-License-Identifier: Apache-2.0 */
/* net-tools' route table lines, hand-formatted (see route_fmt.h): printf
 * costs more than the kernel's dump at 500k routes, so the columns are
 * padded here with plain copies. */
#include "cmd/route/route_fmt.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

struct flag_letter {
	unsigned bit;
	const char *s;
};

/* RTF_REJECT replaces what came before it with "!". */
static void flags_str(unsigned flags, const struct flag_letter *t, size_t n, char *out)
{
	out[0] = '\0';
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		if (!(flags & t[i].bit))
			continue;
		if (t[i].bit == RT_F_REJECT)
			len = 0;
		size_t l = strlen(t[i].s);
		if (len + l >= 32)
			break;
		memcpy(out + len, t[i].s, l);
		len += l;
		out[len] = '\0';
	}
}

void route4_flags_str(unsigned flags, char *out)
{
	static const struct flag_letter t[] = {
		{RT_F_UP, "U"},	      {RT_F_GATEWAY, "G"},   {RT_F_REJECT, "!"},
		{RT_F_HOST, "H"},     {RT_F_REINSTATE, "R"}, {RT_F_DYNAMIC, "D"},
		{RT_F_MODIFIED, "M"}, {RT_F_DEFAULT, "d"},   {RT_F_ALLONLINK, "a"},
		{RT_F_ADDRCONF, "c"}, {RT_F_NONEXTHOP, "o"}, {RT_F_EXPIRES, "e"},
		{RT_F_CACHE, "c"},    {RT_F_FLOW, "f"},
	};
	flags_str(flags, t, sizeof(t) / sizeof(t[0]), out);
}

void route6_flags_str(unsigned flags, char *out)
{
	static const struct flag_letter t[] = {
		{RT_F_UP, "U"},	      {RT_F_REJECT, "!"},    {RT_F_GATEWAY, "G"},
		{RT_F_HOST, "H"},     {RT_F_DEFAULT, "D"},   {RT_F_ADDRCONF, "A"},
		{RT_F_CACHE, "C"},    {RT_F_ALLONLINK, "a"}, {RT_F_EXPIRES, "e"},
		{RT_F_MODIFIED, "m"}, {RT_F_NONEXTHOP, "n"}, {RT_F_FLOW, "f"},
	};
	flags_str(flags, t, sizeof(t) / sizeof(t[0]), out);
}

static char *put_uint(char *p, unsigned v)
{
	char tmp[12];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

size_t route_ntoa(uint32_t addr, char *out)
{
	const uint8_t *b = (const uint8_t *)&addr;
	char *p = out;
	for (int i = 0; i < 4; i++) {
		if (i)
			*p++ = '.';
		p = put_uint(p, b[i]);
	}
	*p = '\0';
	return (size_t)(p - out);
}

uint32_t route_mask(unsigned plen)
{
	if (plen == 0)
		return 0;
	if (plen >= 32)
		return 0xffffffffu;
	return htonl(~(0xffffffffu >> plen));
}

/* %-Ns / %Ns of a string, at most max characters of it (max 0: all). */
static char *pad_str(char *p, const char *s, size_t width, size_t max, int left)
{
	size_t n = strlen(s);
	if (max && n > max)
		n = max;
	if (n > 255)
		n = 255;
	if (!left)
		for (size_t i = n; i < width; i++)
			*p++ = ' ';
	memcpy(p, s, n);
	p += n;
	if (left)
		for (size_t i = n; i < width; i++)
			*p++ = ' ';
	return p;
}

/* %-Nd (left) or %Nd of an int. */
static char *pad_int(char *p, int v, size_t width, int left)
{
	char tmp[16], *e = tmp;
	if (v < 0) {
		*e++ = '-';
		e = put_uint(e, 0u - (unsigned)v);
	} else {
		e = put_uint(e, (unsigned)v);
	}
	*e = '\0';
	return pad_str(p, tmp, width, 0, left);
}

static char *put_lit(char *p, const char *s)
{
	size_t n = strlen(s);
	memcpy(p, s, n);
	return p + n;
}

size_t route4_header(int ext, int cache, char *out)
{
	const char *first = cache ? "Source          Destination     Gateway         "
				  : "Destination     Gateway         Genmask         ";
	const char *rest = NULL;
	if (ext == 1)
		rest = "Flags Metric Ref    Use Iface\n";
	else if (ext == 2)
		rest = "Flags   MSS Window  irtt Iface\n";
	else if (ext >= 3)
		rest = cache ? "Flags Metric Ref    Use Iface    MSS   Window irtt  TOS HHRef "
			       "HHUptod     SpecDst\n"
			     : "Flags Metric Ref    Use Iface    MSS   Window irtt\n";
	if (!rest) {
		out[0] = '\0';
		return 0;
	}
	char *p = put_lit(out, first);
	p = put_lit(p, rest);
	*p = '\0';
	return (size_t)(p - out);
}

static char *reject_tail(char *p, const struct route4_row *r, int ext)
{
	if (ext == 2)
		return put_lit(p, "    - -          - -\n");
	p = pad_int(p, r->metric, 6, 1);
	p = put_lit(p, " -  ");
	p = pad_int(p, r->use, 7, 0);
	return put_lit(p, ext == 1 ? " -\n" : " -        -     -      -\n");
}

size_t route4_line(const struct route4_row *r, const char *dst, const char *gw, const char *mask,
		   int ext, char *out)
{
	char flags[32];
	char *p = out;
	if (ext < 1 || ext > 3) {
		out[0] = '\0';
		return 0;
	}
	route4_flags_str(r->flags, flags);
	p = pad_str(p, dst, 15, 15, 1);
	*p++ = ' ';
	if (r->flags & RT_F_REJECT) {
		p = put_lit(p, "-               ");
		p = pad_str(p, mask, 15, 15, 1);
		*p++ = ' ';
		p = pad_str(p, flags, 5, 0, 1);
		*p++ = ' ';
		p = reject_tail(p, r, ext);
		*p = '\0';
		return (size_t)(p - out);
	}
	p = pad_str(p, gw, 15, 15, 1);
	*p++ = ' ';
	p = pad_str(p, mask, 15, 15, 1);
	*p++ = ' ';
	p = pad_str(p, flags, 5, 0, 1);
	*p++ = ' ';
	if (ext == 2) {
		p = pad_int(p, r->mss, 5, 0);
		*p++ = ' ';
		p = pad_int(p, r->window, 5, 1);
		*p++ = ' ';
		p = pad_int(p, r->irtt, 6, 0);
		*p++ = ' ';
		p = pad_str(p, r->iface, 0, 0, 1);
	} else {
		p = pad_int(p, r->metric, 6, 1);
		*p++ = ' ';
		p = pad_int(p, r->ref, ext == 1 ? 2 : 3, 1);
		*p++ = ' ';
		p = pad_int(p, r->use, ext == 1 ? 7 : 6, 0);
		*p++ = ' ';
		if (ext == 1) {
			p = pad_str(p, r->iface, 0, 0, 1);
		} else {
			p = pad_str(p, r->iface, 6, 6, 1);
			p = put_lit(p, "   ");
			p = pad_int(p, r->mss, 5, 1);
			*p++ = ' ';
			p = pad_int(p, r->window, 6, 1);
			*p++ = ' ';
			p = pad_int(p, r->irtt, 0, 1);
		}
	}
	*p++ = '\n';
	*p = '\0';
	return (size_t)(p - out);
}

size_t route6_line(const struct route6_row *r, const char *dst, const char *gw, char *out)
{
	char flags[32];
	char *p = out;
	route6_flags_str(r->flags, flags);
	p = pad_str(p, dst, 30, 0, 1);
	*p++ = ' ';
	p = pad_str(p, gw, 26, 0, 1);
	*p++ = ' ';
	p = pad_str(p, flags, 4, 0, 1);
	*p++ = ' ';
	p = pad_int(p, r->metric, 3, 1);
	*p++ = ' ';
	p = pad_int(p, r->ref, 1, 1);
	*p++ = ' ';
	p = pad_int(p, r->use, 6, 0);
	*p++ = ' ';
	p = pad_str(p, r->iface, 0, 0, 1);
	*p++ = '\n';
	*p = '\0';
	return (size_t)(p - out);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* n hex digits into bytes (n even), then expect a space. */
static const char *hex_bytes(const char *s, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i += 2) {
		int hi = hexval(s[i]), lo = hi < 0 ? -1 : hexval(s[i + 1]);
		if (hi < 0 || lo < 0)
			return NULL;
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	return s[n] == ' ' ? s + n + 1 : NULL;
}

static const char *hex_u32(const char *s, uint32_t *v)
{
	uint8_t b[4];
	s = hex_bytes(s, b, 8);
	if (s)
		*v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	return s;
}

int route6_parse_line(const char *line, struct route6_row *r)
{
	uint8_t plen = 0, src[16], slen;
	uint32_t metric = 0, ref = 0, use = 0, flags = 0;
	const char *s = hex_bytes(line, r->dst, 32);
	if (s)
		s = hex_bytes(s, &plen, 2);
	if (s)
		s = hex_bytes(s, src, 32);
	if (s)
		s = hex_bytes(s, &slen, 2);
	if (s)
		s = hex_bytes(s, r->gw, 32);
	if (s)
		s = hex_u32(s, &metric);
	if (s)
		s = hex_u32(s, &ref);
	if (s)
		s = hex_u32(s, &use);
	if (s)
		s = hex_u32(s, &flags);
	if (!s || plen > 128)
		return -EINVAL;
	while (*s == ' ')
		s++;
	size_t n = strcspn(s, " \n");
	if (n >= sizeof(r->iface))
		n = sizeof(r->iface) - 1;
	memcpy(r->iface, s, n);
	r->iface[n] = '\0';
	r->plen = plen;
	r->metric = (int)metric;
	r->ref = (int)ref;
	r->use = (int)use;
	r->flags = flags;
	return 0;
}
