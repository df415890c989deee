/* Unit tests for the harness runtime: running one input (exec_context), the
 * target registry (native and libFuzzer-style targets, seeds), and the worker
 * side of the protocol end to end (a forked worker served over pipes and
 * memfds, driven with frame.h, independent of the driver). */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec_context.h"
#include "frame.h"
#include "protocol_server.h"
#include "target_registry.h"
#include "wire.h"

/* ---- test targets --------------------------------------------------------
 */

static int g_reached;         /* the fuzz function ran past the failure */
static const uint8_t *g_seen; /* the pointer the fuzz function received */
static size_t g_seen_len;
static uint8_t g_seen_bytes[64];
static bool g_seen_nul;

static void fuzz_fail(cfz_t *t, const cfz_value *a) {
  cfz_fail(t, "bad value %d in %s", 42, "input");
  if (a[0].v.i == 2)
    cfz_fail(t, "second");
  g_reached = 1;
}
CFZ_TARGET(FailTarget, NULL, fuzz_fail, CFZ_INT32)

static void fuzz_fatal(cfz_t *t, const cfz_value *a) {
  (void)a;
  cfz_fatal(t, "fatal: %s", "stop");
  g_reached = 1; /* never */
}
CFZ_TARGET(FatalTarget, NULL, fuzz_fatal, CFZ_BOOL)

static void fuzz_skip(cfz_t *t, const cfz_value *a) {
  if (a[0].v.u == 1)
    cfz_fail(t, "failed before skip");
  cfz_skip(t);
  g_reached = 1;
}
CFZ_TARGET(SkipTarget, NULL, fuzz_skip, CFZ_UINT8)

static void fuzz_copy(cfz_t *t, const cfz_value *a) {
  (void)t;
  g_seen = a[0].v.bytes.data;
  g_seen_len = a[0].v.bytes.len;
  if (g_seen_len <= sizeof g_seen_bytes)
    memcpy(g_seen_bytes, g_seen, g_seen_len);
  g_seen_nul = a[1].v.bytes.data[a[1].v.bytes.len] == '\0';
}
static void seeds_copy(cfz_seeds *s) {
  cfz_add(s, CFZ_V_BYTES("ab", 2), CFZ_V_STRING("x"));
  cfz_add(s, CFZ_V_BYTES("", 0), CFZ_V_STRING(""));
}
CFZ_TARGET(CopyTarget, seeds_copy, fuzz_copy, CFZ_BYTES, CFZ_STRING)

/* Fails recoverably when the input contains 'X'. */
static void fuzz_contains_x(cfz_t *t, const cfz_value *a) {
  if (memchr(a[0].v.bytes.data, 'X', a[0].v.bytes.len))
    cfz_fatal(t, "found X in %zu bytes", a[0].v.bytes.len);
}
static void seeds_x(cfz_seeds *s) { cfz_add(s, CFZ_V_BYTES("seed", 4)); }
CFZ_TARGET(ContainsX, seeds_x, fuzz_contains_x, CFZ_BYTES)

/* Fails on its 50th execution in this process. */
static int g_calls;
static void fuzz_count(cfz_t *t, const cfz_value *a) {
  (void)a;
  if (++g_calls == 50)
    cfz_fail(t, "call %d", g_calls);
}
CFZ_TARGET(Count50, NULL, fuzz_count, CFZ_BYTES)

static void bad_seeds(cfz_seeds *s) { cfz_add(s, CFZ_V_INT32(1)); }
CFZ_TARGET(BadSeeds, bad_seeds, fuzz_count, CFZ_BYTES)

/* Fails a thousand times with long messages. */
static void fuzz_many(cfz_t *t, const cfz_value *a) {
  (void)a;
  for (int i = 0; i < 1000; i++)
    cfz_fail(t, "failure %d %090d", i, i);
  g_reached = 1;
}
CFZ_TARGET(ManyFails, NULL, fuzz_many, CFZ_BOOL)

extern int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

