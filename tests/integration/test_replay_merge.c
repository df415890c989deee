/* test_replay_merge.c - `cfz test` (regression replay in workers) and
 * `cfz corpus merge` (coverage-preserving corpus minimization). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_util.h"

/* snprintf into the array buf; a truncated path fails the test (using the
 * length also keeps gcc's -Wformat-truncation quiet). */
#define PATHF(buf, ...)                                                        \
  ck_assert_int_lt(snprintf((buf), sizeof(buf), __VA_ARGS__), (int)sizeof(buf))

static void write_text(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  fputs(text, f);
  fclose(f);
}

START_TEST(test_reports_each_failure) {
  char *dir = make_temp_dir();
  char seeds[512], p[600];
  /* fail_segv's seed corpus: two passing entries and two crashers. */
  snprintf(seeds, sizeof seeds, "%s/testdata", dir);
  char *mk[] = {"/bin/mkdir", "-p", NULL, NULL};
  char sub[600];
  snprintf(sub, sizeof sub, "%s/fuzz/FuzzFailSegv", seeds);
  mk[2] = sub;
  run_result r;
  run_cmd(NULL, mk, NULL, &r);
  run_result_free(&r);
  PATHF(p, "%s/a-pass", sub);
  write_text(p, "cfz fuzz v1\n[]byte(\"hello\")\n");
  PATHF(p, "%s/b-crash", sub);
  write_text(p, "cfz fuzz v1\n[]byte(\"!one\")\n");
  PATHF(p, "%s/c-pass", sub);
  write_text(p, "plain raw bytes");
  PATHF(p, "%s/d-crash", sub);
  write_text(p, "!raw crash");

  char *argv[] = {CFZ_BIN, "test", "-j", "1", (char *)target_path("fail_segv"),
                  NULL};
  run_cmd(dir, argv, NULL, &r);
  ck_assert_msg(r.status == 1, "exit %d\n%s", r.status, r.out);
  /* Both crashers reported, each once; the run went on after the first. */
  ck_assert_msg(strstr(r.out, "--- FAIL: FuzzFailSegv/b-crash\n    input: "
                              "testdata/fuzz/FuzzFailSegv/b-crash"),
                "%s", r.out);
  ck_assert_msg(strstr(r.out, "--- FAIL: FuzzFailSegv/d-crash\n    input: "
                              "testdata/fuzz/FuzzFailSegv/d-crash"),
                "%s", r.out);
  ck_assert_msg(!strstr(r.out, "a-pass\n"), "%s", r.out);
  /* 4 files + the target's cfz_add seed. */
  ck_assert_msg(strstr(r.out, "FAIL: 2 of 5 corpus entries failed"), "%s",
                r.out);
  run_result_free(&r);

  /* Without the crashers everything passes. */
  PATHF(p, "%s/b-crash", sub);
  remove(p);
  PATHF(p, "%s/d-crash", sub);
  remove(p);
  run_cmd(dir, argv, NULL, &r);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  ck_assert_msg(strstr(r.out, "ok: 3 corpus entries passed"), "%s", r.out);
  run_result_free(&r);
  remove_tree(dir);
  free(dir);
}
END_TEST

static unsigned long number_after(const char *out, const char *key) {
  const char *p = strstr(out, key);
  ck_assert_msg(p != NULL, "no \"%s\" in:\n%s", key, out);
  return strtoul(p + strlen(key), NULL, 10);
}

START_TEST(merge_keeps_coverage) {
  char *dir = make_temp_dir();
  char cache[512];
  snprintf(cache, sizeof cache, "--cache-dir=%s/cache", dir);
  char *fuzz[] = {CFZ_BIN, "run",
                  cache,   "-j",
                  "1",     "--seed",
                  "9",     "--fuzz-time",
                  "5000x", (char *)target_path("feedback_strcmp"),
                  NULL};
  run_result r;
  run_cmd(dir, fuzz, NULL, &r);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  run_result_free(&r);

  char *merge[] = {CFZ_BIN,
                   "corpus",
                   "merge",
                   cache,
                   "-j",
                   "1",
                   (char *)target_path("feedback_strcmp"),
                   NULL};
  run_cmd(dir, merge, NULL, &r);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  unsigned long candidates = number_after(r.out, "merge: ");
  unsigned long kept = number_after(r.out, "candidate input(s), ");
  unsigned long features = number_after(r.out, "(features: ");
  ck_assert_uint_gt(candidates, 0);
  ck_assert_uint_le(kept, candidates);
  run_result_free(&r);

  /* Merging the merged corpus again keeps all of it and its coverage. */
  run_cmd(dir, merge, NULL, &r);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  ck_assert_uint_eq(number_after(r.out, "merge: "), kept);
  ck_assert_uint_eq(number_after(r.out, "candidate input(s), "), kept);
  ck_assert_uint_eq(number_after(r.out, "(features: "), features);
  ck_assert_msg(strstr(r.out, ", 0 removed"), "%s", r.out);
  run_result_free(&r);

  /* -o writes the kept set of the given dirs elsewhere; the generated
   * corpus is then not a candidate and stays as it is. */
  char out[600], odir[600], gen[600];
  snprintf(odir, sizeof odir, "%s/merged", dir);
  PATHF(out, "--output=%s", odir);
  snprintf(gen, sizeof gen, "%s/cache/feedback_strcmp", dir);
  char *merge_to[] = {CFZ_BIN, "corpus", "merge",
                      cache,   out,      (char *)target_path("feedback_strcmp"),
                      gen,     NULL};
  run_cmd(dir, merge_to, NULL, &r);
  ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.out);
  ck_assert_uint_eq(number_after(r.out, "candidate input(s), "), kept);
  ck_assert_int_eq(count_files(odir), (int)kept);
  ck_assert_int_eq(count_files(gen), (int)kept);
  run_result_free(&r);
  remove_tree(dir);
  free(dir);
}
END_TEST

int main(void) {
  Suite *s = suite_create("replay and merge");
  TCase *tc = tcase_create("replay");
  tcase_set_timeout(tc, 240);
  tcase_add_test(tc, test_reports_each_failure);
  tcase_add_test(tc, merge_keeps_coverage);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
