/* stats_file.c - the stats of a run over time (stats_file.h). */
#include "stats_file.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "corpus_store.h"

/* path's directory, created if missing ("" or "." need nothing). */
static int make_parent(const char *path, char *err, size_t errlen) {
  const char *slash = strrchr(path, '/');
  if (!slash || slash == path)
    return 0;
  char dir[PATH_MAX];
  size_t n = (size_t)(slash - path);
  if (n >= sizeof dir) {
    snprintf(err, errlen, "cfz: stats file %s: %s", path,
             strerror(ENAMETOOLONG));
    return -1;
  }
  memcpy(dir, path, n);
  dir[n] = '\0';
  return cfz_make_dirs(dir, err, errlen);
}

/* Closes the file after a failed write: what failed into err. */
static int fail(cfz_stats_file *sf, const char *what, int e, char *err,
                size_t errlen) {
  snprintf(err, errlen, "cfz: stats file %s: %s: %s", sf->path, what,
           strerror(e));
  if (sf->f)
    fclose(sf->f);
  sf->f = NULL;
  sf->dead = true;
  return -1;
}

/* fflush and ferror, with errno kept for the message. */
static int flush(cfz_stats_file *sf, char *err, size_t errlen) {
  errno = 0;
  if (fflush(sf->f) != 0 || ferror(sf->f))
    return fail(sf, "write", errno ? errno : EIO, err, errlen);
  return 0;
}

int cfz_stats_file_open(cfz_stats_file *sf, const char *path, char *err,
                        size_t errlen) {
  *sf = (cfz_stats_file){.path = strdup(path)};
  if (!sf->path) {
    snprintf(err, errlen, "cfz: stats file %s: out of memory", path);
    sf->dead = true;
    return -1;
  }
  if (make_parent(path, err, errlen) != 0) {
    sf->dead = true;
    return -1;
  }
  sf->f = fopen(path, "w");
  if (!sf->f)
    return fail(sf, "open", errno, err, errlen);
  fputs(CFZ_STATS_COLUMNS "\n", sf->f);
  return flush(sf, err, errlen);
}

int cfz_stats_file_row(cfz_stats_file *sf, uint64_t elapsed_ms,
                       const cfz_stats *st, char *err, size_t errlen) {
  if (!sf->f)
    return 0;
  fprintf(sf->f,
          "%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%zu,%" PRIu64 ",%" PRIu64
          ",%" PRIu64 ",%" PRIu64 ",%u,%" PRIu64 "\n",
          elapsed_ms, st->execs, st->execs_per_sec, st->corpus,
          st->corpus_bytes, st->edges, st->features, st->failures, st->workers,
          st->rss_mb);
  return flush(sf, err, errlen);
}

int cfz_stats_file_close(cfz_stats_file *sf, char *err, size_t errlen) {
  int rc = 0;
  if (sf->f && fclose(sf->f) != 0) {
    snprintf(err, errlen, "cfz: stats file %s: close: %s", sf->path,
             strerror(errno));
    rc = -1;
  }
  sf->f = NULL;
  free(sf->path);
  sf->path = NULL;
  return rc;
}
