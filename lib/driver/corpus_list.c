/* corpus_list.c - a target's corpora, file by file (corpus_list.h). */
#include "corpus_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus_format.h"
#include "corpus_store.h"
#include "dir_list.h"
#include "strbuf.h"

#define PREVIEW_CHARS 32 /* escaped characters of a preview */

static char *preview_of(const cfz_value *v) {
  cfz_strbuf b = {0};
  if (v->type == CFZ_BYTES || v->type == CFZ_STRING)
    cfz_corpus_quote(&b, v->v.bytes.data, v->v.bytes.len, PREVIEW_CHARS);
  else
    cfz_corpus_literal(&b, v);
  return cfz_sb_take(&b);
}

static char *value_types(const cfz_values *vals) {
  cfz_type t[64];
  size_t n = vals->n < 64 ? vals->n : 64;
  for (size_t i = 0; i < n; i++)
    t[i] = vals->v[i].type;
  return cfz_types_string(t, n, ",");
}

/* Decodes one file into r (whose name, path and size are set). */
static void decode_row(cfz_corpus_row *r, const cfz_type *types,
                       size_t ntypes) {
  cfz_values vals = {0};
  char err[1024];
  if (cfz_corpus_read_file(r->path, &vals, err, sizeof err) != 0) {
    /* Drop the "PATH: " prefix: the row names the file. */
    size_t pl = strlen(r->path);
    const char *msg = err;
    if (!strncmp(err, r->path, pl) && !strncmp(err + pl, ": ", 2))
      msg = err + pl + 2;
    r->error = strdup(msg);
    return;
  }
  r->types = value_types(&vals);
  r->preview = vals.n ? preview_of(&vals.v[0]) : strdup("");
  if (ntypes)
    r->mismatch = cfz_values_mismatch(&vals, types, ntypes);
  cfz_values_free(&vals);
}

static void fill_row(cfz_corpus_row *r, const char *kind, cfz_dirent *e,
                     const cfz_type *types, size_t ntypes) {
  memset(r, 0, sizeof *r);
  r->kind = kind;
  r->name = e->name;
  r->path = e->path;
  e->name = e->path = NULL; /* taken */
  r->size = e->size;
  if (e->stat_errno) {
    cfz_strbuf b = {0};
    cfz_sb_printf(&b, "stat %s: %s", r->path, strerror(e->stat_errno));
    r->error = cfz_sb_take(&b);
    return;
  }
  decode_row(r, types, ntypes);
}

static char *join(const char *a, const char *b) {
  cfz_strbuf s = {0};
  cfz_sb_printf(&s, "%s/%s", a, b);
  return cfz_sb_take(&s);
}

/* Adds the regular files of l->dirs[k]; returns 0 or -1 (err set). */
static int list_one(cfz_corpus_listing *l, int k, const cfz_type *types,
                    size_t ntypes, char *err, size_t errlen) {
  static const char *const kinds[2] = {"seed", "generated"};
  cfz_dirent *ents;
  size_t n;
  if (cfz_dir_list(l->dirs[k], &ents, &n, err, errlen) < 0)
    return -1;
  cfz_corpus_row *nr = realloc(l->rows, (l->nrows + n + 1) * sizeof *nr);
  if (!nr) {
    cfz_dir_free(ents, n);
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  l->rows = nr;
  for (size_t i = 0; i < n; i++) {
    if (!ents[i].stat_errno && !ents[i].is_regular)
      continue;
    cfz_corpus_row *r = &l->rows[l->nrows++];
    fill_row(r, kinds[k], &ents[i], types, ntypes);
    l->counts[k]++;
    l->bytes += r->size > 0 ? r->size : 0;
    l->errors += r->error != NULL;
    l->mismatches += r->mismatch != NULL;
  }
  cfz_dir_free(ents, n);
  return 0;
}

int cfz_corpus_list(const char *testdata, const char *cache, const char *target,
                    const cfz_type *types, size_t ntypes,
                    cfz_corpus_listing *out, char *err, size_t errlen) {
  memset(out, 0, sizeof *out);
  out->dirs[0] = join(testdata, target);
  out->dirs[1] = join(cache, target);
  if (!out->dirs[0] || !out->dirs[1]) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  int rc = 0;
  for (int k = 0; k < 2; k++)
    if (list_one(out, k, types, ntypes, err, errlen) != 0)
      rc = -1;
  return rc;
}

void cfz_corpus_listing_free(cfz_corpus_listing *l) {
  for (size_t i = 0; i < l->nrows; i++) {
    cfz_corpus_row *r = &l->rows[i];
    free(r->name);
    free(r->path);
    free(r->types);
    free(r->preview);
    free(r->error);
    free(r->mismatch);
  }
  free(l->rows);
  free(l->dirs[0]);
  free(l->dirs[1]);
  memset(l, 0, sizeof *l);
}
