/* mutate_numbers.c - mutation of integer and floating-point parameters. */
#include "mutate_internal.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmp_trace.h"

/* ---- integers, floats, bools ---- */

/* A boundary or power of two of an integer of w bytes. */
static uint64_t int_boundary(cfz_mutator *m, unsigned w, bool sgn) {
  uint64_t mask = width_mask(w);
  uint64_t bits = 8u * w;
  uint64_t smin = (uint64_t)1 << (bits - 1);
  switch (rnd(m, 8)) {
  case 0:
    return 0;
  case 1:
    return 1;
  case 2:
    return mask; /* -1 / max unsigned */
  case 3:
    return sgn ? smin : 0;
  case 4:
    return sgn ? smin - 1 : mask - 1;
  case 5:
    return (uint64_t)1 << rnd(m, bits);
  case 6:
    return ((uint64_t)1 << rnd(m, bits)) - 1;
  default:
    return cfz_mutate_interesting(m, w);
  }
}

/* A compared operand (or it +-1) that fits an integer of w bytes; old when
 * none does. */
static uint64_t int_from_cmp(cfz_mutator *m, unsigned w, bool sgn,
                             uint64_t old) {
  uint64_t mask = width_mask(w), u = old;
  for (int k = 0; k < 8; k++) {
    uint64_t a, b;
    unsigned cw;
    if (!cfz_cmp_pick_int(&m->rng, &a, &b, &cw))
      break;
    (void)a;
    if (cw > w) {
      uint64_t ext = sgn ? sign_extend(b, w) : b & mask;
      uint64_t orig = sgn ? sign_extend(b, cw) : b & width_mask(cw);
      if (ext != orig)
        continue; /* does not fit this parameter */
    } else if (sgn && cw < w) {
      b = sign_extend(b, cw);
    }
    uint64_t q = rnd(m, 10);
    u = q == 0 ? b + 1 : q == 1 ? b - 1 : b;
    if ((u & mask) != old || k == 7)
      break;
  }
  return u;
}

bool cfz_mutate_int(cfz_mutator *m, size_t pi) {
  cfz_value *val = &m->work[pi];
  bool sgn;
  unsigned w = int_width(val->type, &sgn);
  uint64_t mask = width_mask(w);
  uint64_t old = (sgn ? (uint64_t)val->v.i : val->v.u) & mask;
  uint64_t u = old;
  bool have_cmp = cfz_cmp_int_entries() != 0;
  for (int t = 0; t < STRATEGY_TRIES && u == old; t++) {
    uint64_t r = rnd(m, have_cmp ? 100 : 75);
    if (r < 30) { /* small delta */
      uint64_t d = rnd(m, 8) == 0 ? 1 + rnd(m, 1000) : 1 + rnd(m, 35);
      u = coin(m) ? old + d : old - d;
    } else if (r < 46) { /* boundaries and powers of two */
      u = int_boundary(m, w, sgn);
    } else if (r < 60) { /* bit flip */
      u = old ^ ((uint64_t)1 << rnd(m, 8u * w));
    } else if (r < 67) { /* random */
      u = coin(m) ? cfz_rng_next(&m->rng) : rnd(m, 256);
    } else if (r < 70) { /* negate */
      u = (uint64_t)0 - old;
    } else if (r < 75) { /* byte swap */
      uint8_t tmp[8];
      encode(tmp, old, w, false);
      u = decode(tmp, w, true);
    } else { /* a compared operand that fits */
      u = int_from_cmp(m, w, sgn, old);
    }
    u &= mask;
  }
  if (u == old)
    u = (old ^ 1) & mask;
  if (sgn)
    val->v.i = (int64_t)sign_extend(u, w);
  else
    val->v.u = u;
  return true;
}

static double mutate_double(cfz_mutator *m, double x, bool single) {
  switch (rnd(m, 10)) {
  case 0:
    return x + (double)(1 + rnd(m, 100));
  case 1:
    return x - (double)(1 + rnd(m, 100));
  case 2:
    return x * (double)(2 + rnd(m, 9));
  case 3:
    return x / (double)(2 + rnd(m, 9));
  case 4: {
    static const double specials[] = {0.0, -0.0,     1.0,       -1.0,
                                      0.5, INFINITY, -INFINITY, NAN};
    switch (rnd(m, 5)) {
    case 0:
      return single ? FLT_MIN : DBL_MIN;
    case 1:
      return single ? FLT_MAX : DBL_MAX;
    case 2:
      return single ? -FLT_MAX : -DBL_MAX;
    case 3:
      return single ? FLT_EPSILON : DBL_EPSILON;
    default:
      return specials[rnd(m, sizeof specials / sizeof specials[0])];
    }
  }
  case 5:
    return -x;
  case 6:
    return isfinite(x) ? trunc(x) + (double)(int)(rnd(m, 3)) - 1.0 : 0.0;
  case 7:
    return (double)(int64_t)(rnd(m, 2001)) - 1000.0;
  case 8:
    return x + (coin(m) ? 1.0 : -1.0) / (double)(1 + rnd(m, 1000));
  default: { /* a compared operand, as a number */
    uint64_t a, b;
    unsigned w;
    if (cfz_cmp_pick_int(&m->rng, &a, &b, &w)) {
      /* A float compare's operand (gcc builds), else an integer's. */
      double f;
      if (m->i2s_transforms && cfz_mutate_as_float(b, w, &f) && coin(m))
        return f;
      return (double)(int64_t)sign_extend(b, w);
    }
    return x * -2.0;
  }
  }
}

bool cfz_mutate_float(cfz_mutator *m, size_t pi) {
  cfz_value *val = &m->work[pi];
  bool single = val->type == CFZ_FLOAT32;
  for (int t = 0; t < STRATEGY_TRIES; t++) {
    if (single) {
      float old = val->v.f32, x;
      if (rnd(m, 8) == 0) {
        uint32_t bits;
        memcpy(&bits, &old, 4);
        bits ^= (uint32_t)1 << rnd(m, 32);
        memcpy(&x, &bits, 4);
      } else {
        x = (float)mutate_double(m, (double)old, true);
      }
      if (memcmp(&x, &old, 4) != 0) {
        val->v.f32 = x;
        return true;
      }
    } else {
      double old = val->v.f64, x;
      if (rnd(m, 8) == 0) {
        uint64_t bits;
        memcpy(&bits, &old, 8);
        bits ^= (uint64_t)1 << rnd(m, 64);
        memcpy(&x, &bits, 8);
      } else {
        x = mutate_double(m, old, false);
      }
      if (memcmp(&x, &old, 8) != 0) {
        val->v.f64 = x;
        return true;
      }
    }
  }
  return false;
}
