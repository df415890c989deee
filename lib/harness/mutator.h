/* mutator.h - type-aware mutation of a value list.
 *
 * The mutator owns a working copy of the base input (bytes/string buffers of
 * capacity max_len each).  cfz_mutator_next resets the copy to the base every
 * few calls (stacking 1..5 mutations otherwise), applies one mutation to one
 * randomly chosen parameter and returns the working copy.
 * Bytes/strings: bit flip, interesting values, arithmetic, insert / erase /
 * duplicate / copy / swap / shuffle ranges, splice with the aux input, insert
 * or overwrite with dictionary entries and compared operands (both byte
 * orders, +-1), and the auto-dictionary of compared operands that paid.
 * Integers: small deltas, boundaries, bit flips, compared operands.  Floats:
 * arithmetic and special values.  Bools: flip.
 */
#ifndef CFZ_MUTATOR_H
#define CFZ_MUTATOR_H

#include "dict.h"
#include "rng.h"
#include "value.h"

typedef struct cfz_mutator cfz_mutator;

/* dict may be NULL; it must outlive the mutator. */
cfz_mutator *cfz_mutator_new(const cfz_type *types, size_t n, size_t max_len,
                             const cfz_dict *dict);
void cfz_mutator_free(cfz_mutator *m);
void cfz_mutator_seed(cfz_mutator *m, uint64_t seed);
/* Sets the base input (copied).  Returns 0, -1 if types do not match. */
int cfz_mutator_set_base(cfz_mutator *m, const cfz_value *base);
/* Sets (copied) or clears (NULL) the splice partner. */
void cfz_mutator_set_splice(cfz_mutator *m, const cfz_value *other);
/* Produces the next candidate; valid until the next call. */
const cfz_value *cfz_mutator_next(cfz_mutator *m);
/* The last candidate found something new: the tokens its chain took from
 * recorded compares join the auto-dictionary (auto_dict.h), which later
 * mutations insert like dictionary words. */
void cfz_mutator_keep_tokens(cfz_mutator *m);

#endif
