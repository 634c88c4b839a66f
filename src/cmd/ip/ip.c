/* netkit ip: not built yet. Says so instead of pretending. */
#include <stdio.h>

#include "cmd/tools.h"

int cmd_ip_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "netkit ip: not implemented yet\n");
	return 2;
}
