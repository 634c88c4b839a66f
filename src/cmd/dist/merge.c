/* SPDX-License-Identifier: Apache-2.0 */
/* netkit dist merge JOBDIR [-oA BASE] [-oN F] [-oX F] [-oG F] [-oJ F]:
 * the shards' outputs put back together as one run's. Each shard walked
 * its targets in the single run's order and tagged each XML host with its
 * index (comment="netkit shard I/N target K"). A shard writes hosts as
 * they finish, so the merge indexes each shard's hosts (where each XML
 * element and its normal and grepable blocks are, paired by address; not
 * their text), sorts the index and copies the hosts out in the single
 * run's order; the NDJSON likewise through an index of its lines. Run
 * statistics are summed; the per-shard progress (hosthint,
 * taskbegin/end/progress) is left out. */
#include "cmd/dist/dist.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { F_NMAP, F_XML, F_GNMAP, F_JSON, F_N };

/* qsort that leaves an empty list alone: an empty list's base may be NULL,
 * which qsort's contract does not allow (UBSan stops the run on it) */
static void sort_n(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

static const char *const exts[F_N] = {"nmap", "xml", "gnmap", "json"};

struct buf {
	char *p;
	size_t n, cap;
};

static int buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = (b->n + n + 1) * 2;
		char *p = realloc(b->p, cap);
		if (!p)
			return -ENOMEM;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
	return 0;
}

struct in_shard {
	FILE *f[F_N];
	struct buf host; /* the next XML host element */
	bool has;
	uint64_t idx;
	char addr[64];
	struct buf text[F_N]; /* a pending normal / grepable block */
	char taddr[F_N][64];
	off_t off[F_N]; /* where the host / block just read starts in its file */
	size_t len[F_N];
	/* runstats */
	unsigned long up, down, total;
	double elapsed;
	long start, fin;
};

struct merge {
	struct dist_job job;
	struct in_shard *sh;
	FILE *out[F_N];
	struct buf head[F_N], tail[F_N]; /* shard 0's header and trailer text */
	struct buf post;		 /* shard 0's postscript element */
	bool head_done;			 /* the headers are written: shard 0 adds no more */
	bool portscan;			 /* the run had a port scan (a <scaninfo>) */
	char *line;
	size_t linecap;
};

static ssize_t rd(struct merge *m, FILE *f)
{
	return f ? getline(&m->line, &m->linecap, f) : -1;
}

