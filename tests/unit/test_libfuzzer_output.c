/* test_libfuzzer_output.c - libFuzzer's output lines (libfuzzer_output.h).
 * The expected strings are libFuzzer's own layout, byte for byte. */
#include "libfuzzer_output.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static cfz_strbuf g_b;

static void reset(void) {
  free(g_b.p);
  memset(&g_b, 0, sizeof g_b);
}

static void expect(const char *want) {
  ck_assert(!g_b.oom);
  ck_assert_str_eq(g_b.p ? g_b.p : "", want);
  reset();
}

START_TEST(startup_lines) {
  cfz_lfo_seed(&g_b, 1337);
  expect("INFO: Seed: 1337\n");
  cfz_lfo_modules(&g_b, 9, 0x55fd6656df80, 0x55fd6656df89, 9);
  expect("INFO: Loaded 1 modules   (9 inline 8-bit counters): 9 "
         "[0x55fd6656df80, 0x55fd6656df89), \n"
         "INFO: Loaded 1 PC tables (9 PCs): 9 \n");
  cfz_lfo_modules(&g_b, 42, 0, 0, 0);
  expect("INFO: Loaded 1 modules   (42 inline 8-bit counters): 42 \n");
  cfz_lfo_max_len(&g_b, 4096);
  expect("INFO: -max_len is not provided; libFuzzer will not generate inputs "
         "larger than 4096 bytes\n");
  cfz_lfo_no_corpus(&g_b);
  expect("INFO: A corpus is not provided, starting from an empty corpus\n");
  cfz_lfo_files_found(&g_b, 3, "corpus/");
  expect("INFO:       3 files found in corpus/\n");
  cfz_lfo_seed_corpus(&g_b, 3, 1, 10, 15, 28);
  expect("INFO: seed corpus: files: 3 min: 1b max: 10b total: 15b rss: "
         "28Mb\n");
}
END_TEST

START_TEST(stats_lines) {
  cfz_lfo_stats s = {.runs = 2,
                     .cov = 2,
                     .ft = 2,
                     .corp_units = 1,
                     .corp_bytes = 1,
                     .exec_per_sec = 0,
                     .rss_mb = 27};
  cfz_lfo_stats_line(&g_b, CFZ_LFO_INITED, &s);
  expect("#2\tINITED cov: 2 ft: 2 corp: 1/1b exec/s: 0 rss: 27Mb\n");
  s.runs = 4;
  s.lim = 4;
  cfz_lfo_stats_line(&g_b, CFZ_LFO_DONE, &s);
  expect("#4\tDONE   cov: 2 ft: 2 corp: 1/1b lim: 4 exec/s: 0 rss: 27Mb\n");
  s.runs = 1048576;
  s.corp_bytes = 20000;
  s.exec_per_sec = 349525;
  cfz_lfo_stats_line(&g_b, CFZ_LFO_PULSE, &s);
  expect("#1048576\tpulse  cov: 2 ft: 2 corp: 1/19Kb lim: 4 exec/s: 349525 "
         "rss: 27Mb\n");
  s.corp_bytes = 50u << 20;
  cfz_lfo_stats_line(&g_b, CFZ_LFO_RELOAD, &s);
  expect("#1048576\tRELOAD cov: 2 ft: 2 corp: 1/50Mb lim: 4 exec/s: 349525 "
         "rss: 27Mb\n");
  /* Nothing covered, empty corpus: those fields are left out. */
  cfz_lfo_stats z = {.runs = 1, .rss_mb = 5};
  cfz_lfo_stats_line(&g_b, CFZ_LFO_INITED, &z);
  expect("#1\tINITED exec/s: 0 rss: 5Mb\n");
  s = (cfz_lfo_stats){.runs = 9,
                      .cov = 3,
                      .ft = 3,
                      .corp_units = 2,
                      .corp_bytes = 3,
                      .lim = 4,
                      .rss_mb = 27};
  cfz_lfo_new_unit(&g_b, CFZ_LFO_NEW, &s, 2, 2, 1, "ChangeBit-");
  expect("#9\tNEW    cov: 3 ft: 3 corp: 2/3b lim: 4 exec/s: 0 rss: 27Mb L: "
         "2/2 MS: 1 ChangeBit-\n");
  cfz_lfo_new_unit(&g_b, CFZ_LFO_REDUCE, &s, 1, 2, 0, NULL);
  expect("#9\tREDUCE cov: 3 ft: 3 corp: 2/3b lim: 4 exec/s: 0 rss: 27Mb L: "
         "1/2 MS: 0 \n");
  cfz_lfo_done(&g_b, 4, 0);
  expect("Done 4 runs in 0 second(s)\n");
}
END_TEST

