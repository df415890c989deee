/* i2s_nocase.c - input-to-state through CASE FOLDING: the input is a
 * command word in mixed case (at least one lower- and one upper-case
 * letter), upper-cased into a buffer and compared with "OPEN-SESAME".  The
 * compare sees the upper-cased copy, which the mixed-case input does not
 * hold as is; the case-folded form finds it ignoring case and writes
 * "OPEN-SESAME" in the input's own case pattern.
 * libFuzzer-style: builds unchanged with `clang -fsanitize=fuzzer`. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char buf[12];
  if (size != 11)
    return 0;
  int lower = 0, upper = 0;
  for (size_t i = 0; i < size; i++) {
    uint8_t c = data[i];
    lower += c >= 'a' && c <= 'z';
    upper += c >= 'A' && c <= 'Z';
    buf[i] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
  }
  buf[size] = 0;
  if (lower < 2 || upper < 2)
    return 0;
  if (memcmp(buf, "OPEN-SESAME", 11) == 0)
    __builtin_trap();
  return 0;
}
