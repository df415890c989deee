/* mem_limits.c - -rss_limit_mb and -malloc_limit_mb while an input runs
 * (mem_limits.h). */
#include "mem_limits.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "rss_peak.h"

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
