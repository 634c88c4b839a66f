/* SPDX-License-Identifier: Apache-2.0 */
/* The AMQP, ZooKeeper, TDS and MongoDB parsers (lib/svc/mq.c, dbwire.c):
 * replies captured in the lab (RabbitMQ 3.10.8, ZooKeeper 3.8.0 from
 * Debian 12) or built from the protocols' documents, then cut short and
 * made hostile: every prefix and every corrupted byte must give a
 * verdict, never a read outside the buffer (the ASan build checks). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/svc/svc.h"

/* RabbitMQ 3.10.8's Connection.Start (504 bytes), captured in the lab */
static const char rabbit[] =
	"\001\000\000\000\000\001\360\000\012\000\012\000\011\000\000\001\313\014capabili"
	"tiesF\000\000\000\307\022publisher_confirmst\001\032exchange_exchange_bindingst"
	"\001\012basic.nackt\001\026consumer_cancel_notifyt\001\022connection.blockedt"
	"\001\023consumer_prioritiest\001\034authentication_failure_closet\001\020per_con"
	"sumer_qost\001\017direct_reply_tot\001\014cluster_nameS\000\000\000\011rabbit@vm"
	"\011copyrightS\000\000\0007Copyright (c) 2007-2022 VMware, Inc. or its affiliate"
	"s.\013informationS\000\000\0009Licensed under the MPL 2.0. Website: https://rabb"
	"itmq.com\010platformS\000\000\000\021Erlang/OTP 25.2.3\007productS\000\000\000"
	"\010RabbitMQ\007versionS\000\000\000\0063.10.8\000\000\000\016PLAIN AMQPLAIN\000"
	"\000\000\005en_US\316";

/* Every single corrupted byte of b gives some verdict without a crash
 * or a read outside it (ASan). */
static void corrupt(const uint8_t *b, size_t n, svc_parse_fn parse, svc_complete_fn complete)
{
	struct svc_match m;
	uint8_t *c = malloc(n);
	assert_non_null(c);
	for (size_t k = 0; k < n; k++)
		for (unsigned v = 0; v < 256; v += 85) {
			memcpy(c, b, n);
			c[k] = (uint8_t)(c[k] ^ (v | 1));
			(void)complete(c, n, false);
			(void)parse(c, n, false, &m);
		}
	free(c);
}

/* Every prefix of b parses to NONE (each in a buffer of exactly its
 * size: ASan sees a read past it), and corrupt(). */
static void hostile(const uint8_t *b, size_t n, svc_parse_fn parse, svc_complete_fn complete)
{
	struct svc_match m;
	for (size_t k = 0; k < n; k++) {
		uint8_t *p = malloc(k ? k : 1);
		assert_non_null(p);
		memcpy(p, b, k);
		(void)complete(p, k, false);
		assert_int_equal(parse(p, k, false, &m), SVC_NONE);
		free(p);
	}
	corrupt(b, n, parse, complete);
}

static void test_amqp(void **state)
{
	(void)state;
	struct svc_match m;
	uint8_t req[16];
	assert_int_equal(svc_amqp_build(req, sizeof(req)), 8);
	assert_memory_equal(req, "AMQP\0\0\11\1", 8);
	assert_int_equal(svc_amqp_build(req, 7), 0);
	const uint8_t *b = (const uint8_t *)rabbit;
	size_t n = sizeof(rabbit) - 1;
	assert_int_equal(n, 504);
	assert_int_equal(svc_amqp_complete(b, 7, false), 0);
	assert_int_equal(svc_amqp_complete(b, n - 1, false), 0);
	assert_int_equal(svc_amqp_complete(b, n, false), 1);
	assert_int_equal(svc_amqp_complete((const uint8_t *)"SSH-2.0", 7, false), -1);
	assert_int_equal(svc_amqp_parse(b, n, false, &m), SVC_HARD);
	assert_string_equal(m.service, "amqp");
	assert_string_equal(m.product, "RabbitMQ");
	assert_string_equal(m.version, "3.10.8");
	assert_string_equal(m.info, "0-9");
	assert_int_equal(svc_amqp_parse(b, n, true, &m), SVC_NONE);
	hostile(b, n, svc_amqp_parse, svc_amqp_complete);
	/* a server of another version answers its protocol header */
	const uint8_t hdr[] = {'A', 'M', 'Q', 'P', 1, 1, 0, 10};
	assert_int_equal(svc_amqp_complete(hdr, 4, false), 0);
	assert_int_equal(svc_amqp_complete(hdr, 8, false), 1);
	assert_int_equal(svc_amqp_parse(hdr, 8, false, &m), SVC_SOFT);
	assert_string_equal(m.service, "amqp");
	assert_int_equal(svc_amqp_complete((const uint8_t *)"AMQX", 4, false), -1);
	/* a Connection.Start without server-properties' product */
	uint8_t bare[] = {1, 0, 0, 0, 0, 0, 18, 0, 10, 0, 10, 0, 9,
			  0, 0, 0, 0, 0, 0, 0,	0, 0,  0, 0,  0, 0xce};
	assert_int_equal(svc_amqp_parse(bare, sizeof(bare), false, &m), SVC_SOFT);
	bare[sizeof(bare) - 1] = 0; /* no frame end */
	assert_int_equal(svc_amqp_parse(bare, sizeof(bare), false, &m), SVC_NONE);
	/* a table longer than its frame */
	uint8_t big[sizeof(bare)];
	memcpy(big, bare, sizeof(bare));
	big[sizeof(big) - 1] = 0xce;
	big[15] = 0x7f;
	assert_int_equal(svc_amqp_parse(big, sizeof(big), false, &m), SVC_NONE);
	/* a frame of 4 GB announced: refused, not waited for */
	const uint8_t huge[] = {1, 0, 0, 0xff, 0xff, 0xff, 0xff};
	assert_int_equal(svc_amqp_complete(huge, sizeof(huge), false), -1);
}

