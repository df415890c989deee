/* hostile_peak.c - a transient spike of resident memory: an input starting
 * with '!' makes the worker's resident set ~320 MB for a moment and returns
 * with it back to a few MB, so a driver that only samples the resident set
 * (every 50 ms) can miss it; the worker's peak (its high-water mark) does
 * not.  Other inputs use nothing.  Plain C, no sanitizer (issue 15 item
 * 10).  CFZ_TEST_PEAK selects how:
 *   malloc (default)  ten 32 MiB chunks (each below a 128 MB --malloc-limit)
 *                     malloc'd, every page written, all freed;
 *   mapped            a 320 MiB memfd filled once at start-up (not resident
 *                     in the worker until mapped) is mapped with
 *                     MAP_POPULATE and unmapped: the spike lasts a few ms.
 */

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cfz.h"

#define CHUNK (32u << 20)
#define CHUNKS 10u
#define MAPPED ((size_t)CHUNKS * CHUNK)

static int g_memfd = -1;

static void spike_malloc(cfz_t *t) {
  char *volatile chunks[CHUNKS]; /* volatile: the allocations stay */
  for (unsigned i = 0; i < CHUNKS; i++) {
    chunks[i] = malloc(CHUNK);
    if (!chunks[i])
      cfz_fatal(t, "hostile_peak: malloc of chunk %u failed", i);
    memset(chunks[i], (int)i + 1, CHUNK); /* every page resident */
  }
  for (unsigned i = 0; i < CHUNKS; i++)
    free(chunks[i]);
}

/* The memfd's pages are allocated before the worker starts (in the page
 * cache, not in the worker's resident set until mapped). */
__attribute__((constructor)) static void fill_memfd(void) {
  const char *mode = getenv("CFZ_TEST_PEAK");
  if (!mode || strcmp(mode, "mapped") != 0)
    return;
  g_memfd = memfd_create("hostile_peak", MFD_CLOEXEC);
  if (g_memfd >= 0 && fallocate(g_memfd, 0, 0, (off_t)MAPPED) != 0) {
    close(g_memfd);
    g_memfd = -1;
  }
}

static void spike_mapped(cfz_t *t) {
  if (g_memfd < 0)
    cfz_fatal(t, "hostile_peak: no memfd of %zu bytes", MAPPED);
  void *p =
      mmap(NULL, MAPPED, PROT_READ, MAP_SHARED | MAP_POPULATE, g_memfd, 0);
  if (p == MAP_FAILED)
    cfz_fatal(t, "hostile_peak: mmap of the memfd failed");
  munmap(p, MAPPED);
}

static void fuzz(cfz_t *t, const cfz_value *a) {
  if (a[0].v.bytes.len == 0 || a[0].v.bytes.data[0] != '!')
    return;
  const char *mode = getenv("CFZ_TEST_PEAK");
  if (mode && strcmp(mode, "mapped") == 0)
    spike_mapped(t);
  else
    spike_malloc(t);
}

static void seeds(cfz_seeds *s) { cfz_add(s, CFZ_V_BYTES("abc", 3)); }

CFZ_TARGET(FuzzHostilePeak, seeds, fuzz, CFZ_BYTES)
