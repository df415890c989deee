/* feedback_together.c - needs DISTANCE features (value profile) on a compare.
 *
 * Six independent 16-bit checks each set one bit of a mask; the trap needs
 * all six at once (mask == 63).  Each check is covered on its own by some
 * input, so once every edge is covered, coverage has nothing to say about an
 * input that satisfies two checks rather than one.  The distance between
 * mask and 63 does: an input that sets one more bit is closer.
 * libFuzzer-style: builds unchanged with `clang -fsanitize=fuzzer`.
 */
#include <stddef.h>
#include <stdint.h>

static const uint16_t keys[6] = {0x4a31, 0x9c07, 0x1d5e,
                                 0xe2b8, 0x37f4, 0x8b69};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 12)
    return 0;
  volatile unsigned mask = 0;
  for (int i = 0; i < 6; i++) {
    uint16_t v = (uint16_t)(data[2 * i] | data[2 * i + 1] << 8);
    if (v == keys[i])
      mask |= 1u << i;
  }
  if (mask == 63)
    __builtin_trap();
  return 0;
}
