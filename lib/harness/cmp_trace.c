/* cmp_trace.c - comparison feedback (see cmp_trace.h, docs/feedback.md).
 *
 * Integer compares (trace-cmp, switch, div) go to a table of INT_SLOTS
 * entries.  A compare site owns INT_WAYS consecutive entries chosen by a
 * hash of its PC and fills them round-robin, so a hot compare in a loop
 * rotates through its own ways instead of flushing the whole table.
 * Byte-string compares (memcmp and friends) go to a smaller table organised
 * the same way.  Recording happens only while the target runs
 * (cfz_cmp_set_active).  With value profile on, compare distances also
 * become feature bits (coverage.h).
 *
 * The string-compare hooks and interceptors are in cmp_string_hooks.c.
 */
#include "cmp_trace.h"

#include <stdlib.h>
#include <string.h>

#include "cmp_trace_internal.h"
#include "coverage.h"
#include "features_off.h"
#include "pc_module.h"

#define CFZ_PUBLIC __attribute__((visibility("default"))) CFZ_NO_COVERAGE

#define INT_SLOTS 4096u
#define INT_WAYS 8u
#define BYTES_SLOTS 512u
#define BYTES_WAYS 4u

typedef struct int_entry {
  uint64_t a, b;
  uint32_t gen;     /* the execution that recorded it */
  uint8_t size;     /* 0 = empty */
  uint8_t is_const; /* b is a constant */
} int_entry;

typedef struct bytes_entry {
  uint8_t a[CFZ_CMP_MAX_BYTES];
  uint8_t b[CFZ_CMP_MAX_BYTES];
  uint32_t gen;
  uint8_t alen, blen;
  uint8_t used;
  uint8_t ordered; /* b is the needle (strstr, memmem) */
} bytes_entry;

static int_entry int_tab[INT_SLOTS];
static uint16_t int_filled[INT_SLOTS];
static size_t int_nfilled;

static bytes_entry bytes_tab[BYTES_SLOTS];
static uint16_t bytes_filled[BYTES_SLOTS];
static size_t bytes_nfilled;
static unsigned bytes_roll;

int cfz_cmp_on;
int cfz_cmp_any;

/* What the trace-cmp fast path reads, in one cache line:
 *   fast:  the common case holds (recording on, no value profile in this
 *          batch, a compare already noted): the callbacks, the hottest
 *          code of many targets, test this one flag and need no stack frame;
 *   roll:  the round-robin counter of the table's ways;
 *   gen:   incremented each time recording starts: entries of the latest
 *          execution (the input the mutator most likely works on) are
 *          preferred when picking, so that "find operand a in the input"
 *          usually finds it;
 *   lo, len, bias: the main program's range (pc_module.h), copied when
 *          recording starts. */
struct cmp_hot {
  int fast;
  unsigned roll;
  uint32_t gen;
  int indir; /* indirect-call pairs are recorded (recording on, not off) */
  uintptr_t lo, len, bias;
};
/* Not static: the compiler would split a static struct into separate
 * variables, each on its own cache line. */
CFZ_HIDDEN struct cmp_hot cfz_cmp_hot __attribute__((aligned(64)));
/* Extra features (see "extra features" below). */
static int value_profile;     /* distance + hit-count features this batch */
static int vp_forced;         /* --use-value-profile: every batch */
static int extra_region;      /* the extra feature region is in the layout */
static unsigned features_off; /* CFZ_FEATURES_OFF */
__thread int cfz_cmp_in_hook;
/* The target's call site, stashed while a sanitizer interceptor runs on our
 * behalf (its hooks would otherwise see our wrapper as the caller). */
__thread void *cfz_cmp_stashed_pc;

bool cfz_cmp_seen(void) { return cfz_cmp_any != 0; }
size_t cfz_cmp_int_entries(void) { return int_nfilled; }
size_t cfz_cmp_bytes_entries(void) { return bytes_nfilled; }

