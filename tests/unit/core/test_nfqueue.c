/* SPDX-License-Identifier: Apache-2.0 */
/* NFQUEUE messages (lib/nl/nfqueue): the bytes of each request as the
 * kernel's nfnetlink_queue expects them, and the packet id parser on good,
 * foreign, short and cut messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "lib/nl/nfqueue.h"

/* nlmsghdr + nfgenmsg: the 20 bytes every message starts with */
static void check_head(const struct nlmsghdr *nlh, uint32_t len, uint16_t type, uint16_t queue)
{
	const uint8_t *b = (const uint8_t *)nlh;
	assert_int_equal(nlh->nlmsg_len, len);
	assert_int_equal(nlh->nlmsg_type, type);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST);
	assert_int_equal(nlh->nlmsg_seq, 0);
	assert_int_equal(b[16], 0); /* AF_UNSPEC */
	assert_int_equal(b[17], 0); /* NFNETLINK_V0 */
	assert_int_equal(b[18], queue >> 8);
	assert_int_equal(b[19], queue & 0xff);
}

static void test_config(void **state)
{
	(void)state;
	_Alignas(struct nlmsghdr) char buf[NFQUEUE_MSG_BUFSZ];
	const uint8_t *b = (const uint8_t *)buf;
	/* NFQA_CFG_CMD {command, pad, pf be16} */
	check_head(nfqueue_bind(buf, 0x1234), 28, 0x0302, 0x1234);
	const uint8_t bind[] = {8, 0, 1, 0, 1, 0, 0, 0};
	assert_memory_equal(b + 20, bind, sizeof(bind));
	nfqueue_unbind(buf, 7);
	assert_int_equal(b[24], 2);
	/* NFQA_CFG_PARAMS {copy_range be32, copy_mode u8}, packed: 9 bytes */
	check_head(nfqueue_copy_mode(buf, 1, 1, 0xfffe), 32, 0x0302, 1);
	const uint8_t params[] = {9, 0, 2, 0, 0, 0, 0xff, 0xfe, 1, 0, 0, 0};
	assert_memory_equal(b + 20, params, sizeof(params));
	/* NFQA_CFG_QUEUE_MAXLEN be32 */
	check_head(nfqueue_maxlen(buf, 65535, 65536), 28, 0x0302, 65535);
	const uint8_t maxlen[] = {8, 0, 3, 0, 0, 1, 0, 0};
	assert_memory_equal(b + 20, maxlen, sizeof(maxlen));
}

static void test_verdict(void **state)
{
	(void)state;
	_Alignas(struct nlmsghdr) char buf[NFQUEUE_MSG_BUFSZ];
	/* NFQA_VERDICT_HDR {verdict be32, id be32} */
	check_head(nfqueue_verdict(buf, 3, 0x01020304, 1), 32, 0x0301, 3);
	const uint8_t v[] = {12, 0, 2, 0, 0, 0, 0, 1, 1, 2, 3, 4};
	assert_memory_equal(buf + 20, v, sizeof(v));
}

/* a queued-packet message as the kernel sends it: a mark, then the
 * packet header (id be32, hw protocol be16, hook u8) with hdrlen bytes */
static struct nlmsghdr *packet(void *buf, uint16_t type, uint16_t hdrlen)
{
	memset(buf, 0, 64);
	struct nlmsghdr *nlh = buf;
	uint8_t *b = buf;
	nlh->nlmsg_type = type;
	const uint8_t gen_and_mark[] = {0, 0, 0, 5, 8, 0, 3, 0, 0, 0, 0, 9};
	const uint8_t hdr[] = {4 + hdrlen, 0, 1, 0, 0xde, 0xad, 0xbe, 0xef, 8, 0, 3};
	memcpy(b + 16, gen_and_mark, sizeof(gen_and_mark));
	memcpy(b + 28, hdr, sizeof(hdr));
	nlh->nlmsg_len = 16 + 12 + 4 + hdrlen;
	return nlh;
}

static void test_packet_id(void **state)
{
	(void)state;
	_Alignas(struct nlmsghdr) char buf[64];
	uint32_t id = 0;
	assert_int_equal(nfqueue_packet_id(packet(buf, 0x0300, 7), &id), 0);
	assert_int_equal(id, 0xdeadbeef);
	id = 1;
	/* a verdict or config message, a short header, no header, cut off */
	assert_int_equal(nfqueue_packet_id(packet(buf, 0x0301, 7), &id), -EINVAL);
	assert_int_equal(nfqueue_packet_id(packet(buf, 0x0100, 7), &id), -EINVAL);
	assert_int_equal(nfqueue_packet_id(packet(buf, 0x0300, 6), &id), -EINVAL);
	struct nlmsghdr *nlh = packet(buf, 0x0300, 7);
	nlh->nlmsg_len = 16 + 12;
	assert_int_equal(nfqueue_packet_id(nlh, &id), -EINVAL);
	nlh->nlmsg_len = 18;
	assert_int_equal(nfqueue_packet_id(nlh, &id), -EINVAL);
	assert_int_equal(id, 1);
}

static void test_packet_payload(void **state)
{
	(void)state;
	_Alignas(struct nlmsghdr) uint8_t buf[64];
	const uint8_t *data = NULL;
	size_t len = 0;
	/* no payload attribute (NFQNL_COPY_META) */
	assert_int_equal(nfqueue_packet_payload(packet(buf, 0x0300, 7), &data, &len), -ENODATA);
	/* a payload of 5 bytes after the packet header (attribute type 10) */
	struct nlmsghdr *nlh = packet(buf, 0x0300, 7);
	const uint8_t attr[] = {9, 0, 10, 0, 0x45, 0, 0, 0x54, 0xaa};
	memcpy(buf + 40, attr, sizeof(attr));
	nlh->nlmsg_len = 40 + sizeof(attr);
	assert_int_equal(nfqueue_packet_payload(nlh, &data, &len), 0);
	assert_int_equal(len, 5);
	assert_ptr_equal(data, buf + 44);
	assert_int_equal(data[0], 0x45);
	assert_int_equal(data[4], 0xaa);
	/* not a packet message; a message too short for its header */
	nlh->nlmsg_type = 0x0301;
	assert_int_equal(nfqueue_packet_payload(nlh, &data, &len), -EINVAL);
	nlh->nlmsg_type = 0x0300;
	nlh->nlmsg_len = 18;
	assert_int_equal(nfqueue_packet_payload(nlh, &data, &len), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_verdict),
		cmocka_unit_test(test_packet_id),
		cmocka_unit_test(test_packet_payload),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
