/* Unit tests for the rare-feature weights (feature_rarity.h) and their use
 * in the worker's base pool (base_pool.h). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base_pool.h"
#include "feature_rarity.h"

enum { SLOTS = 1024, COMMON = 200, UNIQUE = 500 };

/* A snapshot covering slots 0..COMMON-1, and UNIQUE when asked. */
static void snapshot(uint8_t *snap, bool unique) {
  memset(snap, 0, SLOTS);
  memset(snap, 1, COMMON);
  if (unique)
    snap[UNIQUE] = 4;
}

static bool holds(const cfz_rare_set *s, uint32_t slot) {
  for (uint32_t j = 0; j < s->n; j++)
    if (s->slot[j] == slot)
      return true;
  return false;
}

/* Counts, the rare set, the boost's formula, the effort, the cap. */
START_TEST(test_rarity_counts_and_boost) {
  static uint8_t snap[SLOTS];
  cfz_rare_set set;
  snapshot(snap, false);
  for (int i = 0; i < 64; i++)
    cfz_rarity_note_input(snap, SLOTS, &set);
  ck_assert_uint_eq(set.n, CFZ_RARE_SLOTS);
  ck_assert_uint_eq(cfz_rarity_count(0), 64);
  ck_assert_uint_eq(cfz_rarity_count(COMMON), 0);
  /* 16 slots of count 64: 1 + 4 x 16 / 64 = 2. */
  ck_assert_uint_eq(cfz_rarity_boost(&set), 2 * CFZ_RARE_ONE);
  snapshot(snap, true);
  cfz_rare_set rare;
  cfz_rarity_note_input(snap, SLOTS, &rare);
  ck_assert_uint_eq(rare.n, CFZ_RARE_SLOTS);
  ck_assert(holds(&rare, UNIQUE));
  ck_assert_uint_eq(cfz_rarity_count(UNIQUE), 1);
  uint64_t expect =
      CFZ_RARE_ONE + 4 * (CFZ_RARE_ONE + 15 * (CFZ_RARE_ONE / 65));
  ck_assert_uint_eq(cfz_rarity_boost(&rare), expect);
  ck_assert_uint_eq(cfz_rarity_scale(1000, &rare), 1000 * expect / 1024);
  /* Effort: every CFZ_RARE_EFFORT picks add one to each of its slots. */
  for (uint32_t k = 0; k < CFZ_RARE_EFFORT - 1; k++)
    cfz_rarity_note_pick(&rare);
  ck_assert_uint_eq(cfz_rarity_count(UNIQUE), 1);
  cfz_rarity_note_pick(&rare);
  ck_assert_uint_eq(cfz_rarity_count(UNIQUE), 2);
  ck_assert_uint_eq(cfz_rarity_count(1), 66); /* 0 made way for UNIQUE */
  ck_assert_uint_lt(cfz_rarity_boost(&rare), expect);
  /* Sixteen slots no other input covers: the cap. */
  memset(snap, 0, SLOTS);
  memset(snap + 600, 1, 16);
  cfz_rarity_note_input(snap, SLOTS, &rare);
  ck_assert_uint_eq(cfz_rarity_boost(&rare),
                    (uint64_t)CFZ_RARE_CAP * CFZ_RARE_ONE);
  /* No rare set: no boost; nothing covered: no rare set. */
  memset(snap, 0, SLOTS);
  cfz_rarity_note_input(snap, SLOTS, &rare);
  ck_assert_uint_eq(rare.n, 0);
  ck_assert_uint_eq(cfz_rarity_boost(&rare), CFZ_RARE_ONE);
  ck_assert_uint_eq(cfz_rarity_scale(7, &rare), 7);
  cfz_rarity_clear();
  ck_assert_uint_eq(cfz_rarity_count(0), 0);
}
END_TEST

/* The reweigh signal every CFZ_RARE_REWEIGH picks; slots past
 * CFZ_RARE_MAX_SLOTS are not counted. */
START_TEST(test_rarity_reweigh_and_bounds) {
  cfz_rare_set none = {.n = 0};
  int due = 0;
  for (uint32_t k = 1; k <= 3 * CFZ_RARE_REWEIGH; k++)
    if (cfz_rarity_note_pick(&none)) {
      ck_assert_uint_eq(k % CFZ_RARE_REWEIGH, 0);
      due++;
    }
  ck_assert_int_eq(due, 3);
  size_t n = CFZ_RARE_MAX_SLOTS + 64;
  uint8_t *snap = calloc(n, 1);
  ck_assert_ptr_nonnull(snap);
  snap[n - 1] = 1;
  snap[CFZ_RARE_MAX_SLOTS] = 1;
  cfz_rare_set set;
  cfz_rarity_note_input(snap, n, &set);
  ck_assert_uint_eq(set.n, 0);
  snap[CFZ_RARE_MAX_SLOTS - 1] = 1;
  cfz_rarity_note_input(snap, n, &set);
  ck_assert_uint_eq(set.n, 1);
  ck_assert_uint_eq(set.slot[0], CFZ_RARE_MAX_SLOTS - 1);
  free(snap);
  cfz_rarity_clear();
}
END_TEST

