/* SPDX-License-Identifier: Apache-2.0 */
/* NFQUEUE (nfnetlink_queue) messages, built on and parsed from the
 * caller's buffers: bind a queue, set its copy mode and length, give a
 * verdict, read a queued packet's id. What the lab's impairment daemon
 * needs, on a NETLINK_NETFILTER socket from nl.h; no sockets here. Written
 * against the kernel's uapi header so that no libnetfilter_queue (and its
 * libnfnetlink) has to be loaded when netkit starts. */
#ifndef NETKIT_NL_NFQUEUE_H
#define NETKIT_NL_NFQUEUE_H

#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>

/* Room for any one message built here. */
#define NFQUEUE_MSG_BUFSZ 128

/* Each builder fills buf (NFQUEUE_MSG_BUFSZ bytes, aligned for a
 * nlmsghdr) with one request for queue number queue and returns it; seq
 * is left 0 for nl_talk to fill. */
struct nlmsghdr *nfqueue_bind(void *buf, uint16_t queue);
struct nlmsghdr *nfqueue_unbind(void *buf, uint16_t queue);
/* mode: NFQNL_COPY_NONE / _META / _PACKET; range: bytes of payload copied */
struct nlmsghdr *nfqueue_copy_mode(void *buf, uint16_t queue, uint8_t mode, uint32_t range);
struct nlmsghdr *nfqueue_maxlen(void *buf, uint16_t queue, uint32_t len);
/* verdict: NF_ACCEPT, NF_DROP, ... for the packet with this id */
struct nlmsghdr *nfqueue_verdict(void *buf, uint16_t queue, uint32_t id, uint32_t verdict);

/* The packet id carried by an NFQNL_MSG_PACKET message: 0 with *id set, or
 * -EINVAL if the message is not a queued packet or its header is missing
 * or short. */
int nfqueue_packet_id(const struct nlmsghdr *nlh, uint32_t *id);
/* The packet bytes (from its network header, as much as the copy mode's
 * range let through) of an NFQNL_MSG_PACKET message: 0, or -EINVAL if it
 * is no queued packet, -ENODATA if it carries no payload. */
int nfqueue_packet_payload(const struct nlmsghdr *nlh, const uint8_t **data, size_t *len);

#endif
