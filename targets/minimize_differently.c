/* minimize_differently.c - a failure that changes kind as the input shrinks:
 * an input containing '!' exits with status 99 when it is at least 64 bytes
 * long and with status 42 when shorter.  Minimization must keep only
 * candidates that fail the same way (exit status 99), so the written crasher
 * is still >= 64 bytes and still exits 99.
 *
 * The seed, 128 zero bytes, passes.  It is twice the threshold so that
 * fuzzing (which mostly changes bytes and erases only a few at a time) finds
 * the exit-99 failure first; minimization then shrinks below 64 bytes and
 * meets exit 42. */
#include <stdlib.h>
#include <string.h>

#include "cfz.h"

static void fuzz(cfz_t *t, const cfz_value *a) {
  (void)t;
  const uint8_t *b = a[0].v.bytes.data;
  size_t n = a[0].v.bytes.len;
  if (n == 0 || !memchr(b, '!', n))
    return;
  exit(n >= 64 ? 99 : 42);
}

static void seeds(cfz_seeds *s) {
  static const uint8_t zeros[128];
  cfz_add(s, CFZ_V_BYTES(zeros, sizeof zeros));
}

CFZ_TARGET(FuzzMinimizeDifferently, seeds, fuzz, CFZ_BYTES)
