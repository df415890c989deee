/* feedback_memcmp.c - needs MEMCMP INTERCEPTION (the harness's memcmp hook
 * records both buffers and the mutator inserts the expected bytes; memcmp must
 * stay a call: -fno-builtin-memcmp, implied by clang's
 * -fsanitize=fuzzer-no-link and added by cfz_add_fuzz_target for gcc).
 *
 * A 10-byte token compared with one memcmp call guards __builtin_trap()
 * (SIGILL).  Edge coverage sees one branch; blind, the chance is 2^-80.
 * libFuzzer-style: builds unchanged with `clang -fsanitize=fuzzer`.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size >= 10 && memcmp(data, "CFZTOKEN42", 10) == 0)
    __builtin_trap();
  return 0;
}
