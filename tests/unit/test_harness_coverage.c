/* Unit tests for the coverage module: counter registration, buckets,
 * has_new / snapshot / reset, trace-pc-guard, trace-pc, value profile. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cmp_trace.h"
#include "coverage.h"
#include "features_off.h"

void __sanitizer_cov_8bit_counters_init(uint8_t *start, uint8_t *stop);
void __sanitizer_cov_trace_pc_guard_init(uint32_t *start, uint32_t *stop);
void __sanitizer_cov_trace_pc_guard(uint32_t *guard);
void __sanitizer_cov_trace_pc(void);
void __sanitizer_cov_trace_cmp4(uint32_t a, uint32_t b);
void __sanitizer_cov_trace_cmp8(uint64_t a, uint64_t b);
void __sanitizer_cov_trace_switch(uint64_t val, uint64_t *cases);

#define GLOBAL_SIZE (1u << 18)
static uint8_t global_map[GLOBAL_SIZE];
static uint8_t snap[GLOBAL_SIZE];

static uint8_t counters_a[64] __attribute__((aligned(8)));
static uint8_t counters_b[40] __attribute__((aligned(8)));

START_TEST(test_buckets) {
  static const struct {
    unsigned hits;
    uint8_t bit;
  } cases[] = {{0, 0},   {1, 1},    {2, 2},     {3, 4},     {4, 8},
               {7, 8},   {8, 16},   {15, 16},   {16, 32},   {31, 32},
               {32, 64}, {127, 64}, {128, 128}, {200, 128}, {255, 128}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    ck_assert_uint_eq(cfz_cov_bucket((uint8_t)cases[i].hits), cases[i].bit);
}
END_TEST

START_TEST(test_none_without_instrumentation) {
  ck_assert_str_eq(cfz_cov_kind(), "none");
  ck_assert_uint_eq(cfz_cov_counters(), 0);
  ck_assert(!cfz_cov_has_new(global_map));
}
END_TEST

START_TEST(test_8bit_counters) {
  __sanitizer_cov_8bit_counters_init(counters_a, counters_a + 64);
  __sanitizer_cov_8bit_counters_init(counters_a, counters_a + 64); /* dup */
  ck_assert_str_eq(cfz_cov_kind(), "inline-8bit-counters");
  ck_assert_uint_eq(cfz_cov_counters(), 64);

  cfz_cov_reset();
  ck_assert(!cfz_cov_has_new(global_map));
  counters_a[3] = 3;
  counters_a[10] = 200;
  counters_a[63] = 1;
  ck_assert(cfz_cov_has_new(global_map));

  memset(snap, 0xee, 128);
  ck_assert_uint_eq(cfz_cov_snapshot(snap, GLOBAL_SIZE), 64);
  for (size_t i = 0; i < 64; i++) {
    uint8_t want = i == 3 ? 4 : i == 10 ? 128 : i == 63 ? 1 : 0;
    ck_assert_uint_eq(snap[i], want);
  }
  ck_assert_uint_eq(snap[64], 0xee); /* nothing past n */
  ck_assert_uint_eq(cfz_cov_count_features(snap, 64), 3);
  ck_assert_uint_eq(cfz_cov_edges(), 3); /* counters hit, any count */
  counters_a[11] = 128;                  /* only the high bit set */
  counters_a[12] = 127;
  ck_assert_uint_eq(cfz_cov_edges(), 5);
  counters_a[11] = counters_a[12] = 0;

  /* The global map already holds these bits: nothing new. */
  memcpy(global_map, snap, 64);
  ck_assert(!cfz_cov_has_new(global_map));
  /* A new bucket for an old counter is new. */
  counters_a[3] = 5;
  ck_assert(cfz_cov_has_new(global_map));
  counters_a[3] = 3;
  ck_assert(!cfz_cov_has_new(global_map));

  cfz_cov_reset();
  for (size_t i = 0; i < 64; i++)
    ck_assert_uint_eq(counters_a[i], 0);
  ck_assert(!cfz_cov_has_new(global_map));

  /* The cap limits the snapshot. */
  counters_a[40] = 1;
  ck_assert_uint_eq(cfz_cov_snapshot(snap, 16), 16);
}
END_TEST

