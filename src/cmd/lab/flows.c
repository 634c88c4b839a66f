/* SPDX-License-Identifier: Apache-2.0 */
/* Attributing packets on an impaired link to tracer probes, the records
 * the impairment daemon writes, and the join of every daemon's records
 * into the loss each probe flow really suffered (see flows.h). */
#include "cmd/lab/flows.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_flow(struct impair_pkt *p, char kind, uint8_t proto, uint16_t id, uint16_t port,
		     uint32_t tag)
{
	p->kind = kind;
	p->proto = proto;
	p->id = id;
	p->port = port;
	p->tag = tag;
}

/* An ICMP error: a reply if it quotes a probe. */
static int classify_error(const struct pkt_icmp *m, struct impair_pkt *p)
{
	struct pkt_quote q;
	if (pkt_quote_parse(m, &q) < 0 || q.l4_len < 8)
		return 0;
	uint8_t echo = m->v6 ? PKT_ICMP6_ECHO : PKT_ICMP_ECHO;
	if ((q.proto == IPPROTO_ICMP || q.proto == IPPROTO_ICMPV6) && q.icmp_type == echo)
		set_flow(p, 'R', IPPROTO_ICMP, q.icmp_id, 0, q.icmp_seq);
	else if (q.proto == IPPROTO_UDP)
		set_flow(p, 'R', IPPROTO_UDP, q.sport, q.dport, q.udp_csum);
	else if (q.proto == IPPROTO_TCP)
		set_flow(p, 'R', IPPROTO_TCP, q.sport, q.dport, q.tcp_seq);
	else
		return 0;
	return 1;
}

static int classify_l4(uint8_t proto, const uint8_t *l4, size_t len, struct impair_pkt *p)
{
	if (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6) {
		struct pkt_icmp m = {.v6 = p->v6};
		if ((proto == IPPROTO_ICMPV6) != p->v6 || pkt_icmp_parse(l4, len, &m) < 0)
			return -EBADMSG;
		if (m.type == (p->v6 ? PKT_ICMP6_ECHO : PKT_ICMP_ECHO))
			set_flow(p, 'P', IPPROTO_ICMP, m.id, 0, m.seq);
		else if (m.type == (p->v6 ? PKT_ICMP6_ECHOREPLY : PKT_ICMP_ECHOREPLY))
			set_flow(p, 'R', IPPROTO_ICMP, m.id, 0, m.seq);
		else
			return pkt_icmp_is_error(&m) ? classify_error(&m, p) : 0;
		return 1;
	}
	if (proto == IPPROTO_UDP) {
		struct pkt_udp u;
		if (pkt_udp_parse(l4, len, &u) < 0)
			return -EBADMSG;
		if (p->ttl > IMPAIR_PROBE_TTL)
			return 0;
		set_flow(p, 'P', IPPROTO_UDP, u.sport, u.dport, u.csum);
		return 1;
	}
	if (proto == IPPROTO_TCP) {
		/* the fixed header only: options may lie past the snap length */
		if (len < PKT_TCP_HLEN)
			return -EBADMSG;
		uint8_t flags = l4[13];
		uint16_t sport = pkt_get16(l4), dport = pkt_get16(l4 + 2);
		if ((flags & (PKT_TCP_SYN | PKT_TCP_ACK | PKT_TCP_RST)) == PKT_TCP_SYN)
			set_flow(p, 'P', IPPROTO_TCP, sport, dport, pkt_get32(l4 + 4));
		else if (flags & PKT_TCP_RST ||
			 (flags & (PKT_TCP_SYN | PKT_TCP_ACK)) == (PKT_TCP_SYN | PKT_TCP_ACK))
			/* the answer to a SYN acknowledges its sequence + 1 */
			set_flow(p, 'R', IPPROTO_TCP, dport, sport, pkt_get32(l4 + 8) - 1);
		else
			return 0;
		return 1;
	}
	return 0;
}

