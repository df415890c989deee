/* mutate_bytes.c - the byte/string strategies and their weights (see
 * docs/feedback.md); integer compares are in mutate_i2s.c. */
#include "mutate_internal.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmp_trace.h"

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

uint64_t cfz_mutate_interesting(cfz_mutator *m, unsigned w) {
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
  encode(b->d + off, cfz_mutate_interesting(m, w), w, coin(m));
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
  return note_token(m, put_random(m, b, y, yl), y, yl);
}

/* Inserts or overwrites with a token of the auto-dictionary. */
static bool m_auto_dict(cfz_mutator *m, buf *b, size_t pi) {
  (void)pi;
  size_t k;
  const uint8_t *t = cfz_auto_dict_pick(&m->rng, &k);
  return t != NULL && put_random(m, b, t, k);
}

static bool is_alpha(uint8_t c) {
  return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* A byte-string operand under a constant shift: the target added a constant
 * to every byte (a Caesar shift) or xored each with one before comparing.
 * Finds a window of the input that differs from x by the same non-zero
 * constant in every byte (k >= 3: shorter windows match by chance), chosen
 * as scan_plan says; *c gets the constant (input = x + c, or x ^ c). */
static size_t find_shifted(cfz_mutator *m, const uint8_t *d, size_t len,
                           const uint8_t *x, size_t k, bool use_xor,
                           uint8_t *c) {
  if (k < 3 || k > len)
    return SIZE_MAX;
  size_t span = len - k + 1, found = SIZE_MAX;
  scan s = scan_plan(m, span);
  for (size_t t = 0; t < span; t++) {
    size_t p = s.start + t < span ? s.start + t : s.start + t - span;
    uint8_t cp = use_xor ? d[p] ^ x[0] : (uint8_t)(d[p] - x[0]);
    size_t j = 1;
    while (j < k && (use_xor ? (d[p + j] ^ x[j]) == cp
                             : (uint8_t)(d[p + j] - x[j]) == cp))
      j++;
    if (cp != 0 && j == k && (found = p, *c = cp, scan_take(&s)))
      break;
  }
  return found;
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
  size_t pos = find_pat(m, b->d, b->len, x, xl, false);
  if (pos != SIZE_MAX && replace_at(b, pos, xl, y, yl))
    return note_token(m, true, y, yl);
  if (m->i2s_transforms &&
      (pos = find_pat(m, b->d, b->len, x, xl, true)) != SIZE_MAX) {
    bool upper = false;
    for (size_t i = 0; i < yl; i++) {
      if (i < xl && is_alpha(b->d[pos + i]))
        upper = b->d[pos + i] < 'a';
      if (is_alpha(y[i]))
        y[i] = upper ? (uint8_t)(fold(y[i]) - 0x20) : fold(y[i]);
    }
    if (replace_at(b, pos, xl, y, yl))
      return note_token(m, true, y, yl);
  }
  uint8_t c;
  bool use_xor = coin(m);
  if (m->i2s_transforms &&
      (pos = find_shifted(m, b->d, b->len, x, xl, use_xor, &c)) != SIZE_MAX) {
    for (size_t i = 0; i < yl; i++)
      y[i] = use_xor ? y[i] ^ c : (uint8_t)(y[i] + c);
    return note_token(m, replace_at(b, pos, xl, y, yl), y, yl);
  }
  return note_token(m, put_operand(m, b, y, yl), y, yl);
}

typedef bool (*byte_strategy)(cfz_mutator *m, buf *b, size_t pi);

enum {
  NEED_NONE,
  NEED_AUX,
  NEED_DICT,
  NEED_CMP_BYTES,
  NEED_CMP_INT,
  NEED_AUTO_DICT
};

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
    {m_shuffle, 5, NEED_NONE},
    {m_swap, 3, NEED_NONE},
    {m_ascii_int, 4, NEED_NONE},
    {m_binary_int, 8, NEED_NONE},
    {m_interesting, 6, NEED_NONE},
    {m_copy_part, 8, NEED_NONE},
    {m_insert_part, 8, NEED_NONE},
    {m_fill, 2, NEED_NONE},
    {m_splice, 14, NEED_AUX},
    {m_dict, 14, NEED_DICT},
    {m_cmp_bytes, 6, NEED_CMP_BYTES},
    {m_cmp_bytes_replace, 6, NEED_CMP_BYTES},
    {cfz_mutate_cmp_int, 10, NEED_CMP_INT},
    {m_auto_dict, 10, NEED_AUTO_DICT},
};
#define N_BYTE_STRATEGIES (sizeof byte_strategies / sizeof byte_strategies[0])

bool cfz_mutate_bytes(cfz_mutator *m, size_t pi) {
  cfz_value *v = &m->work[pi];
  buf b = {m->work_buf[pi], v->v.bytes.len, m->max_len};
  bool avail[N_BYTE_STRATEGIES];
  unsigned total = 0;
  bool have_aux = m->has_aux && m->aux[pi].v.bytes.len != 0;
  bool have_dict = m->dict != NULL && m->dict->n != 0;
  bool have_cb = cfz_cmp_bytes_entries() != 0;
  bool have_ci = cfz_cmp_int_entries() != 0;
  bool have_auto = cfz_auto_dict_size() != 0;
  for (size_t i = 0; i < N_BYTE_STRATEGIES; i++) {
    int nd = byte_strategies[i].needs;
    avail[i] =
        nd == NEED_NONE || (nd == NEED_AUX && have_aux) ||
        (nd == NEED_DICT && have_dict) || (nd == NEED_CMP_BYTES && have_cb) ||
        (nd == NEED_CMP_INT && have_ci) || (nd == NEED_AUTO_DICT && have_auto);
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
