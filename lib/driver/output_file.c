/* output_file.c - a worker's stdout and stderr file (output_file.h). */
#include "output_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int cfz_outfile_open(cfz_outfile *o) {
  o->off = 0;
  o->err[0] = '\0';
  o->fd = memfd_create("cfz-worker-output", MFD_CLOEXEC);
  if (o->fd < 0)
    return -1;
  if (fcntl(o->fd, F_SETFL, O_APPEND) != 0) {
    int e = errno;
    cfz_outfile_close(o);
    errno = e;
    return -1;
  }
  return 0;
}

void cfz_outfile_close(cfz_outfile *o) {
  if (o->fd >= 0)
    close(o->fd);
  o->fd = -1;
}

/* Records why the last call failed; returns -1. */
static int failed(cfz_outfile *o, const char *call, int e) {
  snprintf(o->err, sizeof o->err,
           "the worker's output file (memfd, fd %d): %s: %s", o->fd, call,
           strerror(e));
  return -1;
}

/* The file's size into *size.  Returns 0, or -1 (recorded). */
static int file_size(cfz_outfile *o, uint64_t *size) {
  struct stat st;
  if (fstat(o->fd, &st) != 0)
    return failed(o, "fstat", errno);
  *size = st.st_size > 0 ? (uint64_t)st.st_size : 0;
  return 0;
}

int cfz_outfile_drain(cfz_outfile *o, cfz_ringbuf *r) {
  if (o->fd < 0)
    return 0;
  uint64_t size;
  if (file_size(o, &size) != 0)
    return -1; /* o->off kept: nothing is read twice once it works again */
  if (size < o->off)
    o->off = 0; /* emptied meanwhile */
  uint64_t pos = size - o->off > r->cap ? size - r->cap : o->off;
  char buf[16384];
  int rc = 0;
  while (pos < size) {
    size_t want = size - pos < sizeof buf ? (size_t)(size - pos) : sizeof buf;
    ssize_t n = pread(o->fd, buf, want, (off_t)pos);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      rc = failed(o, "pread", errno);
    if (n <= 0)
      break;
    cfz_ringbuf_append(r, buf, (size_t)n);
    pos += (uint64_t)n;
  }
  o->off = pos;
  return rc;
}

int cfz_outfile_trim(cfz_outfile *o, cfz_ringbuf *r) {
  uint64_t size;
  if (o->fd < 0)
    return 0;
  if (file_size(o, &size) != 0)
    return -1;
  if (size < CFZ_OUTFILE_MAX)
    return 0;
  if (cfz_outfile_drain(o, r) != 0)
    return -1; /* not emptied: what was not read stays */
  if (ftruncate(o->fd, 0) != 0)
    return failed(o, "ftruncate", errno); /* o->off: read up to the end */
  o->off = 0;
  return 0;
}
