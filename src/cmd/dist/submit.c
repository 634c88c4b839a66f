/* SPDX-License-Identifier: Apache-2.0 */
/* netkit dist submit --engine slurm|k8s --shards N --dir JOBDIR -- CMD...
 * CMD is the scanner's command line as a node runs it, the word naming
 * nmap included (nmap, /usr/bin/nmap, "netkit nmap", or a wrapper such as
 * "netkit lab exec HOST netkit nmap"); each shard runs it with
 * --shards N --shard I --seed S -oA JOBDIR/shard-I -oJ JOBDIR/shard-I.json
 * added, or, when its XML is there unfinished (its node died, Slurm
 * requeued it), CMD's words up to nmap with --resume JOBDIR/shard-I.xml,
 * and writes its exit status to JOBDIR/shard-I.rc. --db URL adds -oP URL:
 * each shard's hosts also go into PostgreSQL as they finish. --nodes N:
 * at most N shards at once (Slurm: %N, each --exclusive on a node of its
 * own; Kubernetes: parallelism N).
 * Slurm: an array job (sbatch --array=0-(N-1), --requeue) submitted with
 * sbatch; its id is printed. Kubernetes: a batch/v1 Job, completionMode
 * Indexed (the shard from JOB_COMPLETION_INDEX), NET_RAW added and every
 * other capability dropped, not privileged, resource requests, the job
 * directory a PersistentVolumeClaim mounted at the same path; written as
 * JOBDIR/job.json for kubectl apply (no cluster is reached from here). */
#include "cmd/dist/dist.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/emit/emit.h"

struct submit {
	const char *engine, *dir, *partition, *image, *pvc, *cpu, *memory, *db;
	unsigned long long shards, seed, max_running, nodes;
	bool no_submit;
	char **cmd;
	int ncmd, tool; /* cmd[tool] names nmap */
	char absdir[PATH_MAX];
};

static int bad(const char *fmt, const char *arg)
{
	fprintf(stderr, "netkit dist submit: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return 255;
}

static int number(const char *s, unsigned long long *v, unsigned long long min)
{
	char *e;
	errno = 0;
	*v = strtoull(s, &e, 10);
	return errno || e == s || *e || *s == '-' || *v < min ? -1 : 0;
}

static int parse(struct submit *s, int argc, char **argv)
{
	static const char *const names[] = {"--engine",	   "--shards",	    "--dir",   "--seed",
					    "--partition", "--max-running", "--image", "--pvc",
					    "--cpu",	   "--memory",	    "--nodes", "--db"};
	int i;
	for (i = 2; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--no-submit")) {
			s->no_submit = true;
			continue;
		}
		size_t k;
		for (k = 0; k < sizeof(names) / sizeof(names[0]) && strcmp(argv[i], names[k]); k++)
			;
		if (k == sizeof(names) / sizeof(names[0]))
			return bad("unknown option '%s'", argv[i]);
		if (i + 1 >= argc)
			return bad("%s needs a value", argv[i]);
		const char *v = argv[++i];
		const char **str[] = {&s->engine,    NULL,	 &s->dir,   NULL,
				      &s->partition, NULL,	 &s->image, &s->pvc,
				      &s->cpu,	     &s->memory, NULL,	    &s->db};
		if (str[k])
			*str[k] = v;
		else if ((k == 1 && number(v, &s->shards, 1)) ||
			 (k == 3 && number(v, &s->seed, 0)) ||
			 (k == 5 && number(v, &s->max_running, 1)) ||
			 (k == 10 && number(v, &s->nodes, 1)))
			return bad("%s wants a number", names[k]);
	}
	if (!s->engine || (strcmp(s->engine, "slurm") && strcmp(s->engine, "k8s")))
		return bad("%s", "--engine slurm or --engine k8s is needed");
	if (!s->shards || s->shards > 1000000)
		return bad("%s", "--shards N (1 to 1000000) is needed");
	if (!s->dir)
		return bad("%s", "--dir JOBDIR is needed");
	s->cmd = argv + i + 1;
	s->ncmd = i < argc ? argc - i - 1 : 0;
	for (s->tool = 0; s->tool < s->ncmd; s->tool++) {
		const char *b = strrchr(s->cmd[s->tool], '/');
		if (!strcmp(b ? b + 1 : s->cmd[s->tool], "nmap"))
			break;
	}
	if (s->tool == s->ncmd)
		return bad("%s", "after --, the scan's command line (naming nmap) is needed");
	return 0;
}

/* A word in single quotes for sh. */
static void sh_word(FILE *f, const char *w)
{
	fputc('\'', f);
	for (; *w; w++)
		if (*w == '\'')
			fputs("'\\''", f);
		else
			fputc(*w, f);
	fputs("' ", f);
}

