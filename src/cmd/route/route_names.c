/* SPDX-License-Identifier: Apache-2.0 */
/* Address-to-name lookups the way net-tools does them: the destination
 * 0.0.0.0/0 is "default", host routes and gateways go through
 * gethostbyaddr(), networks through getnetbyaddr() (/etc/networks), and
 * what has no name stays numeric. Answers are cached per (address, kind)
 * as net-tools does, so a large table costs one lookup per address. */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/route/route.h"

#define NAME_BUCKETS 4096

struct name_ent {
	struct name_ent *next;
	uint32_t addr;
	bool host;
	char name[16];
};

struct route_names {
	struct name_ent *bucket[NAME_BUCKETS];
};

struct route_names *route_names_new(void)
{
	return calloc(1, sizeof(struct route_names));
}

void route_names_free(struct route_names *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < NAME_BUCKETS; i++)
		for (struct name_ent *e = n->bucket[i], *next; e; e = next) {
			next = e->next;
			free(e);
		}
	free(n);
}

static void lookup(uint32_t addr, bool host, char *out)
{
	char name[ROUTE_NAME_MAX] = "";
	if (host) {
		struct hostent *h = gethostbyaddr(&addr, sizeof(addr), AF_INET);
		if (h && h->h_name)
			snprintf(name, sizeof(name), "%s", h->h_name);
	} else {
		struct netent *np = getnetbyaddr(ntohl(addr), AF_INET);
		if (np && np->n_name)
			snprintf(name, sizeof(name), "%s", np->n_name);
	}
	if (!name[0])
		route_ntoa(addr, name);
	size_t n = strnlen(name, 15); /* net-tools cuts at 15 */
	memcpy(out, name, n);
	out[n] = '\0';
}

const char *route_name4(struct route_names *n, uint32_t addr, bool host, bool numeric, bool dest,
			char *out)
{
	if (dest && addr == 0 && !numeric)
		return "default";
	/* 0.0.0.0 is never looked up (a gateway, or 0.0.0.0/1) */
	if (numeric || !n || addr == 0) {
		route_ntoa(addr, out);
		return out;
	}
	unsigned h = (addr * 2654435761u) >> 20;
	struct name_ent **b = &n->bucket[h % NAME_BUCKETS];
	for (struct name_ent *e = *b; e; e = e->next)
		if (e->addr == addr && e->host == host)
			return e->name;
	struct name_ent *e = malloc(sizeof(*e));
	if (!e) {
		route_ntoa(addr, out);
		return out;
	}
	e->addr = addr;
	e->host = host;
	lookup(addr, host, e->name);
	e->next = *b;
	*b = e;
	return e->name;
}

void route_name6(const uint8_t *addr, bool numeric, char *out, size_t size)
{
	static const uint8_t any[16];
	if (!numeric && !memcmp(addr, any, 16)) {
		snprintf(out, size, "[::]");
		return;
	}
	if (!numeric) {
		struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6};
		memcpy(&sin6.sin6_addr, addr, 16);
		if (!getnameinfo((struct sockaddr *)&sin6, sizeof(sin6), out, (socklen_t)size, NULL,
				 0, 0))
			return;
	}
	if (!inet_ntop(AF_INET6, addr, out, (socklen_t)size))
		snprintf(out, size, "?");
}
