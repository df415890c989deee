/* feedback_deep.c - needs STACK-DEPTH features.
 *
 * A recursive-descent reader: each "([" opens one more level of nesting (a
 * recursive call), and the trap needs 100 levels.  Every level runs the same
 * code, so after the edge hit-count bucket 32-127 is reached no new edge
 * tells an input with one more level from one without: 68 more levels would
 * have to come in one mutation.  The stack depth reached grows with every
 * level, and its feature (8 steps per doubling) gives the way down.  The
 * trap is a table lookup, not a compare (no distance to follow).
 * libFuzzer-style: builds unchanged with `clang -fsanitize=fuzzer`.
 */
#include <stddef.h>
#include <stdint.h>

static const uint8_t deep[128] = {
    [100] = 1, [101] = 1, [102] = 1, [103] = 1, [104] = 1, [105] = 1,
    [106] = 1, [107] = 1, [108] = 1, [109] = 1, [110] = 1, [111] = 1,
    [112] = 1, [113] = 1, [114] = 1, [115] = 1, [116] = 1, [117] = 1,
    [118] = 1, [119] = 1, [120] = 1, [121] = 1, [122] = 1, [123] = 1,
    [124] = 1, [125] = 1, [126] = 1, [127] = 1};

static const uint8_t *in;
static size_t len, pos;

static void nest(unsigned depth) {
  if (deep[depth & 127])
    __builtin_trap();
  while (pos + 1 < len) {
    uint8_t c = in[pos++];
    if (c == '(' && in[pos] == '[') {
      pos++;
      nest(depth + 1);
    }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  in = data;
  len = size;
  pos = 0;
  nest(0);
  return 0;
}
