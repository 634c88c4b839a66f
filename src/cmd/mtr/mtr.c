/* SPDX-License-Identifier: Apache-2.0 */
/* netkit mtr: option parsing (from one table), target resolution and the
 * event loop shared by every display mode. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/mtr/mtr.h"
#include "cmd/tools.h"
#include "lib/io/tsock.h"

enum {
	O_DISPLAYMODE = 256,
	O_NDJSON,
	O_FLOWS,
	O_NO_PARIS,
	O_UNPRIV,
};

struct opt {
	const char *lng;
	int key; /* short letter or O_* */
	int arg; /* no_argument / required_argument */
	const char *help;
};

static const struct opt opts[] = {
	{"filename", 'F', required_argument, "read hostname(s) from a file"},
	{"inet", '4', no_argument, "use IPv4 only"},
	{"inet6", '6', no_argument, "use IPv6 only"},
	{"udp", 'u', no_argument, "use UDP instead of ICMP echo"},
	{"tcp", 'T', no_argument, "use TCP instead of ICMP echo"},
	{"interface", 'I', required_argument, "use named network interface"},
	{"address", 'a', required_argument, "bind the outgoing socket to ADDRESS"},
	{"first-ttl", 'f', required_argument, "set what TTL to start"},
	{"max-ttl", 'm', required_argument, "maximum number of hops"},
	{"max-unknown", 'U', required_argument, "maximum unknown host"},
	{"port", 'P', required_argument, "target port number for TCP, SCTP, or UDP"},
	{"localport", 'L', required_argument, "source port number for UDP"},
	{"psize", 's', required_argument, "set the packet size used for probing"},
	{"bitpattern", 'B', required_argument, "set bit pattern to use in payload"},
	{"interval", 'i', required_argument, "ICMP echo request interval"},
	{"gracetime", 'G', required_argument, "number of seconds to wait for responses"},
	{"tos", 'Q', required_argument, "type of service field in IP header"},
	{"mpls", 'e', no_argument, "display information from ICMP extensions"},
	{"timeout", 'Z', required_argument, "seconds to keep probe sockets open"},
	{"mark", 'M', required_argument, "mark each sent packet"},
	{"report", 'r', no_argument, "output using report mode"},
	{"report-wide", 'w', no_argument, "output wide report"},
	{"report-cycles", 'c', required_argument, "set the number of pings sent"},
	{"json", 'j', no_argument, "output json"},
	{"xml", 'x', no_argument, "output xml"},
	{"csv", 'C', no_argument, "output comma separated values"},
	{"raw", 'l', no_argument, "output raw format"},
	{"split", 'p', no_argument, "split output"},
	{"curses", 't', no_argument, "use curses terminal interface"},
	{"displaymode", O_DISPLAYMODE, required_argument, "select initial display mode"},
	{"no-dns", 'n', no_argument, "do not resolve host names"},
	{"show-ips", 'b', no_argument, "show IP numbers and host names"},
	{"order", 'o', required_argument, "select output fields"},
	{"ipinfo", 'y', required_argument, "select IP information in output"},
	{"aslookup", 'z', no_argument, "display AS number"},
	{"ndjson", O_NDJSON, no_argument, "stream one JSON object per cycle"},
	{"flows", O_FLOWS, required_argument, "trace N flows (ECMP paths) separately"},
	{"no-paris", O_NO_PARIS, no_argument, "vary the flow identifiers like classic mtr"},
	{"unprivileged", O_UNPRIV, no_argument, "use datagram sockets even with CAP_NET_RAW"},
	{"help", 'h', no_argument, "display this help and exit"},
	{"version", 'v', no_argument, "output version information and exit"},
};
#define NOPTS (sizeof(opts) / sizeof(opts[0]))

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	/* named as invoked, like mtr's error() */
	fprintf(stderr, "%s: ", program_invocation_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_FAILURE);
}

static void usage(FILE *f)
{
	fprintf(f, "\nUsage:\n mtr [options] hostname\n\n");
	for (size_t i = 0; i < NOPTS; i++) {
		char left[64];
		const char *argname = opts[i].arg ? " ARG" : "";

		if (opts[i].key < 256)
			snprintf(left, sizeof(left), "-%c, --%s%s", opts[i].key, opts[i].lng,
				 argname);
		else
			snprintf(left, sizeof(left), "    --%s%s", opts[i].lng, argname);
		fprintf(f, " %-26s %s\n", left, opts[i].help);
	}
	fprintf(f, "\nSee the 'man 8 mtr' for details.\n");
}

