/* SPDX-License-Identifier: Apache-2.0 */
/* The impairment daemon's pieces: the timer heap (lib/io/timerq) and the
 * per-packet decision (loss, delay, jitter). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "cmd/lab/lab.h"
#include "lib/io/timerq.h"

static void test_timerq_order(void **state)
{
	(void)state;
	struct timerq q = TIMERQ_INIT;
	struct timerq_item t;
	assert_false(timerq_peek(&q, &t));
	assert_false(timerq_pop(&q, &t));
	/* a pseudo-random mix, many more than the first allocation */
	uint64_t x = 12345;
	for (int i = 0; i < 5000; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		assert_int_equal(timerq_push(&q, x >> 40, (uint64_t)i), 0);
	}
	assert_int_equal(timerq_len(&q), 5000);
	uint64_t last = 0;
	for (int i = 0; i < 5000; i++) {
		struct timerq_item p;
		assert_true(timerq_peek(&q, &p));
		assert_true(timerq_pop(&q, &t));
		assert_true(p.due == t.due && p.id == t.id);
		assert_true(t.due >= last);
		last = t.due;
	}
	assert_int_equal(timerq_len(&q), 0);
	/* interleaved pushes and pops keep the order */
	timerq_push(&q, 30, 3);
	timerq_push(&q, 10, 1);
	timerq_pop(&q, &t);
	assert_int_equal(t.id, 1);
	timerq_push(&q, 20, 2);
	timerq_push(&q, 40, 4);
	for (uint64_t want = 2; want <= 4; want++) {
		assert_true(timerq_pop(&q, &t));
		assert_int_equal(t.id, want);
	}
	timerq_free(&q);
}

static void test_impair_loss_and_delay(void **state)
{
	(void)state;
	struct impair_model m = {.delay_ns = 20000000, .loss_ppm = 100000, .rng = 42};
	int n = 200000, dropped = 0;
	for (int i = 0; i < n; i++) {
		uint64_t d = impair_decide(&m);
		if (d == IMPAIR_DROP)
			dropped++;
		else
			assert_int_equal(d, 20000000);
	}
	double frac = (double)dropped / n;
	assert_true(frac > 0.097 && frac < 0.103);
	struct impair_model none = {.delay_ns = 5, .rng = 7};
	for (int i = 0; i < 1000; i++)
		assert_int_equal(impair_decide(&none), 5);
}

static void test_impair_jitter(void **state)
{
	(void)state;
	struct impair_model m = {.delay_ns = 10000000, .jitter_ns = 5000000, .rng = 99};
	double sum = 0;
	uint64_t lo = UINT64_MAX, hi = 0;
	int n = 100000;
	for (int i = 0; i < n; i++) {
		uint64_t d = impair_decide(&m);
		assert_true(d >= 5000000 && d <= 15000000);
		lo = d < lo ? d : lo;
		hi = d > hi ? d : hi;
		sum += (double)d;
	}
	double mean = sum / n;
	assert_true(mean > 9.95e6 && mean < 10.05e6); /* symmetric */
	assert_true(lo < 5100000 && hi > 14900000);   /* and it spans the range */
}

/* The timer lead follows the wakeups' lateness: it settles at their mean,
 * moves 1/16 of the way each time, never goes below 0 or above the cap,
 * and one long stall moves it no more than the cap allows. */
static void test_impair_lead(void **state)
{
	(void)state;
	uint64_t lead = 0;
	for (int i = 0; i < 400; i++) /* wakeups 80 and 120 us late, alternately */
		lead = impair_lead_update(lead, i % 2 ? 120000 : 80000);
	assert_true(lead > 97000 && lead < 103000);
	assert_int_equal(impair_lead_update(160000, 0), 150000);
	assert_int_equal(impair_lead_update(0, 16000), 1000);
	assert_int_equal(impair_lead_update(0, 0), 0);
	uint64_t after = impair_lead_update(100000, 5000000000ull); /* a 5 s stall */
	assert_int_equal(after, 100000 + (IMPAIR_LEAD_MAX_NS - 100000) / 16);
	lead = 0;
	for (int i = 0; i < 1000; i++)
		lead = impair_lead_update(lead, UINT64_MAX);
	assert_true(lead <= IMPAIR_LEAD_MAX_NS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timerq_order),
		cmocka_unit_test(test_impair_loss_and_delay),
		cmocka_unit_test(test_impair_jitter),
		cmocka_unit_test(test_impair_lead),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
