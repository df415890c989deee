/* test_wire.c - the binary value encoding used in shared memory. */
#include "wire.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

START_TEST(single_bytes_layout) {
  cfz_value v = CFZ_V_BYTES("abc", 3);
  ck_assert_uint_eq(cfz_wire_size(&v, 1), 7);
  uint8_t buf[16];
  ck_assert_uint_eq(cfz_wire_encode(&v, 1, buf, sizeof buf), 7);
  static const uint8_t want[] = {3, 0, 0, 0, 'a', 'b', 'c'};
  ck_assert_mem_eq(buf, want, 7);
  /* Empty bytes still take the 4-byte length. */
  v = CFZ_V_BYTES("", 0);
  ck_assert_uint_eq(cfz_wire_encode(&v, 1, buf, sizeof buf), 4);
  ck_assert_mem_eq(buf, "\0\0\0\0", 4);
}
END_TEST

START_TEST(scalar_layout) {
  cfz_value v[] = {CFZ_V_BOOL(true),     CFZ_V_INT8(-2),
                   CFZ_V_UINT16(0x1234), CFZ_V_FLOAT32(1.0f),
                   CFZ_V_FLOAT64(-0.0),  CFZ_V_STRING("x")};
  size_t size = cfz_wire_size(v, 6);
  ck_assert_uint_eq(size, 8 + 8 + 8 + 4 + 8 + 5);
  uint8_t buf[64];
  ck_assert_uint_eq(cfz_wire_encode(v, 6, buf, sizeof buf), size);
  static const uint8_t want[] = {
      1,    0,    0,    0,    0,    0,    0,    0,    /* bool */
      0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* int8 -2 */
      0x34, 0x12, 0,    0,    0,    0,    0,    0,    /* uint16 */
      0,    0,    0x80, 0x3f,                         /* 1.0f */
      0,    0,    0,    0,    0,    0,    0,    0x80, /* -0.0 */
      1,    0,    0,    0,    'x'};
  ck_assert_mem_eq(buf, want, size);
  cfz_type types[] = {CFZ_BOOL,    CFZ_INT8,    CFZ_UINT16,
                      CFZ_FLOAT32, CFZ_FLOAT64, CFZ_STRING};
  cfz_values out = {0};
  ck_assert_int_eq(cfz_wire_decode(buf, size, types, 6, &out), 0);
  ck_assert(cfz_values_equal(v, out.v, 6));
  ck_assert_int_eq(out.v[5].v.bytes.data[1], 0); /* NUL-terminated copy */
  cfz_values_free(&out);
}
END_TEST

START_TEST(too_small_buffer) {
  cfz_value v[] = {CFZ_V_BYTES("abcdef", 6), CFZ_V_INT64(1)};
  uint8_t buf[32];
  ck_assert_uint_eq(cfz_wire_size(v, 2), 18);
  for (size_t cap = 0; cap < 18; cap++)
    ck_assert_uint_eq(cfz_wire_encode(v, 2, buf, cap), 0);
  ck_assert_uint_eq(cfz_wire_encode(v, 2, buf, 18), 18);
}
END_TEST

