/* run_observer.h - a run's events, for an output other than cfz's own.
 *
 * `cfz libfuzzer` tells a run the way libFuzzer does (libfuzzer_report.h).
 * The coordinator calls these hooks, on its loop, when an observer is set
 * in cfz_options; every hook may be NULL.  With an observer, the
 * coordinator prints no stats lines and no failure report of its own
 * (errors and warnings still go to stderr).
 */
#ifndef CFZ_RUN_OBSERVER_H
#define CFZ_RUN_OBSERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "failure.h"
#include "value.h"

typedef struct cfz_run_stats {
  uint64_t execs;        /* executions so far */
  uint64_t edges;        /* coverage counters hit */
  uint64_t features;     /* coverage features */
  uint64_t corpus;       /* corpus entries */
  uint64_t corpus_bytes; /* their total size */
  uint64_t execs_per_sec;
  double elapsed_s;
} cfz_run_stats;

typedef struct cfz_run_failure {
  const cfz_failure *fail; /* kind, code, message */
  const char *output;      /* what the target printed (may be NULL) */
  const cfz_values *input; /* the failing input */
  uint64_t rss_mb;         /* OOM: the memory used */
} cfz_run_failure;

typedef struct cfz_run_observer {
  void *ctx;
  /* The corpus is loaded: counters from the handshake; files[i] entries
   * read from corpus_dirs[i]; min/max/total: entry sizes. */
  void (*loaded)(void *ctx, uint64_t counters, const uint64_t *files,
                 size_t ndirs, uint64_t min, uint64_t max, uint64_t total,
                 size_t max_len);
  /* The baseline run is done. */
  void (*inited)(void *ctx, const cfz_run_stats *s);
  /* An input that brought new coverage was added to the corpus. */
  void (*new_input)(void *ctx, const cfz_values *input, const cfz_run_stats *s);
  /* Every few seconds. */
  void (*stats)(void *ctx, const cfz_run_stats *s);
  /* A failure (a corpus entry or a fuzzed input), as found. */
  void (*failure)(void *ctx, const cfz_run_failure *f);
  /* The run ends (after the last event), with the status it returns. */
  void (*done)(void *ctx, const cfz_run_stats *s, int status);
} cfz_run_observer;

#endif
