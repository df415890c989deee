/* const_input.c - libFuzzer's check that a target leaves its input alone
 * (const_input.h). */
#include "const_input.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libfuzzer_flags.h"
#include "libfuzzer_output.h"
#include "report_fd.h"

static cfz_libfuzzer_fn g_real;
static uint8_t *g_copy; /* the input as it was, grown as needed */
static size_t g_cap;

void cfz_const_input_set(cfz_libfuzzer_fn real) { g_real = real; }

/* Not memcmp: the harness intercepts memcmp to record the target's
 * comparisons (cmp_trace.h), and this one is not the target's. */
static bool same_bytes(const uint8_t *a, const uint8_t *b, size_t n) {
  size_t i = 0;
  for (; i + sizeof(uint64_t) <= n; i += sizeof(uint64_t)) {
    uint64_t x, y;
    memcpy(&x, a + i, sizeof x);
    memcpy(&y, b + i, sizeof y);
    if (x != y)
      return false;
  }
  for (; i < n; i++)
    if (a[i] != b[i])
      return false;
  return true;
}

static _Noreturn void overwritten(void) {
  cfz_strbuf b = {0};
  cfz_lfo_error(&b, (long)getpid(), CFZ_LFO_CONST_INPUT, 0, 0);
  cfz_lfo_summary(&b, CFZ_LFO_CONST_INPUT);
  if (b.p && !b.oom) {
    ssize_t w = write(cfz_report_fd(), b.p, b.len);
    (void)w;
  }
  _exit(CFZ_LF_ERROR_EXITCODE);
}

int cfz_const_input_entry(const uint8_t *data, size_t size) {
  if (size > g_cap) {
    uint8_t *p = realloc(g_copy, size);
    if (!p) /* no room to check: run unchecked */
      return g_real(data, size);
    g_copy = p;
    g_cap = size;
  }
  if (size)
    memcpy(g_copy, data, size);
  int rc = g_real(data, size);
  if (size && !same_bytes(g_copy, data, size))
    overwritten();
  return rc;
}
