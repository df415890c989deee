/* minimizers.c - shrinking strategies for a failing value list (see
 * minimizers.h).  Pure: no I/O; every candidate goes through try_fn, and
 * should_stop is asked before each one that runs. */
#include "minimizers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bound on accepted steps of one kind for one value (non-monotonic
 * predicates could otherwise walk a 64-bit range one step at a time). */
#define STEP_LIMIT 4096
/* The byte that normalisation writes (afl-tmin's choice: printable, and
 * distinct from the NUL that ends strings). */
#define FILL '0'

/* ------------------------------------------------------------ tried set */

/* Hashes of the candidates already run: open addressing, 0 = empty. */
typedef struct tried_set {
  uint64_t *slot;
  size_t cap, n; /* cap: a power of two, or 0 */
} tried_set;

static uint64_t fnv(uint64_t h, const void *p, size_t n) {
  const uint8_t *b = p;
  for (size_t i = 0; i < n; i++)
    h = (h ^ b[i]) * 0x100000001b3ULL;
  return h;
}

static uint64_t hash_values(const cfz_value *v, size_t n) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < n; i++) {
    uint32_t t = (uint32_t)v[i].type;
    h = fnv(h, &t, sizeof t);
    switch (v[i].type) {
    case CFZ_BYTES:
    case CFZ_STRING:
      h = fnv(h, &v[i].v.bytes.len, sizeof v[i].v.bytes.len);
      h = fnv(h, v[i].v.bytes.data, v[i].v.bytes.len);
      break;
    case CFZ_BOOL:
      h = fnv(h, &v[i].v.b, sizeof v[i].v.b);
      break;
    case CFZ_FLOAT32:
      h = fnv(h, &v[i].v.f32, sizeof v[i].v.f32);
      break;
    case CFZ_FLOAT64:
      h = fnv(h, &v[i].v.f64, sizeof v[i].v.f64);
      break;
    default:
      h = fnv(h, &v[i].v.u, sizeof v[i].v.u);
      break;
    }
  }
  return h ? h : 1;
}

/* Adds h; returns false when it was there already.  When memory runs out
 * the set simply stops growing (a candidate may then run twice). */
static bool tried_add(tried_set *s, uint64_t h) {
  if (2 * (s->n + 1) > s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 1024;
    uint64_t *slot = calloc(cap, sizeof *slot);
    if (slot) {
      for (size_t i = 0; i < s->cap; i++) {
        if (s->slot[i] == 0)
          continue;
        size_t j = (size_t)s->slot[i] & (cap - 1);
        while (slot[j] != 0)
          j = (j + 1) & (cap - 1);
        slot[j] = s->slot[i];
      }
      free(s->slot);
      s->slot = slot;
      s->cap = cap;
    } else if (s->n + 1 >= s->cap) {
      return true;
    }
  }
  size_t j = (size_t)h & (s->cap - 1);
  while (s->slot[j] != 0) {
    if (s->slot[j] == h)
      return false;
    j = (j + 1) & (s->cap - 1);
  }
  s->slot[j] = h;
  s->n++;
  return true;
}

/* ------------------------------------------------------------ candidates */

typedef struct minimizer {
  cfz_values *vals;
  cfz_value *cand; /* shallow copy of vals->v with one parameter replaced */
  const cfz_minimize_ops *ops;
  cfz_minimize_stats st;
  tried_set tried;
  cfz_min_cursor restart; /* resume point "this parameter from its start" */
  bool stopped;
} minimizer;

/* Runs vals with parameter idx replaced by v, unless that list was tried
 * before; if_accepted is where to resume should it be accepted (and kill
 * the process).  True when accepted. */
static bool try_value_at(minimizer *m, size_t idx, cfz_value v,
                         const cfz_min_cursor *if_accepted) {
  if (m->stopped)
    return false;
  memcpy(m->cand, m->vals->v, m->vals->n * sizeof *m->cand);
  m->cand[idx] = v;
  uint64_t h = hash_values(m->cand, m->vals->n);
  if (!tried_add(&m->tried, h)) {
    m->st.skipped++;
    return false;
  }
  if (m->ops->should_stop && m->ops->should_stop(m->ops->ctx)) {
    m->stopped = true;
    return false;
  }
  if (m->ops->checkpoint)
    m->ops->checkpoint(m->ops->ctx, if_accepted);
  m->st.tried++;
  if (!m->ops->try_fn(m->ops->ctx, m->cand, m->vals->n))
    return false;
  m->st.accepted++;
  return true;
}

static bool try_value(minimizer *m, size_t idx, cfz_value v) {
  return try_value_at(m, idx, v, &m->restart);
}

