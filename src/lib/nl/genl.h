/* SPDX-License-Identifier: Apache-2.0 */
/* Generic netlink: resolve a family name (tcp_metrics, ...) to the id
 * that requests carry as their message type, and start a request. */
#ifndef NETKIT_NL_GENL_H
#define NETKIT_NL_GENL_H

#include <stdint.h>

#include "lib/nl/nl.h"

/* s is a NETLINK_GENERIC socket. Returns the family id (> 0) or -errno
 * (-ENOENT: the kernel has no such family). */
int nl_genl_family(struct nl_sock *s, const char *name, struct nl_err *err);

/* Header plus genlmsghdr{cmd, version} for family id. */
struct nlmsghdr *nl_genl_start(struct nl_sock *s, void *buf, uint16_t family, uint16_t flags,
			       uint8_t cmd, uint8_t version);

#endif
