/* test_hardening.c - bad input, out of memory, kill -9 and large corpora:
 * every case ends with a clear message, and nothing found is lost (a
 * crasher is written, or printed in full when it cannot be).  Bounded by
 * execution counts; the one exception is the handshake timeout case, which
 * waits for the driver's own 10 s start-up limit. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "corpus_format.h"
#include "run_util.h"

/* snprintf into the array buf; a truncated path fails the test (using the
 * length also keeps gcc's -Wformat-truncation quiet). */
#define PATHF(buf, ...)                                                        \
  ck_assert_int_lt(snprintf((buf), sizeof(buf), __VA_ARGS__), (int)sizeof(buf))

#ifdef CFZ_SANITIZE_BUILD
#define SEGV_MESSAGE "fuzzing process terminated unexpectedly: signal SIGABRT"
#else
#define SEGV_MESSAGE "fuzzing process terminated unexpectedly: signal SIGSEGV"
#endif

/* ---- helpers ------------------------------------------------------------ */

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

static void write_file(const char *path, const void *data, size_t len) {
  FILE *f = fopen(path, "wb");
  ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
  ck_assert_uint_eq(fwrite(data, 1, len, f), len);
  ck_assert_int_eq(fclose(f), 0);
}

static void write_text(const char *dir, const char *name, const char *text) {
  char p[PATH_MAX];
  PATHF(p, "%s/%s", dir, name);
  write_file(p, text, strlen(text));
}

static void make_dirs(const char *path) {
  char p[PATH_MAX];
  snprintf(p, sizeof p, "%s", path);
  for (char *s = p + 1; *s; s++)
    if (*s == '/') {
      *s = 0;
      mkdir(p, 0755);
      *s = '/';
    }
  ck_assert_msg(mkdir(p, 0755) == 0 || errno == EEXIST, "mkdir %s", p);
}

/* Every entry under dir, recursively (directories included). */
static int count_entries(const char *dir) {
  DIR *d = opendir(dir);
  if (!d)
    return 0;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    struct stat st;
    n++;
    if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
      n += count_entries(p);
  }
  closedir(d);
  return n;
}

static int count_occurrences(const char *hay, const char *needle) {
  int n = 0;
  for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
    n++;
  return n;
}

