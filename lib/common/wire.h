/* wire.h - the compact binary form of a value list, used in shared memory.
 *
 * Layout, for each value in parameter order:
 *   bytes/string: u32 little-endian length, then the bytes;
 *   bool, int8..int64, uint8..uint64: 8 bytes little-endian (two's complement);
 *   float32: 4 bytes little-endian IEEE bits; float64: 8 bytes IEEE bits.
 * The types are not stored: both sides know them from the handshake.
 * A single bytes parameter is therefore 4 + len bytes.
 */
#ifndef CFZ_WIRE_H
#define CFZ_WIRE_H

#include "value.h"

/* Bytes needed to encode vals. */
size_t cfz_wire_size(const cfz_value *vals, size_t n);
/* Encodes vals into buf (capacity cap).  Returns the length, or 0 when it
 * does not fit (no value list encodes to 0 bytes). */
size_t cfz_wire_encode(const cfz_value *vals, size_t n, uint8_t *buf,
                       size_t cap);
/* Decodes buf[0..len) as values of types[0..n) into *out (owned copies).
 * Returns 0, or -1 when buf is truncated, too long or a value is out of
 * range for its type. */
int cfz_wire_decode(const uint8_t *buf, size_t len, const cfz_type *types,
                    size_t n, cfz_values *out);
/* As cfz_wire_decode, without allocating: into out[0..n), the bytes of a
 * bytes/string value pointing into buf (not NUL-terminated; valid while buf
 * is).  Returns 0, or -1 as cfz_wire_decode (out then partly written). */
int cfz_wire_view(const uint8_t *buf, size_t len, const cfz_type *types,
                  size_t n, cfz_value *out);

#endif
