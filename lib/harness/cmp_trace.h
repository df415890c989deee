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
 * bytes (1,2,4,8) in *size.  Returns false when the table is empty. */
bool cfz_cmp_pick_int(cfz_rng *r, uint64_t *a, uint64_t *b, unsigned *size);
/* Picks a random recorded byte-string comparison (memcmp and friends).
 * Copies up to CFZ_CMP_MAX_BYTES of each side.  false when empty. */
bool cfz_cmp_pick_bytes(cfz_rng *r, uint8_t *a, size_t *alen, uint8_t *b,
                        size_t *blen);

#endif
