/* hostile_env.c - what a worker's environment holds, and what the
 * processes the target starts inherit (issue 15 item 9).  On its first
 * input the target fails (cfz_fatal) if
 *   - cfz's protocol variables (CFZ_WORKER, CFZ_TARGET, CFZ_PROBE) are still
 *     set: a helper it runs, linked with cfz too, would take itself for a
 *     worker and speak the protocol on fds it does not have;
 *   - ASAN_OPTIONS lacks cfz's abort_on_error=1, or the user's variable
 *     CFZ_TEST_ENV_MARK (set by the test) is missing, in this process or in
 *     a shell it starts: sanitizer options and the user's environment pass.
 * Otherwise no input fails. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cfz.h"

static bool g_checked;

static void fuzz(cfz_t *t, const cfz_value *a) {
  (void)a;
  if (g_checked)
    return;
  g_checked = true;
  const char *internal[] = {"CFZ_WORKER", "CFZ_TARGET", "CFZ_PROBE"};
  for (int i = 0; i < 3; i++)
    if (getenv(internal[i]))
      cfz_fatal(t, "hostile_env: %s leaked into the target", internal[i]);
  const char *asan = getenv("ASAN_OPTIONS");
  if (!asan || !strstr(asan, "abort_on_error=1"))
    cfz_fatal(t, "hostile_env: ASAN_OPTIONS lacks cfz's options: %s",
              asan ? asan : "(unset)");
  if (!getenv("CFZ_TEST_ENV_MARK"))
    cfz_fatal(t, "hostile_env: the user's CFZ_TEST_ENV_MARK is missing");
  int rc = system("test -z \"$CFZ_WORKER$CFZ_TARGET$CFZ_PROBE\" && "
                  "test -n \"$CFZ_TEST_ENV_MARK\" && "
                  "case \"$ASAN_OPTIONS\" in *abort_on_error=1*) ;; "
                  "*) exit 1;; esac");
  if (rc != 0)
    cfz_fatal(t, "hostile_env: a child's environment is wrong (status %d)", rc);
}

static void seeds(cfz_seeds *s) { cfz_add(s, CFZ_V_BYTES("abc", 3)); }

CFZ_TARGET(FuzzHostileEnv, seeds, fuzz, CFZ_BYTES)