/* ZooKeeper 3.8.0 (Debian 12)'s answer to srvr, captured in the lab */
static const char zk_srvr[] =
	"Zookeeper version: 3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC\n"
	"Latency min/avg/max: 0/0.0/0\nReceived: 2\nSent: 1\nConnections: 1\nOutstanding: 0\n"
	"Zxid: 0x0\nMode: standalone\nNode count: 5\n";

static void test_zookeeper(void **state)
{
	(void)state;
	struct svc_match m;
	uint8_t req[8];
	assert_int_equal(svc_zk_build(req, sizeof(req)), 4);
	assert_memory_equal(req, "srvr", 4);
	assert_int_equal(svc_zk_build(req, 3), 0);
	const uint8_t *b = (const uint8_t *)zk_srvr;
	size_t n = sizeof(zk_srvr) - 1;
	assert_int_equal(svc_zk_complete(b, 5, false), 0);
	assert_int_equal(svc_zk_complete(b, n - 1, false), 0);
	assert_int_equal(svc_zk_complete(b, n, false), 1);
	assert_int_equal(svc_zk_complete((const uint8_t *)"HTTP/1.1", 8, false), -1);
	assert_int_equal(svc_zk_parse(b, n, false, &m), SVC_HARD);
	assert_string_equal(m.service, "zookeeper");
	assert_string_equal(m.product, "Zookeeper");
	assert_string_equal(m.version, "3.8.0");
	assert_string_equal(m.info, "Built on 2024-12-29");
	assert_string_equal(m.cpe[0], "cpe:/a:zookeeper:zookeeper:3.8.0");
	assert_int_equal(svc_zk_parse(b, n, true, &m), SVC_NONE);
	corrupt(b, n, svc_zk_parse, svc_zk_complete);
	for (size_t k = 0; k < n; k++) { /* each prefix alone in its buffer */
		uint8_t *p = malloc(k ? k : 1);
		assert_non_null(p);
		memcpy(p, b, k);
		(void)svc_zk_complete(p, k, false);
		(void)svc_zk_parse(p, k, false, &m);
		free(p);
	}
	/* the version line alone, then cut inside it */
	assert_int_equal(svc_zk_parse(b, 77, false, &m), SVC_HARD);
	assert_int_equal(svc_zk_parse(b, 30, false, &m), SVC_NONE);
	/* a release build names its commit: kept, as nmap 7.93 prints it */
	const char *rel = "Zookeeper version: 3.4.13-2d71af4dbe22557fda74f9a9b4309b15a7487f03, "
			  "built on 06/29/2018 04:05 GMT\nMode: leader\n";
	assert_int_equal(svc_zk_parse((const uint8_t *)rel, strlen(rel), false, &m), SVC_HARD);
	assert_string_equal(m.version, "3.4.13-2d71af4dbe22557fda74f9a9b4309b15a7487f03");
	assert_string_equal(m.info, "Built on 06/29/2018");
	const char *nodate = "Zookeeper version: 3.9.1\n";
	assert_int_equal(svc_zk_parse((const uint8_t *)nodate, strlen(nodate), false, &m),
			 SVC_HARD);
	assert_string_equal(m.version, "3.9.1");
	assert_string_equal(m.info, "");
	const char *no = "srvr is not executed because it is not in the whitelist.\n";
	assert_int_equal(svc_zk_complete((const uint8_t *)no, 20, false), 0);
	assert_int_equal(svc_zk_parse((const uint8_t *)no, strlen(no), false, &m), SVC_SOFT);
	assert_string_equal(m.service, "zookeeper");
	assert_string_equal(m.product, "");
	const char *bad = "Zookeeper version: x.y, built\n";
	assert_int_equal(svc_zk_parse((const uint8_t *)bad, strlen(bad), false, &m), SVC_NONE);
	const char *inside = "HTTP/1.1 200 OK\r\n\r\nZookeeper version: 3.8.0-x\n";
	assert_int_equal(svc_zk_parse((const uint8_t *)inside, strlen(inside), false, &m),
			 SVC_NONE);
	/* a version line that never ends: no number taken past the buffer */
	const char *longv = "Zookeeper version: 3.8.0";
	assert_int_equal(svc_zk_parse((const uint8_t *)longv, strlen(longv), false, &m), SVC_NONE);
}

