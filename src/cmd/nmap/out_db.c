/* SPDX-License-Identifier: Apache-2.0 */
/* -oP URL / --db URL: the scan into PostgreSQL as it runs, a host at a
 * time, committed as they finish, so what a scan (or a shard) found is
 * in the database even if it dies before the end. The XML output writes
 * each piece (the <nmaprun> header, a <host>, the run statistics) into a
 * memory file; netkit db reads that piece the way `netkit db import` reads
 * a file (engine/store), so both store the same rows. A writer thread takes the
 * hosts: the scan does not wait on the database, and hosts that finish
 * while a transaction is going go in together in the next one. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/store/store.h"
#include "cmd/nmap/nmap.h"

/* The hosts on their way to the database (the writer thread's queue). */
struct db_queue {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	bool started, closing, failed;
	char *buf; /* XML of the hosts not yet taken */
	size_t len, cap;
	struct db_stream *db;
};

static void warn_failed(void)
{
	fprintf(stderr, "WARNING: -oP: the database stopped taking results; the scan goes on "
			"without it\n");
}

static void *writer(void *arg)
{
	struct db_queue *q = arg;
	pthread_mutex_lock(&q->mu);
	for (;;) {
		while (!q->len && !q->closing)
			pthread_cond_wait(&q->cv, &q->mu);
		if (!q->len && q->closing)
			break;
		char *b = q->buf;
		size_t n = q->len;
		q->buf = NULL;
		q->len = q->cap = 0;
		pthread_mutex_unlock(&q->mu);
		bool ok = q->failed || db_stream_feed(q->db, b, n) == 0;
		free(b);
		pthread_mutex_lock(&q->mu);
		if (!ok && !q->failed) {
			q->failed = true;
			warn_failed();
		}
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

static void queue_put(struct db_queue *q, const char *b, size_t n)
{
	pthread_mutex_lock(&q->mu);
	if (!q->failed && q->len + n > q->cap) {
		size_t cap = (q->len + n) * 2;
		char *nb = realloc(q->buf, cap);
		if (!nb) {
			q->failed = true;
			warn_failed();
		} else {
			q->buf = nb;
			q->cap = cap;
		}
	}
	if (!q->failed) {
		memcpy(q->buf + q->len, b, n);
		q->len += n;
		pthread_cond_signal(&q->cv);
	}
	pthread_mutex_unlock(&q->mu);
}

int nmap_out_db_open(struct nmap_output *out, const char *url)
{
	out->fd = memfd_create("netkit-oP", MFD_CLOEXEC);
	out->e = malloc(sizeof(*out->e));
	struct db_queue *q = calloc(1, sizeof(*q));
	out->db = q;
	if (out->fd < 0 || !out->e || !q) {
		perror("-oP");
		return 1;
	}
	emit_init(out->e, out->fd, EMIT_XML, EMIT_PRETTY);
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
	q->db = db_stream_open(url);
	if (!q->db) {
		fprintf(stderr, "Failed to open database output %s\n", url);
		return 1;
	}
	return 0;
}

void nmap_out_db_close(struct nmap_output *out)
{
	struct db_queue *q = out->db;
	if (q) {
		if (q->started) {
			pthread_mutex_lock(&q->mu);
			q->closing = true;
			pthread_cond_signal(&q->cv);
			pthread_mutex_unlock(&q->mu);
			pthread_join(q->thread, NULL);
		}
		db_stream_close(q->db);
		free(q->buf);
		pthread_mutex_destroy(&q->mu);
		pthread_cond_destroy(&q->cv);
		free(q);
		out->db = NULL;
	}
	if (out->fd > 2)
		close(out->fd);
	free(out->e);
}

/* What the XML output wrote since the last time: the header straight into
 * the database (a database that refuses it is known before the scan), the
 * rest to the writer thread. A database that fails is said once and let
 * go: the scan and its other outputs go on. */
static void feed(struct nmap_output *out, bool now)
{
	struct db_queue *q = out->db;
	emit_flush(out->e);
	struct stat sb;
	if (!q || !q->db || fstat(out->fd, &sb) < 0 || !sb.st_size)
		return;
	char *buf = malloc((size_t)sb.st_size);
	bool ok = buf && pread(out->fd, buf, (size_t)sb.st_size, 0) == sb.st_size;
	if (ftruncate(out->fd, 0) < 0 || lseek(out->fd, 0, SEEK_SET) < 0)
		ok = false;
	if (ok && now) {
		ok = db_stream_feed(q->db, buf, (size_t)sb.st_size) == 0;
		if (ok && !q->started)
			q->started = pthread_create(&q->thread, NULL, writer, q) == 0;
		ok = ok && q->started;
	} else if (ok) {
		queue_put(q, buf, (size_t)sb.st_size);
	}
	free(buf);
	if (!ok && !q->failed) {
		q->failed = true;
		warn_failed();
	}
}

static void db_begin(struct nmap_ctx *c, struct nmap_output *out)
{
	nmap_out_xml.begin(c, out);
	feed(out, true);
}

static void db_host(struct nmap_ctx *c, struct nmap_output *out, const struct host *h)
{
	nmap_out_xml.host(c, out, h);
	feed(out, false);
}

static void db_end(struct nmap_ctx *c, struct nmap_output *out, bool interrupted)
{
	nmap_out_xml.end(c, out, interrupted);
	feed(out, false); /* after the hosts still queued; the close waits for it */
}

const struct nmap_out_ops nmap_out_db = {
	.begin = db_begin,
	.host = db_host,
	.end = db_end,
};
