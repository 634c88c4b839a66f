/* SPDX-License-Identifier: Apache-2.0 */
/* Text, JSON and XML output through one buffered, typed path (see emit.h). */
#include "lib/emit/emit.h"
#include "lib/util/fmt.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void emit_init(struct emit *e, int fd, enum emit_format fmt, unsigned flags)
{
	memset(e, 0, offsetof(struct emit, buf));
	e->fd = fd;
	e->fmt = fmt;
	e->pretty = flags & EMIT_PRETTY;
	e->indent_arrays = e->pretty && (flags & EMIT_INDENT_ARRAYS);
}

int emit_flush(struct emit *e)
{
	size_t off = 0;
	while (off < e->len) {
		ssize_t n = write(e->fd, e->buf + off, e->len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (!e->err)
				e->err = -errno;
			break;
		}
		off += (size_t)n;
	}
	e->len = 0;
	return e->err;
}

static void put(struct emit *e, const char *s, size_t n)
{
	if (e->len + n > sizeof(e->buf)) {
		emit_flush(e);
		if (n > sizeof(e->buf)) {
			size_t len = e->len;
			e->len = n;
			/* too big for the buffer: write it straight through */
			const char *save = s;
			while (n) {
				ssize_t w = write(e->fd, save, n);
				if (w < 0) {
					if (errno == EINTR)
						continue;
					if (!e->err)
						e->err = -errno;
					break;
				}
				save += w;
				n -= (size_t)w;
			}
			e->len = len;
			return;
		}
	}
	memcpy(e->buf + e->len, s, n);
	e->len += n;
}

static void putch(struct emit *e, char c)
{
	if (e->len == sizeof(e->buf))
		emit_flush(e);
	e->buf[e->len++] = c;
}

static void puts_(struct emit *e, const char *s)
{
	put(e, s, strlen(s));
}

static void vputf(struct emit *e, const char *fmt, va_list ap)
{
	size_t room = sizeof(e->buf) - e->len;
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(e->buf + e->len, room, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	if ((size_t)n < room) {
		e->len += (size_t)n;
		return;
	}
	emit_flush(e);
	room = sizeof(e->buf);
	if ((size_t)n < room) {
		vsnprintf(e->buf, room, fmt, ap);
		e->len = (size_t)n;
		return;
	}
	char *tmp = malloc((size_t)n + 1);
	if (!tmp) {
		e->err = e->err ? e->err : -ENOMEM;
		return;
	}
	vsnprintf(tmp, (size_t)n + 1, fmt, ap);
	put(e, tmp, (size_t)n);
	free(tmp);
}

/* The hot text formats are one conversion between literals ("dev %s ",
 * "metric %u "). Those are copied straight into the buffer in one pass
 * instead of going through vsnprintf; anything fancier (widths, flags,
 * two conversions, "%%") makes the fast path give up, and since it only
 * commits e->len at the end, the slow path then starts from scratch.
 * kind: 's' for sval, 'n' for ival as printf would print it through the
 * conversion found (wide: the value is 64-bit, so "%u"/"%d" give up). */
static bool fast_fmt(struct emit *e, const char *fmt, char kind, const char *sval, uint64_t ival,
		     bool wide)
{
	if (sizeof(e->buf) - e->len < 256)
		emit_flush(e);
	char *p = e->buf + e->len;
	char *end = e->buf + sizeof(e->buf) - FMT_U64_LEN - 1;
	bool done = kind == 0;
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			if (p >= end)
				return false;
			*p++ = *f;
			continue;
		}
		if (done)
			return false;
		done = true;
		if (kind == 's') {
			if (f[1] != 's')
				return false;
			f++;
			for (const char *v = sval; *v; v++) {
				if (p >= end)
					return false;
				*p++ = *v;
			}
			continue;
		}
		int l = 0;
		while (f[1 + l] == 'l' && l < 2)
			l++;
		char c = f[1 + l];
		if ((c != 'u' && c != 'd' && c != 'i') || (wide && !l))
			return false;
		f += 1 + l;
		uint64_t v = ival;
		if (!wide)
			v = c == 'u' ? (uint32_t)v : (uint64_t)(int64_t)(int32_t)v;
		p += c == 'u' ? fmt_u64(p, v) : fmt_s64(p, (int64_t)v);
	}
	if (!done)
		return false;
	e->len = (size_t)(p - e->buf);
	return true;
}

