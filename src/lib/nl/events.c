/* Listening to rtnetlink multicast groups (see nl_subscribe/nl_listen in
 * nl.h). */
#include "lib/nl/nl.h"

#include <errno.h>

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
		while (mnl_nlmsg_ok(nlh, left)) {
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
