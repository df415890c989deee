/* corpus.c - `cfz corpus ls | show | add`: listing, decoding and importing
 * corpus files (docs/corpus-commands.md).  `cfz corpus merge` is in
 * corpus_merge.c. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "content_hash.h"
#include "corpus_format.h"
#include "corpus_store.h"
#include "target_probe.h"

#define MAX_PARAMS 64
#define PREVIEW_CHARS 32  /* escaped characters in an `ls` preview */
#define SHOW_CHARS 4096   /* escaped characters of one value in `show` */
#define HEXDUMP_MIN 32    /* bytes values longer than this get a dump */
#define HEXDUMP_BYTES 256 /* how much of them is dumped */

/* ---- usage ---- */

static const char usage_corpus[] =
    "usage: cfz corpus <subcommand> [options] [arguments]\n"
    "\n"
    "subcommands:\n"
    "  ls [TARGET | ./target]          list the corpora of every target, or\n"
    "                                  the files of one target's corpora\n"
    "  show FILE...                    decode corpus files and print their\n"
    "                                  values\n"
    "  add TARGET|./target FILE...     import files into a seed corpus\n"
    "  merge ...                       merge corpora (see 'cfz corpus merge "
    "--help')\n"
    "\n"
    "Run 'cfz corpus <subcommand> --help' for its options.\n";

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
    "$XDG_CACHE_HOME/cfz,\n"
    "                        else ~/.cache/cfz)\n"
    "  -t, --target NAME     which target of the executable (default: the "
    "first)\n"
    "  -h, --help            print this help\n";

static const char usage_show[] =
    "usage: cfz corpus show FILE...\n"
    "\n"
    "Decodes each corpus file (cfz or Go text format, or raw bytes) and\n"
    "prints its values, one per line as `type: value`.  Exit status 1 when a\n"
    "file cannot be read or decoded.\n"
    "\n"
    "options:\n"
    "  -h, --help            print this help\n";

static const char usage_add[] =
    "usage: cfz corpus add [options] TARGET|./target FILE...\n"
    "\n"
    "Imports raw or cfz-format files into the seed corpus <testdata>/TARGET/,\n"
    "written in the cfz text format and named by content hash.  Files whose\n"
    "values do not match the target's parameter types (from --types, or\n"
    "from the target executable) are reported and skipped (exit status 1).\n"
    "\n"
    "options:\n"
    "      --testdata DIR    seed corpora root (default testdata/fuzz)\n"
    "      --types LIST      the target's parameter types, e.g. "
    "bytes,uint8\n"
    "  -t, --target NAME     which target of the executable (default: the "
    "first)\n"
    "  -h, --help            print this help\n";

enum { CO_JSON = 300, CO_TESTDATA, CO_CACHE_DIR, CO_TYPES };

/* Reports a getopt error for `cfz corpus SUB`; returns 2. */
static int bad_option(const char *sub, int c, char **argv, const char *usage) {
  const char *arg = argv[optind - 1];
  if (c == ':')
    fprintf(stderr, "cfz corpus %s: option %s needs a value\n", sub, arg);
  else if (optopt && optopt != '?')
    fprintf(stderr, "cfz corpus %s: unknown option -%c\n", sub, optopt);
  else
    fprintf(stderr, "cfz corpus %s: unknown option %s\n", sub, arg);
  fprintf(stderr, "\n%s", usage);
  return 2;
}

/* ---- small helpers ---- */

static void oom(void) { fprintf(stderr, "cfz: out of memory\n"); }

static char *xstrdup(const char *s) {
  char *p = strdup(s);
  if (!p) {
    oom();
    exit(2);
  }
  return p;
}

static char *join_path(const char *dir, const char *name) {
  size_t a = strlen(dir), b = strlen(name);
  char *p = malloc(a + b + 2);
  if (!p) {
    oom();
    exit(2);
  }
  memcpy(p, dir, a);
  p[a] = '/';
  memcpy(p + a + 1, name, b + 1);
  return p;
}

static bool is_buffer(cfz_type t) { return t == CFZ_BYTES || t == CFZ_STRING; }

