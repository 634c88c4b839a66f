/* SPDX-License-Identifier: Apache-2.0 */
/* nmap's command line, parsed from one table. Forms accepted as nmap
 * accepts them: -sS/-sSU, -PS22,80 (argument attached), -p 22 and -p22,
 * -oX FILE, -T4 and -Tinsane, -v/-vv/-v3, -d/-dd/-d3, --opt VAL,
 * --opt=VAL, and long options with a single dash (-reason). */
#include "cmd/nmap/nmap.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define QUIT 1
#define USAGE_ERR 255

static int fatal(const char *fmt, const char *arg)
{
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nQUITTING!\n");
	return QUIT;
}

static int not_yet(const char *what)
{
	fprintf(stderr, "netkit nmap: %s is not implemented yet\n", what);
	return 2;
}

static int parse_double(const char *s, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || v < 0)
		return -1;
	/* nmap's time specs: 500ms, 2s, 5m, 1h; bare numbers are seconds */
	if (!strcmp(end, "ms"))
		v /= 1000;
	else if (!strcmp(end, "m"))
		v *= 60;
	else if (!strcmp(end, "h"))
		v *= 3600;
	else if (*end && strcmp(end, "s"))
		return -1;
	*out = v;
	return 0;
}

static int parse_int(const char *s, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* ---- handlers: each returns 0 or an exit code ---- */

static int opt_scan(struct nmap_opts *o, const char *arg)
{
	static const struct {
		char c;
		unsigned bit;
	} types[] = {{'S', SCAN_SYN},	  {'T', SCAN_CONNECT},	 {'A', SCAN_ACK},
		     {'W', SCAN_WINDOW},  {'M', SCAN_MAIMON},	 {'N', SCAN_NULL},
		     {'F', SCAN_FIN},	  {'X', SCAN_XMAS},	 {'U', SCAN_UDP},
		     {'O', SCAN_IPPROTO}, {'Y', SCAN_SCTP_INIT}, {'Z', SCAN_SCTP_COOKIE}};
	if (!*arg)
		return fatal("An option is required for -s, most common are -sT (tcp scan), -sS "
			     "(SYN scan), -sF (FIN scan), -sU (UDP scan) and -sP (Ping scan)%s",
			     "");
	for (const char *p = arg; *p; p++) {
		size_t i;
		if (*p == 'L') {
			o->list_scan = true;
			o->cfg.list_only = true;
			continue;
		}
		if (*p == 'n' || *p == 'P') {
			o->cfg.ping_only = true;
			continue;
		}
		if (*p == 'V' || *p == 'R') { /* -sR is nmap's old name for it */
			o->cfg.version.on = true;
			continue;
		}
		if (*p == 'C') { /* the default scripts */
			o->script_default = true;
			continue;
		}
		if (*p == 'I')
			return not_yet("-sI (idle scan)");
		for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (types[i].c == *p)
				break;
		if (i == sizeof(types) / sizeof(types[0])) {
			fprintf(stderr, "Scantype %c not supported\n\nQUITTING!\n", *p);
			return QUIT;
		}
		o->cfg.scans |= types[i].bit;
	}
	return 0;
}

static int ports_into(struct port_list *l, const char *arg, unsigned max)
{
	free(l->ports);
	l->ports = NULL;
	l->n = 0;
	if (!*arg)
		return 0;
	/* a plain list/range form; names are not allowed for ping ports */
	char *dup = strdup(arg), *save = NULL;
	if (!dup)
		return -1;
	for (char *t = strtok_r(dup, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		long lo, hi;
		char *dash = strchr(t, '-');
		if (dash)
			*dash = '\0';
		if (parse_int(t, 0, max, &lo) < 0 ||
		    (dash && parse_int(dash + 1, 0, max, &hi) < 0)) {
			free(dup);
			return -1;
		}
		if (!dash)
			hi = lo;
		for (long p = lo; p <= hi; p++) {
			uint16_t *v = realloc(l->ports, (l->n + 1) * sizeof(*v));
			if (!v) {
				free(dup);
				return -1;
			}
			l->ports = v;
			l->ports[l->n++] = (uint16_t)p;
		}
	}
	free(dup);
	return 0;
}

static int opt_ping(struct nmap_opts *o, const char *arg)
{
	struct scan_config *c = &o->cfg;
	const char *rest = arg + (*arg ? 1 : 0);
	struct port_list *pl = NULL;
	unsigned max = 65535;
	switch (*arg) {
	case 'n':
		c->skip_discovery = true;
		/* nmap says it at once, so only when -v came first */
		if (o->verbose > 0)
			fprintf(stderr,
				"Host discovery disabled (-Pn). All addresses will be marked "
				"'up' and scan times may be slower.\n");
		return 0;
	case 'E': c->pings |= PING_ICMP_ECHO; return 0;
	case 'P': c->pings |= PING_ICMP_TS; return 0;
	case 'M': c->pings |= PING_ICMP_MASK; return 0;
	case 'R': c->pings |= PING_ARP; return 0;
	case 'S':
		c->pings |= PING_TCP_SYN;
		pl = &c->ping_syn_ports;
		break;
	case 'A':
		c->pings |= PING_TCP_ACK;
		pl = &c->ping_ack_ports;
		break;
	case 'U':
		c->pings |= PING_UDP;
		pl = &c->ping_udp_ports;
		break;
	case 'O':
		c->pings |= PING_IPPROTO;
		pl = &c->ping_protos;
		max = 255;
		break;
	case 'Y':
		c->pings |= PING_SCTP;
		pl = &c->ping_sctp_ports;
		break;
	default:
		fprintf(stderr,
			"Illegal Argument to -P, use -Pn, -PE, -PS, -PA, -PP, -PM, -PU, -PY, "
			"or -PO\n\nQUITTING!\n");
		return QUIT;
	}
	if (ports_into(pl, rest, max) < 0)
		return fatal("Bogus argument to -P%s.  Must be a list of ports, ports ranges, or "
			     "protocols",
			     arg);
	return 0;
}

static int opt_timing(struct nmap_opts *o, const char *arg)
{
	static const char *const names[] = {"paranoid", "sneaky",     "polite",
					    "normal",	"aggressive", "insane"};
	for (int i = 0; i < 6; i++) {
		char num[2] = {(char)('0' + i), 0};
		if (!strcmp(arg, num) || !strcasecmp(arg, names[i])) {
			o->cfg.timing.level = i;
			return 0;
		}
	}
	return fatal("Unknown timing mode (-T argument).  Use either \"Paranoid\", \"Sneaky\", "
		     "\"Polite\", \"Normal\", \"Aggressive\", \"Insane\" or a number from 0 "
		     "(Paranoid) to 5 (Insane)%s",
		     "");
}

static int opt_output(struct nmap_opts *o, enum nmap_out kind, const char *arg)
{
	o->out_file[kind] = arg;
	return 0;
}

/* -v / -d as nmap 7.93 reads them: an argument that starts with a digit
 * sets the level (atoi: "3x" is 3), otherwise the option and each further
 * letter add one, and anything else is refused with the whole argument.
 * -d raises the verbosity with the debug level (-d3 sets both to 3, -dd
 * adds 2 to each). Levels stop at 10. */
static int opt_level(struct nmap_opts *o, char letter, const char *arg)
{
	bool dbg = letter == 'd';
	int *level = dbg ? &o->debug : &o->verbose;
	if (*arg >= '0' && *arg <= '9') {
		int n = (int)strtol(arg, NULL, 10); /* atoi's wrap-around too */
		*level = n < 0 ? 0 : n > 10 ? 10 : n;
		if (dbg)
			o->verbose = *level;
		return 0;
	}
	size_t k = strspn(arg, dbg ? "d" : "v");
	if (arg[k]) {
		char fmt[48];
		snprintf(fmt, sizeof(fmt), "Invalid argument to -%c: \"%%s\".", letter);
		return fatal(fmt, arg);
	}
	int add = 1 + (int)k;
	*level = *level + add > 10 ? 10 : *level + add;
	if (dbg)
		o->verbose = o->verbose + add > 10 ? 10 : o->verbose + add;
	return 0;
}

/* ---- generic handlers driven by the table's data field ---- */

enum {
	F_LIST = 1,
	F_NORES,
	F_RES,
	F_V6,
	F_FAST,
	F_NORAND,
	F_REASON,
	F_OPEN,
	F_PTRACE,
	F_IFLIST,
	F_APPEND,
	F_NOSTYLE,
	F_BADSUM,
	F_SYSDNS,
	F_SENDETH,
	F_SENDIP,
	F_UNPRIV,
	F_PRIV,
	F_NOARP,
	F_HELP,
	F_VERSION,
	F_NONINT,
	F_RANDHOSTS,
	F_TRACEROUTE,
	F_OSSCAN,
	F_OSLIMIT,
	F_OSGUESS,
	F_AGGRESSIVE,
	F_DEFEAT_RST,
	F_SCRIPT_TRACE,
	F_SCRIPT_UPDATEDB,
};

static int opt_flag(struct nmap_opts *o, const char *arg, long which)
{
	struct scan_config *c = &o->cfg;
	(void)arg;
	switch (which) {
	case F_NORES: c->resolve = 1; break;
	case F_RES: c->resolve = 2; break;
	case F_V6: c->af = AF_INET6; break;
	case F_FAST: o->fast = true; break;
	case F_NORAND: o->no_randomize_ports = true; break;
	case F_REASON: c->reason = true; break;
	case F_OPEN: o->open_only = c->defeat_rst_ratelimit = true; break; /* as nmap's */
	case F_DEFEAT_RST: o->defeat_rst_given = c->defeat_rst_ratelimit = true; break;
	case F_SCRIPT_TRACE: o->script_trace = true; break;
	case F_SCRIPT_UPDATEDB: o->script_updatedb = true; break;
	case F_PTRACE: o->packet_trace = true; break;
	case F_IFLIST: o->iflist = true; break;
	case F_APPEND: o->append_output = true; break;
	case F_NOSTYLE: o->no_stylesheet = true; break;
	case F_BADSUM: c->badsum = true; break;
	case F_SYSDNS: c->system_dns = true; break;
	case F_SENDETH: c->send_eth = true; break;
	case F_SENDIP: c->send_eth = false, c->send_ip = true; break;
	case F_UNPRIV: c->unprivileged = true; break;
	case F_PRIV: c->unprivileged = false; break;
	case F_NOARP: c->disable_arp = true; break;
	case F_HELP: o->help = true; break;
	case F_VERSION: o->version = true; break;
	case F_RANDHOSTS: o->randomize_hosts = true; break;
	case F_TRACEROUTE: c->traceroute = true; break;
	case F_OSSCAN: c->osscan = true; break;
	case F_OSLIMIT: c->osscan_limit = true; break;
	case F_OSGUESS: c->osscan_guess = true; break;
	case F_AGGRESSIVE: /* -A: -O -sV -sC --traceroute */
		c->osscan = c->traceroute = c->version.on = true;
		o->aggressive = o->script_default = true;
		break;
	default: break;
	}
	return 0;
}

static int opt_refuse(struct nmap_opts *o, const char *arg, long what)
{
	static const char *const names[] = {"-sV (service/version detection)",
					    "-O (OS detection)",
					    "-A (aggressive: -O -sV -sC --traceroute)",
					    "--script-updatedb",
					    "--script-help",
					    "--traceroute",
					    "-iR (random targets)",
					    "-D (decoys)",
					    "-f/--mtu (fragmentation)",
					    "-b (FTP bounce scan)",
					    "-sI (idle scan)",
					    "--proxies",
					    "-oS (script kiddie output)",
					    "-oM (machine output)",
					    "--spoof-mac",
					    "--ip-options",
					    "--version-* options",
					    "--osscan-* options",
					    "-sY/-sZ (SCTP scans)"};
	(void)o;
	(void)arg;
	return not_yet(names[what]);
}

/* --version-intensity N (nmap reads it with atoi), --version-light,
 * --version-all, --version-trace, --allports */
static int opt_version(struct nmap_opts *o, const char *arg, long what)
{
	struct version_opts *v = &o->cfg.version;
	switch (what) {
	case 0:
		v->intensity = atoi(arg);
		if (v->intensity < 0 || v->intensity > 9)
			return fatal("version-intensity must be between 0 and 9%s", "");
		break;
	case 1: v->intensity = 2; break;
	case 2: v->intensity = 9; break;
	case 3: v->trace = true; break;
	default: v->allports = true; break;
	}
	return 0;
}

/* nmap's time specification: a number (strtod's forms) and, in any case,
 * ms, s, m or h; a bare number is seconds. *unit says whether one was
 * given. */
static int parse_timespec(const char *s, double *out, bool *unit)
{
	static const struct {
		const char *u;
		double mul;
	} units[] = {{"", 1}, {"ms", 0.001}, {"s", 1}, {"m", 60}, {"h", 3600}};
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s)
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcasecmp(end, units[i].u)) {
			*out = v * units[i].mul;
			*unit = i > 0;
			return 0;
		}
	return -1;
}

