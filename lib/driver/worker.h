/* worker.h - one worker process incarnation, driven on the libuv loop.
 *
 * cfz_worker_spawn starts the target executable with the protocol fds of
 * docs/protocol.md (3: requests, 4: responses, 5: per-worker shm, 6: global
 * coverage), in its own session, with its stdout/stderr written to an
 * in-memory file whose tail is kept in a ring buffer (output_file.h), and
 * sends the hello request at once.  Then:
 *   on_response  fires for each response frame (the first is hello's);
 *   on_exit      fires once, when the process is gone, with the cause.
 * While a request is in flight the worker is watched: no change of the shm
 * exec_count within timeout_ms is a hang, resident memory above rss_limit_mb
 * is out-of-memory; either kills the process group with SIGKILL.
 * After on_exit the owner calls cfz_worker_free (handles close asynchronously).
 */
#ifndef CFZ_WORKER_H
#define CFZ_WORKER_H

#include <jansson.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

typedef struct cfz_worker cfz_worker;

typedef enum cfz_exit_cause {
  CFZ_EXIT_SELF,     /* the process ended on its own */
  CFZ_EXIT_HANG,     /* killed: no progress within the timeout */
  CFZ_EXIT_OOM,      /* killed: resident memory above the limit */
  CFZ_EXIT_PROTOCOL, /* killed: it broke the protocol (message says how) */
  CFZ_EXIT_STOPPED,  /* stopped or killed on the owner's request */
} cfz_exit_cause;

typedef struct cfz_worker_exit {
  cfz_exit_cause cause;
  int64_t exit_status;
  int term_signal;
  bool busy;         /* a request was in flight */
  bool handshake;    /* hello had been answered */
  uint64_t rss_mb;   /* for CFZ_EXIT_OOM */
  char message[512]; /* for CFZ_EXIT_PROTOCOL */
} cfz_worker_exit;

typedef struct cfz_worker_events {
  void (*on_response)(cfz_worker *w, void *ctx, json_t *response);
  void (*on_exit)(cfz_worker *w, void *ctx, const cfz_worker_exit *e);
  /* A line for the user: a system call that failed without ending the
   * worker (e.g. "cfz: kill process group 12: Operation not permitted").
   * NULL: the line goes to stderr. */
  void (*on_log)(cfz_worker *w, void *ctx, const char *line);
} cfz_worker_events;

typedef struct cfz_worker_config {
  const char *path;        /* target executable */
  const char *target_name; /* CFZ_TARGET, or NULL */
  int shm_fd, coverage_fd;
  _Atomic uint64_t *exec_count; /* in shm_fd's mapping, for the watchdog */
  uint64_t timeout_ms;          /* per-input hang timeout (0: none) */
  uint64_t startup_timeout_ms;
  uint64_t rss_limit_mb;    /* 0: none */
  uint64_t malloc_limit_mb; /* ASan's max_allocation_size_mb; 0: none */
  json_t *hello;            /* the hello request to send (borrowed) */
  bool probe; /* CFZ_PROBE=1: without target_name, the first target answers */
} cfz_worker_config;

/* Returns the worker, or NULL with e.g. "spawn ./t: No such file or
 * directory" in err. */
cfz_worker *cfz_worker_spawn(uv_loop_t *loop, const cfz_worker_config *cfg,
                             const cfz_worker_events *ev, void *ctx, char *err,
                             size_t errlen);
/* Sends a request (the worker must be idle).  Returns 0 or -1. */
int cfz_worker_send(cfz_worker *w, json_t *request);
bool cfz_worker_busy(const cfz_worker *w);
int cfz_worker_pid(const cfz_worker *w);
/* Ends the process: SIGKILL to its process group; on_exit reports
 * CFZ_EXIT_STOPPED unless the process had already died. */
void cfz_worker_kill(cfz_worker *w);
/* Asks an idle worker to exit by closing its request pipe; kills it if it is
 * still alive after grace_ms. */
void cfz_worker_stop(cfz_worker *w, uint64_t grace_ms);
/* The captured stdout/stderr tail (malloc'd copy; NULL on ENOMEM). */
char *cfz_worker_output(cfz_worker *w);
/* Closes handles and frees the worker once they are closed.  Call only
 * after on_exit. */
void cfz_worker_free(cfz_worker *w);

#endif
