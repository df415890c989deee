/* mutate_i2s.c - input-to-state with transforms (see docs/feedback.md). */
#include "mutate_internal.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmp_trace.h"
#include "hex.h"

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

/* An offset match at p: when a window overlapping it (p+1 .. p+k-1) holds
 * ak exactly, that is the field (the offset match straddles its start);
 * returns its position and sets *d to 0, else returns p. */
static size_t exact_nearby(const buf *b, size_t p, size_t span, uint64_t ak,
                           unsigned k, bool big, int64_t *d) {
  for (size_t q = p + 1; q < p + k && q < span; q++)
    if (decode(b->d + q, k, big) == ak) {
      *d = 0;
      return q;
    }
  return p;
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
  /* An anchor byte that every match holds, found with memchr: any byte of
   * an exact match; with an offset, the byte above the lowest (a carry
   * cannot reach it while the lowest byte stays within maxd of its ends). */
  uint8_t enc[8];
  encode(enc, ak, k, big);
  unsigned ai = 0;
  bool anchored = maxd == 0 || (k >= 2 && (ak & 0xff) >= (uint64_t)maxd &&
                                (ak & 0xff) <= 255 - (uint64_t)maxd);
  if (maxd != 0)
    ai = big ? k - 2 : 1;
  size_t span = b->len - k + 1, found = SIZE_MAX;
  int64_t fd = 0;
  scan s = scan_plan(m, span);
  bool took = false;
  for (int pass = 0; pass < 2 && !took; pass++) {
    size_t p = pass == 0 ? s.start : 0, end = pass == 0 ? span : s.start;
    while (p < end) {
      if (anchored) {
        const uint8_t *q = memchr(b->d + p + ai, enc[ai], end - p);
        if (q == NULL)
          break;
        p = (size_t)(q - b->d) - ai;
      }
      uint64_t x = decode(b->d + p, k, big);
      int64_t d = (int64_t)sign_extend(x - ak, k);
      if (d != 0 && d >= -maxd && d <= maxd)
        p = exact_nearby(b, p, span, ak, k, big, &d);
      if (d >= -maxd && d <= maxd && (found = p, fd = d, scan_take(&s))) {
        took = true;
        break;
      }
      p++;
    }
  }
  if (found == SIZE_MAX)
    return false;
  encode(b->d + found, vk + (uint64_t)fd, k, big);
  return note_token(m, true, b->d + found, k);
}

/* The narrowest width below w (1, 2 or 4 bytes) that holds both a and v,
 * zero-extended (*sgn false) or sign-extended (true); w when none does. */
static unsigned narrowest(uint64_t a, uint64_t v, unsigned w, bool *sgn) {
  for (unsigned k = 1; k < w; k *= 2)
    for (int s = 0; s < 2; s++) {
      uint64_t x;
      if (fit_width(a, w, k, s, &x) && fit_width(v, w, k, s, &x)) {
        *sgn = s;
        return k;
      }
    }
  *sgn = false;
  return w;
}

static bool is_hex(uint8_t c) { return cfz_hex_digit(c) >= 0; }

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
    v = v * base + (unsigned)cfz_hex_digit(c);
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

/* A number of the input matched by a text form, and its replacement. */
typedef struct text_match {
  size_t s, e; /* the bytes replaced */
  uint8_t out[40];
  size_t k;
} text_match;

/* Whether run r (value x) is within max_offset(8) of a (read as w-byte
 * signed or unsigned); if so, *t gets v plus that offset in the run's
 * format. */
static bool text_matches(cfz_mutator *m, const run *r, uint64_t x, uint64_t a,
                         uint64_t v, unsigned w, unsigned base, text_match *t) {
  int64_t maxd = max_offset(8);
  for (int sgn = 0; sgn < 2; sgn++) {
    uint64_t av = sgn ? sign_extend(a, w) : a & width_mask(w);
    uint64_t vv = sgn ? sign_extend(v, w) : v & width_mask(w);
    int64_t d = (int64_t)(x - av);
    if (d != 0 && !offset_ok(av, 8))
      continue;
    if (d < -maxd || d > maxd || (r->neg && !sgn))
      continue;
    bool upper = r->upper || (!r->lower && coin(m));
    size_t digits = r->zero_padded ? r->e - r->s - (r->neg ? 1 : 0) : 1;
    t->s = r->s;
    t->e = r->e;
    t->k = format_text(t->out, vv + (uint64_t)d, base, base == 10 && sgn, upper,
                       digits);
    return true;
  }
  return false;
}

