/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness for the nmap engine's reply matcher: every input is
 * tried as an IPv4, IPv6 and ARP packet, as it is and with its source
 * address set to one of the scan's hosts, against a run holding every
 * probe kind. A match must name a real host and probe. Run by
 * scripts/fuzz.sh. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "engine/nmap/rawscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct world {
	struct engine e;
	struct host h[4];
	struct rhost rh[4];
	struct probe_def pd[10];
	struct raw_run run;
	struct rs s;
};

static struct world *world(void)
{
	static struct world *w;
	if (w)
		return w;
	w = calloc(1, sizeof(*w));
	w->e.key = (struct siphash_key){1, 2};
	w->e.sport_base = 40000;
	w->e.fixed_sport = -1;
	struct scan_timing in = {.level = 3, .max_retries = -1};
	timing_resolve(&in, false, &w->e.tm);
	const char *a[4] = {"198.18.3.10", "198.18.3.11", "2001:db8:3::10", "2001:db8:3::11"};
	for (int i = 0; i < 4; i++) {
		if (i < 2) {
			struct in_addr v4;
			inet_pton(AF_INET, a[i], &v4);
			pkt_addr4(&w->rh[i].addr, &v4);
		} else {
			struct in6_addr v6;
			inet_pton(AF_INET6, a[i], &v6);
			pkt_addr6(&w->rh[i].addr, &v6);
		}
		w->rh[i].h = &w->h[i];
	}
	struct probe_def pd[10] = {
		{PK_TCP, PKT_TCP_SYN, 22},
		{PK_TCP, PKT_TCP_ACK, 22},
		{PK_UDP, 0, 53},
		{PK_PROTO, 0, 47},
		{PK_PROTO, 0, 1},
		{PK_ECHO, 0, 0},
		{PK_TSTAMP, 0, 0},
		{PK_MASK, 0, 0},
		{PK_ARP, 0, 0},
		{PK_ND, 0, 0},
	};
	memcpy(w->pd, pd, sizeof(pd));
	w->run = (struct raw_run){RUN_PORTS, SCAN_SYN, w->rh, 4, w->pd, 10};
	if (rs_init(&w->s, &w->e, &w->run) < 0)
		abort();
	return w;
}

static void try_one(struct world *w, const uint8_t *p, size_t n, uint16_t type)
{
	struct io_pkt pk = {.data = p, .len = n, .ethertype = type};
	struct match m;
	if (reply_match(&w->s, &pk, &m) && (m.host >= w->run.nhosts || m.probe >= w->run.nprobes))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct world *w = world();
	uint8_t buf[IO_PKTMAX];
	if (size > sizeof(buf))
		size = sizeof(buf);
	static const uint16_t types[] = {PKT_ETH_P_IP, PKT_ETH_P_IPV6, PKT_ETH_P_ARP};
	for (size_t t = 0; t < 3; t++) {
		try_one(w, data, size, types[t]);
		memcpy(buf, data, size);
		if (types[t] == PKT_ETH_P_IP && size >= 20)
			memcpy(buf + 12, w->rh[size % 2].addr.b, 4);
		else if (types[t] == PKT_ETH_P_IPV6 && size >= 40)
			memcpy(buf + 8, w->rh[2 + size % 2].addr.b, 16);
		else if (types[t] == PKT_ETH_P_ARP && size >= 28)
			memcpy(buf + 14, w->rh[size % 2].addr.b, 4);
		try_one(w, buf, size, types[t]);
	}
	return 0;
}
