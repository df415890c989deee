/* stats_file.h - the stats of a run over time, one CSV row per status
 * interval (docs/stats.md).
 *
 * The file starts with a header line naming the columns
 * (CFZ_STATS_COLUMNS); each row is flushed as it is written, so a run that
 * is killed keeps its rows.  When a write fails (a full disk), the file is
 * closed and no more rows are written: the caller warns once and the run
 * goes on. */
#ifndef CFZ_STATS_FILE_H
#define CFZ_STATS_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "stats.h"

/* The header line, in column order. */
#define CFZ_STATS_COLUMNS                                                      \
  "elapsed_ms,execs,execs_per_sec,corpus,corpus_bytes,edges,features,"         \
  "failures,workers,rss_mb"

typedef struct cfz_stats_file {
  FILE *f;    /* NULL: not open (yet, or any more) */
  bool dead;  /* a write failed: no more rows */
  char *path; /* owned */
} cfz_stats_file;

/* Creates (or truncates) path, creating its missing parent directories,
 * and writes the header.  Returns 0, or -1 with what failed in err. */
int cfz_stats_file_open(cfz_stats_file *sf, const char *path, char *err,
                        size_t errlen);
/* Appends one row and flushes it.  Returns 0, or -1 with what failed in
 * err the first time a write fails (the file is then closed; later rows
 * return 0 and are dropped). */
int cfz_stats_file_row(cfz_stats_file *sf, uint64_t elapsed_ms,
                       const cfz_stats *st, char *err, size_t errlen);
/* Closes the file (if open).  Returns 0, or -1 with what failed in err. */
int cfz_stats_file_close(cfz_stats_file *sf, char *err, size_t errlen);

#endif