/* nmap's checks of each time option, in its words: the units (a bare
 * number of 50 or more is taken for milliseconds meant, 100 for the scan
 * delays) and the least each takes. */
static int opt_seconds(struct nmap_opts *o, const char *arg, long which)
{
	struct scan_timing *t = &o->cfg.timing;
	static const char *const names[] = {"--host-timeout",	 "--scan-delay",
					    "--max-scan-delay",	 "--min-rtt-timeout",
					    "--max-rtt-timeout", "--initial-rtt-timeout",
					    "--stats-every",	 "--script-timeout"};
	static const char *const bogus[] = {
		"", ".", ".", "", ", must be at least 5ms", ".  Must be positive", "", ""};
	double *dst[] = {&t->host_timeout,    &t->scan_delay,	   &t->max_scan_delay,
			 &t->min_rtt_timeout, &t->max_rtt_timeout, &t->initial_rtt_timeout,
			 &o->stats_every,     &o->script_timeout};
	double v;
	bool unit;
	bool bad = parse_timespec(arg, &v, &unit) < 0 || v < 0;
	if (!bad && which == 4)
		bad = v < 0.005;
	if (!bad && which == 5)
		bad = v <= 0;
	if (bad) {
		fprintf(stderr, "Bogus %s argument specified%s\nQUITTING!\n", names[which],
			bogus[which]);
		return QUIT;
	}
	if (!unit && which >= 3 && which <= 5 && v >= 50) {
		fprintf(stderr,
			"Since April 2010, the default unit for %s is seconds, so your time of "
			"\"%s\" is %g seconds. Use \"%sms\" for %g milliseconds.\nQUITTING!\n",
			names[which], arg, v, arg, v);
		return QUIT;
	}
	if (!unit && (which == 1 || which == 2) && v >= 100) {
		fprintf(stderr,
			"Since April 2010, the default unit for %s is seconds, so your time of "
			"\"%s\" is %.1f minutes. ",
			names[which], arg, v / 60);
		if (which == 1)
			fprintf(stderr, "Use \"%sms\" for %g milliseconds.\nQUITTING!\n", arg, v);
		else
			fprintf(stderr, "If this is what you want, use \"%ss\".\nQUITTING!\n", arg);
		return QUIT;
	}
	if (which == 4 && v < 0.020)
		fprintf(stderr,
			"WARNING: You specified a round-trip time timeout (%ld ms) that is "
			"EXTRAORDINARILY SMALL.  Accuracy may suffer.\n",
			(long)(v * 1000));
	*dst[which] = v;
	return 0;
}

