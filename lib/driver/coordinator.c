/* coordinator.c - the loop and the phase machine (coordinator_impl.h). */
#include "coordinator_impl.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "failure.h"
#include "proc_rss.h"
#include "protocol.h"
#include "rng.h"
#include "rounds.h"
#include "wire.h"
#include "worker_exit.h"

uint64_t co_next_rand(coord *c) { return cfz_splitmix64(&c->rng); }

bool co_fuzz_count_limited(const coord *c) {
  return c->policy->mode == CFZ_MODE_FUZZ && c->fuzz_time.count > 0;
}

/* Batches end after a count, never after a time: the same requests give
 * the same results whatever the load. */
bool co_count_bounded_batches(const coord *c) {
  return c->opt->seed_set || c->rounds;
}

uint64_t co_count_left(const coord *c) {
  uint64_t used = c->execs + c->reserved;
  return used >= c->fuzz_time.count ? 0 : c->fuzz_time.count - used;
}

/* The workers' largest resident set in MiB, from /proc/<pid>/statm (an
 * open, fstat, read and close each) at most every CFZ_RSS_EVERY_NS; in
 * between, the last reading.  co_stats runs for every new input (each
 * libFuzzer-style NEW line shows the RSS), which on a target that finds
 * something every few executions made these reads a tenth of the driver's
 * system calls. */
#define CFZ_RSS_EVERY_NS 100000000u

static uint64_t workers_rss_mb(coord *c) {
  uint64_t now = uv_hrtime();
  if (c->rss_read_ns && now - c->rss_read_ns < CFZ_RSS_EVERY_NS)
    return c->rss_read_mb;
  uint64_t mb = 0;
  for (unsigned i = 0; i < c->nslots; i++) {
    const cfz_client *cl = c->slots[i].cl;
    uint64_t rss =
        cfz_client_running(cl) ? cfz_proc_rss_mb(cfz_client_pid(cl)) : 0;
    mb = rss > mb ? rss : mb;
  }
  c->rss_read_ns = now;
  c->rss_read_mb = mb;
  return mb;
}

cfz_stats co_stats(coord *c) {
  cfz_stats st = {.execs = c->execs,
                  .new_interesting = c->interesting,
                  .corpus = c->corpus.n,
                  .features = c->cov.features,
                  .edges = c->cov.edges,
                  .failures = c->q.ndone + c->q.npending + c->q.active,
                  .corpus_bytes = c->corpus.bytes};
  double el = (double)(uv_hrtime() - c->start_ns) / 1e9;
  st.execs_per_sec = el >= 1.0 ? (uint64_t)((double)c->execs / el) : 0;
  for (unsigned i = 0; i < c->nslots; i++)
    st.workers +=
        cfz_client_running(c->slots[i].cl) || c->phase == PHASE_STOPPING;
  st.rss_mb = workers_rss_mb(c);
  return st;
}

void co_log_stats(coord *c) {
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
    cfz_stats st = co_stats(c);
    st.execs_per_sec = dt > 0 ? (uint64_t)((double)delta / dt) : 0;
    /* After the workers exit (the final line), the last RSS they had. */
    if (st.rss_mb != 0)
      c->last_rss_mb = st.rss_mb;
    else
      st.rss_mb = c->last_rss_mb;
    cfz_report_stats(&c->rep, &st);
  }
  c->last_stats_ns = now;
  c->last_stats_execs = c->execs;
}

static void on_stats_timer(uv_timer_t *t) { co_log_stats(t->data); }

static void on_hello(slot *s, const cfz_client_result *r) {
  coord *c = s->c;
  if (!r->hello) {
    cfz_report_log(&c->rep, "cfz: %s: %s", c->opt->target_path,
                   *r->message ? r->message : "handshake refused");
    co_stop(c, 2);
    return;
  }
  if (r->hello->protocol != CFZ_PROTOCOL_VERSION) {
    cfz_report_log(
        &c->rep, "cfz: %s: speaks protocol %" PRIu64 ", this cfz speaks %d",
        c->opt->target_path, r->hello->protocol, CFZ_PROTOCOL_VERSION);
    co_stop(c, 2);
    return;
  }
  s->startup_failures = 0;
  if (c->phase == PHASE_STARTING) {
    if (co_take_target_info(c, r->hello) != 0) {
      co_stop(c, 2);
      return;
    }
    c->phase = PHASE_SEEDS;
    c->policy->begin(c);
  } else if (!co_same_target(c, r->hello)) {
    cfz_report_log(&c->rep, "cfz: worker %d: reports a different target",
                   s->index);
    co_stop(c, 2);
  }
}

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
  if (c->policy->before_baseline)
    c->policy->before_baseline(c);
  c->corpus_at_start = c->corpus.n;
  if (c->policy->mode == CFZ_MODE_FUZZ) {
    if (c->corpus.n == 0)
      co_add_zero_value(c); /* Go synthesises a zero value; so do we */
    co_log_stats(c);        /* test and merge print their own */
  }
}

