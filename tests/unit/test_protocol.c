/* test_protocol.c - typed requests and responses: round trips through JSON
 * and the checks each decoder makes. */
#include "protocol.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static json_t *parse(const char *text) {
  json_error_t e;
  json_t *j = json_loads(text, 0, &e);
  ck_assert_msg(j != NULL, "%s: %s", text, e.text);
  return j;
}

/* Encodes q, decodes it back as the worker does. */
static int round_trip(const cfz_request *q, cfz_request *out, char *err) {
  json_t *j = cfz_request_encode(q);
  ck_assert_ptr_nonnull(j);
  int rc = cfz_request_decode(j, out, err, 256);
  out->dict = NULL; /* borrowed from j */
  json_decref(j);
  return rc;
}

START_TEST(requests_round_trip) {
  char err[256];
  cfz_request out;
  cfz_request hello = {.call = CFZ_CALL_HELLO,
                       .protocol = CFZ_PROTOCOL_VERSION,
                       .max_len = 4096,
                       .value_profile = true,
                       .coverage = false,
                       .rss_limit_mb = 128};
  ck_assert_int_eq(round_trip(&hello, &out, err), 0);
  ck_assert_int_eq(out.call, CFZ_CALL_HELLO);
  ck_assert_uint_eq(out.protocol, CFZ_PROTOCOL_VERSION);
  ck_assert(out.has_max_len && out.max_len == 4096);
  ck_assert(out.value_profile && !out.coverage);
  ck_assert_uint_eq(out.rss_limit_mb, 128);

  cfz_request fuzz = {.call = CFZ_CALL_FUZZ,
                      .max_execs = 7,
                      .max_ms = 100,
                      .seed = UINT64_MAX, /* all 64 bits survive */
                      .aux = true,
                      .max_len = 12};
  ck_assert_int_eq(round_trip(&fuzz, &out, err), 0);
  ck_assert_uint_eq(out.seed, UINT64_MAX);
  ck_assert_uint_eq(out.max_execs, 7);
  ck_assert_uint_eq(out.max_ms, 100);
  ck_assert(out.aux && out.has_max_len && out.max_len == 12);

  cfz_request min = {.call = CFZ_CALL_MINIMIZE, .max_execs = 3, .death = true};
  ck_assert_int_eq(round_trip(&min, &out, err), 0);
  ck_assert(out.death);
  ck_assert_uint_eq(out.max_execs, 3);

  cfz_request seed = {.call = CFZ_CALL_SEED, .index = 5};
  ck_assert_int_eq(round_trip(&seed, &out, err), 0);
  ck_assert_uint_eq(out.index, 5);
}
END_TEST

START_TEST(request_errors) {
  char err[256];
  cfz_request q;
  json_t *j = parse("{\"x\":1}");
  ck_assert_int_eq(cfz_request_decode(j, &q, err, sizeof err), -2);
  ck_assert_str_eq(err, "request has no \"call\"");
  json_decref(j);
  j = parse("{\"call\":\"bogus\"}");
  ck_assert_int_eq(cfz_request_decode(j, &q, err, sizeof err), -2);
  ck_assert_str_eq(err, "unknown call bogus");
  json_decref(j);
  /* A known call with a bad field: the call is still known. */
  j = parse("{\"call\":\"fuzz\",\"max_execs\":1,\"max_ms\":1}");
  ck_assert_int_eq(cfz_request_decode(j, &q, err, sizeof err), -1);
  ck_assert_int_eq(q.call, CFZ_CALL_FUZZ);
  ck_assert_str_eq(err, "fuzz: missing field \"seed\"");
  json_decref(j);
  j = parse("{\"call\":\"seed\",\"index\":-1}");
  ck_assert_int_eq(cfz_request_decode(j, &q, err, sizeof err), -1);
  ck_assert_str_eq(err, "seed: field \"index\" is not a non-negative integer");
  json_decref(j);
  j = parse("{\"call\":\"minimize\",\"max_execs\":1,\"max_ms\":1,"
            "\"mode\":\"x\"}");
  ck_assert_int_eq(cfz_request_decode(j, &q, err, sizeof err), -1);
  ck_assert_str_eq(err, "minimize: unknown mode \"x\"");
  json_decref(j);
}
END_TEST

