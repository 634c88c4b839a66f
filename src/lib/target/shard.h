/* SPDX-License-Identifier: Apache-2.0 */
/* Deterministic shards of a target list (nmap --shards N --shard I
 * --seed S), as zmap and masscan split a scan over machines.
 *
 * Every address of a target list has an index: its position in the
 * single run's walk (target_next), counted over the specs as written,
 * before exclusions, a name taking its slots whether it resolves or not.
 * A keyed Feistel network with cycle walking permutes the index space
 * [0, M); shard I owns the indices whose image is congruent to I mod N.
 * So the shards are disjoint, their union is every index, their sizes
 * differ by at most one, and the same (M, N, seed) gives the same shards
 * on any machine. Each shard still walks its own targets in the single
 * run's order, so a merge of the shards' outputs is a plain k-way merge
 * on the index. Pure functions: nothing here prints or exits. */
#ifndef NETKIT_TARGET_SHARD_H
#define NETKIT_TARGET_SHARD_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/target/target.h"

#define SHARD_ROUNDS 6

/* A keyed permutation of [0, m). */
struct shard_perm {
	uint64_t m;
	unsigned half;	/* bits in each Feistel half */
	uint64_t hmask; /* (1 << half) - 1 */
	uint64_t key[SHARD_ROUNDS];
};

void shard_perm_init(struct shard_perm *p, uint64_t m, uint64_t seed);
/* The image of x < m, and its inverse; both are < m. */
uint64_t shard_perm_fwd(const struct shard_perm *p, uint64_t x);
uint64_t shard_perm_inv(const struct shard_perm *p, uint64_t y);

struct shard {
	uint64_t n, i, seed;
	struct shard_perm perm;
};

/* Set up shard i of n (i < n, n >= 1) over a list of m indices. */
int shard_init(struct shard *s, uint64_t n, uint64_t i, uint64_t seed, uint64_t m);
/* Whether index idx (< m) belongs to the shard. */
bool shard_member(const struct shard *s, uint64_t idx);

/* The list's index space: how many slots its specs take (target_next's
 * it->pos runs over it). -E2BIG when it does not fit in 64 bits. */
int target_list_slots(const struct target_list *l, uint64_t *m);

#endif
