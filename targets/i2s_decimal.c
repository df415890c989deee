/* i2s_decimal.c - input-to-state through DECIMAL TEXT: the input is a line
 * "n=<decimal>", and the number it holds is compared with a constant.  The
 * compare's operand is the parsed value, which the input holds only as
 * text, so the plain (binary) operand replacement cannot place it; the
 * decimal transform finds "<decimal>" and writes the constant as text.
 * libFuzzer-style: builds unchanged with `clang -fsanitize=fuzzer`. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char buf[64];
  if (size < 3 || size >= sizeof buf || memcmp(data, "n=", 2) != 0)
    return 0;
  memcpy(buf, data, size);
  buf[size] = 0;
  char *end;
  long v = strtol(buf + 2, &end, 10);
  if (end == buf + 2 || *end != ';')
    return 0;
  if (v == 73914265)
    __builtin_trap();
  return 0;
}
