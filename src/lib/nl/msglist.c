/* SPDX-License-Identifier: Apache-2.0 */
/* A list of copied netlink messages (see msglist.h). */
#include "lib/nl/msglist.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int nl_msg_list_add(struct nl_msg_list *l, const struct nlmsghdr *nlh)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		struct nlmsghdr **m = realloc(l->msg, cap * sizeof(*m));
		if (!m)
			return MNL_CB_ERROR;
		l->msg = m;
		l->cap = cap;
	}
	struct nlmsghdr *copy = malloc(nlh->nlmsg_len);
	if (!copy)
		return MNL_CB_ERROR;
	memcpy(copy, nlh, nlh->nlmsg_len);
	l->msg[l->n++] = copy;
	return MNL_CB_OK;
}

int nl_msg_list_walk(struct nl_msg_list *l, bool reverse, int (*fn)(struct nlmsghdr *m, void *data),
		     void *data)
{
	for (size_t i = 0; i < l->n; i++) {
		int r = fn(l->msg[reverse ? l->n - 1 - i : i], data);
		if (r)
			return r;
	}
	return 0;
}

struct send_ctx {
	struct nl_sock *s;
	uint16_t type;
	int ignore;
	struct nl_err *err;
};

static int send_one(struct nlmsghdr *m, void *data)
{
	struct send_ctx *c = data;
	m->nlmsg_type = c->type;
	m->nlmsg_flags = NLM_F_REQUEST;
	m->nlmsg_seq = ++c->s->seq;
	m->nlmsg_pid = 0;
	int r = nl_talk(c->s, m, NULL, NULL, c->err);
	return r < 0 && !(c->ignore && c->err->code == c->ignore) ? r : 0;
}

int nl_msg_list_send(struct nl_sock *s, struct nl_msg_list *l, uint16_t type, bool reverse,
		     int ignore, struct nl_err *err)
{
	struct send_ctx c = {.s = s, .type = type, .ignore = ignore, .err = err};
	return nl_msg_list_walk(l, reverse, send_one, &c);
}

void nl_msg_list_free(struct nl_msg_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->msg[i]);
	free(l->msg);
	*l = (struct nl_msg_list){0};
}
