/* SPDX-License-Identifier: Apache-2.0 */
/* The service match database's parser and matcher (see matchdb.h). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "lib/svc/matchdb.h"

#include <ctype.h>
#include <errno.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MATCH_LIMIT 200000
#define DEPTH_LIMIT 10000

enum field { F_PRODUCT, F_VERSION, F_INFO, F_HOSTNAME, F_OSTYPE, F_DEVICE, F_NFIELDS };
static const char *const field_keys[F_NFIELDS] = {"product",  "version", "info",
						  "hostname", "ostype",	 "devicetype"};

struct entry {
	char service[32];
	char probe[32];
	bool soft;
	pcre2_code *re;
	char *field[F_NFIELDS];
	char *cpe[SVC_MAX_CPE];
	unsigned ncpe;
	char *source;
	int line;
};

struct svcmatch_db {
	struct entry *v;
	size_t n, cap;
	pcre2_match_context *mctx;
};

static void entry_free(struct entry *e)
{
	pcre2_code_free(e->re);
	for (int i = 0; i < F_NFIELDS; i++)
		free(e->field[i]);
	for (unsigned i = 0; i < e->ncpe; i++)
		free(e->cpe[i]);
	free(e->source);
	memset(e, 0, sizeof(*e));
}

void svcmatch_close(struct svcmatch_db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->n; i++)
		entry_free(&db->v[i]);
	free(db->v);
	pcre2_match_context_free(db->mctx);
	free(db);
}

size_t svcmatch_count(const struct svcmatch_db *db)
{
	return db ? db->n : 0;
}

struct pstate {
	struct entry cur;
	bool open;
	char pattern[1024];
	bool have_re;
	uint32_t flags;
	int *line;
	char *msg;
	size_t msglen;
};

static int fail(struct pstate *p, const char *fmt, const char *arg)
{
	snprintf(p->msg, p->msglen, fmt, arg);
	return -EINVAL;
}

/* The entry being read is complete: compile it and keep it. */
static int finish(struct svcmatch_db *db, struct pstate *p)
{
	if (!p->open)
		return 0;
	p->open = false;
	if (!p->have_re || !p->cur.source) {
		entry_free(&p->cur);
		return fail(p, "entry without %s", p->have_re ? "source" : "regex");
	}
	int err;
	PCRE2_SIZE off;
	p->cur.re = pcre2_compile((PCRE2_SPTR)p->pattern, PCRE2_ZERO_TERMINATED, p->flags, &err,
				  &off, NULL);
	if (!p->cur.re) {
		char e[160];
		pcre2_get_error_message(err, (PCRE2_UCHAR *)e, sizeof(e));
		entry_free(&p->cur);
		return fail(p, "bad regex: %s", e);
	}
	if (db->n == db->cap) {
		size_t cap = db->cap ? db->cap * 2 : 64;
		struct entry *v = realloc(db->v, cap * sizeof(*v));
		if (!v) {
			entry_free(&p->cur);
			return -ENOMEM;
		}
		db->v = v;
		db->cap = cap;
	}
	db->v[db->n++] = p->cur;
	memset(&p->cur, 0, sizeof(p->cur));
	return 0;
}

static int set_str(char **dst, const char *val)
{
	free(*dst);
	*dst = strdup(val);
	return *dst ? 0 : -ENOMEM;
}

/* One "key value" line. */
static int key_line(struct svcmatch_db *db, struct pstate *p, const char *key, const char *val)
{
	if (!strcmp(key, "match")) {
		int r = finish(db, p);
		if (r < 0)
			return r;
		if (!*val || strlen(val) >= sizeof(p->cur.service))
			return fail(p, "bad service name%s", "");
		p->open = true;
		p->have_re = false;
		p->flags = 0;
		p->cur.line = *p->line;
		snprintf(p->cur.service, sizeof(p->cur.service), "%s", val);
		snprintf(p->cur.probe, sizeof(p->cur.probe), "NULL");
		return 0;
	}
	if (!p->open)
		return fail(p, "'%s' before any 'match'", key);
	if (!strcmp(key, "probe"))
		return snprintf(p->cur.probe, sizeof(p->cur.probe), "%s", val) <
				       (int)sizeof(p->cur.probe)
			       ? 0
			       : fail(p, "probe name too long%s", "");
	if (!strcmp(key, "regex")) {
		if (!*val || strlen(val) >= sizeof(p->pattern))
			return fail(p, "bad regex length%s", "");
		snprintf(p->pattern, sizeof(p->pattern), "%s", val);
		p->have_re = true;
		return 0;
	}
	if (!strcmp(key, "flags")) {
		for (const char *f = val; *f; f++)
			if (*f == 'i')
				p->flags |= PCRE2_CASELESS;
			else if (*f == 's')
				p->flags |= PCRE2_DOTALL;
			else
				return fail(p, "unknown flag in '%s'", val);
		return 0;
	}
	if (!strcmp(key, "soft"))
		return p->cur.soft = true, 0;
	if (!strcmp(key, "source"))
		return set_str(&p->cur.source, val);
	if (!strcmp(key, "cpe")) {
		if (p->cur.ncpe >= SVC_MAX_CPE)
			return fail(p, "too many cpe lines%s", "");
		return set_str(&p->cur.cpe[p->cur.ncpe++], val);
	}
	for (int i = 0; i < F_NFIELDS; i++)
		if (!strcmp(key, field_keys[i]))
			return set_str(&p->cur.field[i], val);
	return fail(p, "unknown key '%s'", key);
}

