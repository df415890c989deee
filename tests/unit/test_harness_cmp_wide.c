/* Unit tests for the wide-compare callbacks (cmp_wide.h), which the compare
 * plugin emits: what they record in the compare tables, seen through the
 * mutator's picks.  They need no plugin: the callbacks are called here
 * directly, as plugin-instrumented code would. */
#include <check.h>
#include <string.h>

#include "cmp_trace.h"
#include "cmp_wide.h"

/* The little-endian 16-byte image of hi:lo (x86-64 and the like). */
static void image(uint8_t out[16], uint64_t lo, uint64_t hi) {
  for (int i = 0; i < 8; i++) {
    out[i] = (uint8_t)(lo >> (8 * i));
    out[8 + i] = (uint8_t)(hi >> (8 * i));
  }
}

/* A constant compare: the variable side is found, the constant written,
 * in every pick (the constant is never the side looked for). */
START_TEST(test_const_cmp16) {
  const uint64_t klo = 0x0fedcba987654321ULL, khi = 0x8badf00dcafe1234ULL;
  const uint64_t vlo = 0x1111111122222222ULL, vhi = 0x3333333344444444ULL;
  cfz_cmp_set_active(true);
  __cfz_trace_const_cmp16(klo, khi, vlo, vhi);
  cfz_cmp_set_active(false);
  ck_assert_uint_eq(cfz_cmp_bytes_entries(), 1);
  ck_assert_uint_eq(cfz_cmp_int_entries(), 0); /* both halves differ */
  uint8_t want_a[16], want_b[16], a[CFZ_CMP_MAX_BYTES], b[CFZ_CMP_MAX_BYTES];
  image(want_a, vlo, vhi);
  image(want_b, klo, khi);
  cfz_rng r;
  cfz_rng_seed(&r, 1);
  for (int i = 0; i < 16; i++) {
    size_t al, bl;
    ck_assert(cfz_cmp_pick_bytes(&r, a, &al, b, &bl));
    ck_assert_uint_eq(al, 16);
    ck_assert_uint_eq(bl, 16);
    ck_assert_mem_eq(a, want_a, 16);
    ck_assert_mem_eq(b, want_b, 16);
  }
}
END_TEST

/* Equal high halves: the low halves are also an 8-byte integer compare. */
START_TEST(test_cmp16_low_halves) {
  cfz_cmp_set_active(true);
  __cfz_trace_cmp16(73914265, 0, 5000, 0);
  cfz_cmp_set_active(false);
  ck_assert_uint_eq(cfz_cmp_bytes_entries(), 1);
  ck_assert_uint_eq(cfz_cmp_int_entries(), 1);
  cfz_rng r;
  cfz_rng_seed(&r, 2);
  uint64_t a, b;
  unsigned size;
  ck_assert(cfz_cmp_pick_int(&r, &a, &b, &size));
  ck_assert_uint_eq(size, 8);
  ck_assert((a == 5000 && b == 73914265) || (a == 73914265 && b == 5000));
}
END_TEST

/* Nothing is recorded while the target does not run; equal operands are
 * not recorded either. */
START_TEST(test_inactive_and_equal) {
  __cfz_trace_cmp16(1, 2, 3, 4);
  ck_assert(cfz_cmp_seen());
  cfz_cmp_set_active(true);
  __cfz_trace_cmp16(1, 2, 1, 2);
  cfz_cmp_set_active(false);
  ck_assert_uint_eq(cfz_cmp_bytes_entries(), 0);
  ck_assert_uint_eq(cfz_cmp_int_entries(), 0);
}
END_TEST

/* Wider integers: their memory images, whole. */
START_TEST(test_cmpn) {
  uint8_t x[32], y[32], a[CFZ_CMP_MAX_BYTES], b[CFZ_CMP_MAX_BYTES];
  for (int i = 0; i < 32; i++) {
    x[i] = (uint8_t)i;
    y[i] = (uint8_t)(0xa0 + i);
  }
  cfz_cmp_set_active(true);
  __cfz_trace_cmpn(x, y, sizeof x);
  cfz_cmp_set_active(false);
  cfz_rng r;
  cfz_rng_seed(&r, 3);
  size_t al, bl;
  ck_assert(cfz_cmp_pick_bytes(&r, a, &al, b, &bl));
  ck_assert_uint_eq(al, 32);
  ck_assert_uint_eq(bl, 32);
  ck_assert(memcmp(a, x, 32) == 0 || memcmp(a, y, 32) == 0);
  ck_assert(memcmp(b, x, 32) == 0 || memcmp(b, y, 32) == 0);
  ck_assert(memcmp(a, b, 32) != 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("cmp_wide");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_const_cmp16);
  tcase_add_test(tc, test_cmp16_low_halves);
  tcase_add_test(tc, test_inactive_and_equal);
  tcase_add_test(tc, test_cmpn);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  /* Each test starts with empty compare tables, in a fresh process. */
  srunner_set_fork_status(sr, CK_FORK);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
