/* test_corpus_index.c - the weight tree and the corpus index's pick. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "corpus_index.h"
#include "rng.h"
#include "weight_tree.h"

static size_t linear_find(const uint64_t *w, size_t n, uint64_t x) {
  size_t k = 0;
  for (; k + 1 < n; k++) {
    if (x < w[k])
      break;
    x -= w[k];
  }
  return k;
}

START_TEST(tree_matches_linear_scan) {
  cfz_wtree t;
  cfz_wtree_init(&t);
  uint64_t ref[300];
  size_t n = 0;
  uint64_t s = 42;
  for (int step = 0; step < 5000; step++) {
    uint64_t r = cfz_splitmix64(&s);
    if (n < 300 && (n == 0 || r % 3 == 0)) {
      ref[n] = r % 7 == 0 ? 0 : (r >> 8) % 1000 + 1;
      ck_assert_int_eq(cfz_wtree_push(&t, ref[n]), 0);
      n++;
    } else if (r % 11 == 0 && n > 1) {
      cfz_wtree_pop(&t);
      n--;
    } else {
      size_t k = (r >> 16) % n;
      ref[k] = (r >> 32) % 5000;
      cfz_wtree_set(&t, k, ref[k]);
    }
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++)
      total += ref[i];
    ck_assert_uint_eq(t.total, total);
    ck_assert_uint_eq(t.n, n);
    if (total == 0)
      continue;
    for (int q = 0; q < 4; q++) {
      uint64_t x = cfz_splitmix64(&s) % total;
      size_t want = linear_find(ref, n, x);
      ck_assert_uint_eq(cfz_wtree_find(&t, x), want);
      ck_assert_uint_gt(ref[want], 0);
    }
    ck_assert_uint_eq(cfz_wtree_find(&t, total - 1) < n, 1);
  }
  cfz_wtree_free(&t);
}
END_TEST

/* The weights of corpus_index.c, computed from scratch over the whole
 * corpus at each pick (what the pick did before the weight tree). */
static uint64_t ref_weight(const cfz_corpus_index *ix, size_t k) {
  const cfz_entry *e = &ix->e[k];
  uint64_t w =
      16 + 4 * (uint64_t)(e->new_features < 256 ? e->new_features : 256);
  if (k + ix->n / 10 + 1 >= ix->n)
    w *= 4;
  return w * 1024 / (16 + e->picks);
}

START_TEST(pick_follows_the_weights) {
  cfz_corpus_index ix;
  cfz_index_init(&ix);
  uint64_t s = 7;
  uint64_t w[600];
  for (uint32_t i = 0; i < 600; i++) {
    uint32_t v = i;
    ck_assert_int_eq(cfz_index_add(&ix, (const uint8_t *)&v, sizeof v, NULL,
                                   (uint32_t)(cfz_splitmix64(&s) % 40)),
                     (long)i);
    if (i == 3)
      cfz_index_set_features(&ix, 1, 300);
    ck_assert_int_eq(cfz_index_add(&ix, (const uint8_t *)&v, sizeof v, NULL, 0),
                     -2);
    for (int p = 0; p < 3; p++) {
      uint64_t total = 0;
      for (size_t k = 0; k < ix.n; k++)
        total += w[k] = ref_weight(&ix, k);
      ck_assert_uint_eq(ix.weights.total, total);
      uint64_t r = cfz_splitmix64(&s);
      uint64_t x = (uint64_t)(((unsigned __int128)r * total) >> 64);
      size_t want = linear_find(w, ix.n, x);
      uint64_t before = ix.e[want].picks;
      ck_assert_uint_eq(cfz_index_pick(&ix, r), want);
      ck_assert_uint_eq(ix.e[want].picks, before + 1);
    }
  }
  cfz_index_free(&ix);
}
END_TEST

int main(void) {
  Suite *s = suite_create("corpus_index");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, tree_matches_linear_scan);
  tcase_add_test(tc, pick_follows_the_weights);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
