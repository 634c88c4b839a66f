/* Reverse DNS for scan results. Until the shared asynchronous resolver
 * (src/lib/dns, c-ares) is available this uses getnameinfo(), one name at
 * a time, which is what nmap's --system-dns does. */
#include "engine/nmap/internal.h"

#include <netdb.h>
#include <stdlib.h>
#include <string.h>

int scan_rdns(const struct scan_config *cfg, struct host *hosts, size_t n)
{
	if (cfg->resolve == 1)
		return 0;
	for (size_t i = 0; i < n; i++) {
		struct host *h = &hosts[i];
		if (h->rdns || (cfg->resolve != 2 && !cfg->list_only && h->status != HOST_UP))
			continue;
		char name[NI_MAXHOST];
		socklen_t sl = h->addr.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
							     : sizeof(struct sockaddr_in);
		if (getnameinfo((const struct sockaddr *)&h->addr, sl, name, sizeof(name), NULL, 0,
				NI_NAMEREQD) == 0)
			h->rdns = strdup(name);
	}
	return 0;
}
