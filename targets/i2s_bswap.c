/* i2s_bswap.c - input-to-state through a BYTE SWAP: a big-endian 32-bit
 * field at offset 4 (after a 4-byte header) is compared with a constant.
 * The compared value is the byte-swapped input; the swapped form finds it
 * and writes the constant big-endian.  The reader is not inlined so that
 * the compiler cannot fold the swap into the constant.
 * libFuzzer-style: builds unchanged with `clang -fsanitize=fuzzer`. */
#include <stddef.h>
#include <stdint.h>

__attribute__((noinline)) static uint32_t read_be32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
         (uint32_t)p[3];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 8)
    return 0;
  if (read_be32(data + 4) == 0x5EEDF00Du)
    __builtin_trap();
  return 0;
}
