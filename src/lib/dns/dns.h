/* SPDX-License-Identifier: Apache-2.0 */
/* Asynchronous name resolution on c-ares: PTR, A/AAAA and TXT lookups
 * with timeouts, driven by the caller's poll loop, so a slow or dead DNS
 * server never stalls probing or a screen. Used by mtr (hop names, AS
 * lookups) and nmap (reverse DNS).
 *
 * Loop integration: dns_pollfds() fills pollfds, dns_timeout_ms() caps the
 * poll timeout, dns_process() runs after poll (also when it timed out, so
 * retries and timeouts fire). Callbacks run from dns_process() (or from
 * dns_close() with DNS_CANCELLED). Nothing here prints or exits. */
#ifndef NETKIT_DNS_H
#define NETKIT_DNS_H

#include <poll.h>
#include <stddef.h>
#include <sys/socket.h>

enum dns_status {
	DNS_OK = 0,
	DNS_NOTFOUND, /* NXDOMAIN or no data of that type */
	DNS_TIMEOUT,
	DNS_FAILED,    /* server failure, refused, bad reply */
	DNS_CANCELLED, /* dns_close() with the query pending */
};

struct dns_opts {
	int timeout_ms;	     /* per try; 0: 2000 */
	int tries;	     /* 0: 2 */
	const char *servers; /* "ip[:port],..." or NULL for resolv.conf */
};

struct dns;

typedef void (*dns_name_cb)(void *arg, enum dns_status st, const char *name);
typedef void (*dns_addr_cb)(void *arg, enum dns_status st, const struct sockaddr_storage *addrs,
			    size_t n);
/* txt: the record's strings, each TXT record's character-strings joined */
typedef void (*dns_txt_cb)(void *arg, enum dns_status st, const char *const *txt, size_t n);

/* Returns 0 or -errno (-EINVAL for a bad server list). */
int dns_open(struct dns **out, const struct dns_opts *o);
/* Cancels what is pending (callbacks see DNS_CANCELLED) and frees. */
void dns_close(struct dns *d);

/* Each returns 0 once the query is queued, or -errno; the callback runs
 * exactly once in either case unless an error is returned. */
int dns_ptr(struct dns *d, const struct sockaddr *sa, dns_name_cb cb, void *arg);
int dns_resolve(struct dns *d, const char *name, int family, dns_addr_cb cb, void *arg);
int dns_txt(struct dns *d, const char *name, dns_txt_cb cb, void *arg);

int dns_pollfds(struct dns *d, struct pollfd *p, int max);
void dns_process(struct dns *d, const struct pollfd *p, int n);
/* The poll timeout to use: max_ms, or sooner if a query times out first. */
int dns_timeout_ms(struct dns *d, int max_ms);
unsigned dns_pending(const struct dns *d);

/* The reverse name of an address under suffix: "4.3.2.1.in-addr.arpa" for
 * suffix "in-addr.arpa"; IPv6 as nibbles. Returns the length or -ENOSPC. */
int dns_rev_name(const struct sockaddr *sa, const char *suffix, char *buf, size_t len);

#endif
