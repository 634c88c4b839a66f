/* SPDX-License-Identifier: Apache-2.0 */
/* --send-eth: probes leave as whole Ethernet frames through a packet
 * socket, past the kernel's routing and netfilter, so the engine names
 * the frame's destination itself, as nmap does: on the LAN the target's
 * own MAC (from the ARP/ND discovery, or the neighbour table), behind a
 * gateway the gateway's. The neighbour table is asked first
 * (RTM_GETNEIGH for one address, as `ip neigh get`); a gateway it does
 * not know is asked directly with ARP or a neighbour solicitation. */
#include "engine/nmap/probe.h"

#include <errno.h>
#include <string.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "lib/nl/nl.h"

#define RESOLVE_TRIES 3
#define RESOLVE_WAIT 0.5 /* seconds for each try's answer */

struct neigh_reply {
	uint8_t *mac;
	bool got;
};

static const struct nl_policy neigh_pol[NDA_MAX + 1] = {
	[NDA_LLADDR] = {MNL_TYPE_BINARY, 0},
};

static int neigh_cb(const struct nlmsghdr *nlh, void *data)
{
	struct neigh_reply *nr = data;
	const struct ndmsg *nd = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[NDA_MAX + 1] = {0};
	if (nlh->nlmsg_type != RTM_NEWNEIGH || nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*nd)) ||
	    nl_parse(nlh, sizeof(*nd), neigh_pol, NDA_MAX, tb) < 0)
		return MNL_CB_OK;
	/* an entry still resolving or given up names no address */
	unsigned usable = NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT;
	if (!(nd->ndm_state & usable) || !tb[NDA_LLADDR] ||
	    mnl_attr_get_payload_len(tb[NDA_LLADDR]) != 6)
		return MNL_CB_OK;
	memcpy(nr->mac, mnl_attr_get_payload(tb[NDA_LLADDR]), 6);
	nr->got = true;
	return MNL_CB_OK;
}

int neigh_lookup(struct nl_sock *nl, int ifindex, const struct pkt_addr *a, uint8_t mac[6])
{
	uint8_t buf[128];
	struct nlmsghdr *nlh = nl_msg_start(nl, buf, RTM_GETNEIGH, NLM_F_REQUEST);
	struct ndmsg *nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));
	nd->ndm_family = a->family;
	nd->ndm_ifindex = ifindex;
	mnl_attr_put(nlh, NDA_DST, pkt_addr_len(a), a->b);
	struct neigh_reply nr = {.mac = mac};
	struct nl_err err;
	int r = nl_talk(nl, nlh, neigh_cb, &nr, &err);
	if (r < 0)
		return r; /* -ENOENT: no entry */
	return nr.got ? 0 : -ENOENT;
}

static int resolve_send(struct engine *e, const struct route_info *ri, const struct pkt_addr *hop)
{
	if (hop->family == AF_INET) {
		static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
		struct pkt_arp a = {.op = PKT_ARP_REQUEST, .spa = ri->src.v4, .tpa = hop->v4};
		uint8_t frame[PKT_ARP_LEN];
		memcpy(a.sha, ri->mac, 6);
		if (pkt_arp_build(frame, sizeof(frame), &a) < 0)
			return -EINVAL;
		int r = io_tx_link(&e->tx, ri->ifindex, PKT_ETH_P_ARP, bcast, frame, sizeof(frame));
		if (r < 0)
			return r;
		engine_trace(e, TRACE_SENT_LOOKUP, io_now(), frame, sizeof(frame));
		e->raw_sent++; /* nmap counts its own ARP for the gateway */
		e->raw_sent_bytes += sizeof(frame);
		return 0;
	}
	struct pkt_addr group;
	uint8_t *buf = io_tx_buf(&e->tx);
	int len = probe_build_nd(e, &ri->src, ri->mac, hop, buf, IO_PKTMAX, &group);
	if (len < 0)
		return len;
	struct sockaddr_in6 s6 = {.sin6_family = AF_INET6,
				  .sin6_addr = group.v6,
				  .sin6_scope_id = (uint32_t)ri->ifindex};
	int r = io_tx_commit(&e->tx, (size_t)len, (struct sockaddr *)&s6, sizeof(s6));
	engine_trace(e, TRACE_SENT_LOOKUP, io_now(), buf, (size_t)len);
	if (r < 0 || (r = io_tx_flush(&e->tx)) < 0)
		return r;
	e->raw_sent++;
	e->raw_sent_bytes += (unsigned long)len;
	return 0;
}

