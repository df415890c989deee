/* corpus_file.h - the bytes of a corpus file for a list of values.
 *
 * A target that takes one bytes value (every libFuzzer-style target) gets
 * raw files: the value's bytes, nothing else, as libFuzzer, AFL++ and
 * ClusterFuzz write and read them.  Every other target gets the text format
 * (corpus_format.h), and so does a bytes value that itself starts with a
 * text header ("cfz fuzz v1", "go test fuzz v1"), so that reading the file
 * back (cfz_corpus_decode) always gives the same values.
 */
#ifndef CFZ_CORPUS_FILE_H
#define CFZ_CORPUS_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "value.h"

/* True when vals would be written raw. */
bool cfz_corpus_file_is_raw(const cfz_value *vals, size_t n);

/* The file's bytes: *out is malloc'd (NUL-terminated; *len excludes the
 * NUL).  Returns 0, or -1 when out of memory. */
int cfz_corpus_file_encode(const cfz_value *vals, size_t n, uint8_t **out,
                           size_t *len);

#endif
