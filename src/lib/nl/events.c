/* SPDX-License-Identifier: Apache-2.0 */
/* Messages the kernel sends unasked: rtnetlink multicast groups
 * (nl_subscribe/nl_listen) and NFQUEUE packets (nl_send/nl_drain); see
 * nl.h. */
#include "lib/nl/nl.h"

#include <errno.h>
#include <string.h>

#include <sys/socket.h>

#include <linux/netlink.h>

int nl_subscribe(struct nl_sock *s, unsigned group)
{
	int g = (int)group;
	if (mnl_socket_setsockopt(s->mnl, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g)) < 0)
		return -errno;
	return 0;
}

int nl_listen_all_nsid(struct nl_sock *s)
{
	int on = 1;
	if (mnl_socket_setsockopt(s->mnl, NETLINK_LISTEN_ALL_NSID, &on, sizeof(on)) < 0)
		return -errno;
	return 0;
}

/* One read: the messages and, with NETLINK_LISTEN_ALL_NSID, the id of
 * the namespace they come from (-1 when none is said). */
static ssize_t recv_nsid(struct nl_sock *s, int *nsid)
{
	struct sockaddr_nl sa;
	struct iovec iov = {s->buf, NL_RECV_BUFSZ};
	char ctl[CMSG_SPACE(sizeof(int))];
	struct msghdr mh = {.msg_name = &sa,
			    .msg_namelen = sizeof(sa),
			    .msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = ctl,
			    .msg_controllen = sizeof(ctl)};
	ssize_t n = recvmsg(mnl_socket_get_fd(s->mnl), &mh, 0);
	*nsid = -1;
	for (struct cmsghdr *cm = n >= 0 ? CMSG_FIRSTHDR(&mh) : NULL; cm; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == SOL_NETLINK && cm->cmsg_type == NETLINK_LISTEN_ALL_NSID &&
		    cm->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(nsid, CMSG_DATA(cm), sizeof(int));
	return n;
}

int nl_listen_nsid(struct nl_sock *s, nl_cb cb, void *data, int *nsid)
{
	int none;
	if (!nsid)
		nsid = &none;
	for (;;) {
		ssize_t n = recv_nsid(s, nsid);
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

int nl_listen(struct nl_sock *s, nl_cb cb, void *data)
{
	return nl_listen_nsid(s, cb, data, NULL);
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
