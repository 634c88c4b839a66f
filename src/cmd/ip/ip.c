/* SPDX-License-Identifier: Apache-2.0 */
/* netkit ip: global options, object dispatch and -batch, behaving as
 * iproute2's ip does (written here, not taken from its source): any
 * prefix of an option or object word selects the first entry of the
 * table it matches. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "cmd/ip/ip.h"
#include "cmd/tools.h"
#include "lib/util/priv.h"

static const char usage_text[] =
	"Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n"
	"       ip [ -force ] -batch filename\n"
	"where  OBJECT := { address | addrlabel | amt | fou | help | ila | ioam | l2tp |\n"
	"                   link | macsec | maddress | monitor | mptcp | mroute | mrule |\n"
	"                   neighbor | neighbour | netconf | netns | nexthop | ntable |\n"
	"                   ntbl | route | rule | sr | tap | tcpmetrics |\n"
	"                   token | tunnel | tuntap | vrf | xfrm }\n"
	"       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |\n"
	"                    -h[uman-readable] | -iec | -j[son] | -p[retty] |\n"
	"                    -f[amily] { inet | inet6 | mpls | bridge | link } |\n"
	"                    -4 | -6 | -M | -B | -0 |\n"
	"                    -l[oops] { maximum-addr-flush-attempts } | -br[ief] |\n"
	"                    -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |\n"
	"                    -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |\n"
	"                    -c[olor]}\n";

static int usage(void)
{
	fputs(usage_text, stderr);
	return 255;
}

static int not_here(struct ip_ctx *c, int argc, char **argv)
{
	(void)c;
	(void)argc;
	(void)argv;
	return -1;
}

static int do_help(struct ip_ctx *c, int argc, char **argv)
{
	(void)c;
	(void)argc;
	(void)argv;
	return usage();
}

/* The object table, in iproute2's order, so that a prefix picks the same
 * object it would pick there ("ip t" is tunnel, "ip n" neighbor). Objects
 * netkit does not carry are listed so that their abbreviations keep
 * resolving the same way, and they say they are not implemented. */
static const struct ip_obj {
	const char *name;
	int (*fn)(struct ip_ctx *c, int argc, char **argv);
} objs[] = {
	{"address", ip_addr},
	{"addrlabel", ip_addrlabel},
	{"maddress", ip_maddr},
	{"route", ip_route},
	{"rule", ip_rule},
	{"neighbor", ip_neigh},
	{"neighbour", ip_neigh},
	{"ntable", ip_ntable},
	{"ntbl", ip_ntable},
	{"link", ip_link},
	{"l2tp", not_here},
	{"fou", not_here},
	{"ila", not_here},
	{"macsec", not_here},
	{"tunnel", ip_tunnel},
	{"tunl", ip_tunnel},
	{"tuntap", not_here},
	{"tap", not_here},
	{"token", not_here},
	{"tcpmetrics", ip_tcp_metrics},
	{"tcp_metrics", ip_tcp_metrics},
	{"monitor", ip_monitor},
	{"xfrm", not_here},
	{"mroute", not_here},
	{"mrule", not_here},
	{"netns", ip_netns},
	{"netconf", ip_netconf},
	{"vrf", not_here},
	{"sr", not_here},
	{"nexthop", ip_nexthop},
	{"mptcp", not_here},
	{"ioam", not_here},
	{"help", do_help},
	{"stats", not_here},
};

bool ip_matches(const char *arg, const char *word)
{
	if (!*arg)
		return true;
	while (*word && *arg == *word) {
		arg++;
		word++;
	}
	return !*arg;
}

/* Whether the command only shows (no verb, or show/list/get on an object
 * whose show needs no capability): then it gives up every capability
 * before it runs. Anything else keeps what main.c left it. */
static bool only_shows(int (*fn)(struct ip_ctx *, int, char **), int argc, char **argv)
{
	static const char *const verbs[] = {"show", "list", "lst", "ls", "sh", "get"};
	if (fn != ip_addr && fn != ip_route && fn != ip_neigh && fn != ip_link &&
	    fn != ip_tcp_metrics && fn != ip_rule)
		return false;
	if (argc < 2)
		return true;
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strcmp(argv[1], verbs[i]))
			return true;
	return false;
}

static int do_cmd(struct ip_ctx *c, int argc, char **argv)
{
	for (size_t i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
		if (!ip_matches(argv[0], objs[i].name))
			continue;
		if (objs[i].fn == not_here) {
			fprintf(stderr, "netkit ip: object \"%s\" is not implemented\n",
				objs[i].name);
			return 2;
		}
		/* a batch may change something on a later line */
		if (!c->batch && only_shows(objs[i].fn, argc, argv) && priv_keep(0, 0) < 0)
			return 1;
		int r = objs[i].fn(c, argc - 1, argv + 1);
		emit_finish(c->out); /* one JSON document per command */
		return r;
	}
	fprintf(stderr, "Object \"%s\" is unknown, try \"ip help\".\n", argv[0]);
	return 1;
}

