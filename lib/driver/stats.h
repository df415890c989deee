/* stats.h - the numbers of a status: what the status line, the "stats"
 * event and a row of the stats file show. */
#ifndef CFZ_STATS_H
#define CFZ_STATS_H

#include <stddef.h>
#include <stdint.h>

typedef struct cfz_stats {
  uint64_t execs, execs_per_sec, new_interesting;
  size_t corpus;         /* entries */
  uint64_t corpus_bytes; /* their inputs' sizes, summed */
  uint64_t features, edges;
  uint64_t failures; /* distinct failures found so far */
  unsigned workers;
  uint64_t rss_mb; /* the largest resident set of a worker process */
} cfz_stats;

#endif
