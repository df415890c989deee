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
#include "failure.h"
#include "protocol.h"
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

typedef struct crash_state {
  bool active;     /* a failure is being handled */
  bool minimizing; /* the minimize job is out or being restarted */
  bool death;      /* it killed the process */
  bool fail_known; /* fail describes it (not yet in MINIMIZE mode) */
  cfz_failure fail;
  char *output;  /* captured output of the first report */
  uint8_t *wire; /* best known crasher */
  size_t len;
  char path[PATH_MAX]; /* where it is persisted ("" if it could not be) */
  uint64_t execs;      /* executions spent minimizing */
  uint64_t deadline_ns;
  int min_slot;
  unsigned others; /* further failures reported meanwhile */
  unsigned count;  /* --keep-going: times this failure was seen */
  int report_slot; /* its output is taken when this worker exits */
} crash_state;

/* --keep-going: a distinct failure already written. */
typedef struct distinct_failure {
  char signature[1024];
  char message[512];
  char path[PATH_MAX];
  unsigned count;
} distinct_failure;

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

  crash_state crash;
  crash_state *pending; /* --keep-going: the minimize queue's backlog */
  size_t npending;
  distinct_failure *distinct;
  size_t ndistinct;
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

static void logf_(coord *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void logf_(coord *c, const char *fmt, ...) {
  (void)c;
  va_list ap;
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

static void emit_json(coord *c, json_t *ev) {
  if (c->opt->json) {
    char *s = json_dumps(ev, JSON_COMPACT);
    if (s) {
      printf("%s\n", s);
      fflush(stdout);
      free(s);
    }
  }
  json_decref(ev);
}

static uint64_t next_rand(coord *c) {
  uint64_t z = (c->rng += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static double elapsed_s(const coord *c) {
  return (double)(uv_hrtime() - c->start_ns) / 1e9;
}

static void fmt_elapsed(const coord *c, char *buf, size_t len) {
  uint64_t s = (uint64_t)elapsed_s(c);
  if (s >= 3600)
    snprintf(buf, len, "%" PRIu64 "h%" PRIu64 "m%" PRIu64 "s", s / 3600,
             s / 60 % 60, s % 60);
  else if (s >= 60)
    snprintf(buf, len, "%" PRIu64 "m%" PRIu64 "s", s / 60, s % 60);
  else
    snprintf(buf, len, "%" PRIu64 "s", s);
}

/* Text of how a process ended: "exit status 3" or "signal SIGSEGV". */
static void fmt_status(const cfz_worker_exit *e, char *buf, size_t len) {
  char name[32];
  if (e->term_signal) {
    const char *n = cfz_signal_name(e->term_signal, name, sizeof name);
    snprintf(buf, len, "%s%s", strncmp(n, "SIG", 3) ? "" : "signal ", n);
  } else {
    snprintf(buf, len, "exit status %" PRId64, e->exit_status);
  }
}

static bool fuzz_count_limited(const coord *c) {
  return c->opt->mode == CFZ_MODE_FUZZ && c->opt->fuzz_time.count > 0;
}

static uint64_t count_left(const coord *c) {
  uint64_t used = c->execs + c->reserved;
  return used >= c->opt->fuzz_time.count ? 0 : c->opt->fuzz_time.count - used;
}

static void print_indented(const char *text, size_t max_lines) {
  if (!text || !*text)
    return;
  size_t lines = 0;
  for (const char *p = text; *p && lines < max_lines; lines++) {
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) : strlen(p);
    fprintf(stderr, "    %.*s\n", (int)n, p);
    p += n + (nl ? 1 : 0);
  }
}

/* ---- statistics --------------------------------------------------------- */

static void log_stats(coord *c) {
  uint64_t now = uv_hrtime();
  char el[32];
  fmt_elapsed(c, el, sizeof el);
  if (c->phase <= PHASE_WARMUP) {
    logf_(c,
          "fuzz: elapsed: %s, gathering baseline coverage: %zu/%zu completed",
          el, c->warm_done, c->corpus.n);
  } else {
    /* The rate since the last line; right after one (the final line), the
     * whole run's average instead of a rate over a few milliseconds. */
    double dt = (double)(now - c->last_stats_ns) / 1e9;
    uint64_t delta = c->execs - c->last_stats_execs;
    if (dt < 1.0) {
      dt = elapsed_s(c);
      delta = c->execs;
    }
    uint64_t rate = dt > 0 ? (uint64_t)((double)delta / dt) : 0;
    unsigned live = 0;
    for (unsigned i = 0; i < c->nslots; i++)
      live += cfz_client_running(c->slots[i].cl) || c->phase == PHASE_STOPPING;
    logf_(c,
          "fuzz: elapsed: %s, execs: %" PRIu64 " (%" PRIu64
          "/sec), new interesting: %" PRIu64 " (total: %zu), features: %" PRIu64
          ", edges: %" PRIu64 ", workers: %u",
          el, c->execs, rate, c->interesting, c->corpus.n, c->cov.features,
          c->cov.edges, live);
    json_t *ev = json_pack(
        "{s:s, s:f, s:I, s:I, s:I, s:I, s:I, s:I, s:i}", "event", "stats",
        "elapsed", elapsed_s(c), "execs", (json_int_t)c->execs, "execs_per_sec",
        (json_int_t)rate, "new_interesting", (json_int_t)c->interesting,
        "corpus", (json_int_t)c->corpus.n, "features",
        (json_int_t)c->cov.features, "edges", (json_int_t)c->cov.edges,
        "workers", (int)live);
    if (ev)
      emit_json(c, ev);
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
    logf_(j->c, "cfz: warning: cannot save to the generated corpus: %s",
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
  logf_(ctx, "cfz: warning: %s", message);
}

/* Writes vals to the seed corpus; on failure prints the input in full so
 * that it is not lost.  Returns 0 or -1. */
static int persist(coord *c, const uint8_t *wire, size_t len, char *path,
                   size_t pathlen) {
  cfz_values vals = {0};
  path[0] = 0;
  if (cfz_wire_decode(wire, len, c->types, c->ntypes, &vals) != 0) {
    logf_(c, "cfz: internal error: cannot decode the failing input");
    return -1;
  }
  char err[512];
  int rc = 0;
  if (cfz_corpus_write(c->seed_dir, vals.v, vals.n, path, pathlen, err,
                       sizeof err) != 0) {
    path[0] = 0;
    logf_(c, "%s", err);
    char *text = NULL;
    size_t tlen = 0;
    if (cfz_corpus_encode(vals.v, vals.n, &text, &tlen) == 0) {
      logf_(c,
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
    logf_(c, "cfz: %s: invalid target name \"%s\"", c->opt->target_path, name);
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
      logf_(c, "cfz: warning: %s: cannot be read", c->opt->corpus_dirs[i]);
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
      logf_(c, "cfz: warning: %s: cannot be read", c->opt->merge_dirs[i]);
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
    logf_(c, "cfz: %s fails (%s); not kept", e->origin ? e->origin : "?",
          message);
    return;
  }
  c->test_failures++;
  /* Named as Go names seed entries: <Target>/<file name> (or seed#N). */
  const char *origin = e->origin ? e->origin : "?";
  const char *base = strrchr(origin, '/');
  base = base ? base + 1 : origin;
  if (c->opt->mode == CFZ_MODE_FUZZ)
    logf_(c, "failure while testing seed corpus entry: %s/%s", c->target, base);
  fprintf(stderr, "--- FAIL: %s/%s\n", c->target, base);
  if (base != origin)
    fprintf(stderr, "    input: %s\n", origin);
  print_indented(message, 20);
  print_indented(output, 60);
  fprintf(stderr, "FAIL\n");
}

/* TEST and MERGE end after the baseline run. */
static void finish_baseline_mode(coord *c) {
  if (c->opt->mode == CFZ_MODE_TEST) {
    size_t n = c->corpus.n;
    if (c->test_failures)
      logf_(c, "FAIL: %zu of %zu corpus entries failed", c->test_failures, n);
    else
      logf_(c, "ok: %zu corpus entries passed", n);
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
    logf_(c, "cfz: out of memory");
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
    logf_(c, "cfz: %s: %s", c->opt->target_path,
          *r->message ? r->message : "handshake refused");
    stop(c, 2);
    return;
  }
  if (r->hello->protocol != CFZ_PROTOCOL_VERSION) {
    logf_(c, "cfz: %s: speaks protocol %" PRIu64 ", this cfz speaks %d",
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
    logf_(c, "cfz: worker %d: reports a different target", s->index);
    stop(c, 2);
  }
}

/* ---- failures ------------------------------------------------------------ */

static void print_failure_report(coord *c) {
  char el[32];
  fmt_elapsed(c, el, sizeof el);
  fprintf(stderr, "--- FAIL: %s (%s)\n", c->target, el);
  print_indented(c->crash.fail.message, 20);
  if (c->crash.output && *c->crash.output) {
    /* The tail of what the target printed: sanitizer reports end up here. */
    print_indented(c->crash.output, 60);
  }
  if (!c->crash.path[0]) {
    fprintf(stderr, "    The failing input could not be written; it is "
                    "printed in full above.\n");
  } else {
    fprintf(stderr, "    Failing input written to %s\n", c->crash.path);
    fprintf(stderr, "    To re-run:\n    %s %s\n", c->opt->target_path,
            c->crash.path);
  }
  fprintf(stderr, "FAIL\n");
  json_t *ev =
      json_pack("{s:s, s:s, s:s, s:s}", "event", "failure", "target", c->target,
                "message", c->crash.fail.message, "file", c->crash.path);
  if (ev)
    emit_json(c, ev);
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
  if (m->count && c->crash.execs >= m->count)
    return false;
  if (m->ns && uv_hrtime() >= c->crash.deadline_ns)
    return false;
  return true;
}

/* A failure came in unminimized: persist it, then queue it for
 * minimization (or finish at once). */
/* Starts handling a failure: minimize it, or finish at once. */
static void begin_crash(coord *c) {
  crash_state *k = &c->crash;
  if (!can_minimize(c)) {
    finish_minimize(c, NULL);
    return;
  }
  c->phase = PHASE_MINIMIZE;
  k->minimizing = true;
  k->min_slot = -1;
  k->execs = 0;
  k->deadline_ns = uv_hrtime() + c->opt->minimize_time.ns;
  logf_(c, "found a crash, minimizing...");
}

/* With --keep-going: true when a failure with f's signature was already
 * written, is being minimized, or waits in the queue (its count grows). */
static bool seen_before(coord *c, const cfz_failure *f) {
  char sig[1024], other[1024];
  cfz_failure_signature(f, sig, sizeof sig);
  for (size_t i = 0; i < c->ndistinct; i++)
    if (!strcmp(c->distinct[i].signature, sig)) {
      c->distinct[i].count++;
      return true;
    }
  if (c->crash.active &&
      !strcmp(cfz_failure_signature(&c->crash.fail, other, sizeof other),
              sig)) {
    c->crash.count++;
    return true;
  }
  for (size_t i = 0; i < c->npending; i++)
    if (!strcmp(cfz_failure_signature(&c->pending[i].fail, other, sizeof other),
                sig)) {
      c->pending[i].count++;
      return true;
    }
  return false;
}

/* A failure came in unminimized: persist it at once (so that nothing found
 * is lost, even to kill -9), then route it through the minimize queue. */
static void found_failure(coord *c, slot *s, const cfz_failure *f, bool death,
                          cfz_client_result *r) {
  if (c->phase == PHASE_STOPPING || (!c->opt->keep_going && c->crash.active) ||
      (c->opt->keep_going && seen_before(c, f))) {
    c->crash.others += !c->opt->keep_going;
    return;
  }
  char *output = r->output;
  r->output = NULL;
  crash_state n = {0};
  n.active = true;
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
    logf_(c, "cfz: out of memory saving the failing input");
    free(output);
    stop(c, 1);
    return;
  }
  persist(c, n.wire, n.len, n.path, sizeof n.path);
  if (c->crash.active) {
    /* --keep-going: another failure is being minimized; queue this one. */
    crash_state *q = realloc(c->pending, (c->npending + 1) * sizeof *q);
    if (!q) {
      free(n.wire);
      free(n.output);
      return;
    }
    c->pending = q;
    c->pending[c->npending++] = n;
    return;
  }
  c->crash = n;
  begin_crash(c);
}

/* Ends minimization with the best known crasher: writes it (replacing the
 * unminimized file) and stops the run. */
static void finish_minimize(coord *c, const char *why) {
  crash_state *k = &c->crash;
  k->minimizing = false;
  if (why)
    logf_(c, "%s", why);
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
      logf_(c, "cfz: remove %s: %s", k->path, strerror(errno));
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
  if (k->others)
    logf_(c,
          "cfz: %u further failure(s) reported meanwhile were not "
          "minimized",
          k->others);
  if (!c->opt->keep_going || c->interrupted || c->limit_reached) {
    stop(c, 1);
    return;
  }
  /* --keep-going: remember it, then the next queued failure or fuzzing. */
  distinct_failure *d = realloc(c->distinct, (c->ndistinct + 1) * sizeof *d);
  if (d) {
    c->distinct = d;
    d = &d[c->ndistinct++];
    cfz_failure_signature(&k->fail, d->signature, sizeof d->signature);
    snprintf(d->message, sizeof d->message, "%s", k->fail.message);
    snprintf(d->path, sizeof d->path, "%s", k->path);
    d->count = k->count;
  }
  free(k->wire);
  free(k->output);
  memset(k, 0, sizeof *k);
  c->exit_code = 1;
  if (c->npending) {
    *k = c->pending[0];
    memmove(c->pending, c->pending + 1, --c->npending * sizeof *c->pending);
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
    logf_(c, "cfz: warning: starting with empty corpus");
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
    logf_(c,
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
  crash_state *k = &c->crash;
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
    logf_(c, "cfz: %s does not fail", c->opt->crash_file);
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
    c->crash.execs += r->execs;
  else
    c->execs += r->execs;
  if (c->phase == PHASE_STOPPING)
    return;
  if (r->kind == CFZ_CLIENT_ERROR) {
    logf_(c, "cfz: worker %d (pid %d): internal error: %s", s->index,
          cfz_client_pid(s->cl), r->message);
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
  logf_(c, "fuzzing process terminated without fuzzing: %s",
        r->kind == CFZ_CLIENT_PROTOCOL ? r->message : status);
  print_indented(r->output, 40);
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
  crash_state *k = &c->crash;
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
    logf_(c, "fuzzing process terminated without fuzzing: %s", f.message);
    print_indented(r->output, 40);
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
    c->crash.execs += r->execs;
  else if (e->busy)
    c->execs += r->execs;
  if (c->report_pending && s->index == c->crash.report_slot && r->output &&
      *r->output) {
    free(c->crash.output);
    c->crash.output = r->output;
    r->output = NULL;
  }
  if (c->phase == PHASE_STOPPING ||
      (e->cause == CFZ_EXIT_STOPPED && r->kind != CFZ_CLIENT_PROTOCOL)) {
    if (c->phase == PHASE_STOPPING)
      stop(c, c->exit_code);
    return;
  }
  char status[64];
  fmt_status(e, status, sizeof status);
  if (!e->handshake) {
    startup_failed(s, r, status);
  } else if (r->kind == CFZ_CLIENT_PROTOCOL) {
    logf_(c, "cfz: worker %d (pid %d): %s; restarting it", s->index, r->pid,
          r->message);
    if (r->job == CFZ_JOB_MINIMIZE)
      finish_minimize(c, NULL);
    else
      restart_slot(s);
  } else if (r->kind == CFZ_CLIENT_EXIT) {
    logf_(c, "cfz: worker %d (pid %d) terminated while idle: %s; restarting",
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
  crash_state *k = &c->crash;
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
          logf_(c,
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
    logf_(s->c, "cfz: %s", err);
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
    if (code != 0 || c->ndistinct == 0)
      c->exit_code = code;
    if (c->crash.minimizing)
      c->crash.minimizing = false;
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
  logf_(c, "cfz: %s received, stopping",
        cfz_signal_name(signum, name, sizeof name));
  if (c->crash.active && c->crash.minimizing) {
    /* Take the best crasher the minimizing worker holds, then finish. */
    uint8_t *w;
    size_t len;
    if (c->crash.min_slot >= 0 &&
        cfz_client_copy_value(c->slots[c->crash.min_slot].cl, &w, &len) == 0) {
      cfz_values v = {0};
      if (cfz_wire_decode(w, len, c->types, c->ntypes, &v) == 0) {
        free(c->crash.wire);
        c->crash.wire = w;
        c->crash.len = len;
        w = NULL;
      }
      free(w);
      cfz_values_free(&v);
    }
    finish_minimize(c, "minimization interrupted; writing the best crasher "
                       "found so far");
    return;
  }
  stop(c, c->crash.active ? 1 : 0);
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
  if (uv_loop_init(&c->loop) != 0) {
    logf_(c, "cfz: cannot initialise the event loop");
    return -1;
  }
  uv_signal_init(&c->loop, &c->sigint);
  uv_signal_init(&c->loop, &c->sigterm);
  c->sigint.data = c->sigterm.data = c;
  uv_timer_init(&c->loop, &c->stats_timer);
  uv_timer_init(&c->loop, &c->limit_timer);
  c->stats_timer.data = c->limit_timer.data = c;
  if (cfz_covmap_init(&c->cov, err, sizeof err) != 0) {
    logf_(c, "cfz: %s", err);
    return -1;
  }
  c->nslots = o->parallel ? o->parallel : 1;
  if (o->mode == CFZ_MODE_MINIMIZE)
    c->nslots = 1;
  if (fuzz_count_limited(c) && c->opt->fuzz_time.count < c->nslots)
    c->nslots = (unsigned)c->opt->fuzz_time.count;
  c->slots = calloc(c->nslots, sizeof *c->slots);
  if (!c->slots) {
    logf_(c, "cfz: out of memory");
    return -1;
  }
  cfz_client_config cfg = client_config(c);
  for (unsigned i = 0; i < c->nslots; i++) {
    slot *s = &c->slots[i];
    s->c = c;
    s->index = (int)i;
    s->cl = cfz_client_new(&c->loop, &cfg, on_client_event, s, err, sizeof err);
    if (!s->cl) {
      logf_(c, "cfz: %s", err);
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
  free(c->crash.wire);
  free(c->crash.output);
  for (size_t i = 0; i < c->npending; i++) {
    free(c->pending[i].wire);
    free(c->pending[i].output);
  }
  free(c->pending);
  free(c->failed_entry);
  free(c->distinct);
  uv_loop_close(&c->loop);
}

/* MINIMIZE mode: once the worker is up, load the crash file as the crasher
 * and run a recoverable-mode minimization (death mode follows if it kills). */
static void start_minimize_mode(coord *c) {
  cfz_values v = {0};
  char err[512];
  if (cfz_corpus_read_file(c->opt->crash_file, &v, err, sizeof err) != 0) {
    logf_(c, "cfz: %s", err);
    stop(c, 2);
    return;
  }
  if (!cfz_values_match_types(v.v, v.n, c->types, c->ntypes)) {
    logf_(c, "cfz: %s: its values do not match the target's parameters",
          c->opt->crash_file);
    cfz_values_free(&v);
    stop(c, 2);
    return;
  }
  crash_state *k = &c->crash;
  size_t need = cfz_wire_size(v.v, v.n);
  k->wire = malloc(need ? need : 1);
  k->len = k->wire ? cfz_wire_encode(v.v, v.n, k->wire, need) : 0;
  cfz_values_free(&v);
  if (!k->len || k->len > cfz_client_capacity(c->slots[0].cl)) {
    logf_(c, "cfz: %s: too large for --max-len", c->opt->crash_file);
    stop(c, 2);
    return;
  }
  k->active = k->minimizing = true;
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
    c->start_ns = c->last_stats_ns = uv_hrtime();
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
      if (c->ndistinct) {
        logf_(c, "cfz: %zu distinct failure(s):", c->ndistinct);
        for (size_t i = 0; i < c->ndistinct; i++)
          logf_(c, "  %s\n    seen %u time(s), written to %s",
                c->distinct[i].message, c->distinct[i].count,
                c->distinct[i].path[0] ? c->distinct[i].path : "(not saved)");
      }
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
