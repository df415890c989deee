/* target_probe.h - asking a target executable which targets it holds.
 *
 * The executable is started once as a worker (with CFZ_PROBE=1, so that the
 * first target answers when it holds several), its hello response is read,
 * and it is stopped: the same handshake `cfz run` does, so a probe sees
 * exactly what a run would. */
#ifndef CFZ_TARGET_PROBE_H
#define CFZ_TARGET_PROBE_H

#include <stddef.h>

#include "protocol.h"

/* Fills out with the executable's hello (free with cfz_hello_free).
 * Returns 0, or -1 with e.g. "./t: terminated without answering the
 * handshake: exit status 2 (is it linked with the cfz harness?)" in err. */
int cfz_probe_targets(const char *exe, cfz_hello *out, char *err,
                      size_t errlen);

/* The target named want among h's targets (the first when want is NULL).
 * Returns NULL with "./t has no target \"X\" (it has: A, B)" in err. */
const cfz_target_info *cfz_probe_pick(const cfz_hello *h, const char *exe,
                                      const char *want, char *err,
                                      size_t errlen);

#endif
