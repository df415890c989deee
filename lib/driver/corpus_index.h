/* corpus_index.h - the driver's in-memory corpus: inputs in wire form, with
 * de-duplication by content and weighted selection of fuzzing bases.
 *
 * Selection favours inputs that added many (rare) features when found and
 * recent inputs, and decays with the number of times an input was picked,
 * so a fresh find is fuzzed soon and often, yet nothing starves.  Slow
 * inputs (exec_cost.h): the workers report how long the executions on a
 * batch's base took (cfz_index_note_cost); an entry that costs 8x or more
 * the corpus's median (of the entries measured 3 times) is picked about median
 * / cost as often (at least 1/64), one at most an eighth of it twice as often.
 */
#ifndef CFZ_CORPUS_INDEX_H
#define CFZ_CORPUS_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exec_cost.h"
#include "weight_tree.h"

typedef struct cfz_entry {
  uint8_t *wire;
  size_t len;
  char *origin;          /* file path or "seed#3"; NULL for generated ones */
  uint32_t new_features; /* features it added when found */
  uint64_t picks;        /* times handed out as a base */
  uint64_t hash;
  cfz_cost cost; /* measured execution time (exec_cost.h) */
  int shift;     /* cfz_cost_shift of cost against cost_ref */
} cfz_entry;

typedef struct cfz_corpus_index {
  cfz_entry *e;
  size_t n, cap;
  uint64_t bytes; /* sum of the entries' lengths */
  size_t *table;  /* open addressing over hash; SIZE_MAX = empty */
  size_t table_cap;
  cfz_wtree weights;  /* each entry's current weight, for the pick */
  size_t recent_from; /* first entry with the recent bonus */
  /* The slow-input rule's reference over the entries (exec_cost.h), and
   * room (cap entries) to take it. */
  cfz_cost_ref cost_ref;
  uint64_t *scratch;
} cfz_corpus_index;

void cfz_index_init(cfz_corpus_index *ix);
void cfz_index_free(cfz_corpus_index *ix);
/* Adds a copy of wire.  Returns the new entry's index, -2 when an identical
 * input is already there, -1 on allocation failure. */
long cfz_index_add(cfz_corpus_index *ix, const uint8_t *wire, size_t len,
                   const char *origin, uint32_t new_features);
/* Sets the features entry k added (its weight follows). */
void cfz_index_set_features(cfz_corpus_index *ix, size_t k,
                            uint32_t new_features);
/* Picks a base for fuzzing; r is a uniformly random 64-bit number.
 * Increments the entry's picks.  The index must not be empty.  O(log n):
 * the weights are kept in a weight tree, updated as they change. */
size_t cfz_index_pick(cfz_corpus_index *ix, uint64_t r);
/* One measurement of entry k: ns per execution of it (or its mutants), as
 * a worker reported it: clamped to [1, CFZ_COST_MAX_NS]; 0 and an index
 * out of range are ignored.  O(1), or O(n) when the median is taken again
 * (every cfz_cost_refresh_every(measured) notes). */
void cfz_index_note_cost(cfz_corpus_index *ix, size_t k, uint64_t ns);

#endif
