/* mutate_internal.h - what the mutator's parts share: the mutator's state,
 * the byte buffer being edited and small inline helpers (random choices,
 * integer widths and encodings, buffer edits).  Only mutator.c, mutate_bytes.c,
 * mutate_i2s.c and mutate_numbers.c include it. */
#ifndef CFZ_MUTATE_INTERNAL_H
#define CFZ_MUTATE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "auto_dict.h"
#include "mutator.h"

#define MAX_CHAIN 5
#define STRATEGY_TRIES 16

struct cfz_mutator {
  size_t n;
  cfz_type *types;
  size_t max_len;
  const cfz_dict *dict;
  cfz_rng rng;
  cfz_value *base, *work, *aux;
  uint8_t **base_buf, **work_buf, **aux_buf; /* max_len + 1 each */
  bool has_aux;
  unsigned chain_len, chain_pos;
  uint8_t *scratch;    /* max_len + 1 */
  bool i2s_transforms; /* CFZ_I2S_TRANSFORMS != "0" */
  /* Tokens the current chain wrote from recorded compares (auto_dict.h):
   * kept for good when the chain finds something new. */
  uint8_t tok[MAX_CHAIN][CFZ_AUTO_DICT_MAX_LEN];
  uint8_t tok_len[MAX_CHAIN];
  unsigned ntok;
};

/* ---- small helpers ---- */

static inline uint64_t rnd(cfz_mutator *m, uint64_t n) {
  return n <= 1 ? 0 : cfz_rng_below(&m->rng, n);
}
static inline bool coin(cfz_mutator *m) {
  return (cfz_rng_next(&m->rng) >> 63) != 0;
}
static inline size_t min_sz(size_t a, size_t b) { return a < b ? a : b; }

/* A length in [1, n] that is usually small (n >= 1). */
static inline size_t choose_len(cfz_mutator *m, size_t n) {
  uint64_t r = rnd(m, 100);
  if (r < 90)
    return 1 + (size_t)rnd(m, min_sz(8, n));
  if (r < 99)
    return 1 + (size_t)rnd(m, min_sz(32, n));
  return 1 + (size_t)rnd(m, n);
}

static inline bool is_bytes_type(cfz_type t) {
  return t == CFZ_BYTES || t == CFZ_STRING;
}

/* Width in bytes and signedness of an integer type; 0 if not an integer. */
static inline unsigned int_width(cfz_type t, bool *is_signed) {
  *is_signed = t >= CFZ_INT8 && t <= CFZ_INT64;
  switch (t) {
  case CFZ_INT8:
  case CFZ_UINT8:
    return 1;
  case CFZ_INT16:
  case CFZ_UINT16:
    return 2;
  case CFZ_INT32:
  case CFZ_UINT32:
    return 4;
  case CFZ_INT64:
  case CFZ_UINT64:
    return 8;
  default:
    return 0;
  }
}

static inline uint64_t width_mask(unsigned w) {
  return w >= 8 ? UINT64_MAX : ((uint64_t)1 << (8 * w)) - 1;
}

static inline uint64_t sign_extend(uint64_t v, unsigned w) {
  if (w >= 8)
    return v;
  uint64_t sign = (uint64_t)1 << (8 * w - 1);
  v &= width_mask(w);
  return (v ^ sign) - sign;
}

static inline void encode(uint8_t *out, uint64_t v, unsigned w, bool big) {
  for (unsigned i = 0; i < w; i++) {
    uint8_t b = (uint8_t)(v >> (8 * i));
    out[big ? w - 1 - i : i] = b;
  }
}

static inline uint64_t decode(const uint8_t *in, unsigned w, bool big) {
  uint64_t v = 0;
  for (unsigned i = 0; i < w; i++)
    v |= (uint64_t)in[big ? w - 1 - i : i] << (8 * i);
  return v;
}

/* Where a search for a compared operand looks, over span candidate offsets
 * (docs/feedback.md, "Which match").  Half of the searches start at a
 * random offset and take the first match after it, wrapping around; the
 * others scan from the start and take the first match (half of them) or
 * one of the first eight (the rest), as libFuzzer does.  Targets read their
 * input from left to right: in an input of repeated bytes (a seed of 'x's,
 * zero padding) the leftmost match is usually the field being compared
 * now, and a random one almost never is.  With CFZ_I2S_TRANSFORMS=0 every
 * search starts at a random offset. */
typedef struct scan {
  size_t start;  /* where the first pass begins; the second wraps to it */
  unsigned skip; /* matches passed over before one is taken */
} scan;

static inline scan scan_plan(cfz_mutator *m, size_t span) {
  uint64_t r = m->i2s_transforms ? rnd(m, 4) : 0;
  if (r < 2)
    return (scan){(size_t)rnd(m, span), 0};
  return (scan){0, r == 2 ? 0 : (unsigned)rnd(m, 8)};
}

/* A match was found: true when it is the one to take (the last one found
 * is taken anyway when fewer than skip + 1 exist). */
static inline bool scan_take(scan *s) {
  if (s->skip == 0)
    return true;
  s->skip--;
  return false;
}

static inline uint8_t fold(uint8_t c) {
  return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 0x20) : c;
}

