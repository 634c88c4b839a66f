/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness for the nmap front end's parsers: the first byte
 * picks one; the rest is its input. Target specs (parse, expand a few
 * addresses, membership), port specs (against a small table), the port
 * and MAC tables' loaders, --packet-trace's packet decoder and --resume's
 * reading of an output file (records, cut points). Nothing
 * resolves names or sends anything. Accepted target specs are checked
 * for numbers wrapped into range (check_numbers). Inputs up to 64 KiB
 * (tests/fuzz/nmap.options); tests/fuzz/nmap.dict has the target and port
 * grammars' pieces. Run by scripts/fuzz.sh. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cmd/nmap/nmap.h"
#include "lib/target/portspec.h"
#include "lib/target/services.h"
#include "lib/target/target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The value of the digit run at p (saturated), and its end. */
static unsigned long long digits(const char *p, const char **end)
{
	unsigned long long v = 0;
	for (; *p >= '0' && *p <= '9'; p++)
		v = v > 1000000000000ull ? v : v * 10 + (unsigned)(*p - '0');
	*end = p;
	return v;
}

/* An accepted spec has no number too large for its field: an IPv4
 * address's octets (every number before the mask) at most 255, the mask
 * bits at most INT_MAX, an IPv6 zone index at most 2^32 - 1. A number
 * read modulo 2^32 would name an address nobody asked for. */
static void check_numbers(const struct target_spec *t)
{
	const char *p = t->text, *slash = strrchr(p, '/'), *e;
	while (t->kind == TGT_V4 && *p && p != slash) {
		if (*p < '0' || *p > '9') {
			p++;
			continue;
		}
		if (digits(p, &e) > 255)
			abort();
		p = e;
	}
	if (slash && digits(slash + 1, &e) > 2147483647ull)
		abort();
	const char *pct = strchr(t->text, '%');
	if (t->kind == TGT_V6 && pct && pct[1] >= '0' && pct[1] <= '9' &&
	    digits(pct + 1, &e) > 4294967295ull && !*e)
		abort();
}

static void fuzz_targets(const char *s, int af)
{
	struct target_list l = {0};
	char msg[256];
	char *dup = strdup(s), *save = NULL;
	for (char *t = strtok_r(dup, "\n ", &save); t; t = strtok_r(NULL, "\n ", &save))
		if (target_list_add(&l, t, af, msg, sizeof(msg)) >= 0)
			check_numbers(&l.v[l.n - 1]);
	struct target_iter it = {0};
	struct sockaddr_storage ss;
	const struct target_spec *spec;
	for (int i = 0; i < 300 && target_next(&l, &it, &ss, &spec) == 1; i++)
		target_list_contains(&l, &ss);
	target_list_free(&l);
	free(dup);
}

static void fuzz_ports(const char *s, unsigned protos)
{
	static struct svc_db db;
	static struct portset ps;
	if (!db.v) {
		int line;
		svc_db_parse(&db,
			     strdup("tcp 22 ssh 5 netbase\ntcp 80 http 1 netbase\n"
				    "tcp 8080 http-proxy 15 nmap\nudp 53 domain 10 netbase\n"),
			     &line);
	}
	memset(&ps, 0, sizeof(ps));
	char err[256];
	if (portspec_parse(s, &db, protos ? protos : PS_TCP, &ps, err, sizeof(err)) == 0) {
		char *r = portset_ranges(ps.tcp, 65536);
		free(r);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 65536)
		return 0;
	char *s = malloc(size);
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	int line = 0;
	struct svc_db db = {0};
	switch (data[0] % 7) {
	case 0: fuzz_targets(s, AF_INET); break;
	case 1: fuzz_targets(s, AF_INET6); break;
	case 2: fuzz_ports(s, (unsigned)(data[0] >> 4) & 0xf); break;
	case 3:
		svc_db_parse(&db, strdup(s), &line);
		svc_db_parse_protocols(&db, strdup(s), &line);
		svc_db_free(&db);
		break;
	case 4:
		svc_db_parse_macs(&db, strdup(s), &line);
		svc_db_free(&db);
		break;
	case 6: { /* --resume: the records and the cut points of an output file */
		struct nmap_partial pt = {0};
		nmap_progress_parse(s, &pt);
		nmap_progress_free(&pt);
		(void)nmap_progress_cut(s);
		(void)nmap_resume_text_cut(s);
		(void)nmap_resume_xml_cut(s);
		(void)nmap_resume_count_up(s);
		break;
	}
	default: {
		char out[512];
		nmap_trace_line(TRACE_RCVD, 0.5, data + 1, size - 1, out, sizeof(out));
		break;
	}
	}
	free(s);
	return 0;
}
