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
          "  plot [-o OUT] FILE             draw a stats file (cfz run "
          "--stats) as SVG or PNG\n"
          "  cover ./target_cov [DIR...]    coverage report of the corpus "
          "(llvm-cov)\n"
          "  version                        print the version\n"
          "\n"
          "Run 'cfz <command> --help' for a command's options; they may also "
          "follow\n"
          "the command's arguments, and '--' ends them.\n"
          "Exit status: 0 nothing found, 1 failure found, 2 usage or set-up "
          "error.\n");
}

static int cmd_version(int argc, char **argv) {
  if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
    printf("usage: cfz version\n\nPrints the version of cfz.\n");
    return 0;
  }
  if (argc > 1) {
    fprintf(stderr, "cfz %s: takes no arguments, got \"%s\"\n", argv[0],
            argv[1]);
    return 2;
  }
  printf("cfz %s\n", CFZ_VERSION_STRING);
  return 0;
}

int main(int argc, char **argv) {
  static const cfz_subcommand commands[] = {{"--version", cmd_version},
                                            {"version", cmd_version},
                                            {"run", cfz_cmd_run},
                                            {"minimize", cfz_cmd_minimize},
                                            {"corpus", cfz_cmd_corpus},
                                            {"test", cfz_cmd_test},
                                            {"plot", cfz_cmd_plot},
                                            {"cover", cfz_cmd_cover},
                                            {"libfuzzer", cfz_cmd_libfuzzer},
                                            {NULL, NULL}};
  /* A worker that dies mid-write must not kill the driver. */
  signal(SIGPIPE, SIG_IGN);
  return cfz_dispatch("cfz", "command", commands, argc, argv, usage);
}
