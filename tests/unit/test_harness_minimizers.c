/* test_harness_minimizers.c - the pure shrinking strategies. */
#include "minimizers.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
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
  uint8_t in[300];
  for (size_t i = 0; i < sizeof in; i++)
    in[i] = (uint8_t)('a' + i % 7);
  cfz_value v[] = {CFZ_V_BYTES(in, sizeof in), CFZ_V_INT32(500000)};
  /* The whole minimization, unbounded, runs `total` candidates. */
  cfz_values vals;
  ck_assert_int_eq(cfz_values_copy(&vals, v, 2), 0);
  ctx c = {.n = 2, .types = {CFZ_BYTES, CFZ_INT32}, .pred = len50_nonzero};
  cfz_minimize_values(&vals, try_fn, stop_fn, &c);
  size_t total = c.tries;
  ck_assert_uint_eq(c.stops, total);
  ck_assert_uint_gt(total, 10);
  cfz_values_free(&vals);
  for (size_t k = 1; k < total; k++) {
    ck_assert_int_eq(cfz_values_copy(&vals, v, 2), 0);
    c = (ctx){.n = 2,
              .types = {CFZ_BYTES, CFZ_INT32},
              .pred = len50_nonzero,
              .stop_after = k};
    cfz_minimize_values(&vals, try_fn, stop_fn, &c);
    ck_assert_uint_eq(c.tries, k);
    ck_assert_uint_eq(c.stops, k + 1); /* the last one said stop */
    cfz_values_free(&vals);
  }
  /* Stopping at once: nothing tried, nothing changed. */
  one(&vals, CFZ_V_INT64(5));
  c = (ctx){.n = 1, .types = {CFZ_INT64}, .pred = always, .stop_after = 1};
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

/* ---- issue 10's case: 4096 bytes -> 64 in few executions ---- */

/* Fails when at least 64 bytes long and holding three 'A' bytes. */
static bool three_a(const cfz_value *v) {
  size_t n = 0;
  for (size_t i = 0; i < v->v.bytes.len; i++)
    n += v->v.bytes.data[i] == 'A';
  return v->v.bytes.len >= 64 && n >= 3;
}

/* 4096 pseudo-random bytes without 'A', then 'A' at three places. */
static void three_a_input(uint8_t *in, uint64_t seed, const size_t pos[3]) {
  for (size_t i = 0; i < 4096; i++) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    in[i] = (uint8_t)(seed >> 56);
    if (in[i] == 'A')
      in[i] = 'B';
  }
  for (int k = 0; k < 3; k++)
    in[pos[k]] = 'A';
}

static void check_three_a_result(const cfz_values *vals) {
  ck_assert_uint_eq(vals->v[0].v.bytes.len, 64);
  ck_assert(three_a(&vals->v[0]));
  for (size_t i = 0; i < 64; i++) { /* everything else normalised */
    uint8_t ch = vals->v[0].v.bytes.data[i];
    ck_assert_msg(ch == 'A' || ch == '0', "byte %zu is %d", i, ch);
  }
}

static const size_t three_a_places[][3] = {{1000, 2500, 3700}, {0, 1, 2},
                                           {4093, 4094, 4095}, {17, 2048, 4095},
                                           {511, 512, 513},    {63, 64, 3000}};

START_TEST(three_a_in_process) {
  static uint8_t in[4096];
  for (size_t t = 0; t < sizeof three_a_places / sizeof three_a_places[0];
       t++) {
    three_a_input(in, t + 1, three_a_places[t]);
    cfz_values vals;
    one(&vals, CFZ_V_BYTES(in, sizeof in));
    ctx c = {.n = 1, .types = {CFZ_BYTES}, .pred = three_a};
    cfz_minimize_values(&vals, try_fn, stop_fn, &c);
    check_three_a_result(&vals);
    ck_assert_msg(c.tries <= 500, "case %zu: %zu executions", t, c.tries);
    cfz_values_free(&vals);
  }
}
END_TEST

/* Mode death: an accepted candidate kills the process.  The minimization
 * resumes, in a "new process", from the checkpoint given before it. */
typedef struct death_ctx {
  ctx c;
  cfz_min_cursor last;
  cfz_values died_with; /* the candidate that killed it */
  bool died;
} death_ctx;

