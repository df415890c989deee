/* base_pool.c - see base_pool.h. */
#include "base_pool.h"

#include <stdlib.h>
#include <string.h>

typedef struct pooled {
  uint8_t *wire;
  size_t len;
  uint64_t hash;
} pooled;

static pooled pool[CFZ_POOL_CAP];
static size_t npool, pool_bytes;

static uint64_t hash_bytes(const uint8_t *p, size_t n) {
  uint64_t h = 0xcbf29ce484222325ULL ^ n; /* FNV-1a */
  for (size_t i = 0; i < n; i++)
    h = (h ^ p[i]) * 0x100000001b3ULL;
  return h;
}

static void drop(size_t k) {
  pool_bytes -= pool[k].len;
  free(pool[k].wire);
  pool[k] = pool[--npool];
}

void cfz_pool_add(const uint8_t *wire, size_t len, cfz_rng *r) {
  if (len > CFZ_POOL_BYTES / 64)
    return;
  uint64_t h = hash_bytes(wire, len);
  for (size_t i = 0; i < npool; i++)
    if (pool[i].hash == h && pool[i].len == len &&
        memcmp(pool[i].wire, wire, len) == 0)
      return;
  while (npool > 0 &&
         (npool == CFZ_POOL_CAP || pool_bytes + len > CFZ_POOL_BYTES))
    drop((size_t)cfz_rng_below(r, npool));
  uint8_t *copy = malloc(len ? len : 1);
  if (copy == NULL)
    return; /* the pool is an optimisation: go on without this one */
  memcpy(copy, wire, len);
  pool[npool++] = (pooled){copy, len, h};
  pool_bytes += len;
}

size_t cfz_pool_size(void) { return npool; }

const uint8_t *cfz_pool_pick(cfz_rng *r, size_t *len) {
  if (npool == 0)
    return NULL;
  const pooled *p = &pool[cfz_rng_below(r, npool)];
  *len = p->len;
  return p->wire;
}

void cfz_pool_clear(void) {
  while (npool > 0)
    drop(npool - 1);
}