/* --shards N, --shard I, --seed S: netkit's own (zmap's and masscan's) */
static int opt_shard(struct nmap_opts *o, const char *arg, long which)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(arg, &end, 0);
	bool bad = errno || end == arg || *end || *arg == '-' || *arg == '+';
	if (which == 0) {
		if (bad || v < 1 || v > 1000000)
			return fatal("--shards should be an integer from 1 to 1000000%s", "");
		o->shards = v;
	} else if (which == 1) {
		if (bad)
			return fatal("--shard should be an integer 0 or greater (below --shards)%s",
				     "");
		o->shard = v;
		o->shard_given = true;
	} else {
		if (bad)
			return fatal("--seed should be an unsigned 64-bit integer%s", "");
		o->seed = v;
	}
	return 0;
}

/* After all options: the shard options only make sense together. */
static int check_shards(const struct nmap_opts *o)
{
	if (o->shard_given && !o->shards)
		return fatal("--shard requires --shards%s", "");
	if (o->shards && !o->shard_given)
		return fatal("--shards requires --shard (which of the shards this run is)%s", "");
	if (o->shards && o->shard >= o->shards) {
		fprintf(stderr, "--shard must be below --shards (0 to %llu)\nQUITTING!\n",
			(unsigned long long)o->shards - 1);
		return QUIT;
	}
	if (o->shards && o->randomize_hosts)
		return fatal("--randomize-hosts cannot be used with --shards%s", "");
	return 0;
}

