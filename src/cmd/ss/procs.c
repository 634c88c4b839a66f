/* SPDX-License-Identifier: Apache-2.0 */
/* Which processes hold which sockets (-p, -T), from one pass over
 * /proc/PID/fd on directory descriptors: each fd is probed by number with
 * statx (readlinkat where statx is refused; the directory is read where
 * its size does not count the fds), no path building, no allocation per
 * descriptor, a hash from inode to the chain of holders. Holders are
 * listed as iproute2 lists them: the last one found first. Also the
 * cgroup id -> path map of -e and --cgroup. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cmd/ss/ss.h"

struct holder {
	unsigned ino;
	int pid, tid, fd;
	unsigned comm;	/* offset in the name pool */
	int next;	/* previous holder of the same inode, -1 at the end */
	unsigned order; /* position of the process in /proc */
};

struct slot {
	unsigned ino; /* 0: empty */
	int head;
};

struct ss_procmap {
	struct holder *h;
	size_t n, cap;
	char *pool;
	size_t plen, pcap;
	struct slot *tab;
	size_t mask;
};

/* true: *p holds at least need elements (and is never NULL) */
static bool grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (*p && need <= *cap)
		return true;
	size_t c = *cap ? *cap : 1024;
	while (c < need)
		c *= 2;
	void *q = realloc(*p, c * elem);
	if (!q)
		return false;
	*p = q;
	*cap = c;
	return true;
}

/* The command name as /proc/PID/stat has it, up to the first ')' (the
 * way iproute2 reads it). */
