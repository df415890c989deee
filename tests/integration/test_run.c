/* test_run.c - `cfz run` end to end: every failure kind is found and
 * written, start-up failures, protocol garbage, exact execution counts,
 * SIGINT cleanliness.  Bounded by execution counts (--fuzz-time Nx). */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run_util.h"

/* The crasher file written under dir/testdata/fuzz/<Target>/, replayed by
 * the target by hand: it must fail again. */
static void assert_crasher_replays(const char *dir, const char *target) {
  char root[512];
  snprintf(root, sizeof root, "%s/testdata/fuzz", dir);
  char *file = find_file_under(root);
  ck_assert_msg(file != NULL, "no crasher written under %s", root);
  char *argv[] = {(char *)target_path(target), file, NULL};
  run_result r;
  run_cmd(dir, argv, NULL, &r);
  ck_assert_msg(r.status != 0, "replaying %s passed:\n%s", file, r.out);
  run_result_free(&r);
  free(file);
}

/* Under UndefinedBehaviorSanitizer (the sanitizer build) a null store is
 * reported and aborts instead of raising SIGSEGV. */
#ifdef CFZ_SANITIZE_BUILD
#define SEGV_MESSAGE "fuzzing process terminated unexpectedly: signal SIGABRT"
#else
#define SEGV_MESSAGE "fuzzing process terminated unexpectedly: signal SIGSEGV"
#endif

static void check_failure(const char *target, const char *message) {
  run_result r;
  char *dir = run_cfz(&r, NULL, NULL, "run", "-j", "1", "--seed", "7",
                      "--fuzz-time", "200000x", "--minimize-time", "0",
                      "--timeout", "10s", target_path(target), NULL);
  ck_assert_msg(r.status == 1, "%s: exit %d\n%s", target, r.status, r.out);
  ck_assert_msg(strstr(r.out, message), "%s: no \"%s\" in:\n%s", target,
                message, r.out);
  ck_assert_msg(strstr(r.out, "Failing input written to testdata/fuzz/"),
                "%s:\n%s", target, r.out);
  assert_crasher_replays(dir, target);
  run_result_free(&r);
  remove_tree(dir);
  free(dir);
}

START_TEST(finds_recoverable) {
  check_failure("fail_recoverable", "found a bang");
}
END_TEST

START_TEST(finds_segv) { check_failure("fail_segv", SEGV_MESSAGE); }
END_TEST

START_TEST(finds_abort) {
  check_failure("fail_abort",
                "fuzzing process terminated unexpectedly: signal SIGABRT");
}
END_TEST

START_TEST(finds_exit) {
  check_failure("fail_exit",
                "fuzzing process terminated unexpectedly: exit status 99");
}
END_TEST

START_TEST(finds_hang) {
  /* The replay of a hang input would hang too; check the report only. */
  run_result r;
  char *dir = run_cfz(&r, NULL, NULL, "run", "-j", "1", "--seed", "3",
                      "--fuzz-time", "200000x", "--minimize-time", "0",
                      "--timeout", "300ms", target_path("fail_hang"), NULL);
  ck_assert_msg(r.status == 1, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "hung"), "%s", r.out);
  char root[512];
  snprintf(root, sizeof root, "%s/testdata/fuzz", dir);
  char *file = find_file_under(root);
  ck_assert_msg(file != NULL, "%s", r.out);
  free(file);
  run_result_free(&r);
  remove_tree(dir);
  free(dir);
}
END_TEST

START_TEST(crashes_on_every_input) {
  run_result r;
  char *dir = run_cfz(&r, NULL, NULL, "run", "-j", "2", "--fuzz-time", "10000x",
                      "--minimize-time", "0", target_path("fail_always"), NULL);
  /* Every seed crashes: reported as a seed failure, never a hang. */
  ck_assert_msg(r.status == 1, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, SEGV_MESSAGE), "%s", r.out);
  run_result_free(&r);
  remove_tree(dir);
  free(dir);
}
END_TEST

