/* corpus_ls.c - `cfz corpus ls`: the corpora of every target, or the files
 * of one target's corpora. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "corpus_cli.h"
#include "corpus_format.h"
#include "corpus_list.h"
#include "corpus_store.h"
#include "dir_list.h"
#include "project_cache.h"
#include "target_probe.h"

static const char usage_ls[] =
    "usage: cfz corpus ls [options] [TARGET | ./target]\n"
    "\n"
    "Without an argument, lists every target that has a seed corpus under\n"
    "the testdata root or a generated corpus under the cache root, with the\n"
    "number of files and bytes of each.  With a target name (or a target\n"
    "executable, which is started once and asked for its targets), lists each\n"
    "file of that target's corpora: name, kind (seed or generated), size,\n"
    "value types and a preview of the first value.\n"
    "\n"
    "options:\n"
    "      --json            one JSON object per line (files, then totals)\n"
    "      --testdata DIR    seed corpora root (default testdata/fuzz)\n"
    "      --cache-dir DIR   generated corpora root (default "
    "$XDG_CACHE_HOME/cfz/\n"
    "                        <project>-<hash>, else ~/.cache/cfz/...)\n"
    "  -t, --target NAME     which target of the executable (default: the "
    "first)\n"
    "  -h, --help            print this help\n";

/* ---- reading directories ---- */

typedef cfz_dirent dirent_info;

/* Lists dir's entries, sorted by name, skipping dotfiles: with dirs, the
 * sub-directories; otherwise the regular files (symbolic links followed;
 * an entry that cannot be stat'ed is kept with stat_errno set).  A missing
 * dir is empty.  Returns 0, or -1 with a message printed. */
static int read_dir(const char *dir, bool dirs, dirent_info **out, size_t *n) {
  char err[1024];
  if (cfz_dir_list(dir, out, n, err, sizeof err) < 0) {
    fprintf(stderr, "cfz: %s\n", err);
    return -1;
  }
  size_t k = 0;
  for (size_t i = 0; i < *n; i++) {
    dirent_info *e = &(*out)[i];
    bool keep = dirs ? e->is_dir : (e->stat_errno || e->is_regular);
    if (keep) {
      (*out)[k++] = *e;
    } else {
      free(e->name);
      free(e->path);
    }
  }
  *n = k;
  return 0;
}

static void free_infos(dirent_info *v, size_t n) { cfz_dir_free(v, n); }

/* ---- JSON ---- */

/* A JSON string; text that is not valid UTF-8 is escaped first. */
static json_t *jstr(const char *s) {
  json_t *j = json_string(s);
  if (j)
    return j;
  cfz_strbuf b = {0};
  cfz_corpus_quote(&b, (const uint8_t *)s, strlen(s), SIZE_MAX);
  char *e = cfz_sb_take(&b);
  j = e ? json_string(e) : NULL;
  free(e);
  return j;
}

/* Prints obj as one line and drops the reference.  Returns 0 or -1. */
static int print_json(json_t *obj) {
  char *s = obj ? json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
  json_decref(obj);
  if (!s) {
    oom();
    return -1;
  }
  printf("%s\n", s);
  free(s);
  return 0;
}

/* ---- cfz corpus ls ---- */

static int digits(long long v) {
  int d = 1;
  while (v >= 10) {
    v /= 10;
    d++;
  }
  return d;
}

