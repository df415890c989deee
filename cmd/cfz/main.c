/* main.c - the cfz command line: dispatch to subcommands. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"

#ifndef CFZ_VERSION_STRING
#define CFZ_VERSION_STRING "0.0.0"
#endif

static void usage(FILE *f) {
  fprintf(f,
          "usage: cfz <command> [options] [arguments]\n"
          "\n"
          "cfz is a coverage-guided fuzzer for C and C++ programs.\n"
          "\n"
          "commands:\n"
          "  run [options] ./target         fuzz a target until a failure, a "
          "limit or Ctrl-C\n"
          "  minimize [options] FILE ./target\n"
          "                                 shrink a failing input\n"
          "  corpus ls [./target | TARGET]  list corpora (also: show, add, "
          "merge)\n"
          "  test [--all] ./target          run the corpus once, report "
          "failures (CI)\n"
          "  cover ./target_cov [DIR...]    coverage report of the corpus "
          "(llvm-cov)\n"
          "  version                        print the version\n"
          "\n"
          "Run 'cfz <command> --help' for a command's options.\n"
          "Exit status: 0 nothing found, 1 failure found, 2 usage or set-up "
          "error.\n");
}

int main(int argc, char **argv) {
  /* A worker that dies mid-write must not kill the driver. */
  signal(SIGPIPE, SIG_IGN);
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
    usage(stdout);
    return 0;
  }
  if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
    printf("cfz %s\n", CFZ_VERSION_STRING);
    return 0;
  }
  if (!strcmp(cmd, "run"))
    return cfz_cmd_run(argc - 1, argv + 1);
  if (!strcmp(cmd, "minimize"))
    return cfz_cmd_minimize(argc - 1, argv + 1);
  if (!strcmp(cmd, "corpus"))
    return cfz_cmd_corpus(argc - 1, argv + 1);
  if (!strcmp(cmd, "test"))
    return cfz_cmd_test(argc - 1, argv + 1);
  if (!strcmp(cmd, "cover"))
    return cfz_cmd_cover(argc - 1, argv + 1);
  if (!strcmp(cmd, "libfuzzer"))
    return cfz_cmd_libfuzzer(argc - 1, argv + 1);
  fprintf(stderr, "cfz: unknown command \"%s\"\n\n", cmd);
  usage(stderr);
  return 2;
}
