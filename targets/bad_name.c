/* bad_name.c - a native target whose name tries to leave its corpus
 * directory ("../x").  CFZ_TARGET cannot spell it (it stringizes an
 * identifier), so the definition is written by hand and registered from a
 * constructor.  The harness refuses the name at start-up (cfz_register
 * prints "invalid target name" and aborts before main), so the driver reports
 * a start-up failure and writes nothing; the driver also re-checks every
 * name a worker announces.  Used by tests/integration/test_hardening.c. */
#include "cfz.h"

static void fuzz(cfz_t *t, const cfz_value *a) {
  (void)a;
  cfz_fatal(t, "bad_name: must never run");
}

static const cfz_type params[] = {CFZ_BYTES};
static const cfz_target_def def = {"../x", params, 1, NULL, fuzz};

__attribute__((constructor)) static void register_bad_name(void) {
  cfz_register(&def);
}
