/* SPDX-License-Identifier: Apache-2.0 */
/* Least privilege (libcap): each tool keeps only the capabilities it needs
 * and gives up the rest, in two steps as mtr-packet and iproute2's
 * drop_cap do: before its arguments are parsed it keeps the most it could
 * need (main.c's table), and once its sockets are open, or once it knows
 * the command only shows, it keeps only what is left to do.
 *
 * Only the effective, permitted, inheritable and ambient sets change; the
 * bounding set is left as it is, so that root, running a program through
 * `ip netns exec`, gives that program root's usual capabilities. */
#ifndef NETKIT_LIB_UTIL_PRIV_H
#define NETKIT_LIB_UTIL_PRIV_H

#include <stdbool.h>
#include <stdint.h>

/* A set of capabilities: bit N is capability N (CAP_NET_RAW, ...). */
#define PRIV_CAP(c) ((uint64_t)1 << (c))

/* Keep of the capabilities this process holds only those in eff (effective
 * and permitted) and perm (permitted only, to be raised later with
 * priv_raise); none inheritable or ambient. A process that holds none
 * (an ordinary user, a binary without file capabilities) changes nothing.
 * Returns 0 or -errno. */
int priv_keep(uint64_t eff, uint64_t perm);
/* Raise (on) or lower capability cap in the effective set; it must still
 * be permitted. Returns 0 or -errno. */
int priv_raise(int cap, bool on);
/* The permitted (which=false) or effective (which=true) set. */
uint64_t priv_held(bool effective);

#endif
