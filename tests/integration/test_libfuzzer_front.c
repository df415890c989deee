/* test_libfuzzer_front.c - a libFuzzer-style target started with libFuzzer's
 * command line finds cfz (or says why not); `cfz run` refuses a binary
 * built with real libFuzzer; bytes-only targets get raw corpus files.
 * (The libFuzzer output itself: tests/compat/libfuzzer_compat.py.) */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run_util.h"

/* Copies the target into dir/out/t (as a build script copies it into
 * $OUT); returns the malloc'd path. */
static char *install_target(const char *dir, const char *name) {
  char *path = malloc(PATH_MAX);
  snprintf(path, PATH_MAX, "%s/out", dir);
  ck_assert_int_eq(mkdir(path, 0755), 0);
  snprintf(path, PATH_MAX, "%s/out/t", dir);
  char cmd[3 * PATH_MAX];
  snprintf(cmd, sizeof cmd, "cp '%s' '%s'", target_path(name), path);
  ck_assert_int_eq(system(cmd), 0);
  return path;
}

static void put(const char *dir, const char *rel, const char *data) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/%s", dir, rel);
  FILE *f = fopen(path, "wb");
  ck_assert_ptr_nonnull(f);
  fputs(data, f);
  fclose(f);
}

START_TEST(no_driver_found) {
  char *dir = make_temp_dir();
  char *t = install_target(dir, "lf_compat_crash");
  char corpus[PATH_MAX];
  snprintf(corpus, sizeof corpus, "%s/corpus", dir);
  ck_assert_int_eq(mkdir(corpus, 0755), 0);
  char *argv[] = {t, "-runs=10", "corpus", NULL};
  char *env[] = {"PATH=/nonexistent", "CFZ_DRIVER=", NULL};
  run_result r;
  run_cmd(dir, argv, env, &r);
  ck_assert_msg(r.status == 1, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "fuzzing it needs the cfz driver, and none was "
                              "found"),
                "%s", r.out);
  run_result_free(&r);
  /* Files are still run by the target itself. */
  put(dir, "corpus/a", "abc");
  char *argv2[] = {t, "-runs=3", "corpus/a", NULL};
  run_cmd(dir, argv2, env, &r);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "Executed corpus/a in "), "%s", r.out);
  run_result_free(&r);
  free(t);
  remove_tree(dir);
  free(dir);
}
END_TEST

START_TEST(driver_from_environment) {
  char *dir = make_temp_dir();
  char *t = install_target(dir, "lf_compat_crash");
  char corpus[PATH_MAX];
  snprintf(corpus, sizeof corpus, "%s/corpus", dir);
  ck_assert_int_eq(mkdir(corpus, 0755), 0);
  put(dir, "corpus/seed", "ab");
  char *argv[] = {t, "-runs=50", "-seed=7", "corpus", NULL};
  char *env[] = {"PATH=/nonexistent", "CFZ_DRIVER=" CFZ_BIN, NULL};
  run_result r;
  run_cmd(dir, argv, env, &r);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "INFO: Seed: 7\n"), "%s", r.out);
  ck_assert_msg(strstr(r.out, "Done 50 runs in "), "%s", r.out);
  /* New units went to the corpus directory, raw, named by SHA-1. */
  ck_assert_int_ge(count_files(corpus), 1);
  free(t);
  run_result_free(&r);
  remove_tree(dir);
  free(dir);
}
END_TEST

START_TEST(refuses_real_libfuzzer) {
  const char *lf = CFZ_BINARY_DIR "/tests/lf_compat_crash_libfuzzer";
  if (access(lf, X_OK) != 0)
    return; /* clang's libFuzzer is not available here */
  run_result r;
  char *dir = run_cfz(&r, NULL, NULL, "run", "--fuzz-time", "10x", lf, NULL);
  ck_assert_msg(r.status == 2, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "built with -fsanitize=fuzzer"), "%s", r.out);
  ck_assert_msg(strstr(r.out, "link cfz's harness instead"), "%s", r.out);
  run_result_free(&r);
  remove_tree(dir);
  free(dir);
}
END_TEST

/* Item 4: `cfz run` on a bytes-only target writes raw files. */
START_TEST(cfz_run_raw_files) {
  char *dir = make_temp_dir();
  char sub[PATH_MAX];
  snprintf(sub, sizeof sub, "%s/td", dir);
  ck_assert_int_eq(mkdir(sub, 0755), 0);
  snprintf(sub, sizeof sub, "%s/td/lf_compat_crash", dir);
  ck_assert_int_eq(mkdir(sub, 0755), 0);
  put(dir, "td/lf_compat_crash/seed", "FU");
  run_result r;
  run_cfz(&r, dir, NULL, "run", "-j", "1", "--seed", "3", "--fuzz-time",
          "200000x", "--minimize-time", "0", "--testdata", "td",
          target_path("lf_compat_crash"), NULL);
  ck_assert_msg(r.status == 1, "exit %d\n%s", r.status, r.out);
  run_result_free(&r);
  /* The crasher: raw bytes, beside the seed. */
  ck_assert_int_eq(count_files(sub), 2);
  snprintf(sub, sizeof sub, "%s/cache/lf_compat_crash", dir);
  ck_assert_int_ge(count_files(sub), 1);
  char cmd[PATH_MAX + 64];
  snprintf(cmd, sizeof cmd, "grep -rl '^cfz fuzz v1' '%s/td' '%s/cache'", dir,
           dir);
  ck_assert_msg(system(cmd) != 0, "a text-format file was written");
  snprintf(cmd, sizeof cmd, "grep -rlq '^FUZ' '%s/td/lf_compat_crash'", dir);
  ck_assert_msg(system(cmd) == 0, "no raw crasher starting with FUZ");
  remove_tree(dir);
  free(dir);
}
END_TEST

int main(void) {
  Suite *s = suite_create("libfuzzer front");
  TCase *tc = tcase_create("front");
  tcase_set_timeout(tc, 240);
  tcase_add_test(tc, no_driver_found);
  tcase_add_test(tc, driver_from_environment);
  tcase_add_test(tc, refuses_real_libfuzzer);
  tcase_add_test(tc, cfz_run_raw_files);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
