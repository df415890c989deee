/* hostile_fork.c - a target that leaves descendants behind: the first input
 * each process runs forks a sleeper (in the worker's process group) and a
 * setsid escapee (double fork, own session).  No input fails.  The driver
 * must leave none of them running (bounded: they sleep 60 s at most). */
#include <stdlib.h>
#include <unistd.h>

#include "cfz.h"

static void sleeper(void) {
  for (int i = 0; i < 60; i++)
    sleep(1);
  _exit(0);
}

static void fuzz(cfz_t *t, const cfz_value *a) {
  (void)t;
  (void)a;
  static int forked;
  if (forked++)
    return;
  if (fork() == 0)
    sleeper();
  pid_t p = fork();
  if (p == 0) {
    setsid();
    if (fork() == 0)
      sleeper();
    _exit(0);
  }
}

static void seeds(cfz_seeds *s) { cfz_add(s, CFZ_V_BYTES("abc", 3)); }

CFZ_TARGET(FuzzHostileFork, seeds, fuzz, CFZ_BYTES)
