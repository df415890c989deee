/* crash_queue.c - the failures of a run (crash_queue.h). */
#include "crash_queue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cfz_crashq_init(cfz_crash_queue *q, bool keep_going) {
  *q = (cfz_crash_queue){.keep_going = keep_going};
}

void cfz_crash_free(cfz_crash *c) {
  free(c->wire);
  free(c->output);
  c->wire = NULL;
  c->output = NULL;
}

void cfz_crashq_free(cfz_crash_queue *q) {
  cfz_crash_free(&q->current);
  for (size_t i = 0; i < q->npending; i++)
    cfz_crash_free(&q->pending[i]);
  free(q->pending);
  free(q->done);
  *q = (cfz_crash_queue){.keep_going = q->keep_going};
}

static bool same_signature(const cfz_failure *f, const char *sig) {
  char other[1024];
  return strcmp(cfz_failure_signature(f, other, sizeof other), sig) == 0;
}

bool cfz_crashq_seen(cfz_crash_queue *q, const cfz_failure *f) {
  if (!q->keep_going) {
    q->others += q->active;
    return q->active;
  }
  char sig[1024];
  cfz_failure_signature(f, sig, sizeof sig);
  for (size_t i = 0; i < q->ndone; i++)
    if (!strcmp(q->done[i].signature, sig)) {
      q->done[i].count++;
      return true;
    }
  if (q->active && same_signature(&q->current.fail, sig)) {
    q->current.count++;
    return true;
  }
  for (size_t i = 0; i < q->npending; i++)
    if (same_signature(&q->pending[i].fail, sig)) {
      q->pending[i].count++;
      return true;
    }
  return false;
}

cfz_crash *cfz_crashq_find(cfz_crash_queue *q, const cfz_failure *f) {
  char sig[1024];
  cfz_failure_signature(f, sig, sizeof sig);
  if (q->active && same_signature(&q->current.fail, sig))
    return &q->current;
  for (size_t i = 0; i < q->npending; i++)
    if (same_signature(&q->pending[i].fail, sig))
      return &q->pending[i];
  return NULL;
}

cfz_crash_verdict cfz_crashq_add(cfz_crash_queue *q, const cfz_crash *c,
                                 cfz_crash **stored) {
  *stored = NULL;
  if (!q->active) {
    q->current = *c;
    q->active = true;
    *stored = &q->current;
    return CFZ_CRASH_MINIMIZE_NOW;
  }
  cfz_crash *p = realloc(q->pending, (q->npending + 1) * sizeof *p);
  if (!p) {
    cfz_crash copy = *c;
    cfz_crash_free(&copy);
    return CFZ_CRASH_OUT_OF_MEMORY;
  }
  q->pending = p;
  p[q->npending] = *c;
  *stored = &p[q->npending++];
  return CFZ_CRASH_QUEUED;
}

static void remember(cfz_crash_queue *q, const cfz_crash *c) {
  cfz_distinct *d = realloc(q->done, (q->ndone + 1) * sizeof *d);
  if (!d)
    return;
  q->done = d;
  d = &d[q->ndone++];
  d->fail = c->fail;
  cfz_failure_signature(&c->fail, d->signature, sizeof d->signature);
  snprintf(d->message, sizeof d->message, "%s", c->fail.message);
  snprintf(d->path, sizeof d->path, "%s", c->path);
  d->count = c->count;
}

cfz_crash *cfz_crashq_next(cfz_crash_queue *q) {
  if (q->active && q->keep_going)
    remember(q, &q->current);
  cfz_crash_free(&q->current);
  memset(&q->current, 0, sizeof q->current);
  q->active = false;
  if (!q->npending)
    return NULL;
  q->current = q->pending[0];
  memmove(q->pending, q->pending + 1, --q->npending * sizeof *q->pending);
  q->active = true;
  return &q->current;
}
