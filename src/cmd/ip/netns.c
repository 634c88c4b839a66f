/* SPDX-License-Identifier: Apache-2.0 */
/* ip netns: list, add, delete, exec, and the nsid <-> name lookup that
 * `ip link` needs for "link-netns NAME". Namespaces are the files under
 * /run/netns that iproute2 bind-mounts. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>

#include "cmd/ip/ip.h"
#include "cmd/ip/link_priv.h"

#define NETNS_RUN_DIR "/run/netns"

static int on_nsid(const struct nlmsghdr *nlh, void *data)
{
	int *id = data;
	const struct nlattr *tb[NETNSA_MAX + 1];
	if (nlh->nlmsg_type != RTM_NEWNSID ||
	    nl_parse(nlh, sizeof(struct rtgenmsg), NULL, NETNSA_MAX, tb) < 0)
		return MNL_CB_OK;
	if (tb[NETNSA_NSID] && mnl_attr_get_payload_len(tb[NETNSA_NSID]) >= 4)
		*id = (int)mnl_attr_get_u32(tb[NETNSA_NSID]);
	return MNL_CB_OK;
}

/* The nsid this namespace gave the one named name, or -1. */
static int nsid_of(struct ip_ctx *c, const char *name)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct nl_sock s;
	int id = -1;
	if (nl_open(&s, NETLINK_ROUTE, NULL) == 0) {
		char buf[128];
		struct nlmsghdr *nlh = nl_msg_start(&s, buf, RTM_GETNSID, 0);
		struct rtgenmsg *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
		g->rtgen_family = AF_UNSPEC;
		mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)fd);
		nl_talk(&s, nlh, on_nsid, &id, NULL);
		nl_close(&s);
	}
	close(fd);
	(void)c;
	return id;
}

int ip_netns_name_of_id(struct ip_ctx *c, int nsid, char *name, size_t len)
{
	DIR *d = opendir(NETNS_RUN_DIR);
	if (!d)
		return -1;
	struct dirent *de;
	int r = -1;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (nsid_of(c, de->d_name) == nsid) {
			snprintf(name, len, "%s", de->d_name);
			r = 0;
			break;
		}
	}
	closedir(d);
	return r;
}

/* ip netns set NAME NSID|auto: RTM_NEWNSID for the namespace's fd. */
static int netns_set(struct ip_ctx *c, int argc, char **argv)
{
	if (argc < 1) {
		fprintf(stderr, "No netns name specified\n");
		return 1;
	}
	if (argc < 2) {
		fprintf(stderr, "No nsid specified\n");
		return 1;
	}
	int32_t nsid = -1; /* auto: the kernel picks */
	if (strcmp(argv[1], "auto")) {
		char *end;
		errno = 0;
		long v = strtol(argv[1], &end, 0);
		if (!*argv[1] || *end || errno || v > INT32_MAX || v < INT32_MIN)
			return ip_invarg("Invalid \"netnsid\" value", argv[1]);
		if (v < 0)
			return ip_invarg("\"netnsid\" value should be >= 0", argv[1]);
		nsid = (int32_t)v;
	}
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, argv[0]);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "Cannot open network namespace \"%s\": %s\n", argv[0],
			strerror(errno));
		return 1;
	}
	struct nl_sock *s;
	int r = ip_nl(c, &s);
	if (r == 0) {
		char buf[128];
		struct nlmsghdr *nlh = nl_msg_start(s, buf, RTM_NEWNSID, NLM_F_ACK);
		struct rtgenmsg *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
		g->rtgen_family = AF_UNSPEC;
		mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)fd);
		mnl_attr_put_u32(nlh, NETNSA_NSID, (uint32_t)nsid);
		struct nl_err err = {0};
		if (nl_talk(s, nlh, NULL, NULL, &err) < 0) {
			ip_err_nl(c, &err, NULL);
			r = 2;
		}
	} else {
		r = 1;
	}
	close(fd);
	return r;
}

/* The names under /run/netns with the nsid this namespace gave them. */
struct ns_name {
	int nsid;
	char name[256];
};

struct ip_ns_names {
	struct ns_name *v;
	size_t n;
};
#define ns_names ip_ns_names

