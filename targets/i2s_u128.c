/* i2s_u128.c - input-to-state for a 128-bit integer compare: 16 bytes of
 * the input, as an unsigned __int128, compared with a 16-byte magic.
 * clang's (and gcc's) trace-cmp report integer compares of at most 64
 * bits, so the clang build solves it only with the compare plugin
 * (i2s_u128_plugin: __cfz_trace_const_cmp16, docs/feedback.md).
 * libFuzzer-style: builds unchanged with `clang -fsanitize=fuzzer`. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 16)
    return 0;
  unsigned __int128 v;
  memcpy(&v, data, sizeof v);
  const unsigned __int128 magic =
      ((unsigned __int128)0x8badf00dcafe1234ULL << 64) | 0x0fedcba987654321ULL;
  if (v == magic)
    __builtin_trap();
  return 0;
}
