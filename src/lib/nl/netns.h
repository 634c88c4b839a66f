/* SPDX-License-Identifier: Apache-2.0 */
/* Named network namespaces the way iproute2 keeps them: a file under
 * /run/netns bind-mounted onto a namespace (so `ip netns`, `ip -n` and
 * netkit all see the same ones), plus the few things one does inside a
 * namespace without moving the whole process: write a sysctl, open a
 * socket. The caller must be single-threaded (setns on the process).
 * Returns 0 (or an fd) or -errno; never prints. */
#ifndef NETKIT_NL_NETNS_H
#define NETKIT_NL_NETNS_H

#include <stdbool.h>
#include <stdint.h>

#define NETNS_RUN_DIR "/run/netns"

/* Create namespace NAME (-EEXIST if the name is taken). */
int netns_add(const char *name);
/* Unmount and remove the name; the namespace itself goes once no process
 * and no open fd holds it. -ENOENT if there was no such name. */
int netns_del(const char *name);
/* The namespace's inode (what /proc/PID/ns/net links to), or 0. */
uint64_t netns_inode(const char *name);
/* Write value to /proc/sys/PATH as seen from inside namespace name. */
int netns_sysctl(const char *name, const char *path, const char *value);
/* socket(2) created inside namespace name: an fd or -errno. */
int netns_socket(const char *name, int domain, int type, int proto);
/* Run fn(arg) with the process inside namespace name, then come back. */
int netns_call(const char *name, int (*fn)(void *arg), void *arg);

#endif
