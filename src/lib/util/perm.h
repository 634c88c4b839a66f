/* SPDX-License-Identifier: Apache-2.0 */
/* A keyed, reversible random permutation of [0, n): a balanced Feistel
 * network on the smallest even-bit domain covering n, with cycle walking
 * to stay inside [0, n). The scanner walks (host, port) indices through it
 * so probes go out in random order without a shuffled table in memory,
 * and any index range can be cut into disjoint shards. */
#ifndef NETKIT_UTIL_PERM_H
#define NETKIT_UTIL_PERM_H

#include <stdint.h>

#include "lib/util/siphash.h"

struct perm {
	uint64_t n;
	unsigned half_bits; /* bits per Feistel half */
	uint64_t half_mask;
	struct siphash_key key;
};

void perm_init(struct perm *p, uint64_t n, const struct siphash_key *key);
/* The i-th element of the permutation (i < n). */
uint64_t perm_at(const struct perm *p, uint64_t i);
/* Inverse: the position of x (x < n). */
uint64_t perm_index(const struct perm *p, uint64_t x);

#endif
