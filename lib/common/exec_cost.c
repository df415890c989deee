/* exec_cost.c - see exec_cost.h. */
#include "exec_cost.h"

#include "rng.h"

/* log2(x) in 1/256ths for x >= 1: the exponent and the 8 bits below the
 * leading one as a linear fraction (within 0.09 of log2; monotone, and
 * exp2_fixed undoes it exactly for 9-bit values). */
static uint64_t log2_fixed(uint64_t x) {
  unsigned e = 63u - (unsigned)__builtin_clzll(x);
  uint64_t m = e >= 8 ? x >> (e - 8) : x << (8 - e);
  return (uint64_t)e * 256 + (m & 255);
}

static uint64_t exp2_fixed(uint64_t v) {
  unsigned e = (unsigned)(v >> 8);
  uint64_t m = 256 + (v & 255);
  return e >= 8 ? m << (e - 8) : m >> (8 - e);
}

void cfz_cost_note(cfz_cost *c, uint64_t ns) {
  if (c->n == UINT32_MAX)
    return; /* the estimate stays */
  if (ns == 0)
    ns = 1;
  if (ns > CFZ_COST_MAX_NS)
    ns = CFZ_COST_MAX_NS;
  c->log_sum += log2_fixed(ns);
  c->n++;
  c->ns = exp2_fixed(c->log_sum / c->n);
}

int cfz_cost_shift(const cfz_cost *c, uint64_t ref) {
  if (ref == 0 || c->n < CFZ_COST_SAMPLES)
    return 0;
  if (c->ns <= ref / CFZ_COST_FAST && ref >= CFZ_COST_FLOOR_NS)
    return 1;
  if (c->ns / CFZ_COST_SLOW < ref || c->ns < CFZ_COST_FLOOR_NS)
    return 0;
  int shift = 3; /* ns >= 8 * ref: shift = floor(log2(ns / ref)) */
  while (shift < CFZ_COST_MAX_SHIFT && (c->ns >> (shift + 1)) >= ref)
    shift++;
  return -shift;
}

uint64_t cfz_cost_standin_limit(const cfz_cost *c) {
  if (c->n < CFZ_COST_SAMPLES || c->ns < CFZ_COST_FLOOR_NS)
    return 0;
  return c->ns / CFZ_STANDIN_FAST;
}

uint64_t cfz_cost_scale(uint64_t w, int shift) {
  if (shift >= 0)
    return w << shift;
  uint64_t s = w >> -shift;
  return s == 0 && w > 0 ? 1 : s;
}

static void swap(uint64_t *a, uint64_t *b) {
  uint64_t t = *a;
  *a = *b;
  *b = t;
}

/* Quickselect with pseudo-random pivots (a fixed seed: the same v gives
 * the same result), three-way partition so equal costs cost nothing. */
uint64_t cfz_cost_median(uint64_t *v, size_t n) {
  if (n == 0)
    return 0;
  size_t want = n / 2, lo = 0, hi = n; /* the answer is in v[lo..hi) */
  uint64_t s = 0x5eed;
  while (hi - lo > 1) {
    uint64_t p = v[lo + cfz_splitmix64(&s) % (hi - lo)];
    size_t lt = lo, i = lo, gt = hi; /* [lo,lt) < p, [lt,i) == p, [gt,hi) > */
    while (i < gt) {
      if (v[i] < p)
        swap(&v[lt++], &v[i++]);
      else if (v[i] > p)
        swap(&v[i], &v[--gt]);
      else
        i++;
    }
    if (want < lt)
      hi = lt;
    else if (want >= gt)
      lo = gt;
    else
      return p;
  }
  return v[lo];
}

bool cfz_cost_ref_note(cfz_cost_ref *r, cfz_cost *c, uint64_t ns) {
  r->measured += c->n == 0;
  cfz_cost_note(c, ns);
  return ++r->notes_since >= cfz_cost_refresh_every(r->measured);
}

void cfz_cost_ref_take(cfz_cost_ref *r, const cfz_cost *first, size_t stride,
                       size_t n, uint64_t *scratch) {
  size_t m = 0;
  for (size_t k = 0; k < n; k++) {
    const cfz_cost *c =
        (const cfz_cost *)(const void *)((const char *)first + k * stride);
    if (c->n >= CFZ_COST_SAMPLES)
      scratch[m++] = c->ns;
  }
  r->ns = m >= CFZ_COST_INPUTS ? cfz_cost_median(scratch, m) : 0;
  r->notes_since = 0;
}
