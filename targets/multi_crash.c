/* multi_crash.c - four different failures behind four first bytes, for
 * --keep-going deduplication (tests/integration/test_hardening.c):
 *   '!' a store through NULL (SIGSEGV; SIGABRT with a report under ASan)
 *   '#' abort() (SIGABRT)
 *   '$' cfz_fatal "dollar" (recoverable)
 *   '%' exit(7)
 * Each is one signature however many inputs reach it.  The seed "abc"
 * passes. */
#include <stdlib.h>

#include "cfz.h"

/* no_sanitize("null"): see fail_segv.c. */
__attribute__((no_sanitize("null"))) static void fuzz(cfz_t *t,
                                                      const cfz_value *a) {
  if (a[0].v.bytes.len == 0)
    return;
  switch (a[0].v.bytes.data[0]) {
  case '!': {
    int *volatile p = NULL;
    *p = 42;
    break;
  }
  case '#':
    abort();
  case '$':
    cfz_fatal(t, "dollar");
  case '%':
    exit(7);
  default:
    break;
  }
}

static void seeds(cfz_seeds *s) { cfz_add(s, CFZ_V_BYTES("abc", 3)); }

CFZ_TARGET(FuzzMultiCrash, seeds, fuzz, CFZ_BYTES)
