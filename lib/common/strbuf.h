/* strbuf.h - a growable NUL-terminated string.
 *
 * Start from a zeroed cfz_strbuf.  p is NULL until something is added and
 * always NUL-terminated after.  When an allocation fails, oom is set, the
 * contents stay as they were and every later append does nothing; check oom
 * (or use cfz_sb_take) once at the end.  The caller frees p. */
#ifndef CFZ_STRBUF_H
#define CFZ_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct cfz_strbuf {
  char *p;
  size_t len, cap;
  bool oom;
} cfz_strbuf;

/* Makes room for n more bytes plus the NUL; false (oom set) if it cannot. */
bool cfz_sb_reserve(cfz_strbuf *b, size_t n);
void cfz_sb_add(cfz_strbuf *b, const char *s, size_t n);
void cfz_sb_str(cfz_strbuf *b, const char *s);
__attribute__((format(printf, 2, 3))) void cfz_sb_printf(cfz_strbuf *b,
                                                         const char *fmt, ...);
/* The string, malloc'd ("" when empty); NULL (and p freed) if oom. */
char *cfz_sb_take(cfz_strbuf *b);

#endif
