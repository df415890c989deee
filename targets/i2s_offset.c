/* i2s_offset.c - input-to-state with an OFFSET: a little-endian 32-bit
 * field at offset 4 is compared, minus 13, with a value the compiler cannot
 * fold (read through a volatile).  The compared operand is the field - 13,
 * which the input does not hold; the offset transform finds the field
 * within a few units of it and writes the other operand + 13.
 * libFuzzer-style: builds unchanged with `clang -fsanitize=fuzzer`. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static volatile uint32_t magic = 0x1337C0DEu;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 8)
    return 0;
  uint32_t x;
  memcpy(&x, data + 4, 4);
  if (x - 13 == magic)
    __builtin_trap();
  return 0;
}
