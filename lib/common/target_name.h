/* target_name.h - the one rule for target names, shared by the harness
 * (which registers them) and the driver (which makes directories of them):
 * 1 to CFZ_TARGET_NAME_MAX-1 characters of [A-Za-z0-9_.-], not "." or "..". */
#ifndef CFZ_TARGET_NAME_H
#define CFZ_TARGET_NAME_H

#include <stdbool.h>

#define CFZ_TARGET_NAME_MAX 128

bool cfz_target_name_ok(const char *name);

#endif