static void ns_names_load(struct ip_ctx *c, struct ns_names *m)
{
	m->v = NULL;
	m->n = 0;
	DIR *d = opendir(NETNS_RUN_DIR);
	if (!d)
		return;
	struct dirent *de;
	size_t cap = 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		int id = nsid_of(c, de->d_name);
		if (id < 0)
			continue;
		if (m->n == cap) {
			cap = cap ? 2 * cap : 16;
			struct ns_name *v = realloc(m->v, cap * sizeof(*v));
			if (!v)
				break;
			m->v = v;
		}
		m->v[m->n].nsid = id;
		snprintf(m->v[m->n].name, sizeof(m->v[m->n].name), "%s", de->d_name);
		m->n++;
	}
	closedir(d);
}

struct list_id_arg {
	struct ip_ctx *c;
	struct ns_names names;
	int64_t want_nsid; /* -1: all */
};

struct ip_ns_names *ip_ns_names_load(struct ip_ctx *c)
{
	struct ip_ns_names *m = calloc(1, sizeof(*m));
	if (m)
		ns_names_load(c, m);
	return m;
}

void ip_ns_names_free(struct ip_ns_names *m)
{
	if (m)
		free(m->v);
	free(m);
}

/* One RTM_NEWNSID / RTM_DELNSID as ip netns list-id and ip monitor print
 * it; names (may be NULL) gives the iproute2 names of the nsids. */
void ip_print_nsid(struct ip_ctx *c, const struct nlmsghdr *nlh, const struct ip_ns_names *names)
{
	const struct nlattr *tb[NETNSA_MAX + 1];
	if (nl_parse(nlh, sizeof(struct rtgenmsg), NULL, NETNSA_MAX, tb) < 0)
		return;
	if (!tb[NETNSA_NSID]) {
		fprintf(stderr, "BUG: NETNSA_NSID is missing %s\n", "print_nsid");
		return;
	}
	if (nlh->nlmsg_type == RTM_DELNSID)
		emit_bool(c->out, "deleted", "Deleted ", true);
	int nsid = (int)mnl_attr_get_u32(tb[NETNSA_NSID]);
	if (nsid < 0)
		emit_text(c->out, "nsid unassigned ");
	else
		emit_int(c->out, "nsid", "nsid %d ", nsid);
	int key = nsid;
	if (tb[NETNSA_CURRENT_NSID]) {
		key = (int)mnl_attr_get_u32(tb[NETNSA_CURRENT_NSID]);
		if (key < 0)
			emit_text(c->out, "current-nsid unassigned ");
		else
			emit_int(c->out, "current-nsid", "current-nsid %d ", key);
	}
	for (size_t i = 0; names && key >= 0 && i < names->n; i++)
		if (names->v[i].nsid == key) {
			emit_str(c->out, "name", "(iproute2 netns name: %s)", names->v[i].name);
			break;
		}
	emit_text(c->out, "\n");
}

static int on_list_id(const struct nlmsghdr *nlh, void *data)
{
	struct list_id_arg *a = data;
	const struct nlattr *tb[NETNSA_MAX + 1];
	if (nlh->nlmsg_type != RTM_NEWNSID ||
	    nl_parse(nlh, sizeof(struct rtgenmsg), NULL, NETNSA_MAX, tb) < 0 || !tb[NETNSA_NSID])
		return MNL_CB_OK;
	int nsid = (int)mnl_attr_get_u32(tb[NETNSA_NSID]);
	if (a->want_nsid >= 0 && nsid != a->want_nsid)
		return MNL_CB_OK;
	emit_obj_open(a->c->out, NULL);
	ip_print_nsid(a->c, nlh, &a->names);
	emit_obj_close(a->c->out);
	return MNL_CB_OK;
}

static int netns_usage(void);

