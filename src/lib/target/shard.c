/* SPDX-License-Identifier: Apache-2.0 */
/* Keyed Feistel permutation of a target index space and its shards
 * (see shard.h). */
#include "lib/target/shard.h"

#include <errno.h>

/* splitmix64's finaliser: a good 64-bit mix, cheap. */
static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

void shard_perm_init(struct shard_perm *p, uint64_t m, uint64_t seed)
{
	unsigned bits = 0;
	/* the smallest even width whose domain holds m, at least 2 bits */
	while (bits < 64 && (m - 1) >> bits)
		bits++;
	bits += bits & 1;
	if (bits < 2)
		bits = 2;
	p->m = m;
	p->half = bits / 2;
	p->hmask = p->half == 32 ? 0xffffffffull : (1ull << p->half) - 1;
	uint64_t k = seed ^ 0x6a09e667f3bcc909ull;
	for (int r = 0; r < SHARD_ROUNDS; r++)
		p->key[r] = k = mix64(k + 0x9e3779b97f4a7c15ull * (uint64_t)(r + 1));
}

static uint64_t round_f(const struct shard_perm *p, int r, uint64_t x)
{
	return mix64(x ^ p->key[r]) & p->hmask;
}

/* One pass of the network over the full 2*half-bit domain. */
static uint64_t feistel(const struct shard_perm *p, uint64_t x, bool inverse)
{
	uint64_t l = x >> p->half & p->hmask, r = x & p->hmask;
	for (int k = 0; k < SHARD_ROUNDS; k++) {
		int rd = inverse ? SHARD_ROUNDS - 1 - k : k;
		if (!inverse) {
			uint64_t t = l ^ round_f(p, rd, r);
			l = r;
			r = t;
		} else {
			uint64_t t = r ^ round_f(p, rd, l);
			r = l;
			l = t;
		}
	}
	return l << p->half | r;
}

/* Cycle walking: apply the network until the value falls inside [0, m);
 * a permutation of the larger domain restricted so is one of [0, m). */
uint64_t shard_perm_fwd(const struct shard_perm *p, uint64_t x)
{
	do
		x = feistel(p, x, false);
	while (x >= p->m);
	return x;
}

uint64_t shard_perm_inv(const struct shard_perm *p, uint64_t y)
{
	do
		y = feistel(p, y, true);
	while (y >= p->m);
	return y;
}

int shard_init(struct shard *s, uint64_t n, uint64_t i, uint64_t seed, uint64_t m)
{
	if (n == 0 || i >= n)
		return -EINVAL;
	s->n = n;
	s->i = i;
	s->seed = seed;
	shard_perm_init(&s->perm, m ? m : 1, seed);
	return 0;
}

bool shard_member(const struct shard *s, uint64_t idx)
{
	if (s->n == 1)
		return true;
	return shard_perm_fwd(&s->perm, idx) % s->n == s->i;
}

int target_list_slots(const struct target_list *l, uint64_t *m)
{
	unsigned __int128 sum = 0;
	for (size_t i = 0; i < l->n; i++) {
		sum += target_spec_slots(&l->v[i]);
		if (sum > UINT64_MAX)
			return -E2BIG;
	}
	*m = (uint64_t)sum;
	return 0;
}
