/* coverage_map.h - the global coverage map: one byte of hit-count buckets
 * per feature slot, in shared memory that every worker maps read-only (fd
 * 6 of docs/protocol.md) and only the driver writes, by ORing in the
 * feature snapshots of new-coverage inputs. */
#ifndef CFZ_COVERAGE_MAP_H
#define CFZ_COVERAGE_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "shm.h"

typedef struct cfz_coverage_map {
  cfz_shm shm;
  uint64_t features;   /* bucket bits set */
  uint64_t edges;      /* code slots (below edge_slots) with any bit set */
  uint64_t edge_slots; /* the first slots, the code's; 0: all (the hello's
                          edge_slots, set by the caller) */
} cfz_coverage_map;

/* Returns 0, or -1 with a message in err. */
int cfz_covmap_init(cfz_coverage_map *m, char *err, size_t errlen);
void cfz_covmap_free(cfz_coverage_map *m);
int cfz_covmap_fd(const cfz_coverage_map *m);
/* ORs n bytes of snapshot in; returns the number of bucket bits added. */
uint64_t cfz_covmap_merge(cfz_coverage_map *m, const uint8_t *snapshot,
                          size_t n);

#endif
