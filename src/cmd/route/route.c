/* SPDX-License-Identifier: Apache-2.0 */
/* netkit route: net-tools 2.10 `route`, options and dispatch. Display is
 * in route_show.c, add/del in route_edit.c.
 *
 * The option table below drives getopt_long; net-tools' quirks are kept:
 * every -e steps the extension level 1 -> 2 -> 3 -> 0 -> 1, address
 * families accumulate in the order given (each one's table is printed),
 * and -h or a bad option print the usage on stdout with exit code 0. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cmd/route/route.h"
#include "cmd/tools.h"
#include "lib/util/priv.h"

static const char usage_main[] =
	"Usage: route [-nNvee] [-FC] [<AF>]           List kernel routing tables\n"
	"       route [-v] [-FC] {add|del|flush} ...  Modify routing table for AF.\n"
	"\n"
	"       route {-h|--help} [<AF>]              Detailed usage syntax for specified AF.\n"
	"       route {-V|--version}                  Display version/author and exit.\n"
	"\n"
	"        -v, --verbose            be verbose\n"
	"        -n, --numeric            don't resolve names\n"
	"        -e, --extend             display other/more information\n"
	"        -F, --fib                display Forwarding Information Base (default)\n"
	"        -C, --cache              display routing cache instead of FIB\n"
	"\n"
	"  <AF>=Use -4, -6, '-A <af>' or '--<af>'; default: inet\n"
	"  List of possible address families (which support routing):\n";

static const char usage_aflist[] = "    inet (DARPA Internet) inet6 (IPv6) ax25 (AMPR AX.25) \n"
				   "    netrom (AMPR NET/ROM) rose (AMPR ROSE) ipx (Novell IPX) \n"
				   "    ddp (Appletalk DDP) x25 (CCITT X.25) \n";

static const char version_text[] =
	"net-tools 2.10\n"
	"+NEW_ADDRT +RTF_IRTT +RTF_REJECT +I18N +SELINUX\n"
	"AF: (inet) +UNIX +INET +INET6 +IPX +AX25 +NETROM +X25 +ATALK +ECONET +ROSE -BLUETOOTH\n"
	"HW:  +ETHER +ARC +SLIP +PPP +TUNNEL -TR +AX25 +NETROM +X25 +FR +ROSE +ASH +SIT +FDDI "
	"+HIPPI +HDLC/LAPB +EUI64 \n";

static const char usage_inet[] =
	"Usage: inet_route [-vF] del {-host|-net} Target[/prefix] [gw Gw] [metric M] [[dev] If]\n"
	"       inet_route [-vF] add {-host|-net} Target[/prefix] [gw Gw] [metric M]\n"
	"                              [netmask N] [mss Mss] [window W] [irtt I]\n"
	"                              [mod] [dyn] [reinstate] [[dev] If]\n"
	"       inet_route [-vF] add {-host|-net} Target[/prefix] [metric M] reject\n"
	"       inet_route [-FC] flush      NOT supported\n";

static const char usage_inet6[] =
	"Usage: inet6_route [-vF] del Target\n"
	"       inet6_route [-vF] add Target [gw Gw] [metric M] [[dev] If]\n"
	"       inet6_route [-FC] flush      NOT supported\n";

void route_usage_inet(bool to_stderr)
{
	fputs(usage_inet, to_stderr ? stderr : stdout);
}

void route_usage_inet6(bool to_stderr)
{
	fputs(usage_inet6, to_stderr ? stderr : stdout);
}

/* What the command line asked for, beyond the display options. */
struct route_cli {
	struct route_opts o;
	bool help, version, bad_opt;
	int af_err;    /* exit code of a bad -A, 0 if none */
	bool af_built; /* a family without routing (else one net-tools lacks) */
	char af_bad[64];
};

/* Families net-tools knows, and which of them have routing tables. */
struct af_name {
	const char *name;
	int af;		  /* AF_*, 0: no routing table */
	const char *said; /* the name net-tools' "No routing" message uses */
};

/* bluetooth: net-tools knows the name but was built without it. */
#define AF_NOT_BUILT (-1)

static const struct af_name af_names[] = {
	{"inet", AF_INET, NULL},
	{"inet6", AF_INET6, NULL},
	{"ax25", AF_AX25, NULL},
	{"netrom", AF_NETROM, NULL},
	{"rose", AF_ROSE, NULL},
	{"ipx", AF_IPX, NULL},
	{"ddp", AF_APPLETALK, NULL},
	{"appletalk", AF_APPLETALK, NULL},
	{"x25", AF_X25, NULL},
	{"unix", 0, "unix"},
	{"econet", 0, "ec"},
	{"ash", 0, "ash"},
	{"bluetooth", AF_NOT_BUILT, NULL},
};