static int opt_number(struct nmap_opts *o, const char *arg, long which)
{
	struct scan_config *c = &o->cfg;
	long v;
	double d;
	switch (which) {
	case 0: /* --top-ports */
		if (parse_int(arg, 1, 65536, &v) < 0)
			return fatal("--top-ports should be an integer 1 or greater%s", "");
		o->top_ports = (int)v;
		return 0;
	case 1:
	case 2: /* --min-rate / --max-rate */
		if (parse_double(arg, &d) < 0 || d <= 0)
			return fatal(which == 1 ? "Argument to --min-rate must be a number greater "
						  "than 0.0%s"
						: "Argument to --max-rate must be a number greater "
						  "than 0.0%s",
				     "");
		*(which == 1 ? &c->timing.min_rate : &c->timing.max_rate) = d;
		return 0;
	case 3:
		if (parse_int(arg, 0, 100000, &v) < 0)
			return fatal("max-retries must be a non-negative integer%s", "");
		c->timing.max_retries = (int)v;
		return 0;
	case 4: return nmap_opt_ttl(o, arg);
	case 5: return nmap_opt_data(o, arg, 2);
	case 6:
	case 7:
	case 8:
	case 9: {
		if (parse_int(arg, 1, 1000000, &v) < 0)
			return fatal("Argument must be a positive integer: %s", arg);
		int *f[] = {&c->timing.min_hostgroup, &c->timing.max_hostgroup,
			    &c->timing.min_parallelism, &c->timing.max_parallelism};
		*f[which - 6] = (int)v;
		return 0;
	}
	case 10: return nmap_opt_sport(o, arg); /* -g / --source-port */
	case 20:				/* --max-os-tries: nmap reads it with atoi */
		v = atol(arg);
		if (v < 1 || v > 50)
			return fatal(
				"Bogus --max-os-tries argument specified, must be between 1 and 50 "
				"(inclusive)%s",
				"");
		c->max_os_tries = (int)v;
		return 0;
	case 11: /* --port-ratio, read with atof as nmap reads it: nmap picks
		  * the ports whose open-frequency in its nmap-services is at
		  * least the ratio (0: every port it lists), which netkit does
		  * not read; its own table holds only nmap's observed ranking */
		d = atof(arg);
		if (d < 0 || d >= 1)
			return fatal("--port-ratio should be between [0 and 1)%s", "");
		fprintf(stderr, "netkit nmap: --port-ratio is not available: netkit has no "
				"open-frequency data of its own (it knows nmap's port ranking, "
				"not how often each port is open); use --top-ports N\nQUITTING!\n");
		return 2;
	}
	return 0;
}

static int opt_string(struct nmap_opts *o, const char *arg, long which)
{
	struct scan_config *c = &o->cfg;
	switch (which) {
	case 0: o->port_spec = arg; break;
	case 1: o->exclude_ports = arg; break;
	case 2: o->exclude = arg; break;
	case 3: o->exclude_file = arg; break;
	case 4: o->input_file = arg; break;
	case 5: o->resume_file = arg; break;
	case 6: o->stylesheet = arg; break;
	case 7: c->dns_servers = arg; break;
	case 8:
		if (strlen(arg) >= sizeof(c->iface))
			return fatal("Interface name too long: %s", arg);
		strcpy(c->iface, arg);
		break;
	case 9: return nmap_opt_source(o, arg);
	case 10: c->datadir = arg; break;
	case 11: o->stylesheet = "https://svn.nmap.org/nmap/docs/nmap.xsl"; break;
	case 12: o->script = arg; break;
	case 13: o->script_args = arg; break;
	case 14: o->script_help = arg; break;
	case 15: o->script_args_file = arg; break;
	}
	return 0;
}

/* --scanflags: a number 0-255 (decimal, 0x hex, 0 octal), or flag names
 * run together in any order and case ("URGPSHFIN", "syn,ack"); nmap
 * takes what names it finds and ignores the rest. */
int nmap_parse_scanflags(const char *arg)
{
	static const char *const names[] = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
	if (isdigit((unsigned char)*arg)) {
		char *end;
		errno = 0;
		long v = strtol(arg, &end, 0);
		return errno || *end || v > 255 ? -1 : (int)v;
	}
	int f = 0;
	for (int i = 0; i < 8; i++)
		if (strcasestr(arg, names[i]))
			f |= 1 << i;
	return f;
}

static int opt_scanflags(struct nmap_opts *o, const char *arg, long d)
{
	(void)d;
	o->cfg.scanflags = nmap_parse_scanflags(arg);
	if (o->cfg.scanflags < 0)
		return fatal("--scanflags option must be a number between 0 and 255 (inclusive) or "
			     "a string like \"URGPSHFIN\".%s",
			     "");
	return 0;
}

static int opt_proxies(struct nmap_opts *o, const char *arg, long d)
{
	(void)d;
	return nmap_opt_proxies(o, arg);
}

static int opt_spoofmac(struct nmap_opts *o, const char *arg, long d)
{
	(void)d;
	return nmap_opt_spoofmac(o, arg);
}

static int opt_ipopts(struct nmap_opts *o, const char *arg, long d)
{
	(void)d;
	return nmap_opt_ipopts(o, arg);
}

static int opt_decoys(struct nmap_opts *o, const char *arg, long d)
{
	(void)d;
	return nmap_opt_decoys(o, arg);
}

static int opt_data(struct nmap_opts *o, const char *arg, long which)
{
	return nmap_opt_data(o, arg, which);
}

static int opt_out(struct nmap_opts *o, const char *arg, long kind)
{
	if (kind == OUT_MAX) {		  /* -oA BASE */
		static char buf[3][4096]; /* argv-lifetime strings, set once */
		static const char *const ext[] = {".nmap", ".xml", ".gnmap"};
		for (int i = 0; i < 3; i++) {
			snprintf(buf[i], sizeof(buf[i]), "%s%s", arg, ext[i]);
			o->out_file[i] = buf[i];
		}
		return 0;
	}
	return opt_output(o, (enum nmap_out)kind, arg);
}

static int opt_short_s(struct nmap_opts *o, const char *a, long d)
{
	(void)d;
	return opt_scan(o, a);
}
static int opt_short_P(struct nmap_opts *o, const char *a, long d)
{
	(void)d;
	return opt_ping(o, a);
}
static int opt_short_T(struct nmap_opts *o, const char *a, long d)
{
	(void)d;
	return opt_timing(o, a);
}
static int opt_short_v(struct nmap_opts *o, const char *a, long d)
{
	return opt_level(o, 'v', d ? "v" : a); /* d: --vv, two levels */
}
static int opt_short_d(struct nmap_opts *o, const char *a, long d)
{
	(void)d;
	return opt_level(o, 'd', a);
}

