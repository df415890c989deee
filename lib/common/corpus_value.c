/* corpus_value.c - one TYPE(literal) value of the corpus format (see
 * corpus_parse.h). */
#include "corpus_parse.h"
#include "corpus_text.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Integer argument: [sign] literal, or a character literal when chars. */
static int parse_int_arg(cfz_cursor *c, cfz_type t, const char *tname,
                         bool chars, cfz_value *out) {
  bool neg = false;
  uint64_t mag;
  if (chars && cfz_cur_peek(c) == '\'') {
    uint32_t r;
    if (cfz_cur_char(c, &r) != 0)
      return -1;
    mag = r;
  } else {
    if (cfz_cur_peek(c) == '-' || cfz_cur_peek(c) == '+') {
      neg = cfz_cur_peek(c) == '-';
      c->i++;
      cfz_cur_skip_space(c);
    }
    int rc = cfz_cur_uint(c, &mag);
    if (rc == -2)
      return cfz_cur_bad(c, "out of range for %s", tname);
    if (rc != 0)
      return -1;
  }
  out->type = t;
  bool is_signed =
      t == CFZ_INT8 || t == CFZ_INT16 || t == CFZ_INT32 || t == CFZ_INT64;
  if (is_signed) {
    int bits = t == CFZ_INT8    ? 8
               : t == CFZ_INT16 ? 16
               : t == CFZ_INT32 ? 32
                                : 64;
    uint64_t limit = (uint64_t)1 << (bits - 1); /* |min| */
    if (neg ? mag > limit : mag > limit - 1)
      return cfz_cur_bad(c, "out of range for %s", tname);
    out->v.i = neg ? (int64_t)(0 - mag) : (int64_t)mag;
    if (neg && mag == ((uint64_t)1 << 63))
      out->v.i = INT64_MIN;
  } else {
    uint64_t max = t == CFZ_UINT8    ? UINT8_MAX
                   : t == CFZ_UINT16 ? UINT16_MAX
                   : t == CFZ_UINT32 ? UINT32_MAX
                                     : UINT64_MAX;
    if ((neg && mag != 0) || mag > max)
      return cfz_cur_bad(c, "out of range for %s", tname);
    out->v.u = mag;
  }
  return 0;
}

/* Stores bits (the low 32 for float32) as out's float. */
static void set_float_bits(cfz_value *out, bool f32, uint64_t bits) {
  if (f32) {
    uint32_t b32 = (uint32_t)bits;
    memcpy(&out->v.f32, &b32, 4);
  } else {
    memcpy(&out->v.f64, &bits, 8);
  }
}

/* The "(0x...)" after math.FloatNNfrombits. */
static int parse_frombits(cfz_cursor *c, bool f32, cfz_value *out) {
  cfz_cur_skip_space(c);
  if (cfz_cur_peek(c) != '(')
    return cfz_cur_bad(c, "missing '(' after math.Float%sfrombits",
                       f32 ? "32" : "64");
  c->i++;
  cfz_cur_skip_space(c);
  uint64_t bits;
  int rc = cfz_cur_uint(c, &bits);
  if (rc == -1)
    return -1;
  if (rc == -2 || (f32 && bits > UINT32_MAX))
    return cfz_cur_bad(c, "bit pattern out of range for %s",
                       f32 ? "float32" : "float64");
  cfz_cur_skip_space(c);
  if (cfz_cur_peek(c) != ')' || cfz_cur_at_end(c))
    return cfz_cur_bad(c, "missing ')'");
  c->i++;
  set_float_bits(out, f32, bits);
  return 0;
}

/* Copies the number token at the cursor (word characters, and a sign right
 * after an exponent) into tok without its underscores, '-' first when neg.
 * Returns 0, or -1 when it is no float literal. */
