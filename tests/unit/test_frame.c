/* test_frame.c - protocol framing: encode, incremental decode, fd helpers. */
#include "frame.h"

#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static uint8_t *frame_of(const char *json, size_t *len) {
  json_error_t e;
  json_t *j = json_loads(json, JSON_ALLOW_NUL, &e);
  ck_assert_ptr_nonnull(j);
  uint8_t *f = cfz_frame_encode(j, len);
  json_decref(j);
  ck_assert_ptr_nonnull(f);
  return f;
}

START_TEST(encode_is_compact) {
  size_t len;
  uint8_t *f = frame_of("{ \"call\" : \"ping\" }", &len);
  const char *want = "{\"call\":\"ping\"}";
  ck_assert_uint_eq(len, 4 + strlen(want));
  ck_assert_uint_eq(f[0], strlen(want));
  ck_assert_uint_eq(f[1] | f[2] | f[3], 0);
  ck_assert_mem_eq(f + 4, want, strlen(want));
  free(f);
}
END_TEST

START_TEST(encode_too_large) {
  json_t *j = json_object();
  char *big = malloc(CFZ_MAX_FRAME + 1);
  memset(big, 'a', CFZ_MAX_FRAME);
  big[CFZ_MAX_FRAME] = 0;
  json_object_set_new(j, "x", json_string(big));
  size_t len = 0;
  ck_assert_ptr_null(cfz_frame_encode(j, &len));
  json_decref(j);
  free(big);
}
END_TEST

START_TEST(split_feeds) {
  /* Three frames, fed in every chunk size from 1 to the whole. */
  size_t la, lb, lc;
  uint8_t *a = frame_of("{\"n\":1}", &la);
  uint8_t *b = frame_of("{\"n\":2,\"s\":\"x\\u0000y\"}", &lb);
  uint8_t *c = frame_of("{\"n\":3,\"list\":[1,2,3]}", &lc);
  size_t total = la + lb + lc;
  uint8_t *all = malloc(total);
  memcpy(all, a, la);
  memcpy(all + la, b, lb);
  memcpy(all + la + lb, c, lc);
  for (size_t chunk = 1; chunk <= total; chunk++) {
    cfz_frame_decoder d;
    cfz_frame_decoder_init(&d);
    int seen = 0;
    char err[256];
    for (size_t off = 0; off < total; off += chunk) {
      size_t n = total - off < chunk ? total - off : chunk;
      ck_assert_int_eq(cfz_frame_decoder_feed(&d, all + off, n), 0);
      json_t *j;
      int rc;
      while ((rc = cfz_frame_decoder_next(&d, &j, err, sizeof err)) == 1) {
        seen++;
        ck_assert(json_is_object(j));
        ck_assert_int_eq(json_integer_value(json_object_get(j, "n")), seen);
        json_decref(j);
      }
      ck_assert_int_eq(rc, 0);
    }
    ck_assert_int_eq(seen, 3);
    ck_assert_uint_eq(d.len, 0);
    cfz_frame_decoder_free(&d);
  }
  free(all);
  free(a);
  free(b);
  free(c);
}
END_TEST

static int feed_and_next(cfz_frame_decoder *d, const void *data, size_t n,
                         char *err, size_t errlen) {
  ck_assert_int_eq(cfz_frame_decoder_feed(d, data, n), 0);
  json_t *j = NULL;
  int rc = cfz_frame_decoder_next(d, &j, err, errlen);
  if (j)
    json_decref(j);
  return rc;
}

START_TEST(oversize_rejected_from_prefix) {
  cfz_frame_decoder d;
  cfz_frame_decoder_init(&d);
  char err[256] = "";
  uint32_t n = 2000000;
  uint8_t prefix[4] = {(uint8_t)n, (uint8_t)(n >> 8), (uint8_t)(n >> 16),
                       (uint8_t)(n >> 24)};
  /* Three bytes: not yet known. */
  ck_assert_int_eq(feed_and_next(&d, prefix, 3, err, sizeof err), 0);
  ck_assert_int_eq(feed_and_next(&d, prefix + 3, 1, err, sizeof err), -1);
  ck_assert_str_eq(err,
                   "frame of 2000000 bytes exceeds the 1048576 byte limit");
  /* Nothing after the bad prefix is buffered. */
  static uint8_t junk[65536];
  ck_assert_int_eq(feed_and_next(&d, junk, sizeof junk, err, sizeof err), -1);
  ck_assert_uint_eq(d.len, 4);
  cfz_frame_decoder_free(&d);

  /* The limit itself is allowed (the decoder waits for the body). */
  cfz_frame_decoder_init(&d);
  uint32_t m = CFZ_MAX_FRAME;
  uint8_t ok[4] = {(uint8_t)m, (uint8_t)(m >> 8), (uint8_t)(m >> 16),
                   (uint8_t)(m >> 24)};
  ck_assert_int_eq(feed_and_next(&d, ok, 4, err, sizeof err), 0);
  cfz_frame_decoder_free(&d);

  /* An oversize prefix arriving in the same feed as a good frame. */
  size_t la;
  uint8_t *a = frame_of("{\"a\":1}", &la);
  uint8_t buf[64];
  memcpy(buf, a, la);
  memcpy(buf + la, prefix, 4);
  cfz_frame_decoder_init(&d);
  ck_assert_int_eq(cfz_frame_decoder_feed(&d, buf, la + 4), 0);
  json_t *j;
  ck_assert_int_eq(cfz_frame_decoder_next(&d, &j, err, sizeof err), 1);
  json_decref(j);
  ck_assert_int_eq(cfz_frame_decoder_next(&d, &j, err, sizeof err), -1);
  ck_assert_ptr_null(j);
  cfz_frame_decoder_free(&d);
  free(a);
}
END_TEST

