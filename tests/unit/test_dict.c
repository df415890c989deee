/* test_dict.c - libFuzzer / AFL dictionary files. */
#include "dict.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];
static char path[128];

static void setup(void) {
  strcpy(dir, "/tmp/cfz-dict-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/test.dict", dir);
}

static void teardown(void) {
  unlink(path);
  rmdir(dir);
}

static void write_dict(const char *text) {
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  ck_assert_int_eq(fputs(text, f) >= 0, 1);
  ck_assert_int_eq(fclose(f), 0);
}

START_TEST(parses_entries) {
  write_dict("# a comment\n"
             "\n"
             "kw1=\"foo\"\n"
             "  \"\\x00\\xff\"  \n"
             "name@1=\"x\"\n"
             "header_png = \"\\x89PNG\"\r\n"
             "\t# indented comment\n"
             "\"quote\\\"back\\\\slash\"\n"
             "\"#not a comment\"");
  cfz_dict d;
  char err[256] = "";
  ck_assert_msg(cfz_dict_load(path, &d, err, sizeof err) == 0, "%s", err);
  ck_assert_uint_eq(d.n, 6);
  ck_assert_uint_eq(d.entries[0].len, 3);
  ck_assert_mem_eq(d.entries[0].data, "foo", 3);
  ck_assert_uint_eq(d.entries[1].len, 2);
  ck_assert_mem_eq(d.entries[1].data, "\x00\xff", 2);
  ck_assert_uint_eq(d.entries[2].len, 1);
  ck_assert_mem_eq(d.entries[2].data, "x", 1);
  ck_assert_uint_eq(d.entries[3].len, 4);
  ck_assert_mem_eq(d.entries[3].data, "\x89PNG", 4);
  ck_assert_uint_eq(d.entries[4].len, 16);
  ck_assert_mem_eq(d.entries[4].data, "quote\"back\\slash", 16);
  ck_assert_uint_eq(d.entries[5].len, 14);
  cfz_dict_free(&d);
  ck_assert_ptr_null(d.entries);
  ck_assert_uint_eq(d.n, 0);
}
END_TEST

START_TEST(longest_entry) {
  char text[512] = "\"";
  memset(text + 1, 'a', CFZ_DICT_MAX_ENTRY);
  strcpy(text + 1 + CFZ_DICT_MAX_ENTRY, "\"\n");
  write_dict(text);
  cfz_dict d;
  char err[256] = "";
  ck_assert_msg(cfz_dict_load(path, &d, err, sizeof err) == 0, "%s", err);
  ck_assert_uint_eq(d.n, 1);
  ck_assert_uint_eq(d.entries[0].len, CFZ_DICT_MAX_ENTRY);
  cfz_dict_free(&d);
  /* Many entries grow the array. */
  FILE *f = fopen(path, "w");
  for (int i = 0; i < 1000; i++)
    fprintf(f, "k%d=\"v%d\"\n", i, i);
  fclose(f);
  ck_assert_int_eq(cfz_dict_load(path, &d, err, sizeof err), 0);
  ck_assert_uint_eq(d.n, 1000);
  ck_assert_mem_eq(d.entries[999].data, "v999", 4);
  cfz_dict_free(&d);
}
END_TEST

static void expect_error(const char *text, int line, const char *reason) {
  write_dict(text);
  cfz_dict d = {(cfz_dict_entry *)1, 7};
  char err[256] = "", want[384];
  ck_assert_int_eq(cfz_dict_load(path, &d, err, sizeof err), -1);
  snprintf(want, sizeof want, "%s:%d: %s", path, line, reason);
  ck_assert_msg(strstr(err, want) == err, "got %s\nwant %s", err, want);
  ck_assert_ptr_null(d.entries);
  ck_assert_uint_eq(d.n, 0);
}

START_TEST(errors) {
  expect_error("\"ok\"\nfoo\n", 2, "expected '=' after the entry name");
  expect_error("\"abc\n", 1, "unterminated value");
  expect_error("# c\n\n\"a\\q\"\n", 3, "bad escape");
  expect_error("\"\\x4g\"\n", 1, "bad \\x escape");
  expect_error("\"\\x4\"\n", 1, "bad \\x escape");
  expect_error("\"a\" b\n", 1, "unexpected characters after the closing quote");
  expect_error("kw=foo\n", 1, "expected a quoted value after '='");
  expect_error("kw@=\"x\"\n", 1, "expected a level after '@'");
  expect_error("\"\"\n", 1, "empty entry");
  expect_error("=\"x\"\n", 1, "expected a quoted value or name=\"value\"");
  char text[512] = "\"";
  memset(text + 1, 'a', CFZ_DICT_MAX_ENTRY + 1);
  strcpy(text + 2 + CFZ_DICT_MAX_ENTRY, "\"\n");
  expect_error(text, 1, "entry longer than 128 bytes");
}
END_TEST

START_TEST(missing_file) {
  cfz_dict d;
  char err[256], want[256], missing[160];
  snprintf(missing, sizeof missing, "%s/nope.dict", dir);
  ck_assert_int_eq(cfz_dict_load(missing, &d, err, sizeof err), -1);
  snprintf(want, sizeof want, "open %s: No such file or directory", missing);
  ck_assert_str_eq(err, want);
  write_dict(""); /* empty file: zero entries, no error */
  ck_assert_int_eq(cfz_dict_load(path, &d, err, sizeof err), 0);
  ck_assert_uint_eq(d.n, 0);
  cfz_dict_free(&d);
}
END_TEST

int main(void) {
  Suite *s = suite_create("dict");
  TCase *tc = tcase_create("core");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, parses_entries);
  tcase_add_test(tc, longest_entry);
  tcase_add_test(tc, errors);
  tcase_add_test(tc, missing_file);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