static bool fast_str(struct emit *e, const char *fmt, const char *val)
{
	return fast_fmt(e, fmt, 's', val, 0, false);
}

static bool fast_num(struct emit *e, const char *fmt, uint64_t val, bool wide)
{
	return fast_fmt(e, fmt, 'n', NULL, val, wide);
}

static void putf(struct emit *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vputf(e, fmt, ap);
	va_end(ap);
}

void emit_text(struct emit *e, const char *fmt, ...)
{
	if (e->fmt != EMIT_TEXT)
		return;
	if (fast_fmt(e, fmt, 0, NULL, 0, false))
		return; /* no conversion at all */
	va_list ap;
	va_start(ap, fmt);
	vputf(e, fmt, ap);
	va_end(ap);
}

void emit_raw(struct emit *e, const char *s, size_t len)
{
	put(e, s, len);
}

void emit_rawf(struct emit *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vputf(e, fmt, ap);
	va_end(ap);
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	unsigned min;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	unsigned cp = c & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

void emit_json_escape(struct emit *e, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		/* copy the plain run in one go */
		size_t j = i;
		while (j < n && s[j] >= 0x20 && s[j] < 0x80 && s[j] != '"' && s[j] != '\\')
			j++;
		if (j > i) {
			put(e, (const char *)s + i, j - i);
			i = j;
			if (i == n)
				break;
		}
		unsigned char c = s[i];
		const char *esc = NULL;
		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		default: break;
		}
		if (esc) {
			puts_(e, esc);
			i++;
			continue;
		}
		if (c < 0x20) {
			putf(e, "\\u%04x", c);
			i++;
			continue;
		}
		size_t len = utf8_seq(s + i, n - i);
		if (!len) {
			putf(e, "\\u%04x", c); /* invalid byte: keep it, as U+00XX */
			i++;
			continue;
		}
		put(e, (const char *)s + i, len);
		i += len;
	}
}

void emit_xml_escape(struct emit *e, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		switch (c) {
		case '&': puts_(e, "&amp;"); break;
		case '<': puts_(e, "&lt;"); break;
		case '>': puts_(e, "&gt;"); break;
		case '"': puts_(e, "&quot;"); break;
		case '\'': puts_(e, "&apos;"); break;
		case '-': /* nmap's: "--" may not be in a comment, so never is */
			if (i > 0 && s[i - 1] == '-')
				puts_(e, "&#45;");
			else
				putch(e, '-');
			break;
		default:
			if (c < 0x20 || c >= 0x7f)
				putf(e, c == '\t' || c == '\n' || c == '\r' ? "&#%u;" : "\\x%02X",
				     c);
			else
				putch(e, (char)c);
		}
	}
}

/* ---- JSON structure, after iproute2's json_writer ---- */

static void json_indent_eol(struct emit *e)
{
	if (!e->pretty)
		return;
	putch(e, '\n');
	for (unsigned i = 0; i < e->depth; i++)
		puts_(e, "    ");
}

static void json_eor(struct emit *e)
{
	if (e->sep)
		putch(e, e->sep);
	e->sep = ',';
}

static bool in_object(const struct emit *e)
{
	return e->depth > 0 && e->kind[e->depth - 1] == '{';
}

/* Before an array element (or a root value). */
static void json_elem_sep(struct emit *e)
{
	json_eor(e);
	if (e->indent_arrays && e->depth)
		json_indent_eol(e);
}

static void json_name(struct emit *e, const char *key)
{
	if (!in_object(e)) {
		json_elem_sep(e);
		return;
	}
	json_eor(e);
	json_indent_eol(e);
	e->sep = '\0';
	putch(e, '"');
	emit_json_escape(e, key ? key : "", key ? strlen(key) : 0);
	puts_(e, e->pretty ? "\": " : "\":");
	e->sep = ',';
}

static bool push(struct emit *e, char kind, const char *name)
{
	if (e->depth >= EMIT_MAX_DEPTH) {
		if (!e->err)
			e->err = -E2BIG;
		return false;
	}
	e->kind[e->depth] = kind;
	e->name[e->depth] = name;
	e->depth++;
	return true;
}