/* Keeps every block it allocates (reachable: not a leak, but each run
 * allocates more than it frees). */
static void *g_kept[64];
static size_t g_nkept;
static void fuzz_keep(cfz_t *t, const cfz_value *a) {
  (void)t;
  (void)a;
  if (g_nkept < sizeof g_kept / sizeof g_kept[0])
    g_kept[g_nkept++] = malloc(16);
}
CFZ_TARGET(KeepsAll, NULL, fuzz_keep, CFZ_BOOL)

static const cfz_target_def *const k_defs[] = {
    &cfz_def_FailTarget, &cfz_def_FatalTarget, &cfz_def_SkipTarget,
    &cfz_def_CopyTarget, &cfz_def_ContainsX,   &cfz_def_Count50,
    &cfz_def_BadSeeds,   &cfz_def_ManyFails,   &cfz_def_KeepsAll};

/* Every test starts from the targets above (also when CK_FORK=no). */
static void setup(void) {
  cfz_registry_reset();
  for (size_t i = 0; i < sizeof k_defs / sizeof k_defs[0]; i++)
    cfz_register(k_defs[i]);
  g_reached = 0;
  g_calls = 0;
}

static const cfz_target *must_find(const char *name) {
  const cfz_target *t = cfz_registry_find(name);
  ck_assert_ptr_nonnull(t);
  return t;
}

/* ---- exec_context -------------------------------------------------------
 */

/* A run that allocates more than it frees is run again and LeakSanitizer
 * asked (where the build has it); with the checks off (-detect_leaks=0)
 * neither happens. */
START_TEST(leak_checks_on_and_off) {
  cfz_value v = CFZ_V_BOOL(true);
  const cfz_target *t = must_find("KeepsAll");
  struct cfz_leak_stats before = cfz_exec_leak_stats();
  cfz_exec_set_leak_checks(false);
  for (int i = 0; i < 3; i++)
    ck_assert_int_eq(cfz_exec_run(t, &v), CFZ_OUTCOME_NONE);
  struct cfz_leak_stats after = cfz_exec_leak_stats();
  ck_assert_uint_eq(after.reruns, before.reruns);
  ck_assert_uint_eq(after.checks, before.checks);
  cfz_exec_set_leak_checks(true);
  ck_assert_int_eq(cfz_exec_run(t, &v), CFZ_OUTCOME_NONE);
  after = cfz_exec_leak_stats();
  /* With LeakSanitizer (the sanitizer build): re-run, still unbalanced, so
   * scanned (no leak: the blocks are reachable); without it, nothing. */
  unsigned with_lsan = __lsan_do_recoverable_leak_check != NULL;
  ck_assert_uint_eq(after.reruns, before.reruns + with_lsan);
  ck_assert_uint_eq(after.checks, before.checks + with_lsan);
}
END_TEST

START_TEST(fail_records_and_goes_on) {
  cfz_value v = CFZ_V_INT32(1);
  ck_assert_int_eq(cfz_exec_run(must_find("FailTarget"), &v),
                   CFZ_OUTCOME_FAILURE);
  ck_assert_str_eq(cfz_exec_message(), "bad value 42 in input");
  ck_assert_int_eq(g_reached, 1);

  v = CFZ_V_INT32(2);
  ck_assert_int_eq(cfz_exec_run(must_find("FailTarget"), &v),
                   CFZ_OUTCOME_FAILURE);
  ck_assert_str_eq(cfz_exec_message(), "bad value 42 in input\nsecond");
}
END_TEST

START_TEST(fatal_stops_the_function) {
  cfz_value v = CFZ_V_BOOL(true);
  const cfz_target *t = must_find("FatalTarget");
  for (int i = 0; i < 3; i++) { /* the jump target is fresh every run */
    ck_assert_int_eq(cfz_exec_run(t, &v), CFZ_OUTCOME_FAILURE);
    ck_assert_str_eq(cfz_exec_message(), "fatal: stop");
  }
  ck_assert_int_eq(g_reached, 0);
  /* A passing run afterwards has no stale message. */
  v = CFZ_V_BYTES("a", 1);
  ck_assert_int_eq(cfz_exec_run(must_find("ContainsX"), &v), CFZ_OUTCOME_NONE);
  ck_assert_str_eq(cfz_exec_message(), "");
}
END_TEST

