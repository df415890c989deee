/* leak_once.c - a libFuzzer-style target with a memory leak: an input that
 * starts with "LK" allocates a record and loses it.  Found only when built
 * with AddressSanitizer/LeakSanitizer (the sanitizer build): the harness
 * checks for leaks after an input that allocated more than it freed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct record {
  size_t len;
  uint8_t data[16];
};

static struct record *volatile last;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2 || data[0] != 'L')
    return 0;
  struct record *r = malloc(sizeof *r);
  if (!r)
    return 0;
  r->len = size < sizeof r->data ? size : sizeof r->data;
  memcpy(r->data, data, r->len);
  last = r;
  if (data[1] != 'K')
    free(r);
  last = NULL; /* with "LK" nothing points to r any more: a leak */
  return 0;
}
