/* netkit nmap: not built yet. Says so instead of pretending. */
#include <stdio.h>

#include "cmd/tools.h"

int cmd_nmap_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "netkit nmap: not implemented yet\n");
	return 2;
}
