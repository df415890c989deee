/* feedback_strcmp.c - needs STRCMP INTERCEPTION (the harness's strcmp hook
 * records both strings; the mutator inserts the keyword it saw), together with
 * edge coverage to keep each keyword once found.  strcmp must stay a call
 * (-fno-builtin-strcmp, as cfz_add_fuzz_target and -fsanitize=fuzzer-no-link
 * arrange).
 *
 * The input is split on spaces; the words must be "open" "sesame" "seeds"
 * "now", in order, each compared with strcmp; all four reach
 * __builtin_trap() (SIGILL).  libFuzzer-style: builds unchanged with
 * `clang -fsanitize=fuzzer`.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Cuts the next space-separated word out of *p (NUL-terminating it), or
 * returns NULL at the end of the string. */
static char *next_word(char **p) {
  char *s = *p;
  while (*s == ' ')
    s++;
  if (*s == 0)
    return NULL;
  char *word = s;
  while (*s != ' ' && *s != 0)
    s++;
  if (*s == ' ')
    *s++ = 0;
  *p = s;
  return word;
}

/* One strcmp call site per keyword, so that each step is a new edge. */
static int open_sesame(char *p) {
  char *w;
  if (!(w = next_word(&p)) || strcmp(w, "open") != 0)
    return 0;
  if (!(w = next_word(&p)) || strcmp(w, "sesame") != 0)
    return 1;
  if (!(w = next_word(&p)) || strcmp(w, "seeds") != 0)
    return 2;
  if (!(w = next_word(&p)) || strcmp(w, "now") != 0)
    return 3;
  return 4;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 256)
    return 0;
  char *buf = malloc(size + 1);
  if (!buf)
    return 0;
  memcpy(buf, data, size);
  buf[size] = 0;
  int matched = open_sesame(buf);
  free(buf);
  if (matched == 4)
    __builtin_trap();
  return 0;
}
