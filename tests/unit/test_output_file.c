/* Unit tests for a worker's output file (output_file.h): what is written to
 * the file reaches the ring buffer in order, only its tail when it is
 * larger than the ring, and the file is emptied past CFZ_OUTFILE_MAX. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output_file.h"

static void put(const cfz_outfile *o, const char *s) {
  ck_assert_int_eq(write(o->fd, s, strlen(s)), (int)strlen(s));
}

static void expect(const cfz_ringbuf *r, const char *want) {
  char *got = cfz_ringbuf_copy(r);
  ck_assert_ptr_nonnull(got);
  ck_assert_str_eq(got, want);
  free(got);
}

/* Writes s, drains, and checks the ring holds want. */
static void put_expect(cfz_outfile *o, cfz_ringbuf *r, const char *s,
                       const char *want) {
  put(o, s);
  cfz_outfile_drain(o, r);
  expect(r, want);
}

static void open_both(cfz_outfile *o, cfz_ringbuf *r, size_t cap) {
  ck_assert_int_eq(cfz_outfile_open(o), 0);
  ck_assert_int_eq(cfz_ringbuf_init(r, cap), 0);
}

static void close_both(cfz_outfile *o, cfz_ringbuf *r) {
  cfz_ringbuf_free(r);
  cfz_outfile_close(o);
  ck_assert_int_eq(o->fd, -1);
}

static off_t size_of(const cfz_outfile *o) {
  struct stat st;
  ck_assert_int_eq(fstat(o->fd, &st), 0);
  return st.st_size;
}

START_TEST(drains_in_order) {
  cfz_outfile o;
  cfz_ringbuf r;
  open_both(&o, &r, 64);
  cfz_outfile_drain(&o, &r);
  expect(&r, "");
  put(&o, "first\n");
  int dup_fd = dup(o.fd); /* fds 1 and 2 of a worker share the file */
  ck_assert_int_ge(dup_fd, 0);
  ck_assert_int_eq(write(dup_fd, "second\n", 7), 7);
  cfz_outfile_drain(&o, &r);
  expect(&r, "first\nsecond\n");
  cfz_outfile_drain(&o, &r); /* nothing new: nothing twice */
  expect(&r, "first\nsecond\n");
  put_expect(&o, &r, "third\n", "first\nsecond\nthird\n");
  close(dup_fd);
  close_both(&o, &r);
}
END_TEST

START_TEST(keeps_the_tail) {
  cfz_outfile o;
  cfz_ringbuf r;
  open_both(&o, &r, 8);
  put_expect(&o, &r, "0123456789abcdefXYZ", "bcdefXYZ");
  close_both(&o, &r);
}
END_TEST

/* Trimming empties the file only past CFZ_OUTFILE_MAX, after draining it;
 * writes then go on at its (new) end. */
START_TEST(trims_past_the_limit) {
  cfz_outfile o;
  cfz_ringbuf r;
  open_both(&o, &r, 16);
  put(&o, "small\n");
  cfz_outfile_trim(&o, &r);
  ck_assert_int_eq(size_of(&o), 6);
  char *big = malloc(CFZ_OUTFILE_MAX);
  ck_assert_ptr_nonnull(big);
  memset(big, 'x', CFZ_OUTFILE_MAX);
  memcpy(big + CFZ_OUTFILE_MAX - 5, "tail\n", 5);
  ck_assert_int_eq(write(o.fd, big, CFZ_OUTFILE_MAX), (int)CFZ_OUTFILE_MAX);
  free(big);
  cfz_outfile_trim(&o, &r);
  ck_assert_int_eq(size_of(&o), 0);
  expect(&r, "xxxxxxxxxxxtail\n");
  put_expect(&o, &r, "after\n", "xxxxxtail\nafter\n");
  ck_assert_int_eq(size_of(&o), 6);
  close_both(&o, &r);
}
END_TEST

/* A failed fstat (the fd closed behind the file's back) is an error that
 * names the fd and the call, and reads nothing: once the file works again
 * nothing is read twice. */
START_TEST(failed_fstat_is_reported) {
  cfz_outfile o;
  cfz_ringbuf r;
  open_both(&o, &r, 64);
  put_expect(&o, &r, "one\n", "one\n");
  int saved = dup(o.fd);
  ck_assert_int_ge(saved, 0);
  int fd = o.fd;
  ck_assert_int_eq(close(fd), 0);
  ck_assert_int_eq(cfz_outfile_drain(&o, &r), -1);
  char want[64];
  snprintf(want, sizeof want, "fd %d): fstat: ", fd);
  ck_assert_msg(strstr(o.err, want), "err: %s", o.err);
  ck_assert_int_eq(cfz_outfile_trim(&o, &r), -1);
  ck_assert_int_eq(dup2(saved, fd), fd); /* the file is back */
  close(saved);
  put(&o, "two\n");
  ck_assert_int_eq(cfz_outfile_drain(&o, &r), 0);
  expect(&r, "one\ntwo\n");
  close_both(&o, &r);
}
END_TEST

/* A failed ftruncate (the file opened read-only) is an error; the file,
 * already drained to its end, keeps growing and its new tail still comes. */
START_TEST(failed_ftruncate_is_reported) {
  cfz_outfile o;
  cfz_ringbuf r;
  open_both(&o, &r, 16);
  char *big = malloc(CFZ_OUTFILE_MAX);
  ck_assert_ptr_nonnull(big);
  memset(big, 'x', CFZ_OUTFILE_MAX);
  ck_assert_int_eq(write(o.fd, big, CFZ_OUTFILE_MAX), (int)CFZ_OUTFILE_MAX);
  free(big);
  char path[64];
  snprintf(path, sizeof path, "/proc/self/fd/%d", o.fd);
  int writer = o.fd;
  o.fd = open(path, O_RDONLY);
  ck_assert_int_ge(o.fd, 0);
  ck_assert_int_eq(cfz_outfile_trim(&o, &r), -1);
  ck_assert_msg(strstr(o.err, "ftruncate: "), "err: %s", o.err);
  ck_assert_int_eq(size_of(&o), CFZ_OUTFILE_MAX);
  expect(&r, "xxxxxxxxxxxxxxxx");
  ck_assert_int_eq(write(writer, "after\n", 6), 6);
  ck_assert_int_eq(cfz_outfile_drain(&o, &r), 0);
  expect(&r, "xxxxxxxxxxafter\n");
  close(writer);
  close_both(&o, &r);
}
END_TEST

int main(void) {
  Suite *s = suite_create("output_file");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, drains_in_order);
  tcase_add_test(tc, keeps_the_tail);
  tcase_add_test(tc, trims_past_the_limit);
  tcase_add_test(tc, failed_fstat_is_reported);
  tcase_add_test(tc, failed_ftruncate_is_reported);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
