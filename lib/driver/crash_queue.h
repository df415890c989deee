/* crash_queue.h - the failures of a run, as a plain data structure.
 *
 * One failure is handled at a time (it is the current one: minimized, then
 * written).  With --keep-going, a failure with a signature already seen (the
 * current one, a queued one, or one done) is a duplicate and only counts;
 * a new one waits in the queue; each one done is remembered for the final
 * summary.  Without --keep-going, every failure after the first is dropped
 * and counted in `others`.  The queue calls nothing back: the caller acts
 * on what add and next return. */
#ifndef CFZ_CRASH_QUEUE_H
#define CFZ_CRASH_QUEUE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "failure.h"

typedef struct cfz_crash {
  cfz_failure fail;
  bool death;      /* it killed the process */
  bool fail_known; /* fail describes it (cfz minimize: not until it ran) */
  char *output;    /* captured output of its report (owned) */
  uint8_t *wire;   /* best known crasher (owned) */
  size_t len;
  char path[PATH_MAX]; /* where it is written ("" if it could not be) */
  unsigned count;      /* times it was seen */
  /* when it was found: the run's executions so far (the failing one
   * included) and the time since the run started */
  uint64_t found_execs, found_ms;
  uint64_t rss_mb; /* out of memory: what the worker used */
  /* the replay in a fresh worker before it is minimized and reported */
  bool replaying; /* it has not ended yet */
  bool flaky;     /* it passed: written under a flaky- name, not minimized */
  /* minimization in progress (the caller's bookkeeping) */
  bool minimizing;
  uint64_t execs, deadline_ns;
  int min_slot;    /* the worker minimizing it, -1 when none */
  int resume_slot; /* the worker that last minimized it in death mode: its
                      header holds the resume token (-1: none) */
  int report_slot; /* its output is taken when this worker exits */
} cfz_crash;

/* A failure done: what the summary shows. */
typedef struct cfz_distinct {
  cfz_failure fail; /* kind, bug type, frame: its title */
  char signature[1024];
  char message[512];
  char path[PATH_MAX];
  unsigned count;
} cfz_distinct;

typedef enum cfz_crash_verdict {
  CFZ_CRASH_DUPLICATE,     /* seen before (or dropped): nothing to do */
  CFZ_CRASH_QUEUED,        /* new; waits until the current one is done */
  CFZ_CRASH_MINIMIZE_NOW,  /* new; it is the current one now */
  CFZ_CRASH_OUT_OF_MEMORY, /* new, but could not be stored */
} cfz_crash_verdict;

typedef struct cfz_crash_queue {
  bool keep_going;
  bool active; /* current holds a failure */
  cfz_crash current;
  cfz_crash *pending; /* --keep-going: queued, oldest first */
  size_t npending;
  cfz_distinct *done; /* --keep-going: failures done */
  size_t ndone;
  unsigned others; /* dropped (not --keep-going) */
} cfz_crash_queue;

void cfz_crashq_init(cfz_crash_queue *q, bool keep_going);
void cfz_crashq_free(cfz_crash_queue *q);
void cfz_crash_free(cfz_crash *c);

/* True when f is a duplicate (and counts it): a failure is being handled
 * without --keep-going, or its signature was seen with it. */
bool cfz_crashq_seen(cfz_crash_queue *q, const cfz_failure *f);
/* Adds a new failure (not seen): takes ownership of c's buffers.  On
 * QUEUED and MINIMIZE_NOW *stored points at the stored copy (valid until
 * the next add or next). */
cfz_crash_verdict cfz_crashq_add(cfz_crash_queue *q, const cfz_crash *c,
                                 cfz_crash **stored);
/* The current or a queued failure with f's signature, or NULL. */
cfz_crash *cfz_crashq_find(cfz_crash_queue *q, const cfz_failure *f);
/* The current failure is done: remembers it (--keep-going), frees it, and
 * makes the oldest queued failure current.  Returns it, or NULL. */
cfz_crash *cfz_crashq_next(cfz_crash_queue *q);

#endif
