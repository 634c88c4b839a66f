/* SPDX-License-Identifier: Apache-2.0 */
/* XML into a growing buffer (see xbuf.h). */
#include "lib/xml/xbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool grow(struct xbuf *b, size_t n)
{
	if (b->oom)
		return false;
	if (b->n + n + 1 <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->n + n + 1)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void xbuf_put(struct xbuf *b, const char *s, size_t n)
{
	if (!grow(b, n))
		return;
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void xbuf_escape(struct xbuf *b, const char *s, size_t n, bool attr)
{
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		while (j < n && (!s[j] || !strchr(attr ? "&<>\"'\t\n\r" : "&<>", s[j])))
			j++;
		xbuf_put(b, s + i, j - i);
		if (j == n)
			break;
		const char *r;
		switch (s[j]) {
		case '&': r = "&amp;"; break;
		case '<': r = "&lt;"; break;
		case '>': r = "&gt;"; break;
		case '"': r = "&quot;"; break;
		case '\'': r = "&apos;"; break;
		case '\t': r = "&#x9;"; break;
		case '\n': r = "&#xa;"; break;
		default: r = "&#xd;"; break;
		}
		xbuf_put(b, r, strlen(r));
		i = j + 1;
	}
}

void xbuf_tok(struct xbuf *b, const struct xml_tok *t)
{
	xbuf_put(b, t->type == XT_END ? "</" : "<", t->type == XT_END ? 2 : 1);
	xbuf_put(b, t->name, strlen(t->name));
	for (size_t i = 0; t->type == XT_START && i < t->nattr; i++) {
		xbuf_put(b, " ", 1);
		xbuf_put(b, t->attr[i][0], strlen(t->attr[i][0]));
		xbuf_put(b, "=\"", 2);
		xbuf_escape(b, t->attr[i][1], strlen(t->attr[i][1]), true);
		xbuf_put(b, "\"", 1);
	}
	xbuf_put(b, t->type == XT_START && t->empty ? "/>" : ">",
		 t->type == XT_START && t->empty ? 2 : 1);
}

void xbuf_json_str(struct xbuf *b, const char *s)
{
	xbuf_put(b, "\"", 1);
	for (;;) {
		size_t j = 0;
		while (s[j] && s[j] != '"' && s[j] != '\\' && (unsigned char)s[j] >= 0x20)
			j++;
		xbuf_put(b, s, j);
		if (!s[j])
			break;
		char esc[8];
		switch (s[j]) {
		case '"': xbuf_put(b, "\\\"", 2); break;
		case '\\': xbuf_put(b, "\\\\", 2); break;
		case '\n': xbuf_put(b, "\\n", 2); break;
		case '\t': xbuf_put(b, "\\t", 2); break;
		case '\r': xbuf_put(b, "\\r", 2); break;
		default:
			snprintf(esc, sizeof(esc), "\\u%04x", (unsigned char)s[j]);
			xbuf_put(b, esc, 6);
		}
		s += j + 1;
	}
	xbuf_put(b, "\"", 1);
}

void xbuf_json(struct xbuf *b, const struct json *v, const char *skip, size_t *at)
{
	if (at)
		*at = SIZE_MAX;
	if (v->type != JS_ARR && v->type != JS_OBJ) {
		if (v->type == JS_STR)
			xbuf_json_str(b, v->s);
		else
			xbuf_put(b, v->s ? v->s : "null", strlen(v->s ? v->s : "null"));
		return;
	}
	bool obj = v->type == JS_OBJ, first = true;
	xbuf_put(b, obj ? "{" : "[", 1);
	for (const struct json *c = v->child; c; c = c->next) {
		if (obj && skip && !strcmp(c->key, skip)) {
			if (at)
				*at = b->n;
			continue;
		}
		if (!first)
			xbuf_put(b, ",", 1);
		first = false;
		if (obj) {
			xbuf_json_str(b, c->key);
			xbuf_put(b, ":", 1);
		}
		xbuf_json(b, c, NULL, NULL);
	}
	xbuf_put(b, obj ? "}" : "]", 1);
}

void xbuf_free(struct xbuf *b)
{
	free(b->p);
	*b = (struct xbuf){0};
}
