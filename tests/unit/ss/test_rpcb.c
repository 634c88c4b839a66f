/* SPDX-License-Identifier: Apache-2.0 */
/* ss -r's rpcbind client: the RPCBPROC_DUMP call bytes, the reply parser
 * (good, truncated at every length, refused), universal addresses, and a
 * whole exchange with a thread playing rpcbind on a UNIX socket. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "cmd/ss/ss.h"

static void test_call_bytes(void **state)
{
	(void)state;
	uint8_t buf[64];
	assert_int_equal(ss_rpcb_dump_call(buf, 43, 1), 0);
	assert_int_equal(ss_rpcb_dump_call(buf, sizeof(buf), 0x01020304), 44);
	static const uint8_t want[44] = {
		0x80, 0, 0,    40,   /* last fragment, 40 bytes */
		1,    2, 3,    4,    /* xid */
		0,    0, 0,    0,    /* CALL */
		0,    0, 0,    2,    /* RPC version 2 */
		0,    1, 0x86, 0xa0, /* program 100000 */
		0,    0, 0,    4,    /* version 4 */
		0,    0, 0,    4,    /* RPCBPROC_DUMP */
	};
	assert_memory_equal(buf, want, sizeof(want));
}

/* XDR writer for the replies of the tests */
struct w {
	uint8_t b[1024];
	size_t n;
};

static void w32(struct w *w, uint32_t v)
{
	w->b[w->n++] = (uint8_t)(v >> 24);
	w->b[w->n++] = (uint8_t)(v >> 16);
	w->b[w->n++] = (uint8_t)(v >> 8);
	w->b[w->n++] = (uint8_t)v;
}

static void wstr(struct w *w, const char *s)
{
	size_t n = strlen(s);
	w32(w, (uint32_t)n);
	memcpy(w->b + w->n, s, n);
	w->n += n;
	while (w->n % 4)
		w->b[w->n++] = 0;
}

static void reply_head(struct w *w, uint32_t xid)
{
	w32(w, xid);
	w32(w, 1); /* REPLY */
	w32(w, 0); /* MSG_ACCEPTED */
	w32(w, 0); /* AUTH_NONE verifier */
	w32(w, 0);
	w32(w, 0); /* SUCCESS */
}

static void entry(struct w *w, uint32_t prog, uint32_t vers, const char *netid, const char *addr)
{
	w32(w, 1);
	w32(w, prog);
	w32(w, vers);
	wstr(w, netid);
	wstr(w, addr);
	wstr(w, "superuser");
}

static void sample(struct w *w, uint32_t xid)
{
	reply_head(w, xid);
	entry(w, 100000, 4, "tcp6", "::.0.111");
	entry(w, 100003, 3, "tcp", "0.0.0.0.8.1");
	entry(w, 100227, 3, "tcp", "0.0.0.0.8.1");
	entry(w, 100005, 1, "udp", "0.0.0.0.2.2");
	entry(w, 100024, 1, "local", "/run/rpcbind.sock");
	entry(w, 100021, 4, "tcp", "127.0.0.1.0.22");
	w32(w, 0);
}

struct seen {
	int n;
	char line[8][96];
};

static void collect(void *arg, uint32_t prog, uint32_t vers, const char *netid, const char *addr)
{
	struct seen *s = arg;
	if (s->n < 8)
		snprintf(s->line[s->n], sizeof(s->line[0]), "%u %u %s %s", prog, vers, netid, addr);
	s->n++;
}

static void test_parse_reply(void **state)
{
	(void)state;
	struct w w = {.n = 0};
	sample(&w, 77);
	struct seen s = {0};
	assert_int_equal(ss_rpcb_parse_reply(w.b, w.n, 77, collect, &s), 0);
	assert_int_equal(s.n, 6);
	assert_string_equal(s.line[0], "100000 4 tcp6 ::.0.111");
	assert_string_equal(s.line[2], "100227 3 tcp 0.0.0.0.8.1");
	assert_string_equal(s.line[4], "100024 1 local /run/rpcbind.sock");
	/* another call's reply is not ours */
	assert_int_equal(ss_rpcb_parse_reply(w.b, w.n, 78, collect, &s), -EBADMSG);
}

static void test_parse_truncated(void **state)
{
	(void)state;
	struct w w = {.n = 0};
	sample(&w, 5);
	for (size_t len = 0; len < w.n; len++) {
		struct seen s = {0};
		uint8_t *copy = malloc(len ? len : 1);
		memcpy(copy, w.b, len);
		assert_int_equal(ss_rpcb_parse_reply(copy, len, 5, collect, &s), -EBADMSG);
		free(copy);
	}
}

