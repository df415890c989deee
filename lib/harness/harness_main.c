/* harness_main.c - main() of every target executable: worker mode when run
 * by cfz (CFZ_WORKER=1, protocol_server.h); otherwise libFuzzer's command
 * line for a libFuzzer-style target (libfuzzer_main.h: files are run here,
 * anything that means fuzzing is handed to the cfz driver), and replay mode
 * for native targets (replay.h).  It lives alone in its file so that unit
 * tests can link the rest. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libfuzzer_main.h"
#include "protocol_server.h"
#include "replay.h"
#include "report_fd.h"
#include "target_registry.h"

int main(int argc, char **argv) {
  const char *worker = getenv("CFZ_WORKER");
  bool is_worker = worker && strcmp(worker, "1") == 0;
  /* The variable is for this process: processes the target starts (even
   * from LLVMFuzzerInitialize, called next) are not workers. */
  if (is_worker)
    unsetenv("CFZ_WORKER");
  cfz_registry_init(&argc, &argv);
  if (is_worker) {
    /* libFuzzer's -close_fd_mask, from `cfz libfuzzer` (report_fd.h):
     * after LLVMFuzzerInitialize, as libFuzzer applies it. */
    const char *mask = getenv("CFZ_CLOSE_FD_MASK");
    char err[256];
    if (mask && cfz_close_fds(strtol(mask, NULL, 10), err, sizeof err) != 0)
      fprintf(stderr, "cfz: worker: %s\n", err);
    unsetenv("CFZ_CLOSE_FD_MASK");
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
