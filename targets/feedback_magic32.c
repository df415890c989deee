/* feedback_magic32.c - needs COMPARISON TRACING (trace-cmp: the fuzzer sees
 * the operands of the 32-bit compare and splices the constant into the input).
 *
 * A single 32-bit equality test on a little-endian uint32 at offset 0 guards a
 * __builtin_trap() (SIGILL).  It is one edge, so edge coverage alone gives no
 * gradient: blind, the chance per input is 2^-32.  libFuzzer-style: builds
 * unchanged with `clang -fsanitize=fuzzer`.
 */
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 4)
    return 0;
  uint32_t v = (uint32_t)data[0] | (uint32_t)data[1] << 8 |
               (uint32_t)data[2] << 16 | (uint32_t)data[3] << 24;
  if (v == 0x5EEDF00Du)
    __builtin_trap();
  return 0;
}
