/* cover_run.h - replaying inputs through a coverage build of a target so
 * that every input that does not crash leaves its profile.
 *
 * Inputs run in batches, each batch one process in the target's replay mode
 * (lib/harness/replay.h):
 *   EXE -t TARGET -timeout=S FILE...
 * with LLVM_PROFILE_FILE=<profile_dir>/<job>-%p.profraw, at most `parallel`
 * at a time; the target's own seeds (cfz_add) are one more process, EXE -t
 * TARGET -timeout=S.  Exit status 0, 1 (an input failed: its coverage counts)
 * and 2 (a file could not be read) end a batch normally, when the process
 * left a profile.  Anything else (a signal, the timeout status 70, exit()
 * with another status, no profile) means the process did not write its
 * profile, or wrote only part of the batch's: its
 * profile files are removed and its inputs run again one per process, so that
 * only the inputs that crash by themselves are lost.  Those are skipped and
 * listed in the result.  The targets' stdout and stderr go to log_fd.  A
 * sanitizer's report is made to end in SIGABRT (ASAN_OPTIONS and
 * UBSAN_OPTIONS abort_on_error=1, no leak check; the user's options are
 * appended and win), so that it is a crash here too. */
#ifndef CFZ_COVER_RUN_H
#define CFZ_COVER_RUN_H

#include <stdbool.h>
#include <stddef.h>

typedef struct cfz_cover_run_options {
  const char *exe, *target;
  const char *const *inputs; /* files */
  size_t ninputs;
  bool seeds;              /* also run the target's cfz_add seeds */
  const char *profile_dir; /* exists; the .profraw files go there */
  int log_fd;
  unsigned parallel;  /* processes at once, >= 1 */
  size_t batch;       /* inputs per process, >= 1 */
  unsigned timeout_s; /* per input (replay's -timeout); 0: none */
} cfz_cover_run_options;

typedef struct cfz_cover_skip {
  char *input;  /* the file, or NULL for the seeds */
  char how[96]; /* "signal SIGSEGV", "timeout", "exit status 3" */
} cfz_cover_skip;

typedef struct cfz_cover_run_result {
  size_t processes; /* started */
  size_t ran;       /* inputs whose profile was kept (seeds: 1) */
  cfz_cover_skip *skipped;
  size_t nskipped;
} cfz_cover_run_result;

/* Runs everything.  Returns 0 (skipped inputs are not an error), or -1 with
 * e.g. "spawn ./t: Permission denied" in err. */
int cfz_cover_run(const cfz_cover_run_options *o, cfz_cover_run_result *r,
                  char *err, size_t errlen);
void cfz_cover_run_free(cfz_cover_run_result *r);

#endif