static void add_af(struct route_cli *c, const char *name)
{
	const struct af_name *f = NULL;
	for (size_t i = 0; i < sizeof(af_names) / sizeof(af_names[0]); i++)
		if (!strcmp(af_names[i].name, name))
			f = &af_names[i];
	if (c->af_err)
		return;
	if (!f || f->af <= 0) {
		c->af_err = !f ? 1 : ROUTE_E_OPTERR;
		c->af_built = f && f->af == 0;
		snprintf(c->af_bad, sizeof(c->af_bad), "%s", f && f->said ? f->said : name);
		return;
	}
	if (c->o.naf < ROUTE_MAX_AF)
		c->o.af[c->o.naf++] = f->af;
}

static void add_af_list(struct route_cli *c, const char *list)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", list);
	for (char *save, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
		add_af(c, t);
}

enum opt_id {
	O_AF,
	O_INET,
	O_INET6,
	O_EXT,
	O_CACHE,
	O_FIB,
	O_HELP,
	O_NUM,
	O_VERS,
	O_VERB,
	O_JSON,
	O_PRETTY,
	O_FAMILY /* --NAME of a family */
};

struct opt_def {
	int shortc; /* 0: long only */
	const char *longname;
	int has_arg;
	enum opt_id id;
};

static const struct opt_def opt_defs[] = {
	{'A', "protocol", required_argument, O_AF}, {'4', "inet", no_argument, O_INET},
	{'6', "inet6", no_argument, O_INET6},	    {'e', "extend", no_argument, O_EXT},
	{'C', "cache", no_argument, O_CACHE},	    {'F', "fib", no_argument, O_FIB},
	{'h', "help", no_argument, O_HELP},	    {'n', "numeric", no_argument, O_NUM},
	{'N', "symbolic", no_argument, O_NUM},	    {'V', "version", no_argument, O_VERS},
	{'v', "verbose", no_argument, O_VERB},	    {'j', "json", no_argument, O_JSON},
	{'p', "pretty", no_argument, O_PRETTY},	    {0, "unix", no_argument, O_FAMILY},
	{0, "ax25", no_argument, O_FAMILY},	    {0, "netrom", no_argument, O_FAMILY},
	{0, "rose", no_argument, O_FAMILY},	    {0, "ipx", no_argument, O_FAMILY},
	{0, "ddp", no_argument, O_FAMILY},	    {0, "appletalk", no_argument, O_FAMILY},
	{0, "x25", no_argument, O_FAMILY},	    {0, "bluetooth", no_argument, O_FAMILY},
};
/* getopt's value of a long-only option: past every character */
#define LONG_ONLY(i) (256 + (int)(i))
#define N_OPTS (sizeof(opt_defs) / sizeof(opt_defs[0]))

static void apply_opt(struct route_cli *c, const struct opt_def *d, const char *arg)
{
	switch (d->id) {
	case O_FAMILY: add_af(c, d->longname); break;
	case O_AF: add_af_list(c, arg); break;
	case O_INET: add_af(c, "inet"); break;
	case O_INET6: add_af(c, "inet6"); break;
	case O_EXT: c->o.ext = (c->o.ext + 1) & 3; break;
	case O_CACHE: c->o.cache = true; break;
	case O_FIB: c->o.fib = true; break;
	case O_HELP: c->help = true; break;
	case O_NUM: c->o.numeric = true; break;
	case O_VERS: c->version = true; break;
	case O_VERB: c->o.verbose = true; break;
	case O_JSON: c->o.json = true; break;
	case O_PRETTY: c->o.pretty = true; break;
	}
}

/* Returns the index of the first operand. */
static int parse_opts(struct route_cli *c, int argc, char **argv)
{
	char shorts[2 * N_OPTS + 2];
	struct option longs[N_OPTS + 1];
	size_t n = 0;
	for (size_t i = 0; i < N_OPTS; i++) {
		int val = opt_defs[i].shortc ? opt_defs[i].shortc : LONG_ONLY(i);
		if (opt_defs[i].shortc) {
			shorts[n++] = (char)opt_defs[i].shortc;
			if (opt_defs[i].has_arg)
				shorts[n++] = ':';
		}
		longs[i] = (struct option){opt_defs[i].longname, opt_defs[i].has_arg, NULL, val};
	}
	shorts[n] = '\0';
	longs[N_OPTS] = (struct option){0};
	optind = 1;
	for (;;) {
		int ch = getopt_long(argc, argv, shorts, longs, NULL);
		if (ch < 0)
			break;
		size_t i = ch >= LONG_ONLY(0) ? (size_t)(ch - LONG_ONLY(0)) : 0;
		while (i < N_OPTS && ch < 256 && opt_defs[i].shortc != ch)
			i++;
		if (i >= N_OPTS) {
			c->bad_opt = true;
			continue;
		}
		apply_opt(c, &opt_defs[i], optarg);
	}
	return optind;
}