static int float_token(cfz_cursor *c, bool neg, char *tok, size_t toklen) {
  size_t nstart = c->i;
  while (!cfz_cur_at_end(c)) {
    char ch = cfz_cur_peek(c);
    if (cfz_cur_is_word(ch)) {
      c->i++;
    } else if ((ch == '+' || ch == '-') && c->i > nstart &&
               strchr("eEpP", c->s[c->i - 1])) {
      c->i++;
    } else {
      break;
    }
  }
  size_t tn = c->i - nstart, k = 0;
  if (tn == 0 || tn >= toklen - 2)
    return cfz_cur_bad(c, "want a float literal");
  if (neg)
    tok[k++] = '-';
  for (size_t j = 0; j < tn; j++) {
    char ch = c->s[nstart + j];
    if (ch == '_')
      continue;
    if (strchr("iInN", ch)) /* keep strtod away from "inf" / "nan" */
      return cfz_cur_bad(c, "want a float literal");
    tok[k++] = ch;
  }
  tok[k] = '\0';
  if (!((tok[neg] >= '0' && tok[neg] <= '9') || tok[neg] == '.'))
    return cfz_cur_bad(c, "want a float literal");
  return 0;
}

/* A decimal or hexadecimal float number; the text from start on names it
 * in errors. */
static int parse_float_number(cfz_cursor *c, bool f32, bool neg, size_t start,
                              cfz_value *out) {
  char tok[128];
  if (float_token(c, neg, tok, sizeof tok) != 0)
    return -1;
  char *end;
  errno = 0;
  double d = f32 ? (double)strtof(tok, &end) : strtod(tok, &end);
  if (*end != '\0' || end == tok)
    return cfz_cur_bad(c, "invalid float literal \"%.*s\"", (int)(c->i - start),
                       c->s + start);
  if (errno == ERANGE && isinf(d))
    return cfz_cur_bad(c, "out of range for %s", f32 ? "float32" : "float64");
  if (f32)
    out->v.f32 = (float)d;
  else
    out->v.f64 = d;
  return 0;
}

/* Float argument: [sign] number | [+-]Inf | NaN | math.FloatNNfrombits(x). */
static int parse_float_arg(cfz_cursor *c, cfz_type t, bool go, cfz_value *out) {
  bool f32 = t == CFZ_FLOAT32;
  out->type = t;
  if (cfz_cur_match_word(c,
                         f32 ? "math.Float32frombits" : "math.Float64frombits"))
    return parse_frombits(c, f32, out);
  if (cfz_cur_match_word(c, "NaN")) {
    set_float_bits(out, f32,
                   f32  ? CFZ_NAN32_BITS
                   : go ? CFZ_GO_NAN64_BITS
                        : CFZ_NAN64_BITS);
    return 0;
  }
  size_t start = c->i;
  bool neg = false;
  if (cfz_cur_peek(c) == '-' || cfz_cur_peek(c) == '+') {
    neg = cfz_cur_peek(c) == '-';
    c->i++;
    cfz_cur_skip_space(c);
  }
  if (cfz_cur_match_word(c, "Inf")) {
    if (f32)
      out->v.f32 = neg ? -INFINITY : INFINITY;
    else
      out->v.f64 = neg ? -(double)INFINITY : (double)INFINITY;
    return 0;
  }
  return parse_float_number(c, f32, neg, start, out);
}

/* The type names of a value line; chars: accepts character literals. */
static const struct {
  const char *name;
  cfz_type type;
  bool chars;
} types[] = {
    {"[]byte", CFZ_BYTES, false},    {"string", CFZ_STRING, false},
    {"bool", CFZ_BOOL, false},       {"int8", CFZ_INT8, false},
    {"int16", CFZ_INT16, false},     {"int32", CFZ_INT32, true},
    {"rune", CFZ_INT32, true},       {"int64", CFZ_INT64, false},
    {"int", CFZ_INT64, false},       {"uint8", CFZ_UINT8, true},
    {"byte", CFZ_UINT8, true},       {"uint16", CFZ_UINT16, false},
    {"uint32", CFZ_UINT32, false},   {"uint64", CFZ_UINT64, false},
    {"uint", CFZ_UINT64, false},     {"float32", CFZ_FLOAT32, false},
    {"float64", CFZ_FLOAT64, false},
};