/* ------------------------------------------------------------ bytes */

enum {
  ST_EMPTY = 0, /* try the empty value */
  ST_DELETE,    /* delete blocks of `size` bytes */
  ST_NORM,      /* overwrite blocks of `size` bytes with FILL */
  ST_PERIOD,    /* delete from a byte to the next occurrence of it */
  ST_ROUND_END, /* another round, or done */
};
#define F_CHANGED 1u /* the round accepted a candidate */
#define F_DELETED 2u /* the round accepted a deletion */

typedef struct bytes_state {
  minimizer *m;
  size_t idx;
  uint8_t *cur; /* owned by vals->v[idx]; shrinks in place */
  size_t len;
  uint8_t *tmp; /* scratch of the original capacity */
} bytes_state;

static bool try_tmp(bytes_state *b, size_t len, const cfz_min_cursor *acc) {
  cfz_value v = b->m->vals->v[b->idx];
  b->tmp[len] = 0; /* a string candidate is also a C string */
  v.v.bytes.data = b->tmp;
  v.v.bytes.len = len;
  if (!try_value_at(b->m, b->idx, v, acc))
    return false;
  memcpy(b->cur, b->tmp, len);
  b->cur[len] = 0;
  b->len = len;
  b->m->vals->v[b->idx].v.bytes.len = len;
  return true;
}

/* Candidate: cur without [pos, pos+n). */
static bool try_remove(bytes_state *b, size_t pos, size_t n,
                       const cfz_min_cursor *acc) {
  memcpy(b->tmp, b->cur, pos);
  memcpy(b->tmp + pos, b->cur + pos + n, b->len - pos - n);
  return try_tmp(b, b->len - n, acc);
}

/* The first deletion block size of a round: len/16 rounded up to a power
 * of two (afl-tmin's), at least 1. */
static uint64_t first_size(size_t len) {
  uint64_t d = 1;
  while (d < len / 16)
    d <<= 1;
  return d;
}

/* Normalisation runs in the first round, and again in a round that
 * deleted something (the bytes around the deletion may now be simpler). */
static bool norm_wanted(const cfz_min_cursor *c) {
  return c->round == 0 || (c->flags & F_DELETED);
}

/* Deletes [pos, pos+n) as the next candidate of a deletion stage; once
 * accepted, the stage gallops: the next candidate at the same place is
 * twice as long (c->run), so that a long run of removable blocks or
 * records goes in a few (process-killing) acceptances, not one each. */
static bool delete_at(bytes_state *b, cfz_min_cursor *c, uint64_t n) {
  cfz_min_cursor acc = *c;
  acc.flags |= F_CHANGED | F_DELETED;
  acc.run = 2 * n;
  if (!try_remove(b, (size_t)c->pos, (size_t)n, &acc))
    return false;
  *c = acc;
  return true;
}

/* The galloping candidate, if one is due: true when a candidate ran (the
 * stage stays where it is either way). */
static bool gallop(bytes_state *b, cfz_min_cursor *c) {
  uint64_t r = c->run;
  if (r == 0)
    return false;
  c->run = 0;
  if (c->pos + r > b->len || r >= b->len)
    return false;
  delete_at(b, c, r);
  return true;
}

/* ST_EMPTY: the empty value first.  True when it was accepted (done). */
static bool stage_empty(bytes_state *b, cfz_min_cursor *c) {
  cfz_min_cursor acc = {.param = (uint32_t)b->idx + 1};
  c->stage = ST_PERIOD;
  c->size = 0;
  c->pos = 0;
  return try_tmp(b, 0, &acc);
}

/* ST_DELETE: blocks of c->size bytes, then normalise or go smaller. */
static void stage_delete(bytes_state *b, cfz_min_cursor *c) {
  if (c->size == 0) { /* only from a damaged cursor */
    c->stage = ST_ROUND_END;
    return;
  }
  if (c->pos >= b->len) { /* this size done: normalise, or go smaller */
    c->pos = 0;
    c->run = 0;
    if (norm_wanted(c)) {
      c->stage = ST_NORM;
    } else {
      c->size /= 2;
      c->stage = c->size == 0 ? ST_ROUND_END : ST_DELETE;
    }
    return;
  }
  if (gallop(b, c))
    return;
  size_t n = b->len - c->pos < c->size ? b->len - c->pos : c->size;
  if (!delete_at(b, c, n))
    c->pos += c->size;
}