enum argk { A_NONE, A_REQ, A_OPT_ATTACHED };

struct opt {
	const char *name; /* one letter: a short option */
	enum argk arg;
	int (*fn)(struct nmap_opts *o, const char *arg, long data);
	long data;
};

static const struct opt opts[] = {
	/* short options */
	{"s", A_REQ, opt_short_s, 0},
	{"P", A_OPT_ATTACHED, opt_short_P, 0},
	{"T", A_REQ, opt_short_T, 0},
	{"v", A_OPT_ATTACHED, opt_short_v, 0},
	{"d", A_OPT_ATTACHED, opt_short_d, 0},
	{"p", A_REQ, opt_string, 0},
	{"e", A_REQ, opt_string, 8},
	{"S", A_REQ, opt_string, 9},
	{"g", A_REQ, opt_number, 10},
	{"n", A_NONE, opt_flag, F_NORES},
	{"R", A_NONE, opt_flag, F_RES},
	{"6", A_NONE, opt_flag, F_V6},
	{"4", A_NONE, opt_flag, 0},
	{"F", A_NONE, opt_flag, F_FAST},
	{"r", A_NONE, opt_flag, F_NORAND},
	{"h", A_NONE, opt_flag, F_HELP},
	{"V", A_NONE, opt_flag, F_VERSION},
	{"O", A_OPT_ATTACHED, opt_flag, F_OSSCAN},
	{"A", A_NONE, opt_flag, F_AGGRESSIVE},
	{"D", A_REQ, opt_decoys, 0},
	{"f", A_NONE, nmap_opt_frag, 8},
	{"b", A_REQ, opt_refuse, 9},
	/* long options (also accepted with one dash, as nmap does) */
	{"iL", A_REQ, opt_string, 4},
	{"iR", A_REQ, opt_refuse, 6},
	{"oN", A_REQ, opt_out, OUT_NORMAL},
	{"oX", A_REQ, opt_out, OUT_XML},
	{"oG", A_REQ, opt_out, OUT_GREP},
	{"oJ", A_REQ, opt_out, OUT_JSON},
	{"oP", A_REQ, opt_out, OUT_DB},
	{"db", A_REQ, opt_out, OUT_DB},
	{"oA", A_REQ, opt_out, OUT_MAX},
	{"oS", A_REQ, opt_refuse, 12},
	{"oM", A_REQ, opt_refuse, 13},
	{"sI", A_REQ, opt_refuse, 10},
	{"top-ports", A_REQ, opt_number, 0},
	{"port-ratio", A_REQ, opt_number, 11},
	{"exclude-ports", A_REQ, opt_string, 1},
	{"exclude", A_REQ, opt_string, 2},
	{"excludefile", A_REQ, opt_string, 3},
	{"resume", A_REQ, opt_string, 5},
	{"stylesheet", A_REQ, opt_string, 6},
	{"webxml", A_NONE, opt_string, 11},
	{"no-stylesheet", A_NONE, opt_flag, F_NOSTYLE},
	{"dns-servers", A_REQ, opt_string, 7},
	{"system-dns", A_NONE, opt_flag, F_SYSDNS},
	{"datadir", A_REQ, opt_string, 10},
	{"source-port", A_REQ, opt_number, 10},
	{"scanflags", A_REQ, opt_scanflags, 0},
	{"data", A_REQ, opt_data, 0},
	{"data-string", A_REQ, opt_data, 1},
	{"min-rate", A_REQ, opt_number, 1},
	{"max-rate", A_REQ, opt_number, 2},
	{"max-retries", A_REQ, opt_number, 3},
	{"ttl", A_REQ, opt_number, 4},
	{"data-length", A_REQ, opt_number, 5},
	{"min-hostgroup", A_REQ, opt_number, 6},
	{"max-hostgroup", A_REQ, opt_number, 7},
	{"min-parallelism", A_REQ, opt_number, 8},
	{"max-parallelism", A_REQ, opt_number, 9},
	{"host-timeout", A_REQ, opt_seconds, 0},
	{"scan-delay", A_REQ, opt_seconds, 1},
	{"max-scan-delay", A_REQ, opt_seconds, 2},
	{"min-rtt-timeout", A_REQ, opt_seconds, 3},
	{"max-rtt-timeout", A_REQ, opt_seconds, 4},
	{"initial-rtt-timeout", A_REQ, opt_seconds, 5},
	{"stats-every", A_REQ, opt_seconds, 6},
	{"reason", A_NONE, opt_flag, F_REASON},
	{"open", A_NONE, opt_flag, F_OPEN},
	{"defeat-rst-ratelimit", A_NONE, opt_flag, F_DEFEAT_RST},
	{"packet-trace", A_NONE, opt_flag, F_PTRACE},
	{"iflist", A_NONE, opt_flag, F_IFLIST},
	{"append-output", A_NONE, opt_flag, F_APPEND},
	{"badsum", A_NONE, opt_flag, F_BADSUM},
	{"send-eth", A_NONE, opt_flag, F_SENDETH},
	{"send-ip", A_NONE, opt_flag, F_SENDIP},
	{"unprivileged", A_NONE, opt_flag, F_UNPRIV},
	{"privileged", A_NONE, opt_flag, F_PRIV},
	{"disable-arp-ping", A_NONE, opt_flag, F_NOARP},
	{"noninteractive", A_NONE, opt_flag, F_NONINT},
	{"randomize-hosts", A_NONE, opt_flag, F_RANDHOSTS},
	{"rH", A_NONE, opt_flag, F_RANDHOSTS},
	{"vv", A_NONE, opt_short_v, 1},
	{"timing", A_REQ, opt_short_T, 0},
	{"help", A_NONE, opt_flag, F_HELP},
	{"version", A_NONE, opt_flag, F_VERSION},
	{"script", A_REQ, opt_string, 12},
	{"script-args", A_REQ, opt_string, 13},
	{"script-args-file", A_REQ, opt_string, 15},
	{"script-help", A_REQ, opt_string, 14},
	{"script-timeout", A_REQ, opt_seconds, 7},
	{"script-trace", A_NONE, opt_flag, F_SCRIPT_TRACE},
	{"script-updatedb", A_NONE, opt_flag, F_SCRIPT_UPDATEDB},
	{"traceroute", A_NONE, opt_flag, F_TRACEROUTE},
	{"mtu", A_REQ, nmap_opt_frag, 0},
	{"ff", A_NONE, nmap_opt_frag, 16},
	{"proxies", A_REQ, opt_proxies, 0},
	{"proxy", A_REQ, opt_proxies, 0},
	{"spoof-mac", A_REQ, opt_spoofmac, 0},
	{"ip-options", A_REQ, opt_ipopts, 0},
	{"version-intensity", A_REQ, opt_version, 0},
	{"version-light", A_NONE, opt_version, 1},
	{"version-all", A_NONE, opt_version, 2},
	{"version-trace", A_NONE, opt_version, 3},
	{"allports", A_NONE, opt_version, 4},
	{"osscan-limit", A_NONE, opt_flag, F_OSLIMIT},
	{"osscan-guess", A_NONE, opt_flag, F_OSGUESS},
	{"fuzzy", A_NONE, opt_flag, F_OSGUESS},
	{"max-os-tries", A_REQ, opt_number, 20},
	{"shards", A_REQ, opt_shard, 0},
	{"shard", A_REQ, opt_shard, 1},
	{"seed", A_REQ, opt_shard, 2},
};

