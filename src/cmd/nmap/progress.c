/* SPDX-License-Identifier: Apache-2.0 */
/* --resume at the port: while a host is still being scanned, the ports
 * whose results are final (the engine's ports_final hook) are written as
 * records to a file beside each output file, its sidecar FILE.netkit-resume:
 *
 *   # netkit-resume ADDR up REASON TTL MAC RTT START RDNS tcp/open/syn-ack/62=22,80 ...
 *
 * The output files themselves keep nmap's layout while the scan goes on
 * (a -p- scan's records run to a megabyte; in the files they made tail -f
 * unreadable). When a host is finished, its report replaces the records:
 * the sidecar is emptied (the resumed hosts still going are recorded
 * again, nmap.c). A scan that ends normally removes its sidecars; one
 * interrupted (SIGINT/SIGTERM) keeps them and writes one bare
 * "# netkit-resume cut" record (an XML comment in XML) in each output
 * file where its finished part ends. --resume FILE reads FILE and its
 * sidecar, cuts every file to that point and hands the partly scanned
 * hosts to the engine with the ports they already have. Records in the
 * output file itself (netkit before the sidecar) are still read. With
 * -sV, each TCP port whose service is decided gets a "svc" record too
 * (put_service), so --resume does not probe it again. */
#include "cmd/nmap/nmap.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#define RECORD_KEY "netkit-resume "
#define SIDECAR_EXT ".netkit-resume"
#define PORTS_PER_LINE 4096

static bool takes_records(const struct nmap_output *out)
{
	struct stat sb;
	return out->used && !out->to_stdout && out->kind != OUT_JSON && out->kind != OUT_DB &&
	       out->fd > 2 && fstat(out->fd, &sb) == 0 && S_ISREG(sb.st_mode);
}

char *nmap_sidecar_path(const char *file)
{
	size_t n = strlen(file);
	char *s = malloc(n + sizeof(SIDECAR_EXT));
	if (s) {
		memcpy(s, file, n);
		memcpy(s + n, SIDECAR_EXT, sizeof(SIDECAR_EXT));
	}
	return s;
}

/* out's sidecar, created (emptied) at its first record; NULL if it cannot be. */
static struct emit *sidecar(struct nmap_ctx *c, int k)
{
	struct nmap_output *out = &c->out[k];
	if (out->side)
		return out->side;
	if (!c->o.out_file[k])
		return NULL;
	char *path = nmap_sidecar_path(c->o.out_file[k]);
	int fd = path ? open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) : -1;
	out->side = fd >= 0 ? malloc(sizeof(*out->side)) : NULL;
	if (!out->side) {
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
		free(path);
		return NULL;
	}
	emit_init(out->side, fd, EMIT_TEXT, 0);
	out->side_fd = fd;
	out->side_path = path;
	return out->side;
}

/* Host names are PTR names, but nothing stops a resolver from returning
 * spaces or "--" (which would end an XML comment): everything but
 * [A-Za-z0-9._] is written as %XX. */
static void put_name(struct emit *e, const char *s)
{
	if (!s || !*s) {
		emit_raw(e, "-", 1);
		return;
	}
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '.' || ch == '_')
			emit_raw(e, s, 1);
		else
			emit_rawf(e, "%%%02X", ch);
	}
}

static void record_start(struct emit *e, bool xml)
{
	emit_raw(e, xml ? "<!-- " RECORD_KEY : "# " RECORD_KEY, strlen(RECORD_KEY) + (xml ? 5 : 2));
}

static void record_end(struct emit *e, bool xml)
{
	emit_raw(e, xml ? " -->\n" : "\n", xml ? 5 : 1);
}

static int cmp_result(const void *a, const void *b)
{
	const struct port_result *x = a, *y = b;
	int d = (int)x->proto - (int)y->proto;
	if (!d)
		d = (int)x->state - (int)y->state;
	if (!d)
		d = (int)x->reason - (int)y->reason;
	if (!d)
		d = (int)x->reason_ttl - (int)y->reason_ttl;
	return d ? d : (int)x->port - (int)y->port;
}

static bool same_result(const struct port_result *x, const struct port_result *y)
{
	return x->proto == y->proto && x->state == y->state && x->reason == y->reason &&
	       x->reason_ttl == y->reason_ttl;
}

