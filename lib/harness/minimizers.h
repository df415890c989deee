/* minimizers.h - shrinking strategies for a failing value list.
 *
 * cfz_minimize_values shrinks every parameter in turn, keeping a candidate
 * only when try_fn accepts it (it fails the same way):
 *   bytes/strings: cut the tail in shrinking chunks (1024, 512 ... 1), remove
 *   chunks, remove single bytes, then make bytes simpler ('0', then printable);
 *   integers: toward zero (0, then halving / dividing by 10, then -1 steps);
 *   floats: toward short integral values (0, trunc, fewer digits);
 *   bools: unchanged.
 * It stops as soon as should_stop returns true.  vals is updated in place
 * to the smallest accepted value.
 */
#ifndef CFZ_MINIMIZERS_H
#define CFZ_MINIMIZERS_H

#include "value.h"

/* Returns true when the candidate list (same length/types as vals) still
 * fails the same way; the callee must not keep pointers into it. */
typedef bool (*cfz_try_fn)(void *ctx, const cfz_value *candidate, size_t n);
typedef bool (*cfz_stop_fn)(void *ctx);

/* Returns the number of accepted candidates (0 = nothing smaller found). */
size_t cfz_minimize_values(cfz_values *vals, cfz_try_fn try_fn,
                           cfz_stop_fn should_stop, void *ctx);

#endif
