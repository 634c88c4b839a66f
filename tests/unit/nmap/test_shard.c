/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of target shards (lib/target/shard.h): the keyed permutation
 * is a bijection with an inverse, and for N in {1, 2, 3, 7, 16} the shards
 * of a target list are pairwise disjoint, their union is the single run's
 * targets (after exclusions) in the single run's order once merged on the
 * index, for CIDR blocks, octet ranges, -iL lists and IPv6; the same seed
 * gives the same shards, another seed other ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/target/shard.h"
#include "lib/target/target.h"

struct walked {
	uint64_t *pos;
	struct sockaddr_storage *addr;
	size_t n;
};

static int add_word(void *ctx, const char *w)
{
	char msg[256];
	return target_list_add(ctx, w, strchr(w, ':') ? AF_INET6 : AF_INET, msg, sizeof(msg)) < 0
		       ? -1
		       : 0;
}

/* specs is a whitespace-separated list, as an -iL file holds it */
static void make_list(struct target_list *l, const char *specs)
{
	char *dup = strdup(specs);
	assert_non_null(dup);
	assert_int_equal(target_words(dup, add_word, l), 0);
	free(dup);
}

/* The walk of l after excludes, restricted to shard s (NULL: all). */
static void walk(const struct target_list *l, const struct target_list *ex, const struct shard *s,
		 struct walked *w)
{
	struct target_iter it = {0};
	struct sockaddr_storage ss;
	const struct target_spec *t;
	size_t cap = 1024;
	w->n = 0;
	w->pos = malloc(cap * sizeof(*w->pos));
	w->addr = malloc(cap * sizeof(*w->addr));
	while (target_next(l, &it, &ss, &t) == 1) {
		if (s && !shard_member(s, it.pos))
			continue;
		if (target_list_contains(ex, &ss))
			continue;
		if (w->n == cap) {
			cap *= 2;
			w->pos = realloc(w->pos, cap * sizeof(*w->pos));
			w->addr = realloc(w->addr, cap * sizeof(*w->addr));
		}
		w->pos[w->n] = it.pos;
		w->addr[w->n++] = ss;
	}
}

static void walked_free(struct walked *w)
{
	free(w->pos);
	free(w->addr);
}

/* Shards of specs minus excl for n: merged on the index they give back
 * the single walk exactly (so disjoint and complete), each in order. */
static void check_shards(const char *specs, const char *excl, uint64_t n, uint64_t seed)
{
	struct target_list l = {0}, ex = {0};
	make_list(&l, specs);
	if (excl)
		make_list(&ex, excl);
	uint64_t m;
	assert_int_equal(target_list_slots(&l, &m), 0);
	struct walked all, *sh = calloc(n, sizeof(*sh));
	walk(&l, &ex, NULL, &all);
	size_t *at = calloc(n, sizeof(*at)), total = 0;
	for (uint64_t i = 0; i < n; i++) {
		struct shard s;
		assert_int_equal(shard_init(&s, n, i, seed, m), 0);
		walk(&l, &ex, &s, &sh[i]);
		total += sh[i].n;
		for (size_t k = 1; k < sh[i].n; k++)
			assert_true(sh[i].pos[k - 1] < sh[i].pos[k]);
	}
	assert_int_equal(total, all.n);
	/* k-way merge on the index: each of the single run's targets comes
	 * from exactly one shard, at that shard's next place */
	for (size_t k = 0; k < all.n; k++) {
		int owner = -1;
		for (uint64_t i = 0; i < n; i++)
			if (at[i] < sh[i].n && sh[i].pos[at[i]] == all.pos[k]) {
				assert_int_equal(owner, -1);
				owner = (int)i;
			}
		assert_int_not_equal(owner, -1);
		assert_memory_equal(&sh[owner].addr[at[owner]], &all.addr[k], sizeof(all.addr[k]));
		at[owner]++;
	}
	for (uint64_t i = 0; i < n; i++)
		walked_free(&sh[i]);
	walked_free(&all);
	free(sh);
	free(at);
	target_list_free(&l);
	target_list_free(&ex);
}

static const uint64_t ns[] = {1, 2, 3, 7, 16};

