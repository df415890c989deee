/* corpus_lex.c - the corpus format's literals (see corpus_parse.h). */
#include "corpus_parse.h"
#include "hex.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((format(printf, 2, 3))) int cfz_cur_bad(cfz_cursor *c,
                                                      const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->why, sizeof c->why, fmt, ap);
  va_end(ap);
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
static int utf8_get(cfz_cursor *c, uint32_t *r) {
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
    return cfz_cur_bad(c, "invalid UTF-8 in character literal");
  }
  if (left < len)
    return cfz_cur_bad(c, "invalid UTF-8 in character literal");
  for (size_t k = 1; k < len; k++) {
    if ((p[k] & 0xc0) != 0x80)
      return cfz_cur_bad(c, "invalid UTF-8 in character literal");
    v = v << 6 | (p[k] & 0x3f);
  }
  if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
    return cfz_cur_bad(c, "invalid UTF-8 in character literal");
  *r = v;
  c->i += len;
  return 0;
}

/* The value of a one-letter escape (\a \b \f \n \r \t \v \\), or -1. */
static int simple_escape(char e) {
  static const char from[] = "abfnrtv\\", to[] = "\a\b\f\n\r\t\v\\";
  const char *k = e ? strchr(from, e) : NULL;
  return k ? to[k - from] : -1;
}

/* \xNN, \uNNNN or \UNNNNNNNN, the letter e read. */
static int hex_escape(cfz_cursor *c, char e, uint32_t *val) {
  int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
  uint32_t v = 0;
  for (int k = 0; k < digits; k++) {
    int h = cfz_hex_digit(cfz_cur_peek(c));
    if (cfz_cur_at_end(c) || h < 0)
      return cfz_cur_bad(c, "escape \\%c needs %d hex digits", e, digits);
    v = v << 4 | (uint32_t)h;
    c->i++;
  }
  if (e != 'x' && (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)))
    return cfz_cur_bad(c, "escape \\%c is not a valid Unicode code point", e);
  *val = v;
  return 0;
}

/* \NNN, the first digit e read. */
static int octal_escape(cfz_cursor *c, char e, uint32_t *val) {
  uint32_t v = (uint32_t)(e - '0');
  for (int k = 0; k < 2; k++) {
    char d = cfz_cur_peek(c);
    if (cfz_cur_at_end(c) || d < '0' || d > '7')
      return cfz_cur_bad(c, "octal escape needs 3 digits");
    v = v * 8 + (uint32_t)(d - '0');
    c->i++;
  }
  if (v > 255)
    return cfz_cur_bad(c, "octal escape value %u > 255", v);
  *val = v;
  return 0;
}

/* Parses the escape after a backslash (cursor on the char after '\').
 * quote is '"' or '\''.  Sets *byte (is_byte) for \x and octal escapes, or
 * *rune for the others. */
static int parse_escape(cfz_cursor *c, char quote, uint32_t *val,
                        bool *is_byte) {
  if (cfz_cur_at_end(c))
    return cfz_cur_bad(c, "unterminated escape sequence");
  char e = c->s[c->i++];
  *is_byte = false;
  int simple = simple_escape(e);
  if (simple >= 0) {
    *val = (uint32_t)simple;
    return 0;
  }
  if (e == '"' || e == '\'') {
    if (e != quote)
      return cfz_cur_bad(c, "unknown escape sequence \\%c", e);
    *val = (uint32_t)e;
    return 0;
  }
  if (e == 'x' || e == 'u' || e == 'U') {
    *is_byte = e == 'x';
    return hex_escape(c, e, val);
  }
  if (e >= '0' && e <= '7') {
    *is_byte = true;
    return octal_escape(c, e, val);
  }
  if ((unsigned char)e >= 0x20 && (unsigned char)e < 0x7f)
    return cfz_cur_bad(c, "unknown escape sequence \\%c", e);
  return cfz_cur_bad(c, "unknown escape sequence \\\\x%02x", (unsigned char)e);
}

/* Parses a "..." or `...` literal; *out is malloc'd with a NUL. */
int cfz_cur_string(cfz_cursor *c, uint8_t **out, size_t *out_len) {
  char q = cfz_cur_peek(c);
  if (q != '"' && q != '`')
    return cfz_cur_bad(c, "want a quoted string");
  c->i++;
  uint8_t *buf = malloc(c->n - c->i + 1);
  if (!buf)
    return cfz_cur_bad(c, "out of memory");
  size_t len = 0;
  for (;;) {
    if (cfz_cur_at_end(c)) {
      free(buf);
      return cfz_cur_bad(c, "unterminated string");
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
int cfz_cur_char(cfz_cursor *c, uint32_t *r) {
  c->i++; /* opening quote */
  if (cfz_cur_at_end(c))
    return cfz_cur_bad(c, "unterminated character literal");
  char ch = c->s[c->i];
  if (ch == '\'')
    return cfz_cur_bad(c, "empty character literal");
  if (ch == '\\') {
    c->i++;
    bool is_byte;
    if (parse_escape(c, '\'', r, &is_byte) != 0)
      return -1;
  } else if (utf8_get(c, r) != 0) {
    return -1;
  }
  if (cfz_cur_peek(c) != '\'' || cfz_cur_at_end(c))
    return cfz_cur_bad(c, "unterminated character literal");
  c->i++;
  return 0;
}

bool cfz_cur_is_word(char ch) {
  return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
         (ch >= 'A' && ch <= 'Z') || ch == '_' || ch == '.';
}

/* Parses an unsigned integer literal (decimal, 0x, 0o, 0b, legacy 0NNN;
 * underscores ignored) into *mag.  Returns -1 with why, or -2 on overflow. */
int cfz_cur_uint(cfz_cursor *c, uint64_t *mag) {
  size_t start = c->i;
  while (!cfz_cur_at_end(c) && cfz_cur_is_word(cfz_cur_peek(c)))
    c->i++;
  const char *t = c->s + start;
  size_t n = c->i - start;
  if (n == 0 || t[0] < '0' || t[0] > '9')
    return cfz_cur_bad(c, "want an integer literal");
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
    int d = cfz_hex_digit(t[k]);
    if (d < 0 || (unsigned)d >= base)
      return cfz_cur_bad(c, "invalid digit '%c' in integer literal", t[k]);
    if (v > (UINT64_MAX - (unsigned)d) / base)
      overflow = true;
    v = v * base + (unsigned)d;
    any = true;
  }
  if (!any)
    return cfz_cur_bad(c, "invalid integer literal");
  *mag = v;
  return overflow ? -2 : 0;
}

bool cfz_cur_match_word(cfz_cursor *c, const char *w) {
  size_t n = strlen(w);
  if (c->n - c->i < n || memcmp(c->s + c->i, w, n) != 0)
    return false;
  if (c->i + n < c->n && cfz_cur_is_word(c->s[c->i + n]))
    return false;
  c->i += n;
  return true;
}
