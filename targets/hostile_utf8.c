/* hostile_utf8.c - a failure message that is not UTF-8: an input starting
 * with '!' calls cfz_fatal with bytes 0xff 0xfe in its text.  A JSON string
 * holds only UTF-8, so the worker escapes them (\xff\xfe) instead of failing
 * to build its response (issue 15 item 9). */
#include "cfz.h"

static void fuzz(cfz_t *t, const cfz_value *a) {
  if (a[0].v.bytes.len > 0 && a[0].v.bytes.data[0] == '!')
    cfz_fatal(t, "hostile_utf8: bad bytes \xff\xfe here");
}

static void seeds(cfz_seeds *s) { cfz_add(s, CFZ_V_BYTES("abc", 3)); }

CFZ_TARGET(FuzzHostileUtf8, seeds, fuzz, CFZ_BYTES)
