/* rounds.c - --deterministic: requests in rounds, answers in slot order
 * (rounds.h). */
#include "rounds.h"

#include <stdlib.h>
#include <string.h>

static bool holdable(const slot *s, const cfz_client_result *r) {
  bool replay = r->job == CFZ_JOB_EXEC && s->replay.running;
  return s->c->rounds && !replay &&
         (r->job == CFZ_JOB_SEED || r->job == CFZ_JOB_EXEC ||
          r->job == CFZ_JOB_FUZZ);
}

/* Keeps r for later: takes what it owns, copies what the client frees. */
static void hold(slot *s, cfz_client_result *r) {
  held_event *h = &s->held;
  h->valid = true;
  h->r = *r;
  r->input = NULL;
  r->output = NULL;
  h->message = r->message ? strdup(r->message) : NULL;
  h->r.message = h->message;
  h->features = NULL;
  if (r->features && r->nfeatures) {
    h->features = malloc(r->nfeatures);
    if (h->features)
      memcpy(h->features, r->features, r->nfeatures);
    else
      h->r.nfeatures = 0;
  }
  h->r.features = h->features;
  if (r->exit) {
    h->exit = *r->exit;
    h->r.exit = &h->exit;
  }
}

static bool round_in_flight(const coord *c) {
  for (unsigned i = 0; i < c->nslots; i++) {
    cfz_job j = cfz_client_job(c->slots[i].cl);
    if (j == CFZ_JOB_SEED || j == CFZ_JOB_EXEC || j == CFZ_JOB_FUZZ)
      return true;
  }
  return false;
}

static bool any_held(const coord *c) {
  for (unsigned i = 0; i < c->nslots; i++)
    if (c->slots[i].held.valid)
      return true;
  return false;
}

static void free_held(held_event *h) {
  h->valid = false;
  free(h->r.input);
  free(h->r.output);
  free(h->message);
  free(h->features);
}

void co_round_drop(coord *c) {
  for (unsigned i = 0; c->slots && i < c->nslots; i++) {
    held_event *h = &c->slots[i].held;
    if (!h->valid)
      continue;
    if (h->r.kind == CFZ_CLIENT_RESPONSE || h->r.kind == CFZ_CLIENT_ERROR ||
        (h->r.exit && h->r.exit->busy))
      c->execs += h->r.execs;
    free_held(h);
  }
}

/* Handles the round's held events in slot order, then the next round. */
static void release_round(coord *c) {
  c->releasing = true;
  for (unsigned i = 0; i < c->nslots; i++) {
    held_event *h = &c->slots[i].held;
    if (!h->valid)
      continue;
    h->valid = false;
    co_handle_event(&c->slots[i], &h->r);
    free_held(h);
  }
  c->releasing = false;
  if (c->phase != PHASE_STOPPING)
    co_dispatch(c);
}

bool co_round_may_start(coord *c) {
  if (!c->rounds || c->phase < PHASE_SEEDS || c->phase > PHASE_FUZZ)
    return true;
  if (c->releasing)
    return false;
  if (any_held(c)) {
    if (!round_in_flight(c))
      release_round(c);
    return false;
  }
  /* A worker still starting (after a death) joins before the round. */
  for (unsigned i = 0; i < c->nslots; i++)
    if (!cfz_client_idle(c->slots[i].cl))
      return false;
  return true;
}

bool co_round_hold(slot *s, cfz_client_result *r) {
  if (!holdable(s, r) || s->c->phase == PHASE_STOPPING)
    return false;
  hold(s, r);
  return true;
}
