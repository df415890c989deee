/* corpus_list.h - what a target's corpora hold, file by file, for
 * `cfz corpus ls`: the seed corpus <testdata>/<Target>/ and the generated
 * corpus <cache>/<Target>/, each file decoded (its value types and a
 * preview of its first value) and checked against the target's parameter
 * types when they are known.  Printing is the caller's. */
#ifndef CFZ_CORPUS_LIST_H
#define CFZ_CORPUS_LIST_H

#include <stdbool.h>
#include <stddef.h>

#include "value.h"

typedef struct cfz_corpus_row {
  const char *kind; /* "seed" or "generated" */
  char *name;
  char *path;
  long long size; /* -1: unknown */
  char *types;    /* "bytes,uint8"; NULL on error */
  char *preview;  /* the first value, escaped and cut short */
  char *error;    /* why the file cannot be used, or NULL */
  char *mismatch; /* "has 1 value (bytes), target takes ..." or NULL */
} cfz_corpus_row;

typedef struct cfz_corpus_listing {
  char *dirs[2]; /* seed, generated */
  cfz_corpus_row *rows;
  size_t nrows;
  size_t counts[2]; /* files of each */
  long long bytes;
  size_t errors, mismatches;
} cfz_corpus_listing;

/* Lists target's corpora under the two roots; types (ntypes 0: unknown)
 * are checked.  Returns 0, or -1 when a directory cannot be read (what
 * could be read is listed; err says what failed). */
int cfz_corpus_list(const char *testdata, const char *cache, const char *target,
                    const cfz_type *types, size_t ntypes,
                    cfz_corpus_listing *out, char *err, size_t errlen);
void cfz_corpus_listing_free(cfz_corpus_listing *l);

#endif