/* The ports of one line, grouped by result: "tcp/closed/reset/62=1-21,23" */
static void put_ports(struct emit *e, struct port_result *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_result);
	for (size_t i = 0; i < n;) {
		emit_rawf(e, " %s/%s/%s/%u=", nmap_proto_name(v[i].proto),
			  port_state_name(v[i].state), reason_name(v[i].reason), v[i].reason_ttl);
		size_t j = i;
		while (j < n && same_result(&v[j], &v[i])) {
			size_t k = j;
			while (k + 1 < n && same_result(&v[k + 1], &v[i]) &&
			       v[k + 1].port == v[k].port + 1)
				k++;
			emit_rawf(e, j > i ? ",%u" : "%u", v[j].port);
			if (k > j)
				emit_rawf(e, "-%u", v[k].port);
			j = k + 1;
		}
		i = j;
	}
}

void nmap_progress_record(struct emit *e, bool xml, const struct host *h,
			  const struct port_result *p, size_t n)
{
	char a[INET6_ADDRSTRLEN];
	struct port_result *v = malloc((n < PORTS_PER_LINE ? n : PORTS_PER_LINE) * sizeof(*v) + 1);
	if (!v)
		return; /* the host is scanned again in full on resume */
	for (size_t i = 0; i == 0 || i < n; i += PORTS_PER_LINE) {
		size_t m = n - i < PORTS_PER_LINE ? n - i : PORTS_PER_LINE;
		record_start(e, xml);
		emit_rawf(e, "%s up %s %u ", nmap_addr_str(&h->addr, a, sizeof(a)),
			  reason_name(h->reason), h->reason_ttl);
		if (h->has_mac)
			emit_rawf(e, "%02x:%02x:%02x:%02x:%02x:%02x", h->mac[0], h->mac[1],
				  h->mac[2], h->mac[3], h->mac[4], h->mac[5]);
		else
			emit_raw(e, "-", 1);
		emit_rawf(e, " %.9f %.6f ", h->rtt, h->start);
		put_name(e, h->rdns);
		if (m) {
			memcpy(v, p + i, m * sizeof(*v));
			put_ports(e, v, m);
		}
		record_end(e, xml);
	}
	free(v);
}

void nmap_ports_final(void *ctx, const struct host *h, const struct port_result *p, size_t n)
{
	struct nmap_ctx *c = ctx;
	for (int k = 0; k < OUT_MAX; k++) {
		struct emit *e = takes_records(&c->out[k]) ? sidecar(c, k) : NULL;
		if (!e)
			continue;
		nmap_progress_record(e, false, h, p, n);
		emit_flush(e);
	}
}

/* Bytes as put_name writes a name; "-" for none. */
static void put_bytes(struct emit *e, const uint8_t *b, size_t n)
{
	if (!n)
		emit_raw(e, "-", 1);
	for (size_t i = 0; i < n; i++) {
		uint8_t ch = b[i];
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9'))
			emit_raw(e, (const char *)&b[i], 1);
		else
			emit_rawf(e, "%%%02X", ch);
	}
}

/* A TCP port -sV decided, as one record:
 *   # netkit-resume svc ADDR tcp/PORT KIND SSL CONF service product version
 *     extrainfo hostname ostype devicetype evidence NCPE CPE... FP NRESP
 *     (PROBE DATA)...   (strings as put_name writes them, "-" if empty) */
static void put_service(struct emit *e, const struct host *h, const struct port_service *ps)
{
	char a[INET6_ADDRSTRLEN];
	const struct svc_match *m = &ps->m;
	emit_raw(e, "# " RECORD_KEY "svc ", 2 + strlen(RECORD_KEY) + 4);
	emit_rawf(e, "%s tcp/%u %u %u %u", nmap_addr_str(&h->addr, a, sizeof(a)), ps->port,
		  ps->kind, ps->tunnel_ssl, m->conf);
	const char *f[] = {m->service,	m->product, m->version,	   m->info,
			   m->hostname, m->ostype,  m->devicetype, m->evidence};
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		emit_raw(e, " ", 1);
		put_name(e, f[i]);
	}
	emit_rawf(e, " %u", m->ncpe);
	for (unsigned i = 0; i < m->ncpe && i < SVC_MAX_CPE; i++) {
		emit_raw(e, " ", 1);
		put_name(e, m->cpe[i]);
	}
	emit_raw(e, " ", 1);
	put_name(e, ps->fp);
	emit_rawf(e, " %zu", ps->nresp);
	for (size_t i = 0; i < ps->nresp; i++) {
		emit_raw(e, " ", 1);
		put_name(e, ps->resp[i].probe);
		emit_raw(e, " ", 1);
		put_bytes(e, ps->resp[i].data, ps->resp[i].len);
	}
	emit_raw(e, "\n", 1);
}

