/* SPDX-License-Identifier: Apache-2.0 */
/* Streaming tag reader for nmap's XML (see xmltok.h). */
#include "lib/xml/xmltok.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int put(struct xml_reader *r, size_t *n, int c)
{
	if (*n + 1 >= r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 4096;
		char *b = realloc(r->buf, cap);
		if (!b)
			return -ENOMEM;
		r->buf = b;
		r->cap = cap;
	}
	r->buf[(*n)++] = (char)c;
	return 0;
}

/* Skip to the end of a string such as "-->" or "?>". */
static void skip_past(FILE *f, const char *end)
{
	size_t m = 0, len = strlen(end);
	int c;
	while (m < len && (c = getc_unlocked(f)) != EOF)
		m = c == end[m] ? m + 1 : (c == end[0] ? 1 : 0);
}

static void utf8(char **o, uint32_t cp)
{
	char *p = *o;
	if (cp < 0x80) {
		*p++ = (char)cp;
	} else if (cp < 0x800) {
		*p++ = (char)(0xc0 | cp >> 6);
		*p++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*p++ = (char)(0xe0 | cp >> 12);
		*p++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*p++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*p++ = (char)(0xf0 | cp >> 18);
		*p++ = (char)(0x80 | (cp >> 12 & 0x3f));
		*p++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*p++ = (char)(0x80 | (cp & 0x3f));
	}
	*o = p;
}

int xml_decode(char *s)
{
	static const struct {
		const char *name;
		char c;
	} ents[] = {{"amp;", '&'}, {"lt;", '<'}, {"gt;", '>'}, {"quot;", '"'}, {"apos;", '\''}};
	char *o = s;
	for (char *p = s; *p;) {
		if (*p != '&') {
			*o++ = *p++;
			continue;
		}
		p++;
		size_t i;
		for (i = 0; i < sizeof(ents) / sizeof(ents[0]); i++)
			if (!strncmp(p, ents[i].name, strlen(ents[i].name)))
				break;
		if (i < sizeof(ents) / sizeof(ents[0])) {
			*o++ = ents[i].c;
			p += strlen(ents[i].name);
			continue;
		}
		if (*p != '#')
			return -EINVAL;
		char *e;
		unsigned long cp = p[1] == 'x' ? strtoul(p + 2, &e, 16) : strtoul(p + 1, &e, 10);
		if (*e != ';' || e == p + 1 || cp > 0x10ffff || cp == 0)
			return -EINVAL;
		utf8(&o, (uint32_t)cp); /* never longer than the reference */
		p = e + 1;
	}
	*o = '\0';
	return 0;
}

static inline bool space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Split the tag text (without < >) into name and attributes. Plain loops:
 * the strings are short, and a file has millions of them. */
static int split(char *s, struct xml_tok *t)
{
	t->nattr = 0;
	t->name = s;
	while (*s && !space(*s))
		s++;
	while (*s) {
		*s++ = '\0';
		while (space(*s))
			s++;
		if (!*s)
			break;
		char *name = s;
		while (*s && *s != '=' && !space(*s))
			s++;
		char *ne = s;
		while (space(*s))
			s++;
		if (*s != '=' || t->nattr == XML_MAX_ATTRS)
			return -EINVAL;
		*ne = '\0';
		s++;
		while (space(*s))
			s++;
		char q = *s;
		if (q != '"' && q != '\'')
			return -EINVAL;
		char *v = ++s;
		bool amp = false;
		while (*s && *s != q)
			amp |= *s++ == '&';
		if (!*s)
			return -EINVAL;
		*s = '\0';
		if (amp && xml_decode(v) < 0)
			return -EINVAL;
		t->attr[t->nattr][0] = name;
		t->attr[t->nattr++][1] = v;
		s++;
		if (*s && !space(*s))
			return -EINVAL;
	}
	return 0;
}

/* The text up to the next '<' into r->text (keep_text); c: the '<' or
 * EOF. */
static int read_text(struct xml_reader *r, int *c)
{
	while ((*c = getc_unlocked(r->f)) != EOF && *c != '<') {
		if (r->tlen + 1 >= r->tcap) {
			size_t cap = r->tcap ? r->tcap * 2 : 256;
			char *b = realloc(r->text, cap);
			if (!b)
				return -ENOMEM;
			r->text = b;
			r->tcap = cap;
		}
		r->text[r->tlen++] = (char)*c;
	}
	if (!r->text)
		return 0;
	r->text[r->tlen] = '\0';
	if (memchr(r->text, '&', r->tlen)) {
		if (xml_decode(r->text) < 0)
			return -EINVAL;
		r->tlen = strlen(r->text);
	}
	return 0;
}

int xml_next(struct xml_reader *r, struct xml_tok *t)
{
	FILE *f = r->f;
	int c;
	r->tlen = 0;
	for (;;) {
		if (r->keep_text) {
			int e = read_text(r, &c);
			if (e < 0)
				return e;
		} else {
			while ((c = getc_unlocked(f)) != EOF && c != '<')
				;
		}
		if (c == EOF) {
			t->type = XT_EOF;
			return 0;
		}
		c = getc_unlocked(f);
		if (c == '?') {
			skip_past(f, "?>");
			continue;
		}
		if (c == '!') {
			int d = getc_unlocked(f);
			skip_past(f, d == '-' ? "-->" : ">");
			continue;
		}
		break;
	}
	size_t n = 0;
	char q = 0;
	for (; c != EOF; c = getc_unlocked(f)) {
		if (!q && c == '>')
			break;
		if (q && c == q)
			q = 0;
		else if (!q && (c == '"' || c == '\''))
			q = (char)c;
		if (n + 1 < r->cap)
			r->buf[n++] = (char)c; /* the common case, without a call */
		else if (put(r, &n, c) < 0)
			return -ENOMEM;
	}
	if (c == EOF || put(r, &n, 0) < 0)
		return c == EOF ? -EINVAL : -ENOMEM;
	char *s = r->buf;
	t->empty = n >= 2 && s[n - 2] == '/';
	if (t->empty)
		s[n - 2] = '\0';
	t->type = *s == '/' ? XT_END : XT_START;
	if (t->type == XT_END) {
		t->name = s + 1;
		t->nattr = 0;
		return 0;
	}
	return split(s, t);
}

const char *xml_attr(const struct xml_tok *t, const char *name)
{
	for (size_t i = 0; i < t->nattr; i++)
		if (!strcmp(t->attr[i][0], name))
			return t->attr[i][1];
	return NULL;
}

void xml_reader_free(struct xml_reader *r)
{
	free(r->text);
	free(r->buf);
	r->buf = NULL;
	r->cap = 0;
}