/* Decodes every regular non-dot file of dir; returns how many. */
static int decode_all(const char *dir, char first_byte) {
  DIR *d = opendir(dir);
  if (!d)
    return 0;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.')
      continue;
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    cfz_values v = {0};
    char err[512];
    ck_assert_msg(cfz_corpus_read_file(p, &v, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(v.n, 1);
    ck_assert_int_eq(v.v[0].type, CFZ_BYTES);
    if (first_byte)
      ck_assert_msg(v.v[0].v.bytes.len > 0 &&
                        v.v[0].v.bytes.data[0] == (uint8_t)first_byte,
                    "%s does not start with '%c'", p, first_byte);
    cfz_values_free(&v);
    n++;
  }
  closedir(d);
  return n;
}

/* Waits (bounded: 200 x 10 ms) until no process runs path; returns the
 * number still alive.  Death by PR_SET_PDEATHSIG is asynchronous. */
static int wait_no_processes(const char *path) {
  int n = count_processes_of(path);
  for (int i = 0; i < 200 && n > 0; i++) {
    struct timespec ts = {0, 10 * 1000 * 1000};
    nanosleep(&ts, NULL);
    n = count_processes_of(path);
  }
  return n;
}

/* ---- the target is not a usable cfz target -------------------------------
 */

START_TEST(target_missing) {
  char *dir = new_dir();
  run_result r;
  run_cfz(&r, dir, NULL, "run", "-j", "1", "./no-such-target", NULL);
  assert_exit(&r, 2, NULL);
  ck_assert_msg(strstr(r.out, "./no-such-target: No such file or directory"),
                "%s", r.out);
  ck_assert_int_eq(count_entries(dir), 0);
  done(&r, dir);
}
END_TEST

START_TEST(target_not_executable) {
  char *dir = new_dir();
  char copy[PATH_MAX];
  snprintf(copy, sizeof copy, "%s/trivial-copy", dir);
  run_result r;
  char *cp[] = {"/bin/cp", (char *)target_path("trivial"), copy, NULL};
  run_cmd(NULL, cp, NULL, &r);
  ck_assert_int_eq(r.status, 0);
  run_result_free(&r);
  ck_assert_int_eq(chmod(copy, 0644), 0);
  run_cfz(&r, dir, NULL, "run", "-j", "1", "--fuzz-time", "100x", copy, NULL);
  assert_exit(&r, 2, NULL);
  assert_output_has(&r, "trivial-copy: not executable");
  ck_assert_int_eq(count_entries(dir), 1); /* the copy only */
  done(&r, dir);
}
END_TEST

START_TEST(target_exits_before_handshake) {
  char *dir = new_dir();
  run_result r;
  run_cfz(&r, dir, NULL, "run", "-j", "2", "--fuzz-time", "100x", "/bin/true",
          NULL);
  assert_exit(&r, 2, NULL);
  ck_assert_msg(strstr(r.out, "fuzzing process terminated without fuzzing: "
                              "exit status 0"),
                "%s", r.out);
  ck_assert_int_eq(count_entries(dir), 0);
  done(&r, dir);
}
END_TEST

/* A program that never answers: the driver's 10 s handshake limit. */
START_TEST(target_never_answers) {
  char *dir = new_dir();
  char script[PATH_MAX];
  snprintf(script, sizeof script, "%s/silent.sh", dir);
  write_text(dir, "silent.sh", "#!/bin/sh\nexec sleep 1000\n");
  ck_assert_int_eq(chmod(script, 0755), 0);
  run_result r;
  run_cfz(&r, dir, NULL, "run", "-j", "1", "--fuzz-time", "100x", script, NULL);
  assert_exit(&r, 2, NULL);
  ck_assert_msg(strstr(r.out, "fuzzing process terminated without fuzzing: "
                              "no handshake within 10s"),
                "%s", r.out);
  ck_assert_int_eq(count_entries(dir), 1); /* the script only */
  done(&r, dir);
}
END_TEST

START_TEST(target_crashes_at_startup) {
  char *dir = new_dir();
  run_result r;
  run_cfz(&r, dir, NULL, "run", "-j", "2", "--fuzz-time", "1000x",
          target_path("fail_startup"), NULL);
  assert_exit(&r, 2, NULL);
  ck_assert_msg(strstr(r.out, "fuzzing process terminated without fuzzing: "
                              "exit status 3"),
                "%s", r.out);
  assert_output_has(&r, "fail_startup: cannot initialise");
  ck_assert_msg(!strstr(r.out, "--- FAIL"), "reported as a crash:\n%s", r.out);
  ck_assert_int_eq(count_entries(dir), 0);
  ck_assert_int_eq(wait_no_processes(target_path("fail_startup")), 0);
  done(&r, dir);
}
END_TEST

/* A native target named "../x": refused by the harness at start-up; the
 * driver reports it and nothing is created, inside or outside testdata. */
START_TEST(target_name_escapes) {
  char *dir = new_dir();
  char sub[PATH_MAX];
  snprintf(sub, sizeof sub, "%s/work", dir);
  make_dirs(sub);
  run_result r;
  run_cfz(&r, sub, NULL, "run", "-j", "1", "--fuzz-time", "1000x",
          target_path("bad_name"), NULL);
  assert_exit(&r, 2, NULL);
  ck_assert_msg(strstr(r.out, "fuzzing process terminated without fuzzing"),
                "%s", r.out);
  ck_assert_msg(strstr(r.out, "invalid target name \"../x\""), "%s", r.out);
  ck_assert_int_eq(count_entries(dir), 1); /* work/, empty */
  done(&r, dir);
}
END_TEST

/* ---- bad corpus files ------------------------------------------------------
 */

START_TEST(malformed_corpus_files) {
  char *dir = new_dir();
  char seeds[PATH_MAX];
  snprintf(seeds, sizeof seeds, "%s/testdata/fuzz/FuzzFailSegv", dir);
  make_dirs(seeds);
  write_text(seeds, "aa_unclosed", "cfz fuzz v1\n[]byte(\"ab\"\n");
  write_text(seeds, "bb_wrong_type", "cfz fuzz v1\nint32(5)\n");
  write_text(seeds, "cc_bad_line3", "cfz fuzz v1\n[]byte(\"x\")\nbogus(1)\n");
  write_text(seeds, "dd_too_many", "cfz fuzz v1\n[]byte(\"x\")\nint8(1)\n");
  /* Larger than any value area (1 MiB unless --max-len asks for more). */
  size_t big_len = (size_t)2 << 20;
  char *big = malloc(big_len);
  ck_assert_ptr_nonnull(big);
  memset(big, 'a', big_len);
  char p[PATH_MAX];
  PATHF(p, "%s/ee_too_large", seeds);
  write_file(p, big, big_len);
  free(big);
  write_text(seeds, "zz_valid_crasher", "!boom"); /* raw bytes */
  run_result r;
  run_fuzz(&r, dir, NULL, "1", NULL, NULL, "20000x", target_path("fail_segv"));
  /* Each bad file is named, with the line where there is one. */
  ck_assert_msg(
      strstr(r.out, "testdata/fuzz/FuzzFailSegv/aa_unclosed: line 2: "), "%s",
      r.out);
  ck_assert_msg(strstr(r.out, "testdata/fuzz/FuzzFailSegv/bb_wrong_type: has "
                              "1 value (int32), target takes 1 (bytes)"),
                "%s", r.out);
  ck_assert_msg(
      strstr(r.out, "testdata/fuzz/FuzzFailSegv/cc_bad_line3: line 3: "), "%s",
      r.out);
  assert_output_has(&r, "dd_too_many: has 2 values");
  assert_output_has(&r, "ee_too_large is larger than the ");
  /* The rest of the corpus is still used: the valid seed fails at once. */
  assert_exit(&r, 1, NULL);
  ck_assert_msg(strstr(r.out, "failure while testing seed corpus entry: "),
                "%s", r.out);
  assert_output_has(&r, "zz_valid_crasher");
  assert_output_has(&r, SEGV_MESSAGE);
  /* Nothing was removed or rewritten. */
  ck_assert_int_eq(count_files(seeds), 6);
  done(&r, dir);
}
END_TEST

/* ---- crashers that cannot be written -------------------------------------
 */

/* testdata is a regular file: mkdir fails even for root. */
START_TEST(testdata_not_writable) {
  char *dir = new_dir();
  write_text(dir, "testdata", "not a directory\n");
  run_result r;
  run_fuzz(&r, dir, NULL, "1", NULL, NULL, "200000x", target_path("fail_segv"));
  assert_exit(&r, 1, NULL);
  assert_output_has(&r, "testdata/fuzz: Not a directory");
  ck_assert_msg(strstr(r.out, "the failing input could not be saved; here it "
                              "is in full:\ncfz fuzz v1\n[]byte(\"!"),
                "%s", r.out);
  assert_output_has(&r, SEGV_MESSAGE);
  assert_output_has(&r, "--- FAIL: FuzzFailSegv");
  char td[PATH_MAX];
  snprintf(td, sizeof td, "%s/testdata", dir);
  struct stat st;
  ck_assert(stat(td, &st) == 0 && S_ISREG(st.st_mode));
  done(&r, dir);
}
END_TEST

/* testdata on a full 16 KiB tmpfs: the write fails with ENOSPC. */
START_TEST(testdata_disk_full) {
  char *dir = new_dir();
  char td[PATH_MAX];
  snprintf(td, sizeof td, "%s/testdata", dir);
  make_dirs(td);
  if (mount("tmpfs", td, "tmpfs", 0, "size=16k") != 0) {
    fprintf(stderr,
            "test_hardening: testdata_disk_full skipped: cannot mount a "
            "tmpfs (%s); needs root\n",
            strerror(errno));
    remove_tree(dir);
    free(dir);
    return;
  }
  /* Fill it, then leave the target's directory ready (directories cost no
   * blocks on tmpfs), so that the file write itself fails. */
  char fill[PATH_MAX];
  PATHF(fill, "%s/fill", td);
  FILE *f = fopen(fill, "wb");
  static char block[4096];
  for (int i = 0; f && i < 64 && fwrite(block, 1, sizeof block, f) > 0; i++)
    fflush(f);
  if (f)
    fclose(f);
  char seeds[PATH_MAX];
  PATHF(seeds, "%s/fuzz/FuzzFailSegv", td);
  make_dirs(seeds);
  run_result r;
  run_fuzz(&r, dir, NULL, "1", NULL, NULL, "200000x", target_path("fail_segv"));
  int left = count_entries(seeds);
  umount2(td, MNT_DETACH);
  /* Assertions after the unmount, so a failure leaves no mount behind. */
  assert_exit(&r, 1, NULL);
  ck_assert_msg(strstr(r.out, "cfz: write testdata/fuzz/FuzzFailSegv/.tmp-"),
                "%s", r.out);
  assert_output_has(&r, "No space left on device");
  ck_assert_msg(strstr(r.out, "the failing input could not be saved; here it "
                              "is in full:\ncfz fuzz v1\n[]byte(\"!"),
                "%s", r.out);
  assert_output_has(&r, "--- FAIL: FuzzFailSegv");
  ck_assert_msg(left == 0, "%d files left in %s (temp files?)", left, seeds);
  done(&r, dir);
}
END_TEST

/* ---- kill -9 of the driver
 * ---------------------------------------------------
 */

START_TEST(driver_sigkill) {
  char *dir = new_dir();
  /* A copy of its own: the processes counted below are this run's. */
  char *target = private_target(dir, "leak_slow");
  char cache[PATH_MAX + 32];
  snprintf(cache, sizeof cache, "--cache-dir=%s/cache", dir);
  char *argv[] = {CFZ_BIN,     "run",  cache,
                  "-j",        "2",    "--keep-going",
                  "--timeout", "1s",   "--minimize-time",
                  "1000x",     target, NULL};
  int fd;
  pid_t pid = spawn_bg(dir, argv, NULL, &fd);
  ck_assert_int_gt(pid, 0);
  char *out = NULL;
  size_t len = 0;
  ck_assert_msg(wait_for_output(fd, &out, &len, "execs: "), "%s", out);
  ck_assert_int_eq(kill(pid, SIGKILL), 0);
  int status = wait_exit(pid);
  close(fd);
  ck_assert_int_eq(status, 128 + SIGKILL);
  ck_assert_int_eq(count_cfz_shm(pid), 0);
  ck_assert_msg(wait_no_processes(target) == 0, "workers outlived the driver");
  /* The generated corpus: every file complete (temp files are dotfiles). */
  char gen[PATH_MAX];
  snprintf(gen, sizeof gen, "%s/cache/FuzzLeakSlow", dir);
  int n = decode_all(gen, 0);
  ck_assert_msg(n > 0, "no generated corpus in %s\n%s", gen, out);
  /* Failures written before the kill are complete too. */
  char seeds[PATH_MAX];
  snprintf(seeds, sizeof seeds, "%s/testdata/fuzz/FuzzLeakSlow", dir);
  decode_all(seeds, 0);
  free(out);
  free(target);
  remove_tree(dir);
  free(dir);
}
END_TEST

/* ---- out of memory --------------------------------------------------------
 */

START_TEST(oom_rss_limit) {
  char *dir = new_dir();
  run_result r;
  run_cfz(&r, dir, NULL, "run", "-j", "1", "--seed", "1", "--fuzz-time",
          "200000x", "--rss-limit", "100", target_path("oom_rss"), NULL);
  assert_exit(&r, 1, NULL);
  assert_output_has(&r, "fuzzing process used ");
  ck_assert_msg(strstr(r.out, " MB, above the 100 MB --rss-limit"), "%s",
                r.out);
  ck_assert_msg(strstr(r.out, "Failing input written to "
                              "testdata/fuzz/FuzzOomRss/"),
                "%s", r.out);
  char seeds[PATH_MAX];
  snprintf(seeds, sizeof seeds, "%s/testdata/fuzz/FuzzOomRss", dir);
  ck_assert_int_eq(decode_all(seeds, '!'), 1);
  ck_assert_int_eq(wait_no_processes(target_path("oom_rss")), 0);
  done(&r, dir);
}
END_TEST

/* One impossible malloc.  In the sanitizer build --malloc-limit (default:
 * the --rss-limit) makes it an ASan allocation-size-too-big report; with
 * --malloc-limit 0, or without ASan, malloc returns NULL and the target
 * reports that. */
START_TEST(oom_huge_malloc) {
  char *dir = new_dir();
  run_result r;
  run_fuzz(&r, dir, NULL, "1", NULL, NULL, "200000x",
           target_path("oom_malloc"));
  assert_exit(&r, 1, NULL);
#ifdef CFZ_SANITIZE_BUILD
  assert_output_has(&r, "allocation-size-too-big");
#else
  ck_assert_msg(strstr(r.out, "oom_malloc: malloc(1125899906842624) returned "
                              "NULL"),
                "%s", r.out);
#endif
  char seeds[PATH_MAX];
  snprintf(seeds, sizeof seeds, "%s/testdata/fuzz/FuzzOomMalloc", dir);
  ck_assert_int_eq(decode_all(seeds, '!'), 1);
  done(&r, dir);
}
END_TEST

/* ---- --keep-going deduplication ---------------------------------------------
 */

/* All four kinds are found within 3000 executions with this seed (each then
 * recurs hundreds of times); 10000 keeps the sanitizer build, which restarts
 * a worker after every crash at ~20 ms each, near 20 s. */
START_TEST(keep_going_distinct) {
  char *dir = new_dir();
  run_result r;
  run_cfz(&r, dir, NULL, "run", "-j", "1", "--seed", "1", "--fuzz-time",
          "10000x", "--keep-going", target_path("multi_crash"), NULL);
  assert_exit(&r, 1, NULL);
  char seeds[PATH_MAX];
  snprintf(seeds, sizeof seeds, "%s/testdata/fuzz/FuzzMultiCrash", dir);
  ck_assert_msg(count_files(seeds) == 4, "%d files\n%s", count_files(seeds),
                r.out);
  /* Each written failure was minimized to its one significant byte. */
  decode_all(seeds, 0);
  ck_assert_int_eq(count_occurrences(r.out, "--- FAIL: FuzzMultiCrash"), 4);
  const char *summary = strstr(r.out, "cfz: 4 distinct failure(s):\n");
  ck_assert_msg(summary != NULL, "%s", r.out);
  ck_assert_int_eq(count_occurrences(summary, " time(s), written to "
                                              "testdata/fuzz/FuzzMultiCrash/"),
                   4);
  ck_assert_msg(strstr(summary, "\n  dollar\n"), "%s", summary);
  ck_assert_msg(strstr(summary, "exit status 7\n"), "%s", summary);
  /* Each is named by its title (failure.h): the signal, or ASan's report. */
  ck_assert_msg(strstr(summary, "\n  SIGABRT\n"), "%s", summary);
#ifdef CFZ_SANITIZE_BUILD
  ck_assert_msg(strstr(summary, "\n  SEGV WRITE on address 0x0 in fuzz "
                                "(multi_crash.c:"),
                "%s", summary);
#else
  ck_assert_msg(strstr(summary, "\n  SIGSEGV\n"), "%s", summary);
#endif
  ck_assert_int_eq(count_occurrences(summary, "\n  dollar\n"), 1);
  ck_assert_int_eq(count_occurrences(summary, "exit status 7\n"), 1);
  done(&r, dir);
}
END_TEST

/* ---- a large seed corpus --------------------------------------------------
 */

START_TEST(ten_thousand_seeds) {
  char *dir = new_dir();
  char seeds[PATH_MAX];
  snprintf(seeds, sizeof seeds, "%s/testdata/fuzz/trivial", dir);
  make_dirs(seeds);
  for (int i = 0; i < 10000; i++) {
    char name[32], data[32];
    snprintf(name, sizeof name, "seed%05d", i);
    int n = snprintf(data, sizeof data, "input %d", i);
    char p[PATH_MAX];
    PATHF(p, "%s/%s", seeds, name);
    write_file(p, data, (size_t)n);
  }
  run_result r;
  run_fuzz(&r, dir, NULL, "1", NULL, NULL, "20000x", target_path("trivial"));
  assert_exit(&r, 0, NULL);
  ck_assert_msg(strstr(r.out, "gathering baseline coverage: 0/10000 completed"),
                "%s", r.out);
  const char *last = NULL;
  for (const char *p = r.out; (p = strstr(p, "execs: ")); p++)
    last = p;
  ck_assert_msg(last != NULL, "%s", r.out);
  unsigned long long execs = strtoull(last + 7, NULL, 10);
  ck_assert_msg(execs >= 10000, "only %llu executions\n%s", execs, r.out);
  const char *total = strstr(last, "(total: ");
  ck_assert_msg(total && strtoull(total + 8, NULL, 10) >= 10000, "%s", r.out);
  ck_assert_msg(!strstr(r.out, "warning"), "%s", r.out);
  done(&r, dir);
}
END_TEST

int main(void) {
  Suite *s = suite_create("cfz hardening");
  TCase *tc = tcase_create("hardening");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, target_missing);
  tcase_add_test(tc, target_not_executable);
  tcase_add_test(tc, target_exits_before_handshake);
  tcase_add_test(tc, target_never_answers);
  tcase_add_test(tc, target_crashes_at_startup);
  tcase_add_test(tc, target_name_escapes);
  tcase_add_test(tc, malformed_corpus_files);
  tcase_add_test(tc, testdata_not_writable);
  tcase_add_test(tc, testdata_disk_full);
  tcase_add_test(tc, driver_sigkill);
  tcase_add_test(tc, oom_rss_limit);
  tcase_add_test(tc, oom_huge_malloc);
  tcase_add_test(tc, keep_going_distinct);
  tcase_add_test(tc, ten_thousand_seeds);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