static void mark_failed(coord *c, size_t k) {
  if (!c->failed_entry)
    c->failed_entry = calloc(c->corpus.n + 1, 1);
  if (c->failed_entry && k < c->corpus.n)
    c->failed_entry[k] = 1;
}

/* Corpus entry k failed during the baseline run: the policy decides. */
void co_entry_failed(coord *c, size_t k, const cfz_failure *f,
                     const char *output, uint64_t rss_mb) {
  mark_failed(c, k);
  if (c->rep.obs && k < c->corpus.n)
    co_report_failed_input(c, f, output, c->corpus.e[k].wire,
                           c->corpus.e[k].len, rss_mb);
  c->policy->entry_failed(c, k, f, output);
}

static void on_exec_response(slot *s, cfz_client_result *r) {
  coord *c = s->c;
  c->warm_done++;
  if (c->policy->mode == CFZ_MODE_MERGE && s->job_arg == c->merge_base) {
    /* One worker, in order: what the seeds covered, before the first
     * candidate adds to it. */
    c->merge->base_features = c->cov.features;
    c->merge->base_edges = c->cov.edges;
  }
  if (r->result == CFZ_RESULT_NEW) {
    uint64_t added = cfz_covmap_merge(&c->cov, r->features, r->nfeatures);
    if (s->job_arg < c->corpus.n)
      cfz_index_set_features(&c->corpus, s->job_arg, (uint32_t)added);
  } else if (r->result == CFZ_RESULT_FAILURE) {
    const char *msg = r->message;
    cfz_failure f;
    cfz_failure_recoverable(&f, msg && *msg ? msg : "fuzz function failed");
    cfz_failure_parse_report(&f, r->output);
    co_entry_failed(c, s->job_arg, &f, r->output, 0);
  }
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
    if (s->replay.running)
      co_replay_response(s, r);
    else
      on_exec_response(s, r);
    break;
  case CFZ_JOB_FUZZ:
    co_on_fuzz_response(s, r);
    break;
  case CFZ_JOB_MINIMIZE:
    co_on_minimize_response(s, r);
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
      co_finish_minimize(c, NULL);
    else
      cfz_client_kill(s->cl); /* restarted when its exit arrives */
    return;
  }
  handle_response(s, r);
  if (c->phase != PHASE_STOPPING)
    co_dispatch(c);
}

void co_handle_event(slot *s, cfz_client_result *r) {
  if (r->kind == CFZ_CLIENT_RESPONSE || r->kind == CFZ_CLIENT_ERROR)
    on_response(s, r);
  else
    co_on_worker_exit(s, r);
}

static void on_client_event(cfz_client *cl, void *ctx, cfz_client_result *r) {
  (void)cl;
  slot *s = ctx;
  if (co_round_hold(s, r)) {
    co_dispatch(s->c);
    return;
  }
  co_handle_event(s, r);
}

/* A request that runs inputs is in flight.  A worker still starting (hello)
 * has run none: a run that has done its executions does not wait for it. */
static bool any_busy(const coord *c) {
  for (unsigned i = 0; i < c->nslots; i++) {
    cfz_job j = cfz_client_job(c->slots[i].cl);
    if (j != CFZ_JOB_NONE && j != CFZ_JOB_HELLO)
      return true;
  }
  return false;
}

static bool any_job(const coord *c, cfz_job j) {
  for (unsigned i = 0; i < c->nslots; i++)
    if (cfz_client_job(c->slots[i].cl) == j)
      return true;
  return false;
}

