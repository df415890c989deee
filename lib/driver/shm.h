/* shm.h - POSIX shared-memory regions owned by the driver.
 *
 * cfz_shm_create makes an anonymous-in-effect region: shm_open with a random
 * name (O_CREAT|O_EXCL, mode 0600), ftruncate, mmap, then shm_unlink at once,
 * so nothing remains in /dev/shm even after kill -9.  The fd is close-on-exec;
 * libuv passes it to workers explicitly. */
#ifndef CFZ_SHM_H
#define CFZ_SHM_H

#include <stddef.h>

typedef struct cfz_shm {
  int fd;
  void *base;
  size_t size;
} cfz_shm;

/* Returns 0, or -1 with e.g. "shm_open /cfz-1a2b3c: Permission denied". */
int cfz_shm_create(cfz_shm *out, size_t size, char *err, size_t errlen);
void cfz_shm_close(cfz_shm *s);

#endif
