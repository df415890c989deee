/* worker_exit.h - a worker process ended: what it means for the run.
 *
 * A part of the coordinator (coordinator_impl.h).  co_on_worker_exit takes
 * every exit event of a slot's client (never a response) and decides:
 *   - the run is stopping, or the owner stopped it: nothing (a slot stopped
 *     for a failure's replay starts again);
 *   - before its handshake: a start-up failure, never a crash; retried up
 *     to CFZ_MAX_STARTUP_RETRIES times, then the run stops (a failure
 *     already known is still reported);
 *   - a protocol error, or gone while idle: the slot starts again;
 *   - died, hung or ran out of memory while running an input: a failure,
 *     by the request it was running (a seed or the handshake: a set-up
 *     error; a corpus entry: the policy's entry_failed; a fuzz batch:
 *     failure_flow; a minimization: its candidate's verdict; a replay: it
 *     reproduced), and the slot starts again.
 * The executions it ran count (the minimization's to the failure). */
#ifndef CFZ_WORKER_EXIT_H
#define CFZ_WORKER_EXIT_H

#include "coordinator_impl.h"

void co_on_worker_exit(slot *s, cfz_client_result *r);

#endif