/* Compare sites and callees are hashed by their module-relative address
 * (pc_module.h), so that the same site takes the same slots and feature bits
 * in every process despite ASLR: a run with a fixed seed repeats. */
static inline uint32_t hash_pc(uintptr_t pc) {
  uint64_t h = (uint64_t)pc * 0x9e3779b97f4a7c15ULL;
  return (uint32_t)(h >> 32) ^ (uint32_t)(h >> 13);
}

/* ---- extra features ----
 * The extra feature region (coverage.h, CFZ_VP_SLOTS slots of raw bits) is
 * split in three:
 *   [0, VP_BITS)             distance features of compares (value profile);
 *   [HITS_BASE, +HITS_BITS)  per-site counts of compares that found their
 *                            operands equal, exact up to 24 then log2;
 *   [INDIR_BASE, +INDIR_BITS) caller -> callee pairs of indirect calls.
 * Indirect-call pairs are cheap and as precise as edges: always on.
 * Distances and hit counts make the corpus grow with inputs that are only
 * "closer": on real code that costs coverage, on puzzles it is the only way
 * in.  So the engine turns them on only once plain coverage stalls: when
 * the worker has run VP_AFTER_STALE executions since a batch without them
 * last found something, in one batch out of VP_SHARE (the batch seed
 * decides, so runs stay reproducible); in every batch when forced
 * (--use-value-profile). */
#define EXTRA_BITS (8u * CFZ_VP_SLOTS)
#define VP_BITS (EXTRA_BITS / 2u)
#define HITS_BASE VP_BITS
#define HITS_BITS (EXTRA_BITS / 4u)
#define INDIR_BASE (HITS_BASE + HITS_BITS)
#define INDIR_BITS (EXTRA_BITS / 4u)
#define HIT_SITES 2048u
#define HIT_BUCKETS 32u
#define VP_SHARE 2u
#define VP_AFTER_STALE 5000u

#define OFF_INDIRECT 1u
#define OFF_HITS 2u
#define OFF_DISTANCE 4u

/* Per-site counts of equal compares during the current execution; the
 * sites touched are listed so that the end of a run costs what it used. */
static uint8_t hit_count[HIT_SITES];
static uint16_t hit_sites[HIT_SITES];
static size_t hit_nsites;

static void read_features_off(void) {
  static int done;
  if (done)
    return;
  done = 1;
  if (cfz_feature_off("indirect"))
    features_off |= OFF_INDIRECT;
  if (cfz_feature_off("hits"))
    features_off |= OFF_HITS;
  if (cfz_feature_off("distance"))
    features_off |= OFF_DISTANCE;
}

void cfz_cmp_set_value_profile(bool forced) {
  read_features_off();
  vp_forced = forced;
  value_profile = forced;
  extra_region = 1;
  cfz_cov_set_value_profile(true);
}

void cfz_cmp_batch_begin(uint64_t seed, uint64_t plain_stale) {
  if (!extra_region)
    return;
  uint64_t h = seed * 0x9e3779b97f4a7c15ULL;
  value_profile =
      vp_forced || (plain_stale >= VP_AFTER_STALE && (h >> 60) % VP_SHARE == 0);
}

bool cfz_cmp_value_profile_on(void) { return value_profile != 0; }

static inline void extra_set(uint32_t base, uint32_t span, uint32_t bit) {
  cfz_cov_vp_set(base + bit % span);
}

/* Counts an equal compare at pc (value-profile batches only). */
static inline void count_hit(uintptr_t pc) {
  if (!value_profile || (features_off & OFF_HITS))
    return;
  uint32_t s = hash_pc(pc) % HIT_SITES;
  uint8_t c = hit_count[s];
  if (c == 0)
    hit_sites[hit_nsites++] = (uint16_t)s;
  if (c != 255)
    hit_count[s] = (uint8_t)(c + 1);
}

