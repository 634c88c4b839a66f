/* SPDX-License-Identifier: Apache-2.0 */
/* A lab host whose TCP/IP stack is Slirp (Debian's libslirp: the BSD-derived
 * user-mode stack QEMU and rootless containers use): an OS-detection target
 * that is neither Linux nor lwIP nor gVisor. It opens a tap device in the
 * network namespace it runs in (a lab router's) and serves it as Slirp's
 * "guest" link, Slirp answering as its virtual host ADDR on NET/PREFIX.
 * Slirp relays a TCP connection to ADDR:PORT as a connection to
 * 127.0.0.1:PORT in that namespace: this program listens there on the ports
 * given (accepting and closing), so those are open and every other port is
 * closed; a UDP datagram to a closed port gets Slirp's port unreachable.
 * Slirp reaches nothing but that lab namespace's loopback.
 *
 *   lab-slirp-host TAP ADDR NET/PREFIX PORT...     (runs until killed)
 *   NETKIT_SLIRP_MTU=N sets Slirp's interface MTU (default 1500).
 *
 * Used by lab/osstacks.sh (which turns on proxy ARP on the router's LAN,
 * so that Slirp's ARP for the prober's off-link address is answered). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <slirp/libslirp.h>

#include "host_args.h"

#define MAXFD 256

static int tap;
static struct pollfd pfd[MAXFD];
static int npfd;

static ssize_t send_packet(const void *buf, size_t len, void *opaque)
{
	(void)opaque;
	return write(tap, buf, len);
}

static void guest_error(const char *msg, void *opaque)
{
	(void)opaque;
	fprintf(stderr, "slirp: %s\n", msg);
}

static int64_t clock_ns(void *opaque)
{
	(void)opaque;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Slirp's timers serve IPv6 router advertisements only, which are off */
static void *timer_new(SlirpTimerCb cb, void *cb_opaque, void *opaque)
{
	(void)cb, (void)cb_opaque, (void)opaque;
	return calloc(1, 1);
}

static void timer_free(void *t, void *opaque)
{
	(void)opaque;
	free(t);
}

static void timer_mod(void *t, int64_t when, void *opaque)
{
	(void)t, (void)when, (void)opaque;
}

static void nop_fd(int fd, void *opaque)
{
	(void)fd, (void)opaque;
}

static void notify(void *opaque)
{
	(void)opaque;
}

static int add_poll(int fd, int events, void *opaque)
{
	(void)opaque;
	if (npfd >= MAXFD)
		return -1;
	short ev = 0;
	ev |= events & SLIRP_POLL_IN ? POLLIN : 0;
	ev |= events & SLIRP_POLL_OUT ? POLLOUT : 0;
	ev |= events & SLIRP_POLL_PRI ? POLLPRI : 0;
	pfd[npfd] = (struct pollfd){.fd = fd, .events = ev};
	return npfd++;
}

static int get_revents(int idx, void *opaque)
{
	(void)opaque;
	if (idx < 0 || idx >= npfd)
		return 0;
	short r = pfd[idx].revents;
	return (r & POLLIN ? SLIRP_POLL_IN : 0) | (r & POLLOUT ? SLIRP_POLL_OUT : 0) |
	       (r & POLLPRI ? SLIRP_POLL_PRI : 0) | (r & POLLERR ? SLIRP_POLL_ERR : 0) |
	       (r & POLLHUP ? SLIRP_POLL_HUP : 0);
}

static int open_tap(const char *name)
{
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	struct ifreq ifr = {.ifr_flags = IFF_TAP | IFF_NO_PI};
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) < 0)
		return -1;
	return fd;
}

static int listen_lo(int port)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;
	struct sockaddr_in sa = {.sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(s, 64) < 0) {
		int e = errno;
		if (s >= 0)
			close(s);
		errno = e;
		return -1;
	}
	return s;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: %s TAP ADDR NET/PREFIX PORT...\n", argv[0]);
		return 2;
	}
	char net[64];
	int prefix = host_addr_prefix(argv[3], net, sizeof(net), 24);
	SlirpConfig cfg = {.version = 4,
			   .in_enabled = true,
			   .disable_dns = true,
			   .disable_dhcp = true,
			   .vhostname = "slirp"};
	if (inet_pton(AF_INET, argv[2], &cfg.vhost) != 1 ||
	    inet_pton(AF_INET, net, &cfg.vnetwork) != 1 || prefix < 8 || prefix > 30) {
		fprintf(stderr, "%s: bad address\n", argv[0]);
		return 2;
	}
	cfg.vnetmask.s_addr = htonl(0xffffffffu << (32 - prefix));
	const char *mtu = getenv("NETKIT_SLIRP_MTU");
	if (mtu)
		cfg.if_mtu = cfg.if_mru = (size_t)atoi(mtu);
	/* no name server or DHCP of its own on the LAN: both off, on ADDR */
	cfg.vnameserver = cfg.vdhcp_start = cfg.vhost;
	tap = open_tap(argv[1]);
	if (tap < 0) {
		fprintf(stderr, "%s: cannot open tap %s: %s\n", argv[0], argv[1], strerror(errno));
		return 1;
	}
	int ls[16], nls = 0;
	for (int i = 4; i < argc && nls < 16; i++) {
		int s = listen_lo(atoi(argv[i]));
		if (s >= 0)
			ls[nls++] = s;
		else if (errno !=
			 EADDRINUSE) { /* in use: another Slirp host's, open all the same */
			fprintf(stderr, "%s: cannot listen on 127.0.0.1:%s\n", argv[0], argv[i]);
			return 1;
		}
	}
	static const SlirpCb cb = {.send_packet = send_packet,
				   .guest_error = guest_error,
				   .clock_get_ns = clock_ns,
				   .timer_new = timer_new,
				   .timer_free = timer_free,
				   .timer_mod = timer_mod,
				   .register_poll_fd = nop_fd,
				   .unregister_poll_fd = nop_fd,
				   .notify = notify};
	Slirp *sl = slirp_new(&cfg, &cb, NULL);
	if (!sl)
		return 1;
	fprintf(stderr, "Slirp %s up on %s\n", argv[2], argv[1]);
	for (;;) {
		uint32_t timeout = 100;
		npfd = 0;
		add_poll(tap, SLIRP_POLL_IN, NULL);
		for (int i = 0; i < nls; i++)
			add_poll(ls[i], SLIRP_POLL_IN, NULL);
		slirp_pollfds_fill(sl, &timeout, add_poll, NULL);
		int n = poll(pfd, (nfds_t)npfd, (int)timeout);
		if (n > 0 && (pfd[0].revents & POLLIN)) {
			uint8_t frame[65536];
			ssize_t len = read(tap, frame, sizeof(frame));
			if (len > 0)
				slirp_input(sl, frame, (int)len);
		}
		for (int i = 0; n > 0 && i < nls; i++)
			if (pfd[1 + i].revents & POLLIN) {
				int c = accept(ls[i], NULL, NULL);
				if (c >= 0)
					close(c);
			}
		slirp_pollfds_poll(sl, n < 0, get_revents, NULL);
	}
}