/* ip netns list-id [target-nsid N] [nsid N]: the kernel's nsid table. */
static int netns_list_id(struct ip_ctx *c, int argc, char **argv)
{
	int64_t target = -1;
	struct list_id_arg a = {.c = c, .want_nsid = -1};
	for (; argc > 0; argc--, argv++) {
		bool is_target = !strcmp(argv[0], "target-nsid");
		if (!is_target && strcmp(argv[0], "nsid"))
			return netns_usage();
		if (argc < 2)
			return ip_incomplete(argv[0]);
		argc--, argv++;
		char *end;
		errno = 0;
		long v = strtol(argv[0], &end, 0);
		if (!*argv[0] || *end || errno || v < 0 || v > INT32_MAX)
			return ip_invarg(is_target ? "\"target-nsid\" value is invalid"
						   : "\"nsid\" value is invalid",
					 argv[0]);
		*(is_target ? &target : &a.want_nsid) = v;
	}
	struct nl_sock *s;
	if (ip_nl(c, &s) < 0)
		return 1;
	ns_names_load(c, &a.names);
	char buf[128];
	struct nlmsghdr *nlh = nl_msg_start(s, buf, RTM_GETNSID, NLM_F_DUMP);
	struct rtgenmsg *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	if (target >= 0)
		mnl_attr_put_u32(nlh, NETNSA_TARGET_NSID, (uint32_t)target);
	struct nl_err err = {0};
	emit_arr_open(c->out, NULL);
	int r = nl_talk(s, nlh, on_list_id, &a, &err);
	emit_arr_close(c->out);
	free(a.names.v);
	if (r < 0) {
		emit_flush(c->out);
		ip_err_nl(c, &err, NULL);
		fprintf(stderr, "Dump terminated\n");
		return 1;
	}
	return 0;
}

static bool is_pid(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* ip netns identify [PID]: the (last) name under /run/netns bound to the
 * process's namespace, or an empty line. */
static int netns_identify(struct ip_ctx *c, int argc, char **argv)
{
	const char *pid = "self";
	if (argc > 1) {
		fprintf(stderr, "extra arguments specified\n");
		return 1;
	}
	if (argc == 1) {
		pid = argv[0];
		if (!is_pid(pid)) {
			fprintf(stderr, "Specified string '%s' is not a pid\n", pid);
			return 1;
		}
	}
	char path[4096];
	struct stat ns, st;
	snprintf(path, sizeof(path), "/proc/%s/ns/net", pid);
	if (stat(path, &ns) < 0) {
		fprintf(stderr, "Cannot open network namespace: %s\n", strerror(errno));
		return 1;
	}
	char name[256] = "";
	DIR *d = opendir(NETNS_RUN_DIR);
	if (!d && errno != ENOENT) {
		fprintf(stderr, "Failed to open directory %s:%s\n", NETNS_RUN_DIR, strerror(errno));
		return 1;
	}
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, de->d_name);
		if (stat(path, &st) == 0 && st.st_dev == ns.st_dev && st.st_ino == ns.st_ino)
			snprintf(name, sizeof(name), "%s", de->d_name);
	}
	if (d)
		closedir(d);
	emit_flush(c->out);
	printf("%s\n", name);
	fflush(stdout);
	return 0;
}

/* ip netns pids NAME: the processes inside namespace NAME. */
static int netns_pids(struct ip_ctx *c, int argc, char **argv)
{
	if (argc < 1) {
		fprintf(stderr, "No netns name specified\n");
		return 1;
	}
	if (argc > 1) {
		fprintf(stderr, "extra arguments specified\n");
		return 1;
	}
	char path[4096];
	struct stat ns, st;
	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, argv[0]);
	if (stat(path, &ns) < 0) {
		fprintf(stderr, "Cannot open network namespace: %s\n", strerror(errno));
		return 1;
	}
	DIR *d = opendir("/proc/");
	if (!d) {
		fprintf(stderr, "Open of /proc failed: %s\n", strerror(errno));
		return 1;
	}
	emit_flush(c->out);
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!is_pid(de->d_name))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", de->d_name);
		if (stat(path, &st) == 0 && st.st_dev == ns.st_dev && st.st_ino == ns.st_ino)
			printf("%s\n", de->d_name);
	}
	closedir(d);
	fflush(stdout);
	return 0;
}

static int netns_list(struct ip_ctx *c)
{
	DIR *d = opendir(NETNS_RUN_DIR);
	emit_arr_open(c->out, NULL);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			emit_obj_open(c->out, NULL);
			emit_str(c->out, "name", "%s", de->d_name);
			int id = nsid_of(c, de->d_name);
			if (id >= 0)
				emit_int(c->out, "id", " (id: %d)", id);
			emit_text(c->out, "\n");
			emit_obj_close(c->out);
		}
		closedir(d);
	}
	emit_arr_close(c->out);
	return 0;
}