void co_dispatch(coord *c) {
  if (!co_round_may_start(c))
    return;
  for (unsigned i = 0; i < c->nslots && c->phase != PHASE_STOPPING; i++) {
    slot *s = &c->slots[i];
    if (!cfz_client_idle(s->cl) || co_dispatch_replay(c, s))
      continue;
    switch (c->phase) {
    case PHASE_SEEDS:
      if (co_loading(c)) /* the seeds come after the files */
        break;
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
        if (co_fuzz_count_limited(c) && co_count_left(c) == 0)
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
        c->policy->baseline_done(c);
        i = (unsigned)-1;
      }
      break;
    case PHASE_FUZZ:
      co_dispatch_fuzz(c, s);
      break;
    case PHASE_MINIMIZE:
      co_dispatch_minimize(c, s);
      if (c->phase == PHASE_MINIMIZE && co_fuzzing(c) && cfz_client_idle(s->cl))
        co_dispatch_fuzz(c, s); /* --keep-going: the others fuzz on */
      break;
    default:
      break;
    }
  }
  if (c->phase == PHASE_FUZZ && co_fuzz_count_limited(c) &&
      co_count_left(c) == 0 && !any_busy(c))
    co_stop(c, 0);
}

static void spawn_slot(slot *s) {
  char err[512];
  if (cfz_client_start(s->cl, err, sizeof err) != 0) {
    cfz_report_log(&s->c->rep, "cfz: %s", err);
    co_stop(s->c, 2);
  }
}

void co_restart_slot(slot *s) {
  if (s->c->phase == PHASE_STOPPING)
    return;
  cfz_report_worker_restart(&s->c->rep, (unsigned)s->index);
  s->replay.fresh = s->replay.pending;
  spawn_slot(s);
}

static void close_cb(uv_handle_t *h) { (void)h; }

/* Stops everything; the loop ends when all workers are gone. */
void co_stop(coord *c, int code) {
  if (c->phase != PHASE_STOPPING) {
    c->phase = PHASE_STOPPING;
    co_round_drop(c);
    co_cancel_load(c);
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
                       (uv_handle_t *)&c->limit_timer,
                       (uv_handle_t *)&c->gen_timer};
  for (size_t i = 0; i < sizeof hs / sizeof hs[0]; i++)
    if (!uv_is_closing(hs[i]))
      uv_close(hs[i], close_cb);
  co_flush_generated(c); /* the timer that would have is closed */
}

static void on_signal(uv_signal_t *h, int signum) {
  coord *c = h->data;
  char name[32];
  if (c->phase == PHASE_STOPPING)
    return;
  c->interrupted = true;
  cfz_report_log(&c->rep, "cfz: %s received, stopping",
                 cfz_signal_name(signum, name, sizeof name));
  if (c->q.active && (c->q.current.minimizing || c->q.current.replaying)) {
    /* Take the best crasher the minimizing worker holds, then finish. */
    uint8_t *w;
    size_t len;
    if (c->q.current.minimizing && c->q.current.min_slot >= 0 &&
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
    co_finish_minimize(c, "minimization interrupted; writing the best crasher "
                          "found so far");
    return;
  }
  co_stop(c, c->q.active ? 1 : 0);
}

static void on_limit_timer(uv_timer_t *t) {
  coord *c = t->data;
  c->limit_reached = true;
  if (c->phase == PHASE_MINIMIZE || c->phase == PHASE_STOPPING)
    return; /* the failure being minimized is still written */
  co_stop(c, 0);
}

/* Value areas must hold max_len bytes for every bytes/string parameter and
 * the largest corpus input; neither is known before the handshake, so size
 * generously: the regions are sparse, untouched pages cost nothing. */
static size_t value_capacity(const cfz_run_options *o) {
  size_t cap = 4 * o->max_len + 4096;
  return cap > CFZ_DEFAULT_CAPACITY ? cap : CFZ_DEFAULT_CAPACITY;
}

/* A worker's line for the user (a failed kill, ...): the slot's ctx. */
static void on_client_log(void *ctx, const char *line) {
  slot *s = ctx;
  cfz_report_log(&s->c->rep, "%s", line);
}

static cfz_client_config client_config(const coord *c) {
  const cfz_run_options *o = c->opt;
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
                                     .coverage = !o->no_feedback},
                           .log = on_client_log};
  return cfg;
}

