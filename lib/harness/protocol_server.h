/* protocol_server.h - the worker side of docs/protocol.md.
 *
 * cfz_worker_main is worker mode (CFZ_WORKER=1): it asks to be killed with
 * its parent (PR_SET_PDEATHSIG), picks the target (CFZ_TARGET, required when
 * the executable holds several; CFZ_TARGET and CFZ_PROBE are then removed
 * from the environment, as main removes CFZ_WORKER, so that processes the
 * target starts are not taken for workers), maps the per-worker region (fd 5, checked
 * against CFZ_SHM_MAGIC and its size) and the global coverage map (fd 6,
 * read-only), and serves request frames from fd 3 with responses on fd 4
 * until fd 3 reaches end of file (exit status 0).  A set-up error or a
 * malformed request frame prints "cfz: worker: ..." to stderr and returns 2.
 * When a response cannot be written the driver is gone: it exits quietly.
 *
 * The server proper (cfz_server_*) is independent of fds and environment,
 * for tests: cfz_server_handle answers one request.
 */
#ifndef CFZ_PROTOCOL_SERVER_H
#define CFZ_PROTOCOL_SERVER_H

#include <jansson.h>

#include "dict.h"
#include "exec_context.h"
#include "mutator.h"
#include "protocol.h"

typedef struct cfz_server {
  const cfz_target *t;
  cfz_shm_view shm;
  bool hello_done;
  cfz_dict dict;
  bool have_dict;
  cfz_mutator *mut;
  uint64_t max_len; /* the mutator's bound on bytes/string values */
} cfz_server;

void cfz_server_init(cfz_server *s, const cfz_target *t,
                     const cfz_shm_view *shm);
void cfz_server_free(cfz_server *s);
/* Answers one request (never NULL unless out of memory). */
json_t *cfz_server_handle(cfz_server *s, const json_t *req);
/* Serves frames from in_fd until end of file.  Returns 0 at end of file, 2
 * on a malformed request frame, 3 when a response cannot be written. */
int cfz_server_serve(cfz_server *s, int in_fd, int out_fd);

/* Worker mode; returns the process exit status. */
int cfz_worker_main(void);

#endif