/* End of an execution: hit counts become features. */
static CFZ_NO_COVERAGE void flush_hits(void) {
  for (size_t i = 0; i < hit_nsites; i++) {
    uint32_t s = hit_sites[i];
    unsigned c = hit_count[s];
    hit_count[s] = 0;
    unsigned b = c <= 24 ? c - 1 : 20u + (31u - (unsigned)__builtin_clz(c));
    extra_set(HITS_BASE, HITS_BITS, s * HIT_BUCKETS + b);
  }
  hit_nsites = 0;
}

static void update_fast(void) {
  cfz_cmp_hot.lo = cfz_pc_main_lo;
  cfz_cmp_hot.bias = cfz_pc_main_bias;
  cfz_cmp_hot.len = cfz_pc_main_len;
  cfz_cmp_hot.fast = cfz_cmp_on && cfz_cmp_any && !value_profile;
  cfz_cmp_hot.indir =
      cfz_cmp_on && extra_region && !(features_off & OFF_INDIRECT);
}

void cfz_cmp_set_active(bool on) {
  if (on && !cfz_cmp_on)
    cfz_cmp_hot.gen++;
  if (!on && cfz_cmp_on && hit_nsites != 0)
    flush_hits();
  cfz_cmp_on = on;
  update_fast();
}

/* ---- value profile ----
 * Each compare site (hashed PC) starts a run of feature bits at a pseudo-
 * random place of the distance space (sites may collide, as in libFuzzer):
 *   integers: +popcount(a ^ b) (0-64), +65 + log2 |a - b| (0-64);
 *   byte strings: +130 + 9 * (equal prefix length, 0-64) + popcount of the
 *   first differing byte pair (0-8), so that a compare gets new features
 *   one bit at a time inside a byte, as well as one byte at a time. */

static CFZ_NO_COVERAGE void vp_int(uintptr_t pc, uint64_t a, uint64_t b) {
  if (features_off & OFF_DISTANCE)
    return;
  uint32_t base = hash_pc(pc);
  extra_set(0, VP_BITS, base + (uint32_t)__builtin_popcountll(a ^ b));
  uint64_t d = a > b ? a - b : b - a;
  uint32_t lg = d == 0 ? 0 : 64u - (uint32_t)__builtin_clzll(d);
  extra_set(0, VP_BITS, base + 65u + lg);
}

static CFZ_NO_COVERAGE void vp_bytes(uintptr_t pc, const uint8_t *a,
                                     size_t alen, const uint8_t *b,
                                     size_t blen) {
  if (features_off & OFF_DISTANCE)
    return;
  size_t n = alen < blen ? alen : blen, m = 0;
  while (m < n && a[m] == b[m])
    m++;
  uint32_t hd = m < n ? (uint32_t)__builtin_popcount(a[m] ^ b[m]) : 0;
  if (m > 64)
    m = 64;
  uint32_t base = hash_pc(pc ^ 0x5bd1e995u);
  extra_set(0, VP_BITS, base + 130u + 9u * (uint32_t)m + hd);
}

/* ---- integer table ---- */

/* Slots in use, as bits: checking a bit of this small array (L1-resident)
 * instead of the entry itself keeps the hot path to a few stores. */
static uint64_t int_used[INT_SLOTS / 64];

static CFZ_NO_COVERAGE __attribute__((noinline)) void
vp_record(uintptr_t pc, uint64_t a, uint64_t b, int keep_small) {
  vp_int(pc, a, b);
  if (a == b && !keep_small)
    count_hit(pc);
}

/* The group of INT_WAYS entries of the site rel (a module-relative PC). */
#define SITE_GROUPS (INT_SLOTS / INT_WAYS)
static inline unsigned site_group(uintptr_t rel) {
  return hash_pc(rel) & (SITE_GROUPS - 1);
}

