/* rss_peak.c - the worker's peak-RSS check (rss_peak.h). */
#include "rss_peak.h"
#include "report_fd.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static uint64_t g_limit_kb; /* 0: off */
static uint64_t g_last_ns;  /* the last check */
static bool g_status_only;  /* ru_maxrss is above the limit for good */

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* VmHWM of /proc/self/status in kB; 0 when unreadable. */
static uint64_t status_hwm_kb(void) {
  FILE *f = fopen("/proc/self/status", "re");
  if (!f)
    return 0;
  char line[256];
  uint64_t kb = 0;
  while (fgets(line, sizeof line, f))
    if (strncmp(line, "VmHWM:", 6) == 0) {
      kb = strtoull(line + 6, NULL, 10);
      break;
    }
  fclose(f);
  return kb;
}

static uint64_t rusage_kb(void) {
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) != 0 || ru.ru_maxrss < 0)
    return 0;
  return (uint64_t)ru.ru_maxrss;
}

uint64_t cfz_peak_mb(void) {
  uint64_t kb = status_hwm_kb();
  return (kb ? kb : rusage_kb()) >> 10;
}

int cfz_peak_reset(void) {
  int fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  ssize_t n = write(fd, "5", 1);
  close(fd);
  return n == 1 ? 0 : -1;
}

void cfz_peak_start(uint64_t limit_mb) {
  g_limit_kb = limit_mb << 10;
  g_status_only = false;
  g_last_ns = now_ns();
  if (g_limit_kb)
    cfz_peak_reset();
}

/* The peak in kB when it is above limit_kb, else 0.  ru_maxrss (the peak
 * ever, never below VmHWM) first: within the limit, no /proc read.  Once it
 * is above for good (*status_only, where the caller keeps it), VmHWM only. */
static uint64_t above_kb(uint64_t limit_kb, bool *status_only) {
  bool known_above = status_only && *status_only;
  if (!known_above) {
    uint64_t kb = rusage_kb();
    if (kb <= limit_kb)
      return 0;
  }
  uint64_t hwm = status_hwm_kb();
  if (!hwm) /* no /proc: ru_maxrss is all there is */
    return known_above ? 0 : rusage_kb();
  if (status_only)
    *status_only = true;
  return hwm > limit_kb ? hwm : 0;
}

uint64_t cfz_peak_above_mb(uint64_t limit_mb) {
  /* In whole MB, as cfz_peak_mb: above means at least limit_mb + 1 MB. */
  return above_kb(((limit_mb + 1) << 10) - 1, NULL) >> 10;
}

void cfz_peak_after_run(cfz_shm_header *hdr) {
  if (!g_limit_kb)
    return;
  uint64_t now = now_ns();
  if (now - g_last_ns < CFZ_PEAK_EVERY_NS)
    return;
  g_last_ns = now;
  uint64_t kb = above_kb(g_limit_kb, &g_status_only);
  if (!kb)
    return;
  uint64_t mb = (kb + 1023) >> 10, limit_mb = g_limit_kb >> 10;
  hdr->oom_rss_mb = mb > limit_mb ? mb : limit_mb + 1;
  fprintf(cfz_report_stream(),
          "==%d== ERROR: cfz: out-of-memory: the input made the worker's "
          "peak resident memory %llu MB, above the %llu MB --rss-limit\n",
          (int)getpid(), (unsigned long long)mb, (unsigned long long)limit_mb);
  fflush(cfz_report_stream());
  _exit(CFZ_OOM_EXIT_STATUS);
}
