/* failure.h - what a failure is: its kind, its message and its signature.
 *
 * Messages (first line), as in DESIGN.md:
 *   recoverable: the text given to cfz_fail / cfz_fatal
 *   signal:      "fuzzing process terminated unexpectedly: signal SIGSEGV"
 *   exit:        "fuzzing process terminated unexpectedly: exit status 99"
 *   hang:        "fuzzing process hung: no progress within 10s (--timeout)"
 *   oom:         "fuzzing process used 2100 MB, above the 2048 MB --rss-limit"
 * The signature identifies a failure for deduplication and for "fails the same
 * way" during minimization: kind, signal or exit status (or the message for
 * recoverable failures), the sanitizer bug type and the top 3 stack frames
 * when the captured output holds a sanitizer report. */
#ifndef CFZ_FAILURE_H
#define CFZ_FAILURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum cfz_failure_kind {
  CFZ_FAIL_RECOVERABLE,
  CFZ_FAIL_SIGNAL,
  CFZ_FAIL_EXIT,
  CFZ_FAIL_HANG,
  CFZ_FAIL_OOM,
} cfz_failure_kind;

typedef struct cfz_failure {
  cfz_failure_kind kind;
  int code;            /* signal number or exit status */
  char message[512];   /* first line, as above */
  char bug_type[64];   /* e.g. "heap-buffer-overflow"; "" when none */
  char frames[3][128]; /* top stack frames (function names); "" when none */
  char access[32];     /* "READ 1", "WRITE 4", "WRITE" (SEGV); "" if none */
  char address[32];    /* "0x0": the faulting address of a SEGV, if known */
  char location[128];  /* "parse.c:24": where frames[0] is; "" if unknown */
} cfz_failure;

/* "SIGSEGV" for 11; "signal 99" style text for unknown numbers. */
const char *cfz_signal_name(int sig, char *buf, size_t buflen);

/* How a process ended: "signal SIGSEGV" (term_signal != 0) or "exit status
 * 3".  Returns buf. */
const char *cfz_exit_text(int64_t exit_status, int term_signal, char *buf,
                          size_t buflen);

/* Builds a failure for a worker that died.  term_signal 0 means it exited
 * with exit_status.  output: the worker's captured stdout/stderr (may be
 * NULL); a sanitizer report in it fills bug_type, frames, access, address
 * and location; without one, a glibc abort message ("free(): invalid
 * pointer") becomes the bug type. */
void cfz_failure_from_exit(cfz_failure *f, int64_t exit_status, int term_signal,
                           const char *output);
void cfz_failure_recoverable(cfz_failure *f, const char *message);
void cfz_failure_hang(cfz_failure *f, uint64_t timeout_ms);
void cfz_failure_oom(cfz_failure *f, uint64_t used_mb, uint64_t limit_mb);

/* Parses a sanitizer report ("ERROR: AddressSanitizer: heap-buffer-overflow
 * on ...", "#0 0x... in func file:line") from output into f. */
void cfz_failure_parse_report(cfz_failure *f, const char *output);

/* The failure as a person triages it, one line: the bug type, access and
 * top frame in the user's code when a report names them, e.g.
 * "heap-buffer-overflow READ 1 in parse_name (parse.c:24)",
 * "SEGV WRITE on address 0x0 in fuzz (x.c:20)", "SIGSEGV",
 * "free(): invalid pointer (SIGABRT)", "exit status 3", or the message of
 * a recoverable failure, hang or OOM.  Returns out. */
const char *cfz_failure_title(const cfz_failure *f, char *out, size_t outlen);
/* "recoverable", "signal", "exit", "hang" or "oom". */
const char *cfz_failure_kind_name(cfz_failure_kind kind);

/* True when a and b are the same failure (kind, code, bug type; for
 * recoverable ones the message is not compared). */
bool cfz_failure_same(const cfz_failure *a, const cfz_failure *b);
/* The dedup signature as text, e.g. "signal SIGSEGV|heap-buffer-overflow|
 * parse_header|read_all|main".  Returns out. */
const char *cfz_failure_signature(const cfz_failure *f, char *out,
                                  size_t outlen);

#endif