/* Stores (a, b) in the way w of the site group g. */
static CFZ_NO_COVERAGE __attribute__((always_inline)) inline void
store_int(unsigned g, unsigned w, uint64_t a, uint64_t b, unsigned size,
          int is_const) {
  unsigned slot = g * INT_WAYS + w;
  uint64_t bit = 1ull << (slot & 63);
  if (!(int_used[slot / 64] & bit)) {
    int_used[slot / 64] |= bit;
    int_filled[int_nfilled++] = (uint16_t)slot;
  }
  int_entry *e = &int_tab[slot];
  e->a = a;
  e->b = b;
  e->gen = cfz_cmp_hot.gen;
  e->is_const = (uint8_t)is_const;
  e->size = (uint8_t)size;
}

/* The general path: switch and division callbacks, value-profile batches,
 * code outside the main program. */
static CFZ_NO_COVERAGE __attribute__((always_inline)) inline void
record_int(uintptr_t pc, uint64_t a, uint64_t b, unsigned size, int is_const,
           int keep_small) {
  pc = cfz_pc_rel(pc);
  if (value_profile)
    vp_record(pc, a, b, keep_small);
  if (a == b || (!keep_small && a < 16 && b < 16))
    return;
  store_int(site_group(pc), cfz_cmp_hot.roll++ % INT_WAYS, a, b, size,
            is_const);
}

/* Two addresses: a compare of two 64-bit values a few GiB apart at most,
 * both in [2^32, 2^48) (where user-space stacks, heaps, mappings and
 * AddressSanitizer's heap lie).  UndefinedBehaviorSanitizer's
 * pointer-overflow check compares p + n with p as integers, and trace-cmp
 * reports it; such values differ from one process to the next (ASLR, the
 * environment's size on the stack), say nothing about the input, and would
 * make a run of one --seed not repeat (docs/feedback.md, "Addresses").  Not
 * recorded; an equal pair is (its outcome does not depend on where). */
static inline int address_pair(uint64_t a, uint64_t b) {
  if ((a >> 32) == 0 || (b >> 32) == 0 || ((a | b) >> 48) != 0)
    return 0; /* the common case: a small value */
  uint64_t d = a > b ? a - b : b - a;
  return d != 0 && (d >> 32) == 0;
}

static CFZ_NO_COVERAGE __attribute__((noinline, cold)) void
cmp_slow(uintptr_t pc, uint64_t a, uint64_t b, unsigned size, int is_const) {
  if (!cfz_cmp_any)
    cfz_cmp_any = 1;
  if (!cfz_cmp_on || (size == 8 && !is_const && address_pair(a, b)))
    return;
  record_int(pc, a, b, size, is_const, 0);
}

CFZ_NO_COVERAGE void cfz_cmp_record_int(uintptr_t pc, uint64_t a, uint64_t b,
                                        unsigned size, int is_const) {
  cmp_slow(pc, a, b, size, is_const);
}

static CFZ_NO_COVERAGE __attribute__((always_inline)) inline void
cmp_callback(uintptr_t pc, uint64_t a, uint64_t b, unsigned size,
             int is_const) {
  if (__builtin_expect(!cfz_cmp_hot.fast, 0)) {
    cmp_slow(pc, a, b, size, is_const);
    return;
  }
  if (a == b || (a < 16 && b < 16) ||
      (size == 8 && !is_const && address_pair(a, b)))
    return;
  if (__builtin_expect(pc - cfz_cmp_hot.lo >= cfz_cmp_hot.len, 0)) {
    cmp_slow(pc, a, b, size, is_const); /* another module */
    return;
  }
  store_int(site_group(pc - cfz_cmp_hot.bias), cfz_cmp_hot.roll++ % INT_WAYS, a,
            b, size, is_const);
}

#define CMP_CALLBACK(NAME, T, SIZE, IS_CONST)                                  \
  CFZ_PUBLIC void NAME(T arg1, T arg2) {                                       \
    /* const variants: arg1 is the constant. */                                \
    cmp_callback((uintptr_t)__builtin_return_address(0), (uint64_t)arg2,       \
                 (uint64_t)arg1, SIZE, IS_CONST);                              \
  }

