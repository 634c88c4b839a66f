/* SPDX-License-Identifier: Apache-2.0 */
/* iproute2-compatible column buffering and rendering (see table.h). */
#include "cmd/ss/table.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* iproute2 stores tokens in chunks of 1 MiB minus its 16-byte chunk
 * header and renders once this many chunks are allocated. */
#define CHUNK_DATA (1024L * 1024 - 16)
#define CHUNKS_MAX 5

enum { AL_LEFT, AL_CENTER, AL_RIGHT };

static const struct ss_column default_cols[COL_MAX] = {
	{AL_LEFT, "Netid", "", false, 0, 0},
	{AL_LEFT, "State", " ", false, 0, 0},
	{AL_LEFT, "Recv-Q", " ", false, 0, 0},
	{AL_LEFT, "Send-Q", " ", false, 0, 0},
	{AL_RIGHT, "Local Address:", " ", false, 0, 0},
	{AL_LEFT, "Port", "", false, 0, 0},
	{AL_RIGHT, "Peer Address:", " ", false, 0, 0},
	{AL_LEFT, "Port", "", false, 0, 0},
	{AL_LEFT, "Process", "", false, 0, 0},
	{AL_LEFT, "", "", false, 0, 0},
};

void tbl_init(struct ss_table *t, struct emit *out, int screen_width)
{
	memset(t, 0, sizeof(*t));
	memcpy(t->cols, default_cols, sizeof(default_cols));
	t->out = out;
	t->screen_width = screen_width;
}

void tbl_free(struct ss_table *t)
{
	free(t->buf);
	t->buf = NULL;
	t->len = t->cap = 0;
}

static bool reserve(struct ss_table *t, size_t n)
{
	if (t->len + n <= t->cap)
		return true;
	size_t cap = t->cap ? t->cap : 256 * 1024;
	while (cap < t->len + n)
		cap *= 2;
	char *b = realloc(t->buf, cap);
	if (!b) {
		t->err = -1;
		return false;
	}
	t->buf = b;
	t->cap = cap;
	return true;
}

static uint16_t tok_len(const struct ss_table *t)
{
	uint16_t l;
	memcpy(&l, t->buf + t->tok, 2);
	return l;
}

static void set_tok_len(struct ss_table *t, uint16_t l)
{
	memcpy(t->buf + t->tok, &l, 2);
}

static void new_token(struct ss_table *t)
{
	if (!reserve(t, 2))
		return;
	t->tok = t->len;
	t->len += 2;
	set_tok_len(t, 0);
}

static void sim_new_chunk(struct ss_table *t)
{
	t->chunks++;
	t->sim_tok = 0;
	t->sim_end = 2;
}

static void start(struct ss_table *t)
{
	if (t->started)
		return;
	t->started = true;
	t->len = 0;
	sim_new_chunk(t);
	new_token(t);
}

void tbl_put(struct ss_table *t, const char *s, size_t n)
{
	if (t->cols[t->cur].disabled)
		return;
	start(t);
	for (;;) {
		long avail = CHUNK_DATA - t->sim_end;
		if ((long)n < avail || t->sim_tok == 0) {
			size_t add = (long)n < avail ? n : (size_t)avail;
			uint16_t l = tok_len(t);
			if (add > (size_t)(USHRT_MAX - l))
				add = USHRT_MAX - l;
			if (!reserve(t, add))
				return;
			memcpy(t->buf + t->len, s, add);
			t->len += add;
			set_tok_len(t, (uint16_t)(l + add));
			t->sim_end += (long)add;
			return;
		}
		/* iproute2 moves the token to a fresh chunk and prints again */
		uint16_t l = tok_len(t);
		sim_new_chunk(t);
		t->sim_end = 2 + l;
	}
}

