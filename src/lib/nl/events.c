/* SPDX-License-Identifier: Apache-2.0 */
/* Messages the kernel sends unasked: rtnetlink multicast groups
 * (nl_subscribe/nl_listen) and NFQUEUE packets (nl_send/nl_drain); see
 * nl.h. */
#include "lib/nl/nl.h"

#include <errno.h>

#include <sys/socket.h>

#include <linux/netlink.h>

int nl_subscribe(struct nl_sock *s, unsigned group)
{
	int g = (int)group;
	if (mnl_socket_setsockopt(s->mnl, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g)) < 0)
		return -errno;
	return 0;
}

int nl_listen(struct nl_sock *s, nl_cb cb, void *data)
{
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(s->mnl, s->buf, NL_RECV_BUFSZ);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS)
				continue; /* events were lost; keep listening, as ip monitor does */
			return -errno;
		}
		const struct nlmsghdr *nlh = (const void *)s->buf;
		int left = (int)n;
		while (nl_msg_ok(nlh, left)) {
			if (nlh->nlmsg_type >= NLMSG_MIN_TYPE) {
				int r = cb(nlh, data);
				if (r == MNL_CB_STOP)
					return 0;
				if (r < MNL_CB_OK)
					return -EPROTO;
			}
			nlh = mnl_nlmsg_next(nlh, &left);
		}
	}
}

int nl_send(struct nl_sock *s, const struct nlmsghdr *msg)
{
	return mnl_socket_sendto(s->mnl, msg, msg->nlmsg_len) < 0 ? -errno : 0;
}

int nl_fd(const struct nl_sock *s)
{
	return mnl_socket_get_fd(s->mnl);
}

/* Errors that answer a message sent with nl_send (a verdict for a packet
 * that is gone) are skipped: nobody waits for them, and the messages
 * after them in the same buffer still count. */
int nl_drain(struct nl_sock *s, nl_cb cb, void *data)
{
	for (;;) {
		ssize_t n = recv(mnl_socket_get_fd(s->mnl), s->buf, NL_RECV_BUFSZ, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR || errno == ENOBUFS)
				continue;
			return errno == EAGAIN ? 0 : -errno;
		}
		const struct nlmsghdr *nlh = (const void *)s->buf;
		int left = (int)n;
		while (nl_msg_ok(nlh, left)) {
			errno = 0;
			if (nlh->nlmsg_type >= NLMSG_MIN_TYPE && cb(nlh, data) < MNL_CB_OK)
				return errno ? -errno : -EPROTO;
			nlh = mnl_nlmsg_next(nlh, &left);
		}
	}
}

int nl_set_rcvbuf(struct nl_sock *s, int bytes)
{
	int fd = mnl_socket_get_fd(s->mnl);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)) == 0)
		return 0;
	return setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes)) < 0 ? -errno : 0;
}
