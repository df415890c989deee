/* corpus_merge.c - `cfz corpus merge [-o DIR] ./target [DIR...]`. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
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

static bool kept(const cfz_merge_result *m, const char *path) {
  for (size_t i = 0; i < m->kept; i++)
    if (m->kept_origins[i] && !strcmp(m->kept_origins[i], path))
      return true;
  return false;
}

/* Removes the generated-corpus files that were not kept.  Returns the count
 * removed, or -1. */
static long prune(const char *dir, const cfz_merge_result *m) {
  DIR *d = opendir(dir);
  if (!d)
    return errno == ENOENT ? 0 : -1;
  long removed = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.')
      continue;
    char path[PATH_MAX];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >=
        sizeof path)
      continue; /* cannot be one we wrote */
    if (kept(m, path))
      continue;
    if (unlink(path) != 0)
      fprintf(stderr, "cfz: remove %s: %s\n", path, strerror(errno));
    else
      removed++;
  }
  closedir(d);
  return removed;
}

int cfz_cmd_corpus_merge(int argc, char **argv) {
  cfz_options o;
  cfz_options_defaults(&o);
  o.mode = CFZ_MODE_MERGE;
  /* One worker: inputs are judged in order against the coverage of those
   * before them, so the result is the same every time. */
  o.parallel = 1;
  const char *output = NULL;
  static const struct option longopts[] = {
      CFZ_COMMON_LONG_OPTIONS,
      {"output", required_argument, 0, 'o'},
      {"testdata", required_argument, 0, OPT_TESTDATA},
      {"cache-dir", required_argument, 0, OPT_CACHE_DIR},
      {0, 0, 0, 0}};
  int rc = cfz_parse_options(argc, argv, "+o:j:t:h", longopts, &o,
                             cfz_output_option, &output, merge_usage);
  if (rc >= 0)
    return rc;
  if (optind >= argc) {
    fprintf(stderr, "cfz corpus merge: expected a target executable\n\n");
    merge_usage(stderr);
    return 2;
  }
  char path[4096];
  if (cfz_target_arg(argv[optind], path, sizeof path) != 0)
    return 2;
  o.target_path = path;
  o.merge_dirs = (const char *const *)argv + optind + 1;
  o.nmerge_dirs = (size_t)(argc - optind - 1);
  o.merge_skip_cache = output != NULL;
  cfz_merge_result m = {0};
  o.merge = &m;
  int code = cfz_coordinator_run(&o);
  if (code != 0) {
    cfz_merge_result_free(&m);
    return code;
  }
  /* Where the kept set goes: -o DIR, or the generated corpus. */
  char dir[PATH_MAX];
  if (output) {
    snprintf(dir, sizeof dir, "%s", output);
  } else if (m.cache_dir[0]) {
    snprintf(dir, sizeof dir, "%s", m.cache_dir);
  } else {
    fprintf(stderr, "cfz: cannot tell the generated corpus directory\n");
    cfz_merge_result_free(&m);
    return 2;
  }
  size_t written = 0, failed = 0;
  for (size_t i = 0; i < m.kept; i++) {
    char out[PATH_MAX], err[512];
    if (cfz_corpus_write(dir, m.kept_values[i].v, m.kept_values[i].n, out,
                         sizeof out, err, sizeof err) != 0) {
      fprintf(stderr, "%s\n", err);
      failed++;
      continue;
    }
    written++;
  }
  long removed = 0;
  if (!output && !failed)
    removed = prune(dir, &m);
  printf("merge: %zu candidate input(s), %zu kept in %s (features: %llu)",
         m.candidates, m.kept, dir, (unsigned long long)m.features);
  if (!output)
    printf(", %ld removed", removed);
  printf("\n");
  cfz_merge_result_free(&m);
  return failed ? 2 : 0;
}
