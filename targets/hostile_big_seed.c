/* hostile_big_seed.c - a target whose cfz_add seed (2 MiB) is larger than
 * the driver's value area: the worker refuses that seed request
 * ({"ok":false}); the run must go on (the worker restarted) and say the
 * seed was skipped.  No input fails. */
#include <stdlib.h>
#include <string.h>

#include "cfz.h"

static void fuzz(cfz_t *t, const cfz_value *a) {
  (void)t;
  (void)a;
}

static void seeds(cfz_seeds *s) {
  enum { BIG = 2 << 20 };
  static char big[BIG];
  memset(big, 'x', sizeof big);
  cfz_add(s, CFZ_V_BYTES("abc", 3));
  cfz_add(s, CFZ_V_BYTES(big, BIG));
  cfz_add(s, CFZ_V_BYTES("def", 3));
}

CFZ_TARGET(FuzzHostileBigSeed, seeds, fuzz, CFZ_BYTES)
