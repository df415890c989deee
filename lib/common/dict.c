/* dict.c - libFuzzer / AFL dictionary files (see dict.h). */
#include "dict.h"
#include "hex.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
         c == '\v';
}

static bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

/* Skips an optional name[@level]= prefix at s[*i]; on success *i is on
 * the opening quote of the value.  Returns NULL, or a static reason. */
static const char *skip_name(const char *s, size_t n, size_t *ip) {
  size_t i = *ip;
  if (s[i] == '"')
    return NULL;
  size_t start = i;
  while (i < n && is_name_char(s[i]))
    i++;
  if (i == start)
    return "expected a quoted value or name=\"value\"";
  if (i < n && s[i] == '@') {
    i++;
    size_t ds = i;
    while (i < n && s[i] >= '0' && s[i] <= '9')
      i++;
    if (i == ds)
      return "expected a level after '@'";
  }
  while (i < n && is_space(s[i]))
    i++;
  if (i >= n || s[i] != '=')
    return "expected '=' after the entry name";
  i++;
  while (i < n && is_space(s[i]))
    i++;
  if (i >= n || s[i] != '"')
    return "expected a quoted value after '='";
  *ip = i;
  return NULL;
}

/* The escape at s[*i] (a backslash): \\, \" or \xNN into *b. */
static const char *parse_escape(const char *s, size_t n, size_t *i,
                                uint8_t *b) {
  if (*i + 1 >= n)
    return "unterminated escape";
  char x = s[*i + 1];
  if (x == '\\' || x == '"') {
    *b = (uint8_t)x;
    *i += 2;
    return NULL;
  }
  if (x != 'x')
    return "bad escape (only \\\\, \\\" and \\xNN are allowed)";
  int hi = *i + 2 < n ? cfz_hex_digit(s[*i + 2]) : -1;
  int lo = *i + 3 < n ? cfz_hex_digit(s[*i + 3]) : -1;
  if (hi < 0 || lo < 0)
    return "bad \\x escape (want two hex digits)";
  *b = (uint8_t)(hi * 16 + lo);
  *i += 4;
  return NULL;
}

/* Parses one non-blank, non-comment line (already trimmed of the line end).
 * Returns NULL on success, or a static reason. */
static const char *parse_line(const char *s, size_t n, cfz_dict_entry *e) {
  size_t i = 0;
  const char *why = skip_name(s, n, &i);
  if (why)
    return why;
  i++; /* opening quote */
  e->len = 0;
  for (;;) {
    if (i >= n)
      return "unterminated value (missing closing quote)";
    char c = s[i];
    if (c == '"')
      break;
    uint8_t b = (uint8_t)c;
    if (c != '\\')
      i++;
    else if ((why = parse_escape(s, n, &i, &b)) != NULL)
      return why;
    if (e->len >= CFZ_DICT_MAX_ENTRY)
      return "entry longer than 128 bytes";
    e->data[e->len++] = b;
  }
  i++; /* closing quote */
  while (i < n && is_space(s[i]))
    i++;
  if (i < n)
    return "unexpected characters after the closing quote";
  if (e->len == 0)
    return "empty entry";
  return NULL;
}

/* Adds the entry of line[0..n) to out (cap: its room); blank and comment
 * lines add nothing.  Returns NULL, or a static reason. */
static const char *add_line(cfz_dict *out, size_t *cap, const char *line,
                            size_t n) {
  while (n > 0 && is_space(line[n - 1]))
    n--;
  size_t i = 0;
  while (i < n && is_space(line[i]))
    i++;
  if (i == n || line[i] == '#')
    return NULL;
  if (memchr(line + i, '\0', n - i))
    return "NUL byte in line";
  cfz_dict_entry e;
  const char *why = parse_line(line + i, n - i, &e);
  if (why)
    return why;
  if (out->n == *cap) {
    size_t ncap = *cap ? *cap * 2 : 16;
    cfz_dict_entry *ne = realloc(out->entries, ncap * sizeof *ne);
    if (!ne)
      return "out of memory";
    out->entries = ne;
    *cap = ncap;
  }
  out->entries[out->n++] = e;
  return NULL;
}

int cfz_dict_load(const char *path, cfz_dict *out, char *err, size_t errlen) {
  out->entries = NULL;
  out->n = 0;
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(err, errlen, "open %s: %s", path, strerror(errno));
    return -1;
  }
  size_t cap = 0, linecap = 0;
  char *line = NULL;
  unsigned long lineno = 0;
  int rc = 0;
  for (;;) {
    errno = 0;
    ssize_t got = getline(&line, &linecap, f);
    if (got < 0) {
      if (ferror(f)) {
        snprintf(err, errlen, "read %s: %s", path, strerror(errno));
        rc = -1;
      }
      break;
    }
    lineno++;
    const char *why = add_line(out, &cap, line, (size_t)got);
    if (why) {
      snprintf(err, errlen, "%s:%lu: %s", path, lineno, why);
      rc = -1;
      break;
    }
  }
  free(line);
  if (fclose(f) != 0 && rc == 0) {
    snprintf(err, errlen, "close %s: %s", path, strerror(errno));
    rc = -1;
  }
  if (rc != 0)
    cfz_dict_free(out);
  return rc;
}

void cfz_dict_free(cfz_dict *d) {
  if (!d)
    return;
  free(d->entries);
  d->entries = NULL;
  d->n = 0;
}