CMP_CALLBACK(__sanitizer_cov_trace_cmp1, uint8_t, 1, 0)
CMP_CALLBACK(__sanitizer_cov_trace_cmp2, uint16_t, 2, 0)
CMP_CALLBACK(__sanitizer_cov_trace_cmp4, uint32_t, 4, 0)
CMP_CALLBACK(__sanitizer_cov_trace_cmp8, uint64_t, 8, 0)
CMP_CALLBACK(__sanitizer_cov_trace_const_cmp1, uint8_t, 1, 1)
CMP_CALLBACK(__sanitizer_cov_trace_const_cmp2, uint16_t, 2, 1)
CMP_CALLBACK(__sanitizer_cov_trace_const_cmp4, uint32_t, 4, 1)
CMP_CALLBACK(__sanitizer_cov_trace_const_cmp8, uint64_t, 8, 1)

/* gcc's trace-cmp also reports float and double compares: their bit
 * patterns are recorded like integers of the same width. */
CFZ_PUBLIC void __sanitizer_cov_trace_cmpf(float arg1, float arg2) {
  if (!cfz_cmp_any)
    cfz_cmp_any = 1;
  if (!cfz_cmp_on)
    return;
  uint32_t a, b;
  memcpy(&a, &arg1, 4);
  memcpy(&b, &arg2, 4);
  record_int((uintptr_t)__builtin_return_address(0), b, a, 4, 0, 0);
}

CFZ_PUBLIC void __sanitizer_cov_trace_cmpd(double arg1, double arg2) {
  if (!cfz_cmp_any)
    cfz_cmp_any = 1;
  if (!cfz_cmp_on)
    return;
  uint64_t a, b;
  memcpy(&a, &arg1, 8);
  memcpy(&b, &arg2, 8);
  record_int((uintptr_t)__builtin_return_address(0), b, a, 8, 0, 0);
}

/* ---- switch ----
 * cases[0] = number of cases, cases[1] = width in bits, cases[2..] values
 * (clang sorts them ascending; gcc emits them in label order, which is
 * sorted too, but we check).  A switch whose cases are all small (byte
 * values, opcodes: |case| < 256) carries no signal that byte mutations lack,
 * and such switches are typically the hottest code of a parser or an
 * interpreter: they are skipped in O(1).  Otherwise the nearest cases below
 * and above the value are found by binary search and recorded, plus one
 * case chosen round-robin (large switches get covered over time).
 * What a switch is (sorted? any large case?) is computed once per case
 * array and kept in a small direct-mapped cache keyed by its address. */

#define SWITCH_CACHE 1024u
#define SWITCH_SMALL 256u

typedef struct switch_info {
  const uint64_t *cases; /* NULL: empty slot */
  uint8_t sorted;
  uint8_t signal; /* some case is not a small value */
  uint16_t lut;   /* 1 + its row of switch_lut; 0: none */
} switch_info;

/* For the first SWITCH_LUTS sorted switches with signal whose small cases
 * number fewer than 256: the index of the first case >= val for each val
 * below 256, so that a small value (a character: the common case) finds
 * its neighbours with one load instead of a binary search whose branches
 * the predictor cannot learn.  A row is never reused (a switch evicted
 * from the cache and seen again takes another); past the last row, the
 * binary search. */
#define SWITCH_LUTS 64u
static uint8_t switch_lut[SWITCH_LUTS][SWITCH_SMALL];
static unsigned switch_nlut;

static switch_info switch_cache[SWITCH_CACHE];
/* Beside it (the cache's 16-byte entries stay small: most switches carry no
 * signal and read only those), what a switch with signal last recorded:
 * the value, in which execution. */
static struct {
  uint64_t val;
  uint32_t gen;
} switch_last[SWITCH_CACHE];

static inline int small_case(uint64_t v) {
  return v < SWITCH_SMALL || v > (uint64_t)0 - SWITCH_SMALL;
}

