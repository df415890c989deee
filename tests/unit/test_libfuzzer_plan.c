/* test_libfuzzer_plan.c - libFuzzer's flags in cfz's terms
 * (libfuzzer_plan.h), and the session report (libfuzzer_report.h). */
#include "content_hash.h"
#include "libfuzzer_plan.h"
#include "libfuzzer_report.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static cfz_lf_flags g_f;

static void parse(const char **args) {
  char *argv[64] = {"./t"};
  int argc = 1;
  for (; args[argc - 1]; argc++)
    argv[argc] = (char *)args[argc - 1];
  cfz_strbuf msgs = {0};
  ck_assert_int_eq(cfz_lf_parse(argc, argv, &g_f, &msgs), 0);
  free(msgs.p);
}

static void teardown(void) { cfz_lf_flags_free(&g_f); }

START_TEST(clusterfuzz_fuzzing) {
  parse((const char *[]){"-timeout=25", "-rss_limit_mb=2560", "-max_len=1000",
                         "-dict=x.dict", "-artifact_prefix=art/",
                         "-max_total_time=10", "-print_final_stats=1", "new",
                         "corpus", NULL});
  cfz_lf_plan p;
  char err[128];
  ck_assert_int_eq(
      cfz_lf_plan_make(&g_f, CFZ_LF_FUZZ, 8, 42, &p, err, sizeof err), 0);
  ck_assert_int_eq(p.mode, CFZ_LFP_FUZZ);
  ck_assert_uint_eq(p.workers, 1);
  ck_assert_uint_eq(p.max_execs, 0);
  ck_assert_uint_eq(p.max_time_ns, 10000000000ull);
  ck_assert_uint_eq(p.timeout_ms, 25000);
  ck_assert_uint_eq(p.rss_limit_mb, 2560);
  ck_assert_uint_eq(p.malloc_limit_mb, 2560);
  ck_assert_uint_eq(p.max_len, 1000);
  ck_assert_uint_eq(p.seed, 42);
  ck_assert(!p.seed_given);
  ck_assert_str_eq(p.dict, "x.dict");
  ck_assert(p.print_final_stats && p.detect_leaks && !p.value_profile);
  ck_assert_str_eq(p.out_dir, "new");
  ck_assert_uint_eq(p.ndirs, 2);
  ck_assert_str_eq(p.dirs[1], "corpus");
  ck_assert_str_eq(p.artifact_prefix, "art/");
  ck_assert_ptr_null(p.exact_path);
  ck_assert_int_eq(p.error_exitcode, 77);
  ck_assert_int_eq(p.timeout_exitcode, 70);
  ck_assert_int_eq(p.oom_exitcode, 71);
}
END_TEST

START_TEST(counts_workers_seed) {
  parse((const char *[]){"-runs=4", "-seed=1337", "-jobs=8", "-timeout=0",
                         "-rss_limit_mb=0", "-malloc_limit_mb=64", NULL});
  cfz_lf_plan p;
  char err[128];
  ck_assert_int_eq(
      cfz_lf_plan_make(&g_f, CFZ_LF_FUZZ, 6, 42, &p, err, sizeof err), 0);
  ck_assert_uint_eq(p.max_execs, 4);
  ck_assert_uint_eq(p.seed, 1337);
  ck_assert(p.seed_given);
  ck_assert_uint_eq(p.workers, 3); /* min(jobs, cpus / 2) */
  ck_assert_uint_eq(p.timeout_ms, 0);
  ck_assert_uint_eq(p.rss_limit_mb, 0);
  ck_assert_uint_eq(p.malloc_limit_mb, 64);
  ck_assert_ptr_null(p.out_dir);
  cfz_lf_flags_free(&g_f);
  parse((const char *[]){"-fork=2", "-jobs=8", "-runs=0", "dir", NULL});
  ck_assert_int_eq(
      cfz_lf_plan_make(&g_f, CFZ_LF_FUZZ, 6, 42, &p, err, sizeof err), 0);
  ck_assert_uint_eq(p.workers, 2);
  ck_assert_int_eq(p.mode, CFZ_LFP_CORPUS_RUN);
}
END_TEST

