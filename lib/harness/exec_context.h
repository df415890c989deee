/* exec_context.h - running one input through a target.
 *
 * cfz_exec_run gives the fuzz function fresh heap copies of every bytes and
 * string argument, exactly as long as the value (a string has one more byte,
 * its NUL), so that AddressSanitizer reports a read past the end.  Around the
 * call it resets the coverage counters and turns comparison tracing on, and
 * it catches cfz_fatal / cfz_skip (sigsetjmp/longjmp, no system call).
 * The outcome is none, failure (with the message(s) given to cfz_fail /
 * cfz_fatal, joined by newlines) or skip (cfz_skip, or -1 returned by
 * LLVMFuzzerTestOneInput).  A failure wins over a later cfz_skip.
 *
 * cfz_exec_counted is the same, for inputs already written to shared memory:
 * it bumps exec_count (release) and sets the shm state around the call, and
 * checks the peak resident memory against --rss-limit (rss_peak.h).
 *
 * Not reentrant: one execution at a time per process.
 */
#ifndef CFZ_EXEC_CONTEXT_H
#define CFZ_EXEC_CONTEXT_H

#include "shm_layout.h"
#include "target_registry.h"

/* Failure messages are kept up to this many bytes (then "..."). */
#define CFZ_MESSAGE_MAX 8192

typedef enum cfz_outcome {
  CFZ_OUTCOME_NONE = 0,
  CFZ_OUTCOME_FAILURE,
  CFZ_OUTCOME_SKIP,
} cfz_outcome;

/* Runs t on vals (which must match t's parameters). */
cfz_outcome cfz_exec_run(const cfz_target *t, const cfz_value *vals);
/* The failure message of the last run ("" when it did not fail); valid until
 * the next run. */
const char *cfz_exec_message(void);

/* Increments hdr->exec_count, sets hdr->state to state (RUNNING_VALUE or
 * RUNNING_AUX), runs, sets the state back to IDLE. */
cfz_outcome cfz_exec_counted(const cfz_target *t, cfz_shm_header *hdr,
                             uint32_t state, const cfz_value *vals);

/* A view of the shared memory a worker works on. */
typedef struct cfz_shm_view {
  void *base;            /* per-worker region (shm_layout.h) */
  cfz_shm_header *hdr;   /* == base */
  const uint8_t *global; /* global coverage map, CFZ_MAX_FEATURES bytes */
  bool no_feedback;      /* hello said "coverage": false: never report new
                            coverage, record no comparisons (blind fuzzing) */
} cfz_shm_view;

/* Leak checks (builds with LeakSanitizer, i.e. ASan): a run that allocated
 * more than it freed is run once more; only when that run does not balance
 * either does LeakSanitizer scan the heap (a leak aborts the process with
 * its report, the input still in the value area).  After 1000 scans that
 * found nothing, checking stops (the target keeps memory in global state).
 * cfz_exec_run checks at its end, unless deferred: the fuzz loop defers,
 * takes the run's coverage, then calls cfz_exec_check_leaks with the same
 * values (a no-op when the last run balanced). */
void cfz_exec_defer_leak_checks(bool defer);
void cfz_exec_check_leaks(const cfz_target *t, const cfz_value *vals);
struct cfz_leak_stats {
  uint64_t reruns; /* unbalanced runs run again */
  uint64_t checks; /* LeakSanitizer scans */
};
struct cfz_leak_stats cfz_exec_leak_stats(void);

/* Turns comparison recording around executions on or off.  Off by default:
 * the worker turns it on at hello (protocol_server); a replay of files
 * mutates nothing, and its trace-cmp callbacks return at once. */
void cfz_exec_set_cmp(bool on);
/* Turns the leak checks above on (default) or off, as libFuzzer's
 * -detect_leaks=0 does: no malloc/free counting, no re-run, no scan. */
void cfz_exec_set_leak_checks(bool on);

#endif
