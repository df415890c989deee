/* minimizers.h - shrinking strategies for a failing value list.
 *
 * cfz_minimize_values shrinks every parameter in turn, keeping a candidate
 * only when try_fn accepts it (it fails the same way):
 *   bytes/strings (afl-tmin's and Go's strategies, in rounds): the empty
 *   value; then for block sizes from len/16 (a power of two) down to 1:
 *   delete each block, then overwrite each block that is not yet all fill
 *   bytes ('0') with fill bytes; then delete from each byte to the next
 *   occurrence of the same byte (one record of a repeated structure).  A
 *   round that changed anything is followed by another (deletion only,
 *   normalisation again when a deletion was accepted);
 *   integers: toward zero (0, then halving / dividing by 10, then -1 steps);
 *   floats: toward short integral values (0, trunc, fewer digits);
 *   bools: unchanged.
 * A candidate equal to one already tried (64-bit hash of the whole list) or
 * to the current value is skipped without running it.  should_stop is asked
 * before each candidate that runs; the minimizer stops as soon as it returns
 * true.  vals is updated in place to the smallest accepted value.
 *
 * Resuming: a minimization that is killed by its own candidate (a crash
 * that takes the process down) can continue in a new process where the old
 * one would have gone on had the candidate been accepted in process: before
 * each candidate the checkpoint hook receives that position (a cursor); a
 * later call given the cursor and the candidate as vals resumes there.
 */
#ifndef CFZ_MINIMIZERS_H
#define CFZ_MINIMIZERS_H

#include "value.h"

/* Returns true when the candidate list (same length/types as vals) still
 * fails the same way; the callee must not keep pointers into it. */
typedef bool (*cfz_try_fn)(void *ctx, const cfz_value *candidate, size_t n);
typedef bool (*cfz_stop_fn)(void *ctx);

/* Where a minimization stands; all zero = the beginning.  Plain data, so
 * that it can be copied to shared memory and back. */
typedef struct cfz_min_cursor {
  uint32_t param; /* parameter being minimized */
  uint32_t stage; /* its stage (0: start over with this parameter) */
  uint64_t size;  /* bytes: block size of the stage */
  uint64_t pos;   /* bytes: position in the stage */
  uint32_t round; /* bytes: round number */
  uint32_t flags; /* bytes: what the round changed so far */
  uint64_t run;   /* bytes: length of the next galloping deletion (0: none) */
} cfz_min_cursor;

/* Called before a candidate runs with the cursor to resume from when that
 * candidate is accepted. */
typedef void (*cfz_checkpoint_fn)(void *ctx, const cfz_min_cursor *if_accepted);

typedef struct cfz_minimize_ops {
  cfz_try_fn try_fn;
  cfz_stop_fn should_stop;      /* may be NULL */
  cfz_checkpoint_fn checkpoint; /* may be NULL */
  void *ctx;
} cfz_minimize_ops;

typedef struct cfz_minimize_stats {
  size_t tried;    /* candidates given to try_fn */
  size_t accepted; /* of which accepted */
  size_t skipped;  /* candidates already tried, not run again */
} cfz_minimize_stats;

/* Returns the number of accepted candidates (0 = nothing smaller found). */
size_t cfz_minimize_values(cfz_values *vals, cfz_try_fn try_fn,
                           cfz_stop_fn should_stop, void *ctx);

/* The same, from cursor start (NULL: from the beginning); stats may be
 * NULL.  Returns the number of accepted candidates. */
size_t cfz_minimize_values_from(cfz_values *vals, const cfz_minimize_ops *ops,
                                const cfz_min_cursor *start,
                                cfz_minimize_stats *stats);

#endif
