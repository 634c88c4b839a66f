/* SPDX-License-Identifier: Apache-2.0 */
/* The lab DNS server's data, made from the topology: a hosts file (names
 * and PTR for every lab address), and dnsmasq lines for the AS lookups
 * mtr -z/-y make (origin.asn.cymru.com / origin6.asn.cymru.com / ASn.
 * asn.cymru.com TXT) and for names of whole local ranges. Pure text
 * generation into a growing buffer. */
#ifndef NETKIT_CMD_LAB_DNSDATA_H
#define NETKIT_CMD_LAB_DNSDATA_H

#include <stddef.h>

#include "cmd/lab/topo.h"

struct strbuf {
	char *s;
	size_t len, cap;
	int err; /* -ENOMEM once an append failed */
};

void sb_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_free(struct strbuf *b);

/* "ADDR HOST.lab HOST" per address */
void dns_hosts_file(const struct topo *t, struct strbuf *b);
/* txt-record= and synth-domain= lines */
void dns_records(const struct topo *t, struct strbuf *b);
/* The AS lookup name for address a: "4.3.2.1.origin.asn.cymru.com", or
 * the first `nibbles` nibbles of an IPv6 address reversed under
 * origin6.asn.cymru.com (mtr asks with 16: the /64). */
void dns_origin_name(const struct rtnl_prefix *a, unsigned nibbles, char *buf, size_t size);

#endif