/* /run/netns must be a shared mount so that namespaces bound there show
 * up in every mount namespace (what iproute2 arranges). */
static int prepare_run_dir(void)
{
	mkdir(NETNS_RUN_DIR, 0755);
	for (int tries = 0; tries < 2; tries++) {
		if (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL) == 0)
			return 0;
		if (errno != EINVAL || tries) {
			fprintf(stderr, "mount --make-shared %s failed: %s\n", NETNS_RUN_DIR,
				strerror(errno));
			return -1;
		}
		if (mount(NETNS_RUN_DIR, NETNS_RUN_DIR, "none", MS_BIND | MS_REC, NULL)) {
			fprintf(stderr, "mount --bind %s %s failed: %s\n", NETNS_RUN_DIR,
				NETNS_RUN_DIR, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* attach NAME PID: a name for the namespace process PID is in, as
 * iproute2's netns_add(create = false) makes one. */
static int netns_attach(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "No netns name and PID specified\n");
		return 1;
	}
	char *end;
	long pid = strtol(argv[1], &end, 0);
	if (!*argv[1] || *end || !pid || pid < INT32_MIN || pid > INT32_MAX) {
		fprintf(stderr, "Invalid PID: %s\n", argv[1]);
		return 1;
	}
	const char *name = argv[0];
	if (strchr(name, '/') || !*name || !strcmp(name, ".") || !strcmp(name, "..")) {
		fprintf(stderr, "Invalid netns name \"%s\"\n", name);
		return 255;
	}
	if (prepare_run_dir() < 0)
		return 255;
	char path[4096], proc[64];
	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);
	snprintf(proc, sizeof(proc), "/proc/%ld/ns/net", pid);
	int fd = open(path, O_RDONLY | O_CREAT | O_EXCL, 0);
	if (fd < 0) {
		fprintf(stderr, "Cannot create namespace file \"%s\": %s\n", path, strerror(errno));
		return 1;
	}
	close(fd);
	if (mount(proc, path, "none", MS_BIND, NULL) < 0) {
		fprintf(stderr, "Bind %s -> %s failed: %s\n", proc, path, strerror(errno));
		if (unlink(path) < 0)
			fprintf(stderr, "Cannot remove namespace file \"%s\": %s\n", path,
				strerror(errno));
		return 1;
	}
	return 0;
}

/* monitor: "add NAME" / "delete NAME" as names appear in and leave
 * /run/netns (inotify), each line out at once. */
static int netns_monitor(void)
{
	int fd = inotify_init1(IN_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "inotify_init failed: %s\n", strerror(errno));
		return 255;
	}
	if (mkdir(NETNS_RUN_DIR, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "mkdir %s failed: %s\n", NETNS_RUN_DIR, strerror(errno));
		close(fd);
		return 255;
	}
	if (inotify_add_watch(fd, NETNS_RUN_DIR, IN_CREATE | IN_DELETE) < 0) {
		fprintf(stderr, "inotify_add_watch failed: %s\n", strerror(errno));
		close(fd);
		return 255;
	}
	_Alignas(struct inotify_event) char buf[4096];
	for (;;) {
		ssize_t len = read(fd, buf, sizeof(buf));
		if (len < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "read failed: %s\n", strerror(errno));
			close(fd);
			return 255;
		}
		for (char *p = buf; p + sizeof(struct inotify_event) <= buf + len;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			if (ev->mask & IN_CREATE)
				printf("add %s\n", ev->name);
			if (ev->mask & IN_DELETE)
				printf("delete %s\n", ev->name);
			p += sizeof(*ev) + ev->len;
		}
		fflush(stdout);
	}
}

