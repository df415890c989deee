/* corpus_format.h - the text corpus file format (see docs/corpus-format.md).
 *
 * First line "cfz fuzz v1" (Go's "go test fuzz v1" is also read), then one
 * typed value per line, e.g. []byte("a\x00"), int32(-5), float64(NaN),
 * float64(math.Float64frombits(0x7ff8000000000001)).  Round trips exactly.
 * A file that does not start with a known header is raw bytes: one bytes
 * value holding the whole file (libFuzzer / AFL corpora and crash files).
 *
 * Parts: corpus_text.h (the headers, the NaN bits), corpus_encode.h (the
 * writer, included here), corpus_parse.h (the reader of one value line:
 * corpus_lex.c, corpus_value.c), corpus_format.c (this header: whole
 * files).
 */
#ifndef CFZ_CORPUS_FORMAT_H
#define CFZ_CORPUS_FORMAT_H

#include "corpus_encode.h"
#include "corpus_text.h"
#include "value.h"

/* Decodes a whole corpus file.  On error returns -1 and writes a message
 * naming the line, e.g. "line 3: malformed value: int8(300): out of range",
 * into err (errlen bytes).  Raw files (no header) decode as one bytes value. */
int cfz_corpus_decode(const uint8_t *data, size_t len, cfz_values *out,
                      char *err, size_t errlen);

/* True when data starts with a recognised text header. */
bool cfz_corpus_is_text(const uint8_t *data, size_t len);

/* The format a file's first bytes announce: CFZ_CORPUS_HEADER, "go test
 * fuzz v1", or "raw bytes (no header)". */
const char *cfz_corpus_format_name(const uint8_t *head, size_t len);

/* The largest corpus file read (text encodes a byte in up to 4 characters:
 * room for inputs of several MiB).  Larger files are refused from their
 * size, unread. */
#define CFZ_CORPUS_FILE_MAX ((size_t)64 << 20)

/* Reads and decodes path, a regular file of at most CFZ_CORPUS_FILE_MAX
 * bytes (devices and FIFOs are refused unopened); errors name the file and
 * line, e.g. "testdata/fuzz/FuzzX/abc: line 2: unknown type foo". */
int cfz_corpus_read_file(const char *path, cfz_values *out, char *err,
                         size_t errlen);

#endif
