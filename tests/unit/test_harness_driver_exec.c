/* test_harness_driver_exec.c - where a target finds cfz (driver_exec.h). */
#include "driver_exec.h"

#include <check.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char g_root[64];

/* Creates ROOT/rel (a file; mode 0755 when exec). */
static void touch(const char *rel, bool exec) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/%s", g_root, rel);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, exec ? 0755 : 0644);
  ck_assert_msg(fd >= 0, "open %s", path);
  close(fd);
}

static void mkdir_rel(const char *rel) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/%s", g_root, rel);
  ck_assert_int_eq(mkdir(path, 0755), 0);
}

static const char *at(const char *rel) {
  static char buf[4][PATH_MAX];
  static int i;
  i = (i + 1) % 4;
  snprintf(buf[i], sizeof buf[i], "%s/%s", g_root, rel);
  return buf[i];
}

static void setup(void) {
  snprintf(g_root, sizeof g_root, "/tmp/cfz-driver-exec-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(g_root));
  mkdir_rel("out");
  mkdir_rel("bin");
  mkdir_rel("bin2");
  mkdir_rel("other");
  touch("out/target", true);
  touch("other/cfz", true);
}

static void teardown(void) {
  char cmd[PATH_MAX + 16];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_root);
  ck_assert_int_eq(system(cmd), 0);
}

START_TEST(order) {
  char out[PATH_MAX];
  char path_env[2 * PATH_MAX + 2];
  snprintf(path_env, sizeof path_env, "%s:%s", at("bin"), at("bin2"));
  /* Nothing beside, nothing on PATH: the environment variable. */
  ck_assert_int_eq(cfz_find_driver(at("out/target"), path_env, at("other/cfz"),
                                   out, sizeof out),
                   0);
  ck_assert_str_eq(out, at("other/cfz"));
  /* On PATH (the first directory that has it) wins over the variable. */
  touch("bin2/cfz", true);
  ck_assert_int_eq(cfz_find_driver(at("out/target"), path_env, at("other/cfz"),
                                   out, sizeof out),
                   0);
  ck_assert_str_eq(out, at("bin2/cfz"));
  /* A cfz that is not executable does not count. */
  touch("bin/cfz", false);
  ck_assert_int_eq(
      cfz_find_driver(at("out/target"), path_env, NULL, out, sizeof out), 0);
  ck_assert_str_eq(out, at("bin2/cfz"));
  /* Beside the target wins over all. */
  touch("out/cfz", true);
  ck_assert_int_eq(cfz_find_driver(at("out/target"), path_env, at("other/cfz"),
                                   out, sizeof out),
                   0);
  ck_assert_str_eq(out, at("out/cfz"));
}
END_TEST

START_TEST(none) {
  char out[PATH_MAX];
  ck_assert_int_eq(
      cfz_find_driver(at("out/target"), at("bin"), NULL, out, sizeof out), -1);
  ck_assert_int_eq(
      cfz_find_driver(at("out/target"), NULL, at("bin/none"), out, sizeof out),
      -1);
  /* A directory named cfz is not a driver. */
  mkdir_rel("bin/cfz");
  ck_assert_int_eq(cfz_find_driver(NULL, at("bin"), "", out, sizeof out), -1);
  /* Too small an output buffer is a miss, not a truncated path. */
  touch("out/cfz", true);
  char tiny[8];
  ck_assert_int_eq(
      cfz_find_driver(at("out/target"), NULL, NULL, tiny, sizeof tiny), -1);
}
END_TEST

int main(void) {
  Suite *s = suite_create("driver_exec");
  TCase *tc = tcase_create("core");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, order);
  tcase_add_test(tc, none);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