/* "bytes,uint8" (sep ",") or "bytes, uint8" (sep ", "). */
static char *types_string(const cfz_type *types, size_t n, const char *sep) {
  cfz_strbuf b = {0};
  for (size_t i = 0; i < n; i++) {
    const char *name = cfz_type_name(types[i]);
    cfz_sb_printf(&b, "%s%s", i ? sep : "", name ? name : "?");
  }
  return cfz_sb_take(&b);
}

static char *value_types_string(const cfz_values *vals, const char *sep) {
  cfz_type *t = malloc((vals->n ? vals->n : 1) * sizeof *t);
  if (!t)
    return NULL;
  for (size_t i = 0; i < vals->n; i++)
    t[i] = vals->v[i].type;
  char *s = types_string(t, vals->n, sep);
  free(t);
  return s;
}

/* "cfz: x: has 1 value (bytes), target takes 2 (bytes, uint8)", without the
 * "cfz: " prefix, or NULL when the values match. */
static char *mismatch_message(const char *file, const cfz_values *vals,
                              const cfz_type *types, size_t ntypes) {
  if (cfz_values_match_types(vals->v, vals->n, types, ntypes))
    return NULL;
  char *have = value_types_string(vals, ", ");
  char *want = types_string(types, ntypes, ", ");
  cfz_strbuf b = {0};
  if (file)
    cfz_sb_printf(&b, "%s: ", file);
  cfz_sb_printf(&b, "has %zu value%s (%s), target takes %zu (%s)", vals->n,
                vals->n == 1 ? "" : "s", have ? have : "?", ntypes,
                want ? want : "?");
  free(have);
  free(want);
  char *s = cfz_sb_take(&b);
  if (!s) {
    oom();
    exit(2);
  }
  return s;
}

/* Parses "bytes,uint8" into types; prints why not and returns -1. */
static int parse_types(const char *list, cfz_type *types, size_t *n) {
  *n = 0;
  const char *p = list;
  for (;;) {
    const char *comma = strchr(p, ',');
    size_t len = comma ? (size_t)(comma - p) : strlen(p);
    while (len && (*p == ' ' || *p == '\t')) {
      p++;
      len--;
    }
    while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
      len--;
    char name[32];
    if (len == 0 || len >= sizeof name) {
      fprintf(stderr, "cfz: --types: bad type list \"%s\"\n", list);
      return -1;
    }
    memcpy(name, p, len);
    name[len] = '\0';
    if (*n == MAX_PARAMS) {
      fprintf(stderr, "cfz: --types: more than %d types\n", MAX_PARAMS);
      return -1;
    }
    if (cfz_type_from_name(name, &types[*n]) != 0) {
      fprintf(stderr,
              "cfz: --types: unknown type \"%s\" (types: bytes, string, "
              "bool, int8...int64, uint8...uint64, float32, float64)\n",
              name);
      return -1;
    }
    (*n)++;
    if (!comma)
      return 0;
    p = comma + 1;
  }
}

/* ---- asking a target executable for its targets ---- */

typedef struct target_spec {
  char name[256];
  cfz_type types[MAX_PARAMS];
  size_t ntypes;
  bool have_types;
} target_spec;

/* Asks exe for its targets and picks want (or the first).  Returns 0, or -1
 * with a message printed. */
static int query_target(const char *exe, const char *want, target_spec *t) {
  char err[1024];
  cfz_hello h;
  if (cfz_probe_targets(exe, &h, err, sizeof err) != 0) {
    fprintf(stderr, "cfz: %s\n", err);
    return -1;
  }
  const cfz_target_info *info = cfz_probe_pick(&h, exe, want, err, sizeof err);
  if (info) {
    snprintf(t->name, sizeof t->name, "%s", info->name);
    t->ntypes = info->nparams;
    memcpy(t->types, info->params, info->nparams * sizeof *t->types);
    t->have_types = t->ntypes > 0;
  } else {
    fprintf(stderr, "cfz: %s\n", err);
  }
  cfz_hello_free(&h);
  return info ? 0 : -1;
}

/* Resolves TARGET | ./target into t.  With a '/' and an existing regular
 * file, the argument is a target executable; otherwise a target name.
 * Returns 0, or 2 with a message printed. */
