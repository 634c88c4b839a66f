/* SPDX-License-Identifier: Apache-2.0 */
/* netkit: one binary, many tools. The tool is chosen by the name we were
 * started under (the ip/ss/route/mtr/nmap symlinks) or else by the first
 * argument, from one table. */
#include <stdio.h>
#include <string.h>
#include <libgen.h>

#include "cmd/tools.h"

struct tool {
	const char *name;
	int (*main)(int argc, char **argv);
	const char *summary;
};

static const struct tool tools[] = {
	{"ip", cmd_ip_main, "show and change links, addresses, routes, neighbours (iproute2)"},
	{"route", cmd_route_main, "show and change the routing table (net-tools)"},
	{"ss", cmd_ss_main, "socket statistics through sock_diag (iproute2)"},
	{"mtr", cmd_mtr_main, "per-hop loss and latency"},
	{"nmap", cmd_nmap_main, "host discovery and port scanning"},
	{"lab", cmd_lab_main, "bring up the built-in test network"},
	{"dist", cmd_dist_main, "run a scan in shards on Slurm or Kubernetes, merge the results"},
};

static const struct tool *tool_find(const char *name)
{
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		if (strcmp(tools[i].name, name) == 0)
			return &tools[i];
	return NULL;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: netkit TOOL [ARGS...]\n"
		   "       netkit --help | --version\n"
		   "       TOOL [ARGS...]   (through a symlink named after the tool)\n\n"
		   "Tools:\n");
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		fprintf(f, "  %-7s %s\n", tools[i].name, tools[i].summary);
	fprintf(f, "\n'netkit TOOL --help' shows a tool's options.\n");
}

int main(int argc, char **argv)
{
	char self[256];
	snprintf(self, sizeof(self), "%s", argc > 0 ? argv[0] : "netkit");
	const struct tool *t = tool_find(basename(self));
	if (t)
		return t->main(argc, argv);

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("netkit %s\n"
		       "License: Apache-2.0 (the Apache License, Version 2.0)\n",
		       NETKIT_VERSION);
		return 0;
	}
	t = tool_find(argv[1]);
	if (!t) {
		fprintf(stderr, "netkit: unknown tool '%s'; try 'netkit --help'\n", argv[1]);
		return 2;
	}
	return t->main(argc - 1, argv + 1);
}