/* A PRELOGIN answer as MS-TDS 2.2.6.5 lays it out: VERSION 15.0.2000.5
 * (SQL Server 2019 RTM), ENCRYPTION NOT_SUP, INSTOPT, THREADID (empty),
 * MARS */
static const uint8_t tds_reply[] = {
	0x04, 0x01, 0x00, 0x2b, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x1a, 0x00, 0x06, 0x01, 0x00,
	0x20, 0x00, 0x01, 0x02, 0x00, 0x21, 0x00, 0x01, 0x03, 0x00, 0x22, 0x00, 0x00, 0x04, 0x00,
	0x22, 0x00, 0x01, 0xff, 0x0f, 0x00, 0x07, 0xd0, 0x00, 0x05, 0x02, 0x00, 0x00};

static void test_tds(void **state)
{
	(void)state;
	struct svc_match m;
	uint8_t req[64];
	assert_int_equal(svc_tds_build(req, sizeof(req)), 47);
	assert_int_equal(req[0], 0x12);
	assert_int_equal(req[3], 47);
	assert_int_equal(req[33], 0xff); /* the token list's end */
	assert_int_equal(svc_tds_build(req, 46), 0);
	size_t n = sizeof(tds_reply);
	assert_int_equal(svc_tds_complete(tds_reply, 3, false), 0);
	assert_int_equal(svc_tds_complete(tds_reply, n - 1, false), 0);
	assert_int_equal(svc_tds_complete(tds_reply, n, false), 1);
	assert_int_equal(svc_tds_complete(req, 47, false), -1); /* a PRELOGIN is no answer */
	assert_int_equal(svc_tds_parse(tds_reply, n, false, &m), SVC_HARD);
	assert_string_equal(m.service, "ms-sql-s");
	assert_string_equal(m.product, "Microsoft SQL Server 2019");
	assert_string_equal(m.version, "15.00.2000");
	assert_string_equal(m.cpe[0], "cpe:/a:microsoft:sql_server:2019");
	assert_int_equal(svc_tds_parse(tds_reply, n, true, &m), SVC_NONE);
	hostile(tds_reply, n, svc_tds_parse, svc_tds_complete);
	uint8_t c[sizeof(tds_reply)];
	memcpy(c, tds_reply, n);
	c[34] = 10, c[35] = 50; /* 10.50: 2008 R2 */
	assert_int_equal(svc_tds_parse(c, n, false, &m), SVC_HARD);
	assert_string_equal(m.product, "Microsoft SQL Server 2008 R2");
	assert_string_equal(m.cpe[0], "cpe:/a:microsoft:sql_server:2008_r2");
	c[34] = 42; /* a release nobody named: the version alone */
	assert_int_equal(svc_tds_parse(c, n, false, &m), SVC_HARD);
	assert_string_equal(m.product, "Microsoft SQL Server");
	assert_int_equal(m.ncpe, 0);
	memcpy(c, tds_reply, n);
	c[12] = 5; /* VERSION shorter than its 6 bytes */
	assert_int_equal(svc_tds_parse(c, n, false, &m), SVC_NONE);
	memcpy(c, tds_reply, n);
	c[10] = 0x40; /* VERSION's offset past the packet */
	assert_int_equal(svc_tds_parse(c, n, false, &m), SVC_NONE);
	memcpy(c, tds_reply, n);
	c[33] = 0x05; /* no terminator before the data */
	assert_int_equal(svc_tds_parse(c, n, false, &m), SVC_NONE);
	memcpy(c, tds_reply, n);
	c[3] = 4; /* a length below the header's */
	assert_int_equal(svc_tds_complete(c, n, false), -1);
}

