/* libfuzzer_output.h - the lines libFuzzer prints, built from numbers.
 *
 * OSS-Fuzz, ClusterFuzz and ClusterFuzzLite read a fuzz target's output
 * with regular expressions written for libFuzzer (ClusterFuzz's
 * bot/fuzzers/libFuzzer/stats.py, bot/fuzzers/libfuzzer.py and the stack
 * analyzer's constants).  Each function here appends one such line (or
 * block), '\n'-terminated, to a string buffer, in libFuzzer's exact layout.
 * Pure: no I/O, no clock, no global state; the caller prints the buffer
 * (libFuzzer prints everything to stderr).
 */
#ifndef CFZ_LIBFUZZER_OUTPUT_H
#define CFZ_LIBFUZZER_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/* The numbers of a "#N EVENT cov: ... rss: NMb" line.  A zero cov or ft,
 * an empty corpus (corp_units 0), a zero lim are left out, as libFuzzer
 * leaves them out. */
typedef struct cfz_lfo_stats {
  uint64_t runs;         /* executions so far */
  uint64_t cov;          /* covered edges (PCs) */
  uint64_t ft;           /* features */
  uint64_t corp_units;   /* inputs in the corpus */
  uint64_t corp_bytes;   /* their total size */
  uint64_t lim;          /* current length limit, 0: not shown */
  uint64_t exec_per_sec; /* executions per second */
  uint64_t rss_mb;       /* peak resident memory */
} cfz_lfo_stats;

typedef enum cfz_lfo_event {
  CFZ_LFO_INITED,
  CFZ_LFO_NEW,
  CFZ_LFO_REDUCE,
  CFZ_LFO_PULSE,
  CFZ_LFO_RELOAD,
  CFZ_LFO_DONE,
} cfz_lfo_event;

/* "INFO: Seed: N" */
void cfz_lfo_seed(cfz_strbuf *b, unsigned long seed);
/* "INFO: Loaded 1 modules   (N inline 8-bit counters): N [start, stop), "
 * and, when pcs is non-zero, "INFO: Loaded 1 PC tables (N PCs): N ...".
 * The address ranges are printed when start < stop. */
void cfz_lfo_modules(cfz_strbuf *b, uint64_t counters, uintptr_t start,
                     uintptr_t stop, uint64_t pcs);
/* "INFO: -max_len is not provided; libFuzzer will not generate inputs
 * larger than N bytes" */
void cfz_lfo_max_len(cfz_strbuf *b, uint64_t max_len);
/* "INFO: A corpus is not provided, starting from an empty corpus" */
void cfz_lfo_no_corpus(cfz_strbuf *b);
/* "INFO:       N files found in DIR" (N right-aligned in 7 columns) */
void cfz_lfo_files_found(cfz_strbuf *b, uint64_t n, const char *dir);
/* "INFO: seed corpus: files: N min: Nb max: Nb total: Nb rss: NMb" */
void cfz_lfo_seed_corpus(cfz_strbuf *b, uint64_t files, uint64_t min,
                         uint64_t max, uint64_t total, uint64_t rss_mb);

/* "#N\tINITED cov: C ft: F corp: U/Sb lim: L exec/s: E rss: RMb" and a
 * newline.  For NEW and REDUCE use cfz_lfo_new_unit instead. */
void cfz_lfo_stats_line(cfz_strbuf *b, cfz_lfo_event ev,
                        const cfz_lfo_stats *s);
/* A NEW or REDUCE line: the stats, then " L: len/max_len MS: n ops" (ops
 * like "ChangeBit-InsertByte-"; NULL or "" prints "MS: 0 "). */
void cfz_lfo_new_unit(cfz_strbuf *b, cfz_lfo_event ev, const cfz_lfo_stats *s,
                      uint64_t len, uint64_t max_len, size_t nops,
                      const char *ops);
/* "Done N runs in S second(s)" */
void cfz_lfo_done(cfz_strbuf *b, uint64_t runs, uint64_t seconds);

