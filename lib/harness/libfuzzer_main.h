/* libfuzzer_main.h - a libFuzzer-style target run by hand or by OSS-Fuzz.
 *
 * For an executable whose only target is LLVMFuzzerTestOneInput, main()
 * reads the command line as libFuzzer does (libfuzzer_flags.h):
 *   -help=1                  prints libFuzzer's help (cfz's flags), exit 0;
 *   FILE...                  (every input an existing file) checks the
 *                            artifact directories and -dict first, as
 *                            libFuzzer does in every mode (exit 1 with its
 *                            message: libfuzzer_checks.h), then runs each file
 *                            max(1, -runs) times here, in this process, with
 *                            libFuzzer's output: "Running: FILE", "Executed
 *                            FILE in N ms"; a crash prints "==PID== ERROR:
 *                            libFuzzer: deadly signal" (unless a sanitizer
 *                            handles the signal) and the process still dies
 *                            by that signal, exit() in the target
 *                            "fuzz target exited" (-error_exitcode, 77), an
 *                            input running past -timeout "timeout after N
 *                            seconds" (-timeout_exitcode, 70), a peak
 *                            resident set above -rss_limit_mb
 *                            "out-of-memory (used: NMb; limit: NMb)" (71;
 *                            watched by a thread while an input runs, as
 *                            libFuzzer's, and checked after it), one
 *                            allocation of -malloc_limit_mb MB or more
 *                            "out-of-memory (malloc(N))" (71; sanitizer
 *                            builds: mem_limits.h); -close_fd_mask is
 *                            applied first (report_fd.h);
 *   anything else            (directories, no input, -merge=1,
 *                            -minimize_crash=1) is handed to the cfz driver
 *                            (driver_exec.h); exit 1 when it cannot be run.
 */
#ifndef CFZ_LIBFUZZER_MAIN_H
#define CFZ_LIBFUZZER_MAIN_H

#include <stdbool.h>

#include "target_registry.h"

/* True when main() should take this path: the executable's one target is
 * libFuzzer-style and argv holds none of the replay options that
 * replay.h documents (-t/--target, --list, -h/--help, --). */
bool cfz_libfuzzer_front(int argc, char **argv);

/* Runs the command line as above; returns the exit status. */
int cfz_libfuzzer_main(const cfz_target *t, int argc, char **argv);

#endif
