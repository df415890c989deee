/* replay.h - a target executable run by hand (no CFZ_WORKER).
 *
 *   ./target [options] [FILE_OR_DIR...]
 *
 * Each file (a directory: every regular file in it, in name order) is decoded
 * with cfz_corpus_read_file (text format, or raw bytes), checked against the
 * target's parameter types and run: "PASS FILE", "FAIL FILE: message",
 * "SKIP FILE" (the target rejected it) or "ERROR FILE: reason" (cannot be
 * read or decoded) go to stderr.  A crash just ends the process (so that it
 * can be debugged in gdb).  With no file, the seeds added with cfz_add are
 * run instead (every target's, or the one chosen with -t).
 *
 * Options: -t NAME / --target NAME, -h / --help, and libFuzzer's
 * -runs=N (run each input N times) and -timeout=N (seconds per input: on
 * expiry print "timeout after N seconds" and exit 70); other -name=value
 * flags are ignored with a note.
 *
 * Exit status: 0 all passed, 1 some input failed, 2 usage error or some
 * input could not be read (and none failed), 70 timeout.
 */
#ifndef CFZ_REPLAY_H
#define CFZ_REPLAY_H

int cfz_replay_main(int argc, char **argv);

#endif
