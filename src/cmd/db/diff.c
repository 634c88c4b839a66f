/* SPDX-License-Identifier: Apache-2.0 */
/* netkit db diff [-v] [--json] URL SCAN_A SCAN_B: what changed between two
 * scans in the database, in ndiff's text layout (nmap 7.93's ndiff is the
 * oracle): hosts matched by address and first hostname and sorted by them,
 * a host's block only when something in it changed (all of them with -v),
 * "-" for scan A's lines, "+" for scan B's, the port table's columns sized
 * to its rows. --json gives the same changes as one JSON document. Exit 0
 * when the hosts are the same, 1 when they differ, 2 on trouble (ndiff's
 * and diff(1)'s codes). --xml: ndiff's <nmapdiff> document. Both scans
 * are held in memory while compared. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/db/db.h"
#include "lib/emit/emit.h"

struct lines {
	char **v;
	int n, cap;
};

static void lines_add(struct lines *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void lines_add(struct lines *l, const char *fmt, ...)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->v = realloc(l->v, (size_t)l->cap * sizeof(*l->v));
		if (!l->v)
			abort();
	}
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&l->v[l->n], fmt, ap) < 0)
		abort();
	va_end(ap);
	l->n++;
}

static void lines_free(struct lines *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	*l = (struct lines){0};
}

static bool lines_eq(const struct lines *a, const struct lines *b)
{
	if (a->n != b->n)
		return false;
	for (int i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]))
			return false;
	return true;
}

struct dport {
	const char *proto, *state, *service, *product, *version, *extra;
	int portid;
	char ver[768];	  /* VERSION column: product version (extrainfo) */
	struct lines scr; /* script output lines, "|_ id: out" */
	int srow[16], ns; /* its scripts' rows (--xml) */
};

struct dhost {
	const char *addr, *name1, *mac, *status;
	char hdr[1024], extra[256];
	const char *xstate[8]; /* extraports' states: ports in them are not shown */
	int nx;
	struct dport *p;
	int np;
	struct lines os, hs; /* "  OS name" lines; host script lines */
	int row;	     /* its row in the hosts table */
	struct dport *all;   /* every port, those extraports hide too (--xml) */
	int nall;
	const struct dbscan *s; /* its rows in each table: f[t], n[t] (--xml) */
	int f[L_N], n[L_N];
};

struct dscan {
	struct dbscan s;
	struct dhost *h;
	int nh;
};

/* A script's output as ndiff shows it: "|_ id: out" or "|  id: l1" ...
 * "|_ ln". */
static void script_lines(struct lines *l, const char *id, const char *out)
{
	const char *p = out ? out : "";
	bool first = true;
	for (;;) {
		size_t n = strcspn(p, "\n");
		bool last = !p[n];
		lines_add(l, "%s %s%s%.*s", last ? "|_" : "| ", first ? id : "", first ? ": " : "",
			  (int)n, p);
		if (last)
			break;
		p += n + 1;
		first = false;
	}
}

static int port_cmp(const void *x, const void *y)
{
	const struct dport *a = x, *b = y;
	if (a->portid != b->portid)
		return a->portid < b->portid ? -1 : 1;
	return strcmp(a->proto, b->proto);
}

static int rows(struct dbscan *s, struct dhost *h, int t, int id, int *f)
{
	h->n[t] = dbscan_rows(s, t, id, f);
	h->f[t] = *f;
	return h->n[t];
}

static void host_ports(struct dbscan *s, struct dhost *h, int id)
{
	int f, n = rows(s, h, L_PORTS, id, &f);
	h->p = calloc((size_t)n + 1, sizeof(*h->p));
	h->all = calloc((size_t)n + 1, sizeof(*h->all));
	if (!h->p || !h->all)
		abort();
	for (int i = 0; i < n; i++) {
		const char *st = dbscan_val(s, L_PORTS, f + i, P_STATE) ?: "";
		struct dport *p = &h->all[h->nall++];
		p->proto = dbscan_val(s, L_PORTS, f + i, P_PROTO) ?: "";
		p->portid = atoi(dbscan_val(s, L_PORTS, f + i, P_PORTID) ?: "0");
		p->state = st;
		p->service = dbscan_val(s, L_PORTS, f + i, P_SERVICE) ?: "";
		p->product = dbscan_val(s, L_PORTS, f + i, P_PRODUCT);
		p->version = dbscan_val(s, L_PORTS, f + i, P_VERSION);
		p->extra = dbscan_val(s, L_PORTS, f + i, P_EXTRA);
		int k = snprintf(p->ver, sizeof(p->ver), "%s", p->product ?: "");
		if (p->version)
			k += snprintf(p->ver + k, sizeof(p->ver) - (size_t)k, "%s%s", k ? " " : "",
				      p->version);
		if (p->extra && (size_t)k < sizeof(p->ver))
			snprintf(p->ver + k, sizeof(p->ver) - (size_t)k, "%s(%s)", k ? " " : "",
				 p->extra);
	}
	qsort(h->all, (size_t)h->nall, sizeof(*h->all), port_cmp);
	n = rows(s, h, L_SCRIPTS, id, &f);
	for (int i = 0; i < n; i++) {
		const char *proto = dbscan_val(s, L_SCRIPTS, f + i, C_PROTO);
		struct lines *l = &h->hs;
		int portid = atoi(dbscan_val(s, L_SCRIPTS, f + i, C_PORTID) ?: "0");
		struct dport *p = NULL;
		for (int j = 0; proto && j < h->nall; j++)
			if (h->all[j].portid == portid && !strcmp(h->all[j].proto, proto))
				p = &h->all[j], l = &p->scr;
		if (p && p->ns < 16)
			p->srow[p->ns++] = f + i;
		script_lines(l, dbscan_val(s, L_SCRIPTS, f + i, C_ID) ?: "",
			     dbscan_val(s, L_SCRIPTS, f + i, C_OUTPUT));
	}
	for (int i = 0; i < h->nall; i++) { /* text: the ports extraports do not hide */
		bool hidden = false;
		for (int k = 0; k < h->nx; k++)
			hidden |= !strcmp(h->xstate[k], h->all[i].state);
		if (!hidden)
			h->p[h->np++] = h->all[i];
	}
}