static long read_comm(struct ss_procmap *m, int dirfd)
{
	char buf[512];
	int fd = openat(dirfd, "stat", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	char *o = strchr(buf, '(');
	if (!o)
		return -1;
	char *e = strchr(o + 1, ')');
	size_t len = e ? (size_t)(e - o - 1) : strlen(o + 1);
	if (len > 63)
		len = 63;
	if (!grow((void **)&m->pool, &m->pcap, m->plen + len + 1, 1))
		return -1;
	long off = (long)m->plen;
	memcpy(m->pool + m->plen, o + 1, len);
	m->pool[m->plen + len] = '\0';
	m->plen += len + 1;
	return off;
}

static int parse_num(const char *s)
{
	int v = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 100000000)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* What a scanner needs besides its map: the device of sockfs, so that an
 * O_PATH descriptor of a socket file on disk is not taken for a socket. */
struct fdscan {
	struct ss_procmap *m;
	int statdir; /* where "stat" is read from, once a socket is found */
	int pid, tid;
	unsigned order;
	long comm;
	unsigned sock_major, sock_minor;
	bool readlink; /* statx is not allowed here */
};

static bool add_holder(struct fdscan *s, unsigned ino, int fd)
{
	struct ss_procmap *m = s->m;
	if (s->comm == -2) {
		s->comm = read_comm(m, s->statdir);
		if (s->comm < 0) {
			if (!grow((void **)&m->pool, &m->pcap, m->plen + 1, 1))
				return false;
			s->comm = (long)m->plen;
			m->pool[m->plen++] = '\0';
		}
	}
	if (!grow((void **)&m->h, &m->cap, m->n + 1, sizeof(*m->h)))
		return false;
	m->h[m->n++] = (struct holder){ino, s->pid, s->tid, fd, (unsigned)s->comm, -1, s->order};
	return true;
}

/* One descriptor read as its link, "socket:[N]": as probe_fd. */
static int probe_link(struct fdscan *s, int fddir, const char *name, int fd)
{
	char lnk[64];
	ssize_t n = readlinkat(fddir, name, lnk, sizeof(lnk) - 1);
	if (n < 0)
		return errno == ENOENT ? -1 : 0;
	if (n < 9 || memcmp(lnk, "socket:[", 8))
		return 0;
	lnk[n] = '\0';
	return add_holder(s, (unsigned)strtoul(lnk + 8, NULL, 10), fd) ? 1 : -2;
}

/* One descriptor: 1 a socket (added), 0 something else, -1 no such fd,
 * -2 out of memory. statx follows the magic link to the socket's inode,
 * cheaper than readlinkat's "socket:[N]"; DONT_SYNC keeps a network or
 * FUSE file behind another descriptor from being asked for its attributes. */
static int probe_fd(struct fdscan *s, int fddir, const char *name, int fd)
{
	struct statx sx;
	if (s->readlink)
		return probe_link(s, fddir, name, fd);
	if (statx(fddir, name, AT_STATX_DONT_SYNC, STATX_TYPE | STATX_INO, &sx) < 0) {
		/* a seccomp filter (older container runtimes) or an old
		 * kernel without statx: the links are read instead */
		if (errno != ENOSYS && errno != EPERM)
			return errno == ENOENT ? -1 : 0;
		s->readlink = true;
		return probe_link(s, fddir, name, fd);
	}
	if (!S_ISSOCK(sx.stx_mode) || sx.stx_dev_major != s->sock_major ||
	    sx.stx_dev_minor != s->sock_minor)
		return 0;
	return add_holder(s, (unsigned)sx.stx_ino, fd) ? 1 : -2;
}

static int fd_name(char *buf, int fd)
{
	char tmp[12];
	int k = 0, n = 0;
	do
		tmp[k++] = (char)('0' + fd % 10);
	while ((fd /= 10));
	while (k)
		buf[n++] = tmp[--k];
	buf[n] = '\0';
	return n;
}

/* Misses in a row before the probe gives up on a sparse table (bash keeps
 * fd 255) and reads the directory instead. */
#define PROBE_MISSES 32

/* One fd directory, in ascending fd order as iproute2's readdir sees it.
 * The directory's size is its count of open descriptors (Linux >= 6.2):
 * probing the numbers 0, 1, 2, ... until that many are found skips
 * getdents, which builds a dentry per entry (a fifth of the scan). Older
 * kernels say 0 there, and the directory is read. */
static void scan_fds(struct fdscan *s, int fddir)
{
	struct stat ds;
	long left = fstat(fddir, &ds) == 0 ? (long)ds.st_size : 0;
	bool counted = left > 0;
	int fd = 0, misses = 0;
	char name[16];
	for (; left > 0 && misses < PROBE_MISSES; fd++) {
		fd_name(name, fd);
		int r = probe_fd(s, fddir, name, fd);
		if (r == -2) {
			close(fddir);
			return;
		}
		misses = r == -1 ? misses + 1 : 0;
		left -= r != -1;
	}
	if (counted && left <= 0) {
		close(fddir);
		return;
	}
	DIR *d = fdopendir(fddir);
	if (!d) {
		close(fddir);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		int n = parse_num(de->d_name);
		if (n >= fd && probe_fd(s, fddir, de->d_name, n) == -2)
			break;
	}
	closedir(d);
}

static void scan_threads(struct fdscan *s, int piddir)
{
	int taskfd = openat(piddir, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (taskfd < 0)
		return;
	DIR *d = fdopendir(taskfd);
	if (!d) {
		close(taskfd);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		int tid = parse_num(de->d_name);
		if (tid < 0)
			continue;
		int tdir = openat(taskfd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (tdir < 0)
			continue;
		int fdd = openat(tdir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fdd >= 0) {
			s->statdir = tdir;
			s->tid = tid;
			s->comm = -2;
			scan_fds(s, fdd);
		}
		close(tdir);
	}
	closedir(d);
}

static bool index_build(struct ss_procmap *m)
{
	size_t size = 16;
	while (size < m->n * 2)
		size *= 2;
	m->tab = calloc(size, sizeof(*m->tab));
	if (!m->tab)
		return false;
	m->mask = size - 1;
	for (size_t i = 0; i < m->n; i++) {
		unsigned ino = m->h[i].ino;
		size_t k = (ino * 2654435761u) & m->mask;
		while (m->tab[k].ino && m->tab[k].ino != ino)
			k = (k + 1) & m->mask;
		m->h[i].next = m->tab[k].ino ? m->tab[k].head : -1;
		m->tab[k].ino = ino;
		m->tab[k].head = (int)i;
	}
	return true;
}

/* One scanner's share: the processes it took from the common list, next
 * one first come first served, so that one big holder of sockets does not
 * leave the other scanner idle. Each share stays in /proc order. */
struct share {
	struct ss_procmap m;
	int proc;
	const int *pids;
	size_t npids;
	atomic_size_t *next;
	bool threads;
	unsigned sock_major, sock_minor;
};

static void *scan_share(void *arg)
{
	struct share *sh = arg;
	char name[16];
	size_t i;
	while ((i = atomic_fetch_add(sh->next, 1)) < sh->npids) {
		fd_name(name, sh->pids[i]);
		int piddir = openat(sh->proc, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (piddir < 0)
			continue;
		struct fdscan s = {.m = &sh->m,
				   .statdir = piddir,
				   .pid = sh->pids[i],
				   .order = (unsigned)i,
				   .comm = -2,
				   .sock_major = sh->sock_major,
				   .sock_minor = sh->sock_minor};
		if (sh->threads) {
			scan_threads(&s, piddir);
		} else {
			int fdd = openat(piddir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (fdd >= 0)
				scan_fds(&s, fdd);
		}
		close(piddir);
	}
	return NULL;
}

static int *list_pids(int proc, size_t *n)
{
	int dup = openat(proc, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dup >= 0 ? fdopendir(dup) : NULL;
	int *pids = NULL;
	size_t cap = 0;
	*n = 0;
	if (!d) {
		if (dup >= 0)
			close(dup);
		return NULL;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		int pid = parse_num(de->d_name);
		if (pid < 0 || !grow((void **)&pids, &cap, *n + 1, sizeof(*pids)))
			continue;
		pids[(*n)++] = pid;
	}
	closedir(d);
	return pids;
}

/* Both shares into one map, in /proc order (the order holders print in). */
static bool merge(struct ss_procmap *m, struct share *a, struct share *b)
{
	size_t n = a->m.n + b->m.n;
	if (!grow((void **)&m->h, &m->cap, n ? n : 1, sizeof(*m->h)) ||
	    !grow((void **)&m->pool, &m->pcap, a->m.plen + b->m.plen + 1, 1))
		return false;
	/* a share whose thread found no socket holder has no pool at all */
	if (a->m.plen)
		memcpy(m->pool, a->m.pool, a->m.plen);
	if (b->m.plen)
		memcpy(m->pool + a->m.plen, b->m.pool, b->m.plen);
	m->plen = a->m.plen + b->m.plen;
	size_t i = 0, j = 0;
	while (i < a->m.n || j < b->m.n) {
		if (j >= b->m.n || (i < a->m.n && a->m.h[i].order < b->m.h[j].order)) {
			m->h[m->n++] = a->m.h[i++];
		} else {
			m->h[m->n] = b->m.h[j++];
			m->h[m->n++].comm += (unsigned)a->m.plen;
		}
	}
	return true;
}

/* A scan in progress: two scanner threads over halves of /proc. */
struct ss_procscan {
	int proc;
	int *pids;
	atomic_size_t next;
	struct share sh[2];
	pthread_t th[2];
	bool started[2];
};

struct ss_procscan *ss_procs_start(bool threads)
{
	struct ss_procscan *ps = calloc(1, sizeof(*ps));
	if (!ps)
		return NULL;
	/* PROC_ROOT: another /proc, as iproute2 reads it */
	const char *root = getenv("PROC_ROOT");
	ps->proc = open(root ? root : "/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	size_t npids = 0;
	ps->pids = ps->proc >= 0 ? list_pids(ps->proc, &npids) : NULL;
	atomic_init(&ps->next, 0);
	/* sockets live on sockfs: its device, from a socket of our own */
	unsigned major = 0, minor = 0;
	int sk = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct stat st;
	if (sk >= 0 && fstat(sk, &st) == 0) {
		major = major(st.st_dev);
		minor = minor(st.st_dev);
	}
	if (sk >= 0)
		close(sk);
	/* most of the time goes to readlinkat in the kernel, which runs in
	 * parallel, and the caller meanwhile fetches the biggest table */
	for (int i = 0; i < 2; i++) {
		ps->sh[i] = (struct share){.proc = ps->proc,
					   .pids = ps->pids,
					   .npids = npids,
					   .next = &ps->next,
					   .threads = threads,
					   .sock_major = major,
					   .sock_minor = minor};
		ps->started[i] = pthread_create(&ps->th[i], NULL, scan_share, &ps->sh[i]) == 0;
	}
	return ps;
}

struct ss_procmap *ss_procs_finish(struct ss_procscan *ps)
{
	if (!ps)
		return NULL;
	for (int i = 0; i < 2; i++) {
		if (ps->started[i])
			pthread_join(ps->th[i], NULL);
		else
			scan_share(&ps->sh[i]);
	}
	struct ss_procmap *m = calloc(1, sizeof(*m));
	bool ok = m && merge(m, &ps->sh[0], &ps->sh[1]) && index_build(m);
	for (int i = 0; i < 2; i++) {
		free(ps->sh[i].m.h);
		free(ps->sh[i].m.pool);
	}
	free(ps->pids);
	if (ps->proc >= 0)
		close(ps->proc);
	free(ps);
	if (!ok) {
		ss_procs_free(m);
		return NULL;
	}
	return m;
}

struct ss_procmap *ss_procs_build(bool threads)
{
	return ss_procs_finish(ss_procs_start(threads));
}

void ss_procs_free(struct ss_procmap *m)
{
	if (!m)
		return;
	free(m->h);
	free(m->pool);
	free(m->tab);
	free(m);
}

static int head_of(const struct ss_procmap *m, unsigned ino)
{
	if (!m->tab || !ino)
		return -1;
	size_t k = (ino * 2654435761u) & m->mask;
	while (m->tab[k].ino) {
		if (m->tab[k].ino == ino)
			return m->tab[k].head;
		k = (k + 1) & m->mask;
	}
	return -1;
}

int ss_procs_from(const struct ss_procmap *m, int first, ss_user_fn fn, void *arg)
{
	int n = 0;
	for (int i = first; i >= 0; i = m->h[i].next, n++)
		fn(arg, m->pool + m->h[i].comm, m->h[i].pid, m->h[i].tid, m->h[i].fd);
	return n;
}

int ss_procs_each(const struct ss_procmap *m, unsigned ino, ss_user_fn fn, void *arg)
{
	return ss_procs_from(m, head_of(m, ino), fn, arg);
}

void ss_procs_prefetch(const struct ss_procmap *m, unsigned ino, int stage)
{
	if (!m->tab || !ino)
		return;
	const struct slot *sl = &m->tab[(ino * 2654435761u) & m->mask];
	if (stage == 0)
		__builtin_prefetch(sl);
	else if (sl->ino == ino)
		__builtin_prefetch(&m->h[sl->head]);
}

int ss_procs_first(const struct ss_procmap *m, unsigned ino)
{
	return head_of(m, ino);
}

bool ss_procs_any(const struct ss_procmap *m, unsigned ino)
{
	return head_of(m, ino) >= 0;
}

/* ---- cgroup ids ---- */

struct cg_ent {
	uint64_t id;
	char *path;
};

struct ss_cgmap {
	struct cg_ent *e;
	size_t n, cap;
};

/* Every directory under the cgroup2 mount: its inode is the cgroup id. */
static void cg_walk(struct ss_cgmap *m, int dirfd, char *path, size_t plen, int depth)
{
	struct stat st;
	if (fstat(dirfd, &st) == 0 && grow((void **)&m->e, &m->cap, m->n + 1, sizeof(*m->e))) {
		m->e[m->n].id = st.st_ino;
		m->e[m->n].path = strdup(plen ? path : "/");
		m->n++;
	}
	DIR *d = fdopendir(dirfd);
	if (!d) {
		close(dirfd);
		return;
	}
	struct dirent *de;
	while (depth < 32 && (de = readdir(d))) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		size_t n = strlen(de->d_name);
		if (plen + n + 2 > 4096)
			continue;
		int sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (sub < 0)
			continue;
		path[plen] = '/';
		memcpy(path + plen + 1, de->d_name, n + 1);
		cg_walk(m, sub, path, plen + 1 + n, depth + 1);
		path[plen] = '\0';
	}
	closedir(d);
}

const char *ss_cgroup_path(struct ss_ctx *c, uint64_t id, char *buf, size_t len)
{
	if (!c->cgmap) {
		c->cgmap = calloc(1, sizeof(*c->cgmap));
		int fd = open("/sys/fs/cgroup", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (c->cgmap && fd >= 0) {
			char path[4096] = "";
			cg_walk(c->cgmap, fd, path, 0, 0);
		} else if (fd >= 0) {
			close(fd);
		}
	}
	for (size_t i = 0; c->cgmap && i < c->cgmap->n; i++) {
		if (c->cgmap->e[i].id == id && c->cgmap->e[i].path) {
			snprintf(buf, len, "%s", c->cgmap->e[i].path);
			return buf;
		}
	}
	snprintf(buf, len, "unreachable:%llx", (unsigned long long)id);
	return buf;
}

void ss_cgmap_free(struct ss_cgmap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++)
		free(m->e[i].path);
	free(m->e);
	free(m);
}
