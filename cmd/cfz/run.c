/* run.c - `cfz run [options] ./target`. */
#include <stdio.h>

#include "commands.h"

static void run_usage(FILE *f) {
  fprintf(
      f,
      "usage: cfz run [options] ./target [CORPUS_DIR...]\n"
      "\n"
      "Fuzzes the target executable with N worker processes until a failure, "
      "a\n"
      "limit, or Ctrl-C.  A failure is minimized and written to\n"
      "testdata/fuzz/<Target>/<hash>; new inputs go to the generated corpus.\n"
      "CORPUS_DIRs (e.g. a libFuzzer corpus) are read as more seed inputs;\n"
      "each must exist.  Options may also follow the target; '--' ends them.\n"
      "\n"
      "options:\n"
      "  -j, --parallel N        worker processes (default: number of CPUs)\n"
      "  -t, --target NAME       the target to fuzz, when the executable holds "
      "several\n"
      "      --fuzz-time D       stop after a duration (30s, 5m) or a count "
      "(1000x)\n"
      "      --minimize-time D   budget to minimize a failure (default 60s; 0 "
      "= off)\n"
      "      --timeout D         an input running longer is a hang (default "
      "10s)\n"
      "      --max-len N         largest bytes/string value the mutator makes "
      "(4096,\n"
      "                          or the largest corpus input when not given)\n"
      "      --seed N            seed the random generator (reproducible with "
      "-j 1)\n"
      "      --deterministic     workers in lockstep rounds: with --seed, -j N "
      "repeats\n"
      "                          too (slower: each round waits for its "
      "slowest batch)\n"
      "      --rss-limit MB      a worker above this resident memory fails "
      "(2048; 0 = off)\n"
      "      --malloc-limit MB   one larger allocation fails, in ASan builds "
      "(default:\n"
      "                          the --rss-limit; 0 = off)\n"
      "      --dict FILE         libFuzzer/AFL dictionary of tokens to insert\n"
      "      --use-value-profile add compare-distance features\n"
      "      --keep-going        write each distinct failure and go on "
      "fuzzing\n"
      "      --testdata DIR      seed corpora root (default testdata/fuzz)\n"
      "      --cache-dir DIR     generated corpora root (default "
      "$XDG_CACHE_HOME/cfz/\n"
      "                          <project>-<hash>: one per project)\n"
      "      --no-feedback       ignore coverage: fuzz blind (for "
      "comparisons)\n"
      "      --json              print one JSON event per line on stdout\n"
      "      --stats FILE        write a CSV row of stats every status "
      "interval (default:\n"
      "                          <Target>.stats.csv beside the generated "
      "corpus)\n"
      "      --status-interval D\n"
      "                          time between status updates and stats rows "
      "(3s)\n"
      "  -h, --help              show this help\n");
}

int cfz_cmd_run(int argc, char **argv) {
  cfz_cli o;
  static const cfz_command cmd = {
      .name = "cfz run",
      .options = CFZ_COMMON_OPTIONS " fuzz-time seed testdata cache-dir dict"
                                    " keep-going deterministic"
                                    " use-value-profile json no-feedback"
                                    " stats status-interval",
      .usage = run_usage,
      .min_operands = 1,
      .operands_error = "cfz run: expected a target executable"};
  int rc = cfz_parse_command(&cmd, argc, argv, &o);
  if (rc >= 0)
    return rc;
  /* What follows the target must be existing corpus directories, so that a
   * misspelt path is not silently taken as an empty corpus. */
  if (cfz_check_dirs(cmd.name, o.operands + 1, o.noperands - 1) != 0)
    return 2;
  /* An explicit stats file: its directory is made (stats.md) and checked
   * now, not at the first row, minutes into the run. */
  if (o.fuzz.stats_path &&
      cfz_check_output_file(cmd.name, "--stats", o.fuzz.stats_path, true) != 0)
    return 2;
  o.run.corpus_dirs = (const char *const *)o.operands + 1;
  o.run.ncorpus_dirs = (size_t)o.noperands - 1;
  return cfz_fuzz(&o.run, &o.fuzz);
}