static void host_names(struct dbscan *s, struct dhost *h, int id)
{
	int f, n = rows(s, h, L_ADDRS, id, &f);
	for (int i = 0; i < n; i++) {
		const char *t = dbscan_val(s, L_ADDRS, f + i, A_TYPE) ?: "";
		const char *a = dbscan_val(s, L_ADDRS, f + i, A_ADDR) ?: "";
		if (!strcmp(t, "mac") && !h->mac)
			h->mac = a;
		else if (strcmp(t, "mac") && !h->addr)
			h->addr = a;
	}
	h->addr = h->addr ?: "";
	char names[768] = "";
	n = rows(s, h, L_NAMES, id, &f);
	for (int i = 0, k = 0; i < n && (size_t)k < sizeof(names); i++) {
		const char *nm = dbscan_val(s, L_NAMES, f + i, N_NAME) ?: "";
		h->name1 = h->name1 ?: nm;
		k += snprintf(names + k, sizeof(names) - (size_t)k, "%s%s", i ? ", " : "", nm);
	}
	h->name1 = h->name1 ?: "";
	char addrs[128];
	snprintf(addrs, sizeof(addrs), "%s%s%s", h->addr, h->mac ? ", " : "", h->mac ?: "");
	if (names[0])
		snprintf(h->hdr, sizeof(h->hdr), "%s (%s)", names, addrs);
	else
		snprintf(h->hdr, sizeof(h->hdr), "%s", addrs);
}

static void host_load(struct dbscan *s, struct dhost *h, int row)
{
	int id = atoi(dbscan_val(s, L_HOSTS, row, 0));
	h->row = row;
	h->s = s;
	h->status = dbscan_val(s, L_HOSTS, row, H_STATUS) ?: "unknown";
	host_names(s, h, id);
	int f, n = rows(s, h, L_EXTRA, id, &f);
	for (int i = 0; i < n && h->nx < 8; i++)
		h->xstate[h->nx++] = dbscan_val(s, L_EXTRA, f + i, E_STATE) ?: "";
	for (int i = 0, k = 0; i < n && (size_t)k < sizeof(h->extra); i++)
		k += snprintf(
			h->extra + k, sizeof(h->extra) - (size_t)k, "%s%s %s ports",
			i ? ", " : "Not shown: ", dbscan_val(s, L_EXTRA, f + i, E_COUNT) ?: "0",
			dbscan_val(s, L_EXTRA, f + i, E_STATE) ?: "");
	n = rows(s, h, L_OS, id, &f);
	for (int i = 0; i < n; i++)
		lines_add(&h->os, "  %s", dbscan_val(s, L_OS, f + i, O_NAME) ?: "");
	host_ports(s, h, id);
}

static int host_cmp(const void *x, const void *y)
{
	const struct dhost *a = x, *b = y;
	int c = strcmp(a->addr, b->addr);
	return c ? c : strcmp(a->name1, b->name1);
}

static int dscan_load(struct db *d, const char *id, struct dscan *ds)
{
	*ds = (struct dscan){0};
	if (dbscan_load(d, id, &ds->s)) {
		dbscan_free(&ds->s);
		return 1;
	}
	ds->nh = dbscan_nhosts(&ds->s);
	ds->h = calloc((size_t)ds->nh + 1, sizeof(*ds->h));
	if (!ds->h)
		abort();
	for (int i = 0; i < ds->nh; i++)
		host_load(&ds->s, &ds->h[i], i);
	qsort(ds->h, (size_t)ds->nh, sizeof(*ds->h), host_cmp);
	return 0;
}

