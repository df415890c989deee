/* minimize_exit.c - Go's TestFuzzMinimizer "non-recoverable" case,
 * translated: inputs shorter than 50 bytes pass; a longer input with a
 * non-zero byte makes the process exit(99).  Minimization (restarting the
 * worker as often as needed) must shrink a failing input to exactly 50 bytes.
 * The seed, 100 zero bytes, passes. */
#include <stdio.h>
#include <stdlib.h>

#include "cfz.h"

static void fuzz(cfz_t *t, const cfz_value *a) {
  (void)t;
  const uint8_t *b = a[0].v.bytes.data;
  size_t n = a[0].v.bytes.len;
  if (n < 50)
    return;
  for (size_t i = 0; i < n; i++) {
    if (b[i] != 0) {
      if (n == 50) {
        printf("got the minimum size!\n");
        fflush(stdout);
      }
      exit(99);
    }
  }
}

static void seeds(cfz_seeds *s) {
  static const uint8_t zeros[100];
  cfz_add(s, CFZ_V_BYTES(zeros, sizeof zeros));
}

CFZ_TARGET(FuzzMinimizerNonrecoverable, seeds, fuzz, CFZ_BYTES)
