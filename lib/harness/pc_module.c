/* pc_module.c - module-relative code addresses (pc_module.h).
 *
 * The table of modules is built by dl_iterate_phdr: one range per module,
 * from its lowest to its highest PT_LOAD address, with its load bias
 * (dlpi_addr).  A table, once published, is never written again: a rebuild
 * fills the next one of a few static tables and publishes it with a release
 * store, so that a thread searching the old table (a target with threads)
 * never sees it change.  Rebuilds stop after MAX_TABLES. */
#include "pc_module.h"

#include <link.h>
#include <stdatomic.h>
#include <stddef.h>

#include "coverage.h"

#define MAX_MODULES 128
#define MAX_TABLES 8

typedef struct module {
  uintptr_t lo, hi, bias;
} module;

typedef struct table {
  module m[MAX_MODULES];
  size_t n;
} table;

uintptr_t cfz_pc_main_lo, cfz_pc_main_len, cfz_pc_main_bias;

static table tables[MAX_TABLES];
static _Atomic(table *) current;
static size_t ntables; /* tables built (under the lock) */
static atomic_flag lock = ATOMIC_FLAG_INIT;
static __thread int scanning;

static CFZ_NO_COVERAGE int add_module(struct dl_phdr_info *info, size_t size,
                                      void *arg) {
  (void)size;
  table *t = arg;
  uintptr_t lo = UINTPTR_MAX, hi = 0;
  for (size_t i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *p = &info->dlpi_phdr[i];
    if (p->p_type != PT_LOAD || p->p_memsz == 0)
      continue;
    uintptr_t a = (uintptr_t)info->dlpi_addr + (uintptr_t)p->p_vaddr;
    if (a < lo)
      lo = a;
    if (a + p->p_memsz > hi)
      hi = a + (uintptr_t)p->p_memsz;
  }
  if (lo >= hi || t->n == MAX_MODULES)
    return 0;
  /* Insertion sort by lo: few modules, built rarely. */
  size_t k = t->n++;
  while (k > 0 && t->m[k - 1].lo > lo) {
    t->m[k] = t->m[k - 1];
    k--;
  }
  t->m[k] = (module){lo, hi, (uintptr_t)info->dlpi_addr};
  /* The first module reported is the main program; len is written last
   * (the fast path takes nothing while it is 0). */
  if (cfz_pc_main_len == 0 && t->n == 1) {
    cfz_pc_main_bias = (uintptr_t)info->dlpi_addr;
    cfz_pc_main_lo = lo;
    atomic_thread_fence(memory_order_release);
    cfz_pc_main_len = hi - lo;
  }
  return 0;
}

static CFZ_NO_COVERAGE const module *find(const table *t, uintptr_t pc) {
  if (t == NULL)
    return NULL;
  size_t lo = 0, hi = t->n; /* first module with m.lo > pc */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (t->m[mid].lo <= pc)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == 0 || pc >= t->m[lo - 1].hi)
    return NULL;
  return &t->m[lo - 1];
}

/* Builds a new table unless the budget is spent; returns the current one. */
static CFZ_NO_COVERAGE table *rebuild(table *seen) {
  while (atomic_flag_test_and_set_explicit(&lock, memory_order_acquire))
    ;
  table *t = atomic_load_explicit(&current, memory_order_acquire);
  if (t == seen && ntables < MAX_TABLES) {
    /* Nobody rebuilt it meanwhile. */
    table *fresh = &tables[ntables++];
    fresh->n = 0;
    scanning = 1;
    dl_iterate_phdr(add_module, fresh);
    scanning = 0;
    atomic_store_explicit(&current, fresh, memory_order_release);
    t = fresh;
  }
  atomic_flag_clear_explicit(&lock, memory_order_release);
  return t;
}

CFZ_NO_COVERAGE uintptr_t cfz_pc_rel_slow(uintptr_t pc) {
  if (scanning)
    return pc; /* a callback fired inside dl_iterate_phdr */
  table *t = atomic_load_explicit(&current, memory_order_acquire);
  const module *m = find(t, pc);
  if (m == NULL)
    m = find(rebuild(t), pc);
  return m != NULL ? pc - m->bias : pc;
}

/* Build the table before the target's code runs, when possible. */
__attribute__((constructor(101))) static CFZ_NO_COVERAGE void init(void) {
  if (atomic_load(&current) == NULL)
    rebuild(NULL);
}