START_TEST(skip_rejects_but_failure_wins) {
  const cfz_target *t = must_find("SkipTarget");
  cfz_value v = CFZ_V_UINT8(0);
  ck_assert_int_eq(cfz_exec_run(t, &v), CFZ_OUTCOME_SKIP);
  ck_assert_int_eq(g_reached, 0);
  v = CFZ_V_UINT8(1);
  ck_assert_int_eq(cfz_exec_run(t, &v), CFZ_OUTCOME_FAILURE);
  ck_assert_str_eq(cfz_exec_message(), "failed before skip");
}
END_TEST

START_TEST(bytes_are_exact_heap_copies) {
  static const uint8_t data[5] = {1, 2, 3, 4, 5};
  cfz_value v[2] = {CFZ_V_BYTES(data, 3), CFZ_V_STRING("str")};
  ck_assert_int_eq(cfz_exec_run(must_find("CopyTarget"), v), CFZ_OUTCOME_NONE);
  ck_assert_ptr_ne(g_seen, data);
  ck_assert_uint_eq(g_seen_len, 3);
  ck_assert_mem_eq(g_seen_bytes, data, 3);
  ck_assert(g_seen_nul);
  /* Empty values work too. */
  v[0] = CFZ_V_BYTES(NULL, 0);
  v[1] = CFZ_V_STRING("");
  ck_assert_int_eq(cfz_exec_run(must_find("CopyTarget"), v), CFZ_OUTCOME_NONE);
  ck_assert_uint_eq(g_seen_len, 0);
  ck_assert(g_seen_nul);
}
END_TEST

START_TEST(long_messages_are_truncated) {
  cfz_value v = CFZ_V_BOOL(false);
  ck_assert_int_eq(cfz_exec_run(must_find("ManyFails"), &v),
                   CFZ_OUTCOME_FAILURE);
  const char *m = cfz_exec_message();
  ck_assert_uint_eq(strlen(m), CFZ_MESSAGE_MAX + 3);
  ck_assert_str_eq(m + CFZ_MESSAGE_MAX, "...");
  ck_assert_int_eq(strncmp(m, "failure 0 ", 10), 0);
  ck_assert_int_eq(g_reached, 1);
}
END_TEST

/* ---- registry -----------------------------------------------------------
 */

START_TEST(registry_lookup_and_select) {
  ck_assert_uint_eq(cfz_registry_count(), sizeof k_defs / sizeof k_defs[0]);
  const cfz_target *t = must_find("CopyTarget");
  ck_assert_uint_eq(t->nparams, 2);
  ck_assert_int_eq(t->params[1], CFZ_STRING);
  ck_assert_ptr_null(cfz_registry_find("Nope"));

  char err[512];
  ck_assert_ptr_null(
      cfz_registry_select(NULL, "set CFZ_TARGET", err, sizeof err));
  ck_assert_ptr_nonnull(strstr(err, "FailTarget, FatalTarget"));
  ck_assert_ptr_nonnull(strstr(err, "set CFZ_TARGET"));
  ck_assert_ptr_null(cfz_registry_select("Nope", NULL, err, sizeof err));
  ck_assert_ptr_nonnull(strstr(err, "no target named \"Nope\""));
  ck_assert_ptr_eq(cfz_registry_select("ContainsX", NULL, err, sizeof err),
                   must_find("ContainsX"));

  ck_assert(cfz_registry_name_ok("Fuzz_a-b.c9"));
  ck_assert(!cfz_registry_name_ok(""));
  ck_assert(!cfz_registry_name_ok(".."));
  ck_assert(!cfz_registry_name_ok("a/b"));
  ck_assert(!cfz_registry_name_ok("a b"));
}
END_TEST