static void test_parse_refused(void **state)
{
	(void)state;
	struct w w = {.n = 0};
	w32(&w, 9);
	w32(&w, 1);
	w32(&w, 1); /* MSG_DENIED */
	w32(&w, 0);
	struct seen s = {0};
	assert_int_equal(ss_rpcb_parse_reply(w.b, w.n, 9, collect, &s), -EACCES);
	w.n = 0;
	reply_head(&w, 9);
	w.b[w.n - 1] = 3; /* GARBAGE_ARGS */
	assert_int_equal(ss_rpcb_parse_reply(w.b, w.n, 9, collect, &s), -EPROTO);
	/* a netid longer than any real one is cut, the rest still read */
	w.n = 0;
	reply_head(&w, 9);
	entry(&w, 1, 1, "an-unreasonably-long-network-identifier-of-rpcbind", "::.0.1");
	entry(&w, 2, 1, "udp", "::.0.2");
	w32(&w, 0);
	assert_int_equal(ss_rpcb_parse_reply(w.b, w.n, 9, collect, &s), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.line[0], "1 1 an-unreasonably-long-network-id ::.0.1");
	assert_string_equal(s.line[1], "2 1 udp ::.0.2");
}

static void test_port(void **state)
{
	(void)state;
	assert_int_equal(ss_rpcb_port("::.0.111"), 111);
	assert_int_equal(ss_rpcb_port("0.0.0.0.31.144"), 8080);
	assert_int_equal(ss_rpcb_port("0.0.0.0. 8. 1"), 2049); /* %d skips blanks */
	assert_int_equal(ss_rpcb_port("127.0.0.1.0.22"), -1);
	assert_int_equal(ss_rpcb_port("::1.0.111"), -1);
	assert_int_equal(ss_rpcb_port("::.4"), -1);
	assert_int_equal(ss_rpcb_port("::.x.1"), -1);
	assert_int_equal(ss_rpcb_port(""), -1);
	assert_int_equal(ss_rpcb_port("/run/rpcbind.sock"), -1);
}

struct server {
	int lfd;
	size_t frag; /* reply fragment size */
};

/* Plays rpcbind for one call: reads it, answers the sample table. */
static void *serve(void *arg)
{
	struct server *sv = arg;
	int c = accept(sv->lfd, NULL, NULL);
	if (c < 0)
		return NULL;
	uint8_t call[44];
	size_t got = 0;
	while (got < sizeof(call)) {
		ssize_t r = read(c, call + got, sizeof(call) - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	uint32_t xid = (uint32_t)call[4] << 24 | (uint32_t)call[5] << 16 | (uint32_t)call[6] << 8 |
		       call[7];
	struct w body = {.n = 0};
	sample(&body, xid);
	for (size_t off = 0; off < body.n; off += sv->frag) {
		size_t n = body.n - off < sv->frag ? body.n - off : sv->frag;
		struct w mark = {.n = 0};
		w32(&mark, (off + n == body.n ? 0x80000000u : 0) | (uint32_t)n);
		assert_int_equal(write(c, mark.b, 4), 4);
		assert_int_equal(write(c, body.b + off, n), (ssize_t)n);
	}
	close(c);
	return NULL;
}

static void exchange(size_t frag)
{
	char dir[] = "/tmp/nk-rpcb-XXXXXX", path[64];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/rpcbind.sock", dir);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	strcpy(sa.sun_path, path);
	struct server sv = {socket(AF_UNIX, SOCK_STREAM, 0), frag};
	assert_int_equal(bind(sv.lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(sv.lfd, 1), 0);
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, serve, &sv), 0);
	struct ss_rpcmap *m = ss_rpcb_load(path);
	pthread_join(th, NULL);
	assert_non_null(m);
	/* the last mapping of a port wins, tcp6 names a tcp port */
	assert_string_equal(ss_rpc_name(m, 2049, "tcp"), "rpc.nfs_acl");
	assert_string_equal(ss_rpc_name(m, 111, "tcp"), "rpc.portmapper");
	assert_string_equal(ss_rpc_name(m, 514, "udp"), "rpc.mountd");
	assert_null(ss_rpc_name(m, 514, "tcp"));
	assert_null(ss_rpc_name(m, 111, "udp"));
	assert_null(ss_rpc_name(m, 22, "tcp")); /* a specific address names nothing */
	assert_null(ss_rpc_name(m, 2049, NULL));
	ss_rpcmap_free(m);
	close(sv.lfd);
	unlink(path);
	rmdir(dir);
}

static void test_exchange(void **state)
{
	(void)state;
	exchange(4096);
	exchange(5); /* many fragments */
}

static void test_no_rpcbind(void **state)
{
	(void)state;
	struct ss_rpcmap *m = ss_rpcb_load("/nonexistent/rpcbind.sock");
	assert_non_null(m);
	assert_null(ss_rpc_name(m, 111, "tcp"));
	ss_rpcmap_free(m);
	assert_null(ss_rpc_name(NULL, 111, "tcp"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_call_bytes),
		cmocka_unit_test(test_parse_reply),
		cmocka_unit_test(test_parse_truncated),
		cmocka_unit_test(test_parse_refused),
		cmocka_unit_test(test_port),
		cmocka_unit_test(test_exchange),
		cmocka_unit_test(test_no_rpcbind),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