int impair_classify(const uint8_t *buf, size_t len, struct impair_pkt *p)
{
	memset(p, 0, sizeof(*p));
	if (len < 1)
		return -EBADMSG;
	if (buf[0] >> 4 == 4) {
		struct pkt_ip4 h;
		int hl = pkt_ip4_parse(buf, len, &h, true);
		if (hl < 0)
			return -EBADMSG;
		if (h.frag & 0x1fff) /* a later fragment: no header to read */
			return 0;
		p->ttl = h.ttl;
		pkt_addr4(&p->src, &h.src);
		return classify_l4(h.proto, buf + hl, len - (size_t)hl, p);
	}
	if (buf[0] >> 4 == 6) {
		struct pkt_ip6 h;
		if (pkt_ip6_parse(buf, len, &h, true) < 0)
			return -EBADMSG;
		uint8_t next = h.next;
		int off = pkt_ip6_skip_ext(buf + PKT_IP6_HLEN, len - PKT_IP6_HLEN, &next);
		if (off < 0)
			return -EBADMSG;
		p->v6 = true;
		p->ttl = h.hlim;
		pkt_addr6(&p->src, &h.src);
		size_t at = PKT_IP6_HLEN + (size_t)off;
		return classify_l4(next, buf + at, len - at, p);
	}
	return -EBADMSG;
}

const char *impair_proto_name(uint8_t proto)
{
	return proto == IPPROTO_ICMP ? "icmp" : proto == IPPROTO_UDP ? "udp" : "tcp";
}

int impair_rec_format(const struct impair_pkt *p, bool dropped, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN];
	if (!inet_ntop(p->v6 ? AF_INET6 : AF_INET, p->src.b, a, sizeof(a)))
		return -EINVAL;
	int n = snprintf(buf, size, "%c %d %s%c %u %u %u %u %s\n", p->kind, dropped,
			 impair_proto_name(p->proto), p->v6 ? '6' : '4', p->id, p->port, p->tag,
			 p->ttl, a);
	return n < 0 || (size_t)n >= size ? -ENOSPC : n;
}

int impair_rec_parse(const char *line, struct impair_pkt *p, bool *dropped)
{
	char kind, proto[8], addr[INET6_ADDRSTRLEN + 1];
	int drop, end = 0;
	unsigned id, port, ttl;
	unsigned long tag;
	memset(p, 0, sizeof(*p));
	if (sscanf(line, "%c %d %7s %u %u %lu %u %46s%n", &kind, &drop, proto, &id, &port, &tag,
		   &ttl, addr, &end) != 8 ||
	    (line[end] && line[end] != '\n') || (kind != 'P' && kind != 'R') ||
	    (drop != 0 && drop != 1) || id > 0xffff || port > 0xffff || tag > 0xffffffffu ||
	    ttl > 255)
		return -EBADMSG;
	size_t pl = strlen(proto);
	if (pl < 4 || (proto[pl - 1] != '4' && proto[pl - 1] != '6'))
		return -EBADMSG;
	p->v6 = proto[pl - 1] == '6';
	proto[pl - 1] = 0;
	if (!strcmp(proto, "icmp"))
		p->proto = IPPROTO_ICMP;
	else if (!strcmp(proto, "udp"))
		p->proto = IPPROTO_UDP;
	else if (!strcmp(proto, "tcp"))
		p->proto = IPPROTO_TCP;
	else
		return -EBADMSG;
	p->src.family = p->v6 ? AF_INET6 : AF_INET;
	if (inet_pton(p->src.family, addr, p->src.b) != 1)
		return -EBADMSG;
	p->kind = kind;
	p->id = (uint16_t)id;
	p->port = (uint16_t)port;
	p->tag = (uint32_t)tag;
	p->ttl = (uint8_t)ttl;
	*dropped = drop;
	return 0;
}

/* ---- the join ------------------------------------------------------------ */

struct flow_probe {
	uint64_t flow; /* used | v6 | proto | id | port */
	uint32_t tag;
	uint8_t ttl; /* largest seen on the probe; 0: probe not seen */
	bool probe_dropped, reply_dropped;
};

