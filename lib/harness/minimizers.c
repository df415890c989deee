/* minimizers.c - shrinking strategies for a failing value list (see
 * minimizers.h).  Pure: no I/O; every candidate goes through try_fn, and
 * should_stop is asked before each one. */
#include "minimizers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bound on accepted steps of one kind for one value (non-monotonic
 * predicates could otherwise walk a 64-bit range one step at a time). */
#define STEP_LIMIT 4096

typedef struct minimizer {
  cfz_values *vals;
  cfz_value *cand; /* shallow copy of vals->v with one parameter replaced */
  cfz_try_fn try_fn;
  cfz_stop_fn should_stop;
  void *ctx;
  size_t accepted;
  bool stopped;
} minimizer;

/* Runs vals with parameter idx replaced by v; true when accepted. */
static bool try_value(minimizer *m, size_t idx, cfz_value v) {
  if (m->stopped)
    return false;
  if (m->should_stop && m->should_stop(m->ctx)) {
    m->stopped = true;
    return false;
  }
  memcpy(m->cand, m->vals->v, m->vals->n * sizeof *m->cand);
  m->cand[idx] = v;
  if (!m->try_fn(m->ctx, m->cand, m->vals->n))
    return false;
  m->accepted++;
  return true;
}

/* ------------------------------------------------------------ bytes */

typedef struct bytes_state {
  minimizer *m;
  size_t idx;
  uint8_t *cur; /* owned by vals->v[idx]; shrinks in place */
  size_t len;
  uint8_t *tmp; /* scratch of the original capacity */
} bytes_state;

static bool try_tmp(bytes_state *b, size_t len) {
  cfz_value v = b->m->vals->v[b->idx];
  b->tmp[len] = 0; /* a string candidate is also a C string */
  v.v.bytes.data = b->tmp;
  v.v.bytes.len = len;
  if (!try_value(b->m, b->idx, v))
    return false;
  memcpy(b->cur, b->tmp, len);
  b->cur[len] = 0;
  b->len = len;
  b->m->vals->v[b->idx].v.bytes.len = len;
  return true;
}

/* Candidate: cur without [pos, pos+n). */
static bool try_remove(bytes_state *b, size_t pos, size_t n) {
  memcpy(b->tmp, b->cur, pos);
  memcpy(b->tmp + pos, b->cur + pos + n, b->len - pos - n);
  return try_tmp(b, b->len - n);
}

static void minimize_bytes(minimizer *m, size_t idx) {
  cfz_value *v = &m->vals->v[idx];
  if (v->v.bytes.len == 0)
    return;
  bytes_state b = {m, idx, (uint8_t *)v->v.bytes.data, v->v.bytes.len, NULL};
  b.tmp = malloc(b.len + 1);
  if (!b.tmp)
    return;

  /* The empty value first. */
  if (try_tmp(&b, 0))
    goto done;

  /* (a) Cut the tail in shrinking steps. */
  for (size_t n = 1024; n >= 1 && !m->stopped; n /= 2) {
    while (b.len > n && !m->stopped) {
      memcpy(b.tmp, b.cur, b.len - n);
      if (!try_tmp(&b, b.len - n))
        break;
    }
  }

  /* (b) Remove aligned chunks, halving the chunk size down to 2. */
  for (size_t chunk = b.len / 2; chunk >= 2 && !m->stopped; chunk /= 2) {
    size_t pos = 0;
    while (pos + chunk <= b.len && !m->stopped) {
      if (!try_remove(&b, pos, chunk))
        pos += chunk;
    }
  }

  /* (c) Remove single bytes. */
  for (size_t i = 0; i < b.len && b.len > 1 && !m->stopped;) {
    if (!try_remove(&b, i, 1))
      i++;
  }

  /* (c2) Remove any range of two bytes or more, longest first from each
   * start: finds removable runs of records whose size is not a power of
   * two (e.g. 3-byte records), which aligned chunks always split. */
  for (size_t i = 0; i + 2 <= b.len && !m->stopped; i++) {
    for (size_t j = b.len; j >= i + 2 && !m->stopped; j--) {
      if (j - i == b.len)
        continue; /* the empty value was tried first */
      if (try_remove(&b, i, j - i))
        j = b.len + 1; /* shorter now: start again from the new end */
    }
  }

  /* (d) Make each byte simpler: '0' where it still fails. */
  for (size_t i = 0; i < b.len && !m->stopped; i++) {
    if (b.cur[i] == '0')
      continue;
    memcpy(b.tmp, b.cur, b.len);
    b.tmp[i] = '0';
    try_tmp(&b, b.len);
  }
done:
  free(b.tmp);
}

/* ------------------------------------------------------------ integers */

/* An integer as sign and magnitude, so INT64_MIN needs no special case. */
typedef struct magnitude {
  bool neg;
  uint64_t mag;
} magnitude;

static cfz_value int_value(cfz_type t, magnitude x) {
  cfz_value v = {.type = t};
  if (t == CFZ_INT8 || t == CFZ_INT16 || t == CFZ_INT32 || t == CFZ_INT64) {
    if (!x.neg)
      v.v.i = (int64_t)x.mag;
    else if (x.mag == (uint64_t)1 << 63)
      v.v.i = INT64_MIN;
    else
      v.v.i = -(int64_t)x.mag;
  } else {
    v.v.u = x.mag;
  }
  return v;
}

static bool try_mag(minimizer *m, size_t idx, magnitude *cur, uint64_t mag) {
  magnitude x = {cur->neg && mag != 0, mag};
  cfz_value v = int_value(m->vals->v[idx].type, x);
  if (mag == cur->mag || !try_value(m, idx, v))
    return false;
  cur->mag = mag;
  m->vals->v[idx] = v;
  return true;
}

