/* fail_always.c - SIGSEGV on every input, its seed included: used by the
 * integration tests for a failing seed (reported at once, during the warm-up)
 * and for a worker that dies on every restart. */
#include <stddef.h>

#include "cfz.h"

/* no_sanitize("null"): under -fsanitize=undefined the store stays a real
 * memory fault (SIGSEGV; AddressSanitizer reports it as "SEGV on unknown
 * address") instead of a UBSan "store to null pointer" report. */
__attribute__((no_sanitize("null"))) static void fuzz(cfz_t *t,
                                                      const cfz_value *a) {
  (void)t;
  (void)a;
  /* volatile: the compiler cannot drop the store */
  volatile int *volatile p = NULL;
  *p = 1;
}

static void seeds(cfz_seeds *s) { cfz_add(s, CFZ_V_BYTES("abc", 3)); }

CFZ_TARGET(FuzzFailAlways, seeds, fuzz, CFZ_BYTES)
