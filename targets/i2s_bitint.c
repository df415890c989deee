/* i2s_bitint.c - input-to-state for a _BitInt(100) compare: the first 13
 * bytes of the input, read as a signed 100-bit integer, compared with a
 * negative constant.  Where the compiler has no _BitInt (gcc before 14,
 * clang before 14), a signed __int128 stands in.  trace-cmp reports no
 * integer compare wider than 64 bits, so the clang build solves it only
 * with the compare plugin (i2s_bitint_plugin, docs/feedback.md).
 * libFuzzer-style: builds unchanged with `clang -fsanitize=fuzzer`. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__BITINT_MAXWIDTH__) && __BITINT_MAXWIDTH__ >= 100
typedef _BitInt(100) wide;
typedef unsigned _BitInt(100) uwide;
#else
typedef __int128 wide;
typedef unsigned __int128 uwide;
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 13)
    return 0;
  /* Little-endian, byte by byte: bits above 100 of the last byte drop. */
  uwide u = 0;
  for (int i = 12; i >= 0; i--)
    u = (uwide)(u << 8) | data[i];
  wide v = (wide)u;
  const wide want = -(((wide)0x5a5a1234 << 64) | (wide)0x0123456789abcdefULL);
  if (v == want)
    __builtin_trap();
  return 0;
}
