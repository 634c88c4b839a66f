/* SPDX-License-Identifier: Apache-2.0 */
/* Trace sockets (see tsock.h). */
#include <errno.h>
#include <time.h>
#include <linux/capability.h>
#include <linux/errqueue.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/io/tsock.h"
#include "lib/util/priv.h"

double tsock_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* socket(); a raw one with CAP_NET_RAW raised for the call if it is only
 * permitted (after tsock_drop_privs, when a live screen switches protocol) */
static int raw_aware_socket(int family, int type, int proto)
{
	int fd = socket(family, type, proto);
	if (fd >= 0 || errno != EPERM || (type & 0xf) != SOCK_RAW ||
	    !(priv_held(false) & PRIV_CAP(CAP_NET_RAW)) || priv_raise(CAP_NET_RAW, true) < 0)
		return fd;
	fd = socket(family, type, proto);
	int e = errno;
	(void)priv_raise(CAP_NET_RAW, false);
	errno = e;
	return fd;
}

int tsock_open(int family, int type, int proto)
{
	int one = 1;
	int fd = raw_aware_socket(family, type | SOCK_CLOEXEC | SOCK_NONBLOCK, proto);

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	return fd;
}

static int sso(int fd, int level, int opt, int val)
{
	return setsockopt(fd, level, opt, &val, sizeof(val)) < 0 ? -errno : 0;
}

int tsock_set_ttl(int fd, int family, int ttl)
{
	if (family == AF_INET6)
		return sso(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, ttl);
	return sso(fd, IPPROTO_IP, IP_TTL, ttl);
}

int tsock_set_tos(int fd, int family, int tos)
{
	if (family == AF_INET6)
		return sso(fd, IPPROTO_IPV6, IPV6_TCLASS, tos);
	return sso(fd, IPPROTO_IP, IP_TOS, tos);
}

int tsock_set_mark(int fd, unsigned mark)
{
	return sso(fd, SOL_SOCKET, SO_MARK, (int)mark);
}

int tsock_bind_dev(int fd, const char *ifname)
{
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname) + 1) < 0)
		return -errno;
	return 0;
}

int tsock_recverr(int fd, int family)
{
	if (family == AF_INET6)
		return sso(fd, IPPROTO_IPV6, IPV6_RECVERR, 1);
	return sso(fd, IPPROTO_IP, IP_RECVERR, 1);
}

static void rx_cmsgs(struct msghdr *mh, struct tsock_rx *rx)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPNS) {
			struct timespec ts;

			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			rx->t = (double)ts.tv_sec + ts.tv_nsec / 1e9;
		} else if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR) ||
			   (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR)) {
			struct sock_extended_err ee;
			size_t off = sizeof(ee);
			size_t avail = c->cmsg_len - CMSG_LEN(0);

			if (avail < sizeof(ee))
				continue;
			memcpy(&ee, CMSG_DATA(c), sizeof(ee));
			rx->ee_origin = ee.ee_origin;
			rx->ee_type = ee.ee_type;
			rx->ee_code = ee.ee_code;
			rx->ee_errno = (int)ee.ee_errno;
			/* SO_EE_OFFENDER: the address right after the struct */
			if (avail > off && avail - off >= sizeof(struct sockaddr_in)) {
				size_t n = avail - off;

				if (n > sizeof(rx->offender))
					n = sizeof(rx->offender);
				memcpy(&rx->offender, CMSG_DATA(c) + off, n);
				rx->has_offender = rx->offender.ss_family == AF_INET ||
						   rx->offender.ss_family == AF_INET6;
			}
		}
	}
}

ssize_t tsock_recv(int fd, void *buf, size_t len, int flags, struct tsock_rx *rx)
{
	char ctl[512];
	struct iovec iov = {buf, len};
	struct msghdr mh = {.msg_name = &rx->from,
			    .msg_namelen = sizeof(rx->from),
			    .msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = ctl,
			    .msg_controllen = sizeof(ctl)};
	ssize_t n;

	memset(rx, 0, sizeof(*rx));
	n = recvmsg(fd, &mh, flags | MSG_DONTWAIT);
	if (n < 0)
		return -errno;
	rx->err = flags & MSG_ERRQUEUE;
	rx_cmsgs(&mh, rx);
	if (rx->t == 0)
		rx->t = tsock_now();
	return n;
}

bool tsock_can_raw(void)
{
	int fd = raw_aware_socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);

	if (fd < 0)
		fd = raw_aware_socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

int tsock_drop_privs(void)
{
	bool had_raw = priv_held(false) & PRIV_CAP(CAP_NET_RAW);

	/* a setuid binary becomes the user, keeping its capabilities a moment */
	if (geteuid() != getuid()) {
		prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
		if (setresuid(getuid(), getuid(), getuid()) < 0)
			return -errno;
	}
	/* none effective; CAP_NET_RAW stays permitted (if held) for a live
	 * screen that switches protocol: tsock_open raises it for the call */
	int r = priv_keep(0, had_raw ? PRIV_CAP(CAP_NET_RAW) : 0);
	if (r < 0)
		return r;
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	return 0;
}