void nmap_service_final(void *ctx, const struct host *h, const struct port_service *ps)
{
	struct nmap_ctx *c = ctx;
	if (ps->proto != IPPROTO_TCP)
		return; /* a UDP port's answer may have made it open: probed again */
	for (int k = 0; k < OUT_MAX; k++) {
		struct emit *e = takes_records(&c->out[k]) ? sidecar(c, k) : NULL;
		if (!e)
			continue;
		put_service(e, h, ps);
		emit_flush(e);
	}
}

void nmap_progress_drop(struct nmap_ctx *c)
{
	for (int k = 0; k < OUT_MAX; k++) {
		struct nmap_output *out = &c->out[k];
		if (!out->side)
			continue;
		emit_flush(out->side);
		if (ftruncate(out->side_fd, 0) == 0)
			lseek(out->side_fd, 0, SEEK_SET);
	}
}

void nmap_progress_mark_cut(struct nmap_ctx *c)
{
	for (int k = 0; k < OUT_MAX; k++) {
		struct nmap_output *out = &c->out[k];
		if (!takes_records(out))
			continue;
		bool xml = out->kind == OUT_XML;
		record_start(out->e, xml);
		emit_raw(out->e, "cut", 3);
		record_end(out->e, xml);
	}
}

void nmap_progress_close(struct nmap_ctx *c)
{
	for (int k = 0; k < OUT_MAX; k++) {
		struct nmap_output *out = &c->out[k];
		if (!out->side)
			continue;
		emit_flush(out->side);
		struct stat sb;
		if (fstat(out->side_fd, &sb) == 0 && sb.st_size == 0)
			unlink(out->side_path); /* no host left partly scanned */
		close(out->side_fd);
		free(out->side);
		free(out->side_path);
		out->side = NULL;
		out->side_path = NULL;
	}
}

/* ---- reading the records back ---- */

static int name_index(const char *s, size_t n, const char *(*name)(int), int max)
{
	for (int i = 1; i < max; i++) {
		const char *v = name(i);
		if (v && strlen(v) == n && !strncmp(v, s, n))
			return i;
	}
	return -1;
}

static const char *state_name_i(int i)
{
	return port_state_name((enum port_state)i);
}

static const char *reason_name_i(int i)
{
	return reason_name((enum reason)i);
}

static int proto_num(const char *s, size_t n)
{
	static const struct {
		const char *name;
		uint8_t num;
	} t[] = {{"tcp", IPPROTO_TCP}, {"udp", IPPROTO_UDP}, {"sctp", IPPROTO_SCTP}, {"ip", 0}};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strlen(t[i].name) == n && !strncmp(t[i].name, s, n))
			return t[i].num;
	return -1;
}

/* Next space-separated word of [*p, end); false at the end. */
static bool word(const char **p, const char *end, const char **w, size_t *n)
{
	while (*p < end && **p == ' ')
		(*p)++;
	if (*p >= end)
		return false;
	*w = *p;
	while (*p < end && **p != ' ')
		(*p)++;
	*n = (size_t)(*p - *w);
	return true;
}

static char *get_name(const char *w, size_t n)
{
	if (n == 1 && *w == '-')
		return NULL;
	char *s = malloc(n + 1), *o = s;
	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		if (w[i] == '%' && i + 2 < n && sscanf(w + i + 1, "%2x", &v) == 1) {
			*o++ = (char)v;
			i += 2;
		} else {
			*o++ = w[i];
		}
	}
	*o = '\0';
	return s;
}

static bool parse_num(const char *s, size_t n, unsigned long max, unsigned long *v)
{
	char buf[8], *e;
	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	*v = strtoul(buf, &e, 10);
	return !*e && *v <= max && buf[0] >= '0' && buf[0] <= '9';
}