START_TEST(test_regions_concatenate) {
  /* An unaligned region with an odd length checks the word scan edges. */
  __sanitizer_cov_8bit_counters_init(counters_a, counters_a + 64);
  __sanitizer_cov_8bit_counters_init(counters_b + 3, counters_b + 40);
  ck_assert_uint_eq(cfz_cov_counters(), 64 + 37);
  cfz_cov_reset();
  for (size_t i = 3; i < 40; i++) {
    memset(global_map, 0, sizeof global_map);
    cfz_cov_reset();
    counters_b[i] = 2;
    ck_assert(cfz_cov_has_new(global_map));
    cfz_cov_snapshot(snap, GLOBAL_SIZE);
    ck_assert_uint_eq(snap[64 + i - 3], 2);
    ck_assert_uint_eq(cfz_cov_count_features(snap, cfz_cov_counters()), 1);
    ck_assert_uint_eq(cfz_cov_edges(), 1);
    counters_a[i] = 255; /* both regions, words and tails */
    ck_assert_uint_eq(cfz_cov_edges(), 2);
    counters_a[i] = 0;
    global_map[64 + i - 3] = 2;
    ck_assert(!cfz_cov_has_new(global_map));
  }
}
END_TEST

START_TEST(test_guards) {
  static uint32_t guards[5];
  __sanitizer_cov_8bit_counters_init(counters_a, counters_a + 64);
  __sanitizer_cov_trace_pc_guard_init(guards, guards + 5);
  __sanitizer_cov_trace_pc_guard_init(guards, guards + 5); /* numbered */
  ck_assert_uint_eq(guards[0], 1);
  ck_assert_uint_eq(guards[4], 5);
  ck_assert_uint_eq(cfz_cov_counters(), 69);
  cfz_cov_reset();
  __sanitizer_cov_trace_pc_guard(&guards[2]);
  __sanitizer_cov_trace_pc_guard(&guards[2]);
  ck_assert(cfz_cov_has_new(global_map));
  cfz_cov_snapshot(snap, GLOBAL_SIZE);
  ck_assert_uint_eq(snap[64 + 2], 2);
  ck_assert_uint_eq(cfz_cov_count_features(snap, 69), 1);
}
END_TEST

/* Stand-ins for instrumented blocks; the volatile store after the call keeps
 * it from becoming a tail call (the return address must stay in edge_*). */
static volatile int sink;
static __attribute__((noinline)) void edge_a(void) {
  __sanitizer_cov_trace_pc();
  sink = 1;
}
static __attribute__((noinline)) void edge_b(void) {
  __sanitizer_cov_trace_pc();
  sink = 2;
}
static __attribute__((noinline)) void run_aba(void) {
  edge_a();
  edge_b();
  edge_a();
}

START_TEST(test_trace_pc) {
  ck_assert_uint_eq(cfz_cov_counters(), 0);
  edge_a();
  ck_assert_str_eq(cfz_cov_kind(), "trace-pc");
  ck_assert_uint_eq(cfz_cov_counters(), CFZ_TRACE_PC_MAP);
  cfz_cov_reset();
  ck_assert(!cfz_cov_has_new(global_map));
  run_aba();
  ck_assert(cfz_cov_has_new(global_map));
  size_t n = cfz_cov_snapshot(snap, GLOBAL_SIZE);
  size_t f = cfz_cov_count_features(snap, n);
  ck_assert(f >= 2 && f <= 3);
  memcpy(global_map, snap, n);
  cfz_cov_reset();
  run_aba();
  ck_assert(!cfz_cov_has_new(global_map));
  /* A different order is a different edge. */
  cfz_cov_reset();
  edge_b();
  edge_b();
  ck_assert(cfz_cov_has_new(global_map));
}
END_TEST

START_TEST(test_value_profile) {
  __sanitizer_cov_8bit_counters_init(counters_a, counters_a + 64);
  cfz_cmp_set_value_profile(true);
  ck_assert_uint_eq(cfz_cov_counters(), 64 + CFZ_VP_SLOTS + CFZ_STACK_SLOTS);
  cfz_cov_reset();
  cfz_cmp_set_active(true);
  __sanitizer_cov_trace_cmp4(0x11110000, 0x11110003);
  cfz_cmp_set_active(false);
  ck_assert(cfz_cov_has_new(global_map));
  size_t n = cfz_cov_snapshot(snap, GLOBAL_SIZE);
  ck_assert_uint_eq(n, 64 + CFZ_VP_SLOTS + CFZ_STACK_SLOTS);
  ck_assert_uint_eq(cfz_cov_count_features(snap, 64), 0);
  ck_assert_uint_eq(cfz_cov_count_features(snap, n), 2);
  memcpy(global_map, snap, n);
  ck_assert(!cfz_cov_has_new(global_map));
  /* One bit closer: new features. */
  cfz_cov_reset();
  cfz_cmp_set_active(true);
  __sanitizer_cov_trace_cmp4(0x11110000, 0x11110001);
  cfz_cmp_set_active(false);
  ck_assert(cfz_cov_has_new(global_map));
  cfz_cov_reset();
  ck_assert(!cfz_cov_has_new(global_map));
}
END_TEST

