/* feedback_indirect.c - needs INDIRECT CALL (caller -> callee) features.
 *
 * A state machine whose state is a function pointer: each input byte is fed
 * to the current state function through one indirect call, and returns the
 * next one from a table (no branch, no compare).  The state functions stand
 * for code built without coverage (a system library, callbacks): their
 * edges are not seen, so coverage cannot tell which state an input reached.
 * The pair (call site, callee) can: reaching one more state is a new pair.
 * Four states in a row need four exact bytes; the last state traps.
 * Built for cfz with clang (no_sanitize("coverage")).
 */
#include <stddef.h>
#include <stdint.h>

typedef struct state state;
typedef const state *(*step_fn)(uint8_t c);
struct state {
  step_fn step;
};

#if defined(__clang__)
#define NOCOV __attribute__((no_sanitize("coverage"), noinline))
#else /* gcc 12 spells it no_sanitize_coverage */
#define NOCOV __attribute__((no_sanitize_coverage, noinline))
#endif

static const uint8_t key[4] = {0x3c, 0xa7, 0x51, 0xe9};
static const state states[5];

/* next[c] == the next state when c is the key byte, else the start. */
static NOCOV const state *advance(int k, uint8_t c) {
  static const state *table[4][256];
  static int ready;
  if (!ready) {
    for (int s = 0; s < 4; s++)
      for (int b = 0; b < 256; b++)
        table[s][b] = &states[0];
    for (int s = 0; s < 4; s++)
      table[s][key[s]] = &states[s + 1];
    ready = 1;
  }
  return table[k][c];
}

static NOCOV const state *s0(uint8_t c) { return advance(0, c); }
static NOCOV const state *s1(uint8_t c) { return advance(1, c); }
static NOCOV const state *s2(uint8_t c) { return advance(2, c); }
static NOCOV const state *s3(uint8_t c) { return advance(3, c); }
static NOCOV const state *s4(uint8_t c) {
  (void)c;
  __builtin_trap();
}

static const state states[5] = {{s0}, {s1}, {s2}, {s3}, {s4}};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const state *cur = &states[0];
  for (size_t i = 0; i < size; i++)
    cur = cur->step(data[i]);
  if (size > 0)
    cur->step(0);
  return 0;
}
