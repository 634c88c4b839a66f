/* netkit route: not built yet. Says so instead of pretending. */
#include <stdio.h>

#include "cmd/tools.h"

int cmd_route_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "netkit route: not implemented yet\n");
	return 2;
}
