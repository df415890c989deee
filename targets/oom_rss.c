/* oom_rss.c - resident memory that keeps growing (an out-of-memory failure,
 * caught by the driver's --rss-limit).
 * Used by tests/integration/test_hardening.c: when the input's first byte is
 * '!', it allocates 64 MiB chunks and touches every page, so the worker's
 * resident set grows past a small --rss-limit (e.g. 100 MB) within a few
 * watchdog ticks.  It stops growing at 1 GiB and then keeps the memory
 * resident (a loop that makes no progress), so a driver without an RSS limit
 * would report a hang instead; the seed "abc" passes. */
#include <stdlib.h>
#include <string.h>

#include "cfz.h"

#define CHUNK (64u << 20)
#define MAX_CHUNKS 16u

static void *volatile g_chunks[MAX_CHUNKS]; /* volatile: never optimised out */

static void fuzz(cfz_t *t, const cfz_value *a) {
  if (a[0].v.bytes.len == 0 || a[0].v.bytes.data[0] != '!')
    return;
  for (unsigned i = 0; i < MAX_CHUNKS; i++) {
    char *p = malloc(CHUNK);
    if (!p)
      cfz_fatal(t, "oom_rss: malloc of chunk %u failed", i);
    memset(p, (int)i + 1, CHUNK); /* touch every page: resident */
    g_chunks[i] = p;
  }
  for (volatile unsigned spin = 1; spin;) /* hold it until killed */
    ;
}

static void seeds(cfz_seeds *s) { cfz_add(s, CFZ_V_BYTES("abc", 3)); }

CFZ_TARGET(FuzzOomRss, seeds, fuzz, CFZ_BYTES)
