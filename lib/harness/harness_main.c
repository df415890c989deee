/* harness_main.c - main() of every target executable: worker mode when run
 * by cfz (CFZ_WORKER=1, protocol_server.h); otherwise libFuzzer's command
 * line for a libFuzzer-style target (libfuzzer_main.h: files are run here,
 * anything that means fuzzing is handed to the cfz driver), and replay mode
 * for native targets (replay.h).  It lives alone in its file so that unit
 * tests can link the rest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libfuzzer_main.h"
#include "protocol_server.h"
#include "replay.h"
#include "target_registry.h"

int main(int argc, char **argv) {
  cfz_registry_init(&argc, &argv);
  const char *worker = getenv("CFZ_WORKER");
  if (worker && strcmp(worker, "1") == 0) {
    /* _exit: a worker's end is not a leak check (inputs are checked one
     * by one while fuzzing), and nothing else needs to run at exit. */
    int rc = cfz_worker_main();
    fflush(NULL);
    _exit(rc);
  }
  if (cfz_libfuzzer_front(argc, argv))
    return cfz_libfuzzer_main(cfz_registry_get(0), argc, argv);
  return cfz_replay_main(argc, argv);
}