/* ST_NORM: blocks of c->size bytes set to FILL. */
static void stage_norm(bytes_state *b, cfz_min_cursor *c) {
  if (c->size == 0) {
    c->stage = ST_ROUND_END;
    return;
  }
  if (c->pos >= b->len) {
    c->pos = 0;
    c->size /= 2;
    c->stage = c->size == 0 ? ST_ROUND_END : ST_DELETE;
    return;
  }
  size_t n = b->len - c->pos < c->size ? b->len - c->pos : c->size;
  size_t i = 0;
  while (i < n && b->cur[c->pos + i] == FILL)
    i++;
  cfz_min_cursor acc = *c;
  acc.pos += c->size;
  acc.flags |= F_CHANGED;
  if (i < n) {
    memcpy(b->tmp, b->cur, b->len);
    memset(b->tmp + c->pos, FILL, n);
    if (try_tmp(b, b->len, &acc))
      c->flags = acc.flags;
  }
  c->pos += c->size;
}

/* ST_PERIOD: the range up to the next occurrence of the byte at c->pos.
 * size: the length of the last range removed in this stage, tried where
 * the range to the next occurrence fails (the last record of a run, a
 * record whose first byte recurs inside the next one). */
static void stage_period(bytes_state *b, cfz_min_cursor *c) {
  if (c->pos >= b->len) {
    c->stage = ST_DELETE;
    c->size = first_size(b->len);
    c->pos = 0;
    c->run = 0;
    return;
  }
  if (gallop(b, c))
    return;
  const uint8_t *next =
      memchr(b->cur + c->pos + 1, b->cur[c->pos], b->len - c->pos - 1);
  size_t n = next ? (size_t)(next - (b->cur + c->pos)) : 0;
  uint64_t last = c->size;
  if (n != 0 && (c->size = n, delete_at(b, c, n)))
    return;
  c->size = last;
  if (last != 0 && last != n && c->pos + last <= b->len &&
      delete_at(b, c, last))
    return;
  c->pos++;
}

/* ST_ROUND_END: another round when this one changed something.  True when
 * done. */
static bool stage_round_end(cfz_min_cursor *c) {
  if (!(c->flags & F_CHANGED))
    return true;
  c->round++;
  c->flags = 0;
  c->stage = ST_PERIOD;
  c->size = 0;
  c->pos = 0;
  return false;
}

/* One candidate (or one move of the cursor).  True when done. */
static bool bytes_step(bytes_state *b, cfz_min_cursor *c) {
  switch (c->stage) {
  case ST_EMPTY:
    return stage_empty(b, c);
  case ST_DELETE:
    stage_delete(b, c);
    return false;
  case ST_NORM:
    stage_norm(b, c);
    return false;
  case ST_PERIOD:
    stage_period(b, c);
    return false;
  default: /* ST_ROUND_END */
    return stage_round_end(c);
  }
}

static void minimize_bytes(minimizer *m, size_t idx, cfz_min_cursor *c) {
  cfz_value *v = &m->vals->v[idx];
  if (v->v.bytes.len == 0)
    return;
  bytes_state b = {m, idx, (uint8_t *)v->v.bytes.data, v->v.bytes.len, NULL};
  b.tmp = malloc(b.len + 1);
  if (!b.tmp)
    return;
  while (!m->stopped)
    if (bytes_step(&b, c))
      break;
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

size_t cfz_minimize_values_from(cfz_values *vals, const cfz_minimize_ops *ops,
                                const cfz_min_cursor *start,
                                cfz_minimize_stats *stats) {
  if (stats)
    *stats = (cfz_minimize_stats){0};
  if (!vals || vals->n == 0 || !ops || !ops->try_fn)
    return 0;
  minimizer m = {.vals = vals, .ops = ops};
  m.cand = malloc(vals->n * sizeof *m.cand);
  if (!m.cand)
    return 0;
  /* The starting list is known: a candidate equal to it is a no-op. */
  tried_add(&m.tried, hash_values(vals->v, vals->n));
  cfz_min_cursor c = start ? *start : (cfz_min_cursor){0};
  for (size_t i = c.param; i < vals->n && !m.stopped; i++) {
    if (i != c.param)
      c = (cfz_min_cursor){.param = (uint32_t)i};
    m.restart = (cfz_min_cursor){.param = (uint32_t)i};
    switch (vals->v[i].type) {
    case CFZ_BYTES:
    case CFZ_STRING:
      minimize_bytes(&m, i, &c);
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
  free(m.tried.slot);
  if (stats)
    *stats = m.st;
  return m.st.accepted;
}

size_t cfz_minimize_values(cfz_values *vals, cfz_try_fn try_fn,
                           cfz_stop_fn should_stop, void *ctx) {
  cfz_minimize_ops ops = {try_fn, should_stop, NULL, ctx};
  return cfz_minimize_values_from(vals, &ops, NULL, NULL);
}
