/* test.c - `cfz test [--all] ./target`: regression replay of the corpus. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

static void test_usage(FILE *f) {
  fprintf(
      f,
      "usage: cfz test [options] ./target\n"
      "\n"
      "Runs every seed corpus entry (the target's cfz_add seeds and\n"
      "testdata/fuzz/<Target>/*) once, in worker processes, and reports each\n"
      "failure.  Exit status 0 when all pass, 1 when one fails, 2 on set-up\n"
      "errors.  For CI: see docs/ci.md and cfz_add_fuzz_test() in CMake.\n"
      "\n"
      "options:\n"
      "      --all               also run the generated corpus (cache dir)\n"
      "  -j, --parallel N        worker processes (default: number of CPUs)\n"
      "  -t, --target NAME       the target, when the executable holds "
      "several\n"
      "      --testdata DIR      seed corpora root (default testdata/fuzz)\n"
      "      --cache-dir DIR     generated corpora root (with --all)\n"
      "      --timeout D         an input running longer is a hang (default "
      "10s)\n"
      "      --max-len N         capacity for bytes/string values (4096)\n"
      "      --rss-limit MB      resident memory limit (2048; 0 = off)\n"
      "  -h, --help              show this help\n");
}

int cfz_cmd_test(int argc, char **argv) {
  cfz_cli o;
  static const cfz_command cmd = {
      .name = "cfz test",
      .options = CFZ_COMMON_OPTIONS " all testdata cache-dir",
      .usage = test_usage,
      .min_operands = 1,
      .max_operands = 1,
      .operands_error = "cfz test: expected exactly one target executable"};
  int rc = cfz_parse_command(&cmd, argc, argv, &o);
  if (rc >= 0)
    return rc;
  /* A misspelt root must not pass as an empty corpus. */
  if ((o.testdata_given &&
       cfz_check_given_dir(cmd.name, "--testdata", o.run.testdata_dir) != 0) ||
      (o.test_all && o.run.cache_dir &&
       cfz_check_given_dir(cmd.name, "--cache-dir", o.run.cache_dir) != 0))
    return 2;
  cfz_test_options t = {.all = o.test_all};
  cfz_test_result res;
  return cfz_test(&o.run, &t, &res);
}
