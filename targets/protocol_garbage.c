/* protocol_garbage.c - a target whose code scribbles on the protocol pipe
 * (fd 4) when an input starts with '!', to test that the driver survives
 * garbage and oversized frames: CFZ_TEST_GARBAGE=garbage|oversize. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfz.h"

static void fuzz(cfz_t *t, const cfz_value *a) {
  (void)t;
  if (a[0].v.bytes.len == 0 || a[0].v.bytes.data[0] != '!')
    return;
  const char *mode = getenv("CFZ_TEST_GARBAGE");
  if (!mode)
    return;
  if (!strcmp(mode, "oversize")) {
    const unsigned char huge[4] = {0xff, 0xff, 0xff, 0x7f};
    (void)!write(4, huge, sizeof huge);
  } else {
    const unsigned char frame[] = {9,   0,   0,   0,   '{', 'n', 'o',
                                   't', ' ', 'j', 's', 'o', 'n'};
    (void)!write(4, frame, sizeof frame);
  }
  pause(); /* the driver kills us */
}

static void seeds(cfz_seeds *s) { cfz_add(s, CFZ_V_BYTES("abc", 3)); }

CFZ_TARGET(FuzzProtocolGarbage, seeds, fuzz, CFZ_BYTES)
