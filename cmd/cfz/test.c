/* test.c - `cfz test [--all] ./target`: regression replay of the corpus. */
#include <getopt.h>
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
  cfz_options o;
  cfz_options_defaults(&o);
  o.mode = CFZ_MODE_TEST;
  enum { OPT_ALL = 1000 };
  static const struct option longopts[] = {
      CFZ_COMMON_LONG_OPTIONS,
      {"all", no_argument, 0, OPT_ALL},
      {"testdata", required_argument, 0, OPT_TESTDATA},
      {"cache-dir", required_argument, 0, OPT_CACHE_DIR},
      {0, 0, 0, 0}};
  optind = 1;
  int opt;
  while ((opt = getopt_long(argc, argv, "+j:t:h", longopts, NULL)) != -1) {
    switch (opt) {
    case 'h':
      test_usage(stdout);
      return 0;
    case OPT_ALL:
      o.test_all = true;
      break;
    case '?':
      test_usage(stderr);
      return 2;
    default: {
      int rc = cfz_options_parse_common(&o, opt, optarg);
      if (rc != 0) {
        if (rc > 0)
          test_usage(stderr);
        return 2;
      }
    }
    }
  }
  if (optind != argc - 1) {
    fprintf(stderr, "cfz test: expected exactly one target executable\n\n");
    test_usage(stderr);
    return 2;
  }
  char path[4096];
  snprintf(path, sizeof path, "%s%s", strchr(argv[optind], '/') ? "" : "./",
           argv[optind]);
  o.target_path = path;
  if (cfz_check_executable(o.target_path) != 0)
    return 2;
  return cfz_coordinator_run(&o);
}
