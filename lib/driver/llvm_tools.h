/* llvm_tools.h - what `cfz cover` needs to know about a coverage build:
 * whether an executable carries clang's coverage mapping, which clang
 * built it, and where llvm-profdata and llvm-cov of that clang are. */
#ifndef CFZ_LLVM_TOOLS_H
#define CFZ_LLVM_TOOLS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct cfz_cov_binary {
  bool has_mapping; /* built with -fprofile-instr-generate -fcoverage-mapping
                       (it holds a __llvm_covmap section) */
  int clang_major;  /* from "clang version N." in .comment; 0: unknown */
} cfz_cov_binary;

/* Reads exe.  Returns 0, or -1 with e.g. "open ./t: No such file or
 * directory" in err. */
int cfz_cov_binary_read(const char *exe, cfz_cov_binary *out, char *err,
                        size_t errlen);

typedef struct cfz_llvm_tools {
  char profdata[PATH_MAX]; /* llvm-profdata */
  char cov[PATH_MAX];      /* llvm-cov */
} cfz_llvm_tools;

/* Finds the two tools.  A path given (profdata, cov; NULL: search) is used as
 * it is.  Otherwise, for clang_major N (0: unknown): llvm-profdata-N in
 * $PATH, then /usr/lib/llvm-N/bin/llvm-profdata, then llvm-profdata in
 * $PATH (the same for llvm-cov).  Returns 0, or -1 with e.g. "llvm-cov not
 * found (looked for llvm-cov-14, /usr/lib/llvm-14/bin/llvm-cov and llvm-cov
 * in PATH): install LLVM's tools (Debian: llvm) or give --llvm-cov FILE" in
 * err. */
int cfz_llvm_tools_find(int clang_major, const char *profdata, const char *cov,
                        cfz_llvm_tools *out, char *err, size_t errlen);

#endif
