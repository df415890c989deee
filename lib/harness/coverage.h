/* coverage.h - SanitizerCoverage feedback inside a worker.
 *
 * Defines the __sanitizer_cov_* callbacks: clang inline-8bit-counters (+
 * pc-table) and gcc trace-pc (caller PC hashed with the previous PC into a
 * fixed map of CFZ_TRACE_PC_MAP counters).  All counters form one logical
 * array; feature slot i is counter i, bucketed by hit count (docs/protocol.md).
 * The harness itself is not instrumented.
 */
#ifndef CFZ_COVERAGE_H
#define CFZ_COVERAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CFZ_TRACE_PC_MAP (1u << 16)

/* "inline-8bit-counters", "trace-pc" or "none". */
const char *cfz_cov_kind(void);
/* Number of counters (feature slots) seen; 0 without instrumentation. */
size_t cfz_cov_counters(void);
/* Zeroes all counters; call right before each execution. */
void cfz_cov_reset(void);
/* The bucket bit (1 << k) for a non-zero hit count. */
uint8_t cfz_cov_bucket(uint8_t hits);
/* After an execution: true when some counter's bucket bit is not in
 * global[slot].  Skips zero words; cost proportional to the counter map. */
bool cfz_cov_has_new(const uint8_t *global);
/* Writes the bucket bit of every counter (0 for unhit) to out[0..n), n =
 * cfz_cov_counters() capped at cap; returns n. */
size_t cfz_cov_snapshot(uint8_t *out, size_t cap);
/* Total set bits across out[0..n): the number of features. */
size_t cfz_cov_count_features(const uint8_t *map, size_t n);

#endif
