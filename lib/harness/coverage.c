/* coverage.c - SanitizerCoverage callbacks and the feature map of one
 * execution (see coverage.h and docs/feedback.md).
 *
 * Instrumentation kinds supported, all concatenated into one slot space:
 *   - clang inline-8bit-counters (+ pc-table): the compiler owns the counter
 *     arrays; each module registers [start, stop) once;
 *   - trace-pc-guard: every guard gets an index into our own counter array;
 *   - gcc trace-pc: the caller PC is hashed with the previous location into
 *     a fixed map of CFZ_TRACE_PC_MAP counters (AFL-style edges);
 *   - value profile bits written by cmp_trace.c (optional).
 * The callbacks are strong, non-static, default-visibility definitions so
 * that they win over the weak ones in the sanitizer runtimes.
 */
#include "coverage.h"

#include <stdlib.h>
#include <string.h>

#include "features_off.h"
#include "pc_module.h"
#include "shm_layout.h"

#define CFZ_COV_PUBLIC __attribute__((visibility("default"))) CFZ_NO_COVERAGE

#define MAX_REGIONS 256

typedef struct region {
  uint8_t *start;
  size_t len;
} region;

/* 8-bit counter regions registered by __sanitizer_cov_8bit_counters_init. */
static region regions[MAX_REGIONS];
static size_t nregions;
static size_t regions_total;

/* pc-table ranges (kept for diagnostics; not needed for features). */
static const uintptr_t *pcs_beg[MAX_REGIONS], *pcs_end[MAX_REGIONS];
static size_t npcs;

/* trace-pc-guard: counters of guard indices 1..nguards. */
static uint8_t *guard_counters;
static size_t nguards;

/* gcc trace-pc edges. */
static uint8_t trace_pc_map[CFZ_TRACE_PC_MAP] __attribute__((aligned(64)));
static volatile int trace_pc_fired;
static __thread uint32_t trace_pc_prev;

/* Value profile bits (the extra feature region).  Bits are sparse: the
 * 8-byte words that became non-zero during a run are listed, so that reset
 * and has_new cost what was set, not the size of the region. */
#define VP_DIRTY_MAX 4096u
#define EXTRA_SLOTS (CFZ_VP_SLOTS + CFZ_STACK_SLOTS)
static uint8_t vp_map[EXTRA_SLOTS] __attribute__((aligned(64)));
static uint32_t vp_dirty[VP_DIRTY_MAX];
static size_t vp_ndirty;
static int vp_overflow; /* more words than the list holds: scan all */
static int vp_on;

/* SanitizerCoverage's stack-depth tracking (clang -fsanitize=fuzzer-no-link
 * on Linux) refers to this thread-local: each instrumented function lowers
 * it to its stack pointer.  Weak because the sanitizer runtimes define it
 * too.  cfz_cov_stack_base sets it to the frame that calls the target
 * (stack_top); cfz_cov_end_run turns the deepest point reached into a
 * stack-depth feature. */
__attribute__((weak,
               visibility("default"))) __thread uintptr_t __sancov_lowest_stack;
static uintptr_t stack_top;
static int stack_off; /* CFZ_FEATURES_OFF=stack */

/* ---- callbacks ---- */

CFZ_COV_PUBLIC void __sanitizer_cov_8bit_counters_init(uint8_t *start,
                                                       uint8_t *stop) {
  if (start == NULL || stop <= start)
    return;
  for (size_t i = 0; i < nregions; i++)
    if (regions[i].start == start)
      return; /* the same module twice */
  if (nregions == MAX_REGIONS)
    return;
  regions[nregions].start = start;
  regions[nregions].len = (size_t)(stop - start);
  regions_total += regions[nregions].len;
  nregions++;
}

CFZ_COV_PUBLIC void __sanitizer_cov_pcs_init(const uintptr_t *beg,
                                             const uintptr_t *end) {
  if (npcs < MAX_REGIONS) {
    pcs_beg[npcs] = beg;
    pcs_end[npcs] = end;
    npcs++;
  }
}

CFZ_COV_PUBLIC void __sanitizer_cov_trace_pc_guard_init(uint32_t *start,
                                                        uint32_t *stop) {
  if (start == NULL || stop <= start || *start != 0)
    return; /* empty, or this module was numbered already */
  size_t n = (size_t)(stop - start);
  uint8_t *grown = realloc(guard_counters, nguards + n);
  if (grown == NULL)
    return;
  memset(grown + nguards, 0, n);
  guard_counters = grown;
  for (size_t i = 0; i < n; i++)
    start[i] = (uint32_t)(nguards + i + 1);
  nguards += n;
}

