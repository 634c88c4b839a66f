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
	if (ip_matches(cmd, "help")) {
		fprintf(stderr, "Usage:	ip netns list\n"
				"	ip netns add NAME\n"
				"	ip netns delete NAME\n"
				"	ip netns exec NAME cmd ...\n");
		return 255;
	}
	static const char *const others[] = {"set",	"identify", "pids",
					     "monitor", "list-id",  "attach"};
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (ip_matches(cmd, others[i])) {
			fprintf(stderr, "netkit ip: netns %s is not implemented\n", others[i]);
			return 2;
		}
	fprintf(stderr, "Command \"%s\" is unknown, try \"ip netns help\".\n", cmd);
	return 255;
}
