/* SPDX-License-Identifier: Apache-2.0 */
/* netkit ss: socket statistics, iproute2 6.1 compatible, plus JSON.
 * Options come from one table; the run follows iproute2's order: summary,
 * state words, defaults, the filter expression, then every socket table. */
#include "cmd/ss/ss.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/capability.h>

#include "cmd/tools.h"
#include "lib/nl/nl.h"
#include "lib/util/priv.h"

/* Everything the options decide before the run starts. */
struct ss_opts {
	struct ss_ctx *c;
	int state_filter;
	bool do_default, saw_query;
	FILE *filter_fp;
	int exit_code; /* >= 0: stop with this code */
};

static const struct {
	int states;
	uint64_t families;
} db_defaults[DB_MAX] = {
	[DB_TCP] = {SS_CONN, FAMILY_MASK(AF_INET) | FAMILY_MASK(AF_INET6)},
	[DB_MPTCP] = {SS_CONN, FAMILY_MASK(AF_INET) | FAMILY_MASK(AF_INET6)},
	[DB_DCCP] = {SS_CONN, FAMILY_MASK(AF_INET) | FAMILY_MASK(AF_INET6)},
	[DB_UDP] = {1 << SS_ESTABLISHED, FAMILY_MASK(AF_INET) | FAMILY_MASK(AF_INET6)},
	[DB_RAW] = {1 << SS_ESTABLISHED, FAMILY_MASK(AF_INET) | FAMILY_MASK(AF_INET6)},
	[DB_UNIX_DG] = {1 << SS_CLOSE, FAMILY_MASK(AF_UNIX)},
	[DB_UNIX_ST] = {SS_CONN, FAMILY_MASK(AF_UNIX)},
	[DB_UNIX_SQ] = {SS_CONN, FAMILY_MASK(AF_UNIX)},
	[DB_PACKET_DG] = {1 << SS_CLOSE, FAMILY_MASK(AF_PACKET)},
	[DB_PACKET_R] = {1 << SS_CLOSE, FAMILY_MASK(AF_PACKET)},
	[DB_NETLINK] = {1 << SS_CLOSE, FAMILY_MASK(AF_NETLINK)},
	[DB_SCTP] = {SS_CONN, FAMILY_MASK(AF_INET) | FAMILY_MASK(AF_INET6)},
	[DB_VSOCK_ST] = {SS_CONN, FAMILY_MASK(AF_VSOCK)},
	[DB_VSOCK_DG] = {SS_CONN, FAMILY_MASK(AF_VSOCK)},
	[DB_TIPC] = {(1 << SS_ESTABLISHED) | (1 << SS_LISTEN) | (1 << SS_CLOSE),
		     FAMILY_MASK(AF_TIPC)},
	[DB_XDP] = {1 << SS_CLOSE, FAMILY_MASK(AF_XDP)},
};

static const struct {
	int dbs;
	int states;
} af_defaults[AF_MAX] = {
	[AF_INET] = {DBM_INET, SS_CONN},
	[AF_INET6] = {DBM_INET, SS_CONN},
	[AF_UNIX] = {DBM_UNIX, SS_CONN},
	[AF_PACKET] = {DBM_PACKET, 1 << SS_CLOSE},
	[AF_NETLINK] = {DBM(DB_NETLINK), 1 << SS_CLOSE},
	[AF_VSOCK] = {DBM_VSOCK, SS_CONN},
	[AF_TIPC] = {DBM(DB_TIPC), (1 << SS_ESTABLISHED) | (1 << SS_LISTEN) | (1 << SS_CLOSE)},
	[AF_XDP] = {DBM(DB_XDP), 1 << SS_CLOSE},
};

static void db_set(struct ss_opts *o, int db, bool on)
{
	if (on) {
		o->c->states |= db_defaults[db].states;
		o->c->dbs |= DBM(db);
	} else {
		o->c->dbs &= ~DBM(db);
	}
	o->do_default = false;
}

