/* coordinator.h - the fuzzing policy on one libuv loop.
 *
 * cfz_coordinator_run starts N workers of the target, gathers the corpus
 * (the target's cfz_add seeds, the seed corpus in <testdata>/<Target>/, the
 * generated corpus in <cache>/<Target>/), runs every entry once for baseline
 * coverage, then hands out fuzz batches until a failure, a limit, or
 * SIGINT/SIGTERM.  A failure arrives unminimized: it is persisted at once,
 * fuzzing stops, one worker minimizes it through the minimize queue, and the
 * result replaces the persisted file (DESIGN.md "The coordinator").
 * Mode MINIMIZE skips fuzzing and minimizes opt->crash_file.
 * Returns the process exit status: 0 nothing found, 1 failure found,
 * 2 usage or set-up error. */
#ifndef CFZ_COORDINATOR_H
#define CFZ_COORDINATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "duration.h"

/* FUZZ: cfz run.  MINIMIZE: cfz minimize.  TEST: run every corpus entry once
 * and report each failure (cfz test).  MERGE: keep the smallest-first set of
 * candidate inputs that adds coverage beyond the seeds (cfz corpus merge). */
typedef enum cfz_mode {
  CFZ_MODE_FUZZ,
  CFZ_MODE_MINIMIZE,
  CFZ_MODE_TEST,
  CFZ_MODE_MERGE
} cfz_mode;

#include "value.h"

/* What MINIMIZE mode found (owned by the caller; free best with
 * cfz_values_free). */
typedef struct cfz_minimize_result {
  bool reproduced;   /* the input failed */
  cfz_values best;   /* the smallest failing input known */
  uint64_t execs;    /* executions spent */
  char message[512]; /* the failure's first line */
} cfz_minimize_result;

/* What MERGE mode kept (owned by the caller: cfz_merge_result_free). */
typedef struct cfz_merge_result {
  size_t candidates;   /* distinct candidate inputs run */
  size_t kept;         /* of which these add coverage: */
  char **kept_origins; /* their files */
  cfz_values *kept_values;
  uint64_t features;    /* all features, seeds included */
  char cache_dir[4096]; /* the target's generated corpus directory */
} cfz_merge_result;

void cfz_merge_result_free(cfz_merge_result *m);

typedef struct cfz_options {
  cfz_mode mode;
  const char *target_path;  /* executable */
  const char *target_name;  /* --target, or NULL */
  unsigned parallel;        /* workers */
  cfz_limit fuzz_time;      /* zero: until a failure or a signal */
  cfz_limit minimize_time;  /* zero: minimization off */
  uint64_t timeout_ms;      /* per-input hang timeout */
  uint64_t rss_limit_mb;    /* 0: off */
  uint64_t malloc_limit_mb; /* one allocation above it fails (sanitizer
                               builds); 0: off */
  size_t max_len;           /* largest bytes/string value */
  bool max_len_set;         /* given: otherwise raised to the largest corpus
                               input, as libFuzzer does */
  bool malloc_limit_set;    /* given: otherwise it follows --rss-limit */
  uint64_t seed;
  bool seed_set;
  const char *testdata_dir; /* seed corpora root, default testdata/fuzz */
  const char *cache_dir;    /* generated corpora root, NULL: default */
  const char *dict_path;
  bool keep_going, value_profile, json, no_feedback;
  const char *crash_file;         /* MINIMIZE: the input */
  cfz_minimize_result *result;    /* MINIMIZE: filled in */
  bool test_all;                  /* TEST: the generated corpus too */
  const char *const *corpus_dirs; /* FUZZ/TEST: more seed inputs (read only,
                                     e.g. a libFuzzer corpus directory) */
  size_t ncorpus_dirs;
  const char *const *merge_dirs; /* MERGE: candidate dirs besides the cache */
  size_t nmerge_dirs;
  bool merge_skip_cache;   /* MERGE: the cache is not a candidate */
  cfz_merge_result *merge; /* MERGE: filled in */
} cfz_options;

int cfz_coordinator_run(const cfz_options *opt);

#endif
