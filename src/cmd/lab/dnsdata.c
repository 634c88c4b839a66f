/* SPDX-License-Identifier: Apache-2.0 */
/* Lab DNS data (see dnsdata.h). */
#include "cmd/lab/dnsdata.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/rtnetlink.h>

/* Above this many addresses a prefix gets TXT records only for the lab
 * addresses inside it (dnsmasq keeps TXT records in a list). */
#define DNS_ENUM_MAX 4096

void sb_printf(struct strbuf *b, const char *fmt, ...)
{
	if (b->err)
		return;
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		size_t room = b->cap - b->len;
		int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? room : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->err = -EINVAL;
			return;
		}
		if (b->s && (size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = b->cap ? b->cap * 2 : 4096;
		while (cap - b->len <= (size_t)n)
			cap *= 2;
		char *s = realloc(b->s, cap);
		if (!s) {
			b->err = -ENOMEM;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
}

void sb_free(struct strbuf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

void dns_hosts_file(const struct topo *t, struct strbuf *b)
{
	char a[64];
	for (unsigned i = 0; i < t->naddrs; i++) {
		const struct topo_addr *ad = &t->addrs[i];
		const char *h = t->hosts[ad->ep.host].name;
		sb_printf(b, "%s %s.lab %s\n", rtnl_prefix_str(&ad->pfx, false, a, sizeof(a)), h,
			  h);
	}
}

void dns_origin_name(const struct rtnl_prefix *a, unsigned nibbles, char *buf, size_t size)
{
	if (a->family == AF_INET) {
		snprintf(buf, size, "%u.%u.%u.%u.origin.asn.cymru.com", a->addr[3], a->addr[2],
			 a->addr[1], a->addr[0]);
		return;
	}
	size_t off = 0;
	static const char hex[] = "0123456789abcdef";
	if (nibbles > 32)
		nibbles = 32;
	for (int i = (int)nibbles - 1; i >= 0 && off + 3 < size; i--) {
		uint8_t byte = a->addr[i / 2];
		buf[off++] = hex[i % 2 ? byte & 0xf : byte >> 4];
		buf[off++] = '.';
	}
	snprintf(buf + off, size - off, "origin6.asn.cymru.com");
}

static void origin_txt(struct strbuf *b, const struct topo_asn *as, const struct rtnl_prefix *a,
		       unsigned nibbles)
{
	char name[128], pfx[64];
	dns_origin_name(a, nibbles, name, sizeof(name));
	sb_printf(b, "txt-record=%s,\"%u | %s | ZZ | lab | 2026-01-01\"\n", name, as->asn,
		  rtnl_prefix_str(&as->pfx, true, pfx, sizeof(pfx)));
}

static void asn_origins(const struct topo *t, const struct topo_asn *as, struct strbuf *b)
{
	if (as->pfx.family == AF_INET && as->pfx.len >= 32 - 12) {
		uint32_t base;
		memcpy(&base, as->pfx.addr, 4);
		base = ntohl(base);
		uint32_t count = 1u << (32 - as->pfx.len);
		base &= ~(count - 1);
		for (uint32_t i = 0; i < count && i < DNS_ENUM_MAX; i++) {
			struct rtnl_prefix a = {.family = AF_INET, .len = 32};
			uint32_t v = htonl(base + i);
			memcpy(a.addr, &v, 4);
			origin_txt(b, as, &a, 32);
		}
		return;
	}
	/* mtr asks for the /64 of an IPv6 address (16 nibbles): one name for
	 * a /64 prefix; Team Cymru answers the full 32 too */
	if (as->pfx.family == AF_INET6 && as->pfx.len == 64)
		origin_txt(b, as, &as->pfx, 16);
	for (unsigned i = 0; i < t->naddrs; i++)
		if (rtnl_prefix_contains(&as->pfx, &t->addrs[i].pfx)) {
			origin_txt(b, as, &t->addrs[i].pfx, 32);
			if (as->pfx.family == AF_INET6 && as->pfx.len != 64)
				origin_txt(b, as, &t->addrs[i].pfx, 16);
		}
}

void dns_records(const struct topo *t, struct strbuf *b)
{
	for (unsigned i = 0; i < t->nasn; i++) {
		asn_origins(t, &t->asn[i], b);
		bool seen = false;
		for (unsigned j = 0; j < i; j++)
			seen |= t->asn[j].asn == t->asn[i].asn;
		if (!seen)
			sb_printf(b,
				  "txt-record=AS%u.asn.cymru.com,\"%u | ZZ | lab | 2026-01-01 | "
				  "LAB-AS%u\"\n",
				  t->asn[i].asn, t->asn[i].asn, t->asn[i].asn);
	}
	/* every address of a local range gets a name (and its PTR) */
	for (unsigned i = 0; i < t->nroutes; i++) {
		const struct topo_route *rt = &t->routes[i];
		char pfx[64];
		if (rt->type != RTN_LOCAL || rt->dst.len == rtnl_family_len(rt->dst.family) * 8)
			continue;
		sb_printf(b, "synth-domain=%s.lab,%s,h-\n", t->hosts[rt->host].name,
			  rtnl_prefix_str(&rt->dst, true, pfx, sizeof(pfx)));
	}
}