static void test_perm_bijection(void **state)
{
	(void)state;
	const uint64_t ms[] = {1, 2, 3, 5, 16, 17, 1000, 4096, 12345};
	for (size_t j = 0; j < sizeof(ms) / sizeof(ms[0]); j++) {
		struct shard_perm p;
		shard_perm_init(&p, ms[j], 42);
		uint8_t *seen = calloc(ms[j], 1);
		for (uint64_t x = 0; x < ms[j]; x++) {
			uint64_t y = shard_perm_fwd(&p, x);
			assert_true(y < ms[j]);
			assert_false(seen[y]);
			seen[y] = 1;
			assert_int_equal(shard_perm_inv(&p, y), x);
		}
		free(seen);
	}
	/* the largest domains: still reversible */
	struct shard_perm p;
	shard_perm_init(&p, UINT64_MAX, 7);
	for (uint64_t x = UINT64_MAX - 1000; x < UINT64_MAX; x++)
		assert_int_equal(shard_perm_inv(&p, shard_perm_fwd(&p, x)), x);
}

static void test_cidr_and_ranges(void **state)
{
	(void)state;
	for (size_t j = 0; j < sizeof(ns) / sizeof(ns[0]); j++) {
		check_shards("10.0.0.0/22", NULL, ns[j], 0);
		check_shards("10.1-3.0-255.1,5,7-9 192.168.0.*", NULL, ns[j], 1);
		check_shards("10.0.0.0/30 10.0.0.1 10.0.0.0/31", NULL, ns[j], 2); /* repeats */
	}
}

static void test_excludes_and_lists(void **state)
{
	(void)state;
	/* an -iL file's text, comments and all, with --exclude */
	const char *il = "# targets\n10.2.0.0/24\n\n172.16.5.1-40 # a range\n10.9.9.9\n";
	for (size_t j = 0; j < sizeof(ns) / sizeof(ns[0]); j++) {
		check_shards(il, "10.2.0.128/25 172.16.5.3", ns[j], 99);
		check_shards("10.0.0.0/24", "10.0.0.0/24", ns[j], 3); /* nothing left */
	}
}

static void test_ipv6(void **state)
{
	(void)state;
	for (size_t j = 0; j < sizeof(ns) / sizeof(ns[0]); j++)
		check_shards("fd00::/118 fd00:1::5 fd00:2::10/126", "fd00::3", ns[j], 5);
}

static uint64_t shard_bits(uint64_t n, uint64_t i, uint64_t seed, uint64_t m)
{
	struct shard s;
	assert_int_equal(shard_init(&s, n, i, seed, m), 0);
	uint64_t v = 0;
	for (uint64_t x = 0; x < 64; x++)
		v |= (uint64_t)shard_member(&s, x) << x;
	return v;
}

static void test_seed(void **state)
{
	(void)state;
	/* same seed, same shard (as on another machine); another seed,
	 * another split of the same space */
	assert_int_equal(shard_bits(3, 1, 1234, 64), shard_bits(3, 1, 1234, 64));
	assert_int_not_equal(shard_bits(3, 1, 1234, 64), shard_bits(3, 1, 1235, 64));
	/* balanced: sizes differ by at most one */
	for (uint64_t i = 0; i < 7; i++) {
		int c = __builtin_popcountll(shard_bits(7, i, 9, 64));
		assert_true(c == 9 || c == 10);
	}
	struct shard s;
	assert_int_equal(shard_init(&s, 0, 0, 0, 10), -22);
	assert_int_equal(shard_init(&s, 3, 3, 0, 10), -22);
}

static void test_slots(void **state)
{
	(void)state;
	struct target_list l = {0};
	make_list(&l, "10.0.0.0/24 10.1-2.1.1,2 fd00::/120 10.0.0.1");
	uint64_t m;
	assert_int_equal(target_list_slots(&l, &m), 0);
	assert_int_equal(m, 256 + 4 + 256 + 1);
	target_list_free(&l);
	make_list(&l, "fd00::/64 fd01::/64");
	assert_int_equal(target_list_slots(&l, &m), -7); /* -E2BIG */
	target_list_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_perm_bijection),
		cmocka_unit_test(test_cidr_and_ranges),
		cmocka_unit_test(test_excludes_and_lists),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_seed),
		cmocka_unit_test(test_slots),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
