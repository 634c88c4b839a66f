/* SPDX-License-Identifier: Apache-2.0 */
/* Feistel permutation with cycle walking: 4 rounds, SipHash as the round
 * function. Cycle walking terminates because the Feistel network is a
 * bijection of [0, 2^(2*half_bits)), which holds fewer than 4n values. */
#include "lib/util/perm.h"

#define PERM_ROUNDS 4

void perm_init(struct perm *p, uint64_t n, const struct siphash_key *key)
{
	unsigned bits = 2;
	while (bits < 64 && (1ULL << bits) < n)
		bits += 2;
	p->n = n;
	p->half_bits = bits / 2;
	p->half_mask = (1ULL << p->half_bits) - 1;
	p->key = *key;
}

static uint64_t round_fn(const struct perm *p, unsigned r, uint64_t x)
{
	uint64_t in[2] = {x, r};
	return siphash24(&p->key, in, sizeof(in)) & p->half_mask;
}

static uint64_t feistel(const struct perm *p, uint64_t x)
{
	uint64_t l = x >> p->half_bits, r = x & p->half_mask;
	for (unsigned i = 0; i < PERM_ROUNDS; i++) {
		uint64_t t = l ^ round_fn(p, i, r);
		l = r;
		r = t;
	}
	return (l << p->half_bits) | r;
}

static uint64_t feistel_inv(const struct perm *p, uint64_t x)
{
	uint64_t l = x >> p->half_bits, r = x & p->half_mask;
	for (unsigned i = PERM_ROUNDS; i-- > 0;) {
		uint64_t t = r ^ round_fn(p, i, l);
		r = l;
		l = t;
	}
	return (l << p->half_bits) | r;
}

uint64_t perm_at(const struct perm *p, uint64_t i)
{
	uint64_t x = i;
	do
		x = feistel(p, x);
	while (x >= p->n);
	return x;
}

uint64_t perm_index(const struct perm *p, uint64_t x)
{
	uint64_t i = x;
	do
		i = feistel_inv(p, i);
	while (i >= p->n);
	return i;
}
