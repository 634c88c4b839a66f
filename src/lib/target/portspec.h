/* SPDX-License-Identifier: Apache-2.0 */
/* nmap's port specifications: -p 22, -p 1-1024,U:53,T:80, -p-, -p -100,
 * -p 60000-, -p http,ssh, -p 'http*', -p [1-1024] (only ports with a
 * name), and the same syntax for --exclude-ports and -sO's protocols.
 * Parsing fills bitmaps; it never prints: a malformed spec returns
 * -EINVAL with nmap's wording of the problem in err. */
#ifndef NETKIT_TARGET_PORTSPEC_H
#define NETKIT_TARGET_PORTSPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct svc_db;

enum { PS_TCP = 1u << 0, PS_UDP = 1u << 1, PS_SCTP = 1u << 2, PS_PROTO = 1u << 3 };

struct portset {
	uint64_t tcp[1024], udp[1024], sctp[1024];
	uint64_t proto[4];
	unsigned seen;	   /* PS_* bits for which a prefix (T:, U:, S:, P:) appeared */
	char prefixes[32]; /* the prefixes' letters in the order they came (nmap
			    * warns at each one the scan does not use) */
	bool dup;	   /* a port was given twice (nmap's "Duplicate port" warning) */
};

static inline bool ps_test(const uint64_t *b, unsigned i)
{
	return b[i >> 6] >> (i & 63) & 1;
}

static inline void ps_set(uint64_t *b, unsigned i)
{
	b[i >> 6] |= 1ull << (i & 63);
}

/* Add spec to ps. Unprefixed ports apply to the protocols in unprefixed
 * (PS_* bits); names are looked up in db for those protocols. With
 * PS_PROTO in unprefixed, numbers are IP protocols (0-255). */
int portspec_parse(const char *spec, const struct svc_db *db, unsigned unprefixed,
		   struct portset *ps, char *err, size_t errlen);
/* Remove every port of ex from ps. */
void portset_subtract(struct portset *ps, const struct portset *ex);
/* Count of bits set in the first nbits of b. */
size_t portset_count(const uint64_t *b, size_t nbits);
/* The set bits in ascending order; out must hold portset_count() items. */
size_t portset_list(const uint64_t *b, size_t nbits, uint16_t *out);
/* "1-2,6,8-10" (nmap's scaninfo services form) in a malloc'd string. */
char *portset_ranges(const uint64_t *b, size_t nbits);
/* Shuffle v[0..n) in place with a xorshift seeded by seed (nmap
 * randomises the port order unless -r). */
void ports_shuffle(uint16_t *v, size_t n, uint64_t seed);
/* Move the TCP ports nmap 7.93 scans first (its 28 most common: 80, 443,
 * 22, ...) to the front of v, keeping their order and the others'
 * relative order otherwise as it was; returns how many moved. */
size_t ports_common_first(uint16_t *v, size_t n);

#endif
