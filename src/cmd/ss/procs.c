/* Which processes hold which sockets (-p, -T), from one pass over
 * /proc/PID/fd with readlinkat on directory descriptors: no path
 * building, no allocation per descriptor, a hash from inode to the chain
 * of holders. Holders are listed as iproute2 lists them: the last one
 * found first. Also the cgroup id -> path map of -e and --cgroup. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

static bool grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
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

/* One fd directory: statdir is where "stat" is read from (the process or
 * the thread), only once a socket is found. */
static void scan_fds(struct ss_procmap *m, int statdir, int fddir, int pid, int tid, unsigned order)
{
	DIR *d = fdopendir(fddir);
	if (!d) {
		close(fddir);
		return;
	}
	long comm = -2;
	struct dirent *de;
	char lnk[64];
	while ((de = readdir(d))) {
		int fd = parse_num(de->d_name);
		if (fd < 0)
			continue;
		ssize_t n = readlinkat(fddir, de->d_name, lnk, sizeof(lnk) - 1);
		if (n < 9 || memcmp(lnk, "socket:[", 8))
			continue;
		lnk[n] = '\0';
		unsigned ino = (unsigned)strtoul(lnk + 8, NULL, 10);
		if (comm == -2) {
			comm = read_comm(m, statdir);
			if (comm < 0) {
				if (!grow((void **)&m->pool, &m->pcap, m->plen + 1, 1))
					break;
				comm = (long)m->plen;
				m->pool[m->plen++] = '\0';
			}
		}
		if (!grow((void **)&m->h, &m->cap, m->n + 1, sizeof(*m->h)))
			break;
		m->h[m->n++] = (struct holder){ino, pid, tid, fd, (unsigned)comm, -1, order};
	}
	closedir(d);
}

static void scan_threads(struct ss_procmap *m, int piddir, int pid, unsigned order)
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
		if (fdd >= 0)
			scan_fds(m, tdir, fdd, pid, tid, order);
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

/* One scanner's share: every other process of the list. */
struct share {
	struct ss_procmap m;
	int proc;
	const int *pids;
	size_t npids, first;
	bool threads;
};

static void *scan_share(void *arg)
{
	struct share *sh = arg;
	char name[16];
	for (size_t i = sh->first; i < sh->npids; i += 2) {
		snprintf(name, sizeof(name), "%d", sh->pids[i]);
		int piddir = openat(sh->proc, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (piddir < 0)
			continue;
		if (sh->threads) {
			scan_threads(&sh->m, piddir, sh->pids[i], (unsigned)i);
		} else {
			int fdd = openat(piddir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (fdd >= 0)
				scan_fds(&sh->m, piddir, fdd, sh->pids[i], 0, (unsigned)i);
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
	memcpy(m->pool, a->m.pool, a->m.plen);
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
	struct share sh[2];
	pthread_t th[2];
	bool started[2];
};

struct ss_procscan *ss_procs_start(bool threads)
{
	struct ss_procscan *ps = calloc(1, sizeof(*ps));
	if (!ps)
		return NULL;
	ps->proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	size_t npids = 0;
	ps->pids = ps->proc >= 0 ? list_pids(ps->proc, &npids) : NULL;
	/* most of the time goes to readlinkat in the kernel, which runs in
	 * parallel, and the caller meanwhile fetches the biggest table */
	for (int i = 0; i < 2; i++) {
		ps->sh[i] = (struct share){.proc = ps->proc,
					   .pids = ps->pids,
					   .npids = npids,
					   .first = (size_t)i,
					   .threads = threads};
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