static void dscan_free(struct dscan *ds)
{
	for (int i = 0; i < ds->nh; i++) {
		for (int j = 0; j < ds->h[i].nall; j++)
			lines_free(&ds->h[i].all[j].scr);
		free(ds->h[i].p);
		free(ds->h[i].all);
		lines_free(&ds->h[i].os);
		lines_free(&ds->h[i].hs);
	}
	free(ds->h);
	dbscan_free(&ds->s);
}

/* ---- the text layout ---- */

/* A host block being built: lines with their prefix, and the port table
 * (rows of 4 columns, or script lines that take no part in its widths). */
struct trow {
	char pfx;
	const char *col[4]; /* col[0] NULL: a script line in col[1] */
	char port[24];
};

struct block {
	struct lines out;
	struct trow *t;
	int nt, capt;
	bool changed;
};

static struct trow *trow_add(struct block *b, char pfx)
{
	if (b->nt == b->capt) {
		b->capt = b->capt ? 2 * b->capt : 16;
		b->t = realloc(b->t, (size_t)b->capt * sizeof(*b->t));
		if (!b->t)
			abort();
	}
	struct trow *r = &b->t[b->nt++];
	*r = (struct trow){.pfx = pfx};
	if (pfx != ' ')
		b->changed = true;
	return r;
}

static void line(struct block *b, char pfx, const char *s)
{
	lines_add(&b->out, "%c%s", pfx, s);
	if (pfx != ' ')
		b->changed = true;
}

/* Lines a and b as a line diff (longest common subsequence; a hunk's "-"
 * lines before its "+" lines), into the port table or the block. */
static void line_diff(struct block *bl, const struct lines *a, const struct lines *b, bool table)
{
	int n = a->n, m = b->n;
	int *L = calloc((size_t)(n + 1) * (size_t)(m + 1), sizeof(int));
	if (!L)
		abort();
	for (int i = n - 1; i >= 0; i--)
		for (int j = m - 1; j >= 0; j--)
			L[i * (m + 1) + j] =
				!strcmp(a->v[i], b->v[j])
					? L[(i + 1) * (m + 1) + j + 1] + 1
					: (L[(i + 1) * (m + 1) + j] > L[i * (m + 1) + j + 1]
						   ? L[(i + 1) * (m + 1) + j]
						   : L[i * (m + 1) + j + 1]);
	int i = 0, j = 0;
	while (i < n || j < m) {
		char pfx;
		const char *s;
		if (i < n && j < m && !strcmp(a->v[i], b->v[j])) {
			pfx = ' ', s = a->v[i++], j++;
		} else if (i < n &&
			   (j == m || L[(i + 1) * (m + 1) + j] >= L[i * (m + 1) + j + 1])) {
			pfx = '-', s = a->v[i++];
		} else {
			pfx = '+', s = b->v[j++];
		}
		if (table)
			trow_add(bl, pfx)->col[1] = s;
		else
			line(bl, pfx, s);
	}
	free(L);
}

static void port_row(struct block *b, char pfx, const struct dport *p)
{
	struct trow *r = trow_add(b, pfx);
	snprintf(r->port, sizeof(r->port), "%d/%s", p->portid, p->proto);
	r->col[0] = r->port;
	r->col[1] = p->state;
	r->col[2] = p->service;
	r->col[3] = p->ver;
}

static void port_one(struct block *b, char pfx, const struct dport *p)
{
	port_row(b, pfx, p);
	for (int i = 0; i < p->scr.n; i++)
		trow_add(b, pfx)->col[1] = p->scr.v[i];
}

static void port_pair(struct block *b, const struct dport *a, const struct dport *p, bool verbose)
{
	bool same = !strcmp(a->state, p->state) && !strcmp(a->service, p->service) &&
		    !strcmp(a->ver, p->ver);
	bool scr = lines_eq(&a->scr, &p->scr);
	if (same && scr && !verbose)
		return;
	if (same) {
		port_row(b, ' ', a);
	} else {
		port_row(b, '-', a);
		port_row(b, '+', p);
	}
	if (!scr || verbose)
		line_diff(b, &a->scr, &p->scr, true);
}

static void ports_diff(struct block *b, const struct dhost *a, const struct dhost *h, bool verbose)
{
	int i = 0, j = 0, na = a ? a->np : 0, nb = h ? h->np : 0;
	while (i < na || j < nb) {
		int c = i == na ? 1 : j == nb ? -1 : port_cmp(&a->p[i], &h->p[j]);
		if (c < 0)
			port_one(b, '-', &a->p[i++]);
		else if (c > 0)
			port_one(b, '+', &h->p[j++]);
		else
			port_pair(b, &a->p[i++], &h->p[j++], verbose);
	}
}