/* "tcp/closed/reset/62=1-21,23" into h's ports. */
static int parse_group(const char *w, size_t n, struct host *h)
{
	const char *f[4], *end = w + n, *eq = memchr(w, '=', n);
	size_t len[4];
	if (!eq)
		return -EINVAL;
	for (int i = 0; i < 4; i++) {
		f[i] = w;
		while (w < eq && *w != '/')
			w++;
		len[i] = (size_t)(w - f[i]);
		if (i < 3 && w++ >= eq)
			return -EINVAL;
	}
	int proto = proto_num(f[0], len[0]);
	int st = name_index(f[1], len[1], state_name_i, PORT_STATE_MAX);
	int rs = name_index(f[2], len[2], reason_name_i, REASON_MAX);
	unsigned long ttl, lo, hi;
	if (w != eq || proto < 0 || st < 0 || rs < 0 || !parse_num(f[3], len[3], 255, &ttl))
		return -EINVAL;
	for (const char *q = eq + 1; q < end;) {
		const char *c = q;
		while (c < end && *c != ',')
			c++;
		const char *dash = memchr(q, '-', (size_t)(c - q));
		if (!parse_num(q, (size_t)((dash ? dash : c) - q), 65535, &lo) ||
		    (dash && !parse_num(dash + 1, (size_t)(c - dash - 1), 65535, &hi)))
			return -EINVAL;
		if (!dash)
			hi = lo;
		if (hi < lo)
			return -EINVAL;
		for (unsigned long port = lo; port <= hi; port++) {
			struct port_result pr = {.port = (uint16_t)port,
						 .proto = (uint8_t)proto,
						 .state = (uint8_t)st,
						 .reason = (uint8_t)rs,
						 .reason_ttl = (uint8_t)ttl};
			if (host_add_port(h, &pr) < 0)
				return -ENOMEM;
		}
		q = c < end ? c + 1 : c;
		if (c + 1 == end)
			return -EINVAL; /* a trailing comma */
	}
	return eq + 1 < end ? 0 : -EINVAL;
}

static bool parse_mac(const char *w, size_t n, struct host *h)
{
	if (n == 1 && *w == '-')
		return true;
	unsigned m[6];
	char buf[18];
	if (n != 17)
		return false;
	memcpy(buf, w, n);
	buf[n] = '\0';
	if (sscanf(buf, "%2x:%2x:%2x:%2x:%2x:%2x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) != 6)
		return false;
	for (int i = 0; i < 6; i++)
		h->mac[i] = (uint8_t)m[i];
	h->has_mac = true;
	return true;
}

static bool parse_double(const char *w, size_t n, double *v)
{
	char buf[64], *e;
	if (n >= sizeof(buf))
		return false;
	memcpy(buf, w, n);
	buf[n] = '\0';
	*v = strtod(buf, &e);
	return e != buf && !*e;
}

/* An address word (IPv4 or IPv6) into ss. */
static bool word_addr(const char *w, size_t n, struct sockaddr_storage *ss)
{
	char buf[INET6_ADDRSTRLEN];
	if (n >= sizeof(buf))
		return false;
	memcpy(buf, w, n);
	buf[n] = '\0';
	memset(ss, 0, sizeof(*ss));
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, buf, &s4->sin_addr) == 1)
		s4->sin_family = AF_INET;
	else if (inet_pton(AF_INET6, buf, &s6->sin6_addr) == 1)
		s6->sin6_family = AF_INET6;
	else
		return false;
	return true;
}

