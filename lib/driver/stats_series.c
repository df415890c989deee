/* stats_series.c - a stats file read back (stats_series.h). */
#include "stats_series.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 64

static const char *const names[CFZ_SERIES_NCOLS] = {
    [CFZ_SERIES_ELAPSED_MS] = "elapsed_ms",
    [CFZ_SERIES_EXECS_PER_SEC] = "execs_per_sec",
    [CFZ_SERIES_CORPUS] = "corpus",
    [CFZ_SERIES_CORPUS_BYTES] = "corpus_bytes",
    [CFZ_SERIES_EDGES] = "edges",
    [CFZ_SERIES_FEATURES] = "features",
    [CFZ_SERIES_FAILURES] = "failures"};

const char *cfz_series_column_name(int col) {
  return col >= 0 && col < CFZ_SERIES_NCOLS ? names[col] : "?";
}

/* Splits line (NUL-terminated, modified) at commas into at most
 * MAX_FIELDS fields.  Returns the count, or -1 when there are more. */
static int split(char *line, char *field[MAX_FIELDS]) {
  int n = 0;
  for (char *p = line;;) {
    if (n == MAX_FIELDS)
      return -1;
    field[n++] = p;
    char *comma = strchr(p, ',');
    if (!comma)
      return n;
    *comma = '\0';
    p = comma + 1;
  }
}

static bool parse_u64(const char *s, uint64_t *out) {
  char *end;
  if (*s < '0' || *s > '9')
    return false;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || *end)
    return false;
  *out = v;
  return true;
}

/* Where each wanted column is in a row, from the header. */
static int find_columns(const char *name, char *header,
                        int at[CFZ_SERIES_NCOLS], int *nfields, char *err,
                        size_t errlen) {
  char *field[MAX_FIELDS];
  int n = split(header, field);
  if (n < 0) {
    snprintf(err, errlen, "%s: line 1: more than %d columns", name, MAX_FIELDS);
    return -1;
  }
  for (int c = 0; c < CFZ_SERIES_NCOLS; c++) {
    at[c] = -1;
    for (int k = 0; k < n; k++)
      if (strcmp(field[k], names[c]) == 0)
        at[c] = k;
    if (at[c] < 0) {
      snprintf(err, errlen,
               "%s: no column \"%s\" in the header (not a cfz stats file?)",
               name, names[c]);
      return -1;
    }
  }
  *nfields = n;
  return 0;
}

static int parse_row(const char *name, size_t lineno, char *line,
                     const int at[CFZ_SERIES_NCOLS], int nfields,
                     uint64_t row[CFZ_SERIES_NCOLS], char *err, size_t errlen) {
  char *field[MAX_FIELDS];
  int n = split(line, field);
  if (n != nfields) {
    snprintf(err, errlen, "%s: line %zu: %d fields, the header has %d", name,
             lineno, n < 0 ? MAX_FIELDS + 1 : n, nfields);
    return -1;
  }
  for (int c = 0; c < CFZ_SERIES_NCOLS; c++) {
    if (!parse_u64(field[at[c]], &row[c])) {
      snprintf(err, errlen, "%s: line %zu: %s \"%.40s\" is not a number", name,
               lineno, names[c], field[at[c]]);
      return -1;
    }
  }
  return 0;
}

int cfz_stats_series_parse(const char *name, const char *text, size_t len,
                           cfz_stats_series *out, char *err, size_t errlen) {
  *out = (cfz_stats_series){0};
  char *copy = malloc(len + 1);
  if (!copy) {
    snprintf(err, errlen, "%s: out of memory", name);
    return -1;
  }
  memcpy(copy, text, len);
  copy[len] = '\0';
  int at[CFZ_SERIES_NCOLS], nfields = 0, rc = 0;
  size_t lineno = 0, cap = 0;
  char *p = copy;
  while (rc == 0 && *p) {
    char *nl = strchr(p, '\n');
    if (nl)
      *nl = '\0';
    if (nl && nl > p && nl[-1] == '\r')
      nl[-1] = '\0';
    char *line = p;
    p = nl ? nl + 1 : p + strlen(p);
    lineno++;
    if (lineno == 1) {
      rc = find_columns(name, line, at, &nfields, err, errlen);
      continue;
    }
    if (!*line)
      continue; /* a blank line (the end of a file cut short) */
    if (out->n == cap) {
      size_t ncap = cap ? cap * 2 : 64;
      void *nv = realloc(out->v, ncap * sizeof *out->v);
      if (!nv) {
        snprintf(err, errlen, "%s: out of memory", name);
        rc = -1;
        break;
      }
      out->v = nv;
      cap = ncap;
    }
    rc =
        parse_row(name, lineno, line, at, nfields, out->v[out->n], err, errlen);
    if (rc == 0) {
      for (int c = 0; c < CFZ_SERIES_NCOLS; c++)
        if (out->v[out->n][c] > out->max[c])
          out->max[c] = out->v[out->n][c];
      out->n++;
    }
  }
  if (rc == 0 && lineno == 0) {
    snprintf(err, errlen, "%s: empty (no header)", name);
    rc = -1;
  }
  free(copy);
  if (rc != 0)
    cfz_stats_series_free(out);
  return rc;
}

void cfz_stats_series_free(cfz_stats_series *s) {
  free(s->v);
  *s = (cfz_stats_series){0};
}
