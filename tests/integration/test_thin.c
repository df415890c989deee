/* test_thin.c - thin coverage is reported (issue: "thin coverage"): a target
 * whose library is built without coverage reaches only a few edges, and the
 * run says that the code under test does not look instrumented, with the
 * fix; a target whose code is instrumented gets no such warning.  Bounded by
 * execution counts. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "run_util.h"

#define WARNING "is the code under test instrumented?"

static void run(const char *target, run_result *r) {
  char *dir = run_cfz(r, NULL, NULL, "run", "-j", "1", "--seed", "1",
                      "--fuzz-time", "150000x", target_path(target), NULL);
  remove_tree(dir);
  free(dir);
}

START_TEST(uninstrumented_library_is_reported) {
  run_result r;
  run("thin_coverage", &r);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, WARNING), "%s", r.out);
  ck_assert_msg(strstr(r.out, "cfz_instrument"), "%s", r.out);
  run_result_free(&r);
}
END_TEST

START_TEST(instrumented_code_is_not_reported) {
  run_result r;
  run("trivial", &r);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(!strstr(r.out, WARNING), "%s", r.out);
  run_result_free(&r);
}
END_TEST

int main(void) {
  Suite *s = suite_create("thin coverage");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 240);
  tcase_add_test(tc, uninstrumented_library_is_reported);
  tcase_add_test(tc, instrumented_code_is_not_reported);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
