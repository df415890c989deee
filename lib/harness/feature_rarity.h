/* feature_rarity.h - how rare the code an input covers is, as a weight
 * factor for the worker's base pool (base_pool.h): a cheap form of
 * libFuzzer's entropic schedule (docs/feedback.md, "Rare features").
 *
 * The worker counts, per counter slot (coverage.h: an edge's counter, not
 * the extra region of distances, hit counts, indirect pairs and stack
 * depth), how many inputs it found covered that slot; an input it finds
 * keeps the CFZ_RARE_SLOTS slots of its execution that had the fewest such
 * inputs when it arrived (its rare set).  Fuzzing effort counts too: every
 * CFZ_RARE_EFFORT picks of an input as a base add one to each slot of its
 * rare set, so that the boost of an input fades as it is fuzzed and a slot
 * that many bases hold stops being rare.  The boost of an input is
 *   1 + CFZ_RARE_SCALE x sum over its rare set of 1 / count(slot),
 * at most CFZ_RARE_CAP; an input without a rare set (one the driver sent)
 * has boost 1.
 *
 * Cost: nothing per execution.  Per find, one pass over the counter
 * snapshot (zero words skipped); per base pick, O(CFZ_RARE_SLOTS) every
 * CFZ_RARE_EFFORT picks; the caller rescales its inputs' weights every
 * CFZ_RARE_REWEIGH base picks (cfz_rarity_note_pick says when).  Memory:
 * two bytes per counter slot, for at most CFZ_RARE_MAX_SLOTS slots (slots
 * beyond are ignored); counts saturate.  One state per worker process.
 * Deterministic: the counts depend only on the snapshots and the picks, so
 * `-j 1 --seed` runs repeat. */
#ifndef CFZ_FEATURE_RARITY_H
#define CFZ_FEATURE_RARITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CFZ_RARE_SLOTS 16u    /* slots in an input's rare set */
#define CFZ_RARE_SCALE 4u     /* boost per unit of rarity */
#define CFZ_RARE_CAP 32u      /* the largest boost */
#define CFZ_RARE_EFFORT 8u    /* base picks per unit of effort */
#define CFZ_RARE_REWEIGH 256u /* base picks between two rescales */
#define CFZ_RARE_MAX_SLOTS (1u << 22)
#define CFZ_RARE_ONE 1024u /* the boost's unit: 1024 is x1 */

typedef struct cfz_rare_set {
  uint32_t slot[CFZ_RARE_SLOTS];
  uint32_t n;     /* slots in use; 0: no rare set (boost 1) */
  uint32_t picks; /* base picks of its input (effort) */
} cfz_rare_set;

/* A found input's execution: snap[0..nslots) holds one byte per counter
 * slot (non-zero: covered).  Counts each covered slot once more and writes
 * the input's rare set to *out (n = 0 when it covers nothing, or when the
 * counts could not be allocated). */
void cfz_rarity_note_input(const uint8_t *snap, size_t nslots,
                           cfz_rare_set *out);
/* One pick of the input holding s as a base.  True when the caller should
 * rescale every input's weight (every CFZ_RARE_REWEIGH picks). */
bool cfz_rarity_note_pick(cfz_rare_set *s);
/* s's boost in CFZ_RARE_ONE units: CFZ_RARE_ONE .. CFZ_RARE_CAP x that. */
uint64_t cfz_rarity_boost(const cfz_rare_set *s);
/* w x boost(s) (w itself when s has no rare set); a positive w stays at
 * least 1. */
uint64_t cfz_rarity_scale(uint64_t w, const cfz_rare_set *s);
/* The count of slot s (tests). */
uint32_t cfz_rarity_count(size_t s);
/* Forgets every count (tests, and the pool's clear). */
void cfz_rarity_clear(void);

#endif
