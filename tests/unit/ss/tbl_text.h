/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the ss unit tests: the text an ss table renders, read back
 * from a temporary file. fill gets the table and its emitter after
 * tbl_init and before tbl_render. */
#ifndef NETKIT_TESTS_SS_TBL_TEXT_H
#define NETKIT_TESTS_SS_TBL_TEXT_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd/ss/table.h"
#include "lib/emit/emit.h"

typedef void tbl_fill_fn(struct ss_table *t, struct emit *e, const void *arg);

static inline char *tbl_text(tbl_fill_fn *fill, const void *arg, bool netid)
{
	FILE *f = tmpfile();
	assert_non_null(f);
	struct emit *e = malloc(sizeof(*e)); /* 64 KiB of buffer: not on the stack */
	assert_non_null(e);
	emit_init(e, fileno(f), EMIT_TEXT, 0);
	struct ss_table t;
	tbl_init(&t, e, -1);
	t.cols[COL_NETID].disabled = !netid;
	fill(&t, e, arg);
	tbl_render(&t);
	emit_finish(e);
	tbl_free(&t);
	free(e);
	long n = ftell(f);
	assert_true(n >= 0);
	char *s = calloc(1, (size_t)n + 1);
	assert_non_null(s);
	rewind(f);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return s;
}

#endif
