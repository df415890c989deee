/* corpus_format.c - the text corpus format (see corpus_format.h and
 * docs/corpus-format.md).
 *
 * Writer: one Go conversion expression per value, floats in the shortest
 * text that round-trips, bytes quoted with \xNN for anything not printable
 * ASCII.  Reader: the same plus the rest of what Go's "go test fuzz v1"
 * reader accepts (byte/rune/int/uint, char literals, raw strings, any base).
 */
#include "corpus_format.h"
#include "file_read.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define GO_HEADER "go test fuzz v1"

/* Bits of the canonical quiet NaNs.  Go's math.NaN() is 0x7ff8000000000001,
 * so "NaN" in a Go file means those bits. */
#define NAN64_BITS 0x7ff8000000000000ull
#define GO_NAN64_BITS 0x7ff8000000000001ull
#define NAN32_BITS 0x7fc00000u

/* ---------------------------------------------------------------- writer */

/* Appends p[0..n) as a double-quoted literal. */
static void sb_quote(cfz_strbuf *b, const uint8_t *p, size_t n) {
  static const char hex[] = "0123456789abcdef";
  if (!cfz_sb_reserve(b, 2 + 4 * n))
    return;
  char *o = b->p + b->len;
  *o++ = '"';
  for (size_t i = 0; i < n; i++) {
    uint8_t c = p[i];
    char e = 0;
    switch (c) {
    case '\a':
      e = 'a';
      break;
    case '\b':
      e = 'b';
      break;
    case '\f':
      e = 'f';
      break;
    case '\n':
      e = 'n';
      break;
    case '\r':
      e = 'r';
      break;
    case '\t':
      e = 't';
      break;
    case '\v':
      e = 'v';
      break;
    case '\\':
      e = '\\';
      break;
    case '"':
      e = '"';
      break;
    default:
      break;
    }
    if (e) {
      *o++ = '\\';
      *o++ = e;
    } else if (c >= 0x20 && c < 0x7f) {
      *o++ = (char)c;
    } else {
      *o++ = '\\';
      *o++ = 'x';
      *o++ = hex[c >> 4];
      *o++ = hex[c & 15];
    }
  }
  *o++ = '"';
  b->len = (size_t)(o - b->p);
  b->p[b->len] = '\0';
}

static void sb_float64(cfz_strbuf *b, double d) {
  uint64_t bits;
  memcpy(&bits, &d, 8);
  if (isnan(d)) {
    if (bits == NAN64_BITS)
      cfz_sb_str(b, "NaN");
    else
      cfz_sb_printf(b, "math.Float64frombits(0x%016llx)",
                    (unsigned long long)bits);
    return;
  }
  if (isinf(d)) {
    cfz_sb_str(b, d > 0 ? "+Inf" : "-Inf");
    return;
  }
  char tmp[64];
  for (int prec = 6; prec <= 17; prec++) {
    snprintf(tmp, sizeof tmp, "%.*g", prec, d);
    double back = strtod(tmp, NULL);
    if (memcmp(&back, &d, 8) == 0)
      break;
  }
  cfz_sb_str(b, tmp);
}

static void sb_float32(cfz_strbuf *b, float f) {
  uint32_t bits;
  memcpy(&bits, &f, 4);
  if (isnan(f)) {
    if (bits == NAN32_BITS)
      cfz_sb_str(b, "NaN");
    else
      cfz_sb_printf(b, "math.Float32frombits(0x%08x)", (unsigned)bits);
    return;
  }
  if (isinf(f)) {
    cfz_sb_str(b, f > 0 ? "+Inf" : "-Inf");
    return;
  }
  char tmp[64];
  for (int prec = 6; prec <= 9; prec++) {
    snprintf(tmp, sizeof tmp, "%.*g", prec, (double)f);
    float back = strtof(tmp, NULL);
    if (memcmp(&back, &f, 4) == 0)
      break;
  }
  cfz_sb_str(b, tmp);
}

/* Bytes in the quoted form of c. */
static size_t quoted_len(uint8_t c) {
  if (strchr("\a\b\f\n\r\t\v\\\"", c) && c)
    return 2;
  return c >= 0x20 && c < 0x7f ? 1 : 4;
}

