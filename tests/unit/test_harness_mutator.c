/* Unit tests for the mutator and the comparison tables it draws from. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "auto_dict.h"
#include "base_pool.h"
#include "cmp_trace.h"
#include "mutator.h"

void __sanitizer_cov_trace_const_cmp4(uint32_t a, uint32_t b);
void __sanitizer_cov_trace_cmp8(uint64_t a, uint64_t b);
void __sanitizer_cov_trace_switch(uint64_t val, uint64_t *cases);
void __sanitizer_cov_trace_const_cmp8(uint64_t a, uint64_t b);
void __sanitizer_cov_trace_cmp4(uint32_t a, uint32_t b);
void __sanitizer_cov_trace_cmpd(double a, double b);

static bool contains(const cfz_value *v, const void *pat, size_t k) {
  const uint8_t *d = v->v.bytes.data;
  size_t n = v->v.bytes.len;
  if (k > n)
    return false;
  for (size_t i = 0; i + k <= n; i++)
    if (d[i] == ((const uint8_t *)pat)[0] && !memcmp(d + i, pat, k))
      return true;
  return false;
}

static bool same_value(const cfz_value *a, const cfz_value *b) {
  if (a->type != b->type)
    return false;
  switch (a->type) {
  case CFZ_BYTES:
  case CFZ_STRING:
    return a->v.bytes.len == b->v.bytes.len &&
           (a->v.bytes.len == 0 ||
            !memcmp(a->v.bytes.data, b->v.bytes.data, a->v.bytes.len));
  case CFZ_BOOL:
    return a->v.b == b->v.b;
  case CFZ_FLOAT32:
    return !memcmp(&a->v.f32, &b->v.f32, sizeof(float));
  case CFZ_FLOAT64:
    return !memcmp(&a->v.f64, &b->v.f64, sizeof(double));
  default:
    return a->v.u == b->v.u;
  }
}

static const cfz_type all_types[] = {
    CFZ_BYTES,  CFZ_STRING,  CFZ_BOOL,   CFZ_INT8,   CFZ_INT16,
    CFZ_INT32,  CFZ_INT64,   CFZ_UINT8,  CFZ_UINT16, CFZ_UINT32,
    CFZ_UINT64, CFZ_FLOAT32, CFZ_FLOAT64};
#define N_ALL (sizeof all_types / sizeof all_types[0])

static void all_base(cfz_value *v) {
  v[0] = CFZ_V_BYTES("hello world 123", 15);
  v[1] = CFZ_V_STRING("key=value;n=42");
  v[2] = CFZ_V_BOOL(false);
  v[3] = CFZ_V_INT8(5);
  v[4] = CFZ_V_INT16(-300);
  v[5] = CFZ_V_INT32(100000);
  v[6] = CFZ_V_INT64(-5);
  v[7] = CFZ_V_UINT8(200);
  v[8] = CFZ_V_UINT16(1);
  v[9] = CFZ_V_UINT32(7);
  v[10] = CFZ_V_UINT64(0);
  v[11] = CFZ_V_FLOAT32(1.5f);
  v[12] = CFZ_V_FLOAT64(-2.25);
}

START_TEST(test_deterministic) {
  cfz_value base[N_ALL];
  all_base(base);
  cfz_mutator *m1 = cfz_mutator_new(all_types, N_ALL, 256, NULL);
  cfz_mutator *m2 = cfz_mutator_new(all_types, N_ALL, 256, NULL);
  ck_assert_ptr_nonnull(m1);
  ck_assert_ptr_nonnull(m2);
  ck_assert_int_eq(cfz_mutator_set_base(m1, base), 0);
  ck_assert_int_eq(cfz_mutator_set_base(m2, base), 0);
  cfz_mutator_seed(m1, 1234);
  cfz_mutator_seed(m2, 1234);
  for (int i = 0; i < 20000; i++) {
    const cfz_value *a = cfz_mutator_next(m1), *b = cfz_mutator_next(m2);
    for (size_t k = 0; k < N_ALL; k++)
      ck_assert(same_value(&a[k], &b[k]));
  }
  /* A different seed gives a different sequence. */
  cfz_mutator_seed(m1, 1);
  cfz_mutator_seed(m2, 2);
  int differ = 0;
  for (int i = 0; i < 100; i++) {
    const cfz_value *a = cfz_mutator_next(m1), *b = cfz_mutator_next(m2);
    for (size_t k = 0; k < N_ALL; k++)
      differ += !same_value(&a[k], &b[k]);
  }
  ck_assert_int_gt(differ, 0);
  cfz_mutator_free(m1);
  cfz_mutator_free(m2);
}
END_TEST

START_TEST(test_types_mismatch) {
  cfz_type t[2] = {CFZ_BYTES, CFZ_INT32};
  cfz_value v[2] = {CFZ_V_BYTES("x", 1), CFZ_V_INT64(1)};
  cfz_mutator *m = cfz_mutator_new(t, 2, 16, NULL);
  ck_assert_int_eq(cfz_mutator_set_base(m, v), -1);
  cfz_mutator_free(m);
}
END_TEST

