/* dir_list.h - the entries of a directory, sorted by name, each stat'ed.
 *
 * The one directory listing of the driver: corpus loading, `cfz corpus ls`
 * and merge's pruning all read directories through it. */
#ifndef CFZ_DIR_LIST_H
#define CFZ_DIR_LIST_H

#include <stdbool.h>
#include <stddef.h>

typedef struct cfz_dirent {
  char *name;      /* entry name */
  char *path;      /* dir/name */
  long long size;  /* -1 when stat failed */
  int stat_errno;  /* why stat failed, or 0 */
  bool is_dir;     /* a directory (symbolic links followed) */
  bool is_regular; /* a regular file (symbolic links followed) */
} cfz_dirent;

/* Lists dir's entries, dotfiles left out, sorted by name.  Returns 0, 1
 * when dir does not exist (nothing listed), or -1 with e.g. "open d:
 * Permission denied" in err. */
int cfz_dir_list(const char *dir, cfz_dirent **out, size_t *n, char *err,
                 size_t errlen);
void cfz_dir_free(cfz_dirent *v, size_t n);

#endif