void tbl_vprintf(struct ss_table *t, const char *fmt, va_list ap)
{
	char small[512];
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(small, sizeof(small), fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		tbl_put(t, small, (size_t)n);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (!big)
		return;
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	tbl_put(t, big, (size_t)n);
	free(big);
}

static void flush_field(struct ss_table *t)
{
	struct ss_column *c = &t->cols[t->cur];
	if (c->disabled)
		return;
	start(t);
	uint16_t l = tok_len(t);
	if (l > c->max_len)
		c->max_len = l;
	long pad = l % 2;
	long avail = CHUNK_DATA - t->sim_end;
	if (avail - pad < 2) {
		sim_new_chunk(t);
	} else {
		t->sim_tok = t->sim_tok + 2 + ((l + 1) & ~1);
		t->sim_end = t->sim_tok + 2;
	}
	new_token(t);
}

void tbl_next(struct ss_table *t)
{
	bool last = t->cur == COL_MAX - 1;
	if (last && t->chunks >= CHUNKS_MAX) {
		tbl_render(t);
		return;
	}
	flush_field(t);
	t->cur = last ? 0 : t->cur + 1;
}

void tbl_set(struct ss_table *t, enum ss_col col)
{
	while (t->cur != (int)col)
		tbl_next(t);
}

void tbl_header(struct ss_table *t)
{
	while (t->cur != COL_MAX - 1) {
		if (!t->cols[t->cur].disabled)
			tbl_put(t, t->cols[t->cur].header, strlen(t->cols[t->cur].header));
		tbl_next(t);
	}
}

/* Widths: every column as wide as its widest field; on a terminal, the
 * columns are then spread over the screen, wrapping when too wide. */
static void calc_widths(struct ss_table *t)
{
	int screen = t->screen_width;
	bool compact = screen < 0;
	if (compact)
		screen = INT_MAX;
	bool first = true;
	for (int i = 0; i < COL_MAX; i++) {
		struct ss_column *c = &t->cols[i];
		if (c->disabled)
			continue;
		if (!first && c->max_len)
			c->width = c->max_len + (int)strlen(c->ldelim);
		else
			c->width = c->max_len;
		if (c->width > screen)
			c->width = screen;
		if (c->width)
			first = false;
	}
	if (compact)
		return;
	int len = 0, linecols = 0, eol = -1;
	for (int i = 0; i < COL_MAX; i++) {
		struct ss_column *c = &t->cols[i];
		if (!c->width)
			continue;
		linecols++;
		len += c->width;
		bool last = true;
		for (int j = i + 1; j < COL_MAX; j++) {
			if (t->cols[j].width) {
				last = false;
				break;
			}
		}
		if (!last && len < screen)
			continue;
		if (len != screen) {
			if (len > screen) {
				len -= c->width;
				i--;
				linecols--;
			}
			int pad = screen - len;
			int spacing = linecols ? pad / linecols : 0;
			int rem = linecols ? pad % linecols : 0;
			for (int j = i; j > eol; j--) {
				if (!t->cols[j].width)
					continue;
				t->cols[j].width += spacing;
				if (rem) {
					t->cols[j].width++;
					rem--;
				}
			}
		}
		eol = i;
		len = 0;
		linecols = 0;
	}
}

/* Output is assembled a line at a time, then handed to the emitter. */
struct line {
	struct ss_table *t;
	size_t len;
	char buf[8192];
};

static void line_flush(struct line *l)
{
	emit_raw(l->t->out, l->buf, l->len);
	l->len = 0;
}

static void line_put(struct line *l, const char *s, size_t n)
{
	if (l->len + n > sizeof(l->buf)) {
		line_flush(l);
		if (n > sizeof(l->buf)) {
			emit_raw(l->t->out, s, n);
			return;
		}
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

static void line_spaces(struct line *l, int n)
{
	while (n > 0) {
		int k = n > 256 ? 256 : n;
		if (l->len + (size_t)k > sizeof(l->buf))
			line_flush(l);
		memset(l->buf + l->len, ' ', (size_t)k);
		l->len += (size_t)k;
		n -= k;
	}
}

void tbl_render(struct ss_table *t)
{
	if (!t->started)
		return;
	calc_widths(t);
	int dlen[COL_MAX];
	for (int i = 0; i < COL_MAX; i++)
		dlen[i] = (int)strlen(t->cols[i].ldelim);
	int f = 0;
	while (f < COL_MAX && !t->cols[f].width)
		f++;
	if (f == COL_MAX)
		f = 0;
	struct line *ln = malloc(sizeof(*ln));
	if (!ln)
		return;
	ln->t = t;
	ln->len = 0;
	bool line_started = false;
	size_t off = 0;
	while (off + 2 <= t->len) {
		uint16_t l;
		memcpy(&l, t->buf + off, 2);
		const char *data = t->buf + off + 2;
		off += 2 + l;
		struct ss_column *c = &t->cols[f];
		int printed = 0;
		if (line_started) {
			printed = dlen[f];
			line_put(ln, c->ldelim, (size_t)printed);
		}
		line_started = true;
		if (c->width && c->align != AL_LEFT) {
			int s = c->width - l - printed;
			if (c->align == AL_CENTER)
				s = (s + 1) / 2;
			if (s > 0) {
				line_spaces(ln, s);
				printed += s;
			}
		}
		line_put(ln, data, l);
		printed += l;
		if (c->width && c->align != AL_RIGHT) {
			int s = c->width - printed;
			if (c->align == AL_CENTER)
				s /= 2;
			line_spaces(ln, s);
		}
		do {
			if (f == COL_MAX - 1) {
				line_put(ln, "\n", 1);
				f = 0;
				line_started = false;
			} else {
				f++;
			}
		} while (t->cols[f].disabled);
	}
	if (line_started)
		line_put(ln, "\n", 1);
	line_flush(ln);
	free(ln);
	t->started = false;
	t->len = 0;
	t->chunks = 0;
	t->cur = 0;
}
