/* fuzz_record_lf.c - a libFuzzer-style target for record_check. */
#include <stdlib.h>

#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (record_check(data, size) < 0)
    abort(); /* the planted bug */
  return 0;
}