int mtr_parse_num(const char *s, unsigned long limit, unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v >= limit)
		return -EINVAL;
	*out = v;
	return 0;
}

/* mtr's integer options: a number below limit, no sign (see mtr.h) */
static unsigned long parse_num(const char *s, unsigned long limit)
{
	unsigned long v;

	if (mtr_parse_num(s, limit, &v) < 0)
		die("invalid argument: '%s'", s);
	return v;
}

static int parse_int(const char *s)
{
	return (int)parse_num(s, INT_MAX);
}

static double parse_float(const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v))
		die("invalid argument: '%s'", s);
	return v;
}

static void set_fields(struct mtr *m, const char *s)
{
	if (strlen(s) > MTR_MAXFLD)
		die("Too many fields: %s", s);
	for (const char *p = s; *p; p++)
		if (!mtr_field_find(*p))
			die("Unknown field identifier: %c", *p);
	snprintf(m->fields, sizeof(m->fields), "%s", s);
}

static void parse_addr_opt(struct mtr *m, const char *s)
{
	struct in_addr v4;
	struct in6_addr v6;

	if (inet_pton(AF_INET, s, &v4) == 1)
		pkt_addr4(&m->cfg.src, &v4);
	else if (inet_pton(AF_INET6, s, &v6) == 1)
		pkt_addr6(&m->cfg.src, &v6);
	else
		die("invalid argument: '%s'", s);
}

/* One option; returns false for an unknown one. */
static bool apply_opt(struct mtr *m, int c, const char *arg, int *family)
{
	switch (c) {
	case '4': *family = AF_INET; break;
	case '6': *family = AF_INET6; break;
	case 'u': m->cfg.proto = TRACE_UDP; break;
	case 'T': m->cfg.proto = TRACE_TCP; break;
	case 'I': m->cfg.iface = arg; break;
	case 'a': parse_addr_opt(m, arg); break;
	case 'f': m->cfg.first_ttl = parse_int(arg); break;
	case 'm': m->cfg.max_ttl = parse_int(arg); break;
	case 'U':
		m->cfg.max_unknown = parse_int(arg);
		if (m->cfg.max_unknown < 1)
			m->cfg.max_unknown = 1;
		break;
	case 'P':
		m->cfg.port = parse_int(arg);
		if (m->cfg.port < 1 || m->cfg.port > 65535)
			die("Illegal port number: %d", m->cfg.port);
		break;
	case 'L':
		m->cfg.localport = parse_int(arg);
		if (m->cfg.localport < 1 || m->cfg.localport > 65535)
			die("Illegal port number: %d", m->cfg.localport);
		break;
	case 's': m->cfg.size = parse_int(arg); break;
	case 'B':
		m->cfg.bitpattern = parse_int(arg);
		if (m->cfg.bitpattern > 255)
			m->cfg.bitpattern = -1;
		break;
	case 'i':
		m->cfg.interval = parse_float(arg);
		if (m->cfg.interval <= 0)
			die("wait time must be positive");
		break;
	case 'G':
		m->cfg.grace = parse_float(arg);
		if (m->cfg.grace <= 0)
			die("wait time must be positive");
		break;
	case 'Q':
		m->cfg.tos = parse_int(arg);
		if (m->cfg.tos > 255 || m->cfg.tos < 0)
			m->cfg.tos = 0;
		break;
	case 'e': m->cfg.mpls = true; break;
	case 'Z':
		m->cfg.timeout = parse_int(arg);
		if (m->cfg.timeout <= 0)
			die("timeout must be positive");
		break;
	case 'M':
		m->cfg.mark = (unsigned)parse_num(arg, UINT32_MAX); /* 32 bits in mtr */
		m->cfg.has_mark = true;
		break;
	case 'r': m->display = D_REPORT; break;
	case 'w':
		m->display = D_REPORT;
		m->wide = true;
		break;
	case 'c': m->cfg.count = parse_int(arg); break;
	case 'j': m->display = D_JSON; break;
	case 'x': m->display = D_XML; break;
	case 'C': m->display = D_CSV; break;
	case 'l': m->display = D_RAW; break;
	case 'p': m->display = D_SPLIT; break;
	case 't': m->display = D_CURSES; break;
	case O_DISPLAYMODE:
		m->display_mode = parse_int(arg);
		if (m->display_mode < 0 || m->display_mode > 2)
			die("value %d out of range (0 - 2)", m->display_mode);
		break;
	case 'n': m->dns_on = false; break;
	case 'b': m->show_ips = true; break;
	case 'o': set_fields(m, arg); break;
	case 'y':
		m->ipinfo_no = parse_int(arg);
		if (m->ipinfo_no < 0)
			m->ipinfo_no = 0;
		break;
	case 'z': m->ipinfo_no = 0; break;
	case O_NDJSON: m->display = D_NDJSON; break;
	case O_FLOWS:
		m->cfg.nflows = parse_int(arg);
		if (m->cfg.nflows < 1 || m->cfg.nflows > TRACE_MAXFLOWS)
			die("flows must be between 1 and %d", TRACE_MAXFLOWS);
		break;
	case O_NO_PARIS: m->cfg.paris = false; break;
	case O_UNPRIV: m->cfg.force_dgram = true; break;
	case 'F': m->hostfile = arg; break;
	case 'h': usage(stdout); exit(0);
	case 'v': printf("mtr %s (netkit %s)\n", MTR_VERSION, NETKIT_VERSION); exit(0);
	default: return false;
	}
	return true;
}