/* A compare of two addresses (UBSan's p + n against p): never in the table
 * and no distance feature, in a value-profile batch too (docs/feedback.md,
 * "Addresses are module-relative": keeping the log2 |a - b| feature was
 * measured and dropped).  One compare site for all (not inlined). */
static __attribute__((noinline)) void cmp8_run(uint64_t a, uint64_t b) {
  cfz_cov_reset();
  cfz_cmp_set_active(true);
  __sanitizer_cov_trace_cmp8(a, b);
  cfz_cmp_set_active(false);
}

START_TEST(test_address_pair) {
  __sanitizer_cov_8bit_counters_init(counters_a, counters_a + 64);
  cfz_cmp_set_value_profile(true);
  size_t n = 64 + CFZ_VP_SLOTS + CFZ_STACK_SLOTS;
  cmp8_run(0x7ffc12340000ull, 0x7ffc12340040ull);
  cmp8_run(0x6210000ffff0ull, 0x621000100030ull);
  ck_assert_uint_eq(cfz_cmp_int_entries(), 0);
  ck_assert(!cfz_cov_has_new(global_map));
  /* Not addresses (one below 2^32): recorded, both distance features. */
  cmp8_run(0x12340000ull, 0x7ffc12340000ull);
  ck_assert_uint_eq(cfz_cmp_int_entries(), 1);
  ck_assert_uint_eq(cfz_cov_snapshot(snap, GLOBAL_SIZE), n);
  ck_assert_uint_eq(cfz_cov_count_features(snap, n), 2);
}
END_TEST

/* Outside value-profile batches an address pair sets nothing. */
START_TEST(test_address_pair_plain) {
  __sanitizer_cov_8bit_counters_init(counters_a, counters_a + 64);
  cfz_cmp_set_value_profile(false);
  cfz_cmp_batch_begin(1, 0); /* not stale: no distance features */
  ck_assert(!cfz_cmp_value_profile_on());
  for (int i = 0; i < 2; i++) /* the slow path, then the fast one */
    cmp8_run(0x7ffc12340000ull, 0x7ffc12340040ull);
  ck_assert_uint_eq(cfz_cmp_int_entries(), 0);
  ck_assert(!cfz_cov_has_new(global_map));
}
END_TEST

/* Stack depth: the deepest point an execution reached (what the compiler's
 * stack-depth instrumentation writes to __sancov_lowest_stack) is one
 * feature; a deeper one is new, the same depth again is not. */
extern __thread uintptr_t __sancov_lowest_stack;

static void run_to_depth(size_t bytes) {
  cfz_cov_reset();
  __sancov_lowest_stack -= bytes;
  cfz_cov_end_run();
}

START_TEST(test_stack_depth) {
  __sanitizer_cov_8bit_counters_init(counters_a, counters_a + 64);
  cfz_cmp_set_value_profile(false);
  run_to_depth(0);
  ck_assert(!cfz_cov_has_new(global_map));
  run_to_depth(4096);
  ck_assert(cfz_cov_has_new(global_map));
  size_t n = cfz_cov_snapshot(snap, GLOBAL_SIZE);
  ck_assert_uint_eq(cfz_cov_count_features(snap, n), 1);
  ck_assert_uint_eq(
      cfz_cov_count_features(snap + 64 + CFZ_VP_SLOTS, CFZ_STACK_SLOTS), 1);
  memcpy(global_map, snap, n);
  run_to_depth(4096);
  ck_assert(!cfz_cov_has_new(global_map));
  run_to_depth(2048); /* shallower: another step, a feature too */
  ck_assert(cfz_cov_has_new(global_map));
  run_to_depth(8192);
  ck_assert(cfz_cov_has_new(global_map));
}
END_TEST

