/* SPDX-License-Identifier: Apache-2.0 */
/* SipHash vectors from the paper, the permutation's bijectivity, and the
 * token-bucket pacer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "lib/io/rawio.h"
#include "lib/util/perm.h"
#include "lib/util/siphash.h"

static void test_siphash_vectors(void **state)
{
	(void)state;
	struct siphash_key k = {.k0 = 0x0706050403020100ULL, .k1 = 0x0f0e0d0c0b0a0908ULL};
	uint8_t msg[64];
	for (int i = 0; i < 64; i++)
		msg[i] = (uint8_t)i;
	assert_true(siphash24(&k, msg, 0) == 0x726fdb47dd0e0e31ULL);
	assert_true(siphash24(&k, msg, 15) == 0xa129ca6149be45e5ULL);
	assert_true(siphash24(&k, msg, 8) == 0x93f5f5799a932462ULL);
}

static void check_bijection(uint64_t n)
{
	struct siphash_key k = {.k0 = 12345, .k1 = 678};
	struct perm p;
	perm_init(&p, n, &k);
	uint8_t *seen = calloc(n, 1);
	assert_non_null(seen);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t x = perm_at(&p, i);
		assert_true(x < n);
		assert_int_equal(seen[x], 0);
		seen[x] = 1;
		assert_true(perm_index(&p, x) == i);
	}
	free(seen);
}

static void test_perm(void **state)
{
	(void)state;
	check_bijection(1);
	check_bijection(2);
	check_bijection(3);
	check_bijection(1000);
	check_bijection(65535);
	check_bijection(65536 * 3 + 7);
}

static void test_pacer(void **state)
{
	(void)state;
	struct io_pacer p;
	io_pacer_init(&p, 1000, 10, 0.0);
	assert_int_equal(io_pacer_take(&p, 100, 0.0), 10);
	assert_int_equal(io_pacer_take(&p, 100, 0.0), 0);
	assert_true(io_pacer_wait(&p, 0.0) > 0.0009);
	assert_int_equal(io_pacer_take(&p, 100, 0.005), 5);
	io_pacer_init(&p, 0, 1, 0.0);
	assert_int_equal(io_pacer_take(&p, 77, 0.0), 77);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_siphash_vectors),
		cmocka_unit_test(test_perm),
		cmocka_unit_test(test_pacer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
