/* rounds.h - --deterministic: requests in rounds, answers in slot order.
 *
 * Which inputs a worker runs depends on the corpus, the coverage map and
 * the generator when its request is made.  With several workers these
 * change in the order their answers arrive, which the load decides.  In
 * rounds, requests go out only when every worker is idle, in slot order,
 * and the answers to seed, corpus and fuzz requests (deaths included) are
 * held until none of those is in flight, then handled in slot order: the
 * state each request sees no longer depends on timing.
 *
 * A part of the coordinator (coordinator_impl.h); without --deterministic
 * (coord.rounds false) nothing is held and a round may always start.
 *   co_round_hold       keeps r when it belongs to the round (never a
 *                       failure's replay, nor while stopping) and returns
 *                       true: the caller does no more with it;
 *   co_round_may_start  whether co_dispatch may send requests now; when
 *                       the round held is complete it handles its events
 *                       in slot order (co_handle_event) first, then
 *                       dispatches the next round;
 *   co_round_drop       the run stops: forgets what is held, counting its
 *                       executions. */
#ifndef CFZ_ROUNDS_H
#define CFZ_ROUNDS_H

#include <stdbool.h>

#include "coordinator_impl.h"

bool co_round_hold(slot *s, cfz_client_result *r);
bool co_round_may_start(coord *c);
void co_round_drop(coord *c);

#endif