bool cfz_corpus_quote(cfz_strbuf *b, const uint8_t *p, size_t n, size_t max) {
  size_t k = 0, out = 0;
  for (; k < n; k++) {
    size_t e = quoted_len(p[k]);
    if (out + e > max)
      break;
    out += e;
  }
  sb_quote(b, p, k);
  if (k < n)
    cfz_sb_str(b, "...");
  return k < n;
}

void cfz_corpus_literal(cfz_strbuf *b, const cfz_value *v) {
  switch (v->type) {
  case CFZ_BYTES:
  case CFZ_STRING:
    sb_quote(b, v->v.bytes.data, v->v.bytes.len);
    break;
  case CFZ_BOOL:
    cfz_sb_str(b, v->v.b ? "true" : "false");
    break;
  case CFZ_INT8:
  case CFZ_INT16:
  case CFZ_INT32:
  case CFZ_INT64:
    cfz_sb_printf(b, "%lld", (long long)v->v.i);
    break;
  case CFZ_UINT8:
  case CFZ_UINT16:
  case CFZ_UINT32:
  case CFZ_UINT64:
    cfz_sb_printf(b, "%llu", (unsigned long long)v->v.u);
    break;
  case CFZ_FLOAT32:
    sb_float32(b, v->v.f32);
    break;
  case CFZ_FLOAT64:
    sb_float64(b, v->v.f64);
    break;
  default:
    b->oom = true;
    break;
  }
}

static void encode_value(cfz_strbuf *b, const cfz_value *v) {
  const char *name = v->type == CFZ_BYTES ? "[]byte" : cfz_type_name(v->type);
  if (!name) {
    b->oom = true;
    return;
  }
  cfz_sb_printf(b, "%s(", name);
  cfz_corpus_literal(b, v);
  cfz_sb_str(b, ")\n");
}

int cfz_corpus_encode(const cfz_value *vals, size_t n, char **out,
                      size_t *out_len) {
  cfz_strbuf b = {0};
  cfz_sb_str(&b, CFZ_CORPUS_HEADER "\n");
  for (size_t i = 0; i < n; i++)
    encode_value(&b, &vals[i]);
  if (b.oom) {
    free(b.p);
    *out = NULL;
    *out_len = 0;
    return -1;
  }
  *out = b.p;
  *out_len = b.len;
  return 0;
}

/* ---------------------------------------------------------------- reader */

/* A cursor over one trimmed line.  why receives the reason of a failure. */
typedef struct cursor {
  const char *s;
  size_t n, i;
  char why[160];
} cursor;

__attribute__((format(printf, 2, 3))) static int bad(cursor *c, const char *fmt,
                                                     ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->why, sizeof c->why, fmt, ap);
  va_end(ap);
  return -1;
}

static bool at_end(const cursor *c) { return c->i >= c->n; }
static char peek(const cursor *c) { return c->i < c->n ? c->s[c->i] : '\0'; }

static void skip_space(cursor *c) {
  while (c->i < c->n && (c->s[c->i] == ' ' || c->s[c->i] == '\t'))
    c->i++;
}

static int hexval(char ch) {
  if (ch >= '0' && ch <= '9')
    return ch - '0';
  if (ch >= 'a' && ch <= 'f')
    return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F')
    return ch - 'A' + 10;
  return -1;
}

static size_t utf8_put(uint8_t *o, uint32_t r) {
  if (r < 0x80) {
    o[0] = (uint8_t)r;
    return 1;
  }
  if (r < 0x800) {
    o[0] = (uint8_t)(0xc0 | (r >> 6));
    o[1] = (uint8_t)(0x80 | (r & 0x3f));
    return 2;
  }
  if (r < 0x10000) {
    o[0] = (uint8_t)(0xe0 | (r >> 12));
    o[1] = (uint8_t)(0x80 | ((r >> 6) & 0x3f));
    o[2] = (uint8_t)(0x80 | (r & 0x3f));
    return 3;
  }
  o[0] = (uint8_t)(0xf0 | (r >> 18));
  o[1] = (uint8_t)(0x80 | ((r >> 12) & 0x3f));
  o[2] = (uint8_t)(0x80 | ((r >> 6) & 0x3f));
  o[3] = (uint8_t)(0x80 | (r & 0x3f));
  return 4;
}

