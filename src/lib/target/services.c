/* SPDX-License-Identifier: Apache-2.0 */
/* Loader for netkit's port/protocol name tables (see services.h). */
#include "lib/target/services.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int svc_read_file(const char *path, char **out)
{
	*out = NULL; /* until it holds the text: never left unset on failure */
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	while (buf) {
		if (len + 1 >= cap) {
			char *nb = realloc(buf, cap * 2);
			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		ssize_t n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = -errno;
			free(buf);
			close(fd);
			return err;
		}
		if (n == 0) {
			buf[len] = '\0';
			close(fd);
			*out = buf;
			return 0;
		}
		len += (size_t)n;
	}
	free(buf);
	close(fd);
	return -ENOMEM;
}

/* Split the next line off *p (in place); NULL at the end. */
static char *next_line(char **p)
{
	char *s = *p;
	if (!*s)
		return NULL;
	char *nl = strchr(s, '\n');
	if (nl) {
		*nl = '\0';
		*p = nl + 1;
	} else {
		*p = s + strlen(s);
	}
	return s;
}

/* Split up to max space-separated fields of line in place. */
static int split(char *line, char **f, int max)
{
	int n = 0;
	char *save = NULL;
	for (char *t = strtok_r(line, " \t\r", &save); t; t = strtok_r(NULL, " \t\r", &save)) {
		if (n == max)
			return max + 1;
		f[n++] = t;
	}
	return n;
}

