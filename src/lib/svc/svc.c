/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the service parsers. */
#include "lib/svc/svc.h"

#include <stdio.h>
#include <string.h>

void svc_match_reset(struct svc_match *m, const char *service)
{
	memset(m, 0, sizeof(*m));
	snprintf(m->service, sizeof(m->service), "%s", service);
}

void svc_copy(char *dst, size_t cap, const char *src, size_t len)
{
	size_t j = 0;
	for (size_t i = 0; i < len && j + 1 < cap; i++) {
		unsigned char ch = (unsigned char)src[i];
		if (ch >= 0x20 && ch < 0x7f)
			dst[j++] = (char)ch;
	}
	if (cap)
		dst[j] = '\0';
}

void svc_add_cpe(struct svc_match *m, const char *prefix, const char *version)
{
	if (m->ncpe >= SVC_MAX_CPE)
		return;
	char *d = m->cpe[m->ncpe++];
	size_t cap = sizeof(m->cpe[0]);
	int k = snprintf(d, cap, "%s", prefix);
	if (!version || !*version || k < 0 || (size_t)k + 2 >= cap)
		return;
	/* a CPE's version is one token: it ends at the first space */
	d[k++] = ':';
	for (const char *v = version; *v && *v != ' ' && (size_t)k + 1 < cap; v++)
		d[k++] = *v;
	d[k] = '\0';
}

size_t svc_line_len(const uint8_t *b, size_t n)
{
	size_t i = 0;
	while (i < n && b[i] != '\r' && b[i] != '\n')
		i++;
	return i;
}

long svc_find(const uint8_t *b, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	if (!k || k > n)
		return -1;
	const void *p = memmem(b, n, needle, k);
	return p ? (long)((const uint8_t *)p - b) : -1;
}
