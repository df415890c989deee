/* test_i2s.c - input-to-state with transforms (docs/feedback.md): each
 * i2s_* target holds its compared operand only in a transformed form
 * (decimal or hex text, byte-swapped, off by a constant, case-folded, every
 * byte shifted or xored by a constant, a float's text or a typed float
 * parameter), or among many copies of itself (i2s_leftmost: fields checked from
 * the left in an input of repeated bytes, where the search must prefer the
 * leftmost match).  Each is found within a fixed execution budget with the
 * transforms, and not within the same budget with CFZ_I2S_TRANSFORMS=0 (plain
 * operand replacement only).  Both runs turn the distance, hit-count and
 * indirect-call features off (CFZ_FEATURES_OFF): a distance gradient solves
 * some of these classes by itself, and the test is about the transforms;
 * and the slow-input rule (a 4 KiB seed runs over its 50 us floor in the
 * sanitizer build, and the rule reads the clock).
 * Deterministic: --seed and -j 1 (batches bounded by count), in the sanitizer
 * build too since compares of two addresses (UBSan's pointer-overflow checks)
 * stay out of the compare tables (docs/feedback.md, "Addresses are
 * module-relative"). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run_util.h"

/* A run's budget and its seed: none, or one file of seed_len '.' bytes
 * (i2s_leftmost: a 4 KiB block of repeated bytes). */
typedef struct i2s_run {
  const char *budget; /* executions, e.g. "60000" */
  size_t seed_len;
} i2s_run;

static const i2s_run plain = {"60000", 0};
static const i2s_run leftmost = {"100000", 4096};

static void run_target(const char *dir, const char *target, bool transforms,
                       const void *ctx, run_result *r) {
  const i2s_run *o = ctx;
  static char *with[] = {"CFZ_FEATURES_OFF=distance,hits,indirect,slow", NULL};
  static char *without[] = {"CFZ_FEATURES_OFF=distance,hits,indirect,slow",
                            "CFZ_I2S_TRANSFORMS=0", NULL};
  char execs[32];
  snprintf(execs, sizeof execs, "%sx", o->budget);
  char *seeds = NULL;
  if (o->seed_len != 0) {
    char *seed = malloc(o->seed_len);
    ck_assert_ptr_nonnull(seed);
    memset(seed, '.', o->seed_len);
    put_file(dir, "seeds/block", seed, o->seed_len);
    free(seed);
    seeds = "seeds";
  }
  run_cfz(r, dir, transforms ? with : without, "run", "-j", "1", "--seed", "11",
          "--fuzz-time", execs, "--minimize-time", "0",
          (char *)target_path(target), seeds, NULL);
}

static void check_with(const char *target, const i2s_run *o) {
  if (access(target_path(target), X_OK) != 0) {
    fprintf(stderr, "skipping %s: not built\n", target);
    return;
  }
  assert_found_with_not_without(target, run_target, o, o->budget, "transforms");
}

static void check_target(const char *target) { check_with(target, &plain); }

START_TEST(decimal_text) { check_target("i2s_decimal"); }
END_TEST
START_TEST(hex_text) { check_target("i2s_hex"); }
END_TEST
START_TEST(byte_swapped) { check_target("i2s_bswap"); }
END_TEST
START_TEST(offset_constant) { check_target("i2s_offset"); }
END_TEST
START_TEST(case_folded) { check_target("i2s_nocase"); }
END_TEST
START_TEST(shifted_bytes) { check_target("i2s_shifted"); }
END_TEST
START_TEST(leftmost_match) { check_with("i2s_leftmost", &leftmost); }
END_TEST
/* gcc reports floating-point compares; clang does not (its builds of these
 * targets are not expected to solve them). */
START_TEST(gcc_float_text) { check_target("i2s_float_text_gcc"); }
END_TEST
START_TEST(gcc_float_param) { check_target("i2s_float_param_gcc"); }
END_TEST

int main(void) {
  Suite *s = suite_create("input-to-state");
  TCase *tc = tcase_create("i2s");
  tcase_set_timeout(tc, 240);
  tcase_add_test(tc, decimal_text);
  tcase_add_test(tc, hex_text);
  tcase_add_test(tc, byte_swapped);
  tcase_add_test(tc, offset_constant);
  tcase_add_test(tc, case_folded);
  tcase_add_test(tc, shifted_bytes);
  tcase_add_test(tc, leftmost_match);
  tcase_add_test(tc, gcc_float_text);
  tcase_add_test(tc, gcc_float_param);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
