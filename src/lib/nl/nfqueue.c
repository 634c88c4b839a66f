/* SPDX-License-Identifier: Apache-2.0 */
/* NFQUEUE requests and the packet id of a queued packet (see nfqueue.h). */
#include "lib/nl/nfqueue.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>

#include "lib/nl/nl.h"

static struct nlmsghdr *start(void *buf, uint8_t type, uint16_t queue)
{
	memset(buf, 0, NFQUEUE_MSG_BUFSZ);
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (uint16_t)(NFNL_SUBSYS_QUEUE << 8 | type);
	nlh->nlmsg_flags = NLM_F_REQUEST;
	struct nfgenmsg *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = AF_UNSPEC;
	g->version = NFNETLINK_V0;
	g->res_id = htons(queue);
	return nlh;
}

static struct nlmsghdr *command(void *buf, uint16_t queue, uint8_t cmd)
{
	struct nlmsghdr *nlh = start(buf, NFQNL_MSG_CONFIG, queue);
	struct nfqnl_msg_config_cmd c = {.command = cmd, .pf = htons(AF_UNSPEC)};
	mnl_attr_put(nlh, NFQA_CFG_CMD, sizeof(c), &c);
	return nlh;
}

struct nlmsghdr *nfqueue_bind(void *buf, uint16_t queue)
{
	return command(buf, queue, NFQNL_CFG_CMD_BIND);
}

struct nlmsghdr *nfqueue_unbind(void *buf, uint16_t queue)
{
	return command(buf, queue, NFQNL_CFG_CMD_UNBIND);
}

struct nlmsghdr *nfqueue_copy_mode(void *buf, uint16_t queue, uint8_t mode, uint32_t range)
{
	struct nlmsghdr *nlh = start(buf, NFQNL_MSG_CONFIG, queue);
	struct nfqnl_msg_config_params p = {.copy_range = htonl(range), .copy_mode = mode};
	mnl_attr_put(nlh, NFQA_CFG_PARAMS, sizeof(p), &p);
	return nlh;
}

struct nlmsghdr *nfqueue_maxlen(void *buf, uint16_t queue, uint32_t len)
{
	struct nlmsghdr *nlh = start(buf, NFQNL_MSG_CONFIG, queue);
	mnl_attr_put_u32(nlh, NFQA_CFG_QUEUE_MAXLEN, htonl(len));
	return nlh;
}

struct nlmsghdr *nfqueue_verdict(void *buf, uint16_t queue, uint32_t id, uint32_t verdict)
{
	struct nlmsghdr *nlh = start(buf, NFQNL_MSG_VERDICT, queue);
	struct nfqnl_msg_verdict_hdr v = {.verdict = htonl(verdict), .id = htonl(id)};
	mnl_attr_put(nlh, NFQA_VERDICT_HDR, sizeof(v), &v);
	return nlh;
}

/* The attributes of an NFQNL_MSG_PACKET message, or -EINVAL if it is
 * none. The header must hold a whole nfqnl_msg_packet_hdr to count. */
static int packet_attrs(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	static const struct nl_policy pol[NFQA_MAX + 1] = {
		[NFQA_PACKET_HDR] = {MNL_TYPE_BINARY, sizeof(struct nfqnl_msg_packet_hdr)},
		[NFQA_PAYLOAD] = {MNL_TYPE_UNSPEC, 0},
	};
	if (nlh->nlmsg_type != (NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_PACKET) ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(struct nfgenmsg)))
		return -EINVAL;
	nl_parse(nlh, sizeof(struct nfgenmsg), pol, NFQA_MAX, tb);
	return 0;
}

int nfqueue_packet_id(const struct nlmsghdr *nlh, uint32_t *id)
{
	const struct nlattr *tb[NFQA_MAX + 1];
	if (packet_attrs(nlh, tb) < 0 || !tb[NFQA_PACKET_HDR])
		return -EINVAL;
	struct nfqnl_msg_packet_hdr ph;
	memcpy(&ph, mnl_attr_get_payload(tb[NFQA_PACKET_HDR]), sizeof(ph));
	*id = ntohl(ph.packet_id);
	return 0;
}

int nfqueue_packet_payload(const struct nlmsghdr *nlh, const uint8_t **data, size_t *len)
{
	const struct nlattr *tb[NFQA_MAX + 1];
	if (packet_attrs(nlh, tb) < 0)
		return -EINVAL;
	if (!tb[NFQA_PAYLOAD])
		return -ENODATA;
	*data = mnl_attr_get_payload(tb[NFQA_PAYLOAD]);
	*len = mnl_attr_get_payload_len(tb[NFQA_PAYLOAD]);
	return 0;
}
