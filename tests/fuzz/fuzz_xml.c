/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness for the readers netkit db import puts untrusted files
 * through (src/lib/xml): the XML tag reader over the input as a file, every
 * attribute looked up, text kept on every other pass and the tags written
 * back (lib/xml/xbuf, what netkit db keeps verbatim); and the NDJSON line
 * reader over each of its lines, each value written back.
 * Run by scripts/fuzz.sh. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xml/jsonl.h"
#include "lib/xml/xbuf.h"
#include "lib/xml/xmltok.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	struct xml_reader r = {.f = f};
	struct xml_tok t;
	struct xbuf b = {0};
	for (int n = 0; n < 100000 && xml_next(&r, &t) == 0 && t.type != XT_EOF; n++) {
		for (size_t i = 0; i < t.nattr; i++)
			if (xml_attr(&t, t.attr[i][0]) == NULL)
				abort(); /* an attribute the reader gave must be found */
		if (r.tlen)
			xbuf_escape(&b, r.text, r.tlen, false);
		xbuf_tok(&b, &t);
		r.keep_text = n % 2;
	}
	xbuf_free(&b);
	xml_reader_free(&r);
	fclose(f);
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	struct json_arena a = {0};
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct json *j;
		size_t at;
		if (json_parse(&a, line, &j) == 0) {
			xbuf_json(&b, j, "ports", &at);
			xbuf_free(&b);
			if (j->type == JS_OBJ)
				(void)json_str(j, "addr");
		}
		json_arena_reset(&a);
	}
	json_arena_free(&a);
	free(text);
	return 0;
}
