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

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: %s TAP ADDR/PREFIX GW PORT...\n", argv[0]);
		return 2;
	}
	char addr[64];
	snprintf(addr, sizeof(addr), "%s", argv[2]);
	char *slash = strchr(addr, '/');
	int prefix = slash ? atoi(slash + 1) : 24;
	if (slash)
		*slash = '\0';
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
	lwip_ifup(nif);
	for (int i = 4; i < argc; i++) {
		struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[i]))};
		int s = lwip_msocket(st, AF_INET, SOCK_STREAM, 0);
		pthread_t t;
		if (s < 0 || lwip_bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
		    lwip_listen(s, 16) < 0 ||
		    pthread_create(&t, NULL, acceptor, (void *)(intptr_t)s)) {
			fprintf(stderr, "%s: cannot listen on %s\n", argv[0], argv[i]);
			return 1;
		}
	}
	fprintf(stderr, "LWIPv6 %s up on %s\n", addr, argv[1]);
	for (;;)
		pause();
}