/* The port table, its columns as wide as their widest cell. */
static void table_out(struct block *b, char pfx)
{
	if (!b->nt)
		return;
	static const char *const head[4] = {"PORT", "STATE", "SERVICE", "VERSION"};
	size_t w[4];
	for (int c = 0; c < 4; c++)
		w[c] = strlen(head[c]);
	for (int i = 0; i < b->nt; i++)
		for (int c = 0; b->t[i].col[0] && c < 4; c++)
			if (strlen(b->t[i].col[c]) > w[c])
				w[c] = strlen(b->t[i].col[c]);
	for (int i = -1; i < b->nt; i++) {
		const struct trow *r = i < 0 ? NULL : &b->t[i];
		if (r && !r->col[0]) {
			lines_add(&b->out, "%c%s", r->pfx, r->col[1]);
			continue;
		}
		char s[2048];
		int k = snprintf(s, sizeof(s), "%c", r ? r->pfx : pfx);
		for (int c = 0; c < 4 && (size_t)k < sizeof(s); c++)
			k += snprintf(s + k, sizeof(s) - (size_t)k, "%-*s%s", (int)w[c],
				      r ? r->col[c] : head[c], c < 3 ? " " : "");
		while (k > 1 && s[k - 1] == ' ')
			s[--k] = '\0';
		lines_add(&b->out, "%s", s);
	}
}

/* One host's block: a and b the host in scan A and B (either NULL). */
static void host_block(struct block *bl, const struct dhost *a, const struct dhost *b, bool verbose)
{
	char pfx = !b ? '-' : !a ? '+' : ' ', s[1100];
	const struct dhost *h = a ? a : b;
	if (a && b && strcmp(a->hdr, b->hdr)) {
		snprintf(s, sizeof(s), "%s:", a->hdr), line(bl, '-', s);
		snprintf(s, sizeof(s), "%s:", b->hdr), line(bl, '+', s);
	} else {
		snprintf(s, sizeof(s), "%s:", h->hdr), line(bl, pfx, s);
	}
	bool st = a && b && strcmp(a->status, b->status);
	if (st || pfx != ' ' || verbose) {
		snprintf(s, sizeof(s), "Host is %s.", h->status);
		line(bl, st ? '-' : pfx, s);
		if (st && b)
			snprintf(s, sizeof(s), "Host is %s.", b->status), line(bl, '+', s);
	}
	if (pfx != ' ' || !strcmp(a->extra, b->extra)) {
		if (h->extra[0] && (pfx != ' ' || verbose))
			line(bl, pfx, h->extra);
	} else {
		if (a->extra[0])
			line(bl, '-', a->extra);
		if (b->extra[0])
			line(bl, '+', b->extra);
	}
	ports_diff(bl, a, b, verbose);
	table_out(bl, pfx);
	static const struct lines none;
	const struct lines *oa = a ? &a->os : &none, *ob = b ? &b->os : &none;
	if ((oa->n || ob->n) && (verbose || !lines_eq(oa, ob))) {
		line(bl, !ob->n ? '-' : !oa->n ? '+' : pfx, "OS details:");
		line_diff(bl, oa, ob, false);
	}
	oa = a ? &a->hs : &none, ob = b ? &b->hs : &none;
	if ((oa->n || ob->n) && (verbose || !lines_eq(oa, ob))) {
		lines_add(&bl->out, "%s", "");
		line(bl, !ob->n ? '-' : !oa->n ? '+' : pfx, "Host script results:");
		line_diff(bl, oa, ob, false);
	}
}

static void scan_header(const struct dbscan *s, char *buf, size_t len)
{
	time_t t = (time_t)strtoll(dbscan_scan(s, S_START) ?: "0", NULL, 10);
	struct tm tm;
	char when[64] = "";
	if (localtime_r(&t, &tm))
		strftime(when, sizeof(when), "%a %b %d %H:%M:%S %Y", &tm);
	const char *v = dbscan_scan(s, S_VERSION);
	snprintf(buf, len, "Nmap %s%sscan initiated %s as: %s", v ?: "", v ? " " : "", when,
		 dbscan_scan(s, S_ARGS) ?: "");
}

/* Walk both scans' hosts in order; fn gets each pair (either NULL). */
static int walk(struct dscan *A, struct dscan *B, bool verbose,
		int (*fn)(void *, const struct dhost *, const struct dhost *, bool), void *arg)
{
	int i = 0, j = 0, diff = 0;
	while (i < A->nh || j < B->nh) {
		int c = i == A->nh ? 1 : j == B->nh ? -1 : host_cmp(&A->h[i], &B->h[j]);
		const struct dhost *a = c <= 0 ? &A->h[i++] : NULL;
		const struct dhost *b = c >= 0 ? &B->h[j++] : NULL;
		if (!a && !b) /* cannot be (h[] holds nh hosts): said for clang's analyzer */
			break;
		diff |= fn(arg, a, b, verbose);
	}
	return diff;
}

static int text_host(void *arg, const struct dhost *a, const struct dhost *b, bool verbose)
{
	(void)arg;
	struct block bl = {0};
	host_block(&bl, a, b, verbose);
	if (bl.changed || verbose) {
		putchar('\n');
		for (int i = 0; i < bl.out.n; i++)
			puts(bl.out.v[i]);
	}
	lines_free(&bl.out);
	free(bl.t);
	return bl.changed;
}

