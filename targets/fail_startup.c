/* fail_startup.c - a libFuzzer-style target whose LLVMFuzzerInitialize fails:
 * it prints "fail_startup: cannot initialise" to stderr and exits 3 before any
 * input runs.  The driver must report a start-up failure ("fuzzing process
 * terminated without fuzzing"), show this stderr, and write no crasher. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "fail_startup: cannot initialise\n");
  exit(3);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  (void)data;
  (void)size;
  return 0;
}
