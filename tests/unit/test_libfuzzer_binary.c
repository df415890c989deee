/* test_libfuzzer_binary.c - telling real libFuzzer binaries apart
 * (libfuzzer_binary.h). */
#include "libfuzzer_binary.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char g_path[64];

/* Writes pad bytes of 'x', then text, into a temp file. */
static const char *make(size_t pad, const char *text) {
  snprintf(g_path, sizeof g_path, "/tmp/cfz-lfbin-XXXXXX");
  int fd = mkstemp(g_path);
  ck_assert_int_ge(fd, 0);
  FILE *f = fdopen(fd, "wb");
  for (size_t i = 0; i < pad; i++)
    fputc('x', f);
  fputs(text, f);
  fclose(f);
  return g_path;
}

START_TEST(markers) {
  char err[256];
  ck_assert_int_eq(cfz_is_libfuzzer_binary(make(10, "plain"), err, sizeof err),
                   0);
  unlink(g_path);
  /* cfz's harness prints these libFuzzer lines: not a marker. */
  ck_assert_int_eq(cfz_is_libfuzzer_binary(
                       make(0, "ERROR: libFuzzer: deadly signal MERGE-OUTER: "),
                       err, sizeof err),
                   0);
  unlink(g_path);
  ck_assert_int_eq(
      cfz_is_libfuzzer_binary(
          make(3, "INFO: Running with entropic power schedule (0xFF, %d)."),
          err, sizeof err),
      1);
  unlink(g_path);
  /* Across the reading chunks' boundary (64 KiB). */
  for (size_t pad = 65536 - 20; pad < 65536 + 2; pad += 7) {
    ck_assert_int_eq(
        cfz_is_libfuzzer_binary(
            make(pad, "MERGE-INNER: using the control file '%s'\n"), err,
            sizeof err),
        1);
    unlink(g_path);
  }
}
END_TEST

START_TEST(unreadable) {
  char err[256] = "";
  ck_assert_int_eq(
      cfz_is_libfuzzer_binary("/nonexistent/cfz-x", err, sizeof err), -1);
  ck_assert_msg(strstr(err, "/nonexistent/cfz-x: No such file"), "%s", err);
}
END_TEST

START_TEST(real_binaries) {
  char err[256];
  /* A target linked with cfz's harness is not a libFuzzer binary... */
  const char *cfz_target = CFZ_BINARY_DIR "/targets/example_libfuzzer";
  if (access(cfz_target, R_OK) == 0)
    ck_assert_int_eq(cfz_is_libfuzzer_binary(cfz_target, err, sizeof err), 0);
  /* ...and one built with -fsanitize=fuzzer is (when clang built it). */
  const char *lf = CFZ_BINARY_DIR "/tests/lf_compat_crash_libfuzzer";
  if (access(lf, R_OK) == 0)
    ck_assert_int_eq(cfz_is_libfuzzer_binary(lf, err, sizeof err), 1);
}
END_TEST

int main(void) {
  Suite *s = suite_create("libfuzzer_binary");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, markers);
  tcase_add_test(tc, unreadable);
  tcase_add_test(tc, real_binaries);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
