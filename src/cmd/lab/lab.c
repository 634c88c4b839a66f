/* SPDX-License-Identifier: Apache-2.0 */
/* netkit lab: bring up, inspect, use and remove the test network (see
 * lab/README.md). Subcommands from a table; each parses its options from
 * its own table. */
#include "cmd/lab/lab.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd/tools.h"
#include "lib/emit/emit.h"
#include "lib/nl/netns.h"
#include "lib/nl/nl.h"

static const char usage_text[] =
	"Usage: netkit lab up [FILE] [--name NAME] [-q]  bring a lab up, print its name\n"
	"       netkit lab down [NAME | --all]           remove a lab and all it made\n"
	"       netkit lab status [-j] [NAME]            list labs, hosts, addresses\n"
	"       netkit lab exec [--lab NAME] HOST CMD...\n"
	"       netkit lab flows [-j] [--reset] [NAME]   probes and replies the impaired\n"
	"                                                links passed and dropped\n"
	"A lab's host HOST is the network namespace nk-NAME-HOST. NETKIT_LAB=NAME\n"
	"picks the lab where none is named; with one lab up, that one.\n";

void lab_ns(const struct lab *lab, int host, char *buf, size_t size)
{
	snprintf(buf, size, "nk-%s-%s", lab->name, lab->topo.hosts[host].name);
}

int lab_host_dir(const struct lab *lab, int host, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", lab->dir, lab->topo.hosts[host].name);
	int r = lab_mkdirs(buf, 0755);
	if (r < 0)
		fprintf(stderr, "netkit lab: cannot make %s: %s\n", buf, strerror(-r));
	return r;
}

/* No '-' in a lab's name: "nk-NAME-" must be a prefix of its namespaces
 * and of no other lab's. */
bool lab_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > LAB_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
		      name[i] == '_'))
			return false;
	return true;
}

static int read_text(const char *path, char **out)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return -errno;
	size_t cap = 4096, len = 0;
	char *s = malloc(cap);
	size_t n;
	while (s && (n = fread(s + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 == cap) {
			char *t = cap < (1u << 24) ? realloc(s, cap * 2) : NULL;
			if (!t) {
				free(s);
				s = NULL;
			}
			s = t;
			cap *= 2;
		}
	}
	fclose(f);
	if (!s)
		return -EFBIG;
	s[len] = '\0';
	if (memchr(s, '\0', len)) {
		free(s);
		return -EINVAL;
	}
	*out = s;
	return 0;
}

static int load_topo(struct lab *lab, const char *path, char **textp)
{
	char *text = NULL;
	int r = read_text(path, &text);
	if (r < 0) {
		fprintf(stderr, "netkit lab: cannot read %s: %s\n", path, strerror(-r));
		return -1;
	}
	char err[256];
	if (topo_parse(text, &lab->topo, err, sizeof(err)) < 0) {
		fprintf(stderr, "netkit lab: %s: %s\n", path, err);
		free(text);
		return -1;
	}
	if (textp)
		*textp = text;
	else
		free(text);
	return 0;
}

static const char *default_file(void)
{
	static const char *const paths[] = {
		NETKIT_SRCDATADIR "/../lab/default.lab",
		NETKIT_DATADIR "/lab/default.lab",
	};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (access(paths[i], R_OK) == 0)
			return paths[i];
	return paths[0];
}

static bool lab_exists(const char *name)
{
	char path[LAB_PATH];
	snprintf(path, sizeof(path), "%s/%s", LAB_RUN_DIR, name);
	if (access(path, F_OK) == 0)
		return true;
	char prefix[64];
	snprintf(prefix, sizeof(prefix), "nk-%s-", name);
	DIR *d = opendir(NETNS_RUN_DIR);
	if (!d)
		return false;
	struct dirent *de;
	bool found = false;
	while ((de = readdir(d)) && !found)
		found = !strncmp(de->d_name, prefix, strlen(prefix));
	closedir(d);
	return found;
}

static void fresh_name(char *out, size_t size)
{
	for (;;) {
		uint16_t v = 0;
		if (getrandom(&v, sizeof(v), 0) != sizeof(v))
			v = (uint16_t)(getpid() ^ time(NULL));
		snprintf(out, size, "lab%04x", v);
		if (!lab_exists(out))
			return;
	}
}

