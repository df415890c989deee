/* coordinator.c - the fuzzing policy (see coordinator.h). */
#include "coordinator.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "corpus_format.h"
#include "corpus_index.h"
#include "corpus_store.h"
#include "coverage_map.h"
#include "crash_queue.h"
#include "failure.h"
#include "protocol.h"
#include "report.h"
#include "wire.h"
#include "worker_client.h"

#define CFZ_STATS_MS 3000u
#define CFZ_BATCH_MS 100u
#define CFZ_SEEDED_BATCH 1000u
#define CFZ_MAX_STARTUP_RETRIES 3u
#define CFZ_MAX_PARAMS 64u
#define CFZ_DEFAULT_CAPACITY ((size_t)(1u << 20) + 4096u)

typedef enum phase {
  PHASE_STARTING, /* waiting for the first handshake */
  PHASE_SEEDS,    /* fetching the target's cfz_add seeds */
  PHASE_WARMUP,   /* running every corpus entry once */
  PHASE_FUZZ,
  PHASE_MINIMIZE,
  PHASE_STOPPING
} phase;

typedef struct coord coord;

typedef struct slot {
  coord *c;
  int index;
  cfz_client *cl;
  size_t job_arg;        /* seed index or corpus entry */
  uint64_t job_reserved; /* executions reserved for --fuzz-time Nx */
  unsigned startup_failures;
} slot;

struct coord {
  const cfz_options *opt;
  uv_loop_t loop;
  uv_signal_t sigint, sigterm;
  uv_timer_t stats_timer, limit_timer;
  slot *slots;
  unsigned nslots;
  cfz_coverage_map cov;

  /* target, from the first handshake */
  char target[256];
  cfz_type types[CFZ_MAX_PARAMS];
  size_t ntypes;
  size_t nseeds;
  char seed_dir[PATH_MAX], cache_dir[PATH_MAX];

  phase phase;
  cfz_corpus_index corpus;
  size_t seed_next, warm_next;
  uint64_t rng;

  uint64_t start_ns, execs, reserved, interesting;
  uint64_t last_stats_ns, last_stats_execs;
  size_t warm_done, corpus_at_start;

  cfz_crash_queue q; /* failures: the current one, queued, done */
  cfz_report rep;    /* where all output goes */
  int exit_code;
  json_int_t hello_counters;
  size_t merge_base;     /* MERGE: first candidate entry */
  size_t test_failures;  /* TEST: entries that failed */
  uint8_t *failed_entry; /* TEST/MERGE: per entry, it failed */
  uint64_t max_len;      /* the mutator's bound sent with each fuzz request */
  bool interrupted;
  bool report_pending; /* print the failure report once workers are gone */
  bool limit_reached;  /* --fuzz-time's duration ran out */
};

static void dispatch(coord *c);
static void stop(coord *c, int code);
static void restart_slot(slot *s);
static void finish_minimize(coord *c, const char *why);

/* ---- small helpers ---------------------------------------------------- */

