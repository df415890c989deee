/* test_minimize.c - the minimize queue and `cfz minimize`, the seed's test
 * script translated (Go's test_fuzz_minimize.txt): counts, not clocks. */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "corpus_format.h"
#include "run_util.h"

/* The single crasher under dir/testdata/fuzz/<target>/, decoded. */
static size_t crasher_len(const char *dir, const char *target,
                          char **path_out) {
  char sub[512];
  snprintf(sub, sizeof sub, "%s/testdata/fuzz/%s", dir, target);
  ck_assert_msg(count_files(sub) == 1, "%d files in %s", count_files(sub), sub);
  char root[512];
  snprintf(root, sizeof root, "%s/testdata/fuzz", dir);
  char *file = find_file_under(root);
  ck_assert_ptr_nonnull(file);
  cfz_values v = {0};
  char err[256];
  ck_assert_msg(cfz_corpus_read_file(file, &v, err, sizeof err) == 0, "%s",
                err);
  ck_assert_int_eq(v.n, 1);
  size_t len = v.v[0].v.bytes.len;
  cfz_values_free(&v);
  if (path_out)
    *path_out = file;
  else
    free(file);
  return len;
}

static void cleanup(run_result *r, char *dir) {
  run_result_free(r);
  remove_tree(dir);
  free(dir);
}

START_TEST(recoverable_to_50) {
  run_result r;
  char *dir = run_cfz(&r, NULL, NULL, "run", "-j", "2", "--fuzz-time",
                      "100000x", "--minimize-time", "10000x",
                      target_path("minimize_recoverable"), NULL);
  ck_assert_msg(r.status == 1, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "found a crash, minimizing"), "%s", r.out);
  ck_assert_msg(strstr(r.out, "contains a non-zero byte"), "%s", r.out);
  ck_assert_msg(strstr(r.out, "got the minimum size!"), "%s", r.out);
  ck_assert_uint_eq(crasher_len(dir, "FuzzMinimizerRecoverable", NULL), 50);
  cleanup(&r, dir);
}
END_TEST

START_TEST(nonrecoverable_minimized_and_replays) {
  run_result r;
  char *dir =
      run_cfz(&r, NULL, NULL, "run", "-j", "2", "--fuzz-time", "100000x",
              "--minimize-time", "10000x", target_path("minimize_exit"), NULL);
  ck_assert_msg(r.status == 1, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "found a crash, minimizing"), "%s", r.out);
  ck_assert_msg(strstr(r.out, "exit status 99"), "%s", r.out);
  char *file = NULL;
  size_t len = crasher_len(dir, "FuzzMinimizerNonrecoverable", &file);
  ck_assert_msg(len == 50, "minimized to %zu bytes\n%s", len, r.out);
  char *argv[] = {(char *)target_path("minimize_exit"), file, NULL};
  run_result rr;
  run_cmd(dir, argv, NULL, &rr);
  ck_assert_msg(rr.status == 99, "replay exit %d: %s", rr.status, rr.out);
  run_result_free(&rr);
  free(file);
  cleanup(&r, dir);
}
END_TEST

START_TEST(no_time_to_minimize) {
  run_result r;
  char *dir = run_cfz(&r, NULL, NULL, "run", "-j", "2", "--fuzz-time",
                      "100000x", "--minimize-time", "1x",
                      target_path("minimize_recoverable"), NULL);
  ck_assert_msg(r.status == 1, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "testdata/fuzz/FuzzMinimizerRecoverable/"), "%s",
                r.out);
  ck_assert_msg(!strstr(r.out, "got the minimum size!"), "%s", r.out);
  ck_assert_uint_gt(crasher_len(dir, "FuzzMinimizerRecoverable", NULL), 50);
  cleanup(&r, dir);
}
END_TEST

START_TEST(dies_differently_while_minimizing) {
  run_result r;
  char *dir = run_cfz(&r, NULL, NULL, "run", "-j", "1", "--fuzz-time",
                      "100000x", "--minimize-time", "10000x",
                      target_path("minimize_differently"), NULL);
  ck_assert_msg(r.status == 1, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "fuzzing process terminated unexpectedly while "
                              "minimizing: exit status 42"),
                "%s", r.out);
  char sub[512];
  snprintf(sub, sizeof sub, "%s/testdata/fuzz", dir);
  char *file = find_file_under(sub);
  ck_assert_ptr_nonnull(file);
  cfz_values v = {0};
  char err[256];
  ck_assert(cfz_corpus_read_file(file, &v, err, sizeof err) == 0);
  ck_assert_uint_ge(v.v[0].v.bytes.len, 64); /* the original */
  cfz_values_free(&v);
  free(file);
  cleanup(&r, dir);
}
END_TEST

