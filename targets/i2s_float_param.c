/* i2s_float_param.c - a typed float64 parameter compared with a constant
 * (plus an int32 that must match too).  With gcc's trace-cmp the double
 * compare is reported (__sanitizer_cov_trace_cmpd) and the mutator gives
 * the parameter the other operand's value; clang does not report it, so
 * only the gcc build (i2s_float_param_gcc) is expected to solve it. */
#include "cfz.h"

static void fuzz(cfz_t *t, const cfz_value *a) {
  if (a[0].v.f64 == 2.718281828 && a[1].v.i == 1000003)
    cfz_fatal(t, "found the float");
}

static void seeds(cfz_seeds *s) {
  cfz_add(s, CFZ_V_FLOAT64(0.0), CFZ_V_INT32(0));
}

CFZ_TARGET(FuzzFloatParam, seeds, fuzz, CFZ_FLOAT64, CFZ_INT32)