static uint64_t next_rand(coord *c) {
  uint64_t z = (c->rng += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static bool fuzz_count_limited(const coord *c) {
  return c->opt->mode == CFZ_MODE_FUZZ && c->opt->fuzz_time.count > 0;
}

static uint64_t count_left(const coord *c) {
  uint64_t used = c->execs + c->reserved;
  return used >= c->opt->fuzz_time.count ? 0 : c->opt->fuzz_time.count - used;
}

/* ---- statistics --------------------------------------------------------- */

static void log_stats(coord *c) {
  uint64_t now = uv_hrtime();
  if (c->phase <= PHASE_WARMUP) {
    cfz_report_warmup(&c->rep, c->warm_done, c->corpus.n);
  } else {
    /* The rate since the last line; right after one (the final line), the
     * whole run's average instead of a rate over a few milliseconds. */
    double dt = (double)(now - c->last_stats_ns) / 1e9;
    uint64_t delta = c->execs - c->last_stats_execs;
    if (dt < 1.0) {
      dt = (double)(now - c->start_ns) / 1e9;
      delta = c->execs;
    }
    cfz_stats st = {.execs = c->execs,
                    .execs_per_sec =
                        dt > 0 ? (uint64_t)((double)delta / dt) : 0,
                    .new_interesting = c->interesting,
                    .corpus = c->corpus.n,
                    .features = c->cov.features,
                    .edges = c->cov.edges};
    for (unsigned i = 0; i < c->nslots; i++)
      st.workers +=
          cfz_client_running(c->slots[i].cl) || c->phase == PHASE_STOPPING;
    cfz_report_stats(&c->rep, &st);
  }
  c->last_stats_ns = now;
  c->last_stats_execs = c->execs;
}

static void on_stats_timer(uv_timer_t *t) { log_stats(t->data); }

/* ---- corpus -------------------------------------------------------------- */

typedef struct write_job {
  uv_work_t req;
  coord *c;
  char dir[PATH_MAX];
  cfz_values vals;
  int rc;
  char err[512];
} write_job;

static void do_write(uv_work_t *req) {
  write_job *j = (write_job *)req;
  char path[PATH_MAX];
  j->rc = cfz_corpus_write(j->dir, j->vals.v, j->vals.n, path, sizeof path,
                           j->err, sizeof j->err);
}

static void after_write(uv_work_t *req, int status) {
  write_job *j = (write_job *)req;
  if (status == 0 && j->rc != 0)
    cfz_report_log(&j->c->rep,
                   "cfz: warning: cannot save to the generated corpus: %s",
                   j->err);
  cfz_values_free(&j->vals);
  free(j);
}

/* Saves an interesting input to the generated corpus, off the loop. */
static void save_generated(coord *c, const uint8_t *wire, size_t len) {
  write_job *j = calloc(1, sizeof *j);
  if (!j)
    return;
  j->c = c;
  snprintf(j->dir, sizeof j->dir, "%s", c->cache_dir);
  if (cfz_wire_decode(wire, len, c->types, c->ntypes, &j->vals) != 0 ||
      uv_queue_work(&c->loop, &j->req, do_write, after_write) != 0) {
    cfz_values_free(&j->vals);
    free(j);
  }
}

static void add_loaded(void *ctx, const char *path, const cfz_values *vals) {
  coord *c = ctx;
  size_t need = cfz_wire_size(vals->v, vals->n);
  uint8_t *buf = malloc(need ? need : 1);
  if (!buf)
    return;
  size_t len = cfz_wire_encode(vals->v, vals->n, buf, need);
  if (len)
    cfz_index_add(&c->corpus, buf, len, path, 0);
  free(buf);
}

static void warn_loaded(void *ctx, const char *message) {
  coord *c = ctx;
  cfz_report_log(&c->rep, "cfz: warning: %s", message);
}

/* Writes vals to the seed corpus; on failure prints the input in full so
 * that it is not lost.  Returns 0 or -1. */
static int persist(coord *c, const uint8_t *wire, size_t len, char *path,
                   size_t pathlen) {
  cfz_values vals = {0};
  path[0] = 0;
  if (cfz_wire_decode(wire, len, c->types, c->ntypes, &vals) != 0) {
    cfz_report_log(&c->rep,
                   "cfz: internal error: cannot decode the failing input");
    return -1;
  }
  char err[512];
  int rc = 0;
  if (cfz_corpus_write(c->seed_dir, vals.v, vals.n, path, pathlen, err,
                       sizeof err) != 0) {
    path[0] = 0;
    cfz_report_log(&c->rep, "%s", err);
    char *text = NULL;
    size_t tlen = 0;
    if (cfz_corpus_encode(vals.v, vals.n, &text, &tlen) == 0) {
      cfz_report_log(&c->rep,
                     "cfz: the failing input could not be saved; here it is in "
                     "full:\n%s",
                     text);
      free(text);
    }
    rc = -1;
  }
  cfz_values_free(&vals);
  return rc;
}

/* ---- handshake ---------------------------------------------------------- */

static int take_target_info(coord *c, const cfz_hello *h) {
  const char *name = h->target.name;
  if (!cfz_target_name_valid(name)) {
    cfz_report_log(&c->rep, "cfz: %s: invalid target name \"%s\"",
                   c->opt->target_path, name);
    return -1;
  }
  snprintf(c->target, sizeof c->target, "%s", name);
  c->ntypes = h->target.nparams;
  memcpy(c->types, h->target.params, c->ntypes * sizeof *c->types);
  c->nseeds = (size_t)h->seeds;
  /* gcc's trace-pc registers counters only once instrumented code runs, so
   * the warning waits for the baseline coverage (see end_warmup). */
  c->hello_counters = h->counters;
  snprintf(c->seed_dir, sizeof c->seed_dir, "%s/%s",
           c->opt->testdata_dir ? c->opt->testdata_dir : "testdata/fuzz",
           c->target);
  char *root =
      c->opt->cache_dir ? strdup(c->opt->cache_dir) : cfz_default_cache_dir();
  if (!root)
    return -1;
  snprintf(c->cache_dir, sizeof c->cache_dir, "%s/%s", root, c->target);
  free(root);
  return 0;
}

static bool same_target(coord *c, const cfz_hello *h) {
  return strcmp(h->target.name, c->target) == 0 &&
         h->target.nparams == c->ntypes;
}

static void load_corpora(coord *c) {
  if (c->opt->mode == CFZ_MODE_MINIMIZE)
    return;
  cfz_corpus_load_dir(c->seed_dir, c->types, c->ntypes, add_loaded, warn_loaded,
                      c);
  /* MERGE loads its candidates after the seeds (see load_merge_candidates);
   * TEST runs the generated corpus only with --all. */
  for (size_t i = 0; i < c->opt->ncorpus_dirs; i++)
    if (cfz_corpus_load_dir(c->opt->corpus_dirs[i], c->types, c->ntypes,
                            add_loaded, warn_loaded, c) < 0)
      cfz_report_log(&c->rep, "cfz: warning: %s: cannot be read",
                     c->opt->corpus_dirs[i]);
  if (c->opt->mode == CFZ_MODE_FUZZ ||
      (c->opt->mode == CFZ_MODE_TEST && c->opt->test_all))
    cfz_corpus_load_dir(c->cache_dir, c->types, c->ntypes, add_loaded,
                        warn_loaded, c);
}

/* Smallest first; equal sizes by content, so that the order (and with it
 * the kept set) does not depend on where the inputs came from. */
static int by_length(const void *a, const void *b) {
  const cfz_entry *x = a, *y = b;
  if (x->len != y->len)
    return x->len < y->len ? -1 : 1;
  return memcmp(x->wire, y->wire, x->len);
}

/* MERGE: candidates (the generated corpus, then the given dirs) run after
 * every seed, smallest first, so the kept set is small. */
static void load_merge_candidates(coord *c) {
  c->merge_base = c->corpus.n;
  if (!c->opt->merge_skip_cache)
    cfz_corpus_load_dir(c->cache_dir, c->types, c->ntypes, add_loaded,
                        warn_loaded, c);
  for (size_t i = 0; i < c->opt->nmerge_dirs; i++)
    if (cfz_corpus_load_dir(c->opt->merge_dirs[i], c->types, c->ntypes,
                            add_loaded, warn_loaded, c) < 0)
      cfz_report_log(&c->rep, "cfz: warning: %s: cannot be read",
                     c->opt->merge_dirs[i]);
  /* Re-add everything in order (seeds, then candidates by size): the index
   * maps hashes to positions, so it is rebuilt rather than sorted. */
  size_t n = c->corpus.n - c->merge_base;
  cfz_entry *tail = malloc((n ? n : 1) * sizeof *tail);
  if (!tail)
    return;
  memcpy(tail, c->corpus.e + c->merge_base, n * sizeof *tail);
  qsort(tail, n, sizeof *tail, by_length);
  cfz_corpus_index ix;
  cfz_index_init(&ix);
  for (size_t i = 0; i < c->merge_base; i++)
    cfz_index_add(&ix, c->corpus.e[i].wire, c->corpus.e[i].len,
                  c->corpus.e[i].origin, 0);
  for (size_t i = 0; i < n; i++)
    cfz_index_add(&ix, tail[i].wire, tail[i].len, tail[i].origin, 0);
  free(tail);
  cfz_index_free(&c->corpus);
  c->corpus = ix;
}

static void report_entry_failure(coord *c, const cfz_entry *e,
                                 const char *message, const char *output) {
  if (c->opt->mode == CFZ_MODE_MERGE) {
    cfz_report_log(&c->rep, "cfz: %s fails (%s); not kept",
                   e->origin ? e->origin : "?", message);
    return;
  }
  c->test_failures++;
  const char *origin = e->origin ? e->origin : "?";
  const char *base = strrchr(origin, '/');
  if (c->opt->mode == CFZ_MODE_FUZZ)
    cfz_report_log(&c->rep, "failure while testing seed corpus entry: %s/%s",
                   c->target, base ? base + 1 : origin);
  cfz_report_entry_failure(&c->rep, c->target, origin, message, output);
}

/* TEST and MERGE end after the baseline run. */
static void finish_baseline_mode(coord *c) {
  if (c->opt->mode == CFZ_MODE_TEST) {
    size_t n = c->corpus.n;
    if (c->test_failures)
      cfz_report_log(&c->rep, "FAIL: %zu of %zu corpus entries failed",
                     c->test_failures, n);
    else
      cfz_report_log(&c->rep, "ok: %zu corpus entries passed", n);
    stop(c, c->test_failures ? 1 : 0);
    return;
  }
  cfz_merge_result *m = c->opt->merge;
  snprintf(m->cache_dir, sizeof m->cache_dir, "%s", c->cache_dir);
  m->candidates = c->corpus.n - c->merge_base;
  m->features = c->cov.features;
  m->kept_origins = calloc(m->candidates + 1, sizeof *m->kept_origins);
  m->kept_values = calloc(m->candidates + 1, sizeof *m->kept_values);
  if (!m->kept_origins || !m->kept_values) {
    cfz_report_log(&c->rep, "cfz: out of memory");
    stop(c, 2);
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
  stop(c, 0);
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

static void mark_failed(coord *c, size_t k) {
  if (!c->failed_entry)
    c->failed_entry = calloc(c->corpus.n + 1, 1);
  if (c->failed_entry && k < c->corpus.n)
    c->failed_entry[k] = 1;
}

static void begin_warmup(coord *c);
static void start_minimize_mode(coord *c);

static void on_hello(slot *s, const cfz_client_result *r) {
  coord *c = s->c;
  if (!r->hello) {
    cfz_report_log(&c->rep, "cfz: %s: %s", c->opt->target_path,
                   *r->message ? r->message : "handshake refused");
    stop(c, 2);
    return;
  }
  if (r->hello->protocol != CFZ_PROTOCOL_VERSION) {
    cfz_report_log(
        &c->rep, "cfz: %s: speaks protocol %" PRIu64 ", this cfz speaks %d",
        c->opt->target_path, r->hello->protocol, CFZ_PROTOCOL_VERSION);
    stop(c, 2);
    return;
  }
  s->startup_failures = 0;
  if (c->phase == PHASE_STARTING) {
    if (take_target_info(c, r->hello) != 0) {
      stop(c, 2);
      return;
    }
    load_corpora(c);
    c->phase = PHASE_SEEDS;
    if (c->opt->mode == CFZ_MODE_MINIMIZE) {
      c->phase = PHASE_MINIMIZE;
      start_minimize_mode(c);
      return;
    }
  } else if (!same_target(c, r->hello)) {
    cfz_report_log(&c->rep, "cfz: worker %d: reports a different target",
                   s->index);
    stop(c, 2);
  }
}

/* ---- failures ------------------------------------------------------------ */

static void print_failure_report(coord *c) {
  cfz_failure_report f = {.target = c->target,
                          .target_path = c->opt->target_path,
                          .crash = &c->q.current};
  cfz_report_failure(&c->rep, &f);
}

static bool can_minimize(const coord *c) {
  const cfz_limit *m = &c->opt->minimize_time;
  if (m->ns == 0 && m->count == 0)
    return false;
  for (size_t i = 0; i < c->ntypes; i++)
    if (c->types[i] != CFZ_BOOL)
      return true;
  return false;
}

static bool minimize_budget_left(const coord *c) {
  const cfz_limit *m = &c->opt->minimize_time;
  if (m->count && c->q.current.execs >= m->count)
    return false;
  if (m->ns && uv_hrtime() >= c->q.current.deadline_ns)
    return false;
  return true;
}

/* A failure came in unminimized: persist it, then queue it for
 * minimization (or finish at once). */
/* Starts handling a failure: minimize it, or finish at once. */
static void begin_crash(coord *c) {
  cfz_crash *k = &c->q.current;
  if (!can_minimize(c)) {
    finish_minimize(c, NULL);
    return;
  }
  c->phase = PHASE_MINIMIZE;
  k->minimizing = true;
  k->min_slot = -1;
  k->execs = 0;
  k->deadline_ns = uv_hrtime() + c->opt->minimize_time.ns;
  cfz_report_log(&c->rep, "found a crash, minimizing...");
}

/* A failure came in unminimized: persist it at once (so that nothing found
 * is lost, even to kill -9), then route it through the minimize queue. */
static void found_failure(coord *c, slot *s, const cfz_failure *f, bool death,
                          cfz_client_result *r) {
  if (c->phase == PHASE_STOPPING) {
    c->q.others += !c->opt->keep_going;
    return;
  }
  if (cfz_crashq_seen(&c->q, f))
    return;
  char *output = r->output;
  r->output = NULL;
  cfz_crash n = {0};
  n.death = death;
  n.fail_known = true;
  n.fail = *f;
  n.output = output;
  n.count = 1;
  n.min_slot = s->index; /* the finder, until a minimizer is chosen */
  n.len = r->input ? r->input_len : 0;
  n.wire = r->input ? r->input : malloc(1);
  r->input = NULL;
  if (!n.wire) {
    cfz_report_log(&c->rep, "cfz: out of memory saving the failing input");
    free(output);
    stop(c, 1);
    return;
  }
  persist(c, n.wire, n.len, n.path, sizeof n.path);
  cfz_crash *stored;
  /* --keep-going: while another failure is minimized, this one waits. */
  if (cfz_crashq_add(&c->q, &n, &stored) == CFZ_CRASH_MINIMIZE_NOW)
    begin_crash(c);
}

/* Ends minimization with the best known crasher: writes it (replacing the
 * unminimized file) and stops the run. */
static void finish_minimize(coord *c, const char *why) {
  cfz_crash *k = &c->q.current;
  k->minimizing = false;
  if (why)
    cfz_report_log(&c->rep, "%s", why);
  if (c->opt->mode == CFZ_MODE_MINIMIZE) {
    cfz_minimize_result *res = c->opt->result;
    res->reproduced = k->fail_known;
    res->execs = k->execs;
    snprintf(res->message, sizeof res->message, "%s", k->fail.message);
    if (cfz_wire_decode(k->wire, k->len, c->types, c->ntypes, &res->best) != 0)
      res->reproduced = false;
    stop(c, res->reproduced ? 0 : 2);
    return;
  }
  char path[PATH_MAX];
  if (persist(c, k->wire, k->len, path, sizeof path) == 0 &&
      strcmp(path, k->path) != 0) {
    if (k->path[0] && unlink(k->path) != 0 && errno != ENOENT)
      cfz_report_log(&c->rep, "cfz: remove %s: %s", k->path, strerror(errno));
    snprintf(k->path, sizeof k->path, "%s", path);
  }
  if (!c->opt->keep_going || c->interrupted || c->limit_reached) {
    /* Report after the workers have exited: by then their output pipes
     * are drained, so the report shows the last lines they printed. */
    k->report_slot = k->min_slot;
    c->report_pending = true;
  } else {
    print_failure_report(c);
  }
  if (c->q.others)
    cfz_report_log(&c->rep,
                   "cfz: %u further failure(s) reported meanwhile were not "
                   "minimized",
                   c->q.others);
  if (!c->opt->keep_going || c->interrupted || c->limit_reached) {
    stop(c, 1);
    return;
  }
  /* --keep-going: remember it, then the next queued failure or fuzzing. */
  c->exit_code = 1;
  if (cfz_crashq_next(&c->q)) {
    begin_crash(c);
    return;
  }
  c->phase = PHASE_FUZZ;
  dispatch(c);
}

/* ---- responses ----------------------------------------------------------- */

static void on_seed_response(slot *s, const cfz_client_result *r) {
  coord *c = s->c;
  if (r->input) {
    char origin[32];
    snprintf(origin, sizeof origin, "seed#%zu", s->job_arg);
    cfz_index_add(&c->corpus, r->input, r->input_len, origin, 0);
  }
}

static void begin_warmup(coord *c) {
  c->phase = PHASE_WARMUP;
  if (c->opt->mode == CFZ_MODE_MERGE)
    load_merge_candidates(c);
  c->corpus_at_start = c->corpus.n;
  if (c->corpus.n == 0 && c->opt->mode == CFZ_MODE_FUZZ) {
    /* Go synthesises a zero value; so do we. */
    cfz_report_log(&c->rep, "cfz: warning: starting with empty corpus");
    cfz_value zero[CFZ_MAX_PARAMS];
    memset(zero, 0, sizeof zero);
    for (size_t i = 0; i < c->ntypes; i++)
      zero[i].type = c->types[i];
    uint8_t buf[CFZ_MAX_PARAMS * 8];
    size_t len = cfz_wire_encode(zero, c->ntypes, buf, sizeof buf);
    if (len)
      cfz_index_add(&c->corpus, buf, len, "zero value", 0);
  }
  if (c->opt->mode == CFZ_MODE_FUZZ) /* test and merge print their own */
    log_stats(c);
}

/* libFuzzer's -max_len=0 rule: at least the largest corpus input. */
static void choose_max_len(coord *c) {
  c->max_len = c->opt->max_len;
  if (c->opt->max_len_set)
    return;
  size_t cap = cfz_client_capacity(c->slots[0].cl);
  for (size_t i = 0; i < c->corpus.n; i++) {
    size_t len = c->corpus.e[i].len; /* wire bytes: an upper bound */
    if (len > c->max_len)
      c->max_len = len < cap ? len : cap;
  }
}

static void end_warmup(coord *c) {
  if (c->opt->mode == CFZ_MODE_TEST || c->opt->mode == CFZ_MODE_MERGE) {
    finish_baseline_mode(c);
    return;
  }
  c->phase = PHASE_FUZZ;
  choose_max_len(c);
  if (c->hello_counters == 0 && c->cov.features == 0 && !c->opt->no_feedback)
    cfz_report_log(
        &c->rep,
        "cfz: warning: %s was built without coverage instrumentation; "
        "fuzzing will be blind (see docs/harness-api.md)",
        c->opt->target_path);
}

static void on_exec_response(slot *s, cfz_client_result *r) {
  coord *c = s->c;
  c->warm_done++;
  if (r->result == CFZ_RESULT_NEW) {
    uint64_t added = cfz_covmap_merge(&c->cov, r->features, r->nfeatures);
    if (s->job_arg < c->corpus.n)
      c->corpus.e[s->job_arg].new_features = (uint32_t)added;
  } else if (r->result == CFZ_RESULT_FAILURE) {
    const char *msg = r->message;
    mark_failed(c, s->job_arg);
    report_entry_failure(c, &c->corpus.e[s->job_arg],
                         msg && *msg ? msg : "fuzz function failed", r->output);
    if (c->opt->mode == CFZ_MODE_FUZZ)
      stop(c, 1);
  }
}

static void on_fuzz_response(slot *s, cfz_client_result *r) {
  coord *c = s->c;
  if (r->result == CFZ_RESULT_NEW && c->phase == PHASE_FUZZ) {
    uint64_t added = cfz_covmap_merge(&c->cov, r->features, r->nfeatures);
    size_t len = r->input_len;
    if (added > 0 && r->input) {
      const uint8_t *wire = r->input;
      if (cfz_index_add(&c->corpus, wire, len, NULL, (uint32_t)added) >= 0) {
        c->interesting++;
        save_generated(c, wire, len);
      }
    }
  } else if (r->result == CFZ_RESULT_FAILURE) {
    const char *msg = r->message;
    cfz_failure f;
    cfz_failure_recoverable(&f, msg && *msg ? msg
                                            : "fuzz function failed with no "
                                              "message");
    found_failure(c, s, &f, false, r);
  }
}

static void on_minimize_response(slot *s, cfz_client_result *r) {
  coord *c = s->c;
  cfz_crash *k = &c->q.current;
  bool not_reproduced = r->result == CFZ_RESULT_NOT_REPRODUCED;
  if (r->result == CFZ_RESULT_MINIMIZED && r->input) {
    free(k->wire);
    k->wire = r->input;
    k->len = r->input_len;
    r->input = NULL;
  }
  /* Show what the target printed while minimizing (its last runs). */
  if (r->output && *r->output) {
    free(k->output);
    k->output = r->output;
    r->output = NULL;
  }
  const char *msg = r->message;
  if (!not_reproduced && !k->death) {
    k->fail_known = true;
    if (msg && *msg)
      snprintf(k->fail.message, sizeof k->fail.message, "%s", msg);
  }
  if (c->opt->mode == CFZ_MODE_MINIMIZE && not_reproduced) {
    cfz_report_log(&c->rep, "cfz: %s does not fail", c->opt->crash_file);
    stop(c, 2);
    return;
  }
  finish_minimize(c, not_reproduced
                         ? "attempted to minimize a crash but could not "
                           "reproduce it; writing the original"
                         : NULL);
}

static void handle_response(slot *s, cfz_client_result *r) {
  switch (r->job) {
  case CFZ_JOB_HELLO:
    on_hello(s, r);
    break;
  case CFZ_JOB_SEED:
    on_seed_response(s, r);
    break;
  case CFZ_JOB_EXEC:
    on_exec_response(s, r);
    break;
  case CFZ_JOB_FUZZ:
    on_fuzz_response(s, r);
    break;
  case CFZ_JOB_MINIMIZE:
    on_minimize_response(s, r);
    break;
  case CFZ_JOB_NONE:
    break;
  }
}

static void on_response(slot *s, cfz_client_result *r) {
  coord *c = s->c;
  c->reserved -= s->job_reserved;
  s->job_reserved = 0;
  if (r->job == CFZ_JOB_MINIMIZE)
    c->q.current.execs += r->execs;
  else
    c->execs += r->execs;
  if (c->phase == PHASE_STOPPING)
    return;
  if (r->kind == CFZ_CLIENT_ERROR) {
    cfz_report_log(&c->rep, "cfz: worker %d (pid %d): internal error: %s",
                   s->index, cfz_client_pid(s->cl), r->message);
    if (r->job == CFZ_JOB_MINIMIZE)
      finish_minimize(c, NULL);
    else
      cfz_client_kill(s->cl); /* restarted when its exit arrives */
    return;
  }
  handle_response(s, r);
  if (c->phase != PHASE_STOPPING)
    dispatch(c);
}

/* ---- worker exits ------------------------------------------------------ */

/* Start-up failure (no handshake): never a crash.  Returns after a restart
 * or a stop. */
static void startup_failed(slot *s, const cfz_client_result *r,
                           const char *status) {
  coord *c = s->c;
  cfz_report_log(&c->rep, "fuzzing process terminated without fuzzing: %s",
                 r->kind == CFZ_CLIENT_PROTOCOL ? r->message : status);
  cfz_report_indented(&c->rep, r->output, 40);
  bool ever = c->phase != PHASE_STARTING;
  if (!ever || ++s->startup_failures >= CFZ_MAX_STARTUP_RETRIES) {
    stop(c, 2);
    return;
  }
  restart_slot(s);
}

static void failure_of_exit(const coord *c, const cfz_client_result *r,
                            cfz_failure *f) {
  const cfz_worker_exit *e = r->exit;
  if (r->kind == CFZ_CLIENT_HANG)
    cfz_failure_hang(f, c->opt->timeout_ms);
  else if (r->kind == CFZ_CLIENT_OOM)
    cfz_failure_oom(f, e->rss_mb, c->opt->rss_limit_mb);
  else
    cfz_failure_from_exit(f, e->exit_status, e->term_signal, r->output);
  if (e->cause != CFZ_EXIT_SELF)
    cfz_failure_parse_report(f, r->output);
}

/* A minimization worker died: a matching candidate is the new best
 * crasher (the worker restarts and minimizes again); else it ends. */
static void minimizer_died(slot *s, cfz_client_result *r, const cfz_failure *f,
                           const char *status) {
  coord *c = s->c;
  cfz_crash *k = &c->q.current;
  if (!k->fail_known && r->running == CFZ_RUNNING_VALUE) {
    /* cfz minimize: the input itself kills the process; minimize that. */
    k->fail = *f;
    k->fail_known = k->death = true;
    k->min_slot = -1;
    restart_slot(s);
    return;
  }
  if (r->running == CFZ_RUNNING_AUX && cfz_failure_same(&k->fail, f) &&
      r->input) {
    /* The candidate crashed the same way: it is the new best. */
    free(k->wire);
    k->wire = r->input;
    k->len = r->input_len;
    r->input = NULL;
    free(k->output);
    k->output = r->output;
    r->output = NULL;
    k->min_slot = -1;
    if (!minimize_budget_left(c))
      finish_minimize(c, NULL);
    else
      restart_slot(s); /* and send minimize again */
    return;
  }
  char msg[600];
  snprintf(msg, sizeof msg,
           "fuzzing process terminated unexpectedly while minimizing: %s",
           r->exit->cause == CFZ_EXIT_SELF ? status : f->message);
  finish_minimize(c, msg);
}

/* A worker died while running an input. */
static void worker_died(slot *s, cfz_client_result *r, const char *status) {
  coord *c = s->c;
  cfz_failure f;
  failure_of_exit(c, r, &f);
  switch (r->job) {
  case CFZ_JOB_SEED:
  case CFZ_JOB_HELLO:
    cfz_report_log(&c->rep, "fuzzing process terminated without fuzzing: %s",
                   f.message);
    cfz_report_indented(&c->rep, r->output, 40);
    stop(c, 2);
    return;
  case CFZ_JOB_EXEC:
    c->warm_done++;
    mark_failed(c, s->job_arg);
    report_entry_failure(c, &c->corpus.e[s->job_arg], f.message, r->output);
    if (c->opt->mode == CFZ_MODE_FUZZ) {
      stop(c, 1);
      return;
    }
    break; /* TEST and MERGE go on with a new worker */
  case CFZ_JOB_FUZZ:
    found_failure(c, s, &f, true, r);
    break;
  case CFZ_JOB_MINIMIZE:
    minimizer_died(s, r, &f, status);
    return;
  case CFZ_JOB_NONE:
    break;
  }
  restart_slot(s);
}

static void on_exit_event(slot *s, cfz_client_result *r) {
  coord *c = s->c;
  const cfz_worker_exit *e = r->exit;
  c->reserved -= s->job_reserved;
  s->job_reserved = 0;
  if (r->job == CFZ_JOB_MINIMIZE)
    c->q.current.execs += r->execs;
  else if (e->busy)
    c->execs += r->execs;
  if (c->report_pending && s->index == c->q.current.report_slot && r->output &&
      *r->output) {
    free(c->q.current.output);
    c->q.current.output = r->output;
    r->output = NULL;
  }
  if (c->phase == PHASE_STOPPING ||
      (e->cause == CFZ_EXIT_STOPPED && r->kind != CFZ_CLIENT_PROTOCOL)) {
    if (c->phase == PHASE_STOPPING)
      stop(c, c->exit_code);
    return;
  }
  char status[64];
  cfz_exit_text(e->exit_status, e->term_signal, status, sizeof status);
  if (!e->handshake) {
    startup_failed(s, r, status);
  } else if (r->kind == CFZ_CLIENT_PROTOCOL) {
    cfz_report_log(&c->rep, "cfz: worker %d (pid %d): %s; restarting it",
                   s->index, r->pid, r->message);
    if (r->job == CFZ_JOB_MINIMIZE)
      finish_minimize(c, NULL);
    else
      restart_slot(s);
  } else if (r->kind == CFZ_CLIENT_EXIT) {
    cfz_report_log(
        &c->rep,
        "cfz: worker %d (pid %d) terminated while idle: %s; restarting",
        s->index, r->pid, status);
    restart_slot(s);
  } else {
    worker_died(s, r, status);
  }
}

static void on_client_event(cfz_client *cl, void *ctx, cfz_client_result *r) {
  (void)cl;
  if (r->kind == CFZ_CLIENT_RESPONSE || r->kind == CFZ_CLIENT_ERROR)
    on_response(ctx, r);
  else
    on_exit_event(ctx, r);
}

/* ---- dispatch -------------------------------------------------------------
 */

static void dispatch_fuzz(coord *c, slot *s) {
  uint64_t max_execs = c->opt->seed_set ? CFZ_SEEDED_BATCH : 0;
  if (fuzz_count_limited(c)) {
    uint64_t left = count_left(c);
    if (left == 0)
      return;
    if (max_execs == 0 || left < max_execs)
      max_execs = left;
  }
  size_t k = cfz_index_pick(&c->corpus, next_rand(c));
  const cfz_entry *e = &c->corpus.e[k];
  if (e->len > cfz_client_capacity(s->cl))
    return;
  cfz_fuzz_job job = {.base = e->wire, .base_len = e->len};
  if (c->corpus.n > 1) {
    const cfz_entry *o = &c->corpus.e[next_rand(c) % c->corpus.n];
    job.aux = o->wire;
    job.aux_len = o->len;
  }
  job.max_execs = max_execs;
  job.max_ms = c->opt->seed_set ? 0 : CFZ_BATCH_MS;
  job.seed = next_rand(c);
  job.max_len = c->max_len;
  s->job_reserved = max_execs;
  c->reserved += max_execs;
  if (cfz_client_fuzz(s->cl, &job) != 0) {
    c->reserved -= max_execs;
    s->job_reserved = 0;
  }
}

static void dispatch_minimize(coord *c, slot *s) {
  cfz_crash *k = &c->q.current;
  if (!k->minimizing || k->min_slot >= 0)
    return;
  if (!minimize_budget_left(c)) {
    finish_minimize(c, NULL);
    return;
  }
  const cfz_limit *m = &c->opt->minimize_time;
  uint64_t max_execs = m->count ? m->count - k->execs : 0;
  uint64_t max_ms = 0;
  if (m->ns) {
    uint64_t now = uv_hrtime();
    max_ms = k->deadline_ns > now ? (k->deadline_ns - now) / 1000000u : 0;
    if (max_ms == 0)
      max_ms = 1;
  }
  k->min_slot = s->index;
  if (cfz_client_minimize(s->cl, k->wire, k->len, max_execs, max_ms,
                          k->death) != 0)
    k->min_slot = -1;
}

static bool any_busy(const coord *c) {
  for (unsigned i = 0; i < c->nslots; i++)
    if (cfz_client_job(c->slots[i].cl) != CFZ_JOB_NONE)
      return true;
  return false;
}

static bool any_job(const coord *c, cfz_job j) {
  for (unsigned i = 0; i < c->nslots; i++)
    if (cfz_client_job(c->slots[i].cl) == j)
      return true;
  return false;
}

static void dispatch(coord *c) {
  for (unsigned i = 0; i < c->nslots && c->phase != PHASE_STOPPING; i++) {
    slot *s = &c->slots[i];
    if (!cfz_client_idle(s->cl))
      continue;
    switch (c->phase) {
    case PHASE_SEEDS:
      if (c->seed_next < c->nseeds) {
        s->job_arg = c->seed_next++;
        cfz_client_seed(s->cl, s->job_arg);
      } else if (!any_job(c, CFZ_JOB_SEED)) {
        begin_warmup(c);
        i = (unsigned)-1; /* restart the scan in the new phase */
      }
      break;
    case PHASE_WARMUP:
      if (c->warm_next < c->corpus_at_start) {
        if (fuzz_count_limited(c) && count_left(c) == 0)
          break;
        s->job_arg = c->warm_next++;
        const cfz_entry *e = &c->corpus.e[s->job_arg];
        if (e->len > cfz_client_capacity(s->cl)) {
          cfz_report_log(
              &c->rep,
              "cfz: warning: %s is larger than the %zu-byte value area; "
              "skipped (a larger --max-len makes room)",
              e->origin ? e->origin : "corpus entry",
              cfz_client_capacity(s->cl));
          c->warm_done++;
          i--;
          break;
        }
        s->job_reserved = 1;
        c->reserved += 1;
        cfz_client_exec(s->cl, e->wire, e->len);
      } else if (!any_job(c, CFZ_JOB_EXEC)) {
        end_warmup(c);
        i = (unsigned)-1;
      }
      break;
    case PHASE_FUZZ:
      dispatch_fuzz(c, s);
      break;
    case PHASE_MINIMIZE:
      dispatch_minimize(c, s);
      break;
    default:
      break;
    }
  }
  if (c->phase == PHASE_FUZZ && fuzz_count_limited(c) && count_left(c) == 0 &&
      !any_busy(c))
    stop(c, 0);
}

/* ---- lifecycle ------------------------------------------------------------
 */

static void spawn_slot(slot *s) {
  char err[512];
  if (cfz_client_start(s->cl, err, sizeof err) != 0) {
    cfz_report_log(&s->c->rep, "cfz: %s", err);
    stop(s->c, 2);
  }
}

static void restart_slot(slot *s) {
  if (s->c->phase == PHASE_STOPPING)
    return;
  spawn_slot(s);
}

static void close_cb(uv_handle_t *h) { (void)h; }

/* Stops everything; the loop ends when all workers are gone. */
static void stop(coord *c, int code) {
  if (c->phase != PHASE_STOPPING) {
    c->phase = PHASE_STOPPING;
    if (code != 0 || c->q.ndone == 0)
      c->exit_code = code;
    if (c->q.current.minimizing)
      c->q.current.minimizing = false;
    for (unsigned i = 0; i < c->nslots; i++)
      if (c->slots[i].cl)
        cfz_client_stop(c->slots[i].cl, 1000);
  }
  for (unsigned i = 0; i < c->nslots; i++)
    if (c->slots[i].cl && cfz_client_running(c->slots[i].cl))
      return;
  uv_handle_t *hs[] = {(uv_handle_t *)&c->sigint, (uv_handle_t *)&c->sigterm,
                       (uv_handle_t *)&c->stats_timer,
                       (uv_handle_t *)&c->limit_timer};
  for (size_t i = 0; i < sizeof hs / sizeof hs[0]; i++)
    if (!uv_is_closing(hs[i]))
      uv_close(hs[i], close_cb);
}

static void on_signal(uv_signal_t *h, int signum) {
  coord *c = h->data;
  char name[32];
  if (c->phase == PHASE_STOPPING)
    return;
  c->interrupted = true;
  cfz_report_log(&c->rep, "cfz: %s received, stopping",
                 cfz_signal_name(signum, name, sizeof name));
  if (c->q.active && c->q.current.minimizing) {
    /* Take the best crasher the minimizing worker holds, then finish. */
    uint8_t *w;
    size_t len;
    if (c->q.current.min_slot >= 0 &&
        cfz_client_copy_value(c->slots[c->q.current.min_slot].cl, &w, &len) ==
            0) {
      cfz_values v = {0};
      if (cfz_wire_decode(w, len, c->types, c->ntypes, &v) == 0) {
        free(c->q.current.wire);
        c->q.current.wire = w;
        c->q.current.len = len;
        w = NULL;
      }
      free(w);
      cfz_values_free(&v);
    }
    finish_minimize(c, "minimization interrupted; writing the best crasher "
                       "found so far");
    return;
  }
  stop(c, c->q.active ? 1 : 0);
}

static void on_limit_timer(uv_timer_t *t) {
  coord *c = t->data;
  c->limit_reached = true;
  if (c->phase == PHASE_MINIMIZE || c->phase == PHASE_STOPPING)
    return; /* the failure being minimized is still written */
  stop(c, 0);
}

/* Value areas must hold max_len bytes for every bytes/string parameter and
 * the largest corpus input; neither is known before the handshake, so size
 * generously: the regions are sparse, untouched pages cost nothing. */
static size_t value_capacity(const cfz_options *o) {
  size_t cap = 4 * o->max_len + 4096;
  return cap > CFZ_DEFAULT_CAPACITY ? cap : CFZ_DEFAULT_CAPACITY;
}

static cfz_client_config client_config(const coord *c) {
  const cfz_options *o = c->opt;
  cfz_client_config cfg = {.path = o->target_path,
                           .target_name = o->target_name,
                           .coverage_fd = cfz_covmap_fd(&c->cov),
                           .capacity = value_capacity(o),
                           .timeout_ms = o->timeout_ms,
                           .startup_timeout_ms =
                               o->timeout_ms > 10000 ? o->timeout_ms : 10000,
                           .rss_limit_mb = o->rss_limit_mb,
                           .malloc_limit_mb = o->malloc_limit_mb,
                           .hello = {.call = CFZ_CALL_HELLO,
                                     .protocol = CFZ_PROTOCOL_VERSION,
                                     .max_len = o->max_len,
                                     .dict = o->dict_path,
                                     .value_profile = o->value_profile,
                                     .coverage = !o->no_feedback}};
  return cfg;
}

static int setup(coord *c, const cfz_options *o) {
  char err[512];
  c->opt = o;
  c->exit_code = 0;
  c->rng = o->seed_set ? o->seed : uv_hrtime() ^ ((uint64_t)getpid() << 32);
  cfz_index_init(&c->corpus);
  cfz_crashq_init(&c->q, o->keep_going);
  cfz_report_init(&c->rep, o->json, uv_hrtime());
  if (uv_loop_init(&c->loop) != 0) {
    cfz_report_log(&c->rep, "cfz: cannot initialise the event loop");
    return -1;
  }
  uv_signal_init(&c->loop, &c->sigint);
  uv_signal_init(&c->loop, &c->sigterm);
  c->sigint.data = c->sigterm.data = c;
  uv_timer_init(&c->loop, &c->stats_timer);
  uv_timer_init(&c->loop, &c->limit_timer);
  c->stats_timer.data = c->limit_timer.data = c;
  if (cfz_covmap_init(&c->cov, err, sizeof err) != 0) {
    cfz_report_log(&c->rep, "cfz: %s", err);
    return -1;
  }
  c->nslots = o->parallel ? o->parallel : 1;
  if (o->mode == CFZ_MODE_MINIMIZE)
    c->nslots = 1;
  if (fuzz_count_limited(c) && c->opt->fuzz_time.count < c->nslots)
    c->nslots = (unsigned)c->opt->fuzz_time.count;
  c->slots = calloc(c->nslots, sizeof *c->slots);
  if (!c->slots) {
    cfz_report_log(&c->rep, "cfz: out of memory");
    return -1;
  }
  cfz_client_config cfg = client_config(c);
  for (unsigned i = 0; i < c->nslots; i++) {
    slot *s = &c->slots[i];
    s->c = c;
    s->index = (int)i;
    s->cl = cfz_client_new(&c->loop, &cfg, on_client_event, s, err, sizeof err);
    if (!s->cl) {
      cfz_report_log(&c->rep, "cfz: %s", err);
      return -1;
    }
  }
  uv_signal_start(&c->sigint, on_signal, SIGINT);
  uv_signal_start(&c->sigterm, on_signal, SIGTERM);
  return 0;
}

static void teardown(coord *c) {
  for (unsigned i = 0; c->slots && i < c->nslots; i++)
    cfz_client_free(c->slots[i].cl);
  free(c->slots);
  cfz_covmap_free(&c->cov);
  cfz_index_free(&c->corpus);
  cfz_crashq_free(&c->q);
  free(c->failed_entry);
  uv_loop_close(&c->loop);
}

/* MINIMIZE mode: once the worker is up, load the crash file as the crasher
 * and run a recoverable-mode minimization (death mode follows if it kills). */
static void start_minimize_mode(coord *c) {
  cfz_values v = {0};
  char err[512];
  if (cfz_corpus_read_file(c->opt->crash_file, &v, err, sizeof err) != 0) {
    cfz_report_log(&c->rep, "cfz: %s", err);
    stop(c, 2);
    return;
  }
  if (!cfz_values_match_types(v.v, v.n, c->types, c->ntypes)) {
    cfz_report_log(&c->rep,
                   "cfz: %s: its values do not match the target's parameters",
                   c->opt->crash_file);
    cfz_values_free(&v);
    stop(c, 2);
    return;
  }
  cfz_crash *k = &c->q.current;
  size_t need = cfz_wire_size(v.v, v.n);
  k->wire = malloc(need ? need : 1);
  k->len = k->wire ? cfz_wire_encode(v.v, v.n, k->wire, need) : 0;
  cfz_values_free(&v);
  if (!k->len || k->len > cfz_client_capacity(c->slots[0].cl)) {
    cfz_report_log(&c->rep, "cfz: %s: too large for --max-len",
                   c->opt->crash_file);
    stop(c, 2);
    return;
  }
  c->q.active = k->minimizing = true;
  k->min_slot = -1;
  k->deadline_ns = uv_hrtime() + c->opt->minimize_time.ns;
  cfz_failure_recoverable(&k->fail, "");
}

int cfz_coordinator_run(const cfz_options *opt) {
  coord *c = calloc(1, sizeof *c);
  if (!c) {
    fprintf(stderr, "cfz: out of memory\n");
    return 2;
  }
  int code = 2;
  if (setup(c, opt) == 0) {
    c->start_ns = c->last_stats_ns = c->rep.start_ns = uv_hrtime();
    for (unsigned i = 0; i < c->nslots && c->phase != PHASE_STOPPING; i++)
      spawn_slot(&c->slots[i]);
    if (opt->mode == CFZ_MODE_FUZZ) {
      uv_timer_start(&c->stats_timer, on_stats_timer, CFZ_STATS_MS,
                     CFZ_STATS_MS);
      if (opt->fuzz_time.ns)
        uv_timer_start(&c->limit_timer, on_limit_timer,
                       opt->fuzz_time.ns / 1000000u, 0);
    }
    uv_run(&c->loop, UV_RUN_DEFAULT);
    code = c->exit_code;
    if (c->report_pending)
      print_failure_report(c);
    if (opt->mode == CFZ_MODE_FUZZ && c->phase == PHASE_STOPPING &&
        c->target[0]) {
      log_stats(c);
      cfz_report_summary(&c->rep, c->q.done, c->q.ndone);
    }
  } else {
    /* Close whatever setup opened so the loop can be closed. */
    stop(c, 2);
    uv_run(&c->loop, UV_RUN_DEFAULT);
  }
  teardown(c);
  free(c);
  return code;
}