static int decode_raw(const char *body, char *err, size_t errlen) {
  size_t n = strlen(body);
  uint8_t buf[256] = {(uint8_t)n, 0, 0, 0};
  memcpy(buf + 4, body, n);
  cfz_frame_decoder d;
  cfz_frame_decoder_init(&d);
  int rc = feed_and_next(&d, buf, 4 + n, err, errlen);
  cfz_frame_decoder_free(&d);
  return rc;
}

START_TEST(garbage_and_non_objects) {
  char err[256];
  ck_assert_int_eq(decode_raw("{\"a\":", err, sizeof err), -1);
  ck_assert_msg(strncmp(err, "malformed JSON: ", 16) == 0, "%s", err);
  ck_assert_int_eq(decode_raw("hello", err, sizeof err), -1);
  ck_assert_msg(strncmp(err, "malformed JSON: ", 16) == 0, "%s", err);
  ck_assert_int_eq(decode_raw("{} {}", err, sizeof err), -1);
  ck_assert_msg(strncmp(err, "malformed JSON: ", 16) == 0, "%s", err);
  ck_assert_int_eq(decode_raw("", err, sizeof err), -1);
  ck_assert_msg(strncmp(err, "malformed JSON: ", 16) == 0, "%s", err);
  ck_assert_int_eq(decode_raw("[1,2]", err, sizeof err), -1);
  ck_assert_str_eq(err, "frame is not a JSON object");
  ck_assert_int_eq(decode_raw("42", err, sizeof err), -1);
  ck_assert_str_eq(err, "frame is not a JSON object");
  ck_assert_int_eq(decode_raw("\"s\"", err, sizeof err), -1);
  ck_assert_str_eq(err, "frame is not a JSON object");
  ck_assert_int_eq(decode_raw("{\"ok\":true}", err, sizeof err), 1);
}
END_TEST

START_TEST(fd_round_trip) {
  signal(SIGPIPE, SIG_IGN);
  int p[2];
  ck_assert_int_eq(pipe(p), 0);
  json_t *o =
      json_pack("{s:s, s:i, s:b}", "call", "fuzz", "count", 1000, "ok", 1);
  ck_assert_int_eq(cfz_frame_write_fd(p[1], o), 0);
  ck_assert_int_eq(cfz_frame_write_fd(p[1], o), 0);
  ck_assert_int_eq(close(p[1]), 0);
  char err[256];
  json_t *got = NULL;
  for (int i = 0; i < 2; i++) {
    ck_assert_int_eq(cfz_frame_read_fd(p[0], &got, err, sizeof err), 1);
    ck_assert(json_equal(got, o));
    json_decref(got);
  }
  ck_assert_int_eq(cfz_frame_read_fd(p[0], &got, err, sizeof err), 0);
  ck_assert_ptr_null(got);
  close(p[0]);

  /* A larger frame goes through a pipe in several reads (writer child). */
  ck_assert_int_eq(pipe(p), 0);
  char *big = malloc(300000);
  memset(big, 'z', 299999);
  big[299999] = 0;
  json_t *bo = json_pack("{s:s}", "data", big);
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    close(p[0]);
    _exit(cfz_frame_write_fd(p[1], bo) == 0 ? 0 : 1);
  }
  close(p[1]);
  ck_assert_int_eq(cfz_frame_read_fd(p[0], &got, err, sizeof err), 1);
  ck_assert(json_equal(got, bo));
  json_decref(got);
  close(p[0]);
  int status;
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  json_decref(bo);
  free(big);

  /* Truncated input: end of file inside the header and inside the body. */
  ck_assert_int_eq(pipe(p), 0);
  ck_assert_int_eq(write(p[1], "\x05\x00", 2), 2);
  close(p[1]);
  ck_assert_int_eq(cfz_frame_read_fd(p[0], &got, err, sizeof err), -1);
  ck_assert(strstr(err, "end of file inside a frame header"));
  close(p[0]);
  ck_assert_int_eq(pipe(p), 0);
  ck_assert_int_eq(write(p[1], "\x05\x00\x00\x00{}", 6), 6);
  close(p[1]);
  ck_assert_int_eq(cfz_frame_read_fd(p[0], &got, err, sizeof err), -1);
  ck_assert_str_eq(err, "end of file inside a frame (2 of 5 bytes)");
  close(p[0]);
  ck_assert_int_eq(pipe(p), 0);
  ck_assert_int_eq(write(p[1], "\xff\xff\xff\x7f", 4), 4);
  close(p[1]);
  ck_assert_int_eq(cfz_frame_read_fd(p[0], &got, err, sizeof err), -1);
  ck_assert(strstr(err, "exceeds the 1048576 byte limit"));
  close(p[0]);

  /* Writing to a closed pipe fails with errno set. */
  ck_assert_int_eq(pipe(p), 0);
  close(p[0]);
  ck_assert_int_eq(cfz_frame_write_fd(p[1], o), -1);
  close(p[1]);
  /* Reading a bad fd reports the error. */
  ck_assert_int_eq(cfz_frame_read_fd(-1, &got, err, sizeof err), -1);
  ck_assert(strstr(err, "Bad file descriptor"));
  json_decref(o);
}
END_TEST

int main(void) {
  Suite *s = suite_create("frame");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, encode_is_compact);
  tcase_add_test(tc, encode_too_large);
  tcase_add_test(tc, split_feeds);
  tcase_add_test(tc, oversize_rejected_from_prefix);
  tcase_add_test(tc, garbage_and_non_objects);
  tcase_add_test(tc, fd_round_trip);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
