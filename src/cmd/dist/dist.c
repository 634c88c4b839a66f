/* SPDX-License-Identifier: Apache-2.0 */
/* netkit dist: submit, status, merge (see dist.h). */
#include "cmd/dist/dist.h"

#include <stdio.h>
#include <string.h>

#include "cmd/tools.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: netkit dist submit --engine slurm|k8s --shards N --dir JOBDIR [--seed S]\n"
		"                          [--partition P] [--nodes N] [--max-running K] [--db "
		"URL]\n"
		"                          [--image I] [--pvc C] [--cpu C] [--memory M] "
		"[--no-submit]\n"
		"                          -- nmap ARGS...\n"
		"       netkit dist status JOBDIR\n"
		"       netkit dist merge JOBDIR [-oA BASE] [-oN F] [-oX F] [-oG F] [-oJ F]\n");
}

int dist_status_main(int argc, char **argv)
{
	struct dist_job j;
	if (argc != 3) {
		usage(stderr);
		return 255;
	}
	if (dist_job_load(&j, argv[2]) < 0)
		return 1;
	static const char *const names[] = {"missing", "running", "done", "failed"};
	unsigned long n[4] = {0}, up = 0, total = 0;
	printf("SHARD STATE    HOSTS UP EXIT\n");
	for (uint64_t i = 0; i < j.shards; i++) {
		int rc;
		unsigned long u, t;
		enum shard_state st = dist_shard_state(&j, i, &rc, &u, &t);
		n[st]++;
		up += u;
		total += t;
		char ex[16] = "-";
		if (rc >= 0)
			snprintf(ex, sizeof(ex), "%d", rc);
		printf("%-5llu %-8s %5lu %2lu %s\n", (unsigned long long)i, names[st], t, u, ex);
	}
	printf("%llu shards: %lu done, %lu running, %lu failed, %lu missing; %lu hosts so far (%lu "
	       "up)%s%s\n",
	       (unsigned long long)j.shards, n[SH_DONE], n[SH_RUNNING], n[SH_FAILED], n[SH_MISSING],
	       total, up, j.jobid[0] ? "; job " : "", j.jobid);
	return n[SH_DONE] == j.shards ? 0 : n[SH_FAILED] ? 1 : 3;
}

int cmd_dist_main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 255 : 0;
	}
	if (!strcmp(argv[1], "merge"))
		return dist_merge_main(argc, argv);
	if (!strcmp(argv[1], "status"))
		return dist_status_main(argc, argv);
	if (!strcmp(argv[1], "submit"))
		return dist_submit_main(argc, argv);
	fprintf(stderr, "netkit dist: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 255;
}
