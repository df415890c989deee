/* libfuzzer_binary.c - is this executable built with real libFuzzer?
 * (libfuzzer_binary.h). */
#include "libfuzzer_binary.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Text of libFuzzer's runtime (FuzzerMerge.cpp, FuzzerDriver.cpp) that
 * cfz's harness never prints. */
static const char *const k_markers[] = {
    "MERGE-INNER: using the control file",
    "INFO: Running with entropic power schedule",
};

#define CHUNK 65536
#define OVERLAP 64 /* longer than any marker */

static int scan(const char *buf, size_t n) {
  for (size_t m = 0; m < sizeof k_markers / sizeof k_markers[0]; m++) {
    size_t len = strlen(k_markers[m]);
    for (const char *p = buf; (size_t)(p - buf) + len <= n;) {
      const char *hit = memchr(p, k_markers[m][0], n - (size_t)(p - buf));
      if (!hit || (size_t)(hit - buf) + len > n)
        break;
      if (memcmp(hit, k_markers[m], len) == 0)
        return 1;
      p = hit + 1;
    }
  }
  return 0;
}

int cfz_is_libfuzzer_binary(const char *path, char *err, size_t errlen) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return -1;
  }
  char *buf = malloc(OVERLAP + CHUNK);
  if (!buf) {
    snprintf(err, errlen, "%s: out of memory", path);
    fclose(f);
    return -1;
  }
  size_t keep = 0, n;
  int found = 0;
  while (!found && (n = fread(buf + keep, 1, CHUNK, f)) > 0) {
    found = scan(buf, keep + n);
    size_t total = keep + n;
    keep = total < OVERLAP ? total : OVERLAP;
    memmove(buf, buf + total - keep, keep);
  }
  int rc = found;
  if (!found && ferror(f)) {
    snprintf(err, errlen, "%s: read error", path);
    rc = -1;
  }
  free(buf);
  fclose(f);
  return rc;
}
