/* corpus_encode.c - the corpus format's writer (see corpus_encode.h): one
 * Go conversion expression per value, floats in the shortest text that
 * round-trips, bytes quoted with \xNN for anything not printable ASCII. */
#include "corpus_encode.h"
#include "corpus_text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* True when the text reads back as v's float, bit for bit. */
static bool reads_back(const char *text, const cfz_value *v) {
  if (v->type == CFZ_FLOAT32) {
    float back = strtof(text, NULL);
    return memcmp(&back, &v->v.f32, 4) == 0;
  }
  double back = strtod(text, NULL);
  return memcmp(&back, &v->v.f64, 8) == 0;
}

/* A float32 or float64 value: the shortest %g text that reads back as the
 * same bits, +Inf / -Inf, NaN for the canonical NaN, else its bits. */
static void sb_float(cfz_strbuf *b, const cfz_value *v) {
  bool f32 = v->type == CFZ_FLOAT32;
  double d = f32 ? (double)v->v.f32 : v->v.f64;
  uint64_t bits = 0;
  if (f32) {
    uint32_t b32;
    memcpy(&b32, &v->v.f32, 4);
    bits = b32;
  } else {
    memcpy(&bits, &v->v.f64, 8);
  }
  if (isnan(d)) {
    if (bits == (f32 ? CFZ_NAN32_BITS : CFZ_NAN64_BITS))
      cfz_sb_str(b, "NaN");
    else
      cfz_sb_printf(b, "math.Float%dfrombits(0x%0*llx)", f32 ? 32 : 64,
                    f32 ? 8 : 16, (unsigned long long)bits);
    return;
  }
  if (isinf(d)) {
    cfz_sb_str(b, d > 0 ? "+Inf" : "-Inf");
    return;
  }
  char tmp[64];
  for (int prec = 6; prec <= (f32 ? 9 : 17); prec++) {
    snprintf(tmp, sizeof tmp, "%.*g", prec, d);
    if (reads_back(tmp, v))
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
  case CFZ_FLOAT64:
    sb_float(b, v);
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