/* The kinds of failure libFuzzer names. */
typedef enum cfz_lfo_failure {
  CFZ_LFO_DEADLY_SIGNAL, /* crash- */
  CFZ_LFO_TARGET_EXITED, /* crash- */
  CFZ_LFO_TIMEOUT,       /* timeout- */
  CFZ_LFO_OOM_RSS,       /* oom- */
  CFZ_LFO_OOM_MALLOC,    /* oom- */
  CFZ_LFO_LEAK,          /* leak-, reported by LeakSanitizer */
  CFZ_LFO_CONST_INPUT,   /* crash-: the target wrote to its input */
} cfz_lfo_failure;

/* The artifact file name prefix of a kind: "crash-", "timeout-", "oom-",
 * "leak-". */
const char *cfz_lfo_artifact_kind(cfz_lfo_failure k);

/* "==PID== ERROR: libFuzzer: <what>" for every kind but LEAK (LSan prints
 * its own): deadly signal | fuzz target exited | timeout after N seconds |
 * out-of-memory (used: NMb; limit: NMb) | out-of-memory (malloc(N)) |
 * fuzz target overwrites its const input.  a and c are the kind's
 * numbers: seconds for TIMEOUT; used and limit Mb for OOM_RSS; the
 * allocation size for OOM_MALLOC. */
void cfz_lfo_error(cfz_strbuf *b, long pid, cfz_lfo_failure k, uint64_t a,
                   uint64_t c);
/* "SUMMARY: libFuzzer: deadly signal | fuzz target exited | timeout |
 * out-of-memory | overwrites-const-input"; nothing for LEAK. */
void cfz_lfo_summary(cfz_strbuf *b, cfz_lfo_failure k);
/* The two ALARM lines that precede a timeout's report. */
void cfz_lfo_alarm(cfz_strbuf *b, uint64_t seconds, long timeout);
/* "MS: n ops; base unit: SHA1" (base unit: 40 hex digits; NULL or ""
 * prints CFZ_LFO_NO_BASE). */
void cfz_lfo_mutation(cfz_strbuf *b, size_t nops, const char *ops,
                      const char *base_sha1);
/* The input as libFuzzer shows it before writing it: "0x41,0x0a,\n" and
 * "A\n\012\n" (printable ASCII, \\, \" and octal escapes); nothing when it
 * is longer than 256 bytes. */
void cfz_lfo_unit_dump(cfz_strbuf *b, const uint8_t *data, size_t len);
/* "artifact_prefix='P'; Test unit written to PATH", then "Base64: ..." when
 * the input is at most 256 bytes. */
void cfz_lfo_artifact(cfz_strbuf *b, const char *prefix, const char *path,
                      const uint8_t *data, size_t len);
/* Appends the base64 (RFC 4648, with padding) of data. */
void cfz_lfo_base64(cfz_strbuf *b, const uint8_t *data, size_t len);

/* The -print_final_stats=1 block: five "stat::name: N" lines. */
void cfz_lfo_final_stats(cfz_strbuf *b, uint64_t runs, uint64_t exec_per_sec,
                         uint64_t new_units, uint64_t slowest_sec,
                         uint64_t peak_rss_mb);
/* "MERGE-OUTER: N new files with F new features added; E new coverage
 * edges" */
void cfz_lfo_merge_outer(cfz_strbuf *b, uint64_t files, uint64_t features,
                         uint64_t edges);

/* Reproducing files: "Running: FILE", "Executed FILE in N ms", and the
 * NOTE that no fuzzing was done. */
void cfz_lfo_running(cfz_strbuf *b, const char *file);
void cfz_lfo_executed(cfz_strbuf *b, const char *file, uint64_t ms);
void cfz_lfo_not_fuzzed(cfz_strbuf *b);

/* The base unit libFuzzer prints when an input was not mutated from one
 * (a seed corpus entry, a minimization step). */
#define CFZ_LFO_NO_BASE "0000000000000000000000000000000000000000"

#endif
