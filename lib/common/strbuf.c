/* strbuf.c - see strbuf.h. */
#include "strbuf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool cfz_sb_reserve(cfz_strbuf *b, size_t n) {
  if (b->oom)
    return false;
  if (b->cap - b->len > n)
    return true;
  size_t ncap = b->cap ? b->cap : 128;
  while (ncap - b->len <= n) {
    if (ncap > SIZE_MAX / 2) {
      b->oom = true;
      return false;
    }
    ncap *= 2;
  }
  char *np = realloc(b->p, ncap);
  if (!np) {
    b->oom = true;
    return false;
  }
  b->p = np;
  b->cap = ncap;
  return true;
}

void cfz_sb_add(cfz_strbuf *b, const char *s, size_t n) {
  if (!cfz_sb_reserve(b, n))
    return;
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

void cfz_sb_str(cfz_strbuf *b, const char *s) { cfz_sb_add(b, s, strlen(s)); }

void cfz_sb_printf(cfz_strbuf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) {
    b->oom = true;
    return;
  }
  if (!cfz_sb_reserve(b, (size_t)n))
    return;
  va_start(ap, fmt);
  vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

char *cfz_sb_take(cfz_strbuf *b) {
  if (b->oom) {
    free(b->p);
    b->p = NULL;
    return NULL;
  }
  return b->p ? b->p : strdup("");
}
