/* i2s_leftmost.c - input-to-state in an input of REPEATED BYTES: a 4 KiB
 * block (shorter inputs are rejected, so the input cannot shrink) whose
 * header has twelve fields the target checks one after the other from the left
 * (tag characters, compared as ints as C widens them; 16-, 32- and 64-bit
 * little-endian fields), fuzzed from a seed of 4096 identical bytes (the
 * test writes it).  Each compared operand is then found at every offset of
 * the input; the field being compared is the leftmost match, which a search
 * from a random offset almost never picks.
 * libFuzzer-style: builds unchanged with `clang -fsanitize=fuzzer`. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static uint64_t field(const uint8_t *p, size_t n) {
  uint64_t v = 0;
  memcpy(&v, p, n);
  return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 4096)
    return 0;
  if (data[0] != 'F' || data[1] != 'W')
    return 0;
  if (field(data + 2, 2) != 0x0203)
    return 0;
  if (field(data + 4, 4) != 0x5A5AA5A5u)
    return 0;
  if (field(data + 8, 8) != 0x0102030405060708ull)
    return 0;
  if (data[16] != 'o' || data[17] != 'k')
    return 0;
  if (field(data + 18, 4) != 0x11223344u)
    return 0;
  if (field(data + 22, 2) != 0x7F01)
    return 0;
  if (data[24] != 'e' || data[25] != 'n' || data[26] != 'd')
    return 0;
  __builtin_trap();
}
