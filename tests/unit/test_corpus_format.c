/* test_corpus_format.c - the text corpus format: exact text, round trips of
 * generated values, Go compatibility, and every malformed-file case. */
#include "corpus_format.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint64_t rng_state;
static uint64_t rnd(void) { /* splitmix64 */
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static char *encode(const cfz_value *v, size_t n) {
  char *out = NULL;
  size_t len = 0;
  ck_assert_int_eq(cfz_corpus_encode(v, n, &out, &len), 0);
  ck_assert_uint_eq(strlen(out), len);
  return out;
}

static int decode_str(const char *text, cfz_values *out, char *err,
                      size_t errlen) {
  return cfz_corpus_decode((const uint8_t *)text, strlen(text), out, err,
                           errlen);
}

static double f64_bits(uint64_t b) {
  double d;
  memcpy(&d, &b, 8);
  return d;
}
static float f32_bits(uint32_t b) {
  float f;
  memcpy(&f, &b, 4);
  return f;
}

static void expect_text(cfz_value v, const char *line) {
  char *t = encode(&v, 1);
  char want[512];
  snprintf(want, sizeof want, "cfz fuzz v1\n%s\n", line);
  ck_assert_str_eq(t, want);
  cfz_values back = {0};
  char err[256] = "";
  ck_assert_msg(decode_str(t, &back, err, sizeof err) == 0, "%s", err);
  ck_assert_uint_eq(back.n, 1);
  ck_assert_msg(cfz_values_equal(&v, back.v, 1), "round trip of %s", line);
  cfz_values_free(&back);
  free(t);
}

START_TEST(exact_text) {
  static const uint8_t b[] = {'a', 0, '"', '\\', '\n', 0xff, 0x7f, '\t', 0x80};
  expect_text(CFZ_V_BYTES(b, sizeof b),
              "[]byte(\"a\\x00\\\"\\\\\\n\\xff\\x7f\\t\\x80\")");
  expect_text(CFZ_V_BYTES("", 0), "[]byte(\"\")");
  expect_text(CFZ_V_STRING("hello, world"), "string(\"hello, world\")");
  expect_text(CFZ_V_STRING("\a\b\f\r\v"), "string(\"\\a\\b\\f\\r\\v\")");
  expect_text(CFZ_V_BOOL(true), "bool(true)");
  expect_text(CFZ_V_BOOL(false), "bool(false)");
  expect_text(CFZ_V_INT8(-128), "int8(-128)");
  expect_text(CFZ_V_INT16(32767), "int16(32767)");
  expect_text(CFZ_V_INT32(-5), "int32(-5)");
  expect_text(CFZ_V_INT64(INT64_MIN), "int64(-9223372036854775808)");
  expect_text(CFZ_V_UINT8(255), "uint8(255)");
  expect_text(CFZ_V_UINT16(0), "uint16(0)");
  expect_text(CFZ_V_UINT32(4294967295u), "uint32(4294967295)");
  expect_text(CFZ_V_UINT64(UINT64_MAX), "uint64(18446744073709551615)");
  expect_text(CFZ_V_FLOAT64(0.1), "float64(0.1)");
  expect_text(CFZ_V_FLOAT64(1e100), "float64(1e+100)");
  expect_text(CFZ_V_FLOAT64(123456.789), "float64(123456.789)");
  expect_text(CFZ_V_FLOAT64(-0.0), "float64(-0)");
  expect_text(CFZ_V_FLOAT64(0.0), "float64(0)");
  expect_text(CFZ_V_FLOAT64(INFINITY), "float64(+Inf)");
  expect_text(CFZ_V_FLOAT64(-INFINITY), "float64(-Inf)");
  expect_text(CFZ_V_FLOAT64(f64_bits(0x7ff8000000000000ull)), "float64(NaN)");
  expect_text(CFZ_V_FLOAT64(f64_bits(0x7ff8000000000001ull)),
              "float64(math.Float64frombits(0x7ff8000000000001))");
  expect_text(CFZ_V_FLOAT64(f64_bits(0xfff8000000000000ull)),
              "float64(math.Float64frombits(0xfff8000000000000))");
  expect_text(CFZ_V_FLOAT64(0.1 + 0.2), "float64(0.30000000000000004)");
  expect_text(CFZ_V_FLOAT32(0.1f), "float32(0.1)");
  expect_text(CFZ_V_FLOAT32(16777217.0f), "float32(16777216)");
  expect_text(CFZ_V_FLOAT32(f32_bits(0x7fc00000u)), "float32(NaN)");
  expect_text(CFZ_V_FLOAT32(f32_bits(0x7fc00001u)),
              "float32(math.Float32frombits(0x7fc00001))");
  expect_text(CFZ_V_FLOAT32(-INFINITY), "float32(-Inf)");
}
END_TEST

START_TEST(multi_value_text) {
  cfz_value v[] = {CFZ_V_BYTES("ab", 2), CFZ_V_INT32(7), CFZ_V_BOOL(false)};
  char *t = encode(v, 3);
  ck_assert_str_eq(t, "cfz fuzz v1\n[]byte(\"ab\")\nint32(7)\nbool(false)\n");
  ck_assert(cfz_corpus_is_text((const uint8_t *)t, strlen(t)));
  free(t);
}
END_TEST

/* A random value of type t, biased toward edge cases. */
static cfz_value random_value(cfz_type t, uint8_t *buf, size_t cap) {
  static const uint8_t special[] = {0,    '"',  '\\', '\n', '\r', 0x7f,
                                    0x80, 0xff, 0xc3, 0xa9, '`',  '\''};
  cfz_value v = {.type = t};
  uint64_t r = rnd();
  switch (t) {
  case CFZ_BYTES:
  case CFZ_STRING: {
    size_t len = rnd() % (cap < 80 ? cap : 80);
    for (size_t i = 0; i < len; i++) {
      uint64_t k = rnd() % 4;
      buf[i] = k == 0   ? special[rnd() % sizeof special]
               : k == 1 ? (uint8_t)(0x20 + rnd() % 95)
                        : (uint8_t)rnd();
    }
    v.v.bytes.data = buf;
    v.v.bytes.len = len;
    break;
  }
  case CFZ_BOOL:
    v.v.b = r & 1;
    break;
  case CFZ_INT8:
  case CFZ_INT16:
  case CFZ_INT32:
  case CFZ_INT64: {
    int bits = t == CFZ_INT8    ? 8
               : t == CFZ_INT16 ? 16
               : t == CFZ_INT32 ? 32
                                : 64;
    int64_t min = bits == 64 ? INT64_MIN : -((int64_t)1 << (bits - 1));
    int64_t max = bits == 64 ? INT64_MAX : ((int64_t)1 << (bits - 1)) - 1;
    switch (r % 5) {
    case 0:
      v.v.i = min;
      break;
    case 1:
      v.v.i = max;
      break;
    case 2:
      v.v.i = (int64_t)(rnd() % 21) - 10;
      break;
    default: {
      uint64_t x = rnd();
      v.v.i = bits == 64 ? (int64_t)x
                         : (int64_t)(x % (uint64_t)(max - min + 1)) + min;
    }
    }
    break;
  }
  case CFZ_UINT8:
  case CFZ_UINT16:
  case CFZ_UINT32:
  case CFZ_UINT64: {
    uint64_t max = t == CFZ_UINT8    ? UINT8_MAX
                   : t == CFZ_UINT16 ? UINT16_MAX
                   : t == CFZ_UINT32 ? UINT32_MAX
                                     : UINT64_MAX;
    switch (r % 4) {
    case 0:
      v.v.u = max;
      break;
    case 1:
      v.v.u = rnd() % 11;
      break;
    default:
      v.v.u = max == UINT64_MAX ? rnd() : rnd() % (max + 1);
    }
    break;
  }
  case CFZ_FLOAT32: {
    static const uint32_t sp[] = {0x7fc00000u, 0x7fc00001u, 0xffc00000u,
                                  0x7f800001u, 0x7f800000u, 0xff800000u,
                                  0x80000000u, 0x00000001u, 0x7f7fffffu};
    uint32_t b = r % 3 == 0 ? sp[rnd() % 9] : (uint32_t)rnd();
    memcpy(&v.v.f32, &b, 4);
    break;
  }
  case CFZ_FLOAT64: {
    static const uint64_t sp[] = {
        0x7ff8000000000000ull, 0x7ff8000000000001ull, 0xfff8000000000000ull,
        0x7ff0000000000001ull, 0x7ff0000000000000ull, 0xfff0000000000000ull,
        0x8000000000000000ull, 0x0000000000000001ull, 0x7fefffffffffffffull};
    uint64_t b = r % 4 == 0 ? sp[rnd() % 9] : rnd();
    if (r % 4 == 1) { /* short decimal values */
      double d = (double)((int64_t)(rnd() % 2000001) - 1000000) / 1000.0;
      memcpy(&b, &d, 8);
    }
    memcpy(&v.v.f64, &b, 8);
    break;
  }
  default:
    break;
  }
  return v;
}

START_TEST(round_trip_random) {
  rng_state = 12345;
  static uint8_t bufs[8][128];
  for (int iter = 0; iter < 5000; iter++) {
    size_t n = 1 + rnd() % 8;
    cfz_value v[8];
    for (size_t i = 0; i < n; i++)
      v[i] = random_value((cfz_type)(rnd() % CFZ_TYPE_COUNT), bufs[i],
                          sizeof bufs[i]);
    char *t = encode(v, n);
    cfz_values back = {0};
    char err[256] = "";
    ck_assert_msg(decode_str(t, &back, err, sizeof err) == 0, "%s\n%s", err, t);
    ck_assert_uint_eq(back.n, n);
    ck_assert_msg(cfz_values_equal(v, back.v, n), "mismatch for\n%s", t);
    /* Decoded buffers are NUL-terminated copies. */
    for (size_t i = 0; i < n; i++) {
      if (back.v[i].type == CFZ_BYTES || back.v[i].type == CFZ_STRING)
        ck_assert_int_eq(back.v[i].v.bytes.data[back.v[i].v.bytes.len], 0);
    }
    /* Encoding is deterministic: re-encoding gives the same text. */
    char *t2 = encode(back.v, back.n);
    ck_assert_str_eq(t, t2);
    free(t2);
    cfz_values_free(&back);
    free(t);
  }
}
END_TEST

START_TEST(every_byte_round_trips) {
  uint8_t all[256];
  for (int i = 0; i < 256; i++)
    all[i] = (uint8_t)i;
  cfz_value v[] = {CFZ_V_BYTES(all, 256), CFZ_V_BYTES(all, 256)};
  v[1].type = CFZ_STRING;
  char *t = encode(v, 2);
  /* Only printable ASCII and the newline ending each line. */
  for (const char *p = t; *p; p++)
    ck_assert(*p == '\n' || (*p >= 0x20 && *p < 0x7f));
  cfz_values back = {0};
  char err[256];
  ck_assert_int_eq(decode_str(t, &back, err, sizeof err), 0);
  ck_assert(cfz_values_equal(v, back.v, 2));
  cfz_values_free(&back);
  free(t);
}
END_TEST

/* Decodes text expecting exactly one value. */
static cfz_value decode_one(const char *text, cfz_values *hold) {
  char err[256] = "";
  ck_assert_msg(decode_str(text, hold, err, sizeof err) == 0, "%s: %s", text,
                err);
  ck_assert_uint_eq(hold->n, 1);
  return hold->v[0];
}

START_TEST(reader_extras) {
  cfz_values h = {0};
  cfz_value v;
#define ONE(line)                                                              \
  (cfz_values_free(&h), v = decode_one("cfz fuzz v1\n" line "\n", &h))
  ONE("byte('a')");
  ck_assert(v.type == CFZ_UINT8 && v.v.u == 97);
  ONE("byte(97)");
  ck_assert(v.type == CFZ_UINT8 && v.v.u == 97);
  ONE("byte('\\xff')");
  ck_assert(v.type == CFZ_UINT8 && v.v.u == 255);
  ONE("byte('\\n')");
  ck_assert(v.type == CFZ_UINT8 && v.v.u == 10);
  ONE("byte('\\'')");
  ck_assert(v.type == CFZ_UINT8 && v.v.u == '\'');
  ONE("uint8('0')");
  ck_assert(v.type == CFZ_UINT8 && v.v.u == '0');
  ONE("rune('x')");
  ck_assert(v.type == CFZ_INT32 && v.v.i == 'x');
  ONE("rune('\xe2\x98\xba')"); /* U+263A */
  ck_assert(v.type == CFZ_INT32 && v.v.i == 0x263a);
  ONE("rune('\\u263a')");
  ck_assert(v.type == CFZ_INT32 && v.v.i == 0x263a);
  ONE("rune(5)");
  ck_assert(v.type == CFZ_INT32 && v.v.i == 5);
  ONE("int32(-1)");
  ck_assert(v.type == CFZ_INT32 && v.v.i == -1);
  ONE("int(-5)");
  ck_assert(v.type == CFZ_INT64 && v.v.i == -5);
  ONE("uint(7)");
  ck_assert(v.type == CFZ_UINT64 && v.v.u == 7);
  ONE("int64(0x7fffffffffffffff)");
  ck_assert(v.v.i == INT64_MAX);
  ONE("int64(-0x8000000000000000)");
  ck_assert(v.v.i == INT64_MIN);
  ONE("int8(-0x80)");
  ck_assert(v.v.i == -128);
  ONE("uint16(0XfFfF)");
  ck_assert(v.v.u == 65535);
  ONE("uint32(0o17)");
  ck_assert(v.v.u == 15);
  ONE("uint32(017)");
  ck_assert(v.v.u == 15);
  ONE("uint32(0b101)");
  ck_assert(v.v.u == 5);
  ONE("uint32(1_000_000)");
  ck_assert(v.v.u == 1000000);
  ONE("int16(+12)");
  ck_assert(v.v.i == 12);
  ONE("uint8(-0)");
  ck_assert(v.v.u == 0);
  ONE("  int8( 3 )  ");
  ck_assert(v.v.i == 3);
  ONE("[]byte(`raw\\x\"`)");
  ck_assert(v.type == CFZ_BYTES && v.v.bytes.len == 6 &&
            memcmp(v.v.bytes.data, "raw\\x\"", 6) == 0);
  ONE("string(\"\\u00e9\\U0001F600\\101\")");
  ck_assert(v.type == CFZ_STRING && v.v.bytes.len == 7 &&
            memcmp(v.v.bytes.data,
                   "\xc3\xa9\xf0\x9f\x98\x80"
                   "A",
                   7) == 0);
  ONE("string(\"caf\xc3\xa9 ) \")");
  ck_assert(v.v.bytes.len == 8 &&
            memcmp(v.v.bytes.data, "caf\xc3\xa9 ) ", 8) == 0);
  ONE("float64(5)");
  ck_assert(v.type == CFZ_FLOAT64 && v.v.f64 == 5.0);
  ONE("float64(-2.5e-3)");
  ck_assert(v.v.f64 == -2.5e-3);
  ONE("float64(1E+10)");
  ck_assert(v.v.f64 == 1e10);
  ONE("float64(.5)");
  ck_assert(v.v.f64 == 0.5);
  ONE("float64(Inf)");
  ck_assert(isinf(v.v.f64) && v.v.f64 > 0);
  ONE("float64(4.9e-324)"); /* smallest subnormal */
  ck_assert(v.v.f64 == f64_bits(1));
  ONE("float32(0.1)");
  ck_assert(v.type == CFZ_FLOAT32 && v.v.f32 == 0.1f);
  ONE("float32(math.Float32frombits(0xff800000))");
  ck_assert(isinf(v.v.f32) && v.v.f32 < 0);
  ONE("bool( false )");
  ck_assert(v.type == CFZ_BOOL && !v.v.b);
#undef ONE
  cfz_values_free(&h);
}
END_TEST

START_TEST(layout_tolerance) {
  const char *text = "cfz fuzz v1\r\n\r\n  []byte(\"x\")\r\n\n\t\nint8(1)";
  cfz_values v = {0};
  char err[256] = "";
  ck_assert_msg(decode_str(text, &v, err, sizeof err) == 0, "%s", err);
  ck_assert_uint_eq(v.n, 2);
  ck_assert(v.v[0].type == CFZ_BYTES && v.v[0].v.bytes.len == 1);
  ck_assert(v.v[1].type == CFZ_INT8 && v.v[1].v.i == 1);
  cfz_values_free(&v);
}
END_TEST

START_TEST(go_header) {
  const char *text = "go test fuzz v1\n[]byte(\"a\")\nbyte('b')\nrune('c')\n"
                     "int(-1)\nfloat64(NaN)\nfloat32(NaN)\nstring(\"\")\n";
  ck_assert(cfz_corpus_is_text((const uint8_t *)text, strlen(text)));
  cfz_values v = {0};
  char err[256] = "";
  ck_assert_msg(decode_str(text, &v, err, sizeof err) == 0, "%s", err);
  ck_assert_uint_eq(v.n, 7);
  ck_assert(v.v[1].type == CFZ_UINT8 && v.v[1].v.u == 'b');
  ck_assert(v.v[2].type == CFZ_INT32 && v.v[2].v.i == 'c');
  ck_assert(v.v[3].type == CFZ_INT64 && v.v[3].v.i == -1);
  /* Go's math.NaN() has the bits 0x7ff8000000000001. */
  uint64_t b;
  memcpy(&b, &v.v[4].v.f64, 8);
  ck_assert_uint_eq(b, 0x7ff8000000000001ull);
  uint32_t b32;
  memcpy(&b32, &v.v[5].v.f32, 4);
  ck_assert_uint_eq(b32, 0x7fc00000u);
  cfz_values_free(&v);
  /* In our own format NaN is the canonical quiet NaN. */
  cfz_value one = decode_one("cfz fuzz v1\nfloat64(NaN)\n", &v);
  memcpy(&b, &one.v.f64, 8);
  ck_assert_uint_eq(b, 0x7ff8000000000000ull);
  cfz_values_free(&v);
}
END_TEST

static void check_raw(const uint8_t *data, size_t len) {
  cfz_values v = {0};
  char err[256] = "";
  ck_assert(!cfz_corpus_is_text(data, len));
  ck_assert_msg(cfz_corpus_decode(data, len, &v, err, sizeof err) == 0, "%s",
                err);
  ck_assert_uint_eq(v.n, 1);
  ck_assert(v.v[0].type == CFZ_BYTES);
  ck_assert_uint_eq(v.v[0].v.bytes.len, len);
  ck_assert(len == 0 || memcmp(v.v[0].v.bytes.data, data, len) == 0);
  ck_assert_int_eq(v.v[0].v.bytes.data[len], 0);
  cfz_values_free(&v);
}

START_TEST(raw_files) {
  check_raw((const uint8_t *)"", 0);
  check_raw((const uint8_t *)"hello\n", 6);
  static const uint8_t bin[] = {0xff, 0, 1, 2, '\n', 'c', 'f', 'z'};
  check_raw(bin, sizeof bin);
  /* Almost a header. */
  check_raw((const uint8_t *)"cfz fuzz\n[]byte(\"a\")\n", 21);
  check_raw((const uint8_t *)" cfz fuzz v1\n[]byte(\"a\")\n", 25);
}
END_TEST

static void expect_error(const char *text, const char *want) {
  cfz_values v = {0};
  char err[256] = "";
  int rc = decode_str(text, &v, err, sizeof err);
  ck_assert_msg(rc == -1, "accepted: %s", text);
  ck_assert_uint_eq(v.n, 0);
  ck_assert_ptr_null(v.v);
  ck_assert_msg(strstr(err, want) != NULL, "for %s\n got: %s\nwant: %s", text,
                err, want);
}

START_TEST(malformed) {
#define H "cfz fuzz v1\n"
  expect_error(H, "no values");
  expect_error(H "\n  \n", "no values");
  expect_error("go test fuzz v1\n", "no values");
  expect_error("cfz fuzz v2\nint8(1)\n",
               "line 1: unknown encoding version \"cfz fuzz v2\"");
  expect_error("go test fuzz v9\n", "line 1: unknown encoding version");
  expect_error("cfz fuzz v1x\n[]byte(\"a\")\n",
               "line 1: unknown encoding version \"cfz fuzz v1x\"");
  expect_error(H H "int8(1)\n", "line 2: malformed value \"cfz fuzz v1\"");
  expect_error(H "int8(300)\n",
               "line 2: malformed value \"int8(300)\": out of range for int8");
  expect_error(H "int8(-129)\n", "out of range for int8");
  expect_error(H "int8(128)\n", "out of range for int8");
  expect_error(H "int16(32768)\n", "out of range for int16");
  expect_error(H "int32(2147483648)\n", "out of range for int32");
  expect_error(H "int64(9223372036854775808)\n", "out of range for int64");
  expect_error(H "int64(-9223372036854775809)\n", "out of range for int64");
  expect_error(H "uint8(256)\n", "out of range for uint8");
  expect_error(H "uint8(-1)\n", "out of range for uint8");
  expect_error(H "uint16(65536)\n", "out of range for uint16");
  expect_error(H "uint32(4294967296)\n", "out of range for uint32");
  expect_error(H "uint64(18446744073709551616)\n", "out of range for uint64");
  expect_error(H "byte('\xc4\x80')\n", "out of range for byte"); /* U+0100 */
  expect_error(H "int8(1)\nfoo(1)\n",
               "line 3: malformed value \"foo(1)\": unknown type \"foo\"");
  expect_error(H "int8 1\n", "missing '('");
  expect_error(H "int8(1\n", "missing ')'");
  expect_error(H "int8\n", "missing '('");
  expect_error(H "[]byte(\"abc)\n", "unterminated string");
  expect_error(H "[]byte(`abc)\n", "unterminated string");
  expect_error(H "[]byte(\"a\\q\")\n", "unknown escape sequence \\q");
  expect_error(H "[]byte(\"a\\'\")\n", "unknown escape sequence");
  expect_error(H "[]byte(\"\\x4\")\n", "hex digits");
  expect_error(H "string(\"\\ud800\")\n", "not a valid Unicode");
  expect_error(H "string(\"\\400\")\n", "octal");
  expect_error(H "[]byte(abc)\n", "want a quoted string");
  expect_error(H "[]byte(\"a\") x\n", "unexpected text after ')'");
  expect_error(H "int8(1)x\n", "unexpected text after ')'");
  expect_error(H "int8(1 2)\n", "unexpected text after the value");
  expect_error(H "int8()\n", "want an integer literal");
  expect_error(H "int8(0x)\n", "invalid integer literal");
  expect_error(H "int8(12a)\n", "invalid digit");
  expect_error(H "uint8(0b102)\n", "invalid digit");
  expect_error(H "int8('a')\n", "want an integer literal");
  expect_error(H "byte('')\n", "empty character literal");
  expect_error(H "byte('ab')\n", "unterminated character literal");
  expect_error(H "bool(1)\n", "want true or false");
  expect_error(H "bool(True)\n", "want true or false");
  expect_error(H "float64(abc)\n", "want a float literal");
  expect_error(H "float64(nan)\n", "want a float literal");
  expect_error(H "float64(1e999)\n", "out of range for float64");
  expect_error(H "float32(1e39)\n", "out of range for float32");
  expect_error(H "float64(1.5.5)\n", "invalid float literal");
  expect_error(H "float32(math.Float32frombits(0x100000000))\n",
               "out of range for float32");
  expect_error(H "float64(math.Float32frombits(1))\n", "want a float literal");
  expect_error(H "float64(math.Float64frombits 1)\n", "missing '('");
  expect_error(H "[]byte(\"\\xff\")\n)\n", "line 3: malformed value \")\"");
#undef H
}
END_TEST

START_TEST(error_message_is_bounded) {
  char text[2048] = "cfz fuzz v1\nint8(";
  size_t n = strlen(text);
  memset(text + n, '9', 1000);
  strcpy(text + n + 1000, ")\n");
  cfz_values v = {0};
  char err[256] = "";
  ck_assert_int_eq(decode_str(text, &v, err, sizeof err), -1);
  ck_assert(strstr(err, "line 2: malformed value \"int8(999"));
  ck_assert(strstr(err, "...\""));
  ck_assert(strstr(err, "out of range for int8"));
}
END_TEST

static char tmpdir[64];

static void setup_dir(void) {
  strcpy(tmpdir, "/tmp/cfz-corpus-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void write_file(const char *path, const char *text, size_t len) {
  FILE *f = fopen(path, "wb");
  ck_assert_ptr_nonnull(f);
  ck_assert_uint_eq(fwrite(text, 1, len, f), len);
  ck_assert_int_eq(fclose(f), 0);
}

START_TEST(read_file) {
  setup_dir();
  char path[128], err[512];
  cfz_values v = {0};

  snprintf(path, sizeof path, "%s/missing", tmpdir);
  ck_assert_int_eq(cfz_corpus_read_file(path, &v, err, sizeof err), -1);
  char want[256];
  snprintf(want, sizeof want, "open %s: No such file or directory", path);
  ck_assert_str_eq(err, want);

  snprintf(path, sizeof path, "%s/good", tmpdir);
  const char *good = "cfz fuzz v1\nint32(-7)\nstring(\"x\")\n";
  write_file(path, good, strlen(good));
  ck_assert_int_eq(cfz_corpus_read_file(path, &v, err, sizeof err), 0);
  ck_assert_uint_eq(v.n, 2);
  ck_assert_int_eq(v.v[0].v.i, -7);
  cfz_values_free(&v);
  unlink(path);

  snprintf(path, sizeof path, "%s/bad", tmpdir);
  const char *bad = "cfz fuzz v1\nint32(1)\nint8(300)\n";
  write_file(path, bad, strlen(bad));
  ck_assert_int_eq(cfz_corpus_read_file(path, &v, err, sizeof err), -1);
  snprintf(want, sizeof want,
           "%s: line 3: malformed value \"int8(300)\": out of range for int8",
           path);
  ck_assert_str_eq(err, want);
  unlink(path);

  /* A large raw file is read whole. */
  snprintf(path, sizeof path, "%s/raw", tmpdir);
  size_t big = 100000;
  char *data = malloc(big);
  for (size_t i = 0; i < big; i++)
    data[i] = (char)(i * 7);
  write_file(path, data, big);
  ck_assert_int_eq(cfz_corpus_read_file(path, &v, err, sizeof err), 0);
  ck_assert_uint_eq(v.n, 1);
  ck_assert_uint_eq(v.v[0].v.bytes.len, big);
  ck_assert(memcmp(v.v[0].v.bytes.data, data, big) == 0);
  cfz_values_free(&v);
  free(data);
  unlink(path);

  /* A directory (like a device or a FIFO) is refused unopened. */
  ck_assert_int_eq(cfz_corpus_read_file(tmpdir, &v, err, sizeof err), -1);
  snprintf(want, sizeof want, "%s: not a regular file", tmpdir);
  ck_assert_str_eq(err, want);
  ck_assert_int_eq(rmdir(tmpdir), 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("corpus_format");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, exact_text);
  tcase_add_test(tc, multi_value_text);
  tcase_add_test(tc, round_trip_random);
  tcase_add_test(tc, every_byte_round_trips);
  tcase_add_test(tc, reader_extras);
  tcase_add_test(tc, layout_tolerance);
  tcase_add_test(tc, go_header);
  tcase_add_test(tc, raw_files);
  tcase_add_test(tc, malformed);
  tcase_add_test(tc, error_message_is_bounded);
  tcase_add_test(tc, read_file);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
