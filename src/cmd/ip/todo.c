/* Parts of ip not written yet: each says so and fails. */
#include <stdio.h>

#include "cmd/ip/ip.h"
#include "cmd/ip/link_priv.h"
#include "cmd/ip/route_priv.h"

static int unfinished(const char *what)
{
	fprintf(stderr, "netkit ip: %s is not implemented yet\n", what);
	return 2;
}

int ip_monitor(struct ip_ctx *c, int argc, char **argv)
{
	return unfinished("monitor");
}
