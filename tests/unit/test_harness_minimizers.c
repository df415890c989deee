/* test_harness_minimizers.c - the pure shrinking strategies. */
#include "minimizers.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct ctx {
  size_t tries, stops, stop_after; /* stop_after 0 = never */
  size_t param;                    /* the parameter the predicate looks at */
  size_t n;                        /* expected list length */
  cfz_type types[4];
  bool (*pred)(const cfz_value *v);
} ctx;

static bool try_fn(void *p, const cfz_value *cand, size_t n) {
  ctx *c = p;
  c->tries++;
  ck_assert_uint_eq(n, c->n);
  for (size_t i = 0; i < n; i++)
    ck_assert_int_eq(cand[i].type, c->types[i]);
  return c->pred(&cand[c->param]);
}

static bool stop_fn(void *p) {
  ctx *c = p;
  c->stops++;
  return c->stop_after && c->tries >= c->stop_after;
}

static bool len50_nonzero(const cfz_value *v) {
  if (v->v.bytes.len < 50)
    return false;
  for (size_t i = 0; i < v->v.bytes.len; i++)
    if (v->v.bytes.data[i])
      return true;
  return false;
}

static void one(cfz_values *vals, cfz_value v) {
  ck_assert_int_eq(cfz_values_copy(vals, &v, 1), 0);
}

START_TEST(bytes_to_exactly_50) {
  uint8_t in[1000] = {0};
  in[997] = 7; /* the only non-zero byte is near the end */
  cfz_values vals;
  one(&vals, CFZ_V_BYTES(in, sizeof in));
  ctx c = {.n = 1, .types = {CFZ_BYTES}, .pred = len50_nonzero};
  size_t acc = cfz_minimize_values(&vals, try_fn, stop_fn, &c);
  ck_assert_uint_gt(acc, 0);
  ck_assert_uint_eq(vals.v[0].v.bytes.len, 50);
  ck_assert(len50_nonzero(&vals.v[0]));
  /* Every byte simplified to '0' (non-zero, so still failing). */
  for (size_t i = 0; i < 50; i++)
    ck_assert_int_eq(vals.v[0].v.bytes.data[i], '0');
  ck_assert_int_eq(vals.v[0].v.bytes.data[50], 0);
  ck_assert_uint_eq(c.stops, c.tries); /* asked before every candidate */
  ck_assert_uint_lt(c.tries, 2000);
  cfz_values_free(&vals);
}
END_TEST

static bool has_bug(const cfz_value *v) {
  return memmem(v->v.bytes.data, v->v.bytes.len, "BUG", 3) != NULL;
}

START_TEST(string_to_needle) {
  char in[600];
  for (int i = 0; i < 599; i++)
    in[i] = (char)('a' + i % 26);
  in[599] = 0;
  memcpy(in + 321, "BUG", 3);
  cfz_values vals;
  one(&vals, CFZ_V_STRING(in));
  ctx c = {.n = 1, .types = {CFZ_STRING}, .pred = has_bug};
  cfz_minimize_values(&vals, try_fn, stop_fn, &c);
  ck_assert_uint_eq(vals.v[0].v.bytes.len, 3);
  ck_assert_str_eq((const char *)vals.v[0].v.bytes.data, "BUG");
  cfz_values_free(&vals);
}
END_TEST

static bool gt1000(const cfz_value *v) { return v->v.i > 1000; }
static bool lt_minus1000(const cfz_value *v) { return v->v.i < -1000; }
static bool u_ge7(const cfz_value *v) { return v->v.u >= 7; }

