/* SPDX-License-Identifier: Apache-2.0 */
/* -O's result for one host (struct host's os): what the OS probes saw,
 * the tests computed from it, the ports used, and when. */
#ifndef NETKIT_ENGINE_HOSTOS_H
#define NETKIT_ENGINE_HOSTOS_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/os/os.h"

struct host_os {
	bool done;	  /* the probes went (not skipped by --osscan-limit) */
	int open_port;	  /* -1: none found by the port scan */
	int closed_port;  /* -1: none */
	int closed_udp;	  /* a closed UDP port (the scan's, else a random one) */
	int tries;	  /* tries made */
	double seq1_wall; /* wall clock when the first SEQ probe of the last try left */
	double when;	  /* wall clock when the last try ended */
	bool good;	  /* an open and a closed TCP port: nmap's G=Y, "ideal" */
	struct os_fp fp;
	char fingerprint[2800]; /* "SCAN(...)SEQ(...)...IE(...)" */
};

void host_os_free(struct host_os *os);

#endif
