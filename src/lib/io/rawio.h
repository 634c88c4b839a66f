/* SPDX-License-Identifier: Apache-2.0 */
/* Raw packet I/O for scanners: a send socket that takes whole IP packets
 * (IP_HDRINCL; the kernel routes them and fills in the link layer), sent
 * in sendmmsg batches; a link-layer socket for ARP/ND-free frames (ARP
 * requests); and a capture socket (AF_PACKET, cooked, every interface)
 * with a classic BPF filter in the kernel, read in recvmmsg batches.
 * Never prints; every call returns >= 0 or -errno. */
#ifndef NETKIT_IO_RAWIO_H
#define NETKIT_IO_RAWIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/filter.h>
#include <linux/if_packet.h>

#define IO_BATCH 64
#define IO_PKTMAX 1600

/* Told of each message the kernel refused to send (a local firewall:
 * -EPERM): the socket, -errno, the message's bytes and destination. The
 * batch goes on without it. */
typedef void (*io_tx_fail_fn)(void *ctx, int fd, int err, const void *msg, size_t len,
			      const struct sockaddr *dst, socklen_t dlen);

struct io_tx {
	int fd4, fd6; /* -1 when not opened */
	int fd_link;  /* AF_PACKET SOCK_DGRAM for ARP, -1 when not opened */
	int fd_eth;   /* AF_PACKET SOCK_RAW for whole frames (--send-eth), or -1 */
	unsigned n;   /* queued packets */
	struct mmsghdr msg[IO_BATCH];
	struct iovec iov[IO_BATCH];
	struct sockaddr_storage dst[IO_BATCH];
	uint8_t buf[IO_BATCH][IO_PKTMAX];
	unsigned long sent, errors;
	unsigned long flushes; /* batches that went out (io_tx_flush with work) */
	int last_err;
	io_tx_fail_fn on_fail; /* may be NULL; set after io_tx_open */
	void *fail_ctx;
};

/* Open raw send sockets for the families asked for. */
int io_tx_open(struct io_tx *t, bool v4, bool v6, bool link);
/* Also open the frame socket: packets committed with an AF_PACKET
 * destination (a sockaddr_ll naming the interface) go through it as
 * whole Ethernet frames, header included, past the kernel's routing and
 * netfilter. Returns 0 or -errno. */
int io_tx_open_eth(struct io_tx *t);
void io_tx_close(struct io_tx *t);
/* Buffer for the next packet in the batch; call io_tx_commit after. */
static inline uint8_t *io_tx_buf(struct io_tx *t)
{
	return t->buf[t->n];
}
/* Queue the packet written into io_tx_buf(); flushes when the batch is
 * full (t->flushes tells a caller that stamps its sends that it did). dst is where the IP packet goes. Returns 0 or -errno. */
int io_tx_commit(struct io_tx *t, size_t len, const struct sockaddr *dst, socklen_t dlen);
/* Send whatever is queued. Returns how many were sent or -errno. */
int io_tx_flush(struct io_tx *t);
/* Send link-layer frames (io_tx_link) through the capture socket r (a
 * dup of it) instead of a socket of their own: closing an AF_PACKET
 * socket waits for an RCU grace period (~10 ms), so a second one makes
 * every scan that much longer. Returns 0 or -errno. */
struct io_rx;
int io_tx_link_via(struct io_tx *t, const struct io_rx *r);
/* Send one link-layer frame (ARP) on ifindex to the broadcast address. */
int io_tx_link(struct io_tx *t, int ifindex, uint16_t ethertype, const uint8_t *dstmac,
	       const void *frame, size_t len);

struct io_pkt {
	const uint8_t *data; /* network-layer header first */
	size_t len;
	uint16_t ethertype; /* host order: ETH_P_IP, ETH_P_IPV6, ETH_P_ARP */
	int ifindex;
	uint8_t hwaddr[8]; /* sender's link address, if any */
	uint8_t hwlen;
	double ts; /* monotonic seconds at receive */
};

#define IO_RX_SKIP 64

struct io_rx {
	int fd;
	struct mmsghdr msg[IO_BATCH];
	struct iovec iov[IO_BATCH];
	struct sockaddr_ll from[IO_BATCH];
	uint8_t ctl[IO_BATCH][64]; /* SCM_TIMESTAMPNS */
	uint8_t buf[IO_BATCH][IO_PKTMAX];
	unsigned long received;
	int skip[IO_RX_SKIP]; /* ifindexes whose packets are dropped */
	unsigned nskip;
};

/* Open the capture socket with filter prog (may be NULL: everything). */
int io_rx_open(struct io_rx *r, const struct sock_fprog *prog);
void io_rx_close(struct io_rx *r);
/* Read up to IO_BATCH packets without blocking; fill pkts. Returns the
 * count (0 if nothing is waiting) or -errno. */
int io_rx_batch(struct io_rx *r, struct io_pkt *pkts, unsigned max);
/* Drop what is captured on ifindex from now on: a bridge's or bond's
 * port, whose packets the socket (bound to no device) sees again on the
 * bridge or bond. -ENOSPC past IO_RX_SKIP. */
int io_rx_skip_ifindex(struct io_rx *r, int ifindex);
/* Wait until the capture socket is readable or timeout seconds passed. */
int io_rx_wait(struct io_rx *r, double timeout);

/* Monotonic clock in seconds. */
double io_now(void);

/* A BPF program accepting ARP, IPv4 packets to addr4 (NULL: every IPv4
 * packet) and IPv6 packets to addr6 (NULL: every IPv6 packet). prog->filter points into insns,
 * which must hold 16 entries. */
void io_filter_dst(struct sock_fprog *prog, struct sock_filter *insns, const struct in_addr *addr4,
		   const struct in6_addr *addr6);

/* Token bucket pacing: rate packets/s (0: unlimited), burst packets. */
struct io_pacer {
	double rate, burst, tokens, last;
};
void io_pacer_init(struct io_pacer *p, double rate, double burst, double now);
/* How many packets may go now (<= want), and consume them. */
unsigned io_pacer_take(struct io_pacer *p, unsigned want, double now);
/* Seconds until one more packet may go (0 if now). */
double io_pacer_wait(const struct io_pacer *p, double now);

#endif
