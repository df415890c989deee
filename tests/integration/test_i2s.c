/* test_i2s.c - input-to-state with transforms (docs/feedback.md): each
 * i2s_* target holds its compared operand only in a transformed form
 * (decimal or hex text, byte-swapped, off by a constant, case-folded, a
 * float's text or a typed float parameter).  Each is found within a fixed
 * execution budget with the transforms, and not within the same budget with
 * CFZ_I2S_TRANSFORMS=0 (plain operand replacement only).
 * Deterministic: --seed and -j 1 (batches bounded by count). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run_util.h"

#define BUDGET "60000x"

static void run_target(const char *dir, const char *target, bool transforms,
                       run_result *r) {
  static char *off[] = {"CFZ_I2S_TRANSFORMS=0", NULL};
  run_cfz(r, dir, transforms ? NULL : off, "run", "-j", "1", "--seed", "11",
          "--fuzz-time", BUDGET, "--minimize-time", "0",
          (char *)target_path(target), NULL);
}

static void check_target(const char *target) {
  if (access(target_path(target), X_OK) != 0) {
    fprintf(stderr, "skipping %s: not built\n", target);
    return;
  }
  char *dir = make_temp_dir();
  run_result r;
  run_target(dir, target, true, &r);
  ck_assert_msg(r.status == 1, "%s with transforms: exit %d\n%s", target,
                r.status, r.out);
  ck_assert_msg(strstr(r.out, "--- FAIL"), "%s", r.out);
  run_result_free(&r);
  remove_tree(dir);
  free(dir);

  dir = make_temp_dir();
  run_target(dir, target, false, &r);
  ck_assert_msg(r.status == 0, "%s without transforms found it (exit %d):\n%s",
                target, r.status, r.out);
  ck_assert_msg(strstr(r.out, "execs: 60000 "), "%s", r.out);
  run_result_free(&r);
  remove_tree(dir);
  free(dir);
}

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
  tcase_add_test(tc, gcc_float_text);
  tcase_add_test(tc, gcc_float_param);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
