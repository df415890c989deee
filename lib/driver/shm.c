/* shm.c - POSIX shared-memory regions owned by the driver (see shm.h). */
#include "shm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

enum { NAME_ATTEMPTS = 8 };

/* Fills buf with random bytes: getrandom, falling back to /dev/urandom. */
static int random_bytes(void *buf, size_t len, char *err, size_t errlen) {
  uint8_t *p = buf;
  size_t got = 0;
  while (got < len) {
    ssize_t n = getrandom(p + got, len - got, 0);
    if (n > 0) {
      got += (size_t)n;
      continue;
    }
    if (n < 0 && errno == EINTR)
      continue;
    break; /* ENOSYS or similar: fall back */
  }
  if (got == len)
    return 0;
  int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    snprintf(err, errlen, "open /dev/urandom: %s", strerror(errno));
    return -1;
  }
  while (got < len) {
    ssize_t n = read(fd, p + got, len - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      snprintf(err, errlen, "read /dev/urandom: %s",
               n < 0 ? strerror(errno) : "unexpected end of file");
      close(fd);
      return -1;
    }
    got += (size_t)n;
  }
  close(fd);
  return 0;
}

/* Opens a fresh region under a random name; writes the name to name. */
static int open_unique(char *name, size_t namelen, char *err, size_t errlen) {
  for (int attempt = 0; attempt < NAME_ATTEMPTS; attempt++) {
    uint8_t rnd[8];
    if (random_bytes(rnd, sizeof rnd, err, errlen) != 0)
      return -1;
    int off = snprintf(name, namelen, "/cfz-%ld-", (long)getpid());
    for (size_t i = 0; i < sizeof rnd && off > 0 && (size_t)off < namelen; i++)
      off += snprintf(name + off, namelen - (size_t)off, "%02x", rnd[i]);
    int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    if (fd >= 0)
      return fd;
    if (errno != EEXIST) {
      snprintf(err, errlen, "shm_open %s: %s", name, strerror(errno));
      return -1;
    }
  }
  snprintf(err, errlen, "shm_open %s: %s (after %d attempts)", name,
           strerror(EEXIST), NAME_ATTEMPTS);
  return -1;
}

/* ftruncate, retried on EINTR.  On failure writes "ftruncate WHAT: ..."
 * into err, closes fd and returns -1. */
static int size_fd(int fd, size_t size, const char *what, char *err,
                   size_t errlen) {
  int rc;
  do
    rc = ftruncate(fd, (off_t)size);
  while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    snprintf(err, errlen, "ftruncate %s: %s", what, strerror(errno));
    close(fd);
    return -1;
  }
  return 0;
}

/* A sealed memfd: nobody holding the fd (a worker) can shrink or grow it, so
 * the driver's mapping can never fault with SIGBUS.  Returns the fd, -1 with
 * err set on a real failure, or -2 when memfd_create is unsupported. */
static int open_sealed(size_t size, char *err, size_t errlen) {
  int fd = memfd_create("cfz-region", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) {
    if (errno == ENOSYS || errno == EINVAL)
      return -2;
    snprintf(err, errlen, "memfd_create cfz-region: %s", strerror(errno));
    return -1;
  }
  if (fchmod(fd, 0600) != 0) {
    snprintf(err, errlen, "fchmod memfd cfz-region: %s", strerror(errno));
    close(fd);
    return -1;
  }
  if (size_fd(fd, size, "memfd cfz-region", err, errlen) != 0)
    return -1;
  if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0) {
    snprintf(err, errlen, "fcntl F_ADD_SEALS memfd cfz-region: %s",
             strerror(errno));
    close(fd);
    return -1;
  }
  return fd;
}

/* Fallback without memfd: a POSIX shm object, unlinked at once. */
static int open_posix(size_t size, char *err, size_t errlen) {
  char name[64];
  int fd = open_unique(name, sizeof name, err, errlen);
  if (fd < 0)
    return -1;
  /* Unlink first: from here on nothing is left in /dev/shm, whatever
   * happens to this process. */
  if (shm_unlink(name) != 0) {
    snprintf(err, errlen, "shm_unlink %s: %s", name, strerror(errno));
    close(fd);
    return -1;
  }
  int flags = fcntl(fd, F_GETFD);
  if (flags < 0 || fcntl(fd, F_SETFD, flags | FD_CLOEXEC) != 0) {
    snprintf(err, errlen, "fcntl %s: %s", name, strerror(errno));
    close(fd);
    return -1;
  }
  if (size_fd(fd, size, name, err, errlen) != 0)
    return -1;
  return fd;
}

int cfz_shm_create(cfz_shm *out, size_t size, char *err, size_t errlen) {
  out->fd = -1;
  out->base = NULL;
  out->size = 0;
  out->sealed = false;
  if (size == 0 || size > (size_t)INT64_MAX) {
    snprintf(err, errlen, "shm_open: invalid region size %zu", size);
    return -1;
  }
  int fd = open_sealed(size, err, errlen);
  bool sealed = fd >= 0;
  if (fd == -2)
    fd = open_posix(size, err, errlen);
  if (fd < 0)
    return -1;
  void *base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (base == MAP_FAILED) {
    snprintf(err, errlen, "mmap region of %zu bytes: %s", size,
             strerror(errno));
    close(fd);
    return -1;
  }
  out->fd = fd;
  out->base = base;
  out->size = size;
  out->sealed = sealed;
  return 0;
}

bool cfz_shm_intact(const cfz_shm *s) {
  if (s->sealed)
    return true;
  struct stat st;
  return fstat(s->fd, &st) == 0 && st.st_size >= 0 &&
         (uint64_t)st.st_size >= s->size;
}

void cfz_shm_close(cfz_shm *s) {
  if (s->base && s->base != MAP_FAILED)
    munmap(s->base, s->size);
  if (s->fd >= 0)
    close(s->fd);
  s->base = NULL;
  s->size = 0;
  s->fd = -1;
}