START_TEST(merge_and_minimize) {
  parse((const char *[]){"-merge=1", "-merge_control_file=ctl", "out", "in1",
                         "in2", NULL});
  cfz_lf_plan p;
  char err[128];
  ck_assert_int_eq(
      cfz_lf_plan_make(&g_f, CFZ_LF_MERGE, 2, 1, &p, err, sizeof err), 0);
  ck_assert_int_eq(p.mode, CFZ_LFP_MERGE);
  ck_assert_str_eq(p.out_dir, "out");
  ck_assert_uint_eq(p.nin_dirs, 2);
  ck_assert_str_eq(p.in_dirs[0], "in1");
  ck_assert_str_eq(p.merge_control_file, "ctl");
  cfz_lf_flags_free(&g_f);
  parse((const char *[]){"-merge=1", "out", NULL});
  ck_assert_int_eq(
      cfz_lf_plan_make(&g_f, CFZ_LF_MERGE, 2, 1, &p, err, sizeof err), -1);
  ck_assert_msg(strstr(err, "input directory"), "%s", err);
  cfz_lf_flags_free(&g_f);
  parse((const char *[]){"-minimize_crash=1", "-runs=100",
                         "-exact_artifact_path=min", "crash", NULL});
  ck_assert_int_eq(
      cfz_lf_plan_make(&g_f, CFZ_LF_MINIMIZE, 2, 1, &p, err, sizeof err), 0);
  ck_assert_int_eq(p.mode, CFZ_LFP_MINIMIZE);
  ck_assert_str_eq(p.crash_file, "crash");
  ck_assert_str_eq(p.exact_path, "min");
  ck_assert_uint_eq(p.max_execs, 100);
}
END_TEST

/* ---- the report ---- */

static char g_dir[256];

