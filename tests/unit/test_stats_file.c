/* test_stats_file.c - the stats file written (stats_file.h) and read back
 * (stats_series.h): rows, parent directories, a full disk, bad files. */
#include "stats_file.h"
#include "stats_series.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file_read.h"

static char tmpdir[64];

static void setup(void) {
  snprintf(tmpdir, sizeof tmpdir, "/tmp/cfz-stats-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  ck_assert_int_eq(system(cmd), 0);
}

static char *slurp(const char *path, size_t *len) {
  uint8_t *b;
  char err[256];
  ck_assert_msg(cfz_file_read(path, 0, &b, len, err, sizeof err) == 0, "%s",
                err);
  return (char *)b;
}

START_TEST(rows_read_back) {
  char path[128], err[512];
  snprintf(path, sizeof path, "%s/a/b/s.csv", tmpdir); /* parents missing */
  cfz_stats_file sf;
  ck_assert_msg(cfz_stats_file_open(&sf, path, err, sizeof err) == 0, "%s",
                err);
  for (uint64_t i = 1; i <= 3; i++) {
    cfz_stats st = {.execs = 1000 * i,
                    .execs_per_sec = 300 + i,
                    .corpus = (size_t)(2 * i),
                    .corpus_bytes = 100 * i,
                    .edges = 10 + i,
                    .features = 20 + i,
                    .failures = i - 1,
                    .workers = 2,
                    .rss_mb = 30};
    ck_assert(cfz_stats_file_row(&sf, 3000 * i, &st, err, sizeof err) == 0);
  }
  /* flushed row by row: readable before the file is closed */
  size_t len;
  char *text = slurp(path, &len);
  const char *first = CFZ_STATS_COLUMNS "\n3000,1000,301,2,100,11,21,0,2,30\n";
  ck_assert_msg(strncmp(text, first, strlen(first)) == 0, "%s", text);
  ck_assert(strstr(text, "9000,3000,303,6,300,13,23,2,2,30\n") != NULL);
  cfz_stats_series s;
  ck_assert_msg(
      cfz_stats_series_parse("s.csv", text, len, &s, err, sizeof err) == 0,
      "%s", err);
  ck_assert_uint_eq(s.n, 3);
  ck_assert_uint_eq(s.v[2][CFZ_SERIES_ELAPSED_MS], 9000);
  ck_assert_uint_eq(s.v[1][CFZ_SERIES_EDGES], 12);
  ck_assert_uint_eq(s.v[0][CFZ_SERIES_CORPUS_BYTES], 100);
  ck_assert_uint_eq(s.max[CFZ_SERIES_FAILURES], 2);
  ck_assert_uint_eq(s.max[CFZ_SERIES_EXECS_PER_SEC], 303);
  cfz_stats_series_free(&s);
  free(text);
  ck_assert(cfz_stats_file_close(&sf, err, sizeof err) == 0);
}
END_TEST

START_TEST(full_disk_fails_once) {
  char err[512] = "";
  cfz_stats_file sf;
  if (access("/dev/full", W_OK) != 0)
    return; /* no /dev/full here */
  /* the header already fails (or the first row, if it stays buffered) */
  int rc = cfz_stats_file_open(&sf, "/dev/full", err, sizeof err);
  cfz_stats st = {.execs = 1};
  if (rc == 0)
    rc = cfz_stats_file_row(&sf, 1, &st, err, sizeof err);
  ck_assert_int_eq(rc, -1);
  ck_assert_msg(strstr(err, "/dev/full") && strstr(err, "No space left"), "%s",
                err);
  /* later rows are dropped quietly: one warning in all */
  err[0] = '\0';
  ck_assert_int_eq(cfz_stats_file_row(&sf, 2, &st, err, sizeof err), 0);
  ck_assert_str_eq(err, "");
  ck_assert(cfz_stats_file_close(&sf, err, sizeof err) == 0);
}
END_TEST

static void parse_fails(const char *text, const char *want) {
  cfz_stats_series s;
  char err[512] = "";
  ck_assert_int_eq(
      cfz_stats_series_parse("f.csv", text, strlen(text), &s, err, sizeof err),
      -1);
  ck_assert_msg(strstr(err, want) != NULL, "got \"%s\", want \"%s\"", err,
                want);
  ck_assert_ptr_null(s.v);
}

START_TEST(bad_files) {
  parse_fails("", "f.csv: empty");
  parse_fails("elapsed_ms,execs\n1,2\n",
              "f.csv: no column \"execs_per_sec\" in the header");
  parse_fails(CFZ_STATS_COLUMNS "\n1,2,3,4,5,6,7,8,9,10\n1,2,3\n",
              "f.csv: line 3: 3 fields, the header has 10");
  parse_fails(CFZ_STATS_COLUMNS "\n1,2,3,4,5,x6,7,8,9,10\n",
              "f.csv: line 2: edges \"x6\" is not a number");
  parse_fails(CFZ_STATS_COLUMNS "\n-1,2,3,4,5,6,7,8,9,10\n",
              "line 2: elapsed_ms \"-1\" is not a number");
}
END_TEST

START_TEST(columns_by_name) {
  /* another order, an extra column, CRLF, no final newline, a blank line */
  const char *text =
      "extra,failures,features,edges,corpus_bytes,corpus,execs_per_sec,"
      "elapsed_ms\r\n9,1,2,3,4,5,6,7\r\n\r\n9,1,2,30,4,5,6,8";
  cfz_stats_series s;
  char err[512];
  ck_assert_msg(
      cfz_stats_series_parse("f", text, strlen(text), &s, err, sizeof err) == 0,
      "%s", err);
  ck_assert_uint_eq(s.n, 2);
  ck_assert_uint_eq(s.v[0][CFZ_SERIES_ELAPSED_MS], 7);
  ck_assert_uint_eq(s.v[0][CFZ_SERIES_FAILURES], 1);
  ck_assert_uint_eq(s.v[1][CFZ_SERIES_EDGES], 30);
  ck_assert_uint_eq(s.max[CFZ_SERIES_EDGES], 30);
  cfz_stats_series_free(&s);
  /* a header only: no rows, not an error */
  ck_assert(cfz_stats_series_parse("f", CFZ_STATS_COLUMNS "\n",
                                   strlen(CFZ_STATS_COLUMNS "\n"), &s, err,
                                   sizeof err) == 0);
  ck_assert_uint_eq(s.n, 0);
  cfz_stats_series_free(&s);
}
END_TEST

int main(void) {
  Suite *s = suite_create("stats_file");
  TCase *tc = tcase_create("core");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, rows_read_back);
  tcase_add_test(tc, full_disk_fails_once);
  tcase_add_test(tc, bad_files);
  tcase_add_test(tc, columns_by_name);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
