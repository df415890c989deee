/* value.c - owned value lists and type names (see value.h). */
#include "value.h"

#include <stdlib.h>
#include <string.h>

static const char *const type_names[CFZ_TYPE_COUNT] = {
    [CFZ_BYTES] = "bytes",     [CFZ_STRING] = "string",
    [CFZ_BOOL] = "bool",       [CFZ_INT8] = "int8",
    [CFZ_INT16] = "int16",     [CFZ_INT32] = "int32",
    [CFZ_INT64] = "int64",     [CFZ_UINT8] = "uint8",
    [CFZ_UINT16] = "uint16",   [CFZ_UINT32] = "uint32",
    [CFZ_UINT64] = "uint64",   [CFZ_FLOAT32] = "float32",
    [CFZ_FLOAT64] = "float64",
};

const char *cfz_type_name(cfz_type t) {
  if ((unsigned)t >= CFZ_TYPE_COUNT)
    return NULL;
  return type_names[t];
}

int cfz_type_from_name(const char *name, cfz_type *out) {
  if (!name)
    return -1;
  for (unsigned i = 0; i < CFZ_TYPE_COUNT; i++) {
    if (strcmp(name, type_names[i]) == 0) {
      *out = (cfz_type)i;
      return 0;
    }
  }
  return -1;
}

static bool is_buffer(cfz_type t) { return t == CFZ_BYTES || t == CFZ_STRING; }

int cfz_values_copy(cfz_values *out, const cfz_value *vals, size_t n) {
  out->v = NULL;
  out->n = 0;
  if (n == 0)
    return 0;
  cfz_value *v = calloc(n, sizeof *v);
  if (!v)
    return -1;
  for (size_t i = 0; i < n; i++) {
    v[i] = vals[i];
    if (!is_buffer(vals[i].type))
      continue;
    size_t len = vals[i].v.bytes.len;
    uint8_t *p = malloc(len + 1);
    if (!p) {
      cfz_values tmp = {v, i};
      cfz_values_free(&tmp);
      return -1;
    }
    if (len)
      memcpy(p, vals[i].v.bytes.data, len);
    p[len] = 0;
    v[i].v.bytes.data = p;
  }
  out->v = v;
  out->n = n;
  return 0;
}

void cfz_values_free(cfz_values *vals) {
  if (!vals)
    return;
  for (size_t i = 0; i < vals->n; i++) {
    if (is_buffer(vals->v[i].type))
      free((void *)vals->v[i].v.bytes.data);
  }
  free(vals->v);
  vals->v = NULL;
  vals->n = 0;
}

static bool value_equal(const cfz_value *a, const cfz_value *b) {
  if (a->type != b->type)
    return false;
  switch (a->type) {
  case CFZ_BYTES:
  case CFZ_STRING:
    return a->v.bytes.len == b->v.bytes.len &&
           (a->v.bytes.len == 0 ||
            memcmp(a->v.bytes.data, b->v.bytes.data, a->v.bytes.len) == 0);
  case CFZ_BOOL:
    return a->v.b == b->v.b;
  case CFZ_INT8:
  case CFZ_INT16:
  case CFZ_INT32:
  case CFZ_INT64:
    return a->v.i == b->v.i;
  case CFZ_UINT8:
  case CFZ_UINT16:
  case CFZ_UINT32:
  case CFZ_UINT64:
    return a->v.u == b->v.u;
  case CFZ_FLOAT32: {
    uint32_t x, y;
    memcpy(&x, &a->v.f32, 4);
    memcpy(&y, &b->v.f32, 4);
    return x == y;
  }
  case CFZ_FLOAT64: {
    uint64_t x, y;
    memcpy(&x, &a->v.f64, 8);
    memcpy(&y, &b->v.f64, 8);
    return x == y;
  }
  default:
    return false;
  }
}

bool cfz_values_equal(const cfz_value *a, const cfz_value *b, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (!value_equal(&a[i], &b[i]))
      return false;
  }
  return true;
}

bool cfz_values_match_types(const cfz_value *vals, size_t nvals,
                            const cfz_type *types, size_t ntypes) {
  if (nvals != ntypes)
    return false;
  for (size_t i = 0; i < nvals; i++) {
    if (vals[i].type != types[i])
      return false;
  }
  return true;
}