static void report_setup(void) {
  snprintf(g_dir, sizeof g_dir, "/tmp/cfz-lfreport-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(g_dir));
  ck_assert_int_eq(chdir(g_dir), 0);
}

static void report_teardown(void) {
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
  ck_assert_int_eq(chdir("/"), 0);
  ck_assert_int_eq(system(cmd), 0);
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  ck_assert_msg(f != NULL, "open %s", path);
  char *buf = calloc(1, 4096);
  *len = fread(buf, 1, 4095, f);
  fclose(f);
  return buf;
}

START_TEST(sha1) {
  char hex[41];
  ck_assert_int_eq(cfz_sha1_hex("", 0, hex), 0);
  ck_assert_str_eq(hex, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  ck_assert_int_eq(cfz_sha1_hex("abc", 3, hex), 0);
  ck_assert_str_eq(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
}
END_TEST

START_TEST(session) {
  ck_assert_int_eq(mkdir("new", 0755), 0);
  ck_assert_int_eq(mkdir("art", 0755), 0);
  parse((const char *[]){"-artifact_prefix=art/", "-print_final_stats=1",
                         "-dict=d", "-seed=5", "new", "corpus", NULL});
  cfz_lf_plan p;
  char err[128];
  ck_assert_int_eq(
      cfz_lf_plan_make(&g_f, CFZ_LF_FUZZ, 2, 9, &p, err, sizeof err), 0);
  char *text = NULL;
  size_t textlen = 0;
  FILE *out = open_memstream(&text, &textlen);
  ck_assert_ptr_nonnull(out);
  cfz_lf_report r;
  cfz_lfr_init(&r, out, &p, 99);
  cfz_lfr_start(&r, 21, 1);
  uint64_t files[2] = {0, 1};
  cfz_lfr_corpus(&r, files, 2, 2, 2, 4096, 30);
  cfz_lfo_stats s = {.runs = 2,
                     .cov = 4,
                     .ft = 4,
                     .corp_units = 1,
                     .corp_bytes = 2,
                     .rss_mb = 30};
  cfz_lfr_stats(&r, CFZ_LFO_INITED, &s);
  s.runs = 3;
  ck_assert_int_eq(
      cfz_lfr_new_unit(&r, &s, (const uint8_t *)"abc", 3, 4096, 0, NULL), 0);
  /* The same unit again: no error, one file. */
  ck_assert_int_eq(
      cfz_lfr_new_unit(&r, &s, (const uint8_t *)"abc", 3, 4096, 0, NULL), 0);
  int rc = cfz_lfr_failure(&r, CFZ_LFO_DEADLY_SIGNAL, "target says hi",
                           (const uint8_t *)"FUZ", 3, 0, 0, NULL);
  ck_assert_int_eq(rc, 77);
  cfz_lfr_final_stats(&r, &s);
  fclose(out);
  const char *want =
      "Dictionary: 1 entries\n"
      "INFO: Seed: 5\n"
      "INFO: Loaded 1 modules   (21 inline 8-bit counters): 21 \n"
      "INFO:       0 files found in new\n"
      "INFO:       1 files found in corpus\n"
      "INFO: -max_len is not provided; libFuzzer will not generate inputs "
      "larger than 4096 bytes\n"
      "INFO: seed corpus: files: 1 min: 2b max: 2b total: 2b rss: 30Mb\n"
      "#2\tINITED cov: 4 ft: 4 corp: 1/2b exec/s: 0 rss: 30Mb\n"
      "#3\tNEW    cov: 4 ft: 4 corp: 1/2b exec/s: 0 rss: 30Mb L: 3/4096 MS: 0 "
      "\n"
      "#3\tNEW    cov: 4 ft: 4 corp: 1/2b exec/s: 0 rss: 30Mb L: 3/4096 MS: 0 "
      "\n"
      "target says hi\n"
      "==99== ERROR: libFuzzer: deadly signal\n"
      "SUMMARY: libFuzzer: deadly signal\n"
      "MS: 0 ; base unit: 0000000000000000000000000000000000000000\n"
      "0x46,0x55,0x5a,\n"
      "FUZ\n"
      "artifact_prefix='art/'; Test unit written to "
      "art/crash-f2e8e6bc3b5d0a8b0a8a7c3b0b3c0f4a3a9c3b1e\n";
  /* The artifact name is the SHA-1 of "FUZ": check the layout up to it. */
  const char *cut = strstr(want, "art/crash-");
  ck_assert_msg(strncmp(text, want, (size_t)(cut - want)) == 0, "%s", text);
  char hex[41];
  ck_assert_int_eq(cfz_sha1_hex("FUZ", 3, hex), 0);
  char line[200];
  snprintf(line, sizeof line,
           "Test unit written to art/crash-%s\nBase64: RlVa\n"
           "stat::number_of_executed_units: 3\n",
           hex);
  ck_assert_msg(strstr(text, line), "%s", text);
  ck_assert_msg(strstr(text, "stat::new_units_added:          2\n"), "%s",
                text);
  size_t len;
  char path[128];
  snprintf(path, sizeof path, "art/crash-%s", hex);
  char *data = slurp(path, &len);
  ck_assert_uint_eq(len, 3);
  ck_assert(memcmp(data, "FUZ", 3) == 0);
  free(data);
  data = slurp("new/a9993e364706816aba3e25717850c26c9cd0d89d", &len);
  ck_assert_uint_eq(len, 3);
  ck_assert(memcmp(data, "abc", 3) == 0);
  free(data);
  free(text);
}
END_TEST

START_TEST(failure_kinds) {
  parse((const char *[]){"-exact_artifact_path=unit", "-timeout=3",
                         "-timeout_exitcode=9", NULL});
  cfz_lf_plan p;
  char err[128];
  ck_assert_int_eq(
      cfz_lf_plan_make(&g_f, CFZ_LF_FUZZ, 2, 9, &p, err, sizeof err), 0);
  char *text = NULL;
  size_t textlen = 0;
  FILE *out = open_memstream(&text, &textlen);
  cfz_lf_report r;
  cfz_lfr_init(&r, out, &p, 7);
  ck_assert_int_eq(cfz_lfr_failure(&r, CFZ_LFO_TIMEOUT, NULL,
                                   (const uint8_t *)"!T", 2, 4, 0, NULL),
                   9);
  ck_assert_int_eq(cfz_lfr_failure(&r, CFZ_LFO_OOM_RSS, NULL,
                                   (const uint8_t *)"!O", 2, 300, 100, NULL),
                   71);
  /* A sanitizer's report stands for libFuzzer's deadly-signal lines. */
  ck_assert_int_eq(
      cfz_lfr_failure(&r, CFZ_LFO_DEADLY_SIGNAL,
                      "==7==ERROR: AddressSanitizer: heap-buffer-overflow\n",
                      (const uint8_t *)"x", 1, 0, 0, NULL),
      77);
  fclose(out);
  ck_assert_msg(strstr(text, "ALARM: working on the last Unit for 4 seconds\n"
                             "       and the timeout value is 3"),
                "%s", text);
  ck_assert_msg(strstr(text, "==7== ERROR: libFuzzer: timeout after 4 "
                             "seconds\nSUMMARY: libFuzzer: timeout\n"),
                "%s", text);
  ck_assert_msg(strstr(text, "artifact_prefix=''; Test unit written to unit\n"
                             "Base64: IVQ=\n"),
                "%s", text);
  ck_assert_msg(strstr(text, "==7== ERROR: libFuzzer: out-of-memory (used: "
                             "300Mb; limit: 100Mb)\n"),
                "%s", text);
  ck_assert_msg(!strstr(text, "deadly signal"), "%s", text);
  ck_assert_msg(strstr(text, "AddressSanitizer: heap-buffer-overflow\nMS: 0 "),
                "%s", text);
  free(text);
  /* Classification. */
  ck_assert_int_eq(cfz_lfr_kind(true, false, 9, -1, NULL), CFZ_LFO_TIMEOUT);
  ck_assert_int_eq(cfz_lfr_kind(false, true, 9, -1, NULL), CFZ_LFO_OOM_RSS);
  ck_assert_int_eq(cfz_lfr_kind(false, false, 6, -1,
                                "==1==ERROR: LeakSanitizer: detected memory "
                                "leaks"),
                   CFZ_LFO_LEAK);
  ck_assert_int_eq(
      cfz_lfr_kind(false, false, 6, -1,
                   "==1==ERROR: AddressSanitizer: requested allocation size "
                   "0x10000000 exceeds maximum supported size\nSUMMARY: "
                   "AddressSanitizer: allocation-size-too-big"),
      CFZ_LFO_OOM_MALLOC);
  ck_assert_int_eq(cfz_lfr_kind(false, false, 6, -1,
                                "==1== ERROR: libFuzzer: out-of-memory "
                                "(malloc(314572800))\n"),
                   CFZ_LFO_OOM_MALLOC);
  /* The size for libFuzzer's "out-of-memory (malloc(N))" line. */
  ck_assert_uint_eq(cfz_lfr_malloc_size("==1==ERROR: AddressSanitizer: "
                                        "requested allocation size "
                                        "0x12c00000 (0x12c01000 after "
                                        "adjustments)"),
                    314572800);
  ck_assert_uint_eq(cfz_lfr_malloc_size("==1== ERROR: libFuzzer: "
                                        "out-of-memory (malloc(4096))"),
                    4096);
  ck_assert_uint_eq(cfz_lfr_malloc_size("SUMMARY: libFuzzer: out-of-memory"),
                    0);
  ck_assert_uint_eq(cfz_lfr_malloc_size(NULL), 0);
  ck_assert_int_eq(cfz_lfr_kind(false, false, 0, 3, NULL),
                   CFZ_LFO_TARGET_EXITED);
  ck_assert_int_eq(cfz_lfr_kind(false, false, 11, -1, NULL),
                   CFZ_LFO_DEADLY_SIGNAL);
}
END_TEST

int main(void) {
  Suite *s = suite_create("libfuzzer_plan");
  TCase *tc = tcase_create("plan");
  tcase_add_checked_fixture(tc, NULL, teardown);
  tcase_add_test(tc, clusterfuzz_fuzzing);
  tcase_add_test(tc, counts_workers_seed);
  tcase_add_test(tc, merge_and_minimize);
  suite_add_tcase(s, tc);
  TCase *tr = tcase_create("report");
  tcase_add_checked_fixture(tr, report_setup, report_teardown);
  tcase_add_checked_fixture(tr, NULL, teardown);
  tcase_add_test(tr, sha1);
  tcase_add_test(tr, session);
  tcase_add_test(tr, failure_kinds);
  suite_add_tcase(s, tr);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
