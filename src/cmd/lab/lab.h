/* SPDX-License-Identifier: Apache-2.0 */
/* netkit lab internals shared by its files: the lab context, process
 * spawning inside a host's namespace, cleanup, the network builder, the
 * services and the impairment daemon. */
#ifndef NETKIT_CMD_LAB_LAB_H
#define NETKIT_CMD_LAB_LAB_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "cmd/lab/topo.h"

#define LAB_RUN_DIR "/run/netkit/lab"
#define LAB_ETC_NETNS "/etc/netns"
#define LAB_NAME_MAX 24
#define LAB_PATH 512 /* our paths are short: /run/netkit/lab/NAME/HOST/FILE */

struct lab {
	char name[LAB_NAME_MAX + 1];
	char dir[128];	     /* LAB_RUN_DIR/NAME */
	char self[LAB_PATH]; /* this binary, to start `lab impaird` */
	struct topo topo;
};

/* "nk-NAME-HOST" */
void lab_ns(const struct lab *lab, int host, char *buf, size_t size);
/* LAB_RUN_DIR/NAME/HOST (made on demand) */
int lab_host_dir(const struct lab *lab, int host, char *buf, size_t size);
bool lab_name_ok(const char *name);

/* Starting programs inside a host's namespace (run.c). */
struct spawn {
	const char *log; /* stdout+stderr go here (appended); NULL: /dev/null */
	uid_t uid;	 /* 0: stay root */
	gid_t gid;
	int keep_fd;	/* an fd the child keeps (a readiness pipe), -1 none */
	bool etc_netns; /* private mounts with the files of /etc/netns/NS over /etc */
};
/* Fork, enter namespace ns, detach (setsid), exec argv. Returns the pid or
 * -errno. The child is not waited for. */
pid_t lab_spawn(const char *ns, char *const argv[], const struct spawn *sp);
/* Spawn and wait: the exit status (0 = success) or -errno. */
int lab_run(const char *ns, char *const argv[], const struct spawn *sp);
/* Bind each file of /etc/netns/NS over its namesake in /etc, in a new mount namespace, and a sysfs
 * of the current network namespace over /sys, as `ip netns exec` does. */
int lab_etc_netns(const char *ns);
/* End every process inside these namespaces (TERM, then KILL); returns
 * how many there were. */
int lab_kill_ns(const char *const *ns, int n);
/* Block SIGINT/SIGTERM/SIGHUP; lab_interrupted() says if one came. */
void lab_block_stop_signals(void);
bool lab_interrupted(void);
/* rm -rf */
int lab_rmtree(const char *path);
int lab_mkdirs(const char *path, mode_t mode);
int lab_write_file(const char *path, const char *text, mode_t mode);

/* The network (build.c). Errors are printed; returns 0 or -1. */
int lab_build_net(struct lab *lab);
int lab_build_firewall(struct lab *lab);
int lab_build_impair(struct lab *lab);
int lab_write_resolv(struct lab *lab);

/* Services (svc.c): start all, wait until they listen. Missing packages
 * and services that do not come up are reported, not fatal. */
int lab_services_start(struct lab *lab);
/* Does the service accept connections now (on 127.0.0.1 in its host)? */
bool lab_svc_listening(const struct lab *lab, int host, enum topo_svc s);

/* Remove everything of lab NAME: processes, namespaces, files. */
int lab_teardown(const char *name, bool quiet);

/* What happens to one packet on an impaired link: IMPAIR_DROP, or how
 * long it waits (ns). rng: xorshift64* state, never 0. */
struct impair_model {
	uint64_t delay_ns, jitter_ns;
	uint32_t loss_ppm;
	uint64_t rng;
};
#define IMPAIR_DROP UINT64_MAX
uint64_t impair_decide(struct impair_model *m);

/* The daemon's timer wakes it some tens of microseconds after the time it
 * asked for (more after an idle stretch), and each held packet would pay
 * that on top of its delay. The daemon asks that much early: lead is its
 * running estimate of the lateness (ns), moved 1/16 of the way towards
 * each lateness it sees (late: how long after the asked time it woke),
 * and kept within [0, IMPAIR_LEAD_MAX_NS]. Returns the new lead. */
#define IMPAIR_LEAD_MAX_NS 300000ull
uint64_t impair_lead_update(uint64_t lead, uint64_t late);

/* `netkit lab impaird` (impaird.c) */
int lab_impaird_main(int argc, char **argv);
/* `netkit lab flows` (flowcmd.c): the impaired links' records of probes
 * and replies, joined (json: as JSON), or emptied (clear). */
int lab_flows_run(const struct lab *lab, bool json, bool clear);

#endif