/* Decodes one UTF-8 sequence at the cursor into *r; -1 if invalid. */
static int utf8_get(cursor *c, uint32_t *r) {
  const uint8_t *p = (const uint8_t *)c->s + c->i;
  size_t left = c->n - c->i;
  uint8_t b0 = p[0];
  size_t len;
  uint32_t v, min;
  if (b0 < 0x80) {
    *r = b0;
    c->i++;
    return 0;
  } else if ((b0 & 0xe0) == 0xc0) {
    len = 2, v = b0 & 0x1f, min = 0x80;
  } else if ((b0 & 0xf0) == 0xe0) {
    len = 3, v = b0 & 0x0f, min = 0x800;
  } else if ((b0 & 0xf8) == 0xf0) {
    len = 4, v = b0 & 0x07, min = 0x10000;
  } else {
    return bad(c, "invalid UTF-8 in character literal");
  }
  if (left < len)
    return bad(c, "invalid UTF-8 in character literal");
  for (size_t k = 1; k < len; k++) {
    if ((p[k] & 0xc0) != 0x80)
      return bad(c, "invalid UTF-8 in character literal");
    v = v << 6 | (p[k] & 0x3f);
  }
  if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
    return bad(c, "invalid UTF-8 in character literal");
  *r = v;
  c->i += len;
  return 0;
}

/* Parses the escape after a backslash (cursor on the char after '\').
 * quote is '"' or '\''.  Sets *byte (is_byte) for \x and octal escapes, or
 * *rune for the others. */
static int parse_escape(cursor *c, char quote, uint32_t *val, bool *is_byte) {
  if (at_end(c))
    return bad(c, "unterminated escape sequence");
  char e = c->s[c->i++];
  *is_byte = false;
  switch (e) {
  case 'a':
    *val = '\a';
    return 0;
  case 'b':
    *val = '\b';
    return 0;
  case 'f':
    *val = '\f';
    return 0;
  case 'n':
    *val = '\n';
    return 0;
  case 'r':
    *val = '\r';
    return 0;
  case 't':
    *val = '\t';
    return 0;
  case 'v':
    *val = '\v';
    return 0;
  case '\\':
    *val = '\\';
    return 0;
  case '"':
  case '\'':
    if (e != quote)
      return bad(c, "unknown escape sequence \\%c", e);
    *val = (uint32_t)e;
    return 0;
  case 'x':
  case 'u':
  case 'U': {
    int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
    uint32_t v = 0;
    for (int k = 0; k < digits; k++) {
      int h = hexval(peek(c));
      if (at_end(c) || h < 0)
        return bad(c, "escape \\%c needs %d hex digits", e, digits);
      v = v << 4 | (uint32_t)h;
      c->i++;
    }
    if (e != 'x' && (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)))
      return bad(c, "escape \\%c is not a valid Unicode code point", e);
    *val = v;
    *is_byte = e == 'x';
    return 0;
  }
  default:
    if (e >= '0' && e <= '7') {
      uint32_t v = (uint32_t)(e - '0');
      for (int k = 0; k < 2; k++) {
        char d = peek(c);
        if (at_end(c) || d < '0' || d > '7')
          return bad(c, "octal escape needs 3 digits");
        v = v * 8 + (uint32_t)(d - '0');
        c->i++;
      }
      if (v > 255)
        return bad(c, "octal escape value %u > 255", v);
      *val = v;
      *is_byte = true;
      return 0;
    }
    if ((unsigned char)e >= 0x20 && (unsigned char)e < 0x7f)
      return bad(c, "unknown escape sequence \\%c", e);
    return bad(c, "unknown escape sequence \\\\x%02x", (unsigned char)e);
  }
}