static void af_set(struct ss_opts *o, int af)
{
	o->c->states |= af_defaults[af].states;
	o->c->families |= FAMILY_MASK(af);
	o->do_default = false;
	o->c->preferred_family = af;
}

static const struct {
	const char *name;
	int dbs;
} db_names[] = {
	{"all", DBM(DB_UDP) | DBM(DB_DCCP) | DBM(DB_TCP) | DBM(DB_MPTCP) | DBM(DB_RAW) | DBM_UNIX |
			DBM_PACKET | DBM(DB_NETLINK) | DBM(DB_SCTP) | DBM_VSOCK | DBM(DB_XDP)},
	{"inet",
	 DBM(DB_UDP) | DBM(DB_DCCP) | DBM(DB_TCP) | DBM(DB_MPTCP) | DBM(DB_SCTP) | DBM(DB_RAW)},
	{"udp", DBM(DB_UDP)},
	{"dccp", DBM(DB_DCCP)},
	{"tcp", DBM(DB_TCP)},
	{"mptcp", DBM(DB_MPTCP)},
	{"sctp", DBM(DB_SCTP)},
	{"raw", DBM(DB_RAW)},
	{"unix", DBM_UNIX},
	{"unix_stream", DBM(DB_UNIX_ST)},
	{"u_str", DBM(DB_UNIX_ST)},
	{"unix_dgram", DBM(DB_UNIX_DG)},
	{"u_dgr", DBM(DB_UNIX_DG)},
	{"unix_seqpacket", DBM(DB_UNIX_SQ)},
	{"u_seq", DBM(DB_UNIX_SQ)},
	{"packet", DBM_PACKET},
	{"packet_raw", DBM(DB_PACKET_R)},
	{"p_raw", DBM(DB_PACKET_R)},
	{"packet_dgram", DBM(DB_PACKET_DG)},
	{"p_dgr", DBM(DB_PACKET_DG)},
	{"netlink", DBM(DB_NETLINK)},
	{"vsock", DBM_VSOCK},
	{"vsock_stream", DBM(DB_VSOCK_ST)},
	{"v_str", DBM(DB_VSOCK_ST)},
	{"vsock_dgram", DBM(DB_VSOCK_DG)},
	{"v_dgr", DBM(DB_VSOCK_DG)},
	{"xdp", DBM(DB_XDP)},
};

static int db_parse(struct ss_opts *o, const char *s)
{
	bool on = true;
	if (s[0] == '!') {
		on = false;
		s++;
	}
	for (size_t i = 0; i < sizeof(db_names) / sizeof(db_names[0]); i++) {
		if (strcmp(s, db_names[i].name))
			continue;
		/* iproute2 walks its list in this order; "all" enables in
		 * table order, which only matters for the states */
		for (int db = 0; db < DB_MAX; db++)
			if (db_names[i].dbs & DBM(db))
				db_set(o, db, on);
		return 0;
	}
	return -1;
}

static void merge_defaults(struct ss_ctx *c)
{
	for (int db = 0; db < DB_MAX; db++)
		if ((c->dbs & DBM(db)) && !(db_defaults[db].families & c->families))
			c->families |= db_defaults[db].families;
	for (int af = 0; af < AF_MAX; af++)
		if ((c->families & FAMILY_MASK(af)) && !(af_defaults[af].dbs & c->dbs))
			c->dbs |= af_defaults[af].dbs;
}

