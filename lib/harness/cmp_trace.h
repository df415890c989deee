/* cmp_trace.h - comparison feedback: trace-cmp callbacks (1/2/4/8 bytes,
 * const, switch) and memcmp/strcmp/strncmp/strcasecmp/strncasecmp/strstr/
 * memmem hooks (interceptors, and the sanitizers' weak hooks) record recently
 * compared operands into fixed tables that the mutator draws from.
 * Recording happens only while the target runs (cfz_cmp_set_active). */
#ifndef CFZ_CMP_TRACE_H
#define CFZ_CMP_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rng.h"

#define CFZ_CMP_MAX_BYTES 64

void cfz_cmp_set_active(bool active);
/* True once any trace-cmp callback or hook has fired in this process. */
bool cfz_cmp_seen(void);

/* Picks a random recorded integer comparison: operands *a and *b, width in
 * bytes (1,2,4,8) in *size.  Returns false when the table is empty.
 * *a is the operand to look for in the input and *b the value to put in its
 * place: for a compare with a constant, b is the constant; otherwise the
 * two sides are swapped at random. */
bool cfz_cmp_pick_int(cfz_rng *r, uint64_t *a, uint64_t *b, unsigned *size);
/* Picks a random recorded byte-string comparison (memcmp and friends).
 * Copies up to CFZ_CMP_MAX_BYTES of each side.  false when empty.
 * As for integers, *b is the side to write into the input (strstr/memmem:
 * always the needle; memcmp/strcmp: either side at random). */
bool cfz_cmp_pick_bytes(cfz_rng *r, uint8_t *a, size_t *alen, uint8_t *b,
                        size_t *blen);

/* Additions (engine). */
/* Extra features (docs/feedback.md): compare distances (value profile),
 * per-site counts of equal compares, indirect caller -> callee pairs, as raw
 * bits in the extra region of coverage.h, which this turns on.  forced:
 * distances and hit counts in every batch (--use-value-profile); otherwise
 * the engine turns them on in a share of batches once plain coverage
 * stalls (cfz_cmp_batch_begin).
 * Indirect-call pairs are always on.  Call before the first execution.
 * CFZ_FEATURES_OFF (environment, a list of "indirect", "hits", "distance")
 * turns features off, for measurements and tests. */
void cfz_cmp_set_value_profile(bool forced);
/* Start of a fuzz batch: decides whether distance and hit-count features
 * are on in it, from its seed and plain_stale, the executions this worker
 * ran since a batch without them last found something new. */
void cfz_cmp_batch_begin(uint64_t seed, uint64_t plain_stale);
bool cfz_cmp_value_profile_on(void);
/* Number of filled entries in the integer and byte-string tables. */
size_t cfz_cmp_int_entries(void);
size_t cfz_cmp_bytes_entries(void);

#endif