static const char *prog = "nmap";

static const struct opt *find_opt(const char *name, size_t len, bool short_only)
{
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		const char *n = opts[i].name;
		bool is_short = n[1] == '\0';
		if (short_only != is_short)
			continue;
		if (strlen(n) == len && !strncmp(n, name, len))
			return &opts[i];
	}
	return NULL;
}

/* nmap 7.93's long options, in the order its getopt_long_only() lists
 * them when a prefix is ambiguous (learnt from its messages), and
 * netkit's own (oJ) after them. A unique prefix of one of them names it;
 * a prefix of several is refused with the list. */
static const char *const long_names[] = {
	"append-output",
	"allports",
	"adler32",
	"badsum",
	"datadir",
	"debug",
	"defeat-rst-ratelimit",
	"defeat-icmp-ratelimit",
	"discovery-ignore-rst",
	"data",
	"data-string",
	"data-length",
	"deprecated-xml-osclass",
	"dns-servers",
	"disable-arp-ping",
	"excludefile",
	"exclude",
	"exclude-ports",
	"fuzzy",
	"ff",
	"help",
	"host-timeout",
	"iflist",
	"initial-rtt-timeout",
	"iL",
	"iR",
	"ip-options",
	"log-errors",
	"max-os-tries",
	"max-parallelism",
	"min-parallelism",
	"max-rtt-timeout",
	"min-rtt-timeout",
	"max-hostgroup",
	"min-hostgroup",
	"max-scan-delay",
	"max-retries",
	"mtu",
	"min-rate",
	"max-rate",
	"nogcc",
	"nsock-engine",
	"no-stylesheet",
	"noninteractive",
	"open",
	"oA",
	"oN",
	"oM",
	"oG",
	"oS",
	"oH",
	"oX",
	"osscan-limit",
	"osscan-guess",
	"proxies",
	"proxy",
	"packet-trace",
	"privileged",
	"port-ratio",
	"release-memory",
	"randomize-hosts",
	"rH",
	"reason",
	"resolve-all",
	"route-dst",
	"resume",
	"servicedb",
	"scanflags",
	"scan-delay",
	"sI",
	"source-port",
	"send-eth",
	"send-ip",
	"stylesheet",
	"spoof-mac",
	"system-dns",
	"script",
	"script-trace",
	"script-updatedb",
	"script-args",
	"script-args-file",
	"script-help",
	"script-timeout",
	"stats-every",
	"timing",
	"thc",
	"ttl",
	"traceroute",
	"top-ports",
	"unprivileged",
	"unique",
	"version",
	"verbose",
	"versiondb",
	"version-trace",
	"vv",
	"version-intensity",
	"version-light",
	"version-all",
	"webxml",
	NULL, /* netkit's own below: not in nmap's list of possibilities */
	"oJ",
	"oP",
	"db",
	"shards",
	"shard",
	"seed",
};

enum { LONG_NONE, LONG_FOUND, LONG_AMBIGUOUS };

/* getopt_long_only's rule: an exact name, else the one name the text
 * starts; several are ambiguous (said on stderr, as getopt says it). */
static int resolve_long(const char *name, size_t len, const char *dashes, const struct opt **op)
{
	*op = find_opt(name, len, false);
	if (*op)
		return LONG_FOUND;
	size_t nl = sizeof(long_names) / sizeof(long_names[0]), hit = nl, nhits = 0;
	for (size_t i = 0; i < nl; i++) {
		if (long_names[i] && !strncmp(long_names[i], name, len))
			hit = nhits++ ? hit : i;
	}
	if (nhits == 1) {
		*op = find_opt(long_names[hit], strlen(long_names[hit]), false);
		return *op ? LONG_FOUND : LONG_NONE;
	}
	if (nhits == 0)
		return LONG_NONE;
	fprintf(stderr, "%s: option '%s%s' is ambiguous; possibilities:", prog, dashes, name);
	for (size_t i = 0; i < nl && long_names[i]; i++)
		if (!strncmp(long_names[i], name, len))
			fprintf(stderr, " '%s%s'", dashes, long_names[i]);
	fprintf(stderr, "\nSee the output of nmap -h for a summary of options.\n");
	return LONG_AMBIGUOUS;
}

static int usage_error(const char *fmt, const char *arg)
{
	/* getopt's wording, which names the program as it was invoked */
	fprintf(stderr, "%s: ", prog);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nSee the output of nmap -h for a summary of options.\n");
	return USAGE_ERR;
}