/* One JSON object per file, then the totals. */
static int ls_json(const target_spec *t, const cfz_corpus_listing *l,
                   const char *want) {
  int rc = 0;
  for (size_t i = 0; i < l->nrows; i++) {
    const cfz_corpus_row *r = &l->rows[i];
    json_t *o =
        json_pack("{s:o, s:o, s:o, s:s, s:o}", "target", jstr(t->name), "name",
                  jstr(r->name), "path", jstr(r->path), "kind", r->kind, "size",
                  r->size >= 0 ? json_integer(r->size) : json_null());
    if (o && r->error) {
      json_object_set_new(o, "error", jstr(r->error));
    } else if (o) {
      json_t *arr = json_array();
      char *types = xstrdup(r->types), *save = NULL;
      for (char *s = strtok_r(types, ",", &save); s && arr;
           s = strtok_r(NULL, ",", &save))
        json_array_append_new(arr, json_string(s));
      free(types);
      json_object_set_new(o, "types", arr);
      json_object_set_new(o, "preview", jstr(r->preview));
      if (r->mismatch)
        json_object_set_new(o, "mismatch", jstr(r->mismatch));
    }
    if (print_json(o) != 0)
      rc = 2;
  }
  json_t *tot =
      json_pack("{s:{s:s,s:o,s:o,s:I,s:I,s:I,s:I}}", "totals", "target",
                t->name, "seed_dir", jstr(l->dirs[0]), "generated_dir",
                jstr(l->dirs[1]), "seed_files", (json_int_t)l->counts[0],
                "generated_files", (json_int_t)l->counts[1], "bytes",
                (json_int_t)l->bytes, "errors", (json_int_t)l->errors);
  if (tot && want)
    json_object_set_new(json_object_get(tot, "totals"), "target_types",
                        json_string(want));
  if (tot && t->have_types)
    json_object_set_new(json_object_get(tot, "totals"), "mismatches",
                        json_integer((json_int_t)l->mismatches));
  return print_json(tot) != 0 ? 2 : rc;
}

/* Column widths of the text table: name, size, types. */
static void ls_widths(const cfz_corpus_listing *l, int w[3]) {
  w[0] = 4, w[1] = 4, w[2] = 5;
  for (size_t i = 0; i < l->nrows; i++) {
    const cfz_corpus_row *r = &l->rows[i];
    if ((int)strlen(r->name) > w[0])
      w[0] = (int)strlen(r->name);
    if (r->size >= 0 && digits(r->size) > w[1])
      w[1] = digits(r->size);
    if (r->types && (int)strlen(r->types) > w[2])
      w[2] = (int)strlen(r->types);
  }
  if (w[2] > 40)
    w[2] = 40;
}

static void ls_text(const target_spec *t, const cfz_corpus_listing *l,
                    const char *want) {
  int w[3];
  ls_widths(l, w);
  printf("%s: seed corpus %s, generated corpus %s\n", t->name, l->dirs[0],
         l->dirs[1]);
  if (want)
    printf("%s takes (%s)\n", t->name, want);
  if (l->nrows)
    printf("%-*s  %-9s  %*s  %-*s  %s\n", w[0], "NAME", "KIND", w[1], "SIZE",
           w[2], "TYPES", "PREVIEW");
  for (size_t i = 0; i < l->nrows; i++) {
    const cfz_corpus_row *r = &l->rows[i];
    char size[32] = "-";
    if (r->size >= 0)
      snprintf(size, sizeof size, "%lld", r->size);
    printf("%-*s  %-9s  %*s  ", w[0], r->name, r->kind, w[1], size);
    if (r->error)
      printf("error: %s\n", r->error);
    else if (r->mismatch)
      printf("%-*s  mismatch: %s\n", w[2], r->types, r->mismatch);
    else
      printf("%-*s  %s\n", w[2], r->types, r->preview);
  }
  printf("total: %zu seed file%s, %zu generated file%s, %lld bytes",
         l->counts[0], l->counts[0] == 1 ? "" : "s", l->counts[1],
         l->counts[1] == 1 ? "" : "s", l->bytes);
  if (l->errors)
    printf(", %zu malformed", l->errors);
  if (l->mismatches)
    printf(", %zu of other types", l->mismatches);
  printf("\n");
}

/* True when path exists (whatever it is: one that cannot be read is
 * reported by the listing). */
static bool exists(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0 || errno != ENOENT;
}

