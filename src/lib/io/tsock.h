/* SPDX-License-Identifier: Apache-2.0 */
/* Sockets for tracing: raw and datagram sockets with per-probe TTL, TOS,
 * mark and device, kernel receive timestamps, and the IP_RECVERR error
 * queue that lets an unprivileged process see ICMP errors (the offender's
 * address and the quoted payload). Used by mtr's engine; no packet
 * parsing here (that is lib/pkt), nothing printed. */
#ifndef NETKIT_TSOCK_H
#define NETKIT_TSOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>

struct tsock_rx {
	double t; /* receive time, CLOCK_REALTIME seconds (kernel stamp if any) */
	struct sockaddr_storage from;
	bool err; /* came from the error queue */
	/* error queue only */
	uint8_t ee_origin, ee_type, ee_code;
	int ee_errno;
	bool has_offender;
	struct sockaddr_storage offender;
};

/* socket() with CLOEXEC|NONBLOCK, receive timestamps on. -errno. */
int tsock_open(int family, int type, int proto);
int tsock_set_ttl(int fd, int family, int ttl);
int tsock_set_tos(int fd, int family, int tos);
int tsock_set_mark(int fd, unsigned mark);
int tsock_bind_dev(int fd, const char *ifname);
int tsock_recverr(int fd, int family);
/* recvmsg into buf; flags MSG_ERRQUEUE reads the error queue. Returns the
 * byte count or -errno (-EAGAIN when empty). */
ssize_t tsock_recv(int fd, void *buf, size_t len, int flags, struct tsock_rx *rx);
double tsock_now(void);
/* True if this process may open raw sockets. */
bool tsock_can_raw(void);
/* Drops every capability from the effective set and all but CAP_NET_RAW
 * (kept permitted only if held, so a live screen can switch protocols:
 * tsock_open raises it for a raw socket) and, for a setuid binary, the
 * root uid. Call once the sockets are open. */
int tsock_drop_privs(void);

#endif
