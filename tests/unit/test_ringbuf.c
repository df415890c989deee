/* Unit tests for the bounded output ring buffer. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ringbuf.h"

static void expect(const cfz_ringbuf *r, const char *want) {
  char *got = cfz_ringbuf_copy(r);
  ck_assert_ptr_nonnull(got);
  ck_assert_str_eq(got, want);
  free(got);
}

START_TEST(empty_and_small) {
  cfz_ringbuf r;
  ck_assert_int_eq(cfz_ringbuf_init(&r, 8), 0);
  expect(&r, "");
  cfz_ringbuf_append(&r, "abc", 3);
  expect(&r, "abc");
  cfz_ringbuf_append(&r, "", 0);
  cfz_ringbuf_append(&r, "defgh", 5);
  expect(&r, "abcdefgh");
  cfz_ringbuf_clear(&r);
  expect(&r, "");
  cfz_ringbuf_free(&r);
}
END_TEST

START_TEST(wraps_keeping_recent) {
  cfz_ringbuf r;
  ck_assert_int_eq(cfz_ringbuf_init(&r, 8), 0);
  cfz_ringbuf_append(&r, "abcdef", 6);
  cfz_ringbuf_append(&r, "ghij", 4); /* wraps: drops "ab" */
  expect(&r, "cdefghij");
  ck_assert_uint_eq(r.len, 8);
  cfz_ringbuf_append(&r, "k", 1);
  expect(&r, "defghijk");
  cfz_ringbuf_append(&r, "0123456789", 10); /* larger than cap */
  expect(&r, "23456789");
  cfz_ringbuf_append(&r, "xy", 2);
  expect(&r, "456789xy");
  cfz_ringbuf_free(&r);
}
END_TEST

/* Appending byte by byte and in odd chunks agrees with a reference. */
START_TEST(matches_reference) {
  enum { CAP = 37, TOTAL = 5000 };
  cfz_ringbuf r;
  ck_assert_int_eq(cfz_ringbuf_init(&r, CAP), 0);
  char all[TOTAL];
  for (int i = 0; i < TOTAL; i++)
    all[i] = (char)('a' + (i * 7 + i / 13) % 26);
  size_t pos = 0, step = 1;
  while (pos < TOTAL) {
    size_t n = step;
    if (n > TOTAL - pos)
      n = TOTAL - pos;
    cfz_ringbuf_append(&r, all + pos, n);
    pos += n;
    step = step * 3 % 53 + 1;
    size_t keep = pos < CAP ? pos : CAP;
    char *got = cfz_ringbuf_copy(&r);
    ck_assert_ptr_nonnull(got);
    ck_assert_uint_eq(strlen(got), keep);
    ck_assert_int_eq(memcmp(got, all + pos - keep, keep), 0);
    free(got);
  }
  cfz_ringbuf_free(&r);
}
END_TEST

START_TEST(zero_capacity) {
  cfz_ringbuf r;
  ck_assert_int_eq(cfz_ringbuf_init(&r, 0), 0);
  cfz_ringbuf_append(&r, "abc", 3);
  expect(&r, "");
  cfz_ringbuf_free(&r);
}
END_TEST

int main(void) {
  Suite *s = suite_create("ringbuf");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, empty_and_small);
  tcase_add_test(tc, wraps_keeping_recent);
  tcase_add_test(tc, matches_reference);
  tcase_add_test(tc, zero_capacity);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