static int text_diff(struct dscan *A, struct dscan *B, bool verbose)
{
	char ha[4096], hb[4096];
	scan_header(&A->s, ha, sizeof(ha));
	scan_header(&B->s, hb, sizeof(hb));
	if (strcmp(ha, hb))
		printf("-%s\n+%s\n", ha, hb);
	else if (verbose)
		printf(" %s\n", ha);
	return walk(A, B, verbose, text_host, NULL);
}

/* ---- --xml: ndiff's <nmapdiff> ---- */

static void xesc(const char *v)
{
	for (; *v; v++) {
		switch (*v) {
		case '&': fputs("&amp;", stdout); break;
		case '<': fputs("&lt;", stdout); break;
		case '>': fputs("&gt;", stdout); break;
		case '"': fputs("&quot;", stdout); break;
		default: putchar(*v);
		}
	}
}

static void xattr(const char *k, const char *v)
{
	if (!v)
		return;
	printf(" %s=\"", k);
	xesc(v);
	putchar('"');
}

/* Row i of a host's rows in table t, as its element. */
static void x_row(const struct dhost *h, int t, int i)
{
	const struct dbscan *s = h->s;
	int r = h->f[t] + i;
	if (t == L_ADDRS) {
		printf("<address");
		xattr("addr", dbscan_val(s, t, r, A_ADDR));
		xattr("addrtype", dbscan_val(s, t, r, A_TYPE));
	} else if (t == L_NAMES) {
		printf("<hostname");
		xattr("name", dbscan_val(s, t, r, N_NAME));
	} else if (t == L_EXTRA) {
		printf("<extraports");
		xattr("state", dbscan_val(s, t, r, E_STATE));
		xattr("count", dbscan_val(s, t, r, E_COUNT));
	} else if (t == L_OS) {
		printf("<osmatch");
		xattr("name", dbscan_val(s, t, r, O_NAME));
	} else {
		printf("<script");
		xattr("id", dbscan_val(s, t, r, C_ID));
		xattr("output", dbscan_val(s, t, r, C_OUTPUT) ?: "");
	}
	printf("/>\n");
}

static bool is_hostscript(const struct dhost *h, int i)
{
	return !dbscan_val(h->s, L_SCRIPTS, h->f[L_SCRIPTS] + i, C_PROTO);
}

/* The rows of table t (host scripts only, for L_SCRIPTS). */
static void x_rows(const struct dhost *h, int t)
{
	for (int i = 0; h && i < h->n[t]; i++)
		if (t != L_SCRIPTS || is_hostscript(h, i))
			x_row(h, t, i);
}

static bool hidden(const struct dhost *h, const struct dport *p);

static void x_service(const struct dport *p)
{
	if (!p->service[0])
		return;
	printf("<service");
	xattr("name", p->service);
	xattr("product", p->product);
	xattr("version", p->version);
	xattr("extrainfo", p->extra);
	printf("/>\n");
}

static void x_scripts(const struct dhost *h, const struct dport *p)
{
	for (int i = 0; i < p->ns; i++)
		x_row(h, L_SCRIPTS, p->srow[i] - h->f[L_SCRIPTS]);
}

static void x_port(const struct dhost *h, const struct dport *p, bool bare)
{
	printf("<port portid=\"%d\"", p->portid);
	xattr("protocol", p->proto);
	if (bare) {
		printf("/>\n");
		return;
	}
	printf(">\n<state");
	xattr("state", p->state);
	printf("/>\n");
	x_service(p);
	x_scripts(h, p);
	printf("</port>\n");
}

static void x_host(const struct dhost *h)
{
	printf("<host>\n<status");
	xattr("state", h->status);
	printf("/>\n");
	x_rows(h, L_ADDRS);
	if (h->n[L_NAMES]) {
		printf("<hostnames>\n");
		x_rows(h, L_NAMES);
		printf("</hostnames>\n");
	}
	if (h->n[L_EXTRA] || h->nall) {
		printf("<ports>\n");
		x_rows(h, L_EXTRA);
		for (int i = 0; i < h->nall; i++)
			if (!hidden(h, &h->all[i]))
				x_port(h, &h->all[i], false);
		printf("</ports>\n");
	}
	if (h->n[L_OS]) {
		printf("<os>\n");
		x_rows(h, L_OS);
		printf("</os>\n");
	}
	if (h->hs.n) {
		printf("<hostscript>\n");
		x_rows(h, L_SCRIPTS);
		printf("</hostscript>\n");
	}
	printf("</host>\n");
}

/* <a>rows</a><b>rows</b> of table t; a side with none is "<a/>" for
 * extraports, left out for the others (as ndiff does). */
