/* ringbuf.h - a bounded byte buffer that keeps the most recent output of a
 * worker (its stdout and stderr), for crash reports. */
#ifndef CFZ_RINGBUF_H
#define CFZ_RINGBUF_H

#include <stddef.h>

typedef struct cfz_ringbuf {
  char *data;
  size_t cap, start, len;
} cfz_ringbuf;

int cfz_ringbuf_init(cfz_ringbuf *r, size_t cap); /* 0 or -1 (ENOMEM) */
void cfz_ringbuf_free(cfz_ringbuf *r);
void cfz_ringbuf_append(cfz_ringbuf *r, const char *p, size_t n);
void cfz_ringbuf_clear(cfz_ringbuf *r);
/* Returns a malloc'd NUL-terminated copy of the contents (NULL on ENOMEM). */
char *cfz_ringbuf_copy(const cfz_ringbuf *r);

#endif
