/* feedback_repeat.c - needs per-site HIT COUNTS of equal compares.
 *
 * The trap needs at least 11 matches of each of two 4-byte tokens (memcmp at
 * every fourth offset).  The counts are checked through a lookup table, not
 * a compare, so only how often each memcmp found its token tells an input
 * with one more match from one without (edge hit counts group 8-15 in one
 * bucket, so the last three matches of each token would have to come at once).
 * libFuzzer-style: builds unchanged with `clang -fsanitize=fuzzer`.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static const uint8_t enough[64] = {
    [11] = 1, [12] = 1, [13] = 1, [14] = 1, [15] = 1, [16] = 1,
    [17] = 1, [18] = 1, [19] = 1, [20] = 1, [21] = 1, [22] = 1,
    [23] = 1, [24] = 1, [25] = 1, [26] = 1, [27] = 1, [28] = 1,
    [29] = 1, [30] = 1, [31] = 1, [32] = 1};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  unsigned m1 = 0, m2 = 0;
  if (size > 512)
    size = 512;
  for (size_t i = 0; i + 4 <= size; i += 4)
    m1 += memcmp(data + i, "Qk7z", 4) == 0;
  for (size_t i = 0; i + 4 <= size; i += 4)
    m2 += memcmp(data + i, "w9Rx", 4) == 0;
  if (enough[m1 & 63] & enough[m2 & 63])
    __builtin_trap();
  return 0;
}
