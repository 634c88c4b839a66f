/* SPDX-License-Identifier: Apache-2.0 */
/* The one print path of ss: each value goes either into the current
 * column of the iproute2 table (text) or into the current JSON object. */
#include <stdarg.h>
#include <stdio.h>

#include "cmd/ss/ss.h"

void sv_text(struct ss_ctx *c, const char *fmt, ...)
{
	if (ss_json(c))
		return;
	va_list ap;
	va_start(ap, fmt);
	tbl_vprintf(c->tbl, fmt, ap);
	va_end(ap);
}

static void textf(struct ss_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tbl_vprintf(c->tbl, fmt, ap);
	va_end(ap);
}

void sv_str(struct ss_ctx *c, const char *key, const char *fmt, const char *val)
{
	if (ss_json(c))
		emit_str(c->em, key, fmt, val);
	else if (fmt)
		textf(c, fmt, val);
}

void sv_u64(struct ss_ctx *c, const char *key, const char *fmt, uint64_t val)
{
	if (ss_json(c))
		emit_u64(c->em, key, fmt, val);
	else if (fmt)
		textf(c, fmt, val);
}

void sv_int(struct ss_ctx *c, const char *key, const char *fmt, int val)
{
	if (ss_json(c))
		emit_int(c->em, key, fmt, val);
	else if (fmt)
		textf(c, fmt, val);
}

void sv_dbl(struct ss_ctx *c, const char *key, const char *fmt, double val)
{
	if (ss_json(c))
		emit_double(c->em, key, fmt, NULL, val);
	else if (fmt)
		textf(c, fmt, val);
}

void sv_bool(struct ss_ctx *c, const char *key, const char *fmt, bool val)
{
	if (ss_json(c))
		emit_bool(c->em, key, fmt, val);
	else if (fmt && val)
		textf(c, "%s", fmt);
}

void sv_obj_open(struct ss_ctx *c, const char *key)
{
	if (ss_json(c))
		emit_obj_open(c->em, key);
}

void sv_obj_close(struct ss_ctx *c)
{
	if (ss_json(c))
		emit_obj_close(c->em);
}

void sv_arr_open(struct ss_ctx *c, const char *key)
{
	if (ss_json(c))
		emit_arr_open(c->em, key);
}

void sv_arr_close(struct ss_ctx *c)
{
	if (ss_json(c))
		emit_arr_close(c->em);
}

void sv_col(struct ss_ctx *c, enum ss_col col)
{
	if (!ss_json(c))
		tbl_set(c->tbl, col);
}

void sv_rec_begin(struct ss_ctx *c)
{
	if (ss_json(c))
		emit_obj_open(c->em, NULL);
}

void sv_rec_end(struct ss_ctx *c)
{
	if (!ss_json(c))
		return;
	emit_obj_close(c->em);
	if (c->outfmt == SS_NDJSON)
		emit_record_end(c->em);
}
