/* test_cover.c - `cfz cover` (issue 13, item 5): its line count is llvm-cov's
 * own, computed here without cfz (the target run by hand on the same inputs,
 * llvm-profdata merge, llvm-cov report); an input that crashes is reported
 * and skipped without losing the coverage of the inputs batched with it; a
 * libFuzzer-style coverage build "x_cov" reads x's corpus; clear errors for
 * an executable without coverage mapping and a missing llvm tool.  Needs
 * clang: in other builds (gcc has gcov instead) it is skipped (exit 77). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run_util.h"

#ifndef CFZ_COVER_SKIP
#define PARSER_SEED_A "cfz fuzz v1\n[]byte(\"CFZ\\x05hello\")\nuint8(2)\n"
#define PARSER_SEED_B "cfz fuzz v1\n[]byte(\"CFZ\\x02ab\")\nuint8(1)\n"
/* Mode 7 on a truncated record: a NULL write (SIGSEGV). */
#define PARSER_CRASH "cfz fuzz v1\n[]byte(\"CFZ\\x09ab\")\nuint8(7)\n"
/* Mode 7 on a whole record: lines that only this input reaches. */
#define PARSER_UPPER "cfz fuzz v1\n[]byte(\"CFZ\\x03abc\")\nuint8(7)\n"

typedef struct totals {
  unsigned long long lines, lines_covered;
} totals;

/* "FuzzParser: lines 48/64 (75.00%), ..." in out, for name. */
static totals cfz_totals(const char *out, const char *name) {
  char prefix[160];
  snprintf(prefix, sizeof prefix, "\n%s: lines ", name);
  const char *p = strstr(out, prefix);
  if (!p && !strncmp(out, prefix + 1, strlen(prefix) - 1))
    p = out - 1;
  ck_assert_msg(p, "no summary line for %s in:\n%s", name, out);
  totals t;
  ck_assert_msg(
      sscanf(p + strlen(prefix), "%llu/%llu", &t.lines_covered, &t.lines) == 2,
      "%s", out);
  return t;
}

/* llvm-cov report's TOTAL row: regions, missed, cover, functions, missed,
 * executed, lines, missed lines, ... */
static totals report_totals(const char *out) {
  const char *p = strstr(out, "\nTOTAL ");
  ck_assert_msg(p, "no TOTAL row in:\n%s", out);
  unsigned long long regions, mregions, funcs, mfuncs, lines, mlines;
  ck_assert_msg(sscanf(p + 1, "TOTAL %llu %llu %*s %llu %llu %*s %llu %llu",
                       &regions, &mregions, &funcs, &mfuncs, &lines,
                       &mlines) == 6,
                "%s", out);
  return (totals){.lines = lines, .lines_covered = lines - mlines};
}

/* Runs the shell command line in dir; returns its output (exit 0
 * asserted). */
static void sh(const char *dir, const char *cmd, run_result *r) {
  char *argv[] = {"/bin/sh", "-c", (char *)cmd, NULL};
  run_cmd(dir, argv, NULL, r);
  ck_assert_msg(r->status == 0, "%s: exit %d\n%s", cmd, r->status, r->out);
}

