/* SPDX-License-Identifier: Apache-2.0 */
/* netkit: one binary, many tools. The tool is chosen by the name we were
 * started under (the ip/ss/route/mtr/nmap symlinks) or else by the first
 * argument, from one table. */
#include <stdio.h>
#include <string.h>
#include <libgen.h>
#include <linux/capability.h>

#include "cmd/tools.h"
#include "lib/util/priv.h"

struct tool {
	const char *name;
	int (*main)(int argc, char **argv);
	const char *summary;
	uint64_t caps; /* the most the tool may need; it drops more itself */
};

#define CAP(c) PRIV_CAP(CAP_##c)
/* Changes: CAP_NET_ADMIN. ip netns and -n: CAP_SYS_ADMIN (setns, mount);
 * ip netns pids/identify/attach and ss -p read other users' /proc/PID/ns
 * and /proc/PID/fd: CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH (ss -N: setns).
 * ip monitor all-nsid: CAP_NET_BROADCAST (NETLINK_LISTEN_ALL_NSID).
 * ss -K: CAP_NET_ADMIN. mtr and nmap: CAP_NET_RAW for raw and packet
 * sockets, CAP_NET_ADMIN for SO_MARK and SO_SNDBUFFORCE. The lab makes
 * namespaces, mounts and runs daemons: it keeps what it has. dist writes
 * job files and merges outputs, db reads files and talks to PostgreSQL:
 * none. */
#define CAPS_IP                                                                                    \
	(CAP(NET_ADMIN) | CAP(SYS_ADMIN) | CAP(SYS_PTRACE) | CAP(DAC_READ_SEARCH) |                \
	 CAP(NET_BROADCAST))
#define CAPS_SS (CAP(NET_ADMIN) | CAP(SYS_ADMIN) | CAP(SYS_PTRACE) | CAP(DAC_READ_SEARCH))
#define CAPS_PROBE (CAP(NET_RAW) | CAP(NET_ADMIN))

static const struct tool tools[] = {
	{"ip", cmd_ip_main, "show and change links, addresses, routes, neighbours (iproute2)",
	 CAPS_IP},
	{"route", cmd_route_main, "show and change the routing table (net-tools)", CAP(NET_ADMIN)},
	{"ss", cmd_ss_main, "socket statistics through sock_diag (iproute2)", CAPS_SS},
	{"mtr", cmd_mtr_main, "per-hop loss and latency", CAPS_PROBE},
	{"nmap", cmd_nmap_main, "host discovery and port scanning", CAPS_PROBE},
	{"lab", cmd_lab_main, "bring up the built-in test network", ~(uint64_t)0},
	{"dist", cmd_dist_main, "run a scan in shards on Slurm or Kubernetes, merge the results",
	 0},
	{"db", cmd_db_main, "scan results in PostgreSQL (init, import)", 0},
};

/* Before the tool parses its arguments: keep only what it may need. */
static int tool_run(const struct tool *t, int argc, char **argv)
{
	if (t->caps != ~(uint64_t)0 && priv_keep(t->caps, 0) < 0) {
		fprintf(stderr, "netkit: cannot drop capabilities\n");
		return 1;
	}
	return t->main(argc, argv);
}

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
		return tool_run(t, argc, argv);

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
	return tool_run(t, argc - 1, argv + 1);
}
