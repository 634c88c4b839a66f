/* SPDX-License-Identifier: Apache-2.0 */
/* Netlink sockets, requests and the reply loop (see nl.h). */
#include "lib/nl/nl.h"

#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/netlink.h>

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif
#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12
#endif

int nl_netns_open(const char *name)
{
	char path[4096];
	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	return fd;
}

int nl_netns_enter(const char *name)
{
	int fd = nl_netns_open(name);
	if (fd < 0)
		return fd;
	int r = setns(fd, CLONE_NEWNET) < 0 ? -errno : 0;
	close(fd);
	return r;
}

static int open_here(struct nl_sock *s, int proto)
{
	s->mnl = mnl_socket_open2(proto, SOCK_CLOEXEC);
	if (!s->mnl)
		return -errno;
	if (mnl_socket_bind(s->mnl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int r = -errno;
		mnl_socket_close(s->mnl);
		s->mnl = NULL;
		return r;
	}
	int one = 1;
	/* best effort: old kernels lack them, and then there is no text */
	mnl_socket_setsockopt(s->mnl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(s->mnl, NETLINK_CAP_ACK, &one, sizeof(one));
	return 0;
}

int nl_open(struct nl_sock *s, int proto, const char *netns)
{
	memset(s, 0, sizeof(*s));
	s->proto = proto;
	s->buf = malloc(NL_RECV_BUFSZ);
	if (!s->buf)
		return -ENOMEM;
	int r;
	if (!netns) {
		r = open_here(s, proto);
	} else {
		int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		int there = nl_netns_open(netns);
		if (home < 0 || there < 0) {
			r = there < 0 ? there : -errno;
		} else if (setns(there, CLONE_NEWNET) < 0) {
			r = -errno;
		} else {
			r = open_here(s, proto);
			if (setns(home, CLONE_NEWNET) < 0 && !r)
				r = -errno;
		}
		if (home >= 0)
			close(home);
		if (there >= 0)
			close(there);
	}
	if (r < 0) {
		nl_close(s);
		return r;
	}
	s->portid = mnl_socket_get_portid(s->mnl);
	s->seq = (uint32_t)getpid() ^ 0x5a5a0000u;
	return 0;
}

int nl_set_strict(struct nl_sock *s)
{
	int one = 1;
	return mnl_socket_setsockopt(s->mnl, NETLINK_GET_STRICT_CHK, &one, sizeof(one)) < 0 ? -errno
											    : 0;
}

void nl_close(struct nl_sock *s)
{
	if (s->mnl)
		mnl_socket_close(s->mnl);
	free(s->buf);
	s->mnl = NULL;
	s->buf = NULL;
}

struct nlmsghdr *nl_msg_start(struct nl_sock *s, void *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++s->seq;
	return nlh;
}

/* Pull the extended-ack message out of an NLMSG_ERROR or NLMSG_DONE. */
static void extack(const struct nlmsghdr *nlh, size_t off, struct nl_err *err)
{
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || off > nlh->nlmsg_len)
		return;
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = {0};
	const char *p = (const char *)nlh + off;
	if (nl_parse_buf(p, nlh->nlmsg_len - off, NULL, NLMSGERR_ATTR_MAX, tb) < 0 &&
	    !tb[NLMSGERR_ATTR_MSG])
		return;
	const struct nlattr *m = tb[NLMSGERR_ATTR_MSG];
	if (m && mnl_attr_validate(m, MNL_TYPE_NUL_STRING) == 0)
		snprintf(err->msg, sizeof(err->msg), "%s", mnl_attr_get_str(m));
}

static int on_error(const struct nlmsghdr *nlh, struct nl_err *err)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return -EBADMSG;
	if (e->error == 0)
		return 0; /* the ACK */
	int code = e->error < 0 ? e->error : -e->error;
	err->code = code;
	size_t off = mnl_nlmsg_size(sizeof(*e));
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	extack(nlh, MNL_ALIGN(off), err);
	return code;
}

static int on_done(const struct nlmsghdr *nlh, struct nl_err *err)
{
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(int)))
		return 0; /* a bare DONE */
	int code = *(const int *)mnl_nlmsg_get_payload(nlh);
	if (code < 0) {
		err->code = code;
		extack(nlh, mnl_nlmsg_size(sizeof(int)), err);
		return code;
	}
	return 0;
}

bool nl_msg_ok(const struct nlmsghdr *nlh, int left)
{
	return left >= (int)sizeof(*nlh) && nlh->nlmsg_len >= sizeof(*nlh) &&
	       nlh->nlmsg_len <= (unsigned)left;
}

