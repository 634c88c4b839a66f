/* SPDX-License-Identifier: Apache-2.0 */
/* netkit nmap: the front end. Parses the options, expands targets and
 * ports, opens the outputs, hands the hosts to the scanning engine
 * (engine/scan.h) and writes each host to every output as soon as the
 * engine reports it finished. */
#include "cmd/nmap/nmap.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cmd/tools.h"
#include "engine/scan.h"
#include "lib/svc/matchdb.h"

static const struct nmap_out_ops *const out_ops[OUT_MAX] = {
	[OUT_NORMAL] = &nmap_out_normal, [OUT_XML] = &nmap_out_xml, [OUT_GREP] = &nmap_out_grep,
	[OUT_JSON] = &nmap_out_json,	 [OUT_DB] = &nmap_out_db,
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static int quit(const char *fmt, const char *arg)
{
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nQUITTING!\n");
	return 1;
}

static char *join_args(int argc, char **argv)
{
	size_t len = 5;
	for (int i = 1; i < argc; i++)
		len += strlen(argv[i]) + 1;
	char *s = malloc(len + 1);
	if (!s)
		return NULL;
	strcpy(s, "nmap");
	for (int i = 1; i < argc; i++) {
		strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

/* Data files: --datadir, then $NETKIT_DATADIR, the installed copy, and
 * the source tree's (for running from the build directory). */
static int load_data(struct nmap_ctx *c)
{
	const char *dirs[] = {c->o.cfg.datadir, getenv("NETKIT_DATADIR"), NETKIT_DATADIR,
			      NETKIT_SRCDATADIR};
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char p[4096], q[4096];
		if (!dirs[i])
			continue;
		snprintf(p, sizeof(p), "%s/nmap/services", dirs[i]);
		snprintf(q, sizeof(q), "%s/nmap/protocols", dirs[i]);
		if (access(p, R_OK))
			continue;
		int line = 0;
		int rc = svc_db_load(&c->svc, p, &line);
		if (rc == 0)
			rc = svc_db_load_protocols(&c->svc, q, &line);
		snprintf(q, sizeof(q), "%s/nmap/mac-prefixes", dirs[i]);
		if (rc == 0 && access(q, R_OK) == 0) /* optional: vendors show as Unknown */
			rc = svc_db_load_macs(&c->svc, q, &line);
		if (rc == 0)
			c->datadir = realpath(dirs[i], NULL);
		if (rc < 0) {
			fprintf(stderr, "netkit nmap: %s/nmap: %s (line %d)\n", dirs[i],
				rc == -EINVAL ? "malformed data file" : strerror(-rc), line);
			return 1;
		}
		return 0;
	}
	fprintf(stderr, "netkit nmap: cannot find the port table (data/nmap/services); "
			"use --datadir\n");
	return 1;
}

struct add_ctx {
	struct nmap_ctx *c;
	struct target_list *l;
	int af;
	bool exclude;
	int rc;
};

/* netkit's parser says "Failed to resolve" for what nmap takes as a host
 * name (300.1.1.1, 10.0.0.5-3): its lookup fails, and nmap skips it
 * without an XML record. Other failures are nmap's parse errors
 * ("Unable to split netmask", an IPv6 address without -6), which its XML
 * records as a skipped invalid target. */
static bool taken_as_name(const char *msg)
{
	return !strncmp(msg, "Failed to resolve ", 18);
}

static int note_push(struct nmap_notes *l, size_t before, const char *msg, const char *invalid,
		     bool named)
{
	struct nmap_note *v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	l->v = v;
	v += l->n;
	v->before = before;
	v->msg = strdup(msg);
	v->invalid = invalid ? strdup(invalid) : NULL;
	v->named = named;
	if (!v->msg || (invalid && !v->invalid)) {
		free(v->msg);
		free(v->invalid);
		return -ENOMEM;
	}
	l->n++;
	return 0;
}

/* Why a name does not resolve, in getaddrinfo's words (as nmap says it:
 * "Name or service not known", or without a network "Temporary failure
 * in name resolution"). */
static const char *lookup_error(const char *name, int af)
{
	struct addrinfo hints = {.ai_family = af}, *res = NULL;
	int rc = getaddrinfo(name, NULL, &hints, &res);
	if (rc == 0) {
		freeaddrinfo(res);
		rc = EAI_NONAME;
	}
	return gai_strerror(rc);
}

/* Whether a spec's mask is all digits and fits a long: nmap's --exclude
 * reads it with strtol, so a mask beyond INT_MAX (which a target spec
 * cannot split) is an illegal netmask there, not a parse error. */
static bool mask_fits_long(const char *word)
{
	const char *m = strrchr(word, '/');
	if (!m || !m[1] || strspn(m + 1, "0123456789") != strlen(m + 1))
		return false;
	errno = 0;
	(void)strtol(m + 1, NULL, 10);
	return errno == 0;
}

/* An exclusion nmap cannot use ends the run, as nmap's fatal(): its
 * message on stderr and in the -oN files (the outputs are open by then),
 * and the XML closed with exit="error" and the message. */
static int exclude_quit(struct nmap_ctx *c, const char *fmt, const char *arg, const char *why)
{
	char msg[1024];
	snprintf(msg, sizeof(msg), fmt, arg, why);
	nmap_log_normal(c, "%s", msg);
	nmap_log_normal(c, "\nQUITTING!");
	size_t len = strlen(msg);
	c->fatal_msg = malloc(len + 2);
	if (c->fatal_msg)
		memcpy(c->fatal_msg, msg, len), memcpy(c->fatal_msg + len, "\n", 2);
	for (int k = 0; k < OUT_MAX; k++)
		if (c->out[k].used && c->out[k].kind == OUT_XML)
			out_ops[OUT_XML]->end(c, &c->out[k], false);
	return 1;
}

/* A spec of --exclude that nmap cannot use ends the run, in its words;
 * an IPv6 address without -6 is left out silently, as nmap does. */
static int exclude_error(struct add_ctx *a, const char *word, int rc, const char *msg)
{
	char name[512];
	if (rc == 1 || (!strncmp(msg, "Unable to split netmask", 23) && mask_fits_long(word)))
		a->rc = exclude_quit(
			a->c,
			"Illegal netmask in \"%s\". Must be smaller than address bit length.%s",
			word, "");
	else if (taken_as_name(msg)) {
		snprintf(name, sizeof(name), "%s", word);
		char *slash = strrchr(name, '/');
		if (slash && slash != name && strspn(slash + 1, "0123456789") == strlen(slash + 1))
			*slash = '\0';
		a->rc = exclude_quit(a->c, "Error resolving name \"%s\": %s", name,
				     lookup_error(name, a->af));
	} else if (!strncmp(msg, "Unable to split netmask", 23))
		a->rc = exclude_quit(a->c, "Error parsing netmask in \"%s\".%s", word, "");
	else
		return 0;
	return -EINVAL;
}

static int add_one(void *vctx, const char *word)
{
	struct add_ctx *a = vctx;
	char msg[512] = "";
	size_t before = a->l->n;
	int rc = target_list_add(a->l, word, a->af, msg, sizeof(msg));
	if (!a->exclude) {
		a->c->last_notes = a->c->notes.n;
		a->c->last_parsed = rc >= 0;
	}
	if (rc == -ENOMEM) {
		fprintf(stderr, "out of memory\n");
		a->rc = 1;
		return rc;
	}
	if (rc == 0)
		return 0;
	if (a->exclude)
		return exclude_error(a, word, rc, msg);
	/* nmap says what is wrong with the spec and goes on with the others */
	bool named = rc < 0 && taken_as_name(msg), invalid = rc < 0 && !named;
	if (note_push(&a->c->notes, before, msg, invalid ? word : NULL, named) < 0 ||
	    (named && !strcmp(word, "-") &&
	     note_push(&a->c->notes, before, "Bare '-': did you put a space between '--'?", NULL,
		       true) < 0)) {
		fprintf(stderr, "out of memory\n");
		a->rc = 1;
		return -ENOMEM;
	}
	return 0;
}

static int read_list_file(const char *path, struct add_ctx *a, const char *what)
{
	char *text;
	bool in = !strcmp(path, "-") || !strcmp(path, "/dev/stdin");
	int rc = svc_read_file(in ? "/dev/stdin" : path, &text);
	if (rc < 0) {
		fprintf(stderr, "Failed to open %s file %s for reading: %s (%d)\n", what, path,
			strerror(-rc), -rc);
		return 1;
	}
	target_words(text, add_one, a);
	free(text);
	return a->rc;
}

static int split_commas(struct add_ctx *a, const char *list)
{
	char *dup = strdup(list), *save = NULL;
	if (!dup)
		return 1;
	for (char *t = strtok_r(dup, ",", &save); t && !a->rc; t = strtok_r(NULL, ",", &save))
		add_one(a, t);
	free(dup);
	return a->rc;
}

static void add_again(struct nmap_ctx *c, const char *line)
{
	size_t len = c->again ? strlen(c->again) : 0;
	char *v = realloc(c->again, len + strlen(line) + 2);
	if (!v)
		return;
	c->again = v;
	sprintf(v + len, "%s\n", line);
}

/* Every target is parsed before anything is sent. A target nmap cannot
 * use is skipped with its message (said as the walk reaches it). */
static int build_targets(struct nmap_ctx *c)
{
	struct add_ctx a = {.c = c, .l = &c->targets, .af = c->o.cfg.af};
	if (c->o.input_file && read_list_file(c->o.input_file, &a, "input"))
		return 1;
	for (size_t i = 0; i < c->o.ntargets && !a.rc; i++)
		add_one(&a, c->o.targets[i]);
	if (a.rc)
		return 1;
	for (size_t i = c->last_notes; i < c->notes.n; i++)
		if (c->notes.v[i].named)
			add_again(c, c->notes.v[i].msg);
	return 0;
}

/* The exclusions, read once the outputs have begun, as nmap reads them. */
static int build_excludes(struct nmap_ctx *c)
{
	struct add_ctx x = {.c = c, .l = &c->excludes, .af = c->o.cfg.af, .exclude = true};
	if (c->o.exclude && split_commas(&x, c->o.exclude))
		return x.rc ? x.rc : 1;
	if (c->o.exclude_file && read_list_file(c->o.exclude_file, &x, "exclude"))
		return x.rc ? x.rc : 1;
	for (size_t i = 0; i < c->excludes.n; i++) {
		struct target_spec *t = &c->excludes.v[i];
		int rc = t->kind == TGT_NAME ? target_resolve(t, c->o.cfg.af, NULL) : 0;
		if (rc != 0)
			return exclude_quit(c, "Error resolving name \"%s\": %s", t->name,
					    rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
	}
	return 0;
}

static void say_note(struct nmap_ctx *c, const struct nmap_note *n)
{
	nmap_log_normal(c, "%s", n->msg);
	for (int k = 0; n->invalid && k <= OUT_MAX; k++)
		if (c->out[k].used && nmap_out_is_xml(&c->out[k]))
			nmap_xml_invalid_target(&c->out[k], n->invalid);
}

/* What nmap says about the specs before targets.v[upto] and about that
 * one, said once the walk of the targets reaches it (nmap's list scan
 * says it between its groups of 4096 hosts): the parse notes first, then
 * a name's failed lookup. */
static void say_notes(struct nmap_ctx *c, size_t upto)
{
	struct nmap_notes *p = &c->notes, *f = &c->fails;
	for (;;) {
		bool pn = p->said < p->n && p->v[p->said].before <= upto;
		bool fn = f->said < f->n && f->v[f->said].before <= upto;
		if (pn && (!fn || p->v[p->said].before <= f->v[f->said].before))
			say_note(c, &p->v[p->said++]);
		else if (fn)
			say_note(c, &f->v[f->said++]);
		else
			break;
	}
}

static int resolve_failed(struct nmap_ctx *c, size_t i, bool other, bool last)
{
	const struct target_spec *t = &c->targets.v[i];
	char line[1024];
	if (other) {
		snprintf(line, sizeof(line),
			 "Warning: Hostname %s resolves, but not to any %s address. Try scanning "
			 "%s -6",
			 t->name, c->o.cfg.af == AF_INET6 ? "IPv6" : "IPv4",
			 c->o.cfg.af == AF_INET6 ? "without" : "with");
		if (note_push(&c->fails, i, line, NULL, true) < 0)
			return -ENOMEM;
		if (last)
			add_again(c, line);
	}
	snprintf(line, sizeof(line), "Failed to resolve \"%s\".", t->name); /* without /mask */
	if (note_push(&c->fails, i, line, NULL, true) < 0)
		return -ENOMEM;
	if (last)
		add_again(c, line);
	return 0;
}

/* Resolve every name before the scan (it needs the addresses); what
 * failed is said as the walk of the targets reaches it (say_notes). */
static int resolve_targets(struct nmap_ctx *c)
{
	for (size_t i = 0; i < c->targets.n; i++) {
		struct target_spec *t = &c->targets.v[i];
		bool other = false;
		if (t->kind == TGT_NAME && target_resolve(t, c->o.cfg.af, &other) != 0 &&
		    resolve_failed(c, i, other, c->last_parsed && i == c->targets.n - 1) < 0)
			return quit("%s", "Out of memory");
	}
	return 0;
}

void nmap_say_again(struct nmap_ctx *c)
{
	for (char *p = c->again, *nl; p && (nl = strchr(p, '\n')); p = nl + 1) {
		*nl = '\0';
		nmap_log_normal(c, "%s", p);
		*nl = '\n';
	}
}

/* --shards: this run's part of the target list's index space, known
 * once the names are resolved (a name takes its block's slots). */
static int setup_shard(struct nmap_ctx *c)
{
	uint64_t m;
	if (!c->o.shards)
		return 0;
	if (target_list_slots(&c->targets, &m) < 0)
		return quit("%s",
			    "Too many targets to split into shards (more than 2^64 addresses)");
	if (shard_init(&c->shard, c->o.shards, c->o.shard, c->o.seed, m) < 0)
		return quit("%s", "--shard must be below --shards");
	return 0;
}

/* The next (up to max) hosts of the target list, after exclusions. */
static int expand_hosts(struct nmap_ctx *c, struct target_iter *it, size_t max, struct host **out,
			size_t *nout)
{
	struct sockaddr_storage ss;
	const struct target_spec *spec;
	size_t n = 0, cap = 0;
	struct host *v = NULL;
	for (;;) {
		if (n == max)
			break;
		if (target_next(&c->targets, it, &ss, &spec) != 1) {
			say_notes(c, (size_t)-1);
			break;
		}
		say_notes(c, (size_t)(spec - c->targets.v));
		if (c->o.shards && !shard_member(&c->shard, it->pos))
			continue;
		if (target_list_contains(&c->excludes, &ss))
			continue;
		if (c->resuming && nmap_resume_skip(&c->resume, &ss)) {
			c->nhosts += !c->resume.finished; /* done by the interrupted run */
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			struct host *nv = realloc(v, cap * sizeof(*nv));
			if (!nv) {
				free(v);
				return -ENOMEM;
			}
			v = nv;
		}
		memset(&v[n], 0, sizeof(v[n]));
		v[n].addr = ss;
		v[n].tindex = it->pos;
		v[n].rtt = -1;
		if (spec->kind == TGT_NAME)
			v[n].target_name = strdup(spec->name);
		if (c->resuming)
			nmap_progress_take(&c->resume.partial, &v[n]);
		n++;
	}
	*out = v;
	*nout = n;
	return 0;
}

/* The ports to scan in the order they go: random unless -r, and then
 * (TCP only) nmap's most common ports first, as nmap sends them. */
static int to_list(const uint64_t *bits, size_t nbits, struct port_list *l, bool shuffle, bool tcp)
{
	size_t n = portset_count(bits, nbits);
	free(l->ports);
	l->ports = calloc(n ? n : 1, sizeof(*l->ports));
	if (!l->ports)
		return -ENOMEM;
	l->n = portset_list(bits, nbits, l->ports);
	if (shuffle) {
		uint64_t seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
		ports_shuffle(l->ports, l->n, seed);
		if (tcp)
			ports_common_first(l->ports, l->n);
	}
	return 0;
}

static void add_top(const struct svc_db *db, uint8_t proto, int n, uint64_t *bits)
{
	uint16_t *v = calloc((size_t)n, sizeof(*v));
	if (!v)
		return;
	size_t got = svc_top_ports(db, proto, (size_t)n, v);
	for (size_t i = 0; i < got; i++)
		ps_set(bits, v[i]);
	free(v);
}

/* --top-ports N as nmap 7.93 applies it: the N first in rank order of
 * the ports in bits (all the table's without -p); a port the table does
 * not hold is left out. */
static void keep_ranked(const struct svc_db *db, uint8_t proto, int top, uint64_t *bits)
{
	uint16_t *v = calloc(65536, sizeof(*v));
	if (!v)
		return;
	size_t got = svc_top_ports(db, proto, 65536, v), kept = 0;
	uint64_t *keep = calloc(65536 / 64, sizeof(*keep));
	for (size_t i = 0; keep && i < got && kept < (size_t)top; i++) {
		if (!ps_test(bits, v[i]))
			continue;
		ps_set(keep, v[i]);
		kept++;
	}
	if (keep)
		memcpy(bits, keep, 65536 / 8);
	free(keep);
	free(v);
}

/* nmap warns at each protocol prefix of -p whose protocol the scan does
 * not use (not under -sO, which is alone), as it reads the list. */
static void prefix_warnings(const struct portset *ps, unsigned scanned)
{
	static const char *const what[] = {
		"any TCP scan type",
		"UDP scan with -sU",
		"any SCTP scan type",
		"IP Protocol scan with -sO",
	};
	if (scanned == PS_PROTO)
		return;
	for (const char *p = ps->prefixes; *p; p++) {
		int i = (int)(strchr("TUSP", *p) - "TUSP");
		if (!(scanned & (1u << i)))
			fprintf(stderr,
				"WARNING: Your ports include \"%c:\" but you haven't specified "
				"%s.\n",
				*p, what[i]);
	}
}

static void dup_warning(const struct portset *ps)
{
	if (ps->dup)
		fprintf(stderr,
			"WARNING: Duplicate port number(s) specified.  Are you alert enough "
			"to be using Nmap?  Have some coffee or Jolt(tm).\n");
}

static int build_ports(struct nmap_ctx *c)
{
	struct scan_config *cfg = &c->o.cfg;
	struct portset *ps = &c->ports;
	unsigned scanned = (cfg->scans & ~(unsigned)(SCAN_UDP | SCAN_IPPROTO | SCAN_SCTP_INIT |
						     SCAN_SCTP_COOKIE)
				    ? PS_TCP
				    : 0) |
			   (cfg->scans & SCAN_UDP ? PS_UDP : 0) |
			   (cfg->scans & (SCAN_SCTP_INIT | SCAN_SCTP_COOKIE) ? PS_SCTP : 0) |
			   (cfg->scans & SCAN_IPPROTO ? PS_PROTO : 0);
	char err[512];
	if (c->o.port_spec) {
		unsigned unpre = scanned == PS_PROTO ? PS_PROTO : scanned & ~(unsigned)PS_PROTO;
		int rc = portspec_parse(c->o.port_spec, &c->svc, unpre, ps, err, sizeof(err));
		prefix_warnings(ps, scanned);
		if (rc < 0)
			return quit("%s", err);
		dup_warning(ps);
	} else {
		int n = c->o.top_ports ? c->o.top_ports : c->o.fast ? 100 : 1000;
		add_top(&c->svc, IPPROTO_TCP, n, ps->tcp);
		add_top(&c->svc, IPPROTO_UDP, n, ps->udp);
		add_top(&c->svc, IPPROTO_SCTP, n, ps->sctp);
		for (unsigned i = 0; i < 256; i++)
			ps_set(ps->proto, i);
	}
	if (c->o.top_ports) {
		keep_ranked(&c->svc, IPPROTO_TCP, c->o.top_ports, ps->tcp);
		keep_ranked(&c->svc, IPPROTO_UDP, c->o.top_ports, ps->udp);
		keep_ranked(&c->svc, IPPROTO_SCTP, c->o.top_ports, ps->sctp);
	}
	if (c->o.exclude_ports) {
		struct portset *ex = calloc(1, sizeof(*ex));
		if (!ex)
			return 1;
		int rc = portspec_parse(c->o.exclude_ports, &c->svc, scanned | PS_PROTO, ex, err,
					sizeof(err));
		if (rc == 0) {
			dup_warning(ex);
			portset_subtract(ps, ex);
		}
		free(ex);
		if (rc < 0)
			return quit("%s", err);
	}
	bool sh = !c->o.no_randomize_ports;
	if ((scanned & PS_TCP && to_list(ps->tcp, 65536, &cfg->tcp_ports, sh, true)) ||
	    (scanned & PS_UDP && to_list(ps->udp, 65536, &cfg->udp_ports, sh, false)) ||
	    (scanned & PS_SCTP && to_list(ps->sctp, 65536, &cfg->sctp_ports, sh, false)) ||
	    (scanned & PS_PROTO && to_list(ps->proto, 256, &cfg->protos, sh, false)))
		return 1;
	if (scanned & PS_TCP && !cfg->tcp_ports.n)
		fprintf(stderr, "WARNING: a TCP scan type was requested, but no tcp ports were "
				"specified.  Skipping this scan type.\n");
	if (scanned & PS_UDP && !cfg->udp_ports.n)
		fprintf(stderr, "WARNING: UDP scan was requested, but no udp ports were specified. "
				" Skipping this scan type.\n");
	if (scanned & PS_PROTO && !cfg->protos.n)
		fprintf(stderr, "WARNING: protocol scan was requested, but no protocols were "
				"specified to be scanned.  Skipping this scan type.\n");
	return 0;
}

static int check_combinations(struct nmap_ctx *c)
{
	struct nmap_opts *o = &c->o;
	if ((o->list_scan || o->cfg.ping_only) && o->cfg.scans)
		return quit("-sL and -sn (skip port scan) are not valid with any other scan "
			    "types%s",
			    "");
	unsigned tcp = o->cfg.scans & (SCAN_SYN | SCAN_CONNECT | SCAN_ACK | SCAN_WINDOW |
				       SCAN_MAIMON | SCAN_NULL | SCAN_FIN | SCAN_XMAS);
	if (tcp & (tcp - 1))
		return quit("You specified more than one type of TCP scan.  Please choose only one "
			    "of -sA, -b, -sT, -sF, -sI, -sM, -sN, -sS, -sW, and -sX%s",
			    "");
	if ((o->list_scan || o->cfg.ping_only) && (o->port_spec || o->fast))
		return quit(
			"You cannot use -F (fast scan) or -p (explicit port selection) when not "
			"doing a port scan%s",
			"");
	if (o->port_spec && o->fast)
		return quit("You cannot use -F (fast scan) with -p (explicit port selection) but "
			    "see --top-ports and --port-ratio to fast scan a range of ports%s",
			    "");
	/* -sL -sn (the seed's pipeline): both say "no port scan", and the
	 * list scan wins, as in nmap */
	if (o->list_scan)
		o->cfg.ping_only = false;
	return 0;
}

static bool has_sidecar(const char *path)
{
	char *side = nmap_sidecar_path(path);
	struct stat sb;
	bool yes = side && stat(side, &sb) == 0 && sb.st_size > 0;
	free(side);
	return yes;
}

/* Continue a resumed file: cut it back to its last finished host (before
 * the interrupted run's resume records or, for XML, its <runstats>). */
static int resume_cut(const char *path, int fd, enum nmap_out kind)
{
	char *text;
	if (svc_read_file(path, &text) < 0)
		return -1;
	off_t cut = nmap_progress_cut(text), from = cut;
	if (cut < 0 && kind == OUT_XML && has_sidecar(path)) {
		/* killed (no cut record) while hosts were partly scanned: what
		 * follows the last finished host (hints, tasks) is theirs */
		const char *rs = strstr(text, "<runstats>"), *nl = strrchr(text, '\n');
		cut = from = rs ? rs - text : nl ? nl + 1 - text : -1;
	}
	size_t keep = 0;
	if (cut > 0 && kind == OUT_XML) {
		/* what follows the last finished host, up to <runstats> or the
		 * last whole line: task elements and hints between the records
		 * stay, the records go, and so does the task cut short */
		char *rs = strstr(text, "<runstats>"), *nl = strrchr(text, '\n');
		off_t end = rs ? rs - text : nl ? nl + 1 - text : 0;
		from = nmap_resume_xml_region(text, cut);
		if (end > from) {
			keep = nmap_progress_strip(text + from, (size_t)(end - from), text + from);
			keep = nmap_resume_drop_open_tasks(text + from, keep, text + from);
		}
	}
	if (cut < 0)
		cut = from =
			kind == OUT_XML ? nmap_resume_xml_cut(text) : nmap_resume_text_cut(text);
	int rc = 0;
	/* the file is open for appending: cut, then write the kept part */
	if (cut <= 0 || ftruncate(fd, from) < 0)
		rc = -1;
	else if (keep && write(fd, text + from, keep) != (ssize_t)keep)
		rc = -1;
	free(text);
	return rc;
}

static int open_output(struct nmap_ctx *c, enum nmap_out k, struct nmap_output *out)
{
	const char *path = c->o.out_file[k];
	int fd = 1;
	if (k == OUT_DB) {
		out->kind = k;
		out->used = true;
		return nmap_out_db_open(out, path);
	}
	if (strcmp(path, "-")) {
		/* read too: a finished host reads the resume records back to cut them */
		int fl = O_RDWR | O_CREAT | O_CLOEXEC | (c->o.append_output ? O_APPEND : O_TRUNC);
		fd = open(path, fl, 0644);
		if (fd < 0 && errno == EACCES) /* a write-only file will do */
			fd = open(path, (fl & ~O_RDWR) | O_WRONLY, 0644);
		if (fd < 0) {
			static const char *const what[OUT_MAX] = {"normal", "XML", "machine",
								  "JSON", "database"};
			int err = errno;
			fprintf(stderr, "Failed to open %s output file %s for writing: %s (%d)\n",
				what[k], path, strerror(err), err);
			return 1;
		}
	} else {
		c->stdout_taken = true;
	}
	out->kind = k;
	out->used = true;
	out->fd = fd;
	if (c->resuming && k != OUT_JSON && fd > 2 && resume_cut(path, fd, k) == 0)
		out->resumed = true;
	out->e = malloc(sizeof(*out->e));
	if (!out->e)
		return 1;
	emit_init(out->e, fd,
		  k == OUT_XML	  ? EMIT_XML
		  : k == OUT_JSON ? EMIT_JSON
				  : EMIT_TEXT,
		  k == OUT_XML ? EMIT_PRETTY : 0);
	return 0;
}

static int open_outputs(struct nmap_ctx *c)
{
	for (int k = 0; k < OUT_MAX; k++)
		if (c->o.out_file[k] && open_output(c, (enum nmap_out)k, &c->out[k]))
			return 1;
	if (!c->stdout_taken) {
		struct nmap_output *t = &c->out[OUT_MAX];
		t->kind = OUT_NORMAL;
		t->used = true;
		t->to_stdout = true;
		t->fd = 1;
		t->e = malloc(sizeof(*t->e));
		if (!t->e)
			return 1;
		emit_init(t->e, 1, EMIT_TEXT, 0);
	}
	return 0;
}

static void each_output(struct nmap_ctx *c, int what, const struct host *h, bool intr)
{
	for (int k = 0; k <= OUT_MAX; k++) {
		struct nmap_output *out = &c->out[k];
		if (!out->used)
			continue;
		const struct nmap_out_ops *ops = out_ops[out->kind];
		if (what == 0) {
			if (!out->resumed)
				ops->begin(c, out);
		} else if (what == 1)
			ops->host(c, out, h);
		else
			ops->end(c, out, intr);
	}
}

static void close_outputs(struct nmap_ctx *c)
{
	for (int k = 0; k <= OUT_MAX; k++) {
		struct nmap_output *out = &c->out[k];
		if (!out->used)
			continue;
		if (out->kind == OUT_DB) {
			nmap_out_db_close(out);
			out->used = false;
			continue;
		}
		emit_flush(out->e);
		if (out->fd > 2)
			close(out->fd);
		free(out->e);
		out->used = false;
	}
}

/* --open leaves out, in every output, the hosts with nothing (possibly)
 * open; they still count as up in the summary, as in nmap. */
static bool hidden_by_open(const struct nmap_ctx *c, const struct host *h)
{
	if (!c->o.open_only || c->o.list_scan || c->o.cfg.ping_only || h->status != HOST_UP)
		return false;
	for (size_t i = 0; i < h->nports; i++) {
		uint8_t s = h->ports[i].state;
		if (s == PORT_OPEN || s == PORT_OPEN_FILTERED || s == PORT_UNFILTERED)
			return false;
	}
	return true;
}

/* A target the engine skipped for want of a route: nmap's message on
 * stderr and, in XML, a <target status="skipped"> line; it does not count
 * as a scanned address. */
static void host_skipped(struct nmap_ctx *c, const struct host *h)
{
	char a[INET6_ADDRSTRLEN];
	nmap_addr_str(&h->addr, a, sizeof(a));
	if (h->target_name && strcmp(h->target_name, a))
		fprintf(stderr, "setup_target: failed to determine route to %s (%s)\n",
			h->target_name, a);
	else
		fprintf(stderr, "setup_target: failed to determine route to %s\n", a);
	for (int k = 0; k <= OUT_MAX; k++)
		if (c->out[k].used && nmap_out_is_xml(&c->out[k]))
			out_ops[c->out[k].kind]->host(c, &c->out[k], h);
}

/* The records were cut for a finished host while a resumed host of the
 * same group is still going (a down host is reported before the port
 * scan): its known ports go back in, or a second interruption would
 * lose them. */
static void rerecord_resumed(struct nmap_ctx *c, const struct host *done)
{
	if (done->status == HOST_UP) /* the group's port scan is over: all done */
		return;
	for (size_t i = 0; c->resuming && i < c->run_n; i++) {
		struct host *o = &c->run_hosts[i];
		if (o != done && o->status == HOST_UP && o->nports && o->end == 0) {
			nmap_ports_final(c, o, o->ports, o->nports);
			for (size_t k = 0; k < o->nsvcs; k++)
				nmap_service_final(c, o, &o->svcs[k]);
		}
	}
}

static void on_host_done(void *ctx, struct host *h)
{
	struct nmap_ctx *c = ctx;
	nmap_progress_drop(c); /* the finished host replaces the records */
	rerecord_resumed(c, h);
	if (h->status == HOST_SKIPPED) {
		host_skipped(c, h);
		return;
	}
	if (c->status.running)
		pthread_mutex_lock(&c->status.mu);
	c->nhosts++;
	if (h->status == HOST_UP)
		c->nup++;
	/* it leaves the running task (the status line's counts) */
	if (c->status.undergoing)
		c->status.undergoing--;
	if (h->status == HOST_UP && c->status.group_up)
		c->status.group_up--;
	if (c->status.running)
		pthread_mutex_unlock(&c->status.mu);
	if (!hidden_by_open(c, h))
		each_output(c, 1, h, false);
	/* Every output has this host now; its ports are not read again, and
	 * a /16 x 1000 ports scan must not keep 65 million of them. */
	free(h->ports);
	h->ports = NULL;
	h->nports = h->ports_cap = 0;
	host_free_services(h);
	host_free_scripts(h);
}

/* --version-trace lines go to the terminal, as nmap's do */
static void nmap_version_trace(void *ctx, const char *line)
{
	(void)ctx;
	printf("%s\n", line);
	fflush(stdout);
}

static int should_stop(void *ctx)
{
	(void)ctx;
	return stop_signal != 0;
}

/* --resume: the options are the interrupted scan's own. */
static int resume_args(struct nmap_ctx *c)
{
	const char *file = c->o.resume_file;
	if (nmap_resume_load(file, &c->resume))
		return 1;
	free(c->o.targets);
	memset(&c->o, 0, sizeof(c->o));
	c->args = strdup(c->resume.args);
	int rc = nmap_parse_args(c->resume.argc, c->resume.argv, &c->o);
	if (rc)
		return rc;
	if (c->o.resume_file) {
		fprintf(stderr, "Cannot resume from %s: it is itself a resumed scan's options\n",
			file);
		return 1;
	}
	c->o.append_output = true;
	c->resuming = true;
	c->nup = c->resume.prior_up; /* the summary counts the whole scan */
	if (c->resume.finished) {
		/* nothing left to scan: nmap says so (no targets, 0 hosts) and
		 * its files would only gain another warning and trailer; they
		 * stay as they are */
		memset(c->o.out_file, 0, sizeof(c->o.out_file));
		c->nup = 0;
	}
	return 0;
}

static void free_ctx(struct nmap_ctx *c, struct host *hosts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		host_clear(&hosts[i]);
	free(hosts);
	close_outputs(c);
	struct scan_config *cfg = &c->o.cfg;
	struct port_list *lists[] = {
		&cfg->tcp_ports,       &cfg->udp_ports,	     &cfg->sctp_ports,
		&cfg->protos,	       &cfg->ping_syn_ports, &cfg->ping_ack_ports,
		&cfg->ping_sctp_ports, &cfg->ping_udp_ports, &cfg->ping_protos};
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		free(lists[i]->ports);
	target_list_free(&c->targets);
	target_list_free(&c->excludes);
	struct nmap_notes *notes[] = {&c->notes, &c->fails};
	for (size_t k = 0; k < 2; k++) {
		for (size_t i = 0; i < notes[k]->n; i++) {
			free(notes[k]->v[i].msg);
			free(notes[k]->v[i].invalid);
		}
		free(notes[k]->v);
	}
	free(c->again);
	free(c->fatal_msg);
	svc_db_free(&c->svc);
	free(c->o.targets);
	free(c->args);
	free(c->resume.argv);
	free(c->resume.args);
	free(c->resume.argbuf);
	nmap_progress_free(&c->resume.partial);
	free(c->resume.down);
	nmap_scripts_close(c);
	free(c->datadir);
	svcmatch_close(c->svcdb);
}

/* --randomize-hosts: a Fisher-Yates shuffle of the host records. */
static void shuffle_hosts(struct host *v, size_t n)
{
	uint64_t x = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ 0x9e3779b97f4a7c15ull;
	for (size_t i = n; i > 1; i--) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		size_t j = (size_t)(x % i);
		struct host t = v[i - 1];
		v[i - 1] = v[j];
		v[j] = t;
	}
}

static int run_scan(struct nmap_ctx *c, struct host *hosts, size_t n)
{
	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	c->o.cfg.hooks.ctx = c;
	c->o.cfg.hooks.host_done = on_host_done;
	c->o.cfg.hooks.should_stop = should_stop;
	c->o.cfg.verbose = c->o.verbose;
	c->o.cfg.debug = c->o.debug;
	c->o.cfg.hooks.progress = nmap_status_progress;
	c->o.cfg.hooks.ports_final = nmap_ports_final;
	c->o.cfg.hooks.service_final = nmap_service_final;
	c->o.cfg.hooks.event = nmap_event;
	c->o.cfg.hooks.send_error = nmap_send_error;
	c->o.cfg.hooks.version_trace = nmap_version_trace;
	/* a resumed scan's partly scanned hosts: their known ports are this
	 * run's first records, so a second interruption keeps them too */
	c->run_hosts = hosts;
	c->run_n = n;
	for (size_t i = 0; c->resuming && i < n; i++)
		if (hosts[i].nports) {
			nmap_ports_final(c, &hosts[i], hosts[i].ports, hosts[i].nports);
			for (size_t k = 0; k < hosts[i].nsvcs; k++)
				nmap_service_final(c, &hosts[i], &hosts[i].svcs[k]);
		}
	struct scan_stats st = {0};
	c->trace_on = c->o.packet_trace;
	if (!c->o.list_scan)
		nmap_status_start(c, n);
	/* on a terminal, p/P turn tracing on and off during the scan */
	if (c->o.packet_trace || c->status.tty)
		c->o.cfg.hooks.packet_trace = nmap_packet_trace;
	if (c->o.packet_trace || c->status.tty)
		c->o.cfg.hooks.conn_trace = nmap_conn_trace;
	int rc = nmap_scripts_phase(c, true);
	if (rc == 0)
		rc = n ? scan_run(&c->o.cfg, hosts, n, &st) : 0;
	if (rc == 0 && stop_signal == 0)
		rc = nmap_scripts_phase(c, false);
	c->raw.used = st.raw;
	c->raw.sent = st.raw_sent;
	c->raw.rcvd = st.raw_rcvd;
	c->raw.sent_bytes = st.raw_sent_bytes;
	c->raw.rcvd_bytes = st.raw_rcvd_bytes;
	nmap_status_stop(c);
	bool intr = stop_signal != 0 || rc == -EINTR;
	if (rc < 0 && rc != -EINTR) {
		if (rc == -EPERM)
			fprintf(stderr,
				"You requested a scan type which requires root privileges.\n");
		else if (rc == -EOPNOTSUPP)
			fprintf(stderr, "netkit nmap: %s is not implemented yet\n",
				nmap_phase_name(c->o.cfg.scans & (SCAN_WINDOW | SCAN_MAIMON |
								  SCAN_SCTP_INIT),
						false));
		else
			fprintf(stderr, "netkit nmap: scan failed: %s\n", strerror(-rc));
	}
	if (n && !c->nhosts && !intr && rc >= 0)
		nmap_log_normal(c, "WARNING: No targets were specified, so 0 hosts scanned.");
	if (!intr && c->nhosts)
		nmap_say_again(c);
	if (intr)
		nmap_progress_mark_cut(c);
	each_output(c, 2, NULL, intr);
	nmap_progress_close(c);
	if (intr)
		return 130;
	if (rc == -EOPNOTSUPP)
		return 2;
	return rc < 0 ? 1 : 0;
}

static int run_iflist(struct nmap_ctx *c)
{
	struct nmap_output *t = &c->out[OUT_MAX];
	t->kind = OUT_NORMAL;
	t->used = t->to_stdout = true;
	t->fd = 1;
	t->e = malloc(sizeof(*t->e));
	if (!t->e)
		return 1;
	emit_init(t->e, 1, EMIT_TEXT, 0);
	nmap_out_normal.begin(c, t);
	int rc = nmap_iflist(t->e);
	if (rc < 0) {
		fprintf(stderr, "netkit nmap: --iflist: %s\n", strerror(-rc));
		return 1;
	}
	return 0;
}

/* --script-help and --script-updatedb: nmap's Starting line first. */
static int run_script_help_start(struct nmap_ctx *c)
{
	struct nmap_output *t = &c->out[OUT_MAX];
	int rc = load_data(c);
	if (rc)
		return rc;
	t->kind = OUT_NORMAL;
	t->used = t->to_stdout = true;
	t->fd = 1;
	t->e = malloc(sizeof(*t->e));
	if (!t->e)
		return 1;
	emit_init(t->e, 1, EMIT_TEXT, 0);
	nmap_out_normal.begin(c, t);
	emit_flush(t->e);
	return 0;
}

static int run_script_help(struct nmap_ctx *c)
{
	int rc = run_script_help_start(c);
	if (rc)
		return rc;
	return nmap_script_help(c);
}

/* --script-updatedb: nmap's Starting line, the rebuild's two NSE lines,
 * then its "Nmap done" line for no targets (it scans none). */
static int run_script_updatedb(struct nmap_ctx *c)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = run_script_help_start(c);
	if (rc)
		return rc;
	rc = nmap_script_updatedb(c);
	if (rc)
		return rc;
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("Nmap done: 0 IP addresses (0 hosts up) scanned in %.2f seconds\n",
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}

/* -sL streams: hosts go out in batches (reverse DNS for a batch at a
 * time), so listing a /8 needs no more memory than listing a /24. */
static int run_list(struct nmap_ctx *c)
{
	struct target_iter it = {0};
	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (;;) {
		struct host *hosts = NULL;
		size_t n = 0;
		if (expand_hosts(c, &it, 4096, &hosts, &n) < 0)
			return quit("%s", "Out of memory");
		if (n && c->o.cfg.resolve != 1)
			scan_rdns(&c->o.cfg, hosts, n);
		c->batch = true;
		for (size_t i = 0; i < n && !stop_signal; i++)
			on_host_done(c, &hosts[i]);
		c->batch = false;
		for (int k = 0; k <= OUT_MAX; k++)
			if (c->out[k].used)
				emit_flush(c->out[k].e);
		for (size_t i = 0; i < n; i++)
			host_clear(&hosts[i]);
		free(hosts);
		if (!n || stop_signal)
			break;
	}
	if (!stop_signal && c->nhosts)
		nmap_say_again(c);
	if (!c->nhosts && !stop_signal)
		nmap_log_normal(c, "WARNING: No targets were specified, so 0 hosts scanned.");
	each_output(c, 2, NULL, stop_signal != 0);
	return stop_signal ? 130 : 0;
}

/* -sV: the match database beside the port table; a malformed one stops
 * the run before anything is sent, a missing one leaves the handlers. */
static int load_svcdb(struct nmap_ctx *c)
{
	if (!c->o.cfg.version.on || !c->datadir || c->o.list_scan || c->o.cfg.ping_only)
		return 0;
	char p[4096], msg[256] = "";
	int line = 0;
	snprintf(p, sizeof(p), "%s/nmap/service-match", c->datadir);
	int rc = svcmatch_open(p, &c->svcdb, &line, msg, sizeof(msg));
	if (rc == -ENOENT)
		return 0;
	if (rc < 0) {
		fprintf(stderr, "netkit nmap: %s line %d: %s\n", p, line,
			rc == -EINVAL ? msg : strerror(-rc));
		return 1;
	}
	c->o.cfg.version.db = c->svcdb;
	return 0;
}

static int nmap_prepare(struct nmap_ctx *c)
{
	int rc;
	if ((rc = check_combinations(c)) || (rc = nmap_check_evasion(&c->o)) ||
	    (rc = load_data(c)) || (rc = load_svcdb(c)) ||
	    (rc = nmap_resolve_spoof_mac(&c->o, &c->svc)) || (rc = build_targets(c)))
		return rc;
	if (!c->o.list_scan) {
		bool raw = scan_have_raw();
		/* nmap refuses a raw scan type without the rights before it
		 * starts (no "Starting" line, exit 1) */
		if (!raw && (c->o.cfg.scans & ~(unsigned)SCAN_CONNECT))
			return quit("You requested a scan type which requires root privileges.%s",
				    "");
		c->o.cfg.os_record = getenv("NETKIT_OS_RECORD");
		if (!raw && c->o.cfg.osscan)
			return quit(
				"TCP/IP fingerprinting (for OS scan) requires root privileges.%s",
				"");
		scan_config_defaults(&c->o.cfg, raw);
		if (!c->o.cfg.ping_only && (rc = build_ports(c)))
			return rc;
	}
	if ((rc = open_outputs(c)) == 0) {
		nmap_say_spoof_mac(&c->o, &c->svc);
		nmap_warn_connect(&c->o);
	}
	return rc;
}

int cmd_nmap_main(int argc, char **argv)
{
	static struct nmap_ctx ctx; /* large (port bitmaps); one per process */
	struct nmap_ctx *c = &ctx;
	struct host *hosts = NULL;
	size_t n = 0;
	memset(c, 0, sizeof(*c));
	int rc = nmap_parse_args(argc, argv, &c->o);
	if (rc == 0 && (c->o.help || argc < 2)) {
		nmap_usage(stdout);
		rc = argc < 2 ? 255 : 0;
		goto out;
	}
	if (rc == 0 && c->o.version) {
		printf("netkit nmap version %s ( nmap %s compatible )\n", NETKIT_VERSION,
		       NMAP_COMPAT);
		goto out;
	}
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	c->start_mono = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
	c->start = (double)time(NULL);
	if (rc == 0 && c->o.resume_file)
		rc = resume_args(c);
	else
		c->args = join_args(argc, argv);
	if (rc || !c->args)
		goto out;
	if (c->o.iflist) {
		rc = run_iflist(c);
		goto out;
	}
	if (c->o.script_help) {
		rc = run_script_help(c);
		goto out;
	}
	if (c->o.script_updatedb) {
		rc = run_script_updatedb(c);
		goto out;
	}
	if ((rc = nmap_prepare(c)))
		goto out;
	each_output(c, 0, NULL, false);
	if ((rc = nmap_scripts_open(c)))
		goto out;
	if ((rc = build_excludes(c)) || (rc = resolve_targets(c)) || (rc = setup_shard(c)))
		goto out;
	if (c->o.list_scan) {
		rc = run_list(c);
		goto out;
	}
	struct target_iter it = {0};
	if (expand_hosts(c, &it, (size_t)-1, &hosts, &n) < 0) {
		rc = quit("%s", "Out of memory");
		goto out;
	}
	if (!n)
		nmap_log_normal(c, "WARNING: No targets were specified, so 0 hosts scanned.");
	if (c->o.randomize_hosts)
		shuffle_hosts(hosts, n);
	rc = run_scan(c, hosts, n);
out:
	free_ctx(c, hosts, n);
	return rc;
}
