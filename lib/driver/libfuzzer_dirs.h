/* libfuzzer_dirs.h - libFuzzer's checks of the directories on its command
 * line, for `cfz libfuzzer` (cmd/cfz/libfuzzer.c), before anything runs.
 *
 * As libFuzzer's FuzzerDriver: the first input (the output corpus) unless
 * it is a regular file, the directory of -artifact_prefix (the prefix
 * itself when it ends in '/') and that of -exact_artifact_path must exist
 * (libfuzzer_checks.h, shared with a target that runs files itself); with
 * -create_missing_dirs=1 they are created (mkdir -p).  Then, when
 * fuzzing, running the corpus or merging, every input must be a directory
 * that opens, as libFuzzer reads each one.  The messages are libFuzzer's:
 *   ERROR: The required directory "X" does not exist
 *   ERROR: Failed to create directory "X"
 *   No such file or directory: X; exiting
 */
#ifndef CFZ_LIBFUZZER_DIRS_H
#define CFZ_LIBFUZZER_DIRS_H

#include <stdio.h>

#include "libfuzzer_plan.h"

/* Checks (and with create, makes) the directories of plan p; prints
 * libFuzzer's message on err.  Returns 0, or 1: libFuzzer's exit status. */
int cfz_lf_check_dirs(const cfz_lf_plan *p, FILE *err);

#endif
