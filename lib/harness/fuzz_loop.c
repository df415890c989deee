/* fuzz_loop.c - mutate, run, check coverage, in a tight loop (fuzz_loop.h).
 */
#include "fuzz_loop.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base_pool.h"
#include "cmp_trace.h"
#include "coverage.h"
#include "features_off.h"
#include "wire.h"

/* Give up on a batch whose mutations never fit the value area. */
#define CFZ_MAX_UNFIT_IN_A_ROW 100000u

/* Length control (as libFuzzer's -len_control=100): a mutation may make the
 * input's bytes/string values longer than its base only up to len_limit,
 * which starts at CFZ_LEN_START and grows by log2 of itself each time this
 * worker ran CFZ_LEN_CONTROL * log2(limit) inputs without finding anything
 * new.  Short inputs run faster and each mutation matters more; the limit
 * grows as soon as short inputs stop paying.  The value area (max_len)
 * stays the hard bound. */
#define CFZ_LEN_START 4u
#define CFZ_LEN_CONTROL 100u
static size_t len_limit = CFZ_LEN_START;
static uint64_t len_stale; /* executions since this worker's last find */
/* Executions since a batch without distance features last found something
 * (cmp_trace.h: distances are scheduled when plain coverage stalls). */
static uint64_t plain_stale;

/* Base rotation (base_pool.h): every CFZ_ROTATE_EXECS executions a plain
 * batch switches its base to an input of the worker's pool (the driver's
 * base among them) and its splice partner to another one. */
#define CFZ_ROTATE_EXECS 8u

static size_t log2_floor(size_t x) {
  return x < 2 ? 1 : (size_t)(63 - __builtin_clzll((unsigned long long)x));
}

static size_t bytes_len(const cfz_value *v, size_t n) {
  size_t total = 0;
  for (size_t i = 0; i < n; i++)
    if (v[i].type == CFZ_BYTES || v[i].type == CFZ_STRING)
      total += v[i].v.bytes.len;
  return total;
}

static void len_account(bool found) {
  if (found) {
    len_stale = 0;
    return;
  }
  if (++len_stale > CFZ_LEN_CONTROL * log2_floor(len_limit)) {
    len_limit += log2_floor(len_limit);
    len_stale = 0;
  }
}

size_t cfz_fuzz_len_limit(void) { return len_limit; }

uint64_t cfz_now_ns(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
    perror("cfz: clock_gettime(CLOCK_MONOTONIC)");
    abort();
  }
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int cfz_fuzz_decode_area(const cfz_target *t, const cfz_shm_view *shm, bool aux,
                         cfz_values *out, char *err, size_t errlen) {
  const char *name = aux ? "aux area" : "value area";
  uint64_t len = aux ? shm->hdr->aux_len : shm->hdr->value_len;
  if (len > shm->hdr->value_capacity) {
    snprintf(err, errlen, "%s: length %llu exceeds its capacity %llu", name,
             (unsigned long long)len,
             (unsigned long long)shm->hdr->value_capacity);
    return -1;
  }
  const uint8_t *p = aux ? cfz_shm_aux(shm->base) : cfz_shm_value(shm->base);
  *out = (cfz_values){0};
  if (cfz_wire_decode(p, (size_t)len, t->params, t->nparams, out) != 0) {
    snprintf(err, errlen,
             "%s: %llu bytes do not decode as the parameters of %s", name,
             (unsigned long long)len, t->name);
    return -1;
  }
  return 0;
}

bool cfz_fuzz_take_new(const cfz_shm_view *shm) {
  if (shm->no_feedback || !cfz_cov_has_new(shm->global))
    return false;
  shm->hdr->feature_len =
      cfz_cov_snapshot(cfz_shm_features(shm->base), CFZ_MAX_FEATURES);
  return true;
}

/* Sets the driver's base (kept decoded in *base for the batch) and splice
 * partner, and adds both to the pool; *base_k gets the base's pool index
 * (SIZE_MAX: not in the pool). */
