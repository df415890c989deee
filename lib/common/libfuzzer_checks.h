/* libfuzzer_checks.h - the checks libFuzzer's FuzzerDriver makes of its
 * flags before it runs anything, whatever the mode, shared by the driver
 * (`cfz libfuzzer`, libfuzzer_dirs.h) and a target that runs files itself
 * (lib/harness/libfuzzer_main.c), so that both fail as libFuzzer does:
 *   - the directory of -artifact_prefix (the prefix itself when it ends in
 *     '/') and that of -exact_artifact_path must exist; with
 *     -create_missing_dirs=1 they are made (mkdir -p):
 *       ERROR: The required directory "X" does not exist
 *       ERROR: Failed to create directory "X"
 *       ERROR: Provided directory path is an empty string
 *   - -dict must be a dictionary file that parses and is not empty:
 *       ParseDictionaryFile: WHY
 * Each failure is libFuzzer's exit status 1.
 */
#ifndef CFZ_LIBFUZZER_CHECKS_H
#define CFZ_LIBFUZZER_CHECKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* libFuzzer's ValidateDirectoryExists: dir must be a directory (made
 * when create).  Returns 0, or 1 with the message on err. */
int cfz_lf_require_dir(const char *dir, bool create, FILE *err);

/* The artifact directories of prefix ("" none) and exact_path (NULL
 * none).  Returns 0, or 1 with the message on err. */
int cfz_lf_check_artifacts(const char *prefix, const char *exact_path,
                           bool create, FILE *err);

/* Loads the -dict file path to count its entries into *entries.  Returns
 * 0, or 1 with the message on err. */
int cfz_lf_check_dict(const char *path, size_t *entries, FILE *err);

#endif
