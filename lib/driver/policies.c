/* policies.c - the four modes as policies over the coordinator, each with
 * its own options and result (coordinator.h, coordinator_impl.h). */
#include "coordinator_impl.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "failure.h"
#include "wire.h"

/* ---- fuzz ---------------------------------------------------------------- */

static void fuzz_begin(coord *c) { co_load_corpora(c, true); }

/* A failing seed ends the run, as in Go. */
static void fuzz_entry_failed(coord *c, size_t k, const cfz_failure *fail,
                              const char *output) {
  const char *origin = c->corpus.e[k].origin ? c->corpus.e[k].origin : "?";
  const char *base = strrchr(origin, '/');
  if (!c->rep.obs)
    cfz_report_log(&c->rep, "failure while testing seed corpus entry: %s/%s",
                   c->target, base ? base + 1 : origin);
  cfz_report_entry_failure(&c->rep, c->target, origin, fail, output);
  co_stop(c, 1);
}

static void fuzz_baseline_done(coord *c) {
  cfz_stats st = co_stats(c);
  cfz_report_inited(&c->rep, &st);
  c->phase = PHASE_FUZZ;
  co_choose_max_len(c);
  if (c->hello_counters == 0 && c->cov.features == 0 && !c->opt->no_feedback)
    cfz_report_log(
        &c->rep,
        "cfz: warning: %s was built without coverage instrumentation; "
        "fuzzing will be blind (see docs/harness-api.md)",
        c->opt->target_path);
}

static const co_policy fuzz_policy = {
    .mode = CFZ_MODE_FUZZ,
    .begin = fuzz_begin,
    .baseline_done = fuzz_baseline_done,
    .entry_failed = fuzz_entry_failed,
};

void co_dispatch_fuzz(coord *c, slot *s) {
  bool counted = co_count_bounded_batches(c);
  uint64_t max_execs = counted ? CFZ_SEEDED_BATCH : 0;
  if (co_fuzz_count_limited(c)) {
    uint64_t left = co_count_left(c);
    if (left == 0)
      return;
    if (max_execs == 0 || left < max_execs)
      max_execs = left;
  }
  size_t k = cfz_index_pick(&c->corpus, co_next_rand(c));
  const cfz_entry *e = &c->corpus.e[k];
  if (e->len > cfz_client_capacity(s->cl))
    return;
  s->job_arg = k; /* the base, for its cost (co_on_fuzz_response) */
  cfz_fuzz_job job = {.base = e->wire, .base_len = e->len};
  if (c->corpus.n > 1) {
    const cfz_entry *o = &c->corpus.e[co_next_rand(c) % c->corpus.n];
    job.aux = o->wire;
    job.aux_len = o->len;
  }
  job.max_execs = max_execs;
  job.max_ms = counted ? 0 : CFZ_BATCH_MS;
  job.seed = co_next_rand(c);
  job.max_len = c->max_len;
  s->job_reserved = max_execs;
  c->reserved += max_execs;
  if (cfz_client_fuzz(s->cl, &job) != 0) {
    c->reserved -= max_execs;
    s->job_reserved = 0;
  }
}

/* An observed run keeps its corpus itself (cfz libfuzzer: raw files in the
 * first corpus directory). */
static void report_new_input(coord *c, const uint8_t *wire, size_t len) {
  cfz_values v = {0};
  if (cfz_wire_decode(wire, len, c->types, c->ntypes, &v) != 0)
    return;
  cfz_stats st = co_stats(c);
  cfz_report_new_input(&c->rep, &v, &st);
  cfz_values_free(&v);
}

/* Thin coverage: after this many executions a corpus with fewer than
 * CFZ_THIN_FEATURES features (edges with their hit-count buckets, and the
 * extra features) almost always means the code under test was built
 * without coverage (only the fuzz target's own file was), and cfz fuzzes
 * nearly blind; say so once, with the fix.  Features, not edges: a tiny
 * instrumented target (a loop over the input: 3 edges) still gives dozens
 * of them, a call into an uninstrumented library gives one or two. */
#define CFZ_THIN_CHECK_EXECS 100000u
#define CFZ_THIN_FEATURES 5u