static void json_open(struct emit *e, const char *key, char kind)
{
	if (e->depth >= EMIT_MAX_DEPTH) {
		push(e, kind, key); /* records the error, writes nothing */
		return;
	}
	if (in_object(e)) {
		json_name(e, key);
		e->sep = '\0';
	} else {
		json_elem_sep(e);
	}
	push(e, kind, key);
	putch(e, kind);
	e->sep = '\0';
	if (kind == '[' && e->pretty && !e->indent_arrays)
		putch(e, ' ');
}

static void json_close(struct emit *e, char kind)
{
	if (!e->depth || e->kind[e->depth - 1] != kind)
		return;
	if (kind == '[' && !e->indent_arrays) {
		if (e->pretty && e->sep)
			putch(e, ' ');
		e->sep = '\0';
	}
	e->depth--;
	if (e->sep)
		json_indent_eol(e);
	putch(e, kind == '{' ? '}' : ']');
	e->sep = ',';
}

/* ---- XML structure ---- */

static void xml_close_start_tag(struct emit *e)
{
	if (e->tag_open) {
		putch(e, '>');
		e->tag_open = false;
	}
}

static void xml_open(struct emit *e, const char *key, char kind)
{
	const char *name = key;
	if (!name && e->depth && e->kind[e->depth - 1] == '[')
		name = e->name[e->depth - 1];
	if (kind == '[') {
		push(e, '[', name);
		return;
	}
	xml_close_start_tag(e);
	if (!push(e, '{', name ? name : "item"))
		return;
	if (e->pretty && e->len && e->buf[e->len - 1] == '>')
		putch(e, '\n');
	putch(e, '<');
	puts_(e, e->name[e->depth - 1]);
	e->tag_open = true;
}

static void xml_close(struct emit *e, char kind)
{
	if (!e->depth || e->kind[e->depth - 1] != kind)
		return;
	e->depth--;
	if (kind == '[')
		return;
	if (e->tag_open) {
		puts_(e, "/>");
		e->tag_open = false;
	} else {
		puts_(e, "</");
		puts_(e, e->name[e->depth]);
		putch(e, '>');
	}
	if (e->pretty)
		putch(e, '\n');
}

void emit_xml_text_elem(struct emit *e, const char *name, const char *text)
{
	if (e->fmt != EMIT_XML)
		return;
	xml_close_start_tag(e);
	putch(e, '<');
	puts_(e, name);
	putch(e, '>');
	emit_xml_escape(e, text, strlen(text));
	puts_(e, "</");
	puts_(e, name);
	putch(e, '>');
}

void emit_xml_raw_child(struct emit *e, const char *s, size_t len)
{
	if (e->fmt != EMIT_XML)
		return;
	xml_close_start_tag(e);
	put(e, s, len);
}

void emit_json_raw(struct emit *e, const char *key, const char *s, size_t len)
{
	if (e->fmt != EMIT_JSON)
		return;
	json_name(e, key);
	put(e, s, len);
}

void emit_obj_open(struct emit *e, const char *key)
{
	if (e->fmt == EMIT_JSON)
		json_open(e, key, '{');
	else if (e->fmt == EMIT_XML)
		xml_open(e, key, '{');
}

void emit_obj_close(struct emit *e)
{
	if (e->fmt == EMIT_JSON)
		json_close(e, '{');
	else if (e->fmt == EMIT_XML)
		xml_close(e, '{');
}

void emit_arr_open(struct emit *e, const char *key)
{
	if (e->fmt == EMIT_JSON)
		json_open(e, key, '[');
	else if (e->fmt == EMIT_XML)
		xml_open(e, key, '[');
}

void emit_arr_close(struct emit *e)
{
	if (e->fmt == EMIT_JSON)
		json_close(e, '[');
	else if (e->fmt == EMIT_XML)
		xml_close(e, '[');
}

/* Write one scalar. lit is the JSON literal (already formatted) or, for
 * strings, NULL with the raw string in s. */
static void scalar(struct emit *e, const char *key, const char *lit, const char *s)
{
	if (e->fmt == EMIT_JSON) {
		json_name(e, key);
		if (lit) {
			puts_(e, lit);
		} else {
			putch(e, '"');
			emit_json_escape(e, s, strlen(s));
			putch(e, '"');
		}
		return;
	}
	/* XML: an attribute of the open element; late ones are dropped since
	 * an attribute cannot follow a child element. */
	if (!e->tag_open || !key)
		return;
	putch(e, ' ');
	puts_(e, key);
	puts_(e, "=\"");
	const char *v = lit ? lit : s;
	emit_xml_escape(e, v, strlen(v));
	putch(e, '"');
}

