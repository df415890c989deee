/* corpus_parse.h - the corpus format's reader of one value line (internal
 * to lib/common; the format's contract is corpus_format.h).
 *
 * corpus_lex.c: a cursor over one trimmed line and the literals in it
 * (strings with Go's escapes, character literals, integer literals in any
 * base).  corpus_value.c: one TYPE(literal) value.  Every function that
 * fails returns -1 (cfz_cur_uint: -2 on overflow) and leaves the reason in
 * the cursor's why.
 */
#ifndef CFZ_CORPUS_PARSE_H
#define CFZ_CORPUS_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "value.h"

/* A cursor over one trimmed line.  why receives the reason of a failure. */
typedef struct cfz_cursor {
  const char *s;
  size_t n, i;
  char why[160];
} cfz_cursor;

static inline bool cfz_cur_at_end(const cfz_cursor *c) { return c->i >= c->n; }
static inline char cfz_cur_peek(const cfz_cursor *c) {
  return c->i < c->n ? c->s[c->i] : '\0';
}
static inline void cfz_cur_skip_space(cfz_cursor *c) {
  while (c->i < c->n && (c->s[c->i] == ' ' || c->s[c->i] == '\t'))
    c->i++;
}

/* Writes the reason into c->why; returns -1. */
__attribute__((format(printf, 2, 3))) int cfz_cur_bad(cfz_cursor *c,
                                                      const char *fmt, ...);
/* A character of a word: letters, digits, '_' and '.'. */
bool cfz_cur_is_word(char ch);
/* Consumes the word w when it stands whole at the cursor. */
bool cfz_cur_match_word(cfz_cursor *c, const char *w);
/* A "..." or `...` literal; *out is malloc'd with a NUL. */
int cfz_cur_string(cfz_cursor *c, uint8_t **out, size_t *out_len);
/* A 'x' character literal (cursor on the opening quote) into *r. */
int cfz_cur_char(cfz_cursor *c, uint32_t *r);
/* An unsigned integer literal (decimal, 0x, 0o, 0b, legacy 0NNN;
 * underscores ignored) into *mag.  Returns -1 with why, or -2 on overflow. */
int cfz_cur_uint(cfz_cursor *c, uint64_t *mag);

/* Parses one value line, TYPE(literal), into *out (owning any buffer).  go:
 * the file has Go's header (NaN means Go's NaN bits). */
int cfz_corpus_parse_value(cfz_cursor *c, bool go, cfz_value *out);

#endif
