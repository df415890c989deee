/* cfz.h - the public API that fuzz targets include.
 *
 * A target executable links the cfz harness library, which provides main().
 * It registers one or more native typed targets with CFZ_TARGET, or defines
 * only LLVMFuzzerTestOneInput (libFuzzer style, one bytes parameter).
 *
 * Contract: the fuzz function receives its arguments as an array of
 * cfz_value, one per declared parameter, in order.  Bytes and string values
 * are heap copies of exactly their length (a string is also NUL-terminated);
 * they are valid only during the call.  cfz_fail records a failure and lets
 * the function go on; cfz_fatal records it and returns to the harness at once
 * (longjmp: C++ destructors of the fuzz function's frames do not run).
 */
#ifndef CFZ_H
#define CFZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cfz_types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CFZ_VERSION "0.1.0"

/* The per-call context handed to a fuzz function. */
typedef struct cfz_t cfz_t;
/* Collects seed values (like Go's f.Add). */
typedef struct cfz_seeds cfz_seeds;

typedef void (*cfz_fuzz_fn)(cfz_t *t, const cfz_value *args);
typedef void (*cfz_seed_fn)(cfz_seeds *s);

typedef struct cfz_target_def {
  const char *name;       /* e.g. "FuzzParse"; [A-Za-z0-9_.-], no "/" */
  const cfz_type *params; /* ordered parameter types, at least one */
  size_t nparams;
  cfz_seed_fn seeds; /* optional: adds seed values */
  cfz_fuzz_fn fuzz;  /* the fuzz function */
} cfz_target_def;

/* Registers a target; called from a constructor by CFZ_TARGET. */
void cfz_register(const cfz_target_def *def);

/* Adds one seed: vals must match the target's parameters in count and type. */
void cfz_add_values(cfz_seeds *s, const cfz_value *vals, size_t n);
#define cfz_add(s, ...)                                                        \
  cfz_add_values((s), (const cfz_value[]){__VA_ARGS__},                        \
                 sizeof((const cfz_value[]){__VA_ARGS__}) / sizeof(cfz_value))

/* Records a failure with a printf-style message; the function goes on. */
void cfz_fail(cfz_t *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Records a failure and stops the fuzz function at once. */
_Noreturn void cfz_fatal(cfz_t *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Marks the input as uninteresting (never added to the corpus) and stops the
 * fuzz function, like returning -1 from LLVMFuzzerTestOneInput. */
_Noreturn void cfz_skip(cfz_t *t);

/* Declares and registers a native target:
 *   static void fuzz_parse(cfz_t *t, const cfz_value *a) { ... }
 *   CFZ_TARGET(FuzzParse, NULL, fuzz_parse, CFZ_BYTES, CFZ_INT32)
 */
#define CFZ_TARGET(NAME, SEEDFN, FUZZFN, ...)                                  \
  static const cfz_type cfz_params_##NAME[] = {__VA_ARGS__};                   \
  static const cfz_target_def cfz_def_##NAME = {                               \
      #NAME, cfz_params_##NAME, sizeof(cfz_params_##NAME) / sizeof(cfz_type),  \
      (SEEDFN), (FUZZFN)};                                                     \
  __attribute__((constructor)) static void cfz_register_##NAME(void) {         \
    cfz_register(&cfz_def_##NAME);                                             \
  }

/* libFuzzer compatibility: a program that defines these (and no CFZ_TARGET)
 * is one target with a single bytes parameter, named after the executable. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#ifdef __cplusplus
}
#endif
#endif /* CFZ_H */
