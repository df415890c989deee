/* corpus_file.c - the bytes of a corpus file (corpus_file.h). */
#include "corpus_file.h"

#include <stdlib.h>
#include <string.h>

#include "corpus_format.h"

bool cfz_corpus_file_is_raw(const cfz_value *vals, size_t n) {
  return n == 1 && vals[0].type == CFZ_BYTES &&
         !cfz_corpus_is_text(vals[0].v.bytes.data, vals[0].v.bytes.len);
}

int cfz_corpus_file_encode(const cfz_value *vals, size_t n, uint8_t **out,
                           size_t *len) {
  if (!cfz_corpus_file_is_raw(vals, n)) {
    char *text = NULL;
    if (cfz_corpus_encode(vals, n, &text, len) != 0)
      return -1;
    *out = (uint8_t *)text;
    return 0;
  }
  size_t size = vals[0].v.bytes.len;
  uint8_t *p = malloc(size + 1);
  if (!p)
    return -1;
  if (size)
    memcpy(p, vals[0].v.bytes.data, size);
  p[size] = '\0';
  *out = p;
  *len = size;
  return 0;
}
