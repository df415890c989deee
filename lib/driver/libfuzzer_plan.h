/* libfuzzer_plan.h - what `cfz libfuzzer TARGET ARGS...` should do.
 *
 * A libFuzzer-style target started with libFuzzer's command line execs
 * `cfz libfuzzer` (driver_exec.h).  This module turns that command line
 * (already parsed by libfuzzer_flags.h) into cfz's terms: the mode, the
 * limits, the worker count, the corpus directories and where artifacts go.
 * Pure: the caller passes the CPU count and a random seed; nothing here
 * touches files or options structs of the subcommands.
 */
#ifndef CFZ_LIBFUZZER_PLAN_H
#define CFZ_LIBFUZZER_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libfuzzer_flags.h"

typedef enum cfz_lf_plan_mode {
  CFZ_LFP_FUZZ,       /* fuzz; new units to out_dir (when there is one) */
  CFZ_LFP_CORPUS_RUN, /* -runs=0: run the corpus once, no fuzzing */
  CFZ_LFP_MERGE,      /* add what in_dirs bring to out_dir */
  CFZ_LFP_MINIMIZE,   /* minimize crash_file */
  CFZ_LFP_REPRODUCE,  /* every input a file: the target runs them itself */
  CFZ_LFP_HELP,
} cfz_lf_plan_mode;

typedef struct cfz_lf_plan {
  cfz_lf_plan_mode mode;
  unsigned workers;         /* worker processes */
  uint64_t max_execs;       /* 0: no count limit (-runs) */
  uint64_t max_time_ns;     /* 0: no time limit (-max_total_time) */
  uint64_t timeout_ms;      /* per input; 0: none */
  uint64_t rss_limit_mb;    /* 0: none */
  uint64_t malloc_limit_mb; /* 0: none */
  size_t max_len;           /* 0: follow the corpus (default 4096) */
  unsigned long seed;       /* never 0: the one given, else the one drawn */
  bool seed_given;          /* -seed=N with N != 0: make the run repeatable */
  const char *dict;         /* NULL: none */
  bool value_profile;
  bool detect_leaks;
  bool print_final_stats;
  int close_fd_mask;  /* 1 target stdout, 2 target stderr */
  int error_exitcode; /* crash, leak, exit, const input */
  int timeout_exitcode;
  int oom_exitcode;
  /* Corpus directories: FUZZ / CORPUS_RUN read all of dirs; new units go to
   * out_dir (dirs[0]) when there is one.  MERGE: out_dir and in_dirs. */
  const char *out_dir; /* NULL: none */
  char *const *dirs;   /* pointers into the flags' inputs */
  size_t ndirs;
  char *const *in_dirs; /* MERGE: dirs[1..] */
  size_t nin_dirs;
  const char *merge_control_file; /* accepted, not used for resuming */
  const char *crash_file;         /* MINIMIZE: the input */
  /* Artifacts: <artifact_prefix><kind>-<sha1>, or exactly exact_path. */
  const char *artifact_prefix; /* "" by default */
  const char *exact_path;      /* NULL: none */
  bool create_missing_dirs;    /* make those directories when missing */
} cfz_lf_plan;

/* Fills p from parsed flags f.  mode is cfz_lf_mode_of(f, ...); ncpu the
 * number of CPUs (for -jobs without -workers: min(jobs, ncpu / 2), at least
 * 1); random_seed replaces -seed=0 (pass a non-zero value).  Returns 0, or
 * -1 with a message in err (MERGE without an output directory, MINIMIZE
 * without exactly one input). */
int cfz_lf_plan_make(const cfz_lf_flags *f, cfz_lf_mode mode, unsigned ncpu,
                     unsigned long random_seed, cfz_lf_plan *p, char *err,
                     size_t errlen);

#endif
