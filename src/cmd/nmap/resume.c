/* SPDX-License-Identifier: Apache-2.0 */
/* --resume FILE: continue an interrupted scan from its normal, grepable
 * or XML output. The file's header holds the original command line; the
 * last host the file reports is where the scan goes on (the hosts before
 * it are done); its sidecar FILE.netkit-resume the ports done of the hosts
 * it left partly scanned (progress.c). Outputs are appended to; an XML file is cut back before
 * its <runstats> (or its end, after a SIGKILL) and continued, so the
 * resumed document is one valid document again. */
#include "cmd/nmap/nmap.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The arguments after " as: nmap " on the header line, unescaped. */
static char *header_args(const char *text)
{
	const char *p = strstr(text, " as: ");
	if (!p)
		return NULL;
	p += 5;
	size_t n = strcspn(p, "\n");
	if (n > 4 && !strncmp(p + n - 4, " -->", 4))
		n -= 4; /* the XML comment's end */
	char *s = malloc(n + 1), *o = s;
	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (!strncmp(p + i, "&#45;", 5)) {
			*o++ = '-';
			i += 4;
		} else {
			*o++ = p[i];
		}
	}
	*o = '\0';
	return s;
}

static bool parse_addr(const char *s, size_t n, struct sockaddr_storage *ss)
{
	char buf[INET6_ADDRSTRLEN];
	if (n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	memset(ss, 0, sizeof(*ss));
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, buf, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, buf, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		return true;
	}
	return false;
}

/* Whether the XML at p is inside a <hosthint> (the last "<host" before
 * it opens a hint, not a host). */
static bool in_hosthint(const char *text, const char *p)
{
	while (p > text) {
		p--;
		if (!strncmp(p, "<host", 5))
			return !strncmp(p + 5, "hint", 4);
	}
	return false;
}

/* Whether the host report at p (key k) says the host is down. */
static bool reported_down(const char *text, const char *p, size_t k)
{
	const char *eol = p + strcspn(p, "\n");
	if (k == 0)
		return memmem(p, (size_t)(eol - p), " [host down", 11) != NULL;
	if (k == 1)
		return memmem(p, (size_t)(eol - p), "\tStatus: Down", 13) != NULL;
	const char *h = p;
	while (h > text && strncmp(h, "<host", 5))
		h--;
	const char *st = memmem(h, (size_t)(p - h), "<status state=\"", 15);
	return st && !strncmp(st + 15, "down\"", 5);
}

/* The last host the file reports up, in whichever format it is: up hosts
 * are reported in target order, so every target before it is done. Hosts
 * reported down (nmap reports them before it port scans the others of
 * their group) are done too, but say nothing about the hosts before them:
 * they are skipped one by one (r->down). */
static bool last_host(const char *text, struct nmap_resume *r)
{
	bool found = false;
	static const char *const keys[] = {"Nmap scan report for ", "Host: ", "<address addr=\""};
	for (size_t k = 0; k < 3; k++)
		for (const char *p = strstr(text, keys[k]); p; p = strstr(p + 1, keys[k])) {
			const char *a = p + strlen(keys[k]);
			size_t n = strcspn(a, " \"\n\t");
			struct sockaddr_storage ss;
			if (k == 2 && in_hosthint(text, p))
				continue; /* a host discovery found, not one finished */
			if (k == 0 && a[n] == ' ' && a[n + 1] == '(') { /* "name (addr)" */
				a += n + 2;
				n = strcspn(a, ")");
			}
			if (!parse_addr(a, n, &ss))
				continue;
			if (!reported_down(text, p, k)) {
				r->after = ss;
				r->ndown = 0; /* those were in its group or before */
				found = true;
			} else {
				struct sockaddr_storage *v =
					realloc(r->down, (r->ndown + 1) * sizeof(*v));
				if (!v)
					continue; /* scanned again: harmless */
				r->down = v;
				r->down[r->ndown++] = ss;
			}
		}
	return found;
}

