/* coordinator_impl.h - the coordinator's state, shared by its parts (not a
 * public header: only the files below include it).
 *
 *   coordinator.c   the loop and the phase machine: workers, events,
 *                   dispatch, signals, timers, start and stop
 *   worker_exit.c   a worker process ended: what it means (worker_exit.h)
 *   rounds.c        --deterministic rounds (rounds.h)
 *   run_corpus.c    the target's corpus: gathering, persisting, saving
 *   failure_flow.c  a failure from found to written: the crash queue,
 *                   minimization, the report
 *   policies.c      the modes (fuzz, test, merge, minimize) as policies,
 *                   each with its own options and result
 *
 * Phases: STARTING (first handshake) -> SEEDS (the corpus directories read
 * off the loop, then the cfz_add seeds) ->
 * WARMUP (every corpus entry once) -> the policy's own: FUZZ, or MINIMIZE
 * (a failure being minimized) -> STOPPING (workers exiting).  A policy's
 * hooks run at the phase changes; none of them touches a worker's shared
 * memory (the worker client does). */
#ifndef CFZ_COORDINATOR_IMPL_H
#define CFZ_COORDINATOR_IMPL_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "coordinator.h"
#include "corpus_index.h"
#include "corpus_loader.h"
#include "coverage_map.h"
#include "crash_queue.h"
#include "failure.h"
#include "report.h"
#include "worker_client.h"

#define CFZ_STATS_MS 3000u
#define CFZ_BATCH_MS 100u
#define CFZ_SEEDED_BATCH 1000u /* batch length with --seed/--deterministic */
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

typedef enum cfz_mode {
  CFZ_MODE_FUZZ,
  CFZ_MODE_MINIMIZE,
  CFZ_MODE_TEST,
  CFZ_MODE_MERGE
} cfz_mode;

typedef struct coord coord;
typedef struct co_gen_batch co_gen_batch; /* run_corpus.c */

/* The corpus directories being read off the loop (run_corpus.c): seeds
 * wait for them, so entries keep the order of a synchronous load. */
typedef struct co_load {
  cfz_corpus_loader *loader;   /* in flight; NULL when none */
  size_t first_corpus_dir;     /* the list's index of opt->corpus_dirs[0] */
  size_t first_candidate;      /* MERGE: of the first candidate directory */
  uint64_t *files;             /* per opt->corpus_dirs: entries it added */
  const char **unreadable;     /* per directory: the name to warn about when
                                  it cannot be read (NULL: the seed and cache
                                  directories, named by the loader) */
  cfz_corpus_index candidates; /* MERGE: added after the seeds */
} co_load;

/* --deterministic: what a worker reported for its request of the round,
 * kept (with copies of what the client frees) until the round is over. */
typedef struct held_event {
  bool valid;
  cfz_client_result r;
  cfz_worker_exit exit;
  char *message;
  uint8_t *features;
} held_event;

/* A failure this slot replays once in a fresh process (failure_flow.c). */
typedef struct slot_replay {
  bool pending;     /* waiting for a fresh process of this slot */
  bool fresh;       /* the process now starting began after the failure */
  bool running;     /* the replay's exec is in flight */
  cfz_failure fail; /* which failure: its signature finds it in the queue */
  uint8_t *wire;
  size_t len;
} slot_replay;

typedef struct slot {
  coord *c;
  int index;
  cfz_client *cl;
  size_t job_arg;        /* seed index or corpus entry */
  uint64_t job_reserved; /* executions reserved for --fuzz-time Nx */
  unsigned startup_failures;
  held_event held;
  slot_replay replay;
} slot;

/* A mode's decisions, called by the coordinator at its phase changes. */
typedef struct co_policy {
  cfz_mode mode;
  /* After the first handshake: gather the inputs (or start minimizing). */
  void (*begin)(coord *c);
  /* Before the baseline run, once the seeds are in. */
  void (*before_baseline)(coord *c);
  /* Every corpus entry ran once. */
  void (*baseline_done)(coord *c);
  /* Corpus entry k failed during the baseline (already marked failed). */
  void (*entry_failed)(coord *c, size_t k, const cfz_failure *fail,
                       const char *output);
} co_policy;

struct coord {
  const co_policy *policy;
  const cfz_run_options *opt;
  /* the mode's options and result (only its own are set) */
  const cfz_fuzz_options *fuzz;
  const cfz_test_options *test;
  const cfz_merge_options *merge_opt;
  const cfz_minimize_options *min_opt;
  cfz_test_result *test_result;
  cfz_merge_result *merge;
  cfz_minimize_result *min_result;
  cfz_limit fuzz_time, minimize_time;
  bool keep_going;

  uv_loop_t loop;
  bool loop_ready; /* initialised: its handles exist and may be closed */
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
  co_load load;
  cfz_corpus_index corpus;
  size_t seed_next, warm_next;
  uint64_t rng;