CFZ_COV_PUBLIC void __sanitizer_cov_trace_pc_guard(uint32_t *guard) {
  uint32_t g = *guard;
  if (g != 0)
    guard_counters[g - 1]++;
}

static inline uint32_t pc_location(uintptr_t pc) {
  /* Fibonacci hashing of the module-relative PC (the same in every process
   * despite ASLR) down to log2(CFZ_TRACE_PC_MAP) bits. */
  return (uint32_t)(((uint64_t)cfz_pc_rel(pc) * 0x9e3779b97f4a7c15ULL) >> 48) &
         (CFZ_TRACE_PC_MAP - 1);
}

CFZ_COV_PUBLIC void __sanitizer_cov_trace_pc(void) {
  uint32_t cur = pc_location((uintptr_t)__builtin_return_address(0));
  trace_pc_map[cur ^ trace_pc_prev]++;
  trace_pc_prev = cur >> 1;
  if (!trace_pc_fired)
    trace_pc_fired = 1;
}

/* ---- layout ---- */

static size_t clang_total(void) { return regions_total + nguards; }

/* Number of trace-pc slots in the layout (0 or CFZ_TRACE_PC_MAP). */
static size_t trace_pc_slots(void) {
  if (clang_total() != 0)
    return trace_pc_fired ? CFZ_TRACE_PC_MAP : 0;
  return (trace_pc_fired || vp_on) ? CFZ_TRACE_PC_MAP : 0;
}

/* A view of the layout: counter regions (bucketed) then raw VP bits. */
typedef struct layout {
  region r[MAX_REGIONS + 2];
  size_t n;
  size_t vp_base; /* first VP slot (== counters when VP is off) */
} layout;

static void get_layout(layout *l) {
  size_t k = 0, base = 0;
  for (size_t i = 0; i < nregions; i++) {
    l->r[k++] = regions[i];
    base += regions[i].len;
  }
  if (nguards != 0) {
    l->r[k].start = guard_counters;
    l->r[k++].len = nguards;
    base += nguards;
  }
  if (trace_pc_slots() != 0) {
    l->r[k].start = trace_pc_map;
    l->r[k++].len = CFZ_TRACE_PC_MAP;
    base += CFZ_TRACE_PC_MAP;
  }
  l->n = k;
  l->vp_base = base;
}

const char *cfz_cov_kind(void) {
  if (regions_total != 0)
    return "inline-8bit-counters";
  if (nguards != 0)
    return "trace-pc-guard";
  if (trace_pc_fired)
    return "trace-pc";
  return "none";
}

static size_t cap_slots(size_t n) {
  return n > CFZ_MAX_FEATURES ? CFZ_MAX_FEATURES : n;
}

size_t cfz_cov_counters(void) {
  size_t n = clang_total() + trace_pc_slots() + (vp_on ? EXTRA_SLOTS : 0);
  return cap_slots(n);
}

size_t cfz_cov_edge_slots(void) {
  return cap_slots(clang_total() + trace_pc_slots());
}

void cfz_cov_set_value_profile(bool on) {
  vp_on = on;
  stack_off = cfz_feature_off("stack");
}
bool cfz_cov_value_profile(void) { return vp_on != 0; }

static inline uint64_t load64(const uint8_t *p) {
  uint64_t w;
  memcpy(&w, p, sizeof w);
  return w;
}

static CFZ_NO_COVERAGE void extra_set(uint32_t bit) {
  uint32_t byte = bit >> 3;
  uint8_t m = (uint8_t)(1u << (bit & 7));
  if (vp_map[byte] & m)
    return;
  uint32_t word = byte >> 3;
  if (load64(vp_map + 8 * (size_t)word) == 0) {
    if (vp_ndirty < VP_DIRTY_MAX)
      vp_dirty[vp_ndirty++] = word;
    else
      vp_overflow = 1;
  }
  vp_map[byte] |= m;
}

CFZ_NO_COVERAGE void cfz_cov_vp_set(uint32_t bit) {
  extra_set(bit & (8 * CFZ_VP_SLOTS - 1));
}