static void parse_args(struct mtr *m, int argc, char **argv, int *family)
{
	struct option lo[NOPTS + 1];
	char so[2 * NOPTS + 1];
	size_t k = 0;
	int c;

	for (size_t i = 0; i < NOPTS; i++) {
		lo[i] = (struct option){opts[i].lng, opts[i].arg, NULL, opts[i].key};
		if (opts[i].key < 256) {
			so[k++] = (char)opts[i].key;
			if (opts[i].arg)
				so[k++] = ':';
		}
	}
	so[k] = 0;
	lo[NOPTS] = (struct option){0};
	optind = 1;
	while ((c = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		if (!apply_opt(m, c, optarg, family)) {
			usage(stderr);
			exit(EXIT_FAILURE);
		}
	}
	m->hosts = argv + optind;
	m->nhosts = argc - optind;
}

/* A name that does not resolve is reported and skipped; mtr goes on with
 * the next one and exits 0. */
static int resolve_target(struct mtr *m, int family)
{
	struct addrinfo hints = {.ai_family = family, .ai_socktype = SOCK_DGRAM}, *res;
	int r = getaddrinfo(m->hostname, NULL, &hints, &res);

	if (r) {
		fflush(stdout);
		fprintf(stderr, "%s: Failed to resolve host: %s: %s\n", program_invocation_name,
			m->hostname, gai_strerror(r));
		return -1;
	}
	if (res->ai_family == AF_INET)
		pkt_addr4(&m->cfg.dst, &((struct sockaddr_in *)res->ai_addr)->sin_addr);
	else
		pkt_addr6(&m->cfg.dst, &((struct sockaddr_in6 *)res->ai_addr)->sin6_addr);
	m->cfg.family = res->ai_family;
	freeaddrinfo(res);
	if (m->cfg.src.family && m->cfg.src.family != m->cfg.family)
		die("address family of -a does not match the target's");
	return 0;
}

int mtr_loop_once(struct mtr *m, double max_wait, bool want_stdin)
{
	struct pollfd p[TRACE_MAXCONN + 64];
	int n = 0, nt, nd = 0, ms, in_rev = 0;
	double now = tsock_now(), wake = trace_next_wakeup(&m->tr, now) - now;

	if (want_stdin)
		p[n++] = (struct pollfd){.fd = 0, .events = POLLIN};
	nt = trace_pollfds(&m->tr, p + n, TRACE_MAXCONN + 4);
	n += nt;
	if (m->dns)
		nd = dns_pollfds(m->dns, p + n, (int)(sizeof(p) / sizeof(p[0])) - n);
	if (wake < max_wait && !m->paused)
		max_wait = wake;
	if (max_wait < 0)
		max_wait = 0;
	ms = (int)ceil(max_wait * 1000);
	if (m->dns)
		ms = dns_timeout_ms(m->dns, ms);
	n += nd;
	if (poll(p, (nfds_t)n, ms) < 0 && errno != EINTR)
		return -1;
	if (want_stdin)
		in_rev = p[0].revents;
	trace_input(&m->tr, p + (want_stdin ? 1 : 0), nt);
	if (m->dns)
		dns_process(m->dns, p + n - nd, nd);
	if (!m->paused)
		trace_tick(&m->tr, tsock_now());
	return in_rev;
}

static void cb_new_addr(void *arg, const struct pkt_addr *a)
{
	struct mtr *m = arg;

	if (m->dns_on || m->ipinfo_no >= 0)
		mtr_name_lookup(m, a);
}

static void cb_sent(void *arg, int flow, int ttl, unsigned seq)
{
	struct mtr *m = arg;

	if (m->display == D_RAW)
		mtr_raw_sent(m, ttl, seq);
}

static void cb_reply(void *arg, int flow, int ttl, const struct pkt_addr *a, int usec, unsigned seq)
{
	struct mtr *m = arg;

	if (m->display == D_RAW) {
		/* the first cycle probes past the destination: those echoes are
		 * not hops */
		const struct trace_path *p = &m->tr.paths[flow];

		for (int at = 0; at < ttl - 1; at++)
			if (p->hops[at].known && pkt_addr_eq(&p->hops[at].addr, &m->cfg.dst))
				return;
		mtr_raw_reply(m, ttl, a, usec, seq);
		emit_flush(&m->out);
	}
}

static void cb_cycle(void *arg, unsigned cycle)
{
	struct mtr *m = arg;

	if (m->display == D_NDJSON)
		mtr_ndjson_cycle(m, cycle);
}

static void batch_output(struct mtr *m)
{
	switch (m->display) {
	case D_JSON: mtr_report_json(m); break;
	case D_CSV: mtr_report_csv(m); break;
	case D_XML: mtr_report_xml(m); break;
	case D_REPORT: mtr_report(m); break;
	default: break;
	}
}

/* Report-style modes: run the cycles, let names arrive, print once. */
static int run_batch(struct mtr *m)
{
	double deadline;

	trace_tick(&m->tr, tsock_now());
	while (!trace_finished(&m->tr, tsock_now()))
		if (mtr_loop_once(m, 0.5, false) < 0)
			return 1;
	trace_settle(&m->tr);
	if (m->display == D_NDJSON)
		mtr_ndjson_cycle(m, m->tr.cycles_sent);
	/* names that are on their way get a moment, never more */
	deadline = tsock_now() + 3.0;
	while (m->dns && dns_pending(m->dns) && tsock_now() < deadline)
		mtr_loop_once(m, deadline - tsock_now(), false);
	batch_output(m);
	return 0;
}

/* A size mtr cannot send (trace_size_check): mtr learns it from
 * mtr-packet's answer to its first probe, closes its display (the report's
 * header, an empty "hubs", the raw "x" line of that probe) and exits 1. */
static void size_refused(struct mtr *m, int err)
{
	m->refused = true;
	if (m->display == D_RAW)
		mtr_raw_sent(m, m->cfg.first_ttl, m->tr.next_seq);
	else
		batch_output(m);
	emit_finish(&m->out);
	die("%s", mtr_size_error(err));
}

const char *mtr_size_error(int err)
{
	return err == -EINVAL ? "mtr-packet reported invalid argument"
			      : "Unexpected mtr-packet error";
}

static void defaults(struct mtr *m)
{
	memset(m, 0, sizeof(*m));
	m->cfg.proto = TRACE_ICMP;
	m->cfg.first_ttl = 1;
	m->cfg.max_ttl = 30;
	m->cfg.interval = 1.0;
	m->cfg.count = -1;
	m->cfg.size = 64;
	m->cfg.grace = 5.0;
	m->cfg.timeout = 10;
	m->cfg.max_unknown = 12;
	m->cfg.paris = true;
	m->cfg.nflows = 1;
	m->cfg.port = -1;
	m->dns_on = true;
	m->ipinfo_no = -1;
	strcpy(m->fields, "LS NABWV");
}

static void finish_cfg(struct mtr *m)
{
	if (m->cfg.max_ttl > TRACE_MAXHOPS - 1)
		m->cfg.max_ttl = TRACE_MAXHOPS - 1;
	if (m->cfg.max_ttl < 1)
		m->cfg.max_ttl = 1;
	if (m->cfg.first_ttl > m->cfg.max_ttl)
		m->cfg.first_ttl = m->cfg.max_ttl;
	if (m->cfg.first_ttl < 1)
		m->cfg.first_ttl = 1;
	if (m->cfg.port < 0)
		m->cfg.port = m->cfg.proto == TRACE_TCP ? 80 : 33434;
	if (m->display == D_AUTO)
		m->display = isatty(1) ? D_CURSES : D_REPORT;
	if (m->cfg.count < 0)
		m->cfg.count = m->display == D_CURSES || m->display == D_SPLIT ? 0 : 10;
	if (m->cfg.count == 0 && m->display != D_CURSES && m->display != D_SPLIT)
		m->cfg.count = 10;
}

/* One trace: resolve, open, run the display, print, close. */
static int run_host(struct mtr *m, int family)
{
	struct trace_cb cb = {.arg = m,
			      .new_addr = cb_new_addr,
			      .sent = cb_sent,
			      .reply = cb_reply,
			      .cycle_done = cb_cycle};
	struct dns_opts o = {.timeout_ms = 1500, .tries = 2};
	char err[256];
	int rc;

	if (resolve_target(m, family) < 0)
		return 0;
	if (trace_open(&m->tr, &m->cfg, &cb, err, sizeof(err)) < 0) {
		if (strcmp(err, "Network is unreachable") == 0)
			die("udp socket connect failed: %s", err);
		die("%s", err);
	}
	if (!m->tr.raw)
		fprintf(stderr, "%s: no CAP_NET_RAW, using an unprivileged %s\n",
			program_invocation_name, trace_mode(&m->tr));
	/* always: the screen's n/y/z keys may turn lookups on later */
	if (dns_open(&m->dns, &o) < 0)
		m->dns = NULL;
	m->start = time(NULL);
	emit_init(&m->out, 1,
		  m->display == D_JSON || m->display == D_NDJSON ? EMIT_JSON : EMIT_TEXT,
		  m->display == D_JSON ? EMIT_PRETTY | EMIT_INDENT_ARRAYS : 0);
	rc = trace_size_check(m->tr.cfg.family, m->tr.cfg.proto, m->tr.mtu, m->cfg.size);
	if (rc < 0)
		size_refused(m, rc);
	if (m->display == D_CURSES)
		rc = mtr_screen_run(m);
	else if (m->display == D_SPLIT)
		rc = mtr_split_run(m);
	else
		rc = run_batch(m);
	emit_finish(&m->out);
	if (!rc && m->tr.send_errno && trace_max(&m->tr, 0) == 0) {
		fprintf(stderr, "%s: %s\n", program_invocation_name, strerror(m->tr.send_errno));
		rc = 1;
	}
	trace_close(&m->tr);
	dns_close(m->dns);
	m->dns = NULL;
	mtr_names_free(m);
	m->cap_names = 0;
	return rc;
}

/* -F: one trace per host name in the file, in order. */
static int run_file(struct mtr *m, int family)
{
	FILE *f = fopen(m->hostfile, "r");
	char line[512];
	int rc = 0;

	if (!f)
		die("open %s: %s", m->hostfile, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *h = line + strspn(line, " \t");

		h[strcspn(h, " \t\r\n")] = 0;
		if (!*h || *h == '#')
			continue;
		m->hostname = h;
		rc |= run_host(m, family);
	}
	fclose(f);
	return rc;
}

int cmd_mtr_main(int argc, char **argv)
{
	struct mtr *m = malloc(sizeof(*m));
	int family = AF_UNSPEC, rc;

	if (!m)
		die("out of memory");
	defaults(m);
	parse_args(m, argc, argv, &family);
	finish_cfg(m);
	if (gethostname(m->local, sizeof(m->local)) < 0)
		strcpy(m->local, "localhost");
	/* as mtr: the file's names first, then the command line's */
	rc = m->hostfile ? run_file(m, family) : 0;
	for (int i = 0; i < m->nhosts; i++) {
		m->hostname = m->hosts[i];
		rc |= run_host(m, family);
	}
	if (!m->hostfile && !m->nhosts) {
		m->hostname = "localhost";
		rc = run_host(m, family);
	}
	free(m);
	return rc;
}
