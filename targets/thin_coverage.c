/* thin_coverage.c - a libFuzzer-style target whose library (thin_lib/) is
 * built without coverage: only this file's few edges are seen, and cfz warns
 * that the code under test looks uninstrumented (tests/integration/
 * test_thin.c). */
#include <stddef.h>
#include <stdint.h>

int thin_parse(const uint8_t *data, size_t size);

static volatile int sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  sink = thin_parse(data, size);
  return 0;
}