static int set_inputs(const cfz_target *t, const cfz_shm_view *shm,
                      cfz_mutator *m, bool aux, cfz_values *base, cfz_rng *prng,
                      size_t *base_k, char *err, size_t errlen) {
  cfz_values other;
  if (cfz_fuzz_decode_area(t, shm, false, base, err, errlen) != 0)
    return -1;
  if (cfz_mutator_set_base(m, base->v) != 0) {
    cfz_values_free(base);
    snprintf(err, errlen, "the mutator rejected the base input");
    return -1;
  }
  const uint8_t *wire = cfz_shm_value(shm->base);
  size_t len = (size_t)shm->hdr->value_len;
  *base_k = cfz_pool_add(wire, len, prng);
  if (!aux) {
    cfz_mutator_set_splice(m, NULL);
    return 0;
  }
  if (cfz_fuzz_decode_area(t, shm, true, &other, err, errlen) != 0) {
    cfz_values_free(base);
    return -1;
  }
  cfz_pool_add(cfz_shm_aux(shm->base), (size_t)shm->hdr->aux_len, prng);
  /* A full pool made room for the partner: the base may have moved. */
  if (*base_k != SIZE_MAX && !cfz_pool_holds(*base_k, wire, len))
    *base_k = cfz_pool_find(wire, len);
  cfz_mutator_set_splice(m, other.v);
  cfz_values_free(&other);
  return 0;
}

/* A pool input (its index in *index, unless NULL) as values pointing into
 * the pool's copy (no allocation: the mutator copies what it keeps); false
 * if there is none or it does not decode. */
static bool pool_view(const cfz_target *t, cfz_rng *prng, cfz_value *view,
                      size_t *index) {
  size_t len;
  const uint8_t *w = cfz_pool_pick(prng, &len, index);
  return w != NULL && cfz_wire_view(w, len, t->params, t->nparams, view) == 0;
}

/* The rotation step: a new base and a new splice partner from the pool
 * (the driver's base, pool index driver_base, when the pool fails), decoded
 * into view (nparams values).  Sets *cur to the new base's pool index;
 * returns its bytes length. */
static size_t rotate(const cfz_target *t, cfz_mutator *m,
                     const cfz_values *base, cfz_value *view, cfz_rng *prng,
                     size_t *cur, size_t driver_base) {
  size_t len, k = SIZE_MAX;
  if (pool_view(t, prng, view, &k) && cfz_mutator_set_base(m, view) == 0) {
    len = bytes_len(view, t->nparams);
    *cur = k;
    cfz_pool_note_pick(k);
  } else {
    cfz_mutator_set_base(m, base->v);
    len = bytes_len(base->v, base->n);
    *cur = driver_base;
  }
  if (pool_view(t, prng, view, NULL))
    cfz_mutator_set_splice(m, view);
  return len;
}

/* The slow-input rule's measurement (exec_cost.h, base_pool.h): the
 * executions of a window, from one rotation to the next (or the batch's
 * end), ran on one base or its mutants; their mean time is noted for that
 * base.  One clock read per rotation. */
typedef struct cost_window {
  size_t driver_base; /* the driver's base in the pool; SIZE_MAX: none */
  size_t base;        /* the window's base in the pool; SIZE_MAX: none */
  uint64_t start;     /* the clock at its start */
  uint64_t execs;     /* the batch's executions at its start (the last
                         rotation) */
  uint64_t first_ns;  /* the first window's mean: the driver's base */
  bool first;
} cost_window;

/* Stand-ins (base_pool.h): while the window's base is slow, each
 * execution is timed (two clock reads: little next to 50 us or more); a
 * mutant that covers nothing new but hits as many edges as the base in at
 * most `limit` ns joins the pool. */
typedef struct standin {
  uint64_t limit; /* 0: not looking (the base is not slow, or unknown) */
  uint32_t edges; /* the base's */
} standin;

static standin standin_for(size_t base) {
  standin s = {0, 0};
  s.limit = cfz_pool_standin_limit(base, &s.edges);
  return s;
}

/* Executions of this process before its batch; windows that start before
 * CFZ_COST_WARMUP are not measured: a fresh worker's first executions
 * fault in its memory and caches (600 us an execution measured where
 * later ones take 3 us). */
#define CFZ_COST_WARMUP 256u
static uint64_t process_execs;

