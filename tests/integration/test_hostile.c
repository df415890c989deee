/* test_hostile.c - targets that attack the driver (issue 15): they scribble
 * on or resize the shared memory, refuse requests, break the protocol, leave
 * descendants behind.  The driver must not crash, hang or lose what was
 * found.  Bounded by execution counts; every wait is a count of short
 * polls. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "corpus_format.h"
#include "run_util.h"

static char *new_dir(void) {
  char *dir = make_temp_dir();
  ck_assert_ptr_nonnull(dir);
  return dir;
}

static void done(run_result *r, char *dir) {
  run_result_free(r);
  remove_tree(dir);
  free(dir);
}

/* The only file in dir/testdata/fuzz/NAME, decoded; returns its first
 * value's bytes (malloc'd, NUL-terminated). */
static char *the_crasher(const char *dir, const char *name) {
  char sub[PATH_MAX];
  snprintf(sub, sizeof sub, "%s/testdata/fuzz/%s", dir, name);
  ck_assert_int_eq(count_files(sub), 1);
  DIR *d = opendir(sub);
  ck_assert_ptr_nonnull(d);
  struct dirent *e;
  char *bytes = NULL;
  while ((e = readdir(d)))
    if (e->d_name[0] != '.') {
      char p[PATH_MAX + 256];
      snprintf(p, sizeof p, "%s/%s", sub, e->d_name);
      cfz_values v = {0};
      char err[512];
      ck_assert_msg(cfz_corpus_read_file(p, &v, err, sizeof err) == 0, "%s",
                    err);
      ck_assert_uint_eq(v.n, 1);
      ck_assert_int_eq(v.v[0].type, CFZ_BYTES);
      bytes = strndup((const char *)v.v[0].v.bytes.data, v.v[0].v.bytes.len);
      cfz_values_free(&v);
    }
  closedir(d);
  ck_assert_ptr_nonnull(bytes);
  return bytes;
}

/* The only crasher of NAME under dir starts with '!' (the input the target
 * fails on); the message shows it and r's output. */
static void assert_crasher_bang(const char *dir, const char *name,
                                const run_result *r) {
  char *b = the_crasher(dir, name);
  ck_assert_msg(b[0] == '!', "crasher %s\n%s", b, r->out);
  free(b);
}

static unsigned long long last_execs(const char *out) {
  const char *last = NULL;
  for (const char *p = out; (p = strstr(p, "execs: ")); p++)
    last = p;
  return last ? strtoull(last + 7, NULL, 10) : 0;
}

/* The run did at least n executions (its last stats line says so). */
static void assert_execs_at_least(const run_result *r, unsigned long long n) {
  ck_assert_msg(last_execs(r->out) >= n, "execs < %llu\n%s", n, r->out);
}

/* Runs `cfz run -j JOBS --seed 1 [OPT VAL] --fuzz-time EXECS TARGET` in dir
 * with env, which must end clean (exit 0; what names the case, may be NULL)
 * after at least min_execs executions (0: no check); r keeps the run. */
static void run_clean(run_result *r, const char *dir, char *const env[],
                      const char *jobs, const char *opt, const char *val,
                      const char *execs, const char *target, const char *what,
                      unsigned long long min_execs) {
  run_fuzz(r, dir, env, jobs, opt, val, execs, target);
  assert_exit(r, 0, what);
  if (min_execs)
    assert_execs_at_least(r, min_execs);
}

/* Runs TARGET as run_clean with -j 1, which must fail (exit 1) saying says
 * (NULL: no check) and leave one crasher of fuzz test NAME, starting with
 * '!'; r keeps the run. */
static void run_failing(run_result *r, const char *dir, char *const env[],
                        const char *opt, const char *val, const char *execs,
                        const char *target, const char *what, const char *says,
                        const char *name) {
  run_fuzz(r, dir, env, "1", opt, val, execs, target);
  assert_exit(r, 1, what);
  if (says)
    assert_output_has(r, says);
  assert_crasher_bang(dir, name, r);
}

/* ---- item 1: shared memory ----------------------------------------------- */

/* The target writes value_capacity / value_len in the header, then aborts:
 * the driver reports the failure with the input it sent (exit 1), never
 * reads out of bounds. */
static const char *const scribbles[] = {"capacity", "len", "len_max"};