/* Case arrays are distinct arrays of at least 3 words, mostly side by side
 * in read-only data: their address in 16-byte units, without a hash (the
 * hash was half the cost of a skipped switch). */
static inline unsigned switch_slot(const uint64_t *cases) {
  return (unsigned)((uintptr_t)cases >> 4) % SWITCH_CACHE;
}

static CFZ_NO_COVERAGE switch_info *switch_lookup(const uint64_t *cases,
                                                  uint64_t n) {
  switch_info *s = &switch_cache[switch_slot(cases)];
  if (s->cases == cases)
    return s;
  const uint64_t *v = cases + 2;
  int sorted = 1, signal = 0;
  for (uint64_t i = 0; i < n; i++) {
    if (i > 0 && v[i - 1] >= v[i])
      sorted = 0;
    if (!small_case(v[i]))
      signal = 1;
  }
  s->sorted = (uint8_t)sorted;
  s->signal = (uint8_t)signal;
  s->lut = 0;
  if (sorted && signal && switch_nlut < SWITCH_LUTS) {
    uint64_t fl = 0;
    while (fl < n && v[fl] < SWITCH_SMALL)
      fl++;
    if (fl < SWITCH_SMALL) {
      uint8_t *row = switch_lut[switch_nlut++];
      uint64_t i = 0;
      for (unsigned x = 0; x < SWITCH_SMALL; x++) {
        while (i < fl && v[i] < x)
          i++;
        row[x] = (uint8_t)i;
      }
      s->lut = (uint16_t)switch_nlut;
    }
  }
  switch_last[switch_slot(cases)].gen = cfz_cmp_hot.gen - 1;
  s->cases = cases;
  return s;
}

/* Nearest cases below and above val; *have_* say which exist. */
static CFZ_NO_COVERAGE void switch_neighbours(const uint64_t *v, uint64_t n,
                                              int sorted, unsigned lut,
                                              uint64_t val, uint64_t *below,
                                              int *have_below, uint64_t *above,
                                              int *have_above) {
  *have_below = *have_above = 0;
  if (sorted) {
    uint64_t lo = 0, hi = n; /* first index with v[i] >= val */
    if (lut != 0 && val < SWITCH_SMALL)
      lo = hi = switch_lut[lut - 1][val];
    while (lo < hi) {
      uint64_t mid = lo + (hi - lo) / 2;
      if (v[mid] < val)
        lo = mid + 1;
      else
        hi = mid;
    }
    if (lo > 0) {
      *below = v[lo - 1];
      *have_below = 1;
    }
    if (lo < n && v[lo] == val)
      lo++;
    if (lo < n) {
      *above = v[lo];
      *have_above = 1;
    }
    return;
  }
  for (uint64_t i = 0; i < n; i++) {
    if (v[i] < val && (!*have_below || v[i] > *below)) {
      *below = v[i];
      *have_below = 1;
    } else if (v[i] > val && (!*have_above || v[i] < *above)) {
      *above = v[i];
      *have_above = 1;
    }
  }
}

static CFZ_NO_COVERAGE __attribute__((noinline)) void
switch_record(uint64_t val, const uint64_t *cases, uintptr_t pc) {
  if (!cfz_cmp_any)
    cfz_cmp_any = 1;
  if (!cfz_cmp_on)
    return;
  uint64_t n = cases[0];
  if (n == 0)
    return;
  switch_info *si = switch_lookup(cases, n);
  if (!si->signal)
    return;
  switch_last[switch_slot(cases)].val = val;
  switch_last[switch_slot(cases)].gen = cfz_cmp_hot.gen;
  unsigned size = (unsigned)(cases[1] / 8);
  if (size == 0 || size > 8)
    size = 8;
  const uint64_t *v = cases + 2;
  uint64_t below = 0, above = 0;
  int have_below, have_above;
  switch_neighbours(v, n, si->sorted, si->lut, val, &below, &have_below, &above,
                    &have_above);
  if (have_below)
    record_int(pc, val, below, size, 1, 1);
  if (have_above)
    record_int(pc + 1, val, above, size, 1, 1);
  uint64_t pick = v[n <= UINT32_MAX ? cfz_cmp_hot.roll % (uint32_t)n
                                    : cfz_cmp_hot.roll % n];
  if (pick != val)
    record_int(pc + 2, val, pick, size, 1, 1);
}