int svcmatch_parse(const char *text, struct svcmatch_db **out, int *line, char *msg, size_t msglen)
{
	struct svcmatch_db *db = calloc(1, sizeof(*db));
	if (!db)
		return -ENOMEM;
	db->mctx = pcre2_match_context_create(NULL);
	if (!db->mctx) {
		free(db);
		return -ENOMEM;
	}
	pcre2_set_match_limit(db->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(db->mctx, DEPTH_LIMIT);
	struct pstate p = {.line = line, .msg = msg, .msglen = msglen};
	int r = 0;
	*line = 0;
	for (const char *s = text; *s && r == 0;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		char buf[1200];
		++*line;
		if (len >= sizeof(buf)) {
			r = fail(&p, "line too long%s", "");
			break;
		}
		memcpy(buf, s, len);
		buf[len] = '\0';
		s = nl ? nl + 1 : s + len; /* before the trim shortens len */
		while (len && isspace((unsigned char)buf[len - 1]))
			buf[--len] = '\0';
		char *k = buf;
		while (*k == ' ' || *k == '\t')
			k++;
		if (!*k || *k == '#')
			continue;
		char *v = k + strcspn(k, " \t");
		if (*v)
			*v++ = '\0';
		while (*v == ' ' || *v == '\t')
			v++;
		r = key_line(db, &p, k, v);
	}
	if (r == 0)
		r = finish(db, &p);
	else
		entry_free(&p.cur);
	if (r < 0) {
		svcmatch_close(db);
		return r;
	}
	*out = db;
	return 0;
}

int svcmatch_open(const char *path, struct svcmatch_db **out, int *line, char *msg, size_t msglen)
{
	FILE *f = fopen(path, "re");
	*line = 0;
	if (!f)
		return -errno;
	char *text = NULL;
	size_t cap = 0;
	ssize_t n = getdelim(&text, &cap, '\0', f);
	fclose(f);
	int r = svcmatch_parse(n < 0 ? "" : text, out, line, msg, msglen);
	free(text);
	return r;
}

/* tmpl with $1..$9 replaced by the captures (printable bytes only). */
static void expand(const char *tmpl, const uint8_t *b, const PCRE2_SIZE *ov, int nov, char *out,
		   size_t cap)
{
	size_t k = 0;
	for (const char *t = tmpl; t && *t && k + 1 < cap; t++) {
		if (t[0] == '$' && t[1] >= '1' && t[1] <= '9') {
			int g = t[1] - '0';
			t++;
			if (g >= nov || ov[2 * g] == PCRE2_UNSET)
				continue;
			char tmp[256];
			svc_copy(tmp, sizeof(tmp), (const char *)b + ov[2 * g],
				 ov[2 * g + 1] - ov[2 * g]);
			for (const char *c = tmp; *c && k + 1 < cap; c++)
				out[k++] = *c;
			continue;
		}
		out[k++] = *t;
	}
	if (cap)
		out[k] = '\0';
}

static void fill(const struct entry *e, const uint8_t *b, const PCRE2_SIZE *ov, int nov,
		 struct svc_match *m)
{
	char *dst[F_NFIELDS] = {m->product,  m->version, m->info,
				m->hostname, m->ostype,	 m->devicetype};
	size_t cap[F_NFIELDS] = {sizeof(m->product),  sizeof(m->version), sizeof(m->info),
				 sizeof(m->hostname), sizeof(m->ostype),  sizeof(m->devicetype)};
	for (int i = 0; i < F_NFIELDS; i++)
		expand(e->field[i], b, ov, nov, dst[i], cap[i]);
	for (unsigned i = 0; i < e->ncpe; i++)
		expand(e->cpe[i], b, ov, nov, m->cpe[m->ncpe++], sizeof(m->cpe[0]));
	snprintf(m->evidence, sizeof(m->evidence), "service-match line %d: %.90s", e->line,
		 e->source);
}

bool svcmatch_names(const struct svcmatch_db *db, const char *probe, const char *service)
{
	for (size_t i = 0; db && i < db->n; i++) {
		const struct entry *e = &db->v[i];
		if ((!strcmp(e->probe, "any") || !strcmp(e->probe, probe)) &&
		    !strcmp(e->service, service))
			return true;
	}
	return false;
}

enum svc_verdict svcmatch_match(const struct svcmatch_db *db, const char *probe, const uint8_t *b,
				size_t n, struct svc_match *m)
{
	if (!db || !n)
		return SVC_NONE;
	enum svc_verdict v = SVC_NONE;
	for (size_t i = 0; i < db->n && v != SVC_HARD; i++) {
		const struct entry *e = &db->v[i];
		if (strcmp(e->probe, "any") && strcmp(e->probe, probe))
			continue;
		if (v == SVC_SOFT && e->soft)
			continue; /* a soft match is known already: look for a hard one */
		pcre2_match_data *md = pcre2_match_data_create_from_pattern(e->re, NULL);
		if (!md)
			return v;
		int rc = pcre2_match(e->re, (PCRE2_SPTR)b, n, 0, 0, md, db->mctx);
		if (rc > 0) {
			svc_match_reset(m, e->service);
			m->conf = 10;
			fill(e, b, pcre2_get_ovector_pointer(md), rc, m);
			v = e->soft ? SVC_SOFT : SVC_HARD;
		}
		pcre2_match_data_free(md);
	}
	return v;
}
