/* report.h - the one sink for everything a run tells its user.
 *
 * Text goes to stderr (log lines, the status line, failure reports, the
 * summary); with --json, events also go to stdout, one JSON object per
 * line.  Every output of the coordinator and its policies passes through
 * here, so a new format (libFuzzer-style lines, a stats file) is a change
 * to this module only: its functions take what happened, not how to print
 * it. */
#ifndef CFZ_REPORT_H
#define CFZ_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crash_queue.h"
#include "run_observer.h"

typedef struct cfz_report {
  bool json;         /* events on stdout */
  uint64_t start_ns; /* the run's start, for elapsed times */
  /* When set, the run's events go to the observer (cfz libfuzzer prints
   * libFuzzer's lines) instead of the status lines and failure reports;
   * log lines (warnings, errors) still go to stderr. */
  const cfz_run_observer *obs;
} cfz_report;

/* What a status line shows. */
typedef struct cfz_stats {
  uint64_t execs, execs_per_sec, new_interesting;
  size_t corpus;
  uint64_t features, edges;
  unsigned workers;
} cfz_stats;

/* A failure found by fuzzing, as its report shows it. */
typedef struct cfz_failure_report {
  const char *target;      /* target name */
  const char *target_path; /* executable, for the re-run command */
  const cfz_crash *crash;  /* message, output, path */
} cfz_failure_report;

void cfz_report_init(cfz_report *r, bool json, uint64_t start_ns);
/* Sends the run's events to obs (may be NULL: cfz's own output). */
void cfz_report_observe(cfz_report *r, const cfz_run_observer *obs);

/* One line on stderr (printf-style, no newline needed). */
void cfz_report_log(const cfz_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Up to max_lines lines of text, indented by four spaces. */
void cfz_report_indented(const cfz_report *r, const char *text,
                         size_t max_lines);

/* The baseline run's progress line. */
void cfz_report_warmup(const cfz_report *r, size_t done, size_t total);
/* The status line and, with --json, a "stats" event. */
void cfz_report_stats(const cfz_report *r, const cfz_stats *st);
/* The "--- FAIL" block and, with --json, a "failure" event. */
void cfz_report_failure(const cfz_report *r, const cfz_failure_report *f);
/* A corpus entry that failed (cfz test, or a seed during cfz run): the
 * "--- FAIL" block and, with --json, a "failure" event with its origin. */
void cfz_report_entry_failure(const cfz_report *r, const char *target,
                              const char *origin, const cfz_failure *fail,
                              const char *output);
/* Events only an observer takes (run_observer.h); without one, nothing. */
void cfz_report_loaded(const cfz_report *r, uint64_t counters,
                       const uint64_t *files, size_t ndirs, uint64_t min,
                       uint64_t max, uint64_t total, size_t max_len);
void cfz_report_inited(const cfz_report *r, const cfz_stats *st);
void cfz_report_new_input(const cfz_report *r, const cfz_values *input,
                          const cfz_stats *st);
/* A failure with its input (found by fuzzing, or a failing corpus entry);
 * cfz's own reports of it are cfz_report_failure / _entry_failure. */
void cfz_report_failed_input(const cfz_report *r, const cfz_failure *f,
                             const char *output, const cfz_values *input,
                             uint64_t rss_mb);
void cfz_report_done(const cfz_report *r, const cfz_stats *st, int status);

/* With --json only (the text output stays as it is): */
/* a fuzzed input added coverage and joined the corpus; */
void cfz_report_new_coverage(const cfz_report *r, const cfz_stats *st,
                             uint64_t added_features, size_t input_len);
/* minimization of a failure starts (title: cfz_failure_title) and ends
 * (execs spent, the size of the best input, where it was written); */
void cfz_report_minimize_start(const cfz_report *r, const char *target,
                               const cfz_failure *fail, size_t input_len);
void cfz_report_minimize_end(const cfz_report *r, const char *target,
                             uint64_t execs, size_t input_len,
                             const char *file);
/* a worker process is started again (after a crash, a hang...). */
void cfz_report_worker_restart(const cfz_report *r, unsigned worker);

/* --keep-going: the distinct failures of the run. */
void cfz_report_summary(const cfz_report *r, const cfz_distinct *d, size_t n);

#endif
