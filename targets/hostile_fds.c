/* hostile_fds.c - fails when the worker holds a descriptor above 6 that it
 * did not open itself (one cfz inherited from its own parent would leak
 * into every target). */
#include <dirent.h>
#include <stdlib.h>

#include "cfz.h"

static int stray_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  if (!d)
    return 0;
  int n = 0, self = dirfd(d);
  struct dirent *e;
  while ((e = readdir(d))) {
    int fd = atoi(e->d_name);
    if (fd > 6 && fd != self)
      n++;
  }
  closedir(d);
  return n;
}

static void fuzz(cfz_t *t, const cfz_value *a) {
  (void)a;
  static int checked;
  if (checked++)
    return;
  int n = stray_fds();
  if (n)
    cfz_fatal(t, "%d stray descriptor(s) above 6", n);
}

static void seeds(cfz_seeds *s) { cfz_add(s, CFZ_V_BYTES("abc", 3)); }

CFZ_TARGET(FuzzHostileFds, seeds, fuzz, CFZ_BYTES)