static int setup(coord *c) {
  const cfz_run_options *o = c->opt;
  char err[512];
  c->exit_code = 0;
  c->rng = o->seed_set ? o->seed : uv_hrtime() ^ ((uint64_t)getpid() << 32);
  cfz_index_init(&c->corpus);
  cfz_crashq_init(&c->q, c->fuzz && c->fuzz->keep_going);
  cfz_report_init(&c->rep, o->json, uv_hrtime());
  c->rounds = c->fuzz && c->fuzz->deterministic;
  if (c->rounds && !o->seed_set)
    cfz_report_log(&c->rep,
                   "cfz: --deterministic: seed %" PRIu64
                   " (give --seed %" PRIu64 " to repeat this run)",
                   c->rng, c->rng);
  cfz_report_observe(&c->rep, o->observer);
  if (c->fuzz) /* the generated corpus directory is known after the hello */
    cfz_report_stats_to(&c->rep, c->fuzz->stats_path, c->cache_dir);
  if (uv_loop_init(&c->loop) != 0) {
    cfz_report_log(&c->rep, "cfz: cannot initialise the event loop");
    return -1;
  }
  c->loop_ready = true;
  uv_signal_init(&c->loop, &c->sigint);
  uv_signal_init(&c->loop, &c->sigterm);
  c->sigint.data = c->sigterm.data = c;
  uv_timer_init(&c->loop, &c->stats_timer);
  uv_timer_init(&c->loop, &c->limit_timer);
  uv_timer_init(&c->loop, &c->gen_timer);
  c->stats_timer.data = c->limit_timer.data = c->gen_timer.data = c;
  if (cfz_covmap_init(&c->cov, err, sizeof err) != 0) {
    cfz_report_log(&c->rep, "cfz: %s", err);
    return -1;
  }
  c->nslots = o->parallel ? o->parallel : 1;
  if (c->policy->mode == CFZ_MODE_MINIMIZE)
    c->nslots = 1;
  if (co_fuzz_count_limited(c) && c->fuzz_time.count < c->nslots)
    c->nslots = (unsigned)c->fuzz_time.count;
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
  cfz_report_close(&c->rep);
  co_round_drop(c);
  for (unsigned i = 0; c->slots && i < c->nslots; i++) {
    cfz_client_free(c->slots[i].cl);
    free(c->slots[i].replay.wire);
  }
  free(c->slots);
  cfz_covmap_free(&c->cov);
  cfz_index_free(&c->corpus);
  co_free_load(c);
  co_free_generated(c);
  cfz_crashq_free(&c->q);
  free(c->failed_entry);
  if (c->loop_ready)
    uv_loop_close(&c->loop);
}

/* Starts the workers, runs the loop until the policy or a signal stops
 * it, and prints the final report.  Returns the exit status. */
int co_run(coord *c) {
  int code = 2;
  if (setup(c) == 0) {
    c->start_ns = c->last_stats_ns = c->rep.start_ns = uv_hrtime();
    for (unsigned i = 0; i < c->nslots && c->phase != PHASE_STOPPING; i++)
      spawn_slot(&c->slots[i]);
    if (c->policy->mode == CFZ_MODE_FUZZ) {
      uint64_t every = c->fuzz->status_ms ? c->fuzz->status_ms : CFZ_STATS_MS;
      uv_timer_start(&c->stats_timer, on_stats_timer, every, every);
      if (c->fuzz_time.ns)
        uv_timer_start(&c->limit_timer, on_limit_timer,
                       c->fuzz_time.ns / 1000000u, 0);
    }
    uv_run(&c->loop, UV_RUN_DEFAULT);
    code = c->exit_code;
    if (c->report_pending)
      co_print_failure_report(c);
    if (c->rep.obs && c->target[0]) {
      cfz_stats st = co_stats(c);
      cfz_report_done(&c->rep, &st, code);
    } else if (c->policy->mode == CFZ_MODE_FUZZ && c->phase == PHASE_STOPPING &&
               c->target[0]) {
      co_log_stats(c);
      cfz_report_summary(&c->rep, c->q.done, c->q.ndone);
    }
  } else if (c->loop_ready) {
    /* Close whatever setup opened so the loop can be closed. */
    co_stop(c, 2);
    uv_run(&c->loop, UV_RUN_DEFAULT);
  }
  teardown(c);
  return code;
}
