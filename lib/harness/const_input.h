/* const_input.h - libFuzzer's check that a target leaves its input alone.
 *
 * LLVMFuzzerTestOneInput gets a const input.  libFuzzer copies the input
 * before each call and compares after; a target that wrote to it is
 * reported as "==PID== ERROR: libFuzzer: fuzz target overwrites its const
 * input" and ends the process with exit status 77.  cfz registers
 * cfz_const_input_entry as the target's entry point, which does the same
 * around the real one (ClusterFuzz also looks for that text in a binary
 * before it merges corpora in two steps).
 */
#ifndef CFZ_CONST_INPUT_H
#define CFZ_CONST_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "target_registry.h"

/* The real entry point that cfz_const_input_entry calls. */
void cfz_const_input_set(cfz_libfuzzer_fn real);
/* Copies data, calls the real entry point, and ends the process as above
 * when data changed.  Returns what the entry point returned. */
int cfz_const_input_entry(const uint8_t *data, size_t size);

#endif
