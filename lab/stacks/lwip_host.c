/* SPDX-License-Identifier: Apache-2.0 */
/* A lab host whose TCP/IP stack is lwIP (Debian's liblwip, its unix port):
 * an OS-detection target that is not Linux. It creates a tap device in the
 * network namespace it runs in (the lab's side of the link), gives lwIP's
 * interface ADDR/PREFIX with gateway GW and MTU, and listens on the TCP
 * ports given (accepting and closing); every other port is closed, so lwIP
 * answers with its own RSTs, ICMP echo replies and port unreachables.
 *
 *   lab-lwip-host TAP ADDR/PREFIX GW MTU PORT...     (runs until killed)
 *
 * Used by lab/osstacks.sh; packets reach it only from the lab. */
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/tcp.h"
#include "lwip/tcpip.h"
#include "netif/tapif.h"

#include "host_args.h"

static struct netif nif;

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	(void)arg;
	(void)err;
	if (p) {
		tcp_recved(pcb, p->tot_len);
		pbuf_free(p);
		return ERR_OK;
	}
	tcp_close(pcb);
	return ERR_OK;
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	(void)arg;
	if (err != ERR_OK || !pcb)
		return ERR_VAL;
	tcp_recv(pcb, on_recv);
	return ERR_OK;
}

static int listen_on(int port)
{
	struct tcp_pcb *pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
	if (!pcb || tcp_bind(pcb, IP4_ADDR_ANY, (u16_t)port) != ERR_OK)
		return -1;
	pcb = tcp_listen(pcb);
	if (!pcb)
		return -1;
	tcp_accept(pcb, on_accept);
	return 0;
}

static int parse_v4(const char *s, ip4_addr_t *a)
{
	struct in_addr in;
	if (inet_pton(AF_INET, s, &in) != 1)
		return -1;
	ip4_addr_set_u32(a, in.s_addr);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: %s TAP ADDR/PREFIX GW MTU PORT...\n", argv[0]);
		return 2;
	}
	char addr[64];
	int prefix = host_addr_prefix(argv[2], addr, sizeof(addr), 24);
	ip4_addr_t ip, mask, gw;
	ip4_addr_set_u32(&mask, prefix ? htonl(0xffffffffu << (32 - prefix)) : 0);
	if (parse_v4(addr, &ip) || parse_v4(argv[3], &gw) || prefix < 0 || prefix > 32) {
		fprintf(stderr, "%s: bad address\n", argv[0]);
		return 2;
	}
	setenv("PRECONFIGURED_TAPIF", argv[1], 1); /* the lab configures the tap */
	signal(SIGPIPE, SIG_IGN);
	tcpip_init(NULL, NULL);
	LOCK_TCPIP_CORE();
	if (!netif_add(&nif, &ip, &mask, &gw, NULL, tapif_init, tcpip_input)) {
		UNLOCK_TCPIP_CORE();
		fprintf(stderr, "%s: cannot open tap %s\n", argv[0], argv[1]);
		return 1;
	}
	nif.mtu = (u16_t)atoi(argv[4]);
	/* tapif gives every instance one MAC: make it the address's own */
	nif.hwaddr[4] = (u8_t)(ntohl(ip4_addr_get_u32(&ip)) >> 8);
	nif.hwaddr[5] = (u8_t)ntohl(ip4_addr_get_u32(&ip));
	netif_set_default(&nif);
	netif_set_up(&nif);
	for (int i = 5; i < argc; i++)
		if (listen_on(atoi(argv[i])) < 0) {
			UNLOCK_TCPIP_CORE();
			fprintf(stderr, "%s: cannot listen on %s\n", argv[0], argv[i]);
			return 1;
		}
	UNLOCK_TCPIP_CORE();
	fprintf(stderr, "lwIP %s up on %s\n", addr, argv[1]);
	for (;;)
		pause();
}