static const char usage_text[] =
	"Usage: ss [ OPTIONS ]\n"
	"       ss [ OPTIONS ] [ FILTER ]\n"
	"   -h, --help          this message\n"
	"   -V, --version       output version information\n"
	"   -n, --numeric       don't resolve service names\n"
	"   -r, --resolve       resolve host names\n"
	"   -a, --all           display all sockets\n"
	"   -l, --listening     display listening sockets\n"
	"   -o, --options       show timer information\n"
	"   -e, --extended      show detailed socket information\n"
	"   -m, --memory        show socket memory usage\n"
	"   -p, --processes     show process using socket\n"
	"   -T, --threads       show thread using socket\n"
	"   -i, --info          show internal TCP information\n"
	"       --tipcinfo      show internal tipc socket information\n"
	"   -s, --summary       show socket usage summary\n"
	"       --tos           show tos and priority information\n"
	"       --cgroup        show cgroup information\n"
	"   -b, --bpf           show bpf filter socket information\n"
	"   -E, --events        continually display sockets as they are destroyed\n"
	"   -Z, --context       display task SELinux security contexts\n"
	"   -z, --contexts      display task and socket SELinux security contexts\n"
	"   -N, --net           switch to the specified network namespace name\n"
	"\n"
	"   -4, --ipv4          display only IP version 4 sockets\n"
	"   -6, --ipv6          display only IP version 6 sockets\n"
	"   -0, --packet        display PACKET sockets\n"
	"   -t, --tcp           display only TCP sockets\n"
	"   -M, --mptcp         display only MPTCP sockets\n"
	"   -S, --sctp          display only SCTP sockets\n"
	"   -u, --udp           display only UDP sockets\n"
	"   -d, --dccp          display only DCCP sockets\n"
	"   -w, --raw           display only RAW sockets\n"
	"   -x, --unix          display only Unix domain sockets\n"
	"       --tipc          display only TIPC sockets\n"
	"       --vsock         display only vsock sockets\n"
	"       --xdp           display only XDP sockets\n"
	"   -f, --family=FAMILY display sockets of type FAMILY\n"
	"       FAMILY := {inet|inet6|link|unix|netlink|vsock|tipc|xdp|help}\n"
	"\n"
	"   -K, --kill          forcibly close sockets, display what was closed\n"
	"   -H, --no-header     Suppress header line\n"
	"   -O, --oneline       socket's data printed on a single line\n"
	"       --inet-sockopt  show various inet socket options\n"
	"\n"
	"   -A, --query=QUERY, --socket=QUERY\n"
	"       QUERY := "
	"{all|inet|tcp|mptcp|udp|raw|unix|unix_dgram|unix_stream|unix_seqpacket|packet|packet_"
	"raw|packet_dgram|netlink|dccp|sctp|vsock_stream|vsock_dgram|tipc|xdp}[,QUERY]\n"
	"\n"
	"   -D, --diag=FILE     Dump raw information about TCP sockets to FILE\n"
	"   -F, --filter=FILE   read filter information from FILE\n"
	"       FILTER := [ state STATE-FILTER ] [ EXPRESSION ]\n"
	"       STATE-FILTER := {all|connected|synchronized|bucket|big|TCP-STATES}\n"
	"         TCP-STATES := "
	"{established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|closed|close-wait|last-ack|"
	"listening|closing}\n"
	"          connected := "
	"{established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}\n"
	"       synchronized := "
	"{established|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}\n"
	"             bucket := {syn-recv|time-wait}\n"
	"                big := "
	"{established|syn-sent|fin-wait-{1,2}|closed|close-wait|last-ack|listening|closing}\n";

/* What netkit adds, after iproute2's text so that its lines stay as they are. */
static const char usage_extra[] =
	"\n"
	"netkit additions:\n"
	"   -j, --json          every column and detail as one JSON array\n"
	"       --json-pretty   the same, indented\n"
	"       --ndjson        one JSON object per socket per line\n"
	"\n"
	"   EXPRESSION := [ ! | not ] COND { [ and | & | && | or | | | || ] [ ! | not ] COND }\n"
	"       (no precedence: evaluated left to right; \"( ... )\" groups; two\n"
	"        conditions side by side mean \"and\"; words are separated by blanks)\n"
	"   COND := { dst | src } [ = ] HOST | { dport | sport } [ OP ] [FAMILY:][:]PORT\n"
	"         | dev [ = | != ] IFNAME | fwmark [ = | != ] MARK[/MASK]\n"
	"         | cgroup [ = | != ] PATH | autobound\n"
	"   OP := { = | == | eq | != | ne | neq | > | gt | < | lt | >= | ge | geq | <= | le | leq "
	"}\n"
	"   HOST := [FAMILY:]{ ADDR[/PLEN] | [ADDR6][/PLEN] | * | NAME }[:PORT]\n"
	"   FAMILY := { inet | inet6 | unix | link | netlink }\n"
	"   PORT := { NUMBER | SERVICE | * }   (unix: HOST is a shell pattern on the path)\n";