int nl_run(const void *buf, size_t len, uint32_t seq, uint32_t portid, nl_cb cb, void *data,
	   struct nl_err *err)
{
	const struct nlmsghdr *nlh = buf;
	int left = (int)len;
	if (len < sizeof(*nlh))
		return -EBADMSG;
	while (nl_msg_ok(nlh, left)) {
		if (!mnl_nlmsg_portid_ok(nlh, portid) || !mnl_nlmsg_seq_ok(nlh, seq))
			return -ESRCH;
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			err->dump_intr = true;
		switch (nlh->nlmsg_type) {
		case NLMSG_NOOP: break;
		case NLMSG_OVERRUN: return -ENOSPC;
		case NLMSG_ERROR: return on_error(nlh, err);
		case NLMSG_DONE: return on_done(nlh, err);
		default:
			if (cb) {
				errno = 0;
				int r = cb(nlh, data);
				if (r == MNL_CB_STOP)
					return 0;
				if (r < MNL_CB_OK)
					return errno ? -errno : -EPROTO;
			}
		}
		nlh = mnl_nlmsg_next(nlh, &left);
	}
	if (left > 0)
		return -EBADMSG; /* a trailing message that is cut or bogus */
	return 1;
}

int nl_talk(struct nl_sock *s, struct nlmsghdr *req, nl_cb cb, void *data, struct nl_err *err)
{
	struct nl_err dummy;
	if (!err)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	/* both dump bits: NLM_F_EXCL alone shares a bit with NLM_F_MATCH */
	if ((req->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		req->nlmsg_flags |= NLM_F_ACK;
	if (!req->nlmsg_seq)
		req->nlmsg_seq = ++s->seq;
	if (mnl_socket_sendto(s->mnl, req, req->nlmsg_len) < 0)
		return err->code = -errno;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(s->mnl, s->buf, NL_RECV_BUFSZ);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return err->code = -errno;
		}
		int r = nl_run(s->buf, (size_t)n, req->nlmsg_seq, s->portid, cb, data, err);
		if (r <= 0) {
			if (r < 0 && !err->code)
				err->code = r;
			return r;
		}
	}
}

/* The common shapes checked inline (this runs for every attribute of
 * every message of a dump); the rest goes to libmnl. Same rules as
 * mnl_attr_validate: integers at least their size, strings non-empty and
 * NUL-terminated, nests empty or holding at least a header. */
static int check(const struct nlattr *a, const struct nl_policy *p)
{
	uint16_t plen = (uint16_t)(a->nla_len - MNL_ATTR_HDRLEN);
	const char *pay = (const char *)a + MNL_ATTR_HDRLEN;
	switch (p->type) {
	case MNL_TYPE_U8: return plen >= 1 && plen >= p->len ? 0 : -1;
	case MNL_TYPE_U16: return plen >= 2 && plen >= p->len ? 0 : -1;
	case MNL_TYPE_U32: return plen >= 4 && plen >= p->len ? 0 : -1;
	case MNL_TYPE_U64: return plen >= 8 && plen >= p->len ? 0 : -1;
	case MNL_TYPE_NUL_STRING: return plen && !pay[plen - 1] && plen >= p->len ? 0 : -1;
	case MNL_TYPE_NESTED: return (!plen || plen >= MNL_ATTR_HDRLEN) && plen >= p->len ? 0 : -1;
	default: break;
	}
	int r = p->type == MNL_TYPE_BINARY && p->len
			? mnl_attr_validate2(a, MNL_TYPE_BINARY, p->len)
			: mnl_attr_validate(a, (enum mnl_attr_data_type)p->type);
	return r < 0 || plen < p->len ? -1 : 0;
}

static int keep(const struct nlattr *a, const struct nl_policy *pol, unsigned max,
		const struct nlattr **tb)
{
	unsigned type = a->nla_type & NLA_TYPE_MASK;
	if (type > max)
		return 0; /* newer kernel's attribute: not ours to read */
	if (pol && (pol[type].type != MNL_TYPE_UNSPEC || pol[type].len) && check(a, &pol[type]))
		return 1;
	tb[type] = a;
	return 0;
}

int nl_parse_buf(const void *buf, size_t len, const struct nl_policy *pol, unsigned max,
		 const struct nlattr **tb)
{
	int bad = 0;
	memset(tb, 0, (max + 1) * sizeof(*tb));
	const char *p = buf;
	const char *end = p + len;
	/* libmnl's attribute walk, inline: stop at the first attribute that
	 * does not fit */
	while (end - p >= (ptrdiff_t)sizeof(struct nlattr)) {
		const struct nlattr *a = (const void *)p;
		if (a->nla_len < sizeof(struct nlattr) || a->nla_len > end - p)
			break;
		bad += keep(a, pol, max, tb);
		p += MNL_ALIGN(a->nla_len);
	}
	if (p < end && (size_t)(end - p) >= MNL_ATTR_HDRLEN)
		return -EINVAL;
	return bad;
}

int nl_parse(const struct nlmsghdr *nlh, size_t hdrlen, const struct nl_policy *pol, unsigned max,
	     const struct nlattr **tb)
{
	size_t off = MNL_ALIGN(hdrlen);
	size_t plen = mnl_nlmsg_get_payload_len(nlh);
	if (plen < off) {
		memset(tb, 0, (max + 1) * sizeof(*tb));
		return -EINVAL;
	}
	return nl_parse_buf((const char *)mnl_nlmsg_get_payload(nlh) + off, plen - off, pol, max,
			    tb);
}

int nl_parse_nested(const struct nlattr *nest, const struct nl_policy *pol, unsigned max,
		    const struct nlattr **tb)
{
	return nl_parse_buf(mnl_attr_get_payload(nest), mnl_attr_get_payload_len(nest), pol, max,
			    tb);
}
