/* output_file.h - a worker's stdout and stderr: an in-memory file (memfd)
 * that the driver reads into the worker's ring buffer when the tail is
 * wanted.
 *
 * A target that prints a line for every input writes to a file: a pipe or
 * socket would cost a kernel buffer and a wake-up of the driver (which then
 * reads) per write.  The worker's fds 1 and 2 share one open file
 * description in append mode, so stdout and stderr interleave in the order
 * written.  cfz_outfile_drain appends to the ring buffer what is new since
 * the last drain (only its last cap bytes: the ring keeps no more);
 * cfz_outfile_trim empties the file once it holds CFZ_OUTFILE_MAX bytes,
 * to be called while the worker is idle (a descendant writing at that very
 * moment may lose those bytes).
 *
 * Both return 0, or -1 when a system call on the file failed (fstat, pread,
 * ftruncate): err then names the file, its fd, the call and the error, for
 * the caller to report.  A failure leaves the file usable: a failed fstat or
 * pread reads nothing twice once the call works again (off is kept); a
 * failed ftruncate leaves the file growing, already drained to its end. */
#ifndef CFZ_OUTPUT_FILE_H
#define CFZ_OUTPUT_FILE_H

#include <stdint.h>

#include "ringbuf.h"

#define CFZ_OUTFILE_MAX (1u << 20)

typedef struct cfz_outfile {
  int fd;        /* -1: none */
  uint64_t off;  /* drained up to here */
  char err[160]; /* why the last failing call failed */
} cfz_outfile;

/* 0, or -1 with errno set (memfd_create or fcntl failed). */
int cfz_outfile_open(cfz_outfile *o);
void cfz_outfile_close(cfz_outfile *o);
int cfz_outfile_drain(cfz_outfile *o, cfz_ringbuf *r);
int cfz_outfile_trim(cfz_outfile *o, cfz_ringbuf *r);

#endif