static void usage(FILE *f, bool extra)
{
	fputs(usage_text, f);
	if (extra)
		fputs(usage_extra, f);
}

static const char *const state_words[SS_MAX] = {
	"UNKNOWN",   "established", "syn-sent",	  "syn-recv", "fin-wait-1", "fin-wait-2",
	"time-wait", "unconnected", "close-wait", "last-ack", "listening",  "closing",
};

/* A state word or group, 0 if unknown. */
static int scan_state(const char *s)
{
	if (!strcasecmp(s, "close") || !strcasecmp(s, "closed"))
		return 1 << SS_CLOSE;
	if (!strcasecmp(s, "syn-rcv"))
		return 1 << SS_SYN_RECV;
	if (!strcasecmp(s, "established"))
		return 1 << SS_ESTABLISHED;
	if (!strcasecmp(s, "all"))
		return SS_ALL;
	if (!strcasecmp(s, "connected"))
		return SS_ALL & ~((1 << SS_CLOSE) | (1 << SS_LISTEN));
	if (!strcasecmp(s, "synchronized"))
		return SS_ALL & ~((1 << SS_CLOSE) | (1 << SS_LISTEN) | (1 << SS_SYN_SENT));
	if (!strcasecmp(s, "bucket"))
		return (1 << SS_SYN_RECV) | (1 << SS_TIME_WAIT);
	if (!strcasecmp(s, "big"))
		return SS_ALL & ~((1 << SS_SYN_RECV) | (1 << SS_TIME_WAIT));
	for (int i = 0; i < SS_MAX; i++)
		if (!strcasecmp(s, state_words[i]))
			return 1 << i;
	return 0;
}

/* ---- the option table ---- */

typedef void (*opt_fn)(struct ss_opts *o, const char *arg, int val);

static void o_flag(struct ss_opts *o, const char *arg, int v)
{
	(void)arg;
	struct ss_ctx *c = o->c;
	switch (v) {
	case 'n': c->numeric = true; break;
	case 'r': c->resolve = true; break;
	case 'o': c->show_options = true; break;
	case 'e': c->show_options = true, c->show_details++; break;
	case 'm': c->show_mem = true; break;
	case 'i': c->show_info = true; break;
	case 'p': c->show_users = true; break;
	case 'T': c->show_users = c->show_threads = true; break;
	case 'b': c->show_options = c->show_bpf = true; break;
	case 'E': c->events = true; break;
	case 's': c->summary = true; break;
	case 'K': c->kill = true; break;
	case 'H': c->show_header = false; break;
	case 'O': c->oneline = true; break;
	case 'j': c->outfmt = SS_JSON; break;
	case 'P': c->outfmt = SS_JSON_PRETTY; break;
	case 'J': c->outfmt = SS_NDJSON; break;
	case 'Q': c->show_tos = true; break;
	case 'C': c->show_cgroup = true; break;
	case 'Y': c->show_sockopt = true; break;
	case 'I': break; /* --tipcinfo: no TIPC sockets in this kernel's diag */
	}
}

static void o_db(struct ss_opts *o, const char *arg, int v)
{
	(void)arg;
	db_set(o, v, true);
}

static void o_af(struct ss_opts *o, const char *arg, int v)
{
	(void)arg;
	af_set(o, v);
}

static void o_states(struct ss_opts *o, const char *arg, int v)
{
	(void)arg;
	o->state_filter = v == 'a' ? SS_ALL : (1 << SS_LISTEN) | (1 << SS_CLOSE);
}