START_TEST(line_count_matches_llvm_cov) {
  char *dir = make_temp_dir();
  ck_assert_ptr_nonnull(dir);
  put_str(dir, "testdata/fuzz/FuzzParser/seed_a", PARSER_SEED_A);
  put_str(dir, "testdata/fuzz/FuzzParser/seed_b", PARSER_SEED_B);
  put_str(dir, "extra/crash", PARSER_CRASH);
  put_str(dir, "extra/upper", PARSER_UPPER);
  const char *exe = target_path("example_parser_cov");
  run_result r;
  run_cfz(&r, dir, NULL, "cover", "-j", "2", "-o", "report", exe, "extra",
          NULL);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  /* SIGSEGV; SIGABRT under ASan (its report ends in abort). */
  ck_assert_msg(strstr(r.out, "skipped extra/crash: signal SIG"), "%s", r.out);
  ck_assert_msg(strstr(r.out, "4 corpus files and the seeds"), "%s", r.out);
  totals got = cfz_totals(r.out, "FuzzParser");
  run_result_free(&r);

  /* The same inputs but the crashing one, without cfz. */
  char cmd[8192];
  snprintf(cmd, sizeof cmd,
           "export ASAN_OPTIONS=detect_leaks=0 && "
           "LLVM_PROFILE_FILE=own-seeds.profraw '%s' -t FuzzParser && "
           "LLVM_PROFILE_FILE=own-files.profraw '%s' -t FuzzParser "
           "testdata/fuzz/FuzzParser/seed_a testdata/fuzz/FuzzParser/seed_b "
           "extra/upper && "
           "'%s' merge -sparse own-seeds.profraw own-files.profraw "
           "-o own.profdata && "
           "'%s' report -instr-profile=own.profdata '%s'",
           exe, exe, CFZ_LLVM_PROFDATA, CFZ_LLVM_COV, exe);
  sh(dir, cmd, &r);
  totals want = report_totals(r.out);
  run_result_free(&r);
  ck_assert_msg(got.lines == want.lines &&
                    got.lines_covered == want.lines_covered,
                "cfz cover: %llu/%llu lines, llvm-cov report: %llu/%llu",
                got.lines_covered, got.lines, want.lines_covered, want.lines);
  /* upper's lines count: without it, fewer are covered. */
  snprintf(cmd, sizeof cmd,
           "'%s' merge -sparse own-seeds.profraw -o seeds.profdata && "
           "'%s' report -instr-profile=seeds.profdata '%s'",
           CFZ_LLVM_PROFDATA, CFZ_LLVM_COV, exe);
  sh(dir, cmd, &r);
  ck_assert_uint_lt(report_totals(r.out).lines_covered, got.lines_covered);
  run_result_free(&r);

  /* The report and the merged profile are there, and llvm-cov agrees on
   * the merged profile too. */
  sh(dir, "test -s report/html/index.html && test -s report/cover.profdata",
     &r);
  run_result_free(&r);
  snprintf(cmd, sizeof cmd,
           "'%s' report -instr-profile=report/cover.profdata '%s'",
           CFZ_LLVM_COV, exe);
  sh(dir, cmd, &r);
  totals again = report_totals(r.out);
  ck_assert_uint_eq(again.lines_covered, got.lines_covered);
  run_result_free(&r);
  remove_tree(dir);
  free(dir);
}
END_TEST

START_TEST(libfuzzer_cov_reads_its_fuzz_builds_corpus) {
  char *dir = make_temp_dir();
  ck_assert_ptr_nonnull(dir);
  put_str(dir, "testdata/fuzz/example_libfuzzer/a", "I\x01\x05");
  put_str(dir, "testdata/fuzz/example_libfuzzer/b", "S\x02hi");
  run_result r;
  run_cfz(&r, dir, NULL, "cover", "-j", "1", "-o", "report",
          target_path("example_libfuzzer_cov"), NULL);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "2 corpus files and the seeds"), "%s", r.out);
  totals t = cfz_totals(r.out, "example_libfuzzer");
  ck_assert_uint_gt(t.lines_covered, 0);
  run_result_free(&r);
  remove_tree(dir);
  free(dir);
}
END_TEST

START_TEST(errors_are_clear) {
  run_result r;
  char *dir =
      run_cfz(&r, NULL, NULL, "cover", target_path("example_parser"), NULL);
  ck_assert_int_eq(r.status, 2);
  ck_assert_msg(strstr(r.out, "has no coverage mapping") &&
                    strstr(r.out, "-fprofile-instr-generate"),
                "%s", r.out);
  run_result_free(&r);
  run_cfz(&r, dir, NULL, "cover", "--llvm-cov", "no-such-llvm-cov",
          target_path("example_parser_cov"), NULL);
  ck_assert_int_eq(r.status, 2);
  ck_assert_msg(strstr(r.out, "no-such-llvm-cov: No such file"), "%s", r.out);
  run_result_free(&r);
  remove_tree(dir);
  free(dir);
}
END_TEST
#endif

int main(void) {
#ifdef CFZ_COVER_SKIP
  printf("test_cover: skipped: %s\n", CFZ_COVER_SKIP);
  return 77;
#else
  Suite *s = suite_create("cover");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 240);
  tcase_add_test(tc, line_count_matches_llvm_cov);
  tcase_add_test(tc, libfuzzer_cov_reads_its_fuzz_builds_corpus);
  tcase_add_test(tc, errors_are_clear);
  suite_add_tcase(s, tc);
  return run_suite(s);
#endif
}