START_TEST(startup_failure) {
  run_result r;
  char *dir = run_cfz(&r, NULL, NULL, "run", "-j", "2", "--fuzz-time", "1000x",
                      target_path("fail_startup"), NULL);
  ck_assert_msg(r.status == 2, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "fuzzing process terminated without fuzzing: "
                              "exit status 3"),
                "%s", r.out);
  ck_assert_msg(strstr(r.out, "cannot initialise"), "stderr not shown:\n%s",
                r.out);
  char root[512];
  snprintf(root, sizeof root, "%s/testdata/fuzz", dir);
  ck_assert_int_eq(count_files(root), 0);
  run_result_free(&r);
  remove_tree(dir);
  free(dir);
}
END_TEST

START_TEST(not_a_target) {
  run_result r;
  char *dir = run_cfz(&r, NULL, NULL, "run", "-j", "1", "/bin/true", NULL);
  ck_assert_msg(r.status == 2, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "terminated without fuzzing"), "%s", r.out);
  run_result_free(&r);
  remove_tree(dir);
  free(dir);
  dir = run_cfz(&r, NULL, NULL, "run", "./does-not-exist", NULL);
  ck_assert_int_eq(r.status, 2);
  ck_assert_msg(strstr(r.out, "./does-not-exist: No such file or directory"),
                "%s", r.out);
  run_result_free(&r);
  remove_tree(dir);
  free(dir);
}
END_TEST

static void check_garbage(const char *mode, const char *message) {
  char env[64];
  snprintf(env, sizeof env, "CFZ_TEST_GARBAGE=%s", mode);
  char *envs[] = {env, NULL};
  run_result r;
  char *dir = run_cfz(&r, NULL, envs, "run", "-j", "1", "--seed", "1",
                      "--fuzz-time", "20000x", "--minimize-time", "0",
                      target_path("protocol_garbage"), NULL);
  /* The worker is killed and restarted; the next one runs the input once
   * more, and as it breaks the protocol again it is a failure (issue 15). */
  ck_assert_msg(r.status == 1, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, message), "no \"%s\" in:\n%s", message, r.out);
  ck_assert_msg(strstr(r.out, "restarting"), "%s", r.out);
  ck_assert_msg(strstr(r.out, "the input broke the protocol twice"), "%s",
                r.out);
  ck_assert_msg(strstr(r.out, "Failing input written to testdata/fuzz/"
                              "FuzzProtocolGarbage/"),
                "%s", r.out);
  run_result_free(&r);
  remove_tree(dir);
  free(dir);
}

START_TEST(garbage_frames) { check_garbage("garbage", "malformed JSON"); }
END_TEST

START_TEST(oversized_frame) { check_garbage("oversize", "exceeds"); }
END_TEST

START_TEST(exact_count) {
  run_result r;
  char *dir = run_cfz(&r, NULL, NULL, "run", "-j", "2", "--fuzz-time", "5000x",
                      target_path("trivial"), NULL);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "execs: 5000 "), "%s", r.out);
  run_result_free(&r);
  remove_tree(dir);
  free(dir);
}
END_TEST

START_TEST(sigint_is_clean) {
  char *dir = make_temp_dir();
  char cache[512];
  snprintf(cache, sizeof cache, "--cache-dir=%s/cache", dir);
  char *argv[] = {
      CFZ_BIN, "run", cache, "-j", "2", (char *)target_path("trivial"), NULL};
  int fd;
  pid_t pid = spawn_bg(dir, argv, NULL, &fd);
  char *out = NULL;
  size_t len = 0;
  ck_assert(wait_for_output(fd, &out, &len, "execs: "));
  kill(pid, SIGINT);
  wait_for_output(fd, &out, &len, "\x01never");
  int status = wait_exit(pid);
  close(fd);
  ck_assert_msg(status == 0, "exit %d\n%s", status, out);
  ck_assert_int_eq(count_cfz_shm(pid), 0);
  ck_assert_int_eq(count_processes_of(target_path("trivial")), 0);
  free(out);
  remove_tree(dir);
  free(dir);
}
END_TEST

