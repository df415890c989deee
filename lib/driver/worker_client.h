/* worker_client.h - one worker slot: its process incarnations and its shared
 * memory, spoken to through docs/protocol.md.
 *
 * The client is the only driver code that touches a worker's shared memory:
 * it writes inputs into the value and aux areas, resets the counters before
 * each request, and copies inputs out, bounds-checked against its own copy
 * of the capacity (never the worker-writable header).  Everything that
 * happens to the worker reaches the owner as one cfz_client_result through
 * one callback: a response (with its result and, where one matters, the
 * input already copied out), an internal error, or the process's end (a
 * death while running an input, a hang, out-of-memory, a protocol error, or
 * an exit while idle / stopped / before the handshake).
 *
 * After an exit event the process is gone (cfz_client_running is false);
 * the owner may cfz_client_start it again.  The region is re-initialised at
 * every start. */
#ifndef CFZ_WORKER_CLIENT_H
#define CFZ_WORKER_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "protocol.h"
#include "worker.h"

typedef struct cfz_client cfz_client;

typedef enum cfz_job {
  CFZ_JOB_NONE,
  CFZ_JOB_HELLO,
  CFZ_JOB_SEED,
  CFZ_JOB_EXEC,
  CFZ_JOB_FUZZ,
  CFZ_JOB_MINIMIZE
} cfz_job;

typedef enum cfz_client_kind {
  CFZ_CLIENT_RESPONSE, /* answered: result, message, execs; hello for HELLO */
  CFZ_CLIENT_ERROR,    /* answered {"ok":false}: message (worker still up) */
  CFZ_CLIENT_DEATH,    /* died (signal or exit) while running an input */
  CFZ_CLIENT_HANG,     /* killed: no progress within the timeout */
  CFZ_CLIENT_OOM,      /* killed: resident memory above the limit */
  CFZ_CLIENT_PROTOCOL, /* killed: it broke the protocol (message says how) */
  CFZ_CLIENT_EXIT,     /* gone while idle, on request, or before hello */
} cfz_client_kind;

/* Which area was running when the process died (minimize). */
typedef enum cfz_running {
  CFZ_RUNNING_NONE,
  CFZ_RUNNING_VALUE, /* the value area's input */
  CFZ_RUNNING_AUX,   /* a minimization candidate in the aux area */
} cfz_running;

typedef struct cfz_client_result {
  cfz_client_kind kind;
  cfz_job job;            /* the request in flight (CFZ_JOB_NONE: none) */
  uint64_t execs;         /* executions this request ran */
  uint64_t base_ns;       /* FUZZ: mean ns per execution on the base, 0 when
                             none; the worker's word, at most its batch's
                             duration (checked), nothing more */
  cfz_result result;      /* RESPONSE */
  const char *message;    /* RESPONSE: failure text ("" if none); ERROR,
                             PROTOCOL: what went wrong */
  const cfz_hello *hello; /* RESPONSE to HELLO; NULL when the handshake was
                             refused or unreadable (message says why) */
  /* The input, copied out: seed (SEED), the new or failing input (FUZZ),
   * the best crasher (MINIMIZE "minimized"), the input that was running
   * (DEATH/HANG/OOM; the candidate when running is AUX).  NULL when none.
   * Owned by the result: take it by setting the pointer to NULL. */
  uint8_t *input;
  size_t input_len;
  cfz_running running; /* exits during MINIMIZE */
  /* NEW: the feature snapshot; valid during the callback only. */
  const uint8_t *features;
  size_t nfeatures;
  char *output; /* the captured output tail on exits and failures (owned, take
                   it by setting NULL); NULL otherwise */
  const cfz_worker_exit *exit; /* exits: status, signal, cause details */
  int pid;                     /* the process's id */
} cfz_client_result;

typedef void (*cfz_client_cb)(cfz_client *cl, void *ctx, cfz_client_result *r);

typedef struct cfz_client_config {
  const char *path;        /* target executable */
  const char *target_name; /* CFZ_TARGET, or NULL */
  int coverage_fd;         /* the global coverage map */
  size_t capacity;         /* bytes of each of the value and aux areas */
  uint64_t timeout_ms, startup_timeout_ms;
  uint64_t rss_limit_mb, malloc_limit_mb;
  cfz_request hello; /* the hello request (dict borrowed) */
  bool probe;        /* CFZ_PROBE=1: the first target answers */
  /* Lines for the user that are no event (a failed kill or prctl: the
   * worker goes on); ctx is the client's.  NULL: stderr. */
  void (*log)(void *ctx, const char *line);
} cfz_client_config;

typedef struct cfz_fuzz_job {
  const uint8_t *base; /* the input to mutate */
  size_t base_len;
  const uint8_t *aux; /* a splice partner, or NULL */
  size_t aux_len;
  uint64_t max_execs, max_ms, seed, max_len;
} cfz_fuzz_job;

/* Creates the slot and its shared memory (no process yet).  Returns NULL
 * with a message in err. */
cfz_client *cfz_client_new(uv_loop_t *loop, const cfz_client_config *cfg,
                           cfz_client_cb cb, void *ctx, char *err,
                           size_t errlen);
/* Starts a process; hello is in flight at once.  Returns 0, or -1 with e.g.
 * "spawn ./t: No such file or directory" in err. */
int cfz_client_start(cfz_client *cl, char *err, size_t errlen);

/* Requests; the client must be idle.  Each returns 0, or -1 when the
 * input does not fit or the request cannot be sent (the process is then
 * killed; its exit follows). */
int cfz_client_seed(cfz_client *cl, uint64_t index);
int cfz_client_exec(cfz_client *cl, const uint8_t *wire, size_t len);
int cfz_client_fuzz(cfz_client *cl, const cfz_fuzz_job *job);
int cfz_client_minimize(cfz_client *cl, const uint8_t *wire, size_t len,
                        uint64_t max_execs, uint64_t max_ms, bool death);

/* Copies the minimizer's resume token that from's processes left in its
 * header to cl's (docs/protocol.md): a minimization moved to another slot
 * resumes where it stood.  The token is opaque here; the worker checks it
 * against the value it is given.  Neither client may have a request in
 * flight. */
void cfz_client_take_resume(cfz_client *cl, const cfz_client *from);

/* The value area's input now (e.g. the best crasher of a minimization in
 * flight), malloc'd.  Returns 0, or -1 when it is out of bounds or memory
 * runs out. */
int cfz_client_copy_value(const cfz_client *cl, uint8_t **out, size_t *len);

bool cfz_client_running(const cfz_client *cl); /* a process exists */
bool cfz_client_idle(const cfz_client *cl);    /* handshake done, no request */
cfz_job cfz_client_job(const cfz_client *cl);
int cfz_client_pid(const cfz_client *cl);
size_t cfz_client_capacity(const cfz_client *cl);

/* Kills the process group (exit event CFZ_CLIENT_EXIT follows). */
void cfz_client_kill(cfz_client *cl);
/* Asks the process to exit, killing it after grace_ms. */
void cfz_client_stop(cfz_client *cl, uint64_t grace_ms);
/* Frees the slot; only while no process runs. */
void cfz_client_free(cfz_client *cl);

#endif
