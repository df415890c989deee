/* minimize_typed.c - minimization of non-bytes values: fails (cfz_fatal) when
 * the int64 is above 1000 or the float64 above 1000.5.  Minimizing a failure
 * should bring the failing value down towards the threshold (Go minimizes
 * integers and floats too).  The seed (0, 0.0) passes. */
#include "cfz.h"

static void fuzz(cfz_t *t, const cfz_value *a) {
  int64_t i = a[0].v.i;
  double d = a[1].v.f64;
  if (i > 1000)
    cfz_fatal(t, "int64 too large: %lld", (long long)i);
  if (d > 1000.5)
    cfz_fatal(t, "float64 too large: %g", d);
}

static void seeds(cfz_seeds *s) {
  cfz_add(s, CFZ_V_INT64(0), CFZ_V_FLOAT64(0.0));
}

CFZ_TARGET(FuzzMinimizeTyped, seeds, fuzz, CFZ_INT64, CFZ_FLOAT64)