/* The host fields of one record line into h (a fresh or a known host). */
static bool parse_host_fields(const char **p, const char *end, struct host *h)
{
	const char *w;
	size_t n;
	struct host t = {0};
	if (!word(p, end, &w, &n) || !word_addr(w, n, &t.addr))
		return false;
	int rs;
	char *e;
	if (!word(p, end, &w, &n) || n != 2 || strncmp(w, "up", 2) || !word(p, end, &w, &n) ||
	    (rs = name_index(w, n, reason_name_i, REASON_MAX)) < 0 || !word(p, end, &w, &n))
		return false;
	unsigned long ttl = strtoul(w, &e, 10);
	if (e != w + n || ttl > 255 || !word(p, end, &w, &n) || !parse_mac(w, n, &t) ||
	    !word(p, end, &w, &n) || !parse_double(w, n, &t.rtt) || !word(p, end, &w, &n) ||
	    !parse_double(w, n, &t.start) || !word(p, end, &w, &n))
		return false;
	t.status = HOST_UP;
	t.reason = (uint8_t)rs;
	t.reason_ttl = (uint8_t)ttl;
	free(h->rdns);
	t.rdns = get_name(w, n);
	t.ports = h->ports;
	t.nports = h->nports;
	t.ports_cap = h->ports_cap;
	*h = t;
	return true;
}

static int cmp_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return a->ss_family < b->ss_family ? -1 : 1;
	if (a->ss_family == AF_INET6)
		return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
			      &((const struct sockaddr_in6 *)b)->sin6_addr, 16);
	return memcmp(&((const struct sockaddr_in *)a)->sin_addr,
		      &((const struct sockaddr_in *)b)->sin_addr, 4);
}

static struct host *find_host(struct nmap_partial *pt, const struct sockaddr_storage *ss)
{
	for (size_t i = 0; i < pt->n; i++)
		if (!cmp_addr(&pt->v[i].addr, ss))
			return &pt->v[i];
	return NULL;
}

