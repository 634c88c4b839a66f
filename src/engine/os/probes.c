/* SPDX-License-Identifier: Apache-2.0 */
/* nmap's second-generation OS detection probes, byte for byte as nmap
 * 7.93 sends them (its documentation's probe list, checked against its
 * --packet-trace in the lab): options, windows, flags, DF, ICMP codes and
 * sizes, the UDP probe's 300 'C' bytes and IP ID 0x1042. */
#include "engine/os/os.h"

#include <errno.h>
#include <string.h>

struct topt {
	uint16_t win;
	uint8_t flags;
	bool df;
	const char *opts; /* m=MSS w=wscale n=NOP s=SACK-permitted t=timestamp l=EOL */
	uint16_t mss;
	uint8_t ws;
};

/* SEQ1-6, ECN, T2-T7 */
static const struct topt tcp_probes[] = {
	[OSP_SEQ1] = {1, PKT_TCP_SYN, false, "wnmts", 1460, 10},
	[OSP_SEQ2] = {63, PKT_TCP_SYN, false, "mwstl", 1400, 0},
	[OSP_SEQ3] = {4, PKT_TCP_SYN, false, "tnnwnm", 640, 5},
	[OSP_SEQ4] = {4, PKT_TCP_SYN, false, "stwl", 0, 10},
	[OSP_SEQ5] = {16, PKT_TCP_SYN, false, "mstwl", 536, 10},
	[OSP_SEQ6] = {512, PKT_TCP_SYN, false, "mst", 265, 0},
	[OSP_ECN] = {3, PKT_TCP_SYN | PKT_TCP_ECE | PKT_TCP_CWR, false, "wnmsnn", 1460, 10},
	[OSP_T2] = {128, 0, true, "wnmts", 265, 10},
	[OSP_T3] = {256, PKT_TCP_SYN | PKT_TCP_FIN | PKT_TCP_URG | PKT_TCP_PSH, false, "wnmts", 265,
		    10},
	[OSP_T4] = {1024, PKT_TCP_ACK, true, "wnmts", 265, 10},
	[OSP_T5] = {31337, PKT_TCP_SYN, false, "wnmts", 265, 10},
	[OSP_T6] = {32768, PKT_TCP_ACK, true, "wnmts", 265, 10},
	[OSP_T7] = {65535, PKT_TCP_FIN | PKT_TCP_PSH | PKT_TCP_URG, false, "wnmts", 265, 15},
};

static int tcp_opts(const struct topt *t, uint8_t *o, size_t cap)
{
	int n = 0;
	for (const char *c = t->opts; *c && n >= 0; c++) {
		switch (*c) {
		case 'm': n = pkt_tcpopt_mss(o, cap, (size_t)n, t->mss); break;
		case 'w': n = pkt_tcpopt_wscale(o, cap, (size_t)n, t->ws); break;
		case 'n': n = pkt_tcpopt_nop(o, cap, (size_t)n); break;
		case 's': n = pkt_tcpopt_sackperm(o, cap, (size_t)n); break;
		case 't': n = pkt_tcpopt_ts(o, cap, (size_t)n, 0xffffffffu, 0); break;
		case 'l':
			if ((size_t)n >= cap)
				return -ENOSPC;
			o[n++] = 0;
			break;
		}
	}
	return n;
}

static bool is_tcp(enum os_probe p)
{
	return p <= OSP_SEQ6 || p >= OSP_ECN;
}

uint16_t os_probe_dport(enum os_probe p, const struct os_probe_params *pp)
{
	if (p == OSP_U1)
		return pp->closed_udp;
	if (!is_tcp(p))
		return 0;
	return p >= OSP_T5 ? pp->closed_port : pp->open_port;
}

int os_probe_tcp(enum os_probe p, const struct os_tcp_probe *tp, uint8_t *l4, size_t cap)
{
	if (p < 0 || p >= OSP_N || !is_tcp(p))
		return -EINVAL;
	const struct topt *t = &tcp_probes[p];
	uint8_t opt[40];
	int ol = tcp_opts(t, opt, sizeof(opt));
	if (ol < 0)
		return ol;
	struct pkt_tcp tcp = {.sport = tp->sport,
			      .dport = tp->dport,
			      .seq = tp->seq,
			      .ack = tp->ack,
			      .flags = t->flags,
			      .window = t->win,
			      .urg = p == OSP_ECN ? 0xF7F5 : 0,
			      .opt = opt,
			      .optlen = (size_t)ol};
	return pkt_tcp_build(l4, cap, &tcp, NULL, 0, tp->src, tp->dst);
}

static int build_l4(enum os_probe p, const struct os_probe_params *pp, uint8_t *l4, size_t cap,
		    struct pkt_ip4 *ip)
{
	if (is_tcp(p)) {
		struct os_tcp_probe tp = {.sport = (uint16_t)(pp->sport_base + p),
					  .dport = os_probe_dport(p, pp),
					  .seq = pp->seq + (p <= OSP_SEQ6 ? (uint32_t)p : 0),
					  .ack = pp->ack,
					  .src = &pp->src,
					  .dst = &pp->dst};
		ip->proto = IPPROTO_TCP;
		ip->frag = tcp_probes[p].df ? PKT_IP4_DF : 0;
		return os_probe_tcp(p, &tp, l4, cap);
	}
	if (p == OSP_U1) {
		uint8_t data[OS_U1_LEN - 28];
		memset(data, 'C', sizeof(data));
		struct pkt_udp u = {.sport = (uint16_t)(pp->sport_base + p),
				    .dport = pp->closed_udp};
		ip->proto = IPPROTO_UDP;
		ip->id = OS_U1_IPID;
		return pkt_udp_build(l4, cap, &u, data, sizeof(data), &pp->src, &pp->dst);
	}
	/* IE1: DF, TOS 0, code 9, seq 295, 120 zero bytes; IE2: TOS 4,
	 * code 0, seq 296, 150 zero bytes, the next id */
	uint8_t data[150] = {0};
	bool first = p == OSP_IE1;
	struct pkt_icmp m = {.type = PKT_ICMP_ECHO,
			     .code = first ? 9 : 0,
			     .rest = (uint32_t)(pp->icmp_id + !first) << 16 |
				     (first ? 295u : 296u)};
	ip->proto = IPPROTO_ICMP;
	ip->frag = first ? PKT_IP4_DF : 0;
	ip->tos = first ? 0 : 4;
	return pkt_icmp_build(l4, cap, &m, data, first ? 120 : 150, NULL, NULL);
}

int os_probe_build(enum os_probe p, const struct os_probe_params *pp, uint8_t *buf, size_t cap)
{
	if (p < 0 || p >= OSP_N || cap < PKT_IP4_HLEN)
		return -EINVAL;
	/* nmap gives every probe a random IP ID; stacks that echo the
	 * request's ID in their echo replies (lwIP, gVisor) show it in II */
	struct pkt_ip4 ip = {.ttl = pp->ttl,
			     .id = (uint16_t)(pp->ipid + (unsigned)p * 40503u),
			     .src = pp->src.v4,
			     .dst = pp->dst.v4};
	int n = build_l4(p, pp, buf + PKT_IP4_HLEN, cap - PKT_IP4_HLEN, &ip);
	if (n < 0)
		return n;
	int h = pkt_ip4_build(buf, cap, &ip, (size_t)n);
	return h < 0 ? h : h + n;
}
