/* mem_limits.c - -rss_limit_mb and -malloc_limit_mb while an input runs
 * (mem_limits.h). */
#include "mem_limits.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "rss_peak.h"

extern int __sanitizer_install_malloc_and_free_hooks(
    void (*malloc_hook)(const volatile void *, size_t),
    void (*free_hook)(const volatile void *)) __attribute__((weak));

static uint64_t g_rss_limit_mb;
static cfz_rss_exceeded_fn g_on_rss;

static void *rss_watch(void *arg) {
  (void)arg;
  const struct timespec tick = {0, CFZ_RSS_WATCH_MS * 1000000L};
  for (;;) {
    nanosleep(&tick, NULL);
    uint64_t peak = cfz_peak_mb();
    if (peak > g_rss_limit_mb)
      g_on_rss(peak, g_rss_limit_mb); /* does not return */
  }
  return NULL;
}

int cfz_rss_watch_start(uint64_t limit_mb, cfz_rss_exceeded_fn on_rss,
                        char *err, size_t errlen) {
  g_rss_limit_mb = limit_mb;
  g_on_rss = on_rss;
  pthread_t t;
  pthread_attr_t a;
  int rc = pthread_attr_init(&a);
  if (rc == 0) {
    rc = pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    if (rc == 0)
      rc = pthread_create(&t, &a, rss_watch, NULL);
    pthread_attr_destroy(&a);
  }
  if (rc != 0) {
    snprintf(err, errlen, "the -rss_limit_mb thread: pthread_create: %s",
             strerror(rc));
    return -1;
  }
  return 0;
}

static uint64_t g_malloc_limit_mb;
static cfz_malloc_exceeded_fn g_on_malloc;
static _Atomic bool g_armed, g_fired;

static void malloc_hook(const volatile void *p, size_t size) {
  (void)p;
  if (!atomic_load_explicit(&g_armed, memory_order_relaxed) ||
      (size >> 20) < g_malloc_limit_mb)
    return;
  if (!atomic_exchange(&g_fired, true)) /* once, whatever it allocates */
    g_on_malloc(size);
}

static void free_hook(const volatile void *p) { (void)p; }

bool cfz_malloc_limit_start(uint64_t limit_mb,
                            cfz_malloc_exceeded_fn on_malloc) {
  if (!limit_mb || !__sanitizer_install_malloc_and_free_hooks)
    return false;
  g_malloc_limit_mb = limit_mb;
  g_on_malloc = on_malloc;
  return __sanitizer_install_malloc_and_free_hooks(malloc_hook, free_hook) != 0;
}

void cfz_malloc_limit_arm(bool armed) {
  atomic_store_explicit(&g_armed, armed, memory_order_relaxed);
}
