/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness for the lab's topology files: the input is parsed;
 * what parses also goes through the DNS data generation (hosts file, TXT
 * and synth-domain lines), which walks every prefix and address. Run by
 * scripts/fuzz.sh. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/lab/dnsdata.h"
#include "cmd/lab/topo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 16384)
		return 0;
	char *text = malloc(size + 1);
	struct topo *t = malloc(sizeof(*t));
	if (!text || !t)
		goto out;
	memcpy(text, data, size);
	text[size] = '\0';
	char err[256];
	if (topo_parse(text, t, err, sizeof(err)) == 0) {
		struct strbuf b = {0};
		dns_hosts_file(t, &b);
		dns_records(t, &b);
		sb_free(&b);
		topo_dns_host(t);
	} else if (!memchr(err, '\0', sizeof(err))) {
		abort(); /* the message must be a string */
	}
out:
	free(text);
	free(t);
	return 0;
}