static int af_error(const struct route_cli *c)
{
	if (c->af_err == 1)
		fprintf(stderr, "Unknown address family `%s'.\n", c->af_bad);
	else if (c->af_built)
		fprintf(stderr, "No routing for address family `%s'.\n", c->af_bad);
	else
		fprintf(stderr, "Address family `%s' not supported.\n", c->af_bad);
	return c->af_err;
}

static int help(const struct route_cli *c, bool af_given)
{
	if (af_given && c->o.af[0] != AF_INET && c->o.af[0] != AF_INET6)
		return route_edit_other(c->o.af[0], "help", NULL);
	if (af_given && c->o.af[0] == AF_INET6)
		route_usage_inet6(false);
	else if (af_given)
		route_usage_inet(false);
	else {
		/* stdout stays buffered, so in a pipe the list comes first, as
		 * in net-tools */
		fputs(usage_main, stdout);
		fputs(usage_aflist, stderr);
	}
	return 0;
}

static bool is_verb(const char *w)
{
	return !strcmp(w, "add") || !strcmp(w, "del") || !strcmp(w, "delete") ||
	       !strcmp(w, "flush");
}

static int run_verb(const struct route_cli *c, char **args)
{
	const char *verb = args[0];
	bool inet6 = c->o.af[0] == AF_INET6;
	if (c->o.af[0] != AF_INET && !inet6 && is_verb(verb))
		return route_edit_other(c->o.af[0], verb, args + 1);
	const char *afname = inet6 ? "inet6" : "inet";
	bool add = !strcmp(verb, "add");
	if (!is_verb(verb)) {
		fputs(usage_main, stderr);
		fputs(usage_aflist, stderr);
		return ROUTE_E_OPTERR;
	}
	if (!strcmp(verb, "flush")) {
		fprintf(stderr, "Flushing `%s' routing table not supported\n", afname);
		inet6 ? route_usage_inet6(true) : route_usage_inet(true);
		return ROUTE_E_OPTERR;
	}
	if (c->o.cache && !inet6) { /* net-tools' IPv6 side does not check */
		fprintf(stderr, "Modifying `%s' routing cache not supported\n", afname);
		inet6 ? route_usage_inet6(true) : route_usage_inet(true);
		return ROUTE_E_OPTERR;
	}
	return route_edit(&c->o, add, args + 1);
}

static int route_main(int argc, char **argv);

/* net-tools lets getopt permute, so options may follow the verb's words;
 * -net and -host are hidden from it as #net and #host first. */
static char **hide_net_host(int argc, char **argv)
{
	char **v = calloc((size_t)argc + 1, sizeof(*v));
	if (!v)
		return NULL;
	for (int i = 0; i < argc; i++) {
		v[i] = argv[i];
		if (i && !strcmp(argv[i], "-net"))
			v[i] = "#net";
		else if (i && !strcmp(argv[i], "-host"))
			v[i] = "#host";
	}
	return v;
}

int cmd_route_main(int argc, char **argv)
{
	char **v = hide_net_host(argc, argv);
	if (!v) {
		fprintf(stderr, "route: out of memory\n");
		return 1;
	}
	int rc = route_main(argc, v);
	free(v);
	return rc;
}

static int route_main(int argc, char **argv)
{
	struct route_cli c = {.o = {.ext = 1}};
	int first = parse_opts(&c, argc, argv);
	bool af_given = c.o.naf > 0;
	if (c.version) {
		/* net-tools' lines, which scripts read, then netkit's */
		fputs(version_text, stdout);
		printf("netkit %s\n", NETKIT_VERSION);
		return 0;
	}
	if (c.af_err)
		return af_error(&c);
	if (!af_given)
		c.o.af[c.o.naf++] = AF_INET;
	if (c.help || c.bad_opt)
		return help(&c, af_given);
	if (!c.o.fib && !c.o.cache)
		c.o.fib = true;
	if (first < argc)
		return run_verb(&c, argv + first);
	/* showing the table needs no capability */
	if (priv_keep(0, 0) < 0)
		return 1;
	return route_show(&c.o);
}
