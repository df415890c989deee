/* keep_going_busy.c - tells whether the other workers fuzz while one
 * minimizes (tests/integration/test_minimize.c, cfz run --keep-going -j 2).
 *
 * An input of at least 16 bytes that starts with "!!" dies (abort); the
 * seed is 32 bytes long, so the crasher found is long too.  Every
 * other execution that is not a minimization candidate (the worker marks a
 * candidate with state RUNNING_AUX in its shared-memory header, fd 5) adds
 * one to a counter shared by all workers, in the file keep_going_busy.count
 * of the working directory.  The first "!!" input found records the counter;
 * a minimization candidate (of two bytes or more) dies only once
 * KEEP_GOING_EXECS more executions were counted since: the first candidate
 * waits for them (up to KEEP_GOING_WAIT_S seconds, far less than the hang
 * timeout), the later ones do not wait.  So the crasher is minimized (to 2
 * bytes) only when other workers fuzzed meanwhile; otherwise no candidate fails
 * and the written crasher keeps its length. */
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "cfz.h"
#include "shm_layout.h"

#define KEEP_GOING_EXECS 5000u
#define KEEP_GOING_WAIT_S 30

typedef struct shared {
  _Atomic uint64_t execs;  /* non-candidate executions */
  _Atomic uint64_t found;  /* execs when "!!" was first found, plus 1 */
  _Atomic uint64_t waited; /* a candidate has waited */
} shared;

static int shm_fd = -1; /* the harness closes fd 5 once mapped: a copy */
static const cfz_shm_header *hdr;
static shared *sh;

__attribute__((constructor)) static void at_start(void) {
  shm_fd = dup(CFZ_FD_SHM);
}

static void map_once(void) {
  if (sh)
    return;
  void *h = mmap(NULL, CFZ_SHM_HEADER_SIZE, PROT_READ, MAP_SHARED, shm_fd, 0);
  int fd = open("keep_going_busy.count", O_RDWR | O_CREAT, 0600);
  if (h == MAP_FAILED || fd < 0 || ftruncate(fd, sizeof(shared)) != 0)
    abort();
  void *p =
      mmap(NULL, sizeof(shared), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED)
    abort();
  close(fd);
  hdr = h;
  sh = p;
}

static bool counted_enough(void) {
  uint64_t found = atomic_load(&sh->found);
  return found && atomic_load(&sh->execs) + 1 >= found + KEEP_GOING_EXECS;
}

static void fuzz(cfz_t *t, const cfz_value *a) {
  (void)t;
  map_once();
  const uint8_t *d = a[0].v.bytes.data;
  size_t n = a[0].v.bytes.len;
  bool candidate = atomic_load(&hdr->state) == CFZ_SHM_RUNNING_AUX;
  bool bang = n >= (candidate ? 2u : 16u) && d[0] == '!' && d[1] == '!';
  if (!candidate)
    atomic_fetch_add(&sh->execs, 1);
  if (!bang)
    return;
  if (!candidate) {
    uint64_t zero = 0;
    atomic_compare_exchange_strong(&sh->found, &zero,
                                   atomic_load(&sh->execs) + 1);
    abort();
  }
  if (!atomic_exchange(&sh->waited, 1)) {
    struct timespec ms = {0, 1000000};
    for (int i = 0; i < KEEP_GOING_WAIT_S * 1000 && !counted_enough(); i++)
      nanosleep(&ms, NULL);
  }
  if (counted_enough())
    abort();
}

static void seeds(cfz_seeds *s) {
  cfz_add(s, CFZ_V_BYTES("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 32));
}

CFZ_TARGET(FuzzKeepGoingBusy, seeds, fuzz, CFZ_BYTES)