static int add_target(struct nmap_opts *o, char *arg)
{
	char **v = realloc(o->targets, (o->ntargets + 1) * sizeof(*v));
	if (!v)
		return QUIT;
	o->targets = v;
	o->targets[o->ntargets++] = arg;
	return 0;
}

/* A long option at argv[*i] (dashes already stripped into name). */
static int parse_long(struct nmap_opts *o, const struct opt *op, char *val, int argc, char **argv,
		      int *i)
{
	const char *arg = "";
	if (op->arg == A_NONE) {
		if (val)
			return usage_error("option '--%s' doesn't allow an argument", op->name);
	} else if (val) {
		arg = val;
	} else if (op->arg == A_REQ) {
		if (*i + 1 >= argc)
			return usage_error("option '--%s' requires an argument", op->name);
		arg = argv[++*i];
	}
	return op->fn(o, arg, op->data);
}

static int parse_short(struct nmap_opts *o, char *tok, int argc, char **argv, int *i)
{
	/* tok is past the dash: a run of flags, or a letter with its argument */
	for (char *p = tok; *p; p++) {
		const struct opt *op = find_opt(p, 1, true);
		if (!op) {
			char c[2] = {*p, 0};
			return usage_error("invalid option -- '%s'", c);
		}
		if (op->arg == A_NONE) {
			int rc = op->fn(o, "", op->data);
			if (rc)
				return rc;
			continue;
		}
		const char *arg = p + 1;
		if (!*arg && op->arg == A_REQ) {
			if (*i + 1 >= argc) {
				char c[2] = {*p, 0};
				return usage_error("option requires an argument -- '%s'", c);
			}
			arg = argv[++*i];
		}
		return op->fn(o, arg, op->data);
	}
	return 0;
}

int nmap_parse_args(int argc, char **argv, struct nmap_opts *o)
{
	prog = argv[0];
	o->cfg.af = AF_INET;
	o->cfg.source_port = -1;
	o->cfg.ttl = -1;
	o->cfg.scanflags = -1;
	o->cfg.ipopt_srr = -1;
	o->cfg.timing.level = 3;
	o->cfg.timing.max_retries = -1;
	o->cfg.version.intensity = 7;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		int rc = 0;
		if (!strcmp(a, "--")) {
			for (i++; i < argc && !rc; i++)
				rc = add_target(o, argv[i]);
			return rc ? rc : check_shards(o);
		}
		if (a[0] != '-' || a[1] == '\0') {
			rc = add_target(o, a);
		} else {
			char *name = a + 1 + (a[1] == '-');
			char *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			const struct opt *op = NULL;
			bool dd = a[1] == '-';
			/* "-x" with x a short option is never a long one */
			bool try_long = dd || a[2] || !find_opt(name, 1, true);
			int k = try_long ? resolve_long(name, len, dd ? "--" : "-", &op)
					 : LONG_NONE;
			if (k == LONG_AMBIGUOUS)
				rc = USAGE_ERR;
			else if (k == LONG_FOUND)
				rc = parse_long(o, op, eq ? eq + 1 : NULL, argc, argv, &i);
			else if (dd || !find_opt(name, 1, true))
				rc = usage_error("unrecognized option '%s'", a);
			else
				rc = parse_short(o, name, argc, argv, &i);
		}
		if (rc)
			return rc;
	}
	return check_shards(o);
}