START_TEST(shm_header_scribbled) {
  char *dir = new_dir();
  char env[64];
  snprintf(env, sizeof env, "CFZ_TEST_HOSTILE=%s", scribbles[_i]);
  char *const envv[] = {env, NULL};
  run_result r;
  run_fuzz(&r, dir, envv, "1", NULL, NULL, "200000x",
           target_path("hostile_shm"));
  assert_exit(&r, 1, scribbles[_i]);
  assert_output_has(&r, "the worker corrupted its shared memory");
  assert_output_has(&r, "Failing input written to testdata/fuzz/"
                        "FuzzHostileShm/");
  free(the_crasher(dir, "FuzzHostileShm"));
  done(&r, dir);
}
END_TEST

/* ftruncate(fd 5, 0) mid-fuzz, then abort: the region is sealed, the driver
 * keeps its mapping, the crasher (starting with '!') is kept. */
START_TEST(shm_truncated_mid_fuzz) {
  char *dir = new_dir();
  char *const envv[] = {"CFZ_TEST_HOSTILE=truncate", NULL};
  run_result r;
  run_failing(&r, dir, envv, NULL, NULL, "200000x", target_path("hostile_shm"),
              NULL, NULL, "FuzzHostileShm");
  done(&r, dir);
}
END_TEST

/* Every worker shrinks or grows fd 5 before main: the run goes on as if
 * nothing happened. */
static const char *const resizes[] = {"truncate_init", "grow_init"};

START_TEST(shm_resized_at_start) {
  char *dir = new_dir();
  char env[64];
  snprintf(env, sizeof env, "CFZ_TEST_HOSTILE=%s", resizes[_i]);
  char *const envv[] = {env, NULL};
  run_result r;
  run_clean(&r, dir, envv, "2", NULL, NULL, "20000x",
            target_path("hostile_shm"), resizes[_i], 20000);
  done(&r, dir);
}
END_TEST

/* ---- item 2: a refused request ------------------------------------------- */

/* A 2 MiB cfz_add seed does not fit the value area: the worker refuses the
 * request; the slot restarts (with -j 1 the run would otherwise hang), the
 * seed is named as skipped, the other seeds are used. */
START_TEST(oversized_seed_skipped) {
  char *dir = new_dir();
  run_result r;
  run_clean(&r, dir, NULL, "1", NULL, NULL, "5000x",
            target_path("hostile_big_seed"), NULL, 5000);
  assert_output_has(&r, "seed 1 of FuzzHostileBigSeed needs ");
  assert_output_has(&r, "skipped");
  assert_output_has(&r, "gathering baseline coverage: 0/2");
  done(&r, dir);
}
END_TEST

/* ---- item 9: a message that is not UTF-8 ----------------------------------
 */

/* cfz_fatal with bytes 0xff 0xfe: a failure with that message, escaped (not
 * "exit status 2" from a worker that could not build its response). */
START_TEST(fatal_message_not_utf8) {
  char *dir = new_dir();
  run_result r;
  run_failing(&r, dir, NULL, NULL, NULL, "200000x", target_path("hostile_utf8"),
              NULL, "hostile_utf8: bad bytes \\xff\\xfe here",
              "FuzzHostileUtf8");
  done(&r, dir);
}
END_TEST

/* ---- item 10: out of memory between two samples ------------------------ */

/* An input starting with '!' makes the worker's resident set ~320 MB for a
 * moment (malloc'd and freed, or a memfd mapped and unmapped) and returns
 * with it back to a few MB: under --rss-limit 128 it is an out-of-memory
 * failure with that input, whether the driver's sampling saw the spike or
 * the worker's own peak check after the run did. */
static const char *const peaks[] = {"malloc", "mapped"};

START_TEST(transient_peak_is_oom) {
  char *dir = new_dir();
  char env[64];
  snprintf(env, sizeof env, "CFZ_TEST_PEAK=%s", peaks[_i]);
  char *const envv[] = {env, NULL};
  run_result r;
  run_failing(&r, dir, envv, "--rss-limit", "128", "20000x",
              target_path("hostile_peak"), peaks[_i],
              "MB, above the 128 MB --rss-limit", "FuzzHostilePeak");
  done(&r, dir);
}
END_TEST

/* ~300 MB taken in LLVMFuzzerInitialize, kept (start-up ends) or held in a
 * start-up that never ends: --rss-limit 128 applies before the handshake
 * too; a start-up failure (exit 2, no crash report), not "no handshake
 * within 10s" nor an out-of-memory blamed on the first input. */
static const char *const init_mems[] = {"keep", "stuck"};

