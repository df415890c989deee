/* corpus.c - `cfz corpus`: the dispatcher and what its subcommands share
 * (docs/corpus-commands.md).  ls, show, add and merge are in corpus_ls.c,
 * corpus_show.c, corpus_add.c and corpus_merge.c. */
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
#include "target_probe.h"

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

/* ---- small helpers ---- */

void oom(void) { fprintf(stderr, "cfz: out of memory\n"); }

char *xstrdup(const char *s) {
  char *p = strdup(s);
  if (!p) {
    oom();
    exit(2);
  }
  return p;
}

char *join_path(const char *dir, const char *name) {
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

bool cli_is_buffer(cfz_type t) { return t == CFZ_BYTES || t == CFZ_STRING; }

/* "cfz: x: has 1 value (bytes), target takes 2 (bytes, uint8)", without the
 * "cfz: " prefix, or NULL when the values match. */
char *mismatch_message(const char *file, const cfz_values *vals,
                       const cfz_type *types, size_t ntypes) {
  char *why = cfz_values_mismatch(vals, types, ntypes);
  if (!why || !file)
    return why;
  cfz_strbuf b = {0};
  cfz_sb_printf(&b, "%s: %s", file, why);
  free(why);
  char *s = cfz_sb_take(&b);
  if (!s) {
    oom();
    exit(2);
  }
  return s;
}

/* Parses "bytes,uint8" into types; prints why not and returns -1. */
int parse_types(const char *list, cfz_type *types, size_t *n) {
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
 * file, the argument is a target executable; with a '/' and nothing there,
 * an error naming the path; otherwise a target name.
 * Returns 0, or 2 with a message printed. */
int resolve_target(const char *arg, const char *want, target_spec *t) {
  memset(t, 0, sizeof *t);
  struct stat st;
  if (strchr(arg, '/') && stat(arg, &st) != 0) {
    /* A path, not a name: say why it is not a target executable. */
    fprintf(stderr, "cfz: %s: %s\n", arg, strerror(errno));
    return 2;
  }
  if (strchr(arg, '/') && S_ISREG(st.st_mode)) {
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
  if (!cfz_target_name_ok(t->name)) {
    fprintf(stderr, "cfz: invalid target name \"%s\"\n", t->name);
    return 2;
  }
  return 0;
}

/* ---- dispatch ---- */

static void corpus_usage(FILE *f) { fputs(usage_corpus, f); }

int cfz_cmd_corpus(int argc, char **argv) {
  static const cfz_subcommand subs[] = {{"ls", cfz_corpus_ls},
                                        {"show", cfz_corpus_show},
                                        {"add", cfz_corpus_add},
                                        {"merge", cfz_cmd_corpus_merge},
                                        {NULL, NULL}};
  return cfz_dispatch("cfz corpus", "subcommand", subs, argc, argv,
                      corpus_usage);
}
