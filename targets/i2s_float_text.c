/* i2s_float_text.c - input-to-state for a FLOATING-POINT compare: the
 * input is "x=<number>;" and the double it holds is compared with a
 * constant.  gcc's trace-cmp reports double compares
 * (__sanitizer_cov_trace_cmpd); the float-text form finds the number and
 * writes the constant's shortest text.  clang's trace-cmp does not report
 * floating-point compares, so only the gcc build (i2s_float_text_gcc) is
 * expected to solve it (docs/feedback.md).
 * libFuzzer-style: builds unchanged with `clang -fsanitize=fuzzer`. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char buf[64];
  if (size < 4 || size >= sizeof buf || memcmp(data, "x=", 2) != 0)
    return 0;
  memcpy(buf, data, size);
  buf[size] = 0;
  char *end;
  double d = strtod(buf + 2, &end);
  if (end == buf + 2 || *end != ';')
    return 0;
  if (d == 1234.5625)
    __builtin_trap();
  return 0;
}