static void x_ab(const struct dhost *a, const struct dhost *b, int t)
{
	for (int k = 0; k < 2; k++) {
		const struct dhost *h = k ? b : a;
		int n = 0;
		for (int i = 0; i < h->n[t]; i++)
			n += t != L_SCRIPTS || is_hostscript(h, i);
		if (!n) {
			if (t == L_EXTRA)
				printf("<%c/>\n", k ? 'b' : 'a');
			continue;
		}
		printf("<%c>\n", k ? 'b' : 'a');
		x_rows(h, t);
		printf("</%c>\n", k ? 'b' : 'a');
	}
}

static const char *x_key(const struct dhost *h, int t, int i)
{
	return dbscan_val(h->s, t, h->f[t] + i, t == L_ADDRS ? A_ADDR : N_NAME) ?: "";
}

static bool x_has(const struct dhost *h, int t, const char *v)
{
	for (int i = 0; i < h->n[t]; i++)
		if (!strcmp(x_key(h, t, i), v))
			return true;
	return false;
}

/* Addresses or hostnames: those of both plain, A's own in <a>, B's in <b>. */
static void x_set(const struct dhost *a, const struct dhost *b, int t)
{
	for (int i = 0; i < a->n[t]; i++) {
		bool both = x_has(b, t, x_key(a, t, i));
		printf("%s", both ? "" : "<a>\n");
		x_row(a, t, i);
		printf("%s", both ? "" : "</a>\n");
	}
	for (int i = 0; i < b->n[t]; i++) {
		if (x_has(a, t, x_key(b, t, i)))
			continue;
		printf("<b>\n");
		x_row(b, t, i);
		printf("</b>\n");
	}
}

static bool scripts_eq(const struct dport *a, const struct dport *b)
{
	return lines_eq(&a->scr, &b->scr);
}

static void x_portdiff(const struct dhost *a, const struct dport *pa, const struct dhost *b,
		       const struct dport *pb)
{
	const struct dport *one = pa ? pa : pb;
	if (!one)
		return;
	printf("<portdiff>\n");
	if (!pa || !pb || strcmp(pa->state, pb->state)) {
		printf("<a>\n");
		x_port(a, pa ? pa : one, !pa);
		printf("</a>\n<b>\n");
		x_port(b, pb ? pb : one, !pb);
		printf("</b>\n");
	} else {
		printf("<port portid=\"%d\"", pa->portid);
		xattr("protocol", pa->proto);
		printf(">\n<state");
		xattr("state", pa->state);
		printf("/>\n");
		if (strcmp(pa->service, pb->service) || strcmp(pa->ver, pb->ver)) {
			printf(pa->service[0] ? "<a>\n" : "<a/>\n");
			x_service(pa);
			printf(pa->service[0] ? "</a>\n" : "");
			printf(pb->service[0] ? "<b>\n" : "<b/>\n");
			x_service(pb);
			printf(pb->service[0] ? "</b>\n" : "");
		} else {
			x_service(pa);
		}
		if (!scripts_eq(pa, pb)) {
			for (int k = 0; k < 2; k++) {
				const struct dport *p = k ? pb : pa;
				if (!p->ns)
					continue;
				printf("<%c>\n", k ? 'b' : 'a');
				x_scripts(k ? b : a, p);
				printf("</%c>\n", k ? 'b' : 'a');
			}
		} else {
			x_scripts(a, pa);
		}
		printf("</port>\n");
	}
	printf("</portdiff>\n");
}

static bool port_same(const struct dport *a, const struct dport *b)
{
	return !strcmp(a->state, b->state) && !strcmp(a->service, b->service) &&
	       !strcmp(a->ver, b->ver) && scripts_eq(a, b);
}

static bool hidden(const struct dhost *h, const struct dport *p)
{
	for (int k = 0; k < h->nx; k++)
		if (!strcmp(h->xstate[k], p->state))
			return true;
	return false;
}

static void x_ports(const struct dhost *a, const struct dhost *b)
{
	bool xeq = !strcmp(a->extra, b->extra), any = !xeq || a->n[L_EXTRA] || b->n[L_EXTRA];
	for (int pass = 0; pass < 2; pass++) { /* 0: is there a port diff; 1: print */
		if (pass && !any)
			return;
		if (pass) {
			printf("<ports>\n");
			if (xeq)
				x_rows(a, L_EXTRA);
			else
				x_ab(a, b, L_EXTRA);
		}
		int i = 0, j = 0;
		while (i < a->nall || j < b->nall) {
			int c = i == a->nall   ? 1
				: j == b->nall ? -1
					       : port_cmp(&a->all[i], &b->all[j]);
			const struct dport *pa = c <= 0 ? &a->all[i++] : NULL;
			const struct dport *pb = c >= 0 ? &b->all[j++] : NULL;
			if ((pa && pb && port_same(pa, pb)) ||
			    ((!pa || hidden(a, pa)) && (!pb || hidden(b, pb))))
				continue; /* a port either side shows */
			any = true;
			if (pass)
				x_portdiff(a, pa, b, pb);
		}
	}
	printf("</ports>\n");
}