/* The shell text one shard runs, its index in $I. */
static void shard_script(FILE *f, const struct submit *s)
{
	fprintf(f, "B=");
	sh_word(f, s->absdir);
	fprintf(f, "\nB=\"$B/shard-$I\"\nrm -f \"$B.rc\"\n"
		   "if [ -s \"$B.xml\" ] && ! grep -q '</nmaprun>' \"$B.xml\"; then\n  ");
	for (int i = 0; i <= s->tool; i++)
		sh_word(f, s->cmd[i]);
	fprintf(f, "--resume \"$B.xml\"\nelse\n  ");
	for (int i = 0; i < s->ncmd; i++)
		sh_word(f, s->cmd[i]);
	fprintf(f, "--shards %llu --shard \"$I\" --seed %llu -oA \"$B\" -oJ \"$B.json\" ",
		s->shards, s->seed);
	if (s->db) { /* each host into PostgreSQL as it finishes, too */
		fprintf(f, "-oP ");
		sh_word(f, s->db);
	}
	fprintf(f, "\nfi\nrc=$?\necho \"$rc\" > \"$B.rc\"\nexit \"$rc\"\n");
}

static int write_conf(const struct submit *s, const char *jobid)
{
	char p[PATH_MAX + 16];
	snprintf(p, sizeof(p), "%s/job.conf", s->absdir);
	FILE *f = fopen(p, "w");
	if (!f)
		return -errno;
	fprintf(f, "shards=%llu\nseed=%llu\nengine=%s\n", s->shards, s->seed, s->engine);
	if (jobid)
		fprintf(f, "jobid=%s\n", jobid);
	fprintf(f, "command=");
	for (int i = 0; i < s->ncmd; i++)
		fprintf(f, "%s%s", i ? " " : "", s->cmd[i]);
	fputc('\n', f);
	return fclose(f) ? -errno : 0;
}

/* sbatch --parsable FILE: the job id on its standard output. */
static int run_sbatch(const char *script, char *id, size_t len)
{
	int fd[2];
	if (pipe(fd) < 0)
		return -errno;
	pid_t pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execlp("sbatch", "sbatch", "--parsable", script, (char *)NULL);
		fprintf(stderr, "netkit dist submit: sbatch: %s\n", strerror(errno));
		_exit(127);
	}
	close(fd[1]);
	ssize_t n = read(fd[0], id, len - 1);
	close(fd[0]);
	int st;
	waitpid(pid, &st, 0);
	id[n > 0 ? n : 0] = '\0';
	id[strcspn(id, ";\n")] = '\0';
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 && *id ? 0 : -EIO;
}

static int submit_slurm(const struct submit *s)
{
	char p[PATH_MAX + 16];
	snprintf(p, sizeof(p), "%s/job.sbatch", s->absdir);
	FILE *f = fopen(p, "w");
	if (!f) {
		fprintf(stderr, "netkit dist submit: %s: %s\n", p, strerror(errno));
		return 1;
	}
	fprintf(f, "#!/bin/sh\n#SBATCH --job-name=netkit-scan\n#SBATCH --array=0-%llu",
		s->shards - 1);
	/* --nodes N: at most N shards at once, each with a node to itself */
	unsigned long long run = s->max_running;
	if (s->nodes && (!run || s->nodes < run))
		run = s->nodes;
	if (run)
		fprintf(f, "%%%llu", run);
	fprintf(f, "\n#SBATCH --requeue\n#SBATCH --ntasks=1\n#SBATCH --output=%s/slurm-%%a.out\n",
		s->absdir);
	if (s->nodes)
		fprintf(f, "#SBATCH --nodes=1\n#SBATCH --exclusive\n");
	if (s->partition)
		fprintf(f, "#SBATCH --partition=%s\n", s->partition);
	fprintf(f, "I=$SLURM_ARRAY_TASK_ID\n");
	shard_script(f, s);
	if (fclose(f)) {
		fprintf(stderr, "netkit dist submit: %s: %s\n", p, strerror(errno));
		return 1;
	}
	char id[64] = "";
	if (!s->no_submit && run_sbatch(p, id, sizeof(id)) < 0) {
		fprintf(stderr, "netkit dist submit: sbatch refused %s\n", p);
		return 1;
	}
	if (write_conf(s, *id ? id : NULL) < 0)
		return 1;
	printf("%s\n", *id ? id : p);
	return 0;
}

/* A DNS-1123 label from the job directory's name: netkit-scan-NAME. */
static void k8s_name(const char *dir, char *out, size_t len)
{
	const char *b = strrchr(dir, '/');
	b = b && b[1] ? b + 1 : dir;
	size_t n = (size_t)snprintf(out, len, "netkit-scan-");
	for (; *b && n + 1 < len && n < 63; b++) {
		char c = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
		out[n++] = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '-';
	}
	while (n && out[n - 1] == '-')
		n--;
	out[n] = '\0';
}