START_TEST(responses_round_trip) {
  char err[256];
  cfz_response r = {.ok = true,
                    .result = CFZ_RESULT_FAILURE,
                    .execs = 42,
                    .duration_ns = 9,
                    .base_ns = 4,
                    .message = "boom"};
  json_t *j = cfz_response_encode(CFZ_CALL_FUZZ, &r);
  cfz_response out;
  ck_assert_int_eq(cfz_response_decode(j, CFZ_CALL_FUZZ, &out, err, 256), 0);
  ck_assert(out.ok);
  ck_assert_int_eq(out.result, CFZ_RESULT_FAILURE);
  ck_assert_uint_eq(out.execs, 42);
  ck_assert_uint_eq(out.duration_ns, 9);
  ck_assert_uint_eq(out.base_ns, 4);
  ck_assert_str_eq(out.message, "boom");
  cfz_response_free(&out);
  /* A result that another call answers is refused. */
  ck_assert_int_eq(cfz_response_decode(j, CFZ_CALL_MINIMIZE, &out, err, 256),
                   -1);
  ck_assert_str_eq(err, "minimize response: unexpected result \"failure\"");
  json_decref(j);

  j = cfz_error_encode("broken");
  ck_assert_int_eq(cfz_response_decode(j, CFZ_CALL_EXEC, &out, err, 256), 0);
  ck_assert(!out.ok);
  ck_assert_str_eq(out.error, "broken");
  cfz_response_free(&out);
  json_decref(j);
}
END_TEST

/* A message that is not UTF-8 (cfz_fatal with any bytes): the bytes that
 * are not become \xNN, valid sequences stay; never a failed encode. */
