/* record.c - the library under test.  Each byte of the magic is its own
 * branch, so only coverage of this file (cfz_instrument) leads the fuzzer
 * to the planted bug; the fuzz targets alone give it nothing to follow. */
#include "record.h"

int record_check(const uint8_t *data, size_t len) {
  if (len < 4)
    return 1;
  if (data[0] != 'R')
    return 2;
  if (data[1] != 'e')
    return 3;
  if (data[2] != 'C')
    return 4;
  if (data[3] != '!')
    return 5;
  return -1; /* the planted bug */
}
