/* i2s_double_bits.c - input-to-state for FLOATING-POINT compares on raw
 * bytes: a double (bytes 0-7) and a float (bytes 8-11) of the input are
 * compared with constants.  gcc's trace-cmp reports float and double
 * compares (__sanitizer_cov_trace_cmpf/cmpd); clang's does not, and no
 * integer compare holds these bit patterns, so the clang build solves it
 * only with the compare plugin (i2s_double_bits_plugin, docs/build.md).
 * libFuzzer-style: builds unchanged with `clang -fsanitize=fuzzer`. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 12)
    return 0;
  double d;
  float f;
  memcpy(&d, data, sizeof d);
  memcpy(&f, data + 8, sizeof f);
  if (d == 3.14159 && f == -0.0625f)
    __builtin_trap();
  return 0;
}
