/* mutator.c - type-aware mutation of a value list (see mutator.h and
 * docs/feedback.md for the strategies and their weights). */
#include "mutator.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmp_trace.h"

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
};

/* ---- small helpers ---- */

static uint64_t rnd(cfz_mutator *m, uint64_t n) {
  return n <= 1 ? 0 : cfz_rng_below(&m->rng, n);
}
static bool coin(cfz_mutator *m) { return (cfz_rng_next(&m->rng) >> 63) != 0; }
static size_t min_sz(size_t a, size_t b) { return a < b ? a : b; }

/* A length in [1, n] that is usually small (n >= 1). */
static size_t choose_len(cfz_mutator *m, size_t n) {
  uint64_t r = rnd(m, 100);
  if (r < 90)
    return 1 + (size_t)rnd(m, min_sz(8, n));
  if (r < 99)
    return 1 + (size_t)rnd(m, min_sz(32, n));
  return 1 + (size_t)rnd(m, n);
}

static bool is_bytes_type(cfz_type t) {
  return t == CFZ_BYTES || t == CFZ_STRING;
}

/* Width in bytes and signedness of an integer type; 0 if not an integer. */
static unsigned int_width(cfz_type t, bool *is_signed) {
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

static uint64_t width_mask(unsigned w) {
  return w >= 8 ? UINT64_MAX : ((uint64_t)1 << (8 * w)) - 1;
}

static uint64_t sign_extend(uint64_t v, unsigned w) {
  if (w >= 8)
    return v;
  uint64_t sign = (uint64_t)1 << (8 * w - 1);
  v &= width_mask(w);
  return (v ^ sign) - sign;
}

static void encode(uint8_t *out, uint64_t v, unsigned w, bool big) {
  for (unsigned i = 0; i < w; i++) {
    uint8_t b = (uint8_t)(v >> (8 * i));
    out[big ? w - 1 - i : i] = b;
  }
}

static uint64_t decode(const uint8_t *in, unsigned w, bool big) {
  uint64_t v = 0;
  for (unsigned i = 0; i < w; i++)
    v |= (uint64_t)in[big ? w - 1 - i : i] << (8 * i);
  return v;
}

/* Finds pat (k >= 1 bytes) in d[0..len), starting at a random offset and
 * wrapping around; returns the position or SIZE_MAX. */
static size_t find_from(cfz_mutator *m, const uint8_t *d, size_t len,
                        const uint8_t *pat, size_t k) {
  if (k == 0 || k > len)
    return SIZE_MAX;
  size_t span = len - k + 1, start = (size_t)rnd(m, span);
  for (size_t t = 0; t < span; t++) {
    size_t p = start + t;
    if (p >= span)
      p -= span;
    if (d[p] != pat[0])
      continue;
    size_t j = 1;
    while (j < k && d[p + j] == pat[j])
      j++;
    if (j == k)
      return p;
  }
  return SIZE_MAX;
}

/* ---- byte-buffer edits (cap = max_len) ---- */

typedef struct buf {
  uint8_t *d;
  size_t len, cap;
} buf;

/* Inserts k bytes of src at pos (src must not alias b->d). */
static bool insert_at(buf *b, size_t pos, const uint8_t *src, size_t k) {
  if (k == 0 || b->len + k > b->cap || pos > b->len)
    return false;
  memmove(b->d + pos + k, b->d + pos, b->len - pos);
  memcpy(b->d + pos, src, k);
  b->len += k;
  return true;
}

/* Writes k bytes of src at pos <= len, growing the buffer if needed. */
static bool overwrite_at(buf *b, size_t pos, const uint8_t *src, size_t k) {
  if (k == 0 || pos > b->len || pos + k > b->cap)
    return false;
  memmove(b->d + pos, src, k);
  if (pos + k > b->len)
    b->len = pos + k;
  return true;
}

/* Replaces d[pos, pos+old) with k bytes of src (src must not alias). */
static bool replace_at(buf *b, size_t pos, size_t old, const uint8_t *src,
                       size_t k) {
  if (pos + old > b->len || b->len - old + k > b->cap)
    return false;
  memmove(b->d + pos + k, b->d + pos + old, b->len - pos - old);
  memcpy(b->d + pos, src, k);
  b->len = b->len - old + k;
  return true;
}

/* Puts src at a random place: inserted or overwriting, at random. */
static bool put_random(cfz_mutator *m, buf *b, const uint8_t *src, size_t k) {
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

/* ---- byte strategies ---- */

static bool m_erase(cfz_mutator *m, buf *b, size_t pi) {
  (void)pi;
  if (b->len == 0)
    return false;
  size_t k = choose_len(m, b->len);
  if (k == b->len && b->len > 1 && !coin(m))
    k = b->len - 1; /* emptying the input is rarely useful */
  size_t pos = (size_t)rnd(m, b->len - k + 1);
  memmove(b->d + pos, b->d + pos + k, b->len - pos - k);
  b->len -= k;
  return true;
}

static bool m_insert_byte(cfz_mutator *m, buf *b, size_t pi) {
  (void)pi;
  uint8_t c = (uint8_t)cfz_rng_next(&m->rng);
  return insert_at(b, (size_t)rnd(m, b->len + 1), &c, 1);
}

static bool m_insert_repeated(cfz_mutator *m, buf *b, size_t pi) {
  (void)pi;
  size_t room = b->cap - b->len;
  if (room == 0)
    return false;
  size_t k = choose_len(m, min_sz(room, 4096));
  uint64_t r = rnd(m, 4);
  uint8_t c = r == 0 ? 0 : r == 1 ? 0xff : (uint8_t)cfz_rng_next(&m->rng);
  size_t pos = (size_t)rnd(m, b->len + 1);
  memmove(b->d + pos + k, b->d + pos, b->len - pos);
  memset(b->d + pos, c, k);
  b->len += k;
  return true;
}

static bool m_change_byte(cfz_mutator *m, buf *b, size_t pi) {
  (void)pi;
  if (b->len == 0)
    return false;
  b->d[rnd(m, b->len)] ^= (uint8_t)(1 + rnd(m, 255));
  return true;
}

static bool m_change_bit(cfz_mutator *m, buf *b, size_t pi) {
  (void)pi;
  if (b->len == 0)
    return false;
  b->d[rnd(m, b->len)] ^= (uint8_t)(1u << rnd(m, 8));
  return true;
}

static bool m_shuffle(cfz_mutator *m, buf *b, size_t pi) {
  (void)pi;
  if (b->len < 2)
    return false;
  size_t k = 1 + choose_len(m, min_sz(b->len, 16) - 1);
  size_t pos = (size_t)rnd(m, b->len - k + 1);
  uint8_t *p = b->d + pos;
  for (size_t i = k - 1; i > 0; i--) {
    size_t j = (size_t)rnd(m, i + 1);
    uint8_t t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return true;
}

static bool m_swap(cfz_mutator *m, buf *b, size_t pi) {
  (void)pi;
  if (b->len < 2)
    return false;
  size_t i = (size_t)rnd(m, b->len), j = (size_t)rnd(m, b->len);
  if (i == j || b->d[i] == b->d[j])
    return false;
  uint8_t t = b->d[i];
  b->d[i] = b->d[j];
  b->d[j] = t;
  return true;
}

static bool is_digit(uint8_t c) { return c >= '0' && c <= '9'; }

static size_t format_u64(uint8_t *out, uint64_t v) {
  uint8_t tmp[24];
  size_t n = 0;
  do {
    tmp[n++] = (uint8_t)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  for (size_t i = 0; i < n; i++)
    out[i] = tmp[n - 1 - i];
  return n;
}

/* Finds a decimal number in the data and changes its value. */
static bool m_ascii_int(cfz_mutator *m, buf *b, size_t pi) {
  (void)pi;
  if (b->len == 0)
    return false;
  size_t start = (size_t)rnd(m, b->len), i = SIZE_MAX;
  for (size_t t = 0; t < b->len; t++) {
    size_t p = (start + t) % b->len;
    if (is_digit(b->d[p])) {
      i = p;
      break;
    }
  }
  if (i == SIZE_MAX)
    return false;
  size_t s = i, e = i;
  while (s > 0 && is_digit(b->d[s - 1]))
    s--;
  while (e < b->len && is_digit(b->d[e]))
    e++;
  if (e - s > 19)
    e = s + 19;
  uint64_t v = 0;
  for (size_t p = s; p < e; p++)
    v = v * 10 + (uint64_t)(b->d[p] - '0');
  switch (rnd(m, 7)) {
  case 0:
    v++;
    break;
  case 1:
    v = v ? v - 1 : 1;
    break;
  case 2:
    v *= 2;
    break;
  case 3:
    v /= 2;
    break;
  case 4:
    v = rnd(m, (uint64_t)1 << (1 + rnd(m, 32)));
    break;
  case 5:
    v = v * 10 + rnd(m, 10);
    break;
  default:
    v = rnd(m, 2) ? 0 : (uint64_t)1 << rnd(m, 64);
    break;
  }
  uint8_t out[24];
  size_t k = format_u64(out, v);
  return replace_at(b, s, e - s, out, k);
}

static unsigned pick_width(cfz_mutator *m, size_t len) {
  static const unsigned ws[4] = {1, 2, 4, 8};
  unsigned maxi = len >= 8 ? 4 : len >= 4 ? 3 : len >= 2 ? 2 : 1;
  return ws[rnd(m, maxi)];
}

/* Adds or subtracts a small delta to an integer at a random offset (either
 * byte order); sometimes stores the input's length (length fields). */
static bool m_binary_int(cfz_mutator *m, buf *b, size_t pi) {
  (void)pi;
  if (b->len == 0)
    return false;
  unsigned w = pick_width(m, b->len);
  size_t off = (size_t)rnd(m, b->len - w + 1);
  bool big = coin(m);
  uint64_t v = decode(b->d + off, w, big);
  if (off < 64 && rnd(m, 4) == 0) {
    uint64_t r = rnd(m, 3);
    v = r == 0 ? b->len : r == 1 ? b->len - off - w : b->len - off;
  } else {
    uint64_t delta = 1 + rnd(m, 35);
    v = coin(m) ? v + delta : v - delta;
  }
  encode(b->d + off, v, w, big);
  return true;
}

static const int64_t interesting[] = {
    /* 8 bit */
    -128, -1, 0, 1, 16, 32, 64, 100, 127,
    /* 16 bit */
    -32768, -129, 128, 255, 256, 512, 1000, 1024, 4096, 32767, 65535,
    /* 32 bit */
    INT32_MIN, -100663046, -32769, 32768, 65536, 100663045, INT32_MAX,
    4294967295LL,
    /* 64 bit */
    INT64_MIN, INT64_MAX, 4294967296LL, 2147483648LL, -2147483649LL};
#define N_INTERESTING (sizeof interesting / sizeof interesting[0])

static uint64_t interesting_for(cfz_mutator *m, unsigned w) {
  /* 8-bit entries first, then 16, 32, 64: limit the table by width. */
  size_t lim = w == 1 ? 9 : w == 2 ? 20 : w == 4 ? 28 : N_INTERESTING;
  return (uint64_t)interesting[rnd(m, lim)];
}

static bool m_interesting(cfz_mutator *m, buf *b, size_t pi) {
  (void)pi;
  if (b->len == 0)
    return false;
  unsigned w = pick_width(m, b->len);
  size_t off = (size_t)rnd(m, b->len - w + 1);
  encode(b->d + off, interesting_for(m, w), w, coin(m));
  return true;
}

static bool m_copy_part(cfz_mutator *m, buf *b, size_t pi) {
  (void)pi;
  if (b->len < 2)
    return false;
  size_t k = choose_len(m, b->len - 1);
  size_t src = (size_t)rnd(m, b->len - k + 1);
  size_t dst = (size_t)rnd(m, b->len - k + 1);
  if (src == dst)
    return false;
  memmove(b->d + dst, b->d + src, k);
  return true;
}

static bool m_insert_part(cfz_mutator *m, buf *b, size_t pi) {
  (void)pi;
  if (b->len == 0 || b->len >= b->cap)
    return false;
  size_t k = choose_len(m, min_sz(b->len, b->cap - b->len));
  size_t src = (size_t)rnd(m, b->len - k + 1);
  memcpy(m->scratch, b->d + src, k);
  return insert_at(b, (size_t)rnd(m, b->len + 1), m->scratch, k);
}

static bool m_fill(cfz_mutator *m, buf *b, size_t pi) {
  (void)pi;
  if (b->len == 0)
    return false;
  size_t k = choose_len(m, b->len);
  size_t pos = (size_t)rnd(m, b->len - k + 1);
  memset(b->d + pos, coin(m) ? b->d[rnd(m, b->len)] : 0, k);
  return true;
}

/* Crossover with the aux input's value of the same parameter. */
static bool m_splice(cfz_mutator *m, buf *b, size_t pi) {
  const cfz_value *o = &m->aux[pi];
  const uint8_t *od = o->v.bytes.data;
  size_t ol = o->v.bytes.len;
  if (!m->has_aux || ol == 0)
    return false;
  switch (rnd(m, 3)) {
  case 0: { /* our prefix + their suffix */
    size_t i = (size_t)rnd(m, b->len + 1), j = (size_t)rnd(m, ol);
    size_t k = min_sz(ol - j, b->cap - i);
    memcpy(b->d + i, od + j, k);
    b->len = i + k;
    return true;
  }
  case 1: { /* insert a chunk of theirs */
    size_t k = choose_len(m, ol);
    size_t src = (size_t)rnd(m, ol - k + 1);
    return insert_at(b, (size_t)rnd(m, b->len + 1), od + src, k);
  }
  default: { /* overwrite with a chunk of theirs */
    size_t k = choose_len(m, ol);
    size_t src = (size_t)rnd(m, ol - k + 1);
    size_t pos = b->len >= k ? (size_t)rnd(m, b->len - k + 1) : 0;
    return overwrite_at(b, pos, od + src, min_sz(k, b->cap - pos));
  }
  }
}

static bool m_dict(cfz_mutator *m, buf *b, size_t pi) {
  (void)pi;
  if (m->dict == NULL || m->dict->n == 0)
    return false;
  const cfz_dict_entry *e = &m->dict->entries[rnd(m, m->dict->n)];
  return put_random(m, b, e->data, e->len);
}

/* Inserts or overwrites with one side of a recorded byte-string compare. */
static bool m_cmp_bytes(cfz_mutator *m, buf *b, size_t pi) {
  (void)pi;
  uint8_t x[CFZ_CMP_MAX_BYTES], y[CFZ_CMP_MAX_BYTES];
  size_t xl, yl;
  if (!cfz_cmp_pick_bytes(&m->rng, x, &xl, y, &yl))
    return false;
  return put_random(m, b, y, yl);
}

static uint8_t fold(uint8_t c) {
  return c >= 'A' && c <= 'Z' ? (uint8_t)(c | 0x20) : c;
}
static bool is_alpha(uint8_t c) {
  return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* Finds pat in d ignoring ASCII case (from a random start). */
static size_t find_nocase(cfz_mutator *m, const uint8_t *d, size_t len,
                          const uint8_t *pat, size_t k) {
  if (k == 0 || k > len)
    return SIZE_MAX;
  size_t span = len - k + 1, start = (size_t)rnd(m, span);
  for (size_t t = 0; t < span; t++) {
    size_t p = start + t < span ? start + t : start + t - span;
    size_t j = 0;
    while (j < k && fold(d[p + j]) == fold(pat[j]))
      j++;
    if (j == k)
      return p;
  }
  return SIZE_MAX;
}

/* Finds one operand of a recorded byte-string compare in the input and
 * replaces it with the other.  Transforms on: where it is not there as
 * is, it is looked for ignoring case (the target folded the input's case
 * before comparing), and the replacement takes the letter case of the
 * bytes it replaces. */
static bool m_cmp_bytes_replace(cfz_mutator *m, buf *b, size_t pi) {
  (void)pi;
  uint8_t x[CFZ_CMP_MAX_BYTES], y[CFZ_CMP_MAX_BYTES];
  size_t xl, yl;
  if (!cfz_cmp_pick_bytes(&m->rng, x, &xl, y, &yl))
    return false;
  size_t pos = find_from(m, b->d, b->len, x, xl);
  if (pos != SIZE_MAX && replace_at(b, pos, xl, y, yl))
    return true;
  if (m->i2s_transforms &&
      (pos = find_nocase(m, b->d, b->len, x, xl)) != SIZE_MAX) {
    bool upper = false;
    for (size_t i = 0; i < yl; i++) {
      if (i < xl && is_alpha(b->d[pos + i]))
        upper = b->d[pos + i] < 'a';
      if (is_alpha(y[i]))
        y[i] = upper ? (uint8_t)(fold(y[i]) - 0x20) : fold(y[i]);
    }
    if (replace_at(b, pos, xl, y, yl))
      return true;
  }
  return put_random(m, b, y, yl);
}

/* ---- input-to-state with transforms ----
 *
 * A recorded comparison (a, v, width w) says: the target compared a value a,
 * likely computed from the input, with v.  The input may hold a as it is, or
 * transformed: narrower or wider (sign or zero extended), byte-swapped, as
 * decimal or hex text, as a float's text, or off by a small constant (the
 * target added or subtracted one before comparing).  Each form is searched
 * in the input; where found, v is written back in the same form (same width,
 * byte order, text base, letter case, digit count, and the same offset).
 * With CFZ_I2S_TRANSFORMS=0 in the environment only the plain form runs:
 * a's w bytes in host (little-endian) order, replaced by v's. */

/* Largest offset searched for an operand of k bytes (1-byte values match
 * too often by chance to take offsets). */
static int64_t max_offset(unsigned k) { return k == 1 ? 0 : k == 2 ? 4 : 16; }

/* Offsets are taken only for values away from 0 and -1, where bytes of
 * zeros or ones would match by chance. */
static bool offset_ok(uint64_t x, unsigned k) {
  uint64_t mask = width_mask(k);
  x &= mask;
  return x >= 64 && mask - x >= 64;
}

/* x as a k-byte quantity, x having w bytes; sign or zero extended when
 * k > w, truncated when it fits (as a signed or unsigned value) if k < w. */
static bool fit_width(uint64_t x, unsigned w, unsigned k, bool sgn,
                      uint64_t *out) {
  uint64_t xw = x & width_mask(w);
  if (k >= w) {
    *out = (sgn ? sign_extend(xw, w) : xw) & width_mask(k);
    return true;
  }
  uint64_t xk = xw & width_mask(k);
  if (sgn ? (sign_extend(xk, k) & width_mask(w)) != xw : xk != xw)
    return false;
  *out = xk;
  return true;
}

/* Binary form: k bytes, byte order big, sign/zero extension sgn.  Finds a
 * k-byte value within max_offset(k) of a (from a random start) and writes
 * v plus the same offset there. */
static bool i2s_binary(cfz_mutator *m, buf *b, uint64_t a, uint64_t v,
                       unsigned w, unsigned k, bool big, bool sgn,
                       bool offsets) {
  uint64_t ak, vk;
  if (b->len < k || !fit_width(a, w, k, sgn, &ak) ||
      !fit_width(v, w, k, sgn, &vk))
    return false;
  int64_t maxd = offsets && offset_ok(ak, k) ? max_offset(k) : 0;
  size_t span = b->len - k + 1, start = (size_t)rnd(m, span);
  for (size_t t = 0; t < span; t++) {
    size_t p = start + t < span ? start + t : start + t - span;
    uint64_t x = decode(b->d + p, k, big);
    int64_t d = (int64_t)sign_extend(x - ak, k);
    if (d < -maxd || d > maxd)
      continue;
    encode(b->d + p, vk + (uint64_t)d, k, big);
    return true;
  }
  return false;
}

static bool is_hex(uint8_t c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
static unsigned hex_val(uint8_t c) {
  return is_digit(c) ? (unsigned)(c - '0') : (unsigned)((c | 0x20) - 'a' + 10);
}

/* Text forms.  A run is a maximal sequence of digits of the base (with a
 * '-' before it for decimals).  Returns the run's value in *x; false when
 * it has too many digits. */
typedef struct run {
  size_t s, e; /* [s, e), the '-' included */
  bool neg, upper, lower, zero_padded;
} run;

static bool parse_run(const buf *b, run *r, unsigned base, uint64_t *x) {
  size_t ds = r->s + (r->neg ? 1 : 0), n = r->e - ds;
  if (n == 0 || n > (base == 10 ? 19u : 16u))
    return false;
  uint64_t v = 0;
  r->upper = r->lower = false;
  for (size_t i = ds; i < r->e; i++) {
    uint8_t c = b->d[i];
    v = v * base + hex_val(c);
    r->upper |= c >= 'A' && c <= 'F';
    r->lower |= c >= 'a' && c <= 'f';
  }
  r->zero_padded = n > 1 && b->d[ds] == '0';
  *x = r->neg ? (uint64_t)0 - v : v;
  return true;
}

/* Writes v as text of the base into out: decimal signed when neg is
 * allowed, hex in the case given, zero padded to at least `digits`. */
static size_t format_text(uint8_t *out, uint64_t v, unsigned base, bool sgn,
                          bool upper, size_t digits) {
  uint8_t tmp[24];
  size_t n = 0, k = 0;
  bool neg = sgn && (int64_t)v < 0;
  uint64_t u = neg ? (uint64_t)0 - v : v;
  const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  do {
    tmp[n++] = (uint8_t)dig[u % base];
    u /= base;
  } while (u != 0);
  while (n < digits && n < sizeof tmp)
    tmp[n++] = '0';
  if (neg)
    out[k++] = '-';
  while (n > 0)
    out[k++] = tmp[--n];
  return k;
}

/* Text form of base 10 or 16: finds a number whose value is within
 * max_offset(8) of a (read as w-byte signed or unsigned) and replaces it
 * with v plus that offset, in the same format. */
static bool i2s_text(cfz_mutator *m, buf *b, uint64_t a, uint64_t v, unsigned w,
                     unsigned base) {
  if (b->len == 0)
    return false;
  size_t start = (size_t)rnd(m, b->len);
  int64_t maxd = max_offset(8);
  for (int pass = 0; pass < 2; pass++) {
    size_t i = pass == 0 ? start : 0, end = pass == 0 ? b->len : start;
    /* Step back to the beginning of the run that holds i. */
    while (pass == 0 && i > 0 && i < b->len &&
           (base == 10 ? is_digit(b->d[i - 1]) : is_hex(b->d[i - 1])))
      i--;
    while (i < end) {
      bool (*in_run)(uint8_t) = base == 10 ? is_digit : is_hex;
      if (!in_run(b->d[i])) {
        i++;
        continue;
      }
      run r = {i, i, false, false, false, false};
      while (r.e < b->len && in_run(b->d[r.e]))
        r.e++;
      i = r.e;
      if (base == 10 && r.s > 0 && b->d[r.s - 1] == '-') {
        r.s--;
        r.neg = true;
      }
      uint64_t x;
      if (!parse_run(b, &r, base, &x))
        continue;
      for (int sgn = 0; sgn < 2; sgn++) {
        uint64_t av = sgn ? sign_extend(a, w) : a & width_mask(w);
        uint64_t vv = sgn ? sign_extend(v, w) : v & width_mask(w);
        int64_t d = (int64_t)(x - av);
        if (d != 0 && !offset_ok(av, 8))
          continue;
        if (d < -maxd || d > maxd || (r.neg && !sgn))
          continue;
        uint8_t out[32];
        bool upper = r.upper || (!r.lower && coin(m));
        size_t digits = r.zero_padded ? r.e - r.s - (r.neg ? 1 : 0) : 1;
        size_t k = format_text(out, vv + (uint64_t)d, base, base == 10 && sgn,
                               upper, digits);
        return replace_at(b, r.s, r.e - r.s, out, k);
      }
    }
  }
  return false;
}

/* Floats (gcc reports float and double compares: their bit patterns come
 * as 4- and 8-byte integers).  A plausible float is finite and of moderate
 * magnitude; integers rarely look like one. */
static bool as_float(uint64_t bits, unsigned w, double *x) {
  if (w == 4) {
    uint32_t u = (uint32_t)bits;
    float f;
    memcpy(&f, &u, 4);
    *x = (double)f;
  } else if (w == 8) {
    memcpy(x, &bits, 8);
  } else {
    return false;
  }
  double ax = fabs(*x);
  return isfinite(*x) && (ax == 0 ? bits != 0 : ax >= 1e-6 && ax <= 1e15);
}

/* The shortest %g text that reads back as x (at the float's precision). */
static size_t format_float(uint8_t *out, double x, unsigned w) {
  char tmp[40];
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(tmp, sizeof tmp, "%.*g", prec, x);
    double y = strtod(tmp, NULL);
    if (w == 4 ? (float)y == (float)x : y == x)
      break;
  }
  size_t n = strlen(tmp);
  memcpy(out, tmp, n);
  return n;
}

static bool is_float_char(uint8_t c) {
  return is_digit(c) || c == '.' || c == '-' || c == '+' || c == 'e' ||
         c == 'E';
}

/* Float text: finds a number that reads as a (a float of w bytes) and
 * replaces it with v's shortest text. */
static bool i2s_float_text(cfz_mutator *m, buf *b, uint64_t a, uint64_t v,
                           unsigned w) {
  double fa, fv;
  /* v must look like a float; a may also be 0.0 (an empty field). */
  if (!as_float(v, w, &fv) || (!as_float(a, w, &fa) && a != 0) || b->len == 0)
    return false;
  if (a == 0)
    fa = 0;
  size_t start = (size_t)rnd(m, b->len);
  for (size_t t = 0, i = start; t < b->len;
       t++, i = i + 1 < b->len ? i + 1 : 0) {
    if (!is_float_char(b->d[i]) || (i > 0 && is_float_char(b->d[i - 1])))
      continue;
    size_t e = i;
    while (e < b->len && e - i < 39 && is_float_char(b->d[e]))
      e++;
    char tmp[40];
    memcpy(tmp, b->d + i, e - i);
    tmp[e - i] = 0;
    char *end;
    double x = strtod(tmp, &end);
    if (end == tmp || (w == 4 ? (float)x != (float)fa : x != fa))
      continue;
    uint8_t out[40];
    size_t k = format_float(out, fv, w);
    return replace_at(b, i, (size_t)(end - tmp), out, k);
  }
  return false;
}

/* Puts v somewhere: w bytes in either order, or (transforms on) as decimal
 * or hex text, or a float's text. */
static bool i2s_insert(cfz_mutator *m, buf *b, uint64_t v, unsigned w) {
  uint8_t out[40];
  size_t k = w;
  double f;
  switch (m->i2s_transforms ? rnd(m, 4) : 0) {
  case 1:
    k = format_text(out, v & width_mask(w), 10, false, false, 1);
    break;
  case 2:
    k = format_text(out, v & width_mask(w), 16, false, coin(m), 1);
    break;
  case 3:
    if (as_float(v, w, &f)) {
      k = format_float(out, f, w);
      break;
    }
    /* fall through */
  default:
    encode(out, v, w, m->i2s_transforms && coin(m));
    break;
  }
  return put_random(m, b, out, k);
}

enum {
  FORM_NATIVE,
  FORM_SWAPPED,
  FORM_WIDTH,
  FORM_DEC,
  FORM_HEX,
  FORM_FLOAT,
  N_FORMS
};

/* Finds an operand of a recorded integer compare in the input in one of
 * the forms above and writes the other operand (or it +-1) in its place;
 * otherwise puts it somewhere. */
static bool m_cmp_int(cfz_mutator *m, buf *b, size_t pi) {
  (void)pi;
  uint64_t a, v;
  unsigned w;
  if (!cfz_cmp_pick_int(&m->rng, &a, &v, &w))
    return false;
  uint64_t r = rnd(m, 10);
  if (r == 0)
    v++;
  else if (r == 1)
    v--;
  if (!m->i2s_transforms) {
    if ((w > 1 || rnd(m, 4) == 0) &&
        i2s_binary(m, b, a, v, w, w, false, false, false))
      return true;
    return i2s_insert(m, b, v, w);
  }
  unsigned first = (unsigned)rnd(m, N_FORMS);
  for (unsigned t = 0; t < N_FORMS; t++) {
    unsigned f = (first + t) % N_FORMS;
    bool done = false;
    switch (f) {
    case FORM_NATIVE:
    case FORM_SWAPPED:
      if (w > 1 || rnd(m, 4) == 0)
        done = i2s_binary(m, b, a, v, w, w, f == FORM_SWAPPED, false, true);
      break;
    case FORM_WIDTH: { /* another width, either order, either extension */
      static const unsigned ws[4] = {1, 2, 4, 8};
      unsigned k = ws[rnd(m, 4)];
      if (k != w && (k > 1 || rnd(m, 4) == 0))
        done = i2s_binary(m, b, a, v, w, k, coin(m), coin(m), true);
      break;
    }
    case FORM_DEC:
      done = i2s_text(m, b, a, v, w, 10);
      break;
    case FORM_HEX:
      done = i2s_text(m, b, a, v, w, 16);
      break;
    default:
      done = i2s_float_text(m, b, a, v, w);
      break;
    }
    if (done)
      return true;
  }
  return i2s_insert(m, b, v, w);
}

typedef bool (*byte_strategy)(cfz_mutator *m, buf *b, size_t pi);

enum { NEED_NONE, NEED_AUX, NEED_DICT, NEED_CMP_BYTES, NEED_CMP_INT };

static const struct {
  byte_strategy fn;
  unsigned weight;
  int needs;
} byte_strategies[] = {
    {m_erase, 10, NEED_NONE},
    {m_insert_byte, 6, NEED_NONE},
    {m_insert_repeated, 4, NEED_NONE},
    {m_change_byte, 8, NEED_NONE},
    {m_change_bit, 8, NEED_NONE},
    {m_shuffle, 3, NEED_NONE},
    {m_swap, 3, NEED_NONE},
    {m_ascii_int, 4, NEED_NONE},
    {m_binary_int, 8, NEED_NONE},
    {m_interesting, 6, NEED_NONE},
    {m_copy_part, 5, NEED_NONE},
    {m_insert_part, 5, NEED_NONE},
    {m_fill, 2, NEED_NONE},
    {m_splice, 8, NEED_AUX},
    {m_dict, 14, NEED_DICT},
    {m_cmp_bytes, 10, NEED_CMP_BYTES},
    {m_cmp_bytes_replace, 8, NEED_CMP_BYTES},
    {m_cmp_int, 16, NEED_CMP_INT},
};
#define N_BYTE_STRATEGIES (sizeof byte_strategies / sizeof byte_strategies[0])

static bool mutate_bytes(cfz_mutator *m, size_t pi) {
  cfz_value *v = &m->work[pi];
  buf b = {m->work_buf[pi], v->v.bytes.len, m->max_len};
  bool avail[N_BYTE_STRATEGIES];
  unsigned total = 0;
  bool have_aux = m->has_aux && m->aux[pi].v.bytes.len != 0;
  bool have_dict = m->dict != NULL && m->dict->n != 0;
  bool have_cb = cfz_cmp_bytes_entries() != 0;
  bool have_ci = cfz_cmp_int_entries() != 0;
  for (size_t i = 0; i < N_BYTE_STRATEGIES; i++) {
    int nd = byte_strategies[i].needs;
    avail[i] = nd == NEED_NONE || (nd == NEED_AUX && have_aux) ||
               (nd == NEED_DICT && have_dict) ||
               (nd == NEED_CMP_BYTES && have_cb) ||
               (nd == NEED_CMP_INT && have_ci);
    if (avail[i])
      total += byte_strategies[i].weight;
  }
  bool done = false;
  for (int t = 0; t < STRATEGY_TRIES && !done; t++) {
    uint64_t r = rnd(m, total);
    size_t i = 0;
    for (; i < N_BYTE_STRATEGIES; i++) {
      if (!avail[i])
        continue;
      if (r < byte_strategies[i].weight)
        break;
      r -= byte_strategies[i].weight;
    }
    done = byte_strategies[i].fn(m, &b, pi);
  }
  v->v.bytes.len = b.len;
  m->work_buf[pi][b.len] = 0; /* strings stay NUL-terminated */
  return done;
}

/* ---- integers, floats, bools ---- */

static bool mutate_int(cfz_mutator *m, size_t pi) {
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
      uint64_t bits = 8u * w;
      uint64_t smin = (uint64_t)1 << (bits - 1);
      switch (rnd(m, 8)) {
      case 0:
        u = 0;
        break;
      case 1:
        u = 1;
        break;
      case 2:
        u = mask; /* -1 / max unsigned */
        break;
      case 3:
        u = sgn ? smin : 0;
        break;
      case 4:
        u = sgn ? smin - 1 : mask - 1;
        break;
      case 5:
        u = (uint64_t)1 << rnd(m, bits);
        break;
      case 6:
        u = ((uint64_t)1 << rnd(m, bits)) - 1;
        break;
      default:
        u = interesting_for(m, w);
        break;
      }
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
      if (m->i2s_transforms && as_float(b, w, &f) && coin(m))
        return f;
      return (double)(int64_t)sign_extend(b, w);
    }
    return x * -2.0;
  }
  }
}

static bool mutate_float(cfz_mutator *m, size_t pi) {
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

/* ---- the mutator ---- */

static bool mutate_param(cfz_mutator *m, size_t pi) {
  cfz_type t = m->types[pi];
  /* Multi-parameter targets: sometimes take the partner's value whole. */
  if (m->has_aux && m->n > 1 && rnd(m, 20) == 0) {
    const cfz_value *o = &m->aux[pi];
    if (is_bytes_type(t)) {
      memcpy(m->work_buf[pi], o->v.bytes.data, o->v.bytes.len + 1);
      m->work[pi].v.bytes.len = o->v.bytes.len;
    } else {
      m->work[pi] = *o;
    }
    return true;
  }
  if (is_bytes_type(t))
    return mutate_bytes(m, pi);
  if (t == CFZ_BOOL) {
    m->work[pi].v.b = !m->work[pi].v.b;
    return true;
  }
  if (t == CFZ_FLOAT32 || t == CFZ_FLOAT64)
    return mutate_float(m, pi);
  return mutate_int(m, pi);
}

static void copy_value(cfz_value *dst, uint8_t *dbuf, const cfz_value *src,
                       size_t max_len) {
  *dst = *src;
  if (is_bytes_type(src->type)) {
    size_t len = min_sz(src->v.bytes.len, max_len);
    if (len != 0)
      memcpy(dbuf, src->v.bytes.data, len);
    dbuf[len] = 0;
    dst->v.bytes.data = dbuf;
    dst->v.bytes.len = len;
  }
}

static void reset_work(cfz_mutator *m) {
  for (size_t i = 0; i < m->n; i++)
    copy_value(&m->work[i], m->work_buf[i], &m->base[i], m->max_len);
}

static void zero_value(cfz_value *v, cfz_type t, uint8_t *buf) {
  memset(v, 0, sizeof *v);
  v->type = t;
  if (is_bytes_type(t)) {
    buf[0] = 0;
    v->v.bytes.data = buf;
  }
}

cfz_mutator *cfz_mutator_new(const cfz_type *types, size_t n, size_t max_len,
                             const cfz_dict *dict) {
  cfz_mutator *m = calloc(1, sizeof *m);
  if (m == NULL)
    return NULL;
  m->n = n;
  m->max_len = max_len;
  m->dict = dict;
  size_t k = n ? n : 1;
  m->types = calloc(k, sizeof *m->types);
  m->base = calloc(k, sizeof *m->base);
  m->work = calloc(k, sizeof *m->work);
  m->aux = calloc(k, sizeof *m->aux);
  m->base_buf = calloc(k, sizeof *m->base_buf);
  m->work_buf = calloc(k, sizeof *m->work_buf);
  m->aux_buf = calloc(k, sizeof *m->aux_buf);
  m->scratch = malloc(max_len + 1);
  if (!m->types || !m->base || !m->work || !m->aux || !m->base_buf ||
      !m->work_buf || !m->aux_buf || !m->scratch) {
    cfz_mutator_free(m);
    return NULL;
  }
  for (size_t i = 0; i < n; i++) {
    m->types[i] = types[i];
    if (is_bytes_type(types[i])) {
      m->base_buf[i] = malloc(max_len + 1);
      m->work_buf[i] = malloc(max_len + 1);
      m->aux_buf[i] = malloc(max_len + 1);
      if (!m->base_buf[i] || !m->work_buf[i] || !m->aux_buf[i]) {
        cfz_mutator_free(m);
        return NULL;
      }
    }
    zero_value(&m->base[i], types[i], m->base_buf[i]);
    zero_value(&m->aux[i], types[i], m->aux_buf[i]);
  }
  const char *env = getenv("CFZ_I2S_TRANSFORMS");
  m->i2s_transforms = env == NULL || strcmp(env, "0") != 0;
  cfz_rng_seed(&m->rng, 0);
  reset_work(m);
  return m;
}

void cfz_mutator_free(cfz_mutator *m) {
  if (m == NULL)
    return;
  for (size_t i = 0; i < m->n; i++) {
    if (m->base_buf)
      free(m->base_buf[i]);
    if (m->work_buf)
      free(m->work_buf[i]);
    if (m->aux_buf)
      free(m->aux_buf[i]);
  }
  free(m->types);
  free(m->base);
  free(m->work);
  free(m->aux);
  free(m->base_buf);
  free(m->work_buf);
  free(m->aux_buf);
  free(m->scratch);
  free(m);
}

void cfz_mutator_seed(cfz_mutator *m, uint64_t seed) {
  cfz_rng_seed(&m->rng, seed);
  m->chain_pos = m->chain_len = 0;
}

static bool types_match(const cfz_mutator *m, const cfz_value *v) {
  for (size_t i = 0; i < m->n; i++)
    if (v[i].type != m->types[i])
      return false;
  return true;
}

int cfz_mutator_set_base(cfz_mutator *m, const cfz_value *base) {
  if (!types_match(m, base))
    return -1;
  for (size_t i = 0; i < m->n; i++)
    copy_value(&m->base[i], m->base_buf[i], &base[i], m->max_len);
  m->chain_pos = m->chain_len = 0;
  reset_work(m);
  return 0;
}

void cfz_mutator_set_splice(cfz_mutator *m, const cfz_value *other) {
  if (other == NULL || !types_match(m, other)) {
    m->has_aux = false;
    return;
  }
  for (size_t i = 0; i < m->n; i++)
    copy_value(&m->aux[i], m->aux_buf[i], &other[i], m->max_len);
  m->has_aux = true;
}

const cfz_value *cfz_mutator_next(cfz_mutator *m) {
  if (m->chain_pos >= m->chain_len) {
    reset_work(m);
    m->chain_len = 1 + (unsigned)rnd(m, MAX_CHAIN);
    m->chain_pos = 0;
  }
  m->chain_pos++;
  if (m->n == 0)
    return m->work;
  size_t first = (size_t)rnd(m, m->n);
  for (size_t t = 0; t < 2 * m->n; t++) {
    size_t pi = t == 0 ? first : (size_t)rnd(m, m->n);
    if (mutate_param(m, pi))
      break;
  }
  return m->work;
}
