/* value.h - owned lists of typed values, and type names.
 *
 * A cfz_values owns its bytes/string buffers (each allocated with one extra
 * NUL byte so a string value is also a C string).  Used by the corpus format,
 * the wire encoding, the harness and the driver.
 */
#ifndef CFZ_VALUE_H
#define CFZ_VALUE_H

#include "cfz_types.h"

typedef struct cfz_values {
  cfz_value *v; /* n values; bytes data owned by the list */
  size_t n;
} cfz_values;

/* "bytes", "string", "bool", "int8" ... "float64"; NULL for a bad type. */
const char *cfz_type_name(cfz_type t);
/* Parses a name as returned by cfz_type_name; returns -1 when unknown. */
int cfz_type_from_name(const char *name, cfz_type *out);

/* Deep-copies n values into *out (which must be empty or freed).
 * Returns 0, or -1 on allocation failure. */
int cfz_values_copy(cfz_values *out, const cfz_value *vals, size_t n);
/* Frees the values' buffers and the array; leaves *vals empty. */
void cfz_values_free(cfz_values *vals);
/* True when both lists have equal types and bit-identical contents. */
bool cfz_values_equal(const cfz_value *a, const cfz_value *b, size_t n);
/* True when the values' types are exactly types[0..n). */
bool cfz_values_match_types(const cfz_value *vals, size_t nvals,
                            const cfz_type *types, size_t ntypes);

#endif