START_TEST(test_max_len_and_ranges) {
  static cfz_dict_entry entries[2] = {{"MAGICWORD", 9},
                                      {"0123456789abcdef", 16}};
  cfz_dict dict = {entries, 2};
  /* Fill the comparison tables so that every strategy can run. */
  cfz_cmp_set_active(true);
  __sanitizer_cov_trace_const_cmp4(0xdeadbeef, 0x41424344);
  __sanitizer_cov_trace_cmp8(0x1122334455667788ULL, 77);
  int (*volatile mc)(const void *, const void *, size_t) = memcmp;
  (void)mc("abcdefghijklmnopqrstuvwxyz0123456789",
           "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 36);
  cfz_cmp_set_active(false);

  const size_t max_len = 64;
  cfz_value base[N_ALL], aux[N_ALL];
  all_base(base);
  all_base(aux);
  static uint8_t big[200];
  memset(big, 'Z', sizeof big);
  aux[0] = CFZ_V_BYTES(big, sizeof big); /* longer than max_len */
  cfz_mutator *m = cfz_mutator_new(all_types, N_ALL, max_len, &dict);
  ck_assert_int_eq(cfz_mutator_set_base(m, base), 0);
  cfz_mutator_set_splice(m, aux);
  cfz_mutator_seed(m, 99);
  size_t longest = 0;
  for (int i = 0; i < 100000; i++) {
    const cfz_value *v = cfz_mutator_next(m);
    for (size_t k = 0; k < 2; k++) {
      ck_assert_ptr_nonnull(v[k].v.bytes.data);
      ck_assert_uint_le(v[k].v.bytes.len, max_len);
      if (v[k].v.bytes.len > longest)
        longest = v[k].v.bytes.len;
    }
    ck_assert_uint_eq(v[1].v.bytes.data[v[1].v.bytes.len], 0);
    ck_assert_int_ge(v[3].v.i, INT8_MIN);
    ck_assert_int_le(v[3].v.i, INT8_MAX);
    ck_assert_int_ge(v[4].v.i, INT16_MIN);
    ck_assert_int_le(v[4].v.i, INT16_MAX);
    ck_assert_int_ge(v[5].v.i, INT32_MIN);
    ck_assert_int_le(v[5].v.i, INT32_MAX);
    ck_assert_uint_le(v[7].v.u, UINT8_MAX);
    ck_assert_uint_le(v[8].v.u, UINT16_MAX);
    ck_assert_uint_le(v[9].v.u, UINT32_MAX);
  }
  ck_assert_uint_eq(longest, max_len);
  cfz_mutator_free(m);
}
END_TEST

START_TEST(test_every_type_mutates) {
  for (size_t t = 0; t < N_ALL; t++) {
    cfz_value base[N_ALL];
    all_base(base);
    cfz_mutator *m = cfz_mutator_new(&all_types[t], 1, 64, NULL);
    ck_assert_int_eq(cfz_mutator_set_base(m, &base[t]), 0);
    cfz_mutator_seed(m, 7 + t);
    int changed = 0;
    for (int i = 0; i < 100; i++)
      changed += !same_value(cfz_mutator_next(m), &base[t]);
    ck_assert_msg(changed >= 50, "type %zu changed only %d times", t, changed);
    cfz_mutator_free(m);
  }
}
END_TEST

START_TEST(test_empty_input_grows) {
  cfz_type t = CFZ_BYTES;
  cfz_value v = CFZ_V_BYTES(NULL, 0);
  cfz_mutator *m = cfz_mutator_new(&t, 1, 32, NULL);
  ck_assert_int_eq(cfz_mutator_set_base(m, &v), 0);
  int nonempty = 0;
  for (int i = 0; i < 100; i++)
    nonempty += cfz_mutator_next(m)->v.bytes.len != 0;
  ck_assert_int_gt(nonempty, 50);
  cfz_mutator_free(m);
  /* max_len 0: nothing can change, nothing breaks. */
  m = cfz_mutator_new(&t, 1, 0, NULL);
  ck_assert_int_eq(cfz_mutator_set_base(m, &v), 0);
  for (int i = 0; i < 100; i++)
    ck_assert_uint_eq(cfz_mutator_next(m)->v.bytes.len, 0);
  cfz_mutator_free(m);
}
END_TEST

START_TEST(test_splice_uses_aux) {
  cfz_type t = CFZ_BYTES;
  static uint8_t a[32];
  memset(a, 'a', sizeof a);
  cfz_value base = CFZ_V_BYTES(a, sizeof a);
  cfz_value aux = CFZ_V_BYTES("xxSPLICEMExx", 12);
  cfz_mutator *m = cfz_mutator_new(&t, 1, 128, NULL);
  ck_assert_int_eq(cfz_mutator_set_base(m, &base), 0);
  cfz_mutator_set_splice(m, &aux);
  int hits = 0;
  for (int i = 0; i < 5000; i++)
    hits += contains(cfz_mutator_next(m), "SPLI", 4);
  ck_assert_int_gt(hits, 0);
  /* Cleared: never again. */
  cfz_mutator_set_splice(m, NULL);
  for (int i = 0; i < 5000; i++)
    ck_assert(!contains(cfz_mutator_next(m), "SPLI", 4));
  cfz_mutator_free(m);
}
END_TEST

START_TEST(test_dictionary) {
  static cfz_dict_entry entries[1] = {{"MAGICWORD", 9}};
  cfz_dict dict = {entries, 1};
  cfz_type t = CFZ_STRING;
  cfz_value base = CFZ_V_STRING("some text here");
  cfz_mutator *m = cfz_mutator_new(&t, 1, 128, &dict);
  ck_assert_int_eq(cfz_mutator_set_base(m, &base), 0);
  int first = -1;
  for (int i = 0; i < 2000 && first < 0; i++)
    if (contains(cfz_mutator_next(m), "MAGICWORD", 9))
      first = i;
  ck_assert_int_ge(first, 0);
  cfz_mutator_free(m);
}
END_TEST

static int steps_to_int(cfz_type t, uint32_t want) {
  cfz_value base = t == CFZ_INT32 ? CFZ_V_INT32(17) : CFZ_V_UINT32(17);
  cfz_mutator *m = cfz_mutator_new(&t, 1, 0, NULL);
  ck_assert_int_eq(cfz_mutator_set_base(m, &base), 0);
  cfz_mutator_seed(m, 5);
  int found = -1;
  for (int i = 0; i < 2000 && found < 0; i++) {
    const cfz_value *v = cfz_mutator_next(m);
    uint32_t got = t == CFZ_INT32 ? (uint32_t)v->v.i : (uint32_t)v->v.u;
    if (t == CFZ_INT32)
      ck_assert_int_eq(v->v.i, (int32_t)got);
    if (got == want)
      found = i;
  }
  cfz_mutator_free(m);
  return found;
}

START_TEST(test_cmp_int_operands) {
  ck_assert_uint_eq(cfz_cmp_int_entries(), 0);
  /* Not recorded while inactive. */
  __sanitizer_cov_trace_const_cmp4(0xdeadbeef, 17);
  ck_assert_uint_eq(cfz_cmp_int_entries(), 0);
  ck_assert(cfz_cmp_seen());
  cfz_cmp_set_active(true);
  __sanitizer_cov_trace_const_cmp4(0xdeadbeef, 17);
  __sanitizer_cov_trace_const_cmp4(5, 5); /* trivial: skipped */
  cfz_cmp_set_active(false);
  ck_assert_uint_eq(cfz_cmp_int_entries(), 1);

  cfz_rng r;
  cfz_rng_seed(&r, 1);
  uint64_t a, b;
  unsigned size;
  ck_assert(cfz_cmp_pick_int(&r, &a, &b, &size));
  ck_assert_uint_eq(a, 17);
  ck_assert_uint_eq(b, 0xdeadbeef);
  ck_assert_uint_eq(size, 4);

  ck_assert_int_ge(steps_to_int(CFZ_INT32, 0xdeadbeef), 0);
  ck_assert_int_ge(steps_to_int(CFZ_UINT32, 0xdeadbeef), 0);

  /* A bytes parameter gets the constant's little-endian encoding. */
  cfz_type t = CFZ_BYTES;
  cfz_value base = CFZ_V_BYTES("\x11\x00\x00\x00 plus some more bytes", 25);
  cfz_mutator *m = cfz_mutator_new(&t, 1, 64, NULL);
  ck_assert_int_eq(cfz_mutator_set_base(m, &base), 0);
  int found = -1;
  for (int i = 0; i < 2000 && found < 0; i++)
    if (contains(cfz_mutator_next(m), "\xef\xbe\xad\xde", 4))
      found = i;
  ck_assert_int_ge(found, 0);
  cfz_mutator_free(m);
}
END_TEST

START_TEST(test_switch) {
  uint64_t cases[] = {4, 32, 1, 10, 100, 1000};
  cfz_cmp_set_active(true);
  __sanitizer_cov_trace_switch(50, cases);
  cfz_cmp_set_active(false);
  ck_assert_uint_ge(cfz_cmp_int_entries(), 2);
  cfz_rng r;
  cfz_rng_seed(&r, 3);
  bool saw10 = false, saw100 = false;
  for (int i = 0; i < 200; i++) {
    uint64_t a, b;
    unsigned size;
    ck_assert(cfz_cmp_pick_int(&r, &a, &b, &size));
    ck_assert_uint_eq(a, 50);
    ck_assert_uint_eq(size, 4);
    saw10 |= b == 10;
    saw100 |= b == 100;
  }
  ck_assert(saw10 && saw100);
}
END_TEST

/* Calls through volatile pointers so the compiler cannot inline them. */
static int (*volatile v_memcmp)(const void *, const void *, size_t) = memcmp;
static int (*volatile v_strcmp)(const char *, const char *) = strcmp;
static int (*volatile v_strncmp)(const char *, const char *, size_t) = strncmp;
static int (*volatile v_strcasecmp)(const char *, const char *) = strcasecmp;
static int (*volatile v_strncasecmp)(const char *, const char *,
                                     size_t) = strncasecmp;
static char *(*volatile v_strstr)(const char *, const char *) = strstr;
static char *(*volatile v_strcasestr)(const char *, const char *) = strcasestr;
static void *(*volatile v_memmem)(const void *, size_t, const void *,
                                  size_t) = memmem;

START_TEST(test_interceptor_results) {
  ck_assert_int_eq(v_memcmp("abc", "abc", 3), 0);
  ck_assert_int_lt(v_memcmp("abcdefghij1", "abcdefghij2", 11), 0);
  ck_assert_int_gt(v_memcmp("\xff", "\x01", 1), 0);
  ck_assert_int_eq(v_memcmp("x", "y", 0), 0);
  ck_assert_int_eq(v_strcmp("", ""), 0);
  ck_assert_int_lt(v_strcmp("ab", "abc"), 0);
  ck_assert_int_gt(v_strcmp("b", "abc"), 0);
  ck_assert_int_eq(v_strncmp("abcX", "abcY", 3), 0);
  ck_assert_int_lt(v_strncmp("abcX", "abcY", 4), 0);
  ck_assert_int_eq(v_strcasecmp("HeLLo", "hello"), 0);
  ck_assert_int_ne(v_strcasecmp("HeLLo", "help"), 0);
  ck_assert_int_eq(v_strncasecmp("ABCx", "abcy", 3), 0);
  const char *h = "the quick brown fox";
  ck_assert_ptr_eq(v_strstr(h, "brown"), h + 10);
  ck_assert_ptr_eq(v_strstr(h, ""), h);
  ck_assert_ptr_null(v_strstr(h, "browns"));
  ck_assert_ptr_eq(v_strcasestr(h, "QUICK"), h + 4);
  ck_assert_ptr_eq(v_memmem(h, 19, "fox", 3), h + 16);
  ck_assert_ptr_null(v_memmem(h, 18, "fox", 3));
  ck_assert_ptr_eq(v_memmem(h, 19, "", 0), h);
  ck_assert_uint_eq(cfz_cmp_bytes_entries(), 0); /* inactive */
}
END_TEST

START_TEST(test_memcmp_recorded) {
  cfz_cmp_set_active(true);
  int r = v_memcmp("HELLOWORLD", "HELXXXXXXX", 10);
  cfz_cmp_set_active(false);
  ck_assert_int_lt(r, 0);
  ck_assert_uint_eq(cfz_cmp_bytes_entries(), 1);
  cfz_rng rng;
  cfz_rng_seed(&rng, 11);
  bool saw_a = false, saw_b = false;
  for (int i = 0; i < 64; i++) {
    uint8_t a[CFZ_CMP_MAX_BYTES], b[CFZ_CMP_MAX_BYTES];
    size_t al, bl;
    ck_assert(cfz_cmp_pick_bytes(&rng, a, &al, b, &bl));
    ck_assert_uint_eq(al, 10);
    ck_assert_uint_eq(bl, 10);
    bool ab = !memcmp(a, "HELLOWORLD", 10) && !memcmp(b, "HELXXXXXXX", 10);
    bool ba = !memcmp(b, "HELLOWORLD", 10) && !memcmp(a, "HELXXXXXXX", 10);
    ck_assert(ab || ba);
    saw_a |= ab;
    saw_b |= ba;
  }
  ck_assert(saw_a && saw_b);
}
END_TEST

START_TEST(test_string_hooks_recorded) {
  cfz_cmp_set_active(true);
  (void)v_strcmp("MA", "MAGICWORD");
  (void)v_strstr("haystack text", "NEEDLE");
  cfz_cmp_set_active(false);
  ck_assert_uint_eq(cfz_cmp_bytes_entries(), 2);
  cfz_rng rng;
  cfz_rng_seed(&rng, 2);
  bool saw_magic = false, saw_needle = false;
  for (int i = 0; i < 200; i++) {
    uint8_t a[CFZ_CMP_MAX_BYTES], b[CFZ_CMP_MAX_BYTES];
    size_t al, bl;
    ck_assert(cfz_cmp_pick_bytes(&rng, a, &al, b, &bl));
    if (bl == 9 && !memcmp(b, "MAGICWORD", 9))
      saw_magic = true;
    if (al == 13 || bl == 13) /* the haystack is never the side to write */
      ck_assert(al == 13 && bl == 6 && !memcmp(b, "NEEDLE", 6));
    if (bl == 6)
      saw_needle = true;
  }
  ck_assert(saw_magic && saw_needle);

  /* The mutator turns "MA" into "MAGICWORD" (replace a found operand). */
  cfz_type t = CFZ_STRING;
  cfz_value base = CFZ_V_STRING("x=MA;");
  cfz_mutator *m = cfz_mutator_new(&t, 1, 64, NULL);
  ck_assert_int_eq(cfz_mutator_set_base(m, &base), 0);
  int found = -1;
  for (int i = 0; i < 2000 && found < 0; i++)
    if (contains(cfz_mutator_next(m), "MAGICWORD", 9))
      found = i;
  ck_assert_int_ge(found, 0);
  cfz_mutator_free(m);
}
END_TEST

/* ---- input-to-state with transforms ---- */

/* Mutations of the bytes base until one contains pat: the step, or -1. */
static int steps_to_pattern(const void *base, size_t blen, const void *pat,
                            size_t plen, bool transforms) {
  if (!transforms)
    setenv("CFZ_I2S_TRANSFORMS", "0", 1);
  cfz_type t = CFZ_BYTES;
  cfz_value v = CFZ_V_BYTES(base, blen);
  cfz_mutator *m = cfz_mutator_new(&t, 1, 64, NULL);
  unsetenv("CFZ_I2S_TRANSFORMS");
  ck_assert_ptr_nonnull(m);
  ck_assert_int_eq(cfz_mutator_set_base(m, &v), 0);
  cfz_mutator_seed(m, 5);
  int found = -1;
  for (int i = 0; i < 5000 && found < 0; i++)
    if (contains(cfz_mutator_next(m), pat, plen))
      found = i;
  cfz_mutator_free(m);
  return found;
}

/* Found with the transforms, never without. */
static void check_form(const char *base, size_t blen, const char *want,
                       size_t wlen) {
  ck_assert_msg(steps_to_pattern(base, blen, want, wlen, true) >= 0,
                "%.*s not made", (int)wlen, want);
  ck_assert_int_lt(steps_to_pattern(base, blen, want, wlen, false), 0);
}

START_TEST(test_i2s_decimal) {
  cfz_cmp_set_active(true);
  __sanitizer_cov_trace_const_cmp4(73914265, 1234); /* 1234 == 73914265 */
  __sanitizer_cov_trace_const_cmp8((uint64_t)-5000, (uint64_t)-77);
  __sanitizer_cov_trace_const_cmp4(9, 42);
  cfz_cmp_set_active(false);
  check_form("n=1234;", 7, "n=73914265;", 11);
  check_form("v=-77;", 6, "v=-5000;", 8);
  check_form("k=0042;", 7, "k=0009;", 7); /* same digit count */
}
END_TEST

START_TEST(test_i2s_hex) {
  cfz_cmp_set_active(true);
  __sanitizer_cov_trace_const_cmp4(0xc0ffee42, 0xbeef);
  cfz_cmp_set_active(false);
  check_form("id:beef;", 8, "id:c0ffee42;", 12);
  check_form("id:BEEF;", 8, "id:C0FFEE42;", 12); /* same case */
  check_form("id:0000beef;", 12, "id:c0ffee42;", 12);
}
END_TEST

START_TEST(test_i2s_swapped_and_widths) {
  cfz_cmp_set_active(true);
  __sanitizer_cov_trace_const_cmp4(0x5eedf00d, 0x11223344);
  /* A 16-bit field sign-extended to 64 bits before the compare. */
  __sanitizer_cov_trace_const_cmp8((uint64_t)-12345, (uint64_t)-300);
  cfz_cmp_set_active(false);
  check_form("hd\x11\x22\x33\x44tail", 10, "hd\x5e\xed\xf0\x0dtail", 10);
  /* -300 = 0xfed4 and -12345 = 0xcfc7, little endian */
  check_form("ab\xd4\xfe"
             "cd",
             6,
             "ab\xc7\xcf"
             "cd",
             6);
}
END_TEST

START_TEST(test_i2s_offset) {
  cfz_cmp_set_active(true);
  /* The target compared field - 13 with 0x1337c0de; the field holds
   * 0x11223344, so the operand seen is 0x11223337. */
  __sanitizer_cov_trace_cmp4(0x11223344u - 13, 0x1337c0deu);
  cfz_cmp_set_active(false);
  /* 0x1337c0de + 13 = 0x1337c0eb */
  check_form("hd\x44\x33\x22\x11tail", 10, "hd\xeb\xc0\x37\x13tail", 10);
}
END_TEST

START_TEST(test_i2s_case_folded) {
  cfz_cmp_set_active(true);
  /* The target upper-cased "Open-Door" before comparing. */
  (void)v_memcmp("OPEN-DOOR", "SHUT-GATE", 9);
  cfz_cmp_set_active(false);
  check_form("cmd Open-Door", 13, "cmd Shut-Gate", 13);
}
END_TEST

START_TEST(test_i2s_float) {
  cfz_cmp_set_active(true);
  __sanitizer_cov_trace_cmpd(2.5, 1234.5625);
  cfz_cmp_set_active(false);
  check_form("x=2.5;", 6, "x=1234.5625;", 12);
  /* A typed float64 parameter takes the other operand's value. */
  cfz_type t = CFZ_FLOAT64;
  cfz_value v = CFZ_V_FLOAT64(2.5);
  cfz_mutator *m = cfz_mutator_new(&t, 1, 64, NULL);
  ck_assert_int_eq(cfz_mutator_set_base(m, &v), 0);
  bool found = false;
  for (int i = 0; i < 5000 && !found; i++)
    found = cfz_mutator_next(m)[0].v.f64 == 1234.5625;
  ck_assert(found);
  cfz_mutator_free(m);
}
END_TEST

/* Auto-dictionary: the operand a mutation wrote from a recorded compare
 * joins it when its chain found something new (cfz_mutator_keep_tokens),
 * and later mutations insert it although no compare offers it any more; a
 * chain that wrote no compared operand adds nothing. */
START_TEST(test_auto_dictionary) {
  cfz_type t = CFZ_BYTES;
  static uint8_t a[32];
  memset(a, 'a', sizeof a);
  cfz_value base = CFZ_V_BYTES(a, sizeof a);
  cfz_mutator *m = cfz_mutator_new(&t, 1, 128, NULL);
  ck_assert_int_eq(cfz_mutator_set_base(m, &base), 0);
  for (int i = 0; i < 500; i++) {
    cfz_mutator_next(m);
    cfz_mutator_keep_tokens(m);
  }
  ck_assert_uint_eq(cfz_auto_dict_size(), 0);
  cfz_cmp_set_active(true);
  ck_assert_int_ne(v_memcmp("aaTOKEN-XY42", "TOKEN-XY42aa", 12), 0);
  cfz_cmp_set_active(false);
  int i = 0;
  while (i < 5000 && !contains(cfz_mutator_next(m), "TOKEN-XY42", 10))
    i++;
  ck_assert_int_lt(i, 5000);
  cfz_mutator_keep_tokens(m);
  ck_assert_uint_ge(cfz_auto_dict_size(), 1);
  /* The compare gone (a fresh table would not offer it): the
   * auto-dictionary still does. */
  cfz_rng r;
  cfz_rng_seed(&r, 3);
  bool kept = false;
  for (int k = 0; k < 100; k++) {
    size_t len;
    const uint8_t *p = cfz_auto_dict_pick(&r, &len);
    kept |= len == 12 && (memcmp(p, "aaTOKEN-XY42", 12) == 0 ||
                          memcmp(p, "TOKEN-XY42aa", 12) == 0);
  }
  ck_assert(kept);
  cfz_mutator_free(m);
}
END_TEST

/* The worker's base pool: de-duplicated by content, bounded, every input
 * picked. */
START_TEST(test_base_pool) {
  cfz_rng r;
  cfz_rng_seed(&r, 1);
  ck_assert_ptr_null(cfz_pool_pick(&r, &(size_t){0}, NULL));
  /* The index of the input, new or already there (cfz_pool_find's). */
  ck_assert_uint_eq(cfz_pool_add((const uint8_t *)"one", 3, &r), 0);
  ck_assert_uint_eq(cfz_pool_add((const uint8_t *)"two", 3, &r), 1);
  ck_assert_uint_eq(cfz_pool_add((const uint8_t *)"one", 3, &r), 0);
  ck_assert_uint_eq(cfz_pool_find((const uint8_t *)"two", 3), 1);
  ck_assert(cfz_pool_holds(1, (const uint8_t *)"two", 3));
  ck_assert(!cfz_pool_holds(0, (const uint8_t *)"two", 3));
  ck_assert(!cfz_pool_holds(2, (const uint8_t *)"two", 3));
  ck_assert_uint_eq(cfz_pool_size(), 2);
  int seen[2] = {0, 0};
  for (int i = 0; i < 200; i++) {
    size_t len;
    const uint8_t *p = cfz_pool_pick(&r, &len, NULL);
    ck_assert_uint_eq(len, 3);
    seen[memcmp(p, "one", 3) == 0 ? 0 : 1]++;
  }
  ck_assert(seen[0] > 0 && seen[1] > 0);
  for (uint32_t i = 0; i < CFZ_POOL_CAP + 100; i++) {
    size_t k = cfz_pool_add((const uint8_t *)&i, sizeof i, &r);
    ck_assert(cfz_pool_holds(k, (const uint8_t *)&i, sizeof i));
  }
  ck_assert_uint_eq(cfz_pool_size(), CFZ_POOL_CAP);
  cfz_pool_clear();
  ck_assert_uint_eq(cfz_pool_size(), 0);
}
END_TEST

/* Mean picks per picked input of inputs [from, to) (a full pool dropped
 * some: they have none). */
static double mean_picks(const unsigned *counts, uint32_t from, uint32_t to) {
  double sum = 0, n = 0;
  for (uint32_t i = from; i < to; i++) {
    sum += counts[i];
    n += counts[i] > 0;
  }
  return n ? sum / n : 0;
}

/* The pool favours recent arrivals: the newest inputs are picked about 8x
 * as often as those CFZ_POOL_RECENT or more arrivals old; none starves;
 * the weights stay right as full pools drop inputs. */
START_TEST(test_base_pool_recency) {
  enum { N = 1024, PICKS = 64000, BIG = CFZ_POOL_CAP + 3000 };
  static unsigned counts[BIG];
  cfz_rng r;
  cfz_rng_seed(&r, 7);
  for (uint32_t i = 0; i < N; i++)
    cfz_pool_add((const uint8_t *)&i, sizeof i, &r);
  for (int k = 0; k < PICKS; k++) {
    size_t len;
    uint32_t v;
    memcpy(&v, cfz_pool_pick(&r, &len, NULL), sizeof v);
    ck_assert_uint_eq(len, sizeof v);
    ck_assert_uint_lt(v, N);
    counts[v]++;
  }
  for (uint32_t i = 0; i < N; i++)
    ck_assert_msg(counts[i] > 0, "input %u never picked", i);
  double ratio = mean_picks(counts, N - 32, N) / mean_picks(counts, 0, 512);
  ck_assert_msg(ratio > 6 && ratio < 10, "newest/oldest %.2f", ratio);
  cfz_pool_clear();
  memset(counts, 0, sizeof counts);
  for (uint32_t i = 0; i < BIG; i++) /* 3,000 drops */
    cfz_pool_add((const uint8_t *)&i, sizeof i, &r);
  ck_assert_uint_eq(cfz_pool_size(), CFZ_POOL_CAP);
  for (int k = 0; k < PICKS; k++) {
    size_t len;
    uint32_t v;
    memcpy(&v, cfz_pool_pick(&r, &len, NULL), sizeof v);
    ck_assert_uint_lt(v, BIG);
    counts[v]++;
  }
  ratio = mean_picks(counts, BIG - 32, BIG) / mean_picks(counts, 0, BIG - 512);
  ck_assert_msg(ratio > 6 && ratio < 10, "newest/older %.2f", ratio);
  cfz_pool_clear();
}
END_TEST

/* Picks PICKS inputs of the pool (4-byte inputs numbered 0..N-1) into
 * counts. */
static void count_picks(cfz_rng *r, unsigned *counts, uint32_t n, int picks) {
  for (int k = 0; k < picks; k++) {
    size_t len, index;
    uint32_t v;
    memcpy(&v, cfz_pool_pick(r, &len, &index), sizeof v);
    ck_assert_uint_eq(len, sizeof v);
    ck_assert_uint_lt(v, n);
    ck_assert_uint_eq(cfz_pool_find((const uint8_t *)&v, sizeof v), index);
    counts[v]++;
  }
}

/* The slow-input rule (exec_cost.h): in a pool of 64 inputs that cost
 * 100-163 us (median about 132), one measured at 3.2 ms (24x) is picked
 * about 1/16 as often as its neighbours, yet picked; one at 10 us about
 * twice as often.  Two measurements are not enough to be slow. */
START_TEST(test_base_pool_slow_inputs) {
  enum { N = 64, PICKS = 64000 };
  static unsigned counts[N];
  cfz_rng r;
  cfz_rng_seed(&r, 3);
  for (uint32_t i = 0; i < N; i++)
    cfz_pool_add((const uint8_t *)&i, sizeof i, &r);
  for (int round = 0; round < 3; round++)
    for (uint32_t i = 0; i < N; i++) {
      uint64_t ns = i == 20 ? 3200000 : i == 40 ? 10000 : 100000 + 1000 * i;
      if (round < 2 || i != 30) /* 30: slow, measured twice */
        cfz_pool_note_cost(cfz_pool_find((const uint8_t *)&i, sizeof i),
                           i == 30 ? 5000000 : ns);
    }
  ck_assert_uint_gt(cfz_pool_cost_ref(), 100000);
  ck_assert_uint_lt(cfz_pool_cost_ref(), 200000);
  count_picks(&r, counts, N, PICKS);
  /* Inputs 8..N-1 arrived in the last CFZ_POOL_RECENT / 8: the same
   * recency weight. */
  double plain = 0;
  for (uint32_t i = 8; i < N; i++)
    if (i != 20 && i != 40)
      plain += counts[i];
  plain /= N - 10;
  ck_assert_msg(counts[20] > 0 && counts[20] < plain / 10 &&
                    counts[20] > plain / 28,
                "slow %u, plain %.0f", counts[20], plain);
  ck_assert_msg(counts[40] > 1.6 * plain && counts[40] < 2.5 * plain,
                "fast %u, plain %.0f", counts[40], plain);
  ck_assert_msg(counts[30] > plain / 1.4, "twice measured %u, plain %.0f",
                counts[30], plain);
  /* A third measurement makes it slow too. */
  uint32_t k = 30;
  cfz_pool_note_cost(cfz_pool_find((const uint8_t *)&k, sizeof k), 5000000);
  memset(counts, 0, sizeof counts);
  count_picks(&r, counts, N, PICKS);
  ck_assert_msg(counts[30] > 0 && counts[30] < plain / 20,
                "thrice measured %u, plain %.0f", counts[30], plain);
  /* One faster measurement does not bring it back (a cost is the
   * geometric mean of its measurements), nine do. */
  cfz_pool_note_cost(cfz_pool_find((const uint8_t *)&k, sizeof k), 100000);
  memset(counts, 0, sizeof counts);
  count_picks(&r, counts, N, PICKS);
  ck_assert_msg(counts[30] < plain / 4, "once faster %u, plain %.0f",
                counts[30], plain);
  for (int i = 0; i < 8; i++)
    cfz_pool_note_cost(cfz_pool_find((const uint8_t *)&k, sizeof k), 100000);
  memset(counts, 0, sizeof counts);
  count_picks(&r, counts, N, PICKS);
  ck_assert_msg(counts[30] > plain / 1.4, "back %u, plain %.0f", counts[30],
                plain);
  cfz_pool_clear();
  ck_assert_uint_eq(cfz_pool_cost_ref(), 0);
}
END_TEST

/* Stand-ins: a slow input (measured 3 times, 50 us or more) whose edges
 * are known asks for one at an eighth of its cost; one is added however
 * many are offered; unknown edges, a cost under the floor, too few
 * measurements or an index out of range ask for none. */
START_TEST(test_base_pool_standins) {
  cfz_rng r;
  cfz_rng_seed(&r, 5);
  for (uint32_t i = 0; i < 4; i++)
    cfz_pool_add((const uint8_t *)&i, sizeof i, &r);
  uint32_t e = 0;
  for (int m = 0; m < 3; m++) {
    cfz_pool_note_cost(0, 800000); /* slow, edges 40 */
    cfz_pool_note_cost(1, 800000); /* slow, edges unknown */
    cfz_pool_note_cost(2, 40000);  /* under the floor */
    if (m < 2)
      cfz_pool_note_cost(3, 800000); /* measured twice */
  }
  cfz_pool_set_edges(0, 40);
  cfz_pool_set_edges(2, 40);
  cfz_pool_set_edges(3, 40);
  cfz_pool_set_edges(99, 40); /* ignored */
  uint64_t limit = cfz_pool_standin_limit(0, &e);
  ck_assert_uint_ge(limit, 93000); /* 800 us / 8, within 7 % */
  ck_assert_uint_le(limit, 107000);
  ck_assert_uint_eq(e, 40);
  ck_assert_uint_eq(cfz_pool_standin_limit(1, &e), 0);
  ck_assert_uint_eq(cfz_pool_standin_limit(2, &e), 0);
  ck_assert_uint_eq(cfz_pool_standin_limit(3, &e), 0);
  ck_assert_uint_eq(cfz_pool_standin_limit(4, &e), 0);
  ck_assert_uint_eq(cfz_pool_standin_limit(SIZE_MAX, &e), 0);
  uint32_t w = 100;
  cfz_pool_add_standin(0, (const uint8_t *)&w, sizeof w, 41, &r);
  ck_assert_uint_eq(cfz_pool_size(), 5);
  size_t k = cfz_pool_find((const uint8_t *)&w, sizeof w);
  ck_assert_uint_lt(k, 5);
  ck_assert_uint_eq(cfz_pool_standin_limit(0, &e), 0); /* it has one */
  ck_assert_uint_eq(cfz_pool_standin_limit(k, &e), 0); /* not measured */
  for (int m = 0; m < 3; m++)
    cfz_pool_note_cost(k, 400000);
  ck_assert_uint_gt(cfz_pool_standin_limit(k, &e), 0);
  ck_assert_uint_eq(e, 41);
  w = 101;
  cfz_pool_add_standin(7, (const uint8_t *)&w, sizeof w, 41, &r);
  ck_assert_uint_eq(cfz_pool_size(), 5); /* no such base: nothing */
  cfz_pool_clear();
}
END_TEST

/* Where inputs cost about the same (here within 4x of each other, above
 * the floor), or run faster than the floor (within 40x), the picks are
 * exactly those of a pool without measurements: `-j 1 --seed` runs are
 * what they were. */
START_TEST(test_base_pool_even_costs) {
  enum { N = 300, PICKS = 5000 };
  static uint32_t seq[3][PICKS];
  for (int measured = 0; measured < 3; measured++) {
    cfz_rng r;
    cfz_rng_seed(&r, 11);
    uint64_t s = 5;
    for (uint32_t i = 0; i < N; i++) {
      cfz_pool_add((const uint8_t *)&i, sizeof i, &r);
      for (int m = 0; measured && m < 4; m++) {
        uint32_t j = (uint32_t)(cfz_splitmix64(&s) % (i + 1));
        uint64_t x = cfz_splitmix64(&s);
        cfz_pool_note_cost(cfz_pool_find((const uint8_t *)&j, sizeof j),
                           measured == 1 ? 100000 + x % 300000
                                         : 1000 + x % 39000);
      }
    }
    if (measured)
      ck_assert_uint_gt(cfz_pool_cost_ref(), 0);
    for (int k = 0; k < PICKS; k++) {
      size_t len;
      memcpy(&seq[measured][k], cfz_pool_pick(&r, &len, NULL), 4);
    }
    cfz_pool_clear();
  }
  ck_assert_mem_eq(seq[0], seq[1], sizeof seq[0]);
  ck_assert_mem_eq(seq[0], seq[2], sizeof seq[0]);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("harness_mutator");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_deterministic);
  tcase_add_test(tc, test_types_mismatch);
  tcase_add_test(tc, test_max_len_and_ranges);
  tcase_add_test(tc, test_every_type_mutates);
  tcase_add_test(tc, test_empty_input_grows);
  tcase_add_test(tc, test_splice_uses_aux);
  tcase_add_test(tc, test_dictionary);
  tcase_add_test(tc, test_cmp_int_operands);
  tcase_add_test(tc, test_switch);
  tcase_add_test(tc, test_interceptor_results);
  tcase_add_test(tc, test_memcmp_recorded);
  tcase_add_test(tc, test_auto_dictionary);
  tcase_add_test(tc, test_base_pool);
  tcase_add_test(tc, test_base_pool_recency);
  tcase_add_test(tc, test_base_pool_slow_inputs);
  tcase_add_test(tc, test_base_pool_even_costs);
  tcase_add_test(tc, test_base_pool_standins);
  tcase_add_test(tc, test_string_hooks_recorded);
  tcase_add_test(tc, test_i2s_decimal);
  tcase_add_test(tc, test_i2s_hex);
  tcase_add_test(tc, test_i2s_swapped_and_widths);
  tcase_add_test(tc, test_i2s_offset);
  tcase_add_test(tc, test_i2s_case_folded);
  tcase_add_test(tc, test_i2s_float);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(suite());
  /* The comparison tables are process-wide: one process per test. */
  srunner_set_fork_status(sr, CK_FORK);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
