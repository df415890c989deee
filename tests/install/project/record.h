/* record.h - the library under test: a record header parser. */
#ifndef RECORD_H
#define RECORD_H
#include <stddef.h>
#include <stdint.h>

/* Returns 0 for a valid header, a positive error code for an invalid one,
 * and -1 for the one header that the planted bug mishandles. */
int record_check(const uint8_t *data, size_t len);

#endif
