/* SPDX-License-Identifier: Apache-2.0 */
/* One-line JSON reader (see jsonl.h). */
#include "lib/xml/jsonl.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* One block sized from the line (json_parse): a value node takes 48
 * bytes, so a line's tree is at most 40 times its text ("1," is 2 bytes,
 * a node and its 16-byte text 64). */
static void *alloc(struct json_arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (a->len + n > a->cap)
		return NULL;
	void *p = a->mem + a->len;
	a->len += n;
	memset(p, 0, n);
	return p;
}

struct jp {
	struct json_arena *a;
	const char *p;
	int depth;
};

static void ws(struct jp *j)
{
	j->p += strspn(j->p, " \t\r\n");
}

static int hex4(const char *p, uint32_t *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		int d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;
		if (d < 0)
			return -EINVAL;
		*v = *v << 4 | (uint32_t)d;
	}
	return 0;
}

static char *put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xc0 | cp >> 6);
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xe0 | cp >> 12);
		*o++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*o++ = (char)(0xf0 | cp >> 18);
		*o++ = (char)(0x80 | (cp >> 12 & 0x3f));
		*o++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	}
	return o;
}

static int string(struct jp *j, const char **out)
{
	const char *p = j->p + 1; /* past the quote */
	size_t n = 0;
	while (p[n] && p[n] != '"')
		n += p[n] == '\\' && p[n + 1] ? 2 : 1;
	if (p[n] != '"')
		return -EINVAL;
	char *o = alloc(j->a, n + 1), *s = o;
	if (!o)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (p[i] != '\\') {
			*o++ = p[i];
			continue;
		}
		char c = p[++i];
		const char *map = strchr("\"\"\\\\//b\bf\fn\nr\rt\t", c);
		if (c == 'u') {
			uint32_t cp;
			if (i + 4 >= n + 1 || hex4(p + i + 1, &cp) < 0 || !cp)
				return -EINVAL;
			o = put_utf8(o, cp); /* never longer than \uXXXX */
			i += 4;
		} else if (map && (map - "\"\"\\\\//b\bf\fn\nr\rt\t") % 2 == 0) {
			*o++ = map[1];
		} else {
			return -EINVAL;
		}
	}
	*o = '\0';
	*out = s;
	j->p = p + n + 1;
	return 0;
}

static int value(struct jp *j, struct json **out);

static int members(struct jp *j, struct json *v, char close)
{
	struct json **tail = &v->child;
	j->p++;
	ws(j);
	if (*j->p == close) {
		j->p++;
		return 0;
	}
	for (;;) {
		const char *key = NULL;
		ws(j);
		if (close == '}') {
			if (*j->p != '"' || string(j, &key) < 0)
				return -EINVAL;
			ws(j);
			if (*j->p++ != ':')
				return -EINVAL;
		}
		struct json *c;
		int rc = value(j, &c);
		if (rc < 0)
			return rc;
		c->key = key;
		*tail = c;
		tail = &c->next;
		ws(j);
		if (*j->p == ',') {
			j->p++;
			continue;
		}
		if (*j->p++ != close)
			return -EINVAL;
		return 0;
	}
}

static int value(struct jp *j, struct json **out)
{
	ws(j);
	struct json *v = alloc(j->a, sizeof(*v));
	if (!v)
		return -ENOMEM;
	*out = v;
	char c = *j->p;
	if (c == '{' || c == '[') {
		if (++j->depth > 32)
			return -EINVAL;
		v->type = c == '{' ? JS_OBJ : JS_ARR;
		int rc = members(j, v, c == '{' ? '}' : ']');
		j->depth--;
		return rc;
	}
	if (c == '"') {
		v->type = JS_STR;
		return string(j, &v->s);
	}
	static const char *const words[] = {"null", "true", "false"};
	for (int i = 0; i < 3; i++)
		if (!strncmp(j->p, words[i], strlen(words[i]))) {
			v->type = i ? JS_BOOL : JS_NULL;
			v->s = words[i];
			j->p += strlen(words[i]);
			return 0;
		}
	size_t n = strspn(j->p, "-+.0123456789eE");
	if (!n)
		return -EINVAL;
	char *s = alloc(j->a, n + 1);
	if (!s)
		return -ENOMEM;
	memcpy(s, j->p, n);
	v->type = JS_NUM;
	v->s = s;
	j->p += n;
	return 0;
}

int json_parse(struct json_arena *a, const char *text, struct json **out)
{
	size_t need = strlen(text) * 40 + 4096;
	if (a->cap < need) {
		free(a->mem);
		a->mem = malloc(need);
		a->cap = a->mem ? need : 0;
		if (!a->mem)
			return -ENOMEM;
	}
	a->len = 0;
	struct jp j = {.a = a, .p = text};
	int rc = value(&j, out);
	if (rc < 0)
		return rc;
	ws(&j);
	return *j.p ? -EINVAL : 0;
}

const struct json *json_get(const struct json *obj, const char *key)
{
	if (!obj || obj->type != JS_OBJ)
		return NULL;
	for (const struct json *c = obj->child; c; c = c->next)
		if (c->key && !strcmp(c->key, key))
			return c;
	return NULL;
}

const char *json_str(const struct json *obj, const char *key)
{
	const struct json *v = json_get(obj, key);
	return v && (v->type == JS_STR || v->type == JS_NUM) ? v->s : NULL;
}

void json_arena_reset(struct json_arena *a)
{
	a->len = 0;
}

void json_arena_free(struct json_arena *a)
{
	free(a->mem);
	a->mem = NULL;
	a->cap = a->len = 0;
}
