/* minimize_loop.c - shrink the crasher in the value area (minimize_loop.h).
 */
#include "minimize_loop.h"

#include <stdio.h>
#include <string.h>

#include "fuzz_loop.h"
#include "minimizers.h"
#include "wire.h"

typedef struct min_ctx {
  const cfz_target *t;
  const cfz_shm_view *shm;
  const cfz_minimize_args *a;
  uint64_t execs;
  uint64_t deadline; /* 0: none */
} min_ctx;

/* The last failure message seen while minimizing. */
static char g_message[CFZ_MESSAGE_MAX + 4];

static void keep_message(void) {
  snprintf(g_message, sizeof g_message, "%s", cfz_exec_message());
}

static bool should_stop(void *p) {
  min_ctx *c = p;
  if (c->a->max_execs && c->execs >= c->a->max_execs)
    return true;
  return c->deadline && cfz_now_ns() >= c->deadline;
}

static bool try_candidate(void *p, const cfz_value *cand, size_t n) {
  min_ctx *c = p;
  cfz_shm_header *hdr = c->shm->hdr;
  uint8_t *aux = cfz_shm_aux(c->shm->base);
  size_t len = cfz_wire_encode(cand, n, aux, (size_t)hdr->value_capacity);
  if (len == 0)
    return false;
  hdr->aux_len = len;
  c->execs++;
  cfz_outcome o = cfz_exec_counted(c->t, hdr, CFZ_SHM_RUNNING_AUX, cand);
  if (c->a->death || o != CFZ_OUTCOME_FAILURE)
    return false;
  keep_message();
  memcpy(cfz_shm_value(c->shm->base), aux, len);
  hdr->value_len = len;
  return true;
}

int cfz_minimize_batch(const cfz_target *t, const cfz_shm_view *shm,
                       const cfz_minimize_args *a, cfz_minimize_result *r,
                       char *err, size_t errlen) {
  uint64_t start = cfz_now_ns();
  *r = (cfz_minimize_result){.status = CFZ_MIN_UNCHANGED, .message = g_message};
  g_message[0] = '\0';
  cfz_values vals;
  if (cfz_fuzz_decode_area(t, shm, false, &vals, err, errlen) != 0)
    return -1;
  min_ctx c = {.t = t,
               .shm = shm,
               .a = a,
               .deadline = a->max_ms ? start + a->max_ms * 1000000u : 0};
  if (!a->death) {
    c.execs++;
    cfz_outcome o =
        cfz_exec_counted(t, shm->hdr, CFZ_SHM_RUNNING_VALUE, vals.v);
    if (o != CFZ_OUTCOME_FAILURE) {
      r->status = CFZ_MIN_NOT_REPRODUCED;
      goto done;
    }
    keep_message();
  }
  if (!should_stop(&c) &&
      cfz_minimize_values(&vals, try_candidate, should_stop, &c) > 0)
    r->status = CFZ_MIN_MINIMIZED;
done:
  cfz_values_free(&vals);
  r->execs = c.execs;
  r->duration_ns = cfz_now_ns() - start;
  return 0;
}
