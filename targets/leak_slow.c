/* leak_slow.c - a long-running target for scripts/soak.sh.
 * Inputs starting with 'L' leak a little (a 1 KiB node, touched, on a global
 * list that is never freed), so a worker that lives long grows slowly;
 * '!' at the start crashes (a store through NULL), which the fuzzer finds at
 * once and keeps hitting, so workers are restarted all the time; and about
 * one in 65536 inputs starting with '~' hangs (an infinite loop, caught by
 * --timeout): the choice is a hash of the whole input, which coverage and
 * comparison feedback cannot steer toward, so hangs stay rare and each costs
 * one --timeout.  That mix is what scripts/soak.sh exercises.  The seed "abc"
 * passes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cfz.h"

typedef struct node {
  struct node *next;
  unsigned char pad[1024 - sizeof(struct node *)];
} node;

static node *g_list;

static uint32_t fnv1a(const unsigned char *d, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++)
    h = (h ^ d[i]) * 16777619u;
  return h;
}
static size_t g_leaked;

__attribute__((no_sanitize("null"))) static void fuzz(cfz_t *t,
                                                      const cfz_value *a) {
  (void)t;
  const unsigned char *d = a[0].v.bytes.data;
  size_t n = a[0].v.bytes.len;
  if (n == 0)
    return;
  if (d[0] == 'L') {
    node *x = malloc(sizeof *x);
    if (x) {
      memset(x->pad, (int)n, sizeof x->pad);
      x->next = g_list;
      g_list = x;
      g_leaked++;
    }
  } else if (d[0] == '~' && (fnv1a(d, n) & 0xffffu) == 0) {
    for (volatile int spin = 1; spin;)
      ;
  } else if (d[0] == '!') {
    int *volatile p = NULL;
    *p = 42;
  }
}

static void seeds(cfz_seeds *s) { cfz_add(s, CFZ_V_BYTES("abc", 3)); }

CFZ_TARGET(FuzzLeakSlow, seeds, fuzz, CFZ_BYTES)