/* Picks as the fuzz loop's rotation does (each pick a base) into counts. */
static void base_picks(cfz_rng *r, unsigned *counts, uint32_t n, int picks) {
  for (int k = 0; k < picks; k++) {
    size_t len, index;
    uint32_t v;
    memcpy(&v, cfz_pool_pick(r, &len, &index), sizeof v);
    ck_assert_uint_lt(v, n);
    cfz_pool_note_pick(index);
    counts[v]++;
  }
}

/* Mean picks of inputs 8..N-1 but `but` (the same recency weight). */
static double plain_mean(const unsigned *counts, uint32_t n, uint32_t but) {
  double sum = 0;
  for (uint32_t i = 8; i < n; i++)
    if (i != but)
      sum += counts[i];
  return sum / (n - 9);
}

/* Picks without noting them (no effort: the weights stay) into counts. */
static void plain_picks(cfz_rng *r, unsigned *counts, uint32_t n, int picks) {
  for (int k = 0; k < picks; k++) {
    size_t len;
    uint32_t v;
    memcpy(&v, cfz_pool_pick(r, &len, NULL), sizeof v);
    ck_assert_uint_lt(v, n);
    counts[v]++;
  }
}

/* In a pool of 64 found inputs covering the same 200 slots, the one that
 * also covers a slot no other covers is picked well over twice as often as
 * the others, and about as often once it has been fuzzed as bases. */
START_TEST(test_base_pool_rare_input) {
  enum { N = 64, RARE = N - 1, PICKS = 16000 };
  static uint8_t snap[SLOTS];
  static unsigned counts[N];
  cfz_rng r;
  cfz_rng_seed(&r, 5);
  snapshot(snap, false);
  for (uint32_t i = 0; i < N - 1; i++)
    cfz_pool_add_found((const uint8_t *)&i, sizeof i, &r, snap, SLOTS);
  base_picks(&r, counts, N, CFZ_RARE_REWEIGH); /* all weights current */
  snapshot(snap, true);
  uint32_t rare = RARE;
  cfz_pool_add_found((const uint8_t *)&rare, sizeof rare, &r, snap, SLOTS);
  memset(counts, 0, sizeof counts);
  plain_picks(&r, counts, N, PICKS);
  double plain = plain_mean(counts, N, RARE);
  ck_assert_msg(counts[RARE] > 2.5 * plain, "rare %u, plain %.1f", counts[RARE],
                plain);
  base_picks(&r, counts, N, 30000);
  memset(counts, 0, sizeof counts);
  plain_picks(&r, counts, N, PICKS);
  plain = plain_mean(counts, N, RARE);
  ck_assert_msg(counts[RARE] < 1.5 * plain && counts[RARE] > plain / 2,
                "fuzzed rare %u, plain %.1f", counts[RARE], plain);
  cfz_pool_clear();
  ck_assert_uint_eq(cfz_rarity_count(0), 0);
}
END_TEST

/* A slow input (24x the median, exec_cost.h) gets no boost: it is picked
 * about as rarely as without its rare slot. */
START_TEST(test_base_pool_rare_but_slow) {
  enum { N = 64, RARE = 40, PICKS = 32000 };
  static uint8_t snap[SLOTS];
  static unsigned counts[N];
  cfz_rng r;
  cfz_rng_seed(&r, 6);
  for (uint32_t i = 0; i < N; i++) {
    snapshot(snap, i == RARE);
    cfz_pool_add_found((const uint8_t *)&i, sizeof i, &r, snap, SLOTS);
  }
  for (int round = 0; round < 3; round++)
    for (uint32_t i = 0; i < N; i++)
      cfz_pool_note_cost(cfz_pool_find((const uint8_t *)&i, sizeof i),
                         i == RARE ? 3200000 : 100000 + 1000 * i);
  for (int k = 0; k < PICKS;
       k++) { /* no effort: cfz_pool_note_pick not called */
    size_t len;
    uint32_t v;
    memcpy(&v, cfz_pool_pick(&r, &len, NULL), sizeof v);
    counts[v]++;
  }
  double plain = plain_mean(counts, N, RARE);
  ck_assert_msg(counts[RARE] > 0 && counts[RARE] < plain / 8,
                "slow rare %u, plain %.1f", counts[RARE], plain);
  cfz_pool_clear();
}
END_TEST

/* Inputs without a snapshot (those the driver sends) have no rare set:
 * base picks noted or not, the picks are those of the plain pool. */
START_TEST(test_base_pool_no_snapshots) {
  enum { N = 300, PICKS = 5000 };
  static uint32_t seq[2][PICKS];
  for (int noted = 0; noted < 2; noted++) {
    cfz_rng r;
    cfz_rng_seed(&r, 11);
    for (uint32_t i = 0; i < N; i++)
      cfz_pool_add((const uint8_t *)&i, sizeof i, &r);
    for (int k = 0; k < PICKS; k++) {
      size_t len, index;
      memcpy(&seq[noted][k], cfz_pool_pick(&r, &len, &index), 4);
      if (noted)
        cfz_pool_note_pick(index);
    }
    cfz_pool_clear();
  }
  ck_assert_mem_eq(seq[0], seq[1], sizeof seq[0]);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("harness_feature_rarity");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_rarity_counts_and_boost);
  tcase_add_test(tc, test_rarity_reweigh_and_bounds);
  tcase_add_test(tc, test_base_pool_rare_input);
  tcase_add_test(tc, test_base_pool_rare_but_slow);
  tcase_add_test(tc, test_base_pool_no_snapshots);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(suite());
  srunner_set_fork_status(sr, CK_FORK);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
