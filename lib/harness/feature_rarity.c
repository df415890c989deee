/* feature_rarity.c - see feature_rarity.h. */
#include "feature_rarity.h"

#include <stdlib.h>
#include <string.h>

/* counts[s]: found inputs that covered slot s, plus the effort spent on
 * bases whose rare set holds s (saturates). */
static uint16_t *counts;
static size_t ncounts;
static uint64_t picks_since_reweigh;

static bool grow(size_t n) {
  if (n <= ncounts)
    return true;
  uint16_t *c = realloc(counts, n * sizeof *c);
  if (c == NULL)
    return false; /* rarity is an optimisation: go on without it */
  memset(c + ncounts, 0, (n - ncounts) * sizeof *c);
  counts = c;
  ncounts = n;
  return true;
}

static void bump(uint32_t s) {
  if (s < ncounts && counts[s] != UINT16_MAX)
    counts[s]++;
}

/* Counts slot s and keeps it in *out when it is among the rarest so far;
 * *worst is the index in out of the most common slot once out is full. */
static void take(cfz_rare_set *out, uint32_t s, uint32_t *worst) {
  bump(s);
  if (out->n < CFZ_RARE_SLOTS) {
    out->slot[out->n++] = s;
    if (counts[s] > counts[out->slot[*worst]])
      *worst = out->n - 1;
    return;
  }
  if (counts[s] >= counts[out->slot[*worst]])
    return;
  out->slot[*worst] = s;
  for (uint32_t j = 0; j < CFZ_RARE_SLOTS; j++)
    if (counts[out->slot[j]] > counts[out->slot[*worst]])
      *worst = j;
}

void cfz_rarity_note_input(const uint8_t *snap, size_t nslots,
                           cfz_rare_set *out) {
  *out = (cfz_rare_set){.n = 0};
  if (nslots > CFZ_RARE_MAX_SLOTS)
    nslots = CFZ_RARE_MAX_SLOTS;
  if (!grow(nslots))
    return;
  uint32_t worst = 0;
  size_t s = 0;
  for (; s + 8 <= nslots; s += 8) {
    uint64_t word;
    memcpy(&word, snap + s, sizeof word);
    if (word == 0)
      continue;
    for (size_t j = s; j < s + 8; j++)
      if (snap[j])
        take(out, (uint32_t)j, &worst);
  }
  for (; s < nslots; s++)
    if (snap[s])
      take(out, (uint32_t)s, &worst);
}

bool cfz_rarity_note_pick(cfz_rare_set *s) {
  if (s->n > 0 && ++s->picks % CFZ_RARE_EFFORT == 0)
    for (uint32_t j = 0; j < s->n; j++)
      bump(s->slot[j]);
  if (++picks_since_reweigh < CFZ_RARE_REWEIGH)
    return false;
  picks_since_reweigh = 0;
  return true;
}

uint64_t cfz_rarity_boost(const cfz_rare_set *s) {
  uint64_t rarity = 0; /* sum of CFZ_RARE_ONE / count */
  for (uint32_t j = 0; j < s->n; j++) {
    uint32_t slot = s->slot[j];
    uint32_t c = slot < ncounts && counts[slot] ? counts[slot] : 1u;
    rarity += CFZ_RARE_ONE / c;
  }
  uint64_t boost = CFZ_RARE_ONE + CFZ_RARE_SCALE * rarity;
  uint64_t cap = (uint64_t)CFZ_RARE_CAP * CFZ_RARE_ONE;
  return boost < cap ? boost : cap;
}

uint64_t cfz_rarity_scale(uint64_t w, const cfz_rare_set *s) {
  if (s->n == 0 || w == 0)
    return w;
  uint64_t scaled = w * cfz_rarity_boost(s) / CFZ_RARE_ONE;
  return scaled ? scaled : 1;
}

uint32_t cfz_rarity_count(size_t s) { return s < ncounts ? counts[s] : 0; }

void cfz_rarity_clear(void) {
  free(counts);
  counts = NULL;
  ncounts = 0;
  picks_since_reweigh = 0;
}
