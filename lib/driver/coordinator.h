/* coordinator.h - a run of a target on one libuv loop, in one of four modes.
 *
 * Every mode starts N workers of the target, takes the first handshake's
 * target description, gathers its inputs and runs each corpus entry once
 * (the baseline); then the mode's policy decides:
 *   cfz_fuzz      hands out fuzz batches until a failure, a limit, or
 *                 SIGINT/SIGTERM; a failure is persisted at once, minimized
 *                 by one worker, and the result replaces the persisted file
 *                 (DESIGN.md "The coordinator");
 *   cfz_test      reports every corpus entry that fails, and ends;
 *   cfz_merge     keeps the smallest-first set of candidate inputs that adds
 *                 coverage beyond the seeds, and ends;
 *   cfz_minimize  skips the corpus and minimizes one input.
 * The corpus: the target's cfz_add seeds, the seed corpus in
 * <testdata>/<Target>/, extra corpus directories and (fuzz, or test with
 * `all`) the generated corpus in <cache>/<Target>/.
 * Each returns the process exit status: 0 nothing found, 1 failure found,
 * 2 usage or set-up error. */
#ifndef CFZ_COORDINATOR_H
#define CFZ_COORDINATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "duration.h"
#include "run_observer.h"
#include "value.h"

/* What every mode shares: the target and how its workers run. */
typedef struct cfz_run_options {
  const char *target_path;  /* executable */
  const char *target_name;  /* --target, or NULL */
  unsigned parallel;        /* workers */
  uint64_t timeout_ms;      /* per-input hang timeout */
  uint64_t rss_limit_mb;    /* 0: off */
  uint64_t malloc_limit_mb; /* one allocation above it fails (sanitizer
                               builds); 0: off */
  size_t max_len;           /* largest bytes/string value */
  bool max_len_set;         /* given: otherwise raised to the largest corpus
                               input, as libFuzzer does */
  uint64_t seed;
  bool seed_set;
  const char *testdata_dir; /* seed corpora root, default testdata/fuzz */
  const char *cache_dir;    /* generated corpora root, NULL: default */
  const char *dict_path;
  bool value_profile, json, no_feedback;
  const char *const *corpus_dirs; /* more seed inputs (read only, e.g. a
                                     libFuzzer corpus directory) */
  size_t ncorpus_dirs;
  const cfz_run_observer *observer; /* NULL: cfz's own text/JSON output;
                                       else the run's events go here
                                       (cfz libfuzzer) */
} cfz_run_options;

typedef struct cfz_fuzz_options {
  cfz_limit fuzz_time;     /* zero: until a failure or a signal */
  cfz_limit minimize_time; /* zero: minimization off */
  bool keep_going;         /* go on after a failure, each one once */
  bool deterministic;      /* workers in rounds: -j N repeats with --seed */
  uint64_t status_ms;      /* status interval; 0: 3 s */
  const char *stats_path;  /* stats file; NULL: beside the generated
                              corpus (docs/stats.md) */
} cfz_fuzz_options;

typedef struct cfz_test_options {
  bool all; /* the generated corpus too */
} cfz_test_options;

typedef struct cfz_test_result {
  size_t entries;  /* corpus entries run */
  size_t failures; /* of which these failed */
} cfz_test_result;

typedef struct cfz_merge_options {
  const char *const *dirs; /* candidate dirs besides the cache */
  size_t ndirs;
  bool skip_cache; /* the cache is not a candidate */
} cfz_merge_options;

/* What merge kept (owned by the caller: cfz_merge_result_free). */
typedef struct cfz_merge_result {
  size_t candidates;   /* distinct candidate inputs run */
  size_t kept;         /* of which these add coverage: */
  char **kept_origins; /* their files */
  cfz_values *kept_values;
  uint64_t features; /* all features, seeds included */
  uint64_t edges;    /* all coverage counters hit, seeds included */
  uint64_t base_features, base_edges; /* of the seeds alone (in order, with
                                         one worker) */
  char cache_dir[4096]; /* the target's generated corpus directory */
} cfz_merge_result;

void cfz_merge_result_free(cfz_merge_result *m);

typedef struct cfz_minimize_options {
  const char *crash_file;  /* the input */
  cfz_limit minimize_time; /* zero: no bound */
} cfz_minimize_options;

/* What minimize found (owned by the caller; free best with
 * cfz_values_free). */
typedef struct cfz_minimize_result {
  bool reproduced;   /* the input failed */
  cfz_values best;   /* the smallest failing input known */
  uint64_t execs;    /* executions spent */
  char message[512]; /* the failure's first line */
} cfz_minimize_result;

int cfz_fuzz(const cfz_run_options *run, const cfz_fuzz_options *opt);
int cfz_test(const cfz_run_options *run, const cfz_test_options *opt,
             cfz_test_result *result);
int cfz_merge(const cfz_run_options *run, const cfz_merge_options *opt,
              cfz_merge_result *result);
int cfz_minimize(const cfz_run_options *run, const cfz_minimize_options *opt,
                 cfz_minimize_result *result);

#endif