static int resolve_target(const char *arg, const char *want, target_spec *t) {
  memset(t, 0, sizeof *t);
  struct stat st;
  if (strchr(arg, '/') && stat(arg, &st) == 0 && S_ISREG(st.st_mode)) {
    if (access(arg, X_OK) != 0) {
      fprintf(stderr, "cfz: %s: not executable: %s\n", arg, strerror(errno));
      return 2;
    }
    if (query_target(arg, want, t) != 0)
      return 2;
  } else {
    if (want && strcmp(want, arg) != 0) {
      fprintf(stderr,
              "cfz: --target %s given with target name %s (--target is for "
              "a target executable)\n",
              want, arg);
      return 2;
    }
    if (strlen(arg) >= sizeof t->name) {
      fprintf(stderr, "cfz: invalid target name \"%.40s...\"\n", arg);
      return 2;
    }
    strcpy(t->name, arg);
  }
  if (!cfz_target_name_valid(t->name)) {
    fprintf(stderr, "cfz: invalid target name \"%s\"\n", t->name);
    return 2;
  }
  return 0;
}

/* ---- reading directories ---- */

typedef struct dirent_info {
  char *name;
  long long size; /* -1 when stat failed */
  int stat_errno;
} dirent_info;

static int cmp_info(const void *a, const void *b) {
  return strcmp(((const dirent_info *)a)->name, ((const dirent_info *)b)->name);
}

static void free_infos(dirent_info *v, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(v[i].name);
  free(v);
}

/* Lists dir's entries, sorted by name, skipping dotfiles: with dirs, the
 * sub-directories; otherwise the regular files (symbolic links followed;
 * an entry that cannot be stat'ed is kept with stat_errno set).  A missing
 * dir is empty.  Returns 0, or -1 with a message printed. */
static int read_dir(const char *dir, bool dirs, dirent_info **out, size_t *n) {
  *out = NULL;
  *n = 0;
  DIR *d = opendir(dir);
  if (!d) {
    if (errno == ENOENT)
      return 0;
    fprintf(stderr, "cfz: open %s: %s\n", dir, strerror(errno));
    return -1;
  }
  dirent_info *v = NULL;
  size_t cap = 0;
  int rc = 0;
  for (;;) {
    errno = 0;
    struct dirent *e = readdir(d);
    if (!e) {
      if (errno) {
        fprintf(stderr, "cfz: read %s: %s\n", dir, strerror(errno));
        rc = -1;
      }
      break;
    }
    if (e->d_name[0] == '.')
      continue;
    char *path = join_path(dir, e->d_name);
    struct stat st;
    int se = stat(path, &st) == 0 ? 0 : errno;
    free(path);
    if (dirs ? (se || !S_ISDIR(st.st_mode)) : (!se && !S_ISREG(st.st_mode)))
      continue;
    if (*n == cap) {
      cap = cap ? cap * 2 : 16;
      dirent_info *nv = realloc(v, cap * sizeof *nv);
      if (!nv) {
        oom();
        rc = -1;
        break;
      }
      v = nv;
    }
    v[*n].name = xstrdup(e->d_name);
    v[*n].size = se ? -1 : (long long)st.st_size;
    v[*n].stat_errno = se;
    (*n)++;
  }
  if (closedir(d) != 0 && rc == 0) {
    fprintf(stderr, "cfz: close %s: %s\n", dir, strerror(errno));
    rc = -1;
  }
  if (rc != 0) {
    free_infos(v, *n);
    *out = NULL;
    *n = 0;
    return -1;
  }
  if (*n)
    qsort(v, *n, sizeof *v, cmp_info);
  *out = v;
  return 0;
}

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

typedef struct file_row {
  const char *kind; /* "seed" or "generated" */
  char *name;
  char *path;
  long long size; /* -1: unknown */
  char *types;    /* "bytes,uint8"; NULL on error */
  char *preview;
  char *error;    /* why the file cannot be used, or NULL */
  char *mismatch; /* "has 1 value (bytes), target takes ..." or NULL */
} file_row;