/* OP_MSG answers to buildInfo, as the MongoDB manual lays them out:
 * {versionArray: [7, 0, 14, 0], sys: {a: "b"}, debug: false, version:
 * "7.0.14", bits: 64, ok: 1.0}; and an OP_REPLY with {ok: 0.0, errmsg:
 * "x", code: 13} (an old server that wants authentication) */
static const uint8_t mongo_msg[] = {
	0x8e, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x6b, 0x6e, 0x00, 0x00, 0xdd, 0x07, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x79, 0x00, 0x00, 0x00, 0x04, 0x76, 0x65, 0x72, 0x73,
	0x69, 0x6f, 0x6e, 0x41, 0x72, 0x72, 0x61, 0x79, 0x00, 0x21, 0x00, 0x00, 0x00, 0x10, 0x30,
	0x00, 0x07, 0x00, 0x00, 0x00, 0x10, 0x31, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x32, 0x00,
	0x0e, 0x00, 0x00, 0x00, 0x10, 0x33, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x73, 0x79,
	0x73, 0x00, 0x0e, 0x00, 0x00, 0x00, 0x02, 0x61, 0x00, 0x02, 0x00, 0x00, 0x00, 0x62, 0x00,
	0x00, 0x08, 0x64, 0x65, 0x62, 0x75, 0x67, 0x00, 0x00, 0x02, 0x76, 0x65, 0x72, 0x73, 0x69,
	0x6f, 0x6e, 0x00, 0x07, 0x00, 0x00, 0x00, 0x37, 0x2e, 0x30, 0x2e, 0x31, 0x34, 0x00, 0x10,
	0x62, 0x69, 0x74, 0x73, 0x00, 0x40, 0x00, 0x00, 0x00, 0x01, 0x6f, 0x6b, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0xf0, 0x3f, 0x00};
static const uint8_t mongo_reply[] = {
	0x4d, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x29, 0x00, 0x00,
	0x00, 0x01, 0x6f, 0x6b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x02, 0x65, 0x72, 0x72, 0x6d, 0x73, 0x67, 0x00, 0x02, 0x00, 0x00, 0x00, 0x78,
	0x00, 0x10, 0x63, 0x6f, 0x64, 0x65, 0x00, 0x0d, 0x00, 0x00, 0x00, 0x00};

static void test_mongodb(void **state)
{
	(void)state;
	struct svc_match m;
	uint8_t req[64];
	assert_int_equal(svc_mongo_build(req, sizeof(req)), 56);
	assert_int_equal(req[0], 56);
	assert_int_equal(req[12] | req[13] << 8, 2013);
	assert_memory_equal(req + 26, "buildInfo", 10);
	assert_int_equal(svc_mongo_build(req, 55), 0);
	size_t n = sizeof(mongo_msg);
	assert_int_equal(svc_mongo_complete(mongo_msg, 3, false), 0);
	assert_int_equal(svc_mongo_complete(mongo_msg, n - 1, false), 0);
	assert_int_equal(svc_mongo_complete(mongo_msg, n, false), 1);
	assert_int_equal(svc_mongo_parse(mongo_msg, n, false, &m), SVC_HARD);
	assert_string_equal(m.service, "mongodb");
	assert_string_equal(m.product, "MongoDB");
	assert_string_equal(m.version, "7.0.14");
	assert_string_equal(m.cpe[0], "cpe:/a:mongodb:mongodb:7.0.14");
	assert_int_equal(svc_mongo_parse(mongo_msg, n, true, &m), SVC_NONE);
	hostile(mongo_msg, n, svc_mongo_parse, svc_mongo_complete);
	assert_int_equal(svc_mongo_parse(mongo_reply, sizeof(mongo_reply), false, &m), SVC_SOFT);
	assert_string_equal(m.service, "mongodb");
	assert_string_equal(m.product, "");
	hostile(mongo_reply, sizeof(mongo_reply), svc_mongo_parse, svc_mongo_complete);
	uint8_t c[sizeof(mongo_msg)];
	memcpy(c, mongo_msg, n);
	c[12] = 0xd4; /* OP_QUERY (2004): a request, not an answer */
	assert_int_equal(svc_mongo_complete(c, n, false), -1);
	memcpy(c, mongo_msg, n);
	c[39] = 0x7f; /* an array longer than its document */
	assert_int_equal(svc_mongo_parse(c, n, false, &m), SVC_NONE);
	memcpy(c, mongo_msg, n);
	c[107] = 0x40; /* a string longer than its document */
	assert_int_equal(svc_mongo_parse(c, n, false, &m), SVC_NONE);
	memcpy(c, mongo_msg, n);
	c[n - 1] = 1; /* no document end */
	assert_int_equal(svc_mongo_parse(c, n, false, &m), SVC_NONE);
	memcpy(c, mongo_msg, n);
	c[99] = 0x42; /* an element type nobody defined */
	assert_int_equal(svc_mongo_parse(c, n, false, &m), SVC_NONE);
	const uint8_t huge[] = {0xff, 0xff, 0xff, 0x7f};
	assert_int_equal(svc_mongo_complete(huge, sizeof(huge), false), -1);
}

