/* exec_cost.h - the slow-input rule: an input's execution time against the
 * typical input's, as a coarse weight factor for picking fuzzing bases
 * (docs/feedback.md, "Slow inputs").  Used by the worker's base pool and
 * the driver's corpus index; pure functions, no state.
 *
 * An input's cost is the geometric mean of its measurements, each the mean
 * time of a few executions of its mutants (a window), in nanoseconds.  Not
 * the least of them: a base whose mutants are mostly slow but now and then
 * all fail fast (lz4: a frame that declares 1 MiB blocks, its mutants with
 * a broken header) has windows of 1.4 us and of 20 ms; the least said
 * 1.4 us and the rule never saw it.  Not the arithmetic mean: one window
 * preempted on a loaded machine (a single measurement is often several
 * times the input's cost) would outweigh a hundred others; in the
 * geometric mean a window 256x too slow among a hundred moves it 6 %.
 * The reference is the median cost of the inputs measured CFZ_COST_SAMPLES
 * times or more: a mean would be pulled up by the slow inputs themselves.
 *
 * The factor is a power of two, for an input measured CFZ_COST_SAMPLES
 * times or more:
 *   cost >= 8 x ref and >= CFZ_COST_FLOOR_NS:
 *       1 / 2^floor(log2(cost / ref)), so about ref / cost (1/8 at 8-16x,
 *       1/16 at 16-32x, ...), at least 1/64: an input is fuzzed for about
 *       the time a typical one is, never not at all;
 *   cost <= ref / 8 and ref >= CFZ_COST_FLOOR_NS: 2 (the fast get a little
 *       more);
 *   else, or while fewer than CFZ_COST_INPUTS inputs are measured: 1.
 * The floor: under 50 us an execution the harness's own work and the
 * caches weigh as much as the target's, the measurements of one input
 * spread 15x (a toy target's, measured), and a slow input costs little.
 * Where inputs cost about the same, or all run faster than the floor, no
 * input is ever scaled and the picks (so `-j 1 --seed` runs) are exactly
 * those without the rule. */
#ifndef CFZ_EXEC_COST_H
#define CFZ_EXEC_COST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CFZ_COST_SLOW 8u         /* cost / ref from which an input is slow */
#define CFZ_COST_FAST 8u         /* ref / cost from which it is fast */
#define CFZ_COST_MAX_SHIFT 6     /* the least factor is 1 / 2^6 */
#define CFZ_COST_SAMPLES 3u      /* measurements before a factor applies */
#define CFZ_COST_INPUTS 8u       /* such inputs before there is a ref */
#define CFZ_COST_FLOOR_NS 50000u /* nothing faster is slow (see above) */
#define CFZ_COST_MAX_NS (1ull << 40) /* about 18 minutes: longer is clamped */
#define CFZ_STANDIN_FAST 8u          /* a stand-in runs in at most cost / 8 */

typedef struct cfz_cost {
  uint64_t ns;      /* the estimate, ns per execution; 0: none yet */
  uint32_t n;       /* measurements (the last one: UINT32_MAX) */
  uint64_t log_sum; /* sum of their log2, in 1/256ths */
} cfz_cost;

/* Records one measurement, clamped to [1, CFZ_COST_MAX_NS], and updates
 * the estimate (within 7 % of the geometric mean, from 256 ns up). */
void cfz_cost_note(cfz_cost *c, uint64_t ns);
/* The factor as a shift: 1 (times 2), 0, or -3 .. -CFZ_COST_MAX_SHIFT
 * (divided by 2^-shift); ref 0 (none) gives 0. */
int cfz_cost_shift(const cfz_cost *c, uint64_t ref);
/* w scaled by 2^shift; a positive w stays at least 1. */
uint64_t cfz_cost_scale(uint64_t w, int shift);
/* The median of v[0..n) (the upper one for even n); reorders v; 0 when n
 * is 0.  Expected O(n). */
uint64_t cfz_cost_median(uint64_t *v, size_t n);
/* Stand-ins (docs/feedback.md, "Slow inputs"): the most a mutant of an
 * input of cost c may take, ns per execution, to stand in for it (when it
 * also runs as many edges): c's cost / CFZ_STANDIN_FAST, for an input
 * measured CFZ_COST_SAMPLES times or more at CFZ_COST_FLOOR_NS or more;
 * else 0 (none is looked for: below the floor no execution is timed, so
 * `-j 1 --seed` runs there stay exactly reproducible). */
uint64_t cfz_cost_standin_limit(const cfz_cost *c);
/* After how many new measurements, with `measured` inputs measured, the
 * reference is computed again (O(measured) each time: O(16) a note). */
static inline size_t cfz_cost_refresh_every(size_t measured) {
  return measured / 16 + 1;
}

/* The reference of one set of inputs (the driver's corpus index, a
 * worker's pool). */
typedef struct cfz_cost_ref {
  uint64_t ns;        /* the median; 0 while there is none */
  size_t measured;    /* inputs measured at least once */
  size_t notes_since; /* notes since the median was taken */
} cfz_cost_ref;

/* Notes one measurement ns of c, one of r's inputs.
 * True when the median is due again (cfz_cost_ref_take, then every input
 * rescaled); else only c's factor may have changed. */
bool cfz_cost_ref_note(cfz_cost_ref *r, cfz_cost *c, uint64_t ns);
/* Takes the median of the n costs at first, first + stride bytes, ...,
 * those measured CFZ_COST_SAMPLES times or more (none while fewer than
 * CFZ_COST_INPUTS are); scratch has room for n. */
void cfz_cost_ref_take(cfz_cost_ref *r, const cfz_cost *first, size_t stride,
                       size_t n, uint64_t *scratch);

#endif
