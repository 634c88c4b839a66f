/* SPDX-License-Identifier: Apache-2.0 */
/* Named network namespaces (see netns.h). */
#include "lib/nl/netns.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/nl/nl.h"

static int ns_path(const char *name, char *buf, size_t size)
{
	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return -EINVAL;
	int n = snprintf(buf, size, "%s/%s", NETNS_RUN_DIR, name);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* Make /run/netns a shared mount point so that a namespace mounted here
 * shows in every mount namespace and an unmount reaches them all (a
 * namespace held by a stale copy of the mount would never go away). */
static int run_dir_shared(void)
{
	if (mkdir(NETNS_RUN_DIR, 0755) < 0 && errno != EEXIST)
		return -errno;
	for (int tries = 0; tries < 2; tries++) {
		if (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL) == 0)
			return 0;
		if (errno != EINVAL || tries)
			return -errno;
		/* not a mount point yet: bind it onto itself first */
		if (mount(NETNS_RUN_DIR, NETNS_RUN_DIR, "none", MS_BIND | MS_REC, NULL) < 0)
			return -errno;
	}
	return -EINVAL;
}

int netns_add(const char *name)
{
	char path[PATH_MAX];
	int r = ns_path(name, path, sizeof(path));
	if (r < 0 || (r = run_dir_shared()) < 0)
		return r;
	int fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	close(fd);
	int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home < 0) {
		r = -errno;
		unlink(path);
		return r;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		r = -errno;
	} else {
		if (mount("/proc/self/ns/net", path, "none", MS_BIND, NULL) < 0)
			r = -errno;
		if (setns(home, CLONE_NEWNET) < 0 && !r)
			r = -errno;
	}
	close(home);
	if (r < 0)
		unlink(path);
	return r;
}

int netns_del(const char *name)
{
	char path[PATH_MAX];
	int r = ns_path(name, path, sizeof(path));
	if (r < 0)
		return r;
	/* not mounted (a file left by a killed run) is fine: unlink it */
	umount2(path, MNT_DETACH);
	return unlink(path) < 0 ? -errno : 0;
}

uint64_t netns_inode(const char *name)
{
	char path[PATH_MAX];
	struct stat st;
	if (ns_path(name, path, sizeof(path)) < 0 || stat(path, &st) < 0)
		return 0;
	/* an unmounted leftover file is a plain empty file, not a namespace */
	struct stat self;
	if (stat(NETNS_RUN_DIR, &self) == 0 && st.st_dev == self.st_dev)
		return 0;
	return (uint64_t)st.st_ino;
}

int netns_call(const char *name, int (*fn)(void *arg), void *arg)
{
	int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home < 0)
		return -errno;
	int r = nl_netns_enter(name);
	if (r == 0) {
		r = fn(arg);
		if (setns(home, CLONE_NEWNET) < 0 && r >= 0)
			r = -errno;
	}
	close(home);
	return r;
}

struct sysctl_arg {
	const char *path;
	const char *value;
};

static int sysctl_write(void *p)
{
	const struct sysctl_arg *a = p;
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "/proc/sys/%s", a->path);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	size_t len = strlen(a->value);
	ssize_t n = write(fd, a->value, len);
	int r = n < 0 ? -errno : (size_t)n != len ? -EIO : 0;
	close(fd);
	return r;
}

int netns_sysctl(const char *name, const char *path, const char *value)
{
	struct sysctl_arg a = {path, value};
	return netns_call(name, sysctl_write, &a);
}

struct socket_arg {
	int domain, type, proto;
};

static int socket_open(void *p)
{
	const struct socket_arg *a = p;
	int fd = socket(a->domain, a->type | SOCK_CLOEXEC, a->proto);
	if (fd < 0)
		return -errno;
	return fd;
}

int netns_socket(const char *name, int domain, int type, int proto)
{
	struct socket_arg a = {domain, type, proto};
	return netns_call(name, socket_open, &a);
}
