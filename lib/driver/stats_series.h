/* stats_series.h - a stats file (stats_file.h) read back: the columns that
 * `cfz plot` draws, row by row.
 *
 * Columns are found by their names in the header line, so files with more
 * columns (or in another order) read the same; every field must be an
 * unsigned integer. */
#ifndef CFZ_STATS_SERIES_H
#define CFZ_STATS_SERIES_H

#include <stddef.h>
#include <stdint.h>

/* The columns read, in this order in each row of cfz_stats_series.v. */
enum {
  CFZ_SERIES_ELAPSED_MS,
  CFZ_SERIES_EXECS_PER_SEC,
  CFZ_SERIES_CORPUS,
  CFZ_SERIES_CORPUS_BYTES,
  CFZ_SERIES_EDGES,
  CFZ_SERIES_FEATURES,
  CFZ_SERIES_FAILURES,
  CFZ_SERIES_NCOLS
};

typedef struct cfz_stats_series {
  uint64_t (*v)[CFZ_SERIES_NCOLS]; /* rows (malloc'd) */
  size_t n;
  uint64_t max[CFZ_SERIES_NCOLS]; /* each column's largest value */
} cfz_stats_series;

/* The column's name in the header, e.g. "execs_per_sec". */
const char *cfz_series_column_name(int col);
/* Parses text (len bytes: a whole stats file).  Returns 0, or -1 with what
 * is wrong in err, e.g. "line 3: field 2 (execs) is not a number" or
 * "no column \"edges\" in the header".  name prefixes the messages. */
int cfz_stats_series_parse(const char *name, const char *text, size_t len,
                           cfz_stats_series *out, char *err, size_t errlen);
void cfz_stats_series_free(cfz_stats_series *s);

#endif
