/* test_exec_cost.c - the slow-input rule (exec_cost.h) and the corpus
 * index's use of it. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "corpus_index.h"
#include "exec_cost.h"
#include "rng.h"

static cfz_cost cost(uint64_t ns, uint32_t n) { return (cfz_cost){ns, n, 0}; }

START_TEST(shift_buckets) {
  enum { REF = 100000 }; /* 100 us: above the floor */
  cfz_cost c = cost(REF, 5);
  ck_assert_int_eq(cfz_cost_shift(&c, 0), 0); /* no reference yet */
  ck_assert_int_eq(cfz_cost_shift(&c, REF), 0);
  c = cost(8 * REF - 1, 5);
  ck_assert_int_eq(cfz_cost_shift(&c, REF), 0);
  c = cost(8 * REF, 5);
  ck_assert_int_eq(cfz_cost_shift(&c, REF), -3);
  c = cost(16 * REF - 1, 5);
  ck_assert_int_eq(cfz_cost_shift(&c, REF), -3);
  c = cost(16 * REF, 5);
  ck_assert_int_eq(cfz_cost_shift(&c, REF), -4);
  c = cost(40 * REF, 5);
  ck_assert_int_eq(cfz_cost_shift(&c, REF), -5);
  c = cost(UINT64_C(1) << 40, 5);
  ck_assert_int_eq(cfz_cost_shift(&c, REF), -CFZ_COST_MAX_SHIFT);
  c = cost(40 * REF, CFZ_COST_SAMPLES - 1); /* not measured often enough */
  ck_assert_int_eq(cfz_cost_shift(&c, REF), 0);
  c = cost(REF / 8, CFZ_COST_SAMPLES);
  ck_assert_int_eq(cfz_cost_shift(&c, REF), 1);
  c = cost(REF / 8, CFZ_COST_SAMPLES - 1);
  ck_assert_int_eq(cfz_cost_shift(&c, REF), 0);
  c = cost(REF / 8 + 1, 5);
  ck_assert_int_eq(cfz_cost_shift(&c, REF), 0);
  c = cost(0, 0);
  ck_assert_int_eq(cfz_cost_shift(&c, REF), 0);
  /* Under the floor nothing is slow, and nothing fast against a ref
   * under it: 40 us against 1 us, 1 us against 40 us. */
  c = cost(40000, 5);
  ck_assert_int_eq(cfz_cost_shift(&c, 1000), 0);
  c = cost(CFZ_COST_FLOOR_NS, 5); /* 50x */
  ck_assert_int_eq(cfz_cost_shift(&c, 1000), -5);
  c = cost(1000, 5);
  ck_assert_int_eq(cfz_cost_shift(&c, 40000), 0);
  ck_assert_int_eq(cfz_cost_shift(&c, CFZ_COST_FLOOR_NS), 1);
  ck_assert_uint_eq(cfz_cost_scale(1024, -3), 128);
  ck_assert_uint_eq(cfz_cost_scale(1024, 1), 2048);
  ck_assert_uint_eq(cfz_cost_scale(5, -6), 1); /* never 0 */
  ck_assert_uint_eq(cfz_cost_scale(0, -6), 0);
}
END_TEST

/* The estimate is the geometric mean: within 7 % (the fixed-point log's
 * error), a base whose windows are mostly slow is slow however fast a few
 * are, and one window 256x too slow among a hundred moves it little. */
START_TEST(note_geometric_mean_clamped) {
  cfz_cost c = {0};
  cfz_cost_note(&c, 100000);
  ck_assert_uint_ge(c.ns, 93000);
  ck_assert_uint_le(c.ns, 107000);
  cfz_cost_note(&c, 400000); /* geometric mean 200 us */
  ck_assert_uint_ge(c.ns, 186000);
  ck_assert_uint_le(c.ns, 214000);
  ck_assert_uint_eq(c.n, 2);
  /* 20 ms windows with a few of 1.4 us (mutants that all failed fast). */
  c = (cfz_cost){0};
  for (int i = 0; i < 100; i++)
    cfz_cost_note(&c, i % 10 == 0 ? 1400 : 20000000);
  ck_assert_uint_ge(c.ns, 5000000);
  /* A typical 2 us input, one window preempted (512 us). */
  c = (cfz_cost){0};
  for (int i = 0; i < 100; i++)
    cfz_cost_note(&c, i == 50 ? 512000 : 2000);
  ck_assert_uint_ge(c.ns, 1860);
  ck_assert_uint_le(c.ns, 2300);
  /* Equal measurements: that value (within 7 %), however many. */
  c = (cfz_cost){0};
  for (int i = 0; i < 1000; i++)
    cfz_cost_note(&c, 3000);
  ck_assert_uint_ge(c.ns, 2790);
  ck_assert_uint_le(c.ns, 3210);
  c = (cfz_cost){0};
  cfz_cost_note(&c, UINT64_MAX);
  ck_assert_uint_eq(c.ns, CFZ_COST_MAX_NS);
  c = (cfz_cost){0};
  cfz_cost_note(&c, 0);
  ck_assert_uint_eq(c.ns, 1);
  /* The count saturates; the estimate stays. */
  c = (cfz_cost){5000, UINT32_MAX, 0};
  cfz_cost_note(&c, 1);
  ck_assert_uint_eq(c.ns, 5000);
  ck_assert_uint_eq(c.n, UINT32_MAX);
}
END_TEST

