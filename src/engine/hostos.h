/* SPDX-License-Identifier: Apache-2.0 */
/* -O's result for one host (struct host's os): what the OS probes saw,
 * the tests computed from it, the ports used, and when. */
#ifndef NETKIT_ENGINE_HOSTOS_H
#define NETKIT_ENGINE_HOSTOS_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/os/os.h"

/* One entry of netkit's OS knowledge the fingerprint was scored against. */
struct host_os_guess {
	char name[128], family[64];
	int line;   /* where it is in data/os/os-db */
	double acc; /* 0..1 */
	int nclass, ncpe;
	char cls[4][128]; /* "vendor | family | generation | device type" */
	char cpe[4][96];
};

struct host_os {
	bool done;	   /* the probes went (not skipped by --osscan-limit) */
	int open_port;	   /* -1: none found by the port scan */
	int closed_port;   /* -1: none */
	int closed_udp;	   /* a closed UDP port (the scan's, else a random one) */
	int tries;	   /* tries made */
	double seq1_wall;  /* wall clock when the first SEQ probe of the last try left */
	double when;	   /* wall clock when the last try ended */
	bool good;	   /* an open and a closed TCP port */
	bool udp_answered; /* U1 got its port unreachable (else nmap leaves CU empty) */
	bool ideal;	   /* both: nmap's G=Y */
	struct os_fp fp;
	bool v6; /* IPv6's probes: fingerprint has their P= lines, fp only distance */
	char fingerprint
		[8192];	    /* "SCAN(...)SEQ(...)...IE(...)" or "SCAN(...)S1(...)...EXTRA(...)" */
	int db_size;	    /* entries in the knowledge base (0: none found) */
	int nguess, nexact; /* best first; nexact of them at 100% */
	int nexact_all;	    /* entries at 100% in all (nmap: more than 8, too many) */
	struct host_os_guess g[8];
	int verdict;	 /* enum os_verdict: unknown, family, exact */
	char family[64]; /* the nearest entry's family */
	char rival[128]; /* the nearest entry of another family ("": none) */
	double rival_acc;
	char why[768];	   /* what differs from the nearest entry */
	char support[224]; /* the values that most set it apart from the other families */
	double margin;	   /* its lead over the nearest other family, 0..1 */
	char path[200];	   /* signs of something on the path (not OS evidence) */
	int calib_right, calib_cases; /* leave-one-out answers at its accuracy: right, all */
};

void host_os_free(struct host_os *os);

#endif
