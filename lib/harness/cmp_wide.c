/* cmp_wide.c - compares wider than 64 bits (see cmp_wide.h). */
#include "cmp_wide.h"

#include <string.h>

#include "cmp_trace.h"
#include "cmp_trace_internal.h"

#define CFZ_PUBLIC __attribute__((visibility("default"))) CFZ_NO_COVERAGE

/* The 16-byte memory image of a 128-bit integer given as halves. */
static CFZ_NO_COVERAGE void image16(uint8_t out[16], uint64_t lo, uint64_t hi) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  memcpy(out, &hi, 8);
  memcpy(out + 8, &lo, 8);
#else
  memcpy(out, &lo, 8);
  memcpy(out + 8, &hi, 8);
#endif
}

/* As the 8-byte callbacks: b (arg1) is the constant of a const compare. */
static CFZ_NO_COVERAGE __attribute__((noinline)) void
record16(uintptr_t pc, uint64_t blo, uint64_t bhi, uint64_t alo, uint64_t ahi,
         int is_const) {
  if (!cfz_cmp_any)
    cfz_cmp_any = 1;
  if (!cfz_cmp_on)
    return;
  uint8_t a[16], b[16];
  image16(a, alo, ahi);
  image16(b, blo, bhi);
  cfz_cmp_record_bytes(pc, a, 16, b, 16, is_const);
  if (ahi == bhi)
    cfz_cmp_record_int(pc, alo, blo, 8, is_const);
  else if (alo == blo)
    cfz_cmp_record_int(pc, ahi, bhi, 8, is_const);
}

CFZ_PUBLIC void __cfz_trace_cmp16(uint64_t lo1, uint64_t hi1, uint64_t lo2,
                                  uint64_t hi2) {
  record16((uintptr_t)__builtin_return_address(0), lo1, hi1, lo2, hi2, 0);
}

CFZ_PUBLIC void __cfz_trace_const_cmp16(uint64_t lo1, uint64_t hi1,
                                        uint64_t lo2, uint64_t hi2) {
  record16((uintptr_t)__builtin_return_address(0), lo1, hi1, lo2, hi2, 1);
}

CFZ_PUBLIC void __cfz_trace_cmpn(const void *a, const void *b, uint64_t n) {
  if (!cfz_cmp_any)
    cfz_cmp_any = 1;
  if (!cfz_cmp_on || n == 0)
    return;
  size_t k = n < CFZ_CMP_MAX_BYTES ? (size_t)n : CFZ_CMP_MAX_BYTES;
  cfz_cmp_record_bytes((uintptr_t)__builtin_return_address(0), b, k, a, k, 0);
}
