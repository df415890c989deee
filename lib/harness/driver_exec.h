/* driver_exec.h - hand a libFuzzer-style command line over to cfz.
 *
 * A target linked with cfz's harness and started the way OSS-Fuzz or
 * ClusterFuzz start a libFuzzer binary (corpus directories, fuzzing flags)
 * does not fuzz by itself: it replaces itself (execv) with
 *
 *   cfz libfuzzer TARGET ARG...
 *
 * where TARGET is this executable (/proc/self/exe) and ARG... are its own
 * arguments, unchanged; the driver parses libFuzzer's flags and runs the
 * target's workers.  The cfz executable is looked for, in order:
 *   1. beside this executable (DIR/cfz, DIR = dirname of /proc/self/exe);
 *   2. on PATH;
 *   3. in the environment variable CFZ_DRIVER (a path to cfz).
 */
#ifndef CFZ_DRIVER_EXEC_H
#define CFZ_DRIVER_EXEC_H

#include <stddef.h>

#define CFZ_DRIVER_ENV "CFZ_DRIVER"

/* Finds cfz by the rule above, given this executable's path, the value of
 * PATH and of CFZ_DRIVER (either may be NULL).  Writes the path into out
 * (outlen bytes) and returns 0, or returns -1 when none is an executable
 * file. */
int cfz_find_driver(const char *self_exe, const char *path_env,
                    const char *driver_env, char *out, size_t outlen);

/* Execs cfz as above with argv[1..argc-1].  Returns only on failure, after
 * printing why to stderr ("no cfz found ..." or the execv error); the
 * caller exits with status 1. */
void cfz_exec_driver(int argc, char **argv);

#endif
