/* libfuzzer_report.h - a fuzzing session told the way libFuzzer tells it.
 *
 * The libFuzzer output mode of `cfz libfuzzer`: each function takes one
 * event of the session (start, corpus loaded, new unit, stats, failure,
 * end), prints libFuzzer's lines for it (libfuzzer_output.h) to the
 * report's stream and writes the files libFuzzer writes: new units, raw,
 * to the first corpus directory as <dir>/<sha1>; failing inputs, raw, as
 * <artifact_prefix><kind>-<sha1> or exactly -exact_artifact_path.
 * No clock and no global state: the caller passes times and counts.
 */
#ifndef CFZ_LIBFUZZER_REPORT_H
#define CFZ_LIBFUZZER_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "libfuzzer_output.h"
#include "libfuzzer_plan.h"

typedef struct cfz_lf_report {
  FILE *out;                /* where the lines go (stderr) */
  const cfz_lf_plan *plan;  /* the session's settings */
  long pid;                 /* printed in "==PID== ERROR" */
  uint64_t new_units;       /* units added (stat::new_units_added) */
  uint64_t slowest_unit_ms; /* stat::slowest_unit_time_sec */
  char artifact[4096];      /* the last artifact written ("": none) */
} cfz_lf_report;

void cfz_lfr_init(cfz_lf_report *r, FILE *out, const cfz_lf_plan *plan,
                  long pid);

/* "INFO: Seed: N", "INFO: Loaded 1 modules (N inline 8-bit counters)",
 * and "Dictionary: N entries" when a dictionary was given. */
void cfz_lfr_start(cfz_lf_report *r, uint64_t counters, size_t dict_entries);

/* The corpus as loaded: for each directory "INFO: N files found in DIR"
 * (files[i]), the max_len note when -max_len was not given, then "INFO:
 * seed corpus: files: ..." or, with no file at all, "INFO: A corpus is not
 * provided, starting from an empty corpus". */
void cfz_lfr_corpus(cfz_lf_report *r, const uint64_t *files, uint64_t min,
                    uint64_t max, uint64_t total, size_t max_len,
                    uint64_t rss_mb);

/* A stats line: INITED, pulse, RELOAD. */
void cfz_lfr_stats(cfz_lf_report *r, cfz_lfo_event ev, const cfz_lfo_stats *s);

/* A unit that brought new coverage: written raw to the plan's out_dir as
 * its SHA-1 (when there is an out_dir and no file of that name yet), and
 * the NEW line.  Returns 0, or -1 (message printed) when it cannot be
 * written. */
int cfz_lfr_new_unit(cfz_lf_report *r, const cfz_lfo_stats *s,
                     const uint8_t *data, size_t len, size_t max_len,
                     size_t nops, const char *ops);

/* One failure.  kind: as classified (cfz_lfr_kind); output: what the
 * target printed (a sanitizer report is passed through whole; may be
 * NULL); data/len: the failing input; a, c: the numbers of the kind's
 * ERROR line (cfz_lfo_error).  Prints libFuzzer's lines in libFuzzer's
 * order, writes the artifact and returns the exit status libFuzzer would
 * end with (-error_exitcode, -timeout_exitcode, 71). */
int cfz_lfr_failure(cfz_lf_report *r, cfz_lfo_failure kind, const char *output,
                    const uint8_t *data, size_t len, uint64_t a, uint64_t c,
                    const char *base_sha1);

/* The size of the allocation an OOM_MALLOC output names: ASan's
 * "requested allocation size 0x..." (a --malloc-limit the driver set as
 * max_allocation_size_mb) or libFuzzer's own "out-of-memory (malloc(N))".
 * 0 when neither is there. */
uint64_t cfz_lfr_malloc_size(const char *output);

/* The kind of a failure from how the worker ended: hung (no progress
 * within the timeout), over the RSS limit, or died with term_signal /
 * exited with exit_status; output is searched for LeakSanitizer's report
 * (LEAK) and for ASan's allocation-size-too-big (OOM_MALLOC). */
cfz_lfo_failure cfz_lfr_kind(bool hung, bool oom, int term_signal,
                             long exit_status, const char *output);

/* The DONE line and "Done N runs in S second(s)", then the stat:: lines
 * when -print_final_stats=1. */
void cfz_lfr_done(cfz_lf_report *r, const cfz_lfo_stats *s, uint64_t seconds);
/* The stat:: lines alone (after a failure). */
void cfz_lfr_final_stats(cfz_lf_report *r, const cfz_lfo_stats *s);

#endif