/* Parses a "..." or `...` literal; *out is malloc'd with a NUL. */
static int parse_string(cursor *c, uint8_t **out, size_t *out_len) {
  char q = peek(c);
  if (q != '"' && q != '`')
    return bad(c, "want a quoted string");
  c->i++;
  uint8_t *buf = malloc(c->n - c->i + 1);
  if (!buf)
    return bad(c, "out of memory");
  size_t len = 0;
  for (;;) {
    if (at_end(c)) {
      free(buf);
      return bad(c, "unterminated string");
    }
    char ch = c->s[c->i++];
    if (ch == q)
      break;
    if (q == '`') {
      if (ch != '\r') /* Go drops carriage returns from raw strings */
        buf[len++] = (uint8_t)ch;
      continue;
    }
    if (ch != '\\') {
      buf[len++] = (uint8_t)ch;
      continue;
    }
    uint32_t v;
    bool is_byte;
    if (parse_escape(c, '"', &v, &is_byte) != 0) {
      free(buf);
      return -1;
    }
    if (is_byte)
      buf[len++] = (uint8_t)v;
    else
      len += utf8_put(buf + len, v);
  }
  buf[len] = 0;
  *out = buf;
  *out_len = len;
  return 0;
}

/* Parses a 'x' character literal into *r. */
static int parse_char(cursor *c, uint32_t *r) {
  c->i++; /* opening quote */
  if (at_end(c))
    return bad(c, "unterminated character literal");
  char ch = c->s[c->i];
  if (ch == '\'')
    return bad(c, "empty character literal");
  if (ch == '\\') {
    c->i++;
    bool is_byte;
    if (parse_escape(c, '\'', r, &is_byte) != 0)
      return -1;
  } else if (utf8_get(c, r) != 0) {
    return -1;
  }
  if (peek(c) != '\'' || at_end(c))
    return bad(c, "unterminated character literal");
  c->i++;
  return 0;
}

static bool is_word(char ch) {
  return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
         (ch >= 'A' && ch <= 'Z') || ch == '_' || ch == '.';
}

/* Parses an unsigned integer literal (decimal, 0x, 0o, 0b, legacy 0NNN;
 * underscores ignored) into *mag.  Returns -1 with why, or -2 on overflow. */
static int parse_uint_lit(cursor *c, uint64_t *mag) {
  size_t start = c->i;
  while (!at_end(c) && is_word(peek(c)))
    c->i++;
  const char *t = c->s + start;
  size_t n = c->i - start;
  if (n == 0 || t[0] < '0' || t[0] > '9')
    return bad(c, "want an integer literal");
  unsigned base = 10;
  size_t k = 0;
  if (n >= 2 && t[0] == '0') {
    char p = t[1];
    if (p == 'x' || p == 'X')
      base = 16, k = 2;
    else if (p == 'o' || p == 'O')
      base = 8, k = 2;
    else if (p == 'b' || p == 'B')
      base = 2, k = 2;
    else
      base = 8, k = 1;
  }
  uint64_t v = 0;
  bool any = base == 8 && k == 1; /* "0" then digits */
  bool overflow = false;
  for (; k < n; k++) {
    if (t[k] == '_')
      continue;
    int d = hexval(t[k]);
    if (d < 0 || (unsigned)d >= base)
      return bad(c, "invalid digit '%c' in integer literal", t[k]);
    if (v > (UINT64_MAX - (unsigned)d) / base)
      overflow = true;
    v = v * base + (unsigned)d;
    any = true;
  }
  if (!any)
    return bad(c, "invalid integer literal");
  *mag = v;
  return overflow ? -2 : 0;
}

/* Integer argument: [sign] literal, or a character literal when chars. */
static int parse_int_arg(cursor *c, cfz_type t, const char *tname, bool chars,
                         cfz_value *out) {
  bool neg = false;
  uint64_t mag;
  if (chars && peek(c) == '\'') {
    uint32_t r;
    if (parse_char(c, &r) != 0)
      return -1;
    mag = r;
  } else {
    if (peek(c) == '-' || peek(c) == '+') {
      neg = peek(c) == '-';
      c->i++;
      skip_space(c);
    }
    int rc = parse_uint_lit(c, &mag);
    if (rc == -2)
      return bad(c, "out of range for %s", tname);
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
      return bad(c, "out of range for %s", tname);
    out->v.i = neg ? (int64_t)(0 - mag) : (int64_t)mag;
    if (neg && mag == ((uint64_t)1 << 63))
      out->v.i = INT64_MIN;
  } else {
    uint64_t max = t == CFZ_UINT8    ? UINT8_MAX
                   : t == CFZ_UINT16 ? UINT16_MAX
                   : t == CFZ_UINT32 ? UINT32_MAX
                                     : UINT64_MAX;
    if ((neg && mag != 0) || mag > max)
      return bad(c, "out of range for %s", tname);
    out->v.u = mag;
  }
  return 0;
}

