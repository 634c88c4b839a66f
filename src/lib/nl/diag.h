/* SPDX-License-Identifier: Apache-2.0 */
/* sock_diag requests: one dump of a socket table, with an optional
 * filter attribute (INET_DIAG_REQ_BYTECODE) and extra attributes.
 * Replies stream to the callback like every nl_talk dump. */
#ifndef NETKIT_NL_DIAG_H
#define NETKIT_NL_DIAG_H

#include <stddef.h>
#include <stdint.h>

#include "lib/nl/nl.h"

struct nl_diag_attr {
	uint16_t type;
	const void *data;
	size_t len;
};

/* Send msg_type (SOCK_DIAG_BY_FAMILY, ...) with the fixed request req of
 * req_len bytes followed by nattr attributes, as a dump. flags are added
 * to NLM_F_REQUEST|NLM_F_DUMP. Returns 0 or -errno (err filled in). */
int nl_diag_dump(struct nl_sock *s, uint16_t msg_type, const void *req, size_t req_len,
		 const struct nl_diag_attr *attrs, size_t nattr, nl_cb cb, void *data,
		 struct nl_err *err);

/* Build the same request into buf (for tests and for -D): its length, or
 * -ENOSPC if buf is too small. */
int nl_diag_build(void *buf, size_t size, uint32_t seq, uint16_t msg_type, const void *req,
		  size_t req_len, const struct nl_diag_attr *attrs, size_t nattr);

/* Join the multicast groups in the mask (bit n-1 for group n) and run cb
 * on every notification until cb stops or an error: -errno. */
int nl_diag_listen(struct nl_sock *s, uint32_t groups, nl_cb cb, void *data);

#endif