static bool starts(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

/* Drop " --shard I" (and its XML form " -&#45;shard I") from a line. */
static void strip_shard_arg(char *s)
{
	static const char *const forms[] = {" --shard ", " -&#45;shard "};
	for (size_t k = 0; k < 2; k++) {
		char *p;
		while ((p = strstr(s, forms[k]))) {
			char *e = p + strlen(forms[k]);
			e += strspn(e, "0123456789");
			memmove(p, e, strlen(e) + 1);
		}
	}
}

/* Skip an element from its first line to the line closing it. */
static void skip_elem(struct merge *m, FILE *f, const char *close, struct buf *keep)
{
	if (keep)
		buf_add(keep, m->line, strlen(m->line));
	if (strstr(m->line, close))
		return;
	while (rd(m, f) > 0) {
		if (keep)
			buf_add(keep, m->line, strlen(m->line));
		if (strstr(m->line, close))
			return;
	}
}

static void parse_runstats(struct merge *m, struct in_shard *s, FILE *f)
{
	while (rd(m, f) > 0) {
		const char *p;
		if ((p = strstr(m->line, "<finished "))) {
			const char *t = strstr(p, " time=\""), *e = strstr(p, " elapsed=\"");
			if (t)
				s->fin = strtol(t + 7, NULL, 10);
			if (e)
				s->elapsed = strtod(e + 10, NULL);
		} else if ((p = strstr(m->line, "<hosts "))) {
			sscanf(p, "<hosts up=\"%lu\" down=\"%lu\" total=\"%lu\"", &s->up, &s->down,
			       &s->total);
		} else if (strstr(m->line, "</runstats>")) {
			break;
		}
	}
}

/* The first address of the host element. */
static void host_addr(struct in_shard *s)
{
	const char *a = strstr(s->host.p, "<address addr=\"");
	s->addr[0] = '\0';
	if (a)
		sscanf(a + 15, "%63[^\"]", s->addr);
}

/* Read shard s's XML up to its next host; false at its end. */
static bool next_xml_host(struct merge *m, struct in_shard *s)
{
	FILE *f = s->f[F_XML];
	bool first = s == m->sh;
	s->has = false;
	s->host.n = 0;
	for (;;) {
		off_t pos = ftello(f);
		if (rd(m, f) <= 0)
			break;
		char *l = m->line;
		if (starts(l, "<host ") || starts(l, "<host>")) {
			s->off[F_XML] = pos;
			/* the merged run has no shard: drop the comment */
			char *c = strstr(l, " comment=\"netkit shard ");
			const char *t = c ? strstr(c, " target ") : NULL;
			s->idx = t ? strtoull(t + 8, NULL, 10) : UINT64_MAX;
			if (c) {
				char *e = strchr(c + 10, '"');
				if (e)
					memmove(c, e + 1, strlen(e + 1) + 1);
			}
			skip_elem(m, f, "</host>", &s->host);
			s->len[F_XML] = (size_t)(ftello(f) - pos);
			host_addr(s);
			return s->has = true;
		}
		if (starts(l, "<hosthint"))
			skip_elem(m, f, "</hosthint>", NULL);
		else if (starts(l, "<postscript"))
			skip_elem(m, f, "</postscript>", first ? &m->post : NULL);
		else if (starts(l, "<prescript"))
			skip_elem(m, f, "</prescript>",
				  first && !m->head_done ? &m->head[F_XML] : NULL);
		else if (starts(l, "<runstats>"))
			parse_runstats(m, s, f);
		else if (starts(l, "<nmaprun ")) {
			const char *a = strstr(l, " start=\"");
			s->start = a ? strtol(a + 8, NULL, 10) : 0;
			if (first && !m->head_done) {
				strip_shard_arg(l);
				buf_add(&m->head[F_XML], l, strlen(l));
			}
		} else if (first && !m->head_done && !starts(l, "<task") &&
			   !starts(l, "</nmaprun") && !starts(l, "<output") &&
			   !starts(l, "<target ")) {
			/* the prolog, scaninfo, verbose, debugging: shard 0's */
			strip_shard_arg(l);
			buf_add(&m->head[F_XML], l, strlen(l));
		}
	}
	return false;
}

/* The address a normal or grepable host block is about. */
static void block_addr(int k, const char *l, char *out)
{
	out[0] = '\0';
	if (k == F_GNMAP) {
		sscanf(l, "Host: %63s", out);
		return;
	}
	const char *p = l + strlen("Nmap scan report for ");
	const char *o = strrchr(p, '(');
	if (o && strchr(o, ')'))
		sscanf(o + 1, "%63[^)]", out);
	else
		sscanf(p, "%63s", out);
}

static bool text_trailer(int k, const char *l)
{
	static const char *const t[] = {"# Nmap done at",
					"Service detection performed",
					"OS detection performed",
					"OS and Service detection performed",
					"Read data files from",
					"Post-scan script results:",
					"Nmap done:"};
	if (k == F_GNMAP)
		return starts(l, "# Nmap done at");
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (starts(l, t[i]))
			return true;
	return false;
}

static bool block_start(int k, const char *l)
{
	return starts(l, k == F_GNMAP ? "Host: " : "Nmap scan report for ");
}

/* Read the next host block of a text file into s->text[k] (a grepable
 * host's lines all start "Host: ADDR "). The header goes to m->head for
 * shard 0, the trailer to m->tail. */
static bool next_block(struct merge *m, struct in_shard *s, int k)
{
	FILE *f = s->f[k];
	bool first = s == m->sh;
	struct buf *b = &s->text[k];
	if (!f)
		return false;
	b->n = 0;
	for (;;) {
		off_t pos = ftello(f);
		if (b->n)
			s->len[k] = (size_t)(pos - s->off[k]);
		if (rd(m, f) <= 0)
			break;
		char *l = m->line;
		if (block_start(k, l)) {
			char a[64];
			block_addr(k, l, a);
			if (b->n && strcmp(a, s->taddr[k])) {
				fseeko(f, pos, SEEK_SET); /* the next block's first line */
				return true;
			}
			if (!b->n) {
				strcpy(s->taddr[k], a);
				s->off[k] = pos;
			}
			buf_add(b, l, strlen(l));
		} else if (text_trailer(k, l)) {
			if (first && !starts(l, "# Nmap done at"))
				buf_add(&m->tail[k], l, strlen(l));
			while (rd(m, f) > 0)
				if (first && !starts(m->line, "# Nmap done at"))
					buf_add(&m->tail[k], m->line, strlen(m->line));
			break;
		} else if (b->n) {
			buf_add(b, l, strlen(l));
		} else if (first && !m->head_done) {
			strip_shard_arg(l);
			buf_add(&m->head[k], l, strlen(l));
		}
	}
	return b->n > 0;
}

/* ---- NDJSON: the lines in index order ---- */

struct jline {
	uint64_t idx;
	uint32_t shard;
	off_t off;
};

static int jcmp(const void *a, const void *b)
{
	const struct jline *x = a, *y = b;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Drop ,"target_index":K from a line (the merged run has no shards). */
static void strip_index(char *l)
{
	char *p = strstr(l, ",\"target_index\":");
	if (!p)
		return;
	char *e = p + 16;
	e += strspn(e, "0123456789");
	memmove(p, e, strlen(e) + 1);
}

static int merge_json(struct merge *m, FILE *out)
{
	struct jline *v = NULL;
	size_t n = 0, cap = 0;
	for (uint64_t i = 0; i < m->job.shards; i++) {
		FILE *f = m->sh[i].f[F_JSON];
		if (!f)
			continue;
		for (;;) {
			off_t off = ftello(f);
			if (rd(m, f) <= 0)
				break;
			const char *p = strstr(m->line, "\"target_index\":");
			if (!p || m->line[strlen(m->line) - 1] != '\n')
				continue; /* not a shard's host, or a cut last line */
			if (n == cap) {
				cap = cap ? cap * 2 : 4096;
				struct jline *nv = realloc(v, cap * sizeof(*v));
				if (!nv) {
					free(v);
					return -ENOMEM;
				}
				v = nv;
			}
			v[n++] = (struct jline){strtoull(p + 15, NULL, 10), (uint32_t)i, off};
		}
	}
	sort_n(v, n, sizeof(*v), jcmp);
	for (size_t k = 0; k < n; k++) {
		FILE *f = m->sh[v[k].shard].f[F_JSON];
		fseeko(f, v[k].off, SEEK_SET);
		if (rd(m, f) <= 0)
			continue;
		strip_index(m->line);
		fputs(m->line, out);
	}
	free(v);
	return 0;
}

/* ---- the XML, normal and grepable outputs ---- */

static void put(struct merge *m, int k, const char *s, size_t n)
{
	if (m->out[k] && n)
		fwrite(s, 1, n, m->out[k]);
}

static void ctime_str(long t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	strftime(buf, len, "%a %b %e %H:%M:%S %Y", &tm);
}

static void write_trailers(struct merge *m)
{
	unsigned long up = 0, down = 0, total = 0;
	long start = 0, fin = 0;
	double end = 0;
	for (uint64_t i = 0; i < m->job.shards; i++) {
		struct in_shard *s = &m->sh[i];
		up += s->up;
		down += s->down;
		total += s->total;
		if (!i || s->start < start)
			start = s->start;
		if (s->fin > fin)
			fin = s->fin;
		if ((double)s->start + s->elapsed > end)
			end = (double)s->start + s->elapsed;
	}
	double el = end - (double)start;
	char ts[64], sum[256];
	ctime_str(fin, ts, sizeof(ts));
	snprintf(sum, sizeof(sum), "%lu IP address%s (%lu host%s up) scanned in %.2f seconds",
		 total, total == 1 ? "" : "es", up, up == 1 ? "" : "s", el);
	for (int k = F_NMAP; k <= F_GNMAP; k++) {
		if (!m->out[k])
			continue;
		if (k == F_XML) {
			put(m, k, m->post.p, m->post.n);
			fprintf(m->out[k],
				"<runstats>\n<finished time=\"%ld\" timestr=\"%s\" summary=\"Nmap "
				"done "
				"at %s; %s\" elapsed=\"%.2f\" exit=\"success\"/>\n<hosts "
				"up=\"%lu\" "
				"down=\"%lu\" total=\"%lu\"/>\n</runstats>\n</nmaprun>\n",
				fin, ts, ts, sum, el, up, down, total);
			continue;
		}
		put(m, k, m->tail[k].p, m->tail[k].n);
		fprintf(m->out[k], "# Nmap done at %s -- %s\n", ts, sum);
	}
}

/* One host of the merged run: where its XML element and its normal and
 * grepable blocks are in its shard's files. */
struct ent {
	uint64_t key; /* down hosts first after a port scan, then the index */
	uint64_t idx;
	uint32_t shard;
	off_t off[3];
	uint32_t len[3];
};

/* A shard's host or text block, for pairing blocks with XML hosts by
 * address (the k-th block for an address is the k-th host with it). */
struct tag {
	char addr[48];
	size_t seq, ent;
	off_t off;
	uint32_t len;
};

static int tagcmp(const void *a, const void *b)
{
	const struct tag *x = a, *y = b;
	int c = strcmp(x->addr, y->addr);
	return c ? c : x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int entcmp(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

struct index {
	struct ent *e;
	size_t n, cap;
	struct tag *t[F_N]; /* this shard's, in file order */
	size_t nt[F_N], capt[F_N];
	struct buf left[F_N]; /* blocks no XML host has (kept, put last) */
};

static int grow(void **v, size_t *cap, size_t n, size_t sz)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 1024;
	while (c <= n)
		c *= 2;
	void *p = realloc(*v, c * sz);
	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = c;
	return 0;
}

static int add_tag(struct index *x, int k, const char *addr, off_t off, size_t len)
{
	if (grow((void **)&x->t[k], &x->capt[k], x->nt[k], sizeof(struct tag)) < 0)
		return -ENOMEM;
	struct tag *t = &x->t[k][x->nt[k]];
	snprintf(t->addr, sizeof(t->addr), "%s", addr);
	t->seq = x->nt[k]++;
	t->off = off;
	t->len = (uint32_t)len;
	t->ent = x->n;
	return 0;
}

/* Read shard i whole: an entry per XML host, its text blocks paired. */
static int index_shard(struct merge *m, struct index *x, uint32_t i)
{
	struct in_shard *s = &m->sh[i];
	size_t first = x->n;
	for (int k = 0; k < F_N; k++)
		x->nt[k] = 0;
	while (next_xml_host(m, s)) {
		if (i == 0 && m->head[F_XML].p)
			m->portscan = strstr(m->head[F_XML].p, "<scaninfo ") != NULL;
		if (grow((void **)&x->e, &x->cap, x->n, sizeof(struct ent)) < 0 ||
		    add_tag(x, F_XML, s->addr, 0, 0) < 0)
			return -ENOMEM;
		/* after a port scan, nmap reports a group's down hosts (-v) as
		 * discovery finds them, before its up hosts */
		bool down = m->portscan && strstr(s->host.p, "<status state=\"down\"");
		x->e[x->n++] = (struct ent){.key = !down,
					    .idx = s->idx,
					    .shard = i,
					    .off[F_XML] = s->off[F_XML],
					    .len[F_XML] = (uint32_t)s->len[F_XML]};
	}
	for (int k = F_NMAP; k <= F_GNMAP; k += 2) {
		while (next_block(m, s, k))
			if (add_tag(x, k, s->taddr[k], s->off[k], s->len[k]) < 0)
				return -ENOMEM;
		sort_n(x->t[F_XML], x->nt[F_XML], sizeof(struct tag), tagcmp);
		sort_n(x->t[k], x->nt[k], sizeof(struct tag), tagcmp);
		size_t a = 0;
		for (size_t b = 0; b < x->nt[k]; b++) {
			struct tag *t = &x->t[k][b];
			while (a < x->nt[F_XML] && strcmp(x->t[F_XML][a].addr, t->addr) < 0)
				a++;
			if (a < x->nt[F_XML] && !strcmp(x->t[F_XML][a].addr, t->addr)) {
				struct ent *e = &x->e[first + x->t[F_XML][a].seq];
				e->off[k] = t->off;
				e->len[k] = t->len;
				a++;
			} else if (m->out[k]) { /* a block no XML host has */
				char *buf = malloc(t->len);
				fseeko(s->f[k], t->off, SEEK_SET);
				if (buf && fread(buf, 1, t->len, s->f[k]) == t->len)
					buf_add(&x->left[k], buf, t->len);
				free(buf);
			}
		}
	}
	return 0;
}

static void copy_out(struct merge *m, int k, FILE *f, off_t off, size_t len)
{
	if (!m->out[k] || !len || fseeko(f, off, SEEK_SET) < 0)
		return;
	struct buf b = {0};
	if (grow((void **)&b.p, &b.cap, len + 1, 1) < 0)
		return;
	size_t n = fread(b.p, 1, len, f);
	b.p[n] = '\0';
	if (k == F_XML) { /* the merged run has no shard: drop the comment */
		char *c = strstr(b.p, " comment=\"netkit shard ");
		char *e = c ? strchr(c + 10, '"') : NULL;
		if (e) {
			memmove(c, e + 1, n - (size_t)(e + 1 - b.p) + 1);
			n -= (size_t)(e + 1 - c);
		}
	}
	put(m, k, b.p, n);
	free(b.p);
}

/* Every shard's hosts indexed (about 100 bytes a host, not their text),
 * then written in the single run's order: a shard writes its hosts as
 * they finish (with -v its down hosts before the port scan's), so its own
 * order is not the index's. */
static int merge_hosts(struct merge *m)
{
	struct index x = {0};
	int rc = 0;
	for (uint32_t i = 0; i < m->job.shards && !rc; i++)
		rc = index_shard(m, &x, i);
	for (int k = 0; k < F_N; k++)
		free(x.t[k]);
	if (!rc) {
		sort_n(x.e, x.n, sizeof(*x.e), entcmp);
		for (int k = F_NMAP; k <= F_GNMAP; k++)
			put(m, k, m->head[k].p, m->head[k].n);
		m->head_done = true;
		for (size_t j = 0; j < x.n; j++)
			for (int k = F_NMAP; k <= F_GNMAP; k++)
				copy_out(m, k, m->sh[x.e[j].shard].f[k], x.e[j].off[k],
					 x.e[j].len[k]);
		for (int k = F_NMAP; k <= F_GNMAP; k += 2)
			put(m, k, x.left[k].p, x.left[k].n);
		write_trailers(m);
	}
	free(x.e);
	for (int k = 0; k < F_N; k++)
		free(x.left[k].p);
	return rc;
}

/* ---- the command ---- */

static void usage(FILE *f)
{
	fprintf(f, "Usage: netkit dist merge JOBDIR [-oA BASE] [-oN FILE] [-oX FILE] [-oG FILE] "
		   "[-oJ FILE]\n");
}

static FILE *open_out(const char *path)
{
	if (!strcmp(path, "-"))
		return stdout;
	FILE *f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "netkit dist merge: %s: %s\n", path, strerror(errno));
	return f;
}

static int parse_outs(int argc, char **argv, const char *path[F_N], char *abuf[3])
{
	static const char *const opt[F_N] = {"-oN", "-oX", "-oG", "-oJ"};
	for (int i = 3; i < argc; i++) {
		if (i + 1 >= argc) {
			fprintf(stderr, "netkit dist merge: %s needs a file name\n", argv[i]);
			return 255;
		}
		int k;
		for (k = 0; k < F_N && strcmp(argv[i], opt[k]); k++)
			;
		if (k < F_N) {
			path[k] = argv[++i];
		} else if (!strcmp(argv[i], "-oA")) {
			const char *b = argv[++i];
			for (int j = 0; j < 3; j++) {
				free(abuf[j]);
				if (asprintf(&abuf[j], "%s.%s", b, exts[j]) < 0)
					return 1;
				path[j] = abuf[j];
			}
		} else {
			fprintf(stderr, "netkit dist merge: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return 255;
		}
	}
	return 0;
}

/* Every shard done, or the ones that are not, named. */
static int check_shards(const struct dist_job *j)
{
	struct buf miss = {0}, fail = {0}, run = {0};
	for (uint64_t i = 0; i < j->shards; i++) {
		int rc;
		unsigned long up, total;
		enum shard_state st = dist_shard_state(j, i, &rc, &up, &total);
		char w[32];
		snprintf(w, sizeof(w), " %llu", (unsigned long long)i);
		struct buf *b = st == SH_MISSING ? &miss : st == SH_FAILED ? &fail : &run;
		if (st != SH_DONE)
			buf_add(b, w, strlen(w));
	}
	bool bad = miss.n || fail.n || run.n;
	if (bad)
		fprintf(stderr,
			"netkit dist merge: %s: not every shard of %llu is done:%s%s%s%s%s%s\n",
			j->dir, (unsigned long long)j->shards, miss.n ? " missing" : "",
			miss.n ? miss.p : "", fail.n ? " failed" : "", fail.n ? fail.p : "",
			run.n ? " unfinished" : "", run.n ? run.p : "");
	free(miss.p);
	free(fail.p);
	free(run.p);
	return bad ? 1 : 0;
}

static int open_inputs(struct merge *m, const char *path[F_N])
{
	for (uint64_t i = 0; i < m->job.shards; i++)
		for (int k = 0; k < F_N; k++) {
			char p[4096];
			if (!path[k] && k != F_XML)
				continue;
			dist_path(p, sizeof(p), &m->job, i, exts[k]);
			m->sh[i].f[k] = fopen(p, "r");
			if (!m->sh[i].f[k]) {
				fprintf(stderr, "netkit dist merge: %s: %s\n", p, strerror(errno));
				return 1;
			}
		}
	return 0;
}

static void merge_free(struct merge *m)
{
	for (uint64_t i = 0; m->sh && i < m->job.shards; i++) {
		for (int k = 0; k < F_N; k++) {
			if (m->sh[i].f[k])
				fclose(m->sh[i].f[k]);
			free(m->sh[i].text[k].p);
		}
		free(m->sh[i].host.p);
	}
	for (int k = 0; k < F_N; k++) {
		if (m->out[k] && m->out[k] != stdout)
			fclose(m->out[k]);
		free(m->head[k].p);
		free(m->tail[k].p);
	}
	free(m->post.p);
	free(m->sh);
	free(m->line);
}

int dist_merge_main(int argc, char **argv)
{
	const char *path[F_N] = {0};
	char *abuf[3] = {0};
	struct merge m = {0};
	if (argc < 3 || argv[2][0] == '-') {
		usage(stderr);
		return 255;
	}
	int rc = parse_outs(argc, argv, path, abuf);
	if (!rc && !path[0] && !path[1] && !path[2] && !path[3]) {
		fprintf(stderr, "netkit dist merge: no output named (-oA, -oN, -oX, -oG, -oJ)\n");
		rc = 255;
	}
	if (rc || (rc = dist_job_load(&m.job, argv[2]) ? 1 : 0) || (rc = check_shards(&m.job)))
		goto out;
	m.sh = calloc(m.job.shards, sizeof(*m.sh));
	if (!m.sh || (rc = open_inputs(&m, path)))
		goto out;
	for (int k = 0; k < F_N; k++)
		if (path[k] && !(m.out[k] = open_out(path[k]))) {
			rc = 1;
			goto out;
		}
	if (merge_hosts(&m) < 0) {
		fprintf(stderr, "netkit dist merge: out of memory\n");
		rc = 1;
		goto out;
	}
	if (m.out[F_JSON] && merge_json(&m, m.out[F_JSON]) < 0)
		rc = 1;
	for (int k = 0; k < F_N; k++)
		if (m.out[k] && (fflush(m.out[k]) || ferror(m.out[k]))) {
			fprintf(stderr, "netkit dist merge: %s: %s\n", path[k], strerror(errno));
			rc = 1;
		}
out:
	merge_free(&m);
	for (int j = 0; j < 3; j++)
		free(abuf[j]);
	return rc;
}
