/* hostile_chatty.c - prints a line for every input; an input starting with
 * '!' prints a crash report (HOSTILE-REPORT) and aborts.  Minimization runs
 * many inputs that print lines: the failure report must still show the crash
 * report, not the last minimization runs. */
#include <stdio.h>
#include <stdlib.h>

#include "cfz.h"

static void fuzz(cfz_t *t, const cfz_value *a) {
  (void)t;
  printf("processing input of %zu bytes\n", a[0].v.bytes.len);
  fflush(stdout);
  if (a[0].v.bytes.len > 0 && a[0].v.bytes.data[0] == '!') {
    fprintf(stderr, "HOSTILE-REPORT: input of %zu bytes crashes\n",
            a[0].v.bytes.len);
    abort();
  }
}

static void seeds(cfz_seeds *s) { cfz_add(s, CFZ_V_BYTES("abcdefgh", 8)); }

CFZ_TARGET(FuzzHostileChatty, seeds, fuzz, CFZ_BYTES)