/* One record line (after the key, up to end). -EINVAL if malformed. */
static int parse_record(struct nmap_partial *pt, const char *p, const char *end)
{
	struct host tmp = {0};
	const char *q = p;
	if (!parse_host_fields(&q, end, &tmp))
		return -EINVAL;
	struct host *h = find_host(pt, &tmp.addr);
	if (!h) {
		struct host *v = realloc(pt->v, (pt->n + 1) * sizeof(*v));
		if (!v) {
			free(tmp.rdns);
			return -ENOMEM;
		}
		pt->v = v;
		h = &pt->v[pt->n++];
		memset(h, 0, sizeof(*h));
	}
	tmp.ports = h->ports;
	tmp.nports = h->nports;
	tmp.ports_cap = h->ports_cap;
	free(h->rdns);
	*h = tmp;
	const char *w;
	size_t n;
	while (word(&q, end, &w, &n)) {
		int rc = parse_group(w, n, h);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* A word put_bytes wrote, decoded (malloc'd, *len its length); NULL and
 * *len 0 for "-" or when out of memory. */
static uint8_t *get_bytes(const char *w, size_t n, size_t *len)
{
	*len = 0;
	if (n == 1 && *w == '-')
		return NULL;
	uint8_t *b = malloc(n ? n : 1);
	if (!b)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		if (w[i] == '%' && i + 2 < n && sscanf(w + i + 1, "%2x", &v) == 1) {
			b[(*len)++] = (uint8_t)v;
			i += 2;
		} else {
			b[(*len)++] = (uint8_t)w[i];
		}
	}
	return b;
}

/* The next word decoded into dst (cap bytes, truncated); false at the end. */
static bool get_field(const char **p, const char *end, char *dst, size_t cap)
{
	const char *w;
	size_t n;
	if (!word(p, end, &w, &n))
		return false;
	char *s = get_name(w, n);
	snprintf(dst, cap, "%s", s ? s : "");
	free(s);
	return true;
}

static bool get_num(const char **p, const char *end, unsigned long max, unsigned long *v)
{
	const char *w;
	size_t n;
	return word(p, end, &w, &n) && parse_num(w, n, max, v);
}

/* The answers of a "svc" record into ps (its probe names and bytes). */
static int get_resps(const char **p, const char *end, struct port_service *ps)
{
	unsigned long n;
	if (!get_num(p, end, SVC_MAX_RESP, &n))
		return -EINVAL;
	ps->resp = n ? calloc(n, sizeof(*ps->resp)) : NULL;
	if (n && !ps->resp)
		return -ENOMEM;
	for (; ps->nresp < n; ps->nresp++) {
		struct svc_resp *r = &ps->resp[ps->nresp];
		const char *w;
		size_t wn;
		if (!get_field(p, end, r->probe, sizeof(r->probe)) || !word(p, end, &w, &wn))
			return -EINVAL;
		r->data = get_bytes(w, wn, &r->len);
	}
	return 0;
}

/* "svc ADDR tcp/PORT ..." (put_service) into the host's services; a host
 * the records do not hold is left out (it is scanned again in full). */
static int parse_svc(struct nmap_partial *pt, const char *p, const char *end)
{
	const char *w;
	size_t n;
	struct sockaddr_storage ss;
	unsigned long port, kind, ssl, conf, ncpe;
	if (!word(&p, end, &w, &n) || !word_addr(w, n, &ss) || !word(&p, end, &w, &n) || n < 5 ||
	    strncmp(w, "tcp/", 4) || !parse_num(w + 4, n - 4, 65535, &port) ||
	    !get_num(&p, end, PSVC_UNRECOGNIZED, &kind) || !get_num(&p, end, 1, &ssl) ||
	    !get_num(&p, end, 255, &conf))
		return -EINVAL;
	struct port_service ps = {.port = (uint16_t)port,
				  .proto = IPPROTO_TCP,
				  .kind = (uint8_t)kind,
				  .tunnel_ssl = ssl};
	struct svc_match *m = &ps.m;
	m->conf = (uint8_t)conf;
	char *f[] = {m->service,  m->product, m->version,    m->info,
		     m->hostname, m->ostype,  m->devicetype, m->evidence};
	size_t cap[] = {sizeof(m->service),    sizeof(m->product),  sizeof(m->version),
			sizeof(m->info),       sizeof(m->hostname), sizeof(m->ostype),
			sizeof(m->devicetype), sizeof(m->evidence)};
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (!get_field(&p, end, f[i], cap[i]))
			return -EINVAL;
	if (!get_num(&p, end, SVC_MAX_CPE, &ncpe))
		return -EINVAL;
	for (m->ncpe = 0; m->ncpe < ncpe; m->ncpe++)
		if (!get_field(&p, end, m->cpe[m->ncpe], sizeof(m->cpe[0])))
			return -EINVAL;
	if (!word(&p, end, &w, &n))
		return -EINVAL;
	ps.fp = get_name(w, n);
	int rc = get_resps(&p, end, &ps);
	struct host *h = find_host(pt, &ss);
	struct port_service *v =
		rc == 0 && h ? realloc(h->svcs, (h->nsvcs + 1) * sizeof(*v)) : NULL;
	if (!v) {
		free(ps.fp);
		svc_resp_free(ps.resp, ps.nresp);
		return rc < 0 ? rc : h ? -ENOMEM : 0;
	}
	h->svcs = v;
	h->svcs[h->nsvcs++] = ps;
	return 0;
}

/* A port recorded twice (it should not be) counts once: the last copy.
 * The engine sorts the ports when the host is done. */
static int dedupe_ports(struct host *h)
{
	uint8_t *seen = calloc(4 * 65536 / 8, 1); /* tcp, udp, sctp, ip */
	if (!seen)
		return -ENOMEM;
	size_t keep = h->nports;
	for (size_t i = h->nports; i-- > 0;) {
		const struct port_result *pr = &h->ports[i];
		size_t k = pr->proto == IPPROTO_TCP    ? 0
			   : pr->proto == IPPROTO_UDP  ? 1
			   : pr->proto == IPPROTO_SCTP ? 2
						       : 3;
		size_t bit = k * 65536 + pr->port;
		if (seen[bit / 8] >> (bit % 8) & 1)
			continue;
		seen[bit / 8] |= (uint8_t)(1u << (bit % 8));
		h->ports[--keep] = *pr;
	}
	free(seen);
	memmove(h->ports, h->ports + keep, (h->nports - keep) * sizeof(*h->ports));
	h->nports -= keep;
	return 0;
}

int nmap_progress_parse(const char *text, struct nmap_partial *pt)
{
	for (const char *p = strstr(text, RECORD_KEY); p; p = strstr(p, RECORD_KEY)) {
		p += strlen(RECORD_KEY);
		const char *end = p + strcspn(p, "\n");
		if (end - p > 4 && !strncmp(end - 4, " -->", 4))
			end -= 4;
		if (end - p == 3 && !strncmp(p, "cut", 3))
			continue;
		int rc = end - p > 4 && !strncmp(p, "svc ", 4) ? parse_svc(pt, p + 4, end)
							       : parse_record(pt, p, end);
		if (rc < 0)
			return rc;
		p = end;
	}
	for (size_t i = 0; i < pt->n; i++)
		if (pt->v[i].nports > 1 && dedupe_ports(&pt->v[i]) < 0)
			return -ENOMEM;
	return 0;
}

off_t nmap_progress_cut(const char *text)
{
	const char *p = strstr(text, RECORD_KEY);
	if (!p)
		return -1;
	while (p > text && p[-1] != '\n')
		p--;
	return p - text;
}

bool nmap_progress_take(struct nmap_partial *pt, struct host *h)
{
	struct host *r = find_host(pt, &h->addr);
	if (!r)
		return false;
	char *target_name = h->target_name;
	struct sockaddr_storage addr = h->addr;
	*h = *r;
	h->target_name = target_name;
	h->addr = addr;
	memset(r, 0, sizeof(*r));
	r->addr.ss_family = AF_UNSPEC; /* taken */
	return true;
}

void nmap_progress_free(struct nmap_partial *pt)
{
	for (size_t i = 0; i < pt->n; i++)
		host_clear(&pt->v[i]);
	free(pt->v);
	pt->v = NULL;
	pt->n = 0;
}

/* The task named on an XML task line ("<taskbegin task=\"X\" ..."). */
static bool task_of(const char *line, const char *eol, const char **t, size_t *n)
{
	const char *p = strstr(line, " task=\"");
	if (!p || p >= eol)
		return false;
	*t = p + 7;
	const char *q = memchr(*t, '"', (size_t)(eol - *t));
	if (!q)
		return false;
	*n = (size_t)(q - *t);
	return true;
}

static bool task_ends(const char *from, const char *end, const char *t, size_t n)
{
	for (const char *p = from; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		eol = eol ? eol : end;
		const char *u;
		size_t m;
		if (!strncmp(p, "<taskend ", 9) && task_of(p, eol, &u, &m) && m == n &&
		    !memcmp(u, t, n))
			return true;
		p = eol < end ? eol + 1 : end;
	}
	return false;
}

/* Copy text's lines to out except those drop() names; out may be text (a
 * line is never written ahead of where it is read). Returns the length. */
static size_t drop_lines(const char *text, size_t len, char *out,
			 bool (*drop)(const char *p, const char *eol, const char *end))
{
	size_t o = 0;
	const char *end = text + len;
	for (const char *p = text; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		eol = eol ? eol + 1 : end;
		if (!drop(p, eol, end)) {
			memmove(out + o, p, (size_t)(eol - p));
			o += (size_t)(eol - p);
		}
		p = eol;
	}
	return o;
}

/* a <taskbegin>/<taskprogress> whose task has no <taskend> after it */
static bool open_task(const char *p, const char *eol, const char *end)
{
	const char *t;
	size_t n;
	return (!strncmp(p, "<taskbegin ", 11) || !strncmp(p, "<taskprogress ", 14)) &&
	       task_of(p, eol, &t, &n) && !task_ends(eol, end, t, n);
}

size_t nmap_resume_drop_open_tasks(const char *in, size_t len, char *out)
{
	return drop_lines(in, len, out, open_task);
}

off_t nmap_resume_xml_region(const char *text, off_t cut)
{
	const char *h = NULL, *end = text + cut;
	for (const char *q = strstr(text, "</host>"); q && q < end; q = strstr(q + 1, "</host>"))
		h = q;
	if (h) {
		h += 7;
	} else {
		const char *d = strstr(text, "<debugging");
		h = d && d < end ? strchr(d, '>') : NULL;
		if (!h || h >= end)
			return cut;
		h++;
	}
	if (h < end && *h == '\n')
		h++;
	return h - text;
}

static bool is_record(const char *p, const char *eol, const char *end)
{
	(void)end;
	size_t klen = strlen(RECORD_KEY);
	return ((size_t)(eol - p) > 5 + klen && !strncmp(p, "<!-- " RECORD_KEY, 5 + klen)) ||
	       ((size_t)(eol - p) > 2 + klen && !strncmp(p, "# " RECORD_KEY, 2 + klen));
}

size_t nmap_progress_strip(const char *text, size_t len, char *out)
{
	return drop_lines(text, len, out, is_record);
}
