/* mutator.c - type-aware mutation of a value list (see mutator.h and
 * docs/feedback.md for the strategies and their weights). */
#include "mutate_internal.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmp_trace.h"

/* ---- the mutator ---- */

static bool mutate_param(cfz_mutator *m, size_t pi) {
  cfz_type t = m->types[pi];
  /* Multi-parameter targets: sometimes take the partner's value whole. */
  if (m->has_aux && m->n > 1 && rnd(m, 20) == 0) {
    const cfz_value *o = &m->aux[pi];
    if (is_bytes_type(t)) {
      memcpy(m->work_buf[pi], o->v.bytes.data, o->v.bytes.len + 1);
      m->work[pi].v.bytes.len = o->v.bytes.len;
    } else {
      m->work[pi] = *o;
    }
    return true;
  }
  if (is_bytes_type(t))
    return cfz_mutate_bytes(m, pi);
  if (t == CFZ_BOOL) {
    m->work[pi].v.b = !m->work[pi].v.b;
    return true;
  }
  if (t == CFZ_FLOAT32 || t == CFZ_FLOAT64)
    return cfz_mutate_float(m, pi);
  return cfz_mutate_int(m, pi);
}

static void copy_value(cfz_value *dst, uint8_t *dbuf, const cfz_value *src,
                       size_t max_len) {
  *dst = *src;
  if (is_bytes_type(src->type)) {
    size_t len = min_sz(src->v.bytes.len, max_len);
    if (len != 0)
      memcpy(dbuf, src->v.bytes.data, len);
    dbuf[len] = 0;
    dst->v.bytes.data = dbuf;
    dst->v.bytes.len = len;
  }
}

static void reset_work(cfz_mutator *m) {
  m->ntok = 0;
  for (size_t i = 0; i < m->n; i++)
    copy_value(&m->work[i], m->work_buf[i], &m->base[i], m->max_len);
}

static void zero_value(cfz_value *v, cfz_type t, uint8_t *buf) {
  memset(v, 0, sizeof *v);
  v->type = t;
  if (is_bytes_type(t)) {
    buf[0] = 0;
    v->v.bytes.data = buf;
  }
}

cfz_mutator *cfz_mutator_new(const cfz_type *types, size_t n, size_t max_len,
                             const cfz_dict *dict) {
  cfz_mutator *m = calloc(1, sizeof *m);
  if (m == NULL)
    return NULL;
  m->n = n;
  m->max_len = max_len;
  m->dict = dict;
  size_t k = n ? n : 1;
  m->types = calloc(k, sizeof *m->types);
  m->base = calloc(k, sizeof *m->base);
  m->work = calloc(k, sizeof *m->work);
  m->aux = calloc(k, sizeof *m->aux);
  m->base_buf = calloc(k, sizeof *m->base_buf);
  m->work_buf = calloc(k, sizeof *m->work_buf);
  m->aux_buf = calloc(k, sizeof *m->aux_buf);
  m->scratch = malloc(max_len + 1);
  if (!m->types || !m->base || !m->work || !m->aux || !m->base_buf ||
      !m->work_buf || !m->aux_buf || !m->scratch) {
    cfz_mutator_free(m);
    return NULL;
  }
  for (size_t i = 0; i < n; i++) {
    m->types[i] = types[i];
    if (is_bytes_type(types[i])) {
      m->base_buf[i] = malloc(max_len + 1);
      m->work_buf[i] = malloc(max_len + 1);
      m->aux_buf[i] = malloc(max_len + 1);
      if (!m->base_buf[i] || !m->work_buf[i] || !m->aux_buf[i]) {
        cfz_mutator_free(m);
        return NULL;
      }
    }
    zero_value(&m->base[i], types[i], m->base_buf[i]);
    zero_value(&m->aux[i], types[i], m->aux_buf[i]);
  }
  const char *env = getenv("CFZ_I2S_TRANSFORMS");
  m->i2s_transforms = env == NULL || strcmp(env, "0") != 0;
  cfz_rng_seed(&m->rng, 0);
  reset_work(m);
  return m;
}

void cfz_mutator_free(cfz_mutator *m) {
  if (m == NULL)
    return;
  for (size_t i = 0; i < m->n; i++) {
    if (m->base_buf)
      free(m->base_buf[i]);
    if (m->work_buf)
      free(m->work_buf[i]);
    if (m->aux_buf)
      free(m->aux_buf[i]);
  }
  free(m->types);
  free(m->base);
  free(m->work);
  free(m->aux);
  free(m->base_buf);
  free(m->work_buf);
  free(m->aux_buf);
  free(m->scratch);
  free(m);
}

void cfz_mutator_seed(cfz_mutator *m, uint64_t seed) {
  cfz_rng_seed(&m->rng, seed);
  m->chain_pos = m->chain_len = 0;
}

static bool types_match(const cfz_mutator *m, const cfz_value *v) {
  for (size_t i = 0; i < m->n; i++)
    if (v[i].type != m->types[i])
      return false;
  return true;
}

int cfz_mutator_set_base(cfz_mutator *m, const cfz_value *base) {
  if (!types_match(m, base))
    return -1;
  for (size_t i = 0; i < m->n; i++)
    copy_value(&m->base[i], m->base_buf[i], &base[i], m->max_len);
  m->chain_pos = m->chain_len = 0;
  reset_work(m);
  return 0;
}

void cfz_mutator_set_splice(cfz_mutator *m, const cfz_value *other) {
  if (other == NULL || !types_match(m, other)) {
    m->has_aux = false;
    return;
  }
  for (size_t i = 0; i < m->n; i++)
    copy_value(&m->aux[i], m->aux_buf[i], &other[i], m->max_len);
  m->has_aux = true;
}

void cfz_mutator_keep_tokens(cfz_mutator *m) {
  for (unsigned i = 0; i < m->ntok; i++)
    cfz_auto_dict_add(m->tok[i], m->tok_len[i]);
  m->ntok = 0;
}

const cfz_value *cfz_mutator_next(cfz_mutator *m) {
  if (m->chain_pos >= m->chain_len) {
    reset_work(m);
    m->chain_len = 1 + (unsigned)rnd(m, MAX_CHAIN);
    m->chain_pos = 0;
  }
  m->chain_pos++;
  if (m->n == 0)
    return m->work;
  size_t first = (size_t)rnd(m, m->n);
  for (size_t t = 0; t < 2 * m->n; t++) {
    size_t pi = t == 0 ? first : (size_t)rnd(m, m->n);
    if (mutate_param(m, pi))
      break;
  }
  return m->work;
}
