/* shm.h - shared-memory regions owned by the driver.
 *
 * cfz_shm_create makes an anonymous region: a memfd sealed against shrinking
 * and growing (F_SEAL_SHRINK|F_SEAL_GROW|F_SEAL_SEAL), so a worker holding the
 * fd cannot ftruncate it under the driver's mapping (which would make the
 * driver's next read SIGBUS).  Where memfd_create is missing: shm_open with a
 * random name (O_CREAT|O_EXCL, mode 0600), shm_unlink at once (nothing
 * remains in /dev/shm even after kill -9); then cfz_shm_intact must be
 * checked before the driver reads a region a worker could have resized.  The
 * fd is close-on-exec; libuv passes it to workers explicitly. */
#ifndef CFZ_SHM_H
#define CFZ_SHM_H

#include <stdbool.h>
#include <stddef.h>

typedef struct cfz_shm {
  int fd;
  void *base;
  size_t size;
  bool sealed; /* its size cannot change */
} cfz_shm;

/* Returns 0, or -1 with e.g. "shm_open /cfz-1a2b3c: Permission denied". */
int cfz_shm_create(cfz_shm *out, size_t size, char *err, size_t errlen);
/* True when the region still has its full size (always, when sealed). */
bool cfz_shm_intact(const cfz_shm *s);
void cfz_shm_close(cfz_shm *s);

#endif