START_TEST(errors) {
  cfz_lfo_error(&g_b, 123, CFZ_LFO_DEADLY_SIGNAL, 0, 0);
  cfz_lfo_summary(&g_b, CFZ_LFO_DEADLY_SIGNAL);
  expect("==123== ERROR: libFuzzer: deadly signal\n"
         "SUMMARY: libFuzzer: deadly signal\n");
  cfz_lfo_error(&g_b, 7, CFZ_LFO_TARGET_EXITED, 0, 0);
  cfz_lfo_summary(&g_b, CFZ_LFO_TARGET_EXITED);
  expect("==7== ERROR: libFuzzer: fuzz target exited\n"
         "SUMMARY: libFuzzer: fuzz target exited\n");
  cfz_lfo_alarm(&g_b, 3, 1);
  cfz_lfo_error(&g_b, 7, CFZ_LFO_TIMEOUT, 3, 0);
  cfz_lfo_summary(&g_b, CFZ_LFO_TIMEOUT);
  expect("ALARM: working on the last Unit for 3 seconds\n"
         "       and the timeout value is 1 (use -timeout=N to change)\n"
         "==7== ERROR: libFuzzer: timeout after 3 seconds\n"
         "SUMMARY: libFuzzer: timeout\n");
  cfz_lfo_error(&g_b, 7, CFZ_LFO_OOM_RSS, 2600, 2560);
  cfz_lfo_summary(&g_b, CFZ_LFO_OOM_RSS);
  expect("==7== ERROR: libFuzzer: out-of-memory (used: 2600Mb; limit: "
         "2560Mb)\n"
         "   To change the out-of-memory limit use -rss_limit_mb=<N>\n\n"
         "SUMMARY: libFuzzer: out-of-memory\n");
  cfz_lfo_error(&g_b, 7, CFZ_LFO_OOM_MALLOC, 1u << 30, 0);
  expect("==7== ERROR: libFuzzer: out-of-memory (malloc(1073741824))\n"
         "   To change the out-of-memory limit use -rss_limit_mb=<N>\n\n");
  cfz_lfo_error(&g_b, 7, CFZ_LFO_CONST_INPUT, 0, 0);
  cfz_lfo_summary(&g_b, CFZ_LFO_CONST_INPUT);
  expect("==7== ERROR: libFuzzer: fuzz target overwrites its const input\n"
         "SUMMARY: libFuzzer: overwrites-const-input\n");
  cfz_lfo_error(&g_b, 7, CFZ_LFO_LEAK, 0, 0);
  cfz_lfo_summary(&g_b, CFZ_LFO_LEAK);
  expect("");
  ck_assert_str_eq(cfz_lfo_artifact_kind(CFZ_LFO_DEADLY_SIGNAL), "crash-");
  ck_assert_str_eq(cfz_lfo_artifact_kind(CFZ_LFO_TARGET_EXITED), "crash-");
  ck_assert_str_eq(cfz_lfo_artifact_kind(CFZ_LFO_CONST_INPUT), "crash-");
  ck_assert_str_eq(cfz_lfo_artifact_kind(CFZ_LFO_TIMEOUT), "timeout-");
  ck_assert_str_eq(cfz_lfo_artifact_kind(CFZ_LFO_OOM_RSS), "oom-");
  ck_assert_str_eq(cfz_lfo_artifact_kind(CFZ_LFO_OOM_MALLOC), "oom-");
  ck_assert_str_eq(cfz_lfo_artifact_kind(CFZ_LFO_LEAK), "leak-");
}
END_TEST

START_TEST(units_and_artifacts) {
  cfz_lfo_mutation(&g_b, 2, "InsertByte-CopyPart-",
                   "3f786850e387550fdab836ed7e6dc881de23001b");
  expect("MS: 2 InsertByte-CopyPart-; base unit: "
         "3f786850e387550fdab836ed7e6dc881de23001b\n");
  cfz_lfo_mutation(&g_b, 0, NULL, NULL);
  expect("MS: 0 ; base unit: 0000000000000000000000000000000000000000\n");
  const uint8_t unit[] = {'H', 'i', '\\', '"', '\n', 0xff, 0};
  cfz_lfo_unit_dump(&g_b, unit, sizeof unit);
  expect("0x48,0x69,0x5c,0x22,0xa,0xff,0x0,\n"
         "Hi\\\\\\\"\\012\\377\\000\n");
  cfz_lfo_artifact(&g_b, "art/", "art/crash-abc", unit, 2);
  expect("artifact_prefix='art/'; Test unit written to art/crash-abc\n"
         "Base64: SGk=\n");
  uint8_t big[300] = {0};
  cfz_lfo_unit_dump(&g_b, big, sizeof big);
  expect("");
  cfz_lfo_artifact(&g_b, "", "crash-x", big, sizeof big);
  expect("artifact_prefix=''; Test unit written to crash-x\n");
}
END_TEST

START_TEST(base64) {
  /* RFC 4648 test vectors. */
  const char *in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  const char *out[] = {"",         "Zg==",     "Zm8=",    "Zm9v",
                       "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
  for (size_t i = 0; i < 7; i++) {
    cfz_lfo_base64(&g_b, (const uint8_t *)in[i], strlen(in[i]));
    expect(out[i]);
  }
}
END_TEST

START_TEST(final_and_merge) {
  cfz_lfo_final_stats(&g_b, 100, 5, 2, 0, 27);
  expect("stat::number_of_executed_units: 100\n"
         "stat::average_exec_per_sec:     5\n"
         "stat::new_units_added:          2\n"
         "stat::slowest_unit_time_sec:    0\n"
         "stat::peak_rss_mb:              27\n");
  cfz_lfo_merge_outer(&g_b, 3, 10, 7);
  expect("MERGE-OUTER: 3 new files with 10 new features added; 7 new "
         "coverage edges\n");
  cfz_lfo_running(&g_b, "in/a");
  cfz_lfo_executed(&g_b, "in/a", 12);
  cfz_lfo_not_fuzzed(&g_b);
  expect("Running: in/a\n"
         "Executed in/a in 12 ms\n"
         "***\n"
         "*** NOTE: fuzzing was not performed, you have only\n"
         "***       executed the target code on a fixed set of inputs.\n"
         "***\n");
}
END_TEST

int main(void) {
  Suite *s = suite_create("libfuzzer_output");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, startup_lines);
  tcase_add_test(tc, stats_lines);
  tcase_add_test(tc, errors);
  tcase_add_test(tc, units_and_artifacts);
  tcase_add_test(tc, base64);
  tcase_add_test(tc, final_and_merge);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  reset();
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
