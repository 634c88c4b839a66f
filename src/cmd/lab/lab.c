/* netkit lab: not built yet. Says so instead of pretending. */
#include <stdio.h>

#include "cmd/tools.h"

int cmd_lab_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "netkit lab: not implemented yet\n");
	return 2;
}
