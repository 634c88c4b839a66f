/* SPDX-License-Identifier: Apache-2.0 */
/* Messages kept from a dump to act on once it is over (or to print in
 * another order: ip addr under their links). A flush copies
 * each object the dump shows and, the dump done (a socket takes no
 * requests in the middle of one), sends each copy back as a delete. */
#ifndef NETKIT_NL_MSGLIST_H
#define NETKIT_NL_MSGLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/nl/nl.h"

struct nl_msg_list {
	struct nlmsghdr **msg;
	size_t n, cap;
};

/* Keep a copy of nlh. MNL_CB_OK, or MNL_CB_ERROR (errno ENOMEM), so that
 * a dump callback can return what it returns. */
int nl_msg_list_add(struct nl_msg_list *l, const struct nlmsghdr *nlh);

/* Run fn on each kept message, in the order kept or (reverse) last first,
 * until fn returns non-zero; returns that, or 0. */
int nl_msg_list_walk(struct nl_msg_list *l, bool reverse, int (*fn)(struct nlmsghdr *m, void *data),
		     void *data);

/* Send each kept message back as a request of type (NLM_F_REQUEST, a
 * sequence number of s, port 0), with the walk's order. A kernel error
 * whose code is ignore (-ESRCH, ...; 0 for none) is passed over; any other
 * ends the walk. 0, or -errno with err filled in. */
int nl_msg_list_send(struct nl_sock *s, struct nl_msg_list *l, uint16_t type, bool reverse,
		     int ignore, struct nl_err *err);

/* Free the copies and the list; l is empty again. */
void nl_msg_list_free(struct nl_msg_list *l);

#endif
