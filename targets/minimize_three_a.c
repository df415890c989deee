/* minimize_three_a.c - issue 10's minimization case: the input fails
 * (abort(), SIGABRT: the process dies) when it is at least 64 bytes long and
 * holds three 'A' bytes.  A 4096-byte crasher must shrink to the optimum, 64
 * bytes, in at most 500 executions, dying the same way.  libFuzzer-style:
 * builds unchanged with `clang -fsanitize=fuzzer` (for comparisons). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 64)
    return 0;
  unsigned as = 0;
  for (size_t i = 0; i < size; i++)
    as += data[i] == 'A';
  if (as >= 3)
    abort();
  return 0;
}
