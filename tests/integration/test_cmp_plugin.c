/* test_cmp_plugin.c - the optional compare plugin (plugin/cfz_cmp_pass.cpp,
 * docs/build.md): each target below is built twice by clang, as <name>
 * (plain -fsanitize=fuzzer-no-link) and as <name>_plugin (with
 * -fpass-plugin=libcfz_cmp_pass.so).  Its compared operands are a double
 * and a float on raw bytes, a float's text, a typed float parameter, an
 * unsigned __int128 and a _BitInt(100): compares that clang's trace-cmp
 * does not report.  The plugin build is solved within a fixed execution
 * budget; the plain build does the whole budget clean.  Both runs turn the
 * distance, hit-count and indirect-call features and the slow-input rule off
 * (CFZ_FEATURES_OFF), as test_i2s does.  Deterministic: --seed and -j 1, in the
 * sanitizer build too (docs/feedback.md, "Addresses are module-relative").
 * Where the plugin is not built (gcc builds, no LLVM development files) every
 * test is skipped (exit 77). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run_util.h"

#define BUDGET "60000"

static void run_target(const char *dir, const char *target, bool plugin,
                       const void *ctx, run_result *r) {
  (void)ctx;
  static char *env[] = {"CFZ_FEATURES_OFF=distance,hits,indirect,slow", NULL};
  char name[128];
  snprintf(name, sizeof name, "%s%s", target, plugin ? "_plugin" : "");
  run_cfz(r, dir, env, "run", "-j", "1", "--seed", "11", "--fuzz-time",
          BUDGET "x", "--minimize-time", "0", (char *)target_path(name), NULL);
}

static void check_target(const char *target) {
  assert_found_with_not_without(target, run_target, NULL, BUDGET,
                                "the compare plugin");
}

START_TEST(double_bits) { check_target("i2s_double_bits"); }
END_TEST
START_TEST(float_text) { check_target("i2s_float_text"); }
END_TEST
START_TEST(float_param) { check_target("i2s_float_param"); }
END_TEST
START_TEST(u128) { check_target("i2s_u128"); }
END_TEST
START_TEST(bitint) { check_target("i2s_bitint"); }
END_TEST

int main(void) {
  if (access(target_path("i2s_double_bits_plugin"), X_OK) != 0) {
    fprintf(stderr, "skipping: the compare plugin is not built "
                    "(CFZ_CMP_PLUGIN, docs/build.md)\n");
    return 77;
  }
  Suite *s = suite_create("compare plugin");
  TCase *tc = tcase_create("plugin");
  tcase_set_timeout(tc, 240);
  tcase_add_test(tc, double_bits);
  tcase_add_test(tc, float_text);
  tcase_add_test(tc, float_param);
  tcase_add_test(tc, u128);
  tcase_add_test(tc, bitint);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
