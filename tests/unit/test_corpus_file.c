/* test_corpus_file.c - raw files for one bytes value, text otherwise
 * (corpus_file.h); every file decodes back to its values. */
#include "corpus_file.h"
#include "corpus_format.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

/* Encodes vals, checks raw-ness and the round trip. */
static void round_trip(const cfz_value *vals, size_t n, bool want_raw) {
  ck_assert(cfz_corpus_file_is_raw(vals, n) == want_raw);
  uint8_t *out = NULL;
  size_t len = 0;
  ck_assert_int_eq(cfz_corpus_file_encode(vals, n, &out, &len), 0);
  if (want_raw) {
    ck_assert_uint_eq(len, vals[0].v.bytes.len);
    ck_assert(len == 0 || memcmp(out, vals[0].v.bytes.data, len) == 0);
  } else {
    ck_assert(cfz_corpus_is_text(out, len));
  }
  cfz_values back = {0};
  char err[256];
  ck_assert_msg(cfz_corpus_decode(out, len, &back, err, sizeof err) == 0, "%s",
                err);
  ck_assert_uint_eq(back.n, n);
  for (size_t i = 0; i < n; i++) {
    ck_assert_int_eq(back.v[i].type, vals[i].type);
    if (vals[i].type == CFZ_BYTES) {
      ck_assert_uint_eq(back.v[i].v.bytes.len, vals[i].v.bytes.len);
      ck_assert(memcmp(back.v[i].v.bytes.data, vals[i].v.bytes.data,
                       vals[i].v.bytes.len) == 0);
    }
  }
  cfz_values_free(&back);
  free(out);
}

START_TEST(one_bytes_value_is_raw) {
  cfz_value v[1] = {CFZ_V_BYTES("FUZ\0\xff\n", 6)};
  round_trip(v, 1, true);
  cfz_value e[1] = {CFZ_V_BYTES("", 0)};
  round_trip(e, 1, true);
}
END_TEST

START_TEST(header_lookalike_is_text) {
  const char *h1 = "cfz fuzz v1\n[]byte(\"x\")\n";
  cfz_value v[1] = {CFZ_V_BYTES(h1, strlen(h1))};
  round_trip(v, 1, false);
  const char *h2 = "go test fuzz v1\nint(3)\n";
  cfz_value g[1] = {CFZ_V_BYTES(h2, strlen(h2))};
  round_trip(g, 1, false);
}
END_TEST

START_TEST(typed_values_are_text) {
  cfz_value two[2] = {CFZ_V_BYTES("ab", 2), CFZ_V_BYTES("c", 1)};
  round_trip(two, 2, false);
  cfz_value s[1] = {CFZ_V_STRING("x")};
  round_trip(s, 1, false);
}
END_TEST

int main(void) {
  Suite *s = suite_create("corpus_file");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, one_bytes_value_is_raw);
  tcase_add_test(tc, header_lookalike_is_text);
  tcase_add_test(tc, typed_values_are_text);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