/* Leaks are found only in targets built with LeakSanitizer (ASan): the
 * sanitizer build.  In the plain build the same input is harmless. */
START_TEST(finds_leak) {
  run_result r;
  char *dir = run_cfz(&r, NULL, NULL, "run", "-j", "1", "--seed", "1",
                      "--fuzz-time", "100000x", "--minimize-time", "5000x",
                      target_path("leak_once"), NULL);
#ifdef CFZ_SANITIZE_BUILD
  ck_assert_msg(r.status == 1, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "LeakSanitizer: detected memory leaks"), "%s",
                r.out);
  char root[512];
  snprintf(root, sizeof root, "%s/testdata/fuzz", dir);
  char *file = find_file_under(root);
  ck_assert_ptr_nonnull(file);
  FILE *f = fopen(file, "r");
  char text[256] = {0};
  size_t n = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  /* Minimized to the two bytes that leak, written raw (a libFuzzer-style
   * target's files are raw bytes, docs/corpus-format.md). */
  ck_assert_msg(n == 2 && memcmp(text, "LK", 2) == 0, "%zu bytes: %s", n,
                text);
  free(file);
#else
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
#endif
  run_result_free(&r);
  remove_tree(dir);
  free(dir);
}
END_TEST

START_TEST(help_and_usage) {
  run_result r;
  char *argv1[] = {CFZ_BIN, "--help", NULL};
  run_cmd(NULL, argv1, NULL, &r);
  ck_assert_int_eq(r.status, 0);
  ck_assert_ptr_nonnull(strstr(r.out, "usage: cfz"));
  run_result_free(&r);
  char *argv2[] = {CFZ_BIN, "--version", NULL};
  run_cmd(NULL, argv2, NULL, &r);
  ck_assert_int_eq(r.status, 0);
  ck_assert_ptr_nonnull(strstr(r.out, "cfz 0."));
  run_result_free(&r);
  char *argv3[] = {CFZ_BIN, "frobnicate", NULL};
  run_cmd(NULL, argv3, NULL, &r);
  ck_assert_int_eq(r.status, 2);
  ck_assert_ptr_nonnull(strstr(r.out, "unknown command"));
  run_result_free(&r);
  char *argv4[] = {CFZ_BIN, "run", "--no-such-flag", "x", NULL};
  run_cmd(NULL, argv4, NULL, &r);
  ck_assert_int_eq(r.status, 2);
  ck_assert_ptr_nonnull(strstr(r.out, "usage: cfz run"));
  run_result_free(&r);
  char *argv5[] = {CFZ_BIN, "run", "--help", NULL};
  run_cmd(NULL, argv5, NULL, &r);
  ck_assert_int_eq(r.status, 0);
  ck_assert_ptr_nonnull(strstr(r.out, "--fuzz-time"));
  run_result_free(&r);
}
END_TEST

int main(void) {
  Suite *s = suite_create("cfz run");
  TCase *tc = tcase_create("run");
  tcase_set_timeout(tc, 240);
  tcase_add_test(tc, help_and_usage);
  tcase_add_test(tc, finds_recoverable);
  tcase_add_test(tc, finds_segv);
  tcase_add_test(tc, finds_abort);
  tcase_add_test(tc, finds_exit);
  tcase_add_test(tc, finds_hang);
  tcase_add_test(tc, crashes_on_every_input);
  tcase_add_test(tc, startup_failure);
  tcase_add_test(tc, not_a_target);
  tcase_add_test(tc, garbage_frames);
  tcase_add_test(tc, oversized_frame);
  tcase_add_test(tc, exact_count);
  tcase_add_test(tc, sigint_is_clean);
  tcase_add_test(tc, finds_leak);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
