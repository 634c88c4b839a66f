/* SPDX-License-Identifier: Apache-2.0 */
/* netkit dist submit (see dist.h). */
#include "cmd/dist/dist.h"

#include <stdio.h>

int dist_submit_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "netkit dist: submit is not implemented yet\n");
	return 2;
}