enum opt_kind { O_FLAG, O_COUNT, O_FAMILY, O_ARG, O_SPECIAL };

struct ip_opt {
	const char *name;
	bool exact; /* strcmp, not a prefix match */
	int id;
};

enum {
	OPT_LOOPS,
	OPT_FAMILY,
	OPT_4,
	OPT_6,
	OPT_0,
	OPT_M,
	OPT_B,
	OPT_HUMAN,
	OPT_IEC,
	OPT_STATS,
	OPT_DETAILS,
	OPT_RESOLVE,
	OPT_ONELINE,
	OPT_TIMESTAMP,
	OPT_TSHORT,
	OPT_VERSION,
	OPT_FORCE,
	OPT_BATCH,
	OPT_BRIEF,
	OPT_JSON,
	OPT_PRETTY,
	OPT_RCVBUF,
	OPT_COLOR,
	OPT_HELP,
	OPT_NETNS,
	OPT_NUMERIC,
	OPT_ALL,
	OPT_ECHO,
};

/* iproute2's order decides abbreviations: "-h" is -human, "-b" -batch,
 * "-r" -resolve, "-c" -color. */
static const struct ip_opt opts[] = {
	{"-loops", false, OPT_LOOPS},
	{"-family", false, OPT_FAMILY},
	{"-4", true, OPT_4},
	{"-6", true, OPT_6},
	{"-0", true, OPT_0},
	{"-M", true, OPT_M},
	{"-B", true, OPT_B},
	{"-human", false, OPT_HUMAN},
	{"-human-readable", false, OPT_HUMAN},
	{"-iec", false, OPT_IEC},
	{"-stats", false, OPT_STATS},
	{"-statistics", false, OPT_STATS},
	{"-details", false, OPT_DETAILS},
	{"-resolve", false, OPT_RESOLVE},
	{"-oneline", false, OPT_ONELINE},
	{"-timestamp", false, OPT_TIMESTAMP},
	{"-tshort", false, OPT_TSHORT},
	{"-Version", false, OPT_VERSION},
	{"-force", false, OPT_FORCE},
	{"-batch", false, OPT_BATCH},
	{"-brief", false, OPT_BRIEF},
	{"-json", false, OPT_JSON},
	{"-pretty", false, OPT_PRETTY},
	{"-rcvbuf", false, OPT_RCVBUF},
	{"-color", false, OPT_COLOR},
	{"-help", false, OPT_HELP},
	{"-netns", false, OPT_NETNS},
	{"-Numeric", false, OPT_NUMERIC},
	{"-all", false, OPT_ALL},
	{"-echo", true, OPT_ECHO},
};

static int read_family(const char *name)
{
	static const struct {
		const char *name;
		int family;
	} fams[] = {{"inet", AF_INET}, {"inet6", AF_INET6}, {"link", AF_PACKET},
		    {"ipx", AF_IPX},   {"mpls", AF_MPLS},   {"bridge", AF_BRIDGE}};
	for (size_t i = 0; i < sizeof(fams) / sizeof(fams[0]); i++)
		if (!strcmp(name, fams[i].name))
			return fams[i].family;
	return AF_UNSPEC;
}

/* -color[=always|auto|never]; false if opt is not a colour option. */
static bool color_opt(struct ip_ctx *c, const char *opt)
{
	char dup[64];
	snprintf(dup, sizeof(dup), "%s", opt);
	char *eq = strchr(dup, '=');
	const char *val = "";
	if (eq) {
		*eq = '\0';
		val = eq + 1;
	}
	if (!ip_matches(dup, "-color"))
		return false;
	if (!*val || !strcmp(val, "always"))
		c->color = 2;
	else if (!strcmp(val, "auto"))
		c->color = 1;
	else if (!strcmp(val, "never"))
		c->color = 0;
	else
		return false;
	return true;
}

