/* test_cover_tools.c - what `cfz cover` reads of a coverage build and where
 * it looks for llvm-profdata and llvm-cov (llvm_tools.h), and the helper
 * processes' environment (proc.h). */
#include <check.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "llvm_tools.h"
#include "proc.h"

static char dir[64];

static void setup(void) {
  strcpy(dir, "/tmp/cfz-covtools-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void) {
  static const char *names[] = {"bin", "llvm-cov-99", "llvm-profdata",
                                "llvm-cov"};
  char p[PATH_MAX];
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    snprintf(p, sizeof p, "%s/%s", dir, names[i]);
    unlink(p);
  }
  ck_assert_int_eq(rmdir(dir), 0);
}

static void put(const char *name, const void *data, size_t len, int mode) {
  char p[PATH_MAX];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, mode);
  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
  ck_assert_int_eq(close(fd), 0);
}

START_TEST(reads_mapping_and_clang_version) {
  static const char bin[] = "\x7f"
                            "ELF\0junk\0__llvm_covmap\0more\0"
                            "Debian clang version 17.0.6 (x)\0";
  put("bin", bin, sizeof bin, 0644);
  char p[PATH_MAX], err[256];
  snprintf(p, sizeof p, "%s/bin", dir);
  cfz_cov_binary b;
  ck_assert_int_eq(cfz_cov_binary_read(p, &b, err, sizeof err), 0);
  ck_assert(b.has_mapping);
  ck_assert_int_eq(b.clang_major, 17);

  static const char plain[] = "\x7f"
                              "ELF\0GCC: (Debian 12.2.0) 12.2.0\0";
  put("bin", plain, sizeof plain, 0644);
  ck_assert_int_eq(cfz_cov_binary_read(p, &b, err, sizeof err), 0);
  ck_assert(!b.has_mapping);
  ck_assert_int_eq(b.clang_major, 0);

  snprintf(p, sizeof p, "%s/missing", dir);
  ck_assert_int_eq(cfz_cov_binary_read(p, &b, err, sizeof err), -1);
  ck_assert_msg(strstr(err, "missing") && strstr(err, "No such file"), "%s",
                err);
}
END_TEST

START_TEST(finds_versioned_tools_first) {
  put("llvm-cov-99", "#!/bin/sh\n", 10, 0755);
  put("llvm-cov", "#!/bin/sh\n", 10, 0755);
  put("llvm-profdata", "#!/bin/sh\n", 10, 0755);
  const char *old = getenv("PATH");
  char *saved = old ? strdup(old) : NULL;
  ck_assert_int_eq(setenv("PATH", dir, 1), 0);
  cfz_llvm_tools t;
  char err[512], want[PATH_MAX];
  ck_assert_int_eq(cfz_llvm_tools_find(99, NULL, NULL, &t, err, sizeof err), 0);
  snprintf(want, sizeof want, "%s/llvm-cov-99", dir);
  ck_assert_str_eq(t.cov, want);
  snprintf(want, sizeof want, "%s/llvm-profdata", dir); /* no -99 */
  ck_assert_str_eq(t.profdata, want);

  /* Given paths are used as they are, and must be executable. */
  char given[PATH_MAX];
  snprintf(given, sizeof given, "%s/llvm-cov", dir);
  ck_assert_int_eq(cfz_llvm_tools_find(99, NULL, given, &t, err, sizeof err),
                   0);
  ck_assert_str_eq(t.cov, given);
  ck_assert_int_eq(cfz_llvm_tools_find(99, "/no/such/llvm-profdata", NULL, &t,
                                       err, sizeof err),
                   -1);
  ck_assert_msg(strstr(err, "/no/such/llvm-profdata"), "%s", err);

  /* Missing: the message says what was looked for and what to do. */
  snprintf(given, sizeof given, "%s/llvm-profdata", dir);
  ck_assert_int_eq(unlink(given), 0);
  ck_assert_int_eq(cfz_llvm_tools_find(12345, NULL, NULL, &t, err, sizeof err),
                   -1);
  ck_assert_msg(strstr(err, "llvm-profdata not found") &&
                    strstr(err, "llvm-profdata-12345") &&
                    strstr(err, "--llvm-profdata FILE"),
                "%s", err);
  if (saved)
    setenv("PATH", saved, 1);
  free(saved);
}
END_TEST

START_TEST(env_sets_replaces_and_drops) {
  ck_assert_int_eq(setenv("CFZ_TEST_KEEP", "1", 1), 0);
  ck_assert_int_eq(setenv("CFZ_TEST_DROP", "1", 1), 0);
  ck_assert_int_eq(setenv("CFZ_TEST_SET", "old", 1), 0);
  const char *set[] = {"CFZ_TEST_SET=new", "CFZ_TEST_ADD=x", NULL};
  const char *drop[] = {"CFZ_TEST_DROP", NULL};
  char **env = cfz_env_with(set, drop);
  ck_assert_ptr_nonnull(env);
  int keep = 0, dropped = 0, sets = 0, added = 0;
  for (char **e = env; *e; e++) {
    keep += !strcmp(*e, "CFZ_TEST_KEEP=1");
    dropped += !strncmp(*e, "CFZ_TEST_DROP=", 14);
    sets += !strncmp(*e, "CFZ_TEST_SET=", 13);
    ck_assert_str_ne(*e, "CFZ_TEST_SET=old");
    added += !strcmp(*e, "CFZ_TEST_ADD=x");
  }
  ck_assert_int_eq(keep, 1);
  ck_assert_int_eq(dropped, 0);
  ck_assert_int_eq(sets, 1);
  ck_assert_int_eq(added, 1);
  cfz_env_free(env);
}
END_TEST

START_TEST(runs_a_process_and_reports_how_it_ended) {
  char *ok[] = {"/bin/sh", "-c", "exit 3", NULL};
  cfz_proc_spec s = {.argv = ok, .out_fd = -1, .err_fd = -1};
  cfz_proc_status st;
  char err[256];
  ck_assert_int_eq(cfz_proc_run(&s, &st, err, sizeof err), 0);
  ck_assert_int_eq(st.exit_status, 3);
  ck_assert_int_eq(st.term_signal, 0);
  ck_assert(!st.timed_out);

  /* The limit kills a process that runs on (the sleep is never waited
   * out: the limit is far shorter). */
  char *hang[] = {"/bin/sh", "-c", "exec sleep 600", NULL};
  s.argv = hang;
  s.limit_ms = 50;
  ck_assert_int_eq(cfz_proc_run(&s, &st, err, sizeof err), 0);
  ck_assert(st.timed_out);
  ck_assert_int_eq(st.term_signal, 9);

  char *missing[] = {"/no/such/tool", NULL};
  s.argv = missing;
  s.limit_ms = 0;
  ck_assert_int_eq(cfz_proc_run(&s, &st, err, sizeof err), -1);
  ck_assert_msg(strstr(err, "spawn /no/such/tool"), "%s", err);
}
END_TEST

int main(void) {
  Suite *s = suite_create("cover tools");
  TCase *tc = tcase_create("core");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, reads_mapping_and_clang_version);
  tcase_add_test(tc, finds_versioned_tools_first);
  tcase_add_test(tc, env_sets_replaces_and_drops);
  tcase_add_test(tc, runs_a_process_and_reports_how_it_ended);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
