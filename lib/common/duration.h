/* duration.h - limits given as a duration ("30s", "5m", "1h30m", "250ms")
 * or a count ("1000x"), as in Go's -fuzztime. */
#ifndef CFZ_DURATION_H
#define CFZ_DURATION_H

#include <stdbool.h>
#include <stdint.h>

typedef struct cfz_limit {
  uint64_t ns;    /* duration in nanoseconds; 0 = no time limit */
  uint64_t count; /* executions; 0 = no count limit */
} cfz_limit;

/* Parses s.  "0" is accepted only when allow_zero (then both fields are 0).
 * A bare number without unit is seconds.  Returns 0, or -1 with a message in
 * err (e.g. "invalid duration \"5q\""). */
int cfz_limit_parse(const char *s, bool allow_zero, cfz_limit *out, char *err,
                    unsigned errlen);

#endif