static void o_family(struct ss_opts *o, const char *arg, int v)
{
	(void)v;
	static const struct {
		const char *name;
		int af;
	} fams[] = {{"inet", AF_INET},	 {"inet6", AF_INET6},	  {"link", AF_PACKET},
		    {"unix", AF_UNIX},	 {"netlink", AF_NETLINK}, {"tipc", AF_TIPC},
		    {"vsock", AF_VSOCK}, {"xdp", AF_XDP}};
	for (size_t i = 0; i < sizeof(fams) / sizeof(fams[0]); i++) {
		if (!strcmp(arg, fams[i].name)) {
			af_set(o, fams[i].af);
			return;
		}
	}
	if (!strcmp(arg, "help")) {
		usage(stdout, true);
		o->exit_code = 0;
		return;
	}
	fprintf(stderr, "ss: \"%s\" is invalid family\n", arg);
	usage(stderr, false);
	o->exit_code = 255;
}

static void o_query(struct ss_opts *o, const char *arg, int v)
{
	(void)v;
	if (!o->saw_query) {
		o->c->dbs = 0;
		o->state_filter = o->state_filter ? o->state_filter : SS_CONN;
		o->saw_query = true;
		o->do_default = false;
	}
	char *copy = strdup(arg), *p = copy, *comma;
	do {
		if ((comma = strchr(p, ',')))
			*comma = '\0';
		if (db_parse(o, p)) {
			fprintf(stderr, "ss: \"%s\" is illegal socket table id\n", p);
			usage(stderr, false);
			o->exit_code = 255;
			break;
		}
		p = comma + 1;
	} while (comma);
	free(copy);
}

static void o_file(struct ss_opts *o, const char *arg, int v)
{
	if (v == 'D') {
		o->c->diag_file = arg;
		return;
	}
	if (o->filter_fp) {
		fprintf(stderr, "More than one filter file\n");
		o->exit_code = 255;
		return;
	}
	o->filter_fp = arg[0] == '-' ? stdin : fopen(arg, "r");
	if (!o->filter_fp) {
		perror("fopen filter file");
		o->exit_code = 255;
	}
}

static void o_exit(struct ss_opts *o, const char *arg, int v)
{
	(void)arg;
	if (v == 'V') {
		/* the version scripts test for (netkit implements 6.1), then
		 * netkit in the place ip's line names its libraries */
		printf("ss utility, iproute2-6.1.0, netkit %s\n", NETKIT_VERSION);
		o->exit_code = 0;
	} else if (v == 'h') {
		usage(stdout, true);
		o->exit_code = 0;
	} else { /* -Z, -z: this system has no SELinux, as iproute2 finds */
		fprintf(stderr, "ss: SELinux is not enabled.\n");
		o->exit_code = 1;
	}
}

static void o_netns(struct ss_opts *o, const char *arg, int v)
{
	(void)v;
	int r = nl_netns_enter(arg);
	if (r < 0) {
		fprintf(stderr, "Cannot open network namespace \"%s\": %s\n", arg, strerror(-r));
		o->exit_code = 1;
	}
	o->c->netns = arg;
}

