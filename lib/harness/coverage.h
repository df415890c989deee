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
/* Of those, the code's coverage counters (the first ones; the extra
 * feature region follows them). */
size_t cfz_cov_edge_slots(void);
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
/* After an execution: how many counters it hit (edges; the extra feature
 * region not included).  Cost proportional to the counter map. */
size_t cfz_cov_edges(void);
/* Total set bits across out[0..n): the number of features. */
size_t cfz_cov_count_features(const uint8_t *map, size_t n);

/* --- Additions (engine): value profile and instrumentation markers. ---
 *
 * Slot layout: [8-bit counter regions, in registration order]
 * [trace-pc-guard counters] [trace-pc map] [value-profile bits].
 * The trace-pc map (gcc, no init callback) takes part once a trace-pc
 * callback has fired, or from the start when value profile is on and no
 * clang counters exist, so that value-profile slots never move.
 * Value-profile slots hold raw feature bits (no hit-count buckets): slot byte
 * = 8 features; they are ORed like bucket bits by the driver. */
#define CFZ_VP_SLOTS (1u << 15) /* 262144 extra feature bits */
/* After them, CFZ_STACK_SLOTS slots of stack-depth features: the deepest
 * stack an execution reached (clang's stack-depth instrumentation, part of
 * -fsanitize=fuzzer-no-link on Linux), one feature per step of 8 steps per
 * doubling.  Present whenever the extra region is; CFZ_FEATURES_OFF=stack
 * turns them off. */
#define CFZ_STACK_SLOTS 32u

/* Turns value-profile slots on or off (off by default).  Call before the
 * first execution; cfz_cov_counters() includes the extra region
 * (CFZ_VP_SLOTS + CFZ_STACK_SLOTS) when on. */
void cfz_cov_set_value_profile(bool on);
bool cfz_cov_value_profile(void);
/* Sets value-profile feature bit (0 <= bit < 8 * CFZ_VP_SLOTS). */
void cfz_cov_vp_set(uint32_t bit);
/* Right after the target returns: records the stack-depth feature. */
void cfz_cov_end_run(void);
/* Right before the target is called (after cfz_cov_reset), from the frame
 * that calls it: the depth of this execution is measured from here. */
void cfz_cov_stack_base(uintptr_t frame);

/* Marks a function so that it is never SanitizerCoverage-instrumented. */
#if defined(__clang__) && __clang_major__ >= 13
#define CFZ_NO_COVERAGE __attribute__((no_sanitize("coverage")))
#elif !defined(__clang__) && defined(__has_attribute)
#if __has_attribute(no_sanitize_coverage)
#define CFZ_NO_COVERAGE __attribute__((no_sanitize_coverage))
#endif
#endif
#ifndef CFZ_NO_COVERAGE
#define CFZ_NO_COVERAGE
#endif

#endif
