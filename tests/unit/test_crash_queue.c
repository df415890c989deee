/* test_crash_queue.c - the minimize queue as a plain data structure. */
#include "crash_queue.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A failure killed by sig, with an owned one-byte input tag. */
static cfz_crash crash_of(int sig, uint8_t tag) {
  cfz_crash c = {.count = 1, .min_slot = -1};
  cfz_failure_from_exit(&c.fail, 0, sig, NULL);
  c.wire = malloc(1);
  ck_assert_ptr_nonnull(c.wire);
  c.wire[0] = tag;
  c.len = 1;
  snprintf(c.path, sizeof c.path, "crash-%u", tag);
  return c;
}

START_TEST(first_failure_is_minimized_now) {
  cfz_crash_queue q;
  cfz_crashq_init(&q, true);
  cfz_crash c = crash_of(11, 1);
  ck_assert(!cfz_crashq_seen(&q, &c.fail));
  cfz_crash *stored;
  ck_assert_int_eq(cfz_crashq_add(&q, &c, &stored), CFZ_CRASH_MINIMIZE_NOW);
  ck_assert_ptr_eq(stored, &q.current);
  ck_assert(q.active);
  ck_assert_uint_eq(q.current.wire[0], 1);
  cfz_crashq_free(&q);
}
END_TEST

START_TEST(keep_going_queues_and_dedups) {
  cfz_crash_queue q;
  cfz_crashq_init(&q, true);
  cfz_crash a = crash_of(11, 1), b = crash_of(6, 2), a2 = crash_of(11, 3);
  cfz_crash *stored;
  ck_assert_int_eq(cfz_crashq_add(&q, &a, &stored), CFZ_CRASH_MINIMIZE_NOW);
  ck_assert(!cfz_crashq_seen(&q, &b.fail));
  ck_assert_int_eq(cfz_crashq_add(&q, &b, &stored), CFZ_CRASH_QUEUED);
  ck_assert_uint_eq(stored->wire[0], 2);
  /* Same signature as the current one: a duplicate that counts. */
  ck_assert(cfz_crashq_seen(&q, &a2.fail));
  cfz_crash_free(&a2);
  ck_assert_uint_eq(q.current.count, 2);
  /* Same as the queued one. */
  ck_assert(cfz_crashq_seen(&q, &b.fail));
  ck_assert_uint_eq(q.pending[0].count, 2);

  /* Done with a: b becomes current; a is remembered with its count. */
  cfz_crash *next = cfz_crashq_next(&q);
  ck_assert_ptr_eq(next, &q.current);
  ck_assert_uint_eq(next->wire[0], 2);
  ck_assert_uint_eq(q.npending, 0);
  ck_assert_uint_eq(q.ndone, 1);
  ck_assert_uint_eq(q.done[0].count, 2);
  ck_assert_str_eq(q.done[0].path, "crash-1");
  /* a seen again after it was done: counts on the done entry. */
  cfz_crash a3 = crash_of(11, 4);
  ck_assert(cfz_crashq_seen(&q, &a3.fail));
  cfz_crash_free(&a3);
  ck_assert_uint_eq(q.done[0].count, 3);

  ck_assert_ptr_null(cfz_crashq_next(&q));
  ck_assert(!q.active);
  ck_assert_uint_eq(q.ndone, 2);
  ck_assert_uint_eq(q.others, 0);
  cfz_crashq_free(&q);
}
END_TEST

/* find: the current or a queued failure by signature (a replay's answer
 * finds its failure so); NULL for one not in the queue. */
START_TEST(find_current_and_queued) {
  cfz_crash_queue q;
  cfz_crashq_init(&q, true);
  cfz_crash a = crash_of(11, 1), b = crash_of(6, 2), other = crash_of(8, 3);
  cfz_crash *stored;
  ck_assert_ptr_null(cfz_crashq_find(&q, &a.fail));
  cfz_crashq_add(&q, &a, &stored);
  cfz_crashq_add(&q, &b, &stored);
  ck_assert_ptr_eq(cfz_crashq_find(&q, &a.fail), &q.current);
  ck_assert_ptr_eq(cfz_crashq_find(&q, &b.fail), &q.pending[0]);
  ck_assert_ptr_null(cfz_crashq_find(&q, &other.fail));
  ck_assert_ptr_eq(cfz_crashq_next(&q), &q.current);
  ck_assert_ptr_eq(cfz_crashq_find(&q, &b.fail), &q.current);
  ck_assert_ptr_null(cfz_crashq_find(&q, &a.fail)); /* done */
  cfz_crash_free(&other);
  cfz_crashq_free(&q);
}
END_TEST

START_TEST(without_keep_going_others_are_dropped) {
  cfz_crash_queue q;
  cfz_crashq_init(&q, false);
  cfz_crash a = crash_of(11, 1), b = crash_of(6, 2);
  cfz_crash *stored;
  ck_assert(!cfz_crashq_seen(&q, &a.fail));
  ck_assert_int_eq(cfz_crashq_add(&q, &a, &stored), CFZ_CRASH_MINIMIZE_NOW);
  /* Any further failure, even a different one, is dropped and counted. */
  ck_assert(cfz_crashq_seen(&q, &b.fail));
  ck_assert(cfz_crashq_seen(&q, &a.fail));
  ck_assert_uint_eq(q.others, 2);
  cfz_crash_free(&b);
  /* Nothing is remembered without --keep-going. */
  ck_assert_ptr_null(cfz_crashq_next(&q));
  ck_assert_uint_eq(q.ndone, 0);
  cfz_crashq_free(&q);
}
END_TEST

int main(void) {
  Suite *s = suite_create("crash_queue");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, first_failure_is_minimized_now);
  tcase_add_test(tc, keep_going_queues_and_dedups);
  tcase_add_test(tc, without_keep_going_others_are_dropped);
  tcase_add_test(tc, find_current_and_queued);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
