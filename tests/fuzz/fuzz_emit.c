/* SPDX-License-Identifier: Apache-2.0 */
/* Feeds arbitrary bytes as keys and string values to the emitter and
 * checks that the JSON it writes is well-formed: balanced, every string
 * closed, no raw control byte inside a string. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/emit/emit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_json(const char *s, size_t n)
{
	int depth = 0;
	int in_str = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (in_str) {
			if (c < 0x20)
				abort();
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if (c == '"')
			in_str = 1;
		else if (c == '{' || c == '[')
			depth++;
		else if (c == '}' || c == ']')
			depth--;
		if (depth < 0)
			abort();
	}
	if (in_str || depth != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct emit e;
	int fd = memfd_create("fuzz", 0);
	if (fd < 0)
		return 0;
	emit_init(&e, fd, EMIT_JSON, size && (data[0] & 1) ? EMIT_PRETTY : 0);
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	/* split the input at NULs; each piece's first byte picks a string
	 * value, an open or a close, and the piece is the key and value */
	emit_obj_open(&e, NULL);
	size_t off = 0;
	while (off <= size) {
		size_t len = strlen(s + off);
		unsigned op = len ? (unsigned char)s[off] % 5 : 0;
		if (op == 0)
			emit_str(&e, s + off, NULL, s + off);
		else if (op == 1)
			emit_obj_open(&e, s + off);
		else if (op == 2)
			emit_arr_open(&e, s + off);
		else if (op == 3)
			emit_obj_close(&e);
		else
			emit_arr_close(&e);
		off += len + 1;
	}
	emit_finish(&e);
	off_t end = lseek(fd, 0, SEEK_CUR);
	char *out = malloc((size_t)end + 1);
	if (pread(fd, out, (size_t)end, 0) == end)
		check_json(out, (size_t)end);
	free(out);
	free(s);
	close(fd);
	return 0;
}