/* The stand-in bound: an eighth of the cost, for an input measured 3 times
 * at 50 us or more; else 0 (no execution timed). */
START_TEST(standin_limit) {
  cfz_cost c = cost(800000, CFZ_COST_SAMPLES);
  ck_assert_uint_eq(cfz_cost_standin_limit(&c), 800000 / CFZ_STANDIN_FAST);
  c = cost(800000, CFZ_COST_SAMPLES - 1);
  ck_assert_uint_eq(cfz_cost_standin_limit(&c), 0);
  c = cost(CFZ_COST_FLOOR_NS - 1, 9);
  ck_assert_uint_eq(cfz_cost_standin_limit(&c), 0);
  c = cost(CFZ_COST_FLOOR_NS, 9);
  ck_assert_uint_eq(cfz_cost_standin_limit(&c),
                    CFZ_COST_FLOOR_NS / CFZ_STANDIN_FAST);
  c = cost(0, 0);
  ck_assert_uint_eq(cfz_cost_standin_limit(&c), 0);
}
END_TEST

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

START_TEST(median_matches_sort) {
  static uint64_t v[1000], w[1000];
  uint64_t s = 9;
  ck_assert_uint_eq(cfz_cost_median(v, 0), 0);
  for (int round = 0; round < 300; round++) {
    size_t n = 1 + cfz_splitmix64(&s) % 1000;
    uint64_t range = round % 3 == 0 ? 4 : 1000000; /* many equal ones */
    for (size_t i = 0; i < n; i++)
      v[i] = w[i] = cfz_splitmix64(&s) % range;
    qsort(w, n, sizeof *w, cmp_u64);
    ck_assert_uint_eq(cfz_cost_median(v, n), w[n / 2]);
  }
}
END_TEST

/* The driver's corpus index: an entry reported 16x slower than the others
 * is picked about 1/16 as often, never not at all; reports the worker cannot
 * have meant (0, an entry that is not there, absurd times) change nothing
 * or are clamped. */
START_TEST(index_weighs_slow_entries_down) {
  enum { N = 40, PICKS = 40000 };
  cfz_corpus_index ix;
  cfz_index_init(&ix);
  for (uint32_t i = 0; i < N; i++)
    ck_assert_int_eq(cfz_index_add(&ix, (const uint8_t *)&i, sizeof i, NULL, 0),
                     (long)i);
  uint64_t before = ix.weights.total;
  cfz_index_note_cost(&ix, N, 5); /* no such entry */
  cfz_index_note_cost(&ix, 3, 0); /* no measurement */
  ck_assert_uint_eq(ix.cost_ref.measured, 0);
  for (int round = 0; round < 3; round++)
    for (uint32_t i = 0; i < N; i++)
      cfz_index_note_cost(&ix, i,
                          i == 7   ? 1600000
                          : i == 9 ? UINT64_MAX
                                   : 100000);
  ck_assert_uint_ge(ix.cost_ref.ns, 93000); /* 100 us, within 7 % */
  ck_assert_uint_le(ix.cost_ref.ns, 107000);
  ck_assert_uint_eq(ix.e[9].cost.ns, CFZ_COST_MAX_NS);
  ck_assert_int_eq(ix.e[7].shift, -4);
  ck_assert_int_eq(ix.e[9].shift, -CFZ_COST_MAX_SHIFT);
  ck_assert_uint_lt(ix.weights.total, before);
  unsigned counts[N] = {0};
  uint64_t s = 1;
  for (int k = 0; k < PICKS; k++)
    counts[cfz_index_pick(&ix, cfz_splitmix64(&s))]++;
  /* Entries 0..34 have no recent bonus; picks decay the weights alike. */
  double plain = 0;
  for (uint32_t i = 0; i < 35; i++)
    if (i != 7 && i != 9)
      plain += counts[i];
  plain /= 33;
  ck_assert_msg(counts[7] > plain / 32 && counts[7] < plain / 8,
                "slow %u, plain %.0f", counts[7], plain);
  ck_assert_msg(counts[9] > 0 && counts[9] < counts[7], "slowest %u",
                counts[9]);
  cfz_index_free(&ix);
}
END_TEST

int main(void) {
  Suite *s = suite_create("exec_cost");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, shift_buckets);
  tcase_add_test(tc, note_geometric_mean_clamped);
  tcase_add_test(tc, median_matches_sort);
  tcase_add_test(tc, standin_limit);
  tcase_add_test(tc, index_weighs_slow_entries_down);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
