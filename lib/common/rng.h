/* rng.h - the random generators: splitmix64 over a 64-bit state, for the
 * driver's choices, and cfz_rng, the harness's (seeded by the driver per
 * request so single-worker runs are reproducible). */
#ifndef CFZ_RNG_H
#define CFZ_RNG_H

#include <stdint.h>

/* splitmix64: fast, full period, good enough for mutation choices.
 * Advances *state and returns the next number. */
static inline uint64_t cfz_splitmix64(uint64_t *state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

typedef struct cfz_rng {
  uint64_t s;
} cfz_rng;

static inline void cfz_rng_seed(cfz_rng *r, uint64_t seed) {
  r->s = seed ^ 0x9e3779b97f4a7c15ULL;
}
static inline uint64_t cfz_rng_next(cfz_rng *r) {
  return cfz_splitmix64(&r->s);
}
/* Uniform in [0, n); n > 0. */
static inline uint64_t cfz_rng_below(cfz_rng *r, uint64_t n) {
  return (uint64_t)(((unsigned __int128)cfz_rng_next(r) * n) >> 64);
}

#endif