static void free_row(file_row *r) {
  free(r->name);
  free(r->path);
  free(r->types);
  free(r->preview);
  free(r->error);
  free(r->mismatch);
}

static char *preview_of(const cfz_value *v) {
  cfz_strbuf b = {0};
  if (is_buffer(v->type))
    cfz_corpus_quote(&b, v->v.bytes.data, v->v.bytes.len, PREVIEW_CHARS);
  else
    cfz_corpus_literal(&b, v);
  return cfz_sb_take(&b);
}

/* Decodes one listed file into a row. */
static void fill_row(file_row *r, const char *kind, const char *dir,
                     const dirent_info *e, const target_spec *t) {
  memset(r, 0, sizeof *r);
  r->kind = kind;
  r->name = xstrdup(e->name);
  r->path = join_path(dir, e->name);
  r->size = e->size;
  if (e->stat_errno) {
    cfz_strbuf b = {0};
    cfz_sb_printf(&b, "stat %s: %s", r->path, strerror(e->stat_errno));
    r->error = cfz_sb_take(&b);
    return;
  }
  cfz_values vals = {0};
  char err[1024];
  if (cfz_corpus_read_file(r->path, &vals, err, sizeof err) != 0) {
    /* Drop the "PATH: " prefix: the row names the file. */
    size_t pl = strlen(r->path);
    const char *msg = err;
    if (!strncmp(err, r->path, pl) && !strncmp(err + pl, ": ", 2))
      msg = err + pl + 2;
    r->error = xstrdup(msg);
    return;
  }
  r->types = value_types_string(&vals, ",");
  r->preview = vals.n ? preview_of(&vals.v[0]) : xstrdup("");
  if (!r->types || !r->preview) {
    oom();
    exit(2);
  }
  if (t->have_types)
    r->mismatch = mismatch_message(NULL, &vals, t->types, t->ntypes);
  cfz_values_free(&vals);
}

static int digits(long long v) {
  int d = 1;
  while (v >= 10) {
    v /= 10;
    d++;
  }
  return d;
}

