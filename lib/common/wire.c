/* wire.c - the compact binary form of a value list (see wire.h).
 *
 * Encoding is on the harness's hot path: one memcpy per value. */
#include "wire.h"

#include <stdlib.h>
#include <string.h>

static inline void put_le(uint8_t *p, uint64_t x, size_t n) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  memcpy(p, &x, n);
#else
  for (size_t i = 0; i < n; i++)
    p[i] = (uint8_t)(x >> (8 * i));
#endif
}

static inline uint64_t get_le(const uint8_t *p, size_t n) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  uint64_t x = 0;
  memcpy(&x, p, n);
  return x;
#else
  uint64_t x = 0;
  for (size_t i = 0; i < n; i++)
    x |= (uint64_t)p[i] << (8 * i);
  return x;
#endif
}

static size_t fixed_size(cfz_type t) {
  switch (t) {
  case CFZ_BYTES:
  case CFZ_STRING:
    return 4;
  case CFZ_FLOAT32:
    return 4;
  default:
    return 8;
  }
}

size_t cfz_wire_size(const cfz_value *vals, size_t n) {
  size_t total = 0;
  for (size_t i = 0; i < n; i++) {
    total += fixed_size(vals[i].type);
    if (vals[i].type == CFZ_BYTES || vals[i].type == CFZ_STRING)
      total += vals[i].v.bytes.len;
  }
  return total;
}

size_t cfz_wire_encode(const cfz_value *vals, size_t n, uint8_t *buf,
                       size_t cap) {
  size_t off = 0;
  for (size_t i = 0; i < n; i++) {
    const cfz_value *v = &vals[i];
    size_t need = fixed_size(v->type);
    if (cap - off < need)
      return 0;
    switch (v->type) {
    case CFZ_BYTES:
    case CFZ_STRING: {
      size_t len = v->v.bytes.len;
      if (len > UINT32_MAX || cap - off - 4 < len)
        return 0;
      put_le(buf + off, (uint64_t)len, 4);
      if (len)
        memcpy(buf + off + 4, v->v.bytes.data, len);
      off += 4 + len;
      continue;
    }
    case CFZ_BOOL:
      put_le(buf + off, v->v.b ? 1 : 0, 8);
      break;
    case CFZ_INT8:
    case CFZ_INT16:
    case CFZ_INT32:
    case CFZ_INT64:
      put_le(buf + off, (uint64_t)v->v.i, 8);
      break;
    case CFZ_UINT8:
    case CFZ_UINT16:
    case CFZ_UINT32:
    case CFZ_UINT64:
      put_le(buf + off, v->v.u, 8);
      break;
    case CFZ_FLOAT32: {
      uint32_t bits;
      memcpy(&bits, &v->v.f32, 4);
      put_le(buf + off, bits, 4);
      break;
    }
    case CFZ_FLOAT64: {
      uint64_t bits;
      memcpy(&bits, &v->v.f64, 8);
      put_le(buf + off, bits, 8);
      break;
    }
    default:
      return 0;
    }
    off += need;
  }
  return off;
}

/* True when x (as the stored 64-bit pattern) is in range for type t. */
static bool in_range(cfz_type t, uint64_t x) {
  int64_t s = (int64_t)x;
  switch (t) {
  case CFZ_BOOL:
    return x <= 1;
  case CFZ_INT8:
    return s >= INT8_MIN && s <= INT8_MAX;
  case CFZ_INT16:
    return s >= INT16_MIN && s <= INT16_MAX;
  case CFZ_INT32:
    return s >= INT32_MIN && s <= INT32_MAX;
  case CFZ_UINT8:
    return x <= UINT8_MAX;
  case CFZ_UINT16:
    return x <= UINT16_MAX;
  case CFZ_UINT32:
    return x <= UINT32_MAX;
  default:
    return true;
  }
}

/* Sets v's scalar from its stored 64-bit pattern x (in range). */
static void set_scalar(cfz_value *v, uint64_t x) {
  switch (v->type) {
  case CFZ_BOOL:
    v->v.b = x != 0;
    break;
  case CFZ_INT8:
  case CFZ_INT16:
  case CFZ_INT32:
  case CFZ_INT64:
    v->v.i = (int64_t)x;
    break;
  case CFZ_FLOAT32: {
    uint32_t bits = (uint32_t)x;
    memcpy(&v->v.f32, &bits, 4);
    break;
  }
  case CFZ_FLOAT64:
    memcpy(&v->v.f64, &x, 8);
    break;
  default:
    v->v.u = x;
    break;
  }
}

/* Decodes the value of v->type at buf[*off..len) into v; advances *off.
 * Bytes are an owned, NUL-terminated copy when copy is set, else they point
 * into buf.  Returns 0, or -1 when the bytes are short, out of range or
 * malloc fails. */
static int decode_one(const uint8_t *buf, size_t len, size_t *off, cfz_value *v,
                      bool copy) {
  size_t need = fixed_size(v->type);
  if (len - *off < need)
    return -1;
  if (v->type == CFZ_BYTES || v->type == CFZ_STRING) {
    size_t blen = (size_t)get_le(buf + *off, 4);
    *off += 4;
    if (len - *off < blen)
      return -1;
    if (copy) {
      uint8_t *p = malloc(blen + 1);
      if (!p)
        return -1;
      if (blen)
        memcpy(p, buf + *off, blen);
      p[blen] = 0;
      v->v.bytes.data = p;
    } else {
      v->v.bytes.data = buf + *off;
    }
    v->v.bytes.len = blen;
    *off += blen;
    return 0;
  }
  uint64_t x = get_le(buf + *off, need);
  *off += need;
  if (!in_range(v->type, x))
    return -1;
  set_scalar(v, x);
  return 0;
}

int cfz_wire_decode(const uint8_t *buf, size_t len, const cfz_type *types,
                    size_t n, cfz_values *out) {
  out->v = NULL;
  out->n = 0;
  if (n == 0)
    return len == 0 ? 0 : -1;
  cfz_value *v = calloc(n, sizeof *v);
  if (!v)
    return -1;
  cfz_values res = {v, 0};
  size_t off = 0;
  for (size_t i = 0; i < n; i++) {
    if ((unsigned)types[i] >= CFZ_TYPE_COUNT)
      goto fail;
    v[i].type = types[i];
    res.n = i + 1;
    if (decode_one(buf, len, &off, &v[i], true) != 0)
      goto fail;
  }
  if (off != len)
    goto fail;
  *out = res;
  return 0;
fail:
  cfz_values_free(&res);
  return -1;
}

int cfz_wire_view(const uint8_t *buf, size_t len, const cfz_type *types,
                  size_t n, cfz_value *out) {
  size_t off = 0;
  for (size_t i = 0; i < n; i++) {
    if ((unsigned)types[i] >= CFZ_TYPE_COUNT)
      return -1;
    out[i] = (cfz_value){.type = types[i]};
    if (decode_one(buf, len, &off, &out[i], false) != 0)
      return -1;
  }
  return off == len ? 0 : -1;
}
