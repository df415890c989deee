/* ringbuf.c - bounded buffer keeping the most recent bytes (see ringbuf.h). */
#include "ringbuf.h"

#include <stdlib.h>
#include <string.h>

int cfz_ringbuf_init(cfz_ringbuf *r, size_t cap) {
  r->start = r->len = 0;
  r->cap = cap;
  r->data = cap ? malloc(cap) : NULL;
  if (cap && !r->data) {
    r->cap = 0;
    return -1;
  }
  return 0;
}

void cfz_ringbuf_free(cfz_ringbuf *r) {
  free(r->data);
  r->data = NULL;
  r->cap = r->start = r->len = 0;
}

void cfz_ringbuf_clear(cfz_ringbuf *r) { r->start = r->len = 0; }

void cfz_ringbuf_append(cfz_ringbuf *r, const char *p, size_t n) {
  if (r->cap == 0 || n == 0)
    return;
  if (n >= r->cap) {
    /* Only the last cap bytes survive. */
    memcpy(r->data, p + (n - r->cap), r->cap);
    r->start = 0;
    r->len = r->cap;
    return;
  }
  /* Drop the oldest bytes that would be overwritten. */
  if (r->len + n > r->cap) {
    size_t drop = r->len + n - r->cap;
    r->start = (r->start + drop) % r->cap;
    r->len -= drop;
  }
  size_t end = (r->start + r->len) % r->cap;
  size_t first = r->cap - end < n ? r->cap - end : n;
  memcpy(r->data + end, p, first);
  memcpy(r->data, p + first, n - first);
  r->len += n;
}

char *cfz_ringbuf_copy(const cfz_ringbuf *r) {
  char *out = malloc(r->len + 1);
  if (!out)
    return NULL;
  size_t first = r->len;
  if (r->len && r->start + r->len > r->cap)
    first = r->cap - r->start;
  if (first)
    memcpy(out, r->data + r->start, first);
  if (r->len > first)
    memcpy(out + first, r->data, r->len - first);
  out[r->len] = '\0';
  return out;
}
