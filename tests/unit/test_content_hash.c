/* test_content_hash.c - content-hash file names (SHA-256 prefix). */
#include "content_hash.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

START_TEST(known_vectors) {
  char name[17];
  ck_assert_int_eq(cfz_content_name("abc", 3, name), 0);
  ck_assert_str_eq(name, "ba7816bf8f01cfea");
  ck_assert_int_eq(cfz_content_name("", 0, name), 0);
  ck_assert_str_eq(name, "e3b0c44298fc1c14");
  ck_assert_int_eq(cfz_content_name(NULL, 0, name), 0);
  ck_assert_str_eq(name, "e3b0c44298fc1c14");
  const char *s = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  ck_assert_int_eq(cfz_content_name(s, strlen(s), name), 0);
  ck_assert_str_eq(name, "248d6a61d20638b8");
}
END_TEST

START_TEST(binary_and_large) {
  char a[17], b[17];
  static uint8_t big[1 << 20];
  for (size_t i = 0; i < sizeof big; i++)
    big[i] = (uint8_t)(i * 31);
  ck_assert_int_eq(cfz_content_name(big, sizeof big, a), 0);
  ck_assert_int_eq(strlen(a), 16);
  for (int i = 0; i < 16; i++)
    ck_assert(strchr("0123456789abcdef", a[i]));
  big[12345] ^= 1;
  ck_assert_int_eq(cfz_content_name(big, sizeof big, b), 0);
  ck_assert_str_ne(a, b);
}
END_TEST

int main(void) {
  Suite *s = suite_create("content_hash");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, known_vectors);
  tcase_add_test(tc, binary_and_large);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
