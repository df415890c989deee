/* test_duration.c - durations and counts for --fuzz-time and friends. */
#include "duration.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#define SEC 1000000000ull

static void ok(const char *s, bool zero, uint64_t ns, uint64_t count) {
  cfz_limit l;
  char err[128] = "";
  ck_assert_msg(cfz_limit_parse(s, zero, &l, err, sizeof err) == 0, "%s: %s", s,
                err);
  ck_assert_msg(l.ns == ns, "%s: ns %llu, want %llu", s,
                (unsigned long long)l.ns, (unsigned long long)ns);
  ck_assert_msg(l.count == count, "%s: count %llu", s,
                (unsigned long long)l.count);
}

static void fails(const char *s, bool zero, const char *want) {
  cfz_limit l = {123, 456};
  char err[128] = "";
  ck_assert_msg(cfz_limit_parse(s, zero, &l, err, sizeof err) == -1,
                "accepted %s", s);
  ck_assert_msg(strcmp(err, want) == 0, "%s: got %s, want %s", s, err, want);
  ck_assert(l.ns == 0 && l.count == 0);
}

START_TEST(durations) {
  ok("30s", false, 30 * SEC, 0);
  ok("5m", false, 300 * SEC, 0);
  ok("1h30m", false, 5400 * SEC, 0);
  ok("1h", false, 3600 * SEC, 0);
  ok("250ms", false, 250000000ull, 0);
  ok("1.5s", false, 1500000000ull, 0);
  ok("0.5m", false, 30 * SEC, 0);
  ok("100us", false, 100000ull, 0);
  ok("100\xc2\xb5s", false, 100000ull, 0);
  ok("10ns", false, 10, 0);
  ok("2m3.25s", false, 123250000000ull, 0);
  ok("45", false, 45 * SEC, 0);
  ok("0.25", false, 250000000ull, 0);
  ok("+7s", false, 7 * SEC, 0);
  ok("1000x", false, 0, 1000);
  ok("1x", false, 0, 1);
  ok("0", true, 0, 0);
  ok("0s", true, 0, 0);
  ok("0x", true, 0, 0);
}
END_TEST

START_TEST(errors) {
  fails("5q", false, "invalid duration \"5q\"");
  fails("", false, "invalid duration \"\"");
  fails("s", false, "invalid duration \"s\"");
  fails("1h30", false, "missing unit in duration \"1h30\"");
  fails("-5s", false, "negative duration \"-5s\"");
  fails("1.2.3s", false, "invalid duration \"1.2.3s\"");
  fails("10xx", false, "invalid duration \"10xx\"");
  fails("x", false, "invalid duration \"x\"");
  fails("0", false, "duration must be positive: \"0\"");
  fails("0s", false, "duration must be positive: \"0s\"");
  fails("0x", false, "count must be positive: \"0x\"");
  fails("99999999999999999999x", false,
        "count out of range \"99999999999999999999x\"");
  fails("9999999999h", false, "duration out of range \"9999999999h\"");
  fails("5 s", false, "invalid duration \"5 s\"");
}
END_TEST

int main(void) {
  Suite *s = suite_create("duration");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, durations);
  tcase_add_test(tc, errors);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
