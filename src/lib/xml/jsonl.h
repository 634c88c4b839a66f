/* SPDX-License-Identifier: Apache-2.0 */
/* A small JSON reader for one NDJSON line at a time (netkit's -oJ): the
 * line is parsed into a tree of values allocated from one arena, freed
 * with it. Numbers keep their text. Pure: errors are -EINVAL. */
#ifndef NETKIT_XML_JSONL_H
#define NETKIT_XML_JSONL_H

#include <stddef.h>

enum json_type { JS_NULL, JS_BOOL, JS_NUM, JS_STR, JS_ARR, JS_OBJ };

struct json {
	enum json_type type;
	const char *s;	    /* JS_STR: decoded; JS_NUM: its text; JS_BOOL: "true"/"false" */
	const char *key;    /* a member's name inside an object */
	struct json *child; /* JS_ARR / JS_OBJ: first element */
	struct json *next;  /* the next element of the parent */
};

struct json_arena {
	char *mem;
	size_t len, cap;
};

/* Parse text (one JSON value, NUL-terminated) into *out. */
int json_parse(struct json_arena *a, const char *text, struct json **out);
/* An object's member, or NULL. */
const struct json *json_get(const struct json *obj, const char *key);
/* A member's string or number text, or NULL. */
const char *json_str(const struct json *obj, const char *key);
void json_arena_reset(struct json_arena *a);
void json_arena_free(struct json_arena *a);

#endif
