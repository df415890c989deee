/* report.h - the one sink for everything a run tells its user.
 *
 * Text goes to stderr (log lines, the status line, failure reports, the
 * summary); with --json, events also go to stdout, one JSON object per
 * line.  On a terminal the status is one line updated in place
 * (status_line.h), cleared before any other output; elsewhere it is a log
 * line per interval.  Each status can also be a row of a stats file
 * (stats_file.h).  Every output of the coordinator and its policies passes
 * through here, so a new format (libFuzzer-style lines, a stats file) is a
 * change to this module only: its functions take what happened, not how to
 * print it. */
#ifndef CFZ_REPORT_H
#define CFZ_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crash_queue.h"
#include "run_observer.h"
#include "stats.h"
#include "stats_file.h"
#include "status_line.h"

typedef struct cfz_report {
  bool json;         /* events on stdout */
  uint64_t start_ns; /* the run's start, for elapsed times */
  /* When set, the run's events go to the observer (cfz libfuzzer prints
   * libFuzzer's lines) instead of the status lines and failure reports;
   * log lines (warnings, errors) still go to stderr. */
  const cfz_run_observer *obs;
  cfz_status_line line;   /* the status on a terminal */
  uint64_t last_new_ns;   /* the last new coverage; 0: none yet */
  const char *stats_path; /* --stats FILE, or NULL */
  const char *stats_dir;  /* else the file is <stats_dir>.stats.csv */
  bool stats_opened;      /* the stats file was tried */
  cfz_stats_file stats;   /* the rows */
} cfz_report;

/* A failure found by fuzzing, as its report shows it. */
typedef struct cfz_failure_report {
  const char *target;      /* target name */
  const char *target_path; /* executable, for the re-run command */
  const cfz_crash *crash;  /* message, output, path */
} cfz_failure_report;

void cfz_report_init(cfz_report *r, bool json, uint64_t start_ns);
/* Sends the run's events to obs (may be NULL: cfz's own output). */
void cfz_report_observe(cfz_report *r, const cfz_run_observer *obs);
/* Writes each status (cfz_report_stats) as a row of the stats file: path,
 * or when path is NULL "<dir>.stats.csv" (beside the generated corpus
 * directory dir; dir is read when the first row is written, so it may be
 * filled in later; NULL: no file).  A file that cannot be written gives one
 * warning and no more rows; the run goes on. */
void cfz_report_stats_to(cfz_report *r, const char *path, const char *dir);
/* The end of the run: the status line stays as a finished line, the stats
 * file is closed. */
void cfz_report_close(cfz_report *r);

/* One line on stderr (printf-style, no newline needed). */
void cfz_report_log(cfz_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Up to max_lines lines of text, indented by four spaces. */
void cfz_report_indented(cfz_report *r, const char *text, size_t max_lines);

/* The baseline run's progress line. */
void cfz_report_warmup(cfz_report *r, size_t done, size_t total);
/* The status line, a row of the stats file and, with --json, a "stats"
 * event. */
void cfz_report_stats(cfz_report *r, const cfz_stats *st);
/* The "--- FAIL" block and, with --json, a "failure" event. */
void cfz_report_failure(cfz_report *r, const cfz_failure_report *f);
/* A corpus entry that failed (cfz test, or a seed during cfz run): the
 * "--- FAIL" block and, with --json, a "failure" event with its origin. */
void cfz_report_entry_failure(cfz_report *r, const char *target,
                              const char *origin, const cfz_failure *fail,
                              const char *output);
/* Events only an observer takes (run_observer.h); without one, nothing. */
void cfz_report_loaded(cfz_report *r, uint64_t counters, const uint64_t *files,
                       size_t ndirs, uint64_t min, uint64_t max, uint64_t total,
                       size_t max_len);
void cfz_report_inited(cfz_report *r, const cfz_stats *st);
void cfz_report_new_input(cfz_report *r, const cfz_values *input,
                          const cfz_stats *st);
/* A failure with its input (found by fuzzing, or a failing corpus entry);
 * cfz's own reports of it are cfz_report_failure / _entry_failure. */
void cfz_report_failed_input(cfz_report *r, const cfz_failure *f,
                             const char *output, const cfz_values *input,
                             uint64_t rss_mb);
void cfz_report_done(cfz_report *r, const cfz_stats *st, int status);

/* With --json only (the text output stays as it is): */
/* a fuzzed input added coverage and joined the corpus (also: the time
 * since the last new coverage on the status line); */
void cfz_report_new_coverage(cfz_report *r, const cfz_stats *st,
                             uint64_t added_features, size_t input_len);
/* minimization of a failure starts (title: cfz_failure_title) and ends
 * (execs spent, the size of the best input, where it was written); */
void cfz_report_minimize_start(cfz_report *r, const char *target,
                               const cfz_failure *fail, size_t input_len);
void cfz_report_minimize_end(cfz_report *r, const char *target, uint64_t execs,
                             size_t input_len, const char *file);
/* a worker process is started again (after a crash, a hang...). */
void cfz_report_worker_restart(cfz_report *r, unsigned worker);

/* --keep-going: the distinct failures of the run. */
void cfz_report_summary(cfz_report *r, const cfz_distinct *d, size_t n);

#endif
