/* SPDX-License-Identifier: Apache-2.0 */
/* sock_diag dump requests (see diag.h). */
#include "lib/nl/diag.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int nl_diag_build(void *buf, size_t size, uint32_t seq, uint16_t msg_type, const void *req,
		  size_t req_len, const struct nl_diag_attr *attrs, size_t nattr)
{
	size_t need = MNL_NLMSG_HDRLEN + MNL_ALIGN(req_len);
	for (size_t i = 0; i < nattr; i++)
		need += MNL_ATTR_HDRLEN + MNL_ALIGN(attrs[i].len);
	if (need > size || need > UINT32_MAX)
		return -ENOSPC;
	memset(buf, 0, need);
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = msg_type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	void *r = mnl_nlmsg_put_extra_header(nlh, req_len);
	memcpy(r, req, req_len);
	for (size_t i = 0; i < nattr; i++)
		mnl_attr_put(nlh, attrs[i].type, attrs[i].len, attrs[i].data);
	return (int)nlh->nlmsg_len;
}

int nl_diag_dump(struct nl_sock *s, uint16_t msg_type, const void *req, size_t req_len,
		 const struct nl_diag_attr *attrs, size_t nattr, nl_cb cb, void *data,
		 struct nl_err *err)
{
	size_t size = MNL_NLMSG_HDRLEN + MNL_ALIGN(req_len);
	for (size_t i = 0; i < nattr; i++)
		size += MNL_ATTR_HDRLEN + MNL_ALIGN(attrs[i].len);
	char small[1024];
	char *buf = size <= sizeof(small) ? small : malloc(size);
	if (!buf)
		return -ENOMEM;
	int len = nl_diag_build(buf, size, ++s->seq, msg_type, req, req_len, attrs, nattr);
	int r = len < 0 ? len : nl_talk(s, (struct nlmsghdr *)buf, cb, data, err);
	if (buf != small)
		free(buf);
	return r;
}

int nl_diag_listen(struct nl_sock *s, uint32_t groups, nl_cb cb, void *data)
{
	for (int g = 1; g <= 32; g++) {
		if (!(groups & (1u << (g - 1))))
			continue;
		if (mnl_socket_setsockopt(s->mnl, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g)) < 0)
			return -errno;
	}
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(s->mnl, s->buf, NL_RECV_BUFSZ);
		if (n < 0) {
			if (errno == EINTR || errno == ENOBUFS)
				continue;
			return -errno;
		}
		struct nl_err err = {0};
		int r = nl_run(s->buf, (size_t)n, 0, 0, cb, data, &err);
		if (r < 0)
			return r;
		if (r == 0 && !err.code && n > 0) {
			/* a notification batch ended with DONE or cb stopped */
			const struct nlmsghdr *h = (const struct nlmsghdr *)s->buf;
			if (h->nlmsg_type != NLMSG_DONE)
				return 0;
		}
	}
}
