/* cmp_wide.h - callbacks for integer compares wider than 64 bits, which
 * clang's trace-cmp does not report: the optional compare plugin
 * (plugin/cfz_cmp_pass.cpp, docs/build.md) emits calls to them.
 *   __cfz_trace_cmp16(lo1, hi1, lo2, hi2): a compare of two 65..128-bit
 *     integers, each as its low and high 64-bit halves (extended to 128
 *     bits as the compare's signedness says);
 *   __cfz_trace_const_cmp16: the same where the first operand is a
 *     constant (the value to write into the input);
 *   __cfz_trace_cmpn(a, b, n): wider integers, as the n bytes (at most
 *     CFZ_CMP_MAX_BYTES) of each operand's memory image.
 * Each is recorded as a byte-string compare of the operands' memory images
 * (what the input holds when it stores the integer), so that input-to-state
 * finds one operand in the input and writes the other; when the two high
 * (or the two low) halves are equal, the other halves are also recorded as
 * an 8-byte integer compare (numeric transforms: text, byte order).  Only
 * while the target runs, like the other trace-cmp callbacks. */
#ifndef CFZ_CMP_WIDE_H
#define CFZ_CMP_WIDE_H

#include <stdint.h>

void __cfz_trace_cmp16(uint64_t lo1, uint64_t hi1, uint64_t lo2, uint64_t hi2);
void __cfz_trace_const_cmp16(uint64_t lo1, uint64_t hi1, uint64_t lo2,
                             uint64_t hi2);
void __cfz_trace_cmpn(const void *a, const void *b, uint64_t n);

#endif