static bool death_try(void *p, const cfz_value *cand, size_t n) {
  death_ctx *d = p;
  if (!try_fn(&d->c, cand, n))
    return false;
  ck_assert_int_eq(cfz_values_copy(&d->died_with, cand, n), 0);
  d->died = true;
  return false; /* never returns in a real process */
}
static bool death_stop(void *p) {
  death_ctx *d = p;
  return d->died;
}
static void death_checkpoint(void *p, const cfz_min_cursor *acc) {
  ((death_ctx *)p)->last = *acc;
}

/* Minimizes like the worker in mode death; returns the restarts. */
static size_t minimize_dying(cfz_values *vals, death_ctx *d) {
  cfz_minimize_ops ops = {death_try, death_stop, death_checkpoint, d};
  cfz_min_cursor at = {0};
  size_t restarts = 0;
  for (;;) {
    d->died = false;
    cfz_minimize_values_from(vals, &ops, restarts ? &at : NULL, NULL);
    if (!d->died)
      return restarts;
    cfz_values_free(vals);
    *vals = d->died_with;
    d->died_with = (cfz_values){0};
    at = d->last;
    restarts++;
  }
}

START_TEST(three_a_dying) {
  static uint8_t in[4096];
  for (size_t t = 0; t < sizeof three_a_places / sizeof three_a_places[0];
       t++) {
    three_a_input(in, t + 1, three_a_places[t]);
    cfz_values vals;
    one(&vals, CFZ_V_BYTES(in, sizeof in));
    death_ctx d = {.c = {.n = 1, .types = {CFZ_BYTES}, .pred = three_a}};
    size_t restarts = minimize_dying(&vals, &d);
    check_three_a_result(&vals);
    ck_assert_uint_gt(restarts, 10);
    ck_assert_msg(d.c.tries <= 500, "case %zu: %zu executions", t, d.c.tries);
    cfz_values_free(&vals);
  }
}
END_TEST

/* Records of three bytes ("I\1x"), which no power-of-two block removes
 * whole, in front of the bytes that fail. */
static bool ends_bug(const cfz_value *v) {
  const uint8_t *b = v->v.bytes.data;
  size_t n = v->v.bytes.len;
  if (n < 3 || memcmp(b + n - 3, "BUG", 3) != 0)
    return false;
  for (size_t i = 0; i + 3 < n; i += 3) /* a well-formed prefix */
    if (b[i] != 'I' || b[i + 1] != 1)
      return false;
  return (n - 3) % 3 == 0;
}

START_TEST(records_removed) {
  uint8_t in[64 * 3 + 3];
  for (int i = 0; i < 64; i++)
    memcpy(in + 3 * i, (const uint8_t[]){'I', 1, (uint8_t)('a' + i % 26)}, 3);
  memcpy(in + 192, "BUG", 3);
  cfz_values vals;
  one(&vals, CFZ_V_BYTES(in, sizeof in));
  death_ctx d = {.c = {.n = 1, .types = {CFZ_BYTES}, .pred = ends_bug}};
  minimize_dying(&vals, &d);
  ck_assert_uint_eq(vals.v[0].v.bytes.len, 3);
  ck_assert_msg(d.c.tries <= 50, "%zu executions", d.c.tries);
  cfz_values_free(&vals);
}
END_TEST

/* A damaged cursor (impossible stage, zero block size, positions past the
 * end, a parameter out of range) ends the minimization, it does not hang. */
START_TEST(damaged_cursor) {
  for (uint32_t stage = 0; stage < 8; stage++) {
    for (int k = 0; k < 3; k++) {
      uint8_t in[100];
      memset(in, 'x', sizeof in);
      cfz_values vals;
      one(&vals, CFZ_V_BYTES(in, sizeof in));
      ctx c = {.n = 1, .types = {CFZ_BYTES}, .pred = len50_nonzero};
      cfz_minimize_ops ops = {try_fn, stop_fn, NULL, &c};
      cfz_min_cursor at = {.stage = stage,
                           .size = k == 0 ? 0 : 1000,
                           .pos = k == 1 ? 5000 : 3,
                           .run = k == 2 ? 7 : 0,
                           .param = k == 2 ? 9 : 0};
      cfz_minimize_values_from(&vals, &ops, &at, NULL);
      ck_assert_uint_lt(c.tries, 1000);
      ck_assert(len50_nonzero(&vals.v[0]));
      cfz_values_free(&vals);
    }
  }
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
  tcase_add_test(tc, three_a_in_process);
  tcase_add_test(tc, three_a_dying);
  tcase_add_test(tc, records_removed);
  tcase_add_test(tc, damaged_cursor);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
