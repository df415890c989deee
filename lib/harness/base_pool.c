/* base_pool.c - see base_pool.h. */
#include "base_pool.h"

#include <stdlib.h>
#include <string.h>

#include "exec_cost.h"
#include "feature_rarity.h"
#include "weight_tree.h"

typedef struct pooled {
  uint8_t *wire;
  size_t len;
  uint64_t hash;
  uint64_t seq;      /* order of arrival in the pool */
  cfz_cost cost;     /* its measured execution time (exec_cost.h) */
  int shift;         /* cfz_cost_shift of cost against cost_ref */
  uint32_t edges;    /* edges its execution hit; 0: unknown */
  bool stood_in;     /* a stand-in for it was added */
  cfz_rare_set rare; /* its rare counter slots (feature_rarity.h) */
} pooled;

static pooled pool[CFZ_POOL_CAP];
static size_t npool, pool_bytes;
static uint64_t next_seq;
static cfz_wtree weights; /* pool[k]'s weight is item k */
/* where[seq % CFZ_POOL_RECENT]: the index of the input of that seq, while
 * it is recent enough for its weight to change (checked against seq). */
static size_t where[CFZ_POOL_RECENT];
/* The slow-input rule's reference over the pool, and room to take it. */
static cfz_cost_ref cost_ref;
static uint64_t scratch[CFZ_POOL_CAP];

/* Recency weight: CFZ_POOL_RECENT / 8 arrivals per step, 8 steps. */
static uint64_t weight(uint64_t seq) {
  uint64_t step = (next_seq - seq) / (CFZ_POOL_RECENT / 8);
  return 8192 / (1 + (step < 7 ? step : 7));
}

/* Input k's weight: its recency weight scaled by its rarity boost (not
 * for a slow input: the boost would buy its cost) and its cost factor. */
static uint64_t weight_of(size_t k) {
  uint64_t w = weight(pool[k].seq);
  if (pool[k].shift >= 0)
    w = cfz_rarity_scale(w, &pool[k].rare);
  return cfz_cost_scale(w, pool[k].shift);
}

static uint64_t hash_bytes(const uint8_t *p, size_t n) {
  uint64_t h = 0xcbf29ce484222325ULL ^ n; /* FNV-1a */
  for (size_t i = 0; i < n; i++)
    h = (h ^ p[i]) * 0x100000001b3ULL;
  return h;
}

static size_t find(uint64_t h, const uint8_t *wire, size_t len) {
  for (size_t i = 0; i < npool; i++)
    if (pool[i].hash == h && pool[i].len == len &&
        memcmp(pool[i].wire, wire, len) == 0)
      return i;
  return SIZE_MAX;
}

static void drop(size_t k) {
  pool_bytes -= pool[k].len;
  cost_ref.measured -= pool[k].cost.n > 0;
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
      cfz_wtree_set(&weights, k, weight_of(k));
  }
}

size_t cfz_pool_add(const uint8_t *wire, size_t len, cfz_rng *r) {
  return cfz_pool_add_found(wire, len, r, NULL, 0);
}

size_t cfz_pool_add_found(const uint8_t *wire, size_t len, cfz_rng *r,
                          const uint8_t *snap, size_t nslots) {
  if (len > CFZ_POOL_BYTES / 64)
    return SIZE_MAX;
  uint64_t h = hash_bytes(wire, len);
  size_t k = find(h, wire, len);
  if (k != SIZE_MAX)
    return k;
  while (npool > 0 &&
         (npool == CFZ_POOL_CAP || pool_bytes + len > CFZ_POOL_BYTES))
    drop((size_t)cfz_rng_below(r, npool));
  uint8_t *copy = malloc(len ? len : 1);
  if (copy == NULL || cfz_wtree_push(&weights, 0) != 0) {
    free(copy);
    return SIZE_MAX; /* the pool is an optimisation: go on without it */
  }
  memcpy(copy, wire, len);
  uint64_t seq = next_seq;
  pool[npool] = (pooled){copy, len, h, seq, {0, 0, 0}, 0, 0, false, {.n = 0}};
  if (snap != NULL)
    cfz_rarity_note_input(snap, nslots, &pool[npool].rare);
  where[seq % CFZ_POOL_RECENT] = npool;
  npool++;
  pool_bytes += len;
  age_one();
  cfz_wtree_set(&weights, npool - 1, weight_of(npool - 1));
  return npool - 1;
}

size_t cfz_pool_find(const uint8_t *wire, size_t len) {
  return find(hash_bytes(wire, len), wire, len);
}

bool cfz_pool_holds(size_t k, const uint8_t *wire, size_t len) {
  return k < npool && pool[k].len == len &&
         memcmp(pool[k].wire, wire, len) == 0;
}

/* Input k's factor against the current reference. */
static void rescale(size_t k) {
  int shift = cfz_cost_shift(&pool[k].cost, cost_ref.ns);
  if (shift != pool[k].shift) {
    pool[k].shift = shift;
    cfz_wtree_set(&weights, k, weight_of(k));
  }
}

/* Takes the median again and rescales every input. */
static void refresh(void) {
  cfz_cost_ref_take(&cost_ref, &pool[0].cost, sizeof pool[0], npool, scratch);
  for (size_t k = 0; k < npool; k++)
    rescale(k);
}

void cfz_pool_note_cost(size_t k, uint64_t ns) {
  if (k >= npool)
    return;
  if (cfz_cost_ref_note(&cost_ref, &pool[k].cost, ns))
    refresh();
  else
    rescale(k);
}

void cfz_pool_set_edges(size_t k, uint32_t edges) {
  if (k < npool)
    pool[k].edges = edges;
}

uint64_t cfz_pool_standin_limit(size_t k, uint32_t *edges) {
  if (k >= npool || pool[k].edges == 0 || pool[k].stood_in)
    return 0;
  *edges = pool[k].edges;
  return cfz_cost_standin_limit(&pool[k].cost);
}

void cfz_pool_add_standin(size_t k, const uint8_t *wire, size_t len,
                          uint32_t edges, cfz_rng *r) {
  if (k >= npool)
    return;
  pool[k].stood_in = true;
  cfz_pool_set_edges(cfz_pool_add(wire, len, r), edges);
}

void cfz_pool_note_pick(size_t k) {
  if (k >= npool)
    return;
  if (!cfz_rarity_note_pick(&pool[k].rare)) {
    if (pool[k].rare.n > 0) /* its own effort may have moved */
      cfz_wtree_set(&weights, k, weight_of(k));
    return;
  }
  for (size_t j = 0; j < npool; j++) /* every count may have moved */
    if (pool[j].rare.n > 0)
      cfz_wtree_set(&weights, j, weight_of(j));
}

uint64_t cfz_pool_cost_ref(void) { return cost_ref.ns; }

uint32_t cfz_pool_cost_samples(size_t k) {
  return k < npool ? pool[k].cost.n : 0;
}

size_t cfz_pool_size(void) { return npool; }

const uint8_t *cfz_pool_pick(cfz_rng *r, size_t *len, size_t *index) {
  if (npool == 0)
    return NULL;
  size_t k = cfz_wtree_find(&weights, cfz_rng_below(r, weights.total));
  *len = pool[k].len;
  if (index)
    *index = k;
  return pool[k].wire;
}

void cfz_pool_clear(void) {
  while (npool > 0)
    drop(npool - 1);
  cfz_wtree_free(&weights);
  next_seq = 0;
  cost_ref = (cfz_cost_ref){0};
  cfz_rarity_clear();
}
