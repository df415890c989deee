/* target_registry.h - the fuzz targets of this executable.
 *
 * Native targets register themselves from constructors (CFZ_TARGET ->
 * cfz_register).  cfz_registry_init runs once at the start of main(): it
 * calls LLVMFuzzerInitialize when the program defines it and, when no native
 * target is registered but LLVMFuzzerTestOneInput is defined, registers one
 * libFuzzer-style target with a single bytes parameter named after
 * basename(argv[0]) (characters outside [A-Za-z0-9_.-] become '_').
 *
 * Misuse by the target's code (invalid or duplicate name, no parameters, an
 * unknown type, cfz_add with the wrong values) is a programming error: the
 * harness prints what is wrong to stderr and aborts.
 */
#ifndef CFZ_TARGET_REGISTRY_H
#define CFZ_TARGET_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "cfz.h"
#include "target_name.h"
#include "value.h"

typedef int (*cfz_libfuzzer_fn)(const uint8_t *data, size_t size);

typedef struct cfz_target {
  char name[CFZ_TARGET_NAME_MAX];
  const cfz_type *params;
  size_t nparams;
  cfz_seed_fn seeds;          /* native: optional seed function */
  cfz_fuzz_fn fuzz;           /* native: the fuzz function, else NULL */
  cfz_libfuzzer_fn libfuzzer; /* libFuzzer style: the entry point, else NULL */
} cfz_target;

/* True when name is 1..CFZ_TARGET_NAME_MAX-1 characters of [A-Za-z0-9_.-]
 * and is not "." or "..". */
bool cfz_registry_name_ok(const char *name);

/* Calls LLVMFuzzerInitialize(argc, argv) if defined, then adds the
 * libFuzzer-style target if needed (see above).  Call once. */
void cfz_registry_init(int *argc, char ***argv);
/* The libFuzzer fallback alone, with an explicit entry point (fn may be
 * NULL: nothing is added).  Adds a target named after basename(argv0) only
 * when no target is registered yet. */
void cfz_registry_add_libfuzzer(const char *argv0, cfz_libfuzzer_fn fn);

size_t cfz_registry_count(void);
const cfz_target *cfz_registry_get(size_t i);
/* NULL when no target has that name. */
const cfz_target *cfz_registry_find(const char *name);
/* Picks the target to run: by name when name is non-NULL, else the only one.
 * Returns NULL with a message in err ("no target named \"X\"; targets: A, B",
 * "this executable holds 2 targets (A, B); choose one", "no fuzz target is
 * registered ...").  `how` names the way to choose ("set CFZ_TARGET", "use
 * -t NAME") and ends the "choose one" message. */
const cfz_target *cfz_registry_select(const char *name, const char *how,
                                      char *err, size_t errlen);
/* Writes "A, B, C" (truncated to errlen) into buf. */
void cfz_registry_names(char *buf, size_t buflen);

/* The seed values of t (from its seed function, collected on first use and
 * kept for the life of the process).  Sets *n; returns NULL when none. */
const cfz_values *cfz_registry_seeds(const cfz_target *t, size_t *n);

/* For unit tests: forgets all targets and collected seeds. */
void cfz_registry_reset(void);

#endif
