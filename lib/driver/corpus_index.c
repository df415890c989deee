/* corpus_index.c - see corpus_index.h. */
#include "corpus_index.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash_bytes(const uint8_t *p, size_t n) {
  uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
  for (size_t i = 0; i < n; i++)
    h = (h ^ p[i]) * 0x100000001b3ULL;
  return h;
}

void cfz_index_init(cfz_corpus_index *ix) {
  memset(ix, 0, sizeof *ix);
  cfz_wtree_init(&ix->weights);
}

void cfz_index_free(cfz_corpus_index *ix) {
  for (size_t i = 0; i < ix->n; i++) {
    free(ix->e[i].wire);
    free(ix->e[i].origin);
  }
  free(ix->e);
  free(ix->table);
  free(ix->scratch);
  cfz_wtree_free(&ix->weights);
  memset(ix, 0, sizeof *ix);
}

static long find(const cfz_corpus_index *ix, uint64_t h, const uint8_t *w,
                 size_t len, size_t *slot) {
  size_t mask = ix->table_cap - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    size_t k = ix->table[i];
    if (k == SIZE_MAX) {
      *slot = i;
      return -1;
    }
    const cfz_entry *e = &ix->e[k];
    if (e->hash == h && e->len == len && memcmp(e->wire, w, len) == 0)
      return (long)k;
  }
}

static int grow_table(cfz_corpus_index *ix) {
  size_t cap = ix->table_cap ? ix->table_cap * 2 : 64;
  size_t *t = malloc(cap * sizeof *t);
  if (!t)
    return -1;
  for (size_t i = 0; i < cap; i++)
    t[i] = SIZE_MAX;
  for (size_t k = 0; k < ix->n; k++) {
    size_t i = ix->e[k].hash & (cap - 1);
    while (t[i] != SIZE_MAX)
      i = (i + 1) & (cap - 1);
    t[i] = k;
  }
  free(ix->table);
  ix->table = t;
  ix->table_cap = cap;
  return 0;
}

/* Weight of entry k: features it brought (rarer finds bring more), a bonus
 * for the most recent tenth of the corpus, divided by how often it ran,
 * scaled by its cost factor f.  Its picks count 1 / f each (a pick of an
 * entry 16x slower counts 16): the decay follows the time spent on it, so
 * that its share of the picks stays about f times the others' (counted
 * plainly, picks p ~ sqrt(f t) would give it sqrt(f) of theirs). */
static uint64_t weight(const cfz_corpus_index *ix, size_t k) {
  const cfz_entry *e = &ix->e[k];
  uint64_t w =
      16 + 4 * (uint64_t)(e->new_features < 256 ? e->new_features : 256);
  if (k + ix->n / 10 + 1 >= ix->n)
    w *= 4;
  if (e->shift == 0)
    return w * 1024 / (16 + e->picks);
  uint64_t effort = e->shift < 0 ? e->picks << -e->shift : e->picks >> e->shift;
  return cfz_cost_scale(w * 1024 / (16 + effort), e->shift);
}

/* The recent bonus covers entries [n - n / 10 - 1, n): as n grows, entries
 * leave it (in order) and get their plain weight back. */
static void leave_recent(cfz_corpus_index *ix) {
  size_t from = ix->n - ix->n / 10 - 1;
  for (; ix->recent_from < from; ix->recent_from++)
    cfz_wtree_set(&ix->weights, ix->recent_from, weight(ix, ix->recent_from));
}

long cfz_index_add(cfz_corpus_index *ix, const uint8_t *wire, size_t len,
                   const char *origin, uint32_t new_features) {
  if ((ix->n + 1) * 2 > ix->table_cap && grow_table(ix) != 0)
    return -1;
  uint64_t h = hash_bytes(wire, len);
  size_t slot = 0;
  if (find(ix, h, wire, len, &slot) >= 0)
    return -2;
  if (ix->n == ix->cap) {
    size_t cap = ix->cap ? ix->cap * 2 : 64;
    cfz_entry *e = realloc(ix->e, cap * sizeof *e);
    if (!e)
      return -1;
    ix->e = e;
    uint64_t *sc = realloc(ix->scratch, cap * sizeof *sc);
    if (!sc)
      return -1;
    ix->scratch = sc;
    ix->cap = cap;
  }
  cfz_entry *e = &ix->e[ix->n];
  memset(e, 0, sizeof *e);
  if (ix->weights.n == ix->n && cfz_wtree_push(&ix->weights, 0) != 0)
    return -1;
  if (!(e->wire = malloc(len ? len : 1)))
    return -1;
  memcpy(e->wire, wire, len);
  if (origin && !(e->origin = strdup(origin))) {
    free(e->wire);
    return -1;
  }
  e->len = len;
  ix->bytes += len;
  e->hash = h;
  e->new_features = new_features;
  ix->table[slot] = ix->n;
  size_t k = ix->n++;
  cfz_wtree_set(&ix->weights, k, weight(ix, k));
  leave_recent(ix);
  return (long)k;
}

void cfz_index_set_features(cfz_corpus_index *ix, size_t k,
                            uint32_t new_features) {
  ix->e[k].new_features = new_features;
  cfz_wtree_set(&ix->weights, k, weight(ix, k));
}

size_t cfz_index_pick(cfz_corpus_index *ix, uint64_t r) {
  uint64_t total = ix->weights.total;
  uint64_t x = (uint64_t)(((unsigned __int128)r * total) >> 64);
  size_t k = cfz_wtree_find(&ix->weights, x);
  ix->e[k].picks++;
  cfz_wtree_set(&ix->weights, k, weight(ix, k));
  return k;
}

/* Entry k's factor against the current reference. */
static void rescale(cfz_corpus_index *ix, size_t k) {
  int shift = cfz_cost_shift(&ix->e[k].cost, ix->cost_ref.ns);
  if (shift != ix->e[k].shift) {
    ix->e[k].shift = shift;
    cfz_wtree_set(&ix->weights, k, weight(ix, k));
  }
}

/* Takes the median again and rescales every entry. */
static void refresh(cfz_corpus_index *ix) {
  cfz_cost_ref_take(&ix->cost_ref, &ix->e[0].cost, sizeof ix->e[0], ix->n,
                    ix->scratch);
  for (size_t k = 0; k < ix->n; k++)
    rescale(ix, k);
}

void cfz_index_note_cost(cfz_corpus_index *ix, size_t k, uint64_t ns) {
  if (k >= ix->n || ns == 0)
    return;
  if (cfz_cost_ref_note(&ix->cost_ref, &ix->e[k].cost, ns))
    refresh(ix);
  else
    rescale(ix, k);
}