  uint64_t start_ns, execs, reserved, interesting;
  uint64_t last_stats_ns, last_stats_execs;
  uint64_t last_rss_mb; /* the last status's worker RSS while one ran */
  uint64_t rss_read_ns, rss_read_mb; /* co_stats's last /proc reading */
  size_t warm_done, corpus_at_start;

  cfz_crash_queue q; /* failures: the current one, queued, done */
  cfz_report rep;    /* where all output goes */
  int exit_code;
  uint64_t hello_counters;
  bool thin_checked;     /* FUZZ: the thin-coverage warning was considered */
  size_t merge_base;     /* MERGE: first candidate entry */
  size_t test_failures;  /* TEST: entries that failed */
  uint8_t *failed_entry; /* TEST/MERGE: per entry, it failed */
  uint64_t max_len;      /* the mutator's bound sent with each fuzz request */
  bool interrupted;
  bool report_pending; /* print the failure report once workers are gone */
  bool limit_reached;  /* --fuzz-time's duration ran out */
  /* --deterministic: seed, corpus and fuzz requests go out in rounds, one
   * per idle worker in slot order; what comes back is held and handled in
   * slot order once the round is over (coordinator.c). */
  bool rounds;
  bool releasing; /* handling a round's events: no dispatch meanwhile */
  /* new inputs waiting for the generated corpus's writer (run_corpus.c) */
  co_gen_batch *gen_next;
  bool gen_writing;     /* a batch is on the thread pool */
  uv_timer_t gen_timer; /* starts the waiting batch */
};

/* coordinator.c */
int co_run(coord *c);
void co_stop(coord *c, int code);
void co_dispatch(coord *c);
void co_restart_slot(slot *s);
uint64_t co_next_rand(coord *c);
bool co_fuzz_count_limited(const coord *c);
bool co_count_bounded_batches(const coord *c);
uint64_t co_count_left(const coord *c);
void co_log_stats(coord *c);
/* One event of a slot's client: a response, or its process's end. */
void co_handle_event(slot *s, cfz_client_result *r);
/* Corpus entry k failed during the baseline run: the policy decides. */
void co_entry_failed(coord *c, size_t k, const cfz_failure *f,
                     const char *output, uint64_t rss_mb);
/* The numbers of a status line, now. */
cfz_stats co_stats(coord *c);

/* run_corpus.c */
int co_take_target_info(coord *c, const cfz_hello *h);
bool co_same_target(const coord *c, const cfz_hello *h);
/* Starts reading the corpus directories (and MERGE's candidates) off the
 * loop; co_dispatch is called when they are in.  co_loading: still reading.
 * co_cancel_load: stop (the loop ends once the piece in flight is over);
 * co_free_load: what the load kept. */
void co_load_corpora(coord *c, bool with_cache);
bool co_loading(const coord *c);
void co_cancel_load(coord *c);
void co_free_load(coord *c);
void co_load_merge_candidates(coord *c);
void co_add_zero_value(coord *c);
void co_choose_max_len(coord *c);
/* Queues an input for the generated corpus; inputs are written off the
 * loop, a batch at a time, within GEN_DELAY_MS.  co_flush_generated: start
 * writing what waits now (the run is stopping).  co_free_generated: drops
 * what never got a batch (only when the loop is over). */
void co_save_generated(coord *c, const uint8_t *wire, size_t len);
void co_flush_generated(coord *c);
void co_free_generated(coord *c);
int co_persist(coord *c, const uint8_t *wire, size_t len, char *path,
               size_t pathlen);

/* failure_flow.c */
void co_found_failure(coord *c, slot *s, const cfz_failure *f, bool death,
                      cfz_client_result *r);
void co_finish_minimize(coord *c, const char *why);
void co_on_minimize_response(slot *s, cfz_client_result *r);
void co_minimizer_died(slot *s, cfz_client_result *r, const cfz_failure *f,
                       const char *status);
void co_dispatch_minimize(coord *c, slot *s);
/* Whether fuzz batches go out (and their finds count) now: in the FUZZ
 * phase, and with --keep-going while one worker minimizes (not in
 * --deterministic rounds, nor once the run is ending). */
bool co_fuzzing(const coord *c);
void co_start_minimize_mode(coord *c);
/* The replay of a new failure (docs/usage.md "Flaky failures"): sends it
 * when s is a fresh process that owes one (true: s is taken or must wait);
 * its answer; its end (passed: it did not fail, the failure is flaky). */
bool co_dispatch_replay(coord *c, slot *s);
void co_replay_response(slot *s, const cfz_client_result *r);
void co_replay_end(slot *s, bool passed);
void co_print_failure_report(coord *c);
/* An observed run (cfz libfuzzer): the failure with its input, decoded
 * from wire. */
void co_report_failed_input(coord *c, const cfz_failure *f, const char *output,
                            const uint8_t *wire, size_t len, uint64_t rss_mb);

/* policies.c */
void co_dispatch_fuzz(coord *c, slot *s);
void co_on_fuzz_response(slot *s, cfz_client_result *r);

#endif
