/* SPDX-License-Identifier: Apache-2.0 */
/* net-tools' other routing families (AX.25, NET/ROM, ROSE, IPX, DDP,
 * X.25). Kernels without them (the common case: none is built in by most
 * distributions) get net-tools' exact "not configured" answers; a kernel
 * that has one gets a clear "not supported" from netkit. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cmd/route/route.h"

struct other_af {
	int af;
	const char *files[2]; /* the /proc tables net-tools reads */
	const char *err;      /* what it says on stderr, then on stdout */
	const char *out;
	const char *edit_err; /* add/del: message, NULL: see route_edit_other */
	int edit_rc;
};

static const struct other_af others[] = {
	{AF_AX25,
	 {"/proc/net/ax25_route", NULL},
	 "/proc/net/ax25_route: No such file or directory\n",
	 "AX.25 not configured in this system.\n",
	 "No routing for address family `ax25'.\n",
	 ROUTE_E_OPTERR},
	{AF_NETROM,
	 {"/proc/net/nr_nodes", "/proc/net/nr_neigh"},
	 "/proc/net/nr_nodes: No such file or directory\n/proc/net/nr_neigh: Invalid argument\n",
	 "NET/ROM not configured in this system.\n",
	 "NET/ROM: this needs to be written\n",
	 1},
	{AF_ROSE,
	 {"/proc/net/rose_nodes", NULL},
	 "/proc/net/rose_nodes: No such file or directory\nROSE not configured in this system.\n",
	 "",
	 "No routing for address family `rose'.\n",
	 ROUTE_E_OPTERR},
	{AF_IPX,
	 {"/proc/net/ipx/route", "/proc/net/ipx_route"},
	 "No such file or directory\n",
	 "IPX routing not in file /proc/net/ipx/route or /proc/net/ipx_route found.\n",
	 "IPX: this needs to be written\n",
	 1},
	{AF_APPLETALK,
	 {"/proc/net/atalk_route", NULL},
	 "Error opening /proc/net/atalk_route: No such file or directory\n"
	 "DDP (AppleTalk) not configured on this system.\n",
	 "",
	 "No routing for address family `ddp'.\n",
	 ROUTE_E_OPTERR},
	{AF_X25,
	 {"/proc/net/x25/route", "/proc/net/x25_routes"},
	 "",
	 "X.25 not configured in this system.\n",
	 NULL,
	 0},
};

static const struct other_af *find(int af)
{
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (others[i].af == af)
			return &others[i];
	return NULL;
}

static bool present(const struct other_af *o)
{
	for (int i = 0; i < 2; i++)
		if (o->files[i] && access(o->files[i], F_OK) == 0)
			return true;
	return false;
}

int route_show_other(int af)
{
	const struct other_af *o = find(af);
	if (!o)
		return ROUTE_E_INTERN;
	if (present(o)) {
		fprintf(stderr, "netkit route: this address family's table is not supported\n");
		return 1;
	}
	fflush(stdout);
	fputs(o->err, stderr);
	fputs(o->out, stdout);
	fflush(stdout);
	return 1;
}

static const char usage_x25[] = "Usage: x25_route [-v] del Target[/mask] [dev] If\n"
				"       x25_route [-v] add Target[/mask] [dev] If\n";

int route_edit_other(int af, const char *verb, char **args)
{
	const struct other_af *o = find(af);
	if (!o)
		return ROUTE_E_INTERN;
	if (o->edit_err) {
		fputs(o->edit_err, stderr);
		return o->edit_rc;
	}
	/* X.25 checks its words, then needs an AF_X25 socket */
	if (!strcmp(verb, "help")) {
		fputs(usage_x25, stdout);
		return 0;
	}
	if (!strcmp(verb, "flush")) {
		fprintf(stderr, "Flushing `x25' routing table not supported\n");
		fputs(usage_x25, stderr);
		return ROUTE_E_OPTERR;
	}
	if (!args[0] || !args[1]) {
		fputs(usage_x25, stderr);
		return ROUTE_E_OPTERR;
	}
	int fd = socket(AF_X25, SOCK_SEQPACKET, 0);
	if (fd < 0) {
		fprintf(stderr, "socket: %s\n", strerror(errno));
		return ROUTE_E_SOCK;
	}
	close(fd);
	fprintf(stderr, "netkit route: changing X.25 routes is not supported\n");
	return 1;
}
