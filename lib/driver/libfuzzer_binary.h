/* libfuzzer_binary.h - is this executable built with real libFuzzer?
 *
 * A target built with `clang -fsanitize=fuzzer` carries libFuzzer's own
 * main(): started by `cfz run` it ignores cfz's worker protocol.  cfz
 * recognizes such a binary by text only libFuzzer's runtime holds (its
 * merge and power-schedule messages; cfz's harness prints neither), which
 * stays in stripped binaries too.
 */
#ifndef CFZ_LIBFUZZER_BINARY_H
#define CFZ_LIBFUZZER_BINARY_H

#include <stddef.h>

/* 1: path is a libFuzzer binary; 0: it is not; -1: it cannot be read
 * (message in err). */
int cfz_is_libfuzzer_binary(const char *path, char *err, size_t errlen);

/* The message `cfz run` and friends print for such a binary. */
#define CFZ_LIBFUZZER_BINARY_HELP                                              \
  "it was built with -fsanitize=fuzzer and holds libFuzzer's own main(), "     \
  "which cfz cannot drive; build it with -fsanitize=fuzzer-no-link "           \
  "(coverage only) and link cfz's harness instead of libFuzzer: "              \
  "cfz_add_fuzz_target() in CMake, libcfz_harness.a with --whole-archive, "    \
  "or $LIB_FUZZING_ENGINE=libcfz_fuzzing_engine.a (docs/oss-fuzz.md)"

#endif
