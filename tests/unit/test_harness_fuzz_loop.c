/* Unit tests for the fuzz loop (fuzz_loop.h) run in this process: a batch
 * against a target that sets a counter of its own, with a shared-memory
 * region and a global coverage map of our own. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base_pool.h"
#include "coverage.h"
#include "fuzz_loop.h"
#include "wire.h"

void __sanitizer_cov_8bit_counters_init(uint8_t *start, uint8_t *stop);

static uint8_t counters[64] __attribute__((aligned(8)));

/* Hits one counter on every execution: new coverage on the first
 * execution of a batch whose global map is empty, never when it is full. */
static void fuzz_one_edge(cfz_t *t, const cfz_value *a) {
  (void)t;
  (void)a;
  counters[0]++;
}
CFZ_TARGET(OneEdge, NULL, fuzz_one_edge, CFZ_BYTES)

#define CAP 4096u

typedef struct region {
  cfz_shm_view shm;
  uint8_t *global;
} region;

static void region_init(region *r) {
  r->shm = (cfz_shm_view){0};
  r->shm.base = calloc(1, cfz_shm_region_size(CAP));
  ck_assert_ptr_nonnull(r->shm.base);
  r->shm.hdr = r->shm.base;
  r->shm.hdr->value_capacity = CAP;
  r->global = calloc(1, CFZ_MAX_FEATURES);
  ck_assert_ptr_nonnull(r->global);
  r->shm.global = r->global;
}

static void region_free(region *r) {
  free(r->shm.base);
  free(r->global);
}

/* Writes the one-bytes input s to the value area; returns its wire length. */
static size_t put(region *r, const char *s, size_t n) {
  cfz_value v = CFZ_V_BYTES(s, n);
  size_t len = cfz_wire_encode(&v, 1, cfz_shm_value(r->shm.base), CAP);
  ck_assert_uint_gt(len, 0);
  r->shm.hdr->value_len = len;
  return len;
}

/* A find's pool add may move other inputs' indices (a full pool replaces a
 * random input by its last one, and the find takes the last place): the
 * batch's last cost window, on the driver's base, is noted before the add,
 * on the base itself, never on the find. */
START_TEST(find_cost_goes_to_its_base) {
  __sanitizer_cov_8bit_counters_init(counters, counters + sizeof counters);
  const cfz_target *t = cfz_registry_find("OneEdge");
  ck_assert_ptr_nonnull(t);
  cfz_mutator *m = cfz_mutator_new(t->params, t->nparams, 64, NULL);
  ck_assert_ptr_nonnull(m);
  region r;
  region_init(&r);
  cfz_pool_clear();
  char err[256];
  cfz_fuzz_result res;

  /* Past the warm-up executions (no cost noted before), finding nothing:
   * the global map holds every bucket. */
  memset(r.global, 0xff, CFZ_MAX_FEATURES);
  put(&r, "warm", 4);
  cfz_fuzz_args a = {.max_execs = 400, .seed = 1};
  ck_assert_int_eq(cfz_fuzz_batch(t, &r.shm, m, &a, &res, err, sizeof err), 0);
  ck_assert_int_eq(res.status, CFZ_FUZZ_NONE);
  ck_assert_uint_eq(res.execs, 400);

  /* A full pool once the batch's base joins it, at the last index. */
  uint8_t wire[64];
  for (uint32_t i = 0; cfz_pool_size() < CFZ_POOL_CAP - 1; i++) {
    char fill[16];
    memset(fill, 'f', sizeof fill);
    memcpy(fill, &i, sizeof i);
    cfz_value v = CFZ_V_BYTES(fill, sizeof fill);
    size_t n = cfz_wire_encode(&v, 1, wire, sizeof wire);
    ck_assert_uint_gt(n, 0);
    cfz_pool_add(wire, n, &(cfz_rng){i});
  }
  size_t base_len = put(&r, "base", 4);
  memcpy(wire, cfz_shm_value(r.shm.base), base_len);

  /* The first execution finds something new. */
  memset(r.global, 0, CFZ_MAX_FEATURES);
  a = (cfz_fuzz_args){.max_execs = 100, .seed = 2};
  ck_assert_int_eq(cfz_fuzz_batch(t, &r.shm, m, &a, &res, err, sizeof err), 0);
  ck_assert_int_eq(res.status, CFZ_FUZZ_NEW);
  ck_assert_uint_eq(res.execs, 1);
  ck_assert_uint_eq(cfz_pool_size(), CFZ_POOL_CAP);
  size_t found = cfz_pool_find(cfz_shm_value(r.shm.base), r.shm.hdr->value_len);
  ck_assert_uint_ne(found, SIZE_MAX);
  ck_assert_uint_eq(cfz_pool_cost_samples(found), 0);
  size_t base = cfz_pool_find(wire, base_len);
  if (base != SIZE_MAX) /* not the input the find replaced */
    ck_assert_uint_eq(cfz_pool_cost_samples(base), 1);

  cfz_pool_clear();
  cfz_mutator_free(m);
  region_free(&r);
}
END_TEST

int main(void) {
  Suite *s = suite_create("fuzz_loop");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, find_cost_goes_to_its_base);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