static const struct ss_option {
	const char *name; /* long form, NULL if none */
	int has_arg;
	int val; /* the short letter, or a code for long-only options */
	opt_fn fn;
	int arg; /* passed to fn */
} options[] = {
	{"numeric", 0, 'n', o_flag, 'n'},    {"resolve", 0, 'r', o_flag, 'r'},
	{"options", 0, 'o', o_flag, 'o'},    {"extended", 0, 'e', o_flag, 'e'},
	{"memory", 0, 'm', o_flag, 'm'},     {"info", 0, 'i', o_flag, 'i'},
	{"processes", 0, 'p', o_flag, 'p'},  {"threads", 0, 'T', o_flag, 'T'},
	{"bpf", 0, 'b', o_flag, 'b'},	     {"events", 0, 'E', o_flag, 'E'},
	{"dccp", 0, 'd', o_db, DB_DCCP},     {"tcp", 0, 't', o_db, DB_TCP},
	{"sctp", 0, 'S', o_db, DB_SCTP},     {"udp", 0, 'u', o_db, DB_UDP},
	{"raw", 0, 'w', o_db, DB_RAW},	     {"unix", 0, 'x', o_af, AF_UNIX},
	{"tipc", 0, 1001, o_af, AF_TIPC},    {"vsock", 0, 1002, o_af, AF_VSOCK},
	{"all", 0, 'a', o_states, 'a'},	     {"listening", 0, 'l', o_states, 'l'},
	{"ipv4", 0, '4', o_af, AF_INET},     {"ipv6", 0, '6', o_af, AF_INET6},
	{"packet", 0, '0', o_af, AF_PACKET}, {"family", 1, 'f', o_family, 0},
	{"socket", 1, 'A', o_query, 0},	     {"query", 1, 0, o_query, 0},
	{"summary", 0, 's', o_flag, 's'},    {"diag", 1, 'D', o_file, 'D'},
	{"filter", 1, 'F', o_file, 'F'},     {"version", 0, 'V', o_exit, 'V'},
	{NULL, 0, 'v', o_exit, 'V'},	     {"help", 0, 'h', o_exit, 'h'},
	{"context", 0, 'Z', o_exit, 'Z'},    {"contexts", 0, 'z', o_exit, 'z'},
	{"net", 1, 'N', o_netns, 0},	     {"tipcinfo", 0, 1003, o_flag, 'I'},
	{"tos", 0, 1004, o_flag, 'Q'},	     {"cgroup", 0, 1005, o_flag, 'C'},
	{"kill", 0, 'K', o_flag, 'K'},	     {"no-header", 0, 'H', o_flag, 'H'},
	{"xdp", 0, 1006, o_af, AF_XDP},	     {"mptcp", 0, 'M', o_db, DB_MPTCP},
	{"oneline", 0, 'O', o_flag, 'O'},    {"inet-sockopt", 0, 1007, o_flag, 'Y'},
	{"json", 0, 'j', o_flag, 'j'},	     {"json-pretty", 0, 1008, o_flag, 'P'},
	{"ndjson", 0, 1009, o_flag, 'J'},
};

#define NOPTS (sizeof(options) / sizeof(options[0]))

/* Returns the index of the first non-option word, or -1 to stop with
 * o->exit_code. */
