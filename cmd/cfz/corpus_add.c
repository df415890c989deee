/* corpus_add.c - `cfz corpus add`: import files into a seed corpus. */
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

static void add_usage(FILE *f) { fputs(usage_add, f); }

typedef struct add_tally {
  size_t added, present, skipped;
} add_tally;

/* Imports one file into dir. */
static void add_file(const char *file, const target_spec *t, const char *dir,
                     add_tally *n) {
  cfz_values vals = {0};
  char err[1024], path[PATH_MAX];
  if (cfz_corpus_read_file(file, &vals, err, sizeof err) != 0) {
    fprintf(stderr, "cfz: %s\n", err);
    n->skipped++;
    return;
  }
  char *mm =
      t->have_types ? mismatch_message(file, &vals, t->types, t->ntypes) : NULL;
  if (mm) {
    fprintf(stderr, "cfz: %s\n", mm);
    free(mm);
    n->skipped++;
  } else {
    bool exists = cfz_corpus_has(dir, vals.v, vals.n);
    if (cfz_corpus_write(dir, vals.v, vals.n, path, sizeof path, err,
                         sizeof err) != 0) {
      fprintf(stderr, "%s\n", err);
      n->skipped++;
    } else if (exists) {
      printf("%s: already in the corpus as %s\n", file, path);
      n->present++;
    } else {
      printf("%s -> %s\n", file, path);
      n->added++;
    }
  }
  cfz_values_free(&vals);
}

int cfz_corpus_add(int argc, char **argv) {
  static const cfz_command cmd = {
      .name = "cfz corpus add",
      .options = "testdata types target help",
      .usage = add_usage,
      .min_operands = 2,
      .target_is_name = true,
      .operands_error = "cfz corpus add: needs a target and at least one file"};
  cfz_cli o;
  int rc = cfz_parse_command(&cmd, argc, argv, &o);
  if (rc >= 0)
    return rc;
  target_spec t;
  cfz_type types[MAX_PARAMS];
  size_t ntypes = 0;
  if (o.types && parse_types(o.types, types, &ntypes) != 0)
    return 2;
  if ((rc = resolve_target(o.operands[0], o.run.target_name, &t)) != 0)
    return rc;
  if (o.types) {
    memcpy(t.types, types, ntypes * sizeof *types);
    t.ntypes = ntypes;
    t.have_types = true;
  }
  if (!t.have_types)
    fprintf(stderr, "cfz: note: value types not checked (give --types or the "
                    "target executable)\n");
  char *dir = join_path(o.run.testdata_dir, t.name);
  add_tally n = {0};
  for (int i = 1; i < o.noperands; i++)
    add_file(o.operands[i], &t, dir, &n);
  printf("added %zu file%s to %s", n.added, n.added == 1 ? "" : "s", dir);
  if (n.present)
    printf(" (%zu already there)", n.present);
  if (n.skipped)
    printf(", skipped %zu", n.skipped);
  printf("\n");
  free(dir);
  if (fflush(stdout) != 0) {
    fprintf(stderr, "cfz: write stdout: %s\n", strerror(errno));
    return 2;
  }
  return n.skipped ? 1 : 0;
}
