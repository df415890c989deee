/* pc_module.h - code addresses made independent of where modules are loaded.
 *
 * With PIE and ASLR the executable and the shared libraries load at a new
 * address in every process, so a hash of an absolute PC (compare site, edge,
 * indirect callee) picks different table slots and feature bits from one run
 * to the next, and a run with a fixed --seed does not repeat.  cfz_pc_rel
 * maps a code address to (address - load bias of the module holding it): the
 * same value in every process of the same binary.  The executable's code is
 * the fast path (one compare and a subtraction); other modules are found by
 * binary search in a table built with dl_iterate_phdr, rebuilt a bounded
 * number of times when an address lies in no known module (dlopen).  An
 * address in no module at all (JIT code) is returned unchanged. */
#ifndef CFZ_PC_MODULE_H
#define CFZ_PC_MODULE_H

#include <stdint.h>

/* The main program: [lo, lo + len) with its bias (len 0 until known). */
#define CFZ_PC_HIDDEN __attribute__((visibility("hidden")))
extern uintptr_t cfz_pc_main_lo CFZ_PC_HIDDEN;
extern uintptr_t cfz_pc_main_len CFZ_PC_HIDDEN;
extern uintptr_t cfz_pc_main_bias CFZ_PC_HIDDEN;

uintptr_t cfz_pc_rel_slow(uintptr_t pc);

/* Never instrumented: called from the coverage callbacks. */
__attribute__((always_inline)) static inline uintptr_t
cfz_pc_rel(uintptr_t pc) {
  if (pc - cfz_pc_main_lo < cfz_pc_main_len)
    return pc - cfz_pc_main_bias;
  return cfz_pc_rel_slow(pc);
}

#endif
