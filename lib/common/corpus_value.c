/* corpus_value.c - one TYPE(literal) value of the corpus format (see
 * corpus_parse.h). */
#include "corpus_format.h"
#include "corpus_parse.h"

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

/* Float argument: [sign] number | [+-]Inf | NaN | math.FloatNNfrombits(x). */
static int parse_float_arg(cfz_cursor *c, cfz_type t, bool go, cfz_value *out) {
  bool f32 = t == CFZ_FLOAT32;
  out->type = t;
  if (cfz_cur_match_word(c, f32 ? "math.Float32frombits"
                                : "math.Float64frombits")) {
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
    if (f32) {
      uint32_t b32 = (uint32_t)bits;
      memcpy(&out->v.f32, &b32, 4);
    } else {
      memcpy(&out->v.f64, &bits, 8);
    }
    return 0;
  }
  if (cfz_cur_match_word(c, "NaN")) {
    if (f32) {
      uint32_t b32 = CFZ_NAN32_BITS;
      memcpy(&out->v.f32, &b32, 4);
    } else {
      uint64_t b64 = go ? CFZ_GO_NAN64_BITS : CFZ_NAN64_BITS;
      memcpy(&out->v.f64, &b64, 8);
    }
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
  /* A number token: word characters, and a sign right after an exponent. */
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
  size_t tn = c->i - nstart;
  char tok[128];
  size_t k = 0;
  if (tn == 0 || tn >= sizeof tok - 2)
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
  char *end;
  errno = 0;
  if (f32) {
    float f = strtof(tok, &end);
    if (*end != '\0' || end == tok)
      return cfz_cur_bad(c, "invalid float literal \"%.*s\"",
                         (int)(c->i - start), c->s + start);
    if (errno == ERANGE && isinf(f))
      return cfz_cur_bad(c, "out of range for float32");
    out->v.f32 = f;
  } else {
    double d = strtod(tok, &end);
    if (*end != '\0' || end == tok)
      return cfz_cur_bad(c, "invalid float literal \"%.*s\"",
                         (int)(c->i - start), c->s + start);
    if (errno == ERANGE && isinf(d))
      return cfz_cur_bad(c, "out of range for float64");
    out->v.f64 = d;
  }
  return 0;
}

/* Parses one value line into *out (owning any buffer). */
int cfz_corpus_parse_value(cfz_cursor *c, bool go, cfz_value *out) {
  memset(out, 0, sizeof *out);
  char tname[24];
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
  if (tl >= sizeof tname)
    return cfz_cur_bad(c, "unknown type \"%.*s\"", (int)tl, c->s + start);
  memcpy(tname, c->s + start, tl);
  tname[tl] = '\0';

  static const struct {
    const char *name;
    cfz_type type;
    bool chars; /* accepts character literals */
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
  size_t ti = 0, nt = sizeof types / sizeof types[0];
  while (ti < nt && strcmp(types[ti].name, tname) != 0)
    ti++;
  if (ti == nt)
    return cfz_cur_bad(c, "unknown type \"%s\"", tname);
  cfz_type t = types[ti].type;

  cfz_cur_skip_space(c);
  if (cfz_cur_peek(c) != '(' || cfz_cur_at_end(c))
    return cfz_cur_bad(c, "missing '(' after %s", tname);
  c->i++;
  cfz_cur_skip_space(c);

  int rc;
  switch (t) {
  case CFZ_BYTES:
  case CFZ_STRING: {
    uint8_t *p = NULL;
    size_t len = 0;
    rc = cfz_cur_string(c, &p, &len);
    if (rc == 0) {
      out->type = t;
      out->v.bytes.data = p;
      out->v.bytes.len = len;
    }
    break;
  }
  case CFZ_BOOL:
    out->type = t;
    if (cfz_cur_match_word(c, "true"))
      out->v.b = true, rc = 0;
    else if (cfz_cur_match_word(c, "false"))
      out->v.b = false, rc = 0;
    else
      rc = cfz_cur_bad(c, "want true or false");
    break;
  case CFZ_FLOAT32:
  case CFZ_FLOAT64:
    rc = parse_float_arg(c, t, go, out);
    break;
  default:
    rc = parse_int_arg(c, t, tname, types[ti].chars, out);
    break;
  }
  if (rc != 0)
    goto fail;
  cfz_cur_skip_space(c);
  if (cfz_cur_at_end(c) || cfz_cur_peek(c) != ')') {
    rc = cfz_cur_bad(c, cfz_cur_at_end(c) ? "missing ')'"
                                          : "unexpected text after the value");
    goto fail;
  }
  c->i++;
  cfz_cur_skip_space(c);
  if (!cfz_cur_at_end(c)) {
    rc = cfz_cur_bad(c, "unexpected text after ')'");
    goto fail;
  }
  return 0;
fail:
  if (out->type == CFZ_BYTES || out->type == CFZ_STRING)
    free((void *)out->v.bytes.data);
  memset(out, 0, sizeof *out);
  return -1;
}
