/* coverage_map.c - the global coverage map (coverage_map.h). */
#include "coverage_map.h"

#include "shm_layout.h"

int cfz_covmap_init(cfz_coverage_map *m, char *err, size_t errlen) {
  *m = (cfz_coverage_map){.shm.fd = -1};
  return cfz_shm_create(&m->shm, CFZ_MAX_FEATURES, err, errlen);
}

void cfz_covmap_free(cfz_coverage_map *m) {
  if (m->shm.base)
    cfz_shm_close(&m->shm);
}

int cfz_covmap_fd(const cfz_coverage_map *m) { return m->shm.fd; }

uint64_t cfz_covmap_merge(cfz_coverage_map *m, const uint8_t *snapshot,
                          size_t n) {
  if (n > CFZ_MAX_FEATURES)
    n = CFZ_MAX_FEATURES;
  uint8_t *global = m->shm.base;
  uint64_t added = 0;
  for (size_t i = 0; i < n; i++) {
    uint8_t nb = snapshot[i] & (uint8_t)~global[i];
    if (!nb)
      continue;
    if (!global[i] && (m->edge_slots == 0 || i < m->edge_slots))
      m->edges++;
    global[i] |= nb;
    added += (uint64_t)__builtin_popcount(nb);
  }
  m->features += added;
  return added;
}