/* <os> or <hostscript> that changed: <el><a>..</a><b>..</b></el>; a
 * hostscript only one side has is <a><hostscript>..</hostscript></a>. */
static void x_block(const struct dhost *a, const struct dhost *b, int t, const struct lines *la,
		    const struct lines *lb, const char *el)
{
	if (lines_eq(la, lb))
		return;
	if ((la->n && lb->n) || t == L_OS) {
		printf("<%s>\n", el);
		x_ab(a, b, t);
		printf("</%s>\n", el);
		return;
	}
	char side = la->n ? 'a' : 'b';
	printf("<%c>\n<%s>\n", side, el);
	x_rows(la->n ? a : b, t);
	printf("</%s>\n</%c>\n", el, side);
}

static void x_pair(const struct dhost *a, const struct dhost *b)
{
	printf("<hostdiff>\n<host>\n");
	if (strcmp(a->status, b->status)) {
		printf("<a>\n<status");
		xattr("state", a->status);
		printf("/>\n</a>\n<b>\n<status");
		xattr("state", b->status);
		printf("/>\n</b>\n");
	}
	x_set(a, b, L_ADDRS);
	if (a->n[L_NAMES] || b->n[L_NAMES]) {
		printf("<hostnames>\n");
		x_set(a, b, L_NAMES);
		printf("</hostnames>\n");
	}
	x_ports(a, b);
	x_block(a, b, L_OS, &a->os, &b->os, "os");
	x_block(a, b, L_SCRIPTS, &a->hs, &b->hs, "hostscript");
	printf("</host>\n</hostdiff>\n");
}

static int xml_host(void *arg, const struct dhost *a, const struct dhost *b, bool verbose)
{
	(void)arg;
	struct block bl = {0};
	host_block(&bl, a, b, false);
	lines_free(&bl.out);
	free(bl.t);
	if (!bl.changed && !verbose)
		return 0;
	if (a && b) {
		x_pair(a, b);
	} else {
		printf("<hostdiff>\n<%c>\n", a ? 'a' : 'b');
		x_host(a ? a : b);
		printf("</%c>\n</hostdiff>\n", a ? 'a' : 'b');
	}
	return bl.changed;
}

static void x_scan(const struct dbscan *s)
{
	char when[64] = "";
	time_t t = (time_t)strtoll(dbscan_scan(s, S_START) ?: "0", NULL, 10);
	struct tm tm;
	if (localtime_r(&t, &tm))
		strftime(when, sizeof(when), "%a %b %d %H:%M:%S %Y", &tm);
	printf("<nmaprun");
	xattr("scanner", dbscan_scan(s, S_SCANNER) ?: "nmap");
	xattr("args", dbscan_scan(s, S_ARGS));
	xattr("start", dbscan_scan(s, S_START));
	xattr("startstr", when);
	xattr("version", dbscan_scan(s, S_VERSION));
	printf("/>\n");
}

static int xml_diff(struct dscan *A, struct dscan *B, bool verbose)
{
	printf("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<nmapdiff version=\"1\"><scandiff><a>");
	x_scan(&A->s);
	printf("</a><b>");
	x_scan(&B->s);
	printf("</b>");
	int diff = walk(A, B, verbose, xml_host, NULL);
	printf("</scandiff></nmapdiff>");
	return diff;
}

/* ---- --json ---- */

static void json_lines(struct emit *e, const char *key, const struct lines *l)
{
	emit_arr_open(e, key);
	for (int i = 0; i < l->n; i++)
		emit_str(e, NULL, NULL, l->v[i]);
	emit_arr_close(e);
}

/* A side ("a" or "b") of a change: null when that scan has none, else an
 * object of strings (s) and lists of lines (l). */
struct jfield {
	const char *key, *s;
	const struct lines *l;
};

static void json_side_obj(struct emit *e, const char *key, const struct jfield *f, int n)
{
	if (!f) {
		emit_null(e, key, NULL);
		return;
	}
	emit_obj_open(e, key);
	for (int i = 0; i < n; i++) {
		if (f[i].l)
			json_lines(e, f[i].key, f[i].l);
		else
			emit_str(e, f[i].key, NULL, f[i].s);
	}
	emit_obj_close(e);
}

static void json_port(struct emit *e, const char *key, const struct dport *p)
{
	if (!p) {
		json_side_obj(e, key, NULL, 0);
		return;
	}
	const struct jfield f[] = {
		{"state", p->state, NULL},	     {"service", p->service, NULL},
		{"product", p->product ?: "", NULL}, {"version", p->version ?: "", NULL},
		{"extrainfo", p->extra ?: "", NULL}, {"scripts", NULL, &p->scr},
	};
	json_side_obj(e, key, f, 6);
}

