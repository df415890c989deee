/* mem_limits.h - libFuzzer's -rss_limit_mb and -malloc_limit_mb while an
 * input runs, for a libFuzzer-style target that runs files itself
 * (libfuzzer_main.c).  Workers have the driver's watchdog and rss_peak.h
 * instead.
 *
 * cfz_rss_watch_start starts a thread, as libFuzzer's RSS thread: every
 * CFZ_RSS_WATCH_MS it reads the process's peak resident set (rss_peak.h's
 * cfz_peak_mb) and, once it is above limit_mb, calls on_rss(peak, limit),
 * which reports and ends the process (it must not return).  An input that
 * allocates past the limit and then waits, or keeps allocating, is stopped
 * within about CFZ_RSS_WATCH_MS, not after -timeout.
 *
 * cfz_malloc_limit_start installs a malloc hook where the sanitizer
 * allocator offers one (__sanitizer_install_malloc_and_free_hooks: builds
 * with ASan, MSan or LSan; a plain build has none, as for libFuzzer): while
 * armed (cfz_malloc_limit_arm: the input runs), one allocation of limit_mb
 * MiB or more (libFuzzer's test: size >> 20 >= limit) calls
 * on_malloc(size) at once, inside the allocator's hook, which must only
 * write(2) and end the process.
 */
#ifndef CFZ_MEM_LIMITS_H
#define CFZ_MEM_LIMITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CFZ_RSS_WATCH_MS 100

typedef void (*cfz_rss_exceeded_fn)(uint64_t peak_mb, uint64_t limit_mb);
typedef void (*cfz_malloc_exceeded_fn)(size_t size);

/* Returns 0, or -1 with why in err (pthread_create failed). */
int cfz_rss_watch_start(uint64_t limit_mb, cfz_rss_exceeded_fn on_rss,
                        char *err, size_t errlen);

/* True when the hook is installed (false: no sanitizer allocator, or the
 * sanitizer refused: too many hooks). */
bool cfz_malloc_limit_start(uint64_t limit_mb,
                            cfz_malloc_exceeded_fn on_malloc);
void cfz_malloc_limit_arm(bool armed);

#endif
