/* fail_segv.c - a write through a NULL pointer (SIGSEGV).
 * Used by the integration tests: it fails when the input's first byte is
 * '!', which random mutation finds quickly; the seed "abc" passes. */

#include <stddef.h>

#include "cfz.h"

/* no_sanitize("null"): under -fsanitize=undefined the store stays a real
 * memory fault (SIGSEGV; AddressSanitizer reports it as "SEGV on unknown
 * address") instead of a UBSan "store to null pointer" report. */
__attribute__((no_sanitize("null"))) static void fuzz(cfz_t *t,
                                                      const cfz_value *a) {
  (void)t;
  if (a[0].v.bytes.len > 0 && a[0].v.bytes.data[0] == '!') {
    /* volatile: the compiler cannot drop the store */
    volatile int *volatile p = NULL;
    *p = 42;
  }
}

static void seeds(cfz_seeds *s) { cfz_add(s, CFZ_V_BYTES("abc", 3)); }

CFZ_TARGET(FuzzFailSegv, seeds, fuzz, CFZ_BYTES)
