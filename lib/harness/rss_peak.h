/* rss_peak.h - the worker's own --rss-limit check, on its peak resident set.
 *
 * The driver samples a worker's resident set every 50 ms; memory allocated,
 * touched and freed between two samples is missed.  The kernel keeps each
 * process's high-water mark, so the worker checks that instead, after a run,
 * and attributes a peak above the limit to the input that just ran.
 *
 * cfz_peak_start(limit_mb) (at hello; 0: off) resets the high-water mark
 * (writing "5" to /proc/self/clear_refs, where permitted) so that what the
 * start-up used does not count.  cfz_peak_after_run() is called after every
 * counted run, with the shm state still RUNNING_*: it reads the clock, and
 * checks the peak when the run took at least CFZ_PEAK_EVERY_NS, or that much
 * time passed since the last check (then for the runs in between, which
 * were shorter: a run can touch only a few MB in a millisecond).  The check
 * is getrusage's ru_maxrss, confirmed with VmHWM of /proc/self/status when
 * it is above the limit (ru_maxrss also counts the image before exec and
 * what came before the reset).  Above the limit it writes the peak to the
 * header's oom_rss_mb, prints why on stderr and exits with
 * CFZ_OOM_EXIT_STATUS: the driver reports an out-of-memory failure with the
 * input in the value (or aux) area. */
#ifndef CFZ_RSS_PEAK_H
#define CFZ_RSS_PEAK_H

#include <stdbool.h>
#include <stdint.h>

#include "shm_layout.h"

#define CFZ_PEAK_EVERY_NS 1000000u

void cfz_peak_start(uint64_t limit_mb);
void cfz_peak_after_run(cfz_shm_header *hdr);
/* The process's peak resident set in MB now (VmHWM where readable, else
 * ru_maxrss); 0 when neither can be read. */
uint64_t cfz_peak_mb(void);
/* cfz_peak_mb() when it is above limit_mb, else 0; cheap when it is not:
 * getrusage's ru_maxrss (the peak ever, never below VmHWM) within the limit
 * answers without reading /proc (a system call, not five and the kernel's
 * status text: it runs after every input of a replay). */
uint64_t cfz_peak_above_mb(uint64_t limit_mb);
/* Resets the high-water mark; returns 0, or -1 when not permitted. */
int cfz_peak_reset(void);

#endif
