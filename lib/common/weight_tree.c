/* weight_tree.c - see weight_tree.h. */
#include "weight_tree.h"

#include <stdlib.h>
#include <string.h>

static size_t low(size_t i) { return i & (~i + 1); }

void cfz_wtree_init(cfz_wtree *t) { memset(t, 0, sizeof *t); }

void cfz_wtree_free(cfz_wtree *t) {
  free(t->w);
  free(t->sum);
  memset(t, 0, sizeof *t);
}

int cfz_wtree_push(cfz_wtree *t, uint64_t w) {
  if (t->n == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 64;
    uint64_t *nw = realloc(t->w, cap * sizeof *nw);
    if (!nw)
      return -1;
    t->w = nw;
    uint64_t *ns = realloc(t->sum, (cap + 1) * sizeof *ns);
    if (!ns)
      return -1;
    t->sum = ns;
    t->cap = cap;
  }
  size_t i = ++t->n; /* 1-based node of the new item */
  uint64_t s = w;
  for (size_t j = i - 1; j > i - low(i); j -= low(j))
    s += t->sum[j];
  t->sum[i] = s;
  t->w[i - 1] = w;
  t->total += w;
  return 0;
}

void cfz_wtree_set(cfz_wtree *t, size_t k, uint64_t w) {
  uint64_t old = t->w[k];
  t->w[k] = w;
  t->total = t->total - old + w;
  for (size_t i = k + 1; i <= t->n; i += low(i))
    t->sum[i] = t->sum[i] - old + w;
}

void cfz_wtree_pop(cfz_wtree *t) {
  cfz_wtree_set(t, t->n - 1, 0);
  t->n--;
}

size_t cfz_wtree_find(const cfz_wtree *t, uint64_t x) {
  size_t step = 1, pos = 0;
  while (step * 2 <= t->n)
    step *= 2;
  for (; step > 0; step /= 2)
    if (pos + step <= t->n && t->sum[pos + step] <= x) {
      pos += step;
      x -= t->sum[pos];
    }
  return pos < t->n ? pos : t->n - 1;
}