START_TEST(integers) {
  cfz_values vals;
  one(&vals, CFZ_V_INT64(987654321));
  ctx c = {.n = 1, .types = {CFZ_INT64}, .pred = gt1000};
  cfz_minimize_values(&vals, try_fn, stop_fn, &c);
  ck_assert_int_eq(vals.v[0].v.i, 1001);
  ck_assert_uint_lt(c.tries, 300);
  cfz_values_free(&vals);

  one(&vals, CFZ_V_INT64(INT64_MAX));
  c = (ctx){.n = 1, .types = {CFZ_INT64}, .pred = gt1000};
  cfz_minimize_values(&vals, try_fn, stop_fn, &c);
  ck_assert_int_eq(vals.v[0].v.i, 1001);
  cfz_values_free(&vals);

  one(&vals, CFZ_V_INT64(INT64_MIN));
  c = (ctx){.n = 1, .types = {CFZ_INT64}, .pred = lt_minus1000};
  cfz_minimize_values(&vals, try_fn, stop_fn, &c);
  ck_assert_int_eq(vals.v[0].v.i, -1001);
  cfz_values_free(&vals);

  one(&vals, CFZ_V_INT8(-128));
  c = (ctx){.n = 1, .types = {CFZ_INT8}, .pred = gt1000};
  /* never true for an int8: nothing accepted */
  ck_assert_uint_eq(cfz_minimize_values(&vals, try_fn, stop_fn, &c), 0);
  ck_assert_int_eq(vals.v[0].v.i, -128);
  ck_assert_uint_gt(c.tries, 0);
  cfz_values_free(&vals);

  one(&vals, CFZ_V_UINT8(255));
  c = (ctx){.n = 1, .types = {CFZ_UINT8}, .pred = u_ge7};
  cfz_minimize_values(&vals, try_fn, stop_fn, &c);
  ck_assert_uint_eq(vals.v[0].v.u, 7);
  cfz_values_free(&vals);

  one(&vals, CFZ_V_UINT64(UINT64_MAX));
  c = (ctx){.n = 1, .types = {CFZ_UINT64}, .pred = u_ge7};
  cfz_minimize_values(&vals, try_fn, stop_fn, &c);
  ck_assert_uint_eq(vals.v[0].v.u, 7);
  cfz_values_free(&vals);
}
END_TEST

static bool f_gt(const cfz_value *v) {
  double d = v->type == CFZ_FLOAT32 ? v->v.f32 : v->v.f64;
  return d > 1000.5;
}
static bool f_frac(const cfz_value *v) {
  return v->v.f64 > 0.1 && v->v.f64 < 0.2; /* never integral */
}
static bool always(const cfz_value *v) {
  (void)v;
  return true;
}

START_TEST(floats) {
  cfz_values vals;
  one(&vals, CFZ_V_FLOAT64(123456.789));
  ctx c = {.n = 1, .types = {CFZ_FLOAT64}, .pred = f_gt};
  cfz_minimize_values(&vals, try_fn, stop_fn, &c);
  ck_assert_msg(vals.v[0].v.f64 == 1001.0, "got %.17g", vals.v[0].v.f64);
  cfz_values_free(&vals);

  one(&vals, CFZ_V_FLOAT64(1e300));
  c = (ctx){.n = 1, .types = {CFZ_FLOAT64}, .pred = f_gt};
  cfz_minimize_values(&vals, try_fn, stop_fn, &c);
  ck_assert_msg(vals.v[0].v.f64 > 1000.5 && vals.v[0].v.f64 <= 2000 &&
                    vals.v[0].v.f64 == trunc(vals.v[0].v.f64),
                "got %.17g", vals.v[0].v.f64);
  cfz_values_free(&vals);

  one(&vals, CFZ_V_FLOAT32(98765.4321f));
  c = (ctx){.n = 1, .types = {CFZ_FLOAT32}, .pred = f_gt};
  cfz_minimize_values(&vals, try_fn, stop_fn, &c);
  ck_assert_msg(vals.v[0].v.f32 == 1001.0f, "got %.9g", vals.v[0].v.f32);
  cfz_values_free(&vals);

  /* Fewer significant digits for a value that cannot be integral. */
  one(&vals, CFZ_V_FLOAT64(0.123456789));
  c = (ctx){.n = 1, .types = {CFZ_FLOAT64}, .pred = f_frac};
  cfz_minimize_values(&vals, try_fn, stop_fn, &c);
  ck_assert_msg(vals.v[0].v.f64 == 0.12, "got %.17g", vals.v[0].v.f64);
  cfz_values_free(&vals);

  /* NaN and Inf are left alone, with no candidate tried. */
  cfz_value special[] = {CFZ_V_FLOAT64(NAN), CFZ_V_FLOAT32(-INFINITY),
                         CFZ_V_BOOL(true)};
  ck_assert_int_eq(cfz_values_copy(&vals, special, 3), 0);
  c = (ctx){
      .n = 3, .types = {CFZ_FLOAT64, CFZ_FLOAT32, CFZ_BOOL}, .pred = always};
  ck_assert_uint_eq(cfz_minimize_values(&vals, try_fn, stop_fn, &c), 0);
  ck_assert_uint_eq(c.tries, 0);
  ck_assert(cfz_values_equal(special, vals.v, 3));
  cfz_values_free(&vals);
}
END_TEST

