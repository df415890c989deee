/* project_cache.h - the generated corpora root of the current project.
 *
 * Two projects with a target of the same name must not share a generated
 * corpus (like Go's per-package cache), so the default root is keyed by
 * the project: the directory cfz runs in, the one that holds testdata/.
 *   <cache>/<project base name>-<first 8 hex of SHA-256(its real path)>
 * where <cache> is $XDG_CACHE_HOME/cfz, else ~/.cache/cfz
 * (cfz_default_cache_dir).  A --cache-dir given explicitly is used as it
 * is: the user chose that root. */
#ifndef CFZ_PROJECT_CACHE_H
#define CFZ_PROJECT_CACHE_H

#include <stddef.h>

/* The current project's key, e.g. "myparser-1a2b3c4d", into out.  Returns
 * 0, or -1 (errno set) when the working directory cannot be resolved. */
int cfz_project_key(char *out, size_t outlen);

/* Malloc'd "<default cache>/<project key>"; NULL on failure (errno). */
char *cfz_project_cache_dir(void);

#endif