static void json_side(struct emit *e, const char *key, const struct dhost *h)
{
	if (!h) {
		json_side_obj(e, key, NULL, 0);
		return;
	}
	const struct jfield f[] = {
		{"host", h->hdr, NULL},		{"status", h->status, NULL},
		{"extraports", h->extra, NULL}, {"os", NULL, &h->os},
		{"hostscripts", NULL, &h->hs},
	};
	json_side_obj(e, key, f, 5);
}

static const char *port_change(const struct dport *a, const struct dport *b)
{
	if (!a || !b)
		return a ? "removed" : "added";
	bool oa = !strcmp(a->state, "open"), ob = !strcmp(b->state, "open");
	return oa == ob ? "changed" : ob ? "opened" : "closed";
}

static void json_ports(struct emit *e, const struct dhost *a, const struct dhost *b)
{
	emit_arr_open(e, "ports");
	int i = 0, j = 0, na = a ? a->np : 0, nb = b ? b->np : 0;
	while (i < na || j < nb) {
		int c = i == na ? 1 : j == nb ? -1 : port_cmp(&a->p[i], &b->p[j]);
		const struct dport *pa = c <= 0 ? &a->p[i++] : NULL;
		const struct dport *pb = c >= 0 ? &b->p[j++] : NULL;
		if (pa && pb && !strcmp(pa->state, pb->state) &&
		    !strcmp(pa->service, pb->service) && !strcmp(pa->ver, pb->ver) &&
		    lines_eq(&pa->scr, &pb->scr))
			continue;
		const struct dport *p = pa ? pa : pb;
		emit_obj_open(e, NULL);
		emit_str(e, "protocol", NULL, p->proto);
		emit_int(e, "portid", NULL, p->portid);
		emit_str(e, "change", NULL, port_change(pa, pb));
		json_port(e, "a", pa);
		json_port(e, "b", pb);
		emit_obj_close(e);
	}
	emit_arr_close(e);
}

static int json_host(void *arg, const struct dhost *a, const struct dhost *b, bool verbose)
{
	struct emit *e = arg;
	struct block bl = {0};
	host_block(&bl, a, b, false);
	lines_free(&bl.out);
	free(bl.t);
	if (!bl.changed && !verbose)
		return 0;
	const struct dhost *h = a ? a : b;
	if (!h)
		return 0;
	emit_obj_open(e, NULL);
	emit_str(e, "addr", NULL, h->addr);
	emit_str(e, "hostname", NULL, h->name1);
	emit_str(e, "change", NULL,
		 !b	      ? "removed"
		 : !a	      ? "added"
		 : bl.changed ? "changed"
			      : "same");
	json_side(e, "a", a);
	json_side(e, "b", b);
	json_ports(e, a, b);
	emit_obj_close(e);
	return bl.changed;
}

static void json_scan(struct emit *e, const char *key, const struct dbscan *s)
{
	emit_obj_open(e, key);
	emit_str(e, "id", NULL, dbscan_scan(s, S_ID));
	emit_str(e, "args", NULL, dbscan_scan(s, S_ARGS) ?: "");
	emit_str(e, "start", NULL, dbscan_scan(s, S_START) ?: "0");
	emit_str(e, "version", NULL, dbscan_scan(s, S_VERSION) ?: "");
	emit_obj_close(e);
}

static int json_diff(struct dscan *A, struct dscan *B, bool verbose)
{
	struct emit *e = malloc(sizeof(*e));
	if (!e)
		abort();
	emit_init(e, STDOUT_FILENO, EMIT_JSON, 0);
	emit_obj_open(e, NULL);
	json_scan(e, "a", &A->s);
	json_scan(e, "b", &B->s);
	emit_arr_open(e, "hosts");
	int diff = walk(A, B, verbose, json_host, e);
	emit_arr_close(e);
	emit_bool(e, "differ", NULL, diff);
	emit_obj_close(e);
	emit_raw(e, "\n", 1);
	int rc = emit_finish(e);
	free(e);
	return rc < 0 ? 2 : diff;
}

int db_diff_main(struct db *d, int argc, char **argv)
{
	bool verbose = false, json = false, xml = false;
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose"))
			verbose = true;
		else if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!strcmp(argv[i], "--xml"))
			xml = true;
		else {
			fprintf(stderr, "netkit db diff: unknown option '%s'\n", argv[i]);
			return 2;
		}
	}
	if (argc - i != 3) {
		fprintf(stderr, "Usage: netkit db diff [-v] [--json|--xml] URL SCAN_A SCAN_B\n");
		return 2;
	}
	struct dscan A, B;
	int rc = 2;
	bool la = !dscan_load(d, argv[i + 1], &A), lb = la && !dscan_load(d, argv[i + 2], &B);
	if (la && lb) {
		rc = json  ? json_diff(&A, &B, verbose)
		     : xml ? xml_diff(&A, &B, verbose)
			   : text_diff(&A, &B, verbose);
		fflush(stdout);
	}
	if (la)
		dscan_free(&A);
	if (lb)
		dscan_free(&B);
	return rc;
}
