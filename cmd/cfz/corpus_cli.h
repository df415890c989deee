/* corpus_cli.h - what the `cfz corpus` subcommands share (cmd/cfz/corpus*.c
 * only): error reporting and the target argument. */
#ifndef CFZ_CORPUS_CLI_H
#define CFZ_CORPUS_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "value.h"

#define MAX_PARAMS 64

/* The target a command works on: a name, and its parameter types when it
 * was given as an executable (or with --types). */
typedef struct target_spec {
  char name[256];
  cfz_type types[MAX_PARAMS];
  size_t ntypes;
  bool have_types;
} target_spec;

void oom(void);
/* strdup / "dir/name", exiting with status 2 when out of memory. */
char *xstrdup(const char *s);
char *join_path(const char *dir, const char *name);
bool cli_is_buffer(cfz_type t);
/* "x: has 1 value (bytes), target takes 2 (bytes, uint8)" (file NULL: no
 * "x: "), or NULL when the values match. */
char *mismatch_message(const char *file, const cfz_values *vals,
                       const cfz_type *types, size_t ntypes);
/* Parses "bytes,uint8" into types; prints why not and returns -1. */
int parse_types(const char *list, cfz_type *types, size_t *n);
/* Resolves TARGET | ./target into t.  Returns 0, or 2 with a message
 * printed. */
int resolve_target(const char *arg, const char *want, target_spec *t);

int cfz_corpus_ls(int argc, char **argv);
int cfz_corpus_show(int argc, char **argv);
int cfz_corpus_add(int argc, char **argv);

#endif