static uint64_t rng = 99;
static uint64_t rnd(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

START_TEST(random_round_trip) {
  uint8_t data[8][64], buf[1024];
  for (int iter = 0; iter < 3000; iter++) {
    size_t n = 1 + rnd() % 8;
    cfz_value v[8];
    cfz_type types[8];
    for (size_t i = 0; i < n; i++) {
      cfz_type t = (cfz_type)(rnd() % CFZ_TYPE_COUNT);
      types[i] = t;
      uint64_t r = rnd();
      v[i] = (cfz_value){.type = t};
      switch (t) {
      case CFZ_BYTES:
      case CFZ_STRING:
        for (size_t k = 0; k < 64; k++)
          data[i][k] = (uint8_t)rnd();
        v[i].v.bytes.data = data[i];
        v[i].v.bytes.len = r % 65;
        break;
      case CFZ_BOOL:
        v[i].v.b = r & 1;
        break;
      case CFZ_INT8:
        v[i].v.i = (int8_t)r;
        break;
      case CFZ_INT16:
        v[i].v.i = (int16_t)r;
        break;
      case CFZ_INT32:
        v[i].v.i = (int32_t)r;
        break;
      case CFZ_INT64:
        v[i].v.i = (int64_t)r;
        break;
      case CFZ_UINT8:
        v[i].v.u = (uint8_t)r;
        break;
      case CFZ_UINT16:
        v[i].v.u = (uint16_t)r;
        break;
      case CFZ_UINT32:
        v[i].v.u = (uint32_t)r;
        break;
      case CFZ_UINT64:
        v[i].v.u = r;
        break;
      case CFZ_FLOAT32: {
        uint32_t b = (uint32_t)r;
        memcpy(&v[i].v.f32, &b, 4);
        break;
      }
      default:
        memcpy(&v[i].v.f64, &r, 8);
        break;
      }
    }
    size_t len = cfz_wire_encode(v, n, buf, sizeof buf);
    ck_assert_uint_eq(len, cfz_wire_size(v, n));
    cfz_values out = {0};
    ck_assert_int_eq(cfz_wire_decode(buf, len, types, n, &out), 0);
    ck_assert_uint_eq(out.n, n);
    ck_assert(cfz_values_equal(v, out.v, n));
    cfz_values_free(&out);
    /* Every truncation and an extra trailing byte are rejected. */
    ck_assert_int_eq(
        cfz_wire_decode(buf, len - 1 - rnd() % len, types, n, &out), -1);
    ck_assert_ptr_null(out.v);
    ck_assert_int_eq(cfz_wire_decode(buf, len + 1, types, n, &out), -1);
  }
}
END_TEST

START_TEST(range_checks) {
  uint8_t buf[8];
  cfz_values out = {0};
  struct {
    cfz_type t;
    uint64_t x;
    int rc;
  } cases[] = {
      {CFZ_BOOL, 1, 0},
      {CFZ_BOOL, 2, -1},
      {CFZ_INT8, (uint64_t)-128, 0},
      {CFZ_INT8, (uint64_t)-129, -1},
      {CFZ_INT8, 128, -1},
      {CFZ_INT16, 32767, 0},
      {CFZ_INT16, 32768, -1},
      {CFZ_INT32, (uint64_t)(int64_t)INT32_MIN, 0},
      {CFZ_INT32, (uint64_t)INT32_MIN - 1, -1},
      {CFZ_UINT8, 255, 0},
      {CFZ_UINT8, 256, -1},
      {CFZ_UINT16, 65536, -1},
      {CFZ_UINT32, 0xffffffffull, 0},
      {CFZ_UINT32, 0x100000000ull, -1},
      {CFZ_UINT64, UINT64_MAX, 0},
      {CFZ_INT64, UINT64_MAX, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    for (int k = 0; k < 8; k++)
      buf[k] = (uint8_t)(cases[i].x >> (8 * k));
    ck_assert_msg(cfz_wire_decode(buf, 8, &cases[i].t, 1, &out) == cases[i].rc,
                  "case %zu", i);
    cfz_values_free(&out);
  }
  /* A bytes length running past the end. */
  static const uint8_t bad[] = {5, 0, 0, 0, 'a', 'b'};
  cfz_type t = CFZ_BYTES;
  ck_assert_int_eq(cfz_wire_decode(bad, sizeof bad, &t, 1, &out), -1);
  static const uint8_t huge[] = {0xff, 0xff, 0xff, 0xff, 'a'};
  ck_assert_int_eq(cfz_wire_decode(huge, sizeof huge, &t, 1, &out), -1);
}
END_TEST

START_TEST(view_without_copies) {
  cfz_value v[] = {CFZ_V_BYTES("abc", 3), CFZ_V_UINT16(7), CFZ_V_STRING("")};
  uint8_t buf[64];
  size_t len = cfz_wire_encode(v, 3, buf, sizeof buf);
  ck_assert_uint_eq(len, 7 + 8 + 4);
  cfz_type types[] = {CFZ_BYTES, CFZ_UINT16, CFZ_STRING};
  cfz_value out[3];
  ck_assert_int_eq(cfz_wire_view(buf, len, types, 3, out), 0);
  ck_assert(cfz_values_equal(v, out, 3));
  /* The bytes point into the buffer: nothing to free. */
  ck_assert_ptr_eq(out[0].v.bytes.data, buf + 4);
  ck_assert_uint_eq(out[2].v.bytes.len, 0);
  /* The same checks as cfz_wire_decode: short, long, out of range. */
  for (size_t cut = 0; cut < len; cut++)
    ck_assert_int_eq(cfz_wire_view(buf, cut, types, 3, out), -1);
  ck_assert_int_eq(cfz_wire_view(buf, len + 1, types, 3, out), -1);
  cfz_type u8 = CFZ_UINT8;
  ck_assert_int_eq(cfz_wire_view(buf + 7, 8, &u8, 1, out), 0);
  ck_assert_uint_eq(out[0].v.u, 7);
  static const uint8_t big[8] = {0, 1};
  ck_assert_int_eq(cfz_wire_view(big, 8, &u8, 1, out), -1);
  ck_assert_int_eq(cfz_wire_view(buf, 0, types, 0, out), 0);
}
END_TEST

START_TEST(values_helpers) {
  ck_assert_str_eq(cfz_type_name(CFZ_BYTES), "bytes");
  ck_assert_str_eq(cfz_type_name(CFZ_UINT16), "uint16");
  ck_assert_str_eq(cfz_type_name(CFZ_FLOAT64), "float64");
  ck_assert_ptr_null(cfz_type_name(CFZ_TYPE_COUNT));
  for (int t = 0; t < CFZ_TYPE_COUNT; t++) {
    cfz_type back;
    ck_assert_int_eq(cfz_type_from_name(cfz_type_name((cfz_type)t), &back), 0);
    ck_assert_int_eq(back, t);
  }
  cfz_type x;
  ck_assert_int_eq(cfz_type_from_name("int", &x), -1);
  ck_assert_int_eq(cfz_type_from_name(NULL, &x), -1);

  /* NaN equals itself bitwise; -0.0 differs from 0.0. */
  cfz_value a = CFZ_V_FLOAT64(NAN), b = CFZ_V_FLOAT64(NAN);
  ck_assert(cfz_values_equal(&a, &b, 1));
  a = CFZ_V_FLOAT64(0.0);
  b = CFZ_V_FLOAT64(-0.0);
  ck_assert(!cfz_values_equal(&a, &b, 1));
  a = CFZ_V_FLOAT32(-0.0f);
  b = CFZ_V_FLOAT32(0.0f);
  ck_assert(!cfz_values_equal(&a, &b, 1));
  a = CFZ_V_INT32(1);
  b = CFZ_V_INT64(1);
  ck_assert(!cfz_values_equal(&a, &b, 1));
  a = CFZ_V_BYTES("ab", 2);
  b = CFZ_V_STRING("ab");
  ck_assert(!cfz_values_equal(&a, &b, 1));

  cfz_value v[] = {CFZ_V_BYTES("a\0b", 3), CFZ_V_INT8(3)};
  cfz_values c = {0};
  ck_assert_int_eq(cfz_values_copy(&c, v, 2), 0);
  ck_assert(c.v[0].v.bytes.data != v[0].v.bytes.data);
  ck_assert_int_eq(c.v[0].v.bytes.data[3], 0);
  ck_assert(cfz_values_equal(v, c.v, 2));
  cfz_type types[] = {CFZ_BYTES, CFZ_INT8};
  ck_assert(cfz_values_match_types(c.v, c.n, types, 2));
  ck_assert(!cfz_values_match_types(c.v, c.n, types, 1));
  types[1] = CFZ_UINT8;
  ck_assert(!cfz_values_match_types(c.v, c.n, types, 2));
  cfz_values_free(&c);
  ck_assert_ptr_null(c.v);
  ck_assert_uint_eq(c.n, 0);
  cfz_values_free(&c); /* freeing twice is harmless */
}
END_TEST

int main(void) {
  Suite *s = suite_create("wire");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, single_bytes_layout);
  tcase_add_test(tc, scalar_layout);
  tcase_add_test(tc, too_small_buffer);
  tcase_add_test(tc, random_round_trip);
  tcase_add_test(tc, range_checks);
  tcase_add_test(tc, view_without_copies);
  tcase_add_test(tc, values_helpers);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
