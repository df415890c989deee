/* features_off.h - CFZ_FEATURES_OFF: the engine features a run turns off,
 * for measurements and for the tests that show each one is needed
 * (docs/feedback.md).  The variable is a comma-separated list of names:
 * "indirect", "hits", "distance" (cmp_trace), "stack" (coverage), "slow"
 * (the slow-input rule, fuzz_loop). */
#ifndef CFZ_FEATURES_OFF_H
#define CFZ_FEATURES_OFF_H

#include <stdbool.h>

/* True when CFZ_FEATURES_OFF lists name (a whole item of the list).  Reads
 * the environment at each call: callers keep the answer. */
bool cfz_feature_off(const char *name);

#endif
