/* SPDX-License-Identifier: Apache-2.0 */
/* A dump read by a second thread (see nl_dump_pipelined in nl.h).
 *
 * The kernel builds dump messages inside recvmsg(), on the thread that
 * reads. With one thread the kernel's work and ours (parsing, printing)
 * take turns; here a reader thread keeps calling recvmsg into a ring of
 * buffers while the caller's thread runs the callbacks on the buffers
 * already filled, so the two overlap. The callbacks still run on the
 * caller's thread, one buffer after the other, in order. The first
 * buffers are read before the thread starts, so a short dump needs none. */
#include "lib/nl/nl.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define RING 8

struct slot {
	char *buf;
	ssize_t len; /* bytes, or -errno from recvmsg */
};

struct ring {
	struct nl_sock *s;
	uint32_t seq;
	pthread_mutex_t mu;
	pthread_cond_t filled, freed;
	struct slot slot[RING];
	unsigned head, tail; /* head: next to fill; tail: next to consume */
	bool reader_done;
	bool consumer_gone; /* the caller stopped early: just drain */
};

/* Does this buffer end the reply (DONE, ERROR, OVERRUN, or garbage)? */
static bool ends_reply(const char *buf, ssize_t len)
{
	if (len <= 0)
		return true;
	const struct nlmsghdr *nlh = (const void *)buf;
	int left = (int)len;
	while (nl_msg_ok(nlh, left)) {
		if (nlh->nlmsg_type == NLMSG_DONE || nlh->nlmsg_type == NLMSG_ERROR ||
		    nlh->nlmsg_type == NLMSG_OVERRUN)
			return true;
		nlh = mnl_nlmsg_next(nlh, &left);
	}
	return left > 0;
}

static void *reader(void *arg)
{
	struct ring *r = arg;
	for (;;) {
		pthread_mutex_lock(&r->mu);
		while (r->head - r->tail == RING && !r->consumer_gone)
			pthread_cond_wait(&r->freed, &r->mu);
		struct slot *sl = &r->slot[r->head % RING];
		bool gone = r->consumer_gone;
		pthread_mutex_unlock(&r->mu);
		char *buf = gone ? r->s->buf : sl->buf;
		ssize_t n;
		do {
			n = mnl_socket_recvfrom(r->s->mnl, buf, NL_RECV_BUFSZ);
		} while (n < 0 && errno == EINTR);
		if (n < 0)
			n = -errno;
		bool last = ends_reply(buf, n);
		pthread_mutex_lock(&r->mu);
		if (!r->consumer_gone && !gone) {
			sl->len = n;
			r->head++;
			pthread_cond_signal(&r->filled);
		}
		if (last) {
			r->reader_done = true;
			pthread_cond_signal(&r->filled);
		}
		pthread_mutex_unlock(&r->mu);
		if (last)
			return NULL;
	}
}

/* The first buffers are read here, before any thread exists: most
 * dumps are short (one link, a few routes or sockets) and end within
 * them, and then starting a thread would cost more than the overlap
 * gains. A long dump fills the ring and the reader thread goes on from
 * there. Returns whether the reply is complete. */
static bool first_buffers(struct ring *r)
{
	while (r->head < RING && !r->reader_done) {
		struct slot *sl = &r->slot[r->head];
		ssize_t n;
		do {
			n = mnl_socket_recvfrom(r->s->mnl, sl->buf, NL_RECV_BUFSZ);
		} while (n < 0 && errno == EINTR);
		sl->len = n < 0 ? -errno : n;
		r->head++;
		r->reader_done = ends_reply(sl->buf, sl->len);
	}
	return r->reader_done;
}

static int consume(struct ring *r, nl_cb pre, void *pre_data, nl_cb cb, void *data,
		   struct nl_err *err)
{
	for (;;) {
		pthread_mutex_lock(&r->mu);
		while (r->head == r->tail && !r->reader_done)
			pthread_cond_wait(&r->filled, &r->mu);
		if (r->head == r->tail) {
			pthread_mutex_unlock(&r->mu);
			return -EPROTO; /* reader ended without a reply end */
		}
		struct slot *sl = &r->slot[r->tail % RING];
		pthread_mutex_unlock(&r->mu);
		int ret;
		if (sl->len < 0) {
			ret = (int)sl->len;
		} else {
			if (pre) {
				struct nl_err scratch = {0};
				nl_run(sl->buf, (size_t)sl->len, r->seq, r->s->portid, pre,
				       pre_data, &scratch);
			}
			ret = nl_run(sl->buf, (size_t)sl->len, r->seq, r->s->portid, cb, data, err);
		}
		pthread_mutex_lock(&r->mu);
		r->tail++;
		pthread_cond_signal(&r->freed);
		pthread_mutex_unlock(&r->mu);
		if (ret <= 0)
			return ret;
	}
}

int nl_dump_pipelined(struct nl_sock *s, struct nlmsghdr *req, nl_cb cb, void *data,
		      struct nl_err *err)
{
	return nl_dump_lookahead(s, req, NULL, NULL, cb, data, err);
}

int nl_dump_lookahead(struct nl_sock *s, struct nlmsghdr *req, nl_cb pre, void *pre_data, nl_cb cb,
		      void *data, struct nl_err *err)
{
	struct nl_err dummy;
	if (!err)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	if ((req->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		return nl_talk(s, req, cb, data, err);
	struct ring *r = calloc(1, sizeof(*r));
	if (!r)
		return err->code = -ENOMEM;
	for (int i = 0; i < RING; i++) {
		r->slot[i].buf = malloc(NL_RECV_BUFSZ);
		if (!r->slot[i].buf) {
			for (int j = 0; j < i; j++)
				free(r->slot[j].buf);
			free(r);
			return err->code = -ENOMEM;
		}
	}
	if (!req->nlmsg_seq)
		req->nlmsg_seq = ++s->seq;
	r->s = s;
	r->seq = req->nlmsg_seq;
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->filled, NULL);
	pthread_cond_init(&r->freed, NULL);
	int ret;
	pthread_t th;
	if (mnl_socket_sendto(s->mnl, req, req->nlmsg_len) < 0) {
		ret = -errno;
	} else if (first_buffers(r)) {
		ret = consume(r, pre, pre_data, cb, data, err);
	} else if ((ret = -pthread_create(&th, NULL, reader, r)) == 0) {
		ret = consume(r, pre, pre_data, cb, data, err);
		pthread_mutex_lock(&r->mu);
		r->consumer_gone = true; /* stopped early: let the reader drain */
		pthread_cond_signal(&r->freed);
		pthread_mutex_unlock(&r->mu);
		pthread_join(th, NULL);
	}
	if (ret < 0 && !err->code)
		err->code = ret;
	pthread_cond_destroy(&r->filled);
	pthread_cond_destroy(&r->freed);
	pthread_mutex_destroy(&r->mu);
	for (int i = 0; i < RING; i++)
		free(r->slot[i].buf);
	free(r);
	return ret;
}