#define FLOW_USED (1ull << 63)

static uint64_t flow_key(const struct impair_pkt *p)
{
	return FLOW_USED | (uint64_t)p->v6 << 48 | (uint64_t)p->proto << 40 |
	       (uint64_t)p->id << 16 | p->port;
}

static size_t slot_of(uint64_t flow, uint32_t tag, size_t cap)
{
	uint64_t h = (flow ^ ((uint64_t)tag << 20) ^ tag) * 0x9e3779b97f4a7c15ull;
	return (size_t)(h >> 20) & (cap - 1);
}

static struct flow_probe *lookup(struct flow_probe *tab, size_t cap, uint64_t flow, uint32_t tag)
{
	size_t i = slot_of(flow, tag, cap);
	while (tab[i].flow && (tab[i].flow != flow || tab[i].tag != tag))
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

static int grow(struct flow_join *j)
{
	size_t cap = j->cap ? j->cap * 2 : 1024;
	struct flow_probe *t = calloc(cap, sizeof(*t));
	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < j->cap; i++)
		if (j->tab[i].flow)
			*lookup(t, cap, j->tab[i].flow, j->tab[i].tag) = j->tab[i];
	free(j->tab);
	j->tab = t;
	j->cap = cap;
	return 0;
}

void flow_join_init(struct flow_join *j)
{
	memset(j, 0, sizeof(*j));
}

void flow_join_free(struct flow_join *j)
{
	free(j->tab);
	memset(j, 0, sizeof(*j));
}

int flow_join_add(struct flow_join *j, const struct impair_pkt *p, bool dropped)
{
	if (2 * (j->n + 1) > j->cap && grow(j) < 0)
		return -ENOMEM;
	uint64_t flow = flow_key(p);
	struct flow_probe *e = lookup(j->tab, j->cap, flow, p->tag);
	if (!e->flow) {
		e->flow = flow;
		e->tag = p->tag;
		j->n++;
	}
	if (p->kind == 'P') {
		if (p->ttl > e->ttl)
			e->ttl = p->ttl;
		e->probe_dropped |= dropped;
	} else {
		e->reply_dropped |= dropped;
	}
	return 0;
}

static int cmp_flow(const void *a, const void *b)
{
	uint64_t x = ((const struct flow_probe *)a)->flow, y = ((const struct flow_probe *)b)->flow;
	return x < y ? -1 : x > y;
}

int flow_join_sum(const struct flow_join *j, struct flow_sum **out)
{
	/* the probes that were seen, sorted by flow: one sum per run */
	struct flow_probe *v = malloc((j->n ? j->n : 1) * sizeof(*v));
	size_t n = 0, nsum = 0;
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < j->cap; i++)
		if (j->tab[i].flow && j->tab[i].ttl)
			v[n++] = j->tab[i];
	qsort(v, n, sizeof(*v), cmp_flow);
	for (size_t i = 0; i < n; i++)
		nsum += !i || v[i].flow != v[i - 1].flow;
	struct flow_sum *s = calloc(nsum ? nsum : 1, sizeof(*s));
	if (!s) {
		free(v);
		return -ENOMEM;
	}
	struct flow_sum *cur = s - 1;
	for (size_t i = 0; i < n; i++) {
		if (!i || v[i].flow != v[i - 1].flow) {
			cur++;
			cur->v6 = v[i].flow >> 48 & 1;
			cur->proto = (uint8_t)(v[i].flow >> 40);
			cur->id = (uint16_t)(v[i].flow >> 16);
			cur->port = (uint16_t)v[i].flow;
		}
		struct flow_hop *h = &cur->hop[v[i].ttl];
		h->probes++;
		h->probe_dropped += v[i].probe_dropped;
		/* a dropped probe has no reply to lose */
		h->reply_dropped += !v[i].probe_dropped && v[i].reply_dropped;
		if (v[i].ttl > cur->maxttl)
			cur->maxttl = v[i].ttl;
	}
	free(v);
	*out = s;
	return (int)nsum;
}