void emit_str(struct emit *e, const char *key, const char *fmt, const char *val)
{
	if (!val)
		val = "";
	if (e->fmt == EMIT_TEXT) {
		if (fmt && !fast_str(e, fmt, val))
			putf(e, fmt, val);
		return;
	}
	scalar(e, key, NULL, val);
}

void emit_u64(struct emit *e, const char *key, const char *fmt, uint64_t val)
{
	if (e->fmt == EMIT_TEXT) {
		if (fmt && !fast_num(e, fmt, val, true))
			putf(e, fmt, val);
		return;
	}
	char b[32];
	fmt_u64(b, val);
	scalar(e, key, b, NULL);
}

void emit_s64(struct emit *e, const char *key, const char *fmt, int64_t val)
{
	if (e->fmt == EMIT_TEXT) {
		if (fmt && !fast_num(e, fmt, (uint64_t)val, true))
			putf(e, fmt, val);
		return;
	}
	char b[32];
	fmt_s64(b, val);
	scalar(e, key, b, NULL);
}

void emit_uint(struct emit *e, const char *key, const char *fmt, unsigned val)
{
	if (e->fmt == EMIT_TEXT) {
		if (fmt && !fast_num(e, fmt, val, false))
			putf(e, fmt, val);
		return;
	}
	emit_u64(e, key, NULL, val);
}

void emit_int(struct emit *e, const char *key, const char *fmt, int val)
{
	if (e->fmt == EMIT_TEXT) {
		if (fmt && !fast_num(e, fmt, (uint64_t)(int64_t)val, false))
			putf(e, fmt, val);
		return;
	}
	emit_s64(e, key, NULL, val);
}

void emit_bool(struct emit *e, const char *key, const char *fmt, bool val)
{
	if (e->fmt == EMIT_TEXT) {
		if (fmt)
			putf(e, fmt, val ? "true" : "false");
		return;
	}
	scalar(e, key, val ? "true" : "false", NULL);
}

void emit_null(struct emit *e, const char *key, const char *fmt)
{
	if (e->fmt == EMIT_TEXT) {
		if (fmt)
			putf(e, fmt, "");
		return;
	}
	scalar(e, key, e->fmt == EMIT_JSON ? "null" : "", NULL);
}

void emit_double(struct emit *e, const char *key, const char *fmt, const char *jsonfmt, double val)
{
	if (e->fmt == EMIT_TEXT) {
		if (fmt)
			putf(e, fmt, val);
		return;
	}
	if (!isfinite(val)) {
		emit_null(e, key, NULL);
		return;
	}
	char b[64];
	snprintf(b, sizeof(b), jsonfmt ? jsonfmt : "%.15g", val);
	scalar(e, key, b, NULL);
}

void emit_real(struct emit *e, const char *key, const char *fmt, int prec, double val)
{
	if (e->fmt == EMIT_TEXT || !isfinite(val)) {
		emit_double(e, key, fmt, NULL, val);
		return;
	}
	/* out is NUL-terminated at n below; zeroed too, as clang's analyzer
	 * does not follow strpbrk/strcat through it */
	char b[64], out[64] = "";
	snprintf(b, sizeof(b), "%.*g", prec, val);
	size_t n = 0;
	for (const char *p = b; *p && n < sizeof(out) - 3; p++) {
		out[n++] = *p;
		if (*p != 'e')
			continue;
		if (p[1] == '-')
			out[n++] = *++p;
		else if (p[1] == '+') /* dropped */
			p++;
		while (p[1] == '0' && p[2]) /* "e-05" -> "e-5" */
			p++;
	}
	out[n] = 0;
	if (!strpbrk(out, ".e"))
		strcat(out, ".0");
	scalar(e, key, out, NULL);
}

void emit_record_end(struct emit *e)
{
	if (e->fmt != EMIT_JSON || e->depth)
		return;
	putch(e, '\n');
	e->sep = '\0';
}

int emit_finish(struct emit *e)
{
	if (e->fmt == EMIT_JSON) {
		bool any = e->depth > 0 || e->sep;
		while (e->depth)
			json_close(e, e->kind[e->depth - 1]);
		if (any)
			putch(e, '\n');
	} else if (e->fmt == EMIT_XML) {
		while (e->depth)
			xml_close(e, e->kind[e->depth - 1]);
	}
	e->sep = '\0';
	return emit_flush(e);
}
