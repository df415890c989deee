/* i2s_hex.c - input-to-state through HEX TEXT: the input is "id:<hex>;",
 * and the number is compared with a constant.  The input holds the operand
 * only as hex digits; the hex transform finds them and writes the constant
 * back as hex, in the same letter case.
 * libFuzzer-style: builds unchanged with `clang -fsanitize=fuzzer`. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char buf[64];
  if (size < 4 || size >= sizeof buf || memcmp(data, "id:", 3) != 0)
    return 0;
  memcpy(buf, data, size);
  buf[size] = 0;
  char *end;
  unsigned long v = strtoul(buf + 3, &end, 16);
  if (end == buf + 3 || *end != ';')
    return 0;
  if (v == 0xC0FFEE42ul)
    __builtin_trap();
  return 0;
}
