/* corpus.c - `cfz corpus ...`: listing and managing corpora. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

int cfz_cmd_corpus(int argc, char **argv) {
  if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
    printf("usage: cfz corpus ls [./target | TARGET]\n");
    return 0;
  }
  fprintf(stderr, "cfz corpus: not implemented in this version\n");
  return 2;
}
