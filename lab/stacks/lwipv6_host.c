/* SPDX-License-Identifier: Apache-2.0 */
/* A lab host whose TCP/IP stack is LWIPv6 (VirtualSquare's hybrid
 * IPv4/IPv6 user-space stack, Debian's liblwipv6-2): an OS-detection
 * target that is neither Linux nor lwIP 2. It opens a tap device in the
 * network namespace it runs in, gives the stack ADDR/PREFIX with a default
 * route via GW, and accepts (and closes) TCP connections on the ports
 * given; the stack answers everything else itself.
 *
 *   lab-lwipv6-host TAP ADDR/PREFIX GW PORT...     (runs until killed)
 *
 * With NETKIT_LWIPV6_ADDR6=ADDR6/PREFIX (and NETKIT_LWIPV6_GW6) it has an
 * IPv6 address (and default route) too, and listens on the ports there.
 *
 * Used by lab/osstacks.sh; packets reach it only from the lab. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <lwipv6.h>

#include "host_args.h"

static void *acceptor(void *arg)
{
	int s = (int)(intptr_t)arg;
	for (;;) {
		int c = lwip_accept(s, NULL, NULL);
		if (c >= 0)
			lwip_close(c);
	}
	return NULL;
}

static int v4(const char *s, struct ip_addr *a)
{
	struct in_addr in;
	if (inet_pton(AF_INET, s, &in) != 1)
		return -1;
	memset(a, 0, sizeof(*a));
	a->addr[2] = IP64_PREFIX;
	a->addr[3] = in.s_addr;
	return 0;
}

/* ADDR6/PREFIX: the address and its mask; 0 or -1 */
static int v6(const char *s, struct ip_addr *a, struct ip_addr *mask)
{
	char buf[64];
	int prefix = host_addr_prefix(s, buf, sizeof(buf), 128);
	struct in6_addr in;
	if (inet_pton(AF_INET6, buf, &in) != 1 || prefix < 1 || prefix > 128)
		return -1;
	memcpy(a->addr, &in, 16);
	memset(mask, 0, sizeof(*mask));
	for (int i = 0; i < prefix; i++)
		((uint8_t *)mask->addr)[i / 8] |= (uint8_t)(0x80 >> (i % 8));
	return 0;
}

static int listen_on(struct stack *st, int family, int port)
{
	struct sockaddr_storage ss = {0};
	socklen_t len = sizeof(struct sockaddr_in);
	if (family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
	}
	int s = lwip_msocket(st, family, SOCK_STREAM, 0);
	pthread_t t;
	if (s < 0 || lwip_bind(s, (struct sockaddr *)&ss, len) < 0 || lwip_listen(s, 16) < 0 ||
	    pthread_create(&t, NULL, acceptor, (void *)(intptr_t)s))
		return -1;
	return 0;
}

/* NETKIT_LWIPV6_ADDR6 and _GW6 */
static int add_v6(struct stack *st, struct netif *nif)
{
	const char *a6 = getenv("NETKIT_LWIPV6_ADDR6"), *g6 = getenv("NETKIT_LWIPV6_GW6");
	struct ip_addr ip6, mask6, gw6, any6 = {{0}}, anymask6 = {{0}};
	if (!a6 || !*a6)
		return 0;
	if (v6(a6, &ip6, &mask6) || (g6 && *g6 && v6(g6, &gw6, &anymask6))) {
		fprintf(stderr, "lab-lwipv6-host: bad IPv6 address\n");
		return -1;
	}
	lwip_add_addr(nif, &ip6, &mask6);
	if (g6 && *g6) {
		memset(&anymask6, 0, sizeof(anymask6));
		lwip_add_route(st, &any6, &anymask6, &gw6, nif, 0);
	}
	return 1;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: %s TAP ADDR/PREFIX GW PORT...\n", argv[0]);
		return 2;
	}
	char addr[64];
	int prefix = host_addr_prefix(argv[2], addr, sizeof(addr), 24);
	struct ip_addr ip, mask, gw, any = {{0}}, anymask;
	if (v4(addr, &ip) || v4(argv[3], &gw) || prefix < 1 || prefix > 32) {
		fprintf(stderr, "%s: bad address\n", argv[0]);
		return 2;
	}
	IP64_MASKADDR(&mask, 0, 0, 0, 0);
	mask.addr[3] = htonl(0xffffffffu << (32 - prefix));
	IP64_MASKADDR(&anymask, 0, 0, 0, 0);
	any.addr[2] = IP64_PREFIX;
	struct stack *st = lwip_stack_new();
	struct netif *nif = st ? lwip_add_tapif(st, argv[1], 0) : NULL;
	if (!nif) {
		fprintf(stderr, "%s: cannot open tap %s\n", argv[0], argv[1]);
		return 1;
	}
	lwip_add_addr(nif, &ip, &mask);
	lwip_add_route(st, &any, &anymask, &gw, nif, 0);
	int has6 = add_v6(st, nif);
	if (has6 < 0)
		return 2;
	lwip_ifup(nif);
	for (int i = 4; i < argc; i++) {
		if (listen_on(st, AF_INET, atoi(argv[i])) < 0) {
			fprintf(stderr, "%s: cannot listen on %s\n", argv[0], argv[i]);
			return 1;
		}
		/* a stack that takes IPv6 connections on the IPv4 socket too
		 * refuses the second bind: said, not fatal */
		if (has6 && listen_on(st, AF_INET6, atoi(argv[i])) < 0)
			fprintf(stderr, "%s: no IPv6 listener on %s\n", argv[0], argv[i]);
	}
	fprintf(stderr, "LWIPv6 %s up on %s\n", addr, argv[1]);
	for (;;)
		pause();
}
