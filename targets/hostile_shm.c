/* hostile_shm.c - a target that attacks the driver through its shared
 * memory (fd 5) when an input starts with '!', then aborts, to test that the
 * driver trusts nothing it reads there: CFZ_TEST_HOSTILE=
 *   capacity   value_capacity = 2^40, value_len = 64 MiB
 *   len        value_len = 2^39
 *   len_max    value_len = ~0
 *   truncate   ftruncate(5, 0)
 *   truncate_init / grow_init   ftruncate(5, 0 / 1 GiB) before main: every
 *              worker starts that way (no '!' needed; inputs then pass). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cfz.h"
#include "shm_layout.h"

/* The harness closes fd 5 once it has mapped it; a hostile target keeps a
 * copy from before main. */
static int shm_fd = -1;

static void scribble(const char *mode) {
  cfz_shm_header *h = mmap(NULL, CFZ_SHM_HEADER_SIZE, PROT_READ | PROT_WRITE,
                           MAP_SHARED, shm_fd, 0);
  if (h == MAP_FAILED)
    return;
  if (!strcmp(mode, "capacity")) {
    h->value_capacity = (uint64_t)1 << 40;
    h->value_len = (uint64_t)64 << 20;
  } else if (!strcmp(mode, "len")) {
    h->value_len = (uint64_t)1 << 39;
  } else if (!strcmp(mode, "len_max")) {
    h->value_len = ~(uint64_t)0;
  }
  munmap(h, CFZ_SHM_HEADER_SIZE);
}

__attribute__((constructor)) static void at_start(void) {
  const char *mode = getenv("CFZ_TEST_HOSTILE");
  shm_fd = dup(CFZ_FD_SHM);
  if (mode && !strcmp(mode, "truncate_init"))
    (void)!ftruncate(CFZ_FD_SHM, 0);
  else if (mode && !strcmp(mode, "grow_init"))
    (void)!ftruncate(CFZ_FD_SHM, (off_t)1 << 30);
}

static void fuzz(cfz_t *t, const cfz_value *a) {
  (void)t;
  if (a[0].v.bytes.len == 0 || a[0].v.bytes.data[0] != '!')
    return;
  const char *mode = getenv("CFZ_TEST_HOSTILE");
  if (!mode || strstr(mode, "_init"))
    return;
  if (!strcmp(mode, "truncate"))
    (void)!ftruncate(shm_fd, 0);
  else
    scribble(mode);
  abort();
}

static void seeds(cfz_seeds *s) { cfz_add(s, CFZ_V_BYTES("abc", 3)); }

CFZ_TARGET(FuzzHostileShm, seeds, fuzz, CFZ_BYTES)
