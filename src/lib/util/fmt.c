/* SPDX-License-Identifier: Apache-2.0 */
/* Integer and address formatting without printf (see fmt.h). */
#include "lib/util/fmt.h"

#include <string.h>
#include <sys/socket.h>

size_t fmt_u64(char *buf, uint64_t v)
{
	char tmp[FMT_U64_LEN];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return n;
}

size_t fmt_s64(char *buf, int64_t v)
{
	if (v >= 0)
		return fmt_u64(buf, (uint64_t)v);
	buf[0] = '-';
	return 1 + fmt_u64(buf + 1, (uint64_t)0 - (uint64_t)v);
}

static size_t put_octet(char *p, unsigned v)
{
	if (v >= 100) {
		p[0] = (char)('0' + v / 100);
		p[1] = (char)('0' + v / 10 % 10);
		p[2] = (char)('0' + v % 10);
		return 3;
	}
	if (v >= 10) {
		p[0] = (char)('0' + v / 10);
		p[1] = (char)('0' + v % 10);
		return 2;
	}
	p[0] = (char)('0' + v);
	return 1;
}

size_t fmt_ipv4(char *buf, const void *addr)
{
	const unsigned char *a = addr;
	size_t n = 0;
	for (int i = 0; i < 4; i++) {
		if (i)
			buf[n++] = '.';
		n += put_octet(buf + n, a[i]);
	}
	buf[n] = '\0';
	return n;
}

static size_t put_hex16(char *p, unsigned v)
{
	static const char hx[] = "0123456789abcdef";
	size_t n = 0;
	int shift = 12;
	while (shift > 0 && !((v >> shift) & 0xf))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		p[n++] = hx[(v >> shift) & 0xf];
	return n;
}

size_t fmt_ipv6(char *buf, const void *addr)
{
	const unsigned char *a = addr;
	unsigned w[8];
	for (int i = 0; i < 8; i++)
		w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	int best = -1, bestlen = 0;
	for (int i = 0; i < 8;) {
		if (w[i]) {
			i++;
			continue;
		}
		int j = i;
		while (j < 8 && !w[j])
			j++;
		if (j - i > bestlen) {
			best = i;
			bestlen = j - i;
		}
		i = j;
	}
	if (bestlen < 2)
		best = -1;
	size_t n = 0;
	for (int i = 0; i < 8; i++) {
		if (best >= 0 && i >= best && i < best + bestlen) {
			if (i == best)
				buf[n++] = ':';
			continue;
		}
		if (i)
			buf[n++] = ':';
		/* the embedded IPv4 forms glibc prints as a dotted quad */
		if (i == 6 && best == 0 && (bestlen == 6 || (bestlen == 5 && w[5] == 0xffff))) {
			n += fmt_ipv4(buf + n, a + 12);
			return n;
		}
		n += put_hex16(buf + n, w[i]);
	}
	if (best >= 0 && best + bestlen == 8)
		buf[n++] = ':';
	buf[n] = '\0';
	return n;
}

size_t fmt_addr(char *buf, int family, const void *addr)
{
	if (family == AF_INET)
		return fmt_ipv4(buf, addr);
	if (family == AF_INET6)
		return fmt_ipv6(buf, addr);
	memcpy(buf, "???", 4);
	return 3;
}