/* Every lab under LAB_RUN_DIR. `up` makes the directory before any
 * namespace, so a lab killed halfway is listed too; namespaces named nk-*
 * without a directory are someone else's and stay alone. */
static int list_labs(char names[][LAB_NAME_MAX + 1], int max)
{
	int n = 0;
	DIR *d = opendir(LAB_RUN_DIR);
	struct dirent *de;
	while (d && (de = readdir(d)) && n < max)
		if (lab_name_ok(de->d_name))
			snprintf(names[n++], LAB_NAME_MAX + 1, "%.24s", de->d_name);
	if (d)
		closedir(d);
	return n;
}

/* The lab meant: given, else $NETKIT_LAB, else the only one up. */
static int pick_lab(const char *given, char *out, size_t size)
{
	if (!given)
		given = getenv("NETKIT_LAB");
	if (given) {
		if (!lab_name_ok(given)) {
			fprintf(stderr, "netkit lab: bad lab name '%s' (1-%d of [a-z0-9_])\n",
				given, LAB_NAME_MAX);
			return -1;
		}
		snprintf(out, size, "%s", given);
		return 0;
	}
	char names[64][LAB_NAME_MAX + 1];
	int n = list_labs(names, 64);
	if (n == 1) {
		snprintf(out, size, "%s", names[0]);
		return 0;
	}
	fprintf(stderr, "netkit lab: %s; name one (--lab NAME or NETKIT_LAB=NAME)\n",
		n ? "more than one lab is up" : "no lab is up");
	return -1;
}

/* Open a lab that is up: its name, directory and topology. */
static int open_lab(struct lab *lab, const char *name)
{
	memset(lab, 0, sizeof(*lab));
	snprintf(lab->name, sizeof(lab->name), "%s", name);
	snprintf(lab->dir, sizeof(lab->dir), "%s/%s", LAB_RUN_DIR, name);
	char path[LAB_PATH + 16];
	snprintf(path, sizeof(path), "%s/topology.lab", lab->dir);
	if (access(path, R_OK) < 0) {
		fprintf(stderr, "netkit lab: no lab '%s' is up\n", name);
		return -1;
	}
	return load_topo(lab, path, NULL);
}

/* Entries of dir whose names start with prefix. */
static int match_dir(const char *dir, const char *prefix, char names[][128], int max)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *de;
	int n = 0;
	while ((de = readdir(d)) && n < max)
		if (!strncmp(de->d_name, prefix, strlen(prefix)))
			snprintf(names[n++], 128, "%.127s", de->d_name);
	closedir(d);
	return n;
}

/* Works from what is there, not from what a state file says, so a lab
 * killed halfway through `up` is removed just the same. */
int lab_teardown(const char *name, bool quiet)
{
	char prefix[64], path[LAB_PATH + 256];
	char ns[TOPO_MAX_HOSTS * 2][128];
	snprintf(prefix, sizeof(prefix), "nk-%s-", name);
	int n = match_dir(NETNS_RUN_DIR, prefix, ns, TOPO_MAX_HOSTS * 2);
	const char *list[TOPO_MAX_HOSTS * 2];
	for (int i = 0; i < n; i++)
		list[i] = ns[i];
	int killed = lab_kill_ns(list, n);
	int bad = 0;
	for (int i = 0; i < n; i++) {
		int r = netns_del(ns[i]);
		if (r < 0 && r != -ENOENT) {
			fprintf(stderr, "netkit lab: cannot remove namespace %s: %s\n", ns[i],
				strerror(-r));
			bad++;
		}
	}
	int m = match_dir(LAB_ETC_NETNS, prefix, ns, TOPO_MAX_HOSTS * 2);
	for (int i = 0; i < m; i++) {
		snprintf(path, sizeof(path), "%s/%.127s", LAB_ETC_NETNS, ns[i]);
		lab_rmtree(path);
	}
	snprintf(path, sizeof(path), "%s/%s", LAB_RUN_DIR, name);
	int r = lab_rmtree(path);
	if (r < 0) {
		fprintf(stderr, "netkit lab: cannot remove %s: %s\n", path, strerror(-r));
		bad++;
	}
	if (!quiet)
		fprintf(stderr, "netkit lab: %s down (%d namespaces, %d processes)\n", name, n,
			killed > 0 ? killed : 0);
	return bad ? -1 : 0;
}

