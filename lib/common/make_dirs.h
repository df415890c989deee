/* make_dirs.h - mkdir -p, for the driver and the harness. */
#ifndef CFZ_MAKE_DIRS_H
#define CFZ_MAKE_DIRS_H

#include <stddef.h>

/* mkdir -p: creates each missing component of dir (mode 0755).  Returns 0,
 * or -1 with e.g. "cfz: mkdir a/b: Permission denied" in err. */
int cfz_make_dirs(const char *dir, char *err, size_t errlen);

#endif
