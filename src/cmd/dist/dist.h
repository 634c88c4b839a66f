/* SPDX-License-Identifier: Apache-2.0 */
/* netkit dist: a scan split into shards (nmap --shards) run by a batch
 * engine (Slurm, Kubernetes), its job directory's state, and the merge of
 * the shards' outputs into one run's. The job directory:
 *   job.conf          shards=N, seed=S, engine=..., the nmap arguments
 *   shard-I.{nmap,xml,gnmap}, shard-I.json   shard I's -oA and -oJ
 *   shard-I.rc        shard I's exit status, written when it ends
 * Nothing here scans: the shards are nmap runs. */
#ifndef NETKIT_CMD_DIST_H
#define NETKIT_CMD_DIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum shard_state { SH_MISSING, SH_RUNNING, SH_DONE, SH_FAILED };

struct dist_job {
	const char *dir;
	uint64_t shards, seed;
	char engine[32];
	char jobid[64];
};

/* Read JOBDIR/job.conf, or else the shard count from a shard's XML
 * arguments. 0, or -1 with the reason on stderr. */
int dist_job_load(struct dist_job *j, const char *dir);
/* A shard's state from its files; *up, *total: its hosts so far. */
enum shard_state dist_shard_state(const struct dist_job *j, uint64_t i, int *rc, unsigned long *up,
				  unsigned long *total);
void dist_path(char *buf, size_t len, const struct dist_job *j, uint64_t i, const char *ext);

int dist_merge_main(int argc, char **argv);
int dist_status_main(int argc, char **argv);
int dist_submit_main(int argc, char **argv);

#endif
