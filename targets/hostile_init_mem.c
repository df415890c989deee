/* hostile_init_mem.c - a target that takes ~300 MB in LLVMFuzzerInitialize
 * (written, so resident), before the handshake (issue 15 item 9: the
 * --rss-limit applies from the start).  CFZ_TEST_INIT_MEM selects:
 *   keep  the memory stays and start-up ends normally: the worker's hello
 *         refuses ("start-up left N MB resident ...");
 *   stuck the start-up never ends (it sleeps holding the memory): the
 *         driver's sampling ends it before the 10 s handshake limit.
 * Without the variable it allocates nothing.
 * CFZ_TEST_SLOW_START=PATH: the first worker to create PATH starts at once,
 * every other one sleeps 120 s in its start-up, longer than the handshake
 * limit a test gives (a run that ends meanwhile must not wait for it).  No
 * input fails. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cfz.h"

#define CHUNK (30u << 20) /* below a 128 MB --malloc-limit (ASan) */
#define CHUNKS 10u

static char *volatile g_mem[CHUNKS];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  const char *lock = getenv("CFZ_TEST_SLOW_START");
  if (lock) {
    int fd = open(lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0)
      close(fd);
    else
      nanosleep(&(struct timespec){120, 0}, NULL);
  }
  const char *mode = getenv("CFZ_TEST_INIT_MEM");
  if (!mode)
    return 0;
  for (unsigned i = 0; i < CHUNKS; i++)
    if ((g_mem[i] = malloc(CHUNK)))
      memset(g_mem[i], 1, CHUNK);
  while (strcmp(mode, "stuck") == 0) {
    struct timespec ts = {1, 0};
    nanosleep(&ts, NULL);
  }
  return 0;
}

static void fuzz(cfz_t *t, const cfz_value *a) {
  (void)t;
  (void)a;
}

static void seeds(cfz_seeds *s) { cfz_add(s, CFZ_V_BYTES("abc", 3)); }

CFZ_TARGET(FuzzHostileInitMem, seeds, fuzz, CFZ_BYTES)