static void check_thin_coverage(coord *c) {
  if (c->thin_checked || c->execs < CFZ_THIN_CHECK_EXECS || c->opt->no_feedback)
    return;
  c->thin_checked = true;
  if (c->cov.edges == 0 || c->cov.features >= CFZ_THIN_FEATURES)
    return; /* none at all: the built-without-coverage warning said it */
  cfz_report_log(
      &c->rep,
      "cfz: warning: after %" PRIu64 " executions the corpus reaches only "
      "%" PRIu64 " edge(s): is the code under test instrumented? Build the "
      "library the target calls with coverage too: cfz_instrument(<lib>) in "
      "CMake, or the flags of pkg-config --variable=coverage_clang cfz "
      "(docs/build.md)",
      c->execs, (uint64_t)c->cov.edges);
}

void co_on_fuzz_response(slot *s, cfz_client_result *r) {
  coord *c = s->c;
  bool fuzzing = co_fuzzing(c);
  if (fuzzing)
    check_thin_coverage(c);
  if (r->job == CFZ_JOB_FUZZ)
    cfz_index_note_cost(&c->corpus, s->job_arg, r->base_ns);
  if (r->result == CFZ_RESULT_NEW && fuzzing) {
    uint64_t added = cfz_covmap_merge(&c->cov, r->features, r->nfeatures);
    size_t len = r->input_len;
    if (added > 0 && r->input) {
      const uint8_t *wire = r->input;
      if (cfz_index_add(&c->corpus, wire, len, NULL, (uint32_t)added) >= 0) {
        c->interesting++;
        if (c->rep.obs)
          report_new_input(c, wire, len);
        else
          co_save_generated(c, wire, len);
        cfz_stats st = co_stats(c);
        cfz_report_new_coverage(&c->rep, &st, added, len);
      }
    }
  } else if (r->result == CFZ_RESULT_FAILURE) {
    const char *msg = r->message;
    cfz_failure f;
    cfz_failure_recoverable(&f, msg && *msg ? msg
                                            : "fuzz function failed with no "
                                              "message");
    co_found_failure(c, s, &f, false, r);
  }
}

/* ---- test ---------------------------------------------------------------- */

static void test_begin(coord *c) { co_load_corpora(c, c->test->all); }

static void test_entry_failed(coord *c, size_t k, const cfz_failure *fail,
                              const char *output) {
  c->test_failures++;
  const char *origin = c->corpus.e[k].origin ? c->corpus.e[k].origin : "?";
  cfz_report_entry_failure(&c->rep, c->target, origin, fail, output);
}

/* A file written as flaky (failure_flow.c: it did not fail on its replay
 * when it was found) that passes now is reported as failing, not passed
 * over: it did crash once. */
static void test_flaky_entries(coord *c) {
  for (size_t k = 0; k < c->corpus.n; k++) {
    const char *origin = c->corpus.e[k].origin;
    const char *base = origin ? strrchr(origin, '/') : NULL;
    if (!base || strncmp(base + 1, "flaky-", 6) != 0 ||
        (c->failed_entry && c->failed_entry[k]))
      continue;
    cfz_failure f;
    cfz_failure_recoverable(&f, "flaky: did not reproduce on replay when it "
                                "was found, and passes now");
    test_entry_failed(c, k, &f, NULL);
  }
}

static void test_baseline_done(coord *c) {
  test_flaky_entries(c);
  size_t n = c->corpus.n;
  cfz_stats st = co_stats(c);
  cfz_report_inited(&c->rep, &st);
  c->test_result->entries = n;
  c->test_result->failures = c->test_failures;
  if (c->test_failures)
    cfz_report_log(&c->rep, "FAIL: %zu of %zu corpus entries failed",
                   c->test_failures, n);
  else
    cfz_report_log(&c->rep, "ok: %zu corpus entries passed", n);
  co_stop(c, c->test_failures ? 1 : 0);
}

static const co_policy test_policy = {
    .mode = CFZ_MODE_TEST,
    .begin = test_begin,
    .baseline_done = test_baseline_done,
    .entry_failed = test_entry_failed,
};

/* ---- merge --------------------------------------------------------------- */

static void merge_begin(coord *c) { co_load_corpora(c, false); }

