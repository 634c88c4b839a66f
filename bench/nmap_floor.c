/* SPDX-License-Identifier: Apache-2.0 */
/* The speed floor for netkit nmap's benchmarks: a bare sender that pushes
 * the same probes a scan would (TCP SYN to every port of one host, or
 * ICMP echo to every address of a range) through a raw socket with
 * sendmmsg, counts the replies on an AF_PACKET socket, and does nothing
 * else: no retransmission, no timeouts, no matching beyond the source
 * address. It stops once 50 ms pass without a reply after the last send.
 *
 *   nmap_floor syn  SRC DST FIRSTPORT LASTPORT
 *   nmap_floor echo SRC NET/PREFIX
 *
 * Prints "elapsed_seconds replies sent". Built and run by bench/nmap_*.sh. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint16_t csum(const void *p, size_t n, uint32_t sum)
{
	const uint8_t *b = p;
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (n & 1)
		sum += (uint32_t)b[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static size_t build(uint8_t *buf, int syn, uint32_t src, uint32_t dst, uint16_t port)
{
	struct iphdr *ip = (struct iphdr *)buf;
	memset(buf, 0, 64);
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->saddr = src;
	ip->daddr = dst;
	size_t l4;
	if (syn) {
		struct tcphdr *t = (struct tcphdr *)(buf + 20);
		ip->protocol = IPPROTO_TCP;
		t->source = htons(45678);
		t->dest = htons(port);
		t->seq = htonl(0x12345678u ^ port);
		t->doff = 6;
		t->syn = 1;
		t->window = htons(1024);
		uint8_t *o = buf + 40;
		o[0] = 2, o[1] = 4, o[2] = 0x05, o[3] = 0xb4;
		l4 = 24;
		uint8_t ph[12];
		memcpy(ph, &src, 4);
		memcpy(ph + 4, &dst, 4);
		ph[8] = 0, ph[9] = IPPROTO_TCP, ph[10] = 0, ph[11] = (uint8_t)l4;
		uint32_t s = 0;
		for (int i = 0; i < 12; i += 2)
			s += (uint32_t)(ph[i] << 8 | ph[i + 1]);
		t->check = csum(t, l4, s);
	} else {
		struct icmphdr *ic = (struct icmphdr *)(buf + 20);
		ip->protocol = IPPROTO_ICMP;
		ic->type = ICMP_ECHO;
		ic->un.echo.id = htons(4321);
		l4 = 8;
		ic->checksum = csum(ic, l4, 0);
	}
	ip->tot_len = htons((uint16_t)(20 + l4));
	ip->check = csum(ip, 20, 0);
	return 20 + l4;
}

static unsigned long drain(int rx)
{
	static uint8_t bufs[BATCH][256];
	struct mmsghdr m[BATCH];
	struct iovec iov[BATCH];
	unsigned long n = 0;
	for (;;) {
		for (int i = 0; i < BATCH; i++) {
			iov[i] = (struct iovec){bufs[i], sizeof(bufs[i])};
			memset(&m[i], 0, sizeof(m[i]));
			m[i].msg_hdr.msg_iov = &iov[i];
			m[i].msg_hdr.msg_iovlen = 1;
		}
		int r = recvmmsg(rx, m, BATCH, MSG_DONTWAIT, NULL);
		if (r <= 0)
			return n;
		n += (unsigned long)r;
	}
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: nmap_floor syn SRC DST FIRST LAST | echo SRC NET/PREFIX\n");
		return 2;
	}
	int syn = !strcmp(argv[1], "syn");
	uint32_t src = inet_addr(argv[2]), dst = 0, first = 0, count;
	if (syn) {
		dst = inet_addr(argv[3]);
		first = (uint32_t)atoi(argv[4]);
		count = (uint32_t)atoi(argv[5]) - first + 1;
	} else {
		char *sl = strchr(argv[3], '/');
		*sl = 0;
		first = ntohl(inet_addr(argv[3]));
		count = 1u << (32 - atoi(sl + 1));
	}
	int tx = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	int rx = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK, htons(ETH_P_IP));
	if (tx < 0 || rx < 0) {
		perror("socket");
		return 1;
	}
	int big = 64 << 20, on = 1;
	setsockopt(rx, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	setsockopt(rx, SOL_PACKET, 23 /* PACKET_IGNORE_OUTGOING */, &on, sizeof(on));
	drain(rx);
	static uint8_t pk[BATCH][64];
	struct sockaddr_in to[BATCH];
	struct iovec iov[BATCH];
	struct mmsghdr m[BATCH];
	unsigned long replies = 0, sent = 0;
	double t0 = now();
	for (uint32_t i = 0; i < count;) {
		int n = 0;
		for (; n < BATCH && i < count; n++, i++) {
			uint32_t d = syn ? dst : htonl(first + i);
			size_t len = build(pk[n], syn, src, d, (uint16_t)(first + i));
			to[n] = (struct sockaddr_in){.sin_family = AF_INET, .sin_addr.s_addr = d};
			iov[n] = (struct iovec){pk[n], len};
			memset(&m[n], 0, sizeof(m[n]));
			m[n].msg_hdr.msg_name = &to[n];
			m[n].msg_hdr.msg_namelen = sizeof(to[n]);
			m[n].msg_hdr.msg_iov = &iov[n];
			m[n].msg_hdr.msg_iovlen = 1;
		}
		for (int off = 0; off < n;) {
			int r = sendmmsg(tx, m + off, (unsigned)(n - off), 0);
			if (r <= 0)
				break;
			off += r;
			sent += (unsigned long)r;
		}
		replies += drain(rx);
	}
	double last = now();
	while (now() - last < 0.05) {
		unsigned long r = drain(rx);
		if (r) {
			replies += r;
			last = now();
		} else {
			usleep(200);
		}
	}
	printf("%.4f %lu %lu\n", last - t0, replies, sent);
	return 0;
}
