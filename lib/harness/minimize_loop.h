/* minimize_loop.h - the worker side of the "minimize" call.
 *
 * The value area holds the crasher.  Mode recoverable: it is re-run first
 * (state RUNNING_VALUE); if it no longer fails recoverably the result is
 * NOT_REPRODUCED.  Mode death (the crasher killed a worker): no re-run.
 * Then cfz_minimize_values proposes candidates; each is written to the aux
 * area (aux_len), run with state RUNNING_AUX and exec_count bumped.  Mode
 * recoverable accepts a candidate that fails recoverably and copies it into
 * the value area (value_len), so the value area always holds the best known
 * crasher; mode death accepts nothing that returns (a candidate that kills
 * the process is judged by the driver, from the aux area).
 * It stops when max_execs executions (counting the re-run) or max_ms have
 * passed (0: no such bound).
 * Mode death, resuming: before each candidate the worker writes into the
 * header's minimize_resume a token (the candidate's wire hash and the
 * minimizer's cursor for "accepted", minimizers.h).  When the candidate kills
 * the process and the driver sends it back as the value area of the next
 * minimize call on the same worker slot, the new process finds the token
 * matching and resumes there instead of starting over (so that a crasher
 * that dies on every accepted candidate costs no repeated candidates).  A
 * token for other contents (another slot, another crash) is ignored.
 */
#ifndef CFZ_MINIMIZE_LOOP_H
#define CFZ_MINIMIZE_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "exec_context.h"

typedef struct cfz_minimize_args {
  uint64_t max_execs; /* 0: no count bound */
  uint64_t max_ms;    /* 0: no time bound */
  bool death;         /* mode "death" (else "recoverable") */
} cfz_minimize_args;

typedef enum cfz_minimize_status {
  CFZ_MIN_UNCHANGED = 0,
  CFZ_MIN_MINIMIZED,
  CFZ_MIN_NOT_REPRODUCED,
} cfz_minimize_status;

typedef struct cfz_minimize_result {
  cfz_minimize_status status;
  uint64_t execs;
  uint64_t duration_ns;
  const char *message; /* the last failure message ("" if none); valid until
                          the next call */
} cfz_minimize_result;

/* Returns 0, or -1 with a reason in err (the value area does not decode). */
int cfz_minimize_batch(const cfz_target *t, const cfz_shm_view *shm,
                       const cfz_minimize_args *a, cfz_minimize_result *r,
                       char *err, size_t errlen);

#endif