struct up_opts {
	const char *file;
	const char *name;
	bool quiet;
};

static int up_build(struct lab *lab, const char *text)
{
	char path[LAB_PATH + 16];
	int r = lab_mkdirs(lab->dir, 0755);
	snprintf(path, sizeof(path), "%s/topology.lab", lab->dir);
	if (r < 0 || (r = lab_write_file(path, text, 0644)) < 0) {
		fprintf(stderr, "netkit lab: cannot write %s: %s\n", path, strerror(-r));
		return -1;
	}
	if (lab_build_net(lab) < 0 || lab_interrupted() || lab_write_resolv(lab) < 0 ||
	    lab_build_firewall(lab) < 0 || lab_interrupted() || lab_build_impair(lab) < 0 ||
	    lab_interrupted())
		return -1;
	int failed = lab_services_start(lab);
	if (lab_interrupted())
		return -1;
	if (failed)
		fprintf(stderr, "netkit lab: %d service%s did not start (the lab is up without)\n",
			failed, failed == 1 ? "" : "s");
	snprintf(path, sizeof(path), "%s/ready", lab->dir);
	lab_write_file(path, "", 0644);
	return 0;
}

static int cmd_up(int argc, char **argv)
{
	struct up_opts o = {0};
	static const struct option opts[] = {
		{"name", required_argument, NULL, 'n'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	int c;
	optind = 1; /* options may follow the file, as in `up FILE --name N` */
	while ((c = getopt_long(argc, argv, "n:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'n': o.name = optarg; break;
		case 'q': o.quiet = true; break;
		case 'h': fputs(usage_text, stdout); return 0;
		default: fputs(usage_text, stderr); return 2;
		}
	}
	if (optind < argc)
		o.file = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "netkit lab up: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	struct lab *lab = calloc(1, sizeof(*lab));
	char *text = NULL;
	if (!lab || load_topo(lab, o.file ? o.file : default_file(), &text) < 0) {
		free(lab);
		return 1;
	}
	if (o.name && !lab_name_ok(o.name)) {
		fprintf(stderr, "netkit lab: bad lab name '%s' (1-%d of [a-z0-9_])\n", o.name,
			LAB_NAME_MAX);
		free(text);
		free(lab);
		return 2;
	}
	if (o.name)
		snprintf(lab->name, sizeof(lab->name), "%s", o.name);
	else
		fresh_name(lab->name, sizeof(lab->name));
	snprintf(lab->dir, sizeof(lab->dir), "%s/%s", LAB_RUN_DIR, lab->name);
	if (lab_exists(lab->name)) {
		if (!o.quiet)
			fprintf(stderr, "netkit lab: removing what an earlier lab %s left behind\n",
				lab->name);
		lab_teardown(lab->name, true);
	}
	lab_block_stop_signals();
	ssize_t n = readlink("/proc/self/exe", lab->self, sizeof(lab->self) - 1);
	lab->self[n > 0 ? n : 0] = '\0';
	int r = up_build(lab, text);
	free(text);
	if (r < 0) {
		fprintf(stderr, "netkit lab: %s %s; removing it\n", lab->name,
			lab_interrupted() ? "interrupted" : "failed to come up");
		lab_teardown(lab->name, true);
		free(lab);
		return 1;
	}
	printf("%s\n", lab->name);
	free(lab);
	return 0;
}

static int cmd_down(int argc, char **argv)
{
	if (argc > 2) {
		fputs(usage_text, stderr);
		return 2;
	}
	if (argc == 2 && !strcmp(argv[1], "--all")) {
		char names[64][LAB_NAME_MAX + 1];
		int n = list_labs(names, 64), bad = 0;
		for (int i = 0; i < n; i++)
			bad += lab_teardown(names[i], false) < 0;
		return bad ? 1 : 0;
	}
	char name[LAB_NAME_MAX + 1];
	if (pick_lab(argc == 2 ? argv[1] : NULL, name, sizeof(name)) < 0)
		return 1;
	if (!lab_exists(name)) {
		fprintf(stderr, "netkit lab: no lab '%s' is up\n", name);
		return 1;
	}
	return lab_teardown(name, false) < 0 ? 1 : 0;
}

static int cmd_exec(int argc, char **argv)
{
	const char *given = NULL;
	int i = 1;
	if (i < argc && !strcmp(argv[i], "--lab") && i + 1 < argc) {
		given = argv[i + 1];
		i += 2;
	} else if (i < argc && !strncmp(argv[i], "--lab=", 6)) {
		given = argv[i] + 6;
		i++;
	}
	if (argc - i < 2) {
		fputs(usage_text, stderr);
		return 2;
	}
	struct lab lab;
	char name[LAB_NAME_MAX + 1];
	if (pick_lab(given, name, sizeof(name)) < 0 || open_lab(&lab, name) < 0)
		return 1;
	int h = topo_host_find(&lab.topo, argv[i]);
	if (h < 0) {
		fprintf(stderr, "netkit lab: lab %s has no host '%s'\n", name, argv[i]);
		return 1;
	}
	char ns[128];
	lab_ns(&lab, h, ns, sizeof(ns));
	int r = nl_netns_enter(ns);
	if (r < 0 || (r = lab_etc_netns(ns)) < 0) {
		fprintf(stderr, "netkit lab: cannot enter %s: %s\n", ns, strerror(-r));
		return 1;
	}
	setenv("NETKIT_LAB", name, 1);
	execvp(argv[i + 1], argv + i + 1);
	fprintf(stderr, "netkit lab: cannot run %s: %s\n", argv[i + 1], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}

static void status_host(struct emit *e, const struct lab *lab, int h)
{
	const struct topo *t = &lab->topo;
	char ns[128], a[64];
	lab_ns(lab, h, ns, sizeof(ns));
	emit_obj_open(e, NULL);
	emit_str(e, "host", "  %-8s", t->hosts[h].name);
	emit_str(e, "netns", " %-24s", ns);
	emit_bool(e, "present", NULL, netns_inode(ns) != 0);
	if (!netns_inode(ns))
		emit_text(e, " (namespace missing)");
	emit_bool(e, "forward", t->hosts[h].forward ? " router" : NULL, t->hosts[h].forward);
	emit_arr_open(e, "addresses");
	for (unsigned i = 0; i < t->naddrs; i++)
		if (t->addrs[i].ep.host == h)
			emit_str(e, NULL, " %s",
				 rtnl_prefix_str(&t->addrs[i].pfx, true, a, sizeof(a)));
	emit_arr_close(e);
	emit_arr_open(e, "services");
	bool first = true;
	for (int s = 0; s < SVC_COUNT; s++)
		if (t->hosts[h].services & (1ull << s)) {
			emit_str(e, NULL, first ? " [%s" : " %s", topo_svc_name((enum topo_svc)s));
			first = false;
		}
	if (!first)
		emit_text(e, "]");
	emit_arr_close(e);
	emit_arr_open(e, "impairments");
	for (unsigned i = 0; i < t->nimpairs; i++) {
		const struct topo_impair *im = &t->impairs[i];
		if (im->ep.host != h)
			continue;
		emit_obj_open(e, NULL);
		emit_str(e, "dev", " (%s:", im->ep.ifname);
		emit_double(e, "delay_ms", " %gms", NULL, im->delay_us / 1000.0);
		emit_double(e, "jitter_ms", " +-%gms", NULL, im->jitter_us / 1000.0);
		emit_double(e, "loss_pct", " loss %g%%)", NULL, im->loss_ppm / 10000.0);
		emit_obj_close(e);
	}
	emit_arr_close(e);
	/* the services that do not answer now: dead, or still starting */
	emit_arr_open(e, "down");
	first = true;
	for (int s = 0; s < SVC_COUNT; s++)
		if ((t->hosts[h].services & (1ull << s)) &&
		    !lab_svc_listening(lab, h, (enum topo_svc)s)) {
			emit_str(e, NULL, first ? " not answering: %s" : " %s",
				 topo_svc_name((enum topo_svc)s));
			first = false;
		}
	emit_arr_close(e);
	emit_text(e, "\n");
	emit_obj_close(e);
}

static void status_lab(struct emit *e, const char *name)
{
	struct lab *lab = calloc(1, sizeof(*lab));
	if (!lab)
		return;
	emit_obj_open(e, NULL);
	emit_str(e, "name", "lab %s", name);
	char path[LAB_PATH + 16];
	snprintf(path, sizeof(path), "%s/%s/ready", LAB_RUN_DIR, name);
	bool ready = access(path, F_OK) == 0;
	bool have = ready && open_lab(lab, name) == 0;
	emit_str(e, "state", ": %s\n",
		 have	 ? "up"
		 : ready ? "broken"
			 : "incomplete (run 'netkit lab down NAME')");
	emit_arr_open(e, "hosts");
	for (unsigned h = 0; have && h < lab->topo.nhosts; h++)
		status_host(e, lab, (int)h);
	emit_arr_close(e);
	emit_obj_close(e);
	free(lab);
}

/* The options of status and flows: [-j|--json] [--reset] [NAME]; --reset
 * only where reset_ok. 0, or 2 (usage printed) on anything else. */
struct view_opts {
	bool json, reset;
	const char *name;
};

static int view_opts(int argc, char **argv, bool reset_ok, struct view_opts *o)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"reset", no_argument, NULL, 'r'},
		{0},
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "j", opts, NULL)) != -1) {
		if (c == 'j')
			o->json = true;
		else if (c == 'r' && reset_ok)
			o->reset = true;
		else
			break;
	}
	if (c == -1 && optind < argc)
		o->name = argv[optind++];
	if (c != -1 || optind < argc) {
		fputs(usage_text, stderr);
		return 2;
	}
	return 0;
}

