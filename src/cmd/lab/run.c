/* SPDX-License-Identifier: Apache-2.0 */
/* Processes and files of a lab: spawning inside a namespace, ending every
 * process of a namespace, removing trees. */
#include "cmd/lab/lab.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/nl/netns.h"
#include "lib/nl/nl.h"

int lab_mkdirs(const char *path, mode_t mode)
{
	char buf[LAB_PATH];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int lab_write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	size_t len = strlen(text), off = 0;
	while (off < len) {
		ssize_t n = write(fd, text + off, len - off);
		if (n < 0) {
			int r = -errno;
			close(fd);
			return r;
		}
		off += (size_t)n;
	}
	fchmod(fd, mode);
	return close(fd) < 0 ? -errno : 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	int r = flag == FTW_DP ? rmdir(path) : unlink(path);
	return r < 0 && errno != ENOENT ? -1 : 0;
}

int lab_rmtree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	return nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS) < 0 ? -errno : 0;
}

static int bind_etc(const char *dir, const char *name)
{
	char src[LAB_PATH + 256], dst[LAB_PATH];
	snprintf(src, sizeof(src), "%s/%s", dir, name);
	snprintf(dst, sizeof(dst), "/etc/%s", name);
	return mount(src, dst, "none", MS_BIND, NULL) < 0 ? -errno : 0;
}

int lab_etc_netns(const char *ns)
{
	if (unshare(CLONE_NEWNS) < 0)
		return -errno;
	/* our mounts must not leak back into the parent's namespace */
	if (mount("", "/", "none", MS_SLAVE | MS_REC, NULL) < 0)
		return -errno;
	/* /sys shows the links of the namespace that mounts it */
	if (umount2("/sys", MNT_DETACH) == 0)
		mount(ns, "/sys", "sysfs", 0, NULL);
	char dir[LAB_PATH];
	snprintf(dir, sizeof(dir), "%s/%s", LAB_ETC_NETNS, ns);
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	struct dirent *de;
	int r = 0;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && bind_etc(dir, de->d_name) < 0 && !r)
			r = -errno;
	closedir(d);
	return r;
}

static void child(const char *ns, char *const argv[], const struct spawn *sp)
{
	setsid();
	signal(SIGPIPE, SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL); /* `up` blocks some; exec keeps masks */
	if (ns && nl_netns_enter(ns) < 0)
		_exit(126);
	if (sp->etc_netns && lab_etc_netns(ns) < 0)
		_exit(126);
	int in = open("/dev/null", O_RDONLY);
	int out = sp->log ? open(sp->log, O_WRONLY | O_CREAT | O_APPEND, 0644)
			  : open("/dev/null", O_WRONLY);
	if (in < 0 || out < 0)
		_exit(126);
	dup2(in, 0);
	dup2(out, 1);
	dup2(out, 2);
	/* nothing of ours (pipes to whoever ran `lab up`) may stay open */
	for (int fd = 3; fd < 1024; fd++)
		if (fd != sp->keep_fd)
			close(fd);
	/* daemons must not pin the caller's directory (nor need to enter it) */
	if (chdir("/") < 0)
		_exit(126);
	if (sp->uid) {
		if (setgroups(0, NULL) < 0 || setgid(sp->gid) < 0 || setuid(sp->uid) < 0)
			_exit(126);
	}
	execvp(argv[0], argv);
	dprintf(2, "netkit lab: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* `up` blocks these and looks for them between steps, so that an
 * interrupted `up` removes what it made instead of leaving it. */
static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};

void lab_block_stop_signals(void)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
		sigaddset(&set, stop_signals[i]);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

bool lab_interrupted(void)
{
	sigset_t set;
	if (sigpending(&set) < 0)
		return false;
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
		if (sigismember(&set, stop_signals[i]))
			return true;
	return false;
}

pid_t lab_spawn(const char *ns, char *const argv[], const struct spawn *sp)
{
	pid_t pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		child(ns, argv, sp);
	return pid;
}

int lab_run(const char *ns, char *const argv[], const struct spawn *sp)
{
	pid_t pid = lab_spawn(ns, argv, sp);
	if (pid < 0)
		return pid;
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Processes whose network namespace is one of inodes[]; -1 if /proc is
 * unreadable. */
static int ns_pids(const uint64_t *inodes, int n, pid_t *pids, int max)
{
	DIR *d = opendir("/proc");
	if (!d) /* -1, not -errno: the callers only test for <= 0 (and clang's
		 * analyzer cannot tell that -errno is negative) */
		return -1;
	struct dirent *de;
	int count = 0;
	pid_t self = getpid();
	while ((de = readdir(d)) && count < max) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0 || pid == self)
			continue;
		char path[64];
		struct stat st;
		snprintf(path, sizeof(path), "/proc/%ld/ns/net", pid);
		if (stat(path, &st) < 0)
			continue;
		for (int i = 0; i < n; i++)
			if (inodes[i] && (uint64_t)st.st_ino == inodes[i]) {
				pids[count++] = (pid_t)pid;
				break;
			}
	}
	closedir(d);
	return count;
}

int lab_kill_ns(const char *const *ns, int n)
{
	uint64_t inodes[TOPO_MAX_HOSTS * 2];
	if (n > (int)(sizeof(inodes) / sizeof(inodes[0])))
		n = sizeof(inodes) / sizeof(inodes[0]);
	for (int i = 0; i < n; i++)
		inodes[i] = netns_inode(ns[i]);
	pid_t pids[4096];
	int first = ns_pids(inodes, n, pids, 4096);
	if (first <= 0)
		return first;
	for (int i = 0; i < first; i++)
		kill(pids[i], SIGTERM);
	/* give them up to 3 s to go on their own (postgres shuts down cleanly) */
	for (int tries = 0; tries < 60; tries++) {
		struct timespec ts = {0, 50 * 1000 * 1000};
		nanosleep(&ts, NULL);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (ns_pids(inodes, n, pids, 4096) <= 0)
			return first;
	}
	for (int round = 0; round < 5; round++) {
		int left = ns_pids(inodes, n, pids, 4096);
		if (left <= 0)
			break;
		for (int i = 0; i < left; i++)
			kill(pids[i], SIGKILL);
		struct timespec ts = {0, 50 * 1000 * 1000};
		nanosleep(&ts, NULL);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
	return first;
}
