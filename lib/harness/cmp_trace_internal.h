/* cmp_trace_internal.h - the state cmp_trace.c shares with
 * cmp_string_hooks.c (the string-compare hooks and interceptors) and
 * cmp_wide.c (compares wider than 64 bits); nothing else
 * includes it.  All of it is hidden: not visible outside the target. */
#ifndef CFZ_CMP_TRACE_INTERNAL_H
#define CFZ_CMP_TRACE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "coverage.h"

#define CFZ_HIDDEN __attribute__((visibility("hidden")))

/* Recording is on (the target runs: cfz_cmp_set_active). */
extern int cfz_cmp_on CFZ_HIDDEN;
/* Some compare was seen (trace-cmp or string hooks work in this build). */
extern int cfz_cmp_any CFZ_HIDDEN;
/* Inside one of our hooks: calls made from it are not recorded. */
extern __thread int cfz_cmp_in_hook CFZ_HIDDEN;
/* The target's call site, stashed while a sanitizer interceptor runs on our
 * behalf (its hooks would otherwise see our wrapper as the caller). */
extern __thread void *cfz_cmp_stashed_pc CFZ_HIDDEN;

/* Records a byte-string compare of a[0..alen) with b[0..blen) at pc;
 * ordered: b is the needle (strstr, memmem). */
CFZ_HIDDEN void cfz_cmp_record_bytes(uintptr_t pc, const void *a, size_t alen,
                                     const void *b, size_t blen, int ordered);
/* Records an integer compare of a with b (size bytes; is_const: b is a
 * constant) at pc, as the trace-cmp callbacks do (cmp_wide.c). */
CFZ_HIDDEN void cfz_cmp_record_int(uintptr_t pc, uint64_t a, uint64_t b,
                                   unsigned size, int is_const);
/* memcmp without any interception. */
CFZ_HIDDEN int cfz_cmp_plain_memcmp(const void *s1, const void *s2, size_t n);

#endif
