/* shm_layout.h - the shared-memory regions between the driver and a worker.
 *
 * Per-worker region (created by the driver, inherited by the worker as fd
 * CFZ_FD_SHM, mapped read-write by both):
 *   [cfz_shm_header, padded to CFZ_SHM_HEADER_SIZE]
 *   [value area:     value_capacity bytes]   the input about to run (fuzz,
 *                                            exec) or the best known crasher
 *                                            (minimize); wire format
 *   [aux area:       value_capacity bytes]   fuzz: a splice partner;
 *                                            minimize: the candidate running
 *   [feature area:   CFZ_MAX_FEATURES bytes] the feature snapshot of the
 *                                            last new-coverage input
 *
 * Global coverage region (created by the driver, fd CFZ_FD_COVERAGE, mapped
 * read-only by workers): CFZ_MAX_FEATURES bytes, byte i = set of hit-count
 * buckets (bit k = bucket k) seen so far for feature slot i.
 *
 * Rules: the worker writes every input to the value area (or the candidate to
 * the aux area, with state RUNNING_AUX) *before* running it, then increments
 * exec_count.  The driver zeroes exec_count before each request and never
 * touches the region while a request is in flight.
 */
#ifndef CFZ_SHM_LAYOUT_H
#define CFZ_SHM_LAYOUT_H

#include <stdatomic.h>
#include <stdint.h>

#define CFZ_SHM_MAGIC 0x31766d68737a6663ULL /* "cfzshmv1" */
#define CFZ_SHM_HEADER_SIZE 4096u
/* Feature slots: counters (one per edge) and, after them, value-profile
 * slots.  Regions are sparse: only pages touched use memory. */
#define CFZ_MAX_FEATURES (1u << 24)

/* Inherited descriptors in a worker process. */
enum {
  CFZ_FD_REQUEST = 3,  /* driver -> worker frames */
  CFZ_FD_RESPONSE = 4, /* worker -> driver frames */
  CFZ_FD_SHM = 5,      /* per-worker region */
  CFZ_FD_COVERAGE = 6, /* global coverage, read-only */
};

enum cfz_shm_state {
  CFZ_SHM_IDLE = 0,
  CFZ_SHM_RUNNING_VALUE = 1, /* the value area's input is executing */
  CFZ_SHM_RUNNING_AUX = 2,   /* the aux area's candidate is executing */
};

typedef struct cfz_shm_header {
  uint64_t magic;              /* CFZ_SHM_MAGIC */
  uint64_t value_capacity;     /* size of the value and aux areas each */
  _Atomic uint64_t exec_count; /* executions in the current request */
  uint64_t value_len;          /* wire length in the value area */
  uint64_t aux_len;            /* wire length in the aux area */
  _Atomic uint32_t state;      /* enum cfz_shm_state */
  uint32_t reserved;
  uint64_t rng_state;   /* worker's generator state at the last response */
  uint64_t feature_len; /* bytes used in the feature area */
  /* minimize, mode death: where the worker's minimizer resumes when the
   * candidate now running kills it and comes back as the new best (see
   * minimize_loop.h); written and read by workers only (the driver copies
   * it unread to the slot a minimization moves to). */
  uint64_t minimize_resume[8];
  /* A worker whose peak resident memory went above --rss-limit after a run
   * writes it here (MB) and exits with CFZ_OOM_EXIT_STATUS (rss_peak.h);
   * the driver zeroes it before each request. */
  uint64_t oom_rss_mb;
} cfz_shm_header;

/* The exit status of a worker that stopped itself above --rss-limit. */
#define CFZ_OOM_EXIT_STATUS 86

static inline uint8_t *cfz_shm_value(void *base) {
  return (uint8_t *)base + CFZ_SHM_HEADER_SIZE;
}
static inline uint8_t *cfz_shm_aux(void *base) {
  return cfz_shm_value(base) + ((cfz_shm_header *)base)->value_capacity;
}
static inline uint8_t *cfz_shm_features(void *base) {
  return cfz_shm_aux(base) + ((cfz_shm_header *)base)->value_capacity;
}
static inline uint64_t cfz_shm_region_size(uint64_t value_capacity) {
  return CFZ_SHM_HEADER_SIZE + 2 * value_capacity + CFZ_MAX_FEATURES;
}

#endif