START_TEST(killed_driver_keeps_crasher) {
  char *dir = make_temp_dir();
  char cache[512];
  snprintf(cache, sizeof cache, "--cache-dir=%s/cache", dir);
  char *argv[] = {CFZ_BIN,      "run",
                  cache,        "-j",
                  "1",          "--minimize-time",
                  "100000000x", (char *)target_path("minimize_exit"),
                  NULL};
  int fd;
  pid_t pid = spawn_bg(dir, argv, NULL, &fd);
  char *out = NULL;
  size_t len = 0;
  ck_assert(wait_for_output(fd, &out, &len, "found a crash, minimizing"));
  kill(pid, SIGKILL);
  wait_exit(pid);
  close(fd);
  char root[512];
  snprintf(root, sizeof root, "%s/testdata/fuzz", dir);
  char *file = find_file_under(root);
  ck_assert_msg(file != NULL, "crasher lost:\n%s", out);
  char *rargv[] = {(char *)target_path("minimize_exit"), file, NULL};
  run_result rr;
  run_cmd(dir, rargv, NULL, &rr);
  ck_assert_int_eq(rr.status, 99);
  run_result_free(&rr);
  ck_assert_int_eq(count_cfz_shm(pid), 0);
  free(file);
  free(out);
  remove_tree(dir);
  free(dir);
}
END_TEST

static char *write_file(const char *dir, const char *name, const void *data,
                        size_t len) {
  char *p = malloc(512);
  snprintf(p, 512, "%s/%s", dir, name);
  FILE *f = fopen(p, "wb");
  ck_assert_ptr_nonnull(f);
  ck_assert_uint_eq(fwrite(data, 1, len, f), len);
  fclose(f);
  return p;
}

static size_t minimized_output(const char *out, char *path, size_t cap) {
  const char *w = strstr(out, "written to ");
  ck_assert_msg(w != NULL, "%s", out);
  w += strlen("written to ");
  size_t n = strcspn(w, "\n");
  ck_assert_uint_lt(n, cap);
  memcpy(path, w, n);
  path[n] = 0;
  struct stat st;
  ck_assert_int_eq(stat(path, &st), 0);
  return (size_t)st.st_size;
}

START_TEST(minimize_raw_file) {
  char *dir = make_temp_dir();
  unsigned char raw[120] = {0};
  raw[90] = 7;
  char *in = write_file(dir, "crash-raw", raw, sizeof raw);
  char *argv[] = {
      CFZ_BIN,  "minimize", "--minimize-time",
      "10000x", in,         (char *)target_path("minimize_recoverable"),
      NULL};
  run_result r;
  run_cmd(dir, argv, NULL, &r);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  ck_assert_ptr_nonnull(strstr(r.out, "120 bytes -> 50 bytes"));
  char out[512];
  ck_assert_uint_eq(minimized_output(r.out, out, sizeof out), 50);
  run_result_free(&r);
  free(in);
  remove_tree(dir);
  free(dir);
}
END_TEST

START_TEST(minimize_cfz_file) {
  char *dir = make_temp_dir();
  char text[1024] = "cfz fuzz v1\n[]byte(\"";
  for (int i = 0; i < 80; i++)
    strcat(text, i == 60 ? "x" : "\\x00");
  strcat(text, "\")\n");
  char *in = write_file(dir, "crash.cfz", text, strlen(text));
  char *argv[] = {
      CFZ_BIN,  "minimize", "--minimize-time",
      "10000x", in,         (char *)target_path("minimize_recoverable"),
      NULL};
  run_result r;
  run_cmd(dir, argv, NULL, &r);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  char out[512];
  minimized_output(r.out, out, sizeof out);
  cfz_values v = {0};
  char err[256];
  ck_assert_msg(cfz_corpus_read_file(out, &v, err, sizeof err) == 0, "%s", err);
  ck_assert_uint_eq(v.v[0].v.bytes.len, 50);
  cfz_values_free(&v);
  run_result_free(&r);
  free(in);
  remove_tree(dir);
  free(dir);
}
END_TEST