/* Depth in 8-byte words -> feature: exact below 8, then 8 steps per
 * doubling (a 3-bit mantissa), so deeper recursion keeps paying but each
 * new level of a deep one does not. */
static uint32_t depth_step(uint64_t words) {
  if (words < 8)
    return (uint32_t)words;
  unsigned lg = 63u - (unsigned)__builtin_clzll(words);
  return 8u * (lg - 2u) + (uint32_t)((words >> (lg - 3u)) & 7u);
}

CFZ_NO_COVERAGE void cfz_cov_end_run(void) {
  uintptr_t low = __sancov_lowest_stack;
  if (!vp_on || stack_off || low >= stack_top || stack_top - low > (1u << 30))
    return; /* no stack-depth instrumentation (gcc), or it did not run */
  uint32_t f = depth_step((stack_top - low) / 8);
  if (f >= 8 * CFZ_STACK_SLOTS)
    f = 8 * CFZ_STACK_SLOTS - 1;
  extra_set(8 * CFZ_VP_SLOTS + f);
}

CFZ_NO_COVERAGE void cfz_cov_stack_base(uintptr_t frame) {
  stack_top = frame;
  __sancov_lowest_stack = frame;
}

CFZ_NO_COVERAGE void cfz_cov_reset(void) {
  cfz_cov_stack_base((uintptr_t)__builtin_frame_address(0));
  for (size_t i = 0; i < nregions; i++)
    memset(regions[i].start, 0, regions[i].len);
  if (nguards != 0)
    memset(guard_counters, 0, nguards);
  if (trace_pc_fired)
    memset(trace_pc_map, 0, sizeof trace_pc_map);
  if (vp_overflow) {
    memset(vp_map, 0, sizeof vp_map);
  } else {
    for (size_t i = 0; i < vp_ndirty; i++)
      memset(vp_map + 8 * (size_t)vp_dirty[i], 0, 8);
  }
  vp_ndirty = 0;
  vp_overflow = 0;
  trace_pc_prev = 0;
}

/* Bucket bits: 1,2,3,4-7,8-15,16-31,32-127,128+ -> bit 0..7. */
static uint8_t bucket_table[256];

static uint8_t bucket_of(unsigned hits) {
  if (hits == 0)
    return 0;
  if (hits <= 3)
    return (uint8_t)(1u << (hits - 1));
  if (hits <= 7)
    return 1u << 3;
  if (hits <= 15)
    return 1u << 4;
  if (hits <= 31)
    return 1u << 5;
  if (hits <= 127)
    return 1u << 6;
  return 1u << 7;
}

__attribute__((constructor)) static void init_buckets(void) {
  for (unsigned i = 0; i < 256; i++)
    bucket_table[i] = bucket_of(i);
}

uint8_t cfz_cov_bucket(uint8_t hits) { return bucket_of(hits); }

/* True when a counter of the 8-byte word w (loaded from the counters at
 * global's slots) has a bucket bit missing from global.  Only the non-zero
 * bytes are visited. */
static inline bool word_has_new(uint64_t w, const uint8_t *global) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  while (w != 0) {
    unsigned k = (unsigned)__builtin_ctzll(w) >> 3;
    if (bucket_table[(uint8_t)(w >> (8 * k))] & ~global[k])
      return true;
    w &= ~((uint64_t)0xff << (8 * k));
  }
  return false;
#else
  uint8_t c[8];
  memcpy(c, &w, 8);
  for (unsigned k = 0; k < 8; k++)
    if (c[k] && (bucket_table[c[k]] & ~global[k]))
      return true;
  return false;
#endif
}

/* True when a counter of the 64-byte block at c has a bucket bit missing
 * from global (the block's slots).  Out of line: most blocks are all zero
 * and the scan loop stays small. */
static __attribute__((noinline)) bool block_has_new(const uint8_t *c,
                                                    const uint8_t *global) {
  for (size_t i = 0; i < 64; i += 8) {
    uint64_t w = load64(c + i);
    if (w != 0 && word_has_new(w, global + i))
      return true;
  }
  return false;
}

/* 16 bytes as a vector: the compiler turns the zero test of a 64-byte block
 * into a few SIMD instructions where the machine has them. */
typedef uint64_t cfz_v2 __attribute__((vector_size(16)));

