/* fuzz_loop.h - the worker's inner loop (the hottest path of cfz).
 *
 * cfz_fuzz_batch decodes the base input from the value area (and the splice
 * partner from the aux area when asked), then repeats: next mutation ->
 * wire-encode into the value area -> value_len -> state RUNNING_VALUE ->
 * exec_count++ -> run -> state IDLE -> check coverage against the global map.
 * It stops at a failure (the value area holds it), at an input with new
 * coverage (the value area holds it, the feature area its snapshot), after
 * max_execs executions, or once max_ms have passed (0: no such bound).
 * No system call per input: the clock is read every few executions only,
 * less often the faster the target runs, and at each base rotation (every
 * 8 executions), where the mean time of the executions on the base that
 * ends is noted in the pool (the slow-input rule, base_pool.h).  While
 * the base is slow (50 us or more an execution) every execution is timed,
 * to find its stand-in (base_pool.h).
 * Length control: a mutation that makes the bytes/string values longer
 * than the base's and than the worker's current length limit is dropped
 * before it runs; the limit starts at 4 bytes and grows while the worker
 * finds nothing (libFuzzer's -len_control).
 */
#ifndef CFZ_FUZZ_LOOP_H
#define CFZ_FUZZ_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "exec_context.h"
#include "mutator.h"

typedef struct cfz_fuzz_args {
  uint64_t max_execs; /* 0: no count bound */
  uint64_t max_ms;    /* 0: no time bound */
  uint64_t seed;      /* seeds the mutator */
  bool aux;           /* the aux area holds a splice partner */
} cfz_fuzz_args;

typedef enum cfz_fuzz_status {
  CFZ_FUZZ_NONE = 0,
  CFZ_FUZZ_NEW,
  CFZ_FUZZ_FAILURE, /* message: cfz_exec_message() */
} cfz_fuzz_status;

typedef struct cfz_fuzz_result {
  cfz_fuzz_status status;
  uint64_t execs;
  uint64_t duration_ns;
  /* Mean ns per execution on the driver's base (the batch's executions up
   * to its first rotation, its mutants); 0 when none ran.  At most
   * duration_ns. */
  uint64_t base_ns;
} cfz_fuzz_result;

/* Returns 0, or -1 with a reason in err (the value or aux area does not
 * decode as the target's parameters). */
int cfz_fuzz_batch(const cfz_target *t, const cfz_shm_view *shm, cfz_mutator *m,
                   const cfz_fuzz_args *a, cfz_fuzz_result *r, char *err,
                   size_t errlen);

/* After an execution: when it covered something the global map lacks,
 * writes the snapshot to the feature area (and feature_len) and returns
 * true. */
bool cfz_fuzz_take_new(const cfz_shm_view *shm);

/* Decodes an area (value or aux) of shm as t's parameters into *out.
 * Returns 0, or -1 with "value area: ..." in err. */
int cfz_fuzz_decode_area(const cfz_target *t, const cfz_shm_view *shm, bool aux,
                         cfz_values *out, char *err, size_t errlen);

/* The current length limit of this worker (bytes). */
size_t cfz_fuzz_len_limit(void);

/* CLOCK_MONOTONIC in nanoseconds (vDSO, no system call). */
uint64_t cfz_now_ns(void);

#endif