/* A switch on small values (opcodes) records nothing; one with large case
 * values records the cases next to the value. */
START_TEST(test_switch) {
  static uint64_t small[] = {4, 32, 1, 7, 40, 200};
  static uint64_t large[] = {5, 32, 3, 1000, 5000, 70000, 900000};
  cfz_cmp_set_active(true);
  for (int i = 0; i < 100; i++)
    __sanitizer_cov_trace_switch(300, small);
  cfz_cmp_set_active(false);
  ck_assert_uint_eq(cfz_cmp_int_entries(), 0);
  cfz_cmp_set_active(true);
  __sanitizer_cov_trace_switch(6000, large);
  cfz_cmp_set_active(false);
  ck_assert_uint_ge(cfz_cmp_int_entries(), 2);
  cfz_rng r;
  cfz_rng_seed(&r, 1);
  int saw_below = 0, saw_above = 0;
  for (int i = 0; i < 200; i++) {
    uint64_t a, b;
    unsigned size;
    ck_assert(cfz_cmp_pick_int(&r, &a, &b, &size));
    ck_assert_uint_eq(a, 6000);
    ck_assert_uint_eq(size, 4);
    saw_below |= b == 5000;
    saw_above |= b == 70000;
  }
  ck_assert(saw_below && saw_above);
}
END_TEST

/* A switch with small and large cases: a small value's neighbours (found
 * from the per-switch table of small values) are those of a binary search. */
START_TEST(test_switch_small_values) {
  static uint64_t mixed[] = {6, 32, 10, 40, 97, 122, 0x1680, 0x2028};
  static const struct {
    uint64_t val, below, above; /* 0: none */
  } want[] = {{50, 40, 97},  {5, 0, 10},         {200, 122, 0x1680},
              {97, 40, 122}, {255, 122, 0x1680}, {0x1700, 0x1680, 0x2028}};
  cfz_rng r;
  cfz_rng_seed(&r, 2);
  /* One value per execution, its pairs looked for at once (later values of
   * the same call site take the same ways). */
  for (size_t k = 0; k < 6; k++) {
    cfz_cmp_set_active(true);
    __sanitizer_cov_trace_switch(want[k].val, mixed);
    cfz_cmp_set_active(false);
    int below = want[k].below == 0, above = 0;
    for (int i = 0; i < 20000 && !(below && above); i++) {
      uint64_t a, b;
      unsigned size;
      ck_assert(cfz_cmp_pick_int(&r, &a, &b, &size));
      if (a == want[k].val) {
        below |= b == want[k].below;
        above |= b == want[k].above;
      }
    }
    ck_assert_msg(below && above, "value %zu: below %d above %d", k, below,
                  above);
  }
}
END_TEST

/* CFZ_FEATURES_OFF is a list of whole names. */
START_TEST(test_features_off) {
  ck_assert_int_eq(unsetenv("CFZ_FEATURES_OFF"), 0);
  ck_assert(!cfz_feature_off("slow"));
  ck_assert_int_eq(setenv("CFZ_FEATURES_OFF", "hits,distance,slow", 1), 0);
  ck_assert(cfz_feature_off("hits"));
  ck_assert(cfz_feature_off("distance"));
  ck_assert(cfz_feature_off("slow"));
  ck_assert(!cfz_feature_off("stack"));
  ck_assert(!cfz_feature_off("dist")); /* part of an item: not listed */
  ck_assert(!cfz_feature_off(""));
  ck_assert_int_eq(unsetenv("CFZ_FEATURES_OFF"), 0);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("harness_coverage");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_buckets);
  tcase_add_test(tc, test_features_off);
  tcase_add_test(tc, test_switch_small_values);
  tcase_add_test(tc, test_none_without_instrumentation);
  tcase_add_test(tc, test_8bit_counters);
  tcase_add_test(tc, test_regions_concatenate);
  tcase_add_test(tc, test_guards);
  tcase_add_test(tc, test_trace_pc);
  tcase_add_test(tc, test_value_profile);
  tcase_add_test(tc, test_address_pair);
  tcase_add_test(tc, test_address_pair_plain);
  tcase_add_test(tc, test_stack_depth);
  tcase_add_test(tc, test_switch);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(suite());
  /* Each test registers its own counters in a fresh process. */
  srunner_set_fork_status(sr, CK_FORK);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