START_TEST(minimize_file_that_passes) {
  char *dir = make_temp_dir();
  unsigned char raw[10] = {0};
  char *in = write_file(dir, "fine", raw, sizeof raw);
  char *argv[] = {CFZ_BIN, "minimize", in,
                  (char *)target_path("minimize_recoverable"), NULL};
  run_result r;
  run_cmd(dir, argv, NULL, &r);
  ck_assert_msg(r.status == 2, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "does not fail"), "%s", r.out);
  run_result_free(&r);
  free(in);
  remove_tree(dir);
  free(dir);
}
END_TEST

START_TEST(minimize_typed_values) {
  char *dir = make_temp_dir();
  const char *text = "cfz fuzz v1\nint64(987654321)\nfloat64(0)\n";
  char *in = write_file(dir, "typed", text, strlen(text));
  char *argv[] = {CFZ_BIN,  "minimize", "--minimize-time",
                  "10000x", in,         (char *)target_path("minimize_typed"),
                  NULL};
  run_result r;
  run_cmd(dir, argv, NULL, &r);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  char out[512];
  minimized_output(r.out, out, sizeof out);
  cfz_values v = {0};
  char err[256];
  ck_assert(cfz_corpus_read_file(out, &v, err, sizeof err) == 0);
  ck_assert_int_eq(v.n, 2);
  /* Fails when int > 1000: the documented minimum is 1001. */
  ck_assert_int_eq(v.v[0].v.i, 1001);
  ck_assert(v.v[1].v.f64 == 0.0);
  cfz_values_free(&v);
  run_result_free(&r);
  free(in);

  text = "cfz fuzz v1\nint64(0)\nfloat64(123456.789)\n";
  in = write_file(dir, "typed2", text, strlen(text));
  argv[4] = in;
  run_cmd(dir, argv, NULL, &r);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  minimized_output(r.out, out, sizeof out);
  ck_assert(cfz_corpus_read_file(out, &v, err, sizeof err) == 0);
  /* Fails when the double > 1000.5: floats go to short integral values. */
  ck_assert_msg(v.v[1].v.f64 > 1000.5 && v.v[1].v.f64 <= 2000 &&
                    v.v[1].v.f64 == (double)(long)v.v[1].v.f64,
                "got %.17g", v.v[1].v.f64);
  cfz_values_free(&v);
  run_result_free(&r);
  free(in);
  remove_tree(dir);
  free(dir);
}
END_TEST

/* Issue 10's case: a 4096-byte crasher of a target that dies (abort) when
 * the input is at least 64 bytes long and holds three 'A' bytes reaches 64
 * bytes in at most 500 executions, dying the same way.  Every accepted
 * candidate kills the worker: the minimizer resumes where it was. */
START_TEST(three_a_4096_to_64) {
  static const size_t places[][3] = {{1000, 2500, 3700}, {0, 2048, 4095}};
  for (size_t t = 0; t < 2; t++) {
    char *dir = make_temp_dir();
    static uint8_t raw[4096];
    uint64_t x = 42 + t;
    for (size_t i = 0; i < sizeof raw; i++) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      raw[i] = (uint8_t)(x >> 56) == 'A' ? 'B' : (uint8_t)(x >> 56);
    }
    for (int k = 0; k < 3; k++)
      raw[places[t][k]] = 'A';
    char *in = write_file(dir, "crash-3a", raw, sizeof raw);
    char *argv[] = {
        CFZ_BIN,   "minimize", "--minimize-time",
        "100000x", in,         (char *)target_path("minimize_three_a"),
        NULL};
    run_result r;
    run_cmd(dir, argv, NULL, &r);
    ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
    ck_assert_msg(strstr(r.out, "4096 bytes -> 64 bytes"), "%s", r.out);
    ck_assert_msg(strstr(r.out, "failure: fuzzing process terminated "
                                "unexpectedly: signal SIGABRT"),
                  "%s", r.out);
    const char *e = strstr(r.out, " in ");
    ck_assert_ptr_nonnull(e);
    unsigned long execs = strtoul(e + 4, NULL, 10);
    ck_assert_msg(execs > 0 && execs <= 500, "%lu executions\n%s", execs,
                  r.out);
    char out[512];
    ck_assert_uint_eq(minimized_output(r.out, out, sizeof out), 64);
    char *rargv[] = {(char *)target_path("minimize_three_a"), out, NULL};
    run_result rr;
    run_cmd(dir, rargv, NULL, &rr);
    ck_assert_msg(rr.status == 128 + SIGABRT, "replay status %d: %s", rr.status,
                  rr.out);
    run_result_free(&rr);
    run_result_free(&r);
    free(in);
    remove_tree(dir);
    free(dir);
  }
}
END_TEST