START_TEST(rss_limit_during_startup) {
  char *dir = new_dir();
  char env[64];
  snprintf(env, sizeof env, "CFZ_TEST_INIT_MEM=%s", init_mems[_i]);
  char *const envv[] = {env, NULL};
  run_result r;
  run_fuzz(&r, dir, envv, "1", "--rss-limit", "128", "2000x",
           target_path("hostile_init_mem"));
  assert_exit(&r, 2, init_mems[_i]);
  ck_assert_msg(
      strstr(r.out, "MB during start-up, above the 128 MB --rss-limit") ||
          strstr(r.out, "MB resident, above the 128 MB --rss-limit"),
      "%s", r.out);
  ck_assert_msg(!strstr(r.out, "--- FAIL"), "%s", r.out);
  done(&r, dir);
}
END_TEST

/* Every worker but the first sleeps (120 s) in its start-up: the run, done
 * with its 2,000 executions long before, ends without waiting for them.
 * --timeout 60s makes the handshake limit 60 s: a run that waited for a
 * sleeper would end only at that limit, killing it for "no handshake within
 * 60s".  Nothing is timed here: 60 s is room for 2,000 executions of a
 * target that does nothing on any machine, sanitized or not. */
START_TEST(run_ends_without_waiting_for_start) {
  char *dir = new_dir();
  char env[PATH_MAX + 32];
  snprintf(env, sizeof env, "CFZ_TEST_SLOW_START=%s/lock", dir);
  char *const envv[] = {env, NULL};
  run_result r;
  run_clean(&r, dir, envv, "2", "--timeout", "60s", "2000x",
            target_path("hostile_init_mem"), NULL, 2000);
  ck_assert_msg(!strstr(r.out, "no handshake within"), "%s", r.out);
  done(&r, dir);
}
END_TEST

/* ---- items 7 and 9: files cfz reads -------------------------------------- */

/* A 2 GiB (sparse) seed file: skipped from its size, unread; the run goes
 * on. */
