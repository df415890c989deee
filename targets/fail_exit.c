/* fail_exit.c - the fuzz function calls exit(99).
 * Used by the integration tests: it fails when the input's first byte is
 * '!', which random mutation finds quickly; the seed "abc" passes. */
#include <stdlib.h>

#include "cfz.h"

static void fuzz(cfz_t *t, const cfz_value *a) {
  (void)t;
  if (a[0].v.bytes.len > 0 && a[0].v.bytes.data[0] == '!')
    exit(99);
}

static void seeds(cfz_seeds *s) { cfz_add(s, CFZ_V_BYTES("abc", 3)); }

CFZ_TARGET(FuzzFailExit, seeds, fuzz, CFZ_BYTES)
