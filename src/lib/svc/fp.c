/* SPDX-License-Identifier: Apache-2.0 */
/* The fingerprint of a service nobody recognised, laid out as nmap lays
 * out the ones it asks users to submit (its observable output): the
 * port and protocol, the compatible version, the intensity, the date, the
 * time in hex, the platform, then each answer as r(PROBE,LENGTH-IN-HEX,
 * "bytes") with printable bytes as they are, regular-expression
 * metacharacters (not braces) behind a backslash and the rest as \0 (\x00
 * before a digit) \r \n \t or \xNN; at most the first 900 bytes of an
 * answer, its whole length in LENGTH (as nmap 7.93 prints them).
 * The probe names are netkit's. */
#include "lib/svc/svc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SVC_FP_CAP 900

#if defined(__x86_64__)
#define SVC_PLATFORM "x86_64-pc-linux-gnu"
#elif defined(__aarch64__)
#define SVC_PLATFORM "aarch64-unknown-linux-gnu"
#else
#define SVC_PLATFORM "unknown-linux-gnu"
#endif

static size_t esc(const uint8_t *d, size_t n, char *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t ch = d[i];
		bool digit = i + 1 < n && d[i + 1] >= '0' && d[i + 1] <= '9';
		if (ch == 0 && !digit) /* \0 then a digit would read as octal */
			k += (size_t)sprintf(out + k, "\\0");
		else if (ch == '\r')
			k += (size_t)sprintf(out + k, "\\r");
		else if (ch == '\n')
			k += (size_t)sprintf(out + k, "\\n");
		else if (ch == '\t')
			k += (size_t)sprintf(out + k, "\\t");
		else if (ch > 0x20 && ch < 0x7f && strchr(".\\()[]*+?|^$\"", ch))
			k += (size_t)sprintf(out + k, "\\%c", ch);
		else if (ch > 0x20 && ch < 0x7f)
			out[k++] = (char)ch;
		else
			k += (size_t)sprintf(out + k, "\\x%02x", ch);
	}
	out[k] = '\0';
	return k;
}

char *svc_fp_format(uint16_t port, bool udp, int intensity, long when, const struct svc_fp_resp *r,
		    size_t n)
{
	size_t cap = 256;
	for (size_t i = 0; i < n; i++)
		cap += 32 + strlen(r[i].probe) +
		       4 * (r[i].len < SVC_FP_CAP ? r[i].len : SVC_FP_CAP);
	char *s = malloc(cap);
	if (!s)
		return NULL;
	time_t t = (time_t)when;
	struct tm tm;
	localtime_r(&t, &tm);
	size_t k = (size_t)snprintf(s, cap, "SF-Port%u-%s:V=7.93%%I=%d%%D=%d/%d%%Time=%lX%%P=%s",
				    port, udp ? "UDP" : "TCP", intensity, tm.tm_mon + 1, tm.tm_mday,
				    (unsigned long)when, SVC_PLATFORM);
	for (size_t i = 0; i < n; i++) {
		k += (size_t)sprintf(s + k, "%%r(%s,%zX,\"", r[i].probe, r[i].len);
		k += esc(r[i].data, r[i].len < SVC_FP_CAP ? r[i].len : SVC_FP_CAP, s + k);
		k += (size_t)sprintf(s + k, "\")");
	}
	sprintf(s + k, ";");
	return s;
}

struct svc_resp *svc_resp_copy(const struct svc_fp_resp *r, size_t n, size_t *out)
{
	*out = 0;
	struct svc_resp *v = n ? calloc(n, sizeof(*v)) : NULL;
	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		v[i].data = malloc(r[i].len ? r[i].len : 1);
		if (!v[i].data) {
			svc_resp_free(v, i);
			return NULL;
		}
		memcpy(v[i].data, r[i].data, r[i].len);
		v[i].len = r[i].len;
		snprintf(v[i].probe, sizeof(v[i].probe), "%s", r[i].probe);
	}
	*out = n;
	return v;
}

void svc_resp_free(struct svc_resp *r, size_t n)
{
	for (size_t i = 0; r && i < n; i++)
		free(r[i].data);
	free(r);
}