/* Lists one target's seed and generated corpora. */
static int ls_target(const target_spec *t, const char *testdata,
                     const char *cache, bool json) {
  char *dirs[2] = {join_path(testdata, t->name), join_path(cache, t->name)};
  const char *kinds[2] = {"seed", "generated"};
  file_row *rows = NULL;
  size_t nrows = 0, counts[2] = {0, 0};
  int rc = 0;
  for (int k = 0; k < 2; k++) {
    dirent_info *ents;
    size_t n;
    if (read_dir(dirs[k], false, &ents, &n) != 0) {
      rc = 2;
      continue;
    }
    file_row *nr = realloc(rows, (nrows + n + 1) * sizeof *nr);
    if (!nr) {
      oom();
      exit(2);
    }
    rows = nr;
    for (size_t i = 0; i < n; i++)
      fill_row(&rows[nrows++], kinds[k], dirs[k], &ents[i], t);
    counts[k] = n;
    free_infos(ents, n);
  }

  long long bytes = 0;
  size_t errors = 0, mismatches = 0;
  int wname = 4, wsize = 4, wtypes = 5;
  for (size_t i = 0; i < nrows; i++) {
    file_row *r = &rows[i];
    bytes += r->size > 0 ? r->size : 0;
    errors += r->error != NULL;
    mismatches += r->mismatch != NULL;
    if ((int)strlen(r->name) > wname)
      wname = (int)strlen(r->name);
    if (r->size >= 0 && digits(r->size) > wsize)
      wsize = digits(r->size);
    if (r->types && (int)strlen(r->types) > wtypes)
      wtypes = (int)strlen(r->types);
  }
  if (wtypes > 40)
    wtypes = 40;

  char *want = t->have_types ? types_string(t->types, t->ntypes, ",") : NULL;
  if (json) {
    for (size_t i = 0; i < nrows; i++) {
      file_row *r = &rows[i];
      json_t *o = json_object();
      if (!o) {
        oom();
        exit(2);
      }
      json_object_set_new(o, "target", jstr(t->name));
      json_object_set_new(o, "name", jstr(r->name));
      json_object_set_new(o, "path", jstr(r->path));
      json_object_set_new(o, "kind", json_string(r->kind));
      json_object_set_new(o, "size",
                          r->size >= 0 ? json_integer(r->size) : json_null());
      if (r->error) {
        json_object_set_new(o, "error", jstr(r->error));
      } else {
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
    json_t *tot = json_pack(
        "{s:{s:s,s:o,s:o,s:I,s:I,s:I,s:I}}", "totals", "target", t->name,
        "seed_dir", jstr(dirs[0]), "generated_dir", jstr(dirs[1]), "seed_files",
        (json_int_t)counts[0], "generated_files", (json_int_t)counts[1],
        "bytes", (json_int_t)bytes, "errors", (json_int_t)errors);
    if (tot && want)
      json_object_set_new(json_object_get(tot, "totals"), "target_types",
                          json_string(want));
    if (tot && t->have_types)
      json_object_set_new(json_object_get(tot, "totals"), "mismatches",
                          json_integer((json_int_t)mismatches));
    if (print_json(tot) != 0)
      rc = 2;
  } else {
    printf("%s: seed corpus %s, generated corpus %s\n", t->name, dirs[0],
           dirs[1]);
    if (want)
      printf("%s takes (%s)\n", t->name, want);
    if (nrows)
      printf("%-*s  %-9s  %*s  %-*s  %s\n", wname, "NAME", "KIND", wsize,
             "SIZE", wtypes, "TYPES", "PREVIEW");
    for (size_t i = 0; i < nrows; i++) {
      file_row *r = &rows[i];
      char size[32];
      if (r->size >= 0)
        snprintf(size, sizeof size, "%lld", r->size);
      else
        strcpy(size, "-");
      printf("%-*s  %-9s  %*s  ", wname, r->name, r->kind, wsize, size);
      if (r->error)
        printf("error: %s\n", r->error);
      else if (r->mismatch)
        printf("%-*s  mismatch: %s\n", wtypes, r->types, r->mismatch);
      else
        printf("%-*s  %s\n", wtypes, r->types, r->preview);
    }
    printf("total: %zu seed file%s, %zu generated file%s, %lld bytes",
           counts[0], counts[0] == 1 ? "" : "s", counts[1],
           counts[1] == 1 ? "" : "s", bytes);
    if (errors)
      printf(", %zu malformed", errors);
    if (mismatches)
      printf(", %zu of other types", mismatches);
    printf("\n");
  }
  free(want);
  for (size_t i = 0; i < nrows; i++)
    free_row(&rows[i]);
  free(rows);
  free(dirs[0]);
  free(dirs[1]);
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
static int ls_all(const char *testdata, const char *cache, bool json) {
  const char *roots[2] = {testdata, cache};
  target_sum *sums = NULL;
  size_t nsums = 0;
  int rc = 0;
  for (int k = 0; k < 2; k++) {
    dirent_info *ents;
    size_t n;
    if (read_dir(roots[k], true, &ents, &n) != 0) {
      rc = 2;
      continue;
    }
    for (size_t i = 0; i < n; i++) {
      if (!cfz_target_name_valid(ents[i].name))
        continue;
      target_sum *s = NULL;
      for (size_t j = 0; j < nsums && !s; j++)
        if (!strcmp(sums[j].name, ents[i].name))
          s = &sums[j];
      if (!s) {
        target_sum *ns = realloc(sums, (nsums + 1) * sizeof *ns);
        if (!ns) {
          oom();
          exit(2);
        }
        sums = ns;
        s = &sums[nsums++];
        memset(s, 0, sizeof *s);
        s->name = xstrdup(ents[i].name);
      }
      char *dir = join_path(roots[k], ents[i].name);
      dirent_info *files;
      size_t nf;
      if (read_dir(dir, false, &files, &nf) != 0)
        rc = 2;
      for (size_t f = 0; f < nf; f++)
        s->bytes += files[f].size > 0 ? files[f].size : 0;
      s->files[k] += nf;
      free_infos(files, nf);
      free(dir);
    }
    free_infos(ents, n);
  }
  if (nsums)
    qsort(sums, nsums, sizeof *sums, cmp_sum);

  size_t tot[2] = {0, 0};
  long long tbytes = 0;
  int wname = 6;
  for (size_t i = 0; i < nsums; i++) {
    tot[0] += sums[i].files[0];
    tot[1] += sums[i].files[1];
    tbytes += sums[i].bytes;
    if ((int)strlen(sums[i].name) > wname)
      wname = (int)strlen(sums[i].name);
  }
  if (json) {
    for (size_t i = 0; i < nsums; i++) {
      json_t *o = json_pack("{s:o,s:I,s:I,s:I}", "target", jstr(sums[i].name),
                            "seed_files", (json_int_t)sums[i].files[0],
                            "generated_files", (json_int_t)sums[i].files[1],
                            "bytes", (json_int_t)sums[i].bytes);
      if (print_json(o) != 0)
        rc = 2;
    }
    json_t *o = json_pack("{s:{s:o,s:o,s:I,s:I,s:I,s:I}}", "totals", "testdata",
                          jstr(testdata), "cache_dir", jstr(cache), "targets",
                          (json_int_t)nsums, "seed_files", (json_int_t)tot[0],
                          "generated_files", (json_int_t)tot[1], "bytes",
                          (json_int_t)tbytes);
    if (print_json(o) != 0)
      rc = 2;
  } else {
    printf("seed corpora: %s, generated corpora: %s\n", testdata, cache);
    if (nsums)
      printf("%-*s  %6s  %9s  %10s\n", wname, "TARGET", "SEEDS", "GENERATED",
             "BYTES");
    for (size_t i = 0; i < nsums; i++)
      printf("%-*s  %6zu  %9zu  %10lld\n", wname, sums[i].name,
             sums[i].files[0], sums[i].files[1], sums[i].bytes);
    printf("total: %zu target%s, %zu seed file%s, %zu generated file%s, %lld "
           "bytes\n",
           nsums, nsums == 1 ? "" : "s", tot[0], tot[0] == 1 ? "" : "s", tot[1],
           tot[1] == 1 ? "" : "s", tbytes);
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

static int cmd_ls(int argc, char **argv) {
  static const struct option longopts[] = {
      {"json", no_argument, 0, CO_JSON},
      {"testdata", required_argument, 0, CO_TESTDATA},
      {"cache-dir", required_argument, 0, CO_CACHE_DIR},
      {"target", required_argument, 0, 't'},
      {"help", no_argument, 0, 'h'},
      {0, 0, 0, 0}};
  bool json = false;
  const char *testdata = "testdata/fuzz", *cache_opt = NULL, *want = NULL;
  optind = 1;
  opterr = 0;
  int c;
  while ((c = getopt_long(argc, argv, ":ht:", longopts, NULL)) != -1) {
    switch (c) {
    case 'h':
      fputs(usage_ls, stdout);
      return 0;
    case 't':
      want = optarg;
      break;
    case CO_JSON:
      json = true;
      break;
    case CO_TESTDATA:
      testdata = optarg;
      break;
    case CO_CACHE_DIR:
      cache_opt = optarg;
      break;
    default:
      return bad_option("ls", c, argv, usage_ls);
    }
  }
  if (argc - optind > 1) {
    fprintf(stderr, "cfz corpus ls: at most one target\n\n%s", usage_ls);
    return 2;
  }
  char *cache = cache_opt ? xstrdup(cache_opt) : cfz_default_cache_dir();
  if (!cache) {
    oom();
    return 2;
  }
  int rc;
  if (optind < argc) {
    target_spec t;
    rc = resolve_target(argv[optind], want, &t);
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

/* ---- cfz corpus show ---- */

static void hexdump(const uint8_t *p, size_t len) {
  size_t n = len < HEXDUMP_BYTES ? len : HEXDUMP_BYTES;
  for (size_t off = 0; off < n; off += 16) {
    printf("    %08zx ", off);
    for (size_t i = 0; i < 16; i++) {
      if (off + i < n)
        printf("%s%02x", i == 8 ? "  " : " ", p[off + i]);
      else
        printf("%s  ", i == 8 ? "  " : " ");
    }
    printf("  |");
    for (size_t i = 0; i < 16 && off + i < n; i++) {
      uint8_t c = p[off + i];
      putchar(c >= 0x20 && c < 0x7f ? c : '.');
    }
    printf("|\n");
  }
  if (len > n)
    printf("    ... %zu more bytes\n", len - n);
}

/* The file's format, from its first line. */
static int file_format(const char *path, const char **fmt) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    fprintf(stderr, "cfz: open %s: %s\n", path, strerror(errno));
    return -1;
  }
  uint8_t buf[64];
  size_t len = 0;
  while (len < sizeof buf) {
    ssize_t r = read(fd, buf + len, sizeof buf - len);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0) {
      fprintf(stderr, "cfz: read %s: %s\n", path, strerror(errno));
      close(fd);
      return -1;
    }
    if (r == 0)
      break;
    len += (size_t)r;
  }
  if (close(fd) != 0) {
    fprintf(stderr, "cfz: close %s: %s\n", path, strerror(errno));
    return -1;
  }
  if (!cfz_corpus_is_text(buf, len))
    *fmt = "raw bytes (no header)";
  else if (len >= 2 && buf[0] == 'g' && buf[1] == 'o')
    *fmt = "go test fuzz v1";
  else
    *fmt = CFZ_CORPUS_HEADER;
  return 0;
}

static void show_value(const cfz_value *v) {
  const char *tn = cfz_type_name(v->type);
  cfz_strbuf b = {0};
  if (is_buffer(v->type)) {
    cfz_corpus_quote(&b, v->v.bytes.data, v->v.bytes.len, SHOW_CHARS);
    cfz_sb_printf(&b, " (%zu byte%s)", v->v.bytes.len,
                  v->v.bytes.len == 1 ? "" : "s");
  } else {
    cfz_corpus_literal(&b, v);
  }
  char *s = cfz_sb_take(&b);
  printf("  %s: %s\n", tn ? tn : "?", s ? s : "(out of memory)");
  free(s);
  if (is_buffer(v->type) && v->v.bytes.len > HEXDUMP_MIN)
    hexdump(v->v.bytes.data, v->v.bytes.len);
}

static int cmd_show(int argc, char **argv) {
  static const struct option longopts[] = {{"help", no_argument, 0, 'h'},
                                           {0, 0, 0, 0}};
  optind = 1;
  opterr = 0;
  int c;
  while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
    if (c == 'h') {
      fputs(usage_show, stdout);
      return 0;
    }
    return bad_option("show", c, argv, usage_show);
  }
  if (optind >= argc) {
    fprintf(stderr, "cfz corpus show: no file given\n\n%s", usage_show);
    return 2;
  }
  int rc = 0;
  for (int i = optind; i < argc; i++) {
    const char *path = argv[i];
    cfz_values vals = {0};
    char err[1024];
    if (cfz_corpus_read_file(path, &vals, err, sizeof err) != 0) {
      fflush(stdout);
      fprintf(stderr, "cfz: %s\n", err);
      rc = 1;
      continue;
    }
    const char *fmt;
    if (file_format(path, &fmt) != 0) {
      cfz_values_free(&vals);
      rc = 1;
      continue;
    }
    printf("%s: %s, %zu value%s\n", path, fmt, vals.n, vals.n == 1 ? "" : "s");
    for (size_t k = 0; k < vals.n; k++)
      show_value(&vals.v[k]);
    cfz_values_free(&vals);
  }
  if (fflush(stdout) != 0) {
    fprintf(stderr, "cfz: write stdout: %s\n", strerror(errno));
    return 2;
  }
  return rc;
}

/* ---- cfz corpus add ---- */

static int cmd_add(int argc, char **argv) {
  static const struct option longopts[] = {
      {"testdata", required_argument, 0, CO_TESTDATA},
      {"types", required_argument, 0, CO_TYPES},
      {"target", required_argument, 0, 't'},
      {"help", no_argument, 0, 'h'},
      {0, 0, 0, 0}};
  const char *testdata = "testdata/fuzz", *types_opt = NULL, *want = NULL;
  optind = 1;
  opterr = 0;
  int c;
  while ((c = getopt_long(argc, argv, ":ht:", longopts, NULL)) != -1) {
    switch (c) {
    case 'h':
      fputs(usage_add, stdout);
      return 0;
    case 't':
      want = optarg;
      break;
    case CO_TESTDATA:
      testdata = optarg;
      break;
    case CO_TYPES:
      types_opt = optarg;
      break;
    default:
      return bad_option("add", c, argv, usage_add);
    }
  }
  if (argc - optind < 2) {
    fprintf(stderr,
            "cfz corpus add: needs a target and at least one file\n\n%s",
            usage_add);
    return 2;
  }
  target_spec t;
  cfz_type types[MAX_PARAMS];
  size_t ntypes = 0;
  if (types_opt && parse_types(types_opt, types, &ntypes) != 0)
    return 2;
  int rc = resolve_target(argv[optind], want, &t);
  if (rc != 0)
    return rc;
  if (types_opt) {
    memcpy(t.types, types, ntypes * sizeof *types);
    t.ntypes = ntypes;
    t.have_types = true;
  }
  if (!t.have_types)
    fprintf(stderr, "cfz: note: value types not checked (give --types or the "
                    "target executable)\n");

  char *dir = join_path(testdata, t.name);
  size_t added = 0, present = 0, skipped = 0;
  for (int i = optind + 1; i < argc; i++) {
    const char *file = argv[i];
    cfz_values vals = {0};
    char err[1024];
    if (cfz_corpus_read_file(file, &vals, err, sizeof err) != 0) {
      fprintf(stderr, "cfz: %s\n", err);
      skipped++;
      continue;
    }
    char *mm =
        t.have_types ? mismatch_message(file, &vals, t.types, t.ntypes) : NULL;
    if (mm) {
      fprintf(stderr, "cfz: %s\n", mm);
      free(mm);
      cfz_values_free(&vals);
      skipped++;
      continue;
    }
    /* Same content hash as cfz_corpus_write: tell a new file from one that
     * is already there. */
    char *text = NULL;
    size_t len = 0;
    char name[17];
    bool exists = false;
    if (cfz_corpus_encode(vals.v, vals.n, &text, &len) != 0) {
      oom();
      exit(2);
    }
    if (cfz_content_name(text, len, name) == 0) {
      char *path = join_path(dir, name);
      struct stat st;
      exists = stat(path, &st) == 0;
      free(path);
    }
    free(text);
    char path[PATH_MAX];
    if (cfz_corpus_write(dir, vals.v, vals.n, path, sizeof path, err,
                         sizeof err) != 0) {
      fprintf(stderr, "%s\n", err);
      skipped++;
    } else if (exists) {
      printf("%s: already in the corpus as %s\n", file, path);
      present++;
    } else {
      printf("%s -> %s\n", file, path);
      added++;
    }
    cfz_values_free(&vals);
  }
  printf("added %zu file%s to %s", added, added == 1 ? "" : "s", dir);
  if (present)
    printf(" (%zu already there)", present);
  if (skipped)
    printf(", skipped %zu", skipped);
  printf("\n");
  free(dir);
  if (fflush(stdout) != 0) {
    fprintf(stderr, "cfz: write stdout: %s\n", strerror(errno));
    return 2;
  }
  return skipped ? 1 : 0;
}

/* ---- dispatch ---- */

int cfz_cmd_corpus(int argc, char **argv) {
  if (argc < 2) {
    fputs(usage_corpus, stderr);
    return 2;
  }
  const char *sub = argv[1];
  if (!strcmp(sub, "-h") || !strcmp(sub, "--help") || !strcmp(sub, "help")) {
    fputs(usage_corpus, stdout);
    return 0;
  }
  if (!strcmp(sub, "ls"))
    return cmd_ls(argc - 1, argv + 1);
  if (!strcmp(sub, "show"))
    return cmd_show(argc - 1, argv + 1);
  if (!strcmp(sub, "add"))
    return cmd_add(argc - 1, argv + 1);
  if (!strcmp(sub, "merge"))
    return cfz_cmd_corpus_merge(argc - 1, argv + 1);
  fprintf(stderr, "cfz corpus: unknown subcommand \"%s\"\n\n%s", sub,
          usage_corpus);
  return 2;
}