static int netns_add(const char *name)
{
	if (strchr(name, '/') || !*name || !strcmp(name, ".") || !strcmp(name, "..")) {
		fprintf(stderr, "Invalid netns name \"%s\"\n", name);
		return 255;
	}
	if (prepare_run_dir() < 0)
		return 255;
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);
	int fd = open(path, O_RDONLY | O_CREAT | O_EXCL, 0);
	if (fd < 0) {
		fprintf(stderr, "Cannot create namespace file \"%s\": %s\n", path, strerror(errno));
		return 1;
	}
	close(fd);
	/* a child makes the namespace, so that this process stays put */
	int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (unshare(CLONE_NEWNET) < 0) {
		fprintf(stderr, "Failed to create a new network namespace \"%s\": %s\n", name,
			strerror(errno));
		goto fail;
	}
	if (mount("/proc/self/ns/net", path, "none", MS_BIND, NULL) < 0) {
		fprintf(stderr, "Bind /proc/self/ns/net -> %s failed: %s\n", path, strerror(errno));
		goto fail;
	}
	if (home >= 0) {
		setns(home, CLONE_NEWNET);
		close(home);
	}
	return 0;
fail:
	if (home >= 0) {
		setns(home, CLONE_NEWNET);
		close(home);
	}
	unlink(path);
	return 255;
}

static int netns_del(const char *name)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);
	umount2(path, MNT_DETACH);
	if (unlink(path) < 0) {
		fprintf(stderr, "Cannot remove namespace file \"%s\": %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

static int netns_exec(struct ip_ctx *c, int argc, char **argv)
{
	if (argc < 1) {
		fprintf(stderr, "No netns name specified\n");
		return 255;
	}
	if (argc < 2) {
		fprintf(stderr, "No command specified\n");
		return 1;
	}
	emit_flush(c->out);
	if (nl_netns_enter(argv[0]) < 0) {
		fprintf(stderr, "Cannot open network namespace \"%s\": %s\n", argv[0],
			strerror(errno ? errno : ENOENT));
		return 255;
	}
	/* a private mount namespace with a /sys of the new network namespace */
	if (unshare(CLONE_NEWNS) == 0) {
		mount("", "/", "none", MS_SLAVE | MS_REC, NULL);
		umount2("/sys", MNT_DETACH);
		mount(argv[0], "/sys", "sysfs", 0, NULL);
	}
	fflush(stdout);
	execvp(argv[1], argv + 1);
	fprintf(stderr, "exec of \"%s\" failed: %s\n", argv[1], strerror(errno));
	return 1;
}

static int netns_usage(void)
{
	fprintf(stderr, "Usage:\tip netns list\n"
			"\tip netns add NAME\n"
			"\tip netns attach NAME PID\n"
			"\tip netns set NAME NETNSID\n"
			"\tip [-all] netns delete [NAME]\n"
			"\tip netns identify [PID]\n"
			"\tip netns pids NAME\n"
			"\tip [-all] netns exec [NAME] cmd ...\n"
			"\tip netns monitor\n"
			"\tip netns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]\n"
			"NETNSID := auto | POSITIVE-INT\n");
	return 255;
}

int ip_netns(struct ip_ctx *c, int argc, char **argv)
{
	if (argc < 1)
		return netns_list(c);
	const char *cmd = argv[0];
	if (ip_matches(cmd, "list") || ip_matches(cmd, "show") || ip_matches(cmd, "lst"))
		return netns_list(c);
	if (ip_matches(cmd, "add") || ip_matches(cmd, "delete")) {
		if (argc < 2) {
			fprintf(stderr, "No netns name specified\n");
			return 1;
		}
		return ip_matches(cmd, "add") ? netns_add(argv[1]) : netns_del(argv[1]);
	}
	if (ip_matches(cmd, "exec"))
		return netns_exec(c, argc - 1, argv + 1);
	if (ip_matches(cmd, "help"))
		return netns_usage();
	if (ip_matches(cmd, "set"))
		return netns_set(c, argc - 1, argv + 1);
	if (ip_matches(cmd, "identify"))
		return netns_identify(c, argc - 1, argv + 1);
	if (ip_matches(cmd, "pids"))
		return netns_pids(c, argc - 1, argv + 1);
	if (ip_matches(cmd, "list-id"))
		return netns_list_id(c, argc - 1, argv + 1);
	if (ip_matches(cmd, "monitor"))
		return netns_monitor();
	if (ip_matches(cmd, "attach"))
		return netns_attach(argc - 1, argv + 1);
	fprintf(stderr, "Command \"%s\" is unknown, try \"ip netns help\".\n", cmd);
	return 255;
}