void nmap_usage(FILE *f)
{
	fprintf(f,
		"netkit nmap %s ( nmap %s compatible )\n"
		"Usage: nmap [Scan Type(s)] [Options] {target specification}\n"
		"TARGET SPECIFICATION:\n"
		"  Can pass hostnames, IP addresses, networks, etc.\n"
		"  Ex: lab.example, 198.18.3.0/24, 198.18.3.1; 10.0.0-255.1-254\n"
		"  -iL <inputfilename>: Input from list of hosts/networks (- for stdin)\n"
		"  -iR <num hosts>: Choose random targets\n"
		"  --exclude <host1[,host2][,host3],...>: Exclude hosts/networks\n"
		"  --excludefile <exclude_file>: Exclude list from file\n"
		"HOST DISCOVERY:\n"
		"  -sL: List Scan - simply list targets to scan\n"
		"  -sn: Ping Scan - disable port scan\n"
		"  -Pn: Treat all hosts as online -- skip host discovery\n"
		"  -PS/PA/PU/PY[portlist]: TCP SYN/ACK, UDP or SCTP discovery to given ports\n"
		"  -PE/PP/PM: ICMP echo, timestamp, and netmask request discovery probes\n"
		"  -PO[protocol list]: IP Protocol Ping\n"
		"  -n/-R: Never do DNS resolution/Always resolve [default: sometimes]\n"
		"  --dns-servers <serv1[,serv2],...>: Specify custom DNS servers\n"
		"  --system-dns: Use OS's DNS resolver\n"
		"  --traceroute: Trace hop path to each host\n"
		"SCAN TECHNIQUES:\n"
		"  -sS/sT/sA/sW/sM: TCP SYN/Connect()/ACK/Window/Maimon scans\n"
		"  -sU: UDP Scan\n"
		"  -sN/sF/sX: TCP Null, FIN, and Xmas scans\n"
		"  --scanflags <flags>: Customize TCP scan flags\n"
		"  -sI <zombie host[:probeport]>: Idle scan\n"
		"  -sY/sZ: SCTP INIT/COOKIE-ECHO scans\n"
		"  -sO: IP protocol scan\n"
		"  -b <FTP relay host>: FTP bounce scan\n"
		"PORT SPECIFICATION AND SCAN ORDER:\n"
		"  -p <port ranges>: Only scan specified ports\n"
		"    Ex: -p22; -p1-65535; -p U:53,111,137,T:21-25,80,139,8080,S:9\n"
		"  --exclude-ports <port ranges>: Exclude the specified ports from scanning\n"
		"  -F: Fast mode - Scan fewer ports than the default scan\n"
		"  -r: Scan ports sequentially - don't randomize\n"
		"  --top-ports <number>: Scan <number> most common ports\n"
		"  --port-ratio <ratio>: Scan ports more common than <ratio>\n"
		"SERVICE/VERSION DETECTION:\n"
		"  -sV: Probe open ports to determine service/version info\n"
		"  --version-intensity <level>: Set from 0 (light) to 9 (try all probes)\n"
		"  --version-light: Limit to most likely probes (intensity 2)\n"
		"  --version-all: Try every single probe (intensity 9)\n"
		"  --version-trace: Show detailed version scan activity (for debugging)\n"
		"SCRIPT SCAN:\n"
		"  -sC: equivalent to --script=default\n"
		"  --script=<Lua scripts>: <Lua scripts> is a comma separated list of\n"
		"           directories, script-files or script-categories\n"
		"  --script-args=<n1=v1,[n2=v2,...]>: provide arguments to scripts\n"
		"  --script-args-file=filename: provide NSE script args in a file\n"
		"  --script-trace: Show all data sent and received\n"
		"  --script-updatedb: Update the script database.\n"
		"  --script-help=<Lua scripts>: Show help about scripts.\n"
		"           <Lua scripts> is a comma-separated list of script-files or\n"
		"           script-categories.\n"
		"OS DETECTION:\n"
		"  -O: Enable OS detection\n"
		"  --osscan-limit: Limit OS detection to promising targets\n"
		"  --osscan-guess: Guess OS more aggressively\n"
		"TIMING AND PERFORMANCE:\n"
		"  Options which take <time> are in seconds, or append 'ms' (milliseconds),\n"
		"  's' (seconds), 'm' (minutes), or 'h' (hours) to the value (e.g. 30m).\n"
		"  -T<0-5>: Set timing template (higher is faster)\n"
		"  --min-hostgroup/max-hostgroup <size>: Parallel host scan group sizes\n"
		"  --min-parallelism/max-parallelism <numprobes>: Probe parallelization\n"
		"  --min-rtt-timeout/max-rtt-timeout/initial-rtt-timeout <time>: Specifies\n"
		"      probe round trip time.\n"
		"  --max-retries <tries>: Caps number of port scan probe retransmissions.\n"
		"  --host-timeout <time>: Give up on target after this long\n"
		"  --scan-delay/--max-scan-delay <time>: Adjust delay between probes\n"
		"  --min-rate <number>: Send packets no slower than <number> per second\n"
		"  --randomize-hosts: Scan the targets in a random order\n"
		"  --max-rate <number>: Send packets no faster than <number> per second\n"
		"FIREWALL/IDS EVASION AND SPOOFING:\n"
		"  -f; --mtu <val>: fragment packets (optionally w/given MTU)\n"
		"  -D <decoy1,decoy2[,ME],...>: Cloak a scan with decoys\n"
		"  -S <IP_Address>: Spoof source address\n"
		"  -e <iface>: Use specified interface\n"
		"  -g/--source-port <portnum>: Use given port number\n"
		"  --proxies <url1,[url2],...>: Relay connections through HTTP/SOCKS4 proxies\n"
		"  --data <hex string>: Append a custom payload to sent packets\n"
		"  --data-string <string>: Append a custom ASCII string to sent packets\n"
		"  --data-length <num>: Append random data to sent packets\n"
		"  --ip-options <options>: Send packets with specified ip options\n"
		"  --ttl <val>: Set IP time-to-live field\n"
		"  --spoof-mac <mac address/prefix/vendor name>: Spoof your MAC address\n"
		"  --badsum: Send packets with a bogus TCP/UDP/SCTP checksum\n"
		"OUTPUT:\n"
		"  -oN/-oX/-oS/-oG <file>: Output scan in normal, XML, s|<rIpt kIddi3,\n"
		"     and Grepable format, respectively, to the given filename.\n"
		"  -oJ <file>: one JSON object per host, written as each host finishes\n"
		"  -oP, --db <url>: each host into PostgreSQL as it finishes (netkit db)\n"
		"  -oA <basename>: Output in the three major formats at once\n"
		"  -v: Increase verbosity level (use -vv or more for greater effect)\n"
		"  -d: Increase debugging level (use -dd or more for greater effect)\n"
		"  --reason: Display the reason a port is in a particular state\n"
		"  --open: Only show open (or possibly open) ports\n"
		"  --packet-trace: Show all packets sent and received\n"
		"  --iflist: Print host interfaces and routes (for debugging)\n"
		"  --append-output: Append to rather than clobber specified output files\n"
		"  --resume <filename>: Resume an aborted scan\n"
		"  --stats-every <time>: print a status line this often\n"
		"  --noninteractive: Disable runtime interactions via keyboard\n"
		"  --stylesheet <path/URL>: XSL stylesheet to transform XML output to HTML\n"
		"  --webxml: Reference stylesheet from Nmap.Org for more portable XML\n"
		"  --no-stylesheet: Prevent associating of XSL stylesheet w/XML output\n"
		"MISC:\n"
		"  -6: Enable IPv6 scanning\n"
		"  -A: Enable OS detection, version detection, script scanning, and traceroute\n"
		"  --datadir <dirname>: Specify custom Nmap data file location\n"
		"  --send-eth/--send-ip: Send using raw ethernet frames or IP packets\n"
		"  --privileged: Assume that the user is fully privileged\n"
		"  --unprivileged: Assume the user lacks raw socket privileges\n"
		"  -V: Print version number\n"
		"  -h: Print this help summary page.\n"
		"EXAMPLES:\n"
		"  nmap -v -A target.lab\n"
		"  nmap -v -sn 198.18.3.0/24 198.19.0.0/16\n"
		"  nmap -v -iL targets.txt -Pn -p 80\n"
		"SEE THE MAN PAGE (man nmap; nmap 7.93's: https://nmap.org/book/man.html) FOR MORE "
		"OPTIONS AND EXAMPLES\n"
		"NOT IMPLEMENTED YET (refused with a message, exit status 2): -iR -sI -b -oS -oM\n",
		NETKIT_VERSION, NMAP_COMPAT);
}