START_TEST(messages_not_utf8_escaped) {
  char err[256];
  const char *cases[][2] = {
      {"bad \xff\xfe!", "bad \\xff\\xfe!"},
      {"caf\xc3\xa9 \xc3", "caf\xc3\xa9 \\xc3"}, /* truncated */
      {"\xc0\xaf \xed\xa0\x80",
       "\\xc0\\xaf \\xed\\xa0\\x80"}, /* overlong, surrogate */
      {"\xf0\x9f\x98\x80\xf5", "\xf0\x9f\x98\x80\\xf5"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    cfz_response r = {.ok = true,
                      .result = CFZ_RESULT_FAILURE,
                      .message = (char *)cases[i][0]};
    json_t *j = cfz_response_encode(CFZ_CALL_EXEC, &r);
    ck_assert_ptr_nonnull(j);
    cfz_response out;
    ck_assert_int_eq(cfz_response_decode(j, CFZ_CALL_EXEC, &out, err, 256), 0);
    ck_assert_str_eq(out.message, cases[i][1]);
    cfz_response_free(&out);
    json_decref(j);
    j = cfz_error_encode(cases[i][0]);
    ck_assert_ptr_nonnull(j);
    ck_assert_str_eq(json_string_value(json_object_get(j, "error")),
                     cases[i][1]);
    json_decref(j);
  }
}
END_TEST

START_TEST(hello_round_trip) {
  char err[256];
  cfz_target_info ts[2] = {
      {.name = "FuzzA", .params = {CFZ_BYTES, CFZ_INT32}, .nparams = 2},
      {.name = "FuzzB",
       .params = {CFZ_STRING},
       .nparams = 1,
       .libfuzzer = true}};
  cfz_response r = {.ok = true};
  r.hello = (cfz_hello){.protocol = 1,
                        .target = ts[1],
                        .targets = ts,
                        .ntargets = 2,
                        .seeds = 3,
                        .counters = 77,
                        .edge_slots = 70,
                        .cmp = true};
  strcpy(r.hello.harness, "0.1.0");
  strcpy(r.hello.coverage, "none");
  json_t *j = cfz_response_encode(CFZ_CALL_HELLO, &r);
  ck_assert_ptr_nonnull(j);
  cfz_response out;
  ck_assert_int_eq(cfz_response_decode(j, CFZ_CALL_HELLO, &out, err, 256), 0);
  json_decref(j);
  const cfz_hello *h = &out.hello;
  ck_assert_str_eq(h->target.name, "FuzzB");
  ck_assert_uint_eq(h->target.nparams, 1);
  ck_assert_uint_eq(h->ntargets, 2);
  ck_assert_str_eq(h->targets[0].name, "FuzzA");
  ck_assert_int_eq(h->targets[0].params[1], CFZ_INT32);
  ck_assert(!h->targets[0].libfuzzer && h->targets[1].libfuzzer);
  ck_assert_uint_eq(h->seeds, 3);
  ck_assert_uint_eq(h->counters, 77);
  ck_assert_uint_eq(h->edge_slots, 70);
  ck_assert(h->cmp);
  cfz_hello copy;
  ck_assert_int_eq(cfz_hello_copy(&copy, h), 0);
  ck_assert_str_eq(copy.targets[1].name, "FuzzB");
  cfz_hello_free(&copy);
  cfz_response_free(&out);
}
END_TEST

START_TEST(response_checks) {
  char err[256];
  cfz_response out;
  json_t *j = parse("{\"ok\":true,\"execs\":-1000000000,\"result\":\"none\"}");
  ck_assert_int_eq(cfz_response_decode(j, CFZ_CALL_EXEC, &out, err, 256), -1);
  ck_assert_str_eq(err, "exec response: field \"execs\" is not a non-negative "
                        "integer");
  json_decref(j);
  /* Reals, fractions and strings that are not decimal integers (issue 15:
   * "execs": -1e9 once ended a run with a wrapped count). */
  const char *bad[] = {"-1e9", "1.5", "\"-1\"", "\"1x\"", "true", "[]"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char text[128];
    snprintf(text, sizeof text,
             "{\"ok\":true,\"execs\":%s,\"result\":\"none\"}", bad[i]);
    j = parse(text);
    ck_assert_msg(cfz_response_decode(j, CFZ_CALL_FUZZ, &out, err, 256) == -1,
                  "%s accepted", bad[i]);
    json_decref(j);
  }
  /* base_ns (the worker's time per execution on the base) is optional,
   * and never more than the batch's duration. */
  j = parse("{\"ok\":true,\"execs\":3,\"duration_ns\":90,\"result\":"
            "\"none\"}");
  ck_assert_int_eq(cfz_response_decode(j, CFZ_CALL_FUZZ, &out, err, 256), 0);
  ck_assert_uint_eq(out.base_ns, 0);
  cfz_response_free(&out);
  json_decref(j);
  j = parse("{\"ok\":true,\"execs\":3,\"duration_ns\":90,\"base_ns\":91,"
            "\"result\":\"none\"}");
  ck_assert_int_eq(cfz_response_decode(j, CFZ_CALL_FUZZ, &out, err, 256), -1);
  ck_assert_str_eq(err,
                   "fuzz response: field \"base_ns\" exceeds \"duration_ns\"");
  json_decref(j);
  j = parse("{\"ok\":true,\"execs\":3,\"duration_ns\":90,\"base_ns\":-1,"
            "\"result\":\"none\"}");
  ck_assert_int_eq(cfz_response_decode(j, CFZ_CALL_FUZZ, &out, err, 256), -1);
  ck_assert_str_eq(err, "fuzz response: field \"base_ns\" is not a "
                        "non-negative integer");
  json_decref(j);
  j = parse("{\"ok\":true,\"protocol\":1,\"target\":\"T\","
            "\"params\":[\"nope\"]}");
  ck_assert_int_eq(cfz_response_decode(j, CFZ_CALL_HELLO, &out, err, 256), -1);
  ck_assert_str_eq(err, "hello response: unknown parameter type \"nope\"");
  json_decref(j);
  j = parse("{\"ok\":true,\"protocol\":1,\"params\":[\"bytes\"]}");
  ck_assert_int_eq(cfz_response_decode(j, CFZ_CALL_HELLO, &out, err, 256), -1);
  ck_assert_str_eq(err, "hello response: missing field \"target\"");
  json_decref(j);
}
END_TEST

int main(void) {
  Suite *s = suite_create("protocol");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, requests_round_trip);
  tcase_add_test(tc, request_errors);
  tcase_add_test(tc, responses_round_trip);
  tcase_add_test(tc, messages_not_utf8_escaped);
  tcase_add_test(tc, hello_round_trip);
  tcase_add_test(tc, response_checks);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
