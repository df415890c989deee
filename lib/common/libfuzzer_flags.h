/* libfuzzer_flags.h - libFuzzer's command line, parsed as libFuzzer parses it.
 *
 * A libFuzzer-style target is started by OSS-Fuzz, ClusterFuzz and
 * ClusterFuzzLite as `./t [-flag=value...] [DIR_OR_FILE...]`.  This module
 * turns such an argv into a cfz_lf_flags (every flag of libFuzzer that cfz
 * honours, with libFuzzer's defaults) and tells which mode libFuzzer would
 * run in.  It is pure: no I/O, no global state; messages for the user
 * (libFuzzer's warnings) are returned in a string buffer for the caller to
 * print.
 *
 * Parsing follows libFuzzer's FuzzerDriver: an argument that does not start
 * with '-' is an input; "-name=value" sets a flag; integers are read as
 * libFuzzer reads them (optional '-', then leading digits; anything after is
 * ignored, "abc" is 0); a flag of libFuzzer that cfz does not implement is
 * accepted with a note; anything else gets libFuzzer's warning
 *   WARNING: unrecognized flag '-foo=1'; use -help=1 to list all flags
 * and is ignored.  "--flag" arguments are ignored with libFuzzer's note.
 * -ignore_remaining_args=1 ends parsing.
 */
#ifndef CFZ_LIBFUZZER_FLAGS_H
#define CFZ_LIBFUZZER_FLAGS_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* libFuzzer's exit codes (FuzzerOptions.h / FuzzerFlags.def defaults). */
#define CFZ_LF_ERROR_EXITCODE 77   /* a crash, a leak, target exited */
#define CFZ_LF_TIMEOUT_EXITCODE 70 /* -timeout */
#define CFZ_LF_OOM_EXITCODE 71     /* -rss_limit_mb / -malloc_limit_mb */
#define CFZ_LF_INTERRUPT_EXITCODE 72

typedef struct cfz_lf_flags {
  long max_total_time;         /* seconds, 0: no limit */
  long runs;                   /* executions, -1: no limit */
  unsigned long seed;          /* 0: pick one */
  long timeout;                /* seconds per input, 0 or less: none (1200) */
  long rss_limit_mb;           /* 0: none (2048) */
  long malloc_limit_mb;        /* 0: same as rss_limit_mb */
  long max_len;                /* 0: guess from the corpus (4096 when empty) */
  long len_control;            /* 100 */
  const char *dict;            /* NULL: none */
  const char *artifact_prefix; /* "" */
  const char *exact_artifact_path; /* NULL: none */
  long print_final_stats;          /* 0 */
  long close_fd_mask;              /* 1 stdout, 2 stderr, 3 both */
  long detect_leaks;               /* 1 */
  long use_value_profile;          /* 0 */
  unsigned long jobs;              /* 0 */
  unsigned long workers;           /* 0: min(jobs, cores / 2) */
  long fork;                       /* 0 */
  long error_exitcode;             /* 77 */
  long timeout_exitcode;           /* 70 */
  long merge;                      /* 0 */
  long set_cover_merge;            /* 0 (taken as -merge) */
  const char *merge_control_file;  /* NULL */
  long minimize_crash;             /* 0 */
  long help;                       /* 0 */
  long verbosity;                  /* 1 */
  long ignore_remaining_args;      /* 0 */
  long create_missing_dirs;        /* 0 */
  /* The inputs (pointers into argv), in order; ninputs of them. */
  char **inputs;
  size_t ninputs;
} cfz_lf_flags;

typedef enum cfz_lf_mode {
  CFZ_LF_HELP,      /* -help=1: print cfz_lf_help_text and exit 0 */
  CFZ_LF_MERGE,     /* -merge=1 OUT IN... */
  CFZ_LF_MINIMIZE,  /* -minimize_crash=1 CRASH */
  CFZ_LF_REPRODUCE, /* every input is a file: run each max(1, runs) times */
  CFZ_LF_FUZZ,      /* anything else: fuzz (the inputs are corpus dirs) */
} cfz_lf_mode;

/* Sets every flag to libFuzzer's default, no inputs. */
void cfz_lf_flags_init(cfz_lf_flags *f);

/* Parses argv[1..argc-1] into f (initialized here).  Warnings and notes,
 * one a line, are appended to msgs.  Returns 0, or -1 when out of memory.
 * f->inputs must be freed with cfz_lf_flags_free. */
int cfz_lf_parse(int argc, char **argv, cfz_lf_flags *f, cfz_strbuf *msgs);
void cfz_lf_flags_free(cfz_lf_flags *f);

/* The mode libFuzzer picks for f.  is_file(path, ctx) says whether an input
 * is an existing regular file (libFuzzer's AllInputsAreFiles: with no input
 * at all, or one that is a directory or missing, it fuzzes). */
cfz_lf_mode cfz_lf_mode_of(const cfz_lf_flags *f,
                           bool (*is_file)(const char *path, void *ctx),
                           void *ctx);

/* The text of -help=1 (libFuzzer's layout, cfz's flags); prog is argv[0]. */
void cfz_lf_help_text(const char *prog, cfz_strbuf *out);

/* The malloc limit in effect: malloc_limit_mb, or rss_limit_mb when 0. */
long cfz_lf_malloc_limit(const cfz_lf_flags *f);

#endif
