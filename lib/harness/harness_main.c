/* harness_main.c - main() of every target executable: worker mode when run
 * by cfz (CFZ_WORKER=1, protocol_server.h), replay mode otherwise (replay.h).
 * It lives alone in its file so that unit tests can link the rest. */
#include <stdlib.h>
#include <string.h>

#include "protocol_server.h"
#include "replay.h"
#include "target_registry.h"

int main(int argc, char **argv) {
  cfz_registry_init(&argc, &argv);
  const char *worker = getenv("CFZ_WORKER");
  if (worker && strcmp(worker, "1") == 0)
    return cfz_worker_main();
  return cfz_replay_main(argc, argv);
}