/* The common cases without a stack frame: a switch already known to carry
 * no signal (it is in the cache only once compares were noted), or one that
 * this execution already recorded with this value (a switch in a loop: its
 * neighbours are in the table already; only the round-robin case is not
 * renewed). */
CFZ_PUBLIC void __sanitizer_cov_trace_switch(uint64_t val, uint64_t *cases) {
  unsigned k = switch_slot(cases);
  const switch_info *s = &switch_cache[k];
  if (s->cases == cases &&
      (!s->signal ||
       (switch_last[k].val == val && switch_last[k].gen == cfz_cmp_hot.gen)))
    return;
  switch_record(val, cases, (uintptr_t)__builtin_return_address(0));
}

/* Division: a zero divisor is the interesting value. */
CFZ_PUBLIC void __sanitizer_cov_trace_div4(uint32_t val) {
  if (cfz_cmp_on && val != 0)
    record_int((uintptr_t)__builtin_return_address(0), val, 0, 4, 1, 1);
}
CFZ_PUBLIC void __sanitizer_cov_trace_div8(uint64_t val) {
  if (cfz_cmp_on && val != 0)
    record_int((uintptr_t)__builtin_return_address(0), val, 0, 8, 1, 1);
}
CFZ_PUBLIC void __sanitizer_cov_trace_gep(uintptr_t idx) { (void)idx; }
/* Indirect calls: the (call site, callee) pair is a feature, so that a
 * function pointer table filled step by step shows each new target.
 * Real code makes the same indirect call over and over in a loop (a
 * decoder's fill-buffer callback, a parser's handler table): a small
 * direct-mapped cache of the pairs already set in this execution (raw
 * addresses, tagged with the execution's generation) answers a repeat with
 * one load and compare, instead of two module lookups, two hashes and a
 * bit test (a JPEG decoder spent 23 % of its time here before).  The hit
 * path tests one flag of cfz_cmp_hot and needs no stack frame; the cache
 * has room for a parser's handler tables (with 64 entries and a stack
 * frame, expat's and libxml2's callback took 2-3 times libFuzzer's time per
 * execution, docs/performance.md). */
#define INDIR_BITS_CACHE 8u
#define INDIR_CACHE (1u << INDIR_BITS_CACHE)
static struct {
  uintptr_t caller, callee;
  uint32_t gen;
} indir_seen[INDIR_CACHE];

static CFZ_NO_COVERAGE __attribute__((noinline)) void
indir_new(uintptr_t caller, uintptr_t callee, unsigned k) {
  indir_seen[k].caller = caller;
  indir_seen[k].callee = callee;
  indir_seen[k].gen = cfz_cmp_hot.gen;
  uint32_t h = hash_pc(cfz_pc_rel(caller)) ^
               (hash_pc(cfz_pc_rel(callee) ^ 0x7f4a7c15u) >> 7);
  extra_set(INDIR_BASE, INDIR_BITS, h);
}

CFZ_PUBLIC void __sanitizer_cov_trace_pc_indir(uintptr_t callee) {
  if (!cfz_cmp_hot.indir)
    return;
  uintptr_t caller = (uintptr_t)__builtin_return_address(0);
  unsigned k =
      (unsigned)(((uint64_t)(caller ^ (callee << 7)) * 0x9e3779b97f4a7c15ULL) >>
                 (64u - INDIR_BITS_CACHE));
  if (indir_seen[k].caller == caller && indir_seen[k].callee == callee &&
      indir_seen[k].gen == cfz_cmp_hot.gen)
    return;
  indir_new(caller, callee, k);
}

