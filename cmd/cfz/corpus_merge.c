/* corpus_merge.c - `cfz corpus merge [-o DIR] ./target [DIR...]`. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "corpus_store.h"

static void merge_usage(FILE *f) {
  fprintf(
      f,
      "usage: cfz corpus merge [options] ./target [DIR...]\n"
      "\n"
      "Keeps the smallest set of inputs that preserves coverage, like\n"
      "libFuzzer -merge=1 or afl-cmin.  Candidates are the target's generated\n"
      "corpus and the files in each DIR (raw or cfz format); they run after "
      "the\n"
      "seed corpus, smallest first, and an input is kept when it adds "
      "features.\n"
      "Without -o the generated corpus is rewritten to the kept set (files "
      "that\n"
      "add nothing are removed from it; the seed corpus is never touched).\n"
      "\n"
      "options:\n"
      "  -o, --output DIR        write the kept set to DIR instead; the "
      "generated\n"
      "                          corpus is then left as it is and not a "
      "candidate\n"
      "  -j, --parallel N        worker processes (default 1: deterministic;\n"
      "                          more is faster but may keep a few redundant "
      "inputs)\n"
      "  -t, --target NAME       the target, when the executable holds "
      "several\n"
      "      --testdata DIR      seed corpora root (default testdata/fuzz)\n"
      "      --cache-dir DIR     generated corpora root\n"
      "      --timeout D, --max-len N, --rss-limit MB   as for cfz run\n"
      "  -h, --help              show this help\n");
}

/* Writes the kept set into dir; returns how many could not be written. */
static size_t store_kept(const cfz_merge_result *m, const char *dir) {
  size_t failed = 0;
  for (size_t i = 0; i < m->kept; i++) {
    char out[PATH_MAX], err[512];
    if (cfz_corpus_write(dir, m->kept_values[i].v, m->kept_values[i].n, out,
                         sizeof out, err, sizeof err) != 0) {
      fprintf(stderr, "%s\n", err);
      failed++;
    }
  }
  return failed;
}

/* After the run (its status line ended): a message on stderr, as the
 * other messages of this command. */
static void print_warning(void *ctx, const char *message) {
  (void)ctx;
  fprintf(stderr, "%s\n", message);
}

/* One worker: inputs are judged in order against the coverage of those
 * before them, so the result is the same every time. */
int cfz_cmd_corpus_merge(int argc, char **argv) {
  cfz_cli o;
  static const cfz_command cmd = {
      .name = "cfz corpus merge",
      .options = CFZ_COMMON_OPTIONS " output testdata cache-dir",
      .usage = merge_usage,
      .min_operands = 1,
      .one_worker = true,
      .operands_error = "cfz corpus merge: expected a target executable"};
  int rc = cfz_parse_command(&cmd, argc, argv, &o);
  if (rc >= 0)
    return rc;
  if (cfz_check_dirs(cmd.name, o.operands + 1, o.noperands - 1) != 0)
    return 2;
  cfz_merge_options mo = {.dirs = (const char *const *)o.operands + 1,
                          .ndirs = (size_t)o.noperands - 1,
                          .skip_cache = o.output != NULL};
  cfz_merge_result m = {0};
  int code = cfz_merge(&o.run, &mo, &m);
  if (code != 0) {
    cfz_merge_result_free(&m);
    return code;
  }
  /* Where the kept set goes: -o DIR, or the generated corpus. */
  char dir[PATH_MAX];
  if (o.output) {
    snprintf(dir, sizeof dir, "%s", o.output);
  } else if (m.cache_dir[0]) {
    snprintf(dir, sizeof dir, "%s", m.cache_dir);
  } else {
    fprintf(stderr, "cfz: cannot tell the generated corpus directory\n");
    cfz_merge_result_free(&m);
    return 2;
  }
  size_t failed = store_kept(&m, dir);
  long removed = 0;
  if (!o.output && !failed)
    removed = cfz_corpus_prune(dir, (const char *const *)m.kept_origins, m.kept,
                               print_warning, NULL);
  printf("merge: %zu candidate input(s), %zu kept in %s (features: %llu)",
         m.candidates, m.kept, dir, (unsigned long long)m.features);
  if (!o.output)
    printf(", %ld removed", removed);
  printf("\n");
  cfz_merge_result_free(&m);
  return failed ? 2 : 0;
}
