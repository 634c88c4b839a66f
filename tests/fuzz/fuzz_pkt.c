/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness for src/lib/pkt: every parser on the same input, and
 * the deeper paths (ICMP quote, RFC 4884 extensions, IPv6 extension
 * headers, TCP options) on what parses. Run by scripts/fuzz.sh. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/pkt/pkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkt_ip4 h4;
	struct pkt_ip6 h6;
	struct pkt_tcp t;
	struct pkt_udp u;
	struct pkt_tcp_opts o;
	struct pkt_quote q;
	struct pkt_arp a;
	struct pkt_eth e;
	struct pkt_nd n;
	struct pkt_mpls l[8];
	uint8_t next;

	for (int v6 = 0; v6 < 2; v6++) {
		struct pkt_icmp m = {.v6 = v6};

		if (pkt_icmp_parse(data, size, &m) > 0 && pkt_quote_parse(&m, &q) == 0 && q.ext)
			pkt_ext_mpls(q.ext, q.ext_len, l, 8);
	}
	pkt_ip4_parse(data, size, &h4, size & 1);
	if (pkt_ip6_parse(data, size, &h6, true) > 0) {
		next = h6.next;
		pkt_ip6_skip_ext(data + 40, size - 40, &next);
	}
	if (pkt_tcp_parse(data, size, &t) > 0)
		pkt_tcp_opts_parse(t.opt, t.optlen, &o);
	pkt_udp_parse(data, size, &u);
	pkt_ext_mpls(data, size, l, 8);
	pkt_arp_parse(data, size, &a);
	pkt_eth_parse(data, size, &e);
	pkt_nd_parse(data, size, &n);
	return 0;
}
