/* base_pool.c - see base_pool.h. */
#include "base_pool.h"

#include <stdlib.h>
#include <string.h>

#include "weight_tree.h"

/* Rarity (base_pool.h): an input found by this worker keeps the
 * CFZ_POOL_RARE counter slots of its execution that the fewest found
 * inputs had covered. */
#define CFZ_POOL_RARE 16u
#define CFZ_POOL_RARE_SCALE 4u
#define CFZ_POOL_RARE_CAP 32u
/* One unit of fuzzing effort on an input's rare slots per this many base
 * picks of it (each pick: CFZ_ROTATE_EXECS executions, fuzz_loop.c). */
#define CFZ_POOL_EFFORT 8u
/* Base picks between two recomputations of every input's weight. */
#define CFZ_POOL_REWEIGH 256u

typedef struct pooled {
  uint8_t *wire;
  size_t len;
  uint64_t hash;
  uint64_t seq;   /* order of arrival in the pool */
  uint32_t picks; /* times picked as a base */
  uint32_t nrare;
  uint32_t rare[CFZ_POOL_RARE]; /* its rarest counter slots on arrival */
} pooled;

static pooled pool[CFZ_POOL_CAP];
static size_t npool, pool_bytes;
static uint64_t next_seq;
static cfz_wtree weights; /* pool[k]'s weight is item k */
/* where[seq % CFZ_POOL_RECENT]: the index of the input of that seq, while
 * it is recent enough for its weight to change (checked against seq). */
static size_t where[CFZ_POOL_RECENT];

/* slot_hits[s]: found inputs that covered counter slot s, plus one per
 * CFZ_POOL_EFFORT base picks of an input whose rare slots hold s (saturates).
 */
static uint16_t *slot_hits;
static size_t nslot_hits;
static uint64_t picks_since_reweigh;

/* Rarity boost in 1024ths: 1 + scale x sum of 1 / hits over the input's
 * rare slots, capped. */
static uint64_t rarity_boost(const pooled *p) {
  uint64_t rarity = 0;
  for (uint32_t j = 0; j < p->nrare; j++) {
    uint32_t s = p->rare[j];
    rarity += 1024u / (s < nslot_hits && slot_hits[s] ? slot_hits[s] : 1u);
  }
  uint64_t boost = 1024 + CFZ_POOL_RARE_SCALE * rarity;
  return boost < CFZ_POOL_RARE_CAP * 1024 ? boost : CFZ_POOL_RARE_CAP * 1024;
}

static void bump(uint32_t s) {
  if (s < nslot_hits && slot_hits[s] != UINT16_MAX)
    slot_hits[s]++;
}

/* Counts the counter slots snap covers and keeps p's rarest ones. */
static void note_coverage(pooled *p, const uint8_t *snap, size_t nslots) {
  if (nslots > nslot_hits) {
    uint16_t *h = realloc(slot_hits, nslots * sizeof *h);
    if (h == NULL)
      return; /* rarity is an optimisation: this input goes without */
    memset(h + nslot_hits, 0, (nslots - nslot_hits) * sizeof *h);
    slot_hits = h;
    nslot_hits = nslots;
  }
  uint32_t worst = 0; /* the most common of p->rare once it is full */
  for (size_t s = 0; s < nslots; s++) {
    if (!snap[s])
      continue;
    bump((uint32_t)s);
    if (p->nrare < CFZ_POOL_RARE) {
      p->rare[p->nrare++] = (uint32_t)s;
      if (slot_hits[s] > slot_hits[p->rare[worst]])
        worst = p->nrare - 1;
      continue;
    }
    if (slot_hits[s] >= slot_hits[p->rare[worst]])
      continue;
    p->rare[worst] = (uint32_t)s;
    for (uint32_t j = 0; j < CFZ_POOL_RARE; j++)
      if (slot_hits[p->rare[j]] > slot_hits[p->rare[worst]])
        worst = j;
  }
}

/* Recency weight (CFZ_POOL_RECENT / 8 arrivals per step, 8 steps) times
 * the rarity boost. */
