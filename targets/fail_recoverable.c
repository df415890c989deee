/* fail_recoverable.c - a recoverable failure (cfz_fatal).
 * Used by the integration tests: it fails when the input's first byte is
 * '!', which random mutation finds quickly; the seed "abc" passes. */

#include "cfz.h"

static void fuzz(cfz_t *t, const cfz_value *a) {
  if (a[0].v.bytes.len > 0 && a[0].v.bytes.data[0] == '!')
    cfz_fatal(t, "found a bang at offset %d", 0);
}

static void seeds(cfz_seeds *s) { cfz_add(s, CFZ_V_BYTES("abc", 3)); }

CFZ_TARGET(FuzzFailRecoverable, seeds, fuzz, CFZ_BYTES)
