/* test_determinism.c - `cfz run --seed N` repeats itself: the same target
 * run three times with the same seed, beside a CPU hog, ends at the same
 * execution with the same crasher; another seed makes another run.  The
 * target (targets/seeded_names) has many compare sites and indirect calls,
 * so that hashing absolute addresses (ASLR) or reading the clock to cut
 * batches would show.  With --deterministic, the same holds for -j 3.
 * Bounded by execution counts (--fuzz-time Nx). */
#include <check.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run_util.h"

typedef struct outcome {
  uint64_t execs; /* the failure event's execution count */
  size_t finds;   /* new_coverage events: each ended a batch */
  char *crasher;  /* the crasher file's contents */
} outcome;

static size_t count_of(const char *s, const char *needle) {
  size_t n = 0;
  for (const char *p = s; (p = strstr(p, needle)) != NULL; p += strlen(needle))
    n++;
  return n;
}

/* A busy loop in a child process, so the run competes for the CPU. */
static pid_t start_hog(void) {
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    alarm(600); /* never outlive a crashed test */
    for (volatile unsigned long i = 0;; i++)
      ;
  }
  return pid;
}

static void stop_hog(pid_t pid) {
  ck_assert_int_eq(kill(pid, SIGKILL), 0);
  int status;
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
}

static char *read_all(const char *path) {
  FILE *f = fopen(path, "rb");
  ck_assert_msg(f != NULL, "cannot open %s", path);
  char *buf = calloc(1, 65536);
  ck_assert_ptr_nonnull(buf);
  size_t n = fread(buf, 1, 65535, f);
  (void)n;
  fclose(f);
  return buf;
}

/* The value of "key": in the failure event (a number or a string). */
static const char *field(const char *event, const char *key) {
  char pat[64];
  snprintf(pat, sizeof pat, "\"%s\":", key);
  const char *p = strstr(event, pat);
  ck_assert_msg(p != NULL, "no %s in %s", key, event);
  return p + strlen(pat);
}

/* The sanitizer build runs with the slow-input rule off (docs/usage.md,
 * "Reproducible runs"): there seeded_names' inputs take 5-90 us of CPU an
 * execution, at the rule's 50 us floor, and the same window's CPU time
 * varies 2x between runs with the machine's load (shared caches, the
 * host's other guests) even when the worker was not preempted, so the rule's
 * picks depend on the load whichever clock times them.  The plain build's
 * inputs stay far under the floor: there the rule is on and must not
 * change a pick. */
#ifdef CFZ_SANITIZE_BUILD
static char *const run_env[] = {"CFZ_FEATURES_OFF=slow", NULL};
#else
static char *const *const run_env = NULL;
#endif

/* Fuzzes targets/seeded_names with -j jobs and seed until it crashes;
 * deterministic: with --deterministic. */
static outcome fuzz_to_crash(const char *seed, const char *jobs,
                             bool deterministic) {
  run_result r;
  char *dir =
      deterministic
          ? run_cfz(&r, NULL, run_env, "run", "-j", jobs, "--seed", seed,
                    "--deterministic", "--json", "--fuzz-time", "2000000x",
                    "--minimize-time", "2000x", target_path("seeded_names"),
                    NULL)
          : run_cfz(&r, NULL, run_env, "run", "-j", jobs, "--seed", seed,
                    "--json", "--fuzz-time", "2000000x", "--minimize-time",
                    "2000x", target_path("seeded_names"), NULL);
  ck_assert_msg(r.status == 1, "seed %s: exit %d\n%s", seed, r.status, r.out);
  const char *ev = strstr(r.out, "{\"event\":\"failure\"");
  ck_assert_msg(ev != NULL, "seed %s: no failure event in:\n%s", seed, r.out);
  outcome o = {0};
  o.execs = strtoull(field(ev, "execs"), NULL, 10);
  o.finds = count_of(r.out, "{\"event\":\"new_coverage\"");
  const char *file = field(ev, "file");
  ck_assert(*file == '"');
  char path[1024];
  size_t n = strcspn(file + 1, "\"");
  ck_assert_uint_lt(n, sizeof path - strlen(dir) - 2);
  if (file[1] == '/')
    snprintf(path, sizeof path, "%.*s", (int)n, file + 1);
  else
    snprintf(path, sizeof path, "%s/%.*s", dir, (int)n, file + 1);
  o.crasher = read_all(path);
  run_result_free(&r);
  remove_tree(dir);
  free(dir);
  return o;
}

static void check_repeats(const char *jobs, bool deterministic) {
  pid_t hog = start_hog();
  outcome a = fuzz_to_crash("1", jobs, deterministic);
  outcome b = fuzz_to_crash("1", jobs, deterministic);
  outcome c = fuzz_to_crash("1", jobs, deterministic);
  outcome d = fuzz_to_crash("2", jobs, deterministic);
  stop_hog(hog);
  /* Long enough to span many batches: a batch ends at each find or after
   * 1,000 executions (the gcc build crashes after 1,885 executions and 44
   * finds with seed 1, the clang build after more). */
  ck_assert_msg(a.execs > 1000 && a.finds >= 20,
                "crash after %" PRIu64 " executions and %zu finds only",
                a.execs, a.finds);
  ck_assert_uint_eq(a.finds, b.finds);
  ck_assert_uint_eq(a.finds, c.finds);
  ck_assert_uint_eq(a.execs, b.execs);
  ck_assert_uint_eq(a.execs, c.execs);
  ck_assert_str_eq(a.crasher, b.crasher);
  ck_assert_str_eq(a.crasher, c.crasher);
  ck_assert_msg(d.execs != a.execs,
                "seeds 1 and 2 both crashed after %" PRIu64 " executions",
                a.execs);
  free(a.crasher);
  free(b.crasher);
  free(c.crasher);
  free(d.crasher);
}

START_TEST(seeded_run_repeats) { check_repeats("1", false); }
END_TEST

/* Three workers whose answers arrive in whatever order the load decides. */
START_TEST(deterministic_parallel_run_repeats) { check_repeats("3", true); }
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("determinism");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 600);
  /* Both builds; the sanitizer build with the slow-input rule off (see
   * run_env).  (UBSan's address compares stay out of the compare tables.) */
  tcase_add_test(tc, seeded_run_repeats);
  tcase_add_test(tc, deterministic_parallel_run_repeats);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return run_suite(suite()); }
