/* flaky_first.c - a failure that does not reproduce (tests of "flaky"
 * failures, tests/integration/test_minimize.c): an input that starts with
 * '!' fails only the first time any process of the run meets one, which
 * the file flaky_first.once in the working directory records; from then on
 * such inputs pass, in a fresh process too.  CFZ_TEST_FLAKY=fatal fails
 * with cfz_fatal (recoverable); otherwise the process aborts. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfz.h"

static void fuzz(cfz_t *t, const cfz_value *a) {
  if (a[0].v.bytes.len == 0 || a[0].v.bytes.data[0] != '!')
    return;
  int fd = open("flaky_first.once", O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    if (errno != EEXIST)
      abort();
    return; /* met before: passes */
  }
  close(fd);
  const char *mode = getenv("CFZ_TEST_FLAKY");
  if (mode && !strcmp(mode, "fatal"))
    cfz_fatal(t, "first time only");
  abort();
}

static void seeds(cfz_seeds *s) { cfz_add(s, CFZ_V_BYTES("abc", 3)); }

CFZ_TARGET(FuzzFlakyFirst, seeds, fuzz, CFZ_BYTES)