static inline bool block_zero(const uint8_t *c) {
  cfz_v2 a, b, d, e;
  memcpy(&a, c, 16);
  memcpy(&b, c + 16, 16);
  memcpy(&d, c + 32, 16);
  memcpy(&e, c + 48, 16);
  cfz_v2 o = (a | b) | (d | e);
  return (o[0] | o[1]) == 0;
}

/* True when some counter of r (slots from base) has a bucket bit missing
 * from global.  Zero blocks are skipped. */
static bool region_has_new(const uint8_t *c, size_t len, const uint8_t *global,
                           size_t limit) {
  if (len > limit)
    len = limit;
  size_t i = 0;
  for (; i < len && ((uintptr_t)(c + i) & 15) != 0; i++)
    if (c[i] && (bucket_table[c[i]] & ~global[i]))
      return true;
  /* Most counters are zero: skip 64 bytes at a time while they are. */
  for (; i + 64 <= len; i += 64)
    if (!block_zero(c + i) && block_has_new(c + i, global + i))
      return true;
  for (; i + 8 <= len; i += 8)
    if (word_has_new(load64(c + i), global + i))
      return true;
  for (; i < len; i++)
    if (c[i] && (bucket_table[c[i]] & ~global[i]))
      return true;
  return false;
}

CFZ_NO_COVERAGE bool cfz_cov_has_new(const uint8_t *global) {
  layout l;
  get_layout(&l);
  size_t base = 0;
  for (size_t k = 0; k < l.n && base < CFZ_MAX_FEATURES; k++) {
    if (region_has_new(l.r[k].start, l.r[k].len, global + base,
                       CFZ_MAX_FEATURES - base))
      return true;
    base += l.r[k].len;
  }
  if (vp_on && l.vp_base < CFZ_MAX_FEATURES) {
    size_t n = cap_slots(l.vp_base + EXTRA_SLOTS) - l.vp_base;
    const uint8_t *g = global + l.vp_base;
    if (!vp_overflow) {
      for (size_t k = 0; k < vp_ndirty; k++) {
        size_t i = 8 * (size_t)vp_dirty[k];
        for (size_t j = i; j < i + 8 && j < n; j++)
          if (vp_map[j] & ~g[j])
            return true;
      }
      return false;
    }
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      uint64_t w = load64(vp_map + i);
      if (w != 0 && (w & ~load64(g + i)) != 0)
        return true;
    }
    for (; i < n; i++)
      if (vp_map[i] & ~g[i])
        return true;
  }
  return false;
}

CFZ_NO_COVERAGE size_t cfz_cov_snapshot(uint8_t *out, size_t cap) {
  layout l;
  get_layout(&l);
  size_t n = cfz_cov_counters();
  if (n > cap)
    n = cap;
  size_t base = 0;
  for (size_t k = 0; k < l.n && base < n; k++) {
    size_t len = l.r[k].len;
    if (len > n - base)
      len = n - base;
    const uint8_t *c = l.r[k].start;
    for (size_t i = 0; i < len; i++)
      out[base + i] = bucket_table[c[i]];
    base += l.r[k].len;
  }
  if (vp_on && l.vp_base < n) {
    size_t len = n - l.vp_base;
    if (len > EXTRA_SLOTS)
      len = EXTRA_SLOTS;
    memcpy(out + l.vp_base, vp_map, len);
  }
  return n;
}

CFZ_NO_COVERAGE size_t cfz_cov_edges(void) {
  const uint64_t lo7 = 0x7f7f7f7f7f7f7f7fULL, hi = 0x8080808080808080ULL;
  layout l;
  get_layout(&l);
  size_t total = 0;
  for (size_t k = 0; k < l.n; k++) {
    const uint8_t *c = l.r[k].start;
    size_t len = l.r[k].len, i = 0;
    for (; i + 8 <= len; i += 8) {
      uint64_t w = load64(c + i);
      if (w != 0) /* the high bit of each non-zero byte */
        total += (size_t)__builtin_popcountll((((w & lo7) + lo7) | w) & hi);
    }
    for (; i < len; i++)
      total += c[i] != 0;
  }
  return total;
}

size_t cfz_cov_count_features(const uint8_t *map, size_t n) {
  size_t total = 0, i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w = load64(map + i);
    if (w != 0)
      total += (size_t)__builtin_popcountll(w);
  }
  for (; i < n; i++)
    total += (size_t)__builtin_popcount(map[i]);
  return total;
}