/* --proxies' handshakes (lib/svc/proxy.c) */
static void test_proxy(void **state)
{
	(void)state;
	uint8_t buf[128];
	size_t used;
	const uint8_t ip[4] = {198, 18, 9, 10};
	assert_int_equal(svc_socks4_build(ip, 22, buf, sizeof(buf)), 9);
	assert_memory_equal(buf, "\4\1\0\26\306\22\11\12\0", 9);
	assert_int_equal(svc_socks4_build(ip, 22, buf, 8), 0);
	const uint8_t ok[] = {0, 90, 0, 22, 198, 18, 9, 10, 'S', 'S', 'H'};
	assert_int_equal(svc_socks4_reply(ok, 7, &used), 0);
	assert_int_equal(svc_socks4_reply(ok, sizeof(ok), &used), 1);
	assert_int_equal(used, 8);
	const uint8_t no[] = {0, 91, 0, 0, 0, 0, 0, 0};
	assert_int_equal(svc_socks4_reply(no, sizeof(no), &used), -1);
	assert_int_equal(svc_socks4_reply((const uint8_t *)"\5\0", 2, &used), -1); /* SOCKS 5 */
	assert_int_equal(svc_socks4_reply(ok, 0, &used), 0);
	size_t n = svc_httpconnect_build("198.18.9.10:22", buf, sizeof(buf));
	assert_int_equal(n,
			 strlen("CONNECT 198.18.9.10:22 HTTP/1.1\r\nHost: 198.18.9.10:22\r\n\r\n"));
	assert_memory_equal(buf, "CONNECT 198.18.9.10:22 HTTP/1.1\r\n", 33);
	assert_int_equal(svc_httpconnect_build("198.18.9.10:22", buf, 20), 0);
	const char *est = "HTTP/1.1 200 OK\r\nProxy-agent: x\r\n\r\nSSH-2.0-";
	const uint8_t *e = (const uint8_t *)est;
	assert_int_equal(svc_httpconnect_reply(e, 20, &used), 0);
	assert_int_equal(svc_httpconnect_reply(e, strlen(est), &used), 1);
	assert_int_equal(used, strlen(est) - 8);
	const char *one = "HTTP/1.0 200 OK\r\n\r\n";
	assert_int_equal(svc_httpconnect_reply((const uint8_t *)one, strlen(one), &used), 1);
	/* refused as nmap 7.93 refuses them (tinyproxy's own among them) */
	const char *const no200[] = {"HTTP/1.0 200 Connection established\r\n\r\n",
				     "HTTP/1.1 200\r\n\r\n", "HTTP/1.1 204 No Content\r\n\r\n",
				     "HTTP/1.1 200 OKAY\r\n\r\n"};
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(
			svc_httpconnect_reply((const uint8_t *)no200[i], strlen(no200[i]), &used),
			-1);
	const char *deny = "HTTP/1.1 403 Forbidden\r\n\r\n";
	assert_int_equal(svc_httpconnect_reply((const uint8_t *)deny, strlen(deny), &used), -1);
	assert_int_equal(svc_httpconnect_reply((const uint8_t *)"SSH-2.0", 7, &used), -1);
	const char *odd = "HTTP/1.1 2\r\n\r\n"; /* a status line cut short */
	assert_int_equal(svc_httpconnect_reply((const uint8_t *)odd, strlen(odd), &used), -1);
	/* a header that never ends: refused past 8 KB, not waited for */
	uint8_t big[9000];
	memset(big, 'a', sizeof(big));
	memcpy(big, "HTTP/1.1 200 OK\r\n", 17);
	assert_int_equal(svc_httpconnect_reply(big, 4000, &used), 0);
	assert_int_equal(svc_httpconnect_reply(big, sizeof(big), &used), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_amqp),  cmocka_unit_test(test_zookeeper),
		cmocka_unit_test(test_tds),   cmocka_unit_test(test_mongodb),
		cmocka_unit_test(test_proxy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