/* Returns how many extra argv words the option took, or -exitcode. */
static int apply_opt(struct ip_ctx *c, const char *opt, int argc, char **argv)
{
	const struct ip_opt *o = NULL;
	/* colour sits between -rcvbuf and -help in iproute2's chain */
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		if (opts[i].id == OPT_COLOR) {
			if (color_opt(c, opt))
				return 0;
			continue;
		}
		if (opts[i].exact ? !strcmp(opt, opts[i].name) : ip_matches(opt, opts[i].name)) {
			o = &opts[i];
			break;
		}
	}
	if (!o) {
		fprintf(stderr, "Option \"%s\" is unknown, try \"ip -help\".\n", opt);
		return -255;
	}
	switch (o->id) {
	case OPT_FAMILY:
		if (argc < 2 || !strcmp(argv[1], "help"))
			return -usage();
		c->family = read_family(argv[1]);
		if (c->family == AF_UNSPEC)
			return -ip_invarg("invalid protocol family", argv[1]);
		return 1;
	case OPT_LOOPS:
	case OPT_RCVBUF:
		if (argc < 2)
			return -usage();
		return 1;
	case OPT_4: c->family = AF_INET; break;
	case OPT_6: c->family = AF_INET6; break;
	case OPT_0: c->family = AF_PACKET; break;
	case OPT_M: c->family = AF_MPLS; break;
	case OPT_B: c->family = AF_BRIDGE; break;
	case OPT_HUMAN: c->human = true; break;
	case OPT_IEC: c->iec = true; break;
	case OPT_STATS: c->stats++; break;
	case OPT_DETAILS: c->details++; break;
	case OPT_RESOLVE: c->resolve = true; break;
	case OPT_ONELINE: c->oneline = true; break;
	case OPT_TIMESTAMP: c->timestamp = true; break;
	case OPT_TSHORT:
		c->timestamp = true;
		c->tshort = true;
		break;
	case OPT_VERSION:
		printf("ip utility, iproute2-6.1.0, netkit %s\n", NETKIT_VERSION);
		return -256;
	case OPT_FORCE: c->force = true; break;
	case OPT_BATCH:
		if (argc < 2)
			return -usage();
		c->batch = argv[1];
		return 1;
	case OPT_BRIEF: c->brief = true; break;
	case OPT_JSON: c->json = true; break;
	case OPT_PRETTY: c->pretty = true; break;
	case OPT_HELP: return -usage();
	case OPT_NETNS:
		if (argc < 2)
			return -ip_incomplete(NULL);
		c->netns = argv[1];
		if (nl_netns_enter(argv[1]) < 0) {
			fprintf(stderr, "Cannot open network namespace \"%s\": %s\n", argv[1],
				strerror(errno ? errno : ENOENT));
			return -255;
		}
		return 1;
	case OPT_NUMERIC: c->numeric = true; break;
	default: break;
	}
	return 0;
}

/* Split a batch line into words: blanks separate, quotes group, '#'
 * starts a comment (iproute2's makeargs). */
static int split_line(char *line, char **argv, int max)
{
	int argc = 0;
	char *p = line;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p || *p == '#')
			break;
		if (argc >= max - 1)
			return -1;
		char q = 0;
		if (*p == '"' || *p == '\'')
			q = *p++;
		argv[argc++] = p;
		while (*p && (q ? *p != q : !(*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')))
			p++;
		if (*p)
			*p++ = '\0';
	}
	argv[argc] = NULL;
	return argc;
}

static int run_batch(struct ip_ctx *c)
{
	FILE *f = strcmp(c->batch, "-") ? fopen(c->batch, "r") : stdin;
	if (!f) {
		fprintf(stderr, "Cannot open file \"%s\" for reading: %s\n", c->batch,
			strerror(errno));
		return 1;
	}
	char *line = NULL;
	size_t cap = 0;
	int ret = 0;
	while (getline(&line, &cap, f) > 0) {
		c->batch_line++;
		char *argv[512];
		int argc = split_line(line, argv, 512);
		if (argc < 0) {
			fprintf(stderr, "Too many arguments on line %d\n", c->batch_line);
			ret = 1;
			break;
		}
		if (!argc)
			continue;
		if (do_cmd(c, argc, argv)) {
			fprintf(stderr, "Command failed %s:%d\n", c->batch, c->batch_line);
			ret = 1;
			if (!c->force)
				break;
		}
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return ret;
}

int cmd_ip_main(int argc, char **argv)
{
	struct emit *out = malloc(sizeof(*out)); /* a 64 KiB buffer: not on the stack */
	if (!out) {
		fprintf(stderr, "Cannot allocate memory\n");
		return 1;
	}
	struct ip_ctx c = {.out = out};
	argc--;
	argv++;
	while (argc > 0) {
		char *opt = argv[0];
		if (!strcmp(opt, "--")) {
			argc--;
			argv++;
			break;
		}
		if (opt[0] != '-')
			break;
		if (opt[1] == '-')
			opt++;
		int n = apply_opt(&c, opt, argc, argv);
		if (n < 0) {
			free(out);
			return n == -256 ? 0 : -n;
		}
		argc -= 1 + n;
		argv += 1 + n;
	}
	if (c.color == 1 && !isatty(STDOUT_FILENO))
		c.color = 0;
	if (c.json)
		c.color = 0;
	emit_init(out, STDOUT_FILENO, c.json ? EMIT_JSON : EMIT_TEXT, c.pretty ? EMIT_PRETTY : 0);
	int r;
	if (c.batch)
		r = run_batch(&c);
	else if (argc > 0)
		r = do_cmd(&c, argc, argv);
	else
		r = usage();
	int fr = emit_finish(out);
	free(out);
	if (c.nl_ready)
		nl_close(&c.nl);
	ip_links_free(&c);
	ip_names_free(&c);
	ip_nh_cache_free(&c);
	if (fr < 0 && !r && fr != -EPIPE)
		r = 1;
	return r;
}
