/* duration.c - "30s", "1h30m", "250ms", "1.5s", "1000x" (see duration.h). */
#include "duration.h"

#include <stdio.h>
#include <string.h>

static int fail(char *err, unsigned errlen, const char *what, const char *s) {
  if (err && errlen)
    snprintf(err, errlen, "%s \"%s\"", what, s);
  return -1;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Unit at *p (longest match first); returns its size in ns or 0. */
static uint64_t parse_unit(const char **p) {
  static const struct {
    const char *name;
    uint64_t ns;
  } units[] = {
      {"ns", 1ull},           {"us", 1000ull},
      {"\xc2\xb5s", 1000ull}, /* U+00B5 micro sign */
      {"\xce\xbcs", 1000ull}, /* U+03BC Greek mu */
      {"ms", 1000000ull},     {"s", 1000000000ull},
      {"m", 60000000000ull},  {"h", 3600000000000ull},
  };
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
    size_t n = strlen(units[i].name);
    if (strncmp(*p, units[i].name, n) == 0) {
      *p += n;
      return units[i].ns;
    }
  }
  return 0;
}

/* Parses "digits[.digits]" at *p.  Integer part in *ip, fraction as
 * *frac / *scale.  Returns false on no digits or overflow. */
static bool parse_number(const char **p, uint64_t *ip, uint64_t *frac,
                         uint64_t *scale) {
  const char *s = *p;
  uint64_t v = 0;
  bool any = false;
  while (is_digit(*s)) {
    unsigned d = (unsigned)(*s - '0');
    if (v > (UINT64_MAX - d) / 10)
      return false;
    v = v * 10 + d;
    s++;
    any = true;
  }
  *frac = 0;
  *scale = 1;
  if (*s == '.') {
    s++;
    while (is_digit(*s)) {
      any = true;
      /* Digits past 18 do not matter at nanosecond resolution. */
      if (*scale < 1000000000000000000ull) {
        *frac = *frac * 10 + (uint64_t)(*s - '0');
        *scale *= 10;
      }
      s++;
    }
  }
  if (!any)
    return false;
  *ip = v;
  *p = s;
  return true;
}

/* The digits p[0..nd) of a count ("100x"); s names it in errors. */
static int parse_count(const char *s, const char *p, size_t nd, bool allow_zero,
                       cfz_limit *out, char *err, unsigned errlen) {
  uint64_t c = 0;
  for (size_t i = 0; i < nd; i++) {
    unsigned d = (unsigned)(p[i] - '0');
    if (c > (UINT64_MAX - d) / 10)
      return fail(err, errlen, "count out of range", s);
    c = c * 10 + d;
  }
  if (c == 0 && !allow_zero)
    return fail(err, errlen, "count must be positive:", s);
  out->count = c;
  return 0;
}

/* A duration: numbers with units ("1h30m", "1.5s"; a bare number is
 * seconds) from p on; s names it in errors. */
static int parse_duration(const char *s, const char *p, bool allow_zero,
                          cfz_limit *out, char *err, unsigned errlen) {
  uint64_t total = 0;
  bool first = true;
  while (*p) {
    uint64_t ip, frac, scale;
    if (!parse_number(&p, &ip, &frac, &scale))
      return fail(err, errlen, "invalid duration", s);
    uint64_t unit;
    if (*p == '\0' && first) {
      unit = 1000000000ull; /* a bare number is seconds */
    } else {
      unit = parse_unit(&p);
      if (unit == 0)
        return fail(err, errlen,
                    *p ? "invalid duration" : "missing unit in duration", s);
    }
    first = false;
    if (ip > UINT64_MAX / unit)
      return fail(err, errlen, "duration out of range", s);
    uint64_t v = ip * unit;
    if (frac) {
      double f = (double)frac * ((double)unit / (double)scale);
      if (f >= 18446744073709551615.0)
        return fail(err, errlen, "duration out of range", s);
      v += (uint64_t)f;
      if (v < ip * unit)
        return fail(err, errlen, "duration out of range", s);
    }
    if (total > UINT64_MAX - v)
      return fail(err, errlen, "duration out of range", s);
    total += v;
  }
  if (total == 0 && !allow_zero)
    return fail(err, errlen, "duration must be positive:", s);
  out->ns = total;
  return 0;
}

int cfz_limit_parse(const char *s, bool allow_zero, cfz_limit *out, char *err,
                    unsigned errlen) {
  out->ns = 0;
  out->count = 0;
  if (!s || !*s)
    return fail(err, errlen, "invalid duration", s ? s : "");
  const char *p = s;
  if (*p == '+')
    p++;
  if (*p == '-')
    return fail(err, errlen, "negative duration", s);
  /* A count: digits followed by 'x'. */
  size_t nd = strspn(p, "0123456789");
  if (nd > 0 && p[nd] == 'x' && p[nd + 1] == '\0')
    return parse_count(s, p, nd, allow_zero, out, err, errlen);
  return parse_duration(s, p, allow_zero, out, err, errlen);
}
