/* weight_tree.h - weighted random choice among n items in O(log n): a
 * Fenwick (binary indexed) tree over 64-bit weights.
 *
 * Items are numbered 0..n-1 in the order they were pushed; a weight can be
 * changed at any time, and the last item popped.  cfz_wtree_find(x), for a
 * uniform x below the total, returns item k with probability w[k] / total,
 * the same k a linear scan of the running sums would return. */
#ifndef CFZ_WEIGHT_TREE_H
#define CFZ_WEIGHT_TREE_H

#include <stddef.h>
#include <stdint.h>

typedef struct cfz_wtree {
  uint64_t *w;   /* the weights, w[0..n) */
  uint64_t *sum; /* sum[i], 1-based: the weights of items (i - low(i), i] */
  size_t n, cap;
  uint64_t total;
} cfz_wtree;

void cfz_wtree_init(cfz_wtree *t);
void cfz_wtree_free(cfz_wtree *t);
/* Appends an item of weight w; returns 0, or -1 when out of memory. */
int cfz_wtree_push(cfz_wtree *t, uint64_t w);
/* Removes the last item (n must be > 0). */
void cfz_wtree_pop(cfz_wtree *t);
void cfz_wtree_set(cfz_wtree *t, size_t k, uint64_t w);
/* The item where the running sum of weights first exceeds x; x < total. */
size_t cfz_wtree_find(const cfz_wtree *t, uint64_t x);

#endif