/* CFZ_FEATURES_OFF=slow: no window is measured, so no input is ever slow
 * and a seeded run never depends on the clock (docs/usage.md,
 * "Reproducible runs"). */
static bool slow_rule_off(void) {
  static int off = -1;
  if (off < 0)
    off = cfz_feature_off("slow");
  return off != 0;
}

static void close_window(cost_window *w, uint64_t now, uint64_t execs) {
  uint64_t n = execs - w->execs;
  if (n > 0 && process_execs + w->execs >= CFZ_COST_WARMUP &&
      !slow_rule_off()) {
    uint64_t ns = (now - w->start) / n;
    cfz_pool_note_cost(w->base, ns);
    if (w->first)
      w->first_ns = ns;
  }
  w->first = false;
  w->start = now;
  w->execs = execs;
}

/* Before an input joins the pool: adding may move pool indices, so the
 * window is closed and the rest of the batch notes no cost. */
static void close_window_for_add(cost_window *w, uint64_t now, uint64_t execs) {
  close_window(w, now, execs);
  w->base = w->driver_base = SIZE_MAX;
}

/* The first window: on the driver's base (pool index k; SIZE_MAX: none). */
static cost_window open_window(size_t k) {
  return (cost_window){k, k, cfz_now_ns(), 0, 0, true};
}

/* The batch's end: its last window, and the result's counts and times. */
static void end_batch(cost_window *w, uint64_t start, uint64_t execs,
                      cfz_fuzz_result *r) {
  uint64_t now = cfz_now_ns();
  close_window(w, now, execs);
  process_execs += execs;
  r->execs = execs;
  r->duration_ns = now - start;
  r->base_ns = w->first_ns;
}

/* Adds a find to the pool with its counter snapshot (the feature area less
 * the extra region at its end: feature_rarity.h counts edges only); returns
 * its index as cfz_pool_add does. */
static size_t pool_add_found(const cfz_shm_view *shm, const uint8_t *wire,
                             size_t len, cfz_rng *prng) {
  size_t n = (size_t)shm->hdr->feature_len;
  size_t extra = cfz_cov_value_profile() ? CFZ_VP_SLOTS + CFZ_STACK_SLOTS : 0;
  return cfz_pool_add_found(wire, len, prng, cfz_shm_features(shm->base),
                            n > extra ? n - extra : 0);
}

/* When to read the clock: at tries where (tries & mask) == 0, the mask
 * grown while tries are fast and shrunk while they are slow, so that the
 * deadline is kept without a clock read per execution. */
typedef struct clock_gate {
  uint64_t deadline; /* 0: none */
  uint64_t last_check, mask;
} clock_gate;

/* True when the deadline has passed (the clock read at this try if due). */
static bool past_deadline(clock_gate *g, uint64_t tries) {
  if (!g->deadline || (tries & g->mask) != 0)
    return false;
  uint64_t now = cfz_now_ns();
  if (now >= g->deadline)
    return true;
  uint64_t dt = now - g->last_check;
  g->last_check = now;
  if (dt < 1000000u && g->mask < 63)
    g->mask = g->mask * 2 + 1;
  else if (dt > 10000000u && g->mask > 0)
    g->mask >>= 1;
  return false;
}

/* Writes v into the shared value area; returns its length, or 0 when it
 * does not fit (longer than its base and than len_limit, or than cap). */
static size_t place_input(const cfz_value *v, size_t n, size_t base_len,
                          uint8_t *area, size_t cap) {
  size_t vlen = bytes_len(v, n);
  if (vlen > base_len && vlen > len_limit)
    return 0;
  return cfz_wire_encode(v, n, area, cap);
}

/* Runs v (in the value area).  Returns true, with r->status set, when the
 * batch ends with it: a failure or new coverage. */