START_TEST(registry_collects_seeds) {
  size_t n;
  const cfz_values *s = cfz_registry_seeds(must_find("CopyTarget"), &n);
  ck_assert_uint_eq(n, 2);
  ck_assert_uint_eq(s[0].n, 2);
  ck_assert_mem_eq(s[0].v[0].v.bytes.data, "ab", 2);
  ck_assert_str_eq((const char *)s[0].v[1].v.bytes.data, "x");
  /* Collected once. */
  ck_assert_ptr_eq(cfz_registry_seeds(must_find("CopyTarget"), &n), s);
  ck_assert_ptr_null(cfz_registry_seeds(must_find("Count50"), &n));
  ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(add_with_wrong_types_aborts) {
  size_t n;
  cfz_registry_seeds(must_find("BadSeeds"), &n);
}
END_TEST

static const cfz_type k_one_bytes[] = {CFZ_BYTES};
START_TEST(register_invalid_name_aborts) {
  static const cfz_target_def def = {"bad/name", k_one_bytes, 1, NULL,
                                     fuzz_count};
  cfz_register(&def);
}
END_TEST

START_TEST(register_duplicate_aborts) { cfz_register(&cfz_def_Count50); }
END_TEST

static int g_lf_calls;
static int lf_entry(const uint8_t *data, size_t size) {
  g_lf_calls++;
  return size > 0 && data[0] == 'r' ? -1 : 0;
}

START_TEST(libfuzzer_fallback) {
  /* Not added while native targets exist. */
  cfz_registry_add_libfuzzer("/x/lf", lf_entry);
  ck_assert_ptr_null(cfz_registry_find("lf"));

  cfz_registry_reset();
  cfz_registry_add_libfuzzer("/x/lf", NULL); /* no entry point: nothing */
  ck_assert_uint_eq(cfz_registry_count(), 0);
  char err[512];
  ck_assert_ptr_null(cfz_registry_select(NULL, NULL, err, sizeof err));
  ck_assert_ptr_nonnull(strstr(err, "no fuzz target"));

  cfz_registry_add_libfuzzer("/path/to/my+fuzzer", lf_entry);
  ck_assert_uint_eq(cfz_registry_count(), 1);
  const cfz_target *t = cfz_registry_select(NULL, NULL, err, sizeof err);
  ck_assert_ptr_nonnull(t);
  ck_assert_str_eq(t->name, "my_fuzzer");
  ck_assert_uint_eq(t->nparams, 1);
  ck_assert_int_eq(t->params[0], CFZ_BYTES);
  cfz_value v = CFZ_V_BYTES("ok", 2);
  ck_assert_int_eq(cfz_exec_run(t, &v), CFZ_OUTCOME_NONE);
  v = CFZ_V_BYTES("rej", 3);
  ck_assert_int_eq(cfz_exec_run(t, &v), CFZ_OUTCOME_SKIP);
  ck_assert_int_eq(g_lf_calls, 2);
}
END_TEST

/* ---- the worker, end to end ---------------------------------------------
 */

#define CAP 4096u

typedef struct worker {
  pid_t pid;
  int req, resp; /* our ends */
  void *base;
  cfz_shm_header *hdr;
} worker;

static int memfd(const char *name, size_t size) {
  int fd = memfd_create(name, 0);
  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq(ftruncate(fd, (off_t)size), 0);
  return fd;
}

/* Forks a worker serving `target` (NULL: no CFZ_TARGET). */
static void start_worker(worker *w, const char *target) {
  int req[2], resp[2];
  ck_assert_int_eq(pipe(req), 0);
  ck_assert_int_eq(pipe(resp), 0);
  size_t size = cfz_shm_region_size(CAP);
  int shm = memfd("cfz-test-shm", size);
  int cov = memfd("cfz-test-cov", CFZ_MAX_FEATURES);
  w->base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, shm, 0);
  ck_assert_ptr_ne(w->base, MAP_FAILED);
  w->hdr = w->base;
  w->hdr->magic = CFZ_SHM_MAGIC;
  w->hdr->value_capacity = CAP;

  w->pid = fork();
  ck_assert_int_ge(w->pid, 0);
  if (w->pid == 0) {
    /* Move everything out of the way, then into place. */
    int fds[4] = {req[0], resp[1], shm, cov};
    int high[4];
    for (int i = 0; i < 4; i++)
      if ((high[i] = fcntl(fds[i], F_DUPFD, 100)) < 0)
        _exit(120);
    int orig[6] = {req[0], req[1], resp[0], resp[1], shm, cov};
    for (int i = 0; i < 6; i++)
      close(orig[i]);
    for (int i = 0; i < 4; i++)
      if (dup2(high[i], 3 + i) != 3 + i || close(high[i]) != 0)
        _exit(121);
    if (target)
      setenv("CFZ_TARGET", target, 1);
    else
      unsetenv("CFZ_TARGET");
    _exit(cfz_worker_main());
  }
  close(req[0]);
  close(resp[1]);
  close(shm);
  close(cov);
  w->req = req[1];
  w->resp = resp[0];
}

