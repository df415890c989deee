/* feedback_maze.c - needs EDGE COVERAGE (inline 8-bit counters / trace-pc).
 *
 * Eight nested single-byte checks spell "FUZZMAZE" in data[0..7]; each level
 * passed is a new edge, so a coverage-guided fuzzer keeps every step and
 * solves the maze one byte at a time, then hits __builtin_trap() (SIGILL).
 * Blind fuzzing needs about 256^8 tries.  libFuzzer-style: builds unchanged
 * with `clang -fsanitize=fuzzer`.
 */
#include <stddef.h>
#include <stdint.h>

static volatile int depth;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 8)
    return 0;
  if (data[0] == 'F') {
    depth = 1;
    if (data[1] == 'U') {
      depth = 2;
      if (data[2] == 'Z') {
        depth = 3;
        if (data[3] == 'Z') {
          depth = 4;
          if (data[4] == 'M') {
            depth = 5;
            if (data[5] == 'A') {
              depth = 6;
              if (data[6] == 'Z') {
                depth = 7;
                if (data[7] == 'E')
                  __builtin_trap();
              }
            }
          }
        }
      }
    }
  }
  return 0;
}