static bool run_one(const cfz_target *t, const cfz_shm_view *shm,
                    const cfz_value *v, bool plain, cfz_fuzz_result *r,
                    cfz_outcome *out) {
  cfz_outcome o = cfz_exec_counted(t, shm->hdr, CFZ_SHM_RUNNING_VALUE, v);
  *out = o;
  if (o == CFZ_OUTCOME_FAILURE) {
    r->status = CFZ_FUZZ_FAILURE;
    return true;
  }
  bool is_new = o == CFZ_OUTCOME_NONE && cfz_fuzz_take_new(shm);
  cfz_exec_check_leaks(t, v);
  len_account(is_new);
  plain_stale = is_new && plain ? 0 : plain_stale + 1;
  if (is_new)
    r->status = CFZ_FUZZ_NEW;
  return is_new;
}

int cfz_fuzz_batch(const cfz_target *t, const cfz_shm_view *shm, cfz_mutator *m,
                   const cfz_fuzz_args *a, cfz_fuzz_result *r, char *err,
                   size_t errlen) {
  uint64_t start = cfz_now_ns();
  *r = (cfz_fuzz_result){.status = CFZ_FUZZ_NONE};
  cfz_rng prng;
  cfz_rng_seed(&prng, a->seed ^ 0x2545f4914f6cdd1dULL);
  cfz_values base;
  size_t base_k;
  if (set_inputs(t, shm, m, a->aux, &base, &prng, &base_k, err, errlen) != 0)
    return -1;
  size_t base_len = bytes_len(base.v, base.n);
  cfz_mutator_seed(m, a->seed);
  cfz_exec_defer_leak_checks(true);
  cfz_cmp_batch_begin(a->seed, plain_stale);
  bool plain = !cfz_cmp_value_profile_on();
  /* Distance batches follow a gradient: they stay on the driver's base (the
   * latest "closer" input); plain batches rotate. */
  bool rotating = plain && cfz_pool_size() > 1;
  cfz_value *view = NULL;
  if (rotating && !(view = calloc(t->nparams ? t->nparams : 1, sizeof *view)))
    rotating = false; /* out of memory: stay on the driver's base */
  shm->hdr->rng_state = a->seed;
  cost_window win = open_window(base_k);
  standin sdn = plain ? standin_for(win.base) : (standin){0, 0};

  cfz_shm_header *hdr = shm->hdr;
  uint8_t *area = cfz_shm_value(shm->base);
  size_t cap = (size_t)hdr->value_capacity;
  clock_gate g = {a->max_ms ? start + a->max_ms * 1000000u : 0, start, 0};
  uint64_t tries = 0, execs = 0, unfit = 0;
  while (!(a->max_execs && execs >= a->max_execs) &&
         !past_deadline(&g, tries)) {
    tries++;
    if (rotating && execs - win.execs >= CFZ_ROTATE_EXECS) {
      close_window(&win, cfz_now_ns(), execs);
      base_len = rotate(t, m, &base, view, &prng, &win.base, win.driver_base);
      sdn = standin_for(win.base);
    }
    const cfz_value *v = cfz_mutator_next(m);
    size_t len = place_input(v, t->nparams, base_len, area, cap);
    if (len == 0) {
      if (++unfit >= CFZ_MAX_UNFIT_IN_A_ROW)
        break;
      continue;
    }
    unfit = 0;
    hdr->value_len = len;
    execs++;
    cfz_outcome o;
    uint64_t t0 = sdn.limit ? cfz_now_ns() : 0;
    if (run_one(t, shm, v, plain, r, &o)) {
      if (r->status == CFZ_FUZZ_NEW) {
        cfz_mutator_keep_tokens(m);
        close_window_for_add(&win, cfz_now_ns(), execs);
        cfz_pool_set_edges(pool_add_found(shm, area, len, &prng),
                           (uint32_t)cfz_cov_edges());
      }
      break;
    }
    if (sdn.limit && o == CFZ_OUTCOME_NONE) {
      uint64_t now = cfz_now_ns();
      size_t edges;
      if (now - t0 <= sdn.limit && (edges = cfz_cov_edges()) >= sdn.edges) {
        size_t slow = win.base;
        close_window_for_add(&win, now, execs);
        cfz_pool_add_standin(slow, area, len, (uint32_t)edges, &prng);
        sdn.limit = 0;
      }
    }
  }
  cfz_exec_defer_leak_checks(false);
  free(view);
  cfz_values_free(&base);
  end_batch(&win, start, execs, r);
  return 0;
}