/* Lists one target's seed and generated corpora.  A target given by name
 * with neither directory is unknown here: a typo, or another project's
 * (exit 2, nothing listed); an executable's target may have no corpus yet. */
static int ls_target(const target_spec *t, const char *testdata,
                     const char *cache, bool json) {
  cfz_corpus_listing l;
  char err[1024];
  int rc = 0;
  if (cfz_corpus_list(testdata, cache, t->name, t->types,
                      t->have_types ? t->ntypes : 0, &l, err,
                      sizeof err) != 0) {
    fprintf(stderr, "cfz: %s\n", err);
    rc = 2;
  }
  if (rc == 0 && !t->have_types && !exists(l.dirs[0]) && !exists(l.dirs[1])) {
    fprintf(stderr,
            "cfz corpus ls: no corpus for target %s: neither %s nor %s "
            "exists (`cfz corpus ls` lists the targets that have one)\n",
            t->name, l.dirs[0], l.dirs[1]);
    cfz_corpus_listing_free(&l);
    return 2;
  }
  char *want =
      t->have_types ? cfz_types_string(t->types, t->ntypes, ",") : NULL;
  if (json) {
    if (ls_json(t, &l, want) != 0)
      rc = 2;
  } else {
    ls_text(t, &l, want);
  }
  free(want);
  cfz_corpus_listing_free(&l);
  if (fflush(stdout) != 0) {
    fprintf(stderr, "cfz: write stdout: %s\n", strerror(errno));
    rc = 2;
  }
  return rc;
}

typedef struct target_sum {
  char *name;
  size_t files[2];
  long long bytes;
} target_sum;

static int cmp_sum(const void *a, const void *b) {
  return strcmp(((const target_sum *)a)->name, ((const target_sum *)b)->name);
}

/* Lists every target found under the two roots. */
/* The summary of target name under root k, created when new. */
static target_sum *sum_of(target_sum **sums, size_t *n, const char *name) {
  for (size_t j = 0; j < *n; j++)
    if (!strcmp((*sums)[j].name, name))
      return &(*sums)[j];
  target_sum *ns = realloc(*sums, (*n + 1) * sizeof *ns);
  if (!ns) {
    oom();
    exit(2);
  }
  *sums = ns;
  target_sum *s = &ns[(*n)++];
  memset(s, 0, sizeof *s);
  s->name = xstrdup(name);
  return s;
}

/* Counts the files and bytes of every target under the two roots, sorted
 * by name.  Returns 0, or 2 when a directory could not be read. */
static int gather_sums(const char *const roots[2], target_sum **sums,
                       size_t *nsums) {
  int rc = 0;
  for (int k = 0; k < 2; k++) {
    dirent_info *ents;
    size_t n;
    if (read_dir(roots[k], true, &ents, &n) != 0) {
      rc = 2;
      continue;
    }
    for (size_t i = 0; i < n; i++) {
      if (!cfz_target_name_ok(ents[i].name))
        continue;
      target_sum *s = sum_of(sums, nsums, ents[i].name);
      dirent_info *files;
      size_t nf;
      if (read_dir(ents[i].path, false, &files, &nf) != 0)
        rc = 2;
      for (size_t f = 0; f < nf; f++)
        s->bytes += files[f].size > 0 ? files[f].size : 0;
      s->files[k] += nf;
      free_infos(files, nf);
    }
    free_infos(ents, n);
  }
  if (*nsums)
    qsort(*sums, *nsums, sizeof **sums, cmp_sum);
  return rc;
}

