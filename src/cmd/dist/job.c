/* SPDX-License-Identifier: Apache-2.0 */
/* The job directory: its configuration and each shard's state. */
#include "cmd/dist/dist.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void dist_path(char *buf, size_t len, const struct dist_job *j, uint64_t i, const char *ext)
{
	snprintf(buf, len, "%s/shard-%llu.%s", j->dir, (unsigned long long)i, ext);
}

/* "--shards N" in a shard's XML args attribute (written -&#45;shards) */
static int shards_from_xml(struct dist_job *j)
{
	char p[4096], line[8192];
	dist_path(p, sizeof(p), j, 0, "xml");
	FILE *f = fopen(p, "r");
	if (!f)
		return -1;
	int rc = -1;
	while (rc < 0 && fgets(line, sizeof(line), f)) {
		const char *a = strstr(line, "<nmaprun ");
		const char *s = a ? strstr(a, "shards ") : NULL;
		if (s)
			rc = sscanf(s, "shards %lu", (unsigned long *)&j->shards) == 1 ? 0 : -1;
		if (a)
			break;
	}
	fclose(f);
	return rc;
}

int dist_job_load(struct dist_job *j, const char *dir)
{
	char p[4096], line[4096];
	memset(j, 0, sizeof(*j));
	j->dir = dir;
	struct stat st;
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "netkit dist: %s: %s\n", dir,
			errno ? strerror(errno) : "not a directory");
		return -1;
	}
	snprintf(p, sizeof(p), "%s/job.conf", dir);
	FILE *f = fopen(p, "r");
	if (f) {
		while (fgets(line, sizeof(line), f)) {
			unsigned long long v;
			if (sscanf(line, "shards=%llu", &v) == 1)
				j->shards = v;
			else if (sscanf(line, "seed=%llu", &v) == 1)
				j->seed = v;
			else if (sscanf(line, "engine=%31s", j->engine) != 1)
				sscanf(line, "jobid=%63s", j->jobid);
		}
		fclose(f);
	} else if (shards_from_xml(j) < 0) {
		fprintf(stderr,
			"netkit dist: %s: no job.conf and no shard-0.xml naming --shards: not a "
			"job directory\n",
			dir);
		return -1;
	}
	if (!j->shards) {
		fprintf(stderr, "netkit dist: %s: the shard count is missing\n", dir);
		return -1;
	}
	return 0;
}

/* The last few KB of a file: where XML's runstats and a text trailer are. */
static size_t read_tail(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	if (fseeko(f, 0, SEEK_END) == 0) {
		off_t sz = ftello(f);
		fseeko(f, sz > (off_t)len - 1 ? sz - (off_t)len + 1 : 0, SEEK_SET);
	}
	size_t n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
	return n;
}

/* Hosts so far: runstats when finished, else the <host elements. */
static void count_hosts(const char *xml, unsigned long *up, unsigned long *total)
{
	FILE *f = fopen(xml, "r");
	char line[4096];
	*up = *total = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "<host ", 6) || !strncmp(line, "<host>", 6))
			++*total;
		else if (!strncmp(line, "<status state=\"up\"", 18))
			++*up;
		else if (!strncmp(line, "<hosts up=", 10))
			sscanf(line, "<hosts up=\"%lu\" down=\"%*u\" total=\"%lu\"", up, total);
	}
	fclose(f);
}

enum shard_state dist_shard_state(const struct dist_job *j, uint64_t i, int *rc, unsigned long *up,
				  unsigned long *total)
{
	char p[4096], tail[8192];
	*rc = -1;
	*up = *total = 0;
	dist_path(p, sizeof(p), j, i, "rc");
	FILE *f = fopen(p, "r");
	if (f) {
		if (fscanf(f, "%d", rc) != 1)
			*rc = 255;
		fclose(f);
	}
	dist_path(p, sizeof(p), j, i, "xml");
	if (access(p, F_OK) < 0)
		return *rc > 0 ? SH_FAILED : SH_MISSING;
	count_hosts(p, up, total);
	read_tail(p, tail, sizeof(tail));
	bool finished = strstr(tail, "<runstats>") && strstr(tail, "exit=\"success\"") &&
			strstr(tail, "</nmaprun>");
	if (*rc > 0 || (*rc == 0 && !finished))
		return SH_FAILED;
	return finished ? SH_DONE : SH_RUNNING;
}