static void merge_entry_failed(coord *c, size_t k, const cfz_failure *fail,
                               const char *output) {
  (void)output;
  const char *origin = c->corpus.e[k].origin;
  cfz_report_log(&c->rep, "cfz: %s fails (%s); not kept", origin ? origin : "?",
                 fail->message);
}

/* Keeps the candidates that added features and did not fail. */
static void merge_baseline_done(coord *c) {
  cfz_merge_result *m = c->merge;
  snprintf(m->cache_dir, sizeof m->cache_dir, "%s", c->cache_dir);
  m->candidates = c->corpus.n - c->merge_base;
  if (m->candidates == 0) {
    m->base_features = c->cov.features;
    m->base_edges = c->cov.edges;
  }
  m->features = c->cov.features;
  m->edges = c->cov.edges;
  m->kept_origins = calloc(m->candidates + 1, sizeof *m->kept_origins);
  m->kept_values = calloc(m->candidates + 1, sizeof *m->kept_values);
  if (!m->kept_origins || !m->kept_values) {
    cfz_report_log(&c->rep, "cfz: out of memory");
    co_stop(c, 2);
    return;
  }
  for (size_t i = c->merge_base; i < c->corpus.n; i++) {
    const cfz_entry *e = &c->corpus.e[i];
    if (!e->new_features || (c->failed_entry && c->failed_entry[i]))
      continue;
    if (cfz_wire_decode(e->wire, e->len, c->types, c->ntypes,
                        &m->kept_values[m->kept]) != 0)
      continue;
    m->kept_origins[m->kept++] = e->origin ? strdup(e->origin) : NULL;
  }
  co_stop(c, 0);
}

void cfz_merge_result_free(cfz_merge_result *m) {
  for (size_t i = 0; i < m->kept; i++) {
    free(m->kept_origins[i]);
    cfz_values_free(&m->kept_values[i]);
  }
  free(m->kept_origins);
  free(m->kept_values);
  memset(m, 0, sizeof *m);
}

static const co_policy merge_policy = {
    .mode = CFZ_MODE_MERGE,
    .begin = merge_begin,
    .before_baseline = co_load_merge_candidates,
    .baseline_done = merge_baseline_done,
    .entry_failed = merge_entry_failed,
};

/* ---- minimize ------------------------------------------------------------ */

static void minimize_begin(coord *c) {
  c->phase = PHASE_MINIMIZE;
  co_start_minimize_mode(c);
}

static const co_policy minimize_policy = {
    .mode = CFZ_MODE_MINIMIZE,
    .begin = minimize_begin,
};

/* ---- entry points -------------------------------------------------------- */

static int run_policy(coord *c, const co_policy *p,
                      const cfz_run_options *run) {
  c->policy = p;
  c->opt = run;
  int code = co_run(c);
  free(c);
  return code;
}

static coord *new_coord(void) {
  coord *c = calloc(1, sizeof *c);
  if (!c)
    fprintf(stderr, "cfz: out of memory\n");
  return c;
}

int cfz_fuzz(const cfz_run_options *run, const cfz_fuzz_options *opt) {
  coord *c = new_coord();
  if (!c)
    return 2;
  c->fuzz = opt;
  c->fuzz_time = opt->fuzz_time;
  c->minimize_time = opt->minimize_time;
  c->keep_going = opt->keep_going;
  return run_policy(c, &fuzz_policy, run);
}

int cfz_test(const cfz_run_options *run, const cfz_test_options *opt,
             cfz_test_result *result) {
  coord *c = new_coord();
  if (!c)
    return 2;
  *result = (cfz_test_result){0};
  c->test = opt;
  c->test_result = result;
  return run_policy(c, &test_policy, run);
}

int cfz_merge(const cfz_run_options *run, const cfz_merge_options *opt,
              cfz_merge_result *result) {
  coord *c = new_coord();
  if (!c)
    return 2;
  c->merge_opt = opt;
  c->merge = result;
  return run_policy(c, &merge_policy, run);
}

int cfz_minimize(const cfz_run_options *run, const cfz_minimize_options *opt,
                 cfz_minimize_result *result) {
  coord *c = new_coord();
  if (!c)
    return 2;
  c->min_opt = opt;
  c->min_result = result;
  c->minimize_time = opt->minimize_time;
  return run_policy(c, &minimize_policy, run);
}