static int cmd_status(int argc, char **argv)
{
	struct view_opts o = {0};
	if (view_opts(argc, argv, false, &o))
		return 2;
	bool json = o.json;
	const char *name = o.name;
	struct emit *e = malloc(sizeof(*e)); /* 64 KiB of buffer: not on the stack */
	if (!e)
		return 1;
	emit_init(e, 1, json ? EMIT_JSON : EMIT_TEXT, 0);
	emit_arr_open(e, NULL);
	if (name) {
		if (!lab_name_ok(name) || !lab_exists(name)) {
			emit_finish(e);
			free(e);
			fprintf(stderr, "netkit lab: no lab '%s' is up\n", name);
			return 1;
		}
		status_lab(e, name);
	} else {
		char names[64][LAB_NAME_MAX + 1];
		int n = list_labs(names, 64);
		for (int i = 0; i < n; i++)
			status_lab(e, names[i]);
		if (!n)
			emit_text(e, "no lab is up\n");
	}
	emit_arr_close(e);
	int r = emit_finish(e);
	free(e);
	if (json && !r)
		r = write(1, "\n", 1) == 1 ? 0 : -errno;
	return r < 0 ? 1 : 0;
}

static int cmd_flows(int argc, char **argv)
{
	struct view_opts o = {0};
	if (view_opts(argc, argv, true, &o))
		return 2;
	struct lab *lab = calloc(1, sizeof(*lab));
	char name[LAB_NAME_MAX + 1];
	int r = 1;
	if (lab && pick_lab(o.name, name, sizeof(name)) == 0 && open_lab(lab, name) == 0)
		r = lab_flows_run(lab, o.json, o.reset);
	free(lab);
	return r;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	bool needs_root;
} subcmds[] = {
	{"up", cmd_up, true},
	{"down", cmd_down, true},
	{"status", cmd_status, false},
	{"exec", cmd_exec, true},
	{"impaird", lab_impaird_main, true},
	{"flows", cmd_flows, false},
};

int cmd_lab_main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h")) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (size_t i = 0; i < sizeof(subcmds) / sizeof(subcmds[0]); i++) {
		if (strcmp(argv[1], subcmds[i].name))
			continue;
		/* say so once instead of a string of EPERMs halfway through */
		if (subcmds[i].needs_root && geteuid() != 0) {
			fprintf(stderr,
				"netkit lab %s: needs root (it makes namespaces and mounts)\n",
				argv[1]);
			return 1;
		}
		return subcmds[i].fn(argc - 1, argv + 1);
	}
	fprintf(stderr, "netkit lab: unknown command '%s'\n%s", argv[1], usage_text);
	return 2;
}
