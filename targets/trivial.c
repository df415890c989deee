/* trivial.c - the throughput benchmark target: almost no work per input
 * (sums the bytes into a volatile), so executions per second measure the
 * fuzzing engine's own overhead.  libFuzzer-style: builds unchanged with
 * `clang -fsanitize=fuzzer`.
 */
#include <stddef.h>
#include <stdint.h>

static volatile uint32_t sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint32_t sum = 0;
  for (size_t i = 0; i < size; i++)
    sum += data[i];
  sink = sum;
  return 0;
}