/* Whether a captured packet answers the question for hop: its MAC. */
bool nexthop_answer(const struct io_pkt *pk, const struct pkt_addr *hop, uint8_t mac[6])
{
	if (hop->family == AF_INET) {
		struct pkt_arp a;
		if (pk->ethertype != PKT_ETH_P_ARP || pkt_arp_parse(pk->data, pk->len, &a) < 0 ||
		    a.op != PKT_ARP_REPLY || a.spa.s_addr != hop->v4.s_addr)
			return false;
		memcpy(mac, a.sha, 6);
		return true;
	}
	struct pkt_ip6 h;
	struct pkt_nd nd;
	int hl;
	if (pk->ethertype != PKT_ETH_P_IPV6 ||
	    (hl = pkt_ip6_parse(pk->data, pk->len, &h, false)) < 0 || h.next != IPPROTO_ICMPV6)
		return false;
	size_t plen = h.plen < pk->len - (size_t)hl ? h.plen : pk->len - (size_t)hl;
	if (pkt_nd_parse(pk->data + hl, plen, &nd) < 0 || nd.type != PKT_ND_NEIGHBOR_ADVERT ||
	    memcmp(&nd.target, &hop->v6, 16) || !nd.has_lladdr)
		return false;
	memcpy(mac, nd.lladdr, 6);
	return true;
}

/* Ask hop for its MAC: RESOLVE_TRIES questions, RESOLVE_WAIT apart.
 * Other packets captured meanwhile are dropped: no run is going on. */
static int resolve_hop(struct engine *e, const struct route_info *ri, const struct pkt_addr *hop,
		       uint8_t mac[6])
{
	struct io_pkt pk[IO_BATCH];
	for (int t = 0; t < RESOLVE_TRIES; t++) {
		int r = resolve_send(e, ri, hop);
		if (r < 0)
			return r;
		double end = io_now() + RESOLVE_WAIT;
		for (double now = io_now(); now < end; now = io_now()) {
			io_rx_wait(&e->rx, end - now);
			int n = io_rx_batch(&e->rx, pk, IO_BATCH);
			if (n < 0)
				return n;
			for (int i = 0; i < n; i++)
				if (nexthop_answer(&pk[i], hop, mac)) {
					engine_trace(e, TRACE_RCVD, pk[i].ts, pk[i].data,
						     pk[i].len);
					e->raw_rcvd++;
					e->raw_rcvd_bytes += pk[i].len;
					return 0;
				}
		}
	}
	return -EHOSTUNREACH;
}

void nexthop_resolve(struct engine *e, struct nl_sock *nl, struct rhost *rh, size_t n)
{
	struct pkt_addr last = {0};
	int last_if = 0, lr = -1;
	uint8_t mac[6];
	for (size_t i = 0; i < n; i++) {
		struct route_info *ri = &rh[i].ri;
		if (!ri->src.family || ri->local || ri->loopback || !ri->has_mac)
			continue;
		const struct pkt_addr *hop = ri->direct ? &rh[i].addr : &ri->gw;
		if (!hop->family)
			continue;
		if (last_if != ri->ifindex || !pkt_addr_eq(&last, hop)) {
			lr = neigh_lookup(nl, ri->ifindex, hop, mac);
			/* a host on the LAN gets its MAC from the discovery */
			if (lr < 0 && !ri->direct)
				lr = resolve_hop(e, ri, hop, mac);
			last = *hop;
			last_if = ri->ifindex;
		}
		if (lr == 0) {
			memcpy(ri->nh_mac, mac, 6);
			ri->has_nh_mac = true;
		}
	}
}
