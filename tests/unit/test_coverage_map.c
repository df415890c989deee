/* Unit tests for the driver's global coverage map: what a merge adds and
 * what it counts as edges. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "coverage_map.h"

static void init(cfz_coverage_map *m) {
  char err[256];
  ck_assert_msg(cfz_covmap_init(m, err, sizeof err) == 0, "%s", err);
}

START_TEST(merge_counts_new_bits_once) {
  cfz_coverage_map m;
  init(&m);
  uint8_t snap[8] = {1, 0, 3, 0, 0, 0, 0, 0x80};
  ck_assert_uint_eq(cfz_covmap_merge(&m, snap, sizeof snap), 4);
  ck_assert_uint_eq(m.features, 4);
  ck_assert_uint_eq(m.edges, 3);
  /* the same snapshot again adds nothing; a new bucket of a known slot
   * is a feature, not an edge */
  ck_assert_uint_eq(cfz_covmap_merge(&m, snap, sizeof snap), 0);
  snap[0] = 2;
  ck_assert_uint_eq(cfz_covmap_merge(&m, snap, sizeof snap), 1);
  ck_assert_uint_eq(m.features, 5);
  ck_assert_uint_eq(m.edges, 3);
  cfz_covmap_free(&m);
}
END_TEST

START_TEST(edges_count_code_slots_only) {
  cfz_coverage_map m;
  init(&m);
  m.edge_slots = 4; /* slots 4.. are extra features (compare distances) */
  uint8_t snap[8] = {1, 0, 1, 0, 0xff, 1, 0, 1};
  ck_assert_uint_eq(cfz_covmap_merge(&m, snap, sizeof snap), 12);
  ck_assert_uint_eq(m.features, 12);
  ck_assert_uint_eq(m.edges, 2);
  cfz_covmap_free(&m);
}
END_TEST

int main(void) {
  Suite *s = suite_create("coverage_map");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, merge_counts_new_bits_once);
  tcase_add_test(tc, edges_count_code_slots_only);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