static json_t *call(worker *w, json_t *req) {
  atomic_store(&w->hdr->exec_count, 0);
  ck_assert_int_eq(cfz_frame_write_fd(w->req, req), 0);
  json_decref(req);
  json_t *resp = NULL;
  char err[256];
  ck_assert_int_eq(cfz_frame_read_fd(w->resp, &resp, err, sizeof err), 1);
  return resp;
}

static int stop_worker(worker *w) {
  close(w->req);
  close(w->resp);
  int st;
  ck_assert_int_eq(waitpid(w->pid, &st, 0), w->pid);
  munmap(w->base, cfz_shm_region_size(CAP));
  return st;
}

static void put_bytes(worker *w, const char *s) {
  cfz_value v = CFZ_V_BYTES(s, strlen(s));
  size_t len = cfz_wire_encode(&v, 1, cfz_shm_value(w->base), CAP);
  ck_assert_uint_gt(len, 0);
  w->hdr->value_len = len;
}

static void value_is(worker *w, const char *s) {
  cfz_values out = {0};
  ck_assert_int_eq(cfz_wire_decode(cfz_shm_value(w->base), w->hdr->value_len,
                                   k_one_bytes, 1, &out),
                   0);
  ck_assert_uint_eq(out.v[0].v.bytes.len, strlen(s));
  ck_assert_mem_eq(out.v[0].v.bytes.data, s, strlen(s));
  cfz_values_free(&out);
}

static const char *str(json_t *o, const char *k) {
  const char *s = json_string_value(json_object_get(o, k));
  ck_assert_msg(s != NULL, "no string field %s", k);
  return s;
}

static json_t *hello(worker *w) {
  json_t *r = call(w, json_pack("{s:s, s:i, s:i, s:n, s:b}", "call", "hello",
                                "protocol", 1, "max_len", 64, "dict",
                                "value_profile", 0));
  ck_assert(json_is_true(json_object_get(r, "ok")));
  return r;
}

