/* hostile_chdir.c - a target that changes its working directory before
 * main (to /), as a target's start-up may: paths the driver hands its
 * workers (the --dict file) must not depend on the worker's directory
 * (issue 15 item 9).  No input fails. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cfz.h"

__attribute__((constructor)) static void move_away(void) {
  if (getenv("CFZ_WORKER") && chdir("/") != 0)
    perror("hostile_chdir: chdir /");
}

static void fuzz(cfz_t *t, const cfz_value *a) {
  (void)t;
  (void)a;
}

static void seeds(cfz_seeds *s) { cfz_add(s, CFZ_V_BYTES("abc", 3)); }

CFZ_TARGET(FuzzHostileChdir, seeds, fuzz, CFZ_BYTES)