static int ls_all_json(const char *const roots[2], const target_sum *sums,
                       size_t nsums, const size_t tot[2], long long tbytes) {
  int rc = 0;
  for (size_t i = 0; i < nsums; i++) {
    json_t *o = json_pack("{s:o,s:I,s:I,s:I}", "target", jstr(sums[i].name),
                          "seed_files", (json_int_t)sums[i].files[0],
                          "generated_files", (json_int_t)sums[i].files[1],
                          "bytes", (json_int_t)sums[i].bytes);
    if (print_json(o) != 0)
      rc = 2;
  }
  json_t *o = json_pack("{s:{s:o,s:o,s:I,s:I,s:I,s:I}}", "totals", "testdata",
                        jstr(roots[0]), "cache_dir", jstr(roots[1]), "targets",
                        (json_int_t)nsums, "seed_files", (json_int_t)tot[0],
                        "generated_files", (json_int_t)tot[1], "bytes",
                        (json_int_t)tbytes);
  return print_json(o) != 0 ? 2 : rc;
}

static void ls_all_text(const char *const roots[2], const target_sum *sums,
                        size_t nsums, const size_t tot[2], long long tbytes) {
  int wname = 6;
  for (size_t i = 0; i < nsums; i++)
    if ((int)strlen(sums[i].name) > wname)
      wname = (int)strlen(sums[i].name);
  printf("seed corpora: %s, generated corpora: %s\n", roots[0], roots[1]);
  if (nsums)
    printf("%-*s  %6s  %9s  %10s\n", wname, "TARGET", "SEEDS", "GENERATED",
           "BYTES");
  for (size_t i = 0; i < nsums; i++)
    printf("%-*s  %6zu  %9zu  %10lld\n", wname, sums[i].name, sums[i].files[0],
           sums[i].files[1], sums[i].bytes);
  printf("total: %zu target%s, %zu seed file%s, %zu generated file%s, %lld "
         "bytes\n",
         nsums, nsums == 1 ? "" : "s", tot[0], tot[0] == 1 ? "" : "s", tot[1],
         tot[1] == 1 ? "" : "s", tbytes);
}

static int ls_all(const char *testdata, const char *cache, bool json) {
  const char *const roots[2] = {testdata, cache};
  target_sum *sums = NULL;
  size_t nsums = 0;
  int rc = gather_sums(roots, &sums, &nsums);
  size_t tot[2] = {0, 0};
  long long tbytes = 0;
  for (size_t i = 0; i < nsums; i++) {
    tot[0] += sums[i].files[0];
    tot[1] += sums[i].files[1];
    tbytes += sums[i].bytes;
  }
  if (json) {
    if (ls_all_json(roots, sums, nsums, tot, tbytes) != 0)
      rc = 2;
  } else {
    ls_all_text(roots, sums, nsums, tot, tbytes);
  }
  for (size_t i = 0; i < nsums; i++)
    free(sums[i].name);
  free(sums);
  if (fflush(stdout) != 0) {
    fprintf(stderr, "cfz: write stdout: %s\n", strerror(errno));
    rc = 2;
  }
  return rc;
}

static void ls_usage(FILE *f) { fputs(usage_ls, f); }

int cfz_corpus_ls(int argc, char **argv) {
  static const cfz_command cmd = {
      .name = "cfz corpus ls",
      .options = "json testdata cache-dir target help",
      .usage = ls_usage,
      .max_operands = 1,
      .target_is_name = true,
      .operands_error = "cfz corpus ls: at most one target"};
  cfz_cli o;
  int rc = cfz_parse_command(&cmd, argc, argv, &o);
  if (rc >= 0)
    return rc;
  bool json = o.run.json;
  const char *testdata = o.run.testdata_dir, *cache_opt = o.run.cache_dir,
             *want = o.run.target_name;
  char *cache = cache_opt ? xstrdup(cache_opt) : cfz_project_cache_dir();
  if (!cache) {
    oom();
    return 2;
  }
  if (o.noperands > 0) {
    target_spec t;
    rc = resolve_target(o.operands[0], want, &t);
    if (rc == 0)
      rc = ls_target(&t, testdata, cache, json);
  } else if (want) {
    fprintf(stderr, "cfz corpus ls: --target needs a target executable\n");
    rc = 2;
  } else {
    rc = ls_all(testdata, cache, json);
  }
  free(cache);
  return rc;
}
