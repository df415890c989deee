/* corpus_encode.h - the corpus text format's writer (corpus_encode.c): one
 * Go conversion expression per value, floats in the shortest text that
 * round-trips, bytes quoted with \xNN for anything not printable ASCII.
 * Included by corpus_format.h, the format's whole contract. */
#ifndef CFZ_CORPUS_ENCODE_H
#define CFZ_CORPUS_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"
#include "value.h"

/* Appends p[0..n) double-quoted with the corpus format's escapes, at most
 * max escaped characters between the quotes; when cut, "..." follows the
 * closing quote.  Returns true if cut. */
bool cfz_corpus_quote(cfz_strbuf *b, const uint8_t *p, size_t n, size_t max);
/* Appends v's literal as the corpus format writes it inside TYPE(...):
 * "\"a\\x00\"", "-5", "true", "0.1", "math.Float64frombits(0x...)". */
void cfz_corpus_literal(cfz_strbuf *b, const cfz_value *v);

/* Encodes vals as a corpus file.  *out is malloc'd (NUL-terminated, *out_len
 * excludes the NUL).  Returns 0, or -1 on allocation failure. */
int cfz_corpus_encode(const cfz_value *vals, size_t n, char **out,
                      size_t *out_len);

#endif
