/* lf_compat_crash.c - the libFuzzer-compatibility test's target
 * (tests/compat/): plain LLVMFuzzerTestOneInput, built both with
 * `clang -fsanitize=fuzzer` and with cfz's harness.
 *
 * With LF_COMPAT_COMMANDS=1 in the environment (read by
 * LLVMFuzzerInitialize), inputs starting with '!' select a failure at once,
 * so that the test reaches each kind in a bounded number of executions:
 *   "!E"  exit(3)                          fuzz target exited
 *   "!T"  never returns (busy loop)        timeout
 *   "!O"  touches 200 MB and keeps them    out-of-memory (rss)
 *   "!W"  writes to its const input        (cfz: overwrites its const input)
 *   "!H"  touches 200 MB and waits for ever out-of-memory (rss), while it runs
 *   "!M"  mallocs 300 MB, frees them       out-of-memory (malloc) under ASan
 *   "!P"  prints a line to stdout and one to stderr (-close_fd_mask)
 *   "!Q"  prints them, then aborts          deadly signal (-close_fd_mask)
 * "FUZ" at the start aborts: the crash that fuzzing from the seed "FU"
 * finds within a few thousand executions (a comparison away).  The first
 * byte 'a'..'h' takes one of several branches, so that -merge=1 has
 * coverage to tell inputs apart.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile uint64_t sink;
static void *volatile hog;
static int commands; /* LF_COMPAT_COMMANDS=1: '!' inputs are commands */

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  const char *c = getenv("LF_COMPAT_COMMANDS");
  commands = c && strcmp(c, "1") == 0;
  return 0;
}

static void command(uint8_t c, const uint8_t *data) {
  switch (c) {
  case 'E':
    exit(3);
  case 'T':
    for (;;)
      sink++;
  case 'O':
    hog = malloc(200u << 20);
    if (hog)
      memset(hog, 1, 200u << 20);
    sleep(3); /* the memory checkers poll about once a second */
    break;
  case 'W':
    ((uint8_t *)data)[0] = 'w';
    break;
  case 'H':
    hog = malloc(200u << 20);
    if (hog)
      memset(hog, 1, 200u << 20);
    for (;;)
      sleep(1);
  case 'M':
    hog = malloc(300u << 20);
    free(hog);
    break;
  case 'P':
  case 'Q':
    printf("LF_COMPAT_STDOUT_NOISE\n");
    fflush(stdout);
    fprintf(stderr, "LF_COMPAT_STDERR_NOISE\n");
    if (c == 'Q')
      abort();
    break;
  default:
    break;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (commands && size >= 2 && data[0] == '!') {
    command(data[1], data);
    return 0;
  }
  if (size >= 1 && data[0] >= 'a' && data[0] <= 'h') {
    switch (data[0]) {
    case 'a':
      sink += 1;
      break;
    case 'b':
      sink += 2;
      break;
    case 'c':
      sink *= 3;
      break;
    case 'd':
      sink ^= 4;
      break;
    default:
      sink -= 5;
      break;
    }
  }
  if (size >= 3 && data[0] == 'F' && data[1] == 'U' && data[2] == 'Z')
    abort();
  return 0;
}
