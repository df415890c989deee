/* i2s_checksum.c - input-to-state for a compare of two COMPUTED values: a
 * record is a 4-byte little-endian checksum followed by its payload (at least
 * 8 bytes), and the checksum computed over the payload (a CRC-32 xored with a
 * constant, so that no payload of repeated 0xFF or 0x00 bytes matches by
 * chance: CRC-32 of 0xFFFFFFFF is 0xFFFFFFFF) is compared with the stored one.
 * Neither side is a constant (clang reports a trace_cmp4, not a const_cmp4),
 * and the side the mutator looks for first in the recorded direction, the
 * computed checksum, is nowhere in the input: only looking for the other side
 * (the stored field) and writing the computed value there solves it
 * (docs/feedback.md, "Compares of two computed values").
 * libFuzzer-style: builds unchanged with `clang -fsanitize=fuzzer`. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static uint32_t crc32_of(const uint8_t *p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++)
      c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c ^ 0x5EED1234u;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 12)
    return 0;
  uint32_t stored;
  memcpy(&stored, data, 4);
  uint32_t computed = crc32_of(data + 4, size - 4);
  if (stored != computed)
    return 0;
  __builtin_trap();
}
