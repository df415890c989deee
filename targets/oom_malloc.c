/* oom_malloc.c - one impossible allocation.
 * Used by tests/integration/test_hardening.c: when the input's first byte is
 * '!', it asks malloc for 1 PiB, more than any 64-bit Linux address space
 * can map.  glibc returns NULL; AddressSanitizer returns NULL too because the
 * driver runs workers with allocator_may_return_null=1 (run by hand under
 * ASan, without that option, ASan reports "requested allocation size exceeds
 * maximum supported size" and aborts).  The target checks the result and
 * reports a recoverable failure, as careful code would.  The seed "abc"
 * passes. */
#include <stdint.h>
#include <stdlib.h>

#include "cfz.h"

static void fuzz(cfz_t *t, const cfz_value *a) {
  if (a[0].v.bytes.len == 0 || a[0].v.bytes.data[0] != '!')
    return;
  size_t huge = (size_t)1 << 50;
  void *volatile p = malloc(huge);
  if (!p)
    cfz_fatal(t, "oom_malloc: malloc(%zu) returned NULL", huge);
  free(p);
}

static void seeds(cfz_seeds *s) { cfz_add(s, CFZ_V_BYTES("abc", 3)); }

CFZ_TARGET(FuzzOomMalloc, seeds, fuzz, CFZ_BYTES)
