/* output_file.c - a worker's stdout and stderr file (output_file.h). */
#include "output_file.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int cfz_outfile_open(cfz_outfile *o) {
  o->off = 0;
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

/* The file's size; 0 when it cannot be read. */
static uint64_t file_size(const cfz_outfile *o) {
  struct stat st;
  return fstat(o->fd, &st) == 0 && st.st_size > 0 ? (uint64_t)st.st_size : 0;
}

void cfz_outfile_drain(cfz_outfile *o, cfz_ringbuf *r) {
  if (o->fd < 0)
    return;
  uint64_t size = file_size(o);
  if (size < o->off)
    o->off = 0; /* emptied meanwhile */
  uint64_t pos = size - o->off > r->cap ? size - r->cap : o->off;
  char buf[16384];
  while (pos < size) {
    size_t want = size - pos < sizeof buf ? (size_t)(size - pos) : sizeof buf;
    ssize_t n = pread(o->fd, buf, want, (off_t)pos);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    cfz_ringbuf_append(r, buf, (size_t)n);
    pos += (uint64_t)n;
  }
  o->off = pos;
}

void cfz_outfile_trim(cfz_outfile *o, cfz_ringbuf *r) {
  if (o->fd < 0 || file_size(o) < CFZ_OUTFILE_MAX)
    return;
  cfz_outfile_drain(o, r);
  if (ftruncate(o->fd, 0) == 0)
    o->off = 0;
}