START_TEST(should_stop_honoured) {
  for (size_t k = 1; k <= 40; k++) {
    uint8_t in[300];
    memset(in, 'x', sizeof in);
    cfz_value v[] = {CFZ_V_BYTES(in, sizeof in), CFZ_V_INT32(500000)};
    cfz_values vals;
    ck_assert_int_eq(cfz_values_copy(&vals, v, 2), 0);
    ctx c = {.n = 2,
             .types = {CFZ_BYTES, CFZ_INT32},
             .pred = len50_nonzero,
             .stop_after = k};
    cfz_minimize_values(&vals, try_fn, stop_fn, &c);
    ck_assert_uint_eq(c.tries, k);
    ck_assert_uint_eq(c.stops, k + 1); /* the last one said stop */
    cfz_values_free(&vals);
  }
  /* Stopping at once: nothing tried, nothing changed. */
  cfz_values vals;
  one(&vals, CFZ_V_INT64(5));
  ctx c = {.n = 1, .types = {CFZ_INT64}, .pred = always, .stop_after = 1};
  c.tries = 1; /* stop_fn says stop before the first candidate */
  ck_assert_uint_eq(cfz_minimize_values(&vals, try_fn, stop_fn, &c), 0);
  ck_assert_uint_eq(c.tries, 1);
  ck_assert_uint_eq(c.stops, 1);
  ck_assert_int_eq(vals.v[0].v.i, 5);
  cfz_values_free(&vals);
}
END_TEST

/* The predicate looks at parameter 1 only; the others stay untouched except
 * where they can be shrunk without losing the failure. */
static bool second_is_big(const cfz_value *v) { return v->v.i > 100; }

START_TEST(several_parameters) {
  cfz_value v[] = {CFZ_V_BOOL(true), CFZ_V_INT16(20000),
                   CFZ_V_STRING("some text")};
  cfz_values vals;
  ck_assert_int_eq(cfz_values_copy(&vals, v, 3), 0);
  ctx c = {.n = 3,
           .types = {CFZ_BOOL, CFZ_INT16, CFZ_STRING},
           .param = 1,
           .pred = second_is_big};
  cfz_minimize_values(&vals, try_fn, stop_fn, &c);
  ck_assert(vals.v[0].v.b);
  ck_assert_int_eq(vals.v[1].v.i, 101);
  /* The string does not matter, so it becomes empty. */
  ck_assert_uint_eq(vals.v[2].v.bytes.len, 0);
  ck_assert_int_eq(vals.v[2].v.bytes.data[0], 0);
  cfz_values_free(&vals);
}
END_TEST

static bool never(const cfz_value *v) {
  (void)v;
  return false;
}

START_TEST(nothing_accepted) {
  cfz_value v[] = {CFZ_V_BYTES("abcdefghij", 10), CFZ_V_INT32(-77),
                   CFZ_V_FLOAT64(3.75), CFZ_V_UINT16(9)};
  cfz_values vals;
  ck_assert_int_eq(cfz_values_copy(&vals, v, 4), 0);
  ctx c = {.n = 4,
           .types = {CFZ_BYTES, CFZ_INT32, CFZ_FLOAT64, CFZ_UINT16},
           .pred = never};
  ck_assert_uint_eq(cfz_minimize_values(&vals, try_fn, stop_fn, &c), 0);
  ck_assert(cfz_values_equal(v, vals.v, 4));
  ck_assert_uint_gt(c.tries, 10);
  cfz_values_free(&vals);
}
END_TEST

int main(void) {
  Suite *s = suite_create("harness_minimizers");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, bytes_to_exactly_50);
  tcase_add_test(tc, string_to_needle);
  tcase_add_test(tc, integers);
  tcase_add_test(tc, floats);
  tcase_add_test(tc, should_stop_honoured);
  tcase_add_test(tc, several_parameters);
  tcase_add_test(tc, nothing_accepted);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