static int parse_options(struct ss_opts *o, int argc, char **argv)
{
	char shorts[128];
	struct option longs[NOPTS + 1];
	size_t ns = 0, nl = 0;
	for (size_t i = 0; i < NOPTS; i++) {
		int v = options[i].val;
		if (v > 0 && v < 128) {
			shorts[ns++] = (char)v;
			if (options[i].has_arg)
				shorts[ns++] = ':';
		}
		if (options[i].name) {
			/* "query" shares -A: give it the same code */
			int code = v ? v : 'A';
			longs[nl++] =
				(struct option){options[i].name, options[i].has_arg, NULL, code};
		}
	}
	shorts[ns] = '\0';
	longs[nl] = (struct option){0};
	optind = 1;
	int ch;
	while ((ch = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		const struct ss_option *opt = NULL;
		for (size_t i = 0; i < NOPTS && !opt; i++)
			if (options[i].val == ch)
				opt = &options[i];
		if (!opt) {
			usage(stderr, false);
			o->exit_code = 255;
			return -1;
		}
		opt->fn(o, optarg, opt->arg);
		if (o->exit_code >= 0)
			return -1;
	}
	return optind;
}

/* ---- the run ---- */

/* "state X" / "exclude X" words before the expression; -1 on error. */
static int parse_states(struct ss_opts *o, int *argc, char ***argv)
{
	bool saw = false;
	while (*argc > 0) {
		bool excl = !strcmp(**argv, "exclude") || !strcmp(**argv, "excl");
		if (strcmp(**argv, "state") && !excl)
			break;
		if (*argc < 2) {
			fprintf(stderr, "Command line is not complete. Try option \"help\"\n");
			return -1;
		}
		int st = scan_state((*argv)[1]);
		if (!st) {
			fprintf(stderr, "ss: wrong state name: %s\n", (*argv)[1]);
			return -1;
		}
		if (!saw)
			o->state_filter = excl ? SS_ALL : 0;
		if (excl)
			o->state_filter &= ~st;
		else
			o->state_filter |= st;
		saw = true;
		*argc -= 2;
		*argv += 2;
	}
	return 0;
}

static int parse_filter(struct ss_opts *o, int argc, char **argv)
{
	struct ss_ctx *c = o->c;
	struct ssf_env env = {.family = c->preferred_family,
			      .udp = c->dbs & DBM(DB_UDP),
			      .tcp = c->dbs & DBM(DB_TCP)};
	int r = ssf_parse(argc, argv, o->filter_fp, &env, &c->filter);
	if (r == SSF_SYNTAX || r == SSF_DEEP) {
		fprintf(stderr, "ss: bison bellows (while parsing filter): \"%s!\" Sorry.\n",
			r == SSF_DEEP ? "memory exhausted" : "syntax error");
		usage(stderr, false);
		return 255;
	}
	if (r == SSF_BADARG) {
		fputs(env.err, stderr);
		return 1;
	}
	if (env.forced_family != AF_UNSPEC) {
		c->families = FAMILY_MASK(env.forced_family);
		c->preferred_family = env.forced_family;
	}
	return 0;
}

static void show_all(struct ss_ctx *c)
{
	if (c->dbs & DBM(DB_NETLINK))
		ss_netlink_show(c);
	if (c->dbs & DBM_PACKET)
		ss_packet_show(c);
	if (c->dbs & DBM_UNIX)
		ss_unix_show(c);
	static const int inet_order[] = {DB_RAW, DB_UDP, DB_TCP, DB_DCCP, DB_SCTP};
	for (size_t i = 0; i < sizeof(inet_order) / sizeof(inet_order[0]); i++)
		if (c->dbs & DBM(inet_order[i]))
			ss_inet_show(c, inet_order[i]);
	/* vsock, tipc and xdp have no diag module in this kernel: iproute2
	 * gets nothing back and shows nothing, and so do we (only saying so
	 * when sock_diag cannot be opened at all) */
	if ((c->dbs & DBM_VSOCK) && (c->families & FAMILY_MASK(AF_VSOCK)))
		ss_diag_probe();
	if ((c->dbs & DBM(DB_TIPC)) && (c->families & FAMILY_MASK(AF_TIPC)))
		ss_diag_probe();
	if ((c->dbs & DBM(DB_XDP)) && (c->families & FAMILY_MASK(AF_XDP)) &&
	    (c->states & (1 << SS_CLOSE)))
		ss_diag_probe();
	if (c->dbs & DBM(DB_MPTCP))
		ss_inet_show(c, DB_MPTCP);
}

static int screen_width(void)
{
	struct winsize w;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) != -1 && w.ws_col > 0)
		return w.ws_col;
	return -1;
}

/* Settle what to show; >= 0: stop with that exit code. */
static int settle(struct ss_opts *o, int argc, char **argv)
{
	struct ss_ctx *c = o->c;
	if (c->summary) {
		if (c->outfmt == SS_NDJSON)
			emit_obj_open(c->em, NULL);
		ss_summary(c);
		if (c->outfmt == SS_NDJSON) {
			emit_obj_close(c->em);
			emit_record_end(c->em);
		}
		if (o->do_default && argc == 0)
			return 0;
		if (c->outfmt == SS_JSON || c->outfmt == SS_JSON_PRETTY)
			emit_arr_open(c->em, "sockets");
	}
	if (parse_states(o, &argc, &argv) < 0)
		return 255;
	if (o->do_default) {
		o->state_filter = o->state_filter ? o->state_filter : SS_CONN;
		db_parse(o, "all");
	}
	if (o->state_filter)
		c->states = o->state_filter;
	merge_defaults(c);
	if (!c->dbs) {
		fprintf(stderr, "ss: no socket tables to show with such filter.\n");
		return 0;
	}
	if (!c->families) {
		fprintf(stderr, "ss: no families to show with such filter.\n");
		return 0;
	}
	if (!c->states) {
		fprintf(stderr, "ss: no socket states to show with such filter.\n");
		return 0;
	}
	if (c->diag_file) {
		if (!(c->dbs & DBM(DB_TCP))) {
			fprintf(stderr, "ss: tcpdiag dump requested and no tcp in filter.\n");
			return 0;
		}
		ss_diag_dump(c, c->diag_file); /* iproute2 exits 0 whatever happened */
		return 0;
	}
	int r = parse_filter(o, argc, argv);
	return r ? r : -1;
}