START_TEST(worker_hello_seed_exec) {
  worker w;
  start_worker(&w, "ContainsX");
  json_t *r = call(&w, json_pack("{s:s}", "call", "exec"));
  ck_assert(json_is_false(json_object_get(r, "ok")));
  ck_assert_str_eq(str(r, "error"), "exec before hello");
  json_decref(r);

  r = hello(&w);
  ck_assert_int_eq(json_integer_value(json_object_get(r, "protocol")), 1);
  ck_assert_str_eq(str(r, "target"), "ContainsX");
  ck_assert_str_eq(str(r, "harness"), CFZ_VERSION);
  ck_assert_str_eq(
      json_string_value(json_array_get(json_object_get(r, "params"), 0)),
      "bytes");
  ck_assert_uint_eq(json_array_size(json_object_get(r, "targets")),
                    sizeof k_defs / sizeof k_defs[0]);
  ck_assert_int_eq(json_integer_value(json_object_get(r, "seeds")), 1);
  ck_assert_ptr_nonnull(json_object_get(r, "counters"));
  ck_assert_ptr_nonnull(json_object_get(r, "coverage"));
  json_decref(r);

  r = call(&w, json_pack("{s:s, s:i}", "call", "seed", "index", 0));
  ck_assert(json_is_true(json_object_get(r, "ok")));
  json_decref(r);
  value_is(&w, "seed");
  r = call(&w, json_pack("{s:s, s:i}", "call", "seed", "index", 1));
  ck_assert(json_is_false(json_object_get(r, "ok")));
  json_decref(r);

  put_bytes(&w, "abXc");
  r = call(&w, json_pack("{s:s}", "call", "exec"));
  ck_assert(json_is_true(json_object_get(r, "ok")));
  ck_assert_str_eq(str(r, "result"), "failure");
  ck_assert_str_eq(str(r, "message"), "found X in 4 bytes");
  ck_assert_int_eq(json_integer_value(json_object_get(r, "execs")), 1);
  ck_assert_uint_eq(atomic_load(&w.hdr->exec_count), 1);
  ck_assert_uint_eq(atomic_load(&w.hdr->state), CFZ_SHM_IDLE);
  json_decref(r);

  put_bytes(&w, "abc");
  r = call(&w, json_pack("{s:s}", "call", "exec"));
  ck_assert_str_eq(str(r, "result"), "none"); /* tests are not instrumented */
  json_decref(r);

  /* A value area that does not decode is an error, not a crash. */
  w.hdr->value_len = 2;
  r = call(&w, json_pack("{s:s}", "call", "exec"));
  ck_assert(json_is_false(json_object_get(r, "ok")));
  ck_assert_ptr_nonnull(strstr(str(r, "error"), "value area"));
  json_decref(r);

  r = call(&w, json_pack("{s:s}", "call", "bogus"));
  ck_assert(json_is_false(json_object_get(r, "ok")));
  ck_assert_str_eq(str(r, "error"), "unknown call bogus");
  json_decref(r);

  int st = stop_worker(&w);
  ck_assert(WIFEXITED(st));
  ck_assert_int_eq(WEXITSTATUS(st), 0);
}
END_TEST

START_TEST(worker_fuzz_batches) {
  worker w;
  start_worker(&w, "Count50");
  json_decref(hello(&w));
  put_bytes(&w, "base");
  json_t *r = call(&w, json_pack("{s:s, s:i, s:i, s:s, s:b}", "call", "fuzz",
                                 "max_execs", 30, "max_ms", 0, "seed",
                                 "18446744073709551615", "aux", 0));
  ck_assert(json_is_true(json_object_get(r, "ok")));
  ck_assert_str_eq(str(r, "result"), "none");
  ck_assert_int_eq(json_integer_value(json_object_get(r, "execs")), 30);
  ck_assert_uint_eq(atomic_load(&w.hdr->exec_count), 30);
  json_decref(r);

  /* The 50th call fails: 20 executions into the next batch. */
  put_bytes(&w, "base");
  put_bytes(&w, "base"); /* and a splice partner */
  memcpy(cfz_shm_aux(w.base), cfz_shm_value(w.base), w.hdr->value_len);
  w.hdr->aux_len = w.hdr->value_len;
  r = call(&w,
           json_pack("{s:s, s:i, s:i, s:s, s:b}", "call", "fuzz", "max_execs",
                     1000, "max_ms", 60000, "seed", "7", "aux", 1));
  ck_assert_str_eq(str(r, "result"), "failure");
  ck_assert_str_eq(str(r, "message"), "call 50");
  ck_assert_int_eq(json_integer_value(json_object_get(r, "execs")), 20);
  ck_assert_int_ge(json_integer_value(json_object_get(r, "duration_ns")), 0);
  json_decref(r);

  r = call(&w, json_pack("{s:s, s:i, s:i}", "call", "fuzz", "max_execs", 1,
                         "max_ms", 0));
  ck_assert(json_is_false(json_object_get(r, "ok")));
  ck_assert_str_eq(str(r, "error"), "fuzz: missing field \"seed\"");
  json_decref(r);
  ck_assert_int_eq(WEXITSTATUS(stop_worker(&w)), 0);
}
END_TEST

