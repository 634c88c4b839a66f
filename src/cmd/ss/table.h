/* SPDX-License-Identifier: Apache-2.0 */
/* ss's column layout, as iproute2 6.1 renders it.
 *
 * Fields are appended to the current column as tokens; lines are
 * rendered in batches, each column as wide as its widest field so far.
 * iproute2 buffers tokens in 1 MiB chunks and renders whenever five
 * chunks are in use at the end of a line; the batch boundaries change the
 * output (widths are fixed per batch), so the chunk accounting is
 * reproduced here byte for byte while the storage itself is ours. The
 * same bound keeps memory flat however many sockets there are. */
#ifndef NETKIT_SS_TABLE_H
#define NETKIT_SS_TABLE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "lib/emit/emit.h"

enum ss_col {
	COL_NETID,
	COL_STATE,
	COL_RECVQ,
	COL_SENDQ,
	COL_ADDR,
	COL_SERV,
	COL_RADDR,
	COL_RSERV,
	COL_EXT,
	COL_PROC,
	COL_MAX
};

struct ss_column {
	int align; /* 0 left, 1 center, 2 right */
	const char *header;
	const char *ldelim;
	bool disabled;
	int width;
	int max_len;
};

struct ss_table {
	struct ss_column cols[COL_MAX];
	int cur;   /* current column */
	char *buf; /* tokens: u16 length, then bytes */
	size_t len, cap;
	size_t tok;	  /* offset of the current token */
	bool started;	  /* a token exists */
	long sim_end;	  /* emulated end of content in the current chunk */
	long sim_tok;	  /* emulated offset of the current token */
	int chunks;	  /* emulated chunk count */
	int screen_width; /* -1: not a terminal */
	struct emit *out;
	int err;
};

void tbl_init(struct ss_table *t, struct emit *out, int screen_width);
void tbl_free(struct ss_table *t);
/* Append to the current field. */
void tbl_put(struct ss_table *t, const char *s, size_t n);
void tbl_vprintf(struct ss_table *t, const char *fmt, va_list ap);
void tbl_next(struct ss_table *t);
void tbl_set(struct ss_table *t, enum ss_col col);
void tbl_header(struct ss_table *t);
/* Write out what is buffered (the end of a run). */
void tbl_render(struct ss_table *t);

#endif