static int parse_num(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static int proto_of(const char *s)
{
	if (!strcmp(s, "tcp"))
		return IPPROTO_TCP;
	if (!strcmp(s, "udp"))
		return IPPROTO_UDP;
	if (!strcmp(s, "sctp"))
		return IPPROTO_SCTP;
	return -1;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct svc_entry *x = a, *y = b;
	if (x->proto != y->proto)
		return (int)x->proto - (int)y->proto;
	return (int)x->port - (int)y->port;
}

/* PROTO PORT NAME RANK SOURCE */
static int parse_entry(char *line, struct svc_entry *e)
{
	char *f[6];
	if (split(line, f, 5) != 5)
		return -EINVAL;
	int proto = proto_of(f[0]);
	unsigned long port, rank = 0;
	if (proto < 0 || parse_num(f[1], 65535, &port) < 0)
		return -EINVAL;
	if (strcmp(f[3], "-") && (parse_num(f[3], 65536, &rank) < 0 || !rank))
		return -EINVAL;
	if (strcmp(f[4], "netbase") && strcmp(f[4], "iana") && strcmp(f[4], "nmap"))
		return -EINVAL;
	e->name = f[2];
	e->rank = (uint32_t)rank;
	e->port = (uint16_t)port;
	e->proto = (uint8_t)proto;
	return 0;
}

int svc_db_parse(struct svc_db *db, char *text, int *bad_line)
{
	size_t cap = 0;
	char *p = text, *line;
	int lineno = 0;
	free(db->text);
	free(db->v);
	db->text = text;
	db->v = NULL;
	db->n = 0;
	while ((line = next_line(&p))) {
		lineno++;
		line += strspn(line, " \t");
		if (!*line || *line == '#' || *line == '\r')
			continue;
		if (db->n == cap) {
			cap = cap ? cap * 2 : 4096;
			struct svc_entry *v = realloc(db->v, cap * sizeof(*v));
			if (!v)
				return -ENOMEM;
			db->v = v;
		}
		if (parse_entry(line, &db->v[db->n]) < 0) {
			if (bad_line)
				*bad_line = lineno;
			return -EINVAL;
		}
		db->n++;
	}
	if (db->n > 1)
		qsort(db->v, db->n, sizeof(*db->v), entry_cmp);
	return 0;
}

int svc_db_parse_protocols(struct svc_db *db, char *text, int *bad_line)
{
	char *p = text, *line;
	int lineno = 0;
	free(db->ptext);
	db->ptext = text;
	memset(db->proto_names, 0, sizeof(db->proto_names));
	while ((line = next_line(&p))) {
		char *f[4]; /* NUMBER NAME SOURCE */
		unsigned long num;
		lineno++;
		line += strspn(line, " \t");
		if (!*line || *line == '#' || *line == '\r')
			continue;
		if (split(line, f, 3) != 3 || parse_num(f[0], 255, &num) < 0 ||
		    (strcmp(f[2], "iana") && strcmp(f[2], "nmap"))) {
			if (bad_line)
				*bad_line = lineno;
			return -EINVAL;
		}
		db->proto_names[num] = f[1];
	}
	return 0;
}

/* Read path and parse it; the text stays with db. */
static int load(struct svc_db *db, const char *path, int *bad_line,
		int (*parse)(struct svc_db *, char *, int *))
{
	char *text;
	int err = svc_read_file(path, &text);
	if (!text) /* err is negative then */
		return err < 0 ? err : -EIO;
	return parse(db, text, bad_line);
}

int svc_db_load(struct svc_db *db, const char *path, int *bad_line)
{
	return load(db, path, bad_line, svc_db_parse);
}

int svc_db_load_protocols(struct svc_db *db, const char *path, int *bad_line)
{
	return load(db, path, bad_line, svc_db_parse_protocols);
}

static int mac_cmp(const void *a, const void *b)
{
	const struct svc_mac *x = a, *y = b;
	return x->prefix < y->prefix ? -1 : x->prefix > y->prefix;
}

int svc_db_parse_macs(struct svc_db *db, char *text, int *bad_line)
{
	char *p = text, *line;
	int lineno = 0;
	size_t cap = 0;
	free(db->mtext);
	free(db->macs);
	db->mtext = text;
	db->macs = NULL;
	db->nmacs = 0;
	while ((line = next_line(&p))) {
		lineno++;
		if (!*line || *line == '#')
			continue;
		char *end;
		unsigned long v = strtoul(line, &end, 16);
		if (end - line != 6 || *end != ' ' || !end[1]) {
			if (bad_line)
				*bad_line = lineno;
			return -EINVAL;
		}
		if (db->nmacs == cap) {
			cap = cap ? cap * 2 : 1024;
			struct svc_mac *m = realloc(db->macs, cap * sizeof(*m));
			if (!m)
				return -ENOMEM;
			db->macs = m;
		}
		end[strcspn(end, "\r")] = '\0';
		db->macs[db->nmacs].prefix = (uint32_t)v;
		db->macs[db->nmacs++].vendor = end + 1;
	}
	if (db->nmacs > 1)
		qsort(db->macs, db->nmacs, sizeof(*db->macs), mac_cmp);
	return 0;
}

int svc_db_load_macs(struct svc_db *db, const char *path, int *bad_line)
{
	return load(db, path, bad_line, svc_db_parse_macs);
}

const char *svc_mac_vendor(const struct svc_db *db, const uint8_t mac[6])
{
	struct svc_mac key = {.prefix = (uint32_t)mac[0] << 16 | (uint32_t)mac[1] << 8 | mac[2]};
	const struct svc_mac *m =
		db && db->macs ? bsearch(&key, db->macs, db->nmacs, sizeof(*m), mac_cmp) : NULL;
	return m ? m->vendor : NULL;
}

void svc_db_free(struct svc_db *db)
{
	free(db->v);
	free(db->macs);
	free(db->mtext);
	free(db->text);
	free(db->ptext);
	memset(db, 0, sizeof(*db));
}

const struct svc_entry *svc_lookup(const struct svc_db *db, uint8_t proto, uint16_t port)
{
	struct svc_entry key = {.port = port, .proto = proto};
	if (!db || !db->v)
		return NULL;
	return bsearch(&key, db->v, db->n, sizeof(*db->v), entry_cmp);
}

const char *svc_proto_name(const struct svc_db *db, unsigned num)
{
	return db && num < 256 ? db->proto_names[num] : NULL;
}

static int rank_cmp(const void *a, const void *b)
{
	const struct svc_entry *x = *(const struct svc_entry *const *)a;
	const struct svc_entry *y = *(const struct svc_entry *const *)b;
	/* ranked first, by rank; then the rest by port number */
	uint32_t rx = x->rank ? x->rank : UINT32_MAX, ry = y->rank ? y->rank : UINT32_MAX;
	if (rx != ry)
		return rx < ry ? -1 : 1;
	return (int)x->port - (int)y->port;
}

size_t svc_top_ports(const struct svc_db *db, uint8_t proto, size_t n, uint16_t *out)
{
	size_t cnt = 0, k = 0;
	for (size_t i = 0; i < db->n; i++)
		cnt += db->v[i].proto == proto;
	const struct svc_entry **r = malloc((cnt ? cnt : 1) * sizeof(*r));
	if (!r)
		return 0;
	for (size_t i = 0; i < db->n; i++)
		if (db->v[i].proto == proto)
			r[k++] = &db->v[i];
	qsort(r, k, sizeof(*r), rank_cmp);
	if (n > k)
		n = k;
	for (size_t i = 0; i < n; i++)
		out[i] = r[i]->port;
	free(r);
	return n;
}
