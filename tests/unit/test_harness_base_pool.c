/* Unit tests for the worker's base pool weights (base_pool.h): rarity.
 * Recency and the basics are in test_harness_mutator.c. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base_pool.h"

/* Rarity: of 64 inputs found with the same coverage, one that also
 * covered a counter slot no other input covers is picked as a base far
 * more often than the others; the boost fades as it is picked (fuzzing
 * effort on its rare slot), and the others are still picked. */
START_TEST(test_base_pool_rarity) {
  enum { N = 64, SLOTS = 100 };
  uint8_t common[SLOTS] = {0}, rare[SLOTS] = {0};
  for (int s = 0; s < 40; s++)
    common[s] = rare[s] = 1;
  rare[77] = 4;
  cfz_rng r;
  cfz_rng_seed(&r, 3);
  for (uint32_t i = 0; i < N; i++)
    cfz_pool_add_found((const uint8_t *)&i, sizeof i, &r,
                       i == 10 ? rare : common, SLOTS);
  unsigned first = 0, later = 0, others = 0;
  for (int k = 0; k < 20000; k++) {
    size_t len;
    uint32_t v;
    memcpy(&v, cfz_pool_pick_base(&r, &len), sizeof v);
    ck_assert_uint_lt(v, N);
    if (v == 10)
      *(k < 1000 ? &first : &later) += 1;
    else
      others++;
  }
  /* Uniform would give 1000 / 64, about 16, in the first 1,000 picks. */
  ck_assert_msg(first > 2 * 1000 / N, "rare input picked %u of the first 1000",
                first);
  ck_assert_msg(later * 4 < 19 * first * 3,
                "picked %u of the first 1000, %u of 19000", first, later);
  ck_assert_uint_gt(others, 20000 / 2);
  cfz_pool_clear();
}
END_TEST

/* Without a coverage snapshot (inputs the driver sent) there is no rarity:
 * equal inputs are picked alike by either pick. */
START_TEST(test_base_pool_no_snapshot) {
  enum { N = 32, PICKS = 16000 };
  unsigned counts[N] = {0};
  cfz_rng r;
  cfz_rng_seed(&r, 4);
  for (uint32_t i = 0; i < N; i++)
    cfz_pool_add((const uint8_t *)&i, sizeof i, &r);
  for (int k = 0; k < PICKS; k++) {
    size_t len;
    uint32_t v;
    memcpy(&v, k % 2 ? cfz_pool_pick_base(&r, &len) : cfz_pool_pick(&r, &len),
           sizeof v);
    counts[v]++;
  }
  for (uint32_t i = 0; i < N; i++)
    ck_assert_msg(counts[i] > PICKS / N / 2 && counts[i] < 2 * PICKS / N,
                  "input %u picked %u times", i, counts[i]);
  cfz_pool_clear();
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("harness_base_pool");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_base_pool_rarity);
  tcase_add_test(tc, test_base_pool_no_snapshot);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