START_TEST(worker_minimizes) {
  worker w;
  start_worker(&w, "ContainsX");
  json_decref(hello(&w));
  put_bytes(&w, "aaaaaaaaXbbbbbbbb");
  json_t *r = call(&w, json_pack("{s:s, s:i, s:i, s:s}", "call", "minimize",
                                 "max_execs", 10000, "max_ms", 0, "mode",
                                 "recoverable"));
  ck_assert(json_is_true(json_object_get(r, "ok")));
  ck_assert_str_eq(str(r, "result"), "minimized");
  ck_assert_str_eq(str(r, "message"), "found X in 1 bytes");
  json_decref(r);
  value_is(&w, "X");

  put_bytes(&w, "abc");
  r = call(&w, json_pack("{s:s, s:i, s:i, s:s}", "call", "minimize",
                         "max_execs", 100, "max_ms", 0, "mode", "recoverable"));
  ck_assert_str_eq(str(r, "result"), "not_reproduced");
  ck_assert_int_eq(json_integer_value(json_object_get(r, "execs")), 1);
  json_decref(r);

  /* death: nothing that returns is accepted; the count bound holds. */
  put_bytes(&w, "aaaaXbbbb");
  r = call(&w, json_pack("{s:s, s:i, s:i, s:s}", "call", "minimize",
                         "max_execs", 5, "max_ms", 0, "mode", "death"));
  ck_assert_str_eq(str(r, "result"), "unchanged");
  ck_assert_int_le(json_integer_value(json_object_get(r, "execs")), 5);
  json_decref(r);
  value_is(&w, "aaaaXbbbb");
  ck_assert_int_eq(WEXITSTATUS(stop_worker(&w)), 0);
}
END_TEST

START_TEST(worker_needs_a_target_name) {
  worker w;
  start_worker(&w, NULL);
  int st = stop_worker(&w);
  ck_assert(WIFEXITED(st));
  ck_assert_int_eq(WEXITSTATUS(st), 2);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("harness_exec");
  TCase *tc = tcase_create("exec");
  tcase_add_checked_fixture(tc, setup, NULL);
  tcase_add_test(tc, fail_records_and_goes_on);
  tcase_add_test(tc, leak_checks_on_and_off);
  tcase_add_test(tc, fatal_stops_the_function);
  tcase_add_test(tc, skip_rejects_but_failure_wins);
  tcase_add_test(tc, bytes_are_exact_heap_copies);
  tcase_add_test(tc, long_messages_are_truncated);
  suite_add_tcase(s, tc);

  tc = tcase_create("registry");
  tcase_add_checked_fixture(tc, setup, NULL);
  tcase_add_test(tc, registry_lookup_and_select);
  tcase_add_test(tc, registry_collects_seeds);
  tcase_add_test(tc, libfuzzer_fallback);
  tcase_add_test_raise_signal(tc, add_with_wrong_types_aborts, SIGABRT);
  tcase_add_test_raise_signal(tc, register_invalid_name_aborts, SIGABRT);
  tcase_add_test_raise_signal(tc, register_duplicate_aborts, SIGABRT);
  suite_add_tcase(s, tc);

  tc = tcase_create("worker");
  tcase_add_checked_fixture(tc, setup, NULL);
  tcase_add_test(tc, worker_hello_seed_exec);
  tcase_add_test(tc, worker_fuzz_batches);
  tcase_add_test(tc, worker_minimizes);
  tcase_add_test(tc, worker_needs_a_target_name);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
