/* SPDX-License-Identifier: Apache-2.0 */
/* What the lab's stack hosts (lwip_host.c, lwipv6_host.c, slirp_host.c,
 * ns3_host.cc; C and C++) share of their arguments. */
#ifndef NETKIT_LAB_STACKS_HOST_ARGS_H
#define NETKIT_LAB_STACKS_HOST_ARGS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ADDR/PREFIX (or NET/PREFIX): the address into addr (cap bytes), the
 * prefix length returned; dflt when there is no "/". */
static inline int host_addr_prefix(const char *arg, char *addr, size_t cap, int dflt)
{
	snprintf(addr, cap, "%s", arg);
	char *slash = strchr(addr, '/');
	int prefix = slash ? atoi(slash + 1) : dflt;
	if (slash)
		*slash = '\0';
	return prefix;
}

#endif