static int run(struct ss_ctx *c)
{
	/* -r: rpcbind's table first, as iproute2 reads it, for every table
	 * that shows ports (and unix, where its client socket shows up) */
	if (c->resolve && !c->numeric && (c->dbs & (DBM_UNIX | DBM_INET_L4)))
		c->rpc = ss_rpcb_load(SS_RPCBIND_SOCK);
	if (c->show_users) {
		struct ss_procscan *scan = ss_procs_start(c->show_threads);
		ss_inet_prefetch(c);
		c->procs = ss_procs_finish(scan);
		if (!c->procs) {
			fprintf(stderr, "ss: failed to malloc buffer\n");
			return 255;
		}
	}
	/* the processes are read (-p, with CAP_SYS_PTRACE and
	 * CAP_DAC_READ_SEARCH) and a namespace entered (-N): from here only
	 * CAP_NET_ADMIN is left, for -K and because sock_diag shows marks,
	 * MD5 keys and packet filters only to a holder of it */
	if (priv_keep(PRIV_CAP(CAP_NET_ADMIN), 0) < 0)
		return 255;
	if (!(c->dbs & (c->dbs - 1)))
		c->tbl->cols[COL_NETID].disabled = true;
	if (!(c->states & (c->states - 1)))
		c->tbl->cols[COL_STATE].disabled = true;
	if (!ss_json(c) && c->show_header)
		tbl_header(c->tbl);
	if (c->events)
		return ss_events(c) < 0 ? 255 : 0;
	show_all(c);
	if (!ss_json(c))
		tbl_render(c->tbl);
	return 0;
}

int cmd_ss_main(int argc, char **argv)
{
	struct ss_ctx c = {.show_header = true, .preferred_family = AF_UNSPEC};
	struct ss_opts o = {.c = &c, .do_default = true, .exit_code = -1};
	struct ss_table tbl;
	struct emit *em = malloc(sizeof(*em));
	if (!em) {
		fprintf(stderr, "ss: out of memory\n");
		return 255;
	}
	int first = parse_options(&o, argc, argv);
	int rc = o.exit_code;
	if (first < 0)
		goto out;
	c.em = em;
	c.tbl = &tbl;
	emit_init(em, STDOUT_FILENO, ss_json(&c) ? EMIT_JSON : EMIT_TEXT,
		  c.outfmt == SS_JSON_PRETTY ? EMIT_PRETTY : 0);
	tbl_init(&tbl, em, screen_width());
	fflush(stdout);
	if (c.outfmt == SS_JSON || c.outfmt == SS_JSON_PRETTY) {
		if (c.summary)
			emit_obj_open(em, NULL);
		else
			emit_arr_open(em, NULL);
	}
	rc = settle(&o, argc - first, argv + first);
	if (rc < 0)
		rc = run(&c);
	if (c.outfmt == SS_NDJSON)
		emit_flush(em);
	else
		emit_finish(em);
	tbl_free(&tbl);
out:
	if (o.filter_fp && o.filter_fp != stdin)
		fclose(o.filter_fp);
	ssf_free(c.filter);
	ss_inet_drop(&c);
	ss_procs_free(c.procs);
	ss_cgmap_free(c.cgmap);
	ss_svc_free(c.svc);
	ss_rpcmap_free(c.rpc);
	free(em);
	return rc;
}
