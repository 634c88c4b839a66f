/* libFuzzer harness for the ss filter language: the input, split into
 * words at blanks and newlines, is parsed; what parses is compiled to
 * bytecode and matched against a socket. Names never resolve (no DNS).
 * Run by scripts/fuzz.sh. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cmd/ss/filter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	char *argv[256];
	int argc = 0;
	for (char *t = strtok(buf, "\n"); t && argc < 256; t = strtok(NULL, "\n"))
		argv[argc++] = t;
	struct ssf_env env = {.family = AF_UNSPEC, .tcp = true, .udp = true, .no_resolve = true};
	struct ssf_node *n = NULL;
	if (ssf_parse(argc, argv, NULL, &env, &n) == 0 && n) {
		uint8_t *bc = NULL;
		ssf_compile(n, &bc);
		free(bc);
		struct ssf_sock s = {.family = AF_INET, .lport = 22, .rport = 40000, .lname = "/x"};
		ssf_match(n, &s);
	}
	ssf_free(n);
	free(buf);
	return 0;
}
