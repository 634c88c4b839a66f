/* SPDX-License-Identifier: Apache-2.0 */
/* The one netlink layer, on libmnl: open a rtnetlink / sock_diag socket
 * (optionally inside a named network namespace), send a request, run a
 * callback per reply message, and hand back kernel errors with their
 * extended-ack text. Never prints, never exits: returns 0 or -errno.
 *
 * Dumps stream: each reply message goes to the callback straight out of
 * one receive buffer, so memory stays flat however long the dump is.
 * Attributes are validated against a policy before anyone reads them. */
#ifndef NETKIT_NL_H
#define NETKIT_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

#define NL_RECV_BUFSZ (64 * 1024)

struct nl_sock {
	struct mnl_socket *mnl;
	int proto;
	uint32_t portid;
	uint32_t seq;
	char *buf; /* NL_RECV_BUFSZ bytes */
};

/* What went wrong, as the kernel said it. */
struct nl_err {
	int code;	/* -errno from the kernel, 0 if none */
	bool dump_intr; /* NLM_F_DUMP_INTR seen: the dump may be inconsistent */
	char msg[256];	/* extended ack message, "" if none */
};

/* Return MNL_CB_OK to go on, MNL_CB_STOP to end early, MNL_CB_ERROR
 * (with errno set) to abort. */
typedef int (*nl_cb)(const struct nlmsghdr *nlh, void *data);

/* Open a socket of protocol proto (NETLINK_ROUTE, NETLINK_SOCK_DIAG, ...).
 * netns NULL: the current namespace; else the namespace named as
 * iproute2 names them (/run/netns/NAME) or a path. */
int nl_open(struct nl_sock *s, int proto, const char *netns);
void nl_close(struct nl_sock *s);

/* Ask the kernel to check dump requests strictly and to filter dumps by
 * what they carry (a route dump's RTA_TABLE: only that table is walked).
 * 0, or -errno on kernels before 4.20. */
int nl_set_strict(struct nl_sock *s);

/* Open a named namespace (NAME under /run/netns, or a path): fd or -errno. */
int nl_netns_open(const char *name);
/* Move the whole process into a named namespace (ip -n, ss -N). */
int nl_netns_enter(const char *name);

/* Prepare a request header in buf: type, flags, seq filled in. */
struct nlmsghdr *nl_msg_start(struct nl_sock *s, void *buf, uint16_t type, uint16_t flags);

/* Send req and run cb on each reply message until the kernel is done.
 * Requests without NLM_F_DUMP are sent with NLM_F_ACK so that success and
 * failure are both reported. Returns 0, or -errno (err filled in). */
int nl_talk(struct nl_sock *s, struct nlmsghdr *req, nl_cb cb, void *data, struct nl_err *err);

/* nl_talk for a dump of many messages, faster: a second thread receives
 * (which is when the kernel builds the messages) while this one runs cb,
 * so the two overlap. cb runs on the calling thread, in order, and must
 * not use s. Memory: 8 buffers of NL_RECV_BUFSZ. A request that is not a
 * dump just goes to nl_talk. */
int nl_dump_pipelined(struct nl_sock *s, struct nlmsghdr *req, nl_cb cb, void *data,
		      struct nl_err *err);
/* The same, and pre (if not NULL, with pre_data) first sees every message of a received
 * buffer before cb sees any of them: a look-ahead, e.g. to learn the
 * names of links that the messages about to be printed refer to. */
int nl_dump_lookahead(struct nl_sock *s, struct nlmsghdr *req, nl_cb pre, void *pre_data, nl_cb cb,
		      void *data, struct nl_err *err);

/* Events: join multicast group (RTNLGRP_LINK, ...), then run cb on every
 * message that arrives until cb returns MNL_CB_STOP or an error. A lost
 * batch (ENOBUFS) is skipped over. */
int nl_subscribe(struct nl_sock *s, unsigned group);
int nl_listen(struct nl_sock *s, nl_cb cb, void *data);
/* Events of every namespace that has an id here (NETLINK_LISTEN_ALL_NSID);
 * nl_listen_nsid then sets *nsid before each callback to the id of the
 * namespace the message came from, or -1 when the kernel says none. */
int nl_listen_all_nsid(struct nl_sock *s);
int nl_listen_nsid(struct nl_sock *s, nl_cb cb, void *data, int *nsid);

/* Messages that arrive unasked and are answered without an ACK (NFQUEUE
 * packets and verdicts, thousands a second): nl_send sends msg as it is
 * and reads nothing; nl_fd is the socket to poll; nl_drain reads what
 * has arrived, without waiting, and runs cb on each message (a lost batch,
 * ENOBUFS, is skipped over). nl_set_rcvbuf asks for a receive buffer of
 * bytes, beyond the system's limit when allowed (root). All return 0 or
 * -errno. */
int nl_send(struct nl_sock *s, const struct nlmsghdr *msg);
int nl_fd(const struct nl_sock *s);
int nl_drain(struct nl_sock *s, nl_cb cb, void *data);
int nl_set_rcvbuf(struct nl_sock *s, int bytes);

/* Whether the message at nlh, with left bytes from nlh to the end of the
 * buffer, is whole: a header, and a length that covers the header and
 * stays within left. Every loop over received messages checks with this
 * before it reads a message or steps to the next (mnl_nlmsg_next). Not
 * libmnl's mnl_nlmsg_ok: it compares the length as an int, so a length
 * above INT_MAX (a reply near 2^32) passes and the next message is 4 GiB
 * ahead. */
bool nl_msg_ok(const struct nlmsghdr *nlh, int left);

/* The receive loop's core on one buffer, separate from the socket so it
 * can be fed recorded and malformed messages. Returns 1 if more messages
 * are expected, 0 when the reply is complete, -errno on failure. */
int nl_run(const void *buf, size_t len, uint32_t seq, uint32_t portid, nl_cb cb, void *data,
	   struct nl_err *err);

/* One attribute's expected shape. type is an MNL_TYPE_*; len is the exact
 * length for MNL_TYPE_BINARY when non-zero, else the minimum. Types not in
 * the policy (or MNL_TYPE_UNSPEC with len 0) are accepted as they are. */
struct nl_policy {
	uint16_t type;
	uint16_t len;
};

/* Fill tb[0..max] with the attributes after hdrlen bytes of payload, each
 * checked against pol[type] (pol may be NULL: any shape). An attribute
 * that fails its check is left out. Returns how many were left out, or
 * -EINVAL if the attribute stream itself is broken (what came before the
 * break is kept). */
/* An optional attribute of a record (its shape checked by the policy):
 * when a is there, *has = true and *v takes its value; else neither
 * changes. */
static inline void nl_get_u32(const struct nlattr *a, bool *has, uint32_t *v)
{
	if (a) {
		*has = true;
		*v = mnl_attr_get_u32(a);
	}
}
static inline void nl_get_u16(const struct nlattr *a, bool *has, uint16_t *v)
{
	if (a) {
		*has = true;
		*v = mnl_attr_get_u16(a);
	}
}
static inline void nl_get_u8(const struct nlattr *a, bool *has, uint8_t *v)
{
	if (a) {
		*has = true;
		*v = mnl_attr_get_u8(a);
	}
}

int nl_parse(const struct nlmsghdr *nlh, size_t hdrlen, const struct nl_policy *pol, unsigned max,
	     const struct nlattr **tb);
int nl_parse_nested(const struct nlattr *nest, const struct nl_policy *pol, unsigned max,
		    const struct nlattr **tb);
int nl_parse_buf(const void *buf, size_t len, const struct nl_policy *pol, unsigned max,
		 const struct nlattr **tb);

#endif
