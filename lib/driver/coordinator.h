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

typedef enum cfz_mode { CFZ_MODE_FUZZ, CFZ_MODE_MINIMIZE } cfz_mode;

#include "value.h"

/* What MINIMIZE mode found (owned by the caller; free best with
 * cfz_values_free). */
typedef struct cfz_minimize_result {
  bool reproduced;   /* the input failed */
  cfz_values best;   /* the smallest failing input known */
  uint64_t execs;    /* executions spent */
  char message[512]; /* the failure's first line */
} cfz_minimize_result;

typedef struct cfz_options {
  cfz_mode mode;
  const char *target_path; /* executable */
  const char *target_name; /* --target, or NULL */
  unsigned parallel;       /* workers */
  cfz_limit fuzz_time;     /* zero: until a failure or a signal */
  cfz_limit minimize_time; /* zero: minimization off */
  uint64_t timeout_ms;     /* per-input hang timeout */
  uint64_t rss_limit_mb;   /* 0: off */
  size_t max_len;          /* largest bytes/string value */
  uint64_t seed;
  bool seed_set;
  const char *testdata_dir; /* seed corpora root, default testdata/fuzz */
  const char *cache_dir;    /* generated corpora root, NULL: default */
  const char *dict_path;
  bool keep_going, value_profile, json, no_feedback;
  const char *crash_file;      /* MINIMIZE: the input */
  cfz_minimize_result *result; /* MINIMIZE: filled in */
} cfz_options;

int cfz_coordinator_run(const cfz_options *opt);

#endif