static uint64_t weight(const pooled *p) {
  uint64_t step = (next_seq - p->seq) / (CFZ_POOL_RECENT / 8);
  return 8192 / (1 + (step < 7 ? step : 7)) * rarity_boost(p) / 1024;
}

/* Every input's weight again: the slot counts have moved since. */
static void reweigh(void) {
  for (size_t k = 0; k < npool; k++)
    cfz_wtree_set(&weights, k, weight(&pool[k]));
}

static uint64_t hash_bytes(const uint8_t *p, size_t n) {
  uint64_t h = 0xcbf29ce484222325ULL ^ n; /* FNV-1a */
  for (size_t i = 0; i < n; i++)
    h = (h ^ p[i]) * 0x100000001b3ULL;
  return h;
}

static void drop(size_t k) {
  pool_bytes -= pool[k].len;
  free(pool[k].wire);
  size_t last = --npool;
  pool[k] = pool[last];
  if (k < last) {
    cfz_wtree_set(&weights, k, weights.w[last]);
    if (where[pool[k].seq % CFZ_POOL_RECENT] == last)
      where[pool[k].seq % CFZ_POOL_RECENT] = k;
  }
  cfz_wtree_pop(&weights);
}

/* One arrival: the inputs whose age reaches a new step get its weight. */
static void age_one(void) {
  next_seq++;
  for (uint64_t j = 1; j < 8; j++) {
    uint64_t age = j * (CFZ_POOL_RECENT / 8);
    if (age > next_seq)
      break;
    uint64_t seq = next_seq - age;
    size_t k = where[seq % CFZ_POOL_RECENT];
    if (k < npool && pool[k].seq == seq)
      cfz_wtree_set(&weights, k, weight(&pool[k]));
  }
}

void cfz_pool_add(const uint8_t *wire, size_t len, cfz_rng *r) {
  cfz_pool_add_found(wire, len, r, NULL, 0);
}

void cfz_pool_add_found(const uint8_t *wire, size_t len, cfz_rng *r,
                        const uint8_t *snap, size_t nslots) {
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
  if (copy == NULL || cfz_wtree_push(&weights, 0) != 0) {
    free(copy);
    return; /* the pool is an optimisation: go on without this one */
  }
  memcpy(copy, wire, len);
  uint64_t seq = next_seq;
  pool[npool] = (pooled){.wire = copy, .len = len, .hash = h, .seq = seq};
  if (snap != NULL)
    note_coverage(&pool[npool], snap, nslots);
  where[seq % CFZ_POOL_RECENT] = npool;
  npool++;
  pool_bytes += len;
  age_one();
  cfz_wtree_set(&weights, npool - 1, weight(&pool[npool - 1]));
}

size_t cfz_pool_size(void) { return npool; }

static pooled *pick(cfz_rng *r) {
  return &pool[cfz_wtree_find(&weights, cfz_rng_below(r, weights.total))];
}

const uint8_t *cfz_pool_pick(cfz_rng *r, size_t *len) {
  if (npool == 0)
    return NULL;
  const pooled *p = pick(r);
  *len = p->len;
  return p->wire;
}

const uint8_t *cfz_pool_pick_base(cfz_rng *r, size_t *len) {
  if (npool == 0)
    return NULL;
  pooled *p = pick(r);
  if (++p->picks % CFZ_POOL_EFFORT == 0)
    for (uint32_t j = 0; j < p->nrare; j++)
      bump(p->rare[j]);
  if (++picks_since_reweigh >= CFZ_POOL_REWEIGH) {
    picks_since_reweigh = 0;
    reweigh();
  }
  *len = p->len;
  return p->wire;
}

void cfz_pool_clear(void) {
  while (npool > 0)
    drop(npool - 1);
  cfz_wtree_free(&weights);
  next_seq = 0;
  free(slot_hits);
  slot_hits = NULL;
  nslot_hits = 0;
  picks_since_reweigh = 0;
}
