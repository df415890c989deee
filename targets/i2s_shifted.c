/* i2s_shifted.c - input-to-state through a CONSTANT SHIFT of every byte: a
 * licence record whose key (bytes 8..15) is stored obfuscated, each byte xored
 * with 0x5A, and whose name (bytes 16..21) is stored Caesar-shifted by 3; the
 * target undoes both and compares the results with memcmp.  The compared
 * operands are the decoded bytes, which the input never holds as they are;
 * a window of the input that differs from one of them by the same constant
 * in every byte is where the other belongs, shifted back.
 * libFuzzer-style: builds unchanged with `clang -fsanitize=fuzzer`. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint8_t key[8], name[6];
  if (size < 22)
    return 0;
  for (size_t i = 0; i < sizeof key; i++)
    key[i] = data[8 + i] ^ 0x5A;
  if (memcmp(key, "UNLOCKED", sizeof key) != 0)
    return 0;
  for (size_t i = 0; i < sizeof name; i++)
    name[i] = (uint8_t)(data[16 + i] - 3);
  if (memcmp(name, "holder", sizeof name) != 0)
    return 0;
  __builtin_trap();
}
