/* fail_hang.c - an infinite loop (a hang, caught by --timeout).
 * Used by the integration tests: it fails when the input's first byte is
 * '!', which random mutation finds quickly; the seed "abc" passes. */

#include "cfz.h"

static void fuzz(cfz_t *t, const cfz_value *a) {
  (void)t;
  if (a[0].v.bytes.len > 0 && a[0].v.bytes.data[0] == '!') {
    volatile int spin = 1;
    while (spin)
      ;
  }
}

static void seeds(cfz_seeds *s) { cfz_add(s, CFZ_V_BYTES("abc", 3)); }

CFZ_TARGET(FuzzFailHang, seeds, fuzz, CFZ_BYTES)
