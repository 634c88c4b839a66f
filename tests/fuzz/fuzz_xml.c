/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness for the readers netkit db import puts untrusted files
 * through (src/lib/xml): the XML tag reader over the input as a file, every
 * attribute looked up, and the NDJSON line reader over each of its lines.
 * Run by scripts/fuzz.sh. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xml/jsonl.h"
#include "lib/xml/xmltok.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	struct xml_reader r = {.f = f};
	struct xml_tok t;
	for (int n = 0; n < 100000 && xml_next(&r, &t) == 0 && t.type != XT_EOF; n++)
		for (size_t i = 0; i < t.nattr; i++)
			if (xml_attr(&t, t.attr[i][0]) == NULL)
				abort(); /* an attribute the reader gave must be found */
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
		if (json_parse(&a, line, &j) == 0 && j->type == JS_OBJ)
			(void)json_str(j, "addr");
		json_arena_reset(&a);
	}
	json_arena_free(&a);
	free(text);
	return 0;
}
