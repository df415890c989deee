/* corpus_format.c - the corpus format's files (see corpus_format.h and
 * docs/corpus-format.md): the header, a whole file decoded value by value
 * (corpus_value.c parses a line), reading a file from disk.  The reader
 * accepts what Go's "go test fuzz v1" reader accepts (byte/rune/int/uint,
 * char literals, raw strings, any base); corpus_encode.c writes.
 */
#include "corpus_format.h"
#include "corpus_parse.h"
#include "file_read.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Length of the header line at data (without \r\n) when it is known, or 0. */
static size_t header_len(const uint8_t *data, size_t len, bool *go) {
  static const char *const headers[] = {CFZ_CORPUS_HEADER,
                                        CFZ_CORPUS_GO_HEADER};
  for (int h = 0; h < 2; h++) {
    size_t n = strlen(headers[h]);
    if (len < n || memcmp(data, headers[h], n) != 0)
      continue;
    size_t k = n;
    if (k < len && data[k] == '\r')
      k++;
    if (k == len || data[k] == '\n') {
      if (go)
        *go = h == 1;
      return n;
    }
  }
  return 0;
}

bool cfz_corpus_is_text(const uint8_t *data, size_t len) {
  return header_len(data, len, NULL) > 0;
}

/* Writes src[0..n) quoted into dst for an error message, cut to ~60 bytes. */
static void quote_for_msg(char *dst, size_t dstlen, const char *src, size_t n) {
  cfz_strbuf b = {0};
  size_t show = n > 60 ? 60 : n;
  cfz_corpus_quote(&b, (const uint8_t *)src, show, SIZE_MAX);
  if (n > show && b.len > 0) {
    b.len--; /* the closing quote goes after the ellipsis */
    cfz_sb_str(&b, "...\"");
  }
  snprintf(dst, dstlen, "%s", b.p ? b.p : "\"\"");
  free(b.p);
}

static bool is_trim(char ch) {
  return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f';
}

/* A file without a known header: raw bytes, unless it starts like a header
 * of an unknown version (an error, not raw bytes). */
static int decode_raw(const uint8_t *data, size_t len, cfz_values *out,
                      char *err, size_t errlen) {
  static const char *const prefixes[] = {"cfz fuzz v", "go test fuzz v"};
  for (int h = 0; h < 2; h++) {
    size_t pn = strlen(prefixes[h]);
    if (len > pn && memcmp(data, prefixes[h], pn) == 0) {
      const uint8_t *nl = memchr(data, '\n', len);
      size_t ln = nl ? (size_t)(nl - data) : len;
      while (ln > 0 && is_trim((char)data[ln - 1]))
        ln--;
      char q[100];
      quote_for_msg(q, sizeof q, (const char *)data, ln);
      snprintf(err, errlen, "line 1: unknown encoding version %s", q);
      return -1;
    }
  }
  cfz_value raw = CFZ_V_BYTES(data, len);
  if (cfz_values_copy(out, &raw, 1) != 0) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  return 0;
}

/* Appends the value of the trimmed line s[0..n) to res (cap: its room). */
static int decode_line(const char *s, size_t n, bool go, unsigned long lineno,
                       cfz_values *res, size_t *cap, char *err, size_t errlen) {
  if (res->n == *cap) {
    size_t ncap = *cap ? *cap * 2 : 4;
    cfz_value *nv = realloc(res->v, ncap * sizeof *nv);
    if (!nv) {
      snprintf(err, errlen, "line %lu: out of memory", lineno);
      return -1;
    }
    res->v = nv;
    *cap = ncap;
  }
  cfz_cursor c = {.s = s, .n = n, .i = 0};
  if (cfz_corpus_parse_value(&c, go, &res->v[res->n]) != 0) {
    char q[100];
    quote_for_msg(q, sizeof q, s, n);
    snprintf(err, errlen, "line %lu: malformed value %s: %s", lineno, q, c.why);
    return -1;
  }
  res->n++;
  return 0;
}

int cfz_corpus_decode(const uint8_t *data, size_t len, cfz_values *out,
                      char *err, size_t errlen) {
  out->v = NULL;
  out->n = 0;
  bool go = false;
  if (header_len(data, len, &go) == 0)
    return decode_raw(data, len, out, err, errlen);
  cfz_values res = {0};
  size_t cap = 0;
  const char *s = (const char *)data;
  /* Skip the header line. */
  const char *nl = memchr(s, '\n', len);
  size_t pos = nl ? (size_t)(nl - s) + 1 : len;
  unsigned long lineno = 1;
  while (pos < len) {
    lineno++;
    const char *e = memchr(s + pos, '\n', len - pos);
    size_t end = e ? (size_t)(e - s) : len;
    size_t a = pos, b = end;
    pos = e ? end + 1 : len;
    while (a < b && is_trim(s[a]))
      a++;
    while (b > a && is_trim(s[b - 1]))
      b--;
    if (a < b &&
        decode_line(s + a, b - a, go, lineno, &res, &cap, err, errlen) != 0) {
      cfz_values_free(&res);
      return -1;
    }
  }
  if (res.n == 0) {
    snprintf(err, errlen, "no values after the \"%s\" header",
             go ? CFZ_CORPUS_GO_HEADER : CFZ_CORPUS_HEADER);
    cfz_values_free(&res);
    return -1;
  }
  *out = res;
  return 0;
}

int cfz_corpus_read_file(const char *path, cfz_values *out, char *err,
                         size_t errlen) {
  out->v = NULL;
  out->n = 0;
  /* Sized before it is opened: a device (/dev/zero) or a FIFO would be read
   * forever or block; a huge file would be read whole (issue 15). */
  struct stat st;
  if (stat(path, &st) != 0) {
    snprintf(err, errlen, "open %s: %s", path, strerror(errno));
    return -1;
  }
  if (!S_ISREG(st.st_mode)) {
    snprintf(err, errlen, "%s: not a regular file", path);
    return -1;
  }
  if ((uint64_t)st.st_size > CFZ_CORPUS_FILE_MAX) {
    snprintf(err, errlen,
             "%s: %llu bytes, more than the %llu MiB a corpus file may have; "
             "skipped without reading it",
             path, (unsigned long long)st.st_size,
             (unsigned long long)(CFZ_CORPUS_FILE_MAX >> 20));
    return -1;
  }
  uint8_t *buf;
  size_t len;
  if (cfz_file_read(path, CFZ_CORPUS_FILE_MAX + 1, &buf, &len, err, errlen) !=
      0)
    return -1;
  if (len > CFZ_CORPUS_FILE_MAX) { /* it grew after stat */
    free(buf);
    snprintf(err, errlen, "%s: more than %llu MiB; skipped", path,
             (unsigned long long)(CFZ_CORPUS_FILE_MAX >> 20));
    return -1;
  }
  char msg[384];
  int rc = cfz_corpus_decode(buf, len, out, msg, sizeof msg);
  free(buf);
  if (rc != 0)
    snprintf(err, errlen, "%s: %s", path, msg);
  return rc;
}

const char *cfz_corpus_format_name(const uint8_t *head, size_t len) {
  if (!cfz_corpus_is_text(head, len))
    return "raw bytes (no header)";
  if (len >= 2 && head[0] == 'g' && head[1] == 'o')
    return CFZ_CORPUS_GO_HEADER;
  return CFZ_CORPUS_HEADER;
}