/* Half of the picks are uniform; the other half try a few random entries
 * and take the first one recorded by the latest execution. */
#define RECENT_TRIES 8

bool cfz_cmp_pick_int(cfz_rng *r, uint64_t *a, uint64_t *b, unsigned *size) {
  size_t n = int_nfilled;
  if (n == 0)
    return false;
  const int_entry *e = &int_tab[int_filled[cfz_rng_below(r, n)]];
  if (cfz_rng_next(r) & 1)
    for (int t = 0; t < RECENT_TRIES && e->gen != cfz_cmp_hot.gen; t++)
      e = &int_tab[int_filled[cfz_rng_below(r, n)]];
  *a = e->a;
  *b = e->b;
  *size = e->size;
  if (!e->is_const && (cfz_rng_next(r) & 1)) {
    *a = e->b;
    *b = e->a;
  }
  return true;
}

/* ---- byte-string table ---- */

CFZ_NO_COVERAGE int cfz_cmp_plain_memcmp(const void *s1, const void *s2,
                                         size_t n) {
  const unsigned char *a = s1, *b = s2;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t x, y;
    memcpy(&x, a + i, 8);
    memcpy(&y, b + i, 8);
    if (x != y)
      break;
  }
  for (; i < n; i++)
    if (a[i] != b[i])
      return a[i] < b[i] ? -1 : 1;
  return 0;
}

CFZ_NO_COVERAGE void cfz_cmp_record_bytes(uintptr_t pc, const void *a,
                                          size_t alen, const void *b,
                                          size_t blen, int ordered) {
  pc = cfz_pc_rel(pc);
  if (alen > CFZ_CMP_MAX_BYTES)
    alen = CFZ_CMP_MAX_BYTES;
  if (blen > CFZ_CMP_MAX_BYTES)
    blen = CFZ_CMP_MAX_BYTES;
  if (value_profile)
    vp_bytes(pc, a, alen, b, blen);
  if (blen == 0)
    return;
  if (alen == blen && cfz_cmp_plain_memcmp(a, b, alen) == 0) {
    count_hit(pc ^ 0x5bd1e995u);
    return;
  }
  unsigned slot = (hash_pc(pc) * BYTES_WAYS + (bytes_roll++ % BYTES_WAYS)) &
                  (BYTES_SLOTS - 1);
  bytes_entry *e = &bytes_tab[slot];
  if (!e->used) {
    size_t k = bytes_nfilled;
    if (k < BYTES_SLOTS) {
      bytes_filled[k] = (uint16_t)slot;
      bytes_nfilled = k + 1;
    }
  }
  memcpy(e->a, a, alen);
  memcpy(e->b, b, blen);
  e->alen = (uint8_t)alen;
  e->blen = (uint8_t)blen;
  e->ordered = (uint8_t)ordered;
  e->gen = cfz_cmp_hot.gen;
  e->used = 1;
}

bool cfz_cmp_pick_bytes(cfz_rng *r, uint8_t *a, size_t *alen, uint8_t *b,
                        size_t *blen) {
  size_t n = bytes_nfilled;
  if (n == 0)
    return false;
  const bytes_entry *e = &bytes_tab[bytes_filled[cfz_rng_below(r, n)]];
  if (cfz_rng_next(r) & 1)
    for (int t = 0; t < RECENT_TRIES && e->gen != cfz_cmp_hot.gen; t++)
      e = &bytes_tab[bytes_filled[cfz_rng_below(r, n)]];
  const uint8_t *x = e->a, *y = e->b;
  size_t xl = e->alen, yl = e->blen;
  if (!e->ordered && e->alen != 0 && (cfz_rng_next(r) & 1)) {
    x = e->b;
    y = e->a;
    xl = e->blen;
    yl = e->alen;
  }
  memcpy(a, x, xl);
  *alen = xl;
  memcpy(b, y, yl);
  *blen = yl;
  return true;
}