START_TEST(huge_seed_file_skipped) {
  char *dir = new_dir();
  char corpus[PATH_MAX], file[PATH_MAX + 16];
  snprintf(corpus, sizeof corpus, "%s/corpus", dir);
  ck_assert_int_eq(mkdir(corpus, 0755), 0);
  snprintf(file, sizeof file, "%s/huge", corpus);
  int fd = open(file, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq(ftruncate(fd, (off_t)2 << 30), 0);
  close(fd);
  run_result r;
  run_cfz(&r, dir, NULL, "run", "-j", "1", "--seed", "1", "--fuzz-time",
          "2000x", target_path("hostile_fds"), corpus, NULL);
  assert_exit(&r, 0, NULL);
  /* A run skips it as larger than the value area, from its size. */
  ck_assert_msg(strstr(r.out, "huge is larger than the ") &&
                    strstr(r.out, "-byte value area (2147483648 bytes); "
                                  "skipped without reading it"),
                "%s", r.out);
  done(&r, dir);
}
END_TEST

/* A seed file held by a write lease (another process's open of it waits
 * until the holder lets go, as a file on a slow or busy file system can),
 * and a FIFO beside it, with -j 2.  The test holds the lease until the run
 * has printed HELD_STATUS status lines (one every 3 s, so longer than the
 * 10 s handshake limit): reading its corpus off the event loop, the driver
 * goes on printing them and takes the second worker's handshake meanwhile.
 * A driver that read the file on its loop printed nothing until the kernel
 * broke the lease (lease-break-time, 45 s by default), then killed the
 * second worker for "no handshake within 10s". */
#define HELD_STATUS 5u

START_TEST(slow_seed_file_read_off_loop) {
  char *dir = new_dir();
  char corpus[PATH_MAX], held[PATH_MAX + 16], fifo[PATH_MAX + 16];
  snprintf(corpus, sizeof corpus, "%s/corpus", dir);
  snprintf(held, sizeof held, "%s/held", corpus);
  snprintf(fifo, sizeof fifo, "%s/fifo", corpus);
  put_str(dir, "corpus/held", "held by a lease");
  ck_assert_int_eq(mkfifo(fifo, 0644), 0);
  signal(SIGIO, SIG_IGN); /* the kernel's "someone opens it" notice */
  int fd = open(held, O_RDWR | O_CLOEXEC);
  ck_assert_int_ge(fd, 0);
  if (fcntl(fd, F_SETLEASE, F_WRLCK) != 0) {
    fprintf(stderr, "slow_seed_file_read_off_loop: skipped: F_SETLEASE: %s\n",
            strerror(errno));
    close(fd);
    remove_tree(dir);
    free(dir);
    return;
  }
  char cache[PATH_MAX + 16];
  snprintf(cache, sizeof cache, "--cache-dir=%s/cache", dir);
  char *argv[] = {CFZ_BIN, "run",
                  cache,   "-j",
                  "2",     "--seed",
                  "1",     "--fuzz-time",
                  "2000x", (char *)target_path("hostile_fds"),
                  corpus,  NULL};
  int out;
  pid_t pid = spawn_bg(dir, argv, NULL, &out);
  ck_assert_int_gt(pid, 0);
  run_result r = {0};
  size_t len = 0;
  bool printed =
      wait_for_count(out, &r.out, &len, "fuzz: elapsed: ", HELD_STATUS);
  /* Let go: the driver's read of the file goes on. */
  ck_assert_int_eq(fcntl(fd, F_SETLEASE, F_UNLCK), 0);
  close(fd);
  wait_for_output(out, &r.out, &len, "\x01never\x02");
  close(out);
  r.status = wait_exit(pid);
  ck_assert_msg(printed, "the run ended before %u status lines\n%s",
                HELD_STATUS, r.out);
  assert_exit(&r, 0, "a seed file held by a lease");
  ck_assert_msg(!strstr(r.out, "no handshake within"), "%s", r.out);
  /* The held file and the target's seed, in the baseline. */
  assert_output_has(&r, "gathering baseline coverage: 0/2 completed");
  assert_output_has(&r, "fifo is not a regular file (a FIFO, a device or a "
                        "socket); skipped without opening it");
  done(&r, dir);
}
END_TEST

/* --dict with a relative path, and a target that moves to / before main:
 * the driver hands the workers the absolute path, so the dictionary loads
 * and the run goes on. */
START_TEST(dict_relative_to_driver) {
  char *dir = new_dir();
  char dict[PATH_MAX + 16];
  snprintf(dict, sizeof dict, "%s/words.dict", dir);
  FILE *f = fopen(dict, "w");
  ck_assert_ptr_nonnull(f);
  fputs("kw=\"hostile\"\n", f);
  ck_assert_int_eq(fclose(f), 0);
  run_result r;
  run_clean(&r, dir, NULL, "1", "--dict", "words.dict", "2000x",
            target_path("hostile_chdir"), NULL, 2000);
  done(&r, dir);
}
END_TEST

/* What a worker and its children get: the user's environment and cfz's
 * sanitizer options, not cfz's protocol variables (the target checks, in
 * itself and in a shell it starts, and fails otherwise). */
START_TEST(worker_environment) {
  char *dir = new_dir();
  char *const envv[] = {"CFZ_TEST_ENV_MARK=1", NULL};
  run_result r;
  run_clean(&r, dir, envv, "1", NULL, NULL, "2000x", target_path("hostile_env"),
            NULL, 2000);
  done(&r, dir);
}
END_TEST

/* cfz minimize on a device or a FIFO: refused, not read forever or
 * blocked on. */
START_TEST(minimize_refuses_non_regular) {
  char *dir = new_dir();
  char fifo[PATH_MAX + 16];
  snprintf(fifo, sizeof fifo, "%s/fifo", dir);
  ck_assert_int_eq(mkfifo(fifo, 0600), 0);
  const char *files[] = {"/dev/zero", fifo};
  for (int i = 0; i < 2; i++) {
    run_result r;
    char *argv[] = {CFZ_BIN, "minimize", (char *)target_path("fail_segv"),
                    (char *)files[i], NULL};
    run_cmd(dir, argv, NULL, &r);
    assert_exit(&r, 2, files[i]);
    assert_output_has(&r, "not a regular file");
    run_result_free(&r);
  }
  remove_tree(dir);
  free(dir);
}
END_TEST

/* cfz inherits a descriptor (fd 20, not close-on-exec): its workers do not
 * (the target fails if it sees any fd above 6). */
START_TEST(stray_fds_not_inherited) {
  char *dir = new_dir();
  int fd = open("/dev/null", O_RDONLY);
  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq(dup2(fd, 20), 20);
  close(fd);
  run_result r;
  run_clean(&r, dir, NULL, "1", NULL, NULL, "2000x", target_path("hostile_fds"),
            NULL, 0);
  close(20);
  done(&r, dir);
}
END_TEST

/* A target whose path holds $(...) and a quote: the To re-run line quotes
 * it, so pasting the line runs nothing else. */
START_TEST(rerun_line_quoted) {
  char *dir = new_dir();
  char sub[PATH_MAX], bin[PATH_MAX + 32];
  snprintf(sub, sizeof sub, "%s/a b$(touch pwned)'q", dir);
  ck_assert_int_eq(mkdir(sub, 0755), 0);
  snprintf(bin, sizeof bin, "%s/fail_segv", sub);
  ck_assert_int_eq(symlink(target_path("fail_segv"), bin), 0);
  run_result r;
  run_fuzz(&r, dir, NULL, "1", NULL, NULL, "200000x", bin);
  assert_exit(&r, 1, NULL);
  char want[PATH_MAX + 64];
  snprintf(want, sizeof want,
           "    '%s/a b$(touch pwned)'\\''q/fail_segv' "
           "testdata/fuzz/FuzzFailSegv/",
           dir);
  assert_output_has(&r, want);
  done(&r, dir);
}
END_TEST

/* ---- items 3 and 5: the failure report ----------------------------------- */

/* The crash leaves a lock file that makes every later start fail: the
 * failure is still reported (exit 1), saying it could not be minimized. */
START_TEST(crash_then_no_restart) {
  char *dir = new_dir();
  char env[PATH_MAX + 32];
  snprintf(env, sizeof env, "CFZ_TEST_LOCK=%s/lock", dir);
  char *const envv[] = {env, NULL};
  run_result r;
  run_failing(&r, dir, envv, NULL, NULL, "200000x",
              target_path("hostile_restart"), NULL, "could not be minimized",
              "FuzzHostileRestart");
  assert_output_has(&r, "--- FAIL: FuzzHostileRestart");
  done(&r, dir);
}
END_TEST

/* The target prints a line per input; minimization runs many: the report
 * still shows the crash report. */
START_TEST(report_survives_minimization) {
  char *dir = new_dir();
  run_result r;
  run_failing(&r, dir, NULL, NULL, NULL, "200000x",
              target_path("hostile_chatty"), NULL, NULL, "FuzzHostileChatty");
  const char *fail = strstr(r.out, "--- FAIL: FuzzHostileChatty");
  ck_assert_msg(fail && strstr(fail, "HOSTILE-REPORT: input of "), "%s", r.out);
  done(&r, dir);
}
END_TEST

/* ---- item 6: descendants --------------------------------------------------
 */

/* Waits (bounded: 300 polls of 10 ms) until no process runs path; returns
 * how many are left. */
static int wait_no_processes(const char *path) {
  int n = count_processes_of(path);
  for (int i = 0; i < 300 && n > 0; i++) {
    struct timespec ts = {0, 10 * 1000 * 1000};
    nanosleep(&ts, NULL);
    n = count_processes_of(path);
  }
  return n;
}

/* Every worker forks a sleeper and a setsid escapee: when cfz exits, none
 * is left (the sleepers would live 60 s). */
START_TEST(descendants_do_not_outlive_cfz) {
  char *dir = new_dir();
  run_result r;
  run_clean(&r, dir, NULL, "2", NULL, NULL, "20000x",
            target_path("hostile_fork"), NULL, 0);
  ck_assert_int_eq(wait_no_processes(target_path("hostile_fork")), 0);
  done(&r, dir);
}
END_TEST

/* ---- dogfood: cfz fuzzing its own decoders ------------------------------- */

/* The frame, wire, corpus and protocol decoders of lib/common under cfz
 * (targets/dogfood_common.c checks each against its encoder): a bounded
 * run finds nothing. */
START_TEST(dogfood_common_decoders) {
  char *dir = new_dir();
  run_result r;
  run_clean(&r, dir, NULL, "2", NULL, NULL, "200000x",
            target_path("dogfood_common"), NULL, 200000);
  done(&r, dir);
}
END_TEST

int main(void) {
  Suite *s = suite_create("cfz hostile targets");
  TCase *tc = tcase_create("hostile");
  tcase_set_timeout(tc, 120);
  tcase_add_loop_test(tc, shm_header_scribbled, 0, 3);
  tcase_add_test(tc, shm_truncated_mid_fuzz);
  tcase_add_loop_test(tc, shm_resized_at_start, 0, 2);
  tcase_add_test(tc, oversized_seed_skipped);
  tcase_add_test(tc, fatal_message_not_utf8);
  tcase_add_loop_test(tc, transient_peak_is_oom, 0, 2);
  tcase_add_loop_test(tc, rss_limit_during_startup, 0, 2);
  tcase_add_test(tc, run_ends_without_waiting_for_start);
  tcase_add_test(tc, huge_seed_file_skipped);
  tcase_add_test(tc, slow_seed_file_read_off_loop);
  tcase_add_test(tc, dict_relative_to_driver);
  tcase_add_test(tc, worker_environment);
  tcase_add_test(tc, minimize_refuses_non_regular);
  tcase_add_test(tc, stray_fds_not_inherited);
  tcase_add_test(tc, rerun_line_quoted);
  tcase_add_test(tc, crash_then_no_restart);
  tcase_add_test(tc, report_survives_minimization);
  tcase_add_test(tc, descendants_do_not_outlive_cfz);
  tcase_add_test(tc, dogfood_common_decoders);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
