/* proc_rss.c - a process's resident memory (proc_rss.h). */
#include "proc_rss.h"

#include <stdio.h>
#include <unistd.h>

uint64_t cfz_proc_rss_mb(int pid) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/statm", pid);
  FILE *f = fopen(path, "r");
  if (!f)
    return 0;
  unsigned long long size = 0, resident = 0;
  int got = fscanf(f, "%llu %llu", &size, &resident);
  fclose(f);
  if (got != 2)
    return 0;
  long page = sysconf(_SC_PAGESIZE);
  return resident * (unsigned long long)(page > 0 ? page : 4096) >> 20;
}