static char **split_args(char *s, int *argc)
{
	size_t cap = 8;
	char **v = malloc(cap * sizeof(*v)), *save = NULL;
	int n = 0;
	if (!v) {
		*argc = 0;
		return NULL;
	}
	for (char *t = strtok_r(s, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if ((size_t)n + 2 > cap) {
			char **nv = realloc(v, (cap *= 2) * sizeof(*v));
			if (!nv) {
				free(v);
				return NULL;
			}
			v = nv;
		}
		v[n++] = t;
	}
	v[n] = NULL;
	*argc = n;
	return v;
}

int nmap_resume_load(const char *path, struct nmap_resume *r)
{
	char *text;
	int rc = svc_read_file(path, &text);
	if (rc < 0) {
		fprintf(stderr, "Cannot open resume file %s: %s\n", path, strerror(-rc));
		return 1;
	}
	r->args = header_args(text);
	r->found = last_host(text, r);
	r->prior_up = nmap_resume_count_up(text);
	r->finished = nmap_resume_finished(text);
	rc = nmap_progress_parse(text, &r->partial);
	free(text);
	/* the records of the hosts left partly scanned: in the sidecar */
	char *side = nmap_sidecar_path(path);
	if (rc == 0 && side && svc_read_file(side, &text) == 0) {
		r->finished = r->finished && !*text;
		rc = nmap_progress_parse(text, &r->partial);
		free(text);
	}
	free(side);
	if (rc < 0) {
		fprintf(stderr, "Cannot resume from %s: %s\n", path,
			rc == -EINVAL ? "malformed netkit-resume record" : strerror(-rc));
		free(r->args);
		r->args = NULL;
		return 1;
	}
	if (!r->args) {
		fprintf(stderr,
			"Unable to parse supposed log file %s.  Are you sure this is an "
			"Nmap output file?\n",
			path);
		return 1;
	}
	r->argbuf = strdup(r->args);
	r->argv = r->argbuf ? split_args(r->argbuf, &r->argc) : NULL;
	return r->argv ? 0 : 1;
}

bool nmap_resume_skip(struct nmap_resume *r, const struct sockaddr_storage *ss)
{
	size_t len = ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
					       : sizeof(struct sockaddr_in);
	for (size_t i = 0; i < r->ndown; i++)
		if (r->down[i].ss_family == ss->ss_family && !memcmp(&r->down[i], ss, len))
			return true;
	if (!r->found || r->passed)
		return false;
	if (ss->ss_family == r->after.ss_family && !memcmp(ss, &r->after, len))
		r->passed = true; /* this one is done too; the next is not */
	return true;
}

unsigned long nmap_resume_count_up(const char *text)
{
	unsigned long n = 0;
	if (strstr(text, "<nmaprun")) {
		/* <host ...><status state="up": not <hosthint>, and the records
		 * (comments) name no elements */
		for (const char *p = strstr(text, "<host"); p; p = strstr(p + 1, "<host")) {
			if (p[5] != ' ' && p[5] != '>')
				continue;
			const char *st = strstr(p, "<status state=\"");
			n += st && !strncmp(st + 15, "up\"", 3);
		}
	} else if (strstr(text, "\nHost: ")) {
		for (const char *p = strstr(text, "\tStatus: Up"); p;
		     p = strstr(p + 1, "\tStatus: Up"))
			n++;
	} else {
		for (const char *p = strstr(text, "Nmap scan report for "); p;
		     p = strstr(p + 1, "Nmap scan report for ")) {
			const char *eol = p + strcspn(p, "\n");
			n += !(eol - p > 12 && !strncmp(eol - 12, " [host down]", 12));
		}
	}
	return n;
}

off_t nmap_resume_text_cut(const char *text)
{
	static const char *const trailer[] = {"\nRead data files from: ", "\n# Nmap done at "};
	for (size_t i = 0; i < sizeof(trailer) / sizeof(trailer[0]); i++) {
		const char *p = strstr(text, trailer[i]);
		if (p)
			return (p - text) + 1;
	}
	return (off_t)strlen(text);
}

/* Cut a resumed XML file back to its last finished host. */
off_t nmap_resume_xml_cut(const char *text)
{
	const char *p = strstr(text, "<runstats>");
	if (p)
		return p - text;
	p = NULL;
	for (const char *q = strstr(text, "</host>"); q; q = strstr(q + 1, "</host>"))
		p = q;
	if (p)
		return (p - text) + 7 + (p[7] == '\n');
	p = strstr(text, "<debugging");
	if (p) {
		const char *e = strstr(p, "/>");
		if (e)
			return (e - text) + 2 + (e[2] == '\n');
	}
	return -1;
}

bool nmap_resume_finished(const char *text)
{
	if (strstr(text, "netkit-resume "))
		return false; /* a cut record (or an older netkit's records) */
	if (strstr(text, "<nmaprun"))
		return strstr(text, "<finished ") && strstr(text, " exit=\"success\"");
	const char *done = strstr(text, "\n# Nmap done at ");
	return done && !strstr(done, " (interrupted)");
}
