/* fuzz_record.c - a native cfz target for record_check. */
#include "cfz.h"
#include "record.h"

static void fuzz_record(cfz_t *t, const cfz_value *a) {
  if (record_check(a[0].v.bytes.data, a[0].v.bytes.len) < 0)
    cfz_fatal(t, "record_check: planted bug reached");
}

static void seeds(cfz_seeds *s) { cfz_add(s, CFZ_V_BYTES("hello", 5)); }

CFZ_TARGET(FuzzRecord, seeds, fuzz_record, CFZ_BYTES)
