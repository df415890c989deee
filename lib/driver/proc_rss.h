/* proc_rss.h - a process's resident memory, from /proc/<pid>/statm. */
#ifndef CFZ_PROC_RSS_H
#define CFZ_PROC_RSS_H

#include <stdint.h>

/* The resident set of process pid in MiB (rounded down); 0 when it cannot
 * be read (the process is gone, or no /proc). */
uint64_t cfz_proc_rss_mb(int pid);

#endif
