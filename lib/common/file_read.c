/* file_read.c - reading files (file_read.h). */
#include "file_read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Reads fd into *buf (cap bytes, grown as needed unless max bounds it). */
static int read_all(int fd, const char *path, size_t max, uint8_t **buf,
                    size_t *cap, size_t *len, char *err, size_t errlen) {
  for (;;) {
    if (*len == *cap) {
      uint8_t *nb = *cap <= SIZE_MAX / 2 ? realloc(*buf, *cap * 2) : NULL;
      if (!nb) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
      }
      *buf = nb;
      *cap *= 2;
    }
    size_t want = *cap - *len;
    if (max && want > max - *len)
      want = max - *len;
    if (want == 0)
      return 0;
    ssize_t r = read(fd, *buf + *len, want);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0) {
      snprintf(err, errlen, "read %s: %s", path, strerror(errno));
      return -1;
    }
    if (r == 0)
      return 0;
    *len += (size_t)r;
  }
}

int cfz_file_read(const char *path, size_t max, uint8_t **out, size_t *len,
                  char *err, size_t errlen) {
  *out = NULL;
  *len = 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    snprintf(err, errlen, "open %s: %s", path, strerror(errno));
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    snprintf(err, errlen, "fstat %s: %s", path, strerror(errno));
    close(fd);
    return -1;
  }
  size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
  if (max && cap > max + 1)
    cap = max + 1;
  uint8_t *buf = malloc(cap);
  int rc = buf ? read_all(fd, path, max, &buf, &cap, len, err, errlen) : -1;
  if (!buf)
    snprintf(err, errlen, "%s: out of memory", path);
  if (close(fd) != 0 && rc == 0) {
    snprintf(err, errlen, "close %s: %s", path, strerror(errno));
    rc = -1;
  }
  if (rc != 0) {
    free(buf);
    *len = 0;
    return -1;
  }
  *out = buf;
  return 0;
}
