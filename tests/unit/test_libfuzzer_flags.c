/* test_libfuzzer_flags.c - libFuzzer's command line (libfuzzer_flags.h). */
#include "libfuzzer_flags.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parses the NULL-terminated args (after a program name); returns the
 * messages (malloc'd). */
static char *parse(cfz_lf_flags *f, const char **args) {
  char *argv[64] = {"./t"};
  int argc = 1;
  for (; args[argc - 1]; argc++)
    argv[argc] = (char *)args[argc - 1];
  cfz_strbuf msgs = {0};
  ck_assert_int_eq(cfz_lf_parse(argc, argv, f, &msgs), 0);
  return cfz_sb_take(&msgs);
}

START_TEST(defaults) {
  cfz_lf_flags f;
  char *m = parse(&f, (const char *[]){NULL});
  ck_assert_str_eq(m, "");
  ck_assert_int_eq(f.runs, -1);
  ck_assert_int_eq(f.timeout, 1200);
  ck_assert_int_eq(f.rss_limit_mb, 2048);
  ck_assert_int_eq(f.malloc_limit_mb, 0);
  ck_assert_int_eq(cfz_lf_malloc_limit(&f), 2048);
  ck_assert_int_eq(f.len_control, 100);
  ck_assert_int_eq(f.detect_leaks, 1);
  ck_assert_int_eq(f.error_exitcode, 77);
  ck_assert_int_eq(f.timeout_exitcode, 70);
  ck_assert_int_eq(f.verbosity, 1);
  ck_assert_uint_eq(f.seed, 0);
  ck_assert_str_eq(f.artifact_prefix, "");
  ck_assert_ptr_null(f.exact_artifact_path);
  ck_assert_ptr_null(f.dict);
  ck_assert_uint_eq(f.ninputs, 0);
  free(m);
  cfz_lf_flags_free(&f);
}
END_TEST

/* The command line ClusterFuzz uses to fuzz (libfuzzer.py). */
START_TEST(clusterfuzz_fuzz_line) {
  cfz_lf_flags f;
  char *m = parse(&f, (const char *[]){"-timeout=25",
                                       "-rss_limit_mb=2560",
                                       "-max_len=1000",
                                       "-dict=x.dict",
                                       "-artifact_prefix=art/",
                                       "-max_total_time=10",
                                       "-print_final_stats=1",
                                       "-use_value_profile=1",
                                       "-seed=1337",
                                       "-runs=4",
                                       "-malloc_limit_mb=64",
                                       "-len_control=0",
                                       "-exact_artifact_path=out",
                                       "-close_fd_mask=3",
                                       "-detect_leaks=0",
                                       "-jobs=4",
                                       "-workers=2",
                                       "-fork=2",
                                       "-error_exitcode=9",
                                       "-timeout_exitcode=8",
                                       "new/",
                                       "corpus/",
                                       NULL});
  ck_assert_str_eq(m, "");
  ck_assert_int_eq(f.timeout, 25);
  ck_assert_int_eq(f.rss_limit_mb, 2560);
  ck_assert_int_eq(f.max_len, 1000);
  ck_assert_str_eq(f.dict, "x.dict");
  ck_assert_str_eq(f.artifact_prefix, "art/");
  ck_assert_int_eq(f.max_total_time, 10);
  ck_assert_int_eq(f.print_final_stats, 1);
  ck_assert_int_eq(f.use_value_profile, 1);
  ck_assert_uint_eq(f.seed, 1337);
  ck_assert_int_eq(f.runs, 4);
  ck_assert_int_eq(f.malloc_limit_mb, 64);
  ck_assert_int_eq(cfz_lf_malloc_limit(&f), 64);
  ck_assert_int_eq(f.len_control, 0);
  ck_assert_str_eq(f.exact_artifact_path, "out");
  ck_assert_int_eq(f.close_fd_mask, 3);
  ck_assert_int_eq(f.detect_leaks, 0);
  ck_assert_uint_eq(f.jobs, 4);
  ck_assert_uint_eq(f.workers, 2);
  ck_assert_int_eq(f.fork, 2);
  ck_assert_int_eq(f.error_exitcode, 9);
  ck_assert_int_eq(f.timeout_exitcode, 8);
  ck_assert_uint_eq(f.ninputs, 2);
  ck_assert_str_eq(f.inputs[0], "new/");
  ck_assert_str_eq(f.inputs[1], "corpus/");
  free(m);
  cfz_lf_flags_free(&f);
}
END_TEST

START_TEST(unknown_and_ignored) {
  cfz_lf_flags f;
  char *m = parse(&f, (const char *[]){"-foo=1", "-entropic=0", "--runs=3",
                                       "--bar", "-runs", NULL});
  ck_assert_msg(strstr(m, "\n\nWARNING: unrecognized flag '-foo=1'; use "
                          "-help=1 to list all flags\n\n"),
                "%s", m);
  ck_assert_msg(strstr(m, "INFO: cfz does not implement -entropic=0; "
                          "ignored\n"),
                "%s", m);
  /* "--" flags: one note, a hint for a real flag, no effect. */
  const char *note = "INFO: libFuzzer ignores flags that start with '--'\n";
  char *first = strstr(m, note);
  ck_assert_ptr_nonnull(first);
  ck_assert_ptr_null(strstr(first + 1, note));
  ck_assert_msg(strstr(m, "WARNING: did you mean '-runs=3' (single dash)?"),
                "%s", m);
  /* "-runs" without '=' is not the flag. */
  ck_assert_msg(strstr(m, "unrecognized flag '-runs';"), "%s", m);
  ck_assert_int_eq(f.runs, -1);
  ck_assert_uint_eq(f.ninputs, 0);
  free(m);
  cfz_lf_flags_free(&f);
}
END_TEST

/* Integers as libFuzzer reads them. */
START_TEST(integers) {
  cfz_lf_flags f;
  char *m = parse(&f, (const char *[]){"-runs=12abc", "-timeout=x",
                                       "-max_len=-5", "-rss_limit_mb=-7x",
                                       "-max_total_time=99999999999999999999",
                                       "-seed=-1", NULL});
  ck_assert_int_eq(f.runs, 12);
  ck_assert_int_eq(f.timeout, 0);
  ck_assert_int_eq(f.max_len, -5);
  ck_assert_int_eq(f.rss_limit_mb, 7); /* libFuzzer drops the sign here */
  ck_assert_int_eq(f.max_total_time, 2147483647);
  ck_assert_uint_eq(f.seed, 4294967295u);
  free(m);
  cfz_lf_flags_free(&f);
}
END_TEST

START_TEST(prefix_names_do_not_match) {
  /* -timeout_exitcode must not be read as -timeout, nor -merge_control_file
   * as -merge. */
  cfz_lf_flags f;
  char *m =
      parse(&f, (const char *[]){"-timeout_exitcode=3",
                                 "-merge_control_file=ctl", "-runsx=1", NULL});
  ck_assert_int_eq(f.timeout, 1200);
  ck_assert_int_eq(f.timeout_exitcode, 3);
  ck_assert_int_eq(f.merge, 0);
  ck_assert_str_eq(f.merge_control_file, "ctl");
  ck_assert_msg(strstr(m, "unrecognized flag '-runsx=1'"), "%s", m);
  free(m);
  cfz_lf_flags_free(&f);
}
END_TEST

START_TEST(ignore_remaining_args) {
  cfz_lf_flags f;
  char *m = parse(&f, (const char *[]){"-runs=2", "-ignore_remaining_args=1",
                                       "-runs=5", "dir", "-x", NULL});
  ck_assert_str_eq(m, "");
  ck_assert_int_eq(f.runs, 2);
  ck_assert_uint_eq(f.ninputs, 0);
  free(m);
  cfz_lf_flags_free(&f);
}
END_TEST

static bool files_only(const char *path, void *ctx) {
  (void)ctx;
  return strncmp(path, "file", 4) == 0;
}

static cfz_lf_mode mode_of(const char **args) {
  cfz_lf_flags f;
  char *m = parse(&f, args);
  cfz_lf_mode mode = cfz_lf_mode_of(&f, files_only, NULL);
  free(m);
  cfz_lf_flags_free(&f);
  return mode;
}

START_TEST(modes) {
  ck_assert_int_eq(mode_of((const char *[]){NULL}), CFZ_LF_FUZZ);
  ck_assert_int_eq(mode_of((const char *[]){"-runs=4", "-seed=1337", NULL}),
                   CFZ_LF_FUZZ);
  ck_assert_int_eq(mode_of((const char *[]){"dir", NULL}), CFZ_LF_FUZZ);
  ck_assert_int_eq(mode_of((const char *[]){"file1", "dir", NULL}),
                   CFZ_LF_FUZZ);
  ck_assert_int_eq(mode_of((const char *[]){"-runs=100", "file1", NULL}),
                   CFZ_LF_REPRODUCE);
  ck_assert_int_eq(mode_of((const char *[]){"file1", "file2", NULL}),
                   CFZ_LF_REPRODUCE);
  ck_assert_int_eq(
      mode_of((const char *[]){"-merge=1", "out", "in1", "in2", NULL}),
      CFZ_LF_MERGE);
  ck_assert_int_eq(
      mode_of((const char *[]){"-set_cover_merge=1", "out", "in", NULL}),
      CFZ_LF_MERGE);
  ck_assert_int_eq(
      mode_of((const char *[]){"-minimize_crash=1", "-runs=10",
                               "-exact_artifact_path=m", "file1", NULL}),
      CFZ_LF_MINIMIZE);
  ck_assert_int_eq(mode_of((const char *[]){"-help=1", "dir", NULL}),
                   CFZ_LF_HELP);
}
END_TEST

START_TEST(help_text) {
  cfz_strbuf b = {0};
  cfz_lf_help_text("./t", &b);
  char *h = cfz_sb_take(&b);
  ck_assert_ptr_nonnull(h);
  ck_assert_msg(strstr(h, "./t [-flag1=val1 [-flag2=val2 ...] ] [dir1 [dir2 "
                          "...] ]\n"),
                "%s", h);
  ck_assert_msg(strstr(h, "Flags: (strictly in form -flag=value)\n"), "%s", h);
  const char *names[] = {"max_total_time",
                         "runs",
                         "seed",
                         "timeout",
                         "rss_limit_mb",
                         "malloc_limit_mb",
                         "max_len",
                         "len_control",
                         "dict",
                         "artifact_prefix",
                         "exact_artifact_path",
                         "print_final_stats",
                         "close_fd_mask",
                         "detect_leaks",
                         "use_value_profile",
                         "jobs",
                         "workers",
                         "fork",
                         "error_exitcode",
                         "timeout_exitcode",
                         "merge",
                         "merge_control_file",
                         "minimize_crash",
                         "help"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    char want[64];
    snprintf(want, sizeof want, "\n %s ", names[i]);
    char want_tab[64];
    snprintf(want_tab, sizeof want_tab, "\n %s\t", names[i]);
    ck_assert_msg(strstr(h, want) || strstr(h, want_tab), "no %s in\n%s",
                  names[i], h);
  }
  char *te = strstr(h, "\n timeout_exitcode ");
  ck_assert_ptr_nonnull(te);
  char *tab = strchr(te, '\t');
  ck_assert_msg(tab && strncmp(tab, "\t70\t", 4) == 0, "%s", te);
  free(h);
}
END_TEST

int main(void) {
  Suite *s = suite_create("libfuzzer_flags");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, defaults);
  tcase_add_test(tc, clusterfuzz_fuzz_line);
  tcase_add_test(tc, unknown_and_ignored);
  tcase_add_test(tc, integers);
  tcase_add_test(tc, prefix_names_do_not_match);
  tcase_add_test(tc, ignore_remaining_args);
  tcase_add_test(tc, modes);
  tcase_add_test(tc, help_text);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