/* Issue 10: with --keep-going the other workers fuzz on while one
 * minimizes.  keep_going_busy's crasher shrinks (to "!!") only when 5,000
 * executions that are not minimization candidates ran after it was found:
 * more than the other worker's batch in flight (1,000 with --seed) when
 * minimization starts, so only fuzzing during the minimization gets there.
 * Without it the first candidate waits 30 s, then none fails and the
 * crasher keeps its 16+ bytes. */
START_TEST(keep_going_fuzzes_while_minimizing) {
  run_result r;
  char *dir =
      run_cfz(&r, NULL, NULL, "run", "-j", "2", "--seed", "1", "--keep-going",
              "--fuzz-time", "40000x", "--minimize-time", "1000x", "--timeout",
              "120s", target_path("keep_going_busy"), NULL);
  ck_assert_msg(r.status == 1, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "cfz: 1 distinct failure(s):"), "%s", r.out);
  ck_assert_uint_eq(crasher_len(dir, "FuzzKeepGoingBusy", NULL), 2);
  ck_assert_msg(!strstr(r.out, "flaky"), "%s", r.out); /* it reproduces */
  cleanup(&r, dir);
}
END_TEST

/* Issue 13: a failure that does not fail again when replayed once in a
 * fresh worker is flaky: not minimized, reported so, and written as
 * flaky-<name>; `cfz test` then reports the file (it passes now) as failing
 * instead of passing over it.  flaky_first fails on the first '!' input of
 * the run only: as a process death (mode NULL) or with cfz_fatal. */
static void flaky_case(char *const env[]) {
  run_result r;
  char *dir =
      run_cfz(&r, NULL, env, "run", "-j", "1", "--seed", "1", "--fuzz-time",
              "20000x", "--json", target_path("flaky_first"), NULL);
  ck_assert_msg(r.status == 1, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "\n    flaky: did not reproduce on replay\n"),
                "%s", r.out);
  ck_assert_msg(!strstr(r.out, "minimizing"), "%s", r.out);
  ck_assert_msg(strstr(r.out, "\"flaky\":true"), "%s", r.out);
  char *file = NULL;
  crasher_len(dir, "FuzzFlakyFirst", &file);
  ck_assert_msg(strstr(file, "/FuzzFlakyFirst/flaky-"), "%s", file);
  ck_assert_msg(strstr(r.out, "Failing input written to testdata/fuzz/"
                              "FuzzFlakyFirst/flaky-"),
                "%s", r.out);
  run_result t;
  run_cfz(&t, dir, env, "test", target_path("flaky_first"), NULL);
  ck_assert_msg(t.status == 1, "exit %d\n%s", t.status, t.out);
  ck_assert_msg(strstr(t.out, "--- FAIL: FuzzFlakyFirst/flaky-"), "%s", t.out);
  ck_assert_msg(strstr(t.out, "flaky: did not reproduce on replay when it "
                              "was found, and passes now"),
                "%s", t.out);
  run_result_free(&t);
  free(file);
  cleanup(&r, dir);
}

START_TEST(flaky_death) { flaky_case(NULL); }
END_TEST

START_TEST(flaky_recoverable) {
  char *env[] = {"CFZ_TEST_FLAKY=fatal", NULL};
  flaky_case(env);
}
END_TEST

int main(void) {
  Suite *s = suite_create("cfz minimize");
  TCase *tc = tcase_create("minimize");
  tcase_set_timeout(tc, 240);
  tcase_add_test(tc, recoverable_to_50);
  tcase_add_test(tc, nonrecoverable_minimized_and_replays);
  tcase_add_test(tc, no_time_to_minimize);
  tcase_add_test(tc, dies_differently_while_minimizing);
  tcase_add_test(tc, killed_driver_keeps_crasher);
  tcase_add_test(tc, minimize_raw_file);
  tcase_add_test(tc, minimize_cfz_file);
  tcase_add_test(tc, minimize_file_that_passes);
  tcase_add_test(tc, minimize_typed_values);
  tcase_add_test(tc, three_a_4096_to_64);
  tcase_add_test(tc, keep_going_fuzzes_while_minimizing);
  tcase_add_test(tc, flaky_death);
  tcase_add_test(tc, flaky_recoverable);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
