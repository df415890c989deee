/* asan_bugs.c - two memory bugs in two functions, chosen by the first byte,
 * for failure naming under AddressSanitizer (tests/integration/
 * test_observe.c builds it as asan_bugs_asan):
 *   "HB" read_past_end: a heap-buffer-overflow, READ of size 1
 *   "UF" read_after_free: a heap-use-after-free, READ of size 1
 * Two bytes each, so that once found they recur seldom: every ASan report
 * costs a worker restart and a symbolization (about a second).  Without
 * ASan neither is detected.  The seed "abc" passes. */
#include <stdlib.h>
#include <string.h>

#include "cfz.h"

__attribute__((noinline)) static int read_past_end(const uint8_t *d,
                                                   size_t n) {
  char *volatile buf = malloc(n);
  if (!buf)
    return 0;
  memcpy(buf, d, n);
  int v = buf[n]; /* one past the end */
  free(buf);
  return v;
}

__attribute__((noinline)) static int read_after_free(const uint8_t *d,
                                                     size_t n) {
  char *volatile buf = malloc(n);
  if (!buf)
    return 0;
  memcpy(buf, d, n);
  free(buf);
  return buf[0];
}

static volatile int sink;

static void fuzz(cfz_t *t, const cfz_value *a) {
  (void)t;
  const uint8_t *d = a[0].v.bytes.data;
  size_t n = a[0].v.bytes.len;
  if (n < 2)
    return;
  if (d[0] == 'H') {
    if (d[1] == 'B')
      sink = read_past_end(d, n);
  } else if (d[0] == 'U') {
    if (d[1] == 'F')
      sink = read_after_free(d, n);
  }
}

static void seeds(cfz_seeds *s) { cfz_add(s, CFZ_V_BYTES("abc", 3)); }

CFZ_TARGET(FuzzAsanBugs, seeds, fuzz, CFZ_BYTES)
