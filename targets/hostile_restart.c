/* hostile_restart.c - a crash that leaves a lock file behind
 * (CFZ_TEST_LOCK=path): the input '!...' creates it and aborts; a process
 * that finds it at start exits before the handshake.  So after the crash no
 * worker starts again: the failure must still be reported (exit 1). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cfz.h"

__attribute__((constructor)) static void at_start(void) {
  const char *lock = getenv("CFZ_TEST_LOCK");
  if (lock && access(lock, F_OK) == 0) {
    fprintf(stderr, "hostile_restart: %s exists: refusing to start\n", lock);
    _exit(3);
  }
}

static void fuzz(cfz_t *t, const cfz_value *a) {
  (void)t;
  if (a[0].v.bytes.len == 0 || a[0].v.bytes.data[0] != '!')
    return;
  const char *lock = getenv("CFZ_TEST_LOCK");
  if (lock) {
    int fd = open(lock, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0)
      close(fd);
  }
  abort();
}

static void seeds(cfz_seeds *s) { cfz_add(s, CFZ_V_BYTES("abc", 3)); }

CFZ_TARGET(FuzzHostileRestart, seeds, fuzz, CFZ_BYTES)
