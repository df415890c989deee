/* base_pool.h - the worker's own pool of inputs to fuzz, for switching the
 * base input inside a batch.
 *
 * A fuzz batch gets one base (and one splice partner) from the driver, and
 * a batch runs for up to 1,000 executions or 100 ms: on a target that runs
 * a few thousand inputs a second, a 30 s run fuzzed only a few hundred of
 * the corpus's entries, where libFuzzer picks a new entry every few
 * executions.  The worker therefore keeps every input it was given as a
 * base or partner and every input it found (wire form, de-duplicated by
 * content), and the batch switches to another of them every few chains of
 * mutations (fuzz_loop.h) without a round trip to the driver.  At most
 * CFZ_POOL_CAP inputs and CFZ_POOL_BYTES bytes; when full, a new input
 * replaces a random one.  One per worker process.
 *
 * The pick favours recent arrivals (as libFuzzer's default weights favour
 * later corpus entries): an input's weight falls from 8 to 1 in eight steps
 * of CFZ_POOL_RECENT / 8 later arrivals, and stays 1 after that.  Weights
 * live in a weight tree (weight_tree.h): a pick and an arrival cost
 * O(log n).
 *
 * Slow inputs (exec_cost.h): the fuzz loop reports how long the executions
 * on each base took (cfz_pool_note_cost); an input that costs 8x or more
 * the pool's median (of the inputs measured 3 times) is picked about median /
 * cost as often (at least 1/64), one at most an eighth of it twice as often.
 * The median is taken again after every cfz_cost_refresh_every(measured) notes,
 * O(n).
 *
 * Stand-ins: an input the fuzz loop saw hit as many edges as a slow base
 * (cfz_pool_set_edges: what an input's execution hit, known for the
 * inputs this worker found) in at most an eighth of its cost
 * (cfz_pool_standin_limit) is added to the pool although it covers
 * nothing new: the slow base's descendants are then mostly fast ones
 * (docs/feedback.md, "Slow inputs").  At most one per base.
 *
 * Rare features (feature_rarity.h): an input this worker found
 * (cfz_pool_add_found) keeps the rarest counter slots of its execution,
 * and its weight is multiplied by their boost (1 to 32) unless it is slow
 * (a cost factor below 1); each base pick (cfz_pool_note_pick) counts as
 * effort on its slots, and every 256 base picks the weights of the inputs
 * with rare slots are recomputed, O(n log n). */
#ifndef CFZ_BASE_POOL_H
#define CFZ_BASE_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rng.h"

#define CFZ_POOL_CAP 4096u
#define CFZ_POOL_BYTES (64u << 20)
#define CFZ_POOL_RECENT 512u

/* Adds a copy of wire[0..len) unless the same bytes are there; replaces a
 * random input (r) when full.  Inputs longer than CFZ_POOL_BYTES / 64 are
 * not kept.  Indices of other inputs may change (a replaced input's place
 * takes the last one).  Returns the index of the input with these bytes
 * (new or already there: what cfz_pool_find would return now), SIZE_MAX
 * when it is not kept.  O(n): one scan, shared by the check and the
 * index. */
size_t cfz_pool_add(const uint8_t *wire, size_t len, cfz_rng *r);
/* As cfz_pool_add, for an input this worker found: snap[0..nslots) is its
 * execution's counter snapshot (one byte per counter slot, the extra
 * region excluded), which gives it a rare set. */
size_t cfz_pool_add_found(const uint8_t *wire, size_t len, cfz_rng *r,
                          const uint8_t *snap, size_t nslots);
size_t cfz_pool_size(void);
/* The index of the input with these bytes; SIZE_MAX when none.  O(n). */
size_t cfz_pool_find(const uint8_t *wire, size_t len);
/* True when input k holds exactly wire[0..len) (an index from
 * cfz_pool_add checked after later adds).  O(len). */
bool cfz_pool_holds(size_t k, const uint8_t *wire, size_t len);
/* An input chosen by the weights above (r); NULL when empty.  *index (when
 * not NULL) gets its index, valid until the next cfz_pool_add. */
const uint8_t *cfz_pool_pick(cfz_rng *r, size_t *len, size_t *index);
/* One measurement of input k: ns per execution of it or its mutants.  An
 * index out of range is ignored. */
void cfz_pool_note_cost(size_t k, uint64_t ns);
/* What input k's execution hit, in edges (cfz_cov_edges); 0: unknown.  An
 * index out of range is ignored. */
void cfz_pool_set_edges(size_t k, uint32_t edges);
/* The most ns per execution a stand-in for input k may take, its edges in
 * *edges; 0 when none is looked for (k out of range, its edges unknown, it
 * has one, or cfz_cost_standin_limit is 0). */
uint64_t cfz_pool_standin_limit(size_t k, uint32_t *edges);
/* Adds wire[0..len), which hit `edges` edges, as input k's stand-in (as
 * cfz_pool_add: indices may change).  k out of range: nothing. */
void cfz_pool_add_standin(size_t k, const uint8_t *wire, size_t len,
                          uint32_t edges, cfz_rng *r);
/* Input k was picked as a base: effort on its rare slots.  An index out of
 * range is ignored. */
void cfz_pool_note_pick(size_t k);
/* The current reference (median cost; 0: none yet), for tests. */
uint64_t cfz_pool_cost_ref(void);
/* How many measurements input k has had (0: k out of range), for tests. */
uint32_t cfz_pool_cost_samples(size_t k);
/* Forgets every input (tests). */
void cfz_pool_clear(void);

#endif