static bool match_word(cursor *c, const char *w) {
  size_t n = strlen(w);
  if (c->n - c->i < n || memcmp(c->s + c->i, w, n) != 0)
    return false;
  if (c->i + n < c->n && is_word(c->s[c->i + n]))
    return false;
  c->i += n;
  return true;
}

/* Float argument: [sign] number | [+-]Inf | NaN | math.FloatNNfrombits(x). */
static int parse_float_arg(cursor *c, cfz_type t, bool go, cfz_value *out) {
  bool f32 = t == CFZ_FLOAT32;
  out->type = t;
  if (match_word(c, f32 ? "math.Float32frombits" : "math.Float64frombits")) {
    skip_space(c);
    if (peek(c) != '(')
      return bad(c, "missing '(' after math.Float%sfrombits",
                 f32 ? "32" : "64");
    c->i++;
    skip_space(c);
    uint64_t bits;
    int rc = parse_uint_lit(c, &bits);
    if (rc == -1)
      return -1;
    if (rc == -2 || (f32 && bits > UINT32_MAX))
      return bad(c, "bit pattern out of range for %s",
                 f32 ? "float32" : "float64");
    skip_space(c);
    if (peek(c) != ')' || at_end(c))
      return bad(c, "missing ')'");
    c->i++;
    if (f32) {
      uint32_t b32 = (uint32_t)bits;
      memcpy(&out->v.f32, &b32, 4);
    } else {
      memcpy(&out->v.f64, &bits, 8);
    }
    return 0;
  }
  if (match_word(c, "NaN")) {
    if (f32) {
      uint32_t b32 = NAN32_BITS;
      memcpy(&out->v.f32, &b32, 4);
    } else {
      uint64_t b64 = go ? GO_NAN64_BITS : NAN64_BITS;
      memcpy(&out->v.f64, &b64, 8);
    }
    return 0;
  }
  size_t start = c->i;
  bool neg = false;
  if (peek(c) == '-' || peek(c) == '+') {
    neg = peek(c) == '-';
    c->i++;
    skip_space(c);
  }
  if (match_word(c, "Inf")) {
    if (f32)
      out->v.f32 = neg ? -INFINITY : INFINITY;
    else
      out->v.f64 = neg ? -(double)INFINITY : (double)INFINITY;
    return 0;
  }
  /* A number token: word characters, and a sign right after an exponent. */
  size_t nstart = c->i;
  while (!at_end(c)) {
    char ch = peek(c);
    if (is_word(ch)) {
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
    return bad(c, "want a float literal");
  if (neg)
    tok[k++] = '-';
  for (size_t j = 0; j < tn; j++) {
    char ch = c->s[nstart + j];
    if (ch == '_')
      continue;
    if (strchr("iInN", ch)) /* keep strtod away from "inf" / "nan" */
      return bad(c, "want a float literal");
    tok[k++] = ch;
  }
  tok[k] = '\0';
  if (!((tok[neg] >= '0' && tok[neg] <= '9') || tok[neg] == '.'))
    return bad(c, "want a float literal");
  char *end;
  errno = 0;
  if (f32) {
    float f = strtof(tok, &end);
    if (*end != '\0' || end == tok)
      return bad(c, "invalid float literal \"%.*s\"", (int)(c->i - start),
                 c->s + start);
    if (errno == ERANGE && isinf(f))
      return bad(c, "out of range for float32");
    out->v.f32 = f;
  } else {
    double d = strtod(tok, &end);
    if (*end != '\0' || end == tok)
      return bad(c, "invalid float literal \"%.*s\"", (int)(c->i - start),
                 c->s + start);
    if (errno == ERANGE && isinf(d))
      return bad(c, "out of range for float64");
    out->v.f64 = d;
  }
  return 0;
}

/* Parses one value line into *out (owning any buffer). */
static int parse_value(cursor *c, bool go, cfz_value *out) {
  memset(out, 0, sizeof *out);
  char tname[24];
  size_t start = c->i;
  if (c->n - c->i >= 6 && memcmp(c->s + c->i, "[]byte", 6) == 0) {
    c->i += 6;
  } else {
    while (!at_end(c) && is_word(peek(c)) && peek(c) != '.')
      c->i++;
  }
  size_t tl = c->i - start;
  if (tl == 0)
    return bad(c, "want a type name");
  if (tl >= sizeof tname)
    return bad(c, "unknown type \"%.*s\"", (int)tl, c->s + start);
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
    return bad(c, "unknown type \"%s\"", tname);
  cfz_type t = types[ti].type;

  skip_space(c);
  if (peek(c) != '(' || at_end(c))
    return bad(c, "missing '(' after %s", tname);
  c->i++;
  skip_space(c);

  int rc;
  switch (t) {
  case CFZ_BYTES:
  case CFZ_STRING: {
    uint8_t *p = NULL;
    size_t len = 0;
    rc = parse_string(c, &p, &len);
    if (rc == 0) {
      out->type = t;
      out->v.bytes.data = p;
      out->v.bytes.len = len;
    }
    break;
  }
  case CFZ_BOOL:
    out->type = t;
    if (match_word(c, "true"))
      out->v.b = true, rc = 0;
    else if (match_word(c, "false"))
      out->v.b = false, rc = 0;
    else
      rc = bad(c, "want true or false");
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
  skip_space(c);
  if (at_end(c) || peek(c) != ')') {
    rc = bad(c, at_end(c) ? "missing ')'" : "unexpected text after the value");
    goto fail;
  }
  c->i++;
  skip_space(c);
  if (!at_end(c)) {
    rc = bad(c, "unexpected text after ')'");
    goto fail;
  }
  return 0;
fail:
  if (out->type == CFZ_BYTES || out->type == CFZ_STRING)
    free((void *)out->v.bytes.data);
  memset(out, 0, sizeof *out);
  return -1;
}

/* Length of the header line at data (without \r\n) when it is known, or 0. */
static size_t header_len(const uint8_t *data, size_t len, bool *go) {
  static const char *const headers[] = {CFZ_CORPUS_HEADER, GO_HEADER};
  for (int h = 0; h < 2; h++) {
    size_t n = strlen(headers[h]);
    if (len < n || memcmp(data, headers[h], n) != 0)
      continue;
    size_t k = n;
    if (k < len && data[k] == '\r')
      k++;
    if (k == len || data[k] == '\n') {
      if (go)
        *go = h == 1;
      return n;
    }
  }
  return 0;
}

bool cfz_corpus_is_text(const uint8_t *data, size_t len) {
  return header_len(data, len, NULL) > 0;
}

/* Writes src[0..n) quoted into dst for an error message, cut to ~60 bytes. */
static void quote_for_msg(char *dst, size_t dstlen, const char *src, size_t n) {
  cfz_strbuf b = {0};
  size_t show = n > 60 ? 60 : n;
  sb_quote(&b, (const uint8_t *)src, show);
  if (n > show && b.len > 0) {
    b.len--; /* the closing quote goes after the ellipsis */
    cfz_sb_str(&b, "...\"");
  }
  snprintf(dst, dstlen, "%s", b.p ? b.p : "\"\"");
  free(b.p);
}

static bool is_trim(char ch) {
  return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f';
}

int cfz_corpus_decode(const uint8_t *data, size_t len, cfz_values *out,
                      char *err, size_t errlen) {
  out->v = NULL;
  out->n = 0;
  bool go = false;
  if (header_len(data, len, &go) == 0) {
    /* An unknown version of a header we know is an error, not raw bytes. */
    static const char *const prefixes[] = {"cfz fuzz v", "go test fuzz v"};
    for (int h = 0; h < 2; h++) {
      size_t pn = strlen(prefixes[h]);
      if (len > pn && memcmp(data, prefixes[h], pn) == 0) {
        const uint8_t *nl = memchr(data, '\n', len);
        size_t ln = nl ? (size_t)(nl - data) : len;
        while (ln > 0 && is_trim((char)data[ln - 1]))
          ln--;
        char q[100];
        quote_for_msg(q, sizeof q, (const char *)data, ln);
        snprintf(err, errlen, "line 1: unknown encoding version %s", q);
        return -1;
      }
    }
    cfz_value raw = CFZ_V_BYTES(data, len);
    if (cfz_values_copy(out, &raw, 1) != 0) {
      snprintf(err, errlen, "out of memory");
      return -1;
    }
    return 0;
  }

  cfz_values res = {0};
  size_t cap = 0;
  const char *s = (const char *)data;
  size_t pos = 0;
  unsigned long lineno = 0;
  /* Skip the header line. */
  const char *nl = memchr(s, '\n', len);
  pos = nl ? (size_t)(nl - s) + 1 : len;
  lineno = 1;
  while (pos < len) {
    lineno++;
    const char *e = memchr(s + pos, '\n', len - pos);
    size_t end = e ? (size_t)(e - s) : len;
    size_t a = pos, b = end;
    pos = e ? end + 1 : len;
    while (a < b && is_trim(s[a]))
      a++;
    while (b > a && is_trim(s[b - 1]))
      b--;
    if (a == b)
      continue;
    if (res.n == cap) {
      size_t ncap = cap ? cap * 2 : 4;
      cfz_value *nv = realloc(res.v, ncap * sizeof *nv);
      if (!nv) {
        snprintf(err, errlen, "line %lu: out of memory", lineno);
        cfz_values_free(&res);
        return -1;
      }
      res.v = nv;
      cap = ncap;
    }
    cursor c = {.s = s + a, .n = b - a, .i = 0};
    if (parse_value(&c, go, &res.v[res.n]) != 0) {
      char q[100];
      quote_for_msg(q, sizeof q, s + a, b - a);
      snprintf(err, errlen, "line %lu: malformed value %s: %s", lineno, q,
               c.why);
      cfz_values_free(&res);
      return -1;
    }
    res.n++;
  }
  if (res.n == 0) {
    snprintf(err, errlen, "no values after the \"%s\" header",
             go ? GO_HEADER : CFZ_CORPUS_HEADER);
    cfz_values_free(&res);
    return -1;
  }
  *out = res;
  return 0;
}

int cfz_corpus_read_file(const char *path, cfz_values *out, char *err,
                         size_t errlen) {
  out->v = NULL;
  out->n = 0;
  /* Sized before it is opened: a device (/dev/zero) or a FIFO would be read
   * forever or block; a huge file would be read whole (issue 15). */
  struct stat st;
  if (stat(path, &st) != 0) {
    snprintf(err, errlen, "open %s: %s", path, strerror(errno));
    return -1;
  }
  if (!S_ISREG(st.st_mode)) {
    snprintf(err, errlen, "%s: not a regular file", path);
    return -1;
  }
  if ((uint64_t)st.st_size > CFZ_CORPUS_FILE_MAX) {
    snprintf(err, errlen,
             "%s: %llu bytes, more than the %llu MiB a corpus file may have; "
             "skipped without reading it",
             path, (unsigned long long)st.st_size,
             (unsigned long long)(CFZ_CORPUS_FILE_MAX >> 20));
    return -1;
  }
  uint8_t *buf;
  size_t len;
  if (cfz_file_read(path, CFZ_CORPUS_FILE_MAX + 1, &buf, &len, err, errlen) !=
      0)
    return -1;
  if (len > CFZ_CORPUS_FILE_MAX) { /* it grew after stat */
    free(buf);
    snprintf(err, errlen, "%s: more than %llu MiB; skipped", path,
             (unsigned long long)(CFZ_CORPUS_FILE_MAX >> 20));
    return -1;
  }
  char msg[384];
  int rc = cfz_corpus_decode(buf, len, out, msg, sizeof msg);
  free(buf);
  if (rc != 0)
    snprintf(err, errlen, "%s: %s", path, msg);
  return rc;
}

const char *cfz_corpus_format_name(const uint8_t *head, size_t len) {
  if (!cfz_corpus_is_text(head, len))
    return "raw bytes (no header)";
  if (len >= 2 && head[0] == 'g' && head[1] == 'o')
    return GO_HEADER;
  return CFZ_CORPUS_HEADER;
}