static void k8s_container(struct emit *e, const struct submit *s, const char *script)
{
	emit_arr_open(e, "containers");
	emit_obj_open(e, NULL);
	emit_str(e, "name", NULL, "nmap");
	emit_str(e, "image", NULL, s->image ? s->image : "netkit:latest");
	emit_arr_open(e, "command");
	emit_str(e, NULL, NULL, "/bin/sh");
	emit_str(e, NULL, NULL, "-c");
	emit_str(e, NULL, NULL, script);
	emit_arr_close(e);
	/* a raw scan needs CAP_NET_RAW and nothing else: not privileged */
	emit_obj_open(e, "securityContext");
	emit_bool(e, "privileged", NULL, false);
	emit_bool(e, "allowPrivilegeEscalation", NULL, false);
	emit_obj_open(e, "capabilities");
	emit_arr_open(e, "add");
	emit_str(e, NULL, NULL, "NET_RAW");
	emit_arr_close(e);
	emit_arr_open(e, "drop");
	emit_str(e, NULL, NULL, "ALL");
	emit_arr_close(e);
	emit_obj_close(e);
	emit_obj_close(e);
	emit_obj_open(e, "resources");
	emit_obj_open(e, "requests");
	emit_str(e, "cpu", NULL, s->cpu ? s->cpu : "1");
	emit_str(e, "memory", NULL, s->memory ? s->memory : "256Mi");
	emit_obj_close(e);
	emit_obj_close(e);
	emit_arr_open(e, "volumeMounts");
	emit_obj_open(e, NULL);
	emit_str(e, "name", NULL, "results");
	emit_str(e, "mountPath", NULL, s->absdir);
	emit_obj_close(e);
	emit_arr_close(e);
	emit_obj_close(e);
	emit_arr_close(e);
}

static void k8s_job(struct emit *e, const struct submit *s, const char *name, const char *script)
{
	emit_obj_open(e, NULL);
	emit_str(e, "apiVersion", NULL, "batch/v1");
	emit_str(e, "kind", NULL, "Job");
	emit_obj_open(e, "metadata");
	emit_str(e, "name", NULL, name);
	emit_obj_open(e, "labels");
	emit_str(e, "app", NULL, "netkit-scan");
	emit_obj_close(e);
	emit_obj_close(e);
	emit_obj_open(e, "spec");
	emit_str(e, "completionMode", NULL, "Indexed");
	emit_u64(e, "completions", NULL, s->shards);
	unsigned long long par = s->max_running ? s->max_running : s->shards;
	emit_u64(e, "parallelism", NULL, s->nodes && s->nodes < par ? s->nodes : par);
	emit_u64(e, "backoffLimit", NULL, 6);
	emit_obj_open(e, "template");
	emit_obj_open(e, "metadata");
	emit_obj_open(e, "labels");
	emit_str(e, "app", NULL, "netkit-scan");
	emit_obj_close(e);
	emit_obj_close(e);
	emit_obj_open(e, "spec");
	/* a failed shard restarts in place and resumes from its files */
	emit_str(e, "restartPolicy", NULL, "OnFailure");
	k8s_container(e, s, script);
	emit_arr_open(e, "volumes");
	emit_obj_open(e, NULL);
	emit_str(e, "name", NULL, "results");
	emit_obj_open(e, "persistentVolumeClaim");
	emit_str(e, "claimName", NULL, s->pvc ? s->pvc : "netkit-results");
	emit_obj_close(e);
	emit_obj_close(e);
	emit_arr_close(e);
	emit_obj_close(e);
	emit_obj_close(e);
	emit_obj_close(e);
	emit_obj_close(e);
}

static int submit_k8s(const struct submit *s)
{
	char *script = NULL, p[PATH_MAX + 16], name[64];
	size_t len = 0;
	FILE *m = open_memstream(&script, &len);
	if (!m)
		return 1;
	fprintf(m, "I=$JOB_COMPLETION_INDEX\n");
	shard_script(m, s);
	fclose(m);
	snprintf(p, sizeof(p), "%s/job.json", s->absdir);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		fprintf(stderr, "netkit dist submit: %s: %s\n", p, strerror(errno));
		free(script);
		return 1;
	}
	struct emit *e = malloc(sizeof(*e));
	if (!e) {
		close(fd);
		free(script);
		return 1;
	}
	emit_init(e, fd, EMIT_JSON, EMIT_PRETTY);
	k8s_name(s->absdir, name, sizeof(name));
	k8s_job(e, s, name, script);
	int rc = emit_finish(e);
	free(e);
	free(script);
	if (close(fd) < 0 || rc < 0 || write_conf(s, NULL) < 0) {
		fprintf(stderr, "netkit dist submit: %s: write failed\n", p);
		return 1;
	}
	printf("%s\n", p);
	if (!s->no_submit)
		fprintf(stderr,
			"netkit dist submit: no cluster is reached from here: run 'kubectl "
			"apply -f %s' where the job directory is the volume '%s'\n",
			p, s->pvc ? s->pvc : "netkit-results");
	return 0;
}

int dist_submit_main(int argc, char **argv)
{
	struct submit s = {0};
	int rc = parse(&s, argc, argv);
	if (rc)
		return rc;
	if (mkdir(s.dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "netkit dist submit: %s: %s\n", s.dir, strerror(errno));
		return 1;
	}
	if (!realpath(s.dir, s.absdir)) {
		fprintf(stderr, "netkit dist submit: %s: %s\n", s.dir, strerror(errno));
		return 1;
	}
	return strcmp(s.engine, "slurm") ? submit_k8s(&s) : submit_slurm(&s);
}
