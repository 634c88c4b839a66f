/* SPDX-License-Identifier: Apache-2.0 */
/* LD_PRELOAD shim for test_ip_tunnel6.py. Each tunnel ioctl (SIOCGETTUNNEL
 * .. SIOCCHG6RD) is logged to the file NK_TNL_LOG as one line: the request
 * in hex, the socket's family, ifr_name, and the bytes ifr_data points to
 * (as many as the kernel reads for that request and family). The kernel
 * here has no tunnel drivers, so to reach the printers and the change
 * path the shim can also answer: SIOCGETTUNNEL with the bytes (hex) in
 * NK_TNL_GET, SIOCGET6RD with NK_TNL_6RD, SIOCGETPRL with NK_TNL_PRL
 * (entries after the first), and every other request with success when
 * NK_TNL_OK is set. Without those variables the kernel answers. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <linux/if_tunnel.h>
#include <linux/ip6_tunnel.h>

static size_t data_size(unsigned long req, int family, const void *data)
{
	if (req >= SIOCGETPRL && req <= SIOCCHGPRL) {
		const struct ip_tunnel_prl *p = data;
		return sizeof(*p) + (req == SIOCGETPRL ? p->datalen : 0);
	}
	if (req >= SIOCGET6RD && req <= SIOCCHG6RD)
		return sizeof(struct ip_tunnel_6rd);
	return family == AF_INET6 ? sizeof(struct ip6_tnl_parm2) : sizeof(struct ip_tunnel_parm);
}

static size_t unhex(const char *s, unsigned char *out, size_t max)
{
	size_t n = 0;
	unsigned v;
	while (n < max && sscanf(s + 2 * n, "%2x", &v) == 1)
		out[n++] = (unsigned char)v;
	return n;
}

static int answer(unsigned long req, void *data, size_t size)
{
	const char *v = req == SIOCGETTUNNEL ? getenv("NK_TNL_GET")
			: req == SIOCGET6RD  ? getenv("NK_TNL_6RD")
			: req == SIOCGETPRL  ? getenv("NK_TNL_PRL")
					     : NULL;
	size_t skip = req == SIOCGETPRL ? sizeof(struct ip_tunnel_prl) : 0;
	if (v) /* PRL entries go after the request's first */
		unhex(v, (unsigned char *)data + skip, size - skip);
	return v || (req != SIOCGETTUNNEL && req != SIOCGET6RD && req != SIOCGETPRL &&
		     getenv("NK_TNL_OK"));
}

int ioctl(int fd, unsigned long req, ...)
{
	static int (*real)(int, unsigned long, ...);
	va_list ap;
	va_start(ap, req);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	if (!real)
		real = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
	if (req < SIOCGETTUNNEL || req > SIOCCHG6RD)
		return real(fd, req, arg);
	struct ifreq *ifr = arg;
	int family = 0;
	socklen_t len = sizeof(family);
	getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &family, &len);
	const unsigned char *d = (const unsigned char *)ifr->ifr_data;
	size_t size = data_size(req, family, d);
	const char *log = getenv("NK_TNL_LOG");
	FILE *f = log ? fopen(log, "a") : NULL;
	if (f) {
		fprintf(f, "%lx %d %.*s ", req, family, IFNAMSIZ, ifr->ifr_name);
		for (size_t i = 0; i < size; i++)
			fprintf(f, "%02x", d[i]);
		fputc('\n', f);
		fclose(f);
	}
	if (answer(req, ifr->ifr_data, size))
		return 0;
	return real(fd, req, arg);
}