/* Text form of base 10 or 16: finds a number whose value is within
 * max_offset(8) of a (read as w-byte signed or unsigned), choosing among
 * matches as scan_plan says, and replaces it with v plus that offset, in
 * the same format. */
static bool i2s_text(cfz_mutator *m, buf *b, uint64_t a, uint64_t v, unsigned w,
                     unsigned base) {
  if (b->len == 0)
    return false;
  scan s = scan_plan(m, b->len);
  bool (*in_run)(uint8_t) = base == 10 ? is_digit : is_hex;
  text_match t, found;
  bool any = false, took = false;
  for (int pass = 0; pass < 2 && !took; pass++) {
    size_t i = pass == 0 ? s.start : 0, end = pass == 0 ? b->len : s.start;
    /* Step back to the beginning of the run that holds i. */
    while (pass == 0 && i > 0 && i < b->len && in_run(b->d[i - 1]))
      i--;
    while (i < end && !took) {
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
      if (parse_run(b, &r, base, &x) &&
          text_matches(m, &r, x, a, v, w, base, &t)) {
        found = t;
        any = true;
        took = scan_take(&s);
      }
    }
  }
  return any &&
         note_token(
             m, replace_at(b, found.s, found.e - found.s, found.out, found.k),
             found.out, found.k);
}

/* Floats (gcc reports float and double compares: their bit patterns come
 * as 4- and 8-byte integers).  A plausible float is finite and of moderate
 * magnitude; integers rarely look like one. */
bool cfz_mutate_as_float(uint64_t bits, unsigned w, double *x) {
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
  if (!cfz_mutate_as_float(v, w, &fv) ||
      (!cfz_mutate_as_float(a, w, &fa) && a != 0) || b->len == 0)
    return false;
  if (a == 0)
    fa = 0;
  scan s = scan_plan(m, b->len);
  size_t fs = SIZE_MAX, fl = 0;
  for (size_t t = 0, i = s.start; t < b->len;
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
    fs = i;
    fl = (size_t)(end - tmp);
    if (scan_take(&s))
      break;
  }
  if (fs == SIZE_MAX)
    return false;
  uint8_t out[40];
  size_t k = format_float(out, fv, w);
  return note_token(m, replace_at(b, fs, fl, out, k), out, k);
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
    if (cfz_mutate_as_float(v, w, &f)) {
      k = format_float(out, f, w);
      break;
    }
    /* fall through */
  default:
    encode(out, v, w, m->i2s_transforms && coin(m));
    break;
  }
  return note_token(m, put_operand(m, b, out, k), out, k);
}

/* Looks for an operand of a recorded integer compare in the input in one
 * of the forms above (drawn at random) and writes the other operand (or it
 * +-1) in its place; otherwise puts it somewhere. */
bool cfz_mutate_cmp_int(cfz_mutator *m, buf *b, size_t pi) {
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
  /* Two scans of the input per call: one binary form (native, swapped or
   * another width), then, when it is not there, one text form.  The native
   * form is searched in the narrowest width that holds both operands: its
   * bytes are the start of the w-byte form, and a byte or 16-bit field that
   * the target widened before comparing (buf[i] == 'A' is an int compare)
   * is in the input only in that width. */
  unsigned bin = (unsigned)rnd(m, 4), txt = (unsigned)rnd(m, 5);
  bool done = false;
  if (bin < 2) {
    bool sgn;
    unsigned k = narrowest(a, v, w, &sgn);
    done = i2s_binary(m, b, a, v, w, k, false, sgn, true);
  } else if (bin == 2) {
    done = i2s_binary(m, b, a, v, w, w, true, false, true);
  } else { /* another width, either order, either extension */
    static const unsigned ws[4] = {1, 2, 4, 8};
    unsigned k = ws[rnd(m, 4)];
    if (k != w)
      done = i2s_binary(m, b, a, v, w, k, coin(m), coin(m), true);
  }
  if (!done)
    done = txt < 2   ? i2s_text(m, b, a, v, w, 10)
           : txt < 4 ? i2s_text(m, b, a, v, w, 16)
                     : i2s_float_text(m, b, a, v, w);
  if (done)
    return true;
  return i2s_insert(m, b, v, w);
}