/* Finds pat (k >= 1 bytes) in d[0..len) as scan_plan says, ignoring ASCII
 * case when nocase; returns the position or SIZE_MAX. */

static inline size_t find_pat(cfz_mutator *m, const uint8_t *d, size_t len,
                              const uint8_t *pat, size_t k, bool nocase) {
  if (k == 0 || k > len)
    return SIZE_MAX;
  size_t span = len - k + 1, found = SIZE_MAX;
  scan s = scan_plan(m, span);
  for (size_t t = 0; t < span; t++) {
    size_t p = s.start + t;
    if (p >= span)
      p -= span;
    size_t j = 0;
    if (nocase)
      while (j < k && fold(d[p + j]) == fold(pat[j]))
        j++;
    else
      while (j < k && d[p + j] == pat[j])
        j++;
    if (j == k && (found = p, scan_take(&s)))
      break;
  }
  return found;
}

/* ---- byte-buffer edits (cap = max_len) ---- */

typedef struct buf {
  uint8_t *d;
  size_t len, cap;
} buf;

/* Inserts k bytes of src at pos (src must not alias b->d). */
static inline bool insert_at(buf *b, size_t pos, const uint8_t *src, size_t k) {
  if (k == 0 || b->len + k > b->cap || pos > b->len)
    return false;
  memmove(b->d + pos + k, b->d + pos, b->len - pos);
  memcpy(b->d + pos, src, k);
  b->len += k;
  return true;
}

/* Writes k bytes of src at pos <= len, growing the buffer if needed. */
static inline bool overwrite_at(buf *b, size_t pos, const uint8_t *src,
                                size_t k) {
  if (k == 0 || pos > b->len || pos + k > b->cap)
    return false;
  memmove(b->d + pos, src, k);
  if (pos + k > b->len)
    b->len = pos + k;
  return true;
}

/* Replaces d[pos, pos+old) with k bytes of src (src must not alias). */
static inline bool replace_at(buf *b, size_t pos, size_t old,
                              const uint8_t *src, size_t k) {
  if (pos + old > b->len || b->len - old + k > b->cap)
    return false;
  memmove(b->d + pos + k, b->d + pos + old, b->len - pos - old);
  memcpy(b->d + pos, src, k);
  b->len = b->len - old + k;
  return true;
}

/* Puts src at a random place: inserted or overwriting, at random. */
static inline bool put_random(cfz_mutator *m, buf *b, const uint8_t *src,
                              size_t k) {
  if (k == 0 || k > b->cap)
    return false;
  if (coin(m) && b->len + k <= b->cap)
    return insert_at(b, (size_t)rnd(m, b->len + 1), src, k);
  size_t pos =
      b->len >= k ? (size_t)rnd(m, b->len - k + 1) : (size_t)rnd(m, b->len + 1);
  if (pos + k > b->cap)
    pos = b->cap - k;
  return overwrite_at(b, pos, src, k);
}

/* Puts a compared operand that the input does not hold: a quarter of the
 * time at the start (inserted or overwriting), where targets read magic
 * numbers, leading numbers (atoi) and tags; otherwise at a random place.
 * Only with the transforms on (CFZ_I2S_TRANSFORMS). */
static inline bool put_operand(cfz_mutator *m, buf *b, const uint8_t *src,
                               size_t k) {
  if (!m->i2s_transforms || rnd(m, 4) != 0)
    return put_random(m, b, src, k);
  if (coin(m) && b->len + k <= b->cap)
    return insert_at(b, 0, src, k);
  return overwrite_at(b, 0, src, k);
}

static inline bool is_digit(uint8_t c) { return c >= '0' && c <= '9'; }

/* A mutation of the current chain wrote k bytes taken from a recorded
 * compare (in the form it wrote them): a candidate for the auto-dictionary
 * should the chain find something new.  Returns ok, for tail calls. */
static inline bool note_token(cfz_mutator *m, bool ok, const uint8_t *p,
                              size_t k) {
  if (!ok || k < 2 || m->ntok >= MAX_CHAIN)
    return ok;
  if (k > CFZ_AUTO_DICT_MAX_LEN)
    k = CFZ_AUTO_DICT_MAX_LEN;
  memcpy(m->tok[m->ntok], p, k);
  m->tok_len[m->ntok++] = (uint8_t)k;
  return ok;
}

/* mutate_bytes.c: one mutation of bytes/string parameter pi. */
bool cfz_mutate_bytes(cfz_mutator *m, size_t pi);
/* An interesting value (boundaries, powers of two) of w bytes. */
uint64_t cfz_mutate_interesting(cfz_mutator *m, unsigned w);
/* mutate_i2s.c: input-to-state: an operand of a recorded integer compare
 * found in the input (plain or transformed) and replaced by the other. */
bool cfz_mutate_cmp_int(cfz_mutator *m, buf *b, size_t pi);
/* bits (w = 4 or 8 bytes) read as a plausible float/double into *x. */
bool cfz_mutate_as_float(uint64_t bits, unsigned w, double *x);
/* mutate_numbers.c: one mutation of integer / float parameter pi. */
bool cfz_mutate_int(cfz_mutator *m, size_t pi);
bool cfz_mutate_float(cfz_mutator *m, size_t pi);

#endif
