/* cfz_types.h - the typed values every layer shares: parameter types and
 * one value.  Part of the public API (cfz.h includes it); it depends on
 * nothing but the C library, so lib/common builds without the harness. */
#ifndef CFZ_TYPES_H
#define CFZ_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Parameter types, in the order used by the wire and corpus formats. */
typedef enum cfz_type {
  CFZ_BYTES = 0,
  CFZ_STRING,
  CFZ_BOOL,
  CFZ_INT8,
  CFZ_INT16,
  CFZ_INT32,
  CFZ_INT64,
  CFZ_UINT8,
  CFZ_UINT16,
  CFZ_UINT32,
  CFZ_UINT64,
  CFZ_FLOAT32,
  CFZ_FLOAT64,
  CFZ_TYPE_COUNT
} cfz_type;

/* One typed value.  Signed integers live in .i, unsigned in .u (always within
 * the range of the declared width), float32 in .f32, float64 in .f64. */
typedef struct cfz_value {
  cfz_type type;
  union {
    struct {
      const uint8_t *data;
      size_t len;
    } bytes; /* CFZ_BYTES and CFZ_STRING */
    bool b;
    int64_t i;
    uint64_t u;
    float f32;
    double f64;
  } v;
} cfz_value;

/* Value constructors, for seeds (cfz_add) and tests. */
#define CFZ_V_BYTES(p, n)                                                      \
  ((cfz_value){.type = CFZ_BYTES, .v.bytes = {(const uint8_t *)(p), (n)}})
#define CFZ_V_STRING(s)                                                        \
  ((cfz_value){.type = CFZ_STRING,                                             \
               .v.bytes = {(const uint8_t *)(s), __builtin_strlen(s)}})
#define CFZ_V_BOOL(x) ((cfz_value){.type = CFZ_BOOL, .v.b = (x)})
#define CFZ_V_INT8(x) ((cfz_value){.type = CFZ_INT8, .v.i = (int8_t)(x)})
#define CFZ_V_INT16(x) ((cfz_value){.type = CFZ_INT16, .v.i = (int16_t)(x)})
#define CFZ_V_INT32(x) ((cfz_value){.type = CFZ_INT32, .v.i = (int32_t)(x)})
#define CFZ_V_INT64(x) ((cfz_value){.type = CFZ_INT64, .v.i = (int64_t)(x)})
#define CFZ_V_UINT8(x) ((cfz_value){.type = CFZ_UINT8, .v.u = (uint8_t)(x)})
#define CFZ_V_UINT16(x) ((cfz_value){.type = CFZ_UINT16, .v.u = (uint16_t)(x)})
#define CFZ_V_UINT32(x) ((cfz_value){.type = CFZ_UINT32, .v.u = (uint32_t)(x)})
#define CFZ_V_UINT64(x) ((cfz_value){.type = CFZ_UINT64, .v.u = (uint64_t)(x)})
#define CFZ_V_FLOAT32(x) ((cfz_value){.type = CFZ_FLOAT32, .v.f32 = (float)(x)})
#define CFZ_V_FLOAT64(x)                                                       \
  ((cfz_value){.type = CFZ_FLOAT64, .v.f64 = (double)(x)})

#ifdef __cplusplus
}
#endif
#endif /* CFZ_TYPES_H */