/* Parses the type name and the '(' after it: *ti indexes types, tname
 * (tnamelen bytes) holds the name. */
static int parse_type(cfz_cursor *c, char *tname, size_t tnamelen, size_t *ti) {
  size_t start = c->i;
  if (c->n - c->i >= 6 && memcmp(c->s + c->i, "[]byte", 6) == 0) {
    c->i += 6;
  } else {
    while (!cfz_cur_at_end(c) && cfz_cur_is_word(cfz_cur_peek(c)) &&
           cfz_cur_peek(c) != '.')
      c->i++;
  }
  size_t tl = c->i - start;
  if (tl == 0)
    return cfz_cur_bad(c, "want a type name");
  if (tl >= tnamelen)
    return cfz_cur_bad(c, "unknown type \"%.*s\"", (int)tl, c->s + start);
  memcpy(tname, c->s + start, tl);
  tname[tl] = '\0';
  size_t k = 0, nt = sizeof types / sizeof types[0];
  while (k < nt && strcmp(types[k].name, tname) != 0)
    k++;
  if (k == nt)
    return cfz_cur_bad(c, "unknown type \"%s\"", tname);
  cfz_cur_skip_space(c);
  if (cfz_cur_peek(c) != '(' || cfz_cur_at_end(c))
    return cfz_cur_bad(c, "missing '(' after %s", tname);
  c->i++;
  cfz_cur_skip_space(c);
  *ti = k;
  return 0;
}

/* The literal inside TYPE(...), for types[ti]. */
static int parse_arg(cfz_cursor *c, size_t ti, const char *tname, bool go,
                     cfz_value *out) {
  cfz_type t = types[ti].type;
  switch (t) {
  case CFZ_BYTES:
  case CFZ_STRING: {
    uint8_t *p = NULL;
    size_t len = 0;
    int rc = cfz_cur_string(c, &p, &len);
    if (rc == 0) {
      out->type = t;
      out->v.bytes.data = p;
      out->v.bytes.len = len;
    }
    return rc;
  }
  case CFZ_BOOL:
    out->type = t;
    if (cfz_cur_match_word(c, "true"))
      return out->v.b = true, 0;
    if (cfz_cur_match_word(c, "false"))
      return out->v.b = false, 0;
    return cfz_cur_bad(c, "want true or false");
  case CFZ_FLOAT32:
  case CFZ_FLOAT64:
    return parse_float_arg(c, t, go, out);
  default:
    return parse_int_arg(c, t, tname, types[ti].chars, out);
  }
}

/* The ')' that closes the value, and nothing after it. */
static int parse_close(cfz_cursor *c) {
  cfz_cur_skip_space(c);
  if (cfz_cur_at_end(c) || cfz_cur_peek(c) != ')')
    return cfz_cur_bad(c, cfz_cur_at_end(c)
                              ? "missing ')'"
                              : "unexpected text after the value");
  c->i++;
  cfz_cur_skip_space(c);
  if (!cfz_cur_at_end(c))
    return cfz_cur_bad(c, "unexpected text after ')'");
  return 0;
}

int cfz_corpus_parse_value(cfz_cursor *c, bool go, cfz_value *out) {
  memset(out, 0, sizeof *out);
  char tname[24];
  size_t ti = 0;
  if (parse_type(c, tname, sizeof tname, &ti) != 0)
    return -1;
  if (parse_arg(c, ti, tname, go, out) == 0 && parse_close(c) == 0)
    return 0;
  if (out->type == CFZ_BYTES || out->type == CFZ_STRING)
    free((void *)out->v.bytes.data);
  memset(out, 0, sizeof *out);
  return -1;
}
