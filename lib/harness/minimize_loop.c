/* minimize_loop.c - shrink the crasher in the value area (minimize_loop.h).
 */
#include "minimize_loop.h"

#include <stdio.h>
#include <string.h>

#include "fuzz_loop.h"
#include "minimizers.h"
#include "wire.h"

/* The resume token in the header: magic, hash of the candidate's wire,
 * then the cursor (minimize_loop.h). */
#define RESUME_MAGIC 0x3173657232696d63ULL /* "cmi2res1" */

static uint64_t wire_hash(const uint8_t *p, uint64_t len) {
  uint64_t h = 0xcbf29ce484222325ULL ^ len;
  for (uint64_t i = 0; i < len; i++)
    h = (h ^ p[i]) * 0x100000001b3ULL;
  return h;
}

static void resume_store(cfz_shm_header *hdr, uint64_t hash,
                         const cfz_min_cursor *c) {
  uint64_t *r = hdr->minimize_resume;
  r[0] = 0; /* invalid while half written */
  r[1] = hash;
  r[2] = (uint64_t)c->param | (uint64_t)c->stage << 32;
  r[3] = c->size;
  r[4] = c->pos;
  r[5] = (uint64_t)c->round | (uint64_t)c->flags << 32;
  r[6] = c->run;
  r[0] = RESUME_MAGIC;
}

/* True (and *c set) when the token was left for the value area's input. */
static bool resume_load(const cfz_shm_view *shm, cfz_min_cursor *c) {
  const uint64_t *r = shm->hdr->minimize_resume;
  uint64_t len = shm->hdr->value_len;
  if (r[0] != RESUME_MAGIC || len > shm->hdr->value_capacity ||
      r[1] != wire_hash(cfz_shm_value(shm->base), len))
    return false;
  *c = (cfz_min_cursor){.param = (uint32_t)r[2],
                        .stage = (uint32_t)(r[2] >> 32),
                        .size = r[3],
                        .pos = r[4],
                        .round = (uint32_t)r[5],
                        .flags = (uint32_t)(r[5] >> 32),
                        .run = r[6]};
  return true;
}

typedef struct min_ctx {
  const cfz_target *t;
  const cfz_shm_view *shm;
  const cfz_minimize_args *a;
  uint64_t execs;
  uint64_t deadline;          /* 0: none */
  cfz_min_cursor if_accepted; /* from the last checkpoint */
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

static void checkpoint(void *p, const cfz_min_cursor *if_accepted) {
  min_ctx *c = p;
  c->if_accepted = *if_accepted;
}

static bool try_candidate(void *p, const cfz_value *cand, size_t n) {
  min_ctx *c = p;
  cfz_shm_header *hdr = c->shm->hdr;
  uint8_t *aux = cfz_shm_aux(c->shm->base);
  size_t len = cfz_wire_encode(cand, n, aux, (size_t)hdr->value_capacity);
  if (len == 0)
    return false;
  hdr->aux_len = len;
  if (c->a->death) /* should it kill us, resume after it */
    resume_store(hdr, wire_hash(aux, len), &c->if_accepted);
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
  cfz_min_cursor from;
  bool resume = a->death && resume_load(shm, &from);
  shm->hdr->minimize_resume[0] = 0;
  cfz_minimize_ops ops = {try_candidate, should_stop, checkpoint, &c};
  if (!should_stop(&c) &&
      cfz_minimize_values_from(&vals, &ops, resume ? &from : NULL, NULL) > 0)
    r->status = CFZ_MIN_MINIMIZED;
  shm->hdr->minimize_resume[0] = 0; /* returned: nothing to resume */
done:
  cfz_values_free(&vals);
  r->execs = c.execs;
  r->duration_ns = cfz_now_ns() - start;
  return 0;
}
