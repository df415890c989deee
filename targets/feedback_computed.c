/* feedback_computed.c - needs DISTANCE features (value profile) on a compare.
 *
 * A value computed from three input bytes is compared with a constant that
 * no input bytes equal, so copying the constant into the input (input-to-
 * state) cannot work, and it is one edge.  The distance |v - K| (and the
 * number of differing bits) gives a gradient to climb.
 * libFuzzer-style: builds unchanged with `clang -fsanitize=fuzzer`.
 */
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 3)
    return 0;
  uint32_t v = data[0] + 251u * data[1] + 251u * 251u * data[2];
  if (v == 9876543u) /* 195 + 251 * 192 + 251 * 251 * 156 */
    __builtin_trap();
  return 0;
}