/* Shrinks |cur| toward zero: 0, then /10 and /2, then subtracting steps
 * d = |v|/2, |v|/4 ... 1 while accepted (the last is the -1 walk). */
static void shrink_magnitude(minimizer *m, size_t idx, magnitude *cur,
                             bool (*try_fn)(minimizer *, size_t, magnitude *,
                                            uint64_t)) {
  if (cur->mag == 0 || try_fn(m, idx, cur, 0))
    return;
  for (int steps = 0; steps < STEP_LIMIT && !m->stopped; steps++) {
    if (cur->mag >= 10 && try_fn(m, idx, cur, cur->mag / 10))
      continue;
    if (cur->mag >= 2 && try_fn(m, idx, cur, cur->mag / 2))
      continue;
    break;
  }
  for (uint64_t d = cur->mag / 2; d >= 1 && !m->stopped; d /= 2) {
    for (int steps = 0; steps < STEP_LIMIT && d < cur->mag && !m->stopped;
         steps++) {
      if (!try_fn(m, idx, cur, cur->mag - d))
        break;
    }
  }
}

static void minimize_int(minimizer *m, size_t idx) {
  const cfz_value *v = &m->vals->v[idx];
  magnitude cur;
  if (v->type == CFZ_INT8 || v->type == CFZ_INT16 || v->type == CFZ_INT32 ||
      v->type == CFZ_INT64) {
    cur.neg = v->v.i < 0;
    cur.mag = cur.neg ? 0 - (uint64_t)v->v.i : (uint64_t)v->v.i;
  } else {
    cur.neg = false;
    cur.mag = v->v.u;
  }
  shrink_magnitude(m, idx, &cur, try_mag);
}

/* ------------------------------------------------------------ floats */

static double get_float(const cfz_value *v) {
  return v->type == CFZ_FLOAT32 ? (double)v->v.f32 : v->v.f64;
}

/* Tries the float x (converted to the parameter's type) when it differs
 * from the current bits. */
static bool try_float(minimizer *m, size_t idx, double x) {
  cfz_value v = m->vals->v[idx];
  if (v.type == CFZ_FLOAT32) {
    float f = (float)x;
    if (memcmp(&f, &v.v.f32, sizeof f) == 0 || isinf(f))
      return false;
    v.v.f32 = f;
  } else {
    if (memcmp(&x, &v.v.f64, sizeof x) == 0)
      return false;
    v.v.f64 = x;
  }
  if (!try_value(m, idx, v))
    return false;
  m->vals->v[idx] = v;
  return true;
}

/* Integral floats below 2^53 reuse the integer search. */
static bool try_float_mag(minimizer *m, size_t idx, magnitude *cur,
                          uint64_t mag) {
  double x = (double)mag;
  if (mag == cur->mag || !try_float(m, idx, cur->neg ? -x : x))
    return false;
  cur->mag = mag;
  return true;
}

static void minimize_float(minimizer *m, size_t idx) {
  double v = get_float(&m->vals->v[idx]);
  if (isnan(v) || isinf(v) || v == 0)
    return;
  if (try_float(m, idx, 0.0))
    return;
  if (trunc(v) != v && trunc(v) != 0)
    try_float(m, idx, trunc(v));
  /* Large magnitudes: divide toward the integer range. */
  for (int steps = 0; steps < STEP_LIMIT && !m->stopped; steps++) {
    v = get_float(&m->vals->v[idx]);
    if (fabs(v) < 0x1p53)
      break;
    if (try_float(m, idx, trunc(v / 10)))
      continue;
    if (try_float(m, idx, trunc(v / 2)))
      continue;
    break;
  }
  v = get_float(&m->vals->v[idx]);
  if (trunc(v) == v && fabs(v) < 0x1p53) {
    magnitude cur = {v < 0, (uint64_t)fabs(v)};
    shrink_magnitude(m, idx, &cur, try_float_mag);
  }
  /* Fewer significant digits: the first (shortest) accepted wins. */
  v = get_float(&m->vals->v[idx]);
  for (int digits = 1; digits <= 16 && !m->stopped; digits++) {
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.*e", digits - 1, v);
    double r = strtod(tmp, NULL);
    if (r == v)
      break; /* already this short */
    if (try_float(m, idx, r))
      break;
  }
}

/* ------------------------------------------------------------ driver */

size_t cfz_minimize_values(cfz_values *vals, cfz_try_fn try_fn,
                           cfz_stop_fn should_stop, void *ctx) {
  if (!vals || vals->n == 0 || !try_fn)
    return 0;
  minimizer m = {vals, NULL, try_fn, should_stop, ctx, 0, false};
  m.cand = malloc(vals->n * sizeof *m.cand);
  if (!m.cand)
    return 0;
  for (size_t i = 0; i < vals->n && !m.stopped; i++) {
    switch (vals->v[i].type) {
    case CFZ_BYTES:
    case CFZ_STRING:
      minimize_bytes(&m, i);
      break;
    case CFZ_INT8:
    case CFZ_INT16:
    case CFZ_INT32:
    case CFZ_INT64:
    case CFZ_UINT8:
    case CFZ_UINT16:
    case CFZ_UINT32:
    case CFZ_UINT64:
      minimize_int(&m, i);
      break;
    case CFZ_FLOAT32:
    case CFZ_FLOAT64:
      minimize_float(&m, i);
      break;
    default:
      break; /* bools stay as they are */
    }
  }
  free(m.cand);
  return m.accepted;
}
